"""The snapshot as JSON: keys in the documented order, two-space indent, trailing newline."""

from __future__ import annotations

import msgspec

from peak_trade.live.snapshot import LiveAuditSnapshot


def render(snapshot: LiveAuditSnapshot) -> str:
    return msgspec.json.format(msgspec.json.encode(snapshot), indent=2).decode() + "\n"
