"""Differential test against NautilusTrader itself (DESIGN §10): for generated node configs, our
decoder accepts a config exactly when NautilusTrader does (`TradingNodeConfig.parse`, then what
building the node does with it: each execution client's `ImportableConfig.create()`, the
factory's environment resolution, the risk engine's instrument ids), and our reading (each
client's environment, account type, inline credentials; the risk engine's caps) equals what
its parsed config objects say.

Runs only where nautilus_trader is installed (never a dependency of ours): `.ci/run` installs
it into a venv of its own (Python 3.12: current releases need it) and runs this file there.
The generator stays inside what the audit reads; where the audit is deliberately stricter it
generates nothing (docs/nautilus.md lists each divergence): an order rate not written
`limit/HH:MM:SS`, a trader id without a hyphen (NautilusTrader aborts the process on it).
"""

from __future__ import annotations

import inspect
import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():  # older releases warn on import under newer pandas
    warnings.simplefilter("ignore", DeprecationWarning)
    nautilus_trader = pytest.importorskip("nautilus_trader")
    from nautilus_trader.common.config import ImportableConfig
    from nautilus_trader.live.config import TradingNodeConfig
    from nautilus_trader.model.identifiers import InstrumentId

from peak_trade.core.venues import OrdersReach  # noqa: E402
from peak_trade.dialects.nautilus import config as ours  # noqa: E402
from peak_trade.dialects.nautilus.adapters import ADAPTERS, CURRENT_SPELLING  # noqa: E402
from peak_trade.errors import ConfigError  # noqa: E402

MINOR = int(nautilus_trader.__version__.split(".")[1])
LEGACY = MINOR < CURRENT_SPELLING
ROWS = {a.key: a for a in ADAPTERS}
#: adapters whose config module imports here (Polymarket's needs py-clob-client-v2, not
#: installed by the cross-check extra)
TRIED = ("binance", "bybit", "okx", "kraken", "bitmex", "deribit", "dydx", "hyperliquid")
if MINOR >= 226:
    TRIED += ("architect_ax",)


def _rarely(draw: st.DrawFn, n: int) -> bool:
    """True about once in `n` draws (hypothesis favours the ends of an integer range)."""
    return draw(st.sampled_from(range(n))) == n - 1


def _spellings(key: str) -> list[str]:
    """Environment values a config may hold: every member of any release, in the spellings
    msgspec's hook takes for a Rust enum, and a few no release knows."""
    row = ROWS[key]
    names = [e.name for e in row.environments]
    if row.pyo3_enum:
        names += [n.lower() for n in names] + [n.capitalize() for n in names]
    return names


def _client(draw: st.DrawFn, key: str) -> dict[str, Any]:
    row = ROWS[key]
    config: dict[str, Any] = {}
    if draw(st.booleans()):
        wrong = st.sampled_from(["MAINNET", "LIVE", "PAPER", "live "])  # some no release knows
        config["environment"] = draw(
            st.one_of(st.sampled_from([None, *_spellings(key)]), wrong)
            if _rarely(draw, 5)
            else st.sampled_from([None, *_spellings(key)])
        )
    for flag, _ in row.legacy:
        if _rarely(draw, 4):
            config[flag] = draw(st.sampled_from([True, True, False, "true"]))
    if key == "binance" and draw(st.booleans()):
        config["account_type"] = draw(
            st.sampled_from(["SPOT", "MARGIN", "USDT_FUTURES", "COIN_FUTURES", "FUTURES"])
        )
    if key in ("bybit", "kraken", "deribit") and draw(st.booleans()):
        choices = {
            "bybit": ["SPOT", "LINEAR", "INVERSE", "OPTION", "linear"],
            "kraken": ["SPOT", "FUTURES"],
            "deribit": ["FUTURE", "OPTION", "SPOT"],
        }[key]
        config["product_types"] = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=2))
    if key == "okx" and draw(st.booleans()):
        config["instrument_types"] = draw(
            st.lists(st.sampled_from(["SPOT", "SWAP", "MARGIN"]), min_size=1, max_size=2)
        )
        config["use_spot_margin"] = draw(st.booleans())
    for field in row.signing:
        if _rarely(draw, 4):
            config[field] = draw(st.sampled_from(["", "pasted-value-1"]))
    if _rarely(draw, 10):  # a field of another release, or of none
        odd = draw(st.sampled_from(["testnet", "is_demo", "typo_field", "transport_backend"]))
        config[odd] = None if odd == "transport_backend" else False
    if row.order_urls and _rarely(draw, 6):
        config[row.order_urls[0]] = "https://api.example.invalid"
    return {
        "path": f"{row.module}.config:{row.config_class}",
        "factory": {"path": f"{row.module}.factories:{row.factory_class}"},
        "config": config,
    }


