"""A loaded config, in terms every dialect shares: what was decoded, from which files, and the
hash of its redacted form. Pure; the loaders that produce it are each dialect's (`dialects/`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.digest import sha256_hex
from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig, TradingEnvironment
from peak_trade.core.killswitch import KillSwitch
from peak_trade.core.redaction import redact
from peak_trade.core.venues import Venue

ConfigSource = Literal["file", "embedded-default", "api"]
ResolvedFrom = Literal["option", "env", "default-path", "embedded-default", "api"]


class ConfigFileInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One file read for a config, and its redacted content (hashed for the provenance)."""

    path: str
    redacted: dict[str, Any]


class LoadedConfig(msgspec.Struct, frozen=True, kw_only=True):
    """A decoded config and where it came from. Holds secrets only inside `Secret`.

    Neutral facts every dialect states: the trading `mode`, the `base_currency` of money caps,
    whether the system checks caps at all (`limits_enabled`), the caps, venues and provenance.
    `dialect` names the system (`peak_trade.dialects`); what only that system has is read only
    by its own package: `facts` (a bot's own gates), and Peak_Trade's settings objects
    (`environment`, `risk`: its call forms, None for any other system).
    """

    dialect: str
    mode: TradingEnvironment
    base_currency: str
    limits_enabled: bool
    caps: tuple[ConfiguredCap, ...]
    venues: tuple[Venue, ...]
    source: ConfigSource
    resolved_from: ResolvedFrom
    path: str | None
    files: tuple[ConfigFileInfo, ...]
    limits_source: str
    default_environment_id: str
    redacted: dict[str, Any]
    redacted_keys: tuple[str, ...]
    env_overrides: tuple[str, ...] = ()
    #: caps that count only while an overlay (Peak_Trade's bounded live) is enabled
    bounded_live_enabled: bool = False
    #: the system's kill switch as its files state it (None: it has none the audit knows of)
    kill_switch: KillSwitch | None = None
    #: files read beside the config that are not part of it (a kill switch and its state):
    #: never an output, like the config's own files
    companions: tuple[str, ...] = ()
    facts: msgspec.Struct | None = None
    environment: EnvironmentConfig | None = None
    risk: LiveRiskConfig | None = None


def read_paths(loaded: LoadedConfig) -> tuple[str, ...]:
    """Every file the audit of this config read: its own files and their companions."""
    return (*(f.path for f in loaded.files), *loaded.companions)


def file_infos(
    parsed: list[tuple[str, dict[str, Any]]],
    merged: Mapping[str, Any],
    merged_redacted: dict[str, Any],
    *,
    also_secret: Callable[[tuple[str, ...]], bool] | None = None,
) -> tuple[ConfigFileInfo, ...]:
    """Each file's own redacted view. A single file whose data is the merged config shares the
    merged view (the same object, so it is redacted and hashed once)."""
    if len(parsed) == 1 and parsed[0][1] == merged:
        return (ConfigFileInfo(path=parsed[0][0], redacted=merged_redacted),)
    return tuple(
        ConfigFileInfo(path=p, redacted=redact(d, also_secret=also_secret)[0]) for p, d in parsed
    )


def source_of(key: str, parsed: list[tuple[str, dict[str, Any]]]) -> str:
    """The file a key's value came from: the last file that sets it, with `parsed` in merge
    precedence order (lowest first)."""
    parts = key.split(".")
    for path, data in reversed(parsed):
        node: Any = data
        for part in parts:
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            return name_and_stem(path)[0]
    return name_and_stem(parsed[0][0])[0]


def name_and_stem(origin: str) -> tuple[str, str]:
    """File name and stem of a config path: the stem is the default environment id."""
    name = origin.replace("\\", "/").rsplit("/", 1)[-1] or origin
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return name, stem


def sha256_redacted(loaded: LoadedConfig) -> str:
    """SHA-256 of the RFC 8785 canonical JSON of the redacted (merged) config."""
    return sha256_of_redacted(loaded.redacted)


def sha256_of_redacted(redacted: Mapping[str, Any]) -> str:
    import rfc8785  # lazy: only the audit needs it

    return sha256_hex(rfc8785.dumps(redacted))


def peak_trade_settings(loaded: LoadedConfig) -> tuple[EnvironmentConfig, LiveRiskConfig]:
    """Peak_Trade's settings objects of a config (its call forms: the seed's drills and gates
    read them); a TypeError for any other system's config."""
    if loaded.environment is None or loaded.risk is None:
        raise TypeError(f"not a Peak_Trade config ({loaded.dialect})")
    return loaded.environment, loaded.risk
