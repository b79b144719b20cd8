"""The freqtrade dialect: "if this bot starts with this config and this environment, can real
orders leave, and what caps them?"

Loading follows freqtrade's `configuration` package: JSON with comments and trailing commas;
several `--config` files merge, the later winning; `add_config_files` are read relative to the
including file, which wins, at most 5 levels deep; then every `FREQTRADE__SECTION__KEY` variable
overrides the files (keys lower-cased; values typed int, else float, else t/true/f/false, else
string). Decoding is pure: merged data, the names of the overrides applied and the names of the
non-empty variables go in; no secret value is read beyond whether it is there.

Where freqtrade is lenient we are strict: `dry_run` absent or not a boolean is an error (freqtrade
requires it), and so is a cap of the wrong type or out of range.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any, Final

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.config import (
    BotFacts,
    LoadedConfig,
    file_infos,
    name_and_stem,
    read_config_bytes,
    source_of,
)
from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig, TradingEnvironment
from peak_trade.core.redaction import endpoint_origin, is_secret_key, normalised, redact
from peak_trade.core.registry import CURRENCY_PATTERN, FREQTRADE_CAPS, FULL_MATCH
from peak_trade.core.venues import Credential, Venue
from peak_trade.dialects import jsonc
from peak_trade.errors import ConfigError

DIALECT: Final = "freqtrade"
ENV_PREFIX: Final = "FREQTRADE__"
MAX_INCLUDE_DEPTH: Final = 5
ENV_PLACEHOLDER: Final = "<set in the environment>"

#: exchange credentials freqtrade reads (and masks in its own `show-config`)
CREDENTIAL_KEYS: Final = (
    "key",
    "api_key",
    "apiKey",
    "secret",
    "password",
    "uid",
    "account_id",
    "accountId",
    "wallet_address",
    "walletAddress",
    "private_key",
    "privateKey",
)
#: secrets the general name rule does not catch; freqtrade's list plus what it misses
_SECRET_PATHS: Final = frozenset(
    {
        ("telegram", "token"),
        ("telegram", "chat_id"),
        ("telegram", "authorized_users"),
        ("discord", "webhook_url"),
        ("webhook", "url"),
        ("api_server", "username"),
        ("api_server", "password"),
        ("api_server", "jwt_secret_key"),
        ("api_server", "ws_token"),
        ("coingecko", "api_key"),
    }
)
_CCXT_TABLES: Final = ("ccxt_config", "ccxt_sync_config", "ccxt_async_config")
_CCXT_SECRET_NAMES: Final = frozenset(
    {
        "apikey",
        "secret",
        "password",
        "uid",
        "login",
        "privatekey",
        "walletaddress",
        "token",
        "headers",
        "twofa",
    }
)
_TEST_HOST_WORDS: Final = ("testnet", "sandbox", "demo", "test.", "-test")


def is_freqtrade_secret(path: tuple[str, ...]) -> bool:
    """Freqtrade's own secret keys, every ccxt credential (or header) in a ccxt table, and every
    `webhook` value but its transport settings: a webhook's payloads carry the receiver's keys
    under any name (Pushover's `user`, IFTTT's key in `value1`), from the file or from a
    `FREQTRADE__WEBHOOK__…` variable."""
    if path[:2] in _SECRET_PATHS or path in _SECRET_PATHS:
        return True
    if len(path) >= 2 and path[0] == "webhook":
        return path[1] not in frozenset(
            {"enabled", "format", "retries", "retry_delay", "timeout", "allow_custom_messages"}
        )
    if len(path) >= 3 and path[0] == "exchange" and path[1] in _CCXT_TABLES:
        return any(normalised(part).replace("_", "") in _CCXT_SECRET_NAMES for part in path[2:])
    return False


# --------------------------------------------------------------------------- loading (edge)


def deep_merge(source: Mapping[str, Any], destination: dict[str, Any]) -> dict[str, Any]:
    """freqtrade's merge: `source` wins; tables merge key by key, everything else is replaced."""
    for key, value in source.items():
        if isinstance(value, Mapping):
            node = destination.get(key)
            if not isinstance(node, dict):
                node = {}
                destination[key] = node
            deep_merge(value, node)
        else:
            destination[key] = value
    return destination


def _read(path: str) -> dict[str, Any]:
    try:
        data = jsonc.loads(read_config_bytes(path))
    except jsonc.JsoncError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a freqtrade config is a JSON object")
    return data


