"""Differential test against freqtrade itself (DESIGN §8): for generated configs, our merged view
(dry_run, credentials present, caps) equals what `freqtrade.configuration.Configuration` loads
from the same files and environment.

Runs only where freqtrade is installed (it pulls pandas and ccxt, never a dependency of ours):
`.ci/run` installs it into a venv of its own and runs this file there.
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

configuration = pytest.importorskip("freqtrade.configuration")

from peak_trade.dialects.freqtrade import config as ours  # noqa: E402

logging.disable(logging.CRITICAL)

bools = st.booleans()
stakes = st.one_of(st.just("unlimited"), st.integers(1, 5000), st.floats(0.5, 5000.0))
trades = st.integers(-1, 20)
secretish = st.sampled_from(["", "k-1", "another-key"])


@st.composite
def setups(draw: st.DrawFn) -> dict[str, Any]:
    main: dict[str, Any] = {
        "dry_run": draw(bools),
        "stake_currency": "USDT",
        "stake_amount": draw(stakes),
        "max_open_trades": draw(trades),
        "exchange": {"name": "binance", "key": draw(secretish), "secret": draw(secretish)},
        "pairlists": [{"method": "StaticPairList"}],
    }
    included: dict[str, Any] | None = None
    if draw(bools):
        included = {"max_open_trades": draw(trades), "exchange": {"secret": draw(secretish)}}
        if draw(bools):
            included["dry_run"] = draw(bools)  # the including file wins anyway
        main["add_config_files"] = ["included.json"]
    later: dict[str, Any] | None = {"stake_amount": draw(stakes)} if draw(bools) else None
    env: dict[str, str] = {}
    if draw(bools):
        env["FREQTRADE__DRY_RUN"] = draw(st.sampled_from(["true", "false", "t", "f", "True"]))
    if draw(bools):
        env["FREQTRADE__EXCHANGE__KEY"] = draw(st.sampled_from(["", "env-key"]))
    if draw(bools):
        env["FREQTRADE__MAX_OPEN_TRADES"] = str(draw(trades))
    env.update(draw(odd_variables()))
    link = None
    if included is not None:
        link = draw(st.sampled_from([None, "file", "directory"]))
    if link:  # the include alone decides dry_run and max_open_trades: a decoy read would show
        included["dry_run"] = main.pop("dry_run")
        included["max_open_trades"] = main.pop("max_open_trades")
    return {"main": main, "included": included, "later": later, "env": env, "link": link}


#: the key paths the views compare, spelled as a deployment might spell them
_PATHS = (["DRY_RUN"], ["EXCHANGE", "KEY"], ["EXCHANGE", "SECRET"], ["MAX_OPEN_TRADES"])
_VALUES = {
    "DRY_RUN": st.sampled_from(["true", "false", "t", "F", "0", "[1]"]),
    "KEY": st.sampled_from(["", "env-key"]),
    "SECRET": st.sampled_from(["", "env-secret"]),
    "MAX_OPEN_TRADES": st.sampled_from(["-1", "2", "7"]),
}


@st.composite
def odd_variables(draw: st.DrawFn) -> dict[str, str]:
    """Variable names freqtrade's `replace`-based parser reads in surprising ways: the prefix
    again anywhere in the name (even inside a word), lower-case parts, empty parts."""
    found: dict[str, str] = {}
    for _ in range(draw(st.integers(0, 3))):
        parts = list(draw(st.sampled_from(_PATHS)))
        value = draw(_VALUES[parts[-1]])
        if draw(bools):
            parts = [p.lower() if draw(bools) else p for p in parts]
        body = "__".join(parts)
        if draw(bools):
            cut = draw(st.integers(0, len(body)))
            body = body[:cut] + "FREQTRADE__" + body[cut:]
        if draw(st.integers(0, 9)) == 0:
            body += "__"  # an empty last part: a table where a value was
        found["FREQTRADE__" + body] = value
    return found


def _freqtrade_view(files: list[str]) -> dict[str, Any] | str:
    """freqtrade's own view, or "error" where it does not start: its loader raises, or its
    config schema (checked when the bot starts) refuses a non-boolean `dry_run`."""
    try:
        cfg = configuration.Configuration.from_files(files)
    except Exception:  # noqa: BLE001 - any failure means the bot does not start
        return "error"
    if not isinstance(cfg.get("dry_run"), bool):
        return "error"
    exchange = cfg.get("exchange", {})
    trades_value = cfg.get("max_open_trades")
    return {
        "dry_run": cfg["dry_run"],
        "credentials": bool(exchange.get("key")) and bool(exchange.get("secret")),
        "stake_amount": cfg.get("stake_amount"),
        "max_open_trades": -1 if trades_value in (-1, math.inf) else trades_value,
    }


def _our_view(files: list[str], environ: dict[str, str]) -> dict[str, Any] | str:
    try:
        loaded = ours.load(files, environ)
    except ours.ConfigError:
        return "error"
    assert isinstance(loaded.facts, ours.FreqtradeFacts)
    caps = {c.key: ("unlimited" if c.unlimited else c.value) for c in loaded.caps}
    trades_value = caps.get("max_open_trades")
    return {
        "dry_run": loaded.facts.dry_run,
        "credentials": loaded.facts.credentials_present,
        "stake_amount": caps.get("stake_amount"),
        "max_open_trades": -1 if trades_value == "unlimited" else trades_value,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setup=setups())
def test_our_merged_view_equals_freqtrades(
    setup: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("ft")
    (home / "user_data").mkdir()
    # the main file and what it includes lie in `real`; a linked main file or directory reads
    # its includes from there, never from the decoy beside the link
    real = home / "release" if setup["link"] else home
    real.mkdir(exist_ok=True)
    (real / "main.json").write_text(json.dumps(setup["main"]))
    if setup["included"] is not None:
        (real / "included.json").write_text(json.dumps(setup["included"]))
    main = "main.json"
    if setup["link"] == "file":
        (home / "main.json").symlink_to(real / "main.json")
    elif setup["link"] == "directory":
        (home / "current").symlink_to(real, target_is_directory=True)
        main = "current/main.json"
    if setup["link"]:
        assert setup["included"] is not None
        decoy = {"dry_run": not setup["included"]["dry_run"], "max_open_trades": 99}
        (home / "included.json").write_text(json.dumps(decoy))
    files = [main]
    if setup["later"] is not None:
        (home / "later.json").write_text(json.dumps(setup["later"]))
        files.append("later.json")
    saved_cwd, saved_env = Path.cwd(), dict(os.environ)
    try:
        os.chdir(home)
        for name in [n for n in os.environ if n.startswith("FREQTRADE__")]:
            del os.environ[name]
        os.environ.update(setup["env"])
        theirs = _freqtrade_view(files)
        mine = _our_view(files, dict(os.environ))
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    assert mine == theirs
