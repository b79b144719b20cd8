"""Every performance figure of peak-trade, measured in one run on this machine.

    python benchmarks/run.py [--quick] [--json PATH]

1. Process wall time (median of interleaved runs) and peak RSS of the hot commands, each as a
   ratio to `python -c pass` started the same way.
2. In-process costs (timeit, median of repeats): gate evaluation, a risk check, a snapshot
   build including the seven drills, Markdown and JSON rendering, and reading the costliest
   JSON-with-comments a config file may be (1 MiB of comments).
3. Scaling: `audit verify`, `audit history` and `audit history --format html` on archives of 1k,
   10k and 100k snapshots (per entry too, and peak RSS), the CPU cost of appending one more
   entry to each (it must not grow with the archive), `audit fleet` on 100 and 1,000 configs
   (in a tmpfs when /dev/shm exists, so the disk's fsync cost does not dominate).

Prints a table and writes the same figures as JSON (default benchmarks/results.json).
Not part of the test suite: these are measurements, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "config" / "config.toml"
TOKEN = "example-confirm-token-change-me"  # noqa: S105 - the public example token

TARGETS = {
    "audit export --stdout": ("ratio", 4.0),
    "status": ("ratio", 4.0),
    "audit check": ("ratio", 4.0),
    "gate evaluation": ("us", 2.0),
    "snapshot build incl. 7 drills": ("us", 300.0),
    "verify 10000 snapshots": ("s", 3.0),
    "verify per entry at 100000 (us)": ("us", 100.0),
    "history per entry at 100000 (us)": ("us", 150.0),
    "history html per entry at 100000 (us)": ("us", 200.0),
    "fleet 1000 configs": ("s", 5.0),
}
RSS_TARGET_MIB = 30.0
HTML = ("--format", "html")  # history's timeline page: streamed like the text view


# --------------------------------------------------------------------------- processes


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PEAK_TRADE_CONFIRM_TOKEN", None)
    # measure what an installed tool costs: with its bytecode cached, as pip leaves it
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return wall


GNU_TIME = "/usr/bin/time"


def peak_rss_mib(argv: list[str], env: dict[str, str]) -> float | None:
    """The command's own peak RSS, or None where GNU time is not installed.

    `wait4`'s ru_maxrss from this harness is wrong for small commands: Linux keeps the
    high-water mark of the process image before `exec`, which is a copy of this harness. GNU
    time is a small C program that forks and execs the command and reports the RSS of that
    grandchild, whose pre-exec image is GNU time's (about 2 MiB), not ours.
    """
    if not os.access(GNU_TIME, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        proc = subprocess.run(  # noqa: S603 - fixed program, our own argv
            [GNU_TIME, "-q", "-o", out.name, "-f", "%M", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
        return int(out.read().strip().splitlines()[-1]) / 1024


def hot_commands(config: str = str(CONFIG)) -> dict[str, list[str]]:
    """The commands measured, with `python -c pass` (the floor) first."""
    script = shutil.which("peak-trade", path=os.path.dirname(sys.executable))
    if script is None:
        raise SystemExit(
            "peak-trade is not installed next to this interpreter; pip install . first"
        )
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "audit export --stdout": [script, "audit", "export", "--stdout", "--config", config],
        "status": [script, "status", "--config", config],
        "drills": [script, "drills", "--config", config],
        "audit check": [script, "audit", "check", "--config", config],
        "export, Peak_Trade-style install": [
            script,
            "audit",
            "export",
            "--stdout",
            "--config",
            str(REPO / "tests" / "assets" / "peak_trade_style" / "config.toml"),
        ],
        "export, freqtrade bot": [
            script,
            "audit",
            "export",
            "--stdout",
            "--config",
            str(REPO / "tests" / "assets" / "freqtrade" / "futures.json"),
        ],
    }


def processes(runs: int, commands: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Interleaved runs of each command; medians of wall time, ratio to the first command."""
    env = _child_env()
    for argv in commands.values():
        _run_once(argv, env)  # warm the page cache and the bytecode cache
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(_run_once(argv, env))
    floor = statistics.median(samples[next(iter(commands))])
    result: dict[str, dict[str, float]] = {}
    for name, values in samples.items():
        wall = statistics.median(values)
        rss = [peak_rss_mib(commands[name], env) for _ in range(3)]
        result[name] = {"wall_ms": wall * 1000, "ratio": wall / floor}
        if all(r is not None for r in rss):
            result[name]["peak_rss_mib"] = max(r for r in rss if r is not None)
    return result


