"""history and diff on damaged or hostile input: absurd references are bad input (exit 2, one
line), an unreadable snapshot is a DAMAGED row (never exit 3) and "unreadable" (never "missing"),
and a signature is only called valid when it was checked with a public key."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from peak_trade.archive.ledger import LEDGER, LedgerEntry
from peak_trade.archive.signing import (
    generate_keypair,
    load_private_key,
    load_public_key,
    signature_valid,
    signing_for,
)
from peak_trade.live.history import load_history
from tests.conftest import EXAMPLE_CONFIG, CliResult
from tests.live.test_archive import add_snapshot

Cli = Callable[..., CliResult]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(EXAMPLE_CONFIG, tmp_path / "c.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _archive(cli: Cli, times: int = 2) -> Path:
    for _ in range(times):
        assert cli("audit", "archive", "--config", "c.toml").code == 0
    return Path("audit/archive").resolve()


@pytest.mark.parametrize(
    "ref",
    [
        "latest~9223372036854775808",
        "latest~18446744073709551616",
        "latest~" + "9" * 5000,  # int() refuses this many digits
        "9" * 5000,
        "latest~100",  # beyond the window kept while streaming: counted first
        "9007199254740992",
        "latest~0" + "0" * 4999 + "9",
    ],
)
def test_absurd_references_are_bad_input(cli: Cli, workdir: Path, ref: str) -> None:
    _archive(cli)
    result = cli("audit", "diff", ref, "latest")
    assert result.code == 2, result
    assert result.err.startswith("peak-trade: ") and result.err.count("\n") == 1


def test_non_ascii_digits_are_not_a_reference(cli: Cli, workdir: Path) -> None:
    _archive(cli)
    result = cli("audit", "diff", "latest~\u0661", "latest")  # ARABIC-INDIC DIGIT ONE
    assert result.code == 2
    assert "no such snapshot file or archive reference" in result.err


def test_far_back_reference_in_a_long_archive(tmp_path: Path) -> None:
    from peak_trade.archive.refs import resolve_ref

    for second in range(70):
        add_snapshot(tmp_path, second % 60)
    found = resolve_ref("latest~68", str(tmp_path))
    assert found is not None and found[1].seq == 2


def _json_of(arc: Path, seq: int) -> Path:
    line = (arc / LEDGER).read_bytes().splitlines()[seq - 1]
    entry = msgspec.json.decode(line, type=LedgerEntry)
    return arc / next(n for n in entry.files if n.endswith(".json"))


def test_history_marks_an_unreadable_snapshot_damaged(
    cli: Cli, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (works as root too): reading that one file fails with EACCES."""
    import peak_trade.archive.verify as verify_module

    arc = _archive(cli, 3)
    victim = _json_of(arc, 2).name
    real_open = os.open

    def denying_open(path: str, flags: int, *args: int, **kwargs: int | None) -> int:
        if os.path.basename(path) == victim:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(verify_module.os, "open", denying_open)
    result = cli("audit", "history", "--archive-dir", str(arc))
    assert result.code == 1, result  # a damaged row, not an internal error
    rows = result.out.splitlines()
    assert rows[3].split()[0] == "2" and rows[4].startswith("    [DAMAGED: run verify]")
    assert "[DAMAGED" not in rows[2] + rows[6]
    diff = cli("audit", "diff", "latest~1", "latest", "--archive-dir", str(arc))
    assert diff.code == 1
    assert "unreadable (Permission denied)" in diff.err and "missing" not in diff.err


def test_history_marks_a_directory_in_place_of_a_snapshot_damaged(cli: Cli, workdir: Path) -> None:
    arc = _archive(cli, 2)
    victim = _json_of(arc, 1)
    victim.unlink()
    victim.mkdir()
    result = cli("audit", "history")
    assert result.code == 1, result
    assert result.out.splitlines()[2].startswith("    [DAMAGED: run verify]")
    diff = cli("audit", "diff", "latest~1", "latest")
    assert "unreadable" in diff.err and "missing" not in diff.err


def _history_as_nobody(arc: Path) -> tuple[int, str]:
    """Run `audit history` in a child that dropped root for nobody (fork, chdir, setuid)."""
    import pwd

    from peak_trade.cli import main

    nobody = pwd.getpwnam("nobody")
    main(["audit", "history", "--archive-dir", str(arc)])  # every lazy import, done as root
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            os.chdir(arc)  # the path above it need not be searchable by nobody
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.close(read_end)
            sys.stdout = os.fdopen(write_end, "w")
            code = main(["audit", "history", "--archive-dir", "."])
            sys.stdout.flush()
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as out:
        text = out.read()
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), text


