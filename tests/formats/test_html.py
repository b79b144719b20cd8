"""The export's HTML page (`audit export --output-html`): self-contained, the verdict first, every
fact as the JSON has it, and not one config string that becomes markup.

The page is read with the standard library's HTML parser (`tests.browser.parse`), never by
searching its source for the renderer's own strings; the facts it must show come from the JSON
snapshot written by the same run, and the remedies from `status --format json`. The browser
tests (`test_html_browser.py`) lay the same pages out in Chromium.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.core.text import printable
from peak_trade.formats import render, snapshot_format
from peak_trade.live.snapshot import LiveAuditSnapshot
from tests.browser import Node, parse
from tests.conftest import (
    EXAMPLE_CONFIG,
    EXAMPLE_TOKEN,
    PASSING_CONFIG,
    CliResult,
    toml_config,
    write,
)
from tests.secret_strategies import (
    ENV_CREDENTIAL,
    assert_no_leak,
    config_with_secrets,
    secrets_text,
)
from tests.test_phase74_live_audit_export import example_snapshot

Cli = Callable[..., CliResult]
FREQTRADE_SPOT = Path(__file__).resolve().parent.parent / "assets" / "freqtrade" / "spot.json"

#: every element and attribute the renderer writes: anything else came from the input
TAGS = frozenset(
    "html head meta title style body header h1 h2 span p main section table thead tbody tr"
    " th td code strong dl dt dd ul li footer div br details summary i svg line text path"
    " rect".split()
)
ATTRIBUTES = frozenset(
    "lang charset http-equiv content name class id scope xmlns role viewbox width height x y"
    " x1 y1 x2 y2 d dy text-anchor title".split()
)
_SAFE_VALUE = re.compile(r"[A-Za-z0-9 _.:;,'()/=%#+-]*")  # what the renderer's attributes hold


def export(cli: Cli, config: Path | str, out: Path, *extra: str) -> tuple[Node, dict[str, Any]]:
    """The page and the JSON snapshot of one run (the same snapshot)."""
    page, snap = out / "report.html", out / "report.json"
    result = cli(
        "audit",
        "export",
        "--config",
        str(config),
        "--output-html",
        str(page),
        "--output-json",
        str(snap),
        *extra,
    )
    assert result.code == 0, result.err
    return parse(page.read_text(encoding="utf-8")), json.loads(snap.read_text())


def cells(row: Node) -> list[str]:
    return [td.words() for td in row.find_all("td")]


def assert_no_markup_from_input(page: Node, marker: str) -> None:
    """No element or attribute the renderer does not write; no attribute carrying input."""
    for node in page.iter():
        if node.tag == "#document":
            continue
        assert node.tag in TAGS, f"unexpected element <{node.tag}>"
        for name, value in node.attrs.items():
            assert name in ATTRIBUTES or name.startswith("data-"), f"unexpected attribute {name}"
            assert marker not in value, f"input reached the attribute {name}={value!r}"
            assert name == "content" or _SAFE_VALUE.fullmatch(value), (name, value)


# --------------------------------------------------------------------------- self-contained


def test_the_page_loads_nothing_and_runs_nothing(cli: Cli, tmp_path: Path) -> None:
    page_path = tmp_path / "page.html"
    result = cli("audit", "export", "-c", str(EXAMPLE_CONFIG), "--output-html", str(page_path))
    assert result.code == 0, result.err
    source = page_path.read_text(encoding="utf-8")
    lowered = source.lower()
    for reference in ("src=", "href=", "url(", "@import", "<script", "<link", "<img", "srcset"):
        assert reference not in lowered, reference
    page = parse(source)
    policy = [m.attrs["content"] for m in page.find_all("meta") if "http-equiv" in m.attrs]
    assert policy and "default-src 'none'" in policy[0] and "script-src" not in policy[0]
    assert [s.text() for s in page.find_all("style")]  # the style is inline
    assert_no_markup_from_input(page, "\x00never")


def test_the_verdict_opens_the_page(cli: Cli, tmp_path: Path) -> None:
    page, snapshot = export(cli, EXAMPLE_CONFIG, tmp_path)
    body = page.find_all("body")[0]
    first = body.elements()[0]
    assert first.attrs.get("id") == "verdict" and first.tag == "header"
    assert first.find_all("h1")[0].words() == "BLOCKED"
    assert snapshot["safety"]["is_live_execution_allowed"] is False
    assert snapshot["gating"]["effective_mode"] in first.words()
    title = page.find_all("title")[0].words()
    assert title.startswith("BLOCKED")


def test_an_open_config_reads_allowed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEAK_TRADE_CONFIRM_TOKEN", EXAMPLE_TOKEN)
    config = write(tmp_path / "config.toml", toml_config())
    page, snapshot = export(cli, config, tmp_path)
    verdict = page.by_id("verdict")
    assert snapshot["safety"]["is_live_execution_allowed"] is True
    assert verdict.find_all("h1")[0].words() == "ALLOWED"
    assert "No blocker" in page.by_id("blockers").words()
    assert page.find_all("title")[0].words().startswith("ALLOWED")


# --------------------------------------------------------------------------- as in the JSON


def _binding_oracle(snapshot: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The binding cap of a kind, computed here from the JSON: the smallest enforced one (the
    largest for the floor min_order)."""
    enforced = [c for c in snapshot["risk"]["limits"] if c["kind"] == kind and c["enforced"]]
    limited = [c for c in enforced if c["value"] is not None]
    if not limited:
        return enforced[0] if enforced else None
    pick = max if kind == "min_order" else min
    return pick(limited, key=lambda c: c["value"])


