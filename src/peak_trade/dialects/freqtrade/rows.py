"""freqtrade's rows: its caps (top-level keys of its JSON config; an absent one is left to the
strategy) and the remedies of its blockers. Data only."""

from __future__ import annotations

from typing import Annotated, Final, Literal

import msgspec

from peak_trade.core.registry import (
    CONFIG_INVALID_REMEDY,
    BlockerCode,
    CapKind,
    CapRow,
    Fraction,
    NonNegative,
)

REMEDY_CREDENTIALS: Final = (
    "set exchange.key and exchange.secret (better: FREQTRADE__EXCHANGE__KEY and"
    " FREQTRADE__EXCHANGE__SECRET)"
)


_STAKE = Annotated[float, msgspec.Meta(gt=0)] | Literal["unlimited"]
_TRADES = Annotated[int, msgspec.Meta(ge=-1)]
CAPS: Final[tuple[CapRow, ...]] = (
    CapRow(
        key="stake_amount",
        kind=CapKind.PER_ORDER,
        type=_STAKE,
        label="stake per trade",
        unlimited=("unlimited",),
    ),
    CapRow(
        key="max_open_trades",
        kind=CapKind.OPEN_POSITIONS,
        type=_TRADES,
        label="open trades",
        unlimited=(-1,),
    ),
    CapRow(
        key="tradable_balance_ratio",
        kind=CapKind.BALANCE_RATIO,
        type=Fraction,
        label="tradable balance ratio",
    ),
    CapRow(
        key="available_capital",
        kind=CapKind.CAPITAL,
        type=NonNegative,
        label="available capital",
    ),
    CapRow(
        key="stoploss",
        kind=CapKind.STOPLOSS,
        type=Annotated[float, msgspec.Meta(ge=-1, le=0)],
        label="stoploss",
    ),
    CapRow(
        key="max_entry_position_adjustment",
        kind=CapKind.POSITION_ADJUSTMENTS,
        type=_TRADES,
        label="position adjustments per trade",
        unlimited=(-1,),
    ),
    CapRow(
        key="custom_price_max_distance_ratio",
        kind=CapKind.PRICE_DISTANCE,
        type=Annotated[float, msgspec.Meta(gt=0, le=1)],
        label="custom price distance",
    ),
)

#: what clears each of freqtrade's blockers
REMEDY: Final[dict[BlockerCode, str]] = {
    BlockerCode.DRY_RUN_ACTIVE: 'set "dry_run": false (or FREQTRADE__DRY_RUN=false)',
    BlockerCode.CREDENTIALS_MISSING: REMEDY_CREDENTIALS,
    BlockerCode.CONFIG_INVALID: CONFIG_INVALID_REMEDY,
}
