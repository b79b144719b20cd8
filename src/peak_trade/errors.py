"""The package's exception hierarchy. Imports only `core.text` (which imports nothing).

`cli/entry.py` maps these to exit codes in one place:
`UsageError`/`ConfigError`/`OutputError`/`ArchiveError`/`KeyFileError` and every other
`PeakTradeError` -> 2 (bad input),
`Finding` subclasses (`TamperError`, ...) -> 1, `ReadOnlyViolation` and anything else -> 3.
Messages never contain secret values: they name keys and paths, not what those hold. Key
names and paths come from the input, so `str()` of every error is one terminal-safe line
(`core.text.printable`): a key named `"x\\x1b]0;PWNED\\x07"` cannot retitle the terminal, nor a
`"\\r\\n"` in one forge a line of `fleet` output.
"""

from __future__ import annotations

from peak_trade.core.text import printable


class PeakTradeError(Exception):
    """Root of every error this package raises on purpose."""

    def __str__(self) -> str:
        return printable(super().__str__())


class UsageError(PeakTradeError):
    """The command line or an argument value is not usable."""


class ConfigError(PeakTradeError):
    """A config could not be read or decoded. The message names the file or key path."""


class OutputError(PeakTradeError):
    """An output could not be written, or would replace a file without --force."""


class ArchiveError(PeakTradeError):
    """An archive or ledger cannot be used as input (missing, unreadable, wrong shape)."""


class KeyFileError(PeakTradeError):
    """A signing or public key file cannot be read or is not an Ed25519 key."""


class Finding(PeakTradeError):
    """A check ran and found something wrong (exit 1)."""


class TamperError(Finding):
    """An archive's files, ledger chain or signatures do not match what was recorded."""


class ReadOnlyViolation(PeakTradeError):
    """The process tried to write, connect or spawn during a read-only run (exit 3)."""
