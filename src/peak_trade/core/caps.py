"""Configured caps and the binding cap of each kind. Pure.

A cap binds only where the audited system's own code applies it: each `ConfiguredCap` says
whether it is `enforced` (true, false, or None when that cannot be known) and, when not, why
(`enforcement`). Each dialect decides that from its system's code. The binding cap of each kind
is the smallest enforced one (for a minimum order, the largest); a cap that is not enforced
binds nothing, however small.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec

from peak_trade.core.kinds import EFFECTIVE_KINDS, FLOOR_KINDS, CapKind, Unit
from peak_trade.core.registry import CAP


class ConfiguredCap(msgspec.Struct, frozen=True, kw_only=True):
    """One configured cap: its kind, unit, dotted key path, value, the file it came from, and
    whether the system's code applies it.

    `unit` is the unit of `value` (a kind's usual unit, or another: an order amount in
    instrument units is a `quantity`). `unlimited` is true where the system's own "no limit"
    value was set (then `value` is null). `enforced`: true when the system's code checks orders
    against it, false when it never does (or not with this config), None when the files cannot
    tell; `enforcement` says why whenever `enforced` is not true (and may add a note when it is).
    """

    kind: CapKind
    unit: Unit
    key: str
    value: float | int | None
    unlimited: bool = False
    source: str | None = None
    enforced: bool | None
    enforcement: str | None = None

    def __post_init__(self) -> None:
        if (self.value is None) is not self.unlimited:
            raise ValueError(f"{self.key}: a cap has a value exactly when it is not unlimited")
        if self.enforced is not True and not self.enforcement:
            raise ValueError(f"{self.key}: a cap that is not enforced says why (enforcement)")


class _EffectiveCapsBase(msgspec.Struct, frozen=True, kw_only=True):
    def of(self, kind: CapKind) -> float | int | None:
        value: float | int | None = getattr(self, kind.value)
        return value


if TYPE_CHECKING:
    EffectiveCaps = _EffectiveCapsBase
else:
    # one field per kind reported in `risk.effective`, derived from the kind rows: a new kind
    # is a row in `core.kinds`, never a field to add here by hand
    EffectiveCaps = msgspec.defstruct(
        "EffectiveCaps",
        [(kind.value, float | int | None, None) for kind in EFFECTIVE_KINDS],
        bases=(_EffectiveCapsBase,),
        namespace={
            "__doc__": (
                "The binding cap of each kind: a number, or null when none is configured (or the\n"
                "binding one is unlimited; `risk.limits` then says so)."
            ),
            "__module__": __name__,
        },
        frozen=True,
        kw_only=True,
    )


def counting(caps: Iterable[ConfiguredCap]) -> list[ConfiguredCap]:
    """The caps that bind: the enforced ones (unknown enforcement binds nothing: fail closed)."""
    return [c for c in caps if c.enforced is True]


def in_file(caps: Iterable[ConfiguredCap], bounded_live_enabled: bool) -> list[ConfiguredCap]:
    """The caps the file itself puts in force, whatever the runtime applies: all, except
    bounded-live caps while bounded live is disabled (for the file's own contradictions)."""
    return [c for c in caps if bounded_live_enabled or not is_bounded(c.key)]


def is_bounded(key: str) -> bool:
    """A bounded-live cap (Peak_Trade's), which counts only while bounded live is enabled."""
    row = CAP.get(key)
    return row is not None and row.bounded


def binding(caps: Iterable[ConfiguredCap], kind: CapKind) -> ConfiguredCap | None:
    """The binding cap of one kind among `caps` (already filtered by `counting`)."""
    of_kind = [c for c in caps if c.kind is kind]
    if not of_kind:
        return None
    limited = [(c.value, c) for c in of_kind if c.value is not None]
    if not limited:  # every cap of this kind is the system's "unlimited"
        return of_kind[0]
    pick = max if kind in FLOOR_KINDS else min
    return pick(limited, key=lambda pair: pair[0])[1]


def effective_caps(caps: Iterable[ConfiguredCap]) -> EffectiveCaps:
    live = counting(caps)
    values: dict[str, float | int | None] = {}
    for kind in EFFECTIVE_KINDS:
        cap = binding(live, kind)
        values[kind.value] = None if cap is None or cap.unlimited else cap.value
    return EffectiveCaps(**values)


def unlimited_kinds(caps: Iterable[ConfiguredCap]) -> frozenset[CapKind]:
    """The kinds whose binding cap is the system's own "no limit" value: views print them as
    `unlimited`, never as "not set" (`risk.effective` holds null for them)."""
    live = counting(caps)
    return frozenset(
        kind for kind in CapKind if (cap := binding(live, kind)) is not None and cap.unlimited
    )


def contradictions(caps: Iterable[ConfiguredCap], bounded_live_enabled: bool) -> list[str]:
    """Settings that make every order impossible, each naming both keys: a minimum above a
    per-order or total cap among the caps the system enforces, and (the file's own rule,
    DESIGN §2) a Phase 71 per-order cap above a Phase 71 total cap."""
    live = counting(caps)
    problems: list[str] = []
    floor = binding(live, CapKind.MIN_ORDER)
    if floor is not None and floor.value is not None:
        for kind in (CapKind.PER_ORDER, CapKind.TOTAL):
            cap = binding(live, kind)
            if cap is not None and cap.value is not None and floor.value > cap.value:
                problems.append(
                    f"{floor.key} ({floor.value}) exceeds {cap.key} ({cap.value}):"
                    " no order could pass"
                )
    # the Phase 71 pair, in whichever tables each is set: the file's own rule, enforced or not
    written = in_file(caps, bounded_live_enabled)
    per_orders = [c for c in written if c.key.endswith(".max_live_notional_per_order")]
    totals = [c for c in written if c.key.endswith(".max_live_notional_total")]
    problems += [
        f"{per_order.key} ({per_order.value}) exceeds {total.key} ({total.value})"
        for per_order in per_orders
        for total in totals
        if per_order.value is not None and total.value is not None and per_order.value > total.value
    ]
    return problems
