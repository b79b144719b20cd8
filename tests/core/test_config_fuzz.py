"""Any bytes as a config file: a decoded config or a ConfigError, never another exception."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from peak_trade.core.loaded import LoadedConfig
from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.errors import ConfigError
from peak_trade.live.safety import SafetyGuard, evaluate_gates

TOML_FRAGMENTS = st.sampled_from(
    [
        "[environment]\n",
        "[live_risk]\n",
        "[exchange]\n",
        "[[environment]]\n",
        'mode = "live"\n',
        "mode = 'paper'\n",
        "enable_live_trading = true\n",
        "live_mode_armed = true\n",
        "live_dry_run_mode = false\n",
        "require_confirm_token = false\n",
        "max_live_notional_per_order = 1e308\n",
        "max_live_notional_total = inf\n",
        "live_trade_min_size = -0.0\n",
        "x = 1979-05-27T07:32:00Z\n",
        "y = [1, 'a', {b = 2}]\n",
        'api_key = "k"\n',
        "= \n",
        "\x00",
        "\xff",
        '"""',
        "a.b.c = 1\n",
        "[a.b]\n",
        "n = 9223372036854775807\n",
    ]
)


def _check(raw: bytes) -> None:
    try:
        loaded = decode_config(raw, origin="fuzz.toml")
    except ConfigError as error:
        assert "\n" not in str(error)
        assert not SafetyGuard(error).is_live_execution_allowed()
        return
    assert isinstance(loaded, LoadedConfig)
    verdict = evaluate_gates(loaded.environment)
    # no token is supplied here, so only a config that explicitly opens every gate and does
    # not require the token could be allowed
    env = loaded.environment
    if verdict.allowed:
        assert env.mode.value == "live" and env.require_confirm_token is False
        assert env.enable_live_trading and env.live_mode_armed and not env.live_dry_run_mode


@given(st.binary(max_size=512))
@example(b"\xff\xfe")
@example(b"a = 1979-13-45")
@example(b"a = 99999-01-01")
@example(b"[" * 2000)
@example(b"a = " + b"[" * 2000)
def test_any_bytes(raw: bytes) -> None:
    _check(raw)


@given(st.lists(TOML_FRAGMENTS, max_size=12))
def test_toml_like_fragments(parts: list[str]) -> None:
    _check("".join(parts).encode("utf-8", "surrogatepass"))
