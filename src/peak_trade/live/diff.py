"""Compare two audit snapshots and judge each change: less safe, safer, or neutral.

Pure: two snapshots in, a `SnapshotDiff` out. A change is "less safe" when it opens a gate,
turns the verdict to allowed, removes a blocker, raises or disables a risk limit, lowers the
minimum size, or turns a drill from passing to failing (or not run).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

import msgspec

from peak_trade.live.audit import LiveAuditSnapshot, live_audit_snapshot_to_dict


class Risk(StrEnum):
    LESS_SAFE = "less_safe"
    SAFER = "safer"
    NEUTRAL = "neutral"


class Change(msgspec.Struct, frozen=True, kw_only=True):
    section: str
    key: str
    old: Any
    new: Any
    risk: Risk
    why: str = ""


class SnapshotDiff(msgspec.Struct, frozen=True, kw_only=True):
    old_label: str
    new_label: str
    changes: tuple[Change, ...]

    @property
    def less_safe(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.risk is Risk.LESS_SAFE)

    def summary(self) -> str:
        worse = self.less_safe
        if worse:
            keys = ", ".join(f"{c.section}.{c.key}" for c in worse)
            return f"LESS SAFE: {len(worse)} change(s) make the system less safe: {keys}"
        if not self.changes:
            return "NO CHANGE: the snapshots agree"
        safer = sum(c.risk is Risk.SAFER for c in self.changes)
        return f"NOT LESS SAFE: {len(self.changes)} change(s), {safer} safer, none less safe"


_MODE_RANK: Final = {"paper": 0, "testnet": 1, "live": 2}
_EFFECTIVE_RANK: Final = {
    "paper": 0,
    "testnet_dry_run": 1,
    "live_dry_run": 2,
    "blocked": 3,
    "live": 4,
}

Judge = Callable[[Any, Any], tuple[Risk, str]]


def _opens_when_true(what: str) -> Judge:
    def judge(old: Any, new: Any) -> tuple[Risk, str]:
        if new is True and old is not True:
            return Risk.LESS_SAFE, f"{what} opened"
        if old is True and new is not True:
            return Risk.SAFER, f"{what} closed"
        return Risk.NEUTRAL, ""

    return judge


def _opens_when_false(what: str) -> Judge:
    def judge(old: Any, new: Any) -> tuple[Risk, str]:
        return _opens_when_true(what)(not old, not new)

    return judge


def _ranked(ranks: dict[str, int], what: str) -> Judge:
    def judge(old: Any, new: Any) -> tuple[Risk, str]:
        before, after = ranks.get(old, len(ranks)), ranks.get(new, len(ranks))
        if after > before:
            return Risk.LESS_SAFE, f"{what} moved towards live"
        if after < before:
            return Risk.SAFER, f"{what} moved away from live"
        return Risk.NEUTRAL, ""

    return judge


def _limit(higher_is_riskier: bool) -> Judge:
    def judge(old: Any, new: Any) -> tuple[Risk, str]:
        if new == old:
            return Risk.NEUTRAL, ""
        raised = new > old
        if raised == higher_is_riskier:
            return Risk.LESS_SAFE, "limit loosened"
        return Risk.SAFER, "limit tightened"

    return judge


def _blockers(old: Any, new: Any) -> tuple[Risk, str]:
    gone = sorted(set(old) - set(new))
    added = sorted(set(new) - set(old))
    if gone:
        return Risk.LESS_SAFE, "blocker(s) cleared: " + ", ".join(gone)
    if added:
        return Risk.SAFER, "blocker(s) added: " + ", ".join(added)
    return Risk.NEUTRAL, ""


def _drill_results(old: Any, new: Any) -> tuple[Risk, str]:
    passed_before = {r.split(":")[0] for r in old if r.endswith(":pass")}
    passed_after = {r.split(":")[0] for r in new if r.endswith(":pass")}
    lost = sorted(passed_before - passed_after)
    if lost:
        return Risk.LESS_SAFE, "drill(s) no longer passing: " + ", ".join(lost)
    if passed_after - passed_before:
        return Risk.SAFER, "drill(s) now passing: " + ", ".join(
            sorted(passed_after - passed_before)
        )
    return Risk.NEUTRAL, ""


JUDGES: Final[dict[tuple[str, str], Judge]] = {
    ("gating", "mode"): _ranked(_MODE_RANK, "mode"),
    ("gating", "effective_mode"): _ranked(_EFFECTIVE_RANK, "effective mode"),
    ("gating", "enable_live_trading"): _opens_when_true("Gate 1"),
    ("gating", "live_mode_armed"): _opens_when_true("Gate 2"),
    ("gating", "live_dry_run_mode"): _opens_when_false("technical gate (dry-run)"),
    ("gating", "require_confirm_token"): _opens_when_false("confirm-token requirement"),
    ("gating", "confirm_token_valid"): _opens_when_true("confirm token"),
    ("risk", "limits_enabled"): _opens_when_false("risk limits"),
    ("risk", "max_live_notional_per_order"): _limit(higher_is_riskier=True),
    ("risk", "max_live_notional_total"): _limit(higher_is_riskier=True),
    ("risk", "live_trade_min_size"): _limit(higher_is_riskier=False),
    ("drills", "drills_executable"): _opens_when_false("drills"),
    ("drills", "results"): _drill_results,
    ("safety", "is_live_execution_allowed"): _opens_when_true("live execution"),
    ("safety", "blockers"): _blockers,
    ("safety", "real_orders_possible"): _opens_when_true("real order path"),
}


# Derived or constant fields: their changes show through the fields they are derived from.
SKIPPED: Final = frozenset({("safety", "reasons"), ("drills", "available_scenarios")})


def _comparable(section: str, key: str, value: Any) -> Any:
    """The form a field is compared and shown in: blockers as codes, drills as `ID:pass`."""
    if (section, key) == ("safety", "blockers"):
        return [b["code"] for b in value]
    if (section, key) == ("drills", "results"):
        return [f"{r['id']}:{'pass' if r['passed'] else 'FAIL'}" for r in value]
    return value


def diff_snapshots(
    old: LiveAuditSnapshot,
    new: LiveAuditSnapshot,
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> SnapshotDiff:
    before, after = live_audit_snapshot_to_dict(old), live_audit_snapshot_to_dict(new)
    changes = []
    for section in after:
        old_section, new_section = before.get(section), after[section]
        if not isinstance(new_section, dict) or not isinstance(old_section, dict):
            if old_section != new_section:
                changes.append(
                    Change(
                        section="snapshot",
                        key=section,
                        old=old_section,
                        new=new_section,
                        risk=Risk.NEUTRAL,
                    )
                )
            continue
        for key in new_section:
            if (section, key) in SKIPPED:
                continue
            old_value = _comparable(section, key, old_section.get(key))
            new_value = _comparable(section, key, new_section[key])
            if old_value == new_value:
                continue
            judge = JUDGES.get((section, key))
            risk, why = judge(old_value, new_value) if judge else (Risk.NEUTRAL, "")
            changes.append(
                Change(section=section, key=key, old=old_value, new=new_value, risk=risk, why=why)
            )
    return SnapshotDiff(old_label=old_label, new_label=new_label, changes=tuple(changes))
