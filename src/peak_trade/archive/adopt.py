"""Reading the snapshot files `archive --adopt` brings into the chain (the I/O edge of adopting).

Each JSON file must decode as an audit snapshot; its Markdown sibling (same name, `.md`) comes
along when it exists. `store.adopt_files` then writes and records them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from peak_trade.archive.store import markdown_sibling
from peak_trade.errors import ArchiveError
from peak_trade.files import open_regular
from peak_trade.live.snapshot import live_audit_snapshot_from_json

#: the most a snapshot file may hold; a larger one is not read whole
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024

#: (JSON path, JSON bytes, Markdown bytes or None, timestamp, environment id), as
#: `store.adopt_files` takes them
Export = tuple[str, bytes, bytes | None, str, str]


def read_exports(paths: Sequence[str]) -> list[Export]:
    """Read and validate every file before anything is adopted; the first bad one is an
    `ArchiveError` naming it, and nothing is adopted."""
    return [read_export(path) for path in paths]


def read_export(path: str) -> Export:
    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_SNAPSHOT_BYTES)
        snapshot = live_audit_snapshot_from_json(data)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError:
        raise ArchiveError(f"{path}: not a JSON audit snapshot; nothing adopted") from None
    markdown: bytes | None = None
    sibling = markdown_sibling(path)
    if os.path.isfile(sibling):
        with open_regular(sibling) as handle:
            markdown = handle.read(MAX_SNAPSHOT_BYTES)
    return path, data, markdown, snapshot.timestamp_utc, snapshot.environment_id