@pytest.mark.parametrize("config", [PASSING_CONFIG, EXAMPLE_CONFIG], ids=["testnet", "live"])
def test_codes_modes_caps_and_venues_read_as_in_the_json(
    cli: Cli, tmp_path: Path, config: Path
) -> None:
    page, snapshot = export(cli, config, tmp_path)
    blocker_codes = [cells(r)[0] for r in page.by_id("blockers").find_all("tr", "blocker")]
    assert blocker_codes == [b["code"] for b in snapshot["safety"]["blockers"]]
    assert blocker_codes  # both configs are blocked
    assert f"effective mode {snapshot['gating']['effective_mode']}" in page.by_id("verdict").words()

    rows = {r.attrs["data-kind"]: cells(r) for r in page.by_id("caps").find_all("tr", "binding")}
    assert list(rows) == list(snapshot["risk"]["effective"])
    currency = snapshot["risk"]["base_currency"]
    bound = 0
    for kind, value in snapshot["risk"]["effective"].items():
        kind_cell, value_cell, unit, key, source, enforced = rows[kind]
        cap = _binding_oracle(snapshot, kind)
        if cap is None:
            assert value is None and value_cell == "not set" and key == "-"
            continue
        bound += 1
        assert value_cell == json.dumps(value)  # 500.0 reads 500.0, 3 reads 3
        assert key == cap["key"] and source == cap["source"]
        assert unit.startswith(cap["unit"]) and (cap["unit"] != "money" or currency in unit)
        assert enforced.startswith("yes")
    # testnet: the session's LiveRiskLimits enforces some kinds; live: Peak_Trade enforces none
    assert bound > 0 if config == PASSING_CONFIG else bound == 0

    configured = [cells(r) for r in page.by_id("caps").find_all("tr") if r.find_all("td")]
    configured = configured[len(rows) :]
    assert [c[0] for c in configured] == [c["key"] for c in snapshot["risk"]["limits"]]
    for shown, cap in zip(configured, snapshot["risk"]["limits"], strict=True):
        word = {True: "yes", False: "no", None: "unknown"}[cap["enforced"]]
        assert shown[5].startswith(word) and (cap["enforcement"] or "") in shown[5]

    venues = page.by_id("venues").find_all("tr", "venue")
    assert len(venues) == len(snapshot["venues"])
    for row, venue in zip(venues, snapshot["venues"], strict=True):
        name, label, reach, why = cells(row)[:4]
        assert name == venue["name"] and reach == venue["orders_reach"]
        assert label == (venue["label"] if venue["label"] is not None else "not set")
        assert why == venue["orders_reach_reason"]
    assert "example-exchange" in [cells(r)[1] for r in venues]