def _sandbox(draw: st.DrawFn) -> dict[str, Any]:
    config: dict[str, Any] = {"venue": "SIM", "starting_balances": ["1000 USDT"]}
    if draw(st.booleans()):
        config["account_type"] = draw(st.sampled_from(["CASH", "MARGIN"]))
    if _rarely(draw, 6):
        del config["starting_balances"]
    return {
        "path": "nautilus_trader.adapters.sandbox.config:SandboxExecutionClientConfig",
        "factory": {
            "path": "nautilus_trader.adapters.sandbox.factory:SandboxLiveExecClientFactory"
        },
        "config": config,
    }


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


#: Interactive Brokers' config imports `ibapi` (the `ib` extra)
IB = _importable("ibapi")


def _ib(draw: st.DrawFn) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if draw(st.booleans()):
        config["ibg_port"] = draw(st.sampled_from([None, 4001, 4002, 7496, 7497, "4002"]))
    if draw(st.booleans()):
        config["account_id"] = draw(st.sampled_from(["DU1234567", "U7654321", None]))
    if draw(st.booleans()):
        docker: dict[str, Any] = {}
        if draw(st.booleans()):
            docker["trading_mode"] = draw(st.sampled_from(["paper", "live", "LIVE"]))
        if draw(st.booleans()):
            docker["read_only_api"] = draw(st.booleans())
        config["dockerized_gateway"] = docker
    return {
        "path": "nautilus_trader.adapters.interactive_brokers.config:"
        "InteractiveBrokersExecClientConfig",
        "config": config,
    }


instruments = st.sampled_from(
    ["BTCUSDT.BINANCE", "ETHUSDT-LINEAR.BYBIT", "BTC-USDT.OKX", "PF_XBTUSD.KRAKEN", "SIM-1.SIM",
     "BTCUSDT"]
)  # fmt: skip
notionals = st.one_of(
    st.integers(-5, 10**6), st.just(0), st.sampled_from([2.5, "500", True]).filter(lambda _: True)
)
rates = st.sampled_from(["100/00:00:01", "20/00:00:01", "5/00:01:00", "0/00:00:01"])


@st.composite
def nodes(draw: st.DrawFn) -> dict[str, Any]:
    node: dict[str, Any] = {"trader_id": draw(st.sampled_from(["TRADER-001", "A-B-C", "X--1"]))}
    if draw(st.booleans()):
        node["environment"] = draw(
            st.sampled_from(["live", "sandbox", "live", "LIVE", "backtest", "sandbox"])
        )
    risk: dict[str, Any] = {}
    if draw(st.booleans()):
        risk["bypass"] = draw(st.sampled_from([True, False, False, True, "false", 0]))
    if draw(st.booleans()):
        risk["max_order_submit_rate"] = draw(rates)
    if draw(st.booleans()):
        risk["max_order_modify_rate"] = draw(rates)
    if draw(st.booleans()):
        risk["max_notional_per_order"] = draw(st.dictionaries(instruments, notionals, max_size=3))
    if _rarely(draw, 10):
        risk["max_order_rate"] = "10/00:00:01"  # a typo
    if risk or draw(st.booleans()):
        node["risk_engine"] = risk
    clients: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(["A", "B-1", "C"]), unique=True, max_size=3)):
        kind = draw(st.sampled_from([*TRIED, "sandbox", *(["ib"] if IB else [])]))
        if kind == "sandbox":
            clients[name] = _sandbox(draw)
        elif kind == "ib":
            clients[name] = _ib(draw)
        else:
            clients[name] = _client(draw, kind)
    node["exec_clients"] = clients
    if _rarely(draw, 20):
        node["dry_run"] = False  # no node config holds this
    return node


