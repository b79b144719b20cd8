"""Compare two audit snapshots and judge each change: less safe, safer, or neutral.

Pure: two snapshots in, a `SnapshotDiff` out. Every field has a judge: the registry's direction
for settings, and the judges below for derived facts, caps and venues. A field without a judge
counts as *less safe* (fail closed): a field added to the snapshot cannot slip through `diff`
unjudged. A timestamp-only change is no change.

Snapshots of every schema compare with each other: a field only one side has is shown as new
(or gone) in that schema, and not judged (unknown, never "safe"). Schema 3's facts are judged
where both sides have them: a cap no longer enforced, a venue's orders reaching closer to real
money, a kill switch disabled, removed or its triggers changed: less safe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

import msgspec

from peak_trade.core.registry import (
    CAP,
    EFFECTIVE_MODE_RANK,
    FLOOR_KINDS,
    MODE_RANK,
    SETTINGS,
    CapKind,
    Less,
)
from peak_trade.core.venues import REACH_RANK
from peak_trade.live.snapshot import AnySnapshot, live_audit_snapshot_to_dict


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


Verdict = tuple[Risk, str]
KILL_SWITCH_SECTION: Final = "kill_switch"
Judge = Callable[[Any, Any], Verdict]
NEUTRAL: Final = (Risk.NEUTRAL, "")


def _direction(less: Less, what: str) -> Judge:
    """A judge from a registry direction."""

    def becoming(target: bool) -> Judge:
        def judge(old: Any, new: Any) -> Verdict:
            if new is target and old is not target:
                return Risk.LESS_SAFE, f"{what} became {str(target).lower()}"
            if old is target and new is not target:
                return Risk.SAFER, f"{what} is no longer {str(target).lower()}"
            return NEUTRAL

        return judge

    if less is Less.BECOMING_TRUE:
        return becoming(True)
    if less is Less.BECOMING_FALSE:
        return becoming(False)
    if less is Less.HIGHER:
        return _cap(floor=False, what=what)
    if less is Less.LOWER:
        return _cap(floor=True, what=what)
    if less is Less.TOWARDS_LIVE:
        return _ranked(MODE_RANK, what)
    if less is Less.ANY_CHANGE:
        return lambda old, new: (Risk.LESS_SAFE, f"{what} changed (no safe direction is known)")
    return lambda old, new: NEUTRAL  # Less.NO_SAFETY_MEANING


def _ranked(ranks: dict[str, int], what: str) -> Judge:
    def judge(old: Any, new: Any) -> Verdict:
        before, after = ranks.get(old, len(ranks)), ranks.get(new, len(ranks))
        if after > before:
            return Risk.LESS_SAFE, f"{what} moved towards live"
        if after < before:
            return Risk.SAFER, f"{what} moved away from live"
        return NEUTRAL

    return judge


def _cap(*, floor: bool, what: str) -> Judge:
    """A cap (or, with `floor`, a minimum): loosened, removed or made unlimited is less safe."""

    def judge(old: Any, new: Any) -> Verdict:
        if old == new:
            return NEUTRAL
        if new is None:
            return Risk.LESS_SAFE, f"{what} removed"
        if new == UNLIMITED:
            return Risk.LESS_SAFE, f"{what} made unlimited"
        if old is None or old == UNLIMITED:
            return Risk.SAFER, f"{what} set"
        loosened = new < old if floor else new > old
        return (
            (Risk.LESS_SAFE, f"{what} loosened") if loosened else (Risk.SAFER, f"{what} tightened")
        )

    return judge


def _worst(verdicts: list[Verdict]) -> Verdict:
    worse = [why for risk, why in verdicts if risk is Risk.LESS_SAFE]
    if worse:
        return Risk.LESS_SAFE, "; ".join(worse)
    better = [why for risk, why in verdicts if risk is Risk.SAFER]
    if better:
        return Risk.SAFER, "; ".join(better)
    return NEUTRAL


def _blockers(old: Any, new: Any) -> Verdict:
    gone = sorted(set(old or ()) - set(new or ()))
    added = sorted(set(new or ()) - set(old or ()))
    if gone:
        return Risk.LESS_SAFE, "blocker(s) cleared: " + ", ".join(gone)
    if added:
        return Risk.SAFER, "blocker(s) added: " + ", ".join(added)
    return NEUTRAL


def _drill_results(old: Any, new: Any) -> Verdict:
    passed_before = {r.split(":")[0] for r in old or () if r.endswith(":pass")}
    passed_after = {r.split(":")[0] for r in new or () if r.endswith(":pass")}
    lost = sorted(passed_before - passed_after)
    if lost:
        return Risk.LESS_SAFE, "drill(s) no longer passing: " + ", ".join(lost)
    if passed_after - passed_before:
        return Risk.SAFER, "drill(s) now passing: " + ", ".join(
            sorted(passed_after - passed_before)
        )
    return NEUTRAL


def _venue(old: Any, new: Any) -> Verdict:
    """One venue: enabled, its sandbox off, an endpoint changed, a credential present, its
    orders reaching closer to real money. A venue whose orders reach nothing outside the bot
    (schema 3: `none`, `simulated`) being added or enabled is no risk of its own; its sandbox,
    endpoints and credentials are judged all the same (its reach is the dialect's reading of
    one code path, and a table can matter to another)."""
    if new is None:
        return Risk.SAFER, "venue removed"
    was = old or {}
    verdicts: list[Verdict] = []
    inert = new.get("orders_reach") in ("none", "simulated")
    if new.get("enabled") is not False and was.get("enabled") is False and not inert:
        verdicts.append((Risk.LESS_SAFE, "venue enabled"))
    if old is None and new.get("enabled") is not False and not inert:
        verdicts.append((Risk.LESS_SAFE, "venue added, not disabled"))
    if was.get("sandbox") is True and new.get("sandbox") is not True:
        verdicts.append((Risk.LESS_SAFE, "sandbox/testnet flag switched off"))
    if set(new.get("endpoints", ())) - set(was.get("endpoints", ())):
        verdicts.append((Risk.LESS_SAFE, "endpoint host changed"))

    before = {c["key"]: c for c in was.get("credentials", ())}
    for credential in new.get("credentials", ()):
        prior = before.get(credential["key"])
        if credential["present"] and (prior is None or not prior["present"]):
            verdicts.append((Risk.LESS_SAFE, f"credential {credential['key']} became present"))
    if not verdicts and was.get("enabled") is not False and new.get("enabled") is False:
        verdicts.append((Risk.SAFER, "venue disabled"))
    return _worst(verdicts)


def _reach(old: Any, new: Any) -> Verdict:
    """A venue's `orders_reach` (schema 3): towards real money is less safe; a new venue whose
    orders reach real or unknown money is less safe. (A venue of an older schema, without the
    field, is a schema change: `diff_snapshots` shows it unjudged.)"""
    if new is None:
        return (Risk.SAFER, "venue gone") if old is not None else NEUTRAL
    after = REACH_RANK.get(new, len(REACH_RANK))
    if old is None:
        money = after >= REACH_RANK["unknown"]
        return (Risk.LESS_SAFE, f"a new venue whose orders reach {new}") if money else NEUTRAL
    before = REACH_RANK.get(old, len(REACH_RANK))
    if after > before:
        return Risk.LESS_SAFE, f"orders reach {new} (were {old})"
    if after < before:
        return Risk.SAFER, f"orders reach {new} (were {old})"
    return NEUTRAL


def _enforced(old: Any, new: Any) -> Verdict:
    """A cap's `enforced`: true is safest; losing it is less safe, unknown counts as lost."""
    if old is True and new is not True:
        return Risk.LESS_SAFE, "cap no longer enforced by the system's code"
    if new is True and old is not True:
        return Risk.SAFER, "cap now enforced"
    return NEUTRAL  # false <-> unknown: neither side binds


