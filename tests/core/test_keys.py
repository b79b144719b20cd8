"""Dotted key paths whose parts may be quoted (an instrument id holds a dot)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.keys import key_parts, last_name
from peak_trade.formats.sarif import _result
from peak_trade.live.findings import Finding, line_of

INSTRUMENT_CAP = 'risk_engine.max_notional_per_order."BTCUSDT.BINANCE"'


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("live_risk.max_order_notional", ["live_risk", "max_order_notional"]),
        (INSTRUMENT_CAP, ["risk_engine", "max_notional_per_order", "BTCUSDT.BINANCE"]),
        ('a."b.c".d', ["a", "b.c", "d"]),
        ('"x.y"', ["x.y"]),
        ('a."unclosed.b', ["a", "unclosed.b"]),
        ("single", ["single"]),
    ],
)
def test_key_parts(key: str, parts: list[str]) -> None:
    assert key_parts(key) == parts


NAME = st.text(alphabet="abz_.-09", min_size=1, max_size=8).filter(lambda n: '"' not in n)


@given(st.lists(NAME, min_size=1, max_size=5))
def test_a_path_written_with_quotes_where_a_name_holds_a_dot_splits_back(names: list[str]) -> None:
    key = ".".join(f'"{n}"' if "." in n else n for n in names)
    assert key_parts(key) == names
    assert last_name(key) == names[-1]


def test_sarif_names_a_quoted_key_by_its_whole_last_part() -> None:
    finding = Finding(rule_id="r", message="m", fix="", keys=(INSTRUMENT_CAP,), file=None)
    logical = _result(finding, 0, "/")["locations"][0]["logicalLocations"][0]
    assert logical["name"] == "BTCUSDT.BINANCE"
    assert logical["fullyQualifiedName"] == INSTRUMENT_CAP


def test_the_line_of_a_quoted_key_in_json() -> None:
    text = (
        "{\n"
        '  "risk_engine": {\n'
        '    "max_order_submit_rate": "100/00:00:01",\n'
        '    "max_notional_per_order": {\n'
        '      "ETHUSDT.BINANCE": 5000,\n'
        '      "BTCUSDT.BINANCE": 10000\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert line_of(text, INSTRUMENT_CAP) == 6
