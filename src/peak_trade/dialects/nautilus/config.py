"""NautilusTrader's config files, read and decoded as its own loaders do (DESIGN §10).

Two files exist outside a deployment's own code: the JSON `TradingNodeConfig.parse` accepts
(`nautilus_trader/common/config.py` `NautilusConfig.parse`: msgspec, `forbid_unknown_fields`),
whose execution clients are `ImportableConfig`s decoded into their adapter's config class when
the node is built (`live/node_builder.py` `build_exec_clients`, `ImportableConfig.create`); and
the Rust `LiveNodeConfig` TOML (`crates/live/src/node/config.rs`: serde,
`deny_unknown_fields`), whose `exec_clients` hold only routing: the Rust node's clients, their
adapters, environments and credentials are added in code (`LiveNodeBuilder::add_exec_client`).

Loading (`load`) is the I/O edge: it reads the file and the names of the non-empty environment
variables. Decoding (`decode_json`, `decode_toml`) is pure and strict where we read: an unknown
field, a wrong type or a value no release accepts is a config error naming the key path. The
sections we do not read are hashed, redacted and not validated field by field (docs/nautilus.md).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

import msgspec

from peak_trade.core.caps import ConfiguredCap
from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.kinds import CapKind, Unit
from peak_trade.core.loaded import LoadedConfig, ResolvedFrom, file_infos, name_and_stem
from peak_trade.core.redaction import endpoint_origin, normalised, redact
from peak_trade.core.venues import Credential, OrdersReach, Venue, unconfigured_venue
from peak_trade.dialects.nautilus import NAME
from peak_trade.dialects.nautilus.adapters import (
    ADAPTERS,
    BASE_FIELDS,
    FIRST_MINOR,
    HOOKED_CREATE,
    IB_CONFIG,
    IB_DOCKER_FIELDS,
    IB_FIELDS,
    IB_LIVE_PORTS,
    IB_MODULE,
    IB_PAPER_PORTS,
    LAST_MINOR,
    SANDBOX_CONFIG,
    SANDBOX_FIELDS,
    SANDBOX_MODULE,
    Adapter,
    EnumField,
    Span,
)
from peak_trade.errors import ConfigError
from peak_trade.files import read_config_bytes

Runtime = Literal["python", "rust"]

#: `TradingNodeConfig`'s fields (`live/config.py`, with `NautilusKernelConfig`'s)
NODE_FIELDS: Final = frozenset(
    {
        "environment", "trader_id", "instance_id", "cache", "message_bus", "data_engine",
        "risk_engine", "exec_engine", "portfolio", "emulator", "streaming", "catalogs", "actors",
        "strategies", "exec_algorithms", "controller", "load_state", "save_state", "loop_debug",
        "logging", "timeout_connection", "timeout_reconciliation", "timeout_portfolio",
        "timeout_disconnection", "timeout_post_stop", "timeout_shutdown", "data_clients",
        "exec_clients",
    }
)  # fmt: skip
#: `LiveRiskEngineConfig` (`live/config.py`, `risk/config.py`)
RISK_FIELDS: Final = frozenset(
    {
        "bypass", "max_order_submit_rate", "max_order_modify_rate", "max_notional_per_order",
        "debug", "qsize", "graceful_shutdown_on_exception",
    }
)  # fmt: skip
#: the Rust `LiveNodeConfig` (`crates/live/src/node/config.rs`)
RUST_NODE_FIELDS: Final = frozenset(
    {
        "environment", "trader_id", "load_state", "save_state", "shutdown_on_error", "logging",
        "instance_id", "timeout_connection", "timeout_reconciliation", "timeout_portfolio",
        "timeout_disconnection", "delay_post_stop", "timeout_shutdown", "cache", "msgbus",
        "portfolio", "emulator", "streaming", "event_store", "loop_debug", "data_engine",
        "risk_engine", "exec_engine", "data_clients", "exec_clients", "plugins",
    }
)  # fmt: skip
RUST_RISK_FIELDS: Final = frozenset(
    {
        "bypass", "max_order_submit_rate", "max_order_modify_rate", "max_notional_per_order",
        "debug", "qsize",
    }
)  # fmt: skip
RUST_QSIZE: Final = 100_000  # `validate_runtime_support` rejects any other value
DEFAULT_RATE: Final = "100/00:00:01"  # `RiskEngineConfig` / `DEFAULT_ORDER_RATE_LIMIT`
_RATE: Final = re.compile(r"([0-9]+)/([0-9]+):([0-9]+):([0-9]+)")
_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
#: what the name rule misses: identifiers that tie a file to an account or a wallet
_IDENTITY_NAMES: Final = frozenset(
    {
        "username", "wallet_address", "vault_address", "account_address", "account_id",
        "funder", "certs_dir", "app_key",
    }
)  # fmt: skip
DEFAULT_SOURCE: Final = "NautilusTrader default"
_HOOKED: Final = Span(since=HOOKED_CREATE)


def is_nautilus_secret(path: tuple[str, ...]) -> bool:
    """Besides the general name rule: account usernames, wallet and account identifiers, the
    Betfair certificate directory, wherever they stand (client configs, `DatabaseConfig`)."""
    return bool(path) and normalised(path[-1]) in _IDENTITY_NAMES


class ClientFacts(msgspec.Struct, frozen=True, kw_only=True):
    """One execution client as the node would build it."""

    name: str
    adapter: str | None  #: the adapter's title, None for a config class the audit does not know
    environment: str | None  #: the environment the factory resolves (None: not an adapter's)
    environment_source: str  #: the key that decided it, or why there is none
    account: str | None  #: margin, cash or betting (the account the client registers)
    venue: str | None
    signs: bool | None  #: the credentials it signs orders with are present (None: cannot know)


class NautilusFacts(msgspec.Struct, frozen=True, kw_only=True):
    """NautilusTrader's own facts (`LoadedConfig.facts`)."""

    runtime: Runtime
    node_environment: str
    #: the releases this config decodes under, e.g. "1.227-1.231" (None: the Rust TOML)
    version: str | None
    #: the keys that narrowed `version`
    version_evidence: tuple[str, ...]
    bypass: bool
    clients: tuple[ClientFacts, ...]


