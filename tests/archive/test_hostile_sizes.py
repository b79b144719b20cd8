"""A hostile ledger or directory of any size: verify keeps the first problems and counts the
rest, in flat memory, instead of holding one problem per junk line."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from peak_trade.archive.ledger import LEDGER
from peak_trade.archive.verify import MAX_PROBLEMS, verify_archive
from peak_trade.views.governance import render_verify, verify_json
from tests.live.test_archive import add_snapshot


def test_many_junk_lines_keep_the_first_problems_and_a_count(tmp_path: Path) -> None:
    add_snapshot(tmp_path, 0)
    junk = 5_000
    with open(tmp_path / LEDGER, "ab") as ledger:
        ledger.write(b"junk\n" * junk)
    report = verify_archive(str(tmp_path))
    assert not report.ok
    assert len(report.problems) == MAX_PROBLEMS
    assert report.problems[0].where == f"{LEDGER}:2"  # the first ones, in order
    assert len(report.problems) + report.problems_not_shown == junk
    text = render_verify(report)
    assert text.splitlines()[0] == f"TAMPERED: {junk} problem(s) in {tmp_path}"
    assert f"  ... and {junk - MAX_PROBLEMS} more" in text
    assert text.count("\n") < MAX_PROBLEMS + 10
    assert f'"problems_not_shown": {junk - MAX_PROBLEMS}' in verify_json(report)


def _peak_bytes(tmp_path: Path, lines: int) -> int:
    (tmp_path / LEDGER).write_bytes(b"x\n" * lines)
    tracemalloc.start()
    try:
        report = verify_archive(str(tmp_path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.problems_not_shown == lines - MAX_PROBLEMS
    return peak


def test_memory_does_not_grow_with_the_junk(tmp_path: Path) -> None:
    small = _peak_bytes(tmp_path, 2_000)
    large = _peak_bytes(tmp_path, 100_000)
    assert large < small + 256 * 1024, (small, large)


def test_many_unrecorded_files_show_the_first_names_and_a_count(tmp_path: Path) -> None:
    add_snapshot(tmp_path, 0)
    names = [f"stray-{i:04d}.txt" for i in range(MAX_PROBLEMS + 50)]
    for name in names:
        (tmp_path / name).write_text("x")
    report = verify_archive(str(tmp_path))
    assert [p.where for p in report.problems] == names[:MAX_PROBLEMS]
    assert report.problems_not_shown == 50
