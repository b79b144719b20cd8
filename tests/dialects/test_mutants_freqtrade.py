"""The freqtrade dialect at its exact boundaries (the second hostile round, item 9): tests that
kill the mutants `scripts/mutate.py` left alive in its config loader, gates and policy. Each
asserts behaviour from the contract (freqtrade's own rule, or an oracle written here), never a
value copied from output."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peak_trade.dialects import DIALECT_NAMES
from peak_trade.dialects.freqtrade.assessment import assess
from peak_trade.dialects.freqtrade.config import MAX_INCLUDE_DEPTH, decode
from tests.conftest import CliResult, write

Cli = Callable[..., CliResult]

NAMES = "|".join(DIALECT_NAMES)  # the hint lists every dialect, in list order


@pytest.fixture(autouse=True)
def _no_ambient_freqtrade(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("FREQTRADE__"):
            monkeypatch.delenv(name)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_error_line(result: CliResult) -> str:
    """A bad config is exit 2 with exactly one line on stderr, nothing on stdout."""
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    return result.err.removeprefix("peak-trade: ").rstrip("\n")


# --------------------------------------------------------------------------- include depth


def _chain(root: Path, includes: int, leaf: dict[str, Any]) -> str:
    """c0.json includes c1.json, which includes c2.json ... c<includes>.json, which holds
    `leaf`. c0.json alone says it is freqtrade's (exchange and stake_currency)."""
    for level in range(includes + 1):
        data: dict[str, Any] = dict(leaf) if level == includes else {}
        if level == 0:
            data |= {"exchange": {}, "stake_currency": "USDT"}
        if level < includes:
            data["add_config_files"] = [f"c{level + 1}.json"]
        write(root / f"c{level}.json", json.dumps(data))
    return "c0.json"


def test_freqtrade_allows_exactly_five_include_levels(cli: Cli, here: Path) -> None:
    """freqtrade's `load_from_files` raises when `level > 5`: the top file is level 0, so five
    nested includes load and a sixth does not."""
    assert MAX_INCLUDE_DEPTH == 5  # freqtrade's number, not ours to tune
    top = _chain(here, 5, {"dry_run": False})
    result = cli("audit", "export", "--format", "json", "--config", top)
    assert result.code == 0, result
    data = json.loads(result.out)
    files = [Path(f["path"]).name for f in data["config"]["files"]]
    assert files == [f"c{level}.json" for level in range(6)]
    assert data["gating"]["mode"] == "live"  # the deepest file's dry_run was read

    top = _chain(here, 6, {"dry_run": False})
    line = one_error_line(cli("status", "--config", top))
    # an include is reported relative when the top file was named relative (`here` is the cwd)
    assert line == "c6.json: add_config_files nested deeper than 5"


def test_detection_follows_includes_exactly_as_deep_as_loading(cli: Cli, here: Path) -> None:
    """A top file holding only includes is freqtrade's when its fifth-level include holds
    `dry_run` (loading reads it); at the sixth level loading would refuse, and detection does
    not claim the file either."""
    for level in range(6):
        data: dict[str, Any] = {"add_config_files": [f"d{level + 1}.json"]} if level < 5 else {}
        if level == 5:
            data = {"dry_run": True, "stake_currency": "USDT"}
        write(here / f"d{level}.json", json.dumps(data))
    result = cli("audit", "export", "--format", "json", "--config", "d0.json")
    assert result.code == 0, result
    assert json.loads(result.out)["config"]["dialect"] == "freqtrade"

    for level in range(7):
        data = {"add_config_files": [f"e{level + 1}.json"]} if level < 6 else {"dry_run": True}
        write(here / f"e{level}.json", json.dumps(data))
    line = one_error_line(cli("status", "--config", "e0.json"))
    assert "cannot tell which system" in line
    forced = one_error_line(cli("status", "--config", "e0.json", "--dialect", "freqtrade"))
    assert forced.endswith("e6.json: add_config_files nested deeper than 5")


# --------------------------------------------------------------------------- bad add_config_files


@pytest.mark.parametrize(
    "includes",
    [[1], ["ok.json", 1], [None], [["ok.json"]], [{"path": "ok.json"}], "ok.json", {"a": 1}, 7],
)
@pytest.mark.parametrize("dialect", [(), ("--dialect", "freqtrade")])
def test_add_config_files_that_is_no_list_of_paths_is_one_line_exit_2(
    cli: Cli, here: Path, includes: object, dialect: tuple[str, ...]
) -> None:
    """Never a crash (exit 3) joining a number to a directory: exit 2 naming the file."""
    write(here / "ok.json", '{"stake_amount": 10}')
    text = json.dumps({"dry_run": True, "stake_currency": "USDT", "add_config_files": includes})
    write(here / "bad.json", text)
    for command in (("status",), ("audit", "check"), ("audit", "export", "--stdout")):
        line = one_error_line(cli(*command, "--config", "bad.json", *dialect))
        assert line == "bad.json: add_config_files: expected a list of paths"


