"""`OutputFormat`: the built-in snapshot formats by name, for code that picks one (the archive
stores both; tests and benchmarks name them). Not imported on the command line's hot path: an
enum class costs about 0.2 ms to create, and the registry in `formats/__init__.py` needs none.
"""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
