"""The Hummingbot dialect: "if this instance starts now with these files and this environment, can
real orders leave, and what caps them?"

Loading (the I/O edge) finds the instance root from the path given, reads `conf/conf_client.yml`,
every `conf/connectors/*.yml` (secret values only checked for presence and form, never decrypted),
the config that runs and the controllers it names, each with the parser Hummingbot reads it with
(`yamlio`). Which config runs: the one `--config` names; else the one `CONFIG_FILE_NAME` or
`SCRIPT_CONFIG` names (`bin/hummingbot_quickstart.py`, a Docker deployment's variables); else
`data/bot/loaded.json` (what `hbot start` runs); else the instance's only config; else every
config is a candidate and none is known to run (each cap is then of unknown enforcement, and the
verdict is that of the least safe candidate: fail closed).

Decoding (`decode`) is pure: the files' data and the names of the non-empty variables go in.
Where Hummingbot refuses to start (a connector file without `connector`, a bad kill switch, a
price ceiling below the floor, a cap that is no number) the audit refuses the config too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NamedTuple

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.killswitch import KillSwitch, KillSwitchTrigger
from peak_trade.core.kinds import KIND, CapKind
from peak_trade.core.loaded import ConfigFileInfo, LoadedConfig, ResolvedFrom
from peak_trade.core.redaction import endpoint_origin, has_secret_name, redact
from peak_trade.core.registry import CURRENCY_PATTERN, FULL_MATCH
from peak_trade.core.venues import REACH_RANK, Credential, OrdersReach, Venue
from peak_trade.dialects.hummingbot import NAME, layout, runtime, yamlio
from peak_trade.dialects.hummingbot.rows import (
    BALANCE_LIMIT_KEY,
    CLIENT_SECRETS,
    CONTROLLER_CAPS,
    DATA_KEYS,
    LEGACY_STRATEGIES,
    MARKET_MAKING,
    MARKETS_KEY,
    PAIR_KEYS,
    PAPER_EXCHANGES_DEFAULT,
    PASSWORD_VARIABLES,
    RATE_SHARE,
    SCRIPT_CAPS,
    SELECTION_VARIABLES,
    STRATEGY_CAPS,
    TRADING_KEYS,
    TRADING_LISTS,
    CapRow,
)
from peak_trade.errors import ConfigError
from peak_trade.files import read_config_bytes

#: Hummingbot's encrypted secret: the hex of an eth-keyfile JSON (`{"crypto"...`), as
#: `ETHKeyFileSecretManger.encrypt_secret_value` writes it
ENCRYPTED_PREFIX: Final = "7b2263727970746f22"
KILL_SWITCH_KEY: Final = "kill_switch_mode"
KILL_SWITCH_ENABLED: Final = "kill_switch_enabled"
KILL_SWITCH_DISABLED: Final = "kill_switch_disabled"
KILL_SWITCH_NOTE: Final = (
    "Hummingbot's ActiveKillSwitch (hummingbot/core/utils/kill_switch.py) stops the bot when the"
    " profitability since the bot started (the mean return of its markets, not a drawdown from"
    " a peak) is at or below a negative rate, or at or above a positive one, checked every 10 s;"
    " a rate of 0 never triggers and a positive rate never stops a loss; it runs only when"
    " kill_switch_mode is kill_switch_enabled (TradingCore.start_strategy)"
)
#: `data/bot/loaded.json`'s `type` -> the folder its `file` lies in (cli/strategy_configs.py)
_TYPES: Final = {
    "v1-strategy": layout.STRATEGIES,
    "v2-script": layout.SCRIPTS,
    "controller": layout.CONTROLLERS,
}


class Use(NamedTuple):
    """A connector a config names: its name as Hummingbot looks it up, where it is named."""

    name: str
    key: str


class Parsed(NamedTuple):
    """One file read: its path, its folder (`client`, `connectors`, `strategies`, ...), its stem,
    and its data (for a legacy V1 strategy, the values as ruamel.yaml reads them)."""

    path: str
    folder: str
    stem: str
    data: dict[str, Any]


class Plan(NamedTuple):
    """A config that may run: the file, how it was chosen, and the controllers it names."""

    config: Parsed
    selected_by: str
    controllers: tuple[Parsed, ...]


class Instance(NamedTuple):
    """Everything read from one instance (the output of the edge, the input of `decode`)."""

    root: str
    named: str
    client: Parsed | None
    connectors: tuple[Parsed, ...]
    plans: tuple[Plan, ...]
    loaded_pointer: Parsed | None


class RemoteControl(msgspec.Struct, frozen=True, kw_only=True):
    """The MQTT bridge (`mqtt_bridge` in conf_client.yml), through which a broker's clients (the
    Hummingbot API, a dashboard) start, stop, import and configure the bot."""

    autostart: bool
    commands: bool
    host: str
    port: int | None
    ssl: bool
    username_set: bool
    password_set: bool

    @property
    def unprotected(self) -> bool:
        """Started with the bot, accepting commands, and connecting without a username and
        password: whoever can publish to that broker controls the bot."""
        return self.autostart and self.commands and not (self.username_set and self.password_set)


class HummingbotFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Hummingbot's own facts (`LoadedConfig.facts`)."""

    root: str
    #: the configs that may run (`conf/scripts/x.yml`), and how each was chosen
    configs: tuple[str, ...]
    selected_by: str
    #: per config that may run: its trading connectors
    plan_connectors: tuple[tuple[str, ...], ...]
    #: connectors that need keys and have none (`conf/connectors/` holds none for them)
    keys_missing: tuple[str, ...]
    remote_control: RemoteControl
    password_variables_set: tuple[str, ...]
    debug_console: bool
    paper_exchanges: tuple[str, ...]


