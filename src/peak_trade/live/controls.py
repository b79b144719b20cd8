"""The pre-trade controls a regulator expects, and the profiles that hold a config against them
(DESIGN §11). Dialect-neutral data: no system's key appears here.

Sources and wording: `shared/research/controls.md`, summarised in docs/controls.md. Each control
has a stable id (a SARIF rule id and the `id` of a `check --profile` result), a title and a
one-line explanation. A composite control (`parts`) is judged from other controls: present when
one of its parts is. Which keys of a system evidence a control is that system's data, in its own
package (`dialects/<name>/controls.py`, reached through `Dialect.control_evidence`); the
judging machinery is `live.evidence`.

A profile lists controls with the reference its framework gives each (`Art. 15(1)(b)`,
`(c)(1)(i)`). Plain slotted classes and strings, no msgspec and no enum: the command line reads
`PROFILE_NAMES` to build `--profile`.
"""

from __future__ import annotations

from typing import Final

# --------------------------------------------------------------------------- statuses

PRESENT: Final = "present"  #: configured, enforced and not at its off value
ABSENT: Final = "absent"  #: the system has a setting for it and the config does not provide it
NOT_EXPRESSIBLE: Final = "not_expressible"  #: the system has no setting for it
NOT_APPLICABLE: Final = "not_applicable"  #: nothing the control guards is configured
STATUSES: Final = (PRESENT, ABSENT, NOT_EXPRESSIBLE, NOT_APPLICABLE)

# --------------------------------------------------------------------------- control ids

KILL_FUNCTIONALITY: Final = "kill_functionality"
PRICE_COLLAR: Final = "price_collar"
MAX_ORDER_VALUE: Final = "max_order_value"
MAX_ORDER_VOLUME: Final = "max_order_volume"
MAX_MESSAGE_RATE: Final = "max_message_rate"
EXECUTION_THROTTLE: Final = "execution_throttle"
CREDIT_THRESHOLDS: Final = "credit_thresholds"
ORDER_SIZE: Final = "order_size"
ERRONEOUS_ORDERS: Final = "erroneous_orders"
DUPLICATE_ORDERS: Final = "duplicate_orders"
REAL_TIME_ALERTS: Final = "real_time_alerts"
POST_TRADE_CONTROLS: Final = "post_trade_controls"
ACCESS_CONTROL: Final = "access_control"


class Control:
    """One control: `id` (stable), `title`, `explanation` (one line), `source` (where the
    requirement is written, for the help text), `parts` (a composite: present when one of these
    controls is)."""

    __slots__ = ("explanation", "id", "parts", "source", "title")

    def __init__(
        self, id: str, title: str, explanation: str, source: str, parts: tuple[str, ...] = ()
    ) -> None:
        self.id, self.title, self.explanation, self.source, self.parts = (
            id,
            title,
            explanation,
            source,
            parts,
        )

    def __repr__(self) -> str:
        return f"Control({self.id!r})"


#: every control, in report order
CATALOGUE: Final = (
    Control(
        KILL_FUNCTIONALITY,
        "Kill functionality",
        "One decision stops the system's trading at once: no new order leaves, and unexecuted"
        " orders can be withdrawn.",
        "MiFID II RTS 6 Art. 12(1); FIA Guide (2015) §1.11 kill switches; FIA PTG (2010) kill"
        " button",
    ),
    Control(
        PRICE_COLLAR,
        "Price collars",
        "An order whose price lies outside set price parameters is blocked automatically.",
        "RTS 6 Art. 15(1)(a); SEC 15c3-5(c)(1)(ii) price parameters; FIA PTG (2010) price collar",
    ),
    Control(
        MAX_ORDER_VALUE,
        "Maximum order value",
        "An order whose notional value exceeds a set maximum is blocked.",
        "RTS 6 Art. 15(1)(b); SEC 15c3-5(c)(1)(ii) size parameters",
    ),
    Control(
        MAX_ORDER_VOLUME,
        "Maximum order volume",
        "An order whose quantity exceeds a set maximum is blocked.",
        "RTS 6 Art. 15(1)(c); FIA PTG (2010) fat-finger quantity limit",
    ),
    Control(
        MAX_MESSAGE_RATE,
        "Maximum messages limit",
        "Submissions, modifications and cancellations beyond a set rate are not sent.",
        "RTS 6 Art. 15(1)(d); FIA PTG (2010) outbound message rate limit",
    ),
    Control(
        EXECUTION_THROTTLE,
        "Repeated automated execution throttle",
        "After a set number of repeated executions the system disables itself until a"
        " designated person re-enables it.",
        "RTS 6 Art. 15(3); FIA PTG (2010) repeated automated execution throttle",
    ),
    Control(
        CREDIT_THRESHOLDS,
        "Credit and capital thresholds",
        "Orders that would take the aggregate exposure, positions or capital in use beyond a"
        " set threshold are blocked.",
        "RTS 6 Art. 15(4)-(5); SEC 15c3-5(c)(1)(i)",
    ),
    Control(
        ORDER_SIZE,
        "Maximum order size",
        "An order larger than a set value or quantity is blocked (a fat-finger limit).",
        "FIA PTG (2010) fat-finger limit; RTS 6 Art. 15(1)(b)-(c)",
        parts=(MAX_ORDER_VALUE, MAX_ORDER_VOLUME),
    ),
    Control(
        ERRONEOUS_ORDERS,
        "Erroneous orders: price or size parameters",
        "An order that exceeds set price or size parameters is rejected.",
        "SEC 15c3-5(c)(1)(ii)",
        parts=(PRICE_COLLAR, MAX_ORDER_VALUE, MAX_ORDER_VOLUME),
    ),
    Control(
        DUPLICATE_ORDERS,
        "Duplicative orders",
        "An order that duplicates one already sent is rejected.",
        "SEC 15c3-5(c)(1)(ii)",
    ),
    Control(
        REAL_TIME_ALERTS,
        "Real-time alerts",
        "Breaches and critical events of the trading system reach a person in real time"
        " (RTS 6 asks for five seconds).",
        "RTS 6 Art. 16(2), 16(5)",
    ),
    Control(
        POST_TRADE_CONTROLS,
        "Post-trade controls: loss limit",
        "Losses beyond a set limit stop or restrict the trading system.",
        "RTS 6 Art. 17(1); FIA PTG (2010) daily loss limits",
    ),
    Control(
        ACCESS_CONTROL,
        "Access control for remote interfaces",
        "Only authorised persons can reach the interfaces that control the trading system.",
        "RTS 6 Art. 18; SEC 15c3-5(c)(2)(iii)",
    ),
)
CONTROL: Final = {c.id: c for c in CATALOGUE}
#: the controls a dialect judges itself (a composite is judged from its parts)
BASE_CONTROLS: Final = tuple(c.id for c in CATALOGUE if not c.parts)

