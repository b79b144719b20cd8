"""The NautilusTrader dialect's rules (DESIGN §10), one test or a few per rule: detection, the
strict decoding of both files, where each execution client's orders reach, the version a config
is written for, credentials, the risk engine's caps and their enforcement, secrets, the policy."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peak_trade.core.kinds import CapKind, Unit
from peak_trade.core.venues import OrdersReach
from peak_trade.dialects import DIALECTS, detect, named
from peak_trade.dialects.nautilus import config as nt
from peak_trade.dialects.nautilus.adapters import ADAPTERS
from peak_trade.dialects.nautilus.assessment import assess
from peak_trade.errors import ConfigError
from peak_trade.live.diff import Risk, diff_snapshots
from peak_trade.live.rules import Expectation
from peak_trade.live.snapshot import LiveAuditSnapshot, LiveAuditVersions, snapshot_of
from tests.secret_strategies import assert_no_leak, secrets_text

ASSETS = Path(__file__).resolve().parent.parent / "assets"
NAUTILUS = ASSETS / "nautilus"
NO_ENV: frozenset[str] = frozenset()


def client(key: str, **config: Any) -> dict[str, Any]:
    row = next(a for a in ADAPTERS if a.key == key)
    return {
        "path": f"{row.module}.config:{row.config_class}",
        "factory": {"path": f"{row.module}.factories:{row.factory_class}"},
        "config": config,
    }


SANDBOX = {
    "path": "nautilus_trader.adapters.sandbox.config:SandboxExecutionClientConfig",
    "config": {"venue": "BINANCE", "starting_balances": ["1000 USDT"]},
}
IB_PATH = "nautilus_trader.adapters.interactive_brokers.config:InteractiveBrokersExecClientConfig"


def node(*, risk: dict[str, Any] | None = None, **clients: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"trader_id": "TEST-001", "exec_clients": clients}
    if risk is not None:
        data["risk_engine"] = risk
    return data


def decode(data: dict[str, Any], env: frozenset[str] = NO_ENV) -> Any:
    return nt.decode_json(data, path="node.json", present_env=env)


def only_venue(data: dict[str, Any], env: frozenset[str] = NO_ENV) -> Any:
    (venue,) = decode(data, env).venues
    return venue


def error(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        decode(data)
    return str(caught.value)


def snapshot(data: dict[str, Any], env: frozenset[str] = NO_ENV) -> LiveAuditSnapshot:
    versions = LiveAuditVersions(peak_trade="0", python="3", git_commit=None)
    return snapshot_of(
        assess(decode(data, env)), timestamp_utc="2026-12-01T00:00:00+00:00", versions=versions
    )


def violations(data: dict[str, Any], env: frozenset[str] = NO_ENV, **kw: Any) -> list[str]:
    snap = snapshot(data, env)
    dialect = named("nautilus")
    expect = kw.get("expect", Expectation.BLOCKED)
    return [v.code for v in dialect.policy().check(snap, expect, dialect.policy_words(snap))]


# --------------------------------------------------------------------------- detection


def _all_assets() -> list[Path]:
    return sorted(p for p in ASSETS.rglob("*") if p.suffix in (".json", ".toml"))


@pytest.mark.parametrize("path", _all_assets(), ids=lambda p: str(p.relative_to(ASSETS)))
def test_no_file_is_claimed_by_two_dialects(path: Path) -> None:
    """The claims are disjoint (Peak_Trade's TOML claim steps aside for a LiveNodeConfig by
    NautilusTrader's own rule): detection never depends on the order of DIALECTS."""
    raw = path.read_bytes()
    claimers = [d.name for d in DIALECTS if d.claims(str(path), raw)]
    assert len(claimers) <= 1, claimers
    if path.parent == NAUTILUS:
        assert claimers == ["nautilus"]


def test_freqtrade_and_peak_trade_files_are_not_nautilus() -> None:
    nautilus = named("nautilus")
    for path in (*(ASSETS / "freqtrade").iterdir(), ASSETS / "golden_config.toml"):
        assert not nautilus.claims(str(path), path.read_bytes()), path
    # a node-looking JSON that holds freqtrade's keys is freqtrade's
    raw = json.dumps({"trader_id": "A-1", "dry_run": True, "exchange": {}}).encode()
    assert detect("x.json", raw).name == "freqtrade"
    # a Peak_Trade config with a [risk_engine] table of its own stays Peak_Trade's
    raw = b'[environment]\nmode = "paper"\n[live_risk]\nenabled = true\n[risk_engine]\nx = 1\n'
    assert detect("config.toml", raw).name == "peak_trade"
    # a LiveNodeConfig with no section at all: a string environment says it
    assert detect("node.toml", b'environment = "Live"\n').name == "nautilus"


# --------------------------------------------------------------------------- strict decoding


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"trader_id": "A-1", "dry_runn": False}, "dry_runn"),
        ({"risk_engine": {"max_order_rate": "1/00:00:01"}}, "risk_engine.max_order_rate"),
        ({"risk_engine": {"bypass": "false"}}, "risk_engine.bypass"),
        ({"risk_engine": {"max_notional_per_order": {"BTCUSDT.BINANCE": 2.5}}}, "BTCUSDT"),
        ({"risk_engine": {"max_notional_per_order": {"BTCUSDT": 5}}}, "BTCUSDT"),
        ({"risk_engine": {"max_order_submit_rate": "100/1s"}}, "max_order_submit_rate"),
        ({"environment": "LIVE"}, "environment"),
        ({"trader_id": "TRADER"}, "trader_id"),
        (node(A=client("binance", testnett=True)), "exec_clients.A.config.testnett"),
        (node(A=client("binance", account_type="FUTURES")), "account_type"),
        (node(A=client("bybit", environment="LIVE")), "exec_clients.A.config.environment"),
        (node(A={"path": "nautilus_trader.adapters.binance.config:Binance"}), "exec_clients.A"),
        (node(A={"path": "no_colon_here"}), "exec_clients.A.path"),
        (node(A={"routing": {}, "api_key": "x"}), "exec_clients.A.api_key"),
    ],
)
def test_what_nautilus_refuses_is_an_error_naming_the_key(data: dict[str, Any], key: str) -> None:
    assert key in error(data)


