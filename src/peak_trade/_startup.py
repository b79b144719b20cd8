"""Start-up speed for the `peak-trade` process, in one place. Each trick here is measured in
`benchmarks/run.py` and its import sets tested in `tests/cli/test_import_sets.py`; remove one
when it stops paying.

1. `import_msgspec_without_typing_extensions`: msgspec imports typing_extensions only to
   understand annotations written with it; this package writes none. ~10 ms per process.
2. `help_formatter`: argparse builds a formatter for every `add_argument`; given a width it does
   not import shutil (and bz2, lzma, fnmatch with it) to ask the terminal. ~3 ms per process.

Not here, because they belong where they act: `cli.console_main` answers `--version` and `-V`
alone before argparse and the commands are imported, and has the cycle collector run less
often (~3 % of an export); `cli.entry.build_parser` builds only the named command's parser
(~4 ms) and, for --help, no command's options (so msgspec is not imported);
`cli.entry.console_main` ends with `os._exit` after flushing (~4 ms); the version comes from
`__version__`, not `importlib.metadata` (~23 ms); `dialects.interface` (two Protocol classes)
is imported for the type checker only.
"""

from __future__ import annotations

import argparse
import os
import sys


def import_msgspec_without_typing_extensions() -> None:
    """Import msgspec for this CLI process without it importing typing_extensions.

    The block lasts for msgspec's own import only: anything imported later gets the real
    typing_extensions. A process that imported either already is left as it is; a msgspec that
    needs typing_extensions after all is imported plainly.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    try:
        import msgspec  # noqa: F401
    except ImportError:  # a msgspec that needs it after all: forget the attempt, import plainly
        for name in [m for m in sys.modules if m == "msgspec" or m.startswith("msgspec.")]:
            del sys.modules[name]
    finally:
        del sys.modules["typing_extensions"]


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter with the terminal width measured here, not through shutil."""
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a terminal, or stdout closed (None)
        width = 80
    return argparse.HelpFormatter(prog, width=max(width - 2, 40))