def _kill_switch(old: Any, new: Any) -> Verdict:
    """The kill switch: removed, no longer configured or readable, disabled, its mode or a
    trigger changed (no safe direction is known for a threshold), or a tripped state cleared:
    less safe."""
    if old == new:
        return NEUTRAL
    if not isinstance(new, Mapping):
        return Risk.LESS_SAFE, "kill switch removed"
    if not isinstance(old, Mapping):
        return Risk.SAFER, "kill switch added"
    verdicts: list[Verdict] = []
    if old.get("configured") and not new.get("configured"):
        verdicts.append((Risk.LESS_SAFE, "kill switch file gone"))
    if old.get("enabled") is True and new.get("enabled") is not True:
        verdicts.append((Risk.LESS_SAFE, "kill switch disabled"))
    if new.get("problem") and not old.get("problem"):
        verdicts.append((Risk.LESS_SAFE, "kill switch no longer readable"))
    if new.get("mode") == "disabled" and old.get("mode") != "disabled":
        verdicts.append((Risk.LESS_SAFE, "kill switch mode set to disabled"))
    elif old.get("mode") == "disabled" and new.get("mode") != "disabled":
        verdicts.append((Risk.SAFER, "kill switch mode no longer disabled"))
    elif old.get("mode") != new.get("mode"):
        verdicts.append((Risk.LESS_SAFE, "kill switch mode changed (no safe direction is known)"))
    if old.get("tripped") and not new.get("tripped"):
        verdicts.append((Risk.LESS_SAFE, "kill switch no longer tripped"))
    if old.get("triggers") != new.get("triggers"):
        verdicts.append((Risk.LESS_SAFE, "kill switch triggers changed"))
    if old.get("approval_env_var") != new.get("approval_env_var"):
        verdicts.append((Risk.LESS_SAFE, "kill switch approval variable changed"))
    if new.get("tripped") and not old.get("tripped"):
        verdicts.append((Risk.SAFER, "kill switch tripped"))
    if new.get("enabled") is True and old.get("enabled") is not True:
        verdicts.append((Risk.SAFER, "kill switch enabled"))
    return _worst(verdicts)


