"""The HTML pages as a browser shows them: headless Chromium lays each page out once, and the
tests read the rendered DOM, what the probe measured (`tests.browser`) and the screenshot.

Few and fast: one browser launch per test. Without Chromium every test here skips, saying so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.browser import Rendered, dark_pixels, parse, png_pixels, render, require_chromium
from tests.conftest import PASSING_CONFIG, CliResult
from tests.formats.conftest import STEPS
from tests.formats.test_html import hostile_install

Cli = Callable[..., CliResult]
WIDTH, HEIGHT = 1100, 1400


def _no_loads_no_scripts(shown: Rendered) -> None:
    assert shown.probe["resources"] == []  # nothing fetched: works offline, as an artifact
    assert shown.probe["violations"] == []  # nothing tried to load or run and was refused
    assert shown.probe["scripts"] == 1  # the probe's own; the page has none
    assert shown.dom.find_all("img") == []


def _top_has_content(png: bytes) -> None:
    width, height, rows = png_pixels(png, max_rows=60)
    assert (width, height) == (WIDTH, HEIGHT)
    dark = [dark_pixels(row) for row in rows]
    assert max(dark[:40]) > 30, dark  # the verdict's letters, in the first 40 pixel rows


def test_export_page_in_a_browser(cli: Cli, tmp_path: Path) -> None:
    require_chromium()
    page, snap = tmp_path / "audit.html", tmp_path / "audit.json"
    result = cli(
        "audit",
        "export",
        "--config",
        str(PASSING_CONFIG),
        "--output-html",
        str(page),
        "--output-json",
        str(snap),
    )
    assert result.code == 0, result.err
    snapshot = json.loads(snap.read_text())
    shown = render(page, tmp_path, width=WIDTH, height=HEIGHT)
    _no_loads_no_scripts(shown)
    probe = shown.probe
    # the verdict first, at the top, large
    assert probe["firstElement"] == "verdict" and probe["verdictTop"] == 0
    assert probe["verdictWordTop"] < 30 and probe["verdictWordPx"] >= 2.5 * probe["bodyPx"]
    verdict = shown.dom.find_all(cls="verdict-word")[0].words()
    assert verdict == "BLOCKED" and probe["title"].startswith("BLOCKED")
    assert snapshot["gating"]["effective_mode"] in shown.dom.find_all(cls="facts")[0].words()
    # the facts as the JSON has them
    blockers = [row.find_all("td")[0].words() for row in shown.dom.find_all("tr", "blocker")]
    assert blockers == [b["code"] for b in snapshot["safety"]["blockers"]]
    values = {
        row.attrs["data-kind"]: row.find_all("td")[1].words()
        for row in shown.dom.find_all("tr", "binding")
    }
    for kind, value in snapshot["risk"]["effective"].items():
        assert values[kind] == (json.dumps(value) if value is not None else "not set")
    assert snapshot["risk"]["effective"]["per_order"] is not None  # a cap binds in testnet
    labels = [row.find_all("td")[1].words() for row in shown.dom.find_all("tr", "venue")]
    assert labels == [v["label"] or "not set" for v in snapshot["venues"]]
    assert "example-exchange" in labels
    _top_has_content(shown.png)


def test_history_page_in_a_browser(cli: Cli, archive: Path, tmp_path: Path) -> None:
    require_chromium()
    page = tmp_path / "history.html"
    result = cli("audit", "history", "--format", "html", "--output", str(page))
    assert result.code == 0, result.err
    shown = render(page, tmp_path, width=WIDTH, height=HEIGHT)
    _no_loads_no_scripts(shown)
    rows = {int(r.attrs["data-seq"]): r for r in shown.dom.find_all("tr", "entry")}
    assert sorted(rows) == list(range(1, len(STEPS) + 1))
    expected = {seq: key for seq, (_, _, key) in enumerate(STEPS, start=1) if key}
    assert {s for s, r in rows.items() if "less safe" in r.words()} == set(expected)
    for seq, key in expected.items():
        assert key in rows[seq].words()
    # the chart: the per-order line, the total's "no binding cap" marks, above the table
    (chart,) = shown.dom.find_all("svg")
    assert [p.find_all("title")[0].words() for p in chart.find_all("path")] == ["per-order cap"]
    assert chart.find_all("rect", "gap")
    assert shown.probe["svgWidth"] > 300
    tops = shown.probe["sectionTops"]
    assert tops["overview"] < tops["timeline"]
    _top_has_content(shown.png)


def test_a_hostile_config_runs_nothing_in_a_browser(cli: Cli, tmp_path: Path) -> None:
    require_chromium()
    words = [
        "PWN<script>document.title='PWNED'</script>",
        "PWN<img src=x onerror=\"document.title='PWNED'\">",
        'PWN"><svg onload=alert(1)>',
        "PWN</td></tr></table><iframe src=//example.invalid>",
        "PWN<style>*{display:none}</style>",
        "PWN\x1b]0;PWNED\x07\u202e",
        "PWN<a href=//example.invalid>x</a>",
        "PWN<link rel=stylesheet href=//example.invalid/x.css>",
        "PWN<base href=//example.invalid/>",
    ]
    config = hostile_install(tmp_path / "install", words, "c2VjcmV0LXNlY3JldC1zZWNyZXQ")
    page = tmp_path / "hostile.html"
    result = cli("audit", "export", "--config", str(config), "--output-html", str(page))
    assert result.code == 0, result.err
    shown = render(page, tmp_path, width=WIDTH, height=HEIGHT)
    _no_loads_no_scripts(shown)
    for tag in ("iframe", "svg", "a", "link", "base"):
        assert shown.dom.find_all(tag) == [], tag
    assert shown.dom.find_all("style") and len(shown.dom.find_all("style")) == 1
    # no script retitled the page: the title is the one its source gives
    written = parse(page.read_text(encoding="utf-8")).find_all("title")[0].words()
    assert " ".join(shown.probe["title"].split()) == written
    text = shown.body.text()
    for word in words[2:]:
        assert (
            word.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u202e", "\\u202e")
            in text
        )
    assert shown.probe["firstElement"] == "verdict"