# --------------------------------------------------------------------------- in-process


def _per_call(fn: Callable[[], object], repeats: int) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return statistics.median(t / number for t in timer.repeat(repeat=repeats, number=number))


def in_process(repeats: int) -> dict[str, float]:
    from peak_trade.core.order import Order
    from peak_trade.dialects.peak_trade.config import load_config
    from peak_trade.formats import OutputFormat, render
    from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config
    from peak_trade.live.drills import risk_limits_of, run_drills
    from peak_trade.live.safety import evaluate_gates

    loaded = load_config(str(CONFIG), environ={"PEAK_TRADE_CONFIRM_TOKEN": TOKEN})
    limits = risk_limits_of(loaded)
    order = Order(symbol="BTC/EUR", side="buy", quantity=0.01, price=50_000.0)
    versions = LiveAuditVersions(peak_trade="bench", python="3", git_commit=None)

    def build() -> object:
        return audit_loaded_config(
            loaded, timestamp_utc="2025-12-07T12:00:00+00:00", versions=versions
        )

    snapshot = build()
    raw = CONFIG.read_bytes()
    from peak_trade.dialects.freqtrade import jsonc
    from peak_trade.dialects.peak_trade.config import decode_config
    from peak_trade.files import MAX_CONFIG_BYTES

    # the costliest JSON a config file may be: 1 MiB, a comment every five bytes, tabs between
    # them (each comment is then its own token); a real freqtrade config is a few kilobytes
    head = b'{"dry_run": true, "stake_currency": "USDT", "exchange": {"name": "binance"}'
    hostile_json = head + b"/**/\t" * ((MAX_CONFIG_BYTES - len(head) - 1) // 5) + b"}"

    return {
        "gate evaluation": _per_call(lambda: evaluate_gates(loaded.environment), repeats) * 1e6,
        "risk check per order": _per_call(lambda: limits.check_order(order, 100.0), repeats) * 1e6,
        "config decode (TOML -> typed)": _per_call(
            lambda: decode_config(raw, origin="config.toml"), repeats
        )
        * 1e6,
        "drills A-G": _per_call(lambda: run_drills(loaded), repeats) * 1e6,
        "snapshot build incl. 7 drills": _per_call(build, repeats) * 1e6,
        "render markdown": _per_call(lambda: render(snapshot, OutputFormat.MARKDOWN), repeats)
        * 1e6,
        "render json": _per_call(lambda: render(snapshot, OutputFormat.JSON), repeats) * 1e6,
        "jsonc 1 MiB, 200k comments": _per_call(lambda: jsonc.loads(hostile_json), repeats) * 1e6,
    }


# --------------------------------------------------------------------------- scaling


def _scratch() -> str:
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - scratch space
    return tempfile.mkdtemp(prefix="peak-trade-bench-", dir=base)


def _build_archive(directory: str, count: int) -> None:
    from peak_trade.archive.store import append_entry
    from peak_trade.dialects.peak_trade.config import load_config
    from peak_trade.formats import OutputFormat, render
    from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config

    loaded = load_config(str(CONFIG), environ={})
    versions = LiveAuditVersions(peak_trade="bench", python="3", git_commit=None)
    for i in range(count):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1_700_000_000 + i * 3600))
        snapshot = audit_loaded_config(loaded, timestamp_utc=stamp, versions=versions)
        append_entry(
            directory,
            timestamp_utc=stamp,
            environment_id=snapshot.environment_id,
            json_text=render(snapshot, OutputFormat.JSON),
            markdown_text=render(snapshot, OutputFormat.MARKDOWN),
        )


