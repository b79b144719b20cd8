"""Which config values are secret, and the redacted view of a config. Pure.

A value is secret when it lies under `[exchange]` and is not an allow-listed venue fact, or when
its key name (NFKC-normalised, case-folded) contains a secret word. Keys the registry knows are
classified by the registry (`require_confirm_token` is a gate, not a secret); a `*_env_var` key
holds the NAME of a variable and is shown everywhere. In every string value, URL user info and
query strings are redacted. Secret values never enter the redacted view, so its hash
(`sha256_redacted`) cannot be used to guess one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Final

from peak_trade.core.registry import SETTING

REDACTED: Final = "<redacted>"
SECRET_WORDS: Final = (
    "token",
    "secret",
    "key",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "credential",
    "auth",
    "bearer",
    "jwt",
    "mnemonic",
    "seed_phrase",
    "private",
    "cookie",
)
VENUE_TABLE: Final = "exchange"
VENUE_FLAGS: Final = frozenset({"sandbox", "testnet", "use_sandbox", "validate_only"})
VENUE_PLAIN: Final = frozenset({"default_type", "name", "enabled"})
# a registry key is never secret by its name: the registry says what it is
_REGISTRY_SHOWN: Final = frozenset({"environment.require_confirm_token"})

# compiled on first use (re caches it): most configs hold no URL, and start-up counts
_URL: Final = (
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/?#@\s]*@)?"
    r"(?P<host>[^/?#\s]*)(?P<path>[^?#\s]*)(?P<query>\?[^#\s]*)?(?P<fragment>#\S*)?"
)


def normalised(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def is_env_var_key(name: str) -> bool:
    return normalised(name).endswith("_env_var")


def is_endpoint_key(name: str) -> bool:
    n = normalised(name)
    return n == "base_url" or n.endswith("_host") or n.endswith("_url")


def is_venue_fact(name: str) -> bool:
    """Allow-listed under `[exchange]`: shown, never a credential."""
    n = normalised(name)
    return n in VENUE_PLAIN or n in VENUE_FLAGS or is_env_var_key(n) or is_endpoint_key(n)


def has_secret_name(name: str) -> bool:
    n = normalised(name)
    return any(word in n for word in SECRET_WORDS)


def is_secret_key(path: tuple[str, ...], *, table: bool = False) -> bool:
    """True when the value at this key path must never leave the process.

    A table is secret by its name only (then everything in it is); under `[exchange]` each
    leaf is secret unless allow-listed.
    """
    if not path:
        return False
    name = path[-1]
    dotted = ".".join(path)
    if dotted in _REGISTRY_SHOWN or is_env_var_key(name):
        return False
    if normalised(path[0]) == VENUE_TABLE and not table:
        return not is_venue_fact(name)
    if dotted in SETTING and not has_secret_name(name):
        return False
    return has_secret_name(name)


def strip_url_secrets(text: str) -> str:
    """Every URL in `text` without user info and query string (`<redacted>` in their place)."""
    if "://" not in text:
        return text

    def clean(match: re.Match[str]) -> str:
        userinfo = f"{REDACTED}@" if match["userinfo"] else ""
        query = f"?{REDACTED}" if match["query"] else ""
        fragment = f"#{REDACTED}" if match["fragment"] else ""
        return f"{match['scheme']}{userinfo}{match['host']}{match['path']}{query}{fragment}"

    return re.sub(_URL, clean, text)


def endpoint_origin(text: str) -> str | None:
    """`scheme://host[:port]` of a URL (user info, path, query dropped), or None."""
    match = re.fullmatch(_URL, text.strip())
    if match is None or not match["host"]:
        return None
    return f"{match['scheme']}{match['host']}".lower()


def redact(
    data: Mapping[str, Any], *, also_secret: Callable[[tuple[str, ...]], bool] | None = None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Plain JSON-ready data with every secret value replaced by `REDACTED`, and their paths.

    Dates become ISO strings; non-finite floats and integers beyond 2**53 become strings, so the
    result can be canonicalised with RFC 8785. Nesting depth is bounded by the TOML parser.
    """
    redacted_paths: list[str] = []

    def walk(value: Any, path: tuple[str, ...], shown: str, secret: bool) -> Any:
        if isinstance(value, Mapping):
            # Tables are walked even under a secret key, so that key names stay visible.
            out: dict[str, Any] = {}
            for key, item in value.items():
                child = (*path, str(key))
                child_shown = f"{shown}.{key}" if shown else str(key)
                hidden = (
                    secret
                    or is_secret_key(child, table=isinstance(item, Mapping))
                    or (also_secret is not None and also_secret(child))
                )
                out[str(key)] = walk(item, child, child_shown, hidden)
            return out
        if secret:
            redacted_paths.append(shown)
            return REDACTED
        if isinstance(value, list):
            return [walk(item, path, f"{shown}[{i}]", False) for i, item in enumerate(value)]
        return _plain_scalar(value)

    return walk(data, (), "", False), tuple(redacted_paths)


def _plain_scalar(value: Any) -> Any:
    if isinstance(value, str):
        return strip_url_secrets(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    # TOML dates, times and datetimes
    return value.isoformat()