def test_a_bad_include_entry_is_found_whatever_the_file_holds(cli: Cli, here: Path) -> None:
    """Detection claims a file whose includes hold a non-path (loading names it), even when
    nothing else in it says freqtrade."""
    write(here / "only.json", json.dumps({"add_config_files": [1]}))
    line = one_error_line(cli("status", "--config", "only.json"))
    assert line == "only.json: add_config_files: expected a list of paths"


def test_an_empty_include_list_is_allowed(cli: Cli, here: Path) -> None:
    write(
        here / "none.json",
        json.dumps({"dry_run": True, "stake_currency": "USDT", "add_config_files": []}),
    )
    result = cli("audit", "export", "--format", "json", "--config", "none.json")
    assert result.code == 0, result
    assert [f["path"] for f in json.loads(result.out)["config"]["files"]] == ["none.json"]


# --------------------------------------------------------------------------- multi-file errors


def test_an_error_in_merged_files_names_every_file_in_reading_order(cli: Cli, here: Path) -> None:
    """The merged config has no single file: its error names all of them, joined by ` + `."""
    write(here / "a.json", '{"dry_run": true}')
    write(here / "b.json", '{"exchange": {}}')
    line = one_error_line(cli("status", "--config", "a.json", "--config", "b.json"))
    assert line == "a.json + b.json: stake_currency: expected an upper-case currency code"
    forced = ("--dialect", "freqtrade")  # b.json alone does not say freqtrade
    line = one_error_line(cli("status", "--config", "b.json", "--config", "a.json", *forced))
    assert line.startswith("b.json + a.json: stake_currency: ")

    write(here / "c.json", '{"stake_currency": "USDT", "stake_amount": "ten"}')
    line = one_error_line(cli("status", "--config", "a.json", "--config", "c.json"))
    assert line.startswith("a.json + c.json: stake_amount: ")
    write(here / "d.json", '{"exchange": {"key": "x"}, "stake_currency": "USDT"}')
    line = one_error_line(cli("status", "--config", "d.json", "--config", "b.json"))
    assert line == "d.json + b.json: dry_run: required by freqtrade (true keeps orders simulated)"


def test_a_single_file_error_names_only_that_file(cli: Cli, here: Path) -> None:
    write(here / "a.json", '{"dry_run": true}')
    line = one_error_line(cli("status", "--config", "a.json", "--dialect", "freqtrade"))
    assert line == "a.json: stake_currency: expected an upper-case currency code"


# --------------------------------------------------------------------------- gates as reported


@pytest.mark.parametrize(
    ("dry_run", "key", "secret", "sandbox"), list(itertools.product([False, True], repeat=4))
)
def test_the_reported_gates_open_exactly_when_nothing_blocks_at_them(
    dry_run: bool, key: bool, secret: bool, sandbox: bool
) -> None:
    """Oracle from the contract: the dry-run gate is open iff dry_run is false; the credentials
    gate iff a key and a secret are both present; real orders leave iff both are open and the
    order client is no sandbox."""
    exchange: dict[str, Any] = {"name": "binance"}
    if key:
        exchange["key"] = "k-not-a-real-key"
    if secret:
        exchange["secret"] = "s-not-a-real-secret"
    if sandbox:
        exchange["ccxt_config"] = {"sandbox": True}
    data = {"dry_run": dry_run, "stake_currency": "USDT", "exchange": exchange}
    assessment = assess(decode(data, files=[("bot.json", data)]))
    gates = {g.gate: g for g in assessment.report.gates}
    credentials = key and secret
    assert gates["Dry-run"].open is (not dry_run)
    assert gates["Dry-run"].value is dry_run
    assert gates["Credentials"].open is credentials
    assert gates["Credentials"].value == ("present" if credentials else "absent")
    assert assessment.config_armed is (not dry_run)
    assert assessment.verdict.allowed is (not dry_run and credentials)
    assert assessment.real_orders_possible is (not dry_run and credentials and not sandbox)


# --------------------------------------------------------------------------- secret paths