def test_every_blocker_has_the_remedy_status_gives(cli: Cli, tmp_path: Path) -> None:
    page, _ = export(cli, EXAMPLE_CONFIG, tmp_path)
    status = cli("status", "--config", str(EXAMPLE_CONFIG), "--format", "json")
    expected = [(b["code"], b["remedy"]) for b in json.loads(status.out)["blockers"]]
    shown = [(c[0], c[3]) for c in map(cells, page.by_id("blockers").find_all("tr", "blocker"))]
    assert shown == expected and len(shown) == 3


def test_a_stored_snapshot_renders_without_remedies() -> None:
    """Rendered from the snapshot alone (no assessment at hand), the page still names every
    blocker and says the remedy is not in the snapshot, never a guessed one."""
    snapshot = example_snapshot(token=None)
    page = parse(render(snapshot, "html"))
    rows = [cells(r) for r in page.by_id("blockers").find_all("tr", "blocker")]
    assert [r[0] for r in rows] == [b.code.value for b in snapshot.safety.blockers]
    assert {r[3] for r in rows} == {"not recorded in a stored snapshot"}
    assert snapshot_format("html").render(snapshot) == render(snapshot, "html")


def test_kill_switch_drills_and_provenance(cli: Cli, tmp_path: Path) -> None:
    page, snapshot = export(cli, EXAMPLE_CONFIG, tmp_path)
    ks = page.by_id("kill-switch").words()
    assert snapshot["kill_switch"]["source"] in ks and "active" in ks
    for trigger in snapshot["kill_switch"]["triggers"]:
        assert trigger["name"] in ks
    drills = page.by_id("drills")
    results = [cells(r)[:2] for r in drills.find_all("tr") if r.find_all("td")]
    assert results == [
        [r["name"], "PASS" if r["passed"] else "FAIL"] for r in snapshot["drills"]["results"]
    ]
    provenance = page.by_id("provenance").words()
    assert snapshot["config"]["sha256_redacted"] in provenance
    assert snapshot["config"]["dialect"] in provenance


def test_no_kill_switch_says_what_the_dialect_says(cli: Cli, tmp_path: Path) -> None:
    page, snapshot = export(cli, FREQTRADE_SPOT, tmp_path)
    assert snapshot["kill_switch"] is None
    assert "freqtrade's config has no kill switch" in page.by_id("kill-switch").words()
    assert "not applicable to freqtrade" in page.by_id("gates").words()


# --------------------------------------------------------------------------- write rules


def test_the_page_follows_exports_write_rules(cli: Cli, tmp_path: Path) -> None:
    config = write(tmp_path / "config.toml", toml_config(mode="paper"))
    out = tmp_path / "page.html"
    out.write_text("keep")
    refused = cli("audit", "export", "-c", config, "--output-html", str(out))
    assert refused.code == 2 and "refusing to overwrite without --force" in refused.err
    assert out.read_text() == "keep"
    forced = cli("audit", "export", "-c", config, "--output-html", str(out), "--force")
    assert forced.code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    over_input = cli("audit", "export", "-c", config, "--output-html", config, "--force")
    assert over_input.code == 2 and "refusing to write it" in over_input.err
    assert Path(config).read_text() == toml_config(mode="paper")
    nowhere = cli("audit", "export", "-c", config, "--output-html", str(tmp_path / "no/p.html"))
    assert nowhere.code == 2 and not (tmp_path / "no").exists()
    printed = cli("audit", "export", "-c", config, "--stdout", "--format", "html")
    assert printed.code == 0 and printed.out.startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- hostile input

