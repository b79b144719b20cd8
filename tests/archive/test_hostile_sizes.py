"""A hostile ledger or directory of any size: verify keeps the first problems and counts the
rest, in flat memory, instead of holding one problem per junk line."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

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


def _name(seq: int, ext: str, stamp: int = 0) -> str:
    return f"live_audit_{seq:06d}_2025120{stamp}T120000Z.{ext}"


names_strategy = st.lists(
    st.lists(
        st.one_of(
            st.builds(
                _name,
                st.integers(min_value=1, max_value=8),
                st.sampled_from(["json", "md"]),
                st.integers(min_value=0, max_value=1),
            ),
            st.sampled_from(["other.txt", "live_audit_x.json"]),
        ),
        max_size=3,
        unique=True,
    ),
    max_size=8,
)


@given(
    lines=names_strategy,
    probes=st.lists(
        st.builds(_name, st.integers(1, 9), st.sampled_from(["json", "md"]), st.integers(0, 1)),
        max_size=5,
    ),
)
def test_the_compact_record_of_names_answers_as_a_dict_would(
    lines: list[list[str]], probes: list[str]
) -> None:
    from peak_trade.archive.ledger import seq_of
    from peak_trade.archive.verify import _Recorded

    compact = _Recorded()
    model: dict[str, int] = {}
    for number, names in enumerate(lines, 1):
        for name in names:
            expected = model.get(name)
            assert compact.add(name, seq_of(name), number) == expected, (number, name)
            model.setdefault(name, number)
    for name in [n for names in lines for n in names] + probes:
        assert (name in compact) == (name in model)


def test_verify_memory_does_not_grow_with_the_entries() -> None:
    """The record of which names the ledger holds costs two machine words per entry."""
    import sys

    from peak_trade.archive.verify import _Recorded

    compact = _Recorded()
    for line in range(1, 10_001):
        for ext in ("json", "md"):
            assert compact.add(_name(line, ext), line, line) is None
    assert sys.getsizeof(compact._slots) < 10_000 * 16 * 1.2 + 1024
    assert not compact._other
