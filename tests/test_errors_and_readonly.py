"""The exception hierarchy, the read-only guard and atomic outputs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from peak_trade import errors
from peak_trade.errors import OutputError, ReadOnlyViolation
from peak_trade.outputs import check_outputs, write_atomic
from peak_trade.readonly import ReadOnlyGuard


def test_exception_hierarchy_is_pinned() -> None:
    assert issubclass(errors.PeakTradeError, Exception)
    for name in (
        "UsageError",
        "ConfigError",
        "OutputError",
        "ArchiveError",
        "Finding",
        "ReadOnlyViolation",
    ):
        assert getattr(errors, name).__mro__[1] is errors.PeakTradeError, name
    assert errors.TamperError.__mro__[1] is errors.Finding


class TestReadOnlyGuard:
    def test_declared_output_and_its_temp_file_are_allowed(self, tmp_path: Path) -> None:
        target = tmp_path / "out.json"
        with ReadOnlyGuard(outputs=[str(target)]):
            write_atomic(str(target), b"{}", force=False)
        assert target.read_bytes() == b"{}"
        assert os.listdir(tmp_path) == ["out.json"]

    @pytest.mark.parametrize(
        "action",
        [
            lambda d: open(d / "other.txt", "w").close(),  # noqa: SIM115
            lambda d: open(d / "other.txt", "a").close(),  # noqa: SIM115
            lambda d: os.open(d / "other.txt", os.O_WRONLY | os.O_CREAT),
            lambda d: (d / "x").mkdir(),
            lambda d: os.remove(d / "keep.txt"),
            lambda d: os.rename(d / "keep.txt", d / "moved.txt"),
            lambda d: os.replace(d / "keep.txt", d / "out.json"),
            lambda d: os.chmod(d / "keep.txt", 0o600),
            lambda d: socket.socket(),
            lambda d: subprocess.run(["true"], check=False),
            lambda d: os.system("true"),  # noqa: S605, S607
        ],
    )
    def test_everything_else_is_a_violation(self, tmp_path: Path, action: object) -> None:
        (tmp_path / "keep.txt").write_text("keep")
        with pytest.raises(ReadOnlyViolation), ReadOnlyGuard(outputs=[str(tmp_path / "out.json")]):
            action(tmp_path)  # type: ignore[operator]
        assert sorted(os.listdir(tmp_path)) == ["keep.txt"]
        assert (tmp_path / "keep.txt").read_text() == "keep"

    def test_reading_is_fine_and_guard_switches_off(self, tmp_path: Path) -> None:
        (tmp_path / "keep.txt").write_text("keep")
        with ReadOnlyGuard():
            assert (tmp_path / "keep.txt").read_text() == "keep"
            assert sys.dont_write_bytecode is True
        (tmp_path / "after.txt").write_text("fine again")


class TestOutputs:
    def test_no_clobber_without_force_even_if_created_meanwhile(self, tmp_path: Path) -> None:
        target = tmp_path / "a.json"
        check_outputs([str(target)], force=False)
        target.write_text("someone else")  # appears between the check and the write
        with pytest.raises(OutputError, match="exists; refusing to overwrite"):
            write_atomic(str(target), b"new", force=False)
        assert target.read_text() == "someone else"
        assert os.listdir(tmp_path) == ["a.json"]

    def test_force_replaces_atomically(self, tmp_path: Path) -> None:
        target = tmp_path / "a.json"
        target.write_text("old")
        write_atomic(str(target), b"new", force=True)
        assert target.read_text() == "new"
        assert os.listdir(tmp_path) == ["a.json"]

    def test_symlinked_duplicate_is_caught(self, tmp_path: Path) -> None:
        (tmp_path / "real").mkdir()
        (tmp_path / "link").symlink_to(tmp_path / "real")
        with pytest.raises(OutputError, match="named twice"):
            check_outputs([str(tmp_path / "real" / "a"), str(tmp_path / "link" / "a")], force=False)