def _no_safety_meaning(old: Any, new: Any) -> Verdict:
    return NEUTRAL


def _any_change(what: str) -> Judge:
    return _direction(Less.ANY_CHANGE, what)


def _settings_judges() -> dict[tuple[str, str], Judge]:
    return {
        row.snapshot: _direction(row.less_safe, row.label)
        for row in SETTINGS
        if row.snapshot is not None
    }


def _effective_judges() -> dict[tuple[str, str], Judge]:
    return {
        ("risk", f"effective.{kind.value}"): _cap(
            floor=kind in FLOOR_KINDS, what=f"effective {kind.value} cap"
        )
        for kind in CapKind
    }


JUDGES: Final[dict[tuple[str, str], Judge]] = {
    **_settings_judges(),
    ("snapshot", "schema_version"): _no_safety_meaning,
    ("snapshot", "environment_id"): _no_safety_meaning,
    ("gating", "effective_mode"): _ranked(EFFECTIVE_MODE_RANK, "effective mode"),
    ("gating", "confirm_token_present"): _direction(Less.BECOMING_TRUE, "confirm token present"),
    ("gating", "confirm_token_valid"): _direction(Less.BECOMING_TRUE, "confirm token valid"),
    ("gating", "config_armed"): _direction(Less.BECOMING_TRUE, "config armed"),
    ("gating", "api_server_unprotected"): _direction(Less.BECOMING_TRUE, "unprotected API server"),
    ("gating", "confirm_token_source"): _no_safety_meaning,  # presence and validity are judged
    # the release a config is written for: its effect on orders is judged on the venues
    ("gating", "nautilus_version"): _no_safety_meaning,
    ("gating", "risk_checks_bypassed"): _direction(Less.BECOMING_TRUE, "risk checks bypassed"),
    (KILL_SWITCH_SECTION, KILL_SWITCH_SECTION): _kill_switch,
    ("risk", "max_live_notional_per_order"): _cap(floor=False, what="Phase 71 per-order cap"),
    ("risk", "max_live_notional_total"): _cap(floor=False, what="Phase 71 total cap"),
    ("risk", "live_trade_min_size"): _cap(floor=True, what="Phase 71 minimum order"),
    ("risk", "limits_source"): _no_safety_meaning,
    **_effective_judges(),
    ("drills", "available_scenarios"): _any_change("drill scenario list"),
    ("drills", "num_scenarios"): _any_change("number of drill scenarios"),
    ("drills", "drills_executable"): _direction(Less.BECOMING_FALSE, "drills executable"),
    ("drills", "results"): _drill_results,
    ("safety", "is_live_execution_allowed"): _direction(Less.BECOMING_TRUE, "live execution"),
    ("safety", "reasons"): _no_safety_meaning,  # one sentence per blocker: judged there
    ("safety", "safety_guarantee_v1_0"): _any_change("safety guarantee"),
    ("safety", "blockers"): _blockers,
    ("safety", "real_orders_possible"): _direction(Less.BECOMING_TRUE, "real order path"),
    ("config", "source"): _any_change("config source"),
    ("config", "resolved_from"): _no_safety_meaning,
    ("config", "dialect"): _any_change("config dialect"),
    ("config", "path"): _no_safety_meaning,
    ("config", "sha256_redacted"): _no_safety_meaning,  # judged through the fields it covers
    ("config", "redacted_keys"): _no_safety_meaning,
    ("config", "files"): _no_safety_meaning,
    ("config", "env_overrides"): _any_change("environment overrides"),
    ("versions", "peak_trade"): _no_safety_meaning,
    ("versions", "python"): _no_safety_meaning,
    ("versions", "git_commit"): _no_safety_meaning,
    ("versions", "schema"): _no_safety_meaning,
}
VENUES_SECTION: Final = "venues"
LIMITS_PREFIX: Final = "limits."
ENFORCED_SUFFIX: Final = ".enforced"
REACH_SUFFIX: Final = ".orders_reach"
UNLIMITED: Final = "unlimited"
#: fields never compared: the clock's reading
NOT_COMPARED: Final = frozenset({("snapshot", "timestamp_utc")})


