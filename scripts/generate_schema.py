"""Regenerate the shipped JSON Schema of the audit snapshot from the types."""

from __future__ import annotations

from peak_trade.schema import SCHEMA_FILE, generate_schema_text

if __name__ == "__main__":
    with open(SCHEMA_FILE, "w", encoding="utf-8") as handle:
        handle.write(generate_schema_text())
    print(f"wrote {SCHEMA_FILE}")
