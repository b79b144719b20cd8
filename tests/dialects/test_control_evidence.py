"""Each dialect's evidence for the regulatory controls (docs/controls.md), against an oracle of
its own: generated configs with random keys set, unset, at their off value or in a disabled
table, the status of every base control stated from the rules in docs/controls.md (never from
the dialects' code), and every evidence key found in the very file named for it."""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from peak_trade.dialects import DIALECTS, load
from peak_trade.live.controls import (
    ABSENT,
    ACCESS_CONTROL,
    BASE_CONTROLS,
    CREDIT_THRESHOLDS,
    DUPLICATE_ORDERS,
    EXECUTION_THROTTLE,
    KILL_FUNCTIONALITY,
    MAX_MESSAGE_RATE,
    MAX_ORDER_VALUE,
    MAX_ORDER_VOLUME,
    NOT_APPLICABLE,
    NOT_EXPRESSIBLE,
    POST_TRADE_CONTROLS,
    PRESENT,
    PRICE_COLLAR,
    REAL_TIME_ALERTS,
)
from peak_trade.live.evidence import Facts, Judgement, judge_control

_counter = itertools.count()


def judged(loaded: Any) -> dict[str, Judgement]:
    from peak_trade.dialects import named

    table = named(loaded.dialect).control_evidence()
    facts = Facts(loaded, table.locate)
    return {c: judge_control(c, table, facts, loaded.dialect) for c in BASE_CONTROLS}


def fresh(tmp_path: Path) -> Path:
    directory = tmp_path / f"case{next(_counter)}"
    (directory / "config").mkdir(parents=True)
    return directory / "config"


def _has(data: dict[str, Any], key: str) -> bool:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def assert_evidence_in_files(verdicts: dict[str, Judgement], parse: Any) -> None:
    """Every evidence key exists in the file named for it (or names its variable)."""
    for control, verdict in verdicts.items():
        assert (verdict.status == PRESENT) is bool(verdict.evidence), control
        for location in verdict.evidence:
            if location.variable is not None:
                continue
            assert location.file is not None, (control, location)
            assert _has(parse(Path(location.file)), location.key), (control, location)


def test_every_dialect_judges_every_base_control() -> None:
    for dialect in DIALECTS:
        assert set(dialect.control_evidence().judges) == set(BASE_CONTROLS), dialect.name


# --------------------------------------------------------------------------- Peak_Trade

LR, BL = "live_risk.", "bounded_live.limits."
#: the caps a generated config may set in config.toml, and the bounded ones in either file
LIVE_RISK_CAPS = (
    "max_live_notional_per_order",
    "max_order_notional",
    "max_total_exposure_notional",
    "max_symbol_exposure_notional",
    "max_open_positions",
    "max_daily_loss_abs",
    "max_daily_loss_pct",
)
BOUNDED_CAPS = (
    "max_order_notional",
    "max_total_notional",
    "max_open_positions",
    "max_daily_loss_abs",
    "max_daily_loss_pct",
)
INTEGER_CAPS = {"max_open_positions"}
#: a bounded cap replaces this [live_risk] cap while bounded live is enabled (Peak_Trade's
#: LiveRiskLimits.from_config, src/live/risk_limits.py)
REPLACES = {
    BL + "max_order_notional": LR + "max_order_notional",
    BL + "max_total_notional": LR + "max_total_exposure_notional",
    BL + "max_open_positions": LR + "max_open_positions",
    BL + "max_daily_loss_abs": LR + "max_daily_loss_abs",
}
PT_PER_ORDER = (LR + "max_order_notional", BL + "max_order_notional")
PT_DAILY = (LR + "max_daily_loss_abs", BL + "max_daily_loss_abs")
PT_NOT_EXPRESSIBLE = (
    PRICE_COLLAR,
    CREDIT_THRESHOLDS,  # its total, per-symbol and open-positions caps see one batch alone
    MAX_ORDER_VOLUME,
    MAX_MESSAGE_RATE,
    EXECUTION_THROTTLE,
    DUPLICATE_ORDERS,
    REAL_TIME_ALERTS,
    ACCESS_CONTROL,
)

