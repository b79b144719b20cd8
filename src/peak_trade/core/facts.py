"""Neutral facts every dialect states in the same shape, so that views and policies never need
to know which system they describe. Pure values."""

from __future__ import annotations

from typing import Final

import msgspec

#: how every view says that a value is not configured (never a made-up number)
NOT_SET: Final = "not set"
#: how every view shows a cap set to the system's own "no limit" value
UNLIMITED: Final = "unlimited"


class GateState(msgspec.Struct, frozen=True, kw_only=True):
    """One gate as an operator sees it: its label, the key that sets it, the value it has, and
    whether it is open (nothing blocks at it)."""

    gate: str
    key: str
    value: bool | str
    open: bool
