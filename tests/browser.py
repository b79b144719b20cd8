"""Headless Chromium for the HTML tests: one launch lays a page out, dumps its DOM and takes a
screenshot (`chromium --headless --dump-dom --screenshot`).

Chromium is the Debian package `chromium` (`.ci/run` installs it where apt can); without it
`require_chromium` skips the test with the reason. The browser runs offline (every host name
resolves to nothing) with a profile in the test's own directory.

The page is rendered through a copy with one probe script at the top of its `<head>`, before
the page's Content-Security-Policy (which would refuse it, as it refuses any script of the
page's own). After the load event the probe writes what only a browser knows into the
`data-probe` attribute of `<html>`: where the verdict was laid out, its font size against the
body's, every resource the page asked for and every policy violation. The DOM is parsed with
the standard library's `html.parser` into a small tree.

    python -m tests.browser PAGE.html OUT.png [WIDTHxHEIGHT]   # a page's screenshot (docs)
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

#: the browser: $PEAK_TRADE_CHROMIUM, else the first of these on PATH
NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_S = 90

PROBE = """<script>
var probeViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  probeViolations.push(e.violatedDirective + " " + e.blockedURI);
});
addEventListener("load", function () {
  var verdict = document.getElementById("verdict");
  var word = verdict && (verdict.querySelector(".verdict-word") || verdict.querySelector("h1"));
  var box = verdict ? verdict.getBoundingClientRect() : null;
  var wordBox = word ? word.getBoundingClientRect() : null;
  var first = document.body.firstElementChild;
  document.documentElement.setAttribute("data-probe", JSON.stringify({
    title: document.title,
    firstElement: first ? first.id || first.tagName : null,
    verdictTop: box ? box.top : null,
    verdictWordTop: wordBox ? wordBox.top : null,
    verdictWordBottom: wordBox ? wordBox.bottom : null,
    verdictWordPx: word ? parseFloat(getComputedStyle(word).fontSize) : null,
    bodyPx: parseFloat(getComputedStyle(document.body).fontSize),
    sectionTops: (function () {
      var tops = {};
      document.querySelectorAll("section[id]").forEach(function (e) {
        tops[e.id] = e.getBoundingClientRect().top;
      });
      return tops;
    })(),
    svgWidth: (function () {
      var s = document.querySelector("svg"); return s ? s.getBoundingClientRect().width : null;
    })(),
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    violations: probeViolations,
    scripts: document.scripts.length
  }));
});
</script>
"""


def chromium() -> str | None:
    override = os.environ.get("PEAK_TRADE_CHROMIUM")
    if override:
        return shutil.which(override)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def require_chromium() -> str:
    found = chromium()
    if found is None:
        pytest.skip(
            "headless Chromium not found (Debian: apt-get install -y chromium; or name it in"
            " PEAK_TRADE_CHROMIUM): the HTML pages are not rendered in a browser here"
        )
    return found


class Node:
    """An element of the rendered DOM: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def words(self) -> str:
        return " ".join(self.text().split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def by_id(self, element_id: str) -> Node:
        found = [n for n in self.iter() if n.attrs.get("id") == element_id]
        assert len(found) == 1, f"expected one element #{element_id}, found {len(found)}"
        return found[0]

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


_VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)  # elements without an end tag


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag == "br":
            self.current.children.append("\n")  # a line break reads as one in the text
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


class Rendered:
    """What one browser launch gave: the DOM after load (parsed), the probe's findings and the
    screenshot."""

    def __init__(self, dom: str, png: bytes) -> None:
        self.dom_text = dom
        self.dom = parse(dom)
        html = self.dom.find_all("html")
        assert html, "the browser produced no <html> element"
        self.probe: dict[str, Any] = json.loads(html[0].attrs.get("data-probe", "{}"))
        self.png = png

    @property
    def body(self) -> Node:
        return self.dom.find_all("body")[0]


