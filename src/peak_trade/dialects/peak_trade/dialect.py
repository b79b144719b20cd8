"""Peak_Trade (DESIGN §2, §3): one TOML file (`config/config.toml`) with a `bounded_live.toml`
merged beside it, its own gates (mode, Gate 1, Gate 2, dry-run, confirm token), the seed's drills
A-G. Decoding and loading: `config.py`; its assessment and words:
`assessment.py`; its policy rules: `policy.py`. This module stays light (no parser imported).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peak_trade.dialects.peak_trade import NAME
from peak_trade.dialects.words import MarkdownWords

if TYPE_CHECKING:
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import EvidenceTable
    from peak_trade.live.rules import Policy, PolicyWords
    from peak_trade.live.snapshot import LiveAuditSnapshot

OVERLAY_FILE: Final = "bounded_live.toml"
KILL_SWITCH_NAME: Final = "kill_switch.toml"  # in risk/ beside the config (killswitch.py)
#: a TOML key (bare, quoted or dotted) followed by `=`
_KEY_PART: Final = rb"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_TOML_KEY: Final = rb"^" + _KEY_PART + rb"(?:\s*\.\s*" + _KEY_PART + rb")*\s*="


class PeakTradeDialect:
    name = NAME
    title = "Peak_Trade"
    file_patterns = ("*.toml",)
    #: what `fleet DIR` takes from DIR's subdirectories: the files an install calls its config
    nested_patterns = ("config.toml", "config/*.toml")
    several_files = False
    default_locations = "$PEAK_TRADE_CONFIG_PATH, else config/config.toml"
    markdown = MarkdownWords()
    allowed_headline = (
        "LIVE EXECUTION ALLOWED: every gate is open (orders still simulated: no transport)"
    )

    def claims(self, path: str, raw: bytes) -> bool:
        """TOML: its first line that is not blank or a comment opens a table (`[...]`) or sets
        a key (`key = ...`); an empty file is a config of defaults. Decoding then names any
        error precisely; content of another shape is left to the other dialects.

        A TOML file is Peak_Trade's unless it is a NautilusTrader `LiveNodeConfig` (DESIGN §8):
        that rule is NautilusTrader's own (`dialects.nautilus.detect`), so the two claims are
        disjoint and no file depends on the order of `DIALECTS`."""
        import re  # only when a config's content is inspected, never for --help

        for line in raw.splitlines():
            text = line.strip()
            if not text or text.startswith(b"#"):
                continue
            if not (text.startswith(b"[") or re.match(_TOML_KEY, text) is not None):
                return False
            from peak_trade.dialects.nautilus.detect import claims_toml

            return not claims_toml(raw)
        return True

    def default_paths(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        """`PEAK_TRADE_CONFIG_PATH`, else `config/config.toml` when it exists."""
        from peak_trade.dialects.peak_trade.config import resolve_config_path

        path, _ = resolve_config_path(None, environ)
        return (path,) if path is not None else ()

    def is_overlay(self, path: str) -> bool:
        """`bounded_live.toml`, merged into the config beside it, and `risk/kill_switch.toml`,
        read beside the config: never a config of their own."""
        name = os.path.basename(path)
        parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
        return name == OVERLAY_FILE or (name == KILL_SWITCH_NAME and parent == "risk")

    def load(
        self,
        paths: Sequence[str],
        *,
        environ: Mapping[str, str],
        bounded_live: bool,
        raw: bytes | None,
    ) -> LoadedConfig:
        from peak_trade.dialects.peak_trade.config import load_config

        return load_config(
            paths[0] if paths else None, environ=environ, bounded_live=bounded_live, raw=raw
        )

    def assess(
        self,
        loaded: LoadedConfig,
        *,
        environment_id: str | None,
        scenario_ids: Sequence[str] | None,
    ) -> Assessment:
        from peak_trade.dialects.peak_trade.assessment import assess

        return assess(loaded, environment_id=environment_id, scenario_ids=scenario_ids)

    def policy(self) -> Policy:
        from peak_trade.dialects.peak_trade.policy import POLICY

        return POLICY

    def policy_words(self, snapshot: LiveAuditSnapshot) -> PolicyWords:
        from peak_trade.dialects.peak_trade.policy import words

        return words(snapshot)

    def control_evidence(self) -> EvidenceTable:
        from peak_trade.dialects.peak_trade.controls import EVIDENCE

        return EVIDENCE


PEAK_TRADE: Final = PeakTradeDialect()
