"""The freqtrade dialect (DESIGN §8), tried as a freqtrade user would: the config they run, the
environment they deploy it with, every command."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

from peak_trade.dialects import DIALECT_NAMES
from tests.conftest import CliResult, toml_config, write
from tests.secret_strategies import assert_no_leak, secrets_text

Cli = Callable[..., CliResult]
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "freqtrade"
KEY_VARS = ("FREQTRADE__EXCHANGE__KEY", "FREQTRADE__EXCHANGE__SECRET")

NAMES = "|".join(DIALECT_NAMES)  # the hint lists every dialect, in list order


@pytest.fixture(autouse=True)
def _no_ambient_freqtrade(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("FREQTRADE__"):
            monkeypatch.delenv(name)


@pytest.fixture
def bots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for asset in ASSETS.iterdir():
        shutil.copy(asset, tmp_path / asset.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def export(cli: Cli, *argv: str) -> dict[str, object]:
    result = cli("audit", "export", "--format", "json", *argv)
    assert result.code == 0, result.err
    data: dict[str, object] = json.loads(result.out)
    return data


# --------------------------------------------------------------------------- detection


def test_dialect_is_detected_from_content(cli: Cli, bots: Path) -> None:
    data = export(cli, "--config", "spot.json")
    assert data["config"]["dialect"] == "freqtrade"  # type: ignore[index]
    write(bots / "other.json", '{"name": "not a trading config"}')
    result = cli("status", "--config", "other.json")
    assert result.code == 2
    assert result.err == (
        "peak-trade: other.json: cannot tell which system this config belongs to;"
        f" use --dialect {NAMES}\n"
    )
    forced = cli("status", "--config", "other.json", "--dialect", "freqtrade")
    assert forced.code == 2 and "dry_run: required by freqtrade" in forced.err


def test_several_configs_only_for_freqtrade(cli: Cli, bots: Path) -> None:
    write(bots / "a.toml", toml_config(mode="paper"))
    result = cli("status", "--config", "a.toml", "--config", "a.toml")
    assert result.code == 2 and "may repeat only for freqtrade" in result.err


# --------------------------------------------------------------------------- verdicts


def test_a_dry_run_spot_bot_is_paper_and_passes_check(cli: Cli, bots: Path) -> None:
    data = export(cli, "--config", "spot.json")
    gating, safety = data["gating"], data["safety"]
    assert gating["mode"] == "paper" and gating["config_armed"] is False  # type: ignore[index]
    assert [b["code"] for b in safety["blockers"]] == [  # type: ignore[index]
        "dry_run_active",
        "credentials_missing",
    ]
    assert gating["enable_live_trading"] is None  # Peak_Trade's gates do not apply  # type: ignore[index]
    assert data["risk"]["effective"]["per_order"] == 50  # type: ignore[index]
    assert data["drills"]["drills_executable"] is False  # type: ignore[index]
    assert cli("audit", "check", "--config", "spot.json").code == 0


def test_the_environment_decides(cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREQTRADE__DRY_RUN", "false")  # overrides "dry_run": true in the file
    blocked = export(cli, "--config", "spot.json")
    assert blocked["gating"]["effective_mode"] == "blocked"  # type: ignore[index]
    assert blocked["config"]["env_overrides"] == ["FREQTRADE__DRY_RUN"]  # type: ignore[index]
    check = cli("audit", "check", "--config", "spot.json")
    assert check.code == 1
    assert "dry_run_off: dry_run is false (FREQTRADE__DRY_RUN overrides the file)" in check.out
    assert '(fix: set "dry_run": true and remove FREQTRADE__DRY_RUN)' in check.out
    for name in KEY_VARS:
        monkeypatch.setenv(name, f"value-of-{name.lower()}")
    live = export(cli, "--config", "spot.json")
    assert live["safety"]["is_live_execution_allowed"] is True  # type: ignore[index]
    assert live["safety"]["real_orders_possible"] is True  # no sandbox  # type: ignore[index]
    venue = live["venues"][0]  # type: ignore[index]
    assert {"key": "exchange.key", "kind": "env_var", "present": True} in venue["credentials"]
    status = cli("status", "--config", "spot.json")
    assert status.out.startswith("LIVE EXECUTION ALLOWED: real orders can leave (no sandbox)")
    for result in (status, check):
        assert "value-of-" not in result.out
    monkeypatch.setenv("FREQTRADE__DRY_RUN", "0")  # typed as an int by freqtrade: not a bool
    bad = cli("status", "--config", "spot.json")
    assert (
        bad.code == 2 and "dry_run: expected bool, got int (set by FREQTRADE__DRY_RUN)" in bad.err
    )


def test_add_config_files_and_the_including_file_wins(cli: Cli, bots: Path) -> None:
    data = export(cli, "--config", "futures.json")
    assert data["gating"]["mode"] == "live"  # futures.json's false beats the include's true  # type: ignore[index]
    assert [f["path"] for f in data["config"]["files"]] == [  # type: ignore[index]
        "futures.json",
        "futures-secrets.json",  # relative, like the main file it was named beside
    ]
    venue = data["venues"][0]  # type: ignore[index]
    assert venue["sandbox"] is True and venue["label"] == "bybit"
    assert venue["endpoints"] == ["https://api-testnet.bybit.invalid"]
    assert data["safety"]["real_orders_possible"] is False  # testnet  # type: ignore[index]
    limits = {c["key"]: c for c in data["risk"]["limits"]}  # type: ignore[index]
    assert limits["stake_amount"]["unlimited"] is True and limits["stake_amount"]["value"] is None
    assert limits["stoploss"]["value"] == -0.08
    check = cli("audit", "check", "--config", "futures.json")
    codes = [line.split(":")[0].strip() for line in check.out.splitlines()[1:]]
    assert codes == ["live_allowed", "dry_run_off", "inline_credential", "unlimited_stake_amount"]


def test_later_config_files_win(cli: Cli, bots: Path) -> None:
    write(bots / "live.json", '{"dry_run": false, "max_open_trades": -1}')
    data = export(cli, "--config", "spot.json", "--config", "live.json")
    assert data["gating"]["config_armed"] is True  # type: ignore[index]
    trades = [c for c in data["risk"]["limits"] if c["key"] == "max_open_trades"]  # type: ignore[index]
    assert trades == [
        {
            "kind": "open_positions",
            "unit": "count",
            "key": "max_open_trades",
            "value": None,
            "unlimited": True,
            "source": "live.json",
            "enforced": True,
            "enforcement": None,
        }
    ]
    check = cli("audit", "check", "--config", "spot.json", "--config", "live.json")
    assert "unlimited_max_open_trades" in check.out


@pytest.mark.parametrize(
    "key",
    [
        '""',
        "null",
        "42",
        '"somethingrandom"',  # freqtrade's docs and templates
        '"somethingRandomSomethingRandom123"',  # its schema's default
        '"super-secret"',  # its web server's fallback
        '"' + "k" * 31 + '"',  # one short of the 32 characters its schema asks for
    ],
)
def test_an_api_server_without_a_usable_jwt_secret_is_a_finding(
    cli: Cli, bots: Path, key: str
) -> None:
    text = (
        (bots / "spot.json")
        .read_text()
        .replace(
            '"jwt_secret_key": "a-long-random-test-value-not-a-real-one"',
            f'"jwt_secret_key": {key}',
        )
    )
    write(bots / "open-api.json", text)
    result = cli("audit", "check", "--config", "open-api.json")
    assert result.code == 1
    assert "api_server_unprotected: api_server is enabled without a usable jwt_secret_key" in (
        result.out
    )
    assert "somethingrandom" not in result.out.lower() and "super-secret" not in result.out


def test_a_long_random_jwt_secret_protects_the_api_server(cli: Cli, bots: Path) -> None:
    text = (
        (bots / "spot.json")
        .read_text()
        .replace('"a-long-random-test-value-not-a-real-one"', '"' + "k" * 32 + '"')
    )
    write(bots / "api.json", text)
    assert cli("audit", "check", "--config", "api.json").code == 0


def test_include_loops_are_an_error(cli: Cli, bots: Path) -> None:
    write(bots / "loop.json", '{"dry_run": true, "add_config_files": ["loop.json"]}')
    result = cli("status", "--config", "loop.json")
    assert result.code == 2 and "add_config_files nested deeper than 5" in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"dry_run": "false"}', "dry_run: expected bool, got str"),
        ('{"dry_run": true, "stake_amount": -5, "stake_currency": "USDT"}', "stake_amount"),
        ('{"dry_run": true, "stoploss": 0.1, "stake_currency": "USDT"}', "stoploss"),
        ('{"dry_run": true, "max_open_trades": -2, "stake_currency": "USDT"}', "max_open_trades"),
        ('{"dry_run": true, "stake_currency": "usdt"}', "stake_currency"),
        ('{"dry_run": true, // comment\n "stake_currency": "USDT",, }', "invalid JSON"),
    ],
)
def test_strict_types(cli: Cli, bots: Path, text: str, message: str) -> None:
    write(bots / "bad.json", text)
    result = cli("audit", "export", "--config", "bad.json", "--dialect", "freqtrade")
    assert result.code == 2 and message in result.err, result.err


# --------------------------------------------------------------------------- every command


def test_every_command_works_on_a_freqtrade_config(cli: Cli, bots: Path) -> None:
    markdown = cli("audit", "export", "--config", "spot.json").out
    assert "- **enable_live_trading (Gate 1):** not applicable to freqtrade" in markdown
    assert "| total | not set (strategy-defined) | - |" in markdown
    assert "None" not in markdown
    drills = cli("drills", "--config", "spot.json")
    assert drills.code == 0 and "exercise Peak_Trade's gates" in drills.out
    status_json = json.loads(cli("status", "--config", "spot.json", "--format", "json").out)
    assert status_json["dialect"] == "freqtrade" and status_json["gates"][0]["value"] is True
    assert cli("audit", "archive", "--config", "spot.json").code == 0
    write(bots / "live.json", '{"dry_run": false}')
    assert cli("audit", "archive", "--config", "spot.json", "--config", "live.json").code == 0
    diff = cli("audit", "diff", "latest~1", "latest")
    assert diff.code == 1 and "gating.config_armed" in diff.out.splitlines()[0]
    history = cli("audit", "history")
    assert history.code == 0 and "!config_armed false->true" in history.out
    assert cli("audit", "verify").code == 0


def test_a_fleet_mixes_dialects(cli: Cli, bots: Path) -> None:
    (bots / "fleet").mkdir()
    shutil.copy(bots / "spot.json", bots / "fleet" / "spot.json")
    write(bots / "fleet" / "desk.toml", toml_config(mode="paper"))
    data = json.loads(cli("audit", "fleet", "fleet", "--format", "json").out)
    assert [(Path(r["path"]).name, r["dialect"]) for r in data["rows"]] == [
        ("desk.toml", "peak_trade"),
        ("spot.json", "freqtrade"),
    ]


def test_a_freqtrade_snapshot_validates_against_the_published_schema(cli: Cli, bots: Path) -> None:
    import jsonschema

    schema = json.loads(cli("audit", "schema").out)
    for config in ("spot.json", "futures.json"):
        jsonschema.validate(export(cli, "--config", config), schema)


# --------------------------------------------------------------------------- secrets


def leaky_bot(secret: str) -> str:
    """A freqtrade config with `secret` in every place freqtrade (or ccxt) keeps one."""
    return f"""// every secret field, with comments and trailing commas
{{
  "dry_run": false,
  "stake_currency": "USDT",
  "exchange": {{
    "name": "kraken", "key": "{secret}", "secret": "{secret}", "password": "{secret}",
    "uid": "{secret}", "walletAddress": "{secret}", "privateKey": "{secret}",
    "ccxt_config": {{"apiKey": "{secret}", "headers": {{"X-Auth": "{secret}"}},
                    "urls": {{"api": "https://u:{secret}@api.kraken.invalid/?k={secret}"}}}},
  }},
  "telegram": {{"enabled": true, "token": "{secret}", "chat_id": "{secret}"}},
  "discord": {{"enabled": true, "webhook_url": "https://discord.invalid/api/webhooks/{secret}"}},
  "webhook": {{"enabled": true, "url": "https://hooks.invalid/{secret}"}},
  "api_server": {{"enabled": true, "username": "{secret}", "password": "{secret}",
                 "jwt_secret_key": "{secret}", "ws_token": "{secret}"}},
  "external_message_consumer": {{"producers": [{{"name": "p", "ws_token": "{secret}"}}]}},
  "coingecko": {{"api_key": "{secret}"}},
  "db_url": "postgresql://ft:{secret}@db.invalid/ft",
}}
"""


@settings(max_examples=8)
@given(secret=secrets_text, env_secret=secrets_text)
def test_no_freqtrade_secret_reaches_any_output(
    cli: Cli,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    secret: str,
    env_secret: str,
) -> None:
    home = tmp_path_factory.mktemp("ft-leak")
    monkeypatch.chdir(home)
    write(home / "bot.json", leaky_bot(secret))
    monkeypatch.setenv("FREQTRADE__EXCHANGE__SECRET", env_secret)
    monkeypatch.setenv("FREQTRADE__TELEGRAM__TOKEN", env_secret)
    results = [
        cli("audit", "export", "--config", "bot.json"),
        cli("audit", "export", "--config", "bot.json", "--format", "json"),
        cli("status", "--config", "bot.json"),
        cli("status", "--config", "bot.json", "--format", "json"),
        cli("audit", "check", "--config", "bot.json", "--format", "json"),
        cli("audit", "fleet", "bot.json", "--format", "json"),
        cli("audit", "archive", "--config", "bot.json"),
        cli("audit", "history"),
    ]
    assert [r.code for r in results] == [0, 0, 0, 0, 1, 1, 0, 0]
    for result in results:
        assert_no_leak(result.out, [secret, env_secret], "stdout")
        assert_no_leak(result.err, [secret, env_secret], "stderr")
    for path in (home / "audit" / "archive").iterdir():
        assert_no_leak(path.read_text(), [secret, env_secret], path.name)


def test_each_cap_names_the_source_that_won(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The including file wins over what it includes; the environment wins over every file."""
    write(
        bots / "main.json",
        '{"dry_run": true, "stake_currency": "USDT", "max_open_trades": 3, "stake_amount": 10,'
        ' "add_config_files": ["inc.json"]}',
    )
    write(bots / "inc.json", '{"max_open_trades": 9, "stoploss": -0.1}')
    write(bots / "later.json", '{"stake_amount": 20}')

    def sources() -> dict[str, tuple[object, object]]:
        data = export(cli, "--config", "main.json", "--config", "later.json")
        return {c["key"]: (c["value"], c["source"]) for c in data["risk"]["limits"]}  # type: ignore[index]

    assert sources() == {
        "stake_amount": (20, "later.json"),
        "max_open_trades": (3, "main.json"),
        "stoploss": (-0.1, "inc.json"),
    }
    monkeypatch.setenv("FREQTRADE__MAX_OPEN_TRADES", "5")
    assert sources()["max_open_trades"] == (5, "environment")