def facts_of(loaded: LoadedConfig) -> NautilusFacts:
    if not isinstance(loaded.facts, NautilusFacts):
        raise TypeError("not a NautilusTrader config")
    return loaded.facts


# --------------------------------------------------------------------------- loading (edge)


def load(path: str, environ: Mapping[str, str], *, raw: bytes | None = None) -> LoadedConfig:
    data = raw if raw is not None else read_config_bytes(path)
    present = frozenset(k for k, v in environ.items() if v)
    if data.lstrip()[:1] == b"{":
        try:
            parsed = msgspec.json.decode(data)
        except (msgspec.DecodeError, RecursionError) as exc:
            raise ConfigError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(parsed, dict):
            raise ConfigError(f"{path}: a TradingNodeConfig is a JSON object")
        try:
            return decode_json(parsed, path=path, present_env=present)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    from peak_trade.core import tomldoc

    try:
        toml = tomldoc.parse(data)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError, TOMLDecodeError too
        raise ConfigError(f"{path}: neither JSON nor valid TOML ({exc})") from None
    try:
        return decode_toml(toml, path=path, present_env=present)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


# --------------------------------------------------------------------------- decoding (pure)


class _Versions:
    """The releases a config decodes under, narrowed by each version-specific key."""

    def __init__(self) -> None:
        self.since, self.until = FIRST_MINOR, LAST_MINOR
        self.evidence: list[tuple[str, Span]] = []

    def add(self, key: str, span: Span, where: str) -> None:
        if span == Span():
            return
        self.evidence.append((key, span))
        since, until = max(self.since, span.since), min(self.until, span.until)
        if since > until:
            pairs = ", ".join(f"{k} ({_span_text(s)})" for k, s in self.evidence)
            raise ConfigError(
                f"{key}: no NautilusTrader release accepts this config: {pairs}"
                " (a config for one release does not decode under another)"
            )
        self.since, self.until = since, until

    @property
    def text(self) -> str:
        return _span_text(Span(self.since, self.until))


def _span_text(span: Span) -> str:
    if span.since == span.until:
        return f"1.{span.since}"
    return f"1.{span.since}-1.{span.until}"


def _check_keys(table: Mapping[str, Any], known: Collection[str], where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"{where}.{key}: unknown field (NautilusTrader refuses unknown fields)"
                if where
                else f"{key}: unknown field (NautilusTrader refuses unknown fields)"
            )


