"""The archive ledger: every change to a file or the chain is found and placed."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.archive import store
from peak_trade.archive.ledger import LEDGER, LedgerEntry
from peak_trade.archive.signing import (
    generate_keypair,
    load_private_key,
    load_public_key,
    signature_valid,
    signing_for,
)
from peak_trade.archive.store import Signing, append_entry
from peak_trade.archive.verify import verify_archive
from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.errors import ArchiveError
from peak_trade.formats import OutputFormat, render
from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config
from tests.conftest import toml_config

VERSIONS = LiveAuditVersions(peak_trade="t", python="3", git_commit=None)


def add_snapshot(
    archive_dir: Path,
    second: int,
    *,
    gate2: bool = False,
    signing: Signing | None = None,
    recovered: list[str] | None = None,
) -> LedgerEntry:
    loaded = decode_config(toml_config(gate2=gate2, dry_run=True).encode(), origin="c.toml")
    stamp = f"2025-12-07T12:00:{second:02d}+00:00"
    snapshot = audit_loaded_config(loaded, timestamp_utc=stamp, versions=VERSIONS)
    return append_entry(
        str(archive_dir),
        timestamp_utc=stamp,
        environment_id=snapshot.environment_id,
        json_text=render(snapshot, OutputFormat.JSON),
        markdown_text=render(snapshot, OutputFormat.MARKDOWN),
        signing=signing,
        recovered=recovered,
    )


def problems(archive_dir: Path, **kwargs: object) -> list[tuple[str, str]]:
    report = verify_archive(str(archive_dir), **kwargs)  # type: ignore[arg-type]
    return [(p.where, p.message) for p in report.problems]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("archive")
    for second in range(3):
        add_snapshot(directory, second, gate2=second == 1)
    return directory


@pytest.fixture
def arc(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(pristine, copy)
    return copy


def ledger_lines(arc: Path) -> list[bytes]:
    return (arc / LEDGER).read_bytes().splitlines(keepends=True)


def test_pristine_archive_verifies(arc: Path) -> None:
    report = verify_archive(str(arc))
    assert report.ok, report.problems
    assert (report.entries, report.head_seq) == (3, 3)
    entries = [msgspec.json.decode(line, type=LedgerEntry) for line in ledger_lines(arc)]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_entry_sha256 is None
    assert [e.prev_entry_sha256 for e in entries[1:]] == [e.entry_sha256 for e in entries[:-1]]
    assert report.head_entry_sha256 == entries[-1].entry_sha256
    assert sorted(os.listdir(arc)) == sorted(
        [LEDGER, ".lock", *(name for e in entries for name in e.files)]
    )


@settings(max_examples=150)
@given(data=st.data())
def test_every_single_byte_flip_is_found_and_placed(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    arc = tmp_path_factory.mktemp("flip") / "archive"
    shutil.copytree(pristine, arc)
    names = sorted(n for n in os.listdir(arc) if n != ".lock")
    name = data.draw(st.sampled_from(names), label="file")
    raw = bytearray((arc / name).read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1), label="position")
    raw[position] ^= data.draw(st.integers(1, 255), label="xor")
    (arc / name).write_bytes(bytes(raw))

    places = {where for where, _ in problems(arc)}
    if name == LEDGER:
        line = raw[:position].count(b"\n") + 1
        assert any(p.startswith(f"{LEDGER}:{line}") or p == LEDGER for p in places), places
    else:
        assert name in places


def _rewrite(arc: Path, lines: list[bytes]) -> None:
    (arc / LEDGER).write_bytes(b"".join(lines))


def _forged(after: LedgerEntry, seq: int, files: dict[str, str]) -> bytes:
    entry = LedgerEntry(
        seq=seq,
        timestamp_utc="2025-12-07T12:30:00+00:00",
        environment_id="config",
        files=files,
        prev_entry_sha256=after.entry_sha256,
        entry_sha256="",
    )
    return msgspec.structs.replace(entry, entry_sha256=entry.computed_sha256()).line()


def _forged_first(entry: LedgerEntry) -> bytes:
    """The first entry with another environment id and a correct hash of its own."""
    forged = msgspec.structs.replace(entry, environment_id="forged", entry_sha256="")
    return msgspec.structs.replace(forged, entry_sha256=forged.computed_sha256()).line()


def test_deleted_line(arc: Path) -> None:
    lines = ledger_lines(arc)
    _rewrite(arc, [lines[0], lines[2]])
    found = problems(arc)
    assert (f"{LEDGER}:2", "seq 3 where 2 belongs (deleted, inserted or moved)") in found
    assert (f"{LEDGER}:2", "prev_entry_sha256 does not match line 1 (chain broken)") in found
    assert any(message == "file not recorded in the ledger" for _, message in found)


def test_swapped_lines(arc: Path) -> None:
    lines = ledger_lines(arc)
    _rewrite(arc, [lines[0], lines[2], lines[1]])
    wheres = {where for where, _ in problems(arc)}
    assert {f"{LEDGER}:2", f"{LEDGER}:3"} <= wheres


def test_inserted_forged_entry_with_a_correct_hash(arc: Path) -> None:
    lines = ledger_lines(arc)
    first = msgspec.json.decode(lines[0], type=LedgerEntry)
    forged = _forged(first, 2, {})
    _rewrite(arc, [lines[0], forged, *lines[1:]])
    found = problems(arc)
    assert not [
        w for w, m in found if w == f"{LEDGER}:2" and "entry_sha256" in m
    ]  # hash looks right
    assert (f"{LEDGER}:3", "seq 2 where 3 belongs (deleted, inserted or moved)") in found
    assert (f"{LEDGER}:3", "prev_entry_sha256 does not match line 2 (chain broken)") in found


def test_removed_file_and_extra_file(arc: Path) -> None:
    first = msgspec.json.decode(ledger_lines(arc)[0], type=LedgerEntry)
    victim = sorted(first.files)[0]
    (arc / victim).unlink()
    (arc / "notes.txt").write_text("added later")
    found = problems(arc)
    assert (victim, f"missing (recorded by {LEDGER}:1)") in found
    assert ("notes.txt", "file not recorded in the ledger") in found


def test_whitespace_change_is_a_change(arc: Path) -> None:
    lines = ledger_lines(arc)
    spaced = lines[1].replace(b'":', b'": ', 1)
    assert spaced != lines[1]
    lines[1] = spaced
    _rewrite(arc, lines)
    assert (f"{LEDGER}:2", "line is not in canonical form (edited?)") in problems(arc)


INTERRUPTED = (
    "file not recorded in the ledger (left by an interrupted archive run? the next archive"
    " rolls it back)"
)
NOT_NAMED = (
    "file not recorded in the ledger (numbered after the newest entry, and no interrupted"
    " archive run names it: the next archive leaves it alone)"
)


def test_a_torn_last_line_is_reported_then_rolled_back_by_the_next_archive(arc: Path) -> None:
    committed = ledger_lines(arc)[:2]
    data = (arc / LEDGER).read_bytes()
    (arc / LEDGER).write_bytes(data[:-40])  # a full disk tore the third line
    found = problems(arc)
    assert (
        f"{LEDGER}:3",
        "last line is incomplete (an interrupted run? the next archive rolls it back)",
    ) in found
    recovered: list[str] = []
    entry = add_snapshot(arc, 10, recovered=recovered)
    assert entry.seq == 3  # the torn entry was never committed: its number is free again
    torn_bytes = len(data) - 40 - len(b"".join(committed))
    assert recovered[0] == f"rolled back a torn last ledger line ({torn_bytes} bytes)"
    assert len(recovered) == 3  # and its two snapshot files
    assert ledger_lines(arc)[:2] == committed
    assert problems(arc) == []


def test_truncation_is_only_visible_against_a_recorded_head(arc: Path) -> None:
    head = verify_archive(str(arc))
    lines = ledger_lines(arc)
    last = msgspec.json.decode(lines[-1], type=LedgerEntry)
    _rewrite(arc, lines[:-1])
    for name in last.files:
        (arc / name).unlink()
    assert problems(arc) == []  # a shorter chain is a valid chain
    assert head.head_seq is not None and head.head_entry_sha256 is not None
    expected = (head.head_seq, head.head_entry_sha256)
    assert problems(arc, expected_head=expected) == [
        (LEDGER, f"expected head 3:{head.head_entry_sha256} is not in the chain (truncated?)")
    ]


def test_empty_and_missing_ledger(tmp_path: Path) -> None:
    (tmp_path / LEDGER).write_bytes(b"")  # truncated to nothing: a finding
    assert problems(tmp_path) == [(LEDGER, "ledger has no entries")]
    (tmp_path / LEDGER).unlink()
    # nothing archived at all: bad input, the same answer history and diff give
    with pytest.raises(ArchiveError, match="no ledger"):
        verify_archive(str(tmp_path))
    (tmp_path / "live_audit_000001_20251207T120000Z.json").write_text("{}")
    assert problems(tmp_path) == [
        (LEDGER, "ledger is missing"),
        # no interrupted run names it (no recovery marker): the next archive leaves it alone
        ("live_audit_000001_20251207T120000Z.json", NOT_NAMED),
    ]
    with pytest.raises(ArchiveError, match="does not exist"):
        verify_archive(str(tmp_path / "nope"))


def test_path_traversal_in_a_forged_entry_is_rejected(arc: Path) -> None:
    lines = ledger_lines(arc)
    last = msgspec.json.decode(lines[-1], type=LedgerEntry)
    _rewrite(arc, [*lines, _forged(last, 4, {"../../etc/passwd": "0" * 64})])
    assert (
        f"{LEDGER}:4",
        "records '../../etc/passwd', which is not an archive file name",
    ) in problems(arc)


def test_crash_between_files_and_ledger(arc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(path: str, line: bytes) -> None:
        raise KeyboardInterrupt  # the process dies before the ledger line is written

    monkeypatch.setattr(store, "_append_line", killed)
    with pytest.raises(KeyboardInterrupt):
        add_snapshot(arc, 20)
    monkeypatch.undo()
    orphans = sorted(n for n in os.listdir(arc) if n.startswith("live_audit_000004"))
    assert len(orphans) == 2
    assert problems(arc) == [(name, INTERRUPTED) for name in orphans]
    entry = add_snapshot(arc, 21)  # the next archive rolls them back and takes seq 4
    assert entry.seq == 4
    assert problems(arc) == []
    assert not set(orphans) & set(os.listdir(arc))


def _archive_many(directory: str, worker: int) -> None:
    for i in range(5):
        add_snapshot(Path(directory), worker * 10 + i)


def test_concurrent_archive_runs_do_not_corrupt_the_ledger(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_archive_many, args=(str(tmp_path), w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    report = verify_archive(str(tmp_path))
    assert report.ok, report.problems
    assert report.entries == 20


class TestSignatures:
    @pytest.fixture
    def keys(self, tmp_path: Path) -> tuple[str, str]:
        return generate_keypair(str(tmp_path / "key.pem"))

    def test_signed_archive_verifies_with_the_right_key_only(
        self, tmp_path: Path, keys: tuple[str, str]
    ) -> None:
        private = load_private_key(keys[0])
        arc = tmp_path / "arc"
        arc.mkdir()
        for second in range(2):
            add_snapshot(arc, second, signing=signing_for(private))
        right = load_public_key(keys[1])
        assert problems(arc, signature_check=lambda d, s: signature_valid(right, d, s)) == []
        other_private, other_public = generate_keypair(str(tmp_path / "other.pem"))
        wrong = load_public_key(other_public)
        found = problems(arc, signature_check=lambda d, s: signature_valid(wrong, d, s))
        assert found == [
            (f"{LEDGER}:1", "signature does not verify with the public key"),
            (f"{LEDGER}:2", "signature does not verify with the public key"),
        ]
        # a forged entry appended with a correct hash: invisible without the key, caught with it
        lines = ledger_lines(arc)
        last = msgspec.json.decode(lines[-1], type=LedgerEntry)
        _rewrite(arc, [*lines, _forged(last, 3, {})])
        assert problems(arc) == []
        assert problems(arc, signature_check=lambda d, s: signature_valid(right, d, s)) == [
            (
                f"{LEDGER}:3",
                "entry is not signed, though signing started at seq 1 (archive never appends"
                " an unsigned entry to a signed chain)",
            )
        ]

    def test_signing_may_start_later_the_first_signature_covers_the_entries_before_it(
        self, tmp_path: Path, keys: tuple[str, str]
    ) -> None:
        """Entry N's signature signs its entry_sha256, which commits to prev_entry_sha256 and so
        to every entry before it: an unsigned prefix is authenticated through the chain."""
        private = load_private_key(keys[0])
        public = load_public_key(keys[1])
        check = {"signature_check": lambda d, s: signature_valid(public, d, s)}
        arc = tmp_path / "arc"
        arc.mkdir()
        add_snapshot(arc, 0)
        add_snapshot(arc, 1)
        assert problems(arc, **check) == [
            (
                f"{LEDGER}:1-2",
                "entry is not signed, and no signed entry follows to cover it (sign the next"
                " archive run: --sign-key)",
            )
        ]
        add_snapshot(arc, 2, signing=signing_for(private))
        assert problems(arc, **check) == []
        assert verify_archive(str(arc), **check).signing_started_seq == 3  # type: ignore[arg-type]
        # the unsigned prefix cannot be changed unseen: the signed entry's chain link breaks
        lines = ledger_lines(arc)
        first = msgspec.json.decode(lines[0], type=LedgerEntry)
        _rewrite(arc, [_forged_first(first), *lines[1:]])
        assert (f"{LEDGER}:2", "prev_entry_sha256 does not match line 1 (chain broken)") in (
            problems(arc, **check)
        )

    def test_a_signed_chain_stays_signed_by_the_same_key(
        self, tmp_path: Path, keys: tuple[str, str]
    ) -> None:
        private = load_private_key(keys[0])
        arc = tmp_path / "arc"
        arc.mkdir()
        add_snapshot(arc, 0, signing=signing_for(private))
        with pytest.raises(ArchiveError, match=r"the chain is signed \(entry 1\); refusing"):
            add_snapshot(arc, 1)
        other = load_private_key(generate_keypair(str(tmp_path / "other.pem"))[0])
        with pytest.raises(ArchiveError, match="entry 1 is signed by another key"):
            add_snapshot(arc, 1, signing=signing_for(other))
        assert add_snapshot(arc, 1, signing=signing_for(private)).seq == 2
        assert len(ledger_lines(arc)) == 2  # the refused runs added nothing
        assert problems(arc) == []

    def test_signature_hex_must_be_canonical(self, tmp_path: Path, keys: tuple[str, str]) -> None:
        private = load_private_key(keys[0])
        arc = tmp_path / "arc"
        arc.mkdir()
        add_snapshot(arc, 0, signing=signing_for(private))
        entry = msgspec.json.decode(ledger_lines(arc)[0], type=LedgerEntry)
        assert entry.signature is not None
        upper = msgspec.structs.replace(entry, signature=entry.signature.upper())
        _rewrite(arc, [upper.line()])
        right = load_public_key(keys[1])
        assert (f"{LEDGER}:1", "signature is not canonical (128 lower-case hex digits)") in (
            problems(arc, signature_check=lambda d, s: signature_valid(right, d, s))
        )
        assert (f"{LEDGER}:1", "signature is not canonical (128 lower-case hex digits)") in (
            problems(arc)
        )

    def test_modified_signed_entry_fails(self, tmp_path: Path, keys: tuple[str, str]) -> None:
        private = load_private_key(keys[0])
        arc = tmp_path / "arc"
        arc.mkdir()
        add_snapshot(arc, 0, signing=signing_for(private))
        entry = msgspec.json.decode(ledger_lines(arc)[0], type=LedgerEntry)
        changed = msgspec.structs.replace(entry, environment_id="forged")
        changed = msgspec.structs.replace(changed, entry_sha256=changed.computed_sha256())
        _rewrite(arc, [changed.line()])
        right = load_public_key(keys[1])
        assert (f"{LEDGER}:1", "signature does not verify with the public key") in problems(
            arc, signature_check=lambda d, s: signature_valid(right, d, s)
        )

    def test_private_key_is_private(self, keys: tuple[str, str]) -> None:
        assert os.stat(keys[0]).st_mode & 0o777 == 0o600
        assert b"PRIVATE KEY" in Path(keys[0]).read_bytes()
        assert b"PUBLIC KEY" in Path(keys[1]).read_bytes()


class TestReadingForHistoryAndDiff:
    def test_history_marks_damaged_rows_and_names_changes(self, arc: Path) -> None:
        from peak_trade.live.history import load_history

        rows = load_history(str(arc))
        assert [r.seq for r in rows] == [1, 2, 3]
        assert [r.intact for r in rows] == [True, True, True]
        assert rows[0].changes == ("first snapshot",)
        assert rows[1].less_safe and "!live_mode_armed false->true" in rows[1].changes
        assert not rows[2].less_safe and "live_mode_armed true->false" in rows[2].changes
        entry = msgspec.json.decode(ledger_lines(arc)[1], type=LedgerEntry)
        json_name = next(n for n in entry.files if n.endswith(".json"))
        (arc / json_name).write_text((arc / json_name).read_text().replace("live", "LIVE", 1))
        damaged = load_history(str(arc))
        assert [r.intact for r in damaged] == [True, False, True]
        assert damaged[1].effective_mode is None  # a changed file is not trusted

    def test_refs(self, arc: Path) -> None:
        from peak_trade.archive.refs import resolve_ref
        from peak_trade.errors import TamperError

        assert resolve_ref("not-a-ref.json", str(arc)) is None
        path, entry = resolve_ref("latest", str(arc))  # type: ignore[misc]
        assert entry.seq == 3 and path.endswith(".json")
        assert resolve_ref("latest~2", str(arc))[1].seq == 1  # type: ignore[index]
        assert resolve_ref("2", str(arc))[1].seq == 2  # type: ignore[index]
        with pytest.raises(ArchiveError, match="no archived snapshot with that sequence number"):
            resolve_ref("7", str(arc))
        Path(path).unlink()
        with pytest.raises(TamperError, match="is missing"):
            resolve_ref("latest", str(arc))

    def test_garbage_ledger_line_is_an_archive_error_for_readers(self, arc: Path) -> None:
        from peak_trade.archive.refs import read_ledger

        _rewrite(arc, [*ledger_lines(arc)[:2], b"{not json}\n"])
        with pytest.raises(ArchiveError, match=r"ledger.jsonl:3: not a ledger entry"):
            read_ledger(str(arc))
        with pytest.raises(ArchiveError, match="last line is not a ledger entry"):
            add_snapshot(arc, 30)
        (arc / LEDGER).unlink()
        with pytest.raises(ArchiveError, match="no ledger"):
            read_ledger(str(arc))

    def test_long_ledger_tail_is_found(self, tmp_path: Path) -> None:
        # entries longer than the first tail chunk still resolve to the last line
        from peak_trade.archive.store import last_entry

        entry = LedgerEntry(
            seq=1,
            timestamp_utc="t",
            environment_id="x" * 40_000,
            files={},
            prev_entry_sha256=None,
            entry_sha256="",
        )
        (tmp_path / LEDGER).write_bytes(entry.line() + entry.line())
        found = last_entry(str(tmp_path))
        assert found is not None and found.environment_id == "x" * 40_000


def test_only_newline_ends_a_ledger_line() -> None:
    from peak_trade.archive.ledger import split_lines

    assert split_lines(b"") == []
    assert split_lines(b"a\n") == [b"a\n"]
    assert split_lines(b"a\rb\nc") == [b"a\rb\n", b"c"]
    assert split_lines(b"a\n\n") == [b"a\n", b"\n"]


@given(
    seq=st.integers(min_value=1, max_value=2**53 - 1),
    environment_id=st.text(max_size=30),
    files=st.dictionaries(st.text(max_size=20), st.text(max_size=20), max_size=3),
    signed=st.booleans(),
    adopted=st.booleans(),
)
def test_one_canonicalisation_gives_both_the_line_and_the_body(
    seq: int, environment_id: str, files: dict[str, str], signed: bool, adopted: bool
) -> None:
    from peak_trade.archive.ledger import body_bytes_of_canonical_line, canonical

    entry = LedgerEntry(
        seq=seq,
        timestamp_utc='2025-12-07T12:00:00+00:00"',
        environment_id=environment_id,
        files=files,
        prev_entry_sha256=None,
        entry_sha256="a" * 64,
        signature="b" * 128 if signed else None,
        adopted=True if adopted else None,
    )
    assert body_bytes_of_canonical_line(entry.line(), entry) == canonical(entry.body())
