"""The JSON Schema of the audit snapshot: generated from the types, shipped as a file.

`schema_text()` returns the shipped file; a test proves it equals `generate_schema_text()`.
Regenerate after changing the snapshot types: `python scripts/generate_schema.py` (it writes
the file of the checkout it lies in, or the path given as its argument).
"""

from __future__ import annotations

import json
import os
from typing import Any, Final

SCHEMA_FILE: Final = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "schemas", "live_audit_snapshot.schema.json"
)


_SECTION_DEFS: Final = {"gating": "LiveAuditGatingState", "risk": "LiveAuditRiskState"}


def generate_schema_text() -> str:
    from peak_trade.live.snapshot import SCHEMA_ID, live_audit_snapshot_schema

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **live_audit_snapshot_schema(),
    }
    _normalise_descriptions(schema)
    _describe_settings(schema)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def _normalise_descriptions(node: Any) -> None:
    """Every description dedented as `inspect.cleandoc` does: msgspec 0.19 kept a docstring's
    indentation, later versions dedent it, and the shipped file must not depend on which one
    is installed."""
    import inspect

    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = inspect.cleandoc(value)
            else:
                _normalise_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            _normalise_descriptions(item)


def _describe_settings(schema: dict[str, Any]) -> None:
    """Each reported setting's property says its config key, label and less-safe direction,
    from the registry (the one home of those facts)."""
    from peak_trade.core.registry import SETTINGS

    for row in SETTINGS:
        if row.snapshot is None:
            continue
        section, field = row.snapshot
        properties = schema["$defs"][_SECTION_DEFS[section]]["properties"]
        properties[field]["description"] = (
            f"{row.label} (config key {row.key}); less safe: {row.less_safe.value}"
        )


def schema_text() -> str:
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return handle.read()
