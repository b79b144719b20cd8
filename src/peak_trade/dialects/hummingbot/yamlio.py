"""Hummingbot's YAML, read with the parsers Hummingbot itself uses (hummingbot 2bfaccc).

- `safe_load`: PyYAML's `yaml.safe_load` (YAML 1.1), as `config_helpers.read_yml_file` reads
  `conf_client.yml`, every `conf/connectors/*.yml` and the strategy name of a V1 config, as
  `StrategyV2Base._load_v2_yaml_config` reads a V2 script config and
  `StrategyV2ConfigBase.load_controller_configs` a controller config.
- `round_trip_load`: ruamel.yaml's `YAML()` (its default round-trip loader, YAML 1.2), as
  `config_helpers.load_yml_into_cm_legacy` reads the values of a V1 strategy whose config map
  is a legacy one (`pure_market_making`, ...). The two differ (`yes`, `010`, `1e3`), so the
  values are the ones Hummingbot sees only when each file is read with the parser it reads.

Both are imported here only, on first use: a TOML or JSON config never imports them. What they
return is turned into plain data (dict, list, str, int, float, bool, None) with string keys,
bounded in size: an alias-expanded document larger than any config is refused, as is one nested
deeper than `files.MAX_NESTING`.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from peak_trade.errors import ConfigError
from peak_trade.files import MAX_NESTING

#: the most nodes a config may expand to (aliases counted each time they are used)
MAX_NODES: Final = 200_000
MISSING_PARSER: Final = (
    "reading Hummingbot's YAML needs PyYAML and ruamel.yaml (the parsers Hummingbot uses),"
    " which peak-trade depends on; reinstall it: pip install --force-reinstall peak-trade"
)


def _text(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")  # Hummingbot opens every config with encoding="utf-8"
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; Hummingbot cannot read it") from None


def safe_load(path: str, raw: bytes) -> Any:
    """`yaml.safe_load` of the file's text, as plain data (an empty document is None)."""
    try:
        import yaml
    except ImportError:
        raise ConfigError(f"{path}: {MISSING_PARSER}") from None
    try:
        data = yaml.safe_load(_text(path, raw))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not YAML that Hummingbot can read ({_where(exc)})") from None
    except (RecursionError, TypeError, ValueError, OverflowError):
        raise ConfigError(f"{path}: not YAML that Hummingbot can read") from None
    return plain(path, data)


def round_trip_load(path: str, raw: bytes) -> Any:
    """ruamel.yaml's round-trip `YAML().load` of the file's text, as plain data."""
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError
    except ImportError:
        raise ConfigError(f"{path}: {MISSING_PARSER}") from None
    try:
        data = YAML().load(_text(path, raw))
    except YAMLError as exc:
        raise ConfigError(f"{path}: not YAML that Hummingbot can read ({_where(exc)})") from None
    except (RecursionError, TypeError, ValueError, OverflowError, AttributeError):
        raise ConfigError(f"{path}: not YAML that Hummingbot can read") from None
    return plain(path, data)


def _where(exc: Exception) -> str:
    """Where a YAML error is, never what it found there: the parsers' messages quote the
    document (a tag, a character, a key), which may be part of a secret."""
    mark = getattr(exc, "problem_mark", None)
    line, column = getattr(mark, "line", None), getattr(mark, "column", None)
    if isinstance(line, int) and isinstance(column, int):
        return f"syntax error at line {line + 1}, column {column + 1}"
    return "syntax error"


def plain(path: str, data: Any) -> Any:
    """The parsed document as JSON-like data: mappings with string keys, lists, and scalars
    (str, int, float, bool, None; a date becomes its ISO string, binary and other tagged values
    a string naming their type). Counts every node as often as aliases reach it and refuses
    more than `MAX_NODES`, or nesting deeper than `MAX_NESTING`."""
    budget = [MAX_NODES]

    def walk(value: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise ConfigError(f"{path}: expands beyond {MAX_NODES} values (YAML aliases?)")
        if depth > MAX_NESTING:
            raise ConfigError(f"{path}: nested deeper than {MAX_NESTING} levels")
        if isinstance(value, bool) or value is None:
            return bool(value) if value is not None else None
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, dict):
            return {_key(k): walk(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, depth + 1) for v in value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, set | frozenset):
            return sorted(str(v) for v in value)
        return f"<{type(value).__name__}>"

    try:
        return walk(data, 0)
    except RecursionError:
        raise ConfigError(f"{path}: nested deeper than {MAX_NESTING} levels") from None


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return str(key).lower()
    return key if isinstance(key, str) else str(key)