def test_sections_the_audit_does_not_read_pass_unread() -> None:
    data = node(A=SANDBOX)
    data["logging"] = {"log_level": "INFO"}
    data["cache"] = {"database": {"type": "redis", "password": "hunter2-secret"}}
    loaded = decode(data)
    assert loaded.redacted["cache"]["database"]["password"] != "hunter2-secret"


def test_rust_toml_is_read_as_the_rust_node_reads_it() -> None:
    loaded = nt.load(str(NAUTILUS / "live-node.toml"), {})
    (cap,) = [c for c in loaded.caps if c.kind is CapKind.PER_ORDER]
    # the Rust engine has no margin exception: enforced whatever the account
    assert cap.enforced is True and cap.value == 1500.0 and cap.unit is Unit.MONEY
    (venue,) = loaded.venues
    assert venue.orders_reach is OrdersReach.UNKNOWN and "in code" in venue.orders_reach_reason
    for text, key in [
        ('environment = "Backtest"\n', "environment"),
        ("[risk_engine]\nqsize = 5\n", "qsize"),
        ('[risk_engine]\nmax_notional_per_order = { "A.B" = 5 }\n', "A.B"),
        ("[exec_clients.X]\napi_key = 'k'\n", "exec_clients.X.api_key"),
    ]:
        import tomllib

        with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
            nt.decode_toml(tomllib.loads(text), path="n.toml")


def test_a_toml_without_clients_still_proves_nothing() -> None:
    loaded = nt.decode_toml({"environment": "Live"}, path="n.toml")
    (venue,) = loaded.venues
    assert (
        venue.orders_reach is OrdersReach.UNKNOWN and "proves nothing" in venue.orders_reach_reason
    )
    assert assess(loaded).real_orders_possible  # fail closed


# --------------------------------------------------------------------------- orders_reach


