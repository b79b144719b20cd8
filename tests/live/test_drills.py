"""Drills A-G: they pass on sane configs, and they can fail when a gate is broken."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.environment import EnvironmentConfig
from peak_trade.core.environment import LiveRiskConfig as RiskConfig
from peak_trade.core.loaded import LoadedConfig
from peak_trade.dialects.peak_trade.config import (
    decode_config,
    embedded_default_config,
    load_config,
)
from peak_trade.live.drills import SCENARIO_IDS, SCENARIO_NAMES, SCENARIOS, run_drills
from peak_trade.live.safety import SafetyGuard
from peak_trade.readonly import ReadOnlyGuard
from tests.conftest import EXAMPLE_CONFIG, EXAMPLE_TOKEN, toml_config

SEED_NAMES = (
    "A - Voll gebremst (Default-Safety)",
    "B - Gate 1 ok, Gate 2 fehlt",
    "C - Alles armed, aber Dry-Run aktiv",
    "D - Confirm-Token fehlt",
    "E - Risk-Limits schlagen an (Design)",
    "F - Nicht-Live-Modus (Testnet)",
    "G - Paper-Modus",
)


def example() -> LoadedConfig:
    return load_config(str(EXAMPLE_CONFIG), environ={"PEAK_TRADE_CONFIRM_TOKEN": EXAMPLE_TOKEN})


def example_in_testnet() -> LoadedConfig:
    """The example's gates and caps in mode testnet, where Peak_Trade's session applies caps."""
    text = EXAMPLE_CONFIG.read_text().replace('mode = "live"', 'mode = "testnet"', 1)
    return decode_config(text.encode(), origin="config.toml", token_from_env=EXAMPLE_TOKEN)


def test_names_are_the_seeds() -> None:
    assert SCENARIO_NAMES == SEED_NAMES
    assert SCENARIO_IDS == tuple("ABCDEFG")


@pytest.mark.parametrize(
    "loaded", [example_in_testnet(), embedded_default_config()], ids=["testnet", "default"]
)
def test_every_drill_but_e_passes_on_shipped_configs(loaded: LoadedConfig) -> None:
    """E's second order lands on top of open exposure: Peak_Trade compares its total cap with
    the order alone (check_orders never adds open positions), so that order passes."""
    run = run_drills(loaded)
    assert run.executable
    assert [r.id for r in run.results] == list("ABCDEFG")
    failed = {r.id: r.observed for r in run.results if not r.passed}
    assert list(failed) == ["E"]
    per_order, total = failed["E"]
    assert per_order.codes == ("per_order_notional_exceeded",)  # the per-order cap binds
    assert total.decided_by.value == "executor"  # nothing caps the total
    assert (run.passed, run.failed) == (6, 1)


def test_drill_e_fails_in_live_mode_where_no_cap_is_checked() -> None:
    """The shipped example is in mode live: Peak_Trade's live path checks no cap, so the
    oversized order of drill E meets no limit (it stops only at the dry-run executor)."""
    run = run_drills(example())
    assert [r.id for r in run.results if not r.passed] == ["E"]
    (e,) = (r for r in run.results if r.id == "E")
    assert [o.decided_by.value for o in e.observed] == ["executor", "executor"]
    assert all(c.enforced is False for c in example().caps)


def test_drill_e_is_decided_by_the_enforced_limits() -> None:
    run = run_drills(example_in_testnet(), scenario_ids=["E"])
    (e,) = run.results
    assert [o.decided_by.value for o in e.observed] == ["risk_limits", "executor"]
    assert e.observed[0].codes == ("per_order_notional_exceeded",)
    # with an enforced total cap (a system that adds open exposure), the second order stops
    from peak_trade.core.caps import ConfiguredCap
    from peak_trade.core.kinds import CapKind, Unit

    loaded = example_in_testnet()
    total = ConfiguredCap(
        kind=CapKind.TOTAL, unit=Unit.MONEY, key="x.total", value=2500.0, enforced=True
    )
    with_total = msgspec.structs.replace(loaded, caps=(*loaded.caps, total))
    (e,) = run_drills(with_total, scenario_ids=["E"]).results
    assert e.passed and e.observed[1].codes == ("total_notional_exceeded",)


def test_c_and_e_exercise_the_live_dry_run_executor_with_gates_open() -> None:
    run = run_drills(example(), scenario_ids=["C"])
    assert run.results[0].observed[0].codes == ("live_dry_run",)
    assert run.results[0].observed[0].live_blockers == ("dry_run_active",)


def _guard_ignoring(**forced: object) -> type[SafetyGuard]:
    class Broken(SafetyGuard):
        def __init__(self, env: EnvironmentConfig) -> None:
            super().__init__(msgspec.structs.replace(env, **forced))

    return Broken


@pytest.mark.parametrize(
    ("forced", "fails"),
    [
        # E fails whatever the guard: Peak_Trade's total cap sees one order
        ({"live_mode_armed": True}, {"A", "B", "E"}),  # a guard that ignores Gate 2
        ({"enable_live_trading": True}, {"A", "E"}),  # ignores Gate 1
        ({"require_confirm_token": False}, {"A", "D", "E"}),  # ignores the token
        ({"live_dry_run_mode": False}, {"A", "C", "E"}),  # ignores dry-run
    ],
)
def test_a_broken_guard_makes_drills_fail(forced: dict[str, object], fails: set[str]) -> None:
    run = run_drills(example_in_testnet(), guard_factory=_guard_ignoring(**forced))
    assert {r.id for r in run.results if not r.passed} == fails


def test_disabled_limits_fail_drill_e() -> None:
    loaded = decode_config(toml_config(limits_enabled=False).encode(), origin="c.toml")
    run = run_drills(loaded)
    assert {r.id for r in run.results if not r.passed} == {"E"}


def test_invalid_config_means_not_executable() -> None:
    run = run_drills(None, unavailable_reason="c.toml: environment.mode: bad")
    assert (run.executable, run.results, run.reason) == (False, (), "c.toml: environment.mode: bad")


def test_drills_leave_the_loaded_config_unchanged_and_write_nothing() -> None:
    loaded = example()
    before = msgspec.json.encode(msgspec.structs.asdict(loaded.risk))
    env_before = repr(loaded.environment)
    with ReadOnlyGuard(outputs=()):  # any write, socket or subprocess would raise here
        run_drills(loaded)
    assert msgspec.json.encode(msgspec.structs.asdict(loaded.risk)) == before
    assert repr(loaded.environment) == env_before
    assert loaded.environment.confirm_token is not None
    assert loaded.environment.confirm_token.reveal() == EXAMPLE_TOKEN


def test_scenarios_are_data() -> None:
    for scenario in SCENARIOS:
        assert scenario.orders, scenario.id
        msgspec.json.encode(scenario)  # plain data, serialisable


@st.composite
def risk_configs(draw: st.DrawFn) -> RiskConfig:
    per_order = draw(st.floats(min_value=0.01, max_value=1e9))
    total = draw(st.floats(min_value=per_order, max_value=2e9))
    min_size = draw(st.floats(min_value=0.0, max_value=per_order))
    return RiskConfig(
        max_live_notional_per_order=per_order,
        max_live_notional_total=total,
        live_trade_min_size=min_size,
    )


@given(
    risk=risk_configs(),
    mode=st.sampled_from(["paper", "testnet", "live"]),
    gates=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)
def test_drills_pass_for_any_valid_limits_and_any_loaded_gates(
    risk: RiskConfig, mode: str, gates: tuple[bool, bool, bool, bool]
) -> None:
    text = toml_config(
        mode=mode,
        gate1=gates[0],
        gate2=gates[1],
        dry_run=gates[2],
        require_token=gates[3],
        per_order=risk.max_live_notional_per_order,
        total=risk.max_live_notional_total,
        min_size=risk.live_trade_min_size,
    )
    loaded = decode_config(text.encode(), origin="c.toml")
    run = run_drills(loaded)
    # E fails alone: in mode live no cap is enforced, elsewhere the total cap sees one order
    assert [r.id for r in run.results if not r.passed] == ["E"]
