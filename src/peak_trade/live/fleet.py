"""Audit many configs in one process: one row per config, the `check --expect blocked` policy
applied to each, and the exit rule of the whole fleet.

A config that fails to load is reported (`config_invalid`, blocked) and the others still are.
Exit: 1 when any row violates the policy (a finding outranks bad input), else 2 when any config
is invalid, else 0.

`audit_config` is the work of one row; where it runs (in this process, or in forked workers,
see `peak_trade.workers`) is the caller's choice, and `fleet_workers` the rule that chooses.
The totals are counted as the rows stream past (`FleetTally`); no row is needed twice.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import IntEnum
from typing import Final

import msgspec

from peak_trade.core.loaded import name_and_stem, read_paths
from peak_trade.dialects import (
    assess,
    claimed,
    file_patterns,
    is_foreign,
    is_overlay,
    load,
    nested_patterns,
)
from peak_trade.errors import ConfigError
from peak_trade.live.policy import Expectation, PolicyViolation, check_snapshot
from peak_trade.live.safety import config_invalid_verdict
from peak_trade.live.snapshot import LiveAuditVersions, snapshot_of


class FleetOutcome(IntEnum):
    """The fleet's result, valued as the exit code it maps to."""

    OK = 0
    FINDING = 1
    INVALID = 2


