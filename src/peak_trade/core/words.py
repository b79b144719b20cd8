"""Words every view uses the same way. No imports: `--help` and the dialect list read them."""

from __future__ import annotations

from typing import Final

#: how every view says that a value is not configured (never a made-up number)
NOT_SET: Final = "not set"
#: how every view shows a cap set to the system's own "no limit" value
UNLIMITED: Final = "unlimited"
#: where `audit archive` keeps its snapshots and ledger unless `--archive-dir` says otherwise
DEFAULT_ARCHIVE_DIR: Final = "audit/archive"