def test_history_with_a_chmod_000_snapshot(cli: Cli, workdir: Path) -> None:
    """The real permission: as an ordinary user directly; as root, in a child run as nobody."""
    arc = _archive(cli, 2)
    victim = _json_of(arc, 2)
    victim.chmod(0o000)
    try:
        if os.geteuid() == 0:
            try:
                import pwd

                pwd.getpwnam("nobody")
            except (ImportError, KeyError):
                pytest.skip("running as root and there is no nobody user to drop to")
            arc.chmod(0o755)
            code, out = _history_as_nobody(arc)
        else:
            result = cli("audit", "history")
            code, out = result.code, result.out
    finally:
        victim.chmod(0o644)
    assert code == 1, out
    assert out.splitlines()[4].startswith("    [DAMAGED: run verify]")


class TestSignatures:
    @pytest.fixture
    def foreign(self, tmp_path: Path) -> tuple[Path, str, str]:
        """An archive signed by a key nobody told history about, and a second key's public."""
        theirs = generate_keypair(str(tmp_path / "theirs.pem"))
        ours = generate_keypair(str(tmp_path / "ours.pem"))
        arc = tmp_path / "arc"
        arc.mkdir()
        for second in range(2):
            add_snapshot(arc, second, signing=signing_for(load_private_key(theirs[0])))
        return arc, theirs[1], ours[1]

    def test_without_a_public_key_a_signature_is_unchecked(
        self, foreign: tuple[Path, str, str]
    ) -> None:
        from peak_trade.views.governance import render_history

        arc, _, _ = foreign
        rows = load_history(str(arc))
        assert [r.signature for r in rows] == ["unchecked", "unchecked"]
        table = render_history(rows).splitlines()
        assert [line.split()[-1] for line in table[1::2]] == ["unchecked", "unchecked"]
        assert "yes" not in table[1] + table[3]

    def test_with_a_public_key_valid_or_bad(self, foreign: tuple[Path, str, str]) -> None:
        from peak_trade.views.governance import render_history

        arc, theirs, ours = foreign
        for public, expected in ((theirs, "valid"), (ours, "invalid")):
            key = load_public_key(public)

            def check(digest: str, signature: str, key: object = key) -> bool:
                return signature_valid(key, digest, signature)  # type: ignore[arg-type]

            rows = load_history(str(arc), signature_check=check)
            assert [r.signature for r in rows] == [expected, expected]
        table = render_history(rows).splitlines()
        assert table[1].split()[-1] == "BAD" and "[BAD SIGNATURE]" in table[2]


def test_history_is_the_same_with_and_without_its_shortcuts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots equal but for their timestamp are neither decoded again nor diffed: the rows
    must be exactly those of decoding and diffing every one."""
    from peak_trade.live import history

    gates = [False, False, True, True, False, False, False]
    for second, gate2 in enumerate(gates):
        add_snapshot(tmp_path, second, gate2=gate2)
    # a changed file (damaged: the next one is compared with the one before it)
    json_4 = _json_of(tmp_path, 4)
    json_4.write_bytes(json_4.read_bytes().replace(b'{\n  "schema_version"', b'{ "schema_version"'))
    fast = load_history(str(tmp_path))
    monkeypatch.setattr(history, "_split_head", lambda data: None)
    monkeypatch.setattr(history, "_without_timestamp", lambda snapshot: object())
    slow = load_history(str(tmp_path))
    assert fast == slow
    assert [r.intact for r in fast] == [True, True, True, False, True, True, True]
    assert [bool(r.changes) for r in fast[1:]] == [False, True, False, True, False, False]


def test_a_row_after_a_damaged_first_entry_is_not_the_first_snapshot(tmp_path: Path) -> None:
    for second in range(3):
        add_snapshot(tmp_path, second, gate2=second == 2)
    _json_of(tmp_path, 1).unlink()  # the first entry's snapshot is gone
    rows = load_history(str(tmp_path))
    assert [r.intact for r in rows] == [False, True, True]
    assert rows[1].changes == ("cannot compare: seq 1 damaged",)
    assert "first snapshot" not in rows[1].changes
    assert rows[2].changes and rows[2].less_safe  # gate 2 armed: compared with seq 2
