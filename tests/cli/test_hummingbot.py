"""The Hummingbot dialect (DESIGN §9) through every command, as a Hummingbot user would run it:
the instance directory they deploy, its files, and a fleet beside other systems' configs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, toml_config, write

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "hummingbot"


@pytest.fixture
def bots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ASSETS, tmp_path / "bots")
    monkeypatch.chdir(tmp_path)
    for name in ("HBOT_PASSWORD", "CONFIG_PASSWORD", "SCRIPT_CONFIG", "CONFIG_FILE_NAME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "bots"


def snapshot(cli: Cli, path: str) -> dict[str, object]:
    result = cli("audit", "export", "--stdout", "--format", "json", "--config", path)
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


@pytest.mark.parametrize(
    ("instance", "mode", "real", "check_code"),
    [
        ("live_pmm", "live", True, 1),
        ("paper_pmm", "paper", False, 0),
        ("testnet_v2", "testnet", False, 1),
        ("live_v2_no_keys", "blocked", False, 1),
        ("unselected", "live", True, 1),
    ],
)
def test_each_shipped_instance(
    cli: Cli, bots: Path, instance: str, mode: str, real: bool, check_code: int
) -> None:
    data = snapshot(cli, f"bots/{instance}")
    assert data["gating"]["effective_mode"] == mode  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is real  # type: ignore[index]
    assert data["drills"]["drills_executable"] is False  # type: ignore[index]
    assert cli("audit", "check", "--config", f"bots/{instance}").code == check_code
    status = cli("status", "--config", f"bots/{instance}")
    assert status.code == 0 and "orders reach" in status.out


def test_export_writes_json_and_markdown(cli: Cli, bots: Path) -> None:
    result = cli(
        "audit",
        "export",
        "--config",
        "bots/live_pmm",
        "--output-json",
        "live.json",
        "--output-markdown",
        "live.md",
    )
    assert result.code == 0, result.err
    data = json.loads(Path("live.json").read_text())
    assert data["config"]["dialect"] == "hummingbot"
    markdown = Path("live.md").read_text()
    assert "## Kill Switch" in markdown and "kill_switch_rate" in markdown
    assert "`strategies.conf_pmm_btc.price_ceiling`" in markdown
    assert "not applicable to Hummingbot" in markdown
    # an output may never overwrite a file of the instance
    clash = cli(
        "audit",
        "export",
        "--config",
        "bots/live_pmm",
        "--force",
        "--output-json",
        "bots/live_pmm/conf/conf_client.yml",
    )
    assert clash.code == 2


def test_archive_history_and_diff_judge_a_paper_instance_going_live(cli: Cli, bots: Path) -> None:
    paper = bots / "paper_pmm" / "conf" / "strategies" / "conf_pmm_paper.yml"
    assert cli("audit", "archive", "--config", "bots/paper_pmm").code == 0
    paper.write_text(paper.read_text().replace("binance_paper_trade", "binance"))
    assert cli("audit", "archive", "--config", "bots/paper_pmm").code == 0
    diff = cli("audit", "diff", "latest~1", "latest", "--format", "json")
    assert diff.code == 1, diff.err
    changes = json.loads(diff.out)
    text = json.dumps(changes)
    assert "less_safe" in text and "binance" in text
    history = cli("audit", "history", "--format", "json")
    assert history.code in (0, 1), history.err
    assert len(json.loads(history.out)) == 2
    assert cli("audit", "verify").code == 0


def test_fleet_mixes_hummingbot_instances_with_other_systems(cli: Cli, bots: Path) -> None:
    fleet = bots.parent / "fleet"
    fleet.mkdir()
    shutil.copytree(bots / "paper_pmm", fleet / "hb-paper")
    shutil.copytree(bots / "live_pmm", fleet / "hb-live")
    write(fleet / "desk.toml", toml_config(mode="paper"))
    write(fleet / "ft.json", json.dumps({"dry_run": True, "stake_currency": "USDT"}))
    result = cli("audit", "fleet", "fleet", "--format", "json")
    data = json.loads(result.out)
    rows = {r["path"]: r for r in data["rows"]}
    assert sorted(r["dialect"] for r in rows.values()) == [
        "freqtrade",
        "hummingbot",
        "hummingbot",
        "peak_trade",
    ]
    live = next(r for p, r in rows.items() if "hb-live" in p)
    paper = next(r for p, r in rows.items() if "hb-paper" in p)
    assert live["live_allowed"] is True and live["violations"]
    assert paper["live_allowed"] is False and not paper["violations"]
    assert {live["environment_id"], paper["environment_id"]} == {"fleet/hb-live", "fleet/hb-paper"}
    assert result.code == 1


def test_a_hummingbot_instance_imports_its_parsers_and_nothing_heavy(bots: Path) -> None:
    probe = (
        "import contextlib, io, json, sys\n"
        "from peak_trade.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['audit', 'export', '--stdout', '--config', sys.argv[1]])\n"
        "print(json.dumps([code, 'yaml' in sys.modules, 'ruamel.yaml' in sys.modules,"
        " 'pydantic' in sys.modules, 'rich' in sys.modules]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(bots / "live_pmm")],
        capture_output=True,
        text=True,
        check=True,
    )
    # a legacy V1 strategy: PyYAML for the files, ruamel.yaml for the strategy's values
    assert json.loads(run.stdout) == [0, True, True, False, False]