@pytest.mark.parametrize("row", [a for a in ADAPTERS if a.environments], ids=lambda a: a.key)
def test_an_absent_environment_is_production_except_architect_ax(row: Any) -> None:
    venue = only_venue(
        node(A=client(row.key, **({"account_currency": "GBP"} if row.required else {})))
    )
    expected = OrdersReach.TEST if row.key == "architect_ax" else OrdersReach.REAL
    assert venue.orders_reach is expected, venue.orders_reach_reason
    assert "not set: the adapter's default" in venue.orders_reach_reason


@pytest.mark.parametrize("row", [a for a in ADAPTERS if a.environments], ids=lambda a: a.key)
def test_each_named_environment_reaches_what_it_names(row: Any) -> None:
    for env in row.environments:
        try:
            venue = only_venue(node(A=client(row.key, environment=env.name)))
        except ConfigError as exc:  # a value of a release where JSON cannot spell it
            assert "no NautilusTrader release" in str(exc) and env.span.until < 231
            continue
        expected = OrdersReach.REAL if env.reach == "real" else OrdersReach.TEST
        assert venue.orders_reach is expected


def test_adapters_without_a_test_environment_reach_production() -> None:
    venue = only_venue(node(A=client("betfair", account_currency="GBP")))
    assert venue.orders_reach is OrdersReach.REAL


def test_sandbox_is_simulated_and_the_node_paper() -> None:
    loaded = decode(node(A=SANDBOX))
    assert loaded.venues[0].orders_reach is OrdersReach.SIMULATED
    result = assess(loaded)
    assert not result.verdict.allowed and result.verdict.codes[0].value == "mode_not_live"
    assert result.verdict.effective_mode.value == "paper" and not result.real_orders_possible


def test_a_url_override_proves_nothing() -> None:
    venue = only_venue(node(A=client("bybit", base_url_http="https://api-testnet.bybit.com")))
    assert venue.orders_reach is OrdersReach.UNKNOWN
    assert venue.endpoints == ("https://api-testnet.bybit.com",)


def test_clients_the_file_cannot_place_are_unknown() -> None:
    assert only_venue(node(A={"routing": {"default": True}})).orders_reach is OrdersReach.UNKNOWN
    own = node(A={"path": "my_firm.adapters:FirmExecClientConfig", "config": {"x": 1}})
    assert only_venue(own).orders_reach is OrdersReach.UNKNOWN


@pytest.mark.parametrize(
    ("config", "hint"),
    [
        ({"ibg_port": 4002, "account_id": "DU1234567"}, "paper port by convention"),
        ({"ibg_port": 7497}, "paper port by convention"),
        ({"ibg_port": 4001}, "live port by convention"),
        ({"account_id": "DU99"}, "starts with DU"),
    ],
)
def test_interactive_brokers_paper_is_never_proven_by_port_or_account(
    config: dict[str, Any], hint: str
) -> None:
    venue = only_venue(node(IB={"path": IB_PATH, "config": config}))
    assert venue.orders_reach is OrdersReach.UNKNOWN
    assert hint in venue.orders_reach_reason and "heuristics only" in venue.orders_reach_reason


@pytest.mark.parametrize(
    ("docker", "reach"),
    [
        ({}, OrdersReach.NONE),  # read_only_api defaults to true
        ({"trading_mode": "live", "read_only_api": False}, OrdersReach.REAL),
        ({"trading_mode": "paper", "read_only_api": False}, OrdersReach.TEST),
        ({"trading_mode": "live"}, OrdersReach.NONE),
    ],
)
def test_a_dockerized_gateway_is_evidence(docker: dict[str, Any], reach: OrdersReach) -> None:
    venue = only_venue(node(IB={"path": IB_PATH, "config": {"dockerized_gateway": docker}}))
    assert venue.orders_reach is reach


def test_a_dockerized_gateway_with_a_port_does_not_start() -> None:
    data = node(IB={"path": IB_PATH, "config": {"ibg_port": 4002, "dockerized_gateway": {}}})
    assert "ibg_port" in error(data)


# --------------------------------------------------------------------------- versions


