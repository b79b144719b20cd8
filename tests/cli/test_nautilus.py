"""Every command on a NautilusTrader config (DESIGN §10), in-process through `main`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, toml_config, write

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).resolve().parent.parent / "assets"
CREDENTIAL_VARS = ("BINANCE_API_KEY", "BINANCE_API_SECRET")


@pytest.fixture
def nodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for asset in (ASSETS / "nautilus").iterdir():
        shutil.copy(asset, tmp_path / asset.name)
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def export(cli: Cli, *argv: str) -> dict[str, object]:
    result = cli("audit", "export", "--format", "json", *argv)
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


def test_status_says_where_each_client_sends_orders(cli: Cli, nodes: Path) -> None:
    result = cli("status", "--config", "live-futures.json")
    assert result.code == 0
    assert "Venue exec_clients.BINANCE (Binance): orders reach REAL" in result.out
    assert "credentials_missing: set BINANCE_API_KEY, BINANCE_API_SECRET" in result.out
    assert "NautilusTrader 1.223-1.231" in result.out
    data = json.loads(cli("status", "--config", "sandbox.json", "--format", "json").out)
    assert data["dialect"] == "nautilus" and data["effective_mode"] == "paper"


def test_credentials_in_the_environment_open_the_live_path(
    cli: Cli, nodes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in CREDENTIAL_VARS:
        monkeypatch.setenv(name, "set-for-the-test")
    data = export(cli, "--config", "spot-cash.json")
    assert data["safety"]["is_live_execution_allowed"] is True  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is True  # type: ignore[index]
    result = cli("audit", "check", "--config", "spot-cash.json")
    assert result.code == 1 and "real_orders_possible" in result.out
    assert "set-for-the-test" not in result.out


def test_export_json_and_markdown(cli: Cli, nodes: Path) -> None:
    data = export(cli, "--config", "live-futures.json")
    assert data["config"]["dialect"] == "nautilus"  # type: ignore[index]
    assert data["kill_switch"] is None
    assert data["gating"]["nautilus_version"] == "1.223-1.231"  # type: ignore[index]
    limits = {c["key"]: c for c in data["risk"]["limits"]}  # type: ignore[index]
    cap = limits['risk_engine.max_notional_per_order."ETHUSDT-PERP.BINANCE"']
    assert cap["enforced"] is False and "margin account" in cap["enforcement"]
    assert limits["risk_engine.max_order_submit_rate"]["kind"] == "order_rate"
    markdown = cli("audit", "export", "--config", "live-futures.json").out
    assert "no kill switch in its config: the operator's switch is stopping the node" in markdown
    assert "- **enable_live_trading (Gate 1):** not applicable to NautilusTrader" in markdown
    assert "- **nautilus_version** (NautilusTrader releases this config decodes under):" in markdown
    assert "None" not in markdown


def test_snapshots_validate_against_the_published_schema(cli: Cli, nodes: Path) -> None:
    import jsonschema

    schema = json.loads(cli("audit", "schema").out)
    for config in sorted(p.name for p in nodes.iterdir()):
        jsonschema.validate(export(cli, "--config", config), schema)


def test_check_findings(cli: Cli, nodes: Path) -> None:
    assert cli("audit", "check", "--config", "sandbox.json").code == 0
    assert cli("audit", "check", "--config", "testnet-legacy.json").code == 0
    bypass = cli("audit", "check", "--config", "bypass.json", "--format", "json")
    codes = [v["code"] for v in json.loads(bypass.out)["violations"]]
    assert bypass.code == 1
    assert {"risk_checks_bypassed", "inline_credential", "production_exec_client"} <= set(codes)
    toml = cli("audit", "check", "--config", "live-node.toml")
    assert toml.code == 1 and "real_orders_possible" in toml.out  # the file proves nothing


def test_archive_diff_history_verify(cli: Cli, nodes: Path) -> None:
    assert cli("audit", "archive", "--config", "testnet-current.json").code == 0
    live = json.loads((nodes / "testnet-current.json").read_text())
    del live["exec_clients"]["BYBIT"]["config"]["environment"]  # absent: production
    write(nodes / "testnet-current.json", json.dumps(live))
    assert cli("audit", "archive", "--config", "testnet-current.json").code == 0
    diff = cli("audit", "diff", "latest~1", "latest")
    assert diff.code == 1 and "venues.exec_clients.BYBIT" in diff.out.splitlines()[0]
    history = cli("audit", "history")
    assert history.code == 0 and "!config_armed false->true" in history.out
    assert cli("audit", "verify").code == 0


def test_drills_do_not_apply(cli: Cli, nodes: Path) -> None:
    result = cli("drills", "--config", "sandbox.json")
    assert result.code == 0 and "exercise Peak_Trade's gates" in result.out


def test_a_fleet_mixes_every_dialect(cli: Cli, nodes: Path) -> None:
    fleet = nodes / "fleet"
    fleet.mkdir()
    shutil.copy(nodes / "sandbox.json", fleet / "paper-node.json")
    shutil.copy(nodes / "live-node.toml", fleet / "rust-node.toml")
    shutil.copy(ASSETS / "freqtrade" / "spot.json", fleet / "spot.json")
    write(fleet / "desk.toml", toml_config(mode="paper"))
    data = json.loads(cli("audit", "fleet", "fleet", "--format", "json").out)
    rows = {Path(r["path"]).name: r["dialect"] for r in data["rows"]}
    assert rows == {
        "desk.toml": "peak_trade",
        "paper-node.json": "nautilus",
        "rust-node.toml": "nautilus",
        "spot.json": "freqtrade",
    }


def test_a_bad_node_config_is_one_line_naming_the_key(cli: Cli, nodes: Path) -> None:
    write(nodes / "bad.json", json.dumps({"trader_id": "A-1", "risk_engine": {"bypas": True}}))
    result = cli("status", "--config", "bad.json")
    assert result.code == 2
    assert result.err == (
        "peak-trade: bad.json: risk_engine.bypas: unknown field"
        " (NautilusTrader refuses unknown fields)\n"
    )
