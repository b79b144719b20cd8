"""Hostile input and broken streams (issue 13): each case answers with one line and exit 2 (or
1 for tampering) within seconds, never a hang, a traceback or an exit 3, and writes nothing it
was not asked to write."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CONFIG, EXAMPLE_TOKEN_SHA256, PASSING_CONFIG, toml_config, write

TIMEOUT = 20  # seconds; a hang fails the test instead of blocking the suite


def run(
    argv: list[str],
    cwd: Path,
    *,
    env: dict[bytes, bytes] | None = None,
    close: int | None = None,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    script = [sys.executable, "-c", "from peak_trade.cli import console_main; console_main()"]
    environment = (
        env
        if env is not None
        else {k: v for k, v in os.environb.items() if k != b"PEAK_TRADE_CONFIRM_TOKEN"}
    )

    def close_fd() -> None:
        if close is not None:
            os.close(close)

    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [*script, *argv],
        cwd=cwd,
        env=environment,
        stdout=stdout if close != 1 else None,
        stderr=subprocess.PIPE if close != 2 else None,
        preexec_fn=close_fd if close is not None else None,  # noqa: PLW1509
        timeout=TIMEOUT,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    shutil.copy(PASSING_CONFIG, tmp_path / "c.toml")  # valid, and `check` passes it
    return tmp_path


def _archive(home: Path) -> Path:
    assert (
        run(["audit", "archive", "--config", "c.toml", "--archive-dir", "arc"], home).returncode
        == 0
    )
    return home / "arc"


Case = Callable[[Path], tuple[subprocess.CompletedProcess[bytes], int, str]]


def fifo_config(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    os.mkfifo(home / "fifo.toml")
    return run(["status", "--config", "fifo.toml"], home), 2, "not a regular file"


def fifo_in_fleet(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    (home / "fleet").mkdir()
    write(home / "fleet" / "a.toml", toml_config(mode="paper"))
    os.mkfifo(home / "fleet" / "b.toml")
    result = run(["audit", "fleet", "fleet"], home)
    assert b"a.toml" in result.stdout and b"not a regular file" in result.stdout
    return result, 2, ""


def fifo_in_archive(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    arc = _archive(home)
    (snapshot,) = arc.glob("*.json")
    snapshot.unlink()
    os.mkfifo(snapshot)
    result = run(["audit", "verify", "--archive-dir", "arc"], home)
    assert b"unreadable (not a regular file)" in result.stdout
    return result, 1, ""


def deep_keys(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "deep.toml", ".".join(["a"] * 1000) + " = 1\n")
    return run(["audit", "export", "--config", "deep.toml"], home), 2, "nested deeper than"


def deep_keys_in_fleet(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    (home / "fleet").mkdir()
    write(home / "fleet" / "a.toml", toml_config(mode="paper"))
    write(home / "fleet" / "deep.toml", "[" + ".".join(["a"] * 1000) + "]\n")
    result = run(["audit", "fleet", "fleet", "--format", "json"], home)
    rows = json.loads(result.stdout)["rows"]
    assert [r["error"] is None for r in rows] == [True, False]
    return result, 2, ""


def non_utf8_token(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "t.toml", toml_config(digest=EXAMPLE_TOKEN_SHA256))
    env = {**os.environb, b"PEAK_TRADE_CONFIRM_TOKEN": b"\xff\xfe"}
    return run(["status", "--config", "t.toml"], home, env=env), 2, "not valid UTF-8"


def non_utf8_path(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    name = os.fsdecode(b"\xff.toml")
    shutil.copy(EXAMPLE_CONFIG, home / name)
    result = run(["audit", "export", "--config", name, "--format", "json"], home)
    return result, 2, "the path is not valid UTF-8"


def stderr_closed(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    result = run(["audit", "check", "--config", "c.toml"], home, close=2)
    assert result.stdout == b"OK: c meets --expect blocked\n"
    result.stderr = b"\n"  # nothing could be written there; the exit code tells
    return result, 0, ""


def stdout_closed(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    return (
        run(["audit", "check", "--config", "c.toml"], home, close=1),
        2,
        "standard output is closed",
    )


def stdout_full(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        result = run(
            ["audit", "export", "--config", "c.toml", "--stdout"], home, stdout=full.fileno()
        )
    return result, 2, "cannot write to standard output (No space left on device)"


def output_onto_a_fifo(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    os.mkfifo(home / "out.json")  # stands in for /dev/null: any non-regular file
    result = run(
        ["audit", "export", "--config", "c.toml", "--output-json", "out.json", "--force"], home
    )
    assert (home / "out.json").is_fifo()
    return result, 2, "not a regular file; refusing to replace it"


def output_through_a_symlink(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    (home / "out.json").symlink_to(home / "elsewhere.json")
    result = run(
        ["audit", "export", "--config", "c.toml", "--output-json", "out.json", "--force"], home
    )
    assert not (home / "elsewhere.json").exists()
    return result, 2, "is a symbolic link"


@pytest.mark.parametrize("name", ["ledger.jsonl", ".lock"])
def test_archive_never_writes_through_a_symlink(home: Path, name: str) -> None:
    (home / "arc").mkdir()
    (home / "arc" / name).symlink_to(home / "target")
    result = run(["audit", "archive", "--config", "c.toml", "--archive-dir", "arc"], home)
    assert result.returncode == 2
    one_line(result)
    assert not (home / "target").exists()
    # no snapshot file written: only the link and (for a linked ledger) the lock itself
    assert {p.name for p in (home / "arc").iterdir()} <= {name, ".lock"}


def huge_seq(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    arc = _archive(home)
    entry = json.loads((arc / "ledger.jsonl").read_text())
    entry["seq"] = 2**60
    (arc / "ledger.jsonl").write_text(
        json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n"
    )
    result = run(["audit", "verify", "--archive-dir", "arc"], home)
    assert b"ledger.jsonl:1: not a ledger entry" in result.stdout
    return result, 1, ""


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_json_freqtrade(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(
        home / "deep.json",
        '{"dry_run": true, "stake_currency": "USDT",'
        ' "exchange": {"name": "binance", "x": ' + _deep_json(2000) + "}}",
    )
    argv = ["audit", "export", "--config", "deep.json", "--dialect", "freqtrade"]
    return run(argv, home), 2, "deep.json: nested deeper than 32 levels"


def deep_json_detected(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    # no --dialect: detection parses the file first, and says what is wrong with it
    write(home / "deep.json", '{"dry_run": true, "x": ' + _deep_json(2000) + "}")
    result = run(["status", "--config", "deep.json"], home)
    return result, 2, "deep.json: nested deeper than 32 levels"


def env_variable_with_thousands_of_parts(
    home: Path,
) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "bot.json", '{"dry_run": true, "stake_currency": "USDT", "exchange": {}}')
    env = {k: v for k, v in os.environb.items() if not k.startswith(b"FREQTRADE__")}
    env[b"FREQTRADE__" + b"__".join([b"a"] * 5000)] = b"1"
    result = run(["status", "--config", "bot.json"], home, env=env)
    return result, 2, "a variable nested deeper than 32 levels"


def deep_json_in_include(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "main.json", '{"dry_run": true, "add_config_files": ["inc.json"]}')
    write(home / "inc.json", '{"exchange": {"x": ' + _deep_json(5000) + "}}")
    result = run(["audit", "check", "--config", "main.json"], home)
    return result, 2, "inc.json: nested deeper than 32 levels"


def huge_int_in_read_table(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "big.toml", toml_config(extra="max_open_positions = " + "9" * 5000 + "\n"))
    return run(["audit", "export", "--config", "big.toml"], home), 2, "big.toml: invalid TOML"


def huge_int_in_unread_table(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "big.toml", toml_config(extra="[backtest]\nseed = " + "9" * 5000 + "\n"))
    return run(["status", "--config", "big.toml"], home), 2, "big.toml: invalid TOML"


def huge_hex_int(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "big.toml", toml_config(extra="[backtest]\nseed = 0x" + "f" * 4000 + "\n"))
    return run(["audit", "export", "--config", "big.toml"], home), 2, "backtest.seed: integer"


def oversized_config(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    write(home / "big.toml", toml_config() + "#" * (1024 * 1024) + "\n")
    return run(["audit", "check", "--config", "big.toml"], home), 2, "larger than 1 MiB"


def absurd_ref(home: Path) -> tuple[subprocess.CompletedProcess[bytes], int, str]:
    _archive(home)
    result = run(
        ["audit", "diff", "latest~9223372036854775808", "latest", "--archive-dir", "arc"], home
    )
    return result, 2, "the archive holds only 1 snapshot(s)"


CASES = [
    fifo_config,
    fifo_in_fleet,
    fifo_in_archive,
    deep_keys,
    deep_keys_in_fleet,
    non_utf8_token,
    non_utf8_path,
    stderr_closed,
    stdout_closed,
    stdout_full,
    output_onto_a_fifo,
    output_through_a_symlink,
    huge_seq,
    deep_json_freqtrade,
    deep_json_detected,
    deep_json_in_include,
    env_variable_with_thousands_of_parts,
    huge_int_in_read_table,
    huge_int_in_unread_table,
    huge_hex_int,
    oversized_config,
    absurd_ref,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_hostile_input_gets_a_one_line_answer(home: Path, case: Case) -> None:
    result, code, message = case(home)
    assert result.returncode == code
    if message:
        assert message in one_line(result)
    else:
        assert b"Traceback" not in (result.stderr or b"")


@pytest.mark.parametrize("seq", [2**53, 2**53 - 1 + 2, -1, 0])
def test_a_seq_outside_the_exact_range_is_tampering_not_a_crash(home: Path, seq: int) -> None:
    arc = _archive(home)
    entry = json.loads((arc / "ledger.jsonl").read_text())
    entry["seq"] = seq
    (arc / "ledger.jsonl").write_text(
        json.dumps(entry, separators=(",", ":"), sort_keys=True) + "\n"
    )
    result = run(["audit", "verify", "--archive-dir", "arc"], home)
    assert result.returncode == 1
    assert b"ledger.jsonl:1: not a ledger entry" in result.stdout


def test_adopting_a_deeply_nested_json_is_bad_input(home: Path) -> None:
    write(home / "deep.json", '{"schema_version": 2, "x": ' + _deep_json(5000) + "}")
    result = run(["audit", "archive", "--adopt", "deep.json", "--archive-dir", "arc"], home)
    assert result.returncode == 2, result.stderr
    assert "deep.json: not a JSON audit snapshot" in one_line(result)
    assert not (home / "arc").exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["audit", "check", "--config", "armed.toml"], 1),
        (["drills", "--config", "nocaps.toml"], 1),
        (["status", "--config", "armed.toml"], 0),
        # a streamed report: the pipe breaks while the read-only guard is on (it allows the
        # null device standard output is then pointed at)
        (["audit", "history", "--archive-dir", "arc", "--format", "json"], 0),
    ],
)
def test_a_reader_that_went_away_never_hides_the_outcome(
    home: Path, argv: list[str], code: int
) -> None:
    """`peak-trade audit check ... | head -0` under `set -o pipefail` must not pass a finding."""
    write(home / "armed.toml", toml_config())
    write(home / "nocaps.toml", '[environment]\nmode = "live"\n')
    if "history" in argv:
        from peak_trade.cli import main

        for _ in range(2):
            assert (
                main(
                    [
                        "audit",
                        "archive",
                        "--config",
                        str(home / "c.toml"),
                        "--archive-dir",
                        str(home / "arc"),
                    ]
                )
                == 0
            )
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from peak_trade.cli import console_main; console_main()",
                *argv,
            ],
            cwd=home,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=20,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr
