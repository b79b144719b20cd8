"""The kill switch of an audited system, in neutral terms (DESIGN §3a). Pure values.

Each dialect that has one reads it (its file, its persisted state, read-only) and states it in
this shape; `None` in a snapshot means the system has none the audit knows of.
"""

from __future__ import annotations

import msgspec


class KillSwitchTrigger(msgspec.Struct, frozen=True, kw_only=True):
    """One configured trigger: its name, whether it is on, and its threshold (as written)."""

    name: str
    enabled: bool | None
    threshold: float | None


class KillSwitch(msgspec.Struct, frozen=True, kw_only=True):
    """`source`: the file it is configured in (or where it was looked for). `configured`: that
    file exists and was read. `state`: the persisted state as the system's gate reads it
    (None: no state file). `tripped`: the system's own gate blocks orders in that state.
    `approval_env_var`: the variable holding the recovery approval code (presence only).
    `note`: what the system's code really does with these settings; `problem`: why the file
    or the state could not be read (then the switch counts as absent: fail closed).
    `configured` says the file exists (it may still be unreadable: see `problem`);
    `state_file` is where the state was looked for."""

    source: str
    configured: bool
    enabled: bool | None
    mode: str | None
    state: str | None
    tripped: bool
    triggers: tuple[KillSwitchTrigger, ...]
    approval_env_var: str | None
    approval_env_present: bool | None
    note: str | None = None
    problem: str | None = None
    state_file: str | None = None

    @property
    def protects(self) -> bool:
        """Configured, readable and switched on: what a live-capable config needs."""
        return (
            self.configured
            and self.problem is None
            and self.enabled is True
            and self.mode != "disabled"
        )
