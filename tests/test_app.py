"""The services the CLI calls take plain values (no argparse namespace)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peak_trade import __version__, app
from peak_trade.archive.adopt import read_exports
from peak_trade.errors import ArchiveError, ConfigError
from peak_trade.formats import render
from tests.conftest import EXAMPLE_CONFIG


def test_assess_config_takes_plain_values() -> None:
    assessment = app.assess_config(
        [str(EXAMPLE_CONFIG)], dialect="peak_trade", environment_id="prod-1", scenario_ids=["A"]
    )
    assert assessment.environment_id == "prod-1"
    assert [r.id for r in assessment.drills.results] == ["A"]


def test_assess_config_refuses_the_embedded_default_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    with pytest.raises(
        ConfigError, match=r"no config at \$PEAK_TRADE_CONFIG_PATH, else config/config.toml"
    ):
        app.assess_config([], allow_default=False)
    assert app.assess_config([]).environment_id == "embedded-default"
    assert app.configs_read([]) == []


def test_snapshot_now_reads_the_clock_and_the_versions() -> None:
    snapshot = app.snapshot_now(app.assess_config([str(EXAMPLE_CONFIG)]))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", snapshot.timestamp_utc)
    assert snapshot.versions.peak_trade == __version__


def test_read_exports_reads_a_snapshot_and_its_markdown(tmp_path: Path) -> None:
    snapshot = app.snapshot_now(app.assess_config([str(EXAMPLE_CONFIG)]))
    (tmp_path / "s.json").write_text(render(snapshot, "json"))
    (tmp_path / "s.md").write_text("# report\n")
    [(path, data, markdown, stamp, env_id)] = read_exports([str(tmp_path / "s.json")])
    assert (path, markdown, stamp, env_id) == (
        str(tmp_path / "s.json"),
        b"# report\n",
        snapshot.timestamp_utc,
        snapshot.environment_id,
    )
    assert data == render(snapshot, "json").encode()


def test_read_exports_names_the_file_it_cannot_use(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ArchiveError, match=r"bad\.json: not a JSON audit snapshot"):
        read_exports([str(tmp_path / "bad.json")])
    with pytest.raises(ArchiveError, match=r"gone\.json: cannot read"):
        read_exports([str(tmp_path / "gone.json")])
