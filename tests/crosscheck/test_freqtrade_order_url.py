"""Differential test of where a freqtrade bot's orders go (DESIGN §8): for generated exchange
tables, our `sandbox` verdict agrees with the URL ccxt itself resolves for the client freqtrade's
order calls use.

The oracle builds that client the way freqtrade's `Exchange.__init__` / `_init_ccxt` do (ccxt_config
merged with ccxt_sync_config, then `demo_trading` where the venue supports it) and constructs
the real ccxt class offline; orders reach production exactly when its `urls["api"]` is the
class's production default and ccxt's sandbox mode is off. Runs only where freqtrade
(and so ccxt) is installed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ccxt = pytest.importorskip("ccxt")
freqtrade_exchange = pytest.importorskip("freqtrade.exchange")

from peak_trade.dialects.freqtrade import config as ours  # noqa: E402

VENUES = ("binance", "bybit", "okx", "kraken")
_FT_CLASSES = {"binance": "Binance", "bybit": "Bybit", "okx": "Okx", "kraken": "Kraken"}


def _merge(source: dict[str, Any], destination: dict[str, Any]) -> dict[str, Any]:
    for key, value in source.items():
        if isinstance(value, dict):
            _merge(value, destination.setdefault(key, {}))
        else:
            destination[key] = value
    return destination


def _ccxt_default(name: str) -> dict[str, Any]:
    urls: dict[str, Any] = getattr(ccxt, name)().urls
    return urls


def _orders_reach_production(exchange: dict[str, Any]) -> bool:
    """The oracle: build freqtrade's order client and compare its API URLs with production."""
    name = exchange["name"]
    client: dict[str, Any] = {}
    for table in ("ccxt_config", "ccxt_sync_config"):
        client = _merge(copy.deepcopy(exchange.get(table, {})), client)
    config = {"apiKey": "k", "secret": "s", **client}
    try:
        api = getattr(ccxt, name)(config)
    except Exception:  # noqa: BLE001 - e.g. no sandbox URL: freqtrade fails to start
        return False
    if exchange.get("demo_trading"):
        ft_class = getattr(freqtrade_exchange, _FT_CLASSES[name])
        if not ft_class._ft_has.get("supports_demo_trading", False):
            return False  # validate_demo_trading refuses to start
        try:
            api.enable_demo_trading(True)
        except ccxt.NotSupported:
            return False  # demo trading and sandbox together: freqtrade fails to start
    default = _ccxt_default(name)
    production: Any = default["api"]
    resolved: Any = api.urls["api"]
    # a venue may keep its URL and switch by header instead (okx: x-simulated-trading): its
    # default test URLs are its production ones, and only the sandbox flag tells them apart
    header_switched = default.get("test") == production
    return bool(resolved == production) and not (api.isSandboxModeEnabled and header_switched)


@st.composite
def exchanges(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(VENUES))
    urls = _ccxt_default(name)
    exchange: dict[str, Any] = {"name": name}
    for table in ("ccxt_config", "ccxt_sync_config", "ccxt_async_config"):
        if not draw(st.booleans()):
            continue
        config: dict[str, Any] = {}
        flag = st.sampled_from([True, False, "true", None])
        if draw(st.booleans()):
            config["sandbox"] = draw(flag)
        if draw(st.booleans()):
            config["options"] = {
                key: draw(flag) for key in draw(st.sets(st.sampled_from(["sandbox", "testnet"])))
            }
        shape = draw(st.sampled_from(["none", "logo", "doc", "api-test", "api-prod", "test-prod"]))
        if shape in ("logo", "doc"):
            config["urls"] = {shape: "https://demo.testnet.example.com/x"}
        elif shape == "api-test" and isinstance(urls.get("test"), str | dict):
            config["urls"] = {"api": copy.deepcopy(urls["test"])}
        elif shape == "api-prod":
            config["urls"] = {"api": copy.deepcopy(urls["api"])}
        elif shape == "test-prod":  # the sandbox switch would select production
            config["urls"] = {"test": copy.deepcopy(urls["api"])}
        exchange[table] = {k: v for k, v in config.items() if v is not None}
    if draw(st.booleans()):
        exchange["demo_trading"] = draw(st.booleans())
    return exchange


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exchange=exchanges())
def test_our_sandbox_verdict_agrees_with_the_url_ccxt_resolves(
    exchange: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("ft")
    config = {"dry_run": False, "stake_currency": "USDT", "exchange": exchange}
    (home / "bot.json").write_text(json.dumps(config))
    loaded = ours.load([str(Path(home / "bot.json"))], {})
    assert isinstance(loaded.facts, ours.FreqtradeFacts)
    production = _orders_reach_production(exchange)
    # never "sandbox" while orders reach production
    assert not (loaded.facts.sandbox and production), exchange
    # and a test venue is recognised where nothing but ccxt's switch or demo trading decides
    # (a URL override proves nothing: ours then says real, a false alarm at worst)
    client = _merge(copy.deepcopy(exchange.get("ccxt_config", {})), {})
    client = _merge(copy.deepcopy(exchange.get("ccxt_sync_config", {})), client)
    if not production and not client.get("urls"):
        assert loaded.facts.sandbox, exchange
