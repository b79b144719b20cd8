"""Seed-compatible wrapper.

`python scripts/export_live_audit_snapshot.py ...` is `peak-trade audit export ...`.
"""

from __future__ import annotations

import os
import sys

try:
    from peak_trade.cli import main
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
    from peak_trade.cli import main

if __name__ == "__main__":
    sys.exit(main(["audit", "export", *sys.argv[1:]], name="export_live_audit_snapshot.py"))
