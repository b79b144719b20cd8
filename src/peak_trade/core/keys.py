"""Dotted key paths, as every output names a setting (`live_risk.max_order_notional`). Pure.

A part that holds a dot is written in double quotes, as TOML writes such a key: NautilusTrader's
per-instrument caps are keyed by instrument id (`risk_engine.max_notional_per_order.
"BTCUSDT.BINANCE"`). Code that needs a path's names splits it here, never at every dot.
"""

from __future__ import annotations


def key_parts(key: str) -> list[str]:
    """The names of a dotted key path, quotes removed. An unclosed quote is a name to the end
    (a key path is our own output, but a view must not fail on one)."""
    parts: list[str] = []
    rest = key
    while rest:
        if rest.startswith('"'):
            end = rest.find('"', 1)
            if end < 0:
                parts.append(rest[1:])
                break
            parts.append(rest[1:end])
            rest = rest[end + 1 :].removeprefix(".")
        else:
            head, _, rest = rest.partition(".")
            parts.append(head)
    return parts


def last_name(key: str) -> str:
    """The key's own name, its path's last part (`"BTCUSDT.BINANCE"`, not `BINANCE"`)."""
    parts = key_parts(key)
    return parts[-1] if parts else key
