"""Secrets never show: not in repr, not in errors, not in the redacted view."""

from __future__ import annotations

import hashlib
import json
import pickle
from typing import Literal

import pytest
from hypothesis import given

from peak_trade.core.loaded import sha256_redacted
from peak_trade.core.redaction import REDACTED, is_secret_key, redact
from peak_trade.core.secret import Secret
from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.errors import ConfigError
from tests.secret_strategies import assert_no_leak, config_with_secrets, secrets_text


def test_secret_never_shows_itself() -> None:
    secret = Secret("hunter2-very-secret")
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}"):
        assert "hunter2" not in shown
        assert "***" in shown
    assert secret.reveal() == "hunter2-very-secret"
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    assert secret != Secret("hunter2-very-secret")  # no value equality to time


def test_matches_sha256_is_exact() -> None:
    token = Secret("tok")
    assert token.matches_sha256(Secret(hashlib.sha256(b"tok").hexdigest()))
    assert token.matches_sha256(Secret(hashlib.sha256(b"tok").hexdigest().upper()))
    assert not token.matches_sha256(Secret(hashlib.sha256(b"tok2").hexdigest()))


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        (("exchange", "name"), False),  # an allow-listed venue fact
        (("exchange", "nested", "x"), True),  # not allow-listed: secret
        (("exchange", "okx", "private_ws_host"), False),  # an endpoint, despite "private"
        (("exchange", "okx", "api_key_env_var"), False),  # the NAME of a variable
        (("exchange", "okx", "demo_instrument_id"), True),
        (("exchange", "okx", "sandbox"), False),
        (("alerts", "slack", "webhook_env_var"), False),
        (("any", "jwt_secret_key"), True),
        (("any", "Authorization"), True),
        (("any", "wallet_mnemonic"), True),
        (("any", "seed_phrase"), True),
        (("any", "session_cookie"), True),
        (("any", "PWD"), True),
        (("any", "ｐａｓｓｗｏｒｄ"), True),  # full-width: NFKC makes it "password"
        (("environment", "testnet_dry_run"), False),
        (("environment", "confirm_token"), True),
        (("environment", "confirm_token_sha256"), True),
        (("environment", "require_confirm_token"), False),  # a gate, not a secret
        (("environment", "mode"), False),
        (("live_risk", "max_live_notional_total"), False),
        (("any", "API_KEY"), True),
        (("any", "Passphrase"), True),
        (("any", "db_password"), True),
        (("any", "credentials_file"), True),
        (("any", "client_secret"), True),
        (("any", "window"), False),
    ],
)
def test_secret_key_rules(path: tuple[str, ...], secret: bool) -> None:
    assert is_secret_key(path) is secret


@given(
    api_key=secrets_text,
    api_secret=secrets_text,
    token=secrets_text,
    passphrase=secrets_text,
    extra=secrets_text,
)
def test_loaded_config_hides_every_secret(
    api_key: str, api_secret: str, token: str, passphrase: str, extra: str
) -> None:
    secrets = [api_key, api_secret, token, passphrase, extra]
    text = config_with_secrets(api_key, api_secret, token, passphrase, extra)
    loaded = decode_config(text.encode(), origin="s.toml", token_from_env=token)
    assert_no_leak(repr(loaded), secrets, "repr(LoadedConfig)")
    assert_no_leak(repr(loaded.environment), secrets, "repr(EnvironmentConfig)")
    assert_no_leak(json.dumps(loaded.redacted), secrets, "redacted view")
    assert loaded.environment.confirm_token_valid is True
    assert set(loaded.redacted_keys) >= {
        "environment.confirm_token",
        "environment.confirm_token_sha256",
        "exchange.api_key",
        "exchange.api_secret",
        "exchange.passphrase",
        "strategy.broker.Session_Token",
        "strategy.broker.db_password",
        "strategy.broker.accounts[0].private_key",
        "storage.jwt",
        "storage.Auth_Header",
        "storage.wallet_mnemonic",
    }
    leaky = loaded.redacted["exchange"]["leaky"]
    # a URL shows its scheme and host[:port]; user info, path, query, fragment are placeholders
    assert leaky["base_url"] == "https://<redacted>@api.leaky.invalid:8443/<redacted>?<redacted>"
    assert leaky["private_ws_host"] == "wss://ws.leaky.invalid/<redacted>?<redacted>#<redacted>"
    assert loaded.redacted["storage"]["db_url"] == (
        "postgresql://<redacted>@db.internal:5432/<redacted>"
    )
    assert loaded.redacted["strategy"]["broker"]["accounts"][0] == {
        "name": "main",
        "private_key": REDACTED,
    }


