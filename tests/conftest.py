from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("default")

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = REPO / "config" / "config.toml"
#: the example in mode testnet: valid, blocked, and it meets every policy (the example itself,
#: in mode live, fails drill E: Peak_Trade's live path checks no cap)
PASSING_CONFIG = REPO / "tests" / "assets" / "passing_config.toml"
EXAMPLE_TOKEN = "example-confirm-token-change-me"
EXAMPLE_TOKEN_SHA256 = hashlib.sha256(EXAMPLE_TOKEN.encode()).hexdigest()


@pytest.fixture(autouse=True)
def _no_ambient_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees a confirm token or NO_COLOR from the developer's shell."""
    monkeypatch.delenv("PEAK_TRADE_CONFIRM_TOKEN", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


def toml_config(
    *,
    mode: str = "live",
    gate1: bool = True,
    gate2: bool = True,
    dry_run: bool = False,
    require_token: bool = True,
    digest: str | None = EXAMPLE_TOKEN_SHA256,
    per_order: float = 1000.0,
    total: float = 5000.0,
    min_size: float = 10.0,
    limits_enabled: bool = True,
    applied_caps: bool = True,
    extra: str = "",
) -> str:
    """A config text with every key spelled out; defaults are the fully open live state.

    The caps are the seed's three fields and, with `applied_caps`, the same per-order and total
    caps in the keys Peak_Trade's LiveRiskLimits applies (it never compares the seed's)."""
    digest_line = f'confirm_token_sha256 = "{digest}"\n' if digest is not None else ""
    applied = (
        f"max_order_notional = {per_order!r}\nmax_total_exposure_notional = {total!r}\n"
        if applied_caps
        else ""
    )
    return (
        "[environment]\n"
        f'mode = "{mode}"\n'
        f"enable_live_trading = {str(gate1).lower()}\n"
        f"live_mode_armed = {str(gate2).lower()}\n"
        f"live_dry_run_mode = {str(dry_run).lower()}\n"
        f"require_confirm_token = {str(require_token).lower()}\n"
        f"{digest_line}"
        "\n[live_risk]\n"
        f"enabled = {str(limits_enabled).lower()}\n"
        f"max_live_notional_per_order = {per_order!r}\n"
        f"max_live_notional_total = {total!r}\n"
        f"live_trade_min_size = {min_size!r}\n"
        f"{applied}"
        f"{extra}"
    )


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, err={self.err!r})"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `peak_trade.cli.main` in-process; return exit code, stdout and stderr."""
    from peak_trade.cli import main

    def run(*argv: str) -> CliResult:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)
