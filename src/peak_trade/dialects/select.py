"""Which system a config belongs to, and loading it as that system does (the dispatch).

`peak_trade` (TOML, DESIGN §2) and `freqtrade` (JSON with comments, DESIGN §8). A new dialect is
one module here, its rows in `core.registry`, and one arm in `load`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Final

from peak_trade.core.config import LoadedConfig, load_config, read_config_bytes
from peak_trade.errors import ConfigError


class Dialect(StrEnum):
    PEAK_TRADE = "peak_trade"
    FREQTRADE = "freqtrade"


#: the `--dialect` choices, in detection order
DIALECT_NAMES: Final = tuple(d.value for d in Dialect)
HINT: Final = (
    f"cannot tell which system this config belongs to; use --dialect {'|'.join(DIALECT_NAMES)}"
)


def detect(path: str, raw: bytes) -> Dialect:
    """From content: a JSON object (comments allowed) holding `dry_run`, or `exchange` and
    `stake_currency`, is freqtrade; TOML is Peak_Trade; anything else is an error."""
    if raw.lstrip()[:1] in (b"{", b"/"):
        from peak_trade.dialects import jsonc  # only for content that may be JSON

        try:
            data = jsonc.loads(raw)
        except jsonc.JsoncError:
            raise ConfigError(f"{path}: {HINT}") from None
        if isinstance(data, dict) and (
            "dry_run" in data or ("exchange" in data and "stake_currency" in data)
        ):
            return Dialect.FREQTRADE
        raise ConfigError(f"{path}: {HINT}")
    return Dialect.PEAK_TRADE  # TOML: decoding names any error precisely


def load(
    paths: Sequence[str],
    *,
    dialect: Dialect | None = None,
    environ: Mapping[str, str] | None = None,
    bounded_live: bool = True,
) -> LoadedConfig:
    """Load the config the command names (no path: Peak_Trade's resolution order)."""
    env = os.environ if environ is None else environ
    if not paths:
        if dialect is Dialect.FREQTRADE:
            raise ConfigError("a freqtrade config needs --config PATH")
        return load_config(None, environ=env, bounded_live=bounded_live)
    raw: bytes | None = None
    chosen = dialect
    if chosen is None:
        raw = read_config_bytes(paths[0])
        chosen = detect(paths[0], raw)
    if chosen is Dialect.FREQTRADE:
        from peak_trade.dialects import freqtrade

        return freqtrade.load(list(paths), env)
    if len(paths) > 1:
        raise ConfigError("--config may repeat only for freqtrade configs (they merge)")
    # the bytes detection read are the bytes decoded: one read of the file
    return load_config(paths[0], environ=env, bounded_live=bounded_live, raw=raw)