def _write_archive_directly(directory: str, count: int) -> None:
    """An archive of `count` real snapshots in the real ledger format, written in one pass.

    One snapshot rendered once; each entry gets its own timestamp (an hour apart), in its file
    names and in the JSON and Markdown text, as weekly runs would, so no two files are alike
    and each entry is chained to the one before: `verify` and `history` do all their work
    (every file hashed, every snapshot read), and building 100k entries takes seconds instead
    of 100k separate `archive` runs.
    """
    import hashlib

    from peak_trade.archive.ledger import LEDGER, LedgerEntry, planned_names
    from peak_trade.dialects.peak_trade.config import load_config
    from peak_trade.formats import OutputFormat, render
    from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config

    loaded = load_config(str(CONFIG), environ={})
    versions = LiveAuditVersions(peak_trade="bench", python="3", git_commit=None)
    base = "2025-01-01T00:00:00+00:00"
    snapshot = audit_loaded_config(loaded, timestamp_utc=base, versions=versions)
    templates = (
        render(snapshot, OutputFormat.JSON).encode(),
        render(snapshot, OutputFormat.MARKDOWN).encode(),
    )
    previous: str | None = None
    with open(os.path.join(directory, LEDGER), "wb") as ledger:
        for seq in range(1, count + 1):
            stamp = time.strftime(
                "%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1_735_689_600 + seq * 3600)
            )
            names = planned_names(seq, stamp)
            contents = [t.replace(base.encode(), stamp.encode()) for t in templates]
            for name, data in zip(names, contents, strict=True):
                with open(os.path.join(directory, name), "wb") as handle:
                    handle.write(data)
            entry = LedgerEntry(
                seq=seq,
                timestamp_utc=stamp,
                environment_id=snapshot.environment_id,
                files={
                    n: hashlib.sha256(c).hexdigest() for n, c in zip(names, contents, strict=True)
                },
                prev_entry_sha256=previous,
                entry_sha256="",
            )
            digest = entry.computed_sha256()
            previous = digest
            ledger.write(LedgerEntry(**{**msgspec_fields(entry), "entry_sha256": digest}).line())


def _append_cpu_s(directory: str, repeats: int = 5) -> float:
    """CPU seconds (user + system) of one `audit archive` process appending to `directory`,
    the median of `repeats`: CPU, not wall time, so that other load on the machine and the
    disk's fsync latency do not count."""
    import resource

    argv = [_cli_script(), "audit", "archive", "--config", str(CONFIG), "--archive-dir", directory]
    samples = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, stdout=subprocess.DEVNULL, env=_child_env(), check=True)  # noqa: S603
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def msgspec_fields(entry: object) -> dict[str, object]:
    import msgspec

    return msgspec.structs.asdict(entry)  # type: ignore[arg-type]


def _cli_script() -> str:
    script = shutil.which("peak-trade", path=os.path.dirname(sys.executable))
    if script is None:
        raise SystemExit(
            "peak-trade is not installed next to this interpreter; pip install . first"
        )
    return script


def _timed_cli(argv: list[str], repeats: int = 3) -> float:
    from peak_trade.cli import main

    times = []
    devnull = open(os.devnull, "w")  # noqa: SIM115
    saved = sys.stdout
    try:
        for _ in range(repeats):
            sys.stdout = devnull
            start = time.perf_counter()
            code = main(argv)
            times.append(time.perf_counter() - start)
            sys.stdout = saved
            if code != 0:
                raise SystemExit(f"{argv} exited {code}")
    finally:
        sys.stdout = saved
        devnull.close()
    return statistics.median(times)