#: pieces of markup, entities, controls and bidi characters a config string could carry
PIECES = (
    "<script>alert(1)</script>",
    '"onerror=alert(1) x="',
    "'><img src=x onerror=alert(1)>",
    "&amp;&lt;&#60;",
    "</td></tr></table>",
    "<!--",
    "<svg onload=alert(1)>",
    "\x1b]0;PWNED\x07",
    "\u202e",
    "\r\n",
    "\u2028",
    "\x7f",
    "\x9b",
    "\x08",
)
hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="abcXYZ_-.", min_size=1, max_size=3)),
    min_size=1,
    max_size=4,
).map(lambda parts: "PWN" + "".join(parts))


def _toml(text: str) -> str:
    """A TOML basic string holding `text` exactly."""
    out = []
    for char in text:
        if char in '"\\' or not char.isprintable() or ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _file_name(text: str) -> str:
    return text.replace("/", "_").replace("\x00", "_")[:60]


def hostile_install(base: Path, words: list[str], secret: str) -> Path:
    """A config with a hostile string in every place one reaches the snapshot: its directory
    and file name (paths, sources, the environment id), a key name (redacted keys), two venues'
    table names and labels, a credential's key name, and a kill-switch trigger's name; and a
    secret in the file. (The kill switch's mode and approval variable are checked values.)"""
    w = words
    directory = base / _file_name(w[0])
    (directory / "risk").mkdir(parents=True)
    config = directory / f"{_file_name(w[1])}.toml"
    config.write_text(
        '[environment]\nmode = "live"\nenable_live_trading = true\n'
        "[live_risk]\nmax_order_notional = 100.0\n"
        "[alerts]\n"
        f"{_toml(w[2] + '_token')} = {_toml(secret)}\n"
        f"[exchange.{_toml(w[3])}]\n"
        f"name = {_toml(w[4])}\n"
        "enabled = false\n"
        f'{_toml(w[5] + "_env_var")} = "PEAK_TRADE_HOSTILE_VAR"\n'
        f"api_secret = {_toml(secret)}\n"
        f"[exchange.{_toml(w[7] + '-2')}]\n"  # another table than w[3], whatever the words
        f"name = {_toml(w[8])}\n",
        encoding="utf-8",
    )
    (directory / "risk" / "kill_switch.toml").write_text(
        '[kill_switch]\nenabled = true\nmode = "active"\n'
        f"[kill_switch.triggers.{_toml(w[6])}]\nenabled = true\nthreshold = -0.1\n",
        encoding="utf-8",
    )
    return config


@settings(max_examples=25)
@given(words=st.lists(hostile, min_size=9, max_size=9), secret=secrets_text, token=secrets_text)
def test_hostile_config_strings_stay_text(
    cli: Cli, tmp_path_factory: pytest.TempPathFactory, words: list[str], secret: str, token: str
) -> None:
    base = tmp_path_factory.mktemp("hostile")
    config = hostile_install(base, words, secret)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PEAK_TRADE_CONFIRM_TOKEN", token)
        page_node, snapshot = export(cli, config, base)
    page_text = (base / "report.html").read_text(encoding="utf-8")
    assert_no_leak(page_text, [secret, token], "the HTML page")
    assert_no_markup_from_input(page_node, "PWN")
    assert not page_node.find_all("script") and not page_node.find_all("img")
    # every hostile string reached the snapshot, and the page shows each as visible text
    snap_text = json.dumps(snapshot, ensure_ascii=False)
    text = page_node.text()
    for word in (
        _file_name(words[0]),
        _file_name(words[1]),
        *words[2:7],
        words[7] + "-2",
        words[8],
    ):
        assert json.dumps(word, ensure_ascii=False)[1:-1] in snap_text
        assert printable(word) in text, word


