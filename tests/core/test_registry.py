"""The registry is the one home of every gate, setting and cap: the layers agree with it."""

from __future__ import annotations

import msgspec
import pytest

from peak_trade.core.environment import EnvironmentConfig, LiveRiskConfig
from peak_trade.core.registry import (
    CAPS,
    GATES,
    REMEDY,
    SETTING,
    SETTINGS,
    STRICT_TABLES,
    BlockerCode,
    keys_of_table,
)
from peak_trade.dialects.freqtrade.rows import REMEDY as FREQTRADE_REMEDY
from peak_trade.live.snapshot import LiveAuditGatingState, LiveAuditRiskState


def test_every_key_path_is_unique() -> None:
    keys = [row.key for row in (*SETTINGS, *CAPS)]
    assert len(keys) == len(set(keys))


def test_every_blocker_code_has_a_remedy_that_names_a_key_or_the_variable() -> None:
    # Peak_Trade's gates raise every code but freqtrade's missing credentials
    assert set(REMEDY) == set(BlockerCode) - {BlockerCode.CREDENTIALS_MISSING}
    assert set(FREQTRADE_REMEDY) == {
        BlockerCode.CONFIG_INVALID,
        BlockerCode.DRY_RUN_ACTIVE,
        BlockerCode.CREDENTIALS_MISSING,
    }
    keys = ("environment.", "PEAK_TRADE_CONFIRM_TOKEN", "exchange.", "PEAK_KILL_SWITCH_STATE_PATH")
    for code, remedy in REMEDY.items():
        names_a_key = any(k in remedy for k in keys)
        assert names_a_key or code is BlockerCode.CONFIG_INVALID, code
    for code, remedy in FREQTRADE_REMEDY.items():
        names_a_key = '"dry_run"' in remedy or "exchange." in remedy
        assert names_a_key or code is BlockerCode.CONFIG_INVALID, code


def test_every_gate_reads_a_registered_setting_and_opens_on_its_type() -> None:
    for gate in GATES:
        row = SETTING[gate.setting]
        msgspec.convert(gate.open_value, type=row.type, strict=True)  # a value the key can hold
        assert gate.open_value != row.default, f"{gate.name}: the safe default must be closed"


@pytest.mark.parametrize(
    ("public", "table"),
    [(EnvironmentConfig, "environment"), (LiveRiskConfig, "live_risk")],
)
def test_public_types_carry_every_registry_key_with_the_registry_default(
    public: type[msgspec.Struct], table: str
) -> None:
    defaults = dict(zip(public.__struct_fields__, public.__struct_defaults__, strict=True))
    for key in keys_of_table(table):
        field = "environment" if (table, key) == ("environment", "mode") else key
        if (table, key) == ("environment", "confirm_token_sha256"):
            assert defaults[field] is None
            continue
        if key == "base_currency":  # resolved: live_risk, else [live], else EUR
            continue
        row_default = SETTING[f"{table}.{key}"].default if f"{table}.{key}" in SETTING else None
        assert defaults[field] == row_default, f"{table}.{key}"


def test_snapshot_fields_of_settings_exist() -> None:
    sections = {"gating": LiveAuditGatingState, "risk": LiveAuditRiskState}
    for row in SETTINGS:
        if row.snapshot is not None:
            section, field = row.snapshot
            assert field in sections[section].__struct_fields__, row.key


def test_strict_tables_are_fully_described() -> None:
    for table in STRICT_TABLES:
        assert keys_of_table(table), table


def test_caps_are_numbers_that_cannot_be_negative() -> None:
    for row in CAPS:
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert(-1, type=row.type, strict=True)
        assert msgspec.convert(None, type=row.type, strict=True) is None  # absent: not set
