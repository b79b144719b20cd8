"""`audit history --format html [--output P]`: the archive as a timeline page.

One table row per entry with its verdict, effective mode and binding caps; "less safe", naming
the changed key, on exactly the rows whose change `audit diff` judges less safe (the oracle:
`diff N-1 N` exits 1), signed or not; a chart of the binding per-order and total caps; streamed,
so the page's memory does not grow with the archive. `--output` follows export's write rules.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peak_trade.core.text import printable
from peak_trade.formats import stream_findings
from peak_trade.live.history import HistoryRow, binding_caps
from peak_trade.live.snapshot import live_audit_snapshot_from_json
from tests.browser import Node, parse
from tests.conftest import CliResult
from tests.formats.conftest import SIGNED_FROM, STEPS
from tests.formats.test_html import PIECES, _file_name, assert_no_markup_from_input, hostile_install

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def entry_rows(page: Node) -> dict[int, Node]:
    return {int(r.attrs["data-seq"]): r for r in page.find_all("tr", "entry")}


def test_less_safe_is_marked_on_exactly_the_rows_diff_judges_less_safe(
    cli: Cli, archive: Path
) -> None:
    result = cli("audit", "history", "--format", "html", "--public-key", "signing.pem.pub")
    assert result.code == 0, result.err
    rows = entry_rows(parse(result.out))
    assert sorted(rows) == list(range(1, len(STEPS) + 1))
    worse = {
        seq
        for seq in range(2, len(STEPS) + 1)
        if cli("audit", "diff", str(seq - 1), str(seq)).code == 1
    }
    assert worse == {seq for seq, (_, _, key) in enumerate(STEPS, start=1) if key}
    for seq, (_, _, key) in enumerate(STEPS, start=1):
        text = rows[seq].words()
        assert ("less safe" in text) is (seq in worse), (seq, text)
        if key is not None:
            marked = rows[seq].find_all("span", "less-safe-mark")[0].words()
            assert key in marked, (key, marked)
        signed = rows[seq].find_all("td")[-1].words()
        assert signed == ("valid" if seq >= SIGNED_FROM else "no")
    # nothing else on the page says "less safe" in a table row
    assert all("less safe" not in r.words() for s, r in rows.items() if s not in worse)


def test_each_row_shows_verdict_mode_and_binding_caps_as_the_snapshots_have_them(
    cli: Cli, archive: Path
) -> None:
    page = parse(cli("audit", "history", "--format", "html").out)
    rows = entry_rows(page)
    snapshots = sorted(archive.glob("live_audit_*.json"))
    assert len(snapshots) == len(rows)
    for seq, path in enumerate(snapshots, start=1):
        snapshot = json.loads(path.read_text())
        cells = [td.words() for td in rows[seq].find_all("td")]
        verdict = "ALLOWED" if snapshot["safety"]["is_live_execution_allowed"] else "BLOCKED"
        assert cells[0] == f"{seq} {snapshot['timestamp_utc']} {snapshot['environment_id']}"
        assert cells[1] == verdict and cells[2] == snapshot["gating"]["effective_mode"]
        currency = snapshot["risk"]["base_currency"]
        for cell, kind in ((cells[3], "per_order"), (cells[4], "total")):
            value = snapshot["risk"]["effective"][kind]
            assert cell == ("not set" if value is None else f"{json.dumps(value)} {currency}")
    assert [c.words() for c in rows[2].find_all("td")][3] == "800.0 EUR"


def test_the_chart_draws_what_binds_and_marks_what_does_not(cli: Cli, archive: Path) -> None:
    """Peak_Trade's testnet session binds a per-order cap and no total one (its total exposure
    cap sees one order at a time): a line for the first, the gap marks for the second."""
    page = parse(cli("audit", "history", "--format", "html").out)
    (chart,) = page.find_all("svg")
    assert chart.attrs["data-entries"] == str(len(STEPS))
    assert chart.attrs["data-entries-per-point"] == "1"  # small: every entry is a step
    series = {p.find_all("title")[0].words(): p.attrs["d"] for p in chart.find_all("path")}
    assert set(series) == {"per-order cap"} and series["per-order cap"].startswith("M")
    assert series["per-order cap"].count("M") == 1  # bound in every entry: one unbroken line
    assert chart.find_all("rect", "s1") and not chart.find_all("rect", "s0")
    assert "Every entry is one step of the chart" in page.by_id("overview").words()
    summary = page.by_id("overview").find_all("p", "summary")[0].words()
    assert summary.startswith(f"{len(STEPS)} entries · 2 less safe")


def test_both_caps_drawn_from_rows_that_bind_them() -> None:
    rows = list(_rows(40))
    page = parse("".join(stream_findings("html", "history", iter(rows))))
    (chart,) = page.find_all("svg")
    paths = {p.find_all("title")[0].words(): p.attrs["d"] for p in chart.find_all("path")}
    assert set(paths) == {"per-order cap", "total cap"}
    assert not chart.find_all("rect", "gap")
    # the total (2500.0, constant) is one flat line above every per-order value (< 97)
    total = paths["total cap"]
    assert total.count("M") == 1 and "V" in total
    assert len(entry_rows(page)) == 40
    less_safe = {s for s, r in entry_rows(page).items() if "less safe" in r.words()}
    assert less_safe == {10, 20, 30, 40}


def test_a_damaged_entry_is_marked_and_history_exits_1(cli: Cli, archive: Path) -> None:
    victim = sorted(archive.glob("live_audit_*.json"))[1]
    victim.write_text(victim.read_text().replace("800.0", "900.0"))
    result = cli("audit", "history", "--format", "html")
    assert result.code == 1
    rows = entry_rows(parse(result.out))
    assert "DAMAGED" in rows[2].words() and "?" in rows[2].find_all("td")[3].words()
    assert all("DAMAGED" not in rows[s].words() for s in rows if s != 2)


# --------------------------------------------------------------------------- --output


def test_output_writes_the_report_and_follows_exports_rules(cli: Cli, archive: Path) -> None:
    printed = cli("audit", "history", "--format", "html").out
    written = cli("audit", "history", "--format", "html", "--output", "history.html")
    assert written.code == 0 and written.out == "" and "wrote history.html" in written.err
    assert Path("history.html").read_text(encoding="utf-8") == printed
    refused = cli("audit", "history", "--output", "history.html")
    assert refused.code == 2 and "refusing to overwrite without --force" in refused.err
    assert Path("history.html").read_text(encoding="utf-8") == printed
    forced = cli("audit", "history", "--format", "json", "--output", "history.html", "--force")
    assert forced.code == 0
    assert json.loads(Path("history.html").read_text()) == json.loads(
        cli("audit", "history", "--format", "json").out
    )
    for inside in ("audit/archive/ledger.jsonl", "audit/archive/history.html"):
        before = sorted(p.name for p in archive.iterdir())
        ledger = (archive / "ledger.jsonl").read_bytes()
        result = cli("audit", "history", "--output", inside, "--force")
        assert result.code == 2 and "inside the archive directory" in result.err
        assert sorted(p.name for p in archive.iterdir()) == before
        assert (archive / "ledger.jsonl").read_bytes() == ledger
    assert cli("audit", "verify").code == 0


def test_a_failed_history_leaves_no_output(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    result = cli("audit", "history", "--archive-dir", str(tmp_path / "none"), "--output", str(out))
    assert result.code == 2 and not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file either
    missing_dir = cli("audit", "history", "--output", str(tmp_path / "no" / "h.html"))
    assert missing_dir.code == 2 and "does not exist" in missing_dir.err


def test_html_is_offered_to_history_only(cli: Cli) -> None:
    for command in (["audit", "check"], ["status"], ["audit", "fleet", "."]):
        result = cli(*command, "--format", "html")
        assert result.code == 2 and "invalid choice: 'html'" in result.err


# --------------------------------------------------------------------------- streamed


def _rows(count: int) -> Iterator[HistoryRow]:
    for seq in range(1, count + 1):
        yield HistoryRow(
            seq=seq,
            timestamp_utc="2026-01-01T00:00:00+00:00",
            environment_id="prod",
            effective_mode="testnet_dry_run",
            live_allowed=False,
            blockers=4,
            drills_passed=7,
            drills_total=7,
            intact=True,
            less_safe=seq % 10 == 0,
            changes=("!effective.per_order 500.0->900.0",) if seq % 10 == 0 else (),
            signed=False,
            less_safe_keys=("risk.effective.per_order",) if seq % 10 == 0 else (),
            binding_caps={"per_order": float(seq % 97), "total": 2500.0},
            base_currency="EUR",
        )


def _peak_bytes(count: int) -> tuple[int, int]:
    """(peak traced memory, largest piece) of streaming a page of `count` rows."""
    tracemalloc.start()
    try:
        largest = 0
        for piece in stream_findings("html", "history", _rows(count)):
            largest = max(largest, len(piece))
        return tracemalloc.get_traced_memory()[1], largest
    finally:
        tracemalloc.stop()


def test_the_page_streams_in_flat_memory() -> None:
    small, small_piece = _peak_bytes(500)
    large, large_piece = _peak_bytes(5_000)
    assert large < small * 1.5 + 200_000, (small, large)  # ten times the rows, not the memory
    assert max(small_piece, large_piece) < 100_000  # pieces of about 32 KiB, never the page


def test_binding_caps_of_each_schema() -> None:
    v1 = live_audit_snapshot_from_json((ASSETS / "golden_snapshot_v1.json").read_bytes())
    v2 = live_audit_snapshot_from_json((ASSETS / "golden_snapshot_v2.json").read_bytes())
    v3 = live_audit_snapshot_from_json((ASSETS / "golden_snapshot.json").read_bytes())
    assert binding_caps(v1) is None  # schema 1 reports no binding caps: unknown
    for snapshot, path in ((v2, "golden_snapshot_v2.json"), (v3, "golden_snapshot.json")):
        effective = json.loads((ASSETS / path).read_text())["risk"]["effective"]
        caps = binding_caps(snapshot)
        assert caps is not None
        assert {k: v for k, v in caps.items() if v != "unlimited"} == {
            k: v for k, v in effective.items() if caps[k] != "unlimited"
        }


def test_hostile_config_strings_stay_text_in_the_timeline(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Key names, venue names and labels, ids and values reach the timeline through its change
    lines, less-safe keys and environment column: as text, never as markup."""
    words = [f"PWN{piece}{i}" for i, piece in enumerate(PIECES[:9])]
    config = hostile_install(tmp_path / "install", words, "c2VjcmV0LXNlY3JldC1zZWNyZXQ")
    archive_dir = tmp_path / "archive"
    assert cli("audit", "archive", "-c", str(config), "--archive-dir", str(archive_dir)).code == 0
    monkeypatch.setenv("PEAK_TRADE_HOSTILE_VAR", "set")  # a credential becomes present
    assert cli("audit", "archive", "-c", str(config), "--archive-dir", str(archive_dir)).code == 0
    result = cli("audit", "history", "--archive-dir", str(archive_dir), "--format", "html")
    assert result.code == 0, result.err
    page = parse(result.out)
    assert_no_markup_from_input(page, "PWN")
    rows = entry_rows(page)
    assert "less safe" in rows[2].words() and "less safe" not in rows[1].words()
    marked = rows[2].find_all("span", "less-safe-mark")[0].text()
    assert printable(f"venues.exchange.{words[3]}") in marked  # a hostile table name, as text
    assert printable(_file_name(words[1])) in rows[1].text()  # the environment id
