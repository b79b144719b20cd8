"""Which config values are secret, and the redacted view of a config. Pure.

A value is secret when it lies under `[exchange]` and is not an allow-listed venue fact, when
its key name (NFKC-normalised, case-folded) contains a secret word or has a secret part
(`db_pass`), or when the value has a secret's shape whatever its key (a JWT, a PEM private key,
a provider token with a documented prefix, a recovery phrase). Keys the registry knows are
classified by the registry (`require_confirm_token` is a gate, not a secret); a `*_env_var` key
holds the NAME of a variable and is shown everywhere. In every string value a URL shows only
`scheme://host[:port]`: its user info, path, query and fragment are placeholders (tokens live
in webhook paths), and a URL whose host is in doubt is `scheme://<redacted>` whole. Secret
values never enter the redacted view, so its hash (`sha256_redacted`) cannot be used to guess
one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
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
    "chat_id",  # a Telegram chat: with the bot token, where to send as the bot
    "chatid",
)
#: secret only as a whole part of the name (`db_pass`, `userPw`, `totp_seed`), since as
#: substrings they are inside harmless names (`bypass`, `compass`, `spin`, `sdsn`)
SECRET_PARTS: Final = frozenset({"pass", "pw", "pin", "otp", "totp", "2fa", "dsn"})
VENUE_TABLE: Final = "exchange"
VENUE_FLAGS: Final = frozenset({"sandbox", "testnet", "use_sandbox", "validate_only"})
VENUE_PLAIN: Final = frozenset({"default_type", "name", "enabled"})
# a registry key is never secret by its name: the registry says what it is
_REGISTRY_SHOWN: Final = frozenset({"environment.require_confirm_token"})

# compiled on first use (re caches them): most configs hold no URL, and start-up counts
_SCHEME: Final = r"[A-Za-z][A-Za-z0-9+.\-]*://"
_HOST_PORT: Final = r"(?P<host>\[[0-9A-Fa-f:.]+\]|[\w.~\-]*)(?::(?P<port>[0-9]{0,5}))?"
#: an authority ends at the first of these; a `\\` in it is in doubt (WHATWG and urllib3 end
#: the authority there, Python's urlsplit and yarl do not)
_AUTHORITY_END: Final = "/?#"
# Secrets recognised by their shape, whatever the key is called. Each is a prefix or a form a
# provider documents; a value holding one is redacted whole.
_SHAPES: Final = (
    r"eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*"  # a JWT (JWS compact form)
    r"|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"  # a PEM private key
    r"|(?<![0-9])[0-9]{5,16}:[A-Za-z0-9_\-]{30,}"  # a Telegram bot token
    r"|xox[abeoprs]-[A-Za-z0-9\-]{10,}"  # a Slack token
    r"|gh[opsur]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"  # a GitHub token
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"  # an AWS access key id
    r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"  # a Stripe key
)
#: a BIP-39 (12 to 24 words), Electrum (12, 13) or Monero (25) recovery phrase: words of up to
#: eight lower-case letters, nothing else
_MNEMONIC_WORDS: Final = range(12, 26)


# The classifications of a key name are cached (4096 names each): a config asks the same few
# dozen names again and again, and `audit fleet` asks them for every config (a third of
# redacting one). Names are cached (of keys and variables), never a value, in this process only.
_NAMES = 4096


@lru_cache(maxsize=_NAMES)
def normalised(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def is_env_var_name(value: object) -> bool:
    """A value an `*_env_var` key may hold: the NAME of a variable (letters, digits, `_`, not
    starting with a digit) that is not shaped like a secret (`AKIA...`, `ghp_...`, `sk_live_...`
    are names too, by their letters). Anything else there is likely the secret itself, pasted
    into the wrong key: it is redacted like one."""
    if not isinstance(value, str) or not value or len(value) > 256:
        return False
    head = value[0]
    named = (head.isascii() and (head.isalpha() or head == "_")) and all(
        c.isascii() and (c.isalnum() or c == "_") for c in value
    )
    return named and not is_secret_value(value)


def is_env_var_key(name: str) -> bool:
    return normalised(name).endswith("_env_var")


def is_endpoint_key(name: str) -> bool:
    n = normalised(name)
    return n == "base_url" or n.endswith("_host") or n.endswith("_url")


def is_venue_fact(name: str) -> bool:
    """Allow-listed under `[exchange]`: shown, never a credential."""
    n = normalised(name)
    return n in VENUE_PLAIN or n in VENUE_FLAGS or is_env_var_key(n) or is_endpoint_key(n)


@lru_cache(maxsize=_NAMES)
def has_secret_name(name: str) -> bool:
    n = normalised(name)
    if any(word in n for word in SECRET_WORDS):
        return True
    # camelCase parts too: "dbPass" is "db_pass"
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", unicodedata.normalize("NFKC", name))
    return any(part in SECRET_PARTS for part in re.split(r"[^0-9a-z]+", spaced.casefold()))


@lru_cache(maxsize=_NAMES)
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


class _Url:
    """One URL split as an HTTP client splits it (urllib3, yarl and WHATWG agree on this much):
    the authority ends at the first `/`, `?` or `#`, the user info at its last `@`.

    `hostport` is None when what a client would take as the host is in doubt: an `@` past the
    authority (a password holding `/`, `?` or `#`), a `\\` in it (clients disagree), a host or
    port that does not parse. Then nothing of the authority may be shown, since any part of it
    may be user info.
    """

    __slots__ = ("scheme", "userinfo", "hostport", "origin", "path", "query", "fragment")

    def __init__(self, scheme: str, rest: str) -> None:
        self.scheme = scheme
        end = next((i for i, c in enumerate(rest) if c in _AUTHORITY_END), len(rest))
        authority, tail = rest[:end], rest[end:]
        self.userinfo = "@" in authority
        userinfo, _, hostport = authority.rpartition("@")
        host = re.fullmatch(_HOST_PORT, hostport)
        in_doubt = (
            "@" in tail
            or "\\" in authority
            or "[" in userinfo
            or "]" in userinfo
            or host is None
            or int(host["port"] or 0) > 65535
            or (host["host"].startswith("[") and not _is_ipv6(host["host"][1:-1]))
            or (not host["host"] and (self.userinfo or host["port"] is not None))
        )
        self.hostport: str | None = None if in_doubt else hostport
        #: `host[:port]` as an origin shows it: lower-case, without an empty port
        self.origin = "" if host is None else f"{host['host']}:{host['port'] or ''}".rstrip(":")
        self.origin = self.origin.lower()
        before_fragment, _, _ = tail.partition("#")
        self.path = before_fragment.partition("?")[0]
        self.query = "?" in before_fragment
        self.fragment = "#" in tail

    def redacted(self) -> str:
        """`scheme://host[:port]`, a placeholder for user info, path, query and fragment."""
        if self.hostport is None:
            return f"{self.scheme}{REDACTED}"
        return "".join(
            (
                self.scheme,
                f"{REDACTED}@" if self.userinfo else "",
                self.hostport,
                self.path if self.path in ("", "/") else f"/{REDACTED}",
                f"?{REDACTED}" if self.query else "",
                f"#{REDACTED}" if self.fragment else "",
            )
        )


def _is_ipv6(text: str) -> bool:
    import ipaddress  # lazy: a bracketed host is rare

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def strip_url_secrets(text: str) -> str:
    """Every URL in `text` as `scheme://host[:port]`, with `<redacted>` in place of its user
    info, path, query string and fragment.

    A URL runs from its scheme to the next white space. When it is in doubt what an HTTP client
    would take as the host (an `@` past the authority: a password holding `/`, `?` or `#`; an
    invalid port; white space inside), the URL and the rest of the text become
    `scheme://<redacted>`: never a fragment of what may be user info.
    """
    if "://" not in text:
        return text
    out: list[str] = []
    position = 0
    for match in re.finditer(_SCHEME, text):
        if match.start() < position:
            continue
        out.append(text[position : match.start()])
        end = len(text)
        for i in range(match.end(), len(text)):
            if text[i].isspace():
                end = i
                break
        url = _Url(match[0], text[match.end() : end])
        if url.hostport is not None and "@" in text[end:].split("://", 1)[0]:
            url.hostport = None  # "https://u:p w@host": the "@" after a space is in doubt
        if url.hostport is None:
            out.append(url.redacted())
            return "".join(out)
        out.append(url.redacted())
        position = end
    out.append(text[position:])
    return "".join(out)


def endpoint_origin(text: str) -> str | None:
    """`scheme://host[:port]` of a URL (lower-cased; user info, path, query dropped), None for
    a value that is not a URL, or `scheme://<redacted>` when the host is in doubt."""
    stripped = text.strip()
    match = re.match(_SCHEME, stripped)
    if match is None:
        return None
    url = _Url(match[0].lower(), stripped[match.end() :])
    if url.hostport is None or any(c.isspace() for c in stripped):
        return f"{url.scheme}{REDACTED}"
    if not url.origin:
        return None  # "file:///path": no host
    return f"{url.scheme}{url.origin}"


def is_secret_value(value: str) -> bool:
    """A value that is a secret by its shape alone: a JWT, a PEM private key, a provider token
    with a documented prefix, or a recovery phrase (12 to 25 lower-case words).

    `redact` asks this of a value whose URLs are already stripped (`strip_url_secrets`): a
    token in a URL's path is a placeholder by the URL rule, whatever its shape, so that the
    shape of a token cannot decide how the rest of the value is shown.
    """
    if len(value) < 20:
        return False
    if re.search(_SHAPES, value):
        return True
    words = value.split()
    return len(words) in _MNEMONIC_WORDS and all(
        w.isalpha() and len(w) <= 8 and w == w.lower() for w in words
    )


def validation_message(text: str) -> str:
    """A msgspec validation message, without its ` - at `$...`` suffix and without any value
    it quotes from the input, with a lower-case first letter: `invalid enum value 'hunter2'`
    (an enum or literal that did not match) becomes `not one of the allowed values`.

    msgspec's other messages for our types name types, constraints and keys, never a value;
    the enum one quotes the value, which may be a secret (`FREQTRADE__STAKE_AMOUNT=<a key>`).
    """
    message = text.split(" - at ", 1)[0]
    if message.startswith("Invalid enum value"):
        message = "not one of the allowed values"
    return message[:1].lower() + message[1:]


def redact(
    data: Mapping[str, Any], *, also_secret: Callable[[tuple[str, ...]], bool] | None = None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Plain JSON-ready data with every secret value replaced by `REDACTED`, and their paths.

    Dates become ISO strings; non-finite floats and integers beyond 2**53 become strings, so the
    result can be canonicalised with RFC 8785. Nesting depth is bounded by the TOML parser.
    """
    redacted_paths: list[str] = []

    def walk(value: Any, path: tuple[str, ...], shown: str, secret: bool) -> Any:
        if _is_table(value):
            # Tables are walked even under a secret key, so that key names stay visible.
            out: dict[str, Any] = {}
            for key, item in value.items():
                child = (*path, str(key))
                child_shown = f"{shown}.{key}" if shown else str(key)
                hidden = (
                    secret
                    or is_secret_key(child, table=_is_table(item))
                    or (also_secret is not None and also_secret(child))
                )
                out[str(key)] = walk(item, child, child_shown, hidden)
            return out
        misplaced = bool(path) and is_env_var_key(path[-1]) and not is_env_var_name(value)
        if (
            secret
            or misplaced
            or (isinstance(value, str) and is_secret_value(strip_url_secrets(value)))
        ):
            redacted_paths.append(shown)
            return REDACTED
        if isinstance(value, list):
            return [walk(item, path, f"{shown}[{i}]", False) for i, item in enumerate(value)]
        return _plain_scalar(value)

    return walk(data, (), "", False), tuple(redacted_paths)


#: what parsers give that is certainly not a table: asked before the ABC check, which costs
#: ten times more (a config's redaction asks it of every value)
_NOT_TABLES: Final = frozenset({str, int, float, bool, list, type(None)})


def _is_table(value: object) -> bool:
    kind = type(value)
    return kind is dict or (kind not in _NOT_TABLES and isinstance(value, Mapping))


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
