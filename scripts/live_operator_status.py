"""Seed-compatible wrapper.

`python scripts/live_operator_status.py ...` is `peak-trade status ...`.
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
    # the seed's habit: `--stdout` (this command always prints to standard output)
    arguments = [a for a in sys.argv[1:] if a != "--stdout"]
    sys.exit(main(["status", *arguments], name="live_operator_status.py"))
