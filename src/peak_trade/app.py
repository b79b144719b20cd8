"""The services the command line calls, with plain values (no argparse).

This is an edge (DESIGN §1): it reads the clock, the versions and, through the dialect's
loader, the config files and environment. The decisions stay in `live/`. Importing this module
is cheap; each service imports what it needs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peak_trade.archive.ledger import LedgerEntry
    from peak_trade.archive.store import Signing
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import ProfileResult
    from peak_trade.live.findings import CheckReport
    from peak_trade.live.fleet import FleetResult
    from peak_trade.live.policy import Expectation, PolicyViolation
    from peak_trade.live.snapshot import LiveAuditSnapshot

#: what taking a snapshot imports beyond the assessment (see `import_before_guard`)
SNAPSHOT_MODULES = ("live.snapshot", "versions")


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def import_before_guard(*modules: str) -> None:
    """Import what a guarded run imports (modules under `peak_trade.`), before the guard is armed.

    The guard switches bytecode writing off (a .pyc is a write), so a module first imported
    under it would be compiled again on every run (about 3 ms for a snapshot's modules). Each
    command names what it needs beyond the assessment.
    """
    import peak_trade.live.assessment  # noqa: F401

    for module in modules:
        __import__(f"peak_trade.{module}")


def assess_config(
    paths: Sequence[str],
    *,
    dialect: str | None = None,
    bounded_live: bool = True,
    allow_default: bool = True,
    environment_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
) -> Assessment:
    """Find, load and assess one config: the shared first half of export, archive, check,
    status and drills. No paths: Peak_Trade's resolution order, down to the embedded default,
    which is refused unless `allow_default`."""
    from peak_trade.dialects import assess, default_locations, load
    from peak_trade.errors import ConfigError

    loaded = load(paths, dialect=dialect, bounded_live=bounded_live)
    if loaded.source == "embedded-default" and not allow_default:
        raise ConfigError(
            f"no config at {default_locations()};"
            " name one with --config, or pass --allow-default to judge the embedded default"
        )
    return assess(loaded, environment_id=environment_id, scenario_ids=scenario_ids)


def snapshot_now(assessment: Assessment) -> LiveAuditSnapshot:
    """The snapshot of an assessment, taken now: reads the clock and the versions (the git
    commit of the config's directory, else of the working directory)."""
    from peak_trade.live.snapshot import snapshot_of
    from peak_trade.versions import collect_versions

    path = assessment.loaded.path
    config_dir = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    return snapshot_of(assessment, timestamp_utc=utc_now(), versions=collect_versions(config_dir))


def controls_of(profile: str, loaded: LoadedConfig) -> ProfileResult:
    """A control profile (`check --profile`) judged for one loaded config by its dialect's
    evidence table."""
    from peak_trade.dialects import named
    from peak_trade.live.controls import profile as profile_named
    from peak_trade.live.evidence import evaluate

    table = named(loaded.dialect).control_evidence()
    return evaluate(profile_named(profile), loaded, table)


def check_report(
    snapshot: LiveAuditSnapshot,
    expect: Expectation,
    violations: tuple[PolicyViolation, ...],
    loaded: LoadedConfig,
    controls: ProfileResult | None,
) -> CheckReport:
    """A check's findings placed in their files, with the line of each key: reads each file a
    finding names (read-only, as the config was read; one that cannot be read gets no line)."""
    from peak_trade.errors import ConfigError
    from peak_trade.files import read_config_bytes
    from peak_trade.live.findings import check_report, finding_files, with_lines

    report = check_report(snapshot, expect, violations, loaded, controls)
    texts = {}
    for path in dict.fromkeys([*finding_files(report.findings), *filter(None, [loaded.path])]):
        try:
            texts[path] = read_config_bytes(path).decode("utf-8", "replace")
        except ConfigError:
            continue
    return with_lines(report, texts)


def configs_read(paths: Sequence[str]) -> list[str]:
    """The config files a run reads (to protect them from being named as outputs)."""
    from peak_trade.dialects import default_paths

    if paths:
        return list(paths)
    return list(default_paths(os.environ))


@contextmanager
def fleet_now(paths: Sequence[str], *, jobs: int | None = None) -> Iterator[Iterator[FleetResult]]:
    """Every config of the fleet assessed and judged, timestamped now: (row, files read) in the
    fleet's order, computed in forked workers for a large fleet (`live.fleet.fleet_workers`),
    else in this process as the results are consumed.

    Enter it before arming the read-only guard and consume the results under it: the workers
    are forked on entry, each under a guard of its own (`peak_trade.workers`). The clock, the
    versions and the environment are read here, under a guard, once for every row (a copy of
    the environment: `os.environ` decodes every name and value on each walk, about 2 % of a
    row)."""
    from peak_trade.live.fleet import CHUNK, audit_config, distinct_ids, fleet_workers
    from peak_trade.readonly import ReadOnlyGuard
    from peak_trade.versions import collect_versions
    from peak_trade.workers import OrderedWorkers, usable_cpus

    with ReadOnlyGuard():
        timestamp_utc, versions = utc_now(), collect_versions(os.getcwd())
    environ = dict(os.environ)
    ids = distinct_ids(paths)

    def audit(path: str) -> FleetResult:
        return audit_config(
            path, ids[path], timestamp_utc=timestamp_utc, versions=versions, environ=environ
        )

    workers = fleet_workers(len(paths), cpus=usable_cpus(), jobs=jobs)
    pool = OrderedWorkers(audit, paths, workers=workers, chunk=CHUNK)
    with pool as results:
        yield _sharing_strings(results, paths, ids) if pool.forked else results


def _sharing_strings(
    results: Iterator[FleetResult], paths: Sequence[str], ids: dict[str, str]
) -> Iterator[FleetResult]:
    """A worker's rows, each holding this process's own path and id strings instead of the
    copies that came through the pipe: a kept row then costs its struct, not two more strings
    (as a row computed here does)."""
    import msgspec

    for path, (row, read) in zip(paths, results, strict=True):
        environment_id = ids[path] if row.environment_id == ids[path] else row.environment_id
        yield msgspec.structs.replace(row, path=path, environment_id=environment_id), read


def make_archive_dir(archive_dir: str) -> None:
    """Create the archive directory on first use, once the input is known to be good."""
    from peak_trade.errors import ArchiveError

    try:
        os.makedirs(archive_dir, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"{archive_dir}: cannot create ({exc.strerror})") from None


def check_archive_dir(archive_dir: str) -> None:
    """Refuse an archive directory that is something else, before any work."""
    from peak_trade.errors import ArchiveError

    if os.path.lexists(archive_dir) and not os.path.isdir(archive_dir):
        raise ArchiveError(f"{archive_dir}: exists and is not a directory")


def adopt_exports(
    archive_dir: str, paths: Sequence[str], *, signing: Signing | None
) -> list[LedgerEntry]:
    """`archive --adopt`: snapshots exported and moved by hand join the chain, one entry each."""
    from peak_trade.archive.adopt import read_exports
    from peak_trade.archive.store import adopt_files, archive_output_predicate, markdown_sibling
    from peak_trade.readonly import ReadOnlyGuard

    exports = read_exports(paths)
    originals = [p for export in exports for p in (export[0], markdown_sibling(export[0]))]
    make_archive_dir(archive_dir)
    with ReadOnlyGuard(outputs=originals, allow=archive_output_predicate(archive_dir)):
        return adopt_files(archive_dir, exports, signing=signing)


def previous_config(archive_dir: str) -> tuple[int, str | None, str] | None:
    """(seq, config path, dialect) of the archive's newest entry; None for a new archive or
    whenever it cannot be read (it only feeds a note)."""
    from peak_trade.archive.refs import last_config

    return last_config(archive_dir)
