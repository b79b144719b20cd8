"""Which Peak_Trade settings evidence which regulatory control (DESIGN §11). Pure data and the
judges that need Peak_Trade's own rules; docs/controls.md argues each row.

What counts is what Peak_Trade's code does with the config (read from rauterfrank-ui/Peak_Trade
at commit ae0b710; docs/dev/peak-trade-runtime.md has the research):

- caps evidence a control only where `runtime.enforcement_of` says a session applies them: in
  mode paper or testnet, with `live_risk.enabled` true, from the config file itself; in mode
  live the bounded pilot checks none of them (so the cap controls are absent there); the total,
  per-symbol and open-positions caps see only the orders being checked, so no setting bounds
  the aggregate (credit thresholds are not expressible);
- the kill switch is checked only by the bounded pilot's order gate (mode live:
  `ExecutionPipeline._is_kill_switch_blocking`, reading the state file); the testnet and
  shadow/paper sessions make no kill-switch check;
- no trigger of `risk/kill_switch.toml` is evaluated at run time (`TriggerRegistry.from_config`
  has no caller), so a daily-loss trigger evidences no post-trade control;
- no session runner builds an alert sink: `[live_alerts]` is read by the operator scripts and
  the CSV workflow (`src/live/workflows.py`, `run_live_risk_check`), `[alerts]` by no caller
  (`src/live/alert_pipeline.py`, `build_alert_pipeline_from_config`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from peak_trade.core.environment import TradingEnvironment
from peak_trade.core.kinds import CapKind
from peak_trade.core.loaded import LoadedConfig
from peak_trade.core.registry import CAPS
from peak_trade.dialects.peak_trade import runtime
from peak_trade.dialects.peak_trade.killswitch import KILL_SWITCH_FILE
from peak_trade.live.controls import (
    ABSENT,
    ACCESS_CONTROL,
    CREDIT_THRESHOLDS,
    DUPLICATE_ORDERS,
    EXECUTION_THROTTLE,
    KILL_FUNCTIONALITY,
    MAX_MESSAGE_RATE,
    MAX_ORDER_VALUE,
    MAX_ORDER_VOLUME,
    POST_TRADE_CONTROLS,
    PRESENT,
    PRICE_COLLAR,
    REAL_TIME_ALERTS,
)
from peak_trade.live.evidence import (
    CapFix,
    EnforcedCaps,
    EvidenceTable,
    Facts,
    Judgement,
    Location,
    NotExpressible,
    locate_in_files,
)

MODE_KEY: Final = "environment.mode"
LIMITS_KEY: Final = "live_risk.enabled"
LIVE_FIX: Final = (
    "Peak_Trade's live path checks no cap (src/execution/live_session.py,"
    ' LiveSessionRunner._build_pipeline): set environment.mode = "paper" or "testnet" until it'
    " does"
)
KILL_SWITCH_GATE: Final = (
    "the bounded pilot's order gate refuses every order while the kill-switch state file says"
    " KILLED or RECOVERING (src/execution/pipeline.py, ExecutionPipeline._is_kill_switch_blocking);"
    " the operator kills by writing that state"
)
NO_KILL_SWITCH_CHECK: Final = (
    "only the bounded pilot (mode live) checks the kill-switch state; the {mode} session makes no"
    " kill-switch check (src/orders/testnet_executor.py, src/live/shadow_session.py)"
)
NO_TRIGGER: Final = (
    "no kill-switch trigger is evaluated at run time (src/risk_layer/kill_switch/triggers,"
    " TriggerRegistry.from_config has no caller)"
)
NO_AGGREGATE: Final = (
    "no Peak_Trade setting bounds the aggregate exposure, positions or capital: its total,"
    " per-symbol and open-positions caps are compared with the orders being checked alone"
    " (LiveRiskLimits.check_orders sums only its batch, the testnet executor passes one order,"
    " and open positions are never added: _compute_orders_aggregates)"
)
NO_ALERTS: Final = (
    "no Peak_Trade session that sends orders (testnet session, shadow/paper session, bounded"
    " pilot) builds an alert sink: [live_alerts] is read only by the operator scripts and the CSV"
    " risk-check workflow (src/live/workflows.py, run_live_risk_check), [alerts] by no caller"
    " (src/live/alert_pipeline.py, build_alert_pipeline_from_config)"
)


def locate(loaded: LoadedConfig, key: str, source: str | None) -> Location | None:
    """A `kill_switch.*` key lives in the kill-switch file (when it was read), any other key in
    the config file or its bounded_live.toml."""
    ks = loaded.kill_switch
    if key.startswith("kill_switch.") and ks is not None and ks.configured:
        return Location(key=key, file=ks.source)
    return locate_in_files(loaded, key, source)


def keys_of(*kinds: CapKind) -> tuple[str, ...]:
    """Peak_Trade's cap keys of these kinds (its rows in `core.registry`)."""
    return tuple(row.key for row in CAPS if row.kind in kinds)


