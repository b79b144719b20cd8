"""Config loading (Phase 71): TOML in, trusted typed values out, or one `ConfigError`.

The edge (`load_config`) reads a file and the environment; `decode_config` is pure: bytes and an
optional run-time token in, a `LoadedConfig` out. Decoding is strict (msgspec, `strict=True`):
wrong types, unknown keys in the tables we own, unknown modes, negative or non-finite limits are
errors that name the key path. Missing keys take the safe value. Secret values never appear in a
message, a repr or the redacted view.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import tomllib
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

import msgspec

from peak_trade.core.environment import EnvironmentConfig, TradingEnvironment
from peak_trade.core.secret import Secret
from peak_trade.errors import ConfigError

DEFAULT_CONFIG_PATH: Final = "config/config.toml"
TOKEN_ENV_VAR: Final = "PEAK_TRADE_CONFIRM_TOKEN"  # noqa: S105 (a variable name)
EMBEDDED_DEFAULT: Final = "embedded-default"
REDACTED: Final = "<redacted>"
SECRET_TABLES: Final = frozenset({"exchange"})
SECRET_KEY_WORDS: Final = ("token", "secret", "key", "password", "passphrase", "credential")
MAX_CONFIG_BYTES: Final = 4 * 1024 * 1024

ConfigSource = Literal["file", "embedded-default"]

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
max_live_notional_per_order = 1000.0
max_live_notional_total = 5000.0
live_trade_min_size = 10.0
"""

_HEX64 = "^[0-9a-fA-F]{64}$"
NonNegative = Annotated[float, msgspec.Meta(ge=0)]


