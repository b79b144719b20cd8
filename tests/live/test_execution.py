from __future__ import annotations

import ast
from pathlib import Path

import pytest

import peak_trade
from peak_trade.core.environment import LiveRiskConfig as RiskConfig
from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.live.execution import REAL_ORDER_TRANSPORT, Order, Step, submit
from peak_trade.live.risk_limits import LiveRiskLimits
from peak_trade.live.safety import SafetyGuard
from tests.conftest import EXAMPLE_TOKEN, toml_config

LIMITS = LiveRiskLimits(
    RiskConfig(
        max_live_notional_per_order=1000.0, max_live_notional_total=5000.0, live_trade_min_size=10.0
    ),
    source="test",
)
SMALL = Order(symbol="BTC/EUR", side="buy", quantity=2.0, price=50.0)
LARGE = Order(symbol="BTC/EUR", side="buy", quantity=2.0, price=5000.0)


def guard(**gates: object) -> SafetyGuard:
    text = toml_config(**gates)  # type: ignore[arg-type]
    return SafetyGuard(
        decode_config(text.encode(), origin="t.toml", token_from_env=EXAMPLE_TOKEN).environment
    )


@pytest.mark.parametrize(
    ("gates", "executor"),
    [
        ({"mode": "paper"}, "paper"),
        ({"mode": "testnet"}, "testnet_dry_run"),
        ({"mode": "live", "dry_run": True}, "live_dry_run"),
        ({"mode": "live", "dry_run": True, "gate1": False, "gate2": False}, "live_dry_run"),
        # every gate open: still simulated, this build has no transport
        ({"mode": "live"}, "live_dry_run"),
    ],
)
def test_routes_to_the_simulated_executor_of_the_mode(
    gates: dict[str, object], executor: str
) -> None:
    report = submit(SMALL, guard(**gates), LIMITS)
    assert report.decided_by is Step.EXECUTOR
    assert report.accepted is True
    assert report.codes == (executor,)
    assert report.fill is not None and report.fill.simulated is True


def test_guard_decides_before_risk_limits() -> None:
    report = submit(LARGE, guard(gate2=False), LIMITS)  # live, dry-run off, gate 2 closed
    assert report.decided_by is Step.GUARD
    assert report.accepted is False
    assert report.codes == ("gate2_not_armed",)
    assert report.fill is None


def test_risk_limits_decide_before_the_executor() -> None:
    report = submit(LARGE, guard(dry_run=True), LIMITS, open_notional=0.0)
    assert report.decided_by is Step.RISK_LIMITS
    assert report.codes == ("per_order_notional_exceeded", "total_notional_exceeded")
    assert report.fill is None


def test_no_network_code_in_the_package() -> None:
    assert REAL_ORDER_TRANSPORT is False
    forbidden = {
        "socket",
        "http",
        "urllib",
        "requests",
        "httpx",
        "aiohttp",
        "ssl",
        "websocket",
        "websockets",
        "ccxt",
        "subprocess",
    }
    package = Path(peak_trade.__file__).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
