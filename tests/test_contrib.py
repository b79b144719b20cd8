"""The shipped samples: the systemd unit stays hardened, the hooks match only trading configs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_systemd_unit_scores_3_or_less() -> None:
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "security", "--offline=yes", "peak-trade-audit.service"],  # noqa: S607
        cwd=REPO / "contrib" / "systemd",
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match is not None, result.stdout[-500:] + result.stderr[-500:]
    assert float(match[1]) <= 3.0


def test_the_unit_alerts_on_failure() -> None:
    unit = (REPO / "contrib" / "systemd" / "peak-trade-audit.service").read_text()
    assert "\nOnFailure=peak-trade-audit-alert@%n.service\n" in unit
    assert (REPO / "contrib" / "systemd" / "peak-trade-audit-alert@.service").exists()


def _hook_pattern(hook: str, field: str) -> re.Pattern[str]:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    block = text.split(f"\n- id: {hook}\n", 1)[1].split("\n- id:", 1)[0]
    (value,) = [
        line.split(":", 1)[1].strip()
        for line in block.splitlines()
        if line.strip().startswith(f"{field}:")
    ]
    return re.compile(value)


@pytest.mark.parametrize(
    ("path", "audited"),
    [
        ("config/config.toml", True),
        ("accounts/eu/config/config.toml", True),
        ("config/bounded_live.toml", False),  # merged into its neighbour
        ("ruff.toml", False),
        (".cargo/config.toml", False),
        ("pyproject.toml", False),
        ("config/sub/deep.toml", False),
    ],
)
def test_the_fleet_hook_matches_only_trading_configs(path: str, audited: bool) -> None:
    files = _hook_pattern("peak-trade-audit-fleet", "files")
    exclude = _hook_pattern("peak-trade-audit-fleet", "exclude")
    assert (bool(files.search(path)) and not exclude.search(path)) is audited


def test_hooks_run_serially() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert text.count("require_serial: true") == 2


def test_the_github_workflow_uploads_the_sarif_that_check_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample's SARIF step, run as written (exit 1 still writes the file), and its upload."""
    import contextlib
    import io
    import shlex

    from peak_trade.cli import main
    from tests.cli.test_profiles_and_sarif import valid_sarif

    text = (REPO / "contrib" / "github" / "peak-trade-audit.yml").read_text()
    assert "security-events: write" in text and "github/codeql-action/upload-sarif@" in text
    (step,) = [line for line in text.splitlines() if "--format sarif" in line]
    command, tolerated = step.split("- run: ", 1)[1].split(" > peak-trade.sarif ")
    assert tolerated == "|| test $? -eq 1" and "sarif_file: peak-trade.sarif" in text
    shutil.copytree(REPO / "config", tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(shlex.split(command)[1:])
    assert code == 1  # the example (mode live) has findings
    results = valid_sarif(out.getvalue())["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris <= {"config/config.toml", "config/risk/kill_switch.toml"}
