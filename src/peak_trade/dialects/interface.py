"""The interface every audited system implements (pip-audit's `_service/interface.py` pattern).

A dialect is one package under `dialects/` exposing one object that satisfies `Dialect`, listed
once in `dialects.DIALECTS`. Its package holds everything that knows the system: finding and
reading its files (the I/O edge), strict decoding (pure), its rows, its gates and their words and
remedies, its policy rules, the evidence it gives for each regulatory control
(`controls.py`), its drills if it has any. The package's `__init__` stays light (no
parser imported): detection, help and fleet patterns must not cost another dialect's start-up.

The classes here are for the type checker and the conformance tests; no command imports this
module (creating its two Protocol classes costs about 0.6 ms of every start). A dialect that
takes directories is recognised by its `takes_directory` method (`DirectoryDialect`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from peak_trade.dialects.words import MarkdownWords

if TYPE_CHECKING:
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import EvidenceTable
    from peak_trade.live.rules import Policy, PolicyWords
    from peak_trade.live.snapshot import LiveAuditSnapshot


class Dialect(Protocol):
    @property
    def name(self) -> str: ...  # `config.dialect`, the `--dialect` choice

    @property
    def title(self) -> str: ...  # the system's name in prose

    @property
    def file_patterns(self) -> tuple[str, ...]: ...  # what `fleet DIR` looks for in DIR

    @property
    def nested_patterns(self) -> tuple[str, ...]: ...  # ... and below it (`name`, `dir/name`)

    @property
    def several_files(self) -> bool: ...  # `--config` may repeat (the files merge)

    @property
    def default_locations(self) -> str: ...  # where it looks without --config, in words

    @property
    def markdown(self) -> MarkdownWords: ...

    @property
    def allowed_headline(self) -> str: ...  # status, when live is allowed but no order is real

    def claims(self, path: str, raw: bytes) -> bool:
        """Whether this content is this system's config (detection, in `DIALECTS` order)."""
        ...

    def default_paths(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        """The files the system reads when no `--config` is given, where they exist."""
        ...

    def is_overlay(self, path: str) -> bool:
        """A file that is merged into its neighbour and never audited alone."""
        ...

    def load(
        self,
        paths: Sequence[str],
        *,
        environ: Mapping[str, str],
        bounded_live: bool,
        raw: bytes | None,
    ) -> LoadedConfig:
        """Find, read and decode the config as the system itself does (`paths` may be empty:
        the system's own default locations)."""
        ...

    def assess(
        self,
        loaded: LoadedConfig,
        *,
        environment_id: str | None,
        scenario_ids: Sequence[str] | None,
    ) -> Assessment: ...

    def policy(self) -> Policy: ...

    def policy_words(self, snapshot: LiveAuditSnapshot) -> PolicyWords: ...

    def control_evidence(self) -> EvidenceTable:
        """Which of its settings evidence which control of `live.controls` (DESIGN §11): one
        judge per base control, in the dialect's own `controls.py`."""
        ...


@runtime_checkable
class DirectoryDialect(Protocol):
    """A dialect whose config is a directory (a Hummingbot instance), in addition to `Dialect`.
    `--config DIR` goes to the first dialect that takes DIR; it then reads the directory itself
    (`load` gets `raw=None`). A dialect without this method takes no directory."""

    def takes_directory(self, path: str) -> bool: ...