@given(secret=secrets_text)
def test_config_errors_never_quote_a_secret(secret: str) -> None:
    bad_configs = [
        # an error elsewhere in a file full of secrets
        config_with_secrets(secret, secret, secret, secret, secret) + "\n[live_risk]\n",
        config_with_secrets(secret, secret, secret, secret, secret).replace(
            'mode = "live"', "mode = 5"
        ),
        # the secret is the offending value itself
        f'[environment]\nconfirm_token_sha256 = "{secret}"\n',
        f'[environment]\napi_key = "{secret}"\n',
        f'[live_risk]\nbase_currency = "{secret}"\n',
        f'[environment]\nmode = "{secret}"\n',
        f'[environment]\nconfirm_token = ["{secret}"]\n',
        f'[exchange]\napi_key = "{secret}\n',
    ]
    for text in bad_configs:
        with pytest.raises(ConfigError) as info:
            decode_config(text.encode(), origin="s.toml")
        assert_no_leak(str(info.value), [secret], "ConfigError message")


def test_redacted_hash_follows_non_secret_settings_only() -> None:
    base = decode_config(b'[environment]\nmode = "live"\n[exchange]\napi_key = "a"\n', origin="c")
    other_key = decode_config(
        b'[environment]\nmode = "live"\n[exchange]\napi_key = "b"\n', origin="c"
    )
    other_mode = decode_config(
        b'[environment]\nmode = "paper"\n[exchange]\napi_key = "a"\n', origin="c"
    )
    reordered = decode_config(
        b'[exchange]\napi_key = "a"\n[environment]\nmode = "live"\n', origin="c"
    )
    assert sha256_redacted(base) == sha256_redacted(other_key) == sha256_redacted(reordered)
    assert sha256_redacted(base) != sha256_redacted(other_mode)


def test_redact_converts_toml_values_to_canonical_json_types() -> None:
    import datetime as dt

    data = {"a": {"when": dt.date(2025, 12, 7), "big": 2**60, "inf": float("inf"), "ok": 1.5}}
    plain, keys = redact(data)
    assert plain == {"a": {"when": "2025-12-07", "big": str(2**60), "inf": "inf", "ok": 1.5}}
    assert keys == ()


@given(first=secrets_text, second=secrets_text)
def test_redacted_hash_cannot_be_used_to_guess_a_secret(first: str, second: str) -> None:
    """Brute force against `sha256_redacted` is impossible: secret values never enter it.

    Two configs that differ only in a secret (a short password in a DB URL, a webhook query
    string, an `auth`/`jwt`/`mnemonic` key, a venue's credential) hash alike.
    """
    template = (
        '[storage]\ndb_url = "postgresql://u:{s}@db/x"\n'
        'webhook = "https://hooks.invalid/x?token={s}"\n'
        'auth = "{s}"\njwt = "{s}"\nmnemonic = "{s}"\n'
        '[exchange.v]\napi_key = "{s}"\nbase_url = "https://{s}@api.invalid/?k={s}"\n'
    )
    one = decode_config(template.format(s=first).encode(), origin="c.toml")
    two = decode_config(template.format(s=second).encode(), origin="c.toml")
    assert sha256_redacted(one) == sha256_redacted(two)


@given(secret=secrets_text)
def test_validation_messages_never_quote_the_value(secret: str) -> None:
    import msgspec

    from peak_trade.core.redaction import validation_message

    for type_, value in [
        (float | Literal["unlimited"], secret),  # freqtrade's stake_amount
        (Literal["paper", "testnet", "live"], secret),
        (Literal[1, 2], 9_000_000_001),
        (int, secret),
        (dict[str, int], {"k": secret}),
    ]:
        with pytest.raises(msgspec.ValidationError) as info:
            msgspec.convert(value, type=type_, strict=True)
        message = validation_message(str(info.value))
        assert_no_leak(message, [secret, str(value)], "validation message")
        assert " - at " not in message
        assert message[:1].islower()
    assert validation_message("Invalid enum value 'x' - at `$.stake_amount`") == (
        "not one of the allowed values"
    )
    assert validation_message("Expected `int`, got `str`") == "expected `int`, got `str`"


@given(secret=secrets_text)
def test_freqtrade_cap_errors_never_quote_the_value(secret: str) -> None:
    from peak_trade.dialects.freqtrade import config as freqtrade

    data = {"dry_run": True, "stake_currency": "USDT", "stake_amount": secret}
    env = freqtrade.env_overrides({"FREQTRADE__STAKE_AMOUNT": secret})
    merged_env = freqtrade.deep_merge(env.nested, dict(data), where="env")
    for merged, overrides in ((data, None), (merged_env, env)):
        with pytest.raises(ConfigError) as info:
            freqtrade.decode(merged, files=[("c.json", data)], env=overrides)
        assert_no_leak(str(info.value), [secret], "ConfigError message")
