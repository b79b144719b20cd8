"""Command-line habits of the ecosystem (ruff, pip-audit, freqtrade): a bare `peak-trade` shows
the help, a mistyped command gets "did you mean", and an option put before its command says
where it belongs. Pure functions of the argument list and argparse's message."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

#: argparse's message for a choice it does not know (compiled on first use: a usage error)
_INVALID_CHOICE: Final = r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)$"


def did_you_mean(message: str) -> str:
    """argparse's "invalid choice" message with the nearest valid choice suggested."""
    match = re.search(_INVALID_CHOICE, message)
    if match is None:
        return message
    choices = re.findall(r"'([^']*)'", match["choices"]) or [
        c.strip() for c in match["choices"].split(",")
    ]
    import difflib  # only for a mistyped choice

    near = difflib.get_close_matches(match["given"], choices, n=1, cutoff=0.6)
    return f"{message}; did you mean '{near[0]}'?" if near else message


def misplaced_option(argv: Sequence[str], commands: Sequence[str]) -> str | None:
    """An option given before the command it belongs to (`peak-trade --config x status`): the
    message that says where it goes, or None."""
    if not argv or not argv[0].startswith("-") or argv[0] in ("-h", "--help", "-V", "--version"):
        return None
    command = next((a for a in argv if a in commands), None)
    if command is None:
        return None
    at = list(argv).index(command)
    before, after = list(argv[:at]), list(argv[at + 1 :])
    if command == "audit":  # the options go after the subcommand
        named = bool(after) and not after[0].startswith("-")
        sub, after = (after[0], after[1:]) if named else ("SUBCOMMAND", after)
        return "options go after the command: " + " ".join(
            ["peak-trade", command, sub, *before, *after]
        )
    return "options go after the command: " + " ".join(["peak-trade", command, *before, *after])
