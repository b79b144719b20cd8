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

import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, NamedTuple

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.kinds import KIND
from peak_trade.core.loaded import LoadedConfig, ResolvedFrom, file_infos, name_and_stem, source_of
from peak_trade.core.redaction import (
    endpoint_origin,
    has_secret_name,
    normalised,
    redact,
    validation_message,
)
from peak_trade.core.registry import CURRENCY_PATTERN, FULL_MATCH
from peak_trade.core.venues import Credential, OrdersReach, Venue
from peak_trade.dialects.freqtrade import NAME, jsonc
from peak_trade.dialects.freqtrade.rows import CAPS
from peak_trade.errors import ConfigError
from peak_trade.files import MAX_NESTING, read_config_bytes

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
#: ccxt's own credential names (case-sensitive), as they may stand in a ccxt table
CCXT_CREDENTIALS: Final = (
    "apiKey",
    "secret",
    "password",
    "uid",
    "login",
    "privateKey",
    "walletAddress",
    "token",
    "twofa",
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
#: freqtrade's config_schema: `api_server.jwt_secret_key` has `minLength` 32
MIN_JWT_KEY_LENGTH: Final = 32
#: the sample keys of freqtrade's docs and templates, which its web server calls "default"
_SAMPLE_JWT_KEYS: Final = frozenset(
    {"super-secret", "somethingrandom", "somethingRandomSomethingRandom123"}
)
#: variables whose last name part freqtrade keeps as a string (case-sensitive, as freqtrade)
_NO_CONVERT: Final = ("CHAT_ID", "PASSWORD")
_ORDER_CLIENT_TABLES: Final = ("ccxt_config", "ccxt_sync_config")


#: a webhook's transport settings; every other webhook value may carry the receiver's key
_WEBHOOK_SETTINGS: Final = frozenset(
    {"enabled", "format", "retries", "retry_delay", "timeout", "allow_custom_messages"}
)


def is_freqtrade_secret(path: tuple[str, ...]) -> bool:
    """Freqtrade's own secret keys, every ccxt credential (or header) in a ccxt table, and every
    `webhook` value but its transport settings: a webhook's payloads carry the receiver's keys
    under any name (Pushover's `user`, IFTTT's key in `value1`), from the file or from a
    `FREQTRADE__WEBHOOK__…` variable."""
    if path[:2] in _SECRET_PATHS or path in _SECRET_PATHS:
        return True
    if len(path) >= 2 and path[0] == "webhook":
        return path[1] not in _WEBHOOK_SETTINGS
    if len(path) >= 3 and path[0] == "exchange" and path[1] in _CCXT_TABLES:
        return any(normalised(part).replace("_", "") in _CCXT_SECRET_NAMES for part in path[2:])
    return False


class FreqtradeFacts(msgspec.Struct, frozen=True, kw_only=True):
    """freqtrade's own gating facts (`LoadedConfig.facts`): its gates, not Peak_Trade's."""

    dry_run: bool
    #: the `FREQTRADE__…` variable that set `dry_run`, or None when a file did
    dry_run_variable: str | None
    credentials_present: bool
    sandbox: bool
    api_server_unprotected: bool
    #: the secret key paths whose value is an empty string (redaction hides that; an empty
    #: password or token is no credential)
    empty_secrets: tuple[str, ...] = ()


def facts_of(loaded: LoadedConfig) -> FreqtradeFacts:
    """The freqtrade facts of a config this dialect loaded."""
    if not isinstance(loaded.facts, FreqtradeFacts):
        raise TypeError("not a freqtrade config")
    return loaded.facts


# --------------------------------------------------------------------------- loading (edge)


def deep_merge(
    source: Mapping[str, Any],
    destination: dict[str, Any],
    *,
    where: str,
    _path: tuple[str, ...] = (),
) -> dict[str, Any]:
    """freqtrade's merge (`deep_merge_dicts`): `source` wins; tables merge key by key,
    everything else is replaced. A table merged onto a value that is not one crashes freqtrade
    (it indexes the value), so the bot never starts: a config error naming the key."""
    for key, value in source.items():
        if isinstance(value, Mapping):
            node = destination.setdefault(key, {})
            if not isinstance(node, dict):
                dotted = ".".join((*_path, key))
                raise ConfigError(
                    f"{where}: {dotted}: a table is merged onto a value that is not one;"
                    " freqtrade fails to start with this config"
                )
            deep_merge(value, node, where=where, _path=(*_path, key))
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


def _load_with_includes(
    path: str, level: int, files: Files, precedence: Files, *, relative: bool = False
) -> dict[str, Any]:
    """Read `path` and what it includes. `files` gets them in reading order (for the report);
    `precedence` in merge precedence, lowest first: a file after everything it includes.
    `relative`: the main file was named relative to the working directory, so its includes are
    reported that way too."""
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
    # freqtrade: `file.resolve().parent` (load_from_files), i.e. the directory the file really
    # lies in, every symbolic link followed: a linked config includes from beside its target
    base = os.path.dirname(os.path.realpath(path))
    merged: dict[str, Any] = {}
    for include in includes:
        target = os.path.join(base, include)
        shown = os.path.relpath(target) if relative else target
        sub = _load_with_includes(shown, level + 1, files, precedence, relative=relative)
        merged = deep_merge(sub, merged, where=path)
    precedence.append((path, data))
    return deep_merge(data, merged, where=path)  # the including file wins


def _no_overflow(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)  # rapidjson refuses a number too big for a double
    return value


def typed(value: str) -> Any:
    """freqtrade's typing of an environment value (`_get_var_typed`): int, else float, else
    t/true/f/false, else a JSON list, else the string itself."""
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
    import json  # only for a value that is no number and no boolean

    try:
        parsed = json.loads(value, parse_float=_no_overflow)
    except (ValueError, RecursionError):
        return value
    return parsed if isinstance(parsed, list) else value


def env_key_path(name: str) -> tuple[str, ...] | None:
    """The key path freqtrade's `_flat_vars_to_nested_dict` derives from a variable name, or
    None when the name does not start with the prefix.

    Exactly as freqtrade: the prefix is removed wherever it occurs (`str.replace`), so
    `FREQTRADE__FREQTRADE__DRY_RUN` sets `dry_run`; the rest splits at every `__`, empty parts
    included; parts are lower-cased, except the last one of an `exchange` path that passes
    through a ccxt table (ccxt's option names are case-sensitive).
    """
    if not name.startswith(ENV_PREFIX):
        return None
    parts = _raw_parts(name)
    preserve_case = parts[0].lower() == "exchange" and any(
        part.lower() in _CCXT_TABLES for part in parts
    )
    last = parts[-1] if preserve_case else parts[-1].lower()
    return (*(part.lower() for part in parts[:-1]), last)


def _raw_parts(name: str) -> list[str]:
    return name.replace(ENV_PREFIX, "").split("__")


def variable_setting(path: tuple[str, ...], names: Iterable[str]) -> str | None:
    """Of these variable names, the one whose value freqtrade keeps at `path` (the last in
    sorted order), or None."""
    found = [name for name in sorted(names) if env_key_path(name) == path]
    return found[-1] if found else None


class EnvOverrides(NamedTuple):
    """What the `FREQTRADE__…` variables do: the nested overrides, the variables' names (in
    freqtrade's order) and, per key path, the variable whose value freqtrade keeps."""

    nested: dict[str, Any]
    names: tuple[str, ...]
    paths: dict[tuple[str, ...], str]
    #: whether a `FREQTRADE__API_SERVER__JWT_SECRET_KEY` is usable (None: none set one)
    jwt_usable: bool | None = None


def env_overrides(environ: Mapping[str, str]) -> EnvOverrides:
    """The `FREQTRADE__…` variables as freqtrade applies them (in sorted order, the later
    winning). A variable whose key path is secret contributes a placeholder, never its value.
    """
    nested: dict[str, Any] = {}
    names = []
    paths: dict[tuple[str, ...], str] = {}
    jwt_usable: bool | None = None
    for name in sorted(environ):
        path = env_key_path(name)
        if path is None:
            continue
        if len(path) > MAX_NESTING:
            raise ConfigError(f"{name[:60]}...: a variable nested deeper than {MAX_NESTING} levels")
        names.append(name)
        raw = environ[name]
        if _secret_variable(path):
            value: Any = ENV_PLACEHOLDER if raw else ""
            if path == _JWT_PATH:  # judged here, from the value, which goes no further
                jwt_usable = _usable_jwt_key({"jwt_secret_key": raw})
        elif _raw_parts(name)[-1] in _NO_CONVERT:
            value = raw
        else:
            value = typed(raw)
        for part in reversed(path):
            value = {part: value}
        nested = deep_merge(value, nested, where=name)
        paths[path] = name
    return EnvOverrides(nested, tuple(names), paths, jwt_usable if _JWT_PATH in paths else None)


#: where freqtrade looks without `--config` (its `constants.DEFAULT_CONFIG`, under the user
#: data directory first, as its `Configuration` resolves it)
DEFAULT_PATHS: Final = ("user_data/config.json", "config.json")


def default_paths(exists: Callable[[str], bool] = os.path.isfile) -> tuple[str, ...]:
    """Where freqtrade looks without `--config` (`commands/arguments.py`): `user_data/config.json`
    whenever it is a file, else `config.json`. The latter only when it holds a freqtrade config:
    a `config.json` of another tool is not taken for a bot's."""
    first, second = DEFAULT_PATHS
    if exists(first):
        return (first,)  # freqtrade's own layout: what the bot reads, whatever it holds
    if exists(second):
        try:
            raw = read_config_bytes(second)
        except ConfigError:
            return (second,)  # unreadable: loading says why, never a silent default
        if claims(second, raw):
            return (second,)
    return ()


def claims(path: str, raw: bytes, *, level: int = 0) -> bool:
    """freqtrade's content: a JSON object (comments allowed) holding `dry_run`, or `exchange`
    and `stake_currency`; or one whose `add_config_files` lead to such a file (the widely copied
    `user_data/config.json` holding only `strategy` and `add_config_files`). An include that
    cannot be read counts as freqtrade's: the key is freqtrade's own, and loading then names the
    include's problem precisely."""
    if raw.lstrip()[:1] not in (b"{", b"/"):
        return False
    try:
        data = jsonc.loads(raw)
    except jsonc.JsoncTooDeep as exc:  # JSON beyond any config's shape: say so, not "cannot tell"
        raise ConfigError(f"{path}: {exc}") from None
    except jsonc.JsoncError:
        return False
    if not isinstance(data, dict):
        return False
    if "dry_run" in data or ("exchange" in data and "stake_currency" in data):
        return True
    includes = data.get("add_config_files")
    if not isinstance(includes, list) or not includes or level >= MAX_INCLUDE_DEPTH:
        return False
    base = os.path.dirname(os.path.realpath(path))
    for include in includes:
        if not isinstance(include, str):
            return True  # loading names the bad entry
        target = os.path.join(base, include)
        try:
            included = read_config_bytes(target)
        except ConfigError:
            return True
        if claims(target, included, level=level + 1):
            return True
    return False


def load(
    paths: list[str], environ: Mapping[str, str], *, resolved_from: ResolvedFrom = "option"
) -> LoadedConfig:
    """Read the files as freqtrade does, apply the environment, decode."""
    files: Files = []
    precedence: Files = []
    merged: dict[str, Any] = {}
    for path in paths:
        merged = deep_merge(
            _load_with_includes(path, 0, files, precedence, relative=not os.path.isabs(path)),
            merged,
            where=path,
        )
    overrides = env_overrides(environ)
    merged = deep_merge(overrides.nested, merged, where="the FREQTRADE__ environment")
    return decode(
        merged, files=files, precedence=precedence, env=overrides, resolved_from=resolved_from
    )


# --------------------------------------------------------------------------- decoding (pure)


def decode(
    data: Mapping[str, Any],
    *,
    files: Files,
    precedence: Files | None = None,
    env: EnvOverrides | None = None,
    resolved_from: ResolvedFrom = "option",
) -> LoadedConfig:
    """Merged freqtrade config -> `LoadedConfig`. Pure.

    `files` in reading order (reported), `precedence` in merge precedence, lowest first (for
    the file each cap came from; default: `files`).
    """
    origin = files[0][0] if files else "freqtrade"
    where = " + ".join(path for path, _ in files) or origin
    env = env or EnvOverrides({}, (), {})
    dry_run_variable = env.paths.get(("dry_run",))
    if "dry_run" not in data:
        raise ConfigError(f"{where}: dry_run: required by freqtrade (true keeps orders simulated)")
    dry_run = data["dry_run"]
    if not isinstance(dry_run, bool):
        source = f" (set by {dry_run_variable})" if dry_run_variable else ""
        raise ConfigError(f"{where}: dry_run: expected bool, got {type(dry_run).__name__}{source}")
    caps = tuple(_caps(data, where, precedence or files, env.paths))
    exchange = data.get("exchange")
    exchange = exchange if isinstance(exchange, Mapping) else {}
    credentials = _credentials(exchange, env.paths)
    sandbox, endpoints = _sandbox(exchange, where)
    stake_currency = data.get("stake_currency", "")
    if not isinstance(stake_currency, str) or not FULL_MATCH[CURRENCY_PATTERN].fullmatch(
        stake_currency
    ):
        raise ConfigError(f"{where}: stake_currency: expected an upper-case currency code")
    api_server = data.get("api_server")
    api_server = api_server if isinstance(api_server, Mapping) else {}
    usable = (
        env.jwt_usable
        if env.paths.get(_JWT_PATH) is not None and env.jwt_usable is not None
        else _usable_jwt_key(api_server)
    )
    unprotected = api_server.get("enabled") is True and not usable

    redacted, redacted_keys = redact(data, also_secret=is_freqtrade_secret)
    reach, reach_reason = orders_reach(exchange, where)
    venue = Venue(
        name="exchange",
        label=exchange.get("name") if isinstance(exchange.get("name"), str) else None,
        enabled=None,
        sandbox=sandbox,
        endpoints=endpoints,
        credentials=credentials,
        orders_reach=reach,
        orders_reach_reason=reach_reason,
    )
    sources = list(dict.fromkeys(c.source or "" for c in caps))
    return LoadedConfig(
        dialect=NAME,
        mode=TradingEnvironment.PAPER if dry_run else TradingEnvironment.LIVE,
        base_currency=stake_currency,
        limits_enabled=True,  # every cap freqtrade reads, it applies
        caps=caps,
        venues=(venue,),
        source="file",
        resolved_from=resolved_from,
        path=origin,
        files=file_infos(files, data, redacted, also_secret=is_freqtrade_secret),
        limits_source=", ".join(sources) if sources else "not_set",
        default_environment_id=name_and_stem(origin)[1],
        redacted=redacted,
        redacted_keys=redacted_keys,
        env_overrides=env.names,
        facts=FreqtradeFacts(
            dry_run=dry_run,
            dry_run_variable=dry_run_variable,
            credentials_present=can_sign(credentials),
            sandbox=sandbox,
            api_server_unprotected=unprotected,
            empty_secrets=tuple(k for k in redacted_keys if _value_at(data, k) == ""),
        ),
    )


_JWT_PATH: Final = ("api_server", "jwt_secret_key")


def _value_at(data: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted key path (None when a part is missing)."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _secret_variable(path: tuple[str, ...]) -> bool:
    """A `FREQTRADE__…` variable whose value is read for presence only: freqtrade's secrets, a
    credential of the exchange, or any key named like a secret. Other settings under `exchange`
    (`demo_trading`, `name`) are typed as freqtrade types them, so they are judged by value."""
    if is_freqtrade_secret(path) or has_secret_name(path[-1]):
        return True
    return len(path) == 2 and path[0] == "exchange" and path[1] in CREDENTIAL_KEYS


def _usable_jwt_key(api_server: Mapping[str, Any]) -> bool:
    """A JWT key nobody can guess: a string of at least the length freqtrade's schema asks for,
    and none of the sample keys its web server warns about (`webserver.py`: "seems to be
    default"). The key itself never leaves this function."""
    key = api_server.get("jwt_secret_key")
    return isinstance(key, str) and len(key) >= MIN_JWT_KEY_LENGTH and key not in _SAMPLE_JWT_KEYS


def _caps(
    data: Mapping[str, Any], where: str, precedence: Files, env_paths: Mapping[tuple[str, ...], str]
) -> list[ConfiguredCap]:
    caps = []
    for row in CAPS:
        if row.key not in data:
            continue  # left to the strategy
        value = data[row.key]
        try:
            msgspec.convert(value, type=row.type, strict=True)
        except msgspec.ValidationError as exc:  # never echo the value: it may be a secret
            raise ConfigError(f"{where}: {row.key}: {validation_message(str(exc))}") from None
        if isinstance(value, float) and not math.isfinite(value):  # `1e999` from the environment
            raise ConfigError(f"{where}: {row.key}: must be a finite number")
        unlimited = value in row.unlimited and type(value) is type(row.unlimited[0])
        source = "environment" if (row.key,) in env_paths else source_of(row.key, precedence)
        caps.append(
            ConfiguredCap(
                kind=row.kind,
                unit=KIND[row.kind].unit,
                key=row.key,
                value=None if unlimited else value,
                unlimited=unlimited,
                source=source,
                enforced=True,  # freqtrade applies every cap it reads (docs/freqtrade.md)
            )
        )
    return caps


def _credentials(
    exchange: Mapping[str, Any], env_paths: Mapping[tuple[str, ...], str]
) -> tuple[Credential, ...]:
    """Each credential freqtrade reads: from the environment when a variable set it last (then
    its value here is a placeholder or empty), else inline when the file holds a non-empty one."""
    found = []
    places: list[tuple[tuple[str, ...], Any]] = [
        (("exchange", key), exchange.get(key)) for key in CREDENTIAL_KEYS
    ]
    for table in _CCXT_TABLES:  # freqtrade hands these to ccxt as they are (`_init_ccxt`)
        config = exchange.get(table)
        if isinstance(config, Mapping):
            places += [(("exchange", table, key), config.get(key)) for key in CCXT_CREDENTIALS]
    for path, value in places:
        if path in env_paths:
            present = value not in (None, "")
            found.append(Credential(key=".".join(path), kind="env_var", present=present))
        elif isinstance(value, str) and value:
            found.append(Credential(key=".".join(path), kind="inline", present=True))
    return tuple(found)


def can_sign(credentials: tuple[Credential, ...]) -> bool:
    """Whether the order client holds what a venue signs orders with: a key and a secret, or
    a private key (a DEX's wallet: ccxt's hyperliquid needs `walletAddress` and `privateKey`
    only). A credential of the market-data client (`ccxt_async_config`) signs no order. Fail
    closed: any private key counts, whatever else the venue may need."""
    names = {
        c.key.rsplit(".", 1)[1].lower().replace("_", "")
        for c in credentials
        if c.present and not c.key.startswith("exchange.ccxt_async_config.")
    }
    return bool(names & {"key", "apikey"}) and "secret" in names or "privatekey" in names


def order_client_config(exchange: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The ccxt config of the client freqtrade's order calls use (`Exchange._api`, built in
    `Exchange.__init__` from `ccxt_config` merged with `ccxt_sync_config`, the latter winning).
    `ccxt_async_config` configures only the async client (market data), never an order."""
    merged: dict[str, Any] = {}
    for table in _ORDER_CLIENT_TABLES:
        config = exchange.get(table)
        if isinstance(config, Mapping):
            merged = deep_merge(config, merged, where=f"{where}: exchange.{table}")
    return merged


def _endpoints(client: Mapping[str, Any]) -> tuple[str, ...]:
    """Hosts of the order client's `urls.api` overrides (scheme://host[:port] only). Other
    `urls` entries (logo, doc, www, fees) are links for people, never where orders go."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, str):
            origin = endpoint_origin(value)
            if origin is not None and origin not in found:
                found.append(origin)

    urls = client.get("urls")
    if isinstance(urls, Mapping):
        walk(urls.get("api"))
    return tuple(found)


def _ccxt_sandbox(client: Mapping[str, Any]) -> bool:
    """ccxt's own rule (`Exchange.after_construct`): `options.sandbox` when it is a boolean,
    else `options.testnet` when it is one (`safe_bool_2`); or `sandbox: true` or
    `testnet: true` at the top of the config. Anything but a real boolean does nothing."""
    options = client.get("options")
    if isinstance(options, Mapping):
        for key in ("sandbox", "testnet"):
            value = options.get(key)
            if isinstance(value, bool):
                if value:
                    return True
                break
    return client.get("sandbox") is True or client.get("testnet") is True


def _sandbox(exchange: Mapping[str, Any], where: str) -> tuple[bool, tuple[str, ...]]:
    """Whether the order client provably talks to a test venue, and its `urls.api` hosts.

    Proof is ccxt's sandbox switch (it then sends orders to the venue's `urls.test`) or
    freqtrade's `demo_trading` (the venue's `urls.demo`, or freqtrade refuses to start where the
    venue has none), each only while the config does not override the URLs that switch selects:
    a `urls.test` or `urls.demo` of the config's own could point anywhere, production included.
    A URL override is never proof by its host name either: a host called `demo.` or `paper.` is
    whatever its owner says it is. Without proof the orders count as real (fail closed)."""
    client = order_client_config(exchange, where)
    endpoints = _endpoints(client)
    demo = exchange.get("demo_trading", False)
    if not isinstance(demo, bool):
        raise ConfigError(
            f"{where}: exchange.demo_trading: expected bool, got {type(demo).__name__}"
        )
    urls = client.get("urls")
    overridden = set(urls) if isinstance(urls, Mapping) else set()
    switched = _ccxt_sandbox(client) and "test" not in overridden
    demo_endpoint = demo and "demo" not in overridden
    return switched or demo_endpoint, endpoints


def orders_reach(exchange: Mapping[str, Any], where: str) -> tuple[OrdersReach, str]:
    """Where the order client's orders go, and why (the same proof as `_sandbox`)."""
    client = order_client_config(exchange, where)
    urls = client.get("urls")
    overridden = set(urls) if isinstance(urls, Mapping) else set()
    if _ccxt_sandbox(client) and "test" not in overridden:
        return OrdersReach.TEST, (
            f"the order client ({ORDER_CLIENT}) switches ccxt to the venue's sandbox (urls.test)"
        )
    if exchange.get("demo_trading") is True and "demo" not in overridden:
        return OrdersReach.TEST, (
            "exchange.demo_trading = true: freqtrade sends orders to the venue's demo endpoint"
        )
    if _endpoints(client):
        return OrdersReach.UNKNOWN, (
            f"the order client's urls.api is overridden in {ORDER_CLIENT}: a host name proves"
            " nothing, so the orders count as real"
        )
    return OrdersReach.REAL, (
        f"the order client ({ORDER_CLIENT}) talks to the venue's production API; a sandbox"
        " set only in ccxt_async_config never reaches the order calls"
    )


ORDER_CLIENT: Final = "exchange.ccxt_config + ccxt_sync_config"