def scaling(sizes_archive: list[int], sizes_fleet: list[int]) -> dict[str, float]:
    result: dict[str, float] = {}
    scratch = _scratch()
    try:
        for count in sizes_archive:
            directory = os.path.join(scratch, f"archive-{count}")
            os.mkdir(directory)
            start = time.perf_counter()
            if count <= 1000:  # through `archive` itself: the cost of appending
                _build_archive(directory, count)
                result[f"archive {count} snapshots (build)"] = time.perf_counter() - start
            else:
                _write_archive_directly(directory, count)
            verify = _timed_cli(["audit", "verify", "--archive-dir", directory])
            result[f"verify {count} snapshots"] = verify
            result[f"verify per entry at {count} (us)"] = verify / count * 1e6
            history = _timed_cli(["audit", "history", "--archive-dir", directory])
            result[f"history {count} snapshots"] = history
            result[f"history per entry at {count} (us)"] = history / count * 1e6
            page = _timed_cli(["audit", "history", "--archive-dir", directory, "--format", "html"])
            result[f"history html {count} snapshots"] = page
            result[f"history html per entry at {count} (us)"] = page / count * 1e6
            # one more entry: its cost must not depend on how many there are
            result[f"append at {count} entries, CPU"] = _append_cpu_s(directory)
            # streamed: the peak RSS of verify and history must not grow with the entries
            for name, extra in (("verify", ()), ("history", ()), ("history html", HTML)):
                command = name.split()[0]
                argv = [_cli_script(), "audit", command, "--archive-dir", directory, *extra]
                rss = peak_rss_mib(argv, _child_env())
                if rss is not None:
                    result[f"{name} {count} snapshots peak RSS (MiB)"] = rss
        for count in sizes_fleet:
            directory = os.path.join(scratch, f"fleet-{count}")
            os.mkdir(directory)
            text = CONFIG.read_text()
            for i in range(count):
                Path(directory, f"account-{i:05d}.toml").write_text(text)
            result[f"fleet {count} configs"] = _timed_cli(["audit", "fleet", directory])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


# --------------------------------------------------------------------------- report


def _verdict(name: str, value: float, unit: str) -> str:
    target = TARGETS.get(name)
    if target is None or target[0] != unit:
        return ""
    return f"target <= {target[1]:g}{'x' if unit == 'ratio' else ' ' + unit}: " + (
        "met" if value <= target[1] else "MISSED"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller archives")
    parser.add_argument("--json", default=str(REPO / "benchmarks" / "results.json"))
    args = parser.parse_args()
    runs, repeats = (10, 3) if args.quick else (40, 7)
    archives, fleets = ([100, 1000], [100]) if args.quick else ([1000, 10000, 100000], [100, 1000])

    figures = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "processes": processes(runs, hot_commands()),
        "in_process_us": in_process(repeats),
        "scaling_s": scaling(archives, fleets),
    }
    print(f"{'command':34} {'wall ms':>8} {'ratio':>6} {'peak RSS':>9}")
    for name, f in figures["processes"].items():
        rss = f.get("peak_rss_mib")
        rss_text = "   n/a    " if rss is None else f"{rss:6.1f} MiB"
        rss_note = (
            ""
            if name == "python -c pass" or rss is None
            else f"  rss <= {RSS_TARGET_MIB:g} MiB: "
            + ("met" if rss <= RSS_TARGET_MIB else "MISSED")
        )
        print(
            f"{name:34} {f['wall_ms']:8.1f} {f['ratio']:5.2f}x {rss_text}"
            f"  {_verdict(name, f['ratio'], 'ratio')}{rss_note}"
        )
    print(f"\n{'in-process':34} {'per call':>12}")
    for name, us in figures["in_process_us"].items():
        print(f"{name:34} {us:9.2f} us  {_verdict(name, us, 'us')}")
    print(f"\n{'scaling':34} {'seconds':>9}")
    for name, seconds in figures["scaling_s"].items():
        unit = "us" if name.endswith("(us)") else "s"
        print(f"{name:34} {seconds:9.3f} {unit:2}  {_verdict(name, seconds, unit)}")
    appends = {k: v for k, v in figures["scaling_s"].items() if k.startswith("append at ")}
    if len(appends) > 1:
        low, high = min(appends.values()), max(appends.values())
        print(
            f"{'append cost, largest / smallest':34} {high / low:9.2f} x  target <= 1.5x: "
            + ("met" if high / low <= 1.5 else "MISSED")
        )
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