cap_value = st.one_of(st.just(0), st.integers(1, 10_000))
caps = st.dictionaries(st.sampled_from(LIVE_RISK_CAPS), cap_value, max_size=len(LIVE_RISK_CAPS))
bounded_caps = st.dictionaries(st.sampled_from(BOUNDED_CAPS), cap_value, max_size=3)
kill_switch = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "enabled": st.booleans(),
            "mode": st.sampled_from(["active", "disabled"]),
            "daily_loss": st.booleans(),  # a [kill_switch.triggers.daily_loss] table
        },
    ),
)


def _value(key: str, value: int) -> str:
    if key.rsplit(".", 1)[-1] in INTEGER_CAPS:
        return str(value)
    return f"{float(value)!r}" if key.rsplit(".", 1)[-1] != "max_daily_loss_pct" else "3.0"


def _pt_text(
    mode: str,
    enabled: bool | None,
    main_caps: dict[str, int],
    bounded_enabled: bool | None,
    main_bounded: dict[str, int],
    alerts: bool,
) -> str:
    lines = ["[environment]", f'mode = "{mode}"', "", "[live_risk]"]
    if enabled is not None:
        lines.append(f"enabled = {str(enabled).lower()}")
    lines += [f"{k} = {_value(k, v)}" for k, v in main_caps.items()]
    if bounded_enabled is not None or main_bounded:
        lines += ["", "[bounded_live]"]
        if bounded_enabled is not None:
            lines.append(f"enabled = {str(bounded_enabled).lower()}")
        if main_bounded:
            lines += ["", "[bounded_live.limits]"]
            lines += [f"{k} = {_value(k, v)}" for k, v in main_bounded.items()]
    if alerts:
        lines += ["", "[live_alerts]", 'sinks = ["webhook"]', 'webhook_urls = ["https://h"]']
    return "\n".join(lines) + "\n"


def pt_oracle(
    mode: str,
    enabled: bool,
    main_caps: dict[str, int],
    bounded_in_main: bool,
    main_bounded: dict[str, int],
    overlay_limits: bool,
    ks: dict[str, Any] | None,
) -> dict[str, tuple[str, set[str]]]:
    """(status, evidence keys) of every base control, from docs/controls.md: a cap counts in
    mode paper or testnet with live_risk.enabled, from config.toml itself (the sessions never
    read bounded_live.toml), a bounded cap only while config.toml enables bounded live, a
    [live_risk] cap unless a bounded cap of config.toml replaces it, a daily-loss cap in mode
    paper only and never in percent; the kill switch only on the live path. The total,
    per-symbol and open-positions caps compare the orders being checked alone: no setting
    bounds the aggregate."""
    usable = mode != "live" and enabled
    configured = {LR + k for k in main_caps}
    shown_bounded = {} if overlay_limits else main_bounded  # the overlay's limits table wins
    configured |= {BL + k for k in shown_bounded}

    def counts(key: str) -> bool:
        if key not in configured or not usable:
            return False
        if key.startswith(BL):
            return bounded_in_main
        replaced = next((b for b, r in REPLACES.items() if r == key), None)
        return not (
            bounded_in_main and replaced is not None and replaced[len(BL) :] in main_bounded
        )

    def cap_control(keys: tuple[str, ...], *, paper: bool = False) -> tuple[str, set[str]]:
        found = {k for k in keys if counts(k) and (mode == "paper" or not paper)}
        return (PRESENT if found else ABSENT), found

    kill_ok = ks is not None and ks.get("enabled") is True and ks.get("mode") != "disabled"
    kill_keys = {"kill_switch.enabled"} | ({"kill_switch.mode"} if "mode" in (ks or {}) else set())
    expected = {
        KILL_FUNCTIONALITY: (PRESENT, kill_keys) if kill_ok and mode == "live" else (ABSENT, set()),
        MAX_ORDER_VALUE: cap_control(PT_PER_ORDER),
        POST_TRADE_CONTROLS: cap_control(PT_DAILY, paper=True),
    }
    expected |= {c: (NOT_EXPRESSIBLE, set()) for c in PT_NOT_EXPRESSIBLE}
    return expected