# --------------------------------------------------------------------------- NautilusTrader's view


def _member(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "name", value)).rsplit(".", 1)[-1].upper()


def _resolved_environment(key: str, obj: Any) -> str | None:
    """The environment the adapter's factory resolves, by the factory's own code where it is a
    function (Binance, Bybit, Hyperliquid), else its inline `config.environment or ...`."""
    import importlib

    module = importlib.import_module(f"nautilus_trader.adapters.{key}.factories")
    if key == "bybit":
        module = importlib.import_module("nautilus_trader.adapters.bybit.config")
    resolve = getattr(module, "_resolve_environment", None)
    if resolve is not None:
        parameters = list(inspect.signature(resolve).parameters)
        args = [getattr(obj, p if p != "environment" else "environment", None) for p in parameters]
        return _member(resolve(*args))
    env = getattr(obj, "environment", None)
    if env is not None:
        return _member(env)
    for flag, selected in ROWS[key].legacy:
        if getattr(obj, flag, False) is True:
            return selected
    return ROWS[key].default_environment


def _account(key: str, obj: Any) -> str:
    """The account type each execution client registers, by its `execution.py` rule applied
    to NautilusTrader's own decoded config."""
    if key == "binance":
        return "cash" if obj.account_type.is_spot else "margin"
    if key == "bybit":
        types = obj.product_types
        return "cash" if types and {_member(t) for t in types} == {"SPOT"} else "margin"
    if key == "okx":
        spot = [_member(t) for t in obj.instrument_types] == ["SPOT"]
        return "cash" if spot and not obj.use_spot_margin else "margin"
    if key == "kraken":
        types = {_member(t) for t in (obj.product_types or ())} or {"SPOT"}
        if types != {"SPOT"}:
            return "margin"
        spot_account = getattr(obj, "spot_account_type", "CASH")  # a field since 1.227
        return "cash" if _member(spot_account) == "CASH" else "margin"
    return "margin"


def _ib_reach(obj: Any) -> str:
    """Where an IB client's orders go, by what its decoded config states; a dockerized gateway
    with a port or another host is refused by the factory (`get_cached_ib_client`)."""
    docker = obj.dockerized_gateway
    if docker is None:
        return "unknown"  # the gateway's login decides
    if obj.ibg_port is not None or obj.ibg_host != "127.0.0.1":
        raise ValueError("the factory refuses a port with a dockerized gateway")
    if docker.read_only_api:
        return "none"
    return "real" if docker.trading_mode == "live" else "test"


def _key_of(path: str) -> str:
    module = path.split(":")[0]
    return module.split(".")[2]


def nautilus_view(raw: str) -> dict[str, Any] | str:
    with warnings.catch_warnings():  # a legacy flag warns (DeprecationWarning): not an error
        warnings.simplefilter("ignore")
        return _nautilus_view(raw)


def _nautilus_view(raw: str) -> dict[str, Any] | str:
    try:
        cfg = TradingNodeConfig.parse(raw)
        for instrument in cfg.risk_engine.max_notional_per_order:
            InstrumentId.from_str(instrument)
        for rate in (cfg.risk_engine.max_order_submit_rate, cfg.risk_engine.max_order_modify_rate):
            int(rate.split("/")[0])
        clients = {}
        for name, client in cfg.exec_clients.items():
            assert isinstance(client, ImportableConfig)
            obj = client.create()
            key = _key_of(client.path)
            if key == "sandbox":
                clients[name] = {"environment": None, "account": obj.account_type.lower()}
                continue
            if key == "interactive_brokers":
                clients[name] = {"reach": _ib_reach(obj)}
                continue
            clients[name] = {
                "environment": _resolved_environment(key, obj),
                "account": _account(key, obj),
                "inline": sorted(f for f in ROWS[key].signing if getattr(obj, f, None)),
            }
    except Exception:  # noqa: BLE001 - any failure: the node does not start
        return "error"
    risk = cfg.risk_engine
    return {
        "bypass": risk.bypass,
        "rates": [risk.max_order_submit_rate, risk.max_order_modify_rate],
        "notional": dict(risk.max_notional_per_order),
        "clients": clients,
    }


