"""How the reports word what one dialect leaves empty. No imports beyond `core.words`: every
dialect descriptor holds one, and `--help` reads the dialect list (no msgspec, and no class
built at run time: a NamedTuple compiles its code when it is created)."""

from __future__ import annotations

from peak_trade.core.words import NOT_SET


class MarkdownWords:
    """The Markdown (and HTML) report's words for one dialect; a constant of its descriptor,
    never changed after it is made."""

    __slots__ = ("absent_cap", "absent_field", "drills_not_run", "extra_gating", "no_kill_switch")

    def __init__(
        self,
        *,
        absent_field: str = NOT_SET,
        absent_cap: str = NOT_SET,
        drills_not_run: str = "the config could not be loaded",
        extra_gating: tuple[tuple[str, str], ...] = (),
        no_kill_switch: str = "No kill switch was read (the config is not from a file).",
    ) -> None:
        #: a field of another system's gates: "not applicable to X"
        self.absent_field = absent_field
        #: a cap the config leaves unset
        self.absent_cap = absent_cap
        #: why the seed's drills did not run
        self.drills_not_run = drills_not_run
        #: gating facts only this dialect has: (snapshot field, label)
        self.extra_gating = extra_gating
        #: what the report says when the snapshot has no kill switch
        self.no_kill_switch = no_kill_switch
