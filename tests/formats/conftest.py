"""Shared by the HTML tests: an archive whose entries change in known ways."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PASSING_CONFIG, CliResult

Cli = Callable[..., CliResult]


def _set(config: Path, old: str, new: str) -> None:
    text = config.read_text()
    assert old in text, old
    config.write_text(text.replace(old, new, 1))


#: what each archived entry changes, and the key its less-safe change names (None: not less safe)
STEPS: tuple[tuple[str, str, str | None], ...] = (
    ("", "", None),  # the first snapshot
    ("max_order_notional = 500.0", "max_order_notional = 800.0", "risk.effective.per_order"),
    ("max_order_notional = 800.0", "max_order_notional = 300.0", None),  # a cut: safer
    ("", "", None),  # no change at all
    ("live_mode_armed = false", "live_mode_armed = true", "gating.live_mode_armed"),
    ("max_total_exposure_notional = 2500.0", "max_total_exposure_notional = 2000.0", None),
)
SIGNED_FROM = 3  # entries 1-2 unsigned, 3-6 signed: signing started later


@pytest.fixture
def archive(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six entries of a testnet config (caps bind), signed from the third on."""
    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "config.toml"
    shutil.copy(PASSING_CONFIG, config)
    monkeypatch.chdir(tmp_path)
    assert cli("audit", "keygen", "--out", "signing.pem").code == 0
    for seq, (old, new, _) in enumerate(STEPS, start=1):
        if old:
            _set(config, old, new)
        sign = ["--sign-key", "signing.pem"] if seq >= SIGNED_FROM else []
        result = cli("audit", "archive", "--config", str(config), *sign)
        assert result.code == 0, result.err
    return tmp_path / "audit" / "archive"