#: freqtrade's webhook transport settings (its config_schema's `webhook` properties)
WEBHOOK_SETTINGS = {
    "enabled",
    "format",
    "retries",
    "retry_delay",
    "timeout",
    "allow_custom_messages",
}
SECRET_PATHS = [
    ("telegram", "token"),
    ("telegram", "chat_id"),
    ("telegram", "authorized_users"),
    ("discord", "webhook_url"),
    ("webhook", "url"),
    ("api_server", "username"),
    ("api_server", "password"),
    ("api_server", "jwt_secret_key"),
    ("api_server", "ws_token"),
    ("coingecko", "api_key"),
]


@pytest.mark.parametrize("path", SECRET_PATHS)
def test_everything_at_or_under_a_freqtrade_secret_key_is_secret(path: tuple[str, ...]) -> None:
    """freqtrade's own secret keys (its `show-config` masks them), and whatever a table or a
    `FREQTRADE__…__X` variable puts under one."""
    from peak_trade.dialects.freqtrade.config import is_freqtrade_secret

    assert is_freqtrade_secret(path)
    assert is_freqtrade_secret((*path, "x"))
    assert is_freqtrade_secret((*path, "x", "y"))
    assert not is_freqtrade_secret((path[0], "enabled"))
    assert not is_freqtrade_secret(("x", *path))  # the same names elsewhere are not freqtrade's


@pytest.mark.parametrize("name", ["uid", "login", "headers", "twofa", "walletAddress", "apiKey"])
@pytest.mark.parametrize("table", ["ccxt_config", "ccxt_sync_config", "ccxt_async_config"])
def test_a_ccxt_credential_is_secret_only_in_a_ccxt_table(name: str, table: str) -> None:
    """ccxt's credential names (any case, any `_`), at any depth of a ccxt table; the same
    names elsewhere (a strategy parameter called `login`) are ordinary keys."""
    from peak_trade.dialects.freqtrade.config import is_freqtrade_secret

    assert is_freqtrade_secret(("exchange", table, name))
    assert is_freqtrade_secret(("exchange", table, name.upper()))
    assert is_freqtrade_secret(("exchange", table, "headers", "X-Custom"))
    assert not is_freqtrade_secret(("exchange", table, "options"))
    assert not is_freqtrade_secret(("exchange", name))
    assert not is_freqtrade_secret(("freqai", table, name))
    assert not is_freqtrade_secret(("freqai", "feature_parameters", name))


def test_a_variable_under_a_secret_key_contributes_a_placeholder() -> None:
    """The value of a variable whose path is under a freqtrade secret key is never read into the
    merged config, however deep the variable reaches."""
    from peak_trade.dialects.freqtrade.config import ENV_PLACEHOLDER, env_overrides

    overrides = env_overrides(
        {
            "FREQTRADE__API_SERVER__USERNAME__X": "alice-not-a-real-user",
            "FREQTRADE__TELEGRAM__AUTHORIZED_USERS__X": "12345678",
            "FREQTRADE__API_SERVER__LISTEN_PORT": "8080",
        }
    )
    assert overrides.nested == {
        "api_server": {"username": {"x": ENV_PLACEHOLDER}, "listen_port": 8080},
        "telegram": {"authorized_users": {"x": ENV_PLACEHOLDER}},
    }


# --------------------------------------------------------------------------- typed variables


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("[1.5, 2]", [1.5, 2]),  # freqtrade reads a JSON list (rapidjson)
        ('["BTC/USDT", "ETH/USDT"]', ["BTC/USDT", "ETH/USDT"]),
        ("[1e308]", [1e308]),  # the largest finite doubles are numbers
        ("[1e999]", "[1e999]"),  # rapidjson refuses a number too big for a double: a string
        ("[-1e999]", "[-1e999]"),
        ('{"a": 1}', '{"a": 1}'),  # only a list is parsed
        ("1e999", float("inf")),  # not JSON: Python's float(), as freqtrade's own float()
        ("T", True),
        ("false", False),
        ("0x10", "0x10"),
    ],
)
def test_a_variable_is_typed_as_freqtrade_types_it(raw: str, value: object) -> None:
    from peak_trade.dialects.freqtrade.config import typed

    assert typed(raw) == value
    assert type(typed(raw)) is type(value)


def test_the_facts_are_an_immutable_value_given_by_name() -> None:
    """The gates are decided from the facts: nothing may change them after loading, and five
    booleans in a row are never given by position."""
    from peak_trade.dialects.freqtrade.config import FreqtradeFacts

    data = {"dry_run": True, "stake_currency": "USDT"}
    facts = decode(data, files=[("bot.json", data)]).facts
    assert isinstance(facts, FreqtradeFacts)
    with pytest.raises(AttributeError):
        facts.dry_run = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        FreqtradeFacts(False, None, True, False, False)  # type: ignore[call-arg]