def test_the_release_a_config_is_written_for() -> None:
    def version(data: dict[str, Any]) -> str | None:
        return nt.facts_of(decode(data)).version

    assert version(node(A=SANDBOX)) == "1.223-1.231"  # nothing release-specific
    assert version(node(A=client("bybit", testnet=True))) == "1.223-1.226"
    assert version(node(A=client("bybit", environment="TESTNET"))) == "1.231"
    assert version(node(A=client("kraken", spot_account_type=2))) == "1.227-1.231"
    assert version(node(A=client("binance", environment="DEMO"))) == "1.225-1.231"


@pytest.mark.parametrize(
    "data",
    [
        node(A=client("bybit", testnet=True), B=client("kraken", spot_account_type=1)),
        node(A=client("bybit", demo=True, environment="MAINNET")),
        node(A=client("kraken", environment="MAINNET")),  # MAINNET <= 1.226; hook >= 1.231
    ],
)
def test_a_config_no_release_decodes_is_an_error(data: dict[str, Any]) -> None:
    assert "no NautilusTrader release accepts this config" in error(data)


def test_legacy_flags_select_the_test_environment() -> None:
    for key, flag in [("binance", "testnet"), ("bybit", "demo"), ("okx", "is_demo")]:
        venue = only_venue(node(A=client(key, **{flag: True})))
        assert (
            venue.orders_reach is OrdersReach.TEST and "before 1.227" in venue.orders_reach_reason
        )
    assert only_venue(node(A=client("bitmex", testnet=False))).orders_reach is OrdersReach.REAL


def test_binance_refuses_an_environment_beside_its_testnet_flag() -> None:
    assert "Cannot set both" in error(node(A=client("binance", environment="LIVE", testnet=True)))


# --------------------------------------------------------------------------- credentials


def test_credentials_come_from_the_variables_each_environment_reads() -> None:
    data = node(A=client("binance", account_type="USDT_FUTURES", environment="TESTNET"))
    venue = only_venue(data)
    assert [c.key for c in venue.credentials] == [
        "BINANCE_FUTURES_TESTNET_API_KEY",
        "BINANCE_FUTURES_TESTNET_API_SECRET",
    ]
    assert all(c.kind == "env_var" and not c.present for c in venue.credentials)


def test_a_live_client_without_credentials_is_blocked_and_names_the_variables() -> None:
    data = node(A=client("okx"))
    result = assess(decode(data))
    assert [b.code.value for b in result.verdict.blockers] == ["credentials_missing"]
    assert "OKX_API_PASSPHRASE" in result.report.remedies[0]
    assert result.config_armed and not result.real_orders_possible
    env = frozenset({"OKX_API_KEY", "OKX_API_SECRET", "OKX_API_PASSPHRASE"})
    opened = assess(decode(data, env))
    assert opened.verdict.allowed and opened.real_orders_possible
    assert "production_exec_client" in violations(node(A=client("okx")))


def test_a_testnet_client_with_credentials_places_no_real_order() -> None:
    data = node(A=client("bybit", environment="TESTNET"))
    result = assess(decode(data, frozenset({"BYBIT_TESTNET_API_KEY", "BYBIT_TESTNET_API_SECRET"})))
    assert not result.real_orders_possible and result.verdict.effective_mode.value == "testnet"


def test_inline_credentials_are_a_finding() -> None:
    data = node(A=client("binance", api_key="k-1", api_secret="s-1"))
    assert "inline_credential" in violations(data)
    data = node(A=SANDBOX)
    data["data_clients"] = {
        "DATABENTO": {"path": "nautilus_trader.adapters.databento:X", "config": {"api_key": "k"}}
    }
    snap = snapshot(data)
    dialect = named("nautilus")
    found = dialect.policy().check(snap, Expectation.BLOCKED, dialect.policy_words(snap))
    assert [v.keys for v in found] == [("data_clients.DATABENTO.config.api_key",)]


# --------------------------------------------------------------------------- caps


def caps_of(data: dict[str, Any]) -> dict[str, Any]:
    return {c.key: c for c in decode(data).caps}


