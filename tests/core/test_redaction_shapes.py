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

from peak_trade.core.config import decode_config, sha256_redacted
from peak_trade.core.redaction import REDACTED, endpoint_origin, strip_url_secrets
from peak_trade.dialects import freqtrade
from tests.secret_strategies import (
    assert_no_leak,
    secrets_text,
    url_passwords,
)


def _leaks(text: str, secrets: list[str], where: str) -> None:
    """No part of a secret (of 8 characters or more), in any letter case (endpoints are
    lower-cased)."""
    assert_no_leak(text.lower(), [s.lower() for s in secrets if len(s) >= 8], where)


def _peak(text: str) -> Any:
    return decode_config(text.encode(), origin="c.toml")


def _freqtrade(data: dict[str, Any], environ: dict[str, str] | None = None) -> Any:
    overrides, names = freqtrade.env_overrides(environ or {})
    merged = freqtrade.deep_merge(overrides, json.loads(json.dumps(data)))
    return freqtrade.decode(
        merged,
        files=[("config.json", data)],
        env_override_names=names,
        present_env=frozenset(environ or ()),
    )


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
