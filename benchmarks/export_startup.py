"""Wall time and peak RSS of `peak-trade audit export --stdout` against `python -c pass`.

Runs both interleaved (so machine noise hits both alike) and prints medians and the ratio.
Usage: python benchmarks/export_startup.py [--runs N] [--config PATH]
Not part of the test suite: timing is a measurement, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """One run: (wall seconds, peak RSS in MiB) of the child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return wall, usage.ru_maxrss / 1024  # Linux reports KiB


def peak_trade_command() -> list[str]:
    script = Path(sys.executable).with_name("peak-trade")
    if not script.exists():
        raise SystemExit("peak-trade is not installed in this interpreter's environment")
    return [str(script)]


def compare(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, dict[str, float]]:
    env = dict(os.environ)
    os.chdir(cwd)
    for argv in commands.values():  # warm caches (and .pyc files) before measuring
        measure(argv, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(measure(argv, env))
    return {
        name: {
            "wall_ms": statistics.median(w for w, _ in values) * 1000,
            "peak_rss_mib": max(r for _, r in values),
        }
        for name, values in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--config", default=str(REPO / "config" / "config.toml"))
    args = parser.parse_args()
    base = [sys.executable, "-c", "pass"]
    export = [*peak_trade_command(), "audit", "export", "--stdout", "--config", args.config]
    result = compare({"python -c pass": base, "audit export --stdout": export}, args.runs, REPO)
    floor = result["python -c pass"]["wall_ms"]
    for name, figures in result.items():
        print(
            f"{name:24} {figures['wall_ms']:7.1f} ms  {figures['wall_ms'] / floor:5.2f}x"
            f"  peak RSS {figures['peak_rss_mib']:5.1f} MiB"
        )


if __name__ == "__main__":
    main()