def _free_text_paths(snapshot: LiveAuditSnapshot) -> list[tuple[Any, ...]]:
    """Where a snapshot holds free text: every string field but an enum value or a field the
    decoder checks (found by trying each one)."""
    plain = msgspec.json.decode(msgspec.json.encode(snapshot))  # lists, not tuples
    found = []
    for path in _string_paths(plain, ()):
        parent = _at(plain, path[:-1])
        original = parent[path[-1]]
        parent[path[-1]] = "PWN" + original
        try:
            msgspec.convert(plain, type=LiveAuditSnapshot, strict=True)
            found.append(path)
        except msgspec.ValidationError:
            pass
        parent[path[-1]] = original
    return found


def _string_paths(node: Any, path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    items = node.items() if isinstance(node, dict) else enumerate(node)
    paths = []
    for key, value in items:
        if isinstance(value, dict | list):
            paths += _string_paths(value, (*path, key))
        elif isinstance(value, str):
            paths.append((*path, key))
    return paths


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


@functools.cache
def _example_and_its_free_text() -> tuple[LiveAuditSnapshot, list[tuple[Any, ...]]]:
    snapshot = example_snapshot()
    return snapshot, _free_text_paths(snapshot)


#: the fields a config's own strings reach (its key names, paths, labels, ids, values)
_FROM_CONFIG = (
    ("environment_id",),
    ("risk", "limits_source"),
    ("risk", "limits", 0, "key"),
    ("risk", "limits", 0, "source"),
    ("venues", 0, "name"),
    ("venues", 0, "label"),
    ("venues", 0, "orders_reach_reason"),
    ("venues", 0, "credentials", 0, "key"),
    ("venues", 0, "endpoints", 0),
    ("kill_switch", "source"),
    ("kill_switch", "mode"),
    ("kill_switch", "approval_env_var"),
    ("kill_switch", "triggers", 0, "name"),
    ("kill_switch", "state_file"),
    ("config", "path"),
    ("config", "files", 0, "path"),
    ("versions", "git_commit"),
)


@settings(max_examples=10)
@given(word=hostile)
def test_every_free_text_field_of_a_snapshot_stays_text(word: str) -> None:
    """Any dialect's config could put text in any free-text field: with a hostile string in
    every one at once, the page holds no markup but its own, and shows each config field."""
    example, free_text = _example_and_its_free_text()
    plain = msgspec.json.decode(msgspec.json.encode(example))
    for path in free_text:
        parent = _at(plain, path[:-1])
        parent[path[-1]] = word + parent[path[-1]]
    plain["versions"]["git_commit"] = word + "0" * 40  # null in the example
    snapshot = msgspec.convert(plain, type=LiveAuditSnapshot, strict=True)
    assert len(free_text) > 100  # key paths, paths, labels, reasons, messages, names, ...
    page = parse(render(snapshot, "html"))
    assert_no_markup_from_input(page, "PWN")
    text = page.text()
    for path in _FROM_CONFIG:
        assert printable(_at(plain, path)) in text, path


@settings(max_examples=10)
@given(
    api_key=secrets_text,
    api_secret=secrets_text,
    token=secrets_text,
    passphrase=secrets_text,
    extra=secrets_text,
)
def test_no_secret_reaches_the_page(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    api_key: str,
    api_secret: str,
    token: str,
    passphrase: str,
    extra: str,
) -> None:
    base = tmp_path_factory.mktemp("secrets")
    config = write(
        base / "config.toml", config_with_secrets(api_key, api_secret, token, passphrase, extra)
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PEAK_TRADE_CONFIRM_TOKEN", token)
        env.setenv(ENV_CREDENTIAL, extra)
        export(cli, config, base)
    page = (base / "report.html").read_text(encoding="utf-8")
    assert_no_leak(page, [api_key, api_secret, token, passphrase, extra], "the HTML page")