def _parse_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


@pytest.mark.parametrize("mode", ["paper", "testnet", "live"])
@settings(max_examples=60)
@example(  # 0 is a cap (every order breaches it); a bounded cap replaces its [live_risk] twin
    enabled=None,
    main_caps={"max_order_notional": 0, "max_open_positions": 0},
    bounded_enabled=True,
    main_bounded={"max_order_notional": 5, "max_total_notional": 0},
    overlay=None,
    ks={"enabled": True, "mode": "active"},
    alerts=True,
)
@example(  # the overlay's limits table is never read by a session; a trigger is no evidence
    enabled=True,
    main_caps={"max_daily_loss_abs": 5, "max_daily_loss_pct": 3},
    bounded_enabled=False,
    main_bounded={"max_daily_loss_abs": 1},
    overlay=(True, {"max_open_positions": 2}),
    ks={"enabled": True, "mode": "disabled", "daily_loss": True},
    alerts=False,
)
@example(
    enabled=False,
    main_caps={"max_order_notional": 1},
    bounded_enabled=None,
    main_bounded={},
    overlay=(False, {}),
    ks={"mode": "active"},
    alerts=False,
)
@given(
    enabled=st.one_of(st.none(), st.booleans()),
    main_caps=caps,
    bounded_enabled=st.one_of(st.none(), st.booleans()),
    main_bounded=bounded_caps,
    overlay=st.one_of(st.none(), st.tuples(st.booleans(), bounded_caps)),
    ks=kill_switch,
    alerts=st.booleans(),
)
def test_peak_trade_controls_match_the_oracle(
    tmp_path: Path,
    mode: str,
    enabled: bool | None,
    main_caps: dict[str, int],
    bounded_enabled: bool | None,
    main_bounded: dict[str, int],
    overlay: tuple[bool, dict[str, int]] | None,
    ks: dict[str, Any] | None,
    alerts: bool,
) -> None:
    directory = fresh(tmp_path)
    config = directory / "config.toml"
    config.write_text(_pt_text(mode, enabled, main_caps, bounded_enabled, main_bounded, alerts))
    overlay_limits = False
    if overlay is not None:
        overlay_enabled, overlay_caps = overlay
        text = f"[bounded_live]\nenabled = {str(overlay_enabled).lower()}\n"
        if overlay_caps:
            overlay_limits = True
            text += "\n[bounded_live.limits]\n" + "".join(
                f"{k} = {_value(k, v)}\n" for k, v in overlay_caps.items()
            )
        (directory / "bounded_live.toml").write_text(text)
    if ks is not None:
        (directory / "risk").mkdir()
        body = "[kill_switch]\n"
        body += f"enabled = {str(ks['enabled']).lower()}\n" if "enabled" in ks else ""
        body += f'mode = "{ks["mode"]}"\n' if "mode" in ks else ""
        if ks.get("daily_loss"):
            body += "\n[kill_switch.triggers.daily_loss]\nenabled = true\nthreshold = -0.05\n"
        (directory / "risk" / "kill_switch.toml").write_text(body)
    loaded = load([str(config)], environ={})
    verdicts = judged(loaded)
    expected = pt_oracle(
        mode,
        enabled is not False,
        main_caps,
        bounded_enabled is True,
        main_bounded,
        overlay_limits,
        ks,
    )
    assert {c: (v.status, {e.key for e in v.evidence}) for c, v in verdicts.items()} == expected
    assert_evidence_in_files(verdicts, _parse_toml)
    for control, verdict in verdicts.items():
        if verdict.status == ABSENT:
            assert verdict.keys and verdict.fix, control  # names what would provide it
        if verdict.status == PRESENT and control != KILL_FUNCTIONALITY:
            assert {e.file for e in verdict.evidence} == {str(config)}


