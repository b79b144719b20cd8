"""Trading environment (Phase 71): which mode the system runs in and how its gates are set.

Values here are trusted: `core.config` validates before it builds them.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from peak_trade.core.secret import Secret


class TradingEnvironment(StrEnum):
    PAPER = "paper"
    TESTNET = "testnet"
    LIVE = "live"


class EnvironmentConfig(msgspec.Struct, frozen=True, kw_only=True):
    """The `[environment]` table after decoding, plus the run-time confirm token.

    Defaults are the safe state: paper mode, every gate closed, token required.
    """

    mode: TradingEnvironment = TradingEnvironment.PAPER
    enable_live_trading: bool = False
    live_mode_armed: bool = False
    live_dry_run_mode: bool = True
    require_confirm_token: bool = True
    confirm_token_sha256: Secret | None = None
    confirm_token: Secret | None = None

    @property
    def confirm_token_present(self) -> bool:
        return self.confirm_token is not None

    @property
    def confirm_token_valid(self) -> bool | None:
        """True/False when a token and a digest are both there to compare, else None."""
        if self.confirm_token is None or self.confirm_token_sha256 is None:
            return None
        return self.confirm_token.matches_sha256(self.confirm_token_sha256)
