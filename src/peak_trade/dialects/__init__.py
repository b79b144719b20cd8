"""The audited systems, listed once.

`DIALECTS` is the only list: detection order, the `--dialect` choices, `fleet`'s file patterns
and the help text derive from it. A new system is its package under `dialects/` (implementing
`dialects.interface.Dialect`) plus one line here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peak_trade.dialects.freqtrade.dialect import FREQTRADE
from peak_trade.dialects.hummingbot.dialect import HUMMINGBOT
from peak_trade.dialects.nautilus.dialect import NAUTILUS
from peak_trade.dialects.peak_trade.dialect import PEAK_TRADE
from peak_trade.errors import ConfigError

if TYPE_CHECKING:  # the interface is for the type checker: no command creates its classes
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.dialects.interface import Dialect
    from peak_trade.live.assessment import Assessment

DIALECTS: Final[tuple[Dialect, ...]] = (PEAK_TRADE, FREQTRADE, HUMMINGBOT, NAUTILUS)
#: the dialect a command audits when it names no config file and no dialect
DEFAULT: Final[Dialect] = PEAK_TRADE

DIALECT_NAMES: Final = tuple(d.name for d in DIALECTS)
HINT: Final = (
    f"cannot tell which system this config belongs to; use --dialect {'|'.join(DIALECT_NAMES)}"
)
_BY_NAME: Final = {d.name: d for d in DIALECTS}


def named(name: str) -> Dialect:
    """The dialect of that name (`config.dialect`, `--dialect`)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown dialect {name!r} (known: {', '.join(DIALECT_NAMES)})") from None


def detect(path: str, raw: bytes) -> Dialect:
    """The first dialect, in `DIALECTS` order, whose content rule claims the file."""
    for dialect in DIALECTS:
        if dialect.claims(path, raw):
            return dialect
    raise ConfigError(f"{path}: {HINT}")


def _detect_any(paths: Sequence[str], first: bytes) -> Dialect:
    """The dialect of several files that merge: the first file any dialect claims decides
    (`-c exchange-keys.json -c config.json`: the keys file alone says nothing), among those
    dialects whose files merge."""
    try:
        return detect(paths[0], first)
    except ConfigError:
        if len(paths) == 1:
            raise
    from peak_trade.files import read_config_bytes

    for path in paths[1:]:
        raw = read_config_bytes(path)
        found = next((d for d in DIALECTS if d.several_files and d.claims(path, raw)), None)
        if found is not None:
            return found
    raise ConfigError(f"{paths[0]}: {HINT}")


def _directory_dialect(path: str) -> Dialect | None:
    """The dialect a directory named as the config belongs to (a Hummingbot instance): the
    first, in `DIALECTS` order, that takes directories and takes this one; None for a file, or
    a directory no dialect takes (reading it then says it is a directory, as for any dialect)."""
    if not os.path.isdir(path):
        return None
    for dialect in DIALECTS:
        takes_directory = getattr(dialect, "takes_directory", None)  # `DirectoryDialect`
        if takes_directory is not None and takes_directory(path):
            return dialect
    return None


def file_patterns() -> tuple[str, ...]:
    """What `fleet DIR` looks for: every dialect's patterns, each once."""
    return tuple(dict.fromkeys(p for d in DIALECTS for p in d.file_patterns))


def nested_patterns() -> tuple[str, ...]:
    """What `fleet DIR` takes from DIR's subdirectories: every dialect's, each once."""
    return tuple(dict.fromkeys(p for d in DIALECTS for p in d.nested_patterns))


def claimed(path: str) -> bool:
    """Whether some dialect recognises the file's content (an unreadable file: no)."""
    from peak_trade.files import read_config_bytes

    try:
        raw = read_config_bytes(path)
        return any(d.claims(path, raw) for d in DIALECTS)
    except ConfigError:
        return False


#: other tools' config files a directory search meets, never a trading system's
_FOREIGN: Final = frozenset(
    {
        "pyproject.toml",
        "ruff.toml",
        ".ruff.toml",
        "Cargo.toml",
        "rustfmt.toml",
        "netlify.toml",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "composer.json",
    }
)


def is_foreign(path: str) -> bool:
    """A file a directory search skips: another tool's config (named explicitly, it is audited)."""
    return os.path.basename(path) in _FOREIGN


def is_overlay(path: str) -> bool:
    """A file some dialect merges into its neighbour and never audits alone."""
    return any(d.is_overlay(path) for d in DIALECTS)


def load(
    paths: Sequence[str],
    *,
    dialect: str | None = None,
    environ: Mapping[str, str] | None = None,
    bounded_live: bool = True,
) -> LoadedConfig:
    """Load the config the command names (no path: the default dialect's own resolution).
    Detection and decoding share one parse of a TOML file's bytes (`core.tomldoc`)."""
    from peak_trade.core.tomldoc import one_load
    from peak_trade.files import read_config_bytes

    env = os.environ if environ is None else environ
    chosen = named(dialect) if dialect is not None else None
    raw: bytes | None = None
    with one_load():
        if chosen is None:
            if paths and (directory := _directory_dialect(paths[0])) is not None:
                chosen = directory  # it reads the directory itself (raw stays None)
            elif paths:
                raw = read_config_bytes(paths[0])
                chosen = _detect_any(paths, raw)
            else:
                chosen = _with_default_files(env)
        if len(paths) > 1 and not chosen.several_files:
            several = ", ".join(d.title for d in DIALECTS if d.several_files)
            raise ConfigError(f"--config may repeat only for {several} configs (they merge)")
        # the bytes detection read are the bytes decoded: one read of the file
        return chosen.load(paths, environ=env, bounded_live=bounded_live, raw=raw)


def default_locations() -> str:
    """Where a command without `--config` looks, every dialect in list order, in words."""
    return "; ".join(d.default_locations for d in DIALECTS)


def default_paths(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The files a command without `--config` and `--dialect` reads (none: the default
    dialect's embedded default)."""
    return _with_default_files(environ).default_paths(environ)


def _with_default_files(environ: Mapping[str, str]) -> Dialect:
    """Without `--config`: the first dialect, in list order, whose own default locations hold a
    file; else the default dialect (whose embedded default then applies)."""
    return next((d for d in DIALECTS if d.default_paths(environ)), DEFAULT)


def assess(
    loaded: LoadedConfig,
    *,
    environment_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
) -> Assessment:
    """Gates, caps, drills and derived facts of one loaded config, by its own dialect."""
    return named(loaded.dialect).assess(
        loaded, environment_id=environment_id, scenario_ids=scenario_ids
    )
