"""Audit many configs in one process: one row per config, the `check --expect blocked` policy
applied to each, and the exit rule of the whole fleet.

A config that fails to load is reported (`config_invalid`, blocked) and the others still are.
Exit: 1 when any row violates the policy (a finding outranks bad input), else 2 when any config
is invalid, else 0.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Mapping, Sequence
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


class FleetRow(msgspec.Struct, frozen=True, kw_only=True):
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


class FleetReport(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[FleetRow, ...]
    #: every file the fleet read (configs, overlays, includes): never an output
    inputs: tuple[str, ...] = ()

    @property
    def allowed(self) -> int:
        return sum(r.live_allowed for r in self.rows)

    @property
    def armed(self) -> int:
        return sum(r.config_armed for r in self.rows)

    @property
    def invalid(self) -> int:
        return sum(r.error is not None for r in self.rows)

    @property
    def drills_failing(self) -> int:
        return sum(r.drills_failed > 0 for r in self.rows)

    @property
    def violating(self) -> int:
        return sum(bool(r.violations) for r in self.rows)

    def outcome(self) -> FleetOutcome:
        if self.violating:
            return FleetOutcome.FINDING
        if self.invalid:
            return FleetOutcome.INVALID
        return FleetOutcome.OK

    def summary(self) -> str:
        return (
            f"{len(self.rows)} config(s): {self.allowed} live-allowed, {self.armed} armed,"
            f" {len(self.rows) - self.allowed - self.invalid} blocked, {self.invalid} invalid;"
            f" drills failing in {self.drills_failing}; policy violated by {self.violating}"
        )

    def payload(self) -> dict[str, object]:
        """The JSON form (`audit fleet --format json`, `--output-json`)."""
        return {
            "summary": self.summary(),
            "outcome": self.outcome().name.lower(),
            "allowed": self.allowed,
            "armed": self.armed,
            "invalid": self.invalid,
            "drills_failing": self.drills_failing,
            "violating": self.violating,
            "rows": self.rows,
        }


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


def audit_fleet(
    paths: Iterable[str],
    *,
    timestamp_utc: str,
    versions: LiveAuditVersions,
    environ: Mapping[str, str] | None = None,
) -> FleetReport:
    rows = []
    inputs: list[str] = []
    paths = list(paths)
    ids = distinct_ids(paths)
    for path in paths:
        inputs.append(path)
        try:
            loaded = load([path], environ=environ)
        except ConfigError as error:
            rows.append(_invalid_row(path, ids[path], error))
            continue
        inputs.extend(read_paths(loaded))
        assessment = assess(loaded, environment_id=ids[path])
        snapshot = snapshot_of(assessment, timestamp_utc=timestamp_utc, versions=versions)
        verdict, drills = assessment.verdict, assessment.drills
        rows.append(
            FleetRow(
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
        )
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
