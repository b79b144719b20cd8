"""Policy rules as small objects (sigstore-style): each has a stable code, names the key paths it
concerns as data, and says what fixes it. Pure.

The generic rules (live allowed, expected allowed, real orders possible, an inline credential)
are written once here and speak in the dialect's words (`PolicyWords`); each dialect adds its own
rules and lists its whole rule set, in report order, in its package. A `Policy` of no rules is
an error, never "passes".
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import msgspec

from peak_trade.live.snapshot import LiveAuditSnapshot

if TYPE_CHECKING:
    from peak_trade.live.evidence import ProfileResult


class Expectation(StrEnum):
    BLOCKED = "blocked"  # the v1.0 guarantee: live execution is not possible
    ALLOWED = "allowed"  # a deliberate live release: every gate open, and still safe


class PolicyViolation(msgspec.Struct, frozen=True):
    """A violated rule: its code, what is wrong, what fixes it, and the config key paths it
    concerns (for SARIF locations and control profiles)."""

    code: str
    message: str
    fix: str = ""
    keys: tuple[str, ...] = ()


class PolicyWords(msgspec.Struct, frozen=True, kw_only=True):
    """How one dialect words the generic rules for one snapshot."""

    live_allowed: str  # "live execution is allowed"
    blocked: str  # "live execution is blocked"
    disarm_fix: str  # closing one gate
    disarm_keys: tuple[str, ...]
    real_orders: str  # "real orders are possible"
    real_orders_fix: str
    inline_fix: str  # where a credential belongs instead
    inline_extra: tuple[str, ...] = ()  # credentials outside the venues (a token in the file)
    #: the keys that stop real orders (default: those that disarm the gates)
    real_orders_keys: tuple[str, ...] | None = None


class GenericRule(StrEnum):
    """Codes of the rules every dialect has."""

    LIVE_ALLOWED = "live_allowed"
    LIVE_BLOCKED = "live_blocked"
    REAL_ORDERS_POSSIBLE = "real_orders_possible"
    INLINE_CREDENTIAL = "inline_credential"


class Rule(Protocol):
    """One rule: `violations` of one snapshot under one expectation (none when it holds).

    A rule may also say in one sentence what it checks (`help`, shown as the SARIF rule's
    help text, `rule_help`); without one its code stands for itself."""

    @property
    def code(self) -> StrEnum: ...

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]: ...


class Policy:
    """All of its rules, in order; every violation of every rule is reported."""

    __slots__ = ("rules",)

    def __init__(self, *rules: Rule) -> None:
        if not rules:
            raise ValueError("a policy of no rules would pass everything; name its rules")
        self.rules = rules

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(rule.code.value for rule in self.rules)

    def check(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> tuple[PolicyViolation, ...]:
        return tuple(v for rule in self.rules for v in rule.violations(snapshot, expect, words))


class LiveAllowed:
    """`--expect blocked`, and live execution is allowed."""

    code = GenericRule.LIVE_ALLOWED
    help = "Under --expect blocked, live execution must not be allowed: every gate open fails."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is Expectation.BLOCKED and snapshot.safety.is_live_execution_allowed:
            message = f"{words.live_allowed}; expected blocked"
            return (PolicyViolation(self.code, message, words.disarm_fix, words.disarm_keys),)
        return ()


class ExpectedAllowed:
    """`--expect allowed` (a deliberate live release), and something blocks: name every
    blocker."""

    code = GenericRule.LIVE_BLOCKED
    help = "Under --expect allowed (a deliberate live release), every blocker is a failure."

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is Expectation.ALLOWED and not snapshot.safety.is_live_execution_allowed:
            codes = ", ".join(b.code.value for b in snapshot.safety.blockers)
            return (PolicyViolation(self.code, f"{words.blocked} ({codes}); expected allowed"),)
        return ()


class RealOrdersPossible:
    """`--expect blocked`, and orders would reach a real venue."""

    code = GenericRule.REAL_ORDERS_POSSIBLE
    help = (
        "Under --expect blocked, no order may reach a real venue (or one whose reach the files"
        " cannot prove)."
    )

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        if expect is Expectation.BLOCKED and snapshot.safety.real_orders_possible:
            fix = words.real_orders_fix
            keys = words.disarm_keys if words.real_orders_keys is None else words.real_orders_keys
            return (PolicyViolation(self.code, words.real_orders, fix, keys),)
        return ()


def inline_credentials(snapshot: LiveAuditSnapshot, words: PolicyWords) -> list[str]:
    """Every credential stored in the config file: the dialect's extra ones first, then each
    venue's inline credentials."""
    venues = [c.key for v in snapshot.venues for c in v.credentials if c.kind == "inline"]
    return [*words.inline_extra, *venues]


class InlineCredential:
    """A secret stored in the config file instead of the environment."""

    code = GenericRule.INLINE_CREDENTIAL
    help = (
        "A credential (API key, secret, token) is stored in the config file instead of the"
        " environment."
    )

    def violations(
        self, snapshot: LiveAuditSnapshot, expect: Expectation, words: PolicyWords
    ) -> Sequence[PolicyViolation]:
        inline = inline_credentials(snapshot, words)
        if not inline:
            return ()
        message = f"credential(s) stored in the config file: {', '.join(inline)}"
        return (PolicyViolation(self.code, message, words.inline_fix, tuple(inline)),)


def rule_help(rule: Rule) -> str:
    """What a rule checks, in one sentence (its `help`), or its code when it says nothing."""
    text = getattr(rule, "help", None)
    return text if isinstance(text, str) and text else f"peak-trade policy rule {rule.code.value}"


def check_payload(
    snapshot: LiveAuditSnapshot,
    expect: Expectation,
    violations: tuple[PolicyViolation, ...],
    profile: ProfileResult | None = None,
) -> dict[str, object]:
    """The JSON form of a check result (`audit check --format json`). With a control profile
    (`--profile`): its name and every control's result; `ok` is then false when a control is
    absent too (`violations` keeps the policy's alone)."""
    payload: dict[str, object] = {
        "ok": not violations and (profile is None or not profile.absent),
        "expect": expect.value,
        "environment_id": snapshot.environment_id,
    }
    if profile is not None:
        payload["profile"] = profile.profile
        payload["controls"] = profile.controls
    payload["violations"] = violations
    return payload