def test_in_mode_live_the_caps_evidence_nothing_and_name_the_mode(tmp_path: Path) -> None:
    directory = fresh(tmp_path)
    config = directory / "config.toml"
    config.write_text(
        _pt_text("live", True, dict.fromkeys(LIVE_RISK_CAPS, 10), True, {}, alerts=False)
    )
    verdicts = judged(load([str(config)], environ={}))
    for control in (MAX_ORDER_VALUE, POST_TRADE_CONTROLS):
        assert verdicts[control].status == ABSENT
        assert [k.key for k in verdicts[control].keys] == ["environment.mode"]
        assert "bounded pilot" in (verdicts[control].note or "")


def test_with_risk_limits_off_no_cap_evidences_anything(tmp_path: Path) -> None:
    directory = fresh(tmp_path)
    config = directory / "config.toml"
    config.write_text(
        _pt_text("paper", False, dict.fromkeys(LIVE_RISK_CAPS, 10), None, {}, alerts=False)
    )
    verdicts = judged(load([str(config)], environ={}))
    for control in (MAX_ORDER_VALUE, POST_TRADE_CONTROLS):
        assert verdicts[control].status == ABSENT
        assert [k.key for k in verdicts[control].keys] == ["live_risk.enabled"]
        assert verdicts[control].keys[0].file == str(config)  # where the key already is


def test_the_embedded_default_is_no_evidence() -> None:
    from peak_trade.dialects.peak_trade.config import embedded_default_config

    verdicts = judged(embedded_default_config())
    assert {c for c, v in verdicts.items() if v.status == PRESENT} == set()
    assert verdicts[MAX_ORDER_VALUE].status == ABSENT
    assert "in no config file" in (verdicts[MAX_ORDER_VALUE].note or "")


def test_the_batch_caps_are_noted_never_a_credit_threshold(tmp_path: Path) -> None:
    directory = fresh(tmp_path)
    config = directory / "config.toml"
    config.write_text(_pt_text("paper", True, {"max_total_exposure_notional": 9}, None, {}, False))
    verdict = judged(load([str(config)], environ={}))[CREDIT_THRESHOLDS]
    assert verdict.status == NOT_EXPRESSIBLE
    assert "live_risk.max_total_exposure_notional configured here" in (verdict.note or "")


def test_a_kill_switch_trigger_is_noted_never_evidence(tmp_path: Path) -> None:
    directory = fresh(tmp_path)
    (directory / "config.toml").write_text('[environment]\nmode = "live"\n')
    (directory / "risk").mkdir()
    (directory / "risk" / "kill_switch.toml").write_text(
        '[kill_switch]\nenabled = true\nmode = "active"\n\n'
        "[kill_switch.triggers.daily_loss]\nenabled = true\nthreshold = -0.05\n"
    )
    verdicts = judged(load([str(directory / "config.toml")], environ={}))
    assert verdicts[KILL_FUNCTIONALITY].status == PRESENT
    assert verdicts[POST_TRADE_CONTROLS].status == ABSENT
    assert "no kill-switch trigger is evaluated" in (verdicts[POST_TRADE_CONTROLS].note or "")


# --------------------------------------------------------------------------- freqtrade

