"""Config loading (Phase 71): the real Peak_Trade TOML in, trusted typed values out, or one
`ConfigError` naming the file and key path.

Finding the config, as Peak_Trade does: `--config PATH`, else `PEAK_TRADE_CONFIG_PATH`, else
`config/config.toml`, else the embedded default. A `bounded_live.toml` beside the config file is
merged into it (top-level table by table, the bounded file's keys win), as Peak_Trade merges it;
unlike Peak_Trade, an unreadable or invalid bounded file is an error, never a silent skip.

Decoding is strict, with the types, constraints and defaults of `core.registry`: a wrong type,
an unknown key in `[environment]`, `[live_risk]` or `[bounded_live.limits]`, an unknown mode, a
negative or non-finite number is an error that names the key path. Nothing is invented: a cap
that is not configured stays unset. `decode_files` is pure (bytes, names and the presence of
environment variables in); `load_config` is the I/O edge.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Final

import msgspec

from peak_trade.core import tomldoc
from peak_trade.core.caps import ConfiguredCap, contradictions
from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig, TradingEnvironment
from peak_trade.core.killswitch import KillSwitch
from peak_trade.core.kinds import KIND
from peak_trade.core.loaded import (
    ConfigSource,
    LoadedConfig,
    ResolvedFrom,
    file_infos,
    name_and_stem,
    source_of,
)
from peak_trade.core.redaction import redact, validation_message
from peak_trade.core.registry import (
    CAPS,
    CURRENCY_PATTERN,
    FULL_MATCH,
    HEX64_PATTERN,
    SEED_RISK_FIELDS,
    SETTINGS,
    STRICT_TABLES,
    is_finite,
    keys_of_table,
)
from peak_trade.core.secret import Secret
from peak_trade.dialects.peak_trade import NAME, runtime
from peak_trade.errors import ConfigError
from peak_trade.files import (
    MAX_NESTING,
    nesting_depth,
    read_config_bytes,
)

DEFAULT_CONFIG_PATH: Final = "config/config.toml"
CONFIG_PATH_ENV_VAR: Final = "PEAK_TRADE_CONFIG_PATH"
TOKEN_ENV_VAR: Final = "PEAK_TRADE_CONFIRM_TOKEN"  # noqa: S105 (a variable name)
#: the bounded pilot's own variable (src/core/environment.py, PT_LIVE_CONFIRM_TOKEN_ENV)
PILOT_TOKEN_ENV_VAR: Final = "PT_LIVE_CONFIRM_TOKEN"  # noqa: S105 (a variable name)
TOKEN_ENV_VARS: Final = (TOKEN_ENV_VAR, PILOT_TOKEN_ENV_VAR)
TOKEN_FILE_KEY: Final = "environment.confirm_token"  # noqa: S105 (a key path)
BOUNDED_LIVE_FILE: Final = "bounded_live.toml"
EMBEDDED_DEFAULT: Final = "embedded-default"
MAX_DEPTH: Final = MAX_NESTING  # the bounds of every config file: `peak_trade.files`


EMBEDDED_DEFAULT_TOML: Final = """\
# peak-trade embedded default: the safest state. Used when no config file exists.
[environment]
mode = "paper"
enable_live_trading = false
live_mode_armed = false
live_dry_run_mode = true
require_confirm_token = true

