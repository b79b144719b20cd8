"""Hummingbot (DESIGN §9): an instance directory (`conf/`, `data/bot/`), its YAML read with the
parsers Hummingbot uses, its connectors, keys, caps and kill switch. Loading and decoding:
`config.py`; its assessment and words: `assessment.py`; its rules: `policy.py`. This module
stays light: detection looks at paths only, and no YAML parser is imported until a Hummingbot
config is loaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from peak_trade.dialects.hummingbot import NAME, layout
from peak_trade.dialects.words import MarkdownWords

if TYPE_CHECKING:
    from peak_trade.core.loaded import LoadedConfig
    from peak_trade.live.assessment import Assessment
    from peak_trade.live.evidence import EvidenceTable
    from peak_trade.live.rules import Policy, PolicyWords
    from peak_trade.live.snapshot import LiveAuditSnapshot


class HummingbotDialect:
    name = NAME
    title = "Hummingbot"
    file_patterns: tuple[str, ...] = ()
    #: one row per instance in `fleet DIR`: the client config every started instance has
    nested_patterns = (f"{layout.CONF}/{layout.CLIENT_FILE}",)
    several_files = False
    default_locations = "none for Hummingbot (name the instance directory with --config)"
    allowed_headline = (
        "LIVE EXECUTION ALLOWED: a live connector has its keys (orders go to a testnet domain)"
    )
    markdown = MarkdownWords(
        absent_field="not applicable to Hummingbot",
        absent_cap="not set (strategy default)",
        drills_not_run="they exercise Peak_Trade's gates; not applicable to Hummingbot",
        extra_gating=(
            (
                "api_server_unprotected",
                "MQTT remote control (the Hummingbot API's channel) without broker credentials",
            ),
        ),
        no_kill_switch="No kill switch was read.",
    )

    def claims(self, path: str, raw: bytes) -> bool:
        """A file of an instance's layout (`conf/...yml`, `data/bot/loaded.json`), by path."""
        return layout.claims(path)

    def takes_directory(self, path: str) -> bool:
        """An instance directory, or its `conf/`."""
        return layout.instance_dir(path) is not None

    def default_paths(self, environ: Mapping[str, str]) -> tuple[str, ...]:
        return ()

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
        from peak_trade.dialects.hummingbot import config
        from peak_trade.errors import ConfigError

        if not paths:
            raise ConfigError(
                "Hummingbot has no default location; name the instance with --config DIR"
            )
        return config.load(list(paths), environ)

    def assess(
        self,
        loaded: LoadedConfig,
        *,
        environment_id: str | None,
        scenario_ids: Sequence[str] | None,
    ) -> Assessment:
        from peak_trade.dialects.hummingbot.assessment import assess

        return assess(loaded, environment_id=environment_id)

    def policy(self) -> Policy:
        from peak_trade.dialects.hummingbot.policy import POLICY

        return POLICY

    def policy_words(self, snapshot: LiveAuditSnapshot) -> PolicyWords:
        from peak_trade.dialects.hummingbot.policy import words

        return words(snapshot)

    def control_evidence(self) -> EvidenceTable:
        from peak_trade.dialects.hummingbot.controls import EVIDENCE

        return EVIDENCE


HUMMINGBOT: Final = HummingbotDialect()