def test_includes_that_lead_to_no_freqtrade_file_are_not_claimed(cli: Cli, here: Path) -> None:
    """Another tool's JSON that happens to have `add_config_files`, all of whose includes are
    readable and none freqtrade's, is not taken for a bot."""
    write(here / "tool.json", json.dumps({"add_config_files": ["a.json", "b.json"]}))
    write(here / "a.json", json.dumps({"name": "not a bot"}))
    write(here / "b.json", json.dumps({"add_config_files": ["a.json", "c.yaml"]}))
    write(here / "c.yaml", "dry_run: true\n")  # readable, but no JSON at all
    line = one_error_line(cli("status", "--config", "tool.json"))
    assert line == (
        f"tool.json: cannot tell which system this config belongs to; use --dialect {NAMES}"
    )
    write(here / "b.json", json.dumps({"add_config_files": ["c.json"]}))
    write(here / "c.json", json.dumps({"dry_run": True, "stake_currency": "USDT"}))
    result = cli("audit", "export", "--format", "json", "--config", "tool.json")
    assert result.code == 0, result  # the second include's include is freqtrade's
    assert json.loads(result.out)["config"]["dialect"] == "freqtrade"


@pytest.mark.parametrize("setting", sorted(WEBHOOK_SETTINGS))
def test_every_webhook_value_but_its_transport_settings_is_secret(setting: str) -> None:
    """A webhook payload carries the receiver's key under any name (Pushover's `user`,
    IFTTT's `value1`), right under `webhook` or deeper; only its transport settings show."""
    from peak_trade.dialects.freqtrade.config import is_freqtrade_secret

    assert not is_freqtrade_secret(("webhook", setting))
    for payload in (("user",), ("value1",), ("webhookentry", "value1")):
        assert is_freqtrade_secret(("webhook", *payload)), payload
    assert not is_freqtrade_secret(("webhook",))  # the table itself: its key names show
    assert not is_freqtrade_secret(("other", "value1"))


# --------------------------------------------------------------------------- variable names


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("FREQTRADE__EXCHANGE__KEY", ("exchange", "key")),
        ("FREQTRADE__EXCHANGE__Name", ("exchange", "name")),  # no ccxt table: lower-cased
        # freqtrade keeps the case of the last part of an exchange path through a ccxt table
        (
            "FREQTRADE__EXCHANGE__CCXT_CONFIG__OPTIONS__defaultType",
            ("exchange", "ccxt_config", "options", "defaultType"),
        ),
        ("FREQTRADE__Exchange__Ccxt_Sync_Config__Uid", ("exchange", "ccxt_sync_config", "Uid")),
        (
            "FREQTRADE__EXCHANGE__CCXT_ASYNC_CONFIG__APIKEY",
            ("exchange", "ccxt_async_config", "APIKEY"),
        ),
        # only the last part, and only under exchange
        (
            "FREQTRADE__EXCHANGE__CCXT_CONFIG__Options__X",
            ("exchange", "ccxt_config", "options", "X"),
        ),
        ("FREQTRADE__FREQAI__CCXT_CONFIG__Foo", ("freqai", "ccxt_config", "foo")),
        ("FREQTRADE__DRY_RUN", ("dry_run",)),
        ("OTHER__DRY_RUN", None),
        ("freqtrade__DRY_RUN", None),  # the prefix is case-sensitive
    ],
)
def test_a_variable_names_the_path_freqtrade_derives(name: str, path: object) -> None:
    from peak_trade.dialects.freqtrade.config import env_key_path

    assert env_key_path(name) == path


def test_a_variable_may_nest_exactly_as_deep_as_any_config() -> None:
    """A variable of MAX_NESTING parts nests as deep as a config may; one more is refused
    (and the message never quotes the whole name)."""
    from peak_trade.dialects.freqtrade.config import env_overrides
    from peak_trade.errors import ConfigError
    from peak_trade.files import MAX_NESTING

    deepest = "FREQTRADE__" + "__".join(["A"] * MAX_NESTING)
    overrides = env_overrides({deepest: "1"})
    value: Any = overrides.nested
    for _ in range(MAX_NESTING):
        (value,) = value.values()
    assert value == 1
    with pytest.raises(ConfigError) as error:
        env_overrides({deepest + "__A": "1"})
    # one short line: the name's first 60 characters, never all of it
    assert str(error.value) == (
        f"{deepest[:60]}...: a variable nested deeper than {MAX_NESTING} levels"
    )