def test_order_rates_are_orders_per_second_with_the_default_applied() -> None:
    caps = caps_of(node(risk={"max_order_submit_rate": "120/00:01:00"}, A=SANDBOX))
    submit = caps["risk_engine.max_order_submit_rate"]
    assert submit.kind is CapKind.ORDER_RATE and submit.unit is Unit.COUNT
    assert submit.value == 2.0 and submit.source == "node.json" and submit.enforced is True
    modify = caps["risk_engine.max_order_modify_rate"]
    assert modify.value == 100.0 and modify.source == nt.DEFAULT_SOURCE


@pytest.mark.parametrize(
    ("clients", "value", "enforced", "why"),
    [
        ({"A": client("binance", account_type="SPOT")}, 500, True, "quote currency"),
        ({"A": client("binance", account_type="USDT_FUTURES")}, 500, False, "margin account"),
        ({"A": client("binance", account_type="MARGIN")}, 500, False, "margin account"),
        ({"A": client("binance")}, 0, False, "turns the check off"),
        ({"A": client("bybit")}, 500, False, "no execution client for venue BINANCE"),
        ({"A": {**SANDBOX, "config": {**SANDBOX["config"], "account_type": "CASH"}}}, 9, True, ""),
        ({"A": SANDBOX}, 9, False, "margin account"),  # the sandbox's default account is MARGIN
    ],
)
def test_the_python_engine_skips_the_notional_check_on_margin_accounts(
    clients: dict[str, Any], value: int, enforced: bool, why: str
) -> None:
    risk = {"max_notional_per_order": {"BTCUSDT.BINANCE": value}}
    cap = caps_of(node(risk=risk, **clients))[
        'risk_engine.max_notional_per_order."BTCUSDT.BINANCE"'
    ]
    assert cap.kind is CapKind.PER_ORDER and cap.unit is Unit.MONEY
    assert cap.enforced is enforced and why in (cap.enforcement or "")


def test_a_bypassed_risk_engine_enforces_nothing_and_is_a_finding_whatever_is_expected() -> None:
    data = node(
        risk={"bypass": True, "max_notional_per_order": {"BTCUSDT.BINANCE": 5}},
        A=client("binance"),
    )
    loaded = decode(data)
    assert not loaded.limits_enabled and all(c.enforced is False for c in loaded.caps)
    for expect in Expectation:
        assert "risk_checks_bypassed" in violations(data, expect=expect)
    snap = snapshot(data)
    assert snap.gating.risk_checks_bypassed is True
    checked = snapshot(node(risk={"bypass": False}, A=client("binance")))
    changes = diff_snapshots(checked, snap).changes
    bypass = next(c for c in changes if c.key == "risk_checks_bypassed")
    assert bypass.risk is Risk.LESS_SAFE


def test_an_unenforced_notional_cap_is_a_finding_while_the_node_can_trade_live() -> None:
    risk = {"max_notional_per_order": {"BTCUSDT.BINANCE": 500}}
    data = node(risk=risk, A=client("binance", account_type="USDT_FUTURES"))
    assert "notional_cap_not_enforced" in violations(data)
    cash = node(risk=risk, A=client("binance", account_type="SPOT", environment="TESTNET"))
    assert "notional_cap_not_enforced" not in violations(cash)


def test_a_client_switched_to_production_is_less_safe_in_diff() -> None:
    test = snapshot(node(A=client("bybit", environment="TESTNET")))
    real = snapshot(node(A=client("bybit")))
    worse = {c.key for c in diff_snapshots(test, real).less_safe}
    assert "exec_clients.A" in worse and "config_armed" in worse


# --------------------------------------------------------------------------- secrets


@settings(max_examples=25)
@given(key=secrets_text, secret=secrets_text, pk=secrets_text, user=secrets_text)
def test_no_credential_reaches_a_snapshot(key: str, secret: str, pk: str, user: str) -> None:
    from peak_trade.formats import render

    data = node(
        A=client("okx", api_key=key, api_secret=secret, api_passphrase=secret),
        B=client("hyperliquid", private_key=pk, vault_address=user),
        C=client("betfair", account_currency="GBP", username=user, password=secret, app_key=key),
        D={"path": IB_PATH, "config": {"account_id": user}},
    )
    data["message_bus"] = {"database": {"username": user, "password": secret}}
    snap = snapshot(copy.deepcopy(data))
    for fmt in ("json", "markdown"):
        assert_no_leak(render(snap, fmt), [key, secret, pk, user], fmt)


