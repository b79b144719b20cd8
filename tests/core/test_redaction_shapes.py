"""URLs and secret-shaped values: what the redacted view and the venue endpoints may show.

Rule: a URL shows `scheme://host[:port]` only; its user info, path, query string and fragment
are `<redacted>` placeholders. When what an HTTP client would take as the host is in doubt (an
`@` past the authority, a port that does not parse), the whole URL is `scheme://<redacted>`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.core.loaded import sha256_redacted
from peak_trade.core.redaction import (
    REDACTED,
    endpoint_origin,
    is_secret_value,
    strip_url_secrets,
)
from peak_trade.dialects.freqtrade import config as freqtrade
from peak_trade.dialects.peak_trade.config import decode_config
from tests.secret_strategies import (
    assert_no_leak,
    jwts,
    mnemonics,
    secrets_text,
    url_passwords,
    webhook_urls_by_provider,
)


def _path_tokens(url: str) -> list[str]:
    """The segments of a webhook URL's path that are not the provider's fixed words."""
    return [
        p for p in url.split("/")[3:] if p not in {"api", "webhooks", "services", "sendMessage"}
    ]


def _leaks(text: str, secrets: list[str], where: str) -> None:
    """No part of a secret (of 8 characters or more), in any letter case (endpoints are
    lower-cased)."""
    assert_no_leak(text.lower(), [s.lower() for s in secrets if len(s) >= 8], where)


def _peak(text: str) -> Any:
    return decode_config(text.encode(), origin="c.toml")


def _freqtrade(data: dict[str, Any], environ: dict[str, str] | None = None) -> Any:
    env = freqtrade.env_overrides(environ or {})
    merged = freqtrade.deep_merge(env.nested, json.loads(json.dumps(data)), where="env")
    return freqtrade.decode(merged, files=[("config.json", data)], env=env)


def _freqtrade_base(**extra: Any) -> dict[str, Any]:
    return {"dry_run": True, "stake_currency": "USDT", "exchange": {"name": "binance"}, **extra}


# --------------------------------------------------------------------------- 1. URL user info

BRIEF_URLS = [
    # the password holds "/": the authority ends there for every parser
    "https://trader:Pw9SECRETpart1/SECRETpart2@api.kraken.com/0",
    "https://trader:Pw9SECRETpart1?SECRETpart2@api.kraken.com/0",
    "https://trader:Pw9SECRETpart1#SECRETpart2@api.kraken.com/0",
    "https://trader:Pw9SECRETpart1@SECRETpart2@api.kraken.com/0",
    "https://trader:Pw9SECRETpart1\\SECRETpart2@api.kraken.com/0",
    "https://trader:1234/SECRETpart2@api.kraken.com/0",  # "trader:1234" parses as host:port
    "https://trader:Pw9SECRETpart1 SECRETpart2@api.kraken.com/0",
    "https://trader:Pw9SECRETpart1:SECRETpart2@api.kraken.com/0",
    "https://:Pw9SECRETpart1@api.kraken.com/0",
]
BRIEF_SECRETS = ["Pw9SECRETpart1", "SECRETpart2", "trader:1234"]


@pytest.mark.parametrize("url", BRIEF_URLS)
def test_venue_endpoint_never_shows_user_info(url: str) -> None:
    loaded = _peak(f"[exchange.kraken]\nbase_url = '{url}'\nws_private_url = '{url}'\n")
    shown = [e for v in loaded.venues for e in v.endpoints]
    assert shown, "an endpoint is configured: it is shown (as a host or a placeholder)"
    for endpoint in shown:
        assert endpoint in ("https://api.kraken.com", f"https://{REDACTED}")
    _leaks(json.dumps(shown), BRIEF_SECRETS, "venue endpoints")
    _leaks(json.dumps(loaded.redacted), BRIEF_SECRETS, "redacted view")


@pytest.mark.parametrize("url", BRIEF_URLS)
def test_freqtrade_ccxt_urls_never_show_user_info(url: str) -> None:
    for table in ("ccxt_config", "ccxt_sync_config", "ccxt_async_config"):
        data = _freqtrade_base()
        data["exchange"][table] = {"urls": {"api": {"public": url, "private": url}}}
        loaded = _freqtrade(data)
        _leaks(json.dumps(loaded.venues[0].endpoints), BRIEF_SECRETS, "freqtrade endpoints")
        _leaks(json.dumps(loaded.redacted), BRIEF_SECRETS, "freqtrade redacted view")


@pytest.mark.parametrize("url", BRIEF_URLS)
def test_urls_in_any_value_never_show_user_info(url: str) -> None:
    loaded = _peak(
        f"[storage]\nurl = '{url}'\nnote = 'primary {url} then backup'\nlist = ['{url}']\n"
    )
    _leaks(json.dumps(loaded.redacted), BRIEF_SECRETS, "redacted view")


@given(user=secrets_text, password=url_passwords, port=st.sampled_from(["", ":8443"]))
def test_generated_passwords_never_leak(user: str, password: str, port: str) -> None:
    url = f"https://{user}:{password}@api.venue.invalid{port}/v1?x=1"
    db_url = url.replace("https", "postgresql")
    loaded = _peak(f'[exchange.v]\nbase_url = "{url}"\n[storage]\ndb_url = "{db_url}"\n')
    secrets = [user, *password.replace("%2F", "/").split("/")]
    secrets = [s for part in secrets for s in part.replace("?", "#").replace("@", "#").split("#")]
    _leaks(json.dumps([v.endpoints for v in loaded.venues]), secrets, "venue endpoints")
    _leaks(json.dumps(loaded.redacted), secrets, "redacted view")
    data = _freqtrade_base()
    data["exchange"]["ccxt_config"] = {"urls": {"api": url}}
    _leaks(json.dumps(_freqtrade(data).venues[0].endpoints), secrets, "freqtrade endpoints")


SEPARATORS = st.sampled_from(["", "/", "?", "#", "@", "/x@", "?#", "%2F", ":", "\\\\"])


@given(sep=SEPARATORS, first=secrets_text, second=secrets_text, tail=secrets_text)
def test_a_url_password_does_not_change_the_hash(
    sep: str, first: str, second: str, tail: str
) -> None:
    """Two passwords of the same form hash alike. (Whether a URL's authority parses at all, a
    password holding `/` say, is what an HTTP client sees too; it cannot confirm a guess.)"""
    template = (
        '[exchange.v]\nbase_url = "https://u:{s}@api.venue.invalid/v1"\n'
        '[storage]\ndb_url = "postgresql://u:{s}@db.internal:5432/x"\n'
        'note = "see https://u:{s}@host.invalid/"\n'
    )
    one = _peak(template.format(s=f"{first}{sep}{tail}"))
    two = _peak(template.format(s=f"{second}{sep}{first}"))
    assert sha256_redacted(one) == sha256_redacted(two)
    assert one.venues == two.venues


URLISH = st.text(alphabet="ab1:/?#@[]\\.%", max_size=24)


@given(rest=URLISH)
def test_a_shown_host_is_the_host_a_client_connects_to(rest: str) -> None:
    """Where we show a host, the stdlib's parser (requests' and aiohttp's share its split)
    finds that host and port; otherwise we show a placeholder or nothing."""
    url = f"https://{rest}"
    origin = endpoint_origin(url)
    if origin is None or origin == f"https://{REDACTED}":
        return
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        pytest.fail(f"{url!r}: shown as {origin!r}, but its port does not parse")
    host = parts.hostname or ""
    expected = f"https://{f'[{host}]' if ':' in host else host}"
    expected += f":{port}" if port is not None else ""
    assert origin == expected, url


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://api.kraken.com", "https://api.kraken.com"),
        ("https://api.kraken.com/", "https://api.kraken.com/"),
        ("https://api.kraken.com/0/private", "https://api.kraken.com/<redacted>"),
        (
            "https://u:p@db.invalid:5432/x?ssl=1#f",
            "https://<redacted>@db.invalid:5432/<redacted>?<redacted>#<redacted>",
        ),
        ("redis://:pw@cache.invalid:6379/0", "redis://<redacted>@cache.invalid:6379/<redacted>"),
        ("wss://[::1]:8443/ws", "wss://[::1]:8443/<redacted>"),
        ("https://h.invalid:99999/x", f"https://{REDACTED}"),
        ("https://u:p/w@h.invalid/x", f"https://{REDACTED}"),
        ("a https://h.invalid/x b", "a https://h.invalid/<redacted> b"),
        ("a https://u:p w@h.invalid/ b", f"a https://{REDACTED}"),
        ("no url here: a@b", "no url here: a@b"),
        ("sqlite:////var/lib/x.db", "sqlite:///<redacted>"),
    ],
)
def test_url_redaction_rule(text: str, shown: str) -> None:
    assert strip_url_secrets(text) == shown


# --------------------------------------------------------------------------- 2. hash oracles


def _peak_shapes(webhook: str, chat_id: int, jwt: str, words: str, a: str, b: str) -> str:
    """Secrets under keys whose names do not look secret."""
    return (
        "[alerts.slack]\n"
        f'url = "{webhook}"\n'
        "[alerts.telegram]\n"
        f"chat_id = {chat_id}\n"
        f'endpoint = "{webhook}"\n'
        "[alerts.pager]\n"
        f'chatId = "{chat_id}"\n'
        "[strategy.api]\n"
        f'header = "Bearer {jwt}"\n'
        f'session = "{jwt}"\n'
        "[wallet]\n"
        f'words = "{words}"\n'
        f'backup = "{words.upper().lower()}"\n'
        "[storage]\n"
        f'db_url = "postgresql://trader:{a}/{b}@db.internal:5432/trades"\n'
        f'db_pass = "{a}"\n'
        f'userPw = "{b}"\n'
    )


def _shapes(provider: str) -> st.SearchStrategy[tuple[str, int, str, str]]:
    return st.tuples(
        webhook_urls_by_provider[provider],
        # a chat id: a user's (positive) or a group's (negative), never a short number
        st.integers(min_value=10**6, max_value=10**12) | st.integers(-(10**13), -(10**6)),
        jwts,
        mnemonics,
    )


@pytest.mark.parametrize("provider", sorted(webhook_urls_by_provider))
@given(data=st.data(), a=secrets_text, b=secrets_text, c=secrets_text, d=secrets_text)
def test_shaped_secrets_do_not_change_the_hash(
    provider: str, data: st.DataObject, a: str, b: str, c: str, d: str
) -> None:
    one = data.draw(_shapes(provider))
    two = data.draw(_shapes(provider))
    first = _peak(_peak_shapes(*one, a, b))
    second = _peak(_peak_shapes(*two, c, d))
    assert sha256_redacted(first) == sha256_redacted(second)
    webhook, chat_id, jwt, words = one
    secrets = [a, b, jwt, *jwt.split("."), *_path_tokens(webhook)]
    shown = json.dumps(first.redacted)
    _leaks(shown, secrets, "redacted view")
    # a phrase's words are dictionary words ("telegram" is a key too): no three in a row show
    phrase = words.split()
    assert not any(" ".join(phrase[i : i + 3]) in shown for i in range(len(phrase) - 2))
    assert str(chat_id) not in json.dumps(first.redacted)
    assert {"alerts.telegram.chat_id", "alerts.pager.chatId", "strategy.api.header"} <= set(
        first.redacted_keys
    )


def _freqtrade_shapes(s: str, t: str, webhook: str) -> tuple[dict[str, Any], dict[str, str]]:
    data = _freqtrade_base(
        strategy_params={"db_pass": s, "broker": {"pw": t, "dsn": f"postgresql://u:{s}/{t}@h/x"}},
        webhook={"enabled": True, "url": webhook, "format": "json"},
        telegram={"enabled": True, "token": s, "chat_id": t},
    )
    environ = {
        "FREQTRADE__WEBHOOK__URL": webhook,
        "FREQTRADE__WEBHOOK__WEBHOOKSTATUS__USER": s,  # Pushover's user key, in a payload
        "FREQTRADE__WEBHOOK__WEBHOOKENTRY__VALUE1": t,
        "FREQTRADE__STRATEGY_PARAMS__DB_PASS": t,
        "FREQTRADE__TELEGRAM__CHAT_ID": s,
    }
    return data, environ


@given(s1=secrets_text, t1=secrets_text, s2=secrets_text, t2=secrets_text, data=st.data())
def test_freqtrade_secrets_do_not_change_the_hash(
    s1: str, t1: str, s2: str, t2: str, data: st.DataObject
) -> None:
    w1, w2 = data.draw(
        st.sampled_from(sorted(webhook_urls_by_provider)).flatmap(
            lambda p: st.tuples(webhook_urls_by_provider[p], webhook_urls_by_provider[p])
        )
    )
    first = _freqtrade(*_freqtrade_shapes(s1, t1, w1))
    second = _freqtrade(*_freqtrade_shapes(s2, t2, w2))
    assert sha256_redacted(first) == sha256_redacted(second)
    text = json.dumps([first.redacted, [f.redacted for f in first.files]])
    _leaks(text, [s1, t1, *_path_tokens(w1)], "freqtrade redacted view")


@pytest.mark.parametrize(
    "value",
    [
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.",  # an unsigned JWT
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZw",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END",
        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",  # a Telegram bot token
        "xoxb-123456789012-1234567890123-abcdefghijklmnop",
        "ghp_" + "a1B2" * 9,
        "AKIAIOSFODNN7EXAMPLE",
        " ".join(["abandon"] * 11 + ["about"]),  # BIP-39's test vector
        "legal winner thank year wave sausage worth useful legal winner thank yellow",
        "たいる おじさん あまい ほいく つめた いこつ おうぶ てぬぐい つぶす まもる たいる ほいく",
    ],
)
def test_secret_shapes(value: str) -> None:
    assert is_secret_value(value)
    loaded = _peak(f"[notes]\ntext = '''{value}'''\n")
    assert loaded.redacted["notes"]["text"] == REDACTED
    assert loaded.redacted_keys == ("notes.text",)


@pytest.mark.parametrize(
    "value",
    [
        "momentum strategy on BTC/EUR, rebalanced hourly",
        "the quick brown fox jumps over the lazy dog",  # 9 words
        "0048163f96bc0758ae93e279a62fb94ffa9aca02431d5ed34dbc2a087500d7d1",  # a digest
        "1.2.3",
        "config/bounded_live.toml",
        "EUR",
    ],
)
def test_harmless_values_are_shown(value: str) -> None:
    assert not is_secret_value(value)
    assert _peak(f'[notes]\ntext = "{value}"\n').redacted["notes"]["text"] == value


def test_a_lower_case_sentence_of_recovery_phrase_length_is_redacted() -> None:
    """The price of the shape rule: twelve to twenty-five lower-case words without digits or
    punctuation look like a recovery phrase and are redacted (never the other way round)."""
    assert is_secret_value("buy the dip when the market is down and sell when it is up again")
    assert not is_secret_value("buy the dip when the market is down, and sell when it is up.")
