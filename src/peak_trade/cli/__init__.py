"""The command line (`peak-trade`): argument parsing, dispatch, the exit-code map; no logic.

Imported by nobody inside the package. `main` runs one command in-process and returns its exit
code; `console_main` is the console script's entry point. Importing this package imports no
command code: `peak-trade --version` alone is answered here, before argparse is imported
(about a third of the process otherwise), and every name below comes from `cli.entry` on first
use.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs `--version` a tenth of its time
if TYPE_CHECKING:
    from typing import NoReturn

    from peak_trade.cli.entry import AUDIT_COMMANDS, TOP_COMMANDS, build_parser, main

__all__ = ["AUDIT_COMMANDS", "TOP_COMMANDS", "build_parser", "console_main", "main"]
YOUNG_COLLECTION = 50_000  # see console_main
_FROM_ENTRY = frozenset(__all__) - {"console_main"}


def console_main() -> NoReturn:
    """Entry point of the `peak-trade` script (`cli.entry.console_main`), with `--version` and
    `-V` alone answered without importing it."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        os._exit(_print_version())
    import gc

    # The cycle collector's youngest generation, collected every 50,000 new containers
    # instead of 700: an export allocates about 20,000 (classes, functions, tables) and keeps
    # nearly all, so its 28 collections freed 334 objects for ~3 % of its instructions. Long
    # commands (fleet, history, verify) still collect, with at most this many young objects
    # waiting (a few MB).
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
    from peak_trade.cli.entry import console_main as run

    run()


def _print_version() -> int:
    """The version line, as argparse's `version` action prints it (on stderr when there is no
    standard output); a standard output that cannot take it (full, an I/O error) is bad input,
    2, as for every command; one whose reader went away is not."""
    from peak_trade import __version__

    stream = sys.stdout if sys.stdout is not None else sys.stderr
    if stream is None:
        return 0
    try:
        stream.write(f"peak-trade {__version__}\n")
        stream.flush()
    except BrokenPipeError:
        return 0
    except (OSError, ValueError):
        try:
            if sys.stderr is not None:
                sys.stderr.write("peak-trade: cannot write to standard output\n")
                sys.stderr.flush()
        except (OSError, ValueError):
            pass
        return 2
    return 0


def __getattr__(name: str) -> object:
    if name in _FROM_ENTRY:
        from peak_trade.cli import entry

        return getattr(entry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
