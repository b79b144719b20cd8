"""Every performance figure of peak-trade, measured in one run on this machine.

    python benchmarks/run.py [--quick] [--json PATH]

1. Process wall time and CPU time (medians of interleaved runs) and peak RSS of the hot
   commands, `--version` and `--help`, each as a ratio to `python -c pass` started the same way,
   and the floors under an export (`python -c "import msgspec"`, tomllib, argparse).
2. In-process costs (timeit, median of repeats): gate evaluation, a risk check, a snapshot
   build including the seven drills, Markdown and JSON rendering, and reading the costliest
   JSON-with-comments a config file may be (1 MiB of comments).
3. Scaling: `audit verify`, `audit history` and `audit history --format html` on archives of 1k,
   10k and 100k snapshots (per entry too, and peak RSS), the CPU cost of appending one more
   entry to each (it must not grow with the archive).
4. Fleet: `audit fleet` on 1k, 10k and 50k configs as a process of its own: wall time, CPU time
   of every process, peak memory (the main process's RSS, and the PSS summed over the process
   and its workers); in a tmpfs when /dev/shm exists, so the disk does not dominate.
5. Peers: the same export by Peak_Trade's own script and `freqtrade show-config` of the same
   freqtrade config, CPU time and peak RSS against ours. Measured where they are given (see
   --peer-*); else the figures issue #25 cites are printed, marked as not measured here.

    python benchmarks/run.py --only fleet --fleet-sizes 1000,10000,50000
    python benchmarks/run.py --only fleet --fleet-sizes 16,32,64,128 --fleet-jobs 1,2
    python benchmarks/run.py --only processes,fleet --baseline OTHER_VENV/bin/peak-trade
    python benchmarks/run.py --only peers --peer-python PY --peer-peak-trade CHECKOUT

`--baseline` runs another install's `peak-trade` (main's, say) in turn with this one, so that
before and after share the machine's noise (a shared machine's other load moves a figure by
tens of per cent from one minute to the next; turns cancel most of it out).

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


def _run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime


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


#: msgspec as peak-trade imports it (`_startup.import_msgspec_without_typing_extensions`): a dev
#: venv has typing_extensions (mypy's), which plain `import msgspec` would load (about 10 ms)
NO_TYPING_EXTENSIONS = "import sys; sys.modules['typing_extensions'] = None"


def hot_commands(config: str = str(CONFIG), baseline: str | None = None) -> dict[str, list[str]]:
    """The commands measured, with `python -c pass` (the floor) first; with a `baseline`
    install's script, its start-up commands too, run in turn with ours."""
    script = shutil.which("peak-trade", path=os.path.dirname(sys.executable))
    if script is None:
        raise SystemExit(
            "peak-trade is not installed next to this interpreter; pip install . first"
        )
    before = {}
    if baseline:
        before = {
            "baseline --version": [baseline, "--version"],
            "baseline --help": [baseline, "--help"],
            "baseline audit export --stdout": [
                baseline,
                "audit",
                "export",
                "--stdout",
                "--config",
                config,
            ],
        }
    return {
        **({"python -c pass": [sys.executable, "-c", "pass"]} | before),
        "--version": [script, "--version"],
        "--help": [script, "--help"],
        "audit --help": [script, "audit", "--help"],
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
        # the floors under an export: what any export imports before our own code runs
        "floor: import argparse, re": [sys.executable, "-c", "import argparse, re"],
        "floor: import msgspec": [sys.executable, "-c", f"{NO_TYPING_EXTENSIONS}; import msgspec"],
        "floor: import tomllib": [sys.executable, "-c", "import tomllib"],
        "floor: all three": [
            sys.executable,
            "-c",
            f"{NO_TYPING_EXTENSIONS}; import argparse, re, msgspec, tomllib",
        ],
        # without msgspec, stdlib json in its place: what keeping msgspec off the path would save
        "floor: json, not msgspec": [sys.executable, "-c", "import argparse, re, json, tomllib"],
    }


_COMPILED: set[str] = set()