# --------------------------------------------------------------------------- profiles


class ProfileEntry:
    """One control of a profile, with the reference its framework gives it."""

    __slots__ = ("control", "reference")

    def __init__(self, control: str, reference: str) -> None:
        if control not in CONTROL:
            raise ValueError(f"unknown control {control!r}")
        self.control, self.reference = control, reference

    def __repr__(self) -> str:
        return f"ProfileEntry({self.control!r}, {self.reference!r})"


class Profile:
    """A framework's list of controls: `name` (`--profile NAME`), `title`, `entries`."""

    __slots__ = ("entries", "name", "title")

    def __init__(self, name: str, title: str, *entries: ProfileEntry) -> None:
        if not entries:
            raise ValueError("a profile of no controls would pass everything; name its controls")
        self.name, self.title, self.entries = name, title, entries

    def __repr__(self) -> str:
        return f"Profile({self.name!r})"

    @property
    def controls(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.control for e in self.entries))


PROFILES: Final = (
    Profile(
        "rts6",
        "MiFID II RTS 6 (Commission Delegated Regulation (EU) 2017/589)",
        ProfileEntry(KILL_FUNCTIONALITY, "Art. 12"),
        ProfileEntry(PRICE_COLLAR, "Art. 15(1)(a)"),
        ProfileEntry(MAX_ORDER_VALUE, "Art. 15(1)(b)"),
        ProfileEntry(MAX_ORDER_VOLUME, "Art. 15(1)(c)"),
        ProfileEntry(MAX_MESSAGE_RATE, "Art. 15(1)(d)"),
        ProfileEntry(EXECUTION_THROTTLE, "Art. 15(3)"),
        ProfileEntry(CREDIT_THRESHOLDS, "Art. 15(4)-(5)"),
        ProfileEntry(REAL_TIME_ALERTS, "Art. 16"),
        ProfileEntry(POST_TRADE_CONTROLS, "Art. 17"),
        ProfileEntry(ACCESS_CONTROL, "Art. 18"),
    ),
    Profile(
        "sec-15c3-5",
        "SEC Rule 15c3-5, market access (17 CFR 240.15c3-5)",
        ProfileEntry(CREDIT_THRESHOLDS, "(c)(1)(i)"),
        ProfileEntry(ERRONEOUS_ORDERS, "(c)(1)(ii)"),
        ProfileEntry(DUPLICATE_ORDERS, "(c)(1)(ii)"),
        ProfileEntry(ACCESS_CONTROL, "(c)(2)(iii)"),
    ),
    Profile(
        "fia",
        "FIA risk-control guidance (PTG Recommendations 2010; Guide to Automated Trading 2015)",
        ProfileEntry(KILL_FUNCTIONALITY, "Guide 2015 §1.11 kill switch"),
        ProfileEntry(PRICE_COLLAR, "PTG 2010 price collar"),
        ProfileEntry(ORDER_SIZE, "PTG 2010 fat-finger limit"),
        ProfileEntry(MAX_MESSAGE_RATE, "PTG 2010 message rate limit"),
        ProfileEntry(EXECUTION_THROTTLE, "PTG 2010 execution throttle"),
        ProfileEntry(POST_TRADE_CONTROLS, "PTG 2010 daily loss limit"),
    ),
)
PROFILE_NAMES: Final = tuple(p.name for p in PROFILES)
_BY_NAME: Final = {p.name: p for p in PROFILES}


def profile(name: str) -> Profile:
    """The profile of that name (`--profile`)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILE_NAMES)})") from None
