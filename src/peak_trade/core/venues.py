"""Venues: the non-secret facts of `[exchange]` and its sub-tables, and credential presence.

Pure: the config's `[exchange]` data and the set of environment variable names that hold a
non-empty value go in; no variable's value is ever read here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from typing import Any, Final

import msgspec

from peak_trade.core.redaction import (
    VENUE_FLAGS,
    VENUE_TABLE,
    endpoint_origin,
    has_secret_name,
    is_endpoint_key,
    is_env_var_key,
    is_env_var_name,
    is_venue_fact,
    normalised,
)


class Credential(msgspec.Struct, frozen=True, kw_only=True):
    """Where a credential comes from: `inline` (a secret value in the file) or `env_var`
    (the named variable; `present` says whether it holds a value when the audit runs)."""

    key: str
    kind: str
    present: bool


class OrdersReach(StrEnum):
    """Where a venue's orders go, following the code path that really sends them (DESIGN §3a).
    The declaration order runs from safest to least safe."""

    NONE = "none"  #: no execution client uses this venue
    SIMULATED = "simulated"  #: a dummy or paper client inside the bot: nothing leaves
    TEST = "test"  #: a testnet, demo or paper account at the venue
    UNKNOWN = "unknown"  #: the files cannot prove it (counted as real: fail closed)
    REAL = "real"  #: a production endpoint


#: where orders count as real money (fail closed: unknown is real)
REAL_REACH: Final = frozenset({OrdersReach.REAL, OrdersReach.UNKNOWN})
REACH_RANK: Final = {reach.value: rank for rank, reach in enumerate(OrdersReach)}


class Venue(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    label: str | None
    enabled: bool | None
    sandbox: bool | None
    endpoints: tuple[str, ...]
    credentials: tuple[Credential, ...]
    orders_reach: OrdersReach
    orders_reach_reason: str


def unconfigured_venue(name: str, reach: OrdersReach, reason: str) -> Venue:
    """A venue no table of the config describes (a client a runner builds from its defaults,
    one the audit cannot read): nothing but its name and where its orders reach."""
    return Venue(
        name=name,
        label=None,
        enabled=None,
        sandbox=None,
        endpoints=(),
        credentials=(),
        orders_reach=reach,
        orders_reach_reason=reason,
    )


#: (venue name, its table) -> where its orders reach, and why: the dialect's own rule
ReachRule = Callable[[str, Mapping[str, Any]], tuple[OrdersReach, str]]


def venues_of(
    data: Mapping[str, Any], present_env: Collection[str], reach: ReachRule
) -> tuple[Venue, ...]:
    """`[exchange]` and each `[exchange.NAME]` as a venue, in file order; `reach` decides
    where each one's orders go."""
    table = data.get(VENUE_TABLE)
    if not isinstance(table, Mapping):
        return ()
    bare = venue_of(VENUE_TABLE, table, present_env, reach, nested=False)
    # the bare table is a venue of its own only with a fact of its own: holding the client
    # selection (`default_type`) and the named venues' tables, it is no row of "not set"s
    facts = (bare.label, bare.enabled, bare.sandbox)
    found = (
        [bare] if any(f is not None for f in facts) or bare.endpoints or bare.credentials else []
    )
    for name, sub in table.items():
        if isinstance(sub, Mapping):
            found.append(venue_of(f"{VENUE_TABLE}.{name}", sub, present_env, reach))
    return tuple(found)


def _stored_credentials(path: str, value: Any) -> list[Credential]:
    """Credentials stored deeper in a venue: in its sub-tables and arrays of tables
    (`[exchange.kraken.sub]`, `[[exchange.kraken.accounts]]`), each by its full path."""
    if isinstance(value, Mapping):
        return [
            credential
            for key, item in value.items()
            for credential in (
                [Credential(key=f"{path}.{key}", kind="inline", present=True)]
                if is_inline_credential(key, item)
                else _stored_credentials(f"{path}.{key}", item)
            )
        ]
    if isinstance(value, list):
        return [
            c for i, item in enumerate(value) for c in _stored_credentials(f"{path}[{i}]", item)
        ]
    return []


def venue_of(
    path: str,
    table: Mapping[str, Any],
    present_env: Collection[str],
    reach: ReachRule,
    *,
    nested: bool = True,
) -> Venue:
    """One venue table. `nested`: its sub-tables belong to it (they are not venues of their
    own, as those of the bare `[exchange]` table are)."""
    label = table.get("name")
    enabled = table.get("enabled")
    flags = [v for k, v in table.items() if normalised(k) in VENUE_FLAGS and isinstance(v, bool)]
    endpoints: list[str] = []
    credentials: list[Credential] = []
    for key, value in table.items():
        dotted = f"{path}.{key}"
        if isinstance(value, Mapping | list):
            if nested or isinstance(value, list):
                credentials += _stored_credentials(dotted, value)
            continue
        if is_env_var_key(key):
            if is_env_var_name(value):
                credentials.append(
                    Credential(key=dotted, kind="env_var", present=value in present_env)
                )
            elif isinstance(value, str) and value:  # not a variable's name: a pasted secret
                credentials.append(Credential(key=dotted, kind="inline", present=True))
        elif is_endpoint_key(key) and isinstance(value, str):
            origin = endpoint_origin(value)
            if origin is not None and origin not in endpoints:
                endpoints.append(origin)
        elif is_inline_credential(key, value):
            credentials.append(Credential(key=dotted, kind="inline", present=True))
    orders_reach, why = reach(path, table)
    return Venue(
        name=path,
        label=label if isinstance(label, str) else None,
        enabled=enabled if isinstance(enabled, bool) else None,
        sandbox=any(flags) if flags else None,
        endpoints=tuple(endpoints),
        credentials=tuple(credentials),
        orders_reach=orders_reach,
        orders_reach_reason=why,
    )


def is_inline_credential(key: str, value: Any) -> bool:
    """A non-empty string under a venue whose key name is secret-like and not a venue fact."""
    return (
        isinstance(value, str) and bool(value) and has_secret_name(key) and not is_venue_fact(key)
    )
