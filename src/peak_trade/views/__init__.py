"""Command output views: values in, text out. One module per command family."""

from __future__ import annotations

import msgspec


def to_json(value: object) -> str:
    """Indented JSON with a trailing newline, as every `--format json` prints it."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n"