class FleetRow(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One config's row. Not tracked by the cycle collector (`gc=False`): it holds strings,
    numbers and tuples of them only, so it can be in no cycle, and a fleet keeps one per config
    until its report is written."""

    path: str
    dialect: str
    environment_id: str
    effective_mode: str
    live_allowed: bool
    config_armed: bool
    blockers: tuple[str, ...]
    drills_passed: int
    drills_failed: int
    drills_executable: bool
    violations: tuple[PolicyViolation, ...] = ()
    error: str | None = None


#: one config audited: its row and every file that was read for it (the config, its overlay and
#: includes), which the fleet must never write
FleetResult = tuple[FleetRow, tuple[str, ...]]


class FleetTally:
    """The fleet's totals, counted one row at a time."""

    __slots__ = ("allowed", "armed", "drills_failing", "invalid", "rows", "violating")

    def __init__(self, rows: Iterable[FleetRow] = ()) -> None:
        self.rows = self.allowed = self.armed = self.invalid = 0
        self.drills_failing = self.violating = 0
        for row in rows:
            self.add(row)

    def add(self, row: FleetRow) -> None:
        self.rows += 1
        self.allowed += row.live_allowed
        self.armed += row.config_armed
        self.invalid += row.error is not None
        self.drills_failing += row.drills_failed > 0
        self.violating += bool(row.violations)

    def outcome(self) -> FleetOutcome:
        if self.violating:
            return FleetOutcome.FINDING
        if self.invalid:
            return FleetOutcome.INVALID
        return FleetOutcome.OK

    def summary(self) -> str:
        return (
            f"{self.rows} config(s): {self.allowed} live-allowed, {self.armed} armed,"
            f" {self.rows - self.allowed - self.invalid} blocked, {self.invalid} invalid;"
            f" drills failing in {self.drills_failing}; policy violated by {self.violating}"
        )

    def payload_head(self) -> dict[str, object]:
        """The JSON form's keys before its last, `rows` (`FleetReport.payload`)."""
        return {
            "summary": self.summary(),
            "outcome": self.outcome().name.lower(),
            "allowed": self.allowed,
            "armed": self.armed,
            "invalid": self.invalid,
            "drills_failing": self.drills_failing,
            "violating": self.violating,
        }


class FleetReport(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[FleetRow, ...]
    #: every file the fleet read (configs, overlays, includes): never an output
    inputs: tuple[str, ...] = ()

    def tally(self) -> FleetTally:
        return FleetTally(self.rows)

    @property
    def allowed(self) -> int:
        return self.tally().allowed

    @property
    def armed(self) -> int:
        return self.tally().armed

    @property
    def invalid(self) -> int:
        return self.tally().invalid

    @property
    def drills_failing(self) -> int:
        return self.tally().drills_failing

    @property
    def violating(self) -> int:
        return self.tally().violating

    def outcome(self) -> FleetOutcome:
        return self.tally().outcome()

    def summary(self) -> str:
        return self.tally().summary()

    def payload(self) -> dict[str, object]:
        """The JSON form (`audit fleet --format json`, `--output-json`)."""
        return {**self.tally().payload_head(), "rows": self.rows}


#: fewer configs than this are audited in this process: forking the workers costs more than it
#: saves below it (measured with benchmarks/run.py, see README "Performance")
SERIAL_BELOW: Final = 64
#: configs per message between a worker and the fleet: about 40 ms of work each
CHUNK: Final = 16


def fleet_workers(configs: int, *, cpus: int, jobs: int | None = None) -> int:
    """How many worker processes audit a fleet: `jobs` when given (1: none, all in this
    process), else one per usable CPU once the fleet is large enough to pay for them; never
    more than there are chunks to share."""
    if jobs is None:
        jobs = 1 if configs < SERIAL_BELOW else cpus
    chunks = -(-configs // CHUNK)
    return max(1, min(jobs, chunks))


def expand_targets(targets: Sequence[str]) -> list[str]:
    """Directories (their *.toml), glob patterns and files -> config paths, each once.

    A directory contributes the files every dialect's patterns match (`dialects.DIALECTS`); an
    overlay (Peak_Trade's `bounded_live.toml`) is never a config of its own: it is merged into
    its neighbour.
    """
    paths: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            found = sorted(
                p
                for pattern in file_patterns()
                for p in glob.glob(os.path.join(glob.escape(target), pattern))
            )
            found += _nested(target)
        elif glob.has_magic(target):
            found = sorted(p for p in glob.glob(target, recursive=True) if os.path.isfile(p))
        else:
            found = [target]
        found = [p for p in found if not is_overlay(p)]
        if found != [target]:  # found by a search, not named: another tool's file is passed by
            found = [p for p in found if not is_foreign(p)]
        if not found:
            raise ConfigError(f"{target}: matches no config file")
        paths.extend(found)
    return list(dict.fromkeys(paths))


#: directories a search never enters: tools' caches and environments, not deployments
_SKIPPED_DIRS: Final = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env"})


def _nested(root: str) -> list[str]:
    """Config files below `root` (not in it): the files the dialects' nested patterns name
    (`acct-a/config/config.toml`, `bot/user_data/config.json`) whose content some dialect
    recognises; hidden directories and tools' environments are not searched."""
    patterns = nested_patterns()
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        if directory == root:
            continue
        parent = os.path.basename(directory)
        for name in sorted(files):
            if any(_matches(pattern, parent, name) for pattern in patterns):
                path = os.path.join(directory, name)
                if claimed(path):
                    found.append(path)
    return found


def _matches(pattern: str, parent: str, name: str) -> bool:
    if "/" in pattern:
        folder, _, file_pattern = pattern.partition("/")
        return fnmatch.fnmatch(parent, folder) and fnmatch.fnmatch(name, file_pattern)
    return fnmatch.fnmatch(name, pattern)


#: directory names every install of a system has, which tell no account apart
_LAYOUT_DIRS: Final = frozenset({"config", "user_data", "conf"})


def distinct_ids(paths: Sequence[str]) -> dict[str, str]:
    """Each config's environment id in a fleet: its file stem, or, where several configs share
    one (every account's file is `config.toml`), the directories that tell them apart."""
    stems = {path: name_and_stem(path)[1] for path in paths}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem] = counts.get(stem, 0) + 1
    ids = {}
    for path, stem in stems.items():
        if counts[stem] == 1:
            ids[path] = stem
            continue
        parts = os.path.dirname(os.path.normpath(path)).split(os.sep)
        while len(parts) > 1 and parts[-1] in _LAYOUT_DIRS:  # acct-a/config -> acct-a
            parts.pop()
        ids[path] = "/".join(p for p in parts if p not in ("", ".")) or stem
    return ids


def audit_config(
    path: str,
    environment_id: str,
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environ: Mapping[str, str] | None = None,
) -> FleetResult:
    """One config of the fleet: loaded, assessed and judged by the `--expect blocked` policy;
    a config that does not load is an invalid row, not an error."""
    try:
        loaded = load([path], environ=environ)
    except ConfigError as error:
        return _invalid_row(path, environment_id, error), (path,)
    assessment = assess(loaded, environment_id=environment_id)
    snapshot = snapshot_of(assessment, timestamp_utc=timestamp_utc, versions=versions)
    verdict, drills = assessment.verdict, assessment.drills
    row = FleetRow(
        path=path,
        dialect=loaded.dialect,
        environment_id=assessment.environment_id,
        effective_mode=verdict.effective_mode.value,
        live_allowed=verdict.allowed,
        config_armed=assessment.config_armed,
        blockers=tuple(c.value for c in verdict.codes),
        drills_passed=drills.passed,
        drills_failed=drills.failed,
        drills_executable=drills.executable,
        violations=check_snapshot(snapshot, Expectation.BLOCKED),
    )
    return row, (path, *read_paths(loaded))


def iter_fleet(
    paths: Sequence[str],
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environ: Mapping[str, str] | None = None,
) -> Iterator[FleetResult]:
    """Every config of the fleet audited in this process, in order."""
    ids = distinct_ids(paths)
    for path in paths:
        yield audit_config(
            path, ids[path], timestamp_utc=timestamp_utc, versions=versions, environ=environ
        )


def audit_fleet(
    paths: Iterable[str],
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environ: Mapping[str, str] | None = None,
) -> FleetReport:
    """The whole fleet's report, audited in this process."""
    rows = []
    inputs: list[str] = []
    for row, read in iter_fleet(
        list(paths), timestamp_utc=timestamp_utc, versions=versions, environ=environ
    ):
        rows.append(row)
        inputs.extend(read)
    return FleetReport(rows=tuple(rows), inputs=tuple(dict.fromkeys(inputs)))


def _invalid_row(path: str, environment_id: str, error: ConfigError) -> FleetRow:
    verdict = config_invalid_verdict(error)
    return FleetRow(
        path=path,
        dialect="unknown",
        environment_id=environment_id,
        effective_mode=verdict.effective_mode.value,
        live_allowed=False,
        config_armed=False,
        blockers=tuple(c.value for c in verdict.codes),
        drills_passed=0,
        drills_failed=0,
        drills_executable=False,
        error=str(error),
    )