def _cap_fix(fix_key: str, *, paper_only: bool = False) -> CapFix:
    """What provides a cap control: another mode where the session checks no cap (live; for a
    daily loss cap, every mode but paper), else switching the limits on, else the cap."""

    def fix(facts: Facts, reasons: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        loaded = facts.loaded
        if loaded.mode is TradingEnvironment.LIVE:
            return LIVE_FIX, (MODE_KEY,)
        if not loaded.limits_enabled:
            return f"set {LIMITS_KEY} = true", (LIMITS_KEY,)
        if paper_only and loaded.mode is not TradingEnvironment.PAPER:
            return (
                f"no key provides it in mode {loaded.mode.value}: Peak_Trade's daily loss is"
                " taken from paper and live-dry-run experiments only (LiveRiskLimits."
                "_compute_daily_pnl_from_experiments); it is checked in mode paper",
                (MODE_KEY,),
            )
        return f"set {fix_key}", (fix_key,)

    return fix


class KillSwitchOnOrderPath:
    """Art. 12: the kill switch protects (configured, enabled, not in mode "disabled",
    readable) and the mode's order path checks it (the bounded pilot, mode live)."""

    def judge(self, facts: Facts) -> Judgement:
        loaded = facts.loaded
        ks = loaded.kill_switch
        if ks is None:  # the embedded default: no file, no switch
            return Judgement(
                status=ABSENT,
                keys=(Location(key="kill_switch.enabled", file=None),),
                fix=f"configure {KILL_SWITCH_FILE} beside the config with [kill_switch]"
                ' enabled = true and mode = "active"',
                note="the embedded default reads no kill switch",
            )
        keys = [Location(key="kill_switch.enabled", file=ks.source)]
        if ks.mode is not None:
            keys.append(Location(key="kill_switch.mode", file=ks.source))
        if not ks.protects:
            if not ks.configured:
                why = f"{ks.source} does not exist"
            elif ks.problem:
                why = f"it cannot be read: {ks.problem}"
            else:
                why = f"it is off (enabled = {ks.enabled}, mode = {ks.mode})"
            return Judgement(
                status=ABSENT,
                keys=tuple(keys),
                fix=f'set [kill_switch] enabled = true and mode = "active" in {ks.source}',
                note=f"no kill switch protects: {why}",
            )
        if loaded.mode is not TradingEnvironment.LIVE:
            return Judgement(
                status=ABSENT,
                keys=(facts.place(MODE_KEY),),
                fix=f"no key provides it in mode {loaded.mode.value}: Peak_Trade checks its"
                ' kill switch only on its live path (environment.mode = "live")',
                note=f"configured in {ks.source}, but "
                + NO_KILL_SWITCH_CHECK.format(mode=loaded.mode.value),
            )
        tripped = f"; its state is {ks.state} now" if ks.state else ""
        return Judgement(status=PRESENT, evidence=tuple(keys), note=KILL_SWITCH_GATE + tripped)


class DailyLoss:
    """Art. 17: an enforced daily-loss cap. A kill-switch trigger counts for nothing (none is
    evaluated at run time); the note says so where one is configured."""

    def __init__(self) -> None:
        self._caps = EnforcedCaps(
            keys_of(CapKind.DAILY_LOSS_ABS, CapKind.DAILY_LOSS_PCT),
            "live_risk.max_daily_loss_abs",
            fix=_cap_fix("live_risk.max_daily_loss_abs", paper_only=True),
        )

    def judge(self, facts: Facts) -> Judgement:
        verdict = self._caps.judge(facts)
        ks = facts.loaded.kill_switch
        triggers = [t.name for t in ks.triggers if t.enabled] if ks is not None else []
        if not triggers:
            return verdict
        trigger_note = f"kill_switch.triggers {', '.join(triggers)} configured, but {NO_TRIGGER}"
        note = "; ".join(filter(None, [verdict.note, trigger_note]))
        return Judgement(
            status=verdict.status,
            evidence=verdict.evidence,
            keys=verdict.keys,
            fix=verdict.fix,
            note=note,
        )


class BatchOnly:
    """Art. 15(4)-(5): no Peak_Trade setting bounds the aggregate. Its total, per-symbol and
    open-positions caps (`runtime.BATCH_ONLY`) are compared with the batch of orders being
    checked alone, never with what is already open; the note names those this config sets."""

    def judge(self, facts: Facts) -> Judgement:
        configured = [c.key for c in facts.loaded.caps if c.key in runtime.BATCH_ONLY]
        found = f" ({', '.join(configured)} configured here)" if configured else ""
        return NotExpressible(NO_AGGREGATE + found).judge(facts)


class NoAlerts:
    """Art. 16: no setting makes Peak_Trade's order sessions alert a person; the note names the
    alert tables this config has, which do not change that."""

    def judge(self, facts: Facts) -> Judgement:
        tables = [f"[{t}]" for t in ("live_alerts", "alerts") if facts.has(t)]
        found = f" ({', '.join(tables)} configured here)" if tables else ""
        return NotExpressible(NO_ALERTS + found).judge(facts)


EVIDENCE: Final = EvidenceTable(
    {
        KILL_FUNCTIONALITY: KillSwitchOnOrderPath(),
        PRICE_COLLAR: NotExpressible(
            "Peak_Trade's config has no price band: LiveRiskLimits.check_orders checks notional,"
            " exposure, open positions and daily loss only (src/live/risk_limits.py)"
        ),
        MAX_ORDER_VALUE: EnforcedCaps(
            keys_of(CapKind.PER_ORDER),
            "live_risk.max_order_notional",
            fix=_cap_fix("live_risk.max_order_notional"),
        ),
        MAX_ORDER_VOLUME: NotExpressible(
            "Peak_Trade's caps are notional only: no per-order quantity limit"
            " (src/live/risk_limits.py, LiveRiskLimits.check_orders)"
        ),
        MAX_MESSAGE_RATE: NotExpressible(
            "no message or order-rate limit is read from Peak_Trade's config"
        ),
        EXECUTION_THROTTLE: NotExpressible(
            "nothing in Peak_Trade disables trading after repeated executions until a person"
            " re-enables it"
        ),
        CREDIT_THRESHOLDS: BatchOnly(),
        DUPLICATE_ORDERS: NotExpressible("Peak_Trade has no duplicate-order check"),
        REAL_TIME_ALERTS: NoAlerts(),
        POST_TRADE_CONTROLS: DailyLoss(),
        ACCESS_CONTROL: NotExpressible(
            "Peak_Trade's config has no access-control setting for a remote interface: its"
            " [web_ui] has enabled, host and port only (src/live/web/app.py)"
        ),
    },
    locate=locate,
)
