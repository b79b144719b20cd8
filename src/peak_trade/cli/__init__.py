"""The command line (`peak-trade`): argument parsing, dispatch, the exit-code map; no logic.

Imported by nobody inside the package. `main` runs one command in-process and returns its exit
code; `console_main` is the console script's entry point.
"""

from peak_trade.cli.entry import AUDIT_COMMANDS, TOP_COMMANDS, build_parser, console_main, main

__all__ = ["AUDIT_COMMANDS", "TOP_COMMANDS", "build_parser", "console_main", "main"]