def judge_for(section: str, key: str, cap_kinds: Mapping[str, str] | None = None) -> Judge | None:
    """The judge of one field. A configured cap (`risk.limits.<key>`) is judged by its kind,
    which each `limits` entry carries (`cap_kinds`: key -> kind, from the snapshots compared),
    whatever the dialect: raising a ceiling or lowering a floor is less safe. A cap of no
    known kind has no judge (the caller then counts every change as less safe)."""
    if section == VENUES_SECTION and key.endswith(REACH_SUFFIX):
        return _reach
    if section == VENUES_SECTION:
        return _venue
    if section == "risk" and key.startswith(LIMITS_PREFIX) and key.endswith(ENFORCED_SUFFIX):
        return _enforced
    if section == "risk" and key.startswith(LIMITS_PREFIX):
        cap_key = key.removeprefix(LIMITS_PREFIX)
        kind = (cap_kinds or {}).get(cap_key)
        if kind is None and cap_key in CAP:  # a Peak_Trade row judged without snapshots
            kind = CAP[cap_key].kind.value
        if kind is None or kind not in {k.value for k in CapKind}:
            return None
        return _cap(floor=CapKind(kind) in FLOOR_KINDS, what=cap_key)
    return JUDGES.get((section, key))


def _cap_kinds(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """Each configured cap's kind, as the snapshot's `risk.limits` entries state it."""
    risk = snapshot.get("risk")
    limits = risk.get("limits") if isinstance(risk, Mapping) else None
    if not isinstance(limits, list | tuple):
        return {}
    return {
        str(cap.get("key")): str(cap.get("kind"))
        for cap in limits
        if isinstance(cap, Mapping) and "kind" in cap
    }


def _dynamic(field: tuple[str, str]) -> bool:
    """Fields that exist only where configured: absent means not configured (judged)."""
    return field[0] == VENUES_SECTION or (field[0] == "risk" and field[1].startswith(LIMITS_PREFIX))


def _fail_closed(old: Any, new: Any) -> Verdict:
    return Risk.LESS_SAFE, "no judge for this field: counted as less safe (fail closed)"


def _comparable(section: str, key: str, value: Any) -> Any:
    """The form a field is compared and shown in: blockers as codes, drills as `ID:pass`."""
    if value is None:
        return None
    if (section, key) == ("safety", "blockers"):
        return [b["code"] for b in value]
    if (section, key) == ("drills", "results"):
        return [f"{r['id']}:{'pass' if r['passed'] else 'FAIL'}" for r in value]
    if (section, key) == ("config", "files"):
        return [f"{f['path']} {f['sha256_redacted'][:12]}" for f in value]
    return value


_MISSING: Final = object()


def _fields(snapshot: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Every compared field as (section, key) -> value; nested tables become dotted keys."""
    fields: dict[tuple[str, str], Any] = {}
    for section, value in snapshot.items():
        if section == KILL_SWITCH_SECTION:  # one fact, judged as a whole
            fields[(KILL_SWITCH_SECTION, KILL_SWITCH_SECTION)] = value
        elif section == VENUES_SECTION and isinstance(value, list | tuple):
            for venue in value:
                name = str(venue.get("name"))
                fields[(VENUES_SECTION, name)] = {
                    k: v for k, v in venue.items() if k not in ("orders_reach_reason",)
                }
                if "orders_reach" in venue:  # schema 3: judged on its own
                    fields[(VENUES_SECTION, f"{name}{REACH_SUFFIX}")] = venue["orders_reach"]
        elif isinstance(value, dict):
            for key, item in value.items():
                if (section, key) == ("risk", "limits") and isinstance(item, list | tuple):
                    for cap in item:
                        shown = UNLIMITED if cap.get("unlimited") else cap.get("value")
                        fields[("risk", f"{LIMITS_PREFIX}{cap.get('key')}")] = shown
                        if "enforced" in cap:  # schema 3
                            enforced = f"{LIMITS_PREFIX}{cap.get('key')}{ENFORCED_SUFFIX}"
                            fields[("risk", enforced)] = cap["enforced"]
                elif isinstance(item, dict):
                    for sub, leaf in item.items():
                        fields[(section, f"{key}.{sub}")] = leaf
                else:
                    fields[(section, key)] = item
        else:
            fields[("snapshot", section)] = value
    return fields


def diff_snapshots(
    old: AnySnapshot,
    new: AnySnapshot,
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> SnapshotDiff:
    old_dict, new_dict = live_audit_snapshot_to_dict(old), live_audit_snapshot_to_dict(new)
    before, after = _fields(old_dict), _fields(new_dict)
    cap_kinds = {**_cap_kinds(old_dict), **_cap_kinds(new_dict)}
    changes = []
    for field in dict.fromkeys([*after, *before]):
        if field in NOT_COMPARED:
            continue
        section, key = field
        old_raw, new_raw = before.get(field, _MISSING), after.get(field, _MISSING)
        suffix = next(
            (s for s in (ENFORCED_SUFFIX, REACH_SUFFIX) if key.endswith(s) and section != "gating"),
            None,
        )
        if suffix is not None and (old_raw is _MISSING or new_raw is _MISSING):
            owner = (section, key.removesuffix(suffix))  # the cap or venue the field belongs to
            if owner in before and owner in after:  # an older schema lacks the field: unknown
                changes.append(_schema_change(field, old_raw, new_raw, old, new))
                continue
            if suffix == ENFORCED_SUFFIX:
                continue  # a cap added or removed: its value's judge says so
            # a venue added or removed: where its orders reach is judged below
        if not _dynamic(field) and (old_raw is _MISSING or new_raw is _MISSING):
            changes.append(_schema_change(field, old_raw, new_raw, old, new))
            continue
        old_value = _comparable(section, key, None if old_raw is _MISSING else old_raw)
        new_value = _comparable(section, key, None if new_raw is _MISSING else new_raw)
        if old_value == new_value:
            continue
        judge = judge_for(section, key, cap_kinds) or _fail_closed
        risk, why = judge(old_value, new_value)
        changes.append(
            Change(section=section, key=key, old=old_value, new=new_value, risk=risk, why=why)
        )
    return SnapshotDiff(old_label=old_label, new_label=new_label, changes=tuple(changes))


def _schema_change(
    field: tuple[str, str], old_raw: Any, new_raw: Any, old: AnySnapshot, new: AnySnapshot
) -> Change:
    section, key = field
    if old_raw is _MISSING:
        why = (
            f"new in schema {new.schema_version} (not in the schema {old.schema_version} snapshot)"
        )
        return Change(section=section, key=key, old=None, new=new_raw, risk=Risk.NEUTRAL, why=why)
    why = f"not in schema {new.schema_version} (was in schema {old.schema_version})"
    return Change(section=section, key=key, old=old_raw, new=None, risk=Risk.NEUTRAL, why=why)
