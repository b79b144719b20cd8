"""Neutral facts every dialect states in the same shape, so that views and policies never need
to know which system they describe. Pure values."""

from __future__ import annotations

import msgspec

from peak_trade.core.words import NOT_SET as NOT_SET
from peak_trade.core.words import UNLIMITED as UNLIMITED


class GateState(msgspec.Struct, frozen=True, kw_only=True):
    """One gate as an operator sees it: its label, the key that sets it, the value it has, and
    whether it is open (nothing blocks at it)."""

    gate: str
    key: str
    value: bool | str
    open: bool