SAMPLE_JWT = "super-secret"
LONG_JWT = "k" * 40
text_or_empty = st.sampled_from(["", "set-in-file"])
ft_caps = st.fixed_dictionaries(
    {},
    optional={
        "stake_amount": st.one_of(st.just("unlimited"), st.integers(1, 500)),
        "max_open_trades": st.integers(-1, 5),
        "available_capital": st.one_of(st.just(0), st.integers(1, 9000)),
        "tradable_balance_ratio": st.sampled_from([0.0, 0.5, 0.99, 1.0]),
        "stoploss": st.sampled_from([-1.0, -0.5, -0.1]),
        "custom_price_max_distance_ratio": st.sampled_from([0.01, 0.02, 1.0]),
    },
)
channels = st.fixed_dictionaries(
    {},
    optional={
        "telegram": st.fixed_dictionaries(
            {},
            optional={"enabled": st.booleans(), "token": text_or_empty, "chat_id": text_or_empty},
        ),
        "discord": st.fixed_dictionaries(
            {}, optional={"enabled": st.booleans(), "webhook_url": text_or_empty}
        ),
        "webhook": st.fixed_dictionaries(
            {}, optional={"enabled": st.booleans(), "url": text_or_empty}
        ),
        "api_server": st.fixed_dictionaries(
            {},
            optional={
                "enabled": st.booleans(),
                "username": text_or_empty,
                "password": text_or_empty,
                "jwt_secret_key": st.sampled_from(["", "short", SAMPLE_JWT, LONG_JWT]),
            },
        ),
    },
)
ALERT_NEEDS = {"telegram": ("token", "chat_id"), "discord": ("webhook_url",), "webhook": ("url",)}
FT_NOT_EXPRESSIBLE = (
    KILL_FUNCTIONALITY,
    MAX_ORDER_VOLUME,
    MAX_MESSAGE_RATE,
    EXECUTION_THROTTLE,
    DUPLICATE_ORDERS,
)


def ft_oracle(data: dict[str, Any]) -> dict[str, tuple[str, set[str]]]:
    """From docs/controls.md: every cap freqtrade reads it applies, so a cap set in the file
    counts unless it is freqtrade's unlimited value (-1, "unlimited"), tradable_balance_ratio 1
    (the whole balance) or -1 as stoploss (a 100 % loss), and tradable_balance_ratio is unused
    beside available_capital; a channel counts when enabled with what it sends to; each enabled
    remote interface needs its credentials."""

    def cap(keys: tuple[str, ...], ok: Any) -> tuple[str, set[str]]:
        found = {k for k in keys if k in data and ok(k, data[k])}
        return (PRESENT if found else ABSENT), found

    def credit_ok(key: str, value: Any) -> bool:
        if key == "max_open_trades":
            return bool(value != -1)
        if key == "tradable_balance_ratio":
            return value != 1.0 and "available_capital" not in data
        return True

    found_alerts: set[str] = set()
    for table, needs in ALERT_NEEDS.items():
        section = data.get(table, {})
        if section.get("enabled") is True and all(section.get(n) for n in needs):
            found_alerts |= {f"{table}.{k}" for k in ("enabled", *needs)}
    api, telegram = data.get("api_server", {}), data.get("telegram", {})
    interfaces = []
    access_keys: set[str] = set()
    if api.get("enabled") is True:
        jwt = api.get("jwt_secret_key", "")
        interfaces.append(
            bool(api.get("username")) and bool(api.get("password")) and len(jwt) >= 32
        )
        access_keys |= {f"api_server.{k}" for k in ("enabled", "username", "password")}
        access_keys.add("api_server.jwt_secret_key")
    if telegram.get("enabled") is True:
        interfaces.append(bool(telegram.get("chat_id")))
        access_keys |= {"telegram.enabled", "telegram.chat_id"}
    if not interfaces:
        access: tuple[str, set[str]] = (NOT_APPLICABLE, set())
    else:
        access = (PRESENT, access_keys) if all(interfaces) else (ABSENT, set())
    expected = {
        PRICE_COLLAR: cap(("custom_price_max_distance_ratio",), lambda k, v: True),
        MAX_ORDER_VALUE: cap(("stake_amount",), lambda k, v: v != "unlimited"),
        CREDIT_THRESHOLDS: cap(
            ("max_open_trades", "available_capital", "tradable_balance_ratio"), credit_ok
        ),
        POST_TRADE_CONTROLS: cap(("stoploss",), lambda k, v: v != -1.0),
        REAL_TIME_ALERTS: ((PRESENT, found_alerts) if found_alerts else (ABSENT, set())),
        ACCESS_CONTROL: access,
    }
    expected |= {c: (NOT_EXPRESSIBLE, set()) for c in FT_NOT_EXPRESSIBLE}
    return expected


