"""Recovery before an append: what is committed stays, only a crash's leftovers go, and finding
them never lists the archive directory (the cost of an append does not grow with it)."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest

from peak_trade.archive.ledger import LEDGER, PENDING, LedgerEntry, temp_name
from peak_trade.archive.signing import (
    generate_keypair,
    load_private_key,
    load_public_key,
    signature_valid,
    signing_for,
)
from peak_trade.archive.store import Signing
from peak_trade.archive.verify import verify_archive
from peak_trade.errors import ArchiveError
from tests.live.test_archive import add_snapshot


def _problems(arc: Path, signing_pub: str | None = None) -> list[tuple[str, str]]:
    check = None
    if signing_pub is not None:
        public = load_public_key(signing_pub)

        def check(digest: str, signature: str) -> bool:
            return signature_valid(public, digest, signature)

    report = verify_archive(str(arc), signature_check=check)
    return [(p.where, p.message) for p in report.problems]


def _entries(arc: Path) -> list[LedgerEntry]:
    return [
        msgspec.json.decode(line, type=LedgerEntry)
        for line in (arc / LEDGER).read_bytes().splitlines()
    ]


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, str]:
    return generate_keypair(str(tmp_path / "key.pem"))


@pytest.fixture
def signed_arc(tmp_path: Path, keys: tuple[str, str]) -> tuple[Path, Signing]:
    arc = tmp_path / "arc"
    arc.mkdir()
    signing = signing_for(load_private_key(keys[0]))
    for second in range(2):
        add_snapshot(arc, second, signing=signing)
    return arc, signing


def _strip_final_newline(arc: Path) -> bytes:
    data = (arc / LEDGER).read_bytes()
    assert data.endswith(b"\n")
    (arc / LEDGER).write_bytes(data[:-1])
    return data


class TestACompleteLastLineIsCommitted:
    def test_signed_entry_without_its_newline_is_kept_with_its_files(
        self, signed_arc: tuple[Path, Signing], keys: tuple[str, str]
    ) -> None:
        arc, signing = signed_arc
        original = _strip_final_newline(arc)
        kept = _entries(arc)[-1]
        found = _problems(arc, keys[1])
        assert [w for w, m in found if m.startswith("last line is incomplete")] == [f"{LEDGER}:2"]
        recovered: list[str] = []
        entry = add_snapshot(arc, 10, signing=signing, recovered=recovered)
        assert entry.seq == 3  # the seq of the complete entry is not reused
        assert (arc / LEDGER).read_bytes().startswith(original)  # byte for byte, newline back
        assert all((arc / name).is_file() for name in kept.files)
        assert entry.prev_entry_sha256 == kept.entry_sha256
        assert not any("removed" in line or "rolled back" in line for line in recovered)
        assert len(recovered) == 1 and "newline" in recovered[0]
        assert _problems(arc, keys[1]) == []

    def test_unsigned_entry_without_its_newline_is_kept(self, tmp_path: Path) -> None:
        for second in range(3):
            add_snapshot(tmp_path, second)
        original = _strip_final_newline(tmp_path)
        kept = _entries(tmp_path)[-1]
        entry = add_snapshot(tmp_path, 10)
        assert entry.seq == 4
        assert (tmp_path / LEDGER).read_bytes().startswith(original)
        assert all((tmp_path / name).is_file() for name in kept.files)
        assert _problems(tmp_path) == []

    def test_a_lone_first_entry_without_its_newline_is_kept(self, tmp_path: Path) -> None:
        add_snapshot(tmp_path, 0)
        _strip_final_newline(tmp_path)
        assert add_snapshot(tmp_path, 1).seq == 2
        assert _problems(tmp_path) == []


class TestAParsableLastLineThatDoesNotVerifyIsNeverTouched:
    def _before(self, arc: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in arc.iterdir()}

    def test_wrong_hash(self, tmp_path: Path) -> None:
        for second in range(2):
            add_snapshot(tmp_path, second)
        lines = (tmp_path / LEDGER).read_bytes().splitlines(keepends=True)
        last = msgspec.json.decode(lines[-1], type=LedgerEntry)
        changed = msgspec.structs.replace(last, environment_id="forged").line()
        (tmp_path / LEDGER).write_bytes(b"".join(lines[:-1]) + changed[:-1])
        before = self._before(tmp_path)
        with pytest.raises(ArchiveError, match="does not verify"):
            add_snapshot(tmp_path, 10)
        assert self._before(tmp_path) == before

    def test_signed_by_a_key_not_given_or_another_key(
        self, signed_arc: tuple[Path, Signing], tmp_path: Path
    ) -> None:
        arc, _ = signed_arc
        _strip_final_newline(arc)
        before = self._before(arc)
        with pytest.raises(ArchiveError, match="does not verify"):
            add_snapshot(arc, 10)
        other = signing_for(load_private_key(generate_keypair(str(tmp_path / "o.pem"))[0]))
        with pytest.raises(ArchiveError, match="does not verify"):
            add_snapshot(arc, 10, signing=other)
        assert self._before(arc) == before

    def test_not_linked_to_the_line_before(self, tmp_path: Path) -> None:
        for second in range(3):
            add_snapshot(tmp_path, second)
        lines = (tmp_path / LEDGER).read_bytes().splitlines(keepends=True)
        (tmp_path / LEDGER).write_bytes(lines[0] + lines[2][:-1])  # line 2 deleted
        before = self._before(tmp_path)
        with pytest.raises(ArchiveError, match="does not verify"):
            add_snapshot(tmp_path, 10)
        assert self._before(tmp_path) == before


def test_recovery_never_lists_the_archive_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for second in range(3):
        add_snapshot(tmp_path, second)

    def no_listing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an append listed the archive directory")

    monkeypatch.setattr(os, "listdir", no_listing)
    monkeypatch.setattr(os, "scandir", no_listing)
    assert add_snapshot(tmp_path, 10).seq == 4
    monkeypatch.undo()
    assert _problems(tmp_path) == []


def test_a_marker_left_after_the_commit_never_removes_committed_files(tmp_path: Path) -> None:
    """Killed between the ledger line and removing the marker: the entry is committed."""
    for second in range(2):
        add_snapshot(tmp_path, second)
    last = _entries(tmp_path)[-1]
    marker = {"seq": last.seq, "files": sorted(last.files)}
    (tmp_path / PENDING).write_bytes(msgspec.json.encode(marker))
    assert add_snapshot(tmp_path, 10).seq == 3
    assert all((tmp_path / name).is_file() for name in last.files)
    assert not (tmp_path / PENDING).exists()
    assert _problems(tmp_path) == []


def test_a_crash_while_writing_a_snapshot_file_leaves_only_what_the_marker_names(
    tmp_path: Path,
) -> None:
    for second in range(2):
        add_snapshot(tmp_path, second)
    names = ["live_audit_000003_20251207T120009Z.json", "live_audit_000003_20251207T120009Z.md"]
    (tmp_path / PENDING).write_bytes(msgspec.json.encode({"seq": 3, "files": names}))
    (tmp_path / names[0]).write_text("{}")  # the first file was linked in place
    (tmp_path / temp_name(names[1])).write_text("half")  # the second was being written
    recovered: list[str] = []
    assert add_snapshot(tmp_path, 10, recovered=recovered).seq == 3
    assert not (tmp_path / names[0]).exists() and not (tmp_path / temp_name(names[1])).exists()
    assert len(recovered) == 2
    assert _problems(tmp_path) == []


def test_a_torn_marker_means_no_file_was_written_yet(tmp_path: Path) -> None:
    add_snapshot(tmp_path, 0)
    (tmp_path / PENDING).write_bytes(b'{"seq":2,"files":["live_audit_0000')
    assert add_snapshot(tmp_path, 1).seq == 2
    assert not (tmp_path / PENDING).exists()
    assert _problems(tmp_path) == []


def test_a_file_no_interrupted_run_names_is_left_for_verify(tmp_path: Path) -> None:
    add_snapshot(tmp_path, 0)
    stray = "live_audit_000002_20251207T120009Z.json"
    (tmp_path / stray).write_text("{}")  # e.g. the files of a truncated newest entry
    add_snapshot(tmp_path, 1)
    assert (tmp_path / stray).read_text() == "{}"
    assert [w for w, _ in _problems(tmp_path)] == [stray]


def test_cli_archive_restores_the_newline_and_says_so(
    cli: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from tests.conftest import EXAMPLE_CONFIG

    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE_CONFIG, tmp_path / "c.toml")
    run = cli  # the in-process CLI fixture
    for _ in range(2):
        assert run("audit", "archive", "--config", "c.toml").code == 0  # type: ignore[operator]
    arc = tmp_path / "audit" / "archive"
    original = _strip_final_newline(arc)
    verify = run("audit", "verify")  # type: ignore[operator]
    assert verify.code == 1 and "last line is incomplete" in verify.out
    again = run("audit", "archive", "--config", "c.toml")  # type: ignore[operator]
    assert again.code == 0, again
    assert "recovered: restored the newline" in again.out
    assert "archived seq 3" in again.out
    assert (arc / LEDGER).read_bytes().startswith(original)
    assert run("audit", "verify").code == 0  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["symlink", "directory"])
def test_a_marker_that_is_not_a_regular_file_stops_archive_and_verify_says_so(
    tmp_path: Path, kind: str
) -> None:
    add_snapshot(tmp_path, 0)
    outside = tmp_path.parent / f"outside-{kind}"
    outside.write_bytes(b'{"seq":1,"files":[]}')
    if kind == "symlink":
        (tmp_path / PENDING).symlink_to(outside)
    else:
        (tmp_path / PENDING).mkdir()
    with pytest.raises(ArchiveError, match="refusing to use it as the recovery marker"):
        add_snapshot(tmp_path, 1)
    assert outside.read_bytes() == b'{"seq":1,"files":[]}'
    assert [w for w, _ in _problems(tmp_path)] == [PENDING]
