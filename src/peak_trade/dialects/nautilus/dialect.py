"""NautilusTrader (DESIGN §10): the JSON `TradingNodeConfig.parse` accepts and the Rust
`LiveNodeConfig` TOML; its gates (execution clients to real venues, their credentials), its
caps (the risk engine's) and words. Loading and decoding: `config.py` (and `adapters.py`, its
venue adapters); its assessment: `assessment.py`; its rules: `policy.py`. This module stays
light (no parser imported).

Detection (`detect.py`): a TOML file that is a Rust `LiveNodeConfig` is claimed here, and
Peak_Trade's claim (any other TOML) steps aside for it by this package's rule; a JSON file is
claimed only with a key only a node config has and none of freqtrade's. Every file is claimed
by at most one dialect, whatever the order of `DIALECTS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peak_trade.dialects.nautilus import NAME
from peak_trade.dialects.words import MarkdownWords

if TYPE_CHECKING:
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import EvidenceTable
    from peak_trade.live.rules import Policy, PolicyWords
    from peak_trade.live.snapshot import LiveAuditSnapshot


class NautilusDialect:
    name = NAME
    title = "NautilusTrader"
    file_patterns = ("*.json", "*.toml")
    nested_patterns = ("*node*.json", "*node*.toml", "config/*node*.json", "config/*node*.toml")
    several_files = False
    default_locations = "no default for a NautilusTrader node (name it with --config)"
    allowed_headline = (
        "LIVE EXECUTION ALLOWED: a client can sign orders (they reach test venues only)"
    )
    markdown = MarkdownWords(
        absent_field="not applicable to NautilusTrader",
        absent_cap="not set",
        drills_not_run="they exercise Peak_Trade's gates; not applicable to NautilusTrader",
        extra_gating=(
            ("nautilus_version", "NautilusTrader releases this config decodes under"),
            ("risk_checks_bypassed", "risk_engine.bypass: every pre-trade check skipped"),
        ),
        no_kill_switch=(
            "NautilusTrader has no kill switch in its config: the operator's switch is"
            " stopping the node (Ctrl-C / SIGINT, `TradingNode.stop()`), or halting it at run"
            " time with the risk engine's trading state (`RiskEngine.set_trading_state(HALTED)`"
            " from code or a controller), which no file shows."
        ),
    )

    def claims(self, path: str, raw: bytes) -> bool:
        from peak_trade.dialects.nautilus import detect

        return detect.claims(path, raw)

    def default_paths(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        return ()  # a node is built in code; its config file has no default place

    def is_overlay(self, path: str) -> bool:
        return False

    def load(
        self,
        paths: Sequence[str],
        *,
        environ: Mapping[str, str],
        bounded_live: bool,
        raw: bytes | None,
    ) -> LoadedConfig:
        from peak_trade.dialects.nautilus import config
        from peak_trade.errors import ConfigError

        if not paths:
            raise ConfigError(
                "NautilusTrader has no default config location; name the node's JSON or TOML"
                " with --config PATH"
            )
        return config.load(paths[0], environ, raw=raw)

    def assess(
        self,
        loaded: LoadedConfig,
        *,
        environment_id: str | None,
        scenario_ids: Sequence[str] | None,
    ) -> Assessment:
        from peak_trade.dialects.nautilus.assessment import assess

        return assess(loaded, environment_id=environment_id)

    def policy(self) -> Policy:
        from peak_trade.dialects.nautilus.policy import POLICY

        return POLICY

    def policy_words(self, snapshot: LiveAuditSnapshot) -> PolicyWords:
        from peak_trade.dialects.nautilus.policy import words

        return words(snapshot)

    def control_evidence(self) -> EvidenceTable:
        from peak_trade.dialects.nautilus.controls import EVIDENCE

        return EVIDENCE


NAUTILUS: Final = NautilusDialect()