def facts_of(loaded: LoadedConfig) -> HummingbotFacts:
    if not isinstance(loaded.facts, HummingbotFacts):
        raise TypeError("not a Hummingbot config")
    return loaded.facts


# --------------------------------------------------------------------------- loading (edge)


def takes_directory(path: str) -> bool:
    return layout.instance_dir(path) is not None


def load(
    paths: list[str], environ: Mapping[str, str], *, resolved_from: ResolvedFrom = "option"
) -> LoadedConfig:
    if len(paths) != 1:
        raise ConfigError("a Hummingbot instance is named by one --config")
    instance = read_instance(paths[0], environ)
    present = frozenset(name for name, value in environ.items() if value)
    return decode(instance, present_env=present, resolved_from=resolved_from)


def read_instance(path: str, environ: Mapping[str, str]) -> Instance:
    if os.path.isdir(path):
        root = layout.instance_dir(path)
        if root is None:
            raise ConfigError(
                f"{path}: is a directory, not a Hummingbot instance (no conf/ with"
                " conf_client.yml, strategies/, scripts/, controllers/ or connectors/)"
            )
        explicit = None
    else:
        root = layout.root_of_file(path)
        if root is None:
            raise ConfigError(f"{path}: not inside a Hummingbot instance's conf/ directory")
        explicit = path if layout.config_kind(path) else None
        read_config_bytes(path)  # the file named must be readable, whatever it is
    cache: dict[str, Parsed] = {}
    client_path = layout.conf_path(root, layout.CLIENT_FILE)
    client = _read(client_path, "client", cache) if os.path.isfile(client_path) else None
    connectors = tuple(
        _read(p, layout.CONNECTORS, cache) for p in layout.listed(root, layout.CONNECTORS)
    )
    pointer_path = os.path.join(root, layout.LOADED)
    pointer = _read_pointer(pointer_path) if os.path.isfile(pointer_path) else None
    plans = tuple(
        _plan(root, config_path, how, cache)
        for config_path, how in _selection(root, explicit, environ, pointer)
    )
    return Instance(
        root=root,
        named=path,
        client=client,
        connectors=connectors,
        plans=plans,
        loaded_pointer=pointer,
    )


def _read(path: str, folder: str, cache: dict[str, Parsed]) -> Parsed:
    if path in cache:
        return cache[path]
    raw = read_config_bytes(path)
    data = yamlio.safe_load(path, raw)
    if data is None:
        data = {}  # `read_yml_file`: `yaml.safe_load(file) or {}`
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a Hummingbot config is a YAML mapping")
    strategy = data.get("strategy")
    if folder == layout.STRATEGIES and strategy in LEGACY_STRATEGIES:
        legacy = yamlio.round_trip_load(path, raw)  # `load_yml_into_cm_legacy`
        data = legacy if isinstance(legacy, dict) else {}
    stem = os.path.splitext(os.path.basename(path))[0]
    parsed = Parsed(path=path, folder=folder, stem=stem, data=data)
    cache[path] = parsed
    return parsed