def _parse_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@settings(max_examples=150)
@example(dry_run=True, capped={"tradable_balance_ratio": 1.0}, tables={}, included=set())
@example(dry_run=True, capped={"stoploss": -1.0, "max_open_trades": -1}, tables={}, included=set())
@example(
    dry_run=False,
    capped={"stake_amount": "unlimited", "tradable_balance_ratio": 0.5, "available_capital": 0},
    tables={"webhook": {"enabled": True, "url": ""}, "api_server": {"enabled": False}},
    included={"stake_amount"},
)
@example(
    dry_run=True,
    capped={"max_open_trades": 0},
    tables={
        "telegram": {"enabled": True, "token": "set-in-file", "chat_id": "set-in-file"},
        "api_server": {
            "enabled": True,
            "username": "set-in-file",
            "password": "set-in-file",
            "jwt_secret_key": SAMPLE_JWT,
        },
    },
    included={"telegram"},
)
@given(
    dry_run=st.booleans(),
    capped=ft_caps,
    tables=channels,
    included=st.sets(st.sampled_from(["stake_amount", "max_open_trades", "telegram", "stoploss"])),
)
def test_freqtrade_controls_match_the_oracle(
    tmp_path: Path,
    dry_run: bool,
    capped: dict[str, Any],
    tables: dict[str, Any],
    included: set[str],
) -> None:
    """Some keys live in a file `add_config_files` includes: their evidence names that file."""
    directory = fresh(tmp_path)
    data: dict[str, Any] = {
        "dry_run": dry_run,
        "stake_currency": "USDT",
        "exchange": {"name": "binance"},
        **capped,
        **tables,
    }
    moved = {k: data.pop(k) for k in sorted(included) if k in data}
    main = directory / "config.json"
    if moved:
        (directory / "extra.json").write_text(json.dumps(moved))
        data["add_config_files"] = ["extra.json"]
    main.write_text(json.dumps(data))
    merged = {**data, **moved}
    verdicts = judged(load([str(main)], environ={}))
    assert {c: (v.status, {e.key for e in v.evidence}) for c, v in verdicts.items()} == ft_oracle(
        merged
    )
    assert_evidence_in_files(verdicts, _parse_json)
    for verdict in verdicts.values():
        for location in verdict.evidence:
            home = "extra.json" if location.key.split(".")[0] in moved else "config.json"
            assert Path(location.file or "").name == home, location


def test_a_freqtrade_setting_from_the_environment_names_its_variable(tmp_path: Path) -> None:
    directory = fresh(tmp_path)
    main = directory / "config.json"
    main.write_text(json.dumps({"dry_run": True, "stake_currency": "USDT", "stake_amount": 5}))
    loaded = load([str(main)], environ={"FREQTRADE__STAKE_AMOUNT": "20"})
    verdict = judged(loaded)[MAX_ORDER_VALUE]
    assert verdict.status == PRESENT
    (location,) = verdict.evidence
    assert (location.key, location.file, location.variable) == (
        "stake_amount",
        None,
        "FREQTRADE__STAKE_AMOUNT",
    )


def test_an_empty_freqtrade_password_is_no_access_control(tmp_path: Path) -> None:
    """Redaction hides a secret's value, an empty one too: the loader notes which are empty."""
    directory = fresh(tmp_path)
    main = directory / "config.json"
    api = {"enabled": True, "username": "op", "password": "", "jwt_secret_key": LONG_JWT}
    main.write_text(json.dumps({"dry_run": True, "stake_currency": "USDT", "api_server": api}))
    verdict = judged(load([str(main)], environ={}))[ACCESS_CONTROL]
    assert verdict.status == ABSENT
    assert [k.key for k in verdict.keys] == ["api_server.password"]