Files = list[tuple[str, dict[str, Any]]]


def _load_with_includes(path: str, level: int, files: Files, precedence: Files) -> dict[str, Any]:
    """Read `path` and what it includes. `files` gets them in reading order (for the report);
    `precedence` in merge precedence, lowest first: a file after everything it includes."""
    if level > MAX_INCLUDE_DEPTH:
        raise ConfigError(f"{path}: add_config_files nested deeper than {MAX_INCLUDE_DEPTH}")
    data = _read(path)
    files.append((path, data))
    includes = data.get("add_config_files")
    if includes is None:
        precedence.append((path, data))
        return data
    if not isinstance(includes, list) or not all(isinstance(p, str) for p in includes):
        raise ConfigError(f"{path}: add_config_files: expected a list of paths")
    base = os.path.dirname(os.path.abspath(path))
    merged: dict[str, Any] = {}
    for include in includes:
        sub = _load_with_includes(os.path.join(base, include), level + 1, files, precedence)
        merged = deep_merge(sub, merged)
    precedence.append((path, data))
    return deep_merge(data, merged)  # the including file wins


def typed(value: str) -> Any:
    """freqtrade's typing of an environment value: int, else float, else bool, else string."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        pass
    if value.lower() in ("t", "true"):
        return True
    if value.lower() in ("f", "false"):
        return False
    return value


def env_overrides(environ: Mapping[str, str]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The `FREQTRADE__…` variables as a nested dict, and their names.

    A variable whose key path is secret contributes a placeholder, never its value.
    """
    nested: dict[str, Any] = {}
    names = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX):
            continue
        parts = tuple(p.lower() for p in name.removeprefix(ENV_PREFIX).split("__"))
        if not all(parts):
            continue
        names.append(name)
        secret = is_secret_key(parts) or is_freqtrade_secret(parts)
        value: Any = (ENV_PLACEHOLDER if environ[name] else "") if secret else typed(environ[name])
        for part in reversed(parts):
            value = {part: value}
        nested = deep_merge(value, nested)
    return nested, tuple(names)


def load(paths: list[str], environ: Mapping[str, str]) -> LoadedConfig:
    """Read the files as freqtrade does, apply the environment, decode."""
    files: Files = []
    precedence: Files = []
    merged: dict[str, Any] = {}
    for path in paths:
        merged = deep_merge(_load_with_includes(path, 0, files, precedence), merged)
    overrides, names = env_overrides(environ)
    merged = deep_merge(overrides, merged)
    present = frozenset(name for name, value in environ.items() if value)
    return decode(
        merged,
        files=files,
        precedence=precedence,
        env_override_names=names,
        present_env=present,
    )


# --------------------------------------------------------------------------- decoding (pure)