class _EnvironmentTable(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    mode: Literal["paper", "testnet", "live"] = "paper"
    enable_live_trading: bool = False
    live_mode_armed: bool = False
    live_dry_run_mode: bool = True
    require_confirm_token: bool = True
    confirm_token_sha256: Annotated[str, msgspec.Meta(pattern=_HEX64)] | None = None
    confirm_token: str | None = None


class RiskConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """The `[live_risk]` table. Notional values are in `base_currency`."""

    enabled: bool = True
    base_currency: Annotated[str, msgspec.Meta(pattern="^[A-Z0-9]{2,10}$")] = "EUR"
    max_live_notional_per_order: NonNegative = 1000.0
    max_live_notional_total: NonNegative = 5000.0
    live_trade_min_size: NonNegative = 10.0


class _ConfigFile(msgspec.Struct, frozen=True, kw_only=True):
    # Unknown top-level tables are allowed: a real trading config holds more than we read.
    environment: _EnvironmentTable = msgspec.field(default_factory=_EnvironmentTable)
    live_risk: RiskConfig = msgspec.field(default_factory=RiskConfig)


_TABLE_TYPES: Final[dict[str, type[msgspec.Struct]]] = {
    "environment": _EnvironmentTable,
    "live_risk": RiskConfig,
}


class LoadedConfig(msgspec.Struct, frozen=True, kw_only=True):
    """A decoded config and where it came from. Holds secrets only inside `Secret`."""

    environment: EnvironmentConfig
    risk: RiskConfig
    source: ConfigSource
    path: str | None
    limits_source: str
    default_environment_id: str
    redacted: dict[str, Any]
    redacted_keys: tuple[str, ...]


# --------------------------------------------------------------------------- secret keys


# Keys of the tables we own are classified exactly; the name heuristic is for everything else.
# `require_confirm_token` is a gate, not a secret: redacting it (as the name rule would) would
# hide a safety setting from `sha256_redacted`.
_KNOWN_NOT_SECRET: Final = frozenset({("environment", "require_confirm_token")})


def is_secret_key(path: tuple[str, ...]) -> bool:
    """True when the value at this key path must never leave the process."""
    if path and path[0] in SECRET_TABLES:
        return True
    if path in _KNOWN_NOT_SECRET:
        return False
    name = path[-1].lower() if path else ""
    return any(word in name for word in SECRET_KEY_WORDS)


def redact(data: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Plain JSON-ready data with every secret value replaced by `REDACTED`, and their paths.

    Dates become ISO strings; non-finite floats and integers beyond 2**53 become strings, so the
    result can be canonicalised with RFC 8785.
    """
    redacted_paths: list[str] = []

    def walk(value: Any, path: tuple[str, ...], shown: str, secret: bool) -> Any:
        if isinstance(value, Mapping):
            # Tables are walked even under a secret key, so that key names stay visible.
            out: dict[str, Any] = {}
            for key, item in value.items():
                child = (*path, str(key))
                child_shown = f"{shown}.{key}" if shown else str(key)
                out[str(key)] = walk(item, child, child_shown, secret or is_secret_key(child))
            return out
        if secret:
            redacted_paths.append(shown)
            return REDACTED
        if isinstance(value, list):
            return [walk(item, path, f"{shown}[{i}]", False) for i, item in enumerate(value)]
        return _plain_scalar(value)

    return walk(data, (), "", False), tuple(redacted_paths)


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    # TOML dates, times and datetimes
    return value.isoformat()


# --------------------------------------------------------------------------- decoding


def decode_config(
    raw: bytes,
    *,
    origin: str,
    source: ConfigSource = "file",
    token_from_env: str | None = None,
) -> LoadedConfig:
    """Decode TOML bytes into a `LoadedConfig`. Pure: no I/O, no clock, no environment.

    `origin` is the path as the user gave it (used in messages and provenance).
    Raises `ConfigError`; never another exception for any input bytes.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{origin}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{origin}: invalid TOML: nested too deeply") from None
    try:
        parsed = msgspec.convert(data, type=_ConfigFile, strict=True)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{origin}: {_describe_validation_error(str(exc))}") from None
    _check_risk(parsed.live_risk, origin)

    env_table = parsed.environment
    token_text = token_from_env or env_table.confirm_token or None
    environment = EnvironmentConfig(
        mode=TradingEnvironment(env_table.mode),
        enable_live_trading=env_table.enable_live_trading,
        live_mode_armed=env_table.live_mode_armed,
        live_dry_run_mode=env_table.live_dry_run_mode,
        require_confirm_token=env_table.require_confirm_token,
        confirm_token_sha256=(
            Secret(env_table.confirm_token_sha256.lower())
            if env_table.confirm_token_sha256 is not None
            else None
        ),
        confirm_token=Secret(token_text) if token_text else None,
    )
    redacted, redacted_keys = redact(data)
    if source == "embedded-default":
        name = stem = limits_source = EMBEDDED_DEFAULT
    else:
        name, stem = name_and_stem(origin)
        limits_source = name if "live_risk" in data else EMBEDDED_DEFAULT
    return LoadedConfig(
        environment=environment,
        risk=parsed.live_risk,
        source=source,
        path=None if source == "embedded-default" else origin,
        limits_source=limits_source,
        default_environment_id=stem,
        redacted=redacted,
        redacted_keys=redacted_keys,
    )


def name_and_stem(origin: str) -> tuple[str, str]:
    """File name and stem of a config path: the stem is the default environment id."""
    name = origin.replace("\\", "/").rsplit("/", 1)[-1] or origin
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return name, stem


def _check_risk(risk: RiskConfig, origin: str) -> None:
    limits = {
        "max_live_notional_per_order": risk.max_live_notional_per_order,
        "max_live_notional_total": risk.max_live_notional_total,
        "live_trade_min_size": risk.live_trade_min_size,
    }
    for key, value in limits.items():
        if not math.isfinite(value):
            raise ConfigError(f"{origin}: live_risk.{key}: must be a finite number, got {value}")
    if risk.max_live_notional_per_order > risk.max_live_notional_total:
        raise ConfigError(
            f"{origin}: live_risk.max_live_notional_per_order ({risk.max_live_notional_per_order})"
            f" exceeds live_risk.max_live_notional_total ({risk.max_live_notional_total})"
        )
    if risk.live_trade_min_size > risk.max_live_notional_per_order:
        raise ConfigError(
            f"{origin}: live_risk.live_trade_min_size ({risk.live_trade_min_size}) exceeds"
            f" live_risk.max_live_notional_per_order ({risk.max_live_notional_per_order}):"
            " no order could pass"
        )


_AT_PATH = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$", re.DOTALL)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<key>[^`]*)`$")
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
    match = _AT_PATH.match(text)
    msg, path = (match["msg"], match["path"].lstrip(".")) if match else (text, "")
    unknown = _UNKNOWN_FIELD.match(msg)
    if unknown:
        key = unknown["key"]
        table = _TABLE_TYPES.get(path)
        known = ", ".join(table.__struct_fields__) if table is not None else ""
        hint = f" (known keys: {known})" if known else ""
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
    words = re.sub(r"`([^`]*)`", _type_words, msg)
    words = words[:1].lower() + words[1:]
    return f"{path}: {words}" if path else words


# --------------------------------------------------------------------------- loading (I/O edge)


def embedded_default_config() -> LoadedConfig:
    return decode_config(
        EMBEDDED_DEFAULT_TOML.encode(), origin=EMBEDDED_DEFAULT, source="embedded-default"
    )


def read_config_bytes(path: str) -> bytes:
    """Read a config file, with one clear `ConfigError` for every way that can fail."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or 'I/O error'})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes; not a config file")
    return raw


def load_config(
    path: str | None = None, *, environ: Mapping[str, str] | None = None
) -> LoadedConfig:
    """Load `path`, else `config/config.toml` when it exists, else the embedded default.

    The confirm token is taken from `PEAK_TRADE_CONFIRM_TOKEN` in `environ` (default:
    the process environment), else from `environment.confirm_token` in the file.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV_VAR) or None
    if path is None:
        if not os.path.lexists(DEFAULT_CONFIG_PATH):
            loaded = embedded_default_config()
            if token is None:
                return loaded
            environment = msgspec.structs.replace(loaded.environment, confirm_token=Secret(token))
            return msgspec.structs.replace(loaded, environment=environment)
        path = DEFAULT_CONFIG_PATH
    return decode_config(read_config_bytes(path), origin=path, token_from_env=token)


def sha256_redacted(loaded: LoadedConfig) -> str:
    """SHA-256 of the RFC 8785 canonical JSON of the redacted config."""
    import rfc8785  # lazy: only the audit needs it

    return hashlib.sha256(rfc8785.dumps(loaded.redacted)).hexdigest()
