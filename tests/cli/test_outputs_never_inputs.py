"""A file the run read is never an output, `--force` or not, under any spelling: the config, its
bounded_live.toml overlay, a freqtrade include, in export and in fleet."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult, toml_config, write

Cli = Callable[..., CliResult]
BOUNDED = "[bounded_live]\nenabled = true\n[bounded_live.limits]\nmax_order_notional = 50.0\n"


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config").mkdir()
    write(tmp_path / "config" / "config.toml", toml_config(mode="paper"))
    write(tmp_path / "config" / "bounded_live.toml", BOUNDED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "output",
    [
        "config/bounded_live.toml",
        "./config/../config/bounded_live.toml",  # another spelling of the overlay
        "config/config.toml",
    ],
)
def test_export_never_writes_a_file_it_read(cli: Cli, install: Path, output: str) -> None:
    before = {p: p.read_bytes() for p in (install / "config").iterdir()}
    result = cli(
        "audit", "export", "--config", "config/config.toml", "--output-json", output, "--force"
    )
    assert result.code == 2
    assert "refusing to write it" in result.err and result.err.count("\n") == 1
    assert {p: p.read_bytes() for p in (install / "config").iterdir()} == before


def test_a_hard_link_to_the_overlay_is_the_overlay(cli: Cli, install: Path) -> None:
    os.link(install / "config" / "bounded_live.toml", install / "alias.toml")
    result = cli(
        "audit",
        "export",
        "--config",
        "config/config.toml",
        "--output-markdown",
        "alias.toml",
        "--force",
    )
    assert result.code == 2 and "a file this run read" in result.err
    assert (install / "config" / "bounded_live.toml").read_text() == BOUNDED


def test_a_freqtrade_include_is_never_an_output(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "bot.json", json.dumps({"add_config_files": ["mode.json"]}))
    mode = json.dumps({"dry_run": True, "stake_currency": "USDT", "exchange": {}})
    write(tmp_path / "mode.json", mode)
    result = cli(
        "audit",
        "export",
        "--config",
        str(tmp_path / "bot.json"),
        "--output-json",
        str(tmp_path / "mode.json"),
        "--force",
    )
    assert result.code == 2 and "a file this run read" in result.err
    assert (tmp_path / "mode.json").read_text() == mode


def test_fleet_never_writes_its_report_over_an_overlay(cli: Cli, install: Path) -> None:
    result = cli("audit", "fleet", "config", "--output-json", "config/bounded_live.toml", "--force")
    assert result.code == 2 and "a file this run read" in result.err
    assert (install / "config" / "bounded_live.toml").read_text() == BOUNDED


def test_an_ordinary_output_still_works(cli: Cli, install: Path) -> None:
    result = cli("audit", "export", "--config", "config/config.toml", "--output-json", "out.json")
    assert result.code == 0, result.err
    assert json.loads((install / "out.json").read_text())["config"]["files"][1]["path"].endswith(
        "bounded_live.toml"
    )