def test_interactive_brokers_needs_an_account_and_identifiers_are_no_credentials() -> None:
    bare = node(IB={"path": IB_PATH, "config": {"ibg_port": 4001}})
    assert [b.code.value for b in assess(decode(bare)).verdict.blockers] == ["credentials_missing"]
    assert assess(decode(bare, frozenset({"TWS_ACCOUNT"}))).verdict.allowed
    named_account = node(IB={"path": IB_PATH, "config": {"account_id": "U123"}})
    assert only_venue(named_account).credentials == ()  # an account id is no secret
    assert "inline_credential" not in violations(named_account)
    betfair = node(A=client("betfair", account_currency="GBP", certs_dir="/etc/betfair"))
    assert "inline_credential" not in violations(betfair)
    assert decode(betfair).redacted["exec_clients"]["A"]["config"]["certs_dir"] != "/etc/betfair"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
_node_keys = st.sampled_from(sorted(nt.NODE_FIELDS))
_client_keys = st.sampled_from(
    ["path", "config", "factory", "routing", "environment", "testnet", "account_type", "api_key"]
)


@st.composite
def _hostile_nodes(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = draw(st.dictionaries(_node_keys, _json_values, max_size=4))
    if draw(st.booleans()):
        row = draw(st.sampled_from(ADAPTERS))
        config = draw(
            st.dictionaries(st.sampled_from([*row.fields, *row.bounded]), _json_values, max_size=4)
        )
        data["exec_clients"] = {"A": {**client(row.key), "config": config}}
    if draw(st.booleans()):
        data["risk_engine"] = draw(
            st.dictionaries(st.sampled_from(sorted(nt.RISK_FIELDS)), _json_values, max_size=3)
        )
    return data


@settings(max_examples=300)
@given(data=_hostile_nodes())
def test_any_json_is_decoded_or_refused_with_a_config_error(data: dict[str, Any]) -> None:
    """Fail closed: whatever a file holds, decoding either succeeds or names the problem."""
    try:
        loaded = decode(data)
    except ConfigError:
        return
    assess(loaded)  # and what decodes, assesses


def test_the_node_environment_moves_no_client() -> None:
    """`TradingNodeConfig.environment` picks clocks and engines (`NautilusKernel`), never a
    client's endpoint: a sandbox node with a Binance client still reaches Binance."""
    data = node(A=client("binance"))
    data["environment"] = "sandbox"
    venue = only_venue(data)
    assert venue.orders_reach is OrdersReach.REAL
    assert nt.facts_of(decode(data)).node_environment == "sandbox"


def _controls(data: dict[str, Any]) -> dict[str, str]:
    from peak_trade.live.evidence import Facts, judge_control

    loaded = decode(data)
    table = named("nautilus").control_evidence()
    facts = Facts(loaded, table.locate)
    return {c: judge_control(c, table, facts, "nautilus").status for c in table.judges}


def test_control_evidence_is_only_what_the_engine_applies_from_the_file() -> None:
    risk = {
        "max_order_submit_rate": "10/00:00:01",
        "max_notional_per_order": {"BTCUSDT.BINANCE": 5},
    }
    cash = _controls(node(risk=risk, A=client("binance", account_type="SPOT")))
    assert cash["max_order_value"] == "present" and cash["max_message_rate"] == "present"
    margin = _controls(node(risk=risk, A=client("binance", account_type="USDT_FUTURES")))
    assert margin["max_order_value"] == "absent"  # the Python engine skips it on margin
    defaults = _controls(node(A=client("binance")))
    assert defaults["max_message_rate"] == "absent"  # the engine's default is no evidence
    assert defaults["kill_functionality"] == "not_expressible"
    bypassed = _controls(node(risk={**risk, "bypass": True}, A=client("binance")))
    assert bypassed["max_order_value"] == bypassed["max_message_rate"] == "absent"
