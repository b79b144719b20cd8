"""A typo must not pass silently: a misspelt key names the key meant, and a table spelt almost
like one the audit reads is an error (its settings would otherwise be ignored: `[enviroment]`
would read as paper)."""

from __future__ import annotations

import pytest

from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[enviroment]\nmode = "live"\n',
            "[enviroment]: unknown table; did you mean [environment]?",
        ),
        (
            "[live_risks]\nenabled = false\n",
            "[live_risks]: unknown table; did you mean [live_risk]?",
        ),
        ("[exchanges.kraken]\nsandbox = false\n", "did you mean [exchange]?"),
        (
            "[environment]\nenable_live_tradng = true\n",
            "environment.enable_live_tradng: unknown key (known keys: mode,",
        ),
        ("[live_risk]\nmax_order_notionl = 5.0\n", "); did you mean 'max_order_notional'?"),
        ("[environment]\nenable_live_tradng = true\n", "; did you mean 'enable_live_trading'?"),
    ],
)
def test_a_typo_names_what_was_meant(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        decode_config(text.encode(), origin="c.toml")
    assert message in str(info.value)


@pytest.mark.parametrize(
    "table", ["backtest", "strategies", "live_exchange", "live_alerts", "alerts", "risk", "data"]
)
def test_tables_a_real_install_has_are_not_typos(table: str) -> None:
    decode_config(f"[{table}]\nx = 1\n".encode(), origin="c.toml")
