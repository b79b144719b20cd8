"""Hummingbot's evidence for the regulatory controls (dialects/hummingbot/controls.py), against
what its test instances hold: each expectation follows from the YAML written in tests/assets."""

from __future__ import annotations

import shutil
from pathlib import Path

from peak_trade.app import controls_of
from peak_trade.dialects import load
from tests.conftest import write

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "hummingbot"


def _statuses(root: Path) -> dict[str, str]:
    loaded = load([str(root)], environ={}, bounded_live=True)
    return {c.id: c.status for c in controls_of("rts6", loaded).controls}


def test_the_live_instance_evidences_what_its_files_set() -> None:
    statuses = _statuses(ASSETS / "live_pmm")
    assert statuses["kill_functionality"] == "present"  # kill_switch_rate: -5.0
    assert statuses["price_collar"] == "present"  # price_ceiling in the strategy
    assert statuses["max_order_volume"] == "present"  # order_amount (base units)
    assert statuses["max_order_value"] == "not_expressible"  # no notional cap in Hummingbot
    assert statuses["credit_thresholds"] == "present"  # balance_asset_limit
    assert statuses["access_control"] == "present"  # the MQTT bridge has a login
    assert statuses["execution_throttle"] == "absent"  # a V1 strategy: no cooldown setting


def test_a_kill_switch_that_never_stops_a_loss_is_absent(tmp_path: Path) -> None:
    root = tmp_path / "live"
    shutil.copytree(ASSETS / "live_pmm", root)
    client = root / "conf" / "conf_client.yml"
    for rate in ("0.0", "5.0"):  # 0 never triggers; a positive rate is a profit target
        write(
            client,
            client.read_text().replace("kill_switch_rate: -5.0", f"kill_switch_rate: {rate}"),
        )
        assert _statuses(root)["kill_functionality"] == "absent", rate
        write(
            client,
            client.read_text().replace(f"kill_switch_rate: {rate}", "kill_switch_rate: -5.0"),
        )
    assert _statuses(root)["kill_functionality"] == "present"


def test_an_mqtt_bridge_without_a_login_is_absent_and_no_bridge_not_applicable(
    tmp_path: Path,
) -> None:
    root = tmp_path / "live"
    shutil.copytree(ASSETS / "live_pmm", root)
    client = root / "conf" / "conf_client.yml"
    text = client.read_text()
    write(client, text.replace("  mqtt_username: hbot-live\n", ""))
    assert _statuses(root)["access_control"] == "absent"
    write(client, text.replace("mqtt_autostart: true", "mqtt_autostart: false"))
    assert _statuses(root)["access_control"] == "not_applicable"
