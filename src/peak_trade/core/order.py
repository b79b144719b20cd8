"""An order: the value that the guard, the risk limits and the executors all see.

Below all of them, so that none needs to import another to know what an order is.
Amounts: `quantity` in units of the symbol's base asset, `price` and `notional` in the quote
currency, which the risk limits read as `base_currency`.
"""

from __future__ import annotations

import math
from typing import Literal

import msgspec


class Order(msgspec.Struct, frozen=True, kw_only=True):
    symbol: str
    side: Literal["buy", "sell"]
    quantity: float
    price: float

    def __post_init__(self) -> None:
        for name, value in (("quantity", self.quantity), ("price", self.price)):
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"order {name} must be a positive finite number")

    @property
    def notional(self) -> float:
        return self.quantity * self.price
