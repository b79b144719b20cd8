"""`audit check --profile` and `--format sarif` (DESIGN §11): exit codes, the JSON shape, and
SARIF that the official 2.1.0 schema accepts (tests/assets/sarif/, vendored unchanged)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from peak_trade.dialects import named
from peak_trade.live.controls import CONTROL, PROFILE_NAMES, profile
from peak_trade.live.findings import line_of
from tests.conftest import EXAMPLE_CONFIG, PASSING_CONFIG, CliResult, toml_config, write

Cli = Callable[..., CliResult]
REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "tests" / "assets" / "sarif" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "sarif")
#: a freqtrade bot that keeps every control its config can express (docs/controls.md)
FREQTRADE_CONTROLLED: dict[str, Any] = {
    "dry_run": True,
    "stake_currency": "USDT",
    "stake_amount": 50,
    "max_open_trades": 3,
    "tradable_balance_ratio": 0.5,
    "stoploss": -0.1,
    "custom_price_max_distance_ratio": 0.02,
    "exchange": {"name": "binance"},
    "webhook": {"enabled": True, "url": "https://alerts.example.invalid/bot"},
}


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def valid_sarif(text: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "peak-trade"
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["shortDescription"]["text"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    return run


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def controlled(workdir: Path, **changes: Any) -> str:
    return write(workdir / "config.json", json.dumps({**FREQTRADE_CONTROLLED, **changes}))


# --------------------------------------------------------------------------- the profiles


def test_the_profiles_and_their_references() -> None:
    assert PROFILE_NAMES == ("rts6", "sec-15c3-5", "fia")
    rts6 = [(e.reference, e.control) for e in profile("rts6").entries]
    assert [ref for ref, _ in rts6] == [
        "Art. 12",
        "Art. 15(1)(a)",
        "Art. 15(1)(b)",
        "Art. 15(1)(c)",
        "Art. 15(1)(d)",
        "Art. 15(3)",
        "Art. 15(4)-(5)",
        "Art. 16",
        "Art. 17",
        "Art. 18",
    ]
    sec = [(e.reference, e.control) for e in profile("sec-15c3-5").entries]
    assert ("(c)(1)(i)", dict(rts6)["Art. 15(4)-(5)"]) in sec  # judged as RTS 6 15(4)-(5)
    (erroneous,) = [c for ref, c in sec if ref == "(c)(1)(ii)" and CONTROL[c].parts]
    assert set(CONTROL[erroneous].parts) >= {"price_collar", "max_order_value"}
    fia = [e.control for e in profile("fia").entries]
    assert len(fia) >= 3 and dict(rts6)["Art. 12"] in fia  # the kill switch, judged as Art. 12


def test_control_ids_are_stable_and_never_a_policy_code() -> None:
    assert list(CONTROL) == [
        "kill_functionality",
        "price_collar",
        "max_order_value",
        "max_order_volume",
        "max_message_rate",
        "execution_throttle",
        "credit_thresholds",
        "order_size",
        "erroneous_orders",
        "duplicate_orders",
        "real_time_alerts",
        "post_trade_controls",
        "access_control",
    ]
    codes = {code for d in ("peak_trade", "freqtrade") for code in named(d).policy().codes}
    assert not codes & set(CONTROL)


def test_an_unknown_profile_is_bad_input(cli: Cli) -> None:
    result = cli("audit", "check", "--config", str(PASSING_CONFIG), "--profile", "mifid")
    assert result.code == 2 and "invalid choice: 'mifid'" in result.err and not result.out


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_config_with_every_expressible_control_passes(cli: Cli, workdir: Path, fmt: str) -> None:
    """not_expressible and not_applicable are reported, never a failure on their own."""
    config = controlled(workdir)
    for name in PROFILE_NAMES:
        result = cli("audit", "check", "-c", config, "--profile", name, "--format", fmt)
        assert result.code == 0, (name, result.out)


def test_an_absent_control_is_a_finding_naming_the_key(cli: Cli, workdir: Path) -> None:
    config = controlled(workdir, stoploss=-1.0)  # -1: a 100 % loss, freqtrade's "off"
    result = cli("audit", "check", "-c", config, "--profile", "rts6")
    assert result.code == 1
    assert "0 policy violation(s), 1 control(s) absent" in result.out
    (line,) = [row for row in result.out.splitlines() if "post_trade_controls" in row]
    assert "ABSENT" in line and "fix: set stoploss" in line and "stoploss = -1.0" in line
    assert cli("audit", "check", "-c", config).code == 0  # the policy alone still passes


CASES = [
    ("example", str(EXAMPLE_CONFIG)),  # mode live: drill E fails, no cap is enforced
    ("passing", str(PASSING_CONFIG)),  # testnet: the policy passes, no kill switch is checked
]


@pytest.mark.parametrize(("label", "config"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_the_exit_code_is_the_same_in_every_format(
    cli: Cli, workdir: Path, label: str, config: str, name: str
) -> None:
    codes = {
        fmt: cli("audit", "check", "-c", config, "--profile", name, "--format", fmt).code
        for fmt in FORMATS
    }
    assert len(set(codes.values())) == 1, codes
    payload = json.loads(
        cli("audit", "check", "-c", config, "--profile", name, "--format", "json").out
    )
    assert codes["json"] == (0 if payload["ok"] else 1)


def test_in_mode_live_peak_trade_fails_the_cap_controls(cli: Cli) -> None:
    payload = json.loads(
        cli(
            "audit", "check", "-c", str(EXAMPLE_CONFIG), "--profile", "rts6", "--format", "json"
        ).out
    )
    status = {c["id"]: c for c in payload["controls"]}
    assert status["credit_thresholds"]["status"] == "not_expressible"  # batch caps only
    for control in ("max_order_value", "post_trade_controls"):
        assert status[control]["status"] == "absent"
        assert status[control]["evidence"] == [] and status[control]["keys"] == ["environment.mode"]
    assert status["kill_functionality"]["status"] == "present"  # the bounded pilot checks it
    assert status["kill_functionality"]["evidence"] == ["kill_switch.enabled", "kill_switch.mode"]


# --------------------------------------------------------------------------- JSON


def test_the_json_shape(cli: Cli, workdir: Path) -> None:
    config = controlled(workdir, stake_amount="unlimited")
    result = cli("audit", "check", "-c", config, "--profile", "rts6", "--format", "json")
    payload = json.loads(result.out)
    assert result.code == 1
    assert {"profile", "controls", "violations", "ok"} <= set(payload)
    assert payload["profile"] == "rts6" and payload["ok"] is False and payload["violations"] == []
    controls = payload["controls"]
    assert [c["reference"] for c in controls] == [e.reference for e in profile("rts6").entries]
    for control in controls:
        assert {"id", "title", "reference", "status", "evidence", "note"} <= set(control)
        assert control["status"] in {"present", "absent", "not_expressible", "not_applicable"}
        assert all(isinstance(key, str) for key in control["evidence"])
    value = next(c for c in controls if c["id"] == "max_order_value")
    assert value["status"] == "absent" and value["keys"] == ["stake_amount"]
    assert "stake_amount is unlimited" in value["note"]
    alerts = next(c for c in controls if c["id"] == "real_time_alerts")
    assert alerts["evidence"] == ["webhook.enabled", "webhook.url"]
    assert {loc["file"] for loc in alerts["locations"]} == {config}


def test_without_a_profile_the_json_is_unchanged(cli: Cli) -> None:
    payload = json.loads(cli("audit", "check", "-c", str(PASSING_CONFIG), "--format", "json").out)
    assert list(payload) == ["ok", "expect", "environment_id", "violations"]


# --------------------------------------------------------------------------- SARIF


@pytest.mark.parametrize(("label", "config"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("name", [None, *PROFILE_NAMES])
def test_sarif_validates_and_lists_every_rule_that_can_appear(
    cli: Cli, label: str, config: str, name: str | None
) -> None:
    argv = ["audit", "check", "-c", config, "--format", "sarif"]
    result = cli(*argv, *(["--profile", name] if name else []))
    run = valid_sarif(result.out)
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    policy = named("peak_trade").policy().codes
    assert rules[: len(policy)] == list(policy)
    controls = profile(name).controls if name else ()
    assert rules[len(policy) :] == list(controls)
    found = json.loads(
        cli(
            "audit",
            "check",
            "-c",
            config,
            "--format",
            "json",
            *(["--profile", name] if name else []),
        ).out
    )
    expected = [v["code"] for v in found["violations"]] + [
        c["id"] for c in found.get("controls", []) if c["status"] == "absent"
    ]
    assert [r["ruleId"] for r in run["results"]] == expected
    assert (result.code == 1) is bool(expected)


def test_a_passing_config_has_no_result(cli: Cli, workdir: Path) -> None:
    config = controlled(workdir)
    for argv in ([], ["--profile", "rts6"]):
        result = cli("audit", "check", "-c", config, "--format", "sarif", *argv)
        assert result.code == 0 and valid_sarif(result.out)["results"] == []


def test_a_result_points_at_the_file_and_the_key(cli: Cli, workdir: Path) -> None:
    """The artifact is the config file relative to the working directory, the region the key's
    line, the logical location the key path; an absent key points at the file."""
    write(workdir / "config.toml", toml_config(extra="block_on_violation = false\n"))
    result = cli("audit", "check", "-c", "config.toml", "--format", "sarif", "--profile", "fia")
    run = valid_sarif(result.out)
    assert result.code == 1
    by_rule = {r["ruleId"]: r for r in run["results"]}
    warn_only = by_rule["risk_limits_warn_only"]["locations"][0]
    artifact = warn_only["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "config.toml", "uriBaseId": "%SRCROOT%"}
    text = (workdir / "config.toml").read_text()
    line = text.splitlines().index("block_on_violation = false") + 1
    assert warn_only["physicalLocation"]["region"]["startLine"] == line
    assert warn_only["logicalLocations"][0]["fullyQualifiedName"] == "live_risk.block_on_violation"
    armed = by_rule["config_armed"]["locations"][0]["logicalLocations"]
    assert [loc["fullyQualifiedName"] for loc in armed][0] == "environment.mode"
    assert by_rule["kill_functionality"]["level"] == "error"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_a_file_outside_the_working_directory_is_an_absolute_uri(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here").mkdir()
    config = write(tmp_path / "config.json", json.dumps({**FREQTRADE_CONTROLLED, "stoploss": -1.0}))
    monkeypatch.chdir(tmp_path / "here")
    run = valid_sarif(
        cli("audit", "check", "-c", config, "--format", "sarif", "--profile", "rts6").out
    )
    (result,) = run["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "config.json").as_uri()}
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1  # one line


def test_a_key_of_a_file_that_does_not_exist_points_at_the_config(cli: Cli, workdir: Path) -> None:
    """No risk/kill_switch.toml beside the config: the result names where it belongs, and its
    location is the config file (a code-scanning view shows files only)."""
    write(workdir / "config.toml", toml_config(mode="paper", gate1=False, gate2=False))
    result = cli("audit", "check", "-c", "config.toml", "--format", "sarif", "--profile", "rts6")
    run = valid_sarif(result.out)
    (kill,) = [r for r in run["results"] if r["ruleId"] == "kill_functionality"]
    location = kill["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "config.toml"
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "kill_switch.enabled"
    assert "risk/kill_switch.toml" in kill["message"]["text"]
    payload = json.loads(
        cli("audit", "check", "-c", "config.toml", "--format", "json", "--profile", "rts6").out
    )
    (control,) = [c for c in payload["controls"] if c["id"] == "kill_functionality"]
    assert control["locations"] == [
        {"key": "kill_switch.enabled", "file": "risk/kill_switch.toml", "variable": None}
    ]


def test_a_relative_uri_is_percent_encoded(cli: Cli, workdir: Path) -> None:
    (workdir / "conf dir#1").mkdir()
    config = write(
        workdir / "conf dir#1" / "config.json",
        json.dumps({**FREQTRADE_CONTROLLED, "stoploss": -1.0}),
    )
    run = valid_sarif(
        cli("audit", "check", "-c", config, "--format", "sarif", "--profile", "fia").out
    )
    (result,) = run["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "conf%20dir%231/config.json", "uriBaseId": "%SRCROOT%"}


def test_fleet_writes_sarif_for_every_row(cli: Cli, workdir: Path) -> None:
    (workdir / "a").mkdir()
    (workdir / "b").mkdir()
    write(workdir / "a" / "config.toml", toml_config())  # armed: violations
    write(workdir / "b" / "config.toml", toml_config(mode="paper", gate1=False, gate2=False))
    write(workdir / "broken.toml", "[environment]\nmode = 3\n")
    result = cli("audit", "fleet", ".", "--format", "sarif")
    run = valid_sarif(result.out)
    assert result.code == 1
    rows = json.loads(cli("audit", "fleet", ".", "--format", "json").out)["rows"]
    expected = [
        (row["path"], code)
        for row in rows
        for code in (["config_invalid"] if row["error"] else [])
        + [v["code"] for v in row["violations"]]
    ]
    seen = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
        for r in run["results"]
    ]
    assert seen == [(path.removeprefix("./"), code) for path, code in expected]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {
        "config_invalid",
        *named("peak_trade").policy().codes,
        *named("freqtrade").policy().codes,
    } <= rules


def test_the_sarif_module_is_imported_before_the_guard() -> None:
    from tests.cli.test_formats import _modules_before_the_guard

    argv = [
        "audit",
        "check",
        "-c",
        str(PASSING_CONFIG),
        "--format",
        "sarif",
        "--profile",
        "sec-15c3-5",
    ]
    before = _modules_before_the_guard(argv)
    assert {"peak_trade.formats.sarif", "peak_trade.live.evidence"} <= set(before)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_reaches_a_profile_report(cli: Cli, workdir: Path, fmt: str) -> None:
    token = "8123456789:AAH-telegram-token-for-peak-trade-tests"
    config = controlled(
        workdir,
        telegram={"enabled": True, "token": token, "chat_id": "-100987654321"},
        api_server={
            "enabled": True,
            "username": "op",
            "password": "hunter2-but-longer",
            "jwt_secret_key": "short",
        },
    )
    result = cli("audit", "check", "-c", config, "--profile", "rts6", "--format", fmt)
    assert result.code == 1  # the short JWT key: no access control, and a policy violation
    for secret in (token, "-100987654321", "hunter2-but-longer"):
        assert secret not in result.out and secret not in result.err


# --------------------------------------------------------------------------- lines


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("[a]\nx = 1\n[b]\nx = 2\n", "b.x", 4),
        ("[a]\nx = 1\n[b]\nx = 2\n", "a.x", 2),
        ("[a]\ny = 1\n[b]\nx = 2\n", "a.x", 1),  # not set: the table it would go in
        ("[a.b]\nc = 1\n", "a.b.c", 2),
        ("a.b = 1\n", "a.b", 1),
        ('{\n  "t": {\n    "enabled": true\n  },\n  "u": 1\n}\n', "t.enabled", 3),
        ('{"t": {"enabled": true}, "x": 2}\n', "t.enabled", 1),
        ("conf:\n  kill_switch_mode: x\n", "conf.kill_switch_mode", 2),
        ("[a]\n", "zzz", None),
    ],
)
def test_the_line_of_a_key(text: str, key: str, line: int | None) -> None:
    assert line_of(text, key) == line