def decode(
    data: Mapping[str, Any],
    *,
    files: Files,
    precedence: Files | None = None,
    env_override_names: tuple[str, ...] = (),
    present_env: Collection[str] = (),
) -> LoadedConfig:
    """Merged freqtrade config -> `LoadedConfig`. Pure.

    `files` in reading order (reported), `precedence` in merge precedence, lowest first (for
    the file each cap came from; default: `files`).
    """
    origin = files[0][0] if files else "freqtrade"
    where = " + ".join(path for path, _ in files) or origin
    dry_run_from_env = f"{ENV_PREFIX}DRY_RUN" in env_override_names
    if "dry_run" not in data:
        raise ConfigError(f"{where}: dry_run: required by freqtrade (true keeps orders simulated)")
    dry_run = data["dry_run"]
    if not isinstance(dry_run, bool):
        source = f" (set by {ENV_PREFIX}DRY_RUN)" if dry_run_from_env else ""
        raise ConfigError(f"{where}: dry_run: expected bool, got {type(dry_run).__name__}{source}")
    caps = tuple(_caps(data, where, precedence or files, env_override_names))
    exchange = data.get("exchange")
    exchange = exchange if isinstance(exchange, Mapping) else {}
    credentials = _credentials(exchange, env_override_names, present_env)
    present = {c.key.rsplit(".", 1)[1].lower() for c in credentials if c.present}
    has_key = bool(present & {"key", "api_key", "apikey"})
    has_secret = "secret" in present
    endpoints = _endpoints(exchange)
    sandbox = _sandbox(exchange, endpoints)
    stake_currency = data.get("stake_currency", "")
    if not isinstance(stake_currency, str) or not FULL_MATCH[CURRENCY_PATTERN].fullmatch(
        stake_currency
    ):
        raise ConfigError(f"{where}: stake_currency: expected an upper-case currency code")
    api_server = data.get("api_server")
    api_server = api_server if isinstance(api_server, Mapping) else {}
    unprotected = api_server.get("enabled") is True and not api_server.get("jwt_secret_key")

    redacted, redacted_keys = redact(data, also_secret=is_freqtrade_secret)
    venue = Venue(
        name="exchange",
        label=exchange.get("name") if isinstance(exchange.get("name"), str) else None,
        enabled=None,
        sandbox=sandbox,
        endpoints=endpoints,
        credentials=credentials,
    )
    sources = list(dict.fromkeys(c.source or "" for c in caps))
    return LoadedConfig(
        environment=EnvironmentConfig(
            environment=TradingEnvironment.PAPER if dry_run else TradingEnvironment.LIVE
        ),
        risk=LiveRiskConfig(base_currency=stake_currency),
        caps=caps,
        bounded_live_enabled=False,
        venues=(venue,),
        inline_credentials=tuple(c.key for c in credentials if c.kind == "inline"),
        source="file",
        resolved_from="option",
        path=origin,
        files=file_infos(files, data, redacted, also_secret=is_freqtrade_secret),
        limits_source=", ".join(sources) if sources else "not_set",
        default_environment_id=name_and_stem(origin)[1],
        redacted=redacted,
        redacted_keys=redacted_keys,
        dialect=DIALECT,
        env_overrides=env_override_names,
        bot=BotFacts(
            dry_run=dry_run,
            dry_run_from_env=dry_run_from_env,
            credentials_present=has_key and has_secret,
            sandbox=sandbox,
            api_server_unprotected=unprotected,
        ),
    )


def _caps(
    data: Mapping[str, Any], where: str, precedence: Files, overrides: tuple[str, ...]
) -> list[ConfiguredCap]:
    caps = []
    for row in FREQTRADE_CAPS:
        if row.key not in data:
            continue  # left to the strategy
        value = data[row.key]
        try:
            msgspec.convert(value, type=row.type, strict=True)
        except msgspec.ValidationError as exc:
            message = str(exc).split(" - at ", 1)[0]
            raise ConfigError(f"{where}: {row.key}: {message[:1].lower()}{message[1:]}") from None
        unlimited = value in row.unlimited and type(value) is type(row.unlimited[0])
        from_env = f"{ENV_PREFIX}{row.key.upper()}" in overrides
        source = "environment" if from_env else source_of(row.key, precedence)
        caps.append(
            ConfiguredCap(
                kind=row.kind,
                key=row.key,
                value=None if unlimited else value,
                unlimited=unlimited,
                source=source,
            )
        )
    return caps


def _credentials(
    exchange: Mapping[str, Any], overrides: tuple[str, ...], present_env: Collection[str]
) -> tuple[Credential, ...]:
    found = []
    for key in CREDENTIAL_KEYS:
        variable = f"{ENV_PREFIX}EXCHANGE__{key.upper()}"
        if variable in overrides:
            found.append(
                Credential(key=f"exchange.{key}", kind="env_var", present=variable in present_env)
            )
        elif isinstance(exchange.get(key), str) and exchange[key]:
            found.append(Credential(key=f"exchange.{key}", kind="inline", present=True))
    return tuple(found)


def _endpoints(exchange: Mapping[str, Any]) -> tuple[str, ...]:
    """Hosts of `urls` overrides in the ccxt tables (scheme://host[:port] only)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, str):
            origin = endpoint_origin(value)
            if origin is not None and origin not in found:
                found.append(origin)

    for table in _CCXT_TABLES:
        config = exchange.get(table)
        if isinstance(config, Mapping):
            walk(config.get("urls"))
    return tuple(found)


def _sandbox(exchange: Mapping[str, Any], endpoints: tuple[str, ...]) -> bool:
    """ccxt's sandbox/testnet option, or every `urls` override pointing at a test host."""
    for table in _CCXT_TABLES:
        config = exchange.get(table)
        options = config.get("options") if isinstance(config, Mapping) else None
        if isinstance(options, Mapping) and (
            options.get("sandbox") is True or options.get("testnet") is True
        ):
            return True
    return bool(endpoints) and all(
        any(word in host for word in _TEST_HOST_WORDS) for host in endpoints
    )