def _type_error(where: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(f"{where}: expected {expected}, got {_type_name(value)}")


def _type_name(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str", list: "array"}.get(
        type(value), "object" if isinstance(value, Mapping) else type(value).__name__
    )


def _bool(table: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise _type_error(f"{where}.{key}", "bool", value)
    return value


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _type_error(where, "an object", value)
    return value


def _optional_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise _type_error(f"{where}.{key}", "a string or null", value)
    return value


def _trader_id(value: Any, where: str) -> None:
    """`TraderId`: a name and a tag separated by a hyphen, neither empty."""
    if not isinstance(value, str):
        raise _type_error(where, "a string", value)
    name, hyphen, tag = value.partition("-")
    if not hyphen or not name or not tag:
        raise ConfigError(f"{where}: a trader id is NAME-TAG (e.g. TRADER-001)")


def decode_json(
    data: Mapping[str, Any],
    *,
    path: str,
    present_env: Collection[str] = frozenset(),
    resolved_from: ResolvedFrom = "option",
) -> LoadedConfig:
    """The JSON of `TradingNodeConfig.parse` -> `LoadedConfig`. Pure."""
    _check_keys(data, NODE_FIELDS, "")
    environment = data.get("environment", "live")
    if environment not in ("live", "sandbox", "backtest"):
        raise ConfigError(
            "environment: expected live, sandbox or backtest (TradingNodeConfig's spelling)"
        )
    _trader_id(data.get("trader_id", "TRADER-001"), "trader_id")
    versions = _Versions()
    clients = []
    venues = []
    exec_clients = _table(data.get("exec_clients", {}), "exec_clients")
    for name, entry in exec_clients.items():
        client, venue = _python_client(str(name), entry, present_env, versions)
        clients.append(client)
        venues.append(venue)
    for name, entry in _table(data.get("data_clients", {}), "data_clients").items():
        _client_shape(entry, f"data_clients.{name}", data_client=True)
    risk = _table(data.get("risk_engine", {}), "risk_engine")
    _check_keys(risk, RISK_FIELDS, "risk_engine")
    bypass = _bool(risk, "bypass", "risk_engine")
    _bool(risk, "debug", "risk_engine")
    _bool(risk, "graceful_shutdown_on_exception", "risk_engine")
    qsize = risk.get("qsize", 1)
    if not isinstance(qsize, int) or isinstance(qsize, bool) or qsize <= 0:
        raise _type_error("risk_engine.qsize", "a positive integer", qsize)
    caps = [
        *_rate_caps(risk, bypass, name_and_stem(path)[0]),
        *_python_notional_caps(risk, bypass, clients, name_and_stem(path)[0]),
    ]
    facts = NautilusFacts(
        runtime="python",
        node_environment=str(environment),
        version=versions.text,
        version_evidence=tuple(key for key, _ in versions.evidence),
        bypass=bypass,
        clients=tuple(clients),
    )
    return _loaded(data, path, caps, venues, facts, resolved_from)


def _loaded(
    data: Mapping[str, Any],
    path: str,
    caps: list[ConfiguredCap],
    venues: list[Venue],
    facts: NautilusFacts,
    resolved_from: ResolvedFrom,
) -> LoadedConfig:
    redacted, redacted_keys = redact(data, also_secret=is_nautilus_secret)
    mode = _mode(venues)
    plain = dict(data)
    return LoadedConfig(
        dialect=NAME,
        mode=mode,
        base_currency="quote",  # each notional is in its instrument's quote currency
        limits_enabled=not facts.bypass,
        caps=tuple(caps),
        venues=tuple(venues),
        source="file",
        resolved_from=resolved_from,
        path=path,
        files=file_infos([(path, plain)], plain, redacted, also_secret=is_nautilus_secret),
        limits_source=name_and_stem(path)[0]
        if any(c.source != DEFAULT_SOURCE for c in caps)
        else "not_set",
        default_environment_id=name_and_stem(path)[1],
        redacted=redacted,
        redacted_keys=redacted_keys,
        facts=facts,
    )


def _mode(venues: list[Venue]) -> TradingEnvironment:
    reaches = {v.orders_reach for v in venues}
    if reaches & {OrdersReach.REAL, OrdersReach.UNKNOWN}:
        return TradingEnvironment.LIVE
    if OrdersReach.TEST in reaches:
        return TradingEnvironment.TESTNET
    return TradingEnvironment.PAPER


def _client_shape(
    entry: Any, where: str, *, data_client: bool = False
) -> tuple[str | None, Mapping[str, Any], str | None]:
    """An `exec_clients`/`data_clients` entry as `TradingNodeConfig._parse_client_config` reads
    it: with a `path`, an `ImportableConfig` (path, config, factory); without, the base
    client config (routing and instrument provider only). Returns (path, config, factory)."""
    table = _table(entry, where)
    if "path" not in table:
        known = (*BASE_FIELDS, "handle_revised_bars") if data_client else BASE_FIELDS
        _check_keys(table, known, where)
        return None, table, None
    _check_keys(table, ("path", "config", "factory"), where)
    path = table["path"]
    if not isinstance(path, str):
        raise _type_error(f"{where}.path", "a string", path)
    config = _table(table.get("config", {}), f"{where}.config")
    factory = table.get("factory")
    factory_path = None
    if factory is not None:
        factory_table = _table(factory, f"{where}.factory")
        _check_keys(factory_table, ("path",), f"{where}.factory")
        if "path" not in factory_table:
            raise ConfigError(f"{where}.factory.path: required (ImportableFactoryConfig)")
        factory_path = factory_table["path"]
        if not isinstance(factory_path, str):
            raise _type_error(f"{where}.factory.path", "a string", factory_path)
    return path, config, factory_path


def _split_path(path: str, where: str) -> tuple[str, str]:
    if ":" not in path:
        raise ConfigError(f"{where}.path: expected module:ConfigClass (ImportableConfig.create)")
    module, cls = path.rsplit(":", 1)
    return module, cls


def _adapter_of(module: str, cls: str) -> Adapter | str | None:
    """The adapter a config class path names: a row, "ib" / "sandbox", or None (not ours)."""
    for adapter in ADAPTERS:
        if module in (adapter.module, f"{adapter.module}.config"):
            return adapter if cls == adapter.config_class else f"{adapter.key}:other"
    if module in (IB_MODULE, f"{IB_MODULE}.config"):
        return "ib" if cls == IB_CONFIG else "ib:other"
    if module in (SANDBOX_MODULE, f"{SANDBOX_MODULE}.config"):
        return "sandbox" if cls == SANDBOX_CONFIG else "sandbox:other"
    return None


def _python_client(
    name: str,
    entry: Any,
    present_env: Collection[str],
    versions: _Versions,
) -> tuple[ClientFacts, Venue]:
    where = f"exec_clients.{name}"
    path, config, factory = _client_shape(entry, where)
    if path is None:
        return _unknown_client(
            name,
            where,
            "no config class path: NautilusTrader decodes it as the base LiveExecClientConfig"
            " (routing only), so the client, its venue and its credentials come from the node's"
            " own code (a factory registered under this name): the file cannot prove where"
            " orders go",
        )
    module, cls = _split_path(path, where)
    adapter = _adapter_of(module, cls)
    if isinstance(adapter, str) and adapter.endswith(":other"):
        raise ConfigError(
            f"{where}.path: {cls} is not an execution client config of {module}"
            " (NautilusTrader fails to build this client)"
        )
    factory_note = (
        ""
        if factory is not None
        else " No factory in the file: the node's own code must register one under"
        f" {name.partition('-')[0]!r} (else the client is skipped)."
    )
    cwhere = f"{where}.config"
    if adapter == "sandbox":
        return _sandbox_client(name, config, cwhere, factory_note)
    if adapter == "ib":
        return _ib_client(name, config, cwhere, present_env, factory_note)
    if adapter is None:
        return _unknown_client(
            name,
            where,
            f"{path} is not an adapter the audit knows: where its orders go and which"
            " credentials it reads cannot be told from the file",
        )
    assert isinstance(adapter, Adapter)  # noqa: S101 - narrowed above
    return _adapter_client(name, adapter, config, cwhere, present_env, versions, factory_note)


def _unknown_client(name: str, where: str, why: str) -> tuple[ClientFacts, Venue]:
    return (
        ClientFacts(
            name=name,
            adapter=None,
            environment=None,
            environment_source="not known",
            account=None,
            venue=None,
            signs=None,
        ),
        unconfigured_venue(where, OrdersReach.UNKNOWN, why + " (counted as real: fail closed)"),
    )


def _sandbox_client(
    name: str, config: Mapping[str, Any], where: str, factory_note: str
) -> tuple[ClientFacts, Venue]:
    _check_keys(config, (*BASE_FIELDS, *SANDBOX_FIELDS), where)
    for required in ("venue", "starting_balances"):
        if required not in config:
            raise ConfigError(f"{where}.{required}: required (SandboxExecutionClientConfig)")
    venue = config["venue"]
    if not isinstance(venue, str):
        raise _type_error(f"{where}.venue", "a string", venue)
    account = config.get("account_type", "MARGIN")
    if not isinstance(account, str) or account.upper() not in ("MARGIN", "CASH", "BETTING"):
        raise ConfigError(f"{where}.account_type: expected MARGIN, CASH or BETTING")
    return (
        ClientFacts(
            name=name,
            adapter="Sandbox",
            environment=None,
            environment_source="sandbox (simulated)",
            account=str(account).lower(),
            venue=venue,
            signs=None,
        ),
        Venue(
            name=f"exec_clients.{name}",
            label="Sandbox",
            enabled=True,
            sandbox=True,
            endpoints=(),
            credentials=(),
            orders_reach=OrdersReach.SIMULATED,
            orders_reach_reason=(
                f"SandboxExecutionClientConfig: the node fills {venue} orders in its own"
                " simulated matching engine (adapters/sandbox); nothing leaves." + factory_note
            ),
        ),
    )


def _ib_client(
    name: str,
    config: Mapping[str, Any],
    where: str,
    present_env: Collection[str],
    factory_note: str,
) -> tuple[ClientFacts, Venue]:
    _check_keys(config, (*BASE_FIELDS, *IB_FIELDS), where)
    port = config.get("ibg_port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool)):
        raise _type_error(f"{where}.ibg_port", "an integer or null", port)
    account = _optional_str(config, "account_id", where)
    host = config.get("ibg_host", "127.0.0.1")
    credentials: list[Credential] = []
    if account:
        account_from = "account_id in the file"
    else:
        present = "set" if "TWS_ACCOUNT" in present_env else "not set: the factory refuses"
        account_from = f"TWS_ACCOUNT ({present})"
    docker = config.get("dockerized_gateway")
    endpoints: tuple[str, ...] = ()
    if isinstance(host, str) and host:
        origin = endpoint_origin(f"tcp://{host}:{port}" if port is not None else f"tcp://{host}")
        endpoints = (origin,) if origin else ()
    if docker is not None:
        dwhere = f"{where}.dockerized_gateway"
        docker = _table(docker, dwhere)
        _check_keys(docker, IB_DOCKER_FIELDS, dwhere)
        if port is not None or host != "127.0.0.1":
            raise ConfigError(
                f"{where}.ibg_port: must be null (and ibg_host 127.0.0.1) with a dockerized"
                " gateway (InteractiveBrokers factories refuse it)"
            )
        mode = docker.get("trading_mode", "paper")
        if mode not in ("paper", "live"):
            raise ConfigError(f"{dwhere}.trading_mode: expected paper or live")
        read_only = _bool(docker, "read_only_api", dwhere, default=True)
        credentials += [
            _credential(docker, "username", "TWS_USERNAME", dwhere, present_env),
            _credential(docker, "password", "TWS_PASSWORD", dwhere, present_env),
        ]
        if read_only:
            reach, why = (
                OrdersReach.NONE,
                (
                    f"dockerized gateway with read_only_api = true (its default): the container is"
                    f" started READ_ONLY_API=yes, so the gateway accepts no order (trading_mode"
                    f" {mode})"
                ),
            )
        elif mode == "live":
            reach, why = (
                OrdersReach.REAL,
                (
                    "dockerized gateway, trading_mode = live, read_only_api = false: the container"
                    " logs into the live account"
                ),
            )
        else:
            reach, why = (
                OrdersReach.TEST,
                (
                    "dockerized gateway, trading_mode = paper, read_only_api = false: the container"
                    " logs into the paper account"
                ),
            )
        signs: bool | None = all(c.present for c in credentials) and (
            bool(account) or "TWS_ACCOUNT" in present_env
        )
    else:
        hints = []
        if port in IB_PAPER_PORTS:
            hints.append(f"port {port} is a paper port by convention (IBG 4002, TWS 7497)")
        elif port in IB_LIVE_PORTS:
            hints.append(f"port {port} is a live port by convention (IBG 4001, TWS 7496)")
        elif port is None:
            hints.append("no ibg_port set")
        if account is not None and account.startswith("DU"):
            hints.append("the account id starts with DU (IB's paper accounts do)")
        reach = OrdersReach.UNKNOWN
        why = (
            "a TWS / IB Gateway the node only connects to: paper or live is decided by the"
            " account the gateway is logged into, which no file here shows"
            + (f"; heuristics only: {'; '.join(hints)}" if hints else "")
            + " (counted as real: fail closed)"
        )
        signs = None if account or "TWS_ACCOUNT" in present_env else False  # the gateway's login
    return (
        ClientFacts(
            name=name,
            adapter="Interactive Brokers",
            environment=None,
            environment_source="the gateway's login",
            account="margin",
            venue="INTERACTIVE_BROKERS",
            signs=signs,
        ),
        Venue(
            name=f"exec_clients.{name}",
            label="Interactive Brokers",
            enabled=True,
            sandbox=None if reach is OrdersReach.UNKNOWN else reach is not OrdersReach.REAL,
            endpoints=endpoints,
            credentials=tuple(credentials),
            orders_reach=reach,
            orders_reach_reason=f"{why}; the account: {account_from}.{factory_note}",
        ),
    )


def _credential(
    config: Mapping[str, Any],
    field: str,
    variable: str,
    where: str,
    present_env: Collection[str],
) -> Credential:
    value = _optional_str(config, field, where)
    if value:
        return Credential(key=f"{where}.{field}", kind="inline", present=True)
    return Credential(key=variable, kind="env_var", present=variable in present_env)


def _environment(
    adapter: Adapter, config: Mapping[str, Any], where: str, versions: _Versions
) -> tuple[str | None, str]:
    """The environment the adapter's factory resolves, and the key that decided it."""
    for flag, _ in adapter.legacy:
        if flag in config:
            _bool(config, flag, where)
    value = config.get("environment")
    if value is None and "environment" in config and not adapter.environment_nullable:
        raise _type_error(f"{where}.environment", f"one of {adapter.title}'s environments", None)
    if value is not None:
        if not isinstance(value, str):
            raise _type_error(f"{where}.environment", "a string or null", value)
        member = value.rsplit(".", 1)[-1].upper() if adapter.pyo3_enum else value
        found = next((e for e in adapter.environments if e.name == member), None)
        if found is None:
            names = ", ".join(e.name for e in adapter.environments)
            raise ConfigError(f"{where}.environment: not one of {names}")
        versions.add(f"{where}.environment = {found.name}", found.span, where)
        if adapter.pyo3_enum:  # a Rust enum: only a hooked `create` decodes it from JSON
            versions.add(f"{where}.environment", _HOOKED, where)
        if adapter.legacy_conflicts and any(config.get(f) is True for f, _ in adapter.legacy):
            raise ConfigError(
                f"{where}.environment: set together with a legacy flag: {adapter.title}'s"
                " factory refuses both ('Cannot set both')"
            )
        return found.name, f"{where}.environment"
    for flag, selected in adapter.legacy:
        if config.get(flag) is True:
            return selected, f"{where}.{flag} = true (the flag before 1.227)"
    return adapter.default_environment, f"{where}.environment not set: the adapter's default"


def _member(value: Any, spec: EnumField, where: str) -> str:
    """The member a value decodes to, as msgspec's hook decodes it (`msgspec_decoding_hook`:
    a Rust enum by `value.split(".")[-1].upper()`, a Python enum by its exact value, an
    `IntFlag` by its integer code)."""
    if spec.int_codes:
        codes = range(1, len(spec.names) + 1)
        if isinstance(value, bool) or value not in codes:
            raise ConfigError(
                f"{where}: expected the integer code of "
                + ", ".join(f"{n} ({c})" for c, n in zip(codes, spec.names, strict=True))
            )
        return spec.names[int(value) - 1]
    if not isinstance(value, str):
        raise _type_error(where, "a string", value)
    member = value.rsplit(".", 1)[-1].upper() if spec.pyo3 else value
    if member not in spec.names:
        raise ConfigError(f"{where}: not one of {', '.join(spec.names)}")
    return member


def _with_members(adapter: Adapter, config: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """The config with each enum field the audit reads checked and spelled by member name."""
    spelled = dict(config)
    for key, spec in adapter.enums.items():
        value = config.get(key)
        if value is None:
            continue
        if spec.many:
            if not isinstance(value, list):
                raise _type_error(f"{where}.{key}", "an array", value)
            spelled[key] = [_member(v, spec, f"{where}.{key}[{i}]") for i, v in enumerate(value)]
        else:
            spelled[key] = _member(value, spec, f"{where}.{key}")
    return spelled


def _adapter_client(
    name: str,
    adapter: Adapter,
    config: Mapping[str, Any],
    where: str,
    present_env: Collection[str],
    versions: _Versions,
    factory_note: str,
) -> tuple[ClientFacts, Venue]:
    _check_keys(config, (*BASE_FIELDS, *adapter.fields, *adapter.bounded), where)
    for key in config:
        if key in adapter.bounded:
            versions.add(f"{where}.{key}", adapter.bounded[key], where)
    for key in adapter.required:
        if key not in config:
            raise ConfigError(f"{where}.{key}: required ({adapter.config_class})")
    config = _with_members(adapter, config, where)
    for key in adapter.hooked:
        if config.get(key) is not None:  # a Rust enum or an identifier: decoded by the hook
            versions.add(f"{where}.{key}", _HOOKED, where)
    provider = config.get("instrument_provider")
    if isinstance(provider, Mapping) and provider.get("load_ids"):  # `InstrumentId`s
        versions.add(f"{where}.instrument_provider.load_ids", _HOOKED, where)
    environment, decided_by = _environment(adapter, config, where, versions)
    account = adapter.account(config)
    creds = (
        adapter.credentials(environment or "", config)
        if environment or not adapter.environments
        else ()
    )
    credentials = []
    by_field: dict[str, bool] = {}
    for field, variable in creds:
        credential = _credential(config, field, variable, where, present_env)
        if credential not in credentials:
            credentials.append(credential)
        by_field[field] = by_field.get(field, True) and credential.present
    signs = all(by_field.get(field, False) for field in adapter.signing)
    env_value = next((e for e in adapter.environments if e.name == environment), None)
    overrides = [k for k in adapter.order_urls if _optional_str(config, k, where)]
    endpoints = tuple(
        dict.fromkeys(
            origin
            for key in (*adapter.order_urls, "proxy_url")
            if (value := _optional_str(config, key, where)) and (origin := endpoint_origin(value))
        )
    )
    if overrides:
        reach, why = (
            OrdersReach.UNKNOWN,
            (
                f"{', '.join(overrides)} overridden: orders go to that host, and a host name proves"
                " nothing (counted as real: fail closed)"
            ),
        )
    elif env_value is None:  # an adapter without environments: production only
        reach, why = (
            OrdersReach.REAL,
            (
                f"{adapter.title} has no test environment in NautilusTrader: its client talks to"
                " the production API"
            ),
        )
    else:
        production = env_value.reach == "real"
        reach = OrdersReach.REAL if production else OrdersReach.TEST
        why = f"{adapter.title} {environment} ({decided_by}):" + (
            " the production API" if production else " the venue's test environment"
        )
    if adapter.key == "binance" and config.get("us") is True and reach is OrdersReach.REAL:
        why += " (Binance US)"
    venue = (
        config.get("venue", adapter.venue)
        if adapter.key in ("binance", "polymarket")
        else adapter.venue
    )
    if not isinstance(venue, str):
        raise _type_error(f"{where}.venue", "a string", venue)
    return (
        ClientFacts(
            name=name,
            adapter=adapter.title,
            environment=environment,
            environment_source=decided_by,
            account=account,
            venue=venue,
            signs=signs,
        ),
        Venue(
            name=f"exec_clients.{name}",
            label=adapter.title,
            enabled=True,
            sandbox=reach is OrdersReach.TEST,
            endpoints=endpoints,
            credentials=tuple(credentials),
            orders_reach=reach,
            orders_reach_reason=why + "." + factory_note,
        ),
    )


# --------------------------------------------------------------------------- caps


def _rate(value: Any, where: str) -> tuple[int, int]:
    """`limit/HH:MM:SS` -> (limit, seconds). The Python engine parses the interval with
    `pd.to_timedelta`, which takes more forms; we read the one both engines document."""
    if not isinstance(value, str):
        raise _type_error(where, "a string limit/HH:MM:SS", value)
    match = _RATE.fullmatch(value)
    if match is None:
        raise ConfigError(f"{where}: expected limit/HH:MM:SS (e.g. 100/00:00:01)")
    limit, hours, minutes, seconds = (int(g) for g in match.groups())
    interval = hours * 3600 + minutes * 60 + seconds
    if interval <= 0:
        raise ConfigError(f"{where}: the interval must be longer than zero")
    return limit, interval


def _rate_caps(risk: Mapping[str, Any], bypass: bool, source: str) -> list[ConfiguredCap]:
    caps = []
    for key, what in (("max_order_submit_rate", "submits"), ("max_order_modify_rate", "modifies")):
        written = risk.get(key, DEFAULT_RATE)
        limit, interval = _rate(written, f"risk_engine.{key}")
        note = f"{written}: at most {limit} order {what} per {interval} s, the rest denied"
        caps.append(
            ConfiguredCap(
                kind=CapKind.ORDER_RATE,
                unit=Unit.COUNT,
                key=f"risk_engine.{key}",
                value=limit / interval,
                source=source if key in risk else DEFAULT_SOURCE,
                enforced=not bypass,
                enforcement=(
                    "risk_engine.bypass = true: the engine throttles nothing"
                    if bypass
                    else f"orders per second ({note})"
                ),
            )
        )
    return caps


def notional_key(instrument: str) -> str:
    return f'risk_engine.max_notional_per_order."{instrument}"'


def _instrument_venue(instrument: str, where: str) -> str:
    symbol, dot, venue = instrument.rpartition(".")
    if not dot or not symbol or not venue:
        raise ConfigError(f"{where}: not an instrument id SYMBOL.VENUE")
    return venue


def _python_notional_caps(
    risk: Mapping[str, Any], bypass: bool, clients: list[ClientFacts], source: str
) -> list[ConfiguredCap]:
    """`risk/engine.pyx` `_check_orders_risk_for_account`: no check without an account cached
    for the instrument's venue, none on a margin account, none for a zero cap (`if
    max_notional_setting:`)."""
    table = _table(risk.get("max_notional_per_order", {}), "risk_engine.max_notional_per_order")
    caps = []
    for instrument, value in table.items():
        where = notional_key(instrument)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _type_error(where, "an integer (dict[str, int])", value)
        venue = _instrument_venue(instrument, where)
        serving = [c for c in clients if c.venue == venue]
        enforced: bool | None
        if bypass:
            enforced, why = False, "risk_engine.bypass = true: the engine checks nothing"
        elif value == 0:
            enforced, why = (
                False,
                ("0 turns the check off in the Python engine (`if max_notional_setting:`)"),
            )
        elif not serving:
            enforced, why = (
                False,
                (
                    f"no execution client for venue {venue}: the engine finds no account for it and"
                    " skips the check (risk/engine.pyx)"
                ),
            )
        elif any(c.account == "margin" for c in serving):
            enforced, why = (
                False,
                (
                    f"{venue} is a margin account: the Python engine returns before the notional"
                    " check (risk/engine.pyx, nautilus_trader#4011)"
                ),
            )
        elif all(c.account in ("cash", "betting") for c in serving):
            enforced, why = True, f"in {instrument}'s quote currency; only orders for it"
        else:
            enforced, why = None, f"the account type of {venue}'s client cannot be told"
        caps.append(
            ConfiguredCap(
                kind=CapKind.PER_ORDER,
                unit=Unit.MONEY,
                key=where,
                value=value,
                source=source,
                enforced=enforced,
                enforcement=why,
            )
        )
    return caps


# --------------------------------------------------------------------------- Rust TOML


def decode_toml(
    data: Mapping[str, Any],
    *,
    path: str,
    present_env: Collection[str] = frozenset(),
    resolved_from: ResolvedFrom = "option",
) -> LoadedConfig:
    """The Rust `LiveNodeConfig` TOML -> `LoadedConfig`. Pure."""
    _check_keys(data, RUST_NODE_FIELDS, "")
    environment = data.get("environment", "Live")
    if environment == "Backtest":
        raise ConfigError("environment: LiveNode cannot be used with Backtest environment")
    if environment not in ("Live", "Sandbox"):
        raise ConfigError("environment: expected Live or Sandbox (LiveNodeConfig's spelling)")
    _trader_id(data.get("trader_id", "TRADER-001"), "trader_id")
    risk = _table(data.get("risk_engine", {}), "risk_engine")
    _check_keys(risk, RUST_RISK_FIELDS, "risk_engine")
    bypass = _bool(risk, "bypass", "risk_engine")
    _bool(risk, "debug", "risk_engine")
    if risk.get("qsize", RUST_QSIZE) != RUST_QSIZE:
        raise ConfigError(
            "risk_engine.qsize: not supported by the Rust live runtime yet"
            " (validate_runtime_support)"
        )
    source = name_and_stem(path)[0]
    caps = _rate_caps(risk, bypass, source)
    table = _table(risk.get("max_notional_per_order", {}), "risk_engine.max_notional_per_order")
    for instrument, value in table.items():
        where = notional_key(instrument)
        if not isinstance(value, str):
            raise _type_error(where, "a decimal string (HashMap<String, String>)", value)
        if _DECIMAL.fullmatch(value) is None:
            raise ConfigError(f"{where}: not a decimal (digits with an optional point)")
        _instrument_venue(instrument, where)
        try:
            number = float(Decimal(value))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise ConfigError(f"{where}: not a decimal") from None
        caps.append(
            ConfiguredCap(
                kind=CapKind.PER_ORDER,
                unit=Unit.MONEY,
                key=where,
                value=number,
                source=source,
                enforced=not bypass,
                enforcement=(
                    "risk_engine.bypass = true: the engine checks nothing"
                    if bypass
                    else f"in {instrument}'s quote currency, every account type (the Rust"
                    " engine has no margin exception: crates/risk/src/engine/mod.rs)"
                ),
            )
        )
    exec_clients = _table(data.get("exec_clients", {}), "exec_clients")
    in_code = (
        "the Rust LiveNode builds its execution clients in code (LiveNodeBuilder::"
        "add_exec_client): their adapter, environment and credentials are not in this file"
        " (counted as real: fail closed)"
    )
    venues = []
    for name, entry in exec_clients.items():
        where = f"exec_clients.{name}"
        _check_keys(_table(entry, where), BASE_FIELDS, where)
        venues.append(_rust_venue(where, in_code))
    if not venues:
        venues.append(
            _rust_venue(
                "exec_clients", "the file names no client, which proves nothing: " + in_code
            )
        )
    facts = NautilusFacts(
        runtime="rust",
        node_environment=str(environment).lower(),
        version=None,
        version_evidence=(),
        bypass=bypass,
        clients=tuple(
            ClientFacts(
                name=v.name.removeprefix("exec_clients."),
                adapter=None,
                environment=None,
                environment_source="in code",
                account=None,
                venue=None,
                signs=None,
            )
            for v in venues
        ),
    )
    return _loaded(data, path, caps, venues, facts, resolved_from)


def _rust_venue(name: str, why: str) -> Venue:
    return unconfigured_venue(name, OrdersReach.UNKNOWN, why)