def _read_pointer(path: str) -> Parsed | None:
    """`data/bot/loaded.json` as `cli/bot.read_loaded` reads it: bad JSON counts as none."""
    try:
        data = msgspec.json.decode(read_config_bytes(path))
    except (msgspec.DecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return Parsed(path=path, folder="loaded", stem="loaded", data=data)


def _selection(
    root: str, explicit: str | None, environ: Mapping[str, str], pointer: Parsed | None
) -> list[tuple[str, str]]:
    """(config path, how it was chosen) of each config that may run."""
    if explicit is not None:
        return [(explicit, "option")]
    for variable, folder in SELECTION_VARIABLES.items():
        name = environ.get(variable, "")
        if name:
            target = layout.conf_path(root, folder, name)
            if not os.path.isfile(target):
                raise ConfigError(f"{variable} names {target}, which does not exist")
            return [(target, f"env:{variable}")]
    if pointer is not None and isinstance(pointer.data.get("file"), str) and pointer.data["file"]:
        kind = pointer.data.get("type")
        pointed = _TYPES.get(kind) if isinstance(kind, str) else None
        if pointed is None:
            raise ConfigError(
                f"{pointer.path}: type {kind!r} is none of v1-strategy, v2-script, controller"
            )
        target = layout.conf_path(root, pointed, pointer.data["file"])
        if not os.path.isfile(target):
            raise ConfigError(
                f"{pointer.path} names {target}, which does not exist: `hbot start` fails"
            )
        return [(target, "data/bot/loaded.json")]
    candidates = [
        p for folder in (layout.STRATEGIES, layout.SCRIPTS) for p in layout.listed(root, folder)
    ]
    named = _controllers_named_by_scripts(root)
    candidates += [p for p in layout.listed(root, layout.CONTROLLERS) if p not in named]
    if not candidates:
        raise ConfigError(
            f"{root}: no strategy, script or controller config under conf/; name the config"
            " that runs with --config"
        )
    if len(candidates) == 1:
        return [(candidates[0], "the instance's only config")]
    return [(p, "unknown") for p in candidates]


def _controllers_named_by_scripts(root: str) -> set[str]:
    named = set()
    for script in layout.listed(root, layout.SCRIPTS):
        data = yamlio.safe_load(script, read_config_bytes(script))
        if isinstance(data, dict):
            named |= {
                layout.conf_path(root, layout.CONTROLLERS, n) for n in _controller_names(data)
            }
    return named


def _controller_names(data: Mapping[str, Any]) -> list[str]:
    """`StrategyV2ConfigBase.parse_controllers_config`: a list, or a comma-separated string."""
    value = data.get("controllers_config")
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _plan(root: str, path: str, how: str, cache: dict[str, Parsed]) -> Plan:
    folder = layout.config_kind(path) or layout.STRATEGIES
    config = _read(path, folder, cache)
    controllers: list[Parsed] = []
    if folder == layout.SCRIPTS:
        for name in _controller_names(config.data):
            target = layout.conf_path(root, layout.CONTROLLERS, name)
            if not os.path.isfile(target):
                raise ConfigError(
                    f"{path}: controllers_config names {target}, which does not exist:"
                    " the script fails to start"
                )
            controllers.append(_read(target, layout.CONTROLLERS, cache))
    return Plan(config=config, selected_by=how, controllers=tuple(controllers))


# --------------------------------------------------------------------------- decoding (pure)


def decode(
    instance: Instance,
    *,
    present_env: Collection[str] = (),
    resolved_from: ResolvedFrom = "option",
) -> LoadedConfig:
    """An instance's files -> `LoadedConfig`. Pure."""
    client = instance.client.data if instance.client else {}
    client_source = instance.client.path if instance.client else layout.CLIENT_FILE
    paper_exchanges = _paper_exchanges(client, client_source)
    keys = _keystore(instance.connectors)
    unknown = len(instance.plans) > 1
    plan_uses = [tuple(_uses(plan)) for plan in instance.plans]
    used = frozenset(u.name for uses in plan_uses for u in uses)

    venues: dict[str, Venue] = {}
    for uses in plan_uses:
        for use in uses:
            if use.name in venues:
                continue
            credentials = keys.get(use.name, ())
            can_sign = any(c.present for c in credentials)
            reach, why = runtime.reach(use.name, can_sign=can_sign, paper_exchanges=paper_exchanges)
            venues[use.name] = Venue(
                name=use.name,
                label=use.key,
                enabled=None if unknown else True,
                sandbox=None if reach is OrdersReach.SIMULATED else reach is OrdersReach.TEST,
                endpoints=_gateway_endpoint(client) if runtime.is_gateway(use.name) else (),
                credentials=credentials if runtime.needs_keys(use.name) else (),
                orders_reach=reach,
                orders_reach_reason=why,
            )
    for plan, uses in zip(instance.plans, plan_uses, strict=True):
        if not uses:  # a script whose code names its connectors: fail closed
            name = f"<{plan.config.folder}/{plan.config.stem}>"
            venues[name] = Venue(
                name=name,
                label=None,
                enabled=None if unknown else True,
                sandbox=None,
                endpoints=(),
                credentials=(),
                orders_reach=OrdersReach.UNKNOWN,
                orders_reach_reason=(
                    f"{plan.config.path} names no connector the audit recognises: the script's"
                    " own code chooses them (counted as real)"
                ),
            )

    if isinstance(client.get("mqtt_bridge"), Mapping):
        venues["mqtt_bridge"] = _remote_venue(remote_control(client, client_source))

    caps = _client_caps(client, client_source, used, unknown)
    for plan in instance.plans:
        caps += _plan_caps(plan, unknown)
    keys_missing = tuple(
        sorted(
            n for n in used if runtime.needs_keys(n) and not any(c.present for c in keys.get(n, ()))
        )
    )
    reaches = [v.orders_reach for v in venues.values()]
    mode = _mode(reaches)
    merged = _merged(instance)
    redacted, redacted_keys = redact(merged, also_secret=is_hummingbot_secret)
    files = _file_infos(instance, merged, redacted)
    sources = list(dict.fromkeys(c.source or "" for c in caps if c.source))
    selection_vars = tuple(
        how.removeprefix("env:")
        for how in {p.selected_by for p in instance.plans}
        if how.startswith("env:")
    )
    return LoadedConfig(
        dialect=NAME,
        mode=mode,
        base_currency=_quote_currency(instance.plans),
        limits_enabled=True,  # every cap Hummingbot reads, its code applies as `enforced` says
        caps=tuple(caps),
        venues=tuple(venues.values()),
        source="file",
        resolved_from=resolved_from,
        path=instance.named,
        files=files,
        limits_source=", ".join(sources) if sources else "not_set",
        default_environment_id=os.path.basename(os.path.abspath(instance.root)) or "hummingbot",
        redacted=redacted,
        redacted_keys=redacted_keys,
        # the variables Hummingbot takes from this environment: the one that chose the config,
        # and the keystore password's (names only; a password's value is never read)
        env_overrides=(*selection_vars, *(v for v in PASSWORD_VARIABLES if v in present_env)),
        kill_switch=kill_switch_of(client, client_source, configured=instance.client is not None),
        facts=HummingbotFacts(
            root=instance.root,
            configs=tuple(p.config.path for p in instance.plans),
            selected_by=instance.plans[0].selected_by if instance.plans else "none",
            plan_connectors=tuple(tuple(dict.fromkeys(u.name for u in uses)) for uses in plan_uses),
            keys_missing=keys_missing,
            remote_control=remote_control(client, client_source),
            password_variables_set=tuple(v for v in PASSWORD_VARIABLES if v in present_env),
            debug_console=client.get("debug_console") is True,
            paper_exchanges=paper_exchanges,
        ),
    )


def _remote_venue(remote: RemoteControl) -> Venue:
    """The MQTT bridge as a venue that places no order: where it connects, and what it lets
    that broker's clients do (its credentials are plain text in conf_client.yml, redacted; only
    their presence is said)."""
    scheme = "mqtts" if remote.ssl else "mqtt"
    origin = endpoint_origin(f"{scheme}://{remote.host}:{remote.port or ''}".rstrip(":"))
    state = "starts with the bot" if remote.autostart else "starts only on `mqtt start`"
    commands = "takes commands" if remote.commands else "takes no commands"
    login = (
        "with a broker username and password"
        if remote.username_set and remote.password_set
        else "WITHOUT a broker username and password"
    )
    return Venue(
        name="mqtt_bridge",
        label="remote control",
        enabled=remote.autostart,
        sandbox=None,
        endpoints=(origin,) if origin else (),
        credentials=(),
        orders_reach=OrdersReach.NONE,
        orders_reach_reason=(
            f"remote control, no order client: the MQTT bridge {state} and {commands}"
            " (start, stop, import, config: remote_iface/mqtt.py MQTTCommands), connecting"
            f" {login}"
        ),
    )


def _mode(reaches: list[OrdersReach]) -> TradingEnvironment:
    worst = max((REACH_RANK[r.value] for r in reaches), default=0)
    if worst >= REACH_RANK[OrdersReach.UNKNOWN.value]:
        return TradingEnvironment.LIVE
    if worst == REACH_RANK[OrdersReach.TEST.value]:
        return TradingEnvironment.TESTNET
    return TradingEnvironment.PAPER


def is_hummingbot_secret(path: tuple[str, ...]) -> bool:
    """Every value of a connector file but `connector` (Hummingbot encrypts its secure fields;
    which are secure is each connector's own config class), and conf_client.yml's plain-text
    credentials (MQTT, database)."""
    if len(path) >= 3 and path[0] == layout.CONNECTORS:
        return path[2] != "connector"
    return len(path) >= 3 and path[0] == "client" and (path[1], path[2]) in CLIENT_SECRETS


def _merged(instance: Instance) -> dict[str, Any]:
    """The instance as one document: `client`, `connectors.<stem>`, `<folder>.<stem>`."""
    merged: dict[str, Any] = {}
    if instance.client is not None:
        merged["client"] = instance.client.data
    for parsed in instance.connectors:
        merged.setdefault(layout.CONNECTORS, {})[parsed.stem] = parsed.data
    for plan in instance.plans:
        for parsed in (plan.config, *plan.controllers):
            merged.setdefault(parsed.folder, {})[parsed.stem] = parsed.data
    if instance.loaded_pointer is not None:
        merged["loaded"] = instance.loaded_pointer.data
    return merged


def _file_infos(
    instance: Instance, merged: dict[str, Any], redacted: dict[str, Any]
) -> tuple[ConfigFileInfo, ...]:
    """Each file read, with its part of the redacted document."""
    found: dict[str, ConfigFileInfo] = {}
    parts: list[tuple[Parsed, tuple[str, ...]]] = []
    if instance.client is not None:
        parts.append((instance.client, ("client",)))
    parts += [(p, (layout.CONNECTORS, p.stem)) for p in instance.connectors]
    for plan in instance.plans:
        parts += [(p, (p.folder, p.stem)) for p in (plan.config, *plan.controllers)]
    if instance.loaded_pointer is not None:
        parts.append((instance.loaded_pointer, ("loaded",)))
    for parsed, where in parts:
        node: Any = redacted
        for part in where:
            node = node[part]
        found.setdefault(parsed.path, ConfigFileInfo(path=parsed.path, redacted=node))
    return tuple(found.values())


# --------------------------------------------------------------------------- connectors


def _uses(plan: Plan) -> list[Use]:
    """The trading connectors a config and its controllers name, in file order."""
    found: list[Use] = []
    for parsed in (plan.config, *plan.controllers):
        _walk_uses(parsed.data, f"{parsed.folder}.{parsed.stem}", found)
    return found


def _walk_uses(data: Mapping[str, Any], where: str, found: list[Use]) -> None:
    for key, value in data.items():
        dotted = f"{where}.{key}"
        if key in DATA_KEYS:
            continue
        if key in TRADING_KEYS and isinstance(value, str) and value.strip():
            found.append(Use(_connector(value), dotted))
        elif key in TRADING_LISTS and isinstance(value, list):
            found += [Use(_connector(v), dotted) for v in value if isinstance(v, str) and v.strip()]
        elif key == MARKETS_KEY and isinstance(value, Mapping):
            found += [Use(_connector(name), dotted) for name in value]
        elif key == MARKETS_KEY and isinstance(value, str):
            found += [
                Use(_connector(part.split(".", 1)[0]), dotted)
                for part in value.split(":")
                if part.strip()
            ]
        elif isinstance(value, Mapping):
            _walk_uses(value, dotted, found)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    _walk_uses(item, f"{dotted}[{i}]", found)


def _connector(value: str) -> str:
    """A connector name as Hummingbot looks it up (`pure_market_making/start.py` lower-cases
    the exchange; any other spelling fails to start, so lower-casing fails closed)."""
    return value.strip().lower()


def _keystore(connectors: Iterable[Parsed]) -> dict[str, tuple[Credential, ...]]:
    """Each connector's credentials, by the `connector` value of its file (how
    `Security.api_keys` finds them; the file name does not matter)."""
    found: dict[str, tuple[Credential, ...]] = {}
    for parsed in connectors:
        name = parsed.data.get("connector")
        if not isinstance(name, str) or not name:
            raise ConfigError(
                f"{parsed.path}: connector: missing; Hummingbot fails to read it at login"
                " (connector_name_from_file)"
            )
        credentials = []
        for key, value in parsed.data.items():
            if key == "connector":
                continue
            dotted = f"{layout.CONNECTORS}.{parsed.stem}.{key}"
            if isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
                credentials.append(Credential(key=dotted, kind="keystore", present=True))
            elif isinstance(value, str) and has_secret_name(key):
                # plain text where Hummingbot stores ciphertext: a secret on disk in the clear
                kind = "inline" if value else "keystore"
                credentials.append(Credential(key=dotted, kind=kind, present=bool(value)))
            elif value is None and has_secret_name(key):
                credentials.append(Credential(key=dotted, kind="keystore", present=False))
        found[_connector(name)] = (*found.get(_connector(name), ()), *credentials)
    return found


def _paper_exchanges(client: Mapping[str, Any], source: str) -> tuple[str, ...]:
    paper = client.get("paper_trade")
    if paper is None:
        return PAPER_EXCHANGES_DEFAULT
    if not isinstance(paper, Mapping):
        raise ConfigError(f"{source}: paper_trade: expected a mapping")
    exchanges = paper.get("paper_trade_exchanges", list(PAPER_EXCHANGES_DEFAULT))
    if not isinstance(exchanges, list) or not all(isinstance(e, str) for e in exchanges):
        raise ConfigError(f"{source}: paper_trade.paper_trade_exchanges: expected a list of names")
    return tuple(exchanges)


def _gateway_endpoint(client: Mapping[str, Any]) -> tuple[str, ...]:
    gateway = client.get("gateway")
    gateway = gateway if isinstance(gateway, Mapping) else {}
    host = gateway.get("gateway_api_host", "localhost")
    port = gateway.get("gateway_api_port", "15888")
    scheme = "https" if gateway.get("gateway_use_ssl", False) is True else "http"
    if not isinstance(host, str) or not isinstance(port, str | int) or isinstance(port, bool):
        return ()
    return (f"{scheme}://{host.lower()}:{port}",)


def _quote_currency(plans: Iterable[Plan]) -> str:
    """The quote currency of every trading pair the configs name, when they share one (money
    caps are in it); else the word `quote`."""
    quotes: set[str] = set()

    def walk(data: Mapping[str, Any]) -> None:
        for key, value in data.items():
            pairs = value if isinstance(value, list) else [value]
            if key in PAIR_KEYS or key == "trading_pairs":
                quotes.update(
                    p.rsplit("-", 1)[-1] for p in pairs if isinstance(p, str) and "-" in p
                )
            elif key == MARKETS_KEY and isinstance(value, Mapping):
                for listed in value.values():
                    items = listed if isinstance(listed, list) else [listed]
                    quotes.update(
                        p.rsplit("-", 1)[-1] for p in items if isinstance(p, str) and "-" in p
                    )
            elif isinstance(value, Mapping):
                walk(value)

    for plan in plans:
        for parsed in (plan.config, *plan.controllers):
            walk(parsed.data)
    if len(quotes) == 1:
        quote = quotes.pop().strip().upper()
        if FULL_MATCH[CURRENCY_PATTERN].fullmatch(quote):
            return quote
    return "quote"


# --------------------------------------------------------------------------- caps


def _number(value: Any, where: str, *, integer: bool) -> float | int:
    """A value as Hummingbot's parsing takes it (`Decimal(str(v))`, pydantic's Decimal/int):
    a number or a numeric string; never a boolean. Strict: a value Hummingbot would not read
    as a number is an error naming the key (never echoing the value)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{where}: expected a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"{where}: expected a number") from None
    if not number.is_finite():
        raise ConfigError(f"{where}: must be a finite number")
    if integer:
        if number != number.to_integral_value():
            raise ConfigError(f"{where}: expected a whole number")
        return int(number)
    result = float(number)
    if not math.isfinite(result):
        raise ConfigError(f"{where}: must be a finite number")
    return result


def _cap(
    row: CapRow,
    data: Mapping[str, Any],
    *,
    prefix: str,
    source: str,
    default_source: str,
    enforced: bool | None,
    why: str | None,
) -> ConfiguredCap | None:
    key = f"{prefix}.{row.key}"
    present = row.key in data and data[row.key] not in (None, "")
    if not present and not (row.none_is_off and row.key in data):
        if row.default is None:
            return None
        value: float | int | None = int(row.default) if row.integer else float(row.default)
        source = default_source
    elif not present:
        value = None
    else:
        value = _number(data[row.key], f"{source}: {row.key}", integer=row.integer)
        if row.positive and value <= 0:
            raise ConfigError(f"{source}: {row.key}: must be greater than 0")
    off = value is None or (row.off_at_or_below is not None and value <= row.off_at_or_below)
    return ConfiguredCap(
        kind=row.kind,
        unit=KIND[row.kind].unit,
        key=key,
        value=None if off else value,
        unlimited=off,
        source=source,
        enforced=enforced,
        enforcement=why,
    )


def _client_caps(
    client: Mapping[str, Any], source: str, used: frozenset[str], unknown: bool
) -> list[ConfiguredCap]:
    caps: list[ConfiguredCap] = []
    enforced, why = runtime.client_enforcement(RATE_SHARE.key, None, used, unknown)
    share = _cap(
        RATE_SHARE,
        client,
        prefix="client",
        source=source,
        default_source="default (ClientConfigMap)",
        enforced=enforced,
        why=why,
    )
    if share is not None and share.value is not None and share.value > 100:
        raise ConfigError(f"{source}: {RATE_SHARE.key}: at most 100 (a percentage)")
    caps += [share] if share is not None else []
    limits = client.get(BALANCE_LIMIT_KEY, {})
    if limits is None:
        limits = {}
    if not isinstance(limits, Mapping):
        raise ConfigError(f"{source}: {BALANCE_LIMIT_KEY}: expected a mapping of connectors")
    for connector, assets in limits.items():
        if assets is None:
            continue
        if not isinstance(assets, Mapping):
            raise ConfigError(f"{source}: {BALANCE_LIMIT_KEY}.{connector}: expected a mapping")
        name = _connector(connector)
        enforced, why = runtime.client_enforcement(BALANCE_LIMIT_KEY, name, used, unknown)
        for asset, value in assets.items():
            where = f"{BALANCE_LIMIT_KEY}.{connector}.{asset}"
            amount = _number(value, f"{source}: {where}", integer=False)
            caps.append(
                ConfiguredCap(
                    kind=CapKind.BALANCE_LIMIT,
                    unit=KIND[CapKind.BALANCE_LIMIT].unit,
                    key=f"client.{where}",
                    value=amount,
                    source=source,
                    enforced=enforced,
                    enforcement=why,
                )
            )
    return caps


def _plan_caps(plan: Plan, unknown: bool) -> list[ConfiguredCap]:
    caps: list[ConfiguredCap] = []
    config = plan.config
    prefix = f"{config.folder}.{config.stem}"
    data = config.data
    if config.folder == layout.STRATEGIES:
        strategy = data.get("strategy") if isinstance(data.get("strategy"), str) else None
        override = data.get("order_override")
        skew = data.get("inventory_skew_enabled") is True
        for row in STRATEGY_CAPS:
            if row.key not in data and (
                strategy not in MARKET_MAKING or row.key == "inventory_target_base_pct"
            ):
                continue
            enforced, why = runtime.strategy_enforcement(
                row.key,
                strategy,
                override=isinstance(override, Mapping) and bool(override),
                split_levels=data.get("split_order_levels_enabled") is True,
                inventory_skew=skew,
            )
            cap = _cap(
                row,
                data,
                prefix=prefix,
                source=config.path,
                default_source=f"default ({strategy}_config_map.py)",
                enforced=None if unknown else enforced,
                why=runtime.UNKNOWN_SELECTION if unknown else why,
            )
            caps += [cap] if cap is not None else []
        _check_band(caps, config.path)
    elif config.folder == layout.SCRIPTS:
        script = (
            data.get("script_file_name") if isinstance(data.get("script_file_name"), str) else None
        )
        enforced, why = runtime.script_enforcement(script)
        for row in SCRIPT_CAPS:
            if row.key not in data:
                continue
            cap = _cap(
                row,
                data,
                prefix=prefix,
                source=config.path,
                default_source="",
                enforced=None if unknown else enforced,
                why=runtime.UNKNOWN_SELECTION if unknown else why,
            )
            caps += [cap] if cap is not None else []
    controllers = plan.controllers if config.folder == layout.SCRIPTS else (config,)
    if config.folder == layout.CONTROLLERS or config.folder == layout.SCRIPTS:
        for controller in controllers:
            caps += _controller_caps(controller, unknown)
    return caps


def _controller_caps(controller: Parsed, unknown: bool) -> list[ConfiguredCap]:
    data = controller.data
    ctype = data.get("controller_type") if isinstance(data.get("controller_type"), str) else None
    cname = data.get("controller_name") if isinstance(data.get("controller_name"), str) else None
    fields = {"total_amount_quote"}
    if ctype == "directional_trading":
        fields |= {"max_executors_per_side", "cooldown_time"}
    elif ctype == "market_making":
        fields |= {"cooldown_time"}
    caps: list[ConfiguredCap] = []
    for row in CONTROLLER_CAPS:
        if row.key not in fields and row.key not in data:
            continue
        enforced, why = runtime.controller_enforcement(row.key, ctype, cname)
        default = row
        if row.key == "cooldown_time" and ctype == "market_making":
            default = row._replace(default=15)
        cap = _cap(
            default,
            data,
            prefix=f"{controller.folder}.{controller.stem}",
            source=controller.path,
            default_source=f"default ({ctype or 'generic'} controller config)",
            enforced=None if unknown else enforced,
            why=runtime.UNKNOWN_SELECTION if unknown else why,
        )
        caps += [cap] if cap is not None else []
    return caps


def _check_band(caps: list[ConfiguredCap], source: str) -> None:
    """`PureMarketMakingStrategy.__init__`: a ceiling (not -1) below the floor refuses to
    start."""
    by_kind = {c.kind: c for c in caps}
    ceiling = by_kind.get(CapKind.PRICE_CEILING)
    floor = by_kind.get(CapKind.PRICE_FLOOR)
    if ceiling is None or floor is None or ceiling.value is None or floor.value is None:
        return
    if ceiling.value < floor.value:
        raise ConfigError(
            f"{source}: price_ceiling is below price_floor; Hummingbot refuses to start"
            ' ("Parameter price_ceiling cannot be lower than price_floor")'
        )


# --------------------------------------------------------------------------- kill switch, remote


def kill_switch_of(client: Mapping[str, Any], source: str, *, configured: bool) -> KillSwitch:
    """`kill_switch_mode` as `ClientConfigMap.validate_kill_switch_mode` reads it: `{}` or
    `kill_switch_disabled` is off; a mapping `{kill_switch_rate: R}` or `kill_switch_enabled`
    (rate 10) is on. Anything else is refused by Hummingbot (it does not start)."""
    value = client.get(KILL_SWITCH_KEY, {})
    where = f"{source}: {KILL_SWITCH_KEY}"
    rate: float | None = None
    if value == {} or value == KILL_SWITCH_DISABLED or value is None:
        enabled = False
    elif value == KILL_SWITCH_ENABLED:
        enabled, rate = True, 10.0  # `model_construct()`: the field's default
    elif isinstance(value, Mapping) and set(value) == {"kill_switch_rate"}:
        enabled = True
        rate = _number(value["kill_switch_rate"], f"{where}.kill_switch_rate", integer=False)
    else:
        raise ConfigError(
            f"{where}: expected {{}}, {KILL_SWITCH_DISABLED}, {KILL_SWITCH_ENABLED} or"
            " {kill_switch_rate: <percent>}; Hummingbot refuses to start"
        )
    triggers = (
        (KillSwitchTrigger(name="kill_switch_rate", enabled=rate != 0, threshold=rate),)
        if enabled
        else ()
    )
    return KillSwitch(
        source=source,
        configured=configured,
        enabled=enabled,
        mode=KILL_SWITCH_ENABLED if enabled else KILL_SWITCH_DISABLED,
        state=None,
        tripped=False,
        triggers=triggers,
        approval_env_var=None,
        approval_env_present=None,
        note=KILL_SWITCH_NOTE,
    )


def stops_losses(ks: KillSwitch | None) -> bool:
    """A kill switch that stops the bot on a loss: on, with a negative rate."""
    return (
        ks is not None
        and ks.protects
        and any(t.threshold is not None and t.threshold < 0 for t in ks.triggers)
    )


def remote_control(client: Mapping[str, Any], source: str) -> RemoteControl:
    """`mqtt_bridge` with `MQTTBridgeConfigMap`'s defaults (commands on, autostart off)."""
    bridge = client.get("mqtt_bridge", {})
    bridge = bridge if isinstance(bridge, Mapping) else {}

    def flag(key: str, default: bool) -> bool:
        value = bridge.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: mqtt_bridge.{key}: expected true or false")
        return value

    host = bridge.get("mqtt_host", "localhost")
    port = bridge.get("mqtt_port", 1883)
    return RemoteControl(
        autostart=flag("mqtt_autostart", False),
        commands=flag("mqtt_commands", True),
        host=host if isinstance(host, str) else "",
        port=port if isinstance(port, int) and not isinstance(port, bool) else None,
        ssl=flag("mqtt_ssl", False),
        username_set=bool(bridge.get("mqtt_username")),
        password_set=bool(bridge.get("mqtt_password")),
    )
