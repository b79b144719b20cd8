"""Kill -9 during `archive` at random instants: nothing committed is lost, nothing blocks.

The default run makes a few trials; `pytest -m slow tests/cli/test_crash_safety.py` makes 200.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CONFIG

ARCHIVE = [
    sys.executable,
    "-c",
    "from peak_trade.cli import console_main; console_main()",
    "audit",
    "archive",
    "--config",
    "c.toml",
    "--archive-dir",
    "arc",
]
VERIFY = [*ARCHIVE[:3], "audit", "verify", "--archive-dir", "arc", "--format", "json"]


def _complete_lines(home: Path) -> list[bytes]:
    ledger = home / "arc" / "ledger.jsonl"
    if not ledger.exists():
        return []
    return [line for line in ledger.read_bytes().splitlines(keepends=True) if line.endswith(b"\n")]


def _trials(home: Path, count: int, seed: int) -> None:
    shutil.copy(EXAMPLE_CONFIG, home / "c.toml")
    rng = random.Random(seed)
    for trial in range(count):
        victim = subprocess.Popen(
            ARCHIVE, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.0, 0.15))  # start-up is ~50 ms: kills land everywhere
        victim.kill()
        victim.wait()
        committed = _complete_lines(home)
        after = subprocess.run(ARCHIVE, cwd=home, capture_output=True, timeout=30, check=False)
        assert after.returncode == 0, (trial, after.stderr)
        lines = _complete_lines(home)
        assert lines[: len(committed)] == committed, f"trial {trial}: a committed entry changed"
        assert len(lines) == len(committed) + 1
        assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
        verified = subprocess.run(VERIFY, cwd=home, capture_output=True, timeout=30, check=False)
        report = json.loads(verified.stdout)
        assert (verified.returncode, report["problems"]) == (0, []), trial


def test_a_few_kills_during_archive(tmp_path: Path) -> None:
    _trials(tmp_path, count=5, seed=1)


@pytest.mark.slow
def test_two_hundred_kills_during_archive(tmp_path: Path) -> None:
    _trials(tmp_path, count=200, seed=int(os.environ.get("PEAK_TRADE_CRASH_SEED", "7")))


def test_a_full_disk_fails_cleanly_and_the_next_archive_works(tmp_path: Path) -> None:
    """On a tiny tmpfs: archive until the disk is full; the failing run is one line and exit 2,
    leaves nothing behind, and once there is room again the chain continues."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        shutil.copy(EXAMPLE_CONFIG, disk / "c.toml")
        (disk / "filler").write_bytes(b"\0" * 16 * 1024)  # room to give back later
        results = []
        for _ in range(30):
            result = subprocess.run(ARCHIVE, cwd=disk, capture_output=True, timeout=30, check=False)
            results.append(result)
            if result.returncode != 0:
                break
        failed = results[-1]
        assert failed.returncode == 2, failed.stderr
        assert failed.stderr.count(b"\n") == 1 and b"Traceback" not in failed.stderr
        assert b"No space left on device" in failed.stderr or b"disk full" in failed.stderr
        verified = subprocess.run(VERIFY, cwd=disk, capture_output=True, timeout=30, check=False)
        assert json.loads(verified.stdout)["problems"] == []  # nothing half-written
        (disk / "filler").unlink()
        again = subprocess.run(ARCHIVE, cwd=disk, capture_output=True, timeout=30, check=False)
        assert again.returncode == 0, again.stderr
        lines = _complete_lines(disk)
        assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
        assert len(lines) == len(results)  # every successful run, plus this one
        verified = subprocess.run(VERIFY, cwd=disk, capture_output=True, timeout=30, check=False)
        assert verified.returncode == 0
    finally:
        subprocess.run(["umount", str(disk)], check=False)  # noqa: S607