# --------------------------------------------------------------------------- environment names


@pytest.mark.parametrize(
    "name",
    [
        "FREQTRADE__FREQTRADE__DRY_RUN",  # freqtrade removes the prefix wherever it stands
        "FREQTRADE__DRY_FREQTRADE__RUN",
        "FREQTRADE__DRY_RUNFREQTRADE__",
        "FREQTRADE__dry_run",  # key parts are lower-cased
    ],
)
def test_an_oddly_spelled_variable_counts_as_freqtrade_reads_it(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "false")  # the file says "dry_run": true
    for variable in KEY_VARS:
        monkeypatch.setenv(variable, f"value-of-{variable.lower()}")
    data = export(cli, "--config", "spot.json")
    assert data["gating"]["mode"] == "live"  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is True  # type: ignore[index]
    check = cli("audit", "check", "--config", "spot.json")
    assert check.code == 1
    assert f"dry_run_off: dry_run is false ({name} overrides the file)" in check.out
    assert f"remove {name})" in check.out
    status = cli("status", "--config", "spot.json")
    assert status.out.startswith("LIVE EXECUTION ALLOWED")
    assert f"dry_run ({name})" in status.out


def test_credentials_through_an_oddly_spelled_variable_are_present(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FREQTRADE__DRY_RUN", "false")
    monkeypatch.setenv("FREQTRADE__EXCHANGE__FREQTRADE__KEY", "value-of-key")
    monkeypatch.setenv("FREQTRADE__EXCHANGEFREQTRADE____SECRET", "value-of-secret")
    data = export(cli, "--config", "spot.json")
    assert data["safety"]["is_live_execution_allowed"] is True  # type: ignore[index]
    credentials = data["venues"][0]["credentials"]  # type: ignore[index]
    assert {"key": "exchange.key", "kind": "env_var", "present": True} in credentials
    assert {"key": "exchange.secret", "kind": "env_var", "present": True} in credentials
    assert "value-of-" not in json.dumps(data)


def test_a_variable_that_makes_dry_run_a_table_is_bad_input(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # freqtrade builds {"dry_run": {"": false}} and crashes merging it onto the file's true
    monkeypatch.setenv("FREQTRADE__DRY_RUN__", "false")
    result = cli("audit", "check", "--config", "spot.json")
    assert result.code == 2
    assert "environment: dry_run: a table is merged onto a value that is not one" in result.err


def test_a_table_merged_onto_a_value_is_bad_input(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sorted, FREQTRADE__EXCHANGE comes first; freqtrade then indexes the string and crashes
    monkeypatch.setenv("FREQTRADE__EXCHANGE", "binance")
    monkeypatch.setenv("FREQTRADE__EXCHANGE__KEY", "value-of-key")
    result = cli("audit", "check", "--config", "spot.json")
    assert result.code == 2
    assert result.err == (
        "peak-trade: FREQTRADE__EXCHANGE__KEY: exchange: a table is merged onto a value that is"
        " not one; freqtrade fails to start with this config\n"
    )


# --------------------------------------------------------------------------- linked includes


def _release(root: Path) -> None:
    """releases/v42 holds the real config and its live mode file; a decoy beside the link."""
    release = root / "releases" / "v42"
    release.mkdir(parents=True)
    main = {"stake_currency": "USDT", "add_config_files": ["mode.json"], "exchange": {}}
    write(release / "config.json", json.dumps(main))
    write(release / "mode.json", json.dumps({"dry_run": False}))
    (root / "user_data").mkdir()
    write(root / "user_data" / "mode.json", json.dumps({"dry_run": True}))  # the decoy
    write(root / "mode.json", json.dumps({"dry_run": True}))  # a decoy for a linked directory


def test_a_linked_config_includes_from_beside_its_target(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _release(tmp_path)
    (tmp_path / "user_data" / "config.json").symlink_to(tmp_path / "releases/v42/config.json")
    monkeypatch.chdir(tmp_path)
    data = export(cli, "--config", "user_data/config.json")
    assert data["gating"]["mode"] == "live"  # type: ignore[index]
    included = [f["path"] for f in data["config"]["files"]]  # type: ignore[index]
    assert included[1].endswith("releases/v42/mode.json"), included
    assert cli("audit", "check", "--config", "user_data/config.json").code == 1


def test_a_config_in_a_linked_directory_includes_from_the_real_directory(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`..` in an include is taken in the real directory, at every level: current/ links to
    releases/v42, whose config includes ../common.json, which includes mode.json beside it."""
    _release(tmp_path)
    releases = tmp_path / "releases"
    main = {"stake_currency": "USDT", "add_config_files": ["../common.json"], "exchange": {}}
    write(releases / "v42" / "config.json", json.dumps(main))
    write(releases / "common.json", json.dumps({"add_config_files": ["mode.json"]}))
    write(releases / "mode.json", json.dumps({"dry_run": False}))
    (tmp_path / "current").symlink_to(releases / "v42", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    data = export(cli, "--config", "current/config.json")
    assert data["gating"]["mode"] == "live"  # type: ignore[index]
    assert cli("audit", "check", "--config", "current/config.json").code == 1


# --------------------------------------------------------------------------- where orders go


def _live_bot(root: Path, exchange: dict[str, object]) -> str:
    config = {
        "dry_run": False,
        "stake_currency": "USDT",
        "stake_amount": 10,
        "exchange": {"name": "binance", "key": "k", "secret": "s", **exchange},
    }
    write(root / "bot.json", json.dumps(config))
    return str(root / "bot.json")


@pytest.mark.parametrize(
    ("exchange", "sandbox"),
    [
        # ccxt_async_config configures the market-data client only: orders stay real
        ({"ccxt_async_config": {"options": {"sandbox": True}}}, False),
        ({"ccxt_async_config": {"sandbox": True}}, False),
        ({"ccxt_async_config": {"urls": {"api": "https://testnet.binancefuture.com"}}}, False),
        # ccxt's after_construct: the top of the config counts as well as options
        ({"ccxt_config": {"sandbox": True}}, True),
        ({"ccxt_sync_config": {"testnet": True}}, True),
        ({"ccxt_config": {"options": {"testnet": True}}}, True),
        # safe_bool_2: a boolean sandbox option decides, testnet is not looked at
        ({"ccxt_config": {"options": {"sandbox": False, "testnet": True}}}, False),
        ({"ccxt_config": {"options": {"sandbox": "yes", "testnet": True}}}, True),
        # only a real boolean switches ccxt
        ({"ccxt_config": {"sandbox": "true"}}, False),
        # the sync config wins over ccxt_config
        ({"ccxt_config": {"sandbox": True}, "ccxt_sync_config": {"sandbox": False}}, False),
        # freqtrade's demo_trading: the venue's demo endpoint (or freqtrade refuses to start)
        ({"demo_trading": True}, True),
        # a URL is never proof by its host name: its owner names it (fail closed)
        ({"ccxt_config": {"urls": {"logo": "https://demo.example.com/l.png"}}}, False),
        ({"ccxt_config": {"urls": {"api": {"private": "https://fastest.example.com"}}}}, False),
        ({"ccxt_config": {"urls": {"api": "https://latest.example.com"}}}, False),
        ({"ccxt_config": {"urls": {"api": "https://api-demo.example.com/v1"}}}, False),
        ({"ccxt_sync_config": {"urls": {"api": "https://x.sandbox.example.com"}}}, False),
        ({"ccxt_config": {"urls": {"api": {"private": "https://api-demo.example.com"}}}}, False),
        # the switch sends orders to urls.test: the config's own urls.test could be production
        (
            {
                "ccxt_config": {
                    "sandbox": True,
                    "urls": {"test": {"private": "https://api.binance.com/api/v3"}},
                }
            },
            False,
        ),
        ({"demo_trading": True, "ccxt_config": {"urls": {"demo": "https://api.x.com"}}}, False),
        # a link for people changes nothing: the switch still proves the sandbox
        ({"ccxt_config": {"sandbox": True, "urls": {"logo": "https://x/l.png"}}}, True),
    ],
)
def test_orders_go_where_the_order_client_points(
    cli: Cli, tmp_path: Path, exchange: dict[str, object], sandbox: bool
) -> None:
    data = export(cli, "--config", _live_bot(tmp_path, exchange))
    assert data["venues"][0]["sandbox"] is sandbox  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is (not sandbox)  # type: ignore[index]


def test_demo_trading_must_be_a_boolean(cli: Cli, tmp_path: Path) -> None:
    result = cli("status", "--config", _live_bot(tmp_path, {"demo_trading": "yes"}))
    assert result.code == 2
    assert "exchange.demo_trading: expected bool, got str" in result.err


def test_explicitly_unlimited_caps_print_as_unlimited_everywhere(cli: Cli, tmp_path: Path) -> None:
    config = {
        "dry_run": True,
        "stake_currency": "USDT",
        "stake_amount": "unlimited",
        "max_open_trades": -1,
        "exchange": {"name": "binance"},
    }
    path = write(tmp_path / "unlimited.json", json.dumps(config))
    status = cli("status", "--config", path)
    assert "per_order unlimited" in status.out and "open_positions unlimited" in status.out
    as_json = json.loads(cli("status", "--config", path, "--format", "json").out)
    assert as_json["effective_caps"]["per_order"] == "unlimited"
    report = cli("audit", "export", "--config", path, "--stdout").out
    assert "| per_order | unlimited | stake_amount |" in report
    assert "| open_positions | unlimited | max_open_trades |" in report
    assert "| per_order | not set" not in report
    # a cap the config does not set stays "not set (strategy-defined)"
    assert "| total | not set (strategy-defined) | - |" in report


# --------------------------------------------------------------------------- finding the bot


def _split_layout(root: Path, *, dry_run: bool) -> None:
    """The widely copied layout: user_data/config.json holds only the strategy and includes."""
    (root / "user_data").mkdir()
    main = {"strategy": "SampleStrategy", "add_config_files": ["base.json", "live.json"]}
    write(root / "user_data" / "config.json", json.dumps(main))
    base = {"stake_currency": "USDT", "stake_amount": 10, "exchange": {"name": "binance"}}
    write(root / "user_data" / "base.json", json.dumps(base))
    write(root / "user_data" / "live.json", json.dumps({"dry_run": dry_run}))


def test_a_config_holding_only_strategy_and_includes_is_freqtrade(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _split_layout(tmp_path, dry_run=False)
    monkeypatch.chdir(tmp_path)
    data = export(cli, "--config", "user_data/config.json")
    assert data["config"]["dialect"] == "freqtrade"  # type: ignore[index]
    assert data["gating"]["mode"] == "live"  # type: ignore[index]
    assert cli("audit", "check", "--config", "user_data/config.json").code == 1


def test_without_config_freqtrade_defaults_are_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    _split_layout(tmp_path, dry_run=False)
    monkeypatch.chdir(tmp_path)
    data = export(cli)
    assert data["config"]["dialect"] == "freqtrade"  # type: ignore[index]
    assert data["config"]["resolved_from"] == "default-path"  # type: ignore[index]
    assert data["config"]["path"] == "user_data/config.json"  # type: ignore[index]
    assert cli("audit", "check").code == 1  # the live bot is judged, not an embedded default


def test_a_peak_trade_config_wins_over_freqtrade_defaults(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    _split_layout(tmp_path, dry_run=False)
    (tmp_path / "config").mkdir()
    write(tmp_path / "config" / "config.toml", toml_config(mode="paper"))
    monkeypatch.chdir(tmp_path)
    assert export(cli)["config"]["dialect"] == "peak_trade"  # type: ignore[index]


def test_another_tools_config_json_is_not_taken_for_a_bot(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    write(tmp_path / "config.json", '{"editor": {"tabSize": 4}}')
    monkeypatch.chdir(tmp_path)
    data = export(cli)
    assert data["config"]["source"] == "embedded-default"  # type: ignore[index]


@pytest.mark.parametrize(
    ("key", "before", "after", "less_safe"),
    [
        ("stake_amount", 10, 5, False),  # tightened
        ("stake_amount", 5, 10, True),
        ("stoploss", -0.5, -0.1, False),  # a floor: a smaller loss allowed is tighter
        ("stoploss", -0.1, -0.5, True),
        ("max_open_trades", 3, -1, True),  # made unlimited
    ],
)
def test_diff_judges_freqtrade_caps_by_their_kind(
    cli: Cli, tmp_path: Path, key: str, before: float, after: float, less_safe: bool
) -> None:
    base = {"dry_run": True, "stake_currency": "USDT", "exchange": {"name": "binance"}}
    for name, value in (("old", before), ("new", after)):
        write(tmp_path / f"{name}.json", json.dumps({**base, key: value}))
        result = cli(
            "audit",
            "export",
            "--config",
            str(tmp_path / f"{name}.json"),
            "--output-json",
            str(tmp_path / f"{name}.snap.json"),
        )
        assert result.code == 0, result.err
    diff = cli("audit", "diff", str(tmp_path / "old.snap.json"), str(tmp_path / "new.snap.json"))
    assert diff.code == (1 if less_safe else 0), diff.out


# --------------------------------------------------------------------------- credentials


@pytest.mark.parametrize("table", ["ccxt_config", "ccxt_sync_config"])
def test_credentials_in_a_ccxt_table_sign_orders_and_are_a_finding(
    cli: Cli, tmp_path: Path, table: str
) -> None:
    exchange = {"name": "binance", table: {"apiKey": "AAAA1111", "secret": "BBBB2222"}}
    config = {"dry_run": False, "stake_currency": "USDT", "exchange": exchange}
    path = write(tmp_path / "bot.json", json.dumps(config))
    data = export(cli, "--config", path)
    assert data["safety"]["is_live_execution_allowed"] is True  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is True  # type: ignore[index]
    check = cli("audit", "check", "--config", path)
    assert check.code == 1 and f"exchange.{table}.apiKey" in check.out
    assert "AAAA1111" not in check.out + json.dumps(data)
    dry = write(tmp_path / "dry.json", json.dumps({**config, "dry_run": True}))
    assert "inline_credential" in cli("audit", "check", "--config", dry).out


def test_async_client_credentials_are_stored_secrets_but_sign_no_order(
    cli: Cli, tmp_path: Path
) -> None:
    exchange = {"name": "binance", "ccxt_async_config": {"apiKey": "AAAA1", "secret": "BBBB2"}}
    config = {"dry_run": False, "stake_currency": "USDT", "exchange": exchange}
    path = write(tmp_path / "bot.json", json.dumps(config))
    data = export(cli, "--config", path)
    assert [b["code"] for b in data["safety"]["blockers"]] == ["credentials_missing"]  # type: ignore[index]
    assert "inline_credential" in cli("audit", "check", "--config", path).out


def test_a_dex_wallet_can_sign_orders(cli: Cli, tmp_path: Path) -> None:
    exchange = {"name": "hyperliquid", "wallet_address": "0xabc", "private_key": "0xdead"}
    config = {"dry_run": False, "stake_currency": "USDC", "exchange": exchange}
    data = export(cli, "--config", write(tmp_path / "dex.json", json.dumps(config)))
    assert data["safety"]["real_orders_possible"] is True  # type: ignore[index]
    assert data["safety"]["blockers"] == []  # type: ignore[index]


def test_demo_trading_from_the_environment_is_typed_as_freqtrade_types_it(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FREQTRADE__EXCHANGE__DEMO_TRADING", "true")
    data = export(cli, "--config", "spot.json")
    assert data["venues"][0]["sandbox"] is True  # type: ignore[index]


def test_a_long_jwt_key_from_the_environment_protects_the_api_server(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FREQTRADE__API_SERVER__JWT_SECRET_KEY", "r" * 80)
    assert cli("audit", "check", "--config", "spot.json").code == 0
    monkeypatch.setenv("FREQTRADE__API_SERVER__JWT_SECRET_KEY", "somethingrandom")
    result = cli("audit", "check", "--config", "spot.json")
    assert result.code == 1 and "api_server_unprotected" in result.out
    assert "somethingrandom" not in result.out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e999", "stake_amount: must be a finite number"),
        ("inf", "stake_amount: must be a finite number"),
        ("-1e999", "stake_amount: expected `float` > 0.0"),  # msgspec's own range check
        ("nan", "stake_amount: "),
    ],
)
def test_a_non_finite_cap_from_the_environment_is_bad_input(
    cli: Cli, bots: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv("FREQTRADE__STAKE_AMOUNT", value)
    result = cli("audit", "check", "--config", "spot.json")
    assert result.code == 2 and result.err.count("\n") == 1
    assert message in result.err


def test_user_data_config_is_read_whenever_it_is_a_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """freqtrade reads user_data/config.json whenever it exists; a config.json beside it is
    not what the bot runs, even when only that one looks like a bot's."""
    monkeypatch.delenv("PEAK_TRADE_CONFIG_PATH", raising=False)
    (tmp_path / "user_data").mkdir()
    write(tmp_path / "user_data" / "config.json", '{"strategy": "S"}')  # incomplete, but the one
    write(tmp_path / "config.json", '{"dry_run": true, "stake_currency": "USDT", "exchange": {}}')
    monkeypatch.chdir(tmp_path)
    result = cli("audit", "export", "--stdout")
    assert result.code == 2 and "user_data/config.json" in result.err


def test_several_files_are_detected_by_any_of_them(cli: Cli, tmp_path: Path) -> None:
    """freqtrade merges `-c private.json -c config.json`: the keys file alone names no bot."""
    keys = write(tmp_path / "private.json", json.dumps({"exchange": {"key": "k", "secret": "s"}}))
    config = {"dry_run": False, "stake_currency": "USDT", "exchange": {"name": "binance"}}
    main = write(tmp_path / "config.json", json.dumps(config))
    data = export(cli, "--config", keys, "--config", main)
    assert data["config"]["dialect"] == "freqtrade"  # type: ignore[index]
    assert data["safety"]["real_orders_possible"] is True  # type: ignore[index]
    other = write(tmp_path / "other.json", '{"name": "x"}')
    result = cli("status", "--config", other, "--config", keys)
    assert result.code == 2 and "cannot tell which system" in result.err


def test_status_names_the_exchange(cli: Cli, bots: Path) -> None:
    assert "Venue exchange (binance): " in cli("status", "--config", "spot.json").out