def test_a_generic_secret_variable_contributes_a_placeholder_too() -> None:
    from peak_trade.dialects.freqtrade.config import ENV_PLACEHOLDER, env_overrides

    nested = env_overrides({"FREQTRADE__STRATEGY_PARAMS__API_TOKEN": "t-not-a-real-token"}).nested
    assert nested == {"strategy_params": {"api_token": ENV_PLACEHOLDER}}
    assert env_overrides({"FREQTRADE__TELEGRAM__TOKEN": ""}).nested == {"telegram": {"token": ""}}


# --------------------------------------------------------------------------- content detection


@pytest.mark.parametrize(
    "text",
    [
        "dry_run: true\nstake_currency: USDT\n",  # YAML, not JSON
        "// a comment\n[1, 2]\n",  # JSON, but no object
        '{"exchange": {"name": "binance"}}',  # exchange alone
        '{"stake_currency": "USDT"}',  # stake_currency alone
        '{"add_config_files": []}',
        '{"add_config_files": "x.json"}',
    ],
)
def test_content_freqtrade_does_not_claim(cli: Cli, here: Path, text: str) -> None:
    """freqtrade's content is a JSON object with `dry_run`, or `exchange` and
    `stake_currency` both, or includes leading to one: anything else is nobody's."""
    write(here / "thing.json", text)
    line = one_error_line(cli("status", "--config", "thing.json"))
    assert line.endswith(
        f"thing.json: cannot tell which system this config belongs to; use --dialect {NAMES}"
    )


@pytest.mark.parametrize(
    "text",
    [
        '{"dry_run": true}',
        '/* c */ {"exchange": {}, "stake_currency": "USDT"}',
        '  {"stake_currency": "USDT", "exchange": {}}',
    ],
)
def test_content_freqtrade_claims(text: str) -> None:
    from peak_trade.dialects.freqtrade.config import claims

    assert claims("bot.json", text.encode()) is True


def test_an_unreadable_include_counts_as_freqtrades_and_loading_names_it(
    cli: Cli, here: Path
) -> None:
    """`add_config_files` is freqtrade's own key: a file whose include is missing is claimed,
    and loading then says which include is missing (never "cannot tell")."""
    write(here / "main.json", json.dumps({"add_config_files": ["missing.json"]}))
    line = one_error_line(cli("status", "--config", "main.json"))
    assert "cannot tell" not in line
    assert "missing.json" in line


# --------------------------------------------------------------------------- caps


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("stake_amount", "10"),  # a number in a string is no number to freqtrade's schema
        ("max_open_trades", "3"),
        ("stoploss", "-0.1"),
        ("tradable_balance_ratio", "0.9"),
        ("max_open_trades", True),
    ],
)
def test_a_cap_is_read_strictly(cli: Cli, here: Path, key: str, value: object) -> None:
    write(here / "bot.json", json.dumps({"dry_run": True, "stake_currency": "USDT", key: value}))
    line = one_error_line(cli("status", "--config", "bot.json"))
    assert line.startswith(f"bot.json: {key}: "), line
    assert str(value) not in line.removeprefix(f"bot.json: {key}: ")  # never quoted


def test_the_limits_source_names_each_file_a_binding_cap_came_from(cli: Cli, here: Path) -> None:
    """Oracle: the distinct sources of the caps, in the order the caps are listed."""
    write(
        here / "main.json",
        json.dumps(
            {
                "dry_run": True,
                "stake_currency": "USDT",
                "stake_amount": 10,
                "add_config_files": ["inc.json"],
            }
        ),
    )
    write(here / "inc.json", json.dumps({"stoploss": -0.1, "max_open_trades": 3}))
    write(here / "later.json", json.dumps({"stake_amount": 20}))
    result = cli(
        "audit", "export", "--format", "json", "--config", "main.json", "--config", "later.json"
    )
    assert result.code == 0, result
    risk = json.loads(result.out)["risk"]
    sources = list(dict.fromkeys(cap["source"] for cap in risk["limits"]))
    assert set(sources) == {"later.json", "inc.json"}
    assert risk["limits_source"] == ", ".join(sources)

    write(here / "bare.json", json.dumps({"dry_run": True, "stake_currency": "USDT"}))
    bare = cli("audit", "export", "--format", "json", "--config", "bare.json")
    assert json.loads(bare.out)["risk"]["limits_source"] == "not_set"
