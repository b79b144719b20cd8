"""Audit many configs in one process: one row per config, and a summary.

A config that fails to load is reported (`config_invalid`, blocked) and the others still are.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence

import msgspec

from peak_trade.core.config import LoadedConfig, load_config, name_and_stem
from peak_trade.errors import ConfigError, UsageError
from peak_trade.live.drills import run_drills
from peak_trade.live.safety import SafetyGuard


class FleetRow(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    environment_id: str
    effective_mode: str
    live_allowed: bool
    blockers: tuple[str, ...]
    drills_passed: int
    drills_failed: int
    drills_executable: bool
    error: str | None = None


class FleetReport(msgspec.Struct, frozen=True, kw_only=True):
    rows: tuple[FleetRow, ...]

    @property
    def allowed(self) -> int:
        return sum(r.live_allowed for r in self.rows)

    @property
    def invalid(self) -> int:
        return sum(r.error is not None for r in self.rows)

    @property
    def drills_failing(self) -> int:
        return sum(r.drills_failed > 0 for r in self.rows)

    def summary(self) -> str:
        return (
            f"{len(self.rows)} config(s): {self.allowed} live-allowed,"
            f" {len(self.rows) - self.allowed - self.invalid} blocked, {self.invalid} invalid;"
            f" drills failing in {self.drills_failing}"
        )


def expand_targets(targets: Sequence[str]) -> list[str]:
    """Directories (their *.toml), glob patterns and files -> config paths, each once."""
    paths: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            found = sorted(glob.glob(os.path.join(glob.escape(target), "*.toml")))
        elif glob.has_magic(target):
            found = sorted(p for p in glob.glob(target, recursive=True) if os.path.isfile(p))
        else:
            found = [target]
        if not found:
            raise UsageError(f"{target}: matches no config file")
        paths.extend(found)
    return list(dict.fromkeys(paths))


def audit_row(path: str, loaded: LoadedConfig | ConfigError) -> FleetRow:
    """One config's row. Pure: the loading happened before."""
    stem = name_and_stem(path)[1]
    if isinstance(loaded, ConfigError):
        verdict = SafetyGuard(loaded).verdict
        return FleetRow(
            path=path,
            environment_id=stem,
            effective_mode=verdict.effective_mode.value,
            live_allowed=False,
            blockers=tuple(c.value for c in verdict.codes),
            drills_passed=0,
            drills_failed=0,
            drills_executable=False,
            error=str(loaded),
        )
    verdict = SafetyGuard(loaded.environment).verdict
    drills = run_drills(loaded)
    return FleetRow(
        path=path,
        environment_id=loaded.default_environment_id,
        effective_mode=verdict.effective_mode.value,
        live_allowed=verdict.allowed,
        blockers=tuple(c.value for c in verdict.codes),
        drills_passed=drills.passed,
        drills_failed=drills.failed,
        drills_executable=drills.executable,
    )


def audit_fleet(paths: Iterable[str], environ: dict[str, str] | None = None) -> FleetReport:
    rows = []
    for path in paths:
        try:
            loaded: LoadedConfig | ConfigError = load_config(path, environ=environ)
        except ConfigError as error:
            loaded = error
        rows.append(audit_row(path, loaded))
    return FleetReport(rows=tuple(rows))
