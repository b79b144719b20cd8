"""`diff` judges every field of the snapshot, and fails closed on any field it cannot judge."""

from __future__ import annotations

import types
import typing
from typing import Any

import msgspec
import pytest

from peak_trade.core.registry import CAPS, SETTINGS, Less
from peak_trade.live import diff as diff_module
from peak_trade.live.diff import NOT_COMPARED, Risk, diff_snapshots, judge_for
from peak_trade.live.snapshot import LiveAuditSnapshot


def _struct_of(annotation: Any) -> type[msgspec.Struct] | None:
    """The Struct type inside an annotation (`X | None`, `tuple[X, ...]`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    for arg in typing.get_args(annotation):
        found = _struct_of(arg)
        if found is not None:
            return found
    return None


def _compared_fields() -> list[tuple[str, str]]:
    """Every (section, key) `diff` compares, derived from the snapshot *type*."""
    fields = []
    hints = typing.get_type_hints(LiveAuditSnapshot)
    for name in LiveAuditSnapshot.__struct_fields__:
        annotation = hints[name]
        section = _struct_of(annotation)
        if name == "venues":
            fields.append(("venues", "<each venue>"))
        elif name == "kill_switch":  # one fact, judged as a whole
            fields.append(("kill_switch", "kill_switch"))
        elif section is None or isinstance(annotation, types.GenericAlias):
            fields.append(("snapshot", name))
        else:
            inner = typing.get_type_hints(section)
            for key in section.__struct_fields__:
                nested = _struct_of(inner[key])
                is_table = nested is not None and not typing.get_args(inner[key])
                if (name, key) == ("risk", "limits"):
                    fields += [("risk", f"limits.{row.key}") for row in CAPS]
                    fields += [("risk", f"limits.{row.key}.enforced") for row in CAPS]
                elif is_table and nested is not None:
                    fields += [(name, f"{key}.{sub}") for sub in nested.__struct_fields__]
                else:
                    fields.append((name, key))
    return fields


FIELDS = _compared_fields()


def test_the_walk_finds_every_section() -> None:
    sections = {section for section, _ in FIELDS}
    assert sections == {
        "snapshot",
        "gating",
        "risk",
        "venues",
        "kill_switch",
        "drills",
        "safety",
        "config",
        "versions",
    }
    assert ("risk", "effective.per_order") in FIELDS
    assert ("gating", "config_armed") in FIELDS


@pytest.mark.parametrize(("section", "key"), FIELDS)
def test_every_snapshot_field_has_a_judge(section: str, key: str) -> None:
    if (section, key) in NOT_COMPARED:
        return
    assert judge_for(section, key) is not None, f"{section}.{key} has no judge"


def test_a_field_without_a_judge_counts_as_less_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.live.test_diff_and_policy import snap

    monkeypatch.delitem(diff_module.JUDGES, ("gating", "live_mode_armed"))
    result = diff_snapshots(snap(), snap(gate2=True))
    (change,) = [c for c in result.changes if c.key == "live_mode_armed"]
    assert change.risk is Risk.LESS_SAFE
    assert "fail closed" in change.why


@pytest.mark.parametrize("row", [r for r in SETTINGS if r.snapshot is not None], ids=str)
def test_each_setting_is_judged_in_its_registry_direction_both_ways(row: Any) -> None:
    section, key = row.snapshot
    judge = judge_for(section, key)
    assert judge is not None
    pairs = {
        Less.BECOMING_TRUE: ((False, True), Risk.LESS_SAFE),
        Less.BECOMING_FALSE: ((True, False), Risk.LESS_SAFE),
        Less.HIGHER: ((0.5, 0.7), Risk.LESS_SAFE),
        Less.LOWER: ((0.7, 0.5), Risk.LESS_SAFE),
        Less.TOWARDS_LIVE: (("paper", "live"), Risk.LESS_SAFE),
        Less.ANY_CHANGE: (("EUR", "USD"), Risk.LESS_SAFE),
        Less.NO_SAFETY_MEANING: ((True, False), Risk.NEUTRAL),
    }
    (old, new), risk = pairs[row.less_safe]
    assert judge(old, new)[0] is risk
    back = judge(new, old)[0]
    if risk is Risk.LESS_SAFE and row.less_safe is not Less.ANY_CHANGE:
        assert back is Risk.SAFER
    elif row.less_safe is Less.ANY_CHANGE:
        assert back is Risk.LESS_SAFE  # no safe direction known: both ways count


@pytest.mark.parametrize("row", CAPS, ids=lambda r: r.key)
def test_each_cap_is_judged_both_ways(row: Any) -> None:
    judge = judge_for("risk", f"limits.{row.key}")
    assert judge is not None
    floor = row.kind.value == "min_order"
    loosen = (10.0, 5.0) if floor else (5.0, 10.0)
    assert judge(*loosen)[0] is Risk.LESS_SAFE
    assert judge(*reversed(loosen))[0] is Risk.SAFER
    assert judge(10.0, None)[0] is Risk.LESS_SAFE  # removed
    assert judge(None, 10.0)[0] is Risk.SAFER  # newly set
    assert judge(10.0, "unlimited")[0] is Risk.LESS_SAFE