[live_risk]
enabled = true
base_currency = "EUR"
# the seed's three fields (Phase 71), which Peak_Trade stores but never compares ...
max_live_notional_per_order = 1000.0
max_live_notional_total = 5000.0
live_trade_min_size = 10.0
# ... and the same caps in the keys its LiveRiskLimits applies
max_order_notional = 1000.0
max_total_exposure_notional = 5000.0
"""


# --------------------------------------------------------------------------- decoders from rows


def _table_struct(table: str, *, strict: bool) -> type[msgspec.Struct]:
    fields: list[tuple[str, Any, Any]] = [
        (row.field, row.type, row.default) for row in SETTINGS if row.table == table
    ]
    fields += [(row.field, row.type, None) for row in CAPS if row.table == table]
    name = "_" + "".join(part.title() for part in table.replace(".", "_").split("_")) + "Table"
    return msgspec.defstruct(name, fields, kw_only=True, forbid_unknown_fields=strict)


_BoundedLimits = _table_struct("bounded_live.limits", strict=True)
_BoundedLive = msgspec.defstruct(
    "_BoundedLiveTable",
    [
        ("enabled", bool, False),
        ("limits", _BoundedLimits, msgspec.field(default_factory=_BoundedLimits)),
    ],
    kw_only=True,
)
_TABLES: Final[dict[str, type[msgspec.Struct]]] = {
    "environment": _table_struct("environment", strict=True),
    "live_risk": _table_struct("live_risk", strict=True),
    "live": _table_struct("live", strict=False),
    "bounded_live": _BoundedLive,
}
# Unknown top-level tables are allowed: a real trading config holds far more than we read.
# One spelt almost like a table we read is a typo that would silently drop its settings
# (`[enviroment]`: the config would read as paper): an error naming the table meant.
_READ_TABLES: Final = (*_TABLES, "exchange")
_TYPO_RATIO: Final = 0.85


def _nearest(name: str, known: Sequence[str], cutoff: float = 0.75) -> str | None:
    import difflib  # only for a key or table that is not known

    near = difflib.get_close_matches(name, known, n=1, cutoff=cutoff)
    return near[0] if near else None


def _misspelt_tables(data: Mapping[str, Any]) -> list[str]:
    return [
        f"[{name}]: unknown table; did you mean [{near}]? (its settings would be ignored)"
        for name, value in data.items()
        if isinstance(value, Mapping)
        and name not in _READ_TABLES
        and (near := _nearest(name, _READ_TABLES, _TYPO_RATIO)) is not None
    ]


_ConfigFile = msgspec.defstruct(
    "_ConfigFile",
    [(name, t, msgspec.field(default_factory=t)) for name, t in _TABLES.items()],
    kw_only=True,
)


# --------------------------------------------------------------------------- decoding (pure)


def parse_toml(raw: bytes, origin: str, *, shared: bool = True) -> dict[str, Any]:
    """TOML bytes -> data, or a `ConfigError` naming `origin`. `shared`: the document may be
    the one detection parsed, and is kept for the decoder (`core.tomldoc`); a file read on the
    side passes False, so that it does not take the config's place there.

    Bounded as every config is (`peak_trade.files`): nested at most `MAX_DEPTH` tables and
    arrays deep, and every integer 64-bit, as TOML defines integers (tomllib reads any size; a
    decimal one past Python's int-str limit is a `ValueError`, a longer hex one crashes whatever
    prints it later).
    """
    try:
        data = tomldoc.parse(raw, remember=shared)  # detection parsed a config's bytes already
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{origin}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{origin}: {_TOO_DEEP}") from None
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise ConfigError(
            f"{origin}: invalid TOML: an integer of more than {sys.get_int_max_str_digits()}"
            " digits (TOML integers are 64-bit)"
        ) from None
    if nesting_depth(data) > MAX_DEPTH:
        raise ConfigError(f"{origin}: {_TOO_DEEP}")
    wide = _first_wide_integer(data)
    if wide is not None:
        raise ConfigError(f"{origin}: {wide}: integer outside the 64-bit range TOML allows")
    return data


_TOO_DEEP: Final = f"tables nested deeper than {MAX_DEPTH} levels"
_INT64: Final = range(-(2**63), 2**63)


def _first_wide_integer(data: Mapping[str, Any]) -> str | None:
    """The key path of an integer outside 64 bits, or None. One pass without recursion or
    paths; the path is built only for the error (`data` is at most `MAX_DEPTH` deep by then)."""
    level: list[Any] = [data]
    while level:
        containers = []
        for node in level:
            for value in node.values() if isinstance(node, Mapping) else node:
                if isinstance(value, (Mapping, list)):
                    containers.append(value)
                elif type(value) is int and value not in _INT64:
                    return next(_wide_integer_paths(data, ""))
        level = containers
    return None


def _wide_integer_paths(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _wide_integer_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _wide_integer_paths(item, f"{path}[{i}]")
    elif type(value) is int and value not in _INT64:
        yield path


def merge_bounded(main: Mapping[str, Any], bounded: Mapping[str, Any]) -> dict[str, Any]:
    """Peak_Trade's merge: top-level table by table, the bounded file's keys win."""
    merged = dict(main)
    for key, value in bounded.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = {**current, **value}
        else:
            merged[key] = value
    return merged


def decode_files(
    files: list[tuple[str, bytes]],
    *,
    source: ConfigSource = "file",
    resolved_from: ResolvedFrom = "option",
    token_from_env: str | None = None,
    token_env_var: str = TOKEN_ENV_VAR,
    present_env: Collection[str] = (),
    kill_switch: KillSwitch | None = None,
) -> LoadedConfig:
    """Decode a config file (and the `bounded_live.toml` merged into it, second) into a
    `LoadedConfig`. Pure: no I/O, no clock, no environment.

    `files` holds (path as given, bytes); `present_env` the names of environment variables that
    hold a non-empty value (for credential presence; no value is read here); `token_env_var`
    the variable `token_from_env` came from; `kill_switch` what `load_config` read of it.
    """
    parsed = [(path, parse_toml(raw, path)) for path, raw in files]
    origin = parsed[0][0]
    data = parsed[0][1]
    for _, extra in parsed[1:]:
        data = merge_bounded(data, extra)
    where = " + ".join(path for path, _ in parsed)
    misspelt = _misspelt_tables(data)
    if misspelt:
        raise ConfigError(f"{where}: {misspelt[0]}")
    try:
        tables = msgspec.convert(data, type=_ConfigFile, strict=True)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: {_describe_validation_error(str(exc))}") from None
    values = _table_values(tables)
    problems = _value_problems(values)
    if problems:
        raise ConfigError(f"{where}: {problems[0]}")

    configured = {row.key: value for row in CAPS if (value := values[row.key]) is not None}
    mode = TradingEnvironment(values["environment.mode"])
    # what Peak_Trade's session runners see: the config file alone (they never merge
    # bounded_live.toml, whose tables may set [environment] or [live_risk] too)
    alone = parsed[0][1]
    runtime_mode, runtime_limits = mode, values["live_risk.enabled"]
    #: caps the config file sets and bounded_live.toml overrides: the runners apply the file's
    overridden: dict[str, Any] = {}
    if len(parsed) > 1:
        try:
            own = _table_values(msgspec.convert(alone, type=_ConfigFile, strict=True))
        except msgspec.ValidationError as exc:
            raise ConfigError(f"{origin}: {_describe_validation_error(str(exc))}") from None
        runtime_mode = TradingEnvironment(own["environment.mode"])
        overridden = {
            row.key: own[row.key]
            for row in CAPS
            if own[row.key] is not None and own[row.key] != configured.get(row.key)
        }
        runtime_limits = own["live_risk.enabled"]
    context = _cap_context(parsed, configured, runtime_mode, runtime_limits)
    main_name = name_and_stem(origin)[0]

    def cap_of(row: Any, value: Any) -> ConfiguredCap:
        """One cap; where the overlay overrides the config file's own value, the file's value,
        which is the one the session runners apply (the overlay's is the readiness view)."""
        source = source_of(row.key, parsed)
        note = None
        if row.key in overridden:
            note = (
                f"{source} sets {value} here, which only the readiness checks merge; the"
                f" session runners apply {main_name}'s"
            )
            value, source = overridden[row.key], main_name
        enforced, why = runtime.enforcement_of(row.key, source, context)
        return ConfiguredCap(
            kind=row.kind,
            unit=KIND[row.kind].unit,
            key=row.key,
            value=value if KIND[row.kind].integer else float(value),
            source=source,
            enforced=enforced,
            enforcement="; ".join(filter(None, (why, note))) or None,
        )

    caps = tuple(
        cap_of(row, value) for row in CAPS if (value := configured.get(row.key)) is not None
    )
    bounded_enabled = values["bounded_live.enabled"] is True
    impossible = contradictions(caps, bounded_enabled)
    if impossible:
        raise ConfigError(f"{where}: {impossible[0]}")

    env_token = values["environment.confirm_token"]
    token_text = token_from_env or env_token or None
    token_source = token_env_var if token_from_env else TOKEN_FILE_KEY if env_token else None
    environment = EnvironmentConfig(
        environment=mode,
        enable_live_trading=values["environment.enable_live_trading"],
        live_mode_armed=values["environment.live_mode_armed"],
        live_dry_run_mode=values["environment.live_dry_run_mode"],
        require_confirm_token=values["environment.require_confirm_token"],
        confirm_token=Secret(token_text) if token_text else None,
        confirm_token_sha256=(
            Secret(values["environment.confirm_token_sha256"].lower())
            if values["environment.confirm_token_sha256"] is not None
            else None
        ),
        testnet_dry_run=values["environment.testnet_dry_run"],
        log_all_orders=values["environment.log_all_orders"],
        knowledge_readonly=values["environment.knowledge_readonly"],
        bounded_pilot_mode=values["environment.bounded_pilot_mode"],
        **{key: _float(values[f"environment.{key}"]) for key, _ in SEED_RISK_FIELDS},
    )
    risk_caps: dict[str, Any] = {
        row.field: values[row.key] if KIND[row.kind].integer else _float(values[row.key])
        for row in CAPS
        if row.table == "live_risk"
    }
    risk = LiveRiskConfig(
        enabled=values["live_risk.enabled"],
        base_currency=(values["live_risk.base_currency"] or values["live.base_currency"] or "EUR"),
        block_on_violation=values["live_risk.block_on_violation"],
        use_experiments_for_daily_pnl=values["live_risk.use_experiments_for_daily_pnl"],
        warning_threshold_factor=float(values["live_risk.warning_threshold_factor"]),
        **risk_caps,
    )
    venues = runtime.venues(alone, present_env, runtime_mode)
    redacted, redacted_keys = redact(data)

    if source == "embedded-default":
        stem = limits_source = EMBEDDED_DEFAULT
    else:
        stem = name_and_stem(origin)[1]
        read = {k for field, _ in SEED_RISK_FIELDS for k in runtime.seed_keys(field, configured)}
        seed_caps = [c for c in caps if c.key in read]
        sources = list(dict.fromkeys(c.source or "" for c in seed_caps))
        limits_source = ", ".join(sources) if sources else "not_set"
    return LoadedConfig(
        dialect=NAME,
        mode=environment.environment,
        base_currency=risk.base_currency,
        limits_enabled=risk.enabled,
        environment=environment,
        risk=risk,
        caps=caps,
        bounded_live_enabled=bounded_enabled,
        venues=venues,
        source=source,
        resolved_from=resolved_from,
        path=None if source == "embedded-default" else origin,
        files=file_infos(parsed, data, redacted) if source == "file" else (),
        limits_source=limits_source,
        default_environment_id=stem,
        redacted=redacted,
        redacted_keys=redacted_keys,
        kill_switch=kill_switch,
        facts=PeakTradeFacts(confirm_token_source=token_source, runtime_mode=runtime_mode),
    )


class PeakTradeFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What only Peak_Trade's report shows: where the confirm token came from, and the mode its
    session runners see (the config file alone: they never merge bounded_live.toml)."""

    confirm_token_source: str | None
    runtime_mode: TradingEnvironment


def _cap_context(
    parsed: list[tuple[str, dict[str, Any]]],
    configured: Mapping[str, Any],
    mode: TradingEnvironment,
    limits_enabled: bool,
) -> runtime.CapContext:
    """What Peak_Trade's session runners see: the config file alone (they never merge
    bounded_live.toml), so bounded live counts only as that file itself sets it."""
    main = parsed[0][1].get("bounded_live")
    main = main if isinstance(main, Mapping) else {}
    limits = main.get("limits")
    return runtime.CapContext(
        mode=mode,
        limits_enabled=limits_enabled,
        overlay_files=frozenset(name_and_stem(path)[0] for path, _ in parsed[1:])
        - {name_and_stem(parsed[0][0])[0]},
        bounded_in_main=main.get("enabled") is True,
        main_bounded_keys=frozenset(
            f"bounded_live.limits.{key}" for key in (limits if isinstance(limits, Mapping) else {})
        ),
        configured=frozenset(configured),
    )


def decode_config(
    raw: bytes,
    *,
    origin: str,
    source: ConfigSource = "file",
    token_from_env: str | None = None,
    present_env: Collection[str] = (),
) -> LoadedConfig:
    """Decode one TOML file (no bounded merge). Pure."""
    return decode_files(
        [(origin, raw)],
        source=source,
        resolved_from="embedded-default" if source == "embedded-default" else "option",
        token_from_env=token_from_env,
        present_env=present_env,
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _table_values(tables: msgspec.Struct) -> dict[str, Any]:
    """Decoded tables -> {dotted key: value} for every key the registry knows."""
    values: dict[str, Any] = {}
    for table in ("environment", "live_risk", "live", "bounded_live.limits"):
        struct: Any = tables
        for part in table.split("."):
            struct = getattr(struct, part)
        for key in keys_of_table(table):
            values[f"{table}.{key}"] = getattr(struct, key)
    values["bounded_live.enabled"] = tables.bounded_live.enabled  # type: ignore[attr-defined]
    return values


def _value_problems(values: Mapping[str, Any]) -> list[str]:
    """Checks the type system cannot state: finiteness and whole-value patterns."""
    problems = [
        f"{key}: must be a finite number, got {v}" for key, v in values.items() if not is_finite(v)
    ]
    for key, pattern, what in (
        (
            "environment.confirm_token_sha256",
            HEX64_PATTERN,
            "a SHA-256 hex digest (64 hex characters)",
        ),
        ("live_risk.base_currency", CURRENCY_PATTERN, "an upper-case currency code such as EUR"),
        ("live.base_currency", CURRENCY_PATTERN, "an upper-case currency code such as EUR"),
    ):
        value = values[key]
        if value is not None and not FULL_MATCH[pattern].fullmatch(value):
            problems.append(f"{key}: expected {what}")
    return problems


# patterns for error messages only: compiled on first use (re caches them), not at start-up
_AT_PATH = r"(?s)^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$"
_UNKNOWN_FIELD = r"^Object contains unknown field `(?P<key>[^`]*)`$"
_TYPE_WORDS = {"object": "table", "array": "array", "float": "number", "int": "integer"}


def _type_words(match: re.Match[str]) -> str:
    # "`str | null`" -> "str": TOML has no null, an absent key is how to say "none".
    names = [_TYPE_WORDS.get(n, n) for n in match[1].split(" | ") if n != "null"]
    return " or ".join(names)


def _describe_validation_error(text: str) -> str:
    """Turn a msgspec validation message into `key.path: what is wrong`.

    Never repeats a value from the input: the messages msgspec produces for our schema carry
    type names, constraints and key names; the one that quotes a value (an invalid `mode`) is
    rewritten without it.
    """
    match = re.match(_AT_PATH, text)
    msg, path = (match["msg"], match["path"].lstrip(".")) if match else (text, "")
    unknown = re.match(_UNKNOWN_FIELD, msg)
    if unknown:
        key = unknown["key"]
        keys = keys_of_table(path) if path in STRICT_TABLES else ()
        near = _nearest(key, keys)
        hint = f" (known keys: {', '.join(keys)})" if keys else ""
        hint += f"; did you mean {near!r}?" if near else ""
        return f"{path}.{key}: unknown key{hint}" if path else f"{key}: unknown key"
    if path == "environment.mode" and msg.startswith("Invalid enum value"):
        value = msg.removeprefix("Invalid enum value ").strip("'\"")
        lower = value.lower()
        hint = (
            f" (mode is lowercase: write '{lower}')"
            if lower in {m.value for m in TradingEnvironment}
            else ""
        )
        return f"{path}: must be one of paper, testnet, live{hint}"
    if "matching regex" in msg:
        if path.endswith("confirm_token_sha256"):
            return f"{path}: expected a SHA-256 hex digest (64 hex characters)"
        return f"{path}: expected an upper-case currency code such as EUR"
    words = re.sub(r"`([^`]*)`", _type_words, validation_message(msg))
    return f"{path}: {words}" if path else words


# --------------------------------------------------------------------------- loading (I/O edge)


def embedded_default_config(token: str | None = None) -> LoadedConfig:
    return decode_files(
        [(EMBEDDED_DEFAULT, EMBEDDED_DEFAULT_TOML.encode())],
        source="embedded-default",
        resolved_from="embedded-default",
        token_from_env=token,
    )


def resolve_config_path(
    path: str | None, environ: Mapping[str, str]
) -> tuple[str | None, ResolvedFrom]:
    """`--config`, else `PEAK_TRADE_CONFIG_PATH`, else `config/config.toml` if it exists,
    else None (the embedded default)."""
    if path is not None:
        return path, "option"
    from_env = environ.get(CONFIG_PATH_ENV_VAR)
    if from_env:
        return from_env, "env"
    if os.path.lexists(DEFAULT_CONFIG_PATH):
        return DEFAULT_CONFIG_PATH, "default-path"
    return None, "embedded-default"


def bounded_live_path(config_path: str) -> str:
    return os.path.join(os.path.dirname(config_path), BOUNDED_LIVE_FILE)


def load_config(
    path: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    bounded_live: bool = True,
    raw: bytes | None = None,
) -> LoadedConfig:
    """Find, read and decode the config as Peak_Trade would load it.

    `raw`: the config file's bytes when the caller has read them already (one read, so what
    is decoded is what was inspected).

    The confirm token is taken from `PEAK_TRADE_CONFIRM_TOKEN`, else the bounded pilot's
    `PT_LIVE_CONFIRM_TOKEN`, in `environ` (default: the process environment), else from
    `environment.confirm_token` in the file. The kill switch is read from
    `risk/kill_switch.toml` beside the config file and the state file Peak_Trade's gate reads.
    """
    env = os.environ if environ is None else environ
    token, token_var = _token(env)
    resolved, resolved_from = resolve_config_path(path, env)
    if resolved is None:
        return embedded_default_config(token)
    _require_utf8_path(resolved)
    files = [
        (resolved, raw if raw is not None and path is not None else read_config_bytes(resolved))
    ]
    neighbour = bounded_live_path(resolved)
    if bounded_live and os.path.basename(resolved) != BOUNDED_LIVE_FILE:
        if os.path.lexists(neighbour):
            files.append((neighbour, read_config_bytes(neighbour)))
    # names only: whether a variable holds a value, never the value itself
    present = frozenset(name for name, value in env.items() if value)
    kill_switch, companions = read_kill_switch(resolved, env, present)
    loaded = decode_files(
        files,
        resolved_from=resolved_from,
        token_from_env=token,
        token_env_var=token_var,
        present_env=present,
        kill_switch=kill_switch,
    )
    return msgspec.structs.replace(loaded, companions=companions)


def read_kill_switch(
    config_path: str, environ: Mapping[str, str], present_env: Collection[str]
) -> tuple[KillSwitch, tuple[str, ...]]:
    """Read (never write) `risk/kill_switch.toml` beside the config file and the state file
    Peak_Trade's gate reads: the path a state variable names (relative to the working
    directory, as Peak_Trade reads it), else data/kill_switch/state.json in the project root,
    the directory holding the config directory (Peak_Trade runs from there). Returns the switch
    and both paths (never an output, whether they exist or not)."""
    from peak_trade.dialects.peak_trade import killswitch

    directory = os.path.dirname(config_path)
    source = os.path.join(directory, killswitch.KILL_SWITCH_FILE)
    data: dict[str, Any] | None = None
    problem: str | None = None
    if os.path.lexists(source):
        try:
            data = parse_toml(read_config_bytes(source), source, shared=False)
        except ConfigError as exc:
            problem = str(exc)
            data = {}
    root = os.path.dirname(os.path.abspath(directory or "."))
    state_file, _ = killswitch.state_path(environ, root)
    state: bytes | None = None
    if os.path.lexists(state_file):
        try:
            state = read_config_bytes(state_file)
        except ConfigError as exc:
            problem = "; ".join(filter(None, [problem, str(exc)]))
    found = (source, state_file)  # never an output, whether they exist or not
    return (
        killswitch.decode_kill_switch(
            source,
            data,
            state=state,
            state_source=state_file,
            problem=problem,
            present_env=present_env,
        ),
        found,
    )


def _require_utf8_path(path: str) -> None:
    """A path that is not valid UTF-8 cannot be reported faithfully (JSON, Markdown)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise ConfigError(f"{shown}: the path is not valid UTF-8; rename the file") from None


def _token(env: Mapping[str, str]) -> tuple[str | None, str]:
    """The run-time confirm token and the variable it came from (the first one set)."""
    for name in TOKEN_ENV_VARS:
        token = env.get(name) or None
        if token is not None:
            try:
                token.encode("utf-8")
            except UnicodeEncodeError:
                raise ConfigError(f"{name}: not valid UTF-8") from None
            return token, name
    return None, TOKEN_ENV_VAR
