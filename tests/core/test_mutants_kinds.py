"""Cap kinds at their exact boundaries (the second hostile round, item 9): tests that kill the
mutants `scripts/mutate.py` left alive in `core/kinds.py`."""

from __future__ import annotations

import pytest

from peak_trade.core.kinds import KIND, KINDS, CapKind, KindRow, Unit
from peak_trade.core.registry import CAPS
from peak_trade.dialects.peak_trade.config import decode_config

#: one integer per kind, consistent (min <= per order <= per symbol <= total)
VALUES = {
    CapKind.PER_ORDER: 100,
    CapKind.TOTAL: 1000,
    CapKind.MIN_ORDER: 1,
    CapKind.PER_SYMBOL: 500,
    CapKind.OPEN_POSITIONS: 3,
    CapKind.DAILY_LOSS_ABS: 50,
    CapKind.DAILY_LOSS_PCT: 3,
    CapKind.POSITION_PCT: 1,
}


def test_only_counts_stay_integers() -> None:
    """Every Peak_Trade cap written as a TOML integer: a count (open positions) stays an int,
    every other unit (money, percent, ratio) is a float, in the caps and in `LiveRiskConfig`."""
    tables: dict[str, list[str]] = {}
    for row in CAPS:
        tables.setdefault(row.table, []).append(f"{row.field} = {VALUES[row.kind]}")
    text = "[bounded_live]\nenabled = true\n" + "".join(
        f"\n[{table}]\n" + "\n".join(lines) + "\n" for table, lines in tables.items()
    )
    loaded = decode_config(text.encode(), origin="c.toml")
    assert {c.key for c in loaded.caps} == {row.key for row in CAPS}
    for cap in loaded.caps:
        count = KIND[cap.kind].unit is Unit.COUNT
        assert type(cap.value) is (int if count else float), cap
        assert cap.value == VALUES[cap.kind]
    risk = loaded.risk
    assert risk is not None
    for row in CAPS:
        if row.table == "live_risk":
            value = getattr(risk, row.field)
            assert type(value) is (int if KIND[row.kind].unit is Unit.COUNT else float), row.key


def test_a_kind_row_is_an_immutable_value_given_by_name() -> None:
    """The rows are shared by every check: nobody may change one, and their flags (three
    booleans in a row) are never given by position."""
    row = KINDS[0]
    with pytest.raises(AttributeError):
        row.floor = not row.floor  # type: ignore[misc]
    with pytest.raises(TypeError):
        KindRow(CapKind.TOTAL, Unit.MONEY)  # type: ignore[call-arg]
