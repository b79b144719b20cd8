"""freqtrade (DESIGN §8): JSON with comments, several files merged, `add_config_files`, the
`FREQTRADE__…` environment, its gates (dry_run, exchange credentials) and caps. Loading and
decoding: `config.py` (and `jsonc.py`, its JSON reader); its assessment and words:
`assessment.py`; its policy rules: `policy.py`. This module stays light (no parser imported).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peak_trade.dialects.freqtrade import NAME
from peak_trade.dialects.words import MarkdownWords

if TYPE_CHECKING:
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import EvidenceTable
    from peak_trade.live.rules import Policy, PolicyWords
    from peak_trade.live.snapshot import LiveAuditSnapshot


class FreqtradeDialect:
    name = NAME
    title = "freqtrade"
    file_patterns = ("*.json",)
    nested_patterns = ("config*.json", "user_data/*.json")
    several_files = True
    default_locations = "user_data/config.json or config.json (a freqtrade bot)"
    allowed_headline = "LIVE EXECUTION ALLOWED: every gate is open (orders go to a sandbox venue)"
    markdown = MarkdownWords(
        absent_field="not applicable to freqtrade",
        absent_cap="not set (strategy-defined)",
        drills_not_run="they exercise Peak_Trade's gates; not applicable to freqtrade",
        extra_gating=(
            ("api_server_unprotected", "API server enabled without a usable jwt_secret_key"),
        ),
        no_kill_switch=(
            "freqtrade's config has no kill switch: stopping the bot (Telegram /stop,"
            " the REST API's /stop) is the operator's switch."
        ),
    )

    def claims(self, path: str, raw: bytes) -> bool:
        """freqtrade's JSON (see `config.claims`); the parser only for content that may be
        JSON."""
        if raw.lstrip()[:1] not in (b"{", b"/"):
            return False
        from peak_trade.dialects.freqtrade import config

        return config.claims(path, raw)

    def default_paths(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        from peak_trade.dialects.freqtrade import config

        return config.default_paths()

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
        from peak_trade.dialects.freqtrade import config
        from peak_trade.errors import ConfigError

        if paths:
            return config.load(list(paths), environ)
        found = config.default_paths()
        if not found:
            where = " or ".join(config.DEFAULT_PATHS)
            raise ConfigError(f"no freqtrade config at {where}; name one with --config PATH")
        return config.load(list(found), environ, resolved_from="default-path")

    def assess(
        self,
        loaded: LoadedConfig,
        *,
        environment_id: str | None,
        scenario_ids: Sequence[str] | None,
    ) -> Assessment:
        from peak_trade.dialects.freqtrade.assessment import assess

        return assess(loaded, environment_id=environment_id)

    def policy(self) -> Policy:
        from peak_trade.dialects.freqtrade.policy import POLICY

        return POLICY

    def policy_words(self, snapshot: LiveAuditSnapshot) -> PolicyWords:
        from peak_trade.dialects.freqtrade.policy import words

        return words(snapshot)

    def control_evidence(self) -> EvidenceTable:
        from peak_trade.dialects.freqtrade.controls import EVIDENCE

        return EVIDENCE


FREQTRADE: Final = FreqtradeDialect()