def render(page: Path, work: Path, *, width: int = 1100, height: int = 1400) -> Rendered:
    """Lay `page` out in headless Chromium (one launch): the DOM after load and a screenshot of
    the first `width` x `height` pixels."""
    browser = require_chromium()
    text = page.read_text(encoding="utf-8")
    assert text.count("<head>") == 1
    probed = work / f"{page.stem}.probed.html"
    probed.write_text(text.replace("<head>", "<head>\n" + PROBE, 1), encoding="utf-8")
    shot = work / f"{page.stem}.png"
    profile = work / "chromium-profile"
    argv = [
        browser,
        "--headless",
        "--no-sandbox",  # as root in a container; the page is our own local file
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no name resolves
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        "--dump-dom",
        probed.resolve().as_uri(),
    ]
    # nothing of the browser's lands in the real HOME (profile, caches, dconf)
    env = {
        **os.environ,
        "HOME": str(work),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_CACHE_HOME": str(work / "cache"),
    }
    run = subprocess.run(
        argv, capture_output=True, text=True, timeout=TIMEOUT_S, env=env, check=False
    )
    assert run.returncode == 0, f"chromium exited {run.returncode}: {run.stderr[-500:]}"
    assert shot.exists(), f"chromium wrote no screenshot: {run.stderr[-500:]}"
    return Rendered(run.stdout, shot.read_bytes())


# --------------------------------------------------------------------------- PNG


def png_pixels(data: bytes, max_rows: int | None = None) -> tuple[int, int, list[bytes]]:
    """(width, height, the first `max_rows` rows as RGB bytes) of an 8-bit, non-interlaced RGB
    or RGBA PNG (what Chromium writes); enough to look at a screenshot without a library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), "unexpected PNG format"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    stride = width * channels
    wanted = height if max_rows is None else min(height, max_rows)
    raw = zlib.decompressobj().decompress(idat, (stride + 1) * wanted)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(wanted):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        previous = line
        rgb = bytes(b for i, b in enumerate(line) if channels == 3 or i % 4 != 3)
        rows.append(rgb)
    return width, height, rows


def dark_pixels(row: bytes, threshold: int = 110) -> int:
    """How many pixels of one RGB row are dark (text, not background)."""
    return sum(
        1 for i in range(0, len(row), 3) if (row[i] + row[i + 1] + row[i + 2]) // 3 < threshold
    )


# --------------------------------------------------------------------------- the docs' screenshots


def main(argv: list[str]) -> int:
    """Write the screenshot of one page (the docs' images): PAGE.html OUT.png [WIDTHxHEIGHT]."""
    if len(argv) not in (2, 3):
        print("usage: python -m tests.browser PAGE.html OUT.png [WIDTHxHEIGHT]", file=sys.stderr)
        return 2
    page, out = Path(argv[0]), Path(argv[1])
    width, height = (int(n) for n in (argv[2] if len(argv) == 3 else "1000x900").split("x"))
    if chromium() is None:
        print("headless Chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        shot = render(page, Path(scratch), width=width, height=height)
    image = compact_png(shot.png)
    out.write_bytes(image)
    print(f"wrote {out} ({len(image)} bytes)")
    return 0


def compact_png(png: bytes) -> bytes:
    """The screenshot with 16 levels per channel, as an indexed PNG when that leaves at most
    256 colours (a page of text and flat colours does): a doc asset of a third the size."""
    width, height, rows = png_pixels(png)
    colours: dict[tuple[int, int, int], int] = {}
    indexed = bytearray()
    for row in rows:
        indexed.append(0)  # filter: none
        for i in range(0, len(row), 3):
            colour = (row[i] >> 4, row[i + 1] >> 4, row[i + 2] >> 4)
            indexed.append(colours.setdefault(colour, len(colours)) & 0xFF)
    if len(colours) > 256:
        return png

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    palette = b"".join(bytes(level * 17 for level in colour) for colour in colours)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + chunk(b"PLTE", palette)
        + chunk(b"IDAT", zlib.compress(bytes(indexed), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
