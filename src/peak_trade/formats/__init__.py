"""Snapshot output formats: one module each, every one a pure `render(snapshot) -> str`.

Adding a format: write `formats/<name>.py` with `render`, add a member to `OutputFormat`
and one arm to `render`. A test proves every member is handled.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from peak_trade.live.snapshot import LiveAuditSnapshot


class OutputFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"


def render(snapshot: LiveAuditSnapshot, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.MARKDOWN:
        from peak_trade.formats import markdown

        return markdown.render(snapshot)
    if fmt is OutputFormat.JSON:
        from peak_trade.formats import json

        return json.render(snapshot)
    assert_never(fmt)
