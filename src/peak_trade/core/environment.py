"""Trading environment (Phase 71): the mode, the gates, and the risk settings, as trusted values.

`EnvironmentConfig` and `LiveRiskConfig` take Peak_Trade's own field names, so Peak_Trade code
can build them directly. Every constructor validates through the registry's types (the same
check that decoding a config file applies): a wrong type is a `TypeError`, a value out of range a
`ValueError`; nothing unvalidated reaches the gates. A plain-string mode is converted when it is
exactly a mode's value (`"live"`) and refused otherwise (`"LIVE"`, `"prod"`); a plain-string
token becomes a `Secret`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec

from peak_trade.core.redaction import validation_message
from peak_trade.core.registry import (
    CAP,
    CURRENCY_PATTERN,
    FULL_MATCH,
    HEX64_PATTERN,
    SETTING,
    is_finite,
    keys_of_table,
)
from peak_trade.core.secret import Secret


class TradingEnvironment(StrEnum):
    PAPER = "paper"
    TESTNET = "testnet"
    LIVE = "live"


def _check(key: str, value: Any) -> None:
    """Validate one value against its registry row's type; raise TypeError/ValueError."""
    row_type = SETTING[key].type if key in SETTING else CAP[key].type
    if row_type is bool:  # the common case, without a round trip through msgspec
        if type(value) is not bool:
            raise TypeError(f"{key}: expected bool, got {type(value).__name__}")
        return
    if value is None and key in CAP:  # a cap that is not set
        return
    try:
        msgspec.convert(value, type=row_type, strict=True)
    except msgspec.ValidationError as exc:
        message = f"{key}: {validation_message(str(exc))}"
        if ", got `" in str(exc):
            raise TypeError(message) from None
        raise ValueError(message) from None
    if not is_finite(value):
        raise ValueError(f"{key}: must be a finite number")


class EnvironmentConfig(msgspec.Struct, frozen=True, kw_only=True):
    """The `[environment]` table (Peak_Trade's field names), plus the run-time confirm token.

    Defaults are the safe state: paper mode, every gate closed, token required, no cap set.
    `confirm_token` holds the token (from `PEAK_TRADE_CONFIRM_TOKEN`, or the file's
    `environment.confirm_token`); `confirm_token_sha256` the digest it must match.
    """

    environment: TradingEnvironment = TradingEnvironment.PAPER
    enable_live_trading: bool = False
    live_mode_armed: bool = False
    live_dry_run_mode: bool = True
    require_confirm_token: bool = True
    confirm_token: Secret | None = None
    confirm_token_sha256: Secret | None = None
    testnet_dry_run: bool = True
    log_all_orders: bool = True
    knowledge_readonly: bool = False
    bounded_pilot_mode: bool = False
    max_live_notional_per_order: float | None = None
    max_live_notional_total: float | None = None
    live_trade_min_size: float | None = None

    def __post_init__(self) -> None:
        mode = self.environment
        if not isinstance(mode, TradingEnvironment):
            if not isinstance(mode, str):
                raise TypeError("environment: expected a TradingEnvironment or its value")
            if mode not in _MODES:
                raise TypeError(f"environment: must be one of {', '.join(_MODES)}")
            msgspec.structs.force_setattr(self, "environment", TradingEnvironment(mode))
        for field in _ENV_FIELDS:
            _check(f"environment.{field}", getattr(self, field))
        for field in ("confirm_token", "confirm_token_sha256"):
            value = getattr(self, field)
            if isinstance(value, str):
                msgspec.structs.force_setattr(self, field, Secret(value))
            elif value is not None and not isinstance(value, Secret):
                raise TypeError(f"environment.{field}: expected a str or a Secret")
        digest = self.confirm_token_sha256
        if digest is not None and not FULL_MATCH[HEX64_PATTERN].fullmatch(digest.reveal()):
            raise ValueError("environment.confirm_token_sha256: expected 64 hex characters")

    @property
    def mode(self) -> TradingEnvironment:
        """The seed's name for `environment`."""
        return self.environment

    @property
    def confirm_token_present(self) -> bool:
        return self.confirm_token is not None

    @property
    def confirm_token_valid(self) -> bool | None:
        """True/False when a token and a digest are both there to compare, else None."""
        if self.confirm_token is None or self.confirm_token_sha256 is None:
            return None
        return self.confirm_token.matches_sha256(self.confirm_token_sha256)

    def is_armed(self) -> bool:
        """The file alone opens every gate it controls (DESIGN §3, armed config)."""
        return (
            self.environment is TradingEnvironment.LIVE
            and self.enable_live_trading is True
            and self.live_mode_armed is True
            and self.live_dry_run_mode is False
        )


_MODES = tuple(m.value for m in TradingEnvironment)
# every [environment] key the registry knows, but the three checked above by hand
_ENV_FIELDS = tuple(
    key
    for key in keys_of_table("environment")
    if key not in ("mode", "confirm_token", "confirm_token_sha256")
)


class LiveRiskConfig(msgspec.Struct, frozen=True, kw_only=True):
    """The `[live_risk]` table with Peak_Trade's field names. Notionals are in `base_currency`.

    A cap that is `None` is not set: nothing is invented for it.
    """

    enabled: bool = True
    base_currency: str = "EUR"
    max_daily_loss_abs: float | None = None
    max_daily_loss_pct: float | None = None
    max_total_exposure_notional: float | None = None
    max_symbol_exposure_notional: float | None = None
    max_open_positions: int | None = None
    max_order_notional: float | None = None
    block_on_violation: bool = True
    use_experiments_for_daily_pnl: bool = True
    max_live_notional_per_order: float | None = None
    max_live_notional_total: float | None = None
    live_trade_min_size: float | None = None
    warning_threshold_factor: float = 0.8

    def __post_init__(self) -> None:
        for field in self.__struct_fields__:
            _check(f"live_risk.{field}", getattr(self, field))
        if not FULL_MATCH[CURRENCY_PATTERN].fullmatch(self.base_currency):
            raise ValueError("live_risk.base_currency: expected a currency code such as EUR")