def compile_package(program: str) -> None:
    """Compile the bytecode of the `peak_trade` package that `program` runs, as pip does when it
    installs one (not for an editable install, whose checkout holds the modules).

    Without it an editable install measures compiling, not starting: the read-only guard turns
    bytecode writing off (a .pyc is a write), so a module first imported under it, such as a
    dialect's decoder, is compiled from source on every run (about 25 ms of an export here).
    """
    interpreter = program
    if not _is_python(program):  # a console script: the interpreter its first line names
        with open(program, "rb") as script:
            first = script.readline().decode(errors="replace")
        if not first.startswith("#!"):
            return
        words = first[2:].split()
        if not words:
            return
        # `#!/usr/bin/env python3`: the interpreter env would find
        interpreter = words[0] if os.path.basename(words[0]) != "env" else words[-1]
        interpreter = shutil.which(interpreter) or interpreter
    if interpreter in _COMPILED or not _is_python(interpreter):
        return
    _COMPILED.add(interpreter)
    where = subprocess.run(  # noqa: S603 - the measured install's own interpreter
        [interpreter, "-c", "import os, peak_trade; print(os.path.dirname(peak_trade.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if where.returncode == 0:
        subprocess.run(  # noqa: S603
            [interpreter, "-m", "compileall", "-q", where.stdout.strip()],
            stdout=subprocess.DEVNULL,
            check=False,
        )


def _is_python(path: str) -> bool:
    return os.path.basename(path).startswith("python")


def processes(runs: int, commands: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Interleaved runs of each command; medians of wall time and of CPU time, each as a ratio
    to the first command's (CPU time moves less than wall time when the machine is shared)."""
    env = _child_env()
    for argv in commands.values():
        _run_once(argv, env)  # warm the page cache and the bytecode cache
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(_run_once(argv, env))
    first = samples[next(iter(commands))]
    floor = statistics.median(w for w, _ in first)
    cpu_floor = statistics.median(c for _, c in first)
    result: dict[str, dict[str, float]] = {}
    for name, values in samples.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        rss = [peak_rss_mib(commands[name], env) for _ in range(3)]
        result[name] = {
            "wall_ms": wall * 1000,
            "ratio": wall / floor,
            "cpu_ms": cpu * 1000,
            "cpu_ratio": cpu / cpu_floor,
        }
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


def scaling(sizes_archive: list[int]) -> dict[str, float]:
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
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


# --------------------------------------------------------------------------- fleet


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc (each process's parent id)."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        parents.setdefault(ppid, []).append(int(name))
    found, index = [pid], 0
    while index < len(found):
        found.extend(parents.get(found[index], []))
        index += 1
    return found


def _kib(path: str, field: str) -> int:
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(argv: list[str], *, env: dict[str, str] | None = None) -> dict[str, float]:
    """One process: its wall time, the CPU time of it and every process it waited for, and its
    peak memory, sampled every 20 ms from /proc: the main process's RSS high-water mark and
    the PSS summed over it and its descendants (workers share pages; PSS counts each once)."""
    import resource

    env = _child_env() if env is None else env
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    main_rss = tree_pss = 0
    while proc.poll() is None:
        main_rss = max(main_rss, _kib(f"/proc/{proc.pid}/status", "VmHWM:"))
        pids = _descendants(proc.pid) if os.path.isdir("/proc") else [proc.pid]
        tree_pss = max(tree_pss, sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "main_rss_mib": main_rss / 1024,
        "tree_pss_mib": tree_pss / 1024,
    }


def _write_fleet(directory: str, count: int) -> None:
    """`count` copies of the example config, one per account file."""
    os.mkdir(directory)
    text = CONFIG.read_text()
    for i in range(count):
        Path(directory, f"account-{i:05d}.toml").write_text(text)


FLEET_FORMATS = {"text": [], "json": ["--format", "json"]}


def fleet(
    sizes: list[int],
    jobs: list[str],
    baseline: str | None = None,
    formats: tuple[str, ...] = tuple(FLEET_FORMATS),
    rounds: int = 1,
) -> dict[str, dict[str, float]]:
    """`audit fleet DIR` on fleets of each size: text and JSON, with each `--jobs` value
    ("auto": the option left out, the default). Each round runs every variant once, in turn
    (baseline first), so that a change in the machine's speed between minutes hits all of
    them; the figures are the medians over the rounds (peak memory: the largest). Below 1,000
    configs (the break-even of the workers, `--fleet-sizes 16,32,64,128 --fleet-jobs 1,2`)
    there are at least 7 rounds."""
    result: dict[str, dict[str, float]] = {}
    scratch = _scratch()
    try:
        for count in sizes:
            directory = os.path.join(scratch, f"fleet-{count}")
            _write_fleet(directory, count)
            for fmt in formats:
                fmt_args = FLEET_FORMATS[fmt]
                runs_of = {f"jobs {job}": job for job in jobs}
                if baseline:  # another install, run in turn with ours: the same noise for both
                    runs_of = {"baseline": "", **runs_of}
                measured: dict[str, list[dict[str, float]]] = {label: [] for label in runs_of}
                for _ in range(max(rounds, 7 if count < 1000 else 1)):
                    for label, job in runs_of.items():
                        job_args = [] if job in ("auto", "") else ["--jobs", job]
                        script = baseline if label == "baseline" and baseline else _cli_script()
                        argv = [script, "audit", "fleet", directory, *fmt_args, *job_args]
                        measured[label].append(run_measured(argv))
                for label, runs in measured.items():
                    figures = {
                        key: (statistics.median if key.endswith("_s") else max)(
                            r[key] for r in runs
                        )
                        for key in runs[0]
                    }
                    figures["per_config_ms"] = figures["wall_s"] / count * 1000
                    if "baseline" in measured:  # paired: each round's ratio, then the median
                        figures["wall_vs_baseline"] = statistics.median(
                            r["wall_s"] / b["wall_s"]
                            for r, b in zip(runs, measured["baseline"], strict=True)
                        )
                    result[f"fleet {count} {fmt}, {label}"] = figures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


# --------------------------------------------------------------------------- peers

#: what issue #25 cites (measured on an earlier machine): never shown as our own measurement
CITED_PEERS = {
    "Peak_Trade scripts/export_live_audit_snapshot.py": {"cpu_ratio": 12.5, "rss_mib": 87.0},
    "freqtrade show-config": {"cpu_ratio": 25.0, "rss_mib": 206.0},
}
FREQTRADE_CONFIG = REPO / "tests" / "assets" / "freqtrade" / "futures.json"


def _cpu_and_rss(argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median CPU time (user + system) and largest peak RSS of `runs` runs of one command."""
    import resource

    for _ in range(2):  # warm the page and bytecode caches
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # noqa: S603
    cpu = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # noqa: S603
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    rss = [peak_rss_mib(argv, env) for _ in range(3)]
    figures = {"cpu_s": statistics.median(cpu)}
    if all(r is not None for r in rss):
        figures["rss_mib"] = max(r for r in rss if r is not None)
    return figures


def peers(
    peer_python: str | None, peak_trade_checkout: str | None, freqtrade: str | None, runs: int
) -> dict[str, dict[str, object]]:
    """Each peer's CPU time and peak RSS for the same export, as a ratio to ours; a peer that
    cannot run here gets the cited figures, marked `measured: False`."""
    env = _child_env()
    result: dict[str, dict[str, object]] = {}
    name = "Peak_Trade scripts/export_live_audit_snapshot.py"
    if peer_python and peak_trade_checkout:
        script = os.path.join(peak_trade_checkout, "scripts", "export_live_audit_snapshot.py")
        ours = _cpu_and_rss(
            [_cli_script(), "audit", "export", "--stdout", "--config", str(CONFIG)], env, runs
        )
        theirs = _cpu_and_rss(
            [peer_python, script, "--stdout", "--config", str(CONFIG)], env, max(3, runs // 4)
        )
        result[name] = _compared(theirs, ours, str(CONFIG))
    else:
        result[name] = {**CITED_PEERS[name], "measured": False}
    name = "freqtrade show-config"
    if freqtrade:
        scratch = _scratch()
        try:
            userdir = os.path.join(scratch, "user_data")
            subprocess.run(  # noqa: S603 - the given freqtrade, once, outside the timing
                [freqtrade, "create-userdir", "--userdir", userdir],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            ours = _cpu_and_rss(
                [_cli_script(), "audit", "export", "--stdout", "--config", str(FREQTRADE_CONFIG)],
                env,
                runs,
            )
            argv = [freqtrade, "show-config", "--userdir", userdir, "-c", str(FREQTRADE_CONFIG)]
            theirs = _cpu_and_rss(argv, env, max(3, runs // 4))
            result[name] = _compared(theirs, ours, str(FREQTRADE_CONFIG))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        result[name] = {**CITED_PEERS[name], "measured": False}
    return result


def _compared(theirs: dict[str, float], ours: dict[str, float], config: str) -> dict[str, object]:
    figures: dict[str, object] = {
        "measured": True,
        "config": os.path.relpath(config, REPO),
        "cpu_s": theirs["cpu_s"],
        "ours_cpu_s": ours["cpu_s"],
        "cpu_ratio": theirs["cpu_s"] / ours["cpu_s"],
    }
    if "rss_mib" in theirs and "rss_mib" in ours:
        figures.update(rss_mib=theirs["rss_mib"], ours_rss_mib=ours["rss_mib"])
    return figures


# --------------------------------------------------------------------------- report


def _verdict(name: str, value: float, unit: str) -> str:
    target = TARGETS.get(name)
    if target is None or target[0] != unit:
        return ""
    return f"target <= {target[1]:g}{'x' if unit == 'ratio' else ' ' + unit}: " + (
        "met" if value <= target[1] else "MISSED"
    )


SECTIONS = ("processes", "in_process", "scaling", "fleet", "peers")


def _sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller archives")
    parser.add_argument("--json", default=str(REPO / "benchmarks" / "results.json"))
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}"
    )
    parser.add_argument("--fleet-sizes", type=_sizes, help="default 1000,10000,50000 (quick: 1000)")
    parser.add_argument(
        "--fleet-jobs",
        default="auto",
        help="comma-separated --jobs values to measure (auto: the default; 1: serial)",
    )
    parser.add_argument(
        "--baseline",
        metavar="SCRIPT",
        help="another install's peak-trade (e.g. main's), measured in turn with ours:"
        " start-up and fleet figures before and after",
    )
    parser.add_argument("--fleet-formats", default="text,json", help="text, json or both")
    parser.add_argument(
        "--fleet-rounds",
        type=int,
        default=1,
        help="run every fleet variant this many times in turn; medians (default 1)",
    )
    parser.add_argument("--peer-python", help="an interpreter with Peak_Trade's dependencies")
    parser.add_argument("--peer-peak-trade", metavar="CHECKOUT", help="a Peak_Trade checkout")
    parser.add_argument(
        "--peer-freqtrade",
        default=shutil.which("freqtrade"),
        metavar="PATH",
        help="the freqtrade command (default: on PATH)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    if unknown := only - set(SECTIONS):
        parser.error(f"unknown sections: {sorted(unknown)}")
    runs, repeats = (10, 3) if args.quick else (40, 7)
    archives = [100, 1000] if args.quick else [1000, 10000, 100000]
    fleets = args.fleet_sizes or ([1000] if args.quick else [1000, 10000, 50000])

    for program in (sys.executable, args.baseline):
        if program:
            compile_package(program)
    figures: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "platform": platform.platform(),
        }
    }
    if "processes" in only:
        figures["processes"] = processes(runs, hot_commands(baseline=args.baseline))
        _print_processes(figures["processes"])  # type: ignore[arg-type]
    if "in_process" in only:
        figures["in_process_us"] = in_process(repeats)
        print(f"\n{'in-process':34} {'per call':>12}")
        for name, us in figures["in_process_us"].items():  # type: ignore[attr-defined]
            print(f"{name:34} {us:9.2f} us  {_verdict(name, us, 'us')}")
    if "scaling" in only:
        figures["scaling_s"] = scaling(archives)
        _print_scaling(figures["scaling_s"])  # type: ignore[arg-type]
    if "fleet" in only:
        figures["fleet"] = fleet(
            fleets,
            args.fleet_jobs.split(","),
            args.baseline,
            tuple(args.fleet_formats.split(",")),
            args.fleet_rounds,
        )
        _print_fleet(figures["fleet"])  # type: ignore[arg-type]
    if "peers" in only:
        figures["peers"] = peers(
            args.peer_python, args.peer_peak_trade, args.peer_freqtrade, max(5, runs // 2)
        )
        _print_peers(figures["peers"])  # type: ignore[arg-type]
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nfigures written to {args.json}")


def _print_processes(result: dict[str, dict[str, float]]) -> None:
    print(f"{'command':34} {'wall ms':>8} {'ratio':>6} {'CPU ratio':>9} {'peak RSS':>9}")
    for name, f in result.items():
        rss = f.get("peak_rss_mib")
        rss_text = "   n/a    " if rss is None else f"{rss:6.1f} MiB"
        rss_note = (
            ""
            if name == "python -c pass" or rss is None
            else f"  rss <= {RSS_TARGET_MIB:g} MiB: "
            + ("met" if rss <= RSS_TARGET_MIB else "MISSED")
        )
        print(
            f"{name:34} {f['wall_ms']:8.1f} {f['ratio']:5.2f}x {f['cpu_ratio']:8.2f}x {rss_text}"
            f"  {_verdict(name, f['ratio'], 'ratio')}{rss_note}"
        )


def _print_scaling(result: dict[str, float]) -> None:
    print(f"\n{'scaling':38} {'figure':>9}")
    for name, value in result.items():
        unit = "us" if name.endswith("(us)") else "MiB" if name.endswith("(MiB)") else "s"
        print(f"{name:38} {value:9.3f} {unit:3}  {_verdict(name, value, unit)}")
    appends = {k: v for k, v in result.items() if k.startswith("append at ")}
    if len(appends) > 1:
        low, high = min(appends.values()), max(appends.values())
        print(
            f"{'append cost, largest / smallest':38} {high / low:9.2f} x    target <= 1.5x: "
            + ("met" if high / low <= 1.5 else "MISSED")
        )


def _print_fleet(result: dict[str, dict[str, float]]) -> None:
    print(
        f"\n{'fleet':34} {'wall s':>8} {'CPU s':>8} {'ms/conf':>8} {'main RSS':>10} {'all PSS':>10}"
        f" {'x base':>7}"
    )
    for name, f in result.items():
        paired = f"{f['wall_vs_baseline']:6.2f}x" if "wall_vs_baseline" in f else ""
        print(
            f"{name:34} {f['wall_s']:8.2f} {f['cpu_s']:8.2f} {f['per_config_ms']:8.3f}"
            f" {f['main_rss_mib']:6.1f} MiB {f['tree_pss_mib']:6.1f} MiB {paired:>7}"
        )


def _print_peers(result: dict[str, dict[str, object]]) -> None:
    print(f"\n{'peers (the same export)':50} {'CPU':>14} {'peak RSS':>22}")
    for name, f in result.items():
        if not f["measured"]:
            print(
                f"{name:50} {f['cpu_ratio']:6.1f}x ours {f['rss_mib']:6.1f} MiB"
                "  (cited in issue #25, NOT measured here)"
            )
            continue
        rss = (
            f"{f['rss_mib']:6.1f} MiB (ours {f['ours_rss_mib']:4.1f})" if "rss_mib" in f else "n/a"
        )
        print(
            f"{name:50} {f['cpu_ratio']:6.1f}x ours {rss}"
            f"  ({f['cpu_s']:.3f} s vs {f['ours_cpu_s']:.3f} s CPU, {f['config']})"
        )


if __name__ == "__main__":
    main()
