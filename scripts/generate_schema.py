"""Regenerate the shipped JSON Schema of the audit snapshot from the types.

`python scripts/generate_schema.py [PATH]` writes PATH, by default the schema file of the
checkout this script lies in (never the installed package's, which an editable install shares
with another checkout).
"""

from __future__ import annotations

import sys
from pathlib import Path

from peak_trade.schema import generate_schema_text

DEFAULT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "peak_trade"
    / "schemas"
    / "live_audit_snapshot.schema.json"
)

if __name__ == "__main__":
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        print("usage: python scripts/generate_schema.py [PATH]", file=sys.stderr)
        raise SystemExit(2)
    target = Path(sys.argv[1]) if len(sys.argv) == 2 else DEFAULT
    target.write_text(generate_schema_text(), encoding="utf-8")
    print(f"wrote {target}")