def our_view(raw: str) -> dict[str, Any] | str:
    """Our reading, or "error"; or "another release" when the config is written for releases
    that exclude the one installed (it then must not decode here: the other side of the
    version rule)."""
    try:
        loaded = ours.decode_json(json.loads(raw), path="node.json")
    except ConfigError:
        return "error"
    facts = ours.facts_of(loaded)
    assert facts.version is not None
    first, _, last = facts.version.partition("-")
    since, until = int(first.split(".")[1]), int((last or first).split(".")[1])
    if not since <= MINOR <= until:
        return "another release"
    caps = {c.key: c for c in loaded.caps}
    clients = {}
    for client, venue in zip(facts.clients, loaded.venues, strict=True):
        if venue.orders_reach is OrdersReach.SIMULATED:
            clients[client.name] = {"environment": None, "account": client.account}
            continue
        if client.adapter == "Interactive Brokers":
            clients[client.name] = {"reach": venue.orders_reach.value}
            continue
        inline = sorted(c.key.rsplit(".", 1)[1] for c in venue.credentials if c.kind == "inline")
        clients[client.name] = {
            "environment": client.environment,
            "account": client.account,
            "inline": inline,
        }
    notional = {
        key.split('"')[1]: cap.value for key, cap in caps.items() if cap.kind.value == "per_order"
    }
    data = json.loads(raw)
    written = data.get("risk_engine", {})
    return {
        "bypass": facts.bypass,
        "rates": [
            written.get("max_order_submit_rate", ours.DEFAULT_RATE),
            written.get("max_order_modify_rate", ours.DEFAULT_RATE),
        ],
        "notional": notional,
        "clients": clients,
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(node=nodes())
def test_we_accept_exactly_what_nautilus_accepts_and_read_it_alike(node: dict[str, Any]) -> None:
    raw = json.dumps(node)
    mine, theirs = our_view(raw), nautilus_view(raw)
    if mine == "another release":
        assert theirs == "error", raw  # written for other releases: this one refuses it
    else:
        assert mine == theirs, raw


@pytest.mark.parametrize("key", [k for k in TRIED if ROWS[k].default_environment])
def test_the_default_environment_is_the_factorys(key: str) -> None:
    """With `environment` absent (and no legacy flag), the factory's own resolution names the
    environment our row reports: production for every adapter but Architect AX."""
    import importlib

    cls = getattr(
        importlib.import_module(f"nautilus_trader.adapters.{key}.config"), ROWS[key].config_class
    )
    obj = cls() if key != "betfair" else cls(account_currency="GBP")
    assert _resolved_environment(key, obj) == ROWS[key].default_environment


@pytest.mark.parametrize("account_type", ["SPOT", "MARGIN", "USDT_FUTURES", "COIN_FUTURES"])
@pytest.mark.parametrize("environment", ["LIVE", "TESTNET", "DEMO"])
def test_binance_reads_the_variables_we_name(
    account_type: str, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Binance's own credential lookup reads the variable our row names (each candidate set to
    its own name, so the value returned says which one was read)."""
    from nautilus_trader.adapters.binance.common import credentials
    from nautilus_trader.adapters.binance.common.enums import (
        BinanceAccountType,
        BinanceEnvironment,
    )

    row = ROWS["binance"]
    expected = dict(row.credentials(environment, {"account_type": account_type}))
    for variable in expected.values():
        monkeypatch.setenv(variable, variable)
    for other in ("BINANCE_API_KEY", "BINANCE_TESTNET_API_KEY", "BINANCE_DEMO_API_KEY"):
        if other not in expected.values():
            monkeypatch.delenv(other, raising=False)
    args = (BinanceAccountType[account_type], BinanceEnvironment[environment])
    assert credentials.get_api_key(*args) == expected["api_key"]
    assert credentials.get_api_secret(*args) == expected["api_secret"]
