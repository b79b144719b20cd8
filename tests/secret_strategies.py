"""Generated secrets and configs that carry them, shared by every leak test."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from hypothesis import strategies as st

# Secrets look like real ones: high-entropy bytes in URL-safe base64. (Free text would let
# hypothesis shrink to a "secret" such as "environment." that every output must contain.)
secrets_text = (
    st.binary(min_size=12, max_size=30)
    .filter(lambda raw: len(set(raw)) >= 10)
    .map(lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("="))
)


def leak_fragments(secret: str) -> Iterable[str]:
    """The secret, every 8-character window of it, and its SHA-256."""
    yield secret
    yield hashlib.sha256(secret.encode()).hexdigest()
    for i in range(len(secret) - 7):
        yield secret[i : i + 8]


def assert_no_leak(text: str, secrets: Iterable[str], where: str) -> None:
    for secret in secrets:
        for fragment in leak_fragments(secret):
            assert fragment not in text, f"{where} leaks part of a secret"


def config_with_secrets(
    api_key: str, api_secret: str, token: str, passphrase: str, extra: str
) -> str:
    """The example state with secrets in every place a config can hold one."""
    return (
        "[environment]\n"
        'mode = "live"\n'
        "enable_live_trading = true\n"
        "live_mode_armed = false\n"
        "live_dry_run_mode = true\n"
        "require_confirm_token = true\n"
        f'confirm_token = "{token}"\n'
        f'confirm_token_sha256 = "{hashlib.sha256(token.encode()).hexdigest()}"\n'
        "\n[live_risk]\n"
        "max_live_notional_per_order = 1000.0\n"
        "\n[exchange]\n"
        f'api_key = "{api_key}"\n'
        f'api_secret = "{api_secret}"\n'
        f'passphrase = "{passphrase}"\n'
        "\n[strategy.broker]\n"
        f'Session_Token = "{extra}"\n'
        f'db_password = "{extra}"\n'
        f'accounts = [{{ name = "main", private_key = "{extra}" }}]\n'
        # allow-listed venue facts whose values still carry secrets in URLs
        "\n[exchange.leaky]\n"
        "enabled = false\n"
        f'base_url = "https://trader:{extra}@api.leaky.invalid:8443/v1?apikey={extra}"\n'
        f'private_ws_host = "wss://ws.leaky.invalid/private?listenKey={extra}#{extra}"\n'
        f'api_key_env_var = "{ENV_CREDENTIAL}"\n'
        "\n[storage]\n"
        f'db_url = "postgresql://peak:{extra}@db.internal:5432/trades"\n'
        f'webhook = "https://hooks.example.invalid/services/x?token={extra}"\n'
        f'jwt = "{extra}"\n'
        f'Auth_Header = "{extra}"\n'
        f'wallet_mnemonic = "{extra}"\n'
    )


#: an environment variable a venue names for its key: set to a secret by the leak tests,
#: whose value must never appear (only its presence may)
ENV_CREDENTIAL = "PEAK_TRADE_LEAK_TEST_API_KEY"


# --------------------------------------------------------------------------- secret shapes

#: a password holding the characters that end a URL's authority or user info
url_passwords = st.builds(
    lambda a, sep, b: f"{a}{sep}{b}",
    secrets_text,
    st.sampled_from(["/", "?", "#", "@", "/x@", "?#", "%2F", ":"]),
    secrets_text,
)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: a JWT: `eyJ` (a JSON header) . payload . signature, base64url without padding
_JWT_HEADER = _b64url(b'{"alg":"HS256","typ":"JWT"}')
jwts = st.builds(
    lambda payload, signature: f"{_JWT_HEADER}.{_b64url(payload)}.{_b64url(signature)}",
    st.binary(min_size=12, max_size=60).filter(lambda raw: len(set(raw)) >= 10),
    st.binary(min_size=32, max_size=32).filter(lambda raw: len(set(raw)) >= 10),
)

#: a BIP-39-like recovery phrase: 12, 15, 18, 21 or 24 lower-case words of 3 to 8 letters
mnemonics = st.sampled_from([12, 15, 18, 21, 24]).flatmap(
    lambda n: (
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8),
            min_size=n,
            max_size=n,
        )
        .filter(lambda words: len(set(words)) >= len(words) - 2)
        .map(" ".join)
    )
)

#: webhook and bot URLs whose token is in the path, as the providers document them: one
#: strategy per provider (a provider's host is no secret; its tokens are)
webhook_urls_by_provider = {
    "slack": st.builds(
        lambda t, b, x: f"https://hooks.slack.com/services/T{t}/B{b}/{x}",
        secrets_text,
        secrets_text,
        secrets_text,
    ),
    "telegram": st.builds(
        lambda bot, t: f"https://api.telegram.org/bot{bot}:{t}/sendMessage",
        st.integers(min_value=10**8, max_value=10**10),
        secrets_text,
    ),
    "discord": st.builds(
        lambda i, t: f"https://discord.com/api/webhooks/{i}/{t}",
        st.integers(min_value=10**17, max_value=10**19),
        secrets_text,
    ),
}
webhook_urls = st.one_of(*webhook_urls_by_provider.values())
