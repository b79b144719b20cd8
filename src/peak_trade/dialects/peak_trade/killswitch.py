"""Peak_Trade's kill switch: `risk/kill_switch.toml` beside the config file, and the state file
its order gate reads. Decoding is pure; `load_config` reads the two files (read-only).

What Peak_Trade's code does (commit ae0b710; docs/peak-trade-config.md):
- the order gate of the bounded pilot (`ExecutionPipeline._is_kill_switch_blocking`, through
  `resolve_kill_switch_limit_from_state_file` in src/ops/gates/risk_gate.py) reads only the
  state file: `PEAK_KILL_SWITCH_STATE_PATH`, else `PEAKTRADE_KILL_SWITCH_STATE_PATH`, else
  `data/kill_switch/state.json` from the working directory (the project root). `KILLED` and
  `RECOVERING` (any case) block; a missing or corrupt file lets orders through;
- `enabled`, `mode` and the triggers of kill_switch.toml are read by the operator CLI alone
  (src/risk_layer/kill_switch/cli.py); no trigger is evaluated at run time.
The audit is stricter: a corrupt state file or kill-switch file is a problem (`check` fails a
live-capable config for it), never a working switch.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any, Final

import msgspec

from peak_trade.core.killswitch import KillSwitch, KillSwitchTrigger
from peak_trade.core.redaction import REDACTED, has_secret_name, is_env_var_name, is_secret_value

KILL_SWITCH_FILE: Final = "risk/kill_switch.toml"
STATE_ENV_VARS: Final = ("PEAK_KILL_SWITCH_STATE_PATH", "PEAKTRADE_KILL_SWITCH_STATE_PATH")
DEFAULT_STATE_FILE: Final = "data/kill_switch/state.json"
TRIPPED_STATES: Final = frozenset({"KILLED", "RECOVERING"})
#: `mode` values Peak_Trade's KillSwitch knows (src/risk_layer/kill_switch/core.py)
KNOWN_MODES: Final = ("active", "disabled")
KNOWN_STATES: Final = frozenset({"ACTIVE", "KILLED", "RECOVERING", "DISABLED"})
NOTE: Final = (
    "Peak_Trade's order gate (bounded pilot: ExecutionPipeline._is_kill_switch_blocking) reads"
    " only the state file; enabled, mode and triggers here are read by the operator CLI alone,"
    " no trigger is evaluated at run time, and a missing state file lets orders through"
)
_MAX_STATE_BYTES: Final = 64 * 1024


def state_path(environ: Mapping[str, str], root: str) -> tuple[str, str | None]:
    """(the state file the gate reads, the variable that named it or None)."""
    for name in STATE_ENV_VARS:
        value = (environ.get(name) or "").strip()  # as Peak_Trade reads it
        if value:
            return value, name
    return f"{root.rstrip('/')}/{DEFAULT_STATE_FILE}" if root else DEFAULT_STATE_FILE, None


def decode_kill_switch(
    source: str,
    data: Mapping[str, Any] | None,
    *,
    state: bytes | None,
    state_source: str,
    problem: str | None = None,
    present_env: Collection[str] = (),
) -> KillSwitch:
    """The kill switch from kill_switch.toml's data (None: no file) and the state file's bytes
    (None: no state file). `problem`: a file that could not be read or parsed."""
    problems = [problem] if problem else []
    table: Mapping[str, Any] = {}
    if data is not None:
        raw = data.get("kill_switch", {})
        if isinstance(raw, Mapping):
            table = raw
        else:
            problems.append(f"{source}: [kill_switch]: expected a table")
    enabled = _typed(table, "enabled", bool, source, problems, "kill_switch.enabled")
    mode = _typed(table, "mode", str, source, problems, "kill_switch.mode")
    if mode is not None and mode not in KNOWN_MODES:
        problems.append(f"{source}: kill_switch.mode: expected one of {', '.join(KNOWN_MODES)}")
        mode = "invalid"  # never the text itself: it could be anything
    approval = _typed(table, "approval_code_env", str, source, problems, "approval_code_env")
    if approval is not None and not is_env_var_name(approval):
        problems.append(f"{source}: kill_switch.approval_code_env: not a variable name")
        approval = None  # a pasted secret, maybe: never shown
    triggers = _triggers(table.get("triggers", {}), source, problems)
    state_value, tripped = _state(state, state_source, problems)
    return KillSwitch(
        source=source,
        configured=data is not None,
        enabled=enabled,
        mode=mode,
        state=state_value,
        tripped=tripped,
        triggers=triggers,
        approval_env_var=approval,
        approval_env_present=None if approval is None else approval in present_env,
        note=NOTE,
        problem="; ".join(problems) or None,
        state_file=state_source,
    )


def _typed(
    table: Mapping[str, Any], key: str, kind: type, source: str, problems: list[str], path: str
) -> Any:
    """`table[key]` when it has the type, else None and a problem naming `path`."""
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shown = path if path.startswith("kill_switch.") else f"kill_switch.{path}"
        problems.append(f"{source}: {shown}: expected {kind.__name__}")
        return None
    return value


def _triggers(raw: Any, source: str, problems: list[str]) -> tuple[KillSwitchTrigger, ...]:
    if not isinstance(raw, Mapping):
        problems.append(f"{source}: kill_switch.triggers: expected a table")
        return ()
    found = []
    for name, trigger in raw.items():
        if not isinstance(trigger, Mapping):
            continue  # a setting shared by the triggers, not a trigger
        shown = name if not (has_secret_name(name) or is_secret_value(name)) else REDACTED
        where = f"triggers.{shown}"
        enabled = _typed(trigger, "enabled", bool, source, problems, f"{where}.enabled")
        threshold = trigger.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, int | float | None):
            problems.append(f"{source}: kill_switch.{where}.threshold: expected a number")
            threshold = None
        elif isinstance(threshold, float) and not math.isfinite(threshold):
            problems.append(f"{source}: kill_switch.{where}.threshold: must be finite")
            threshold = None
        found.append(
            KillSwitchTrigger(
                name=shown,
                enabled=enabled,
                threshold=None if threshold is None else float(threshold),
            )
        )
    return tuple(found)


class _StateFile(msgspec.Struct):
    state: str


def _state(data: bytes | None, source: str, problems: list[str]) -> tuple[str | None, bool]:
    """(the state as the gate reads it, whether the gate blocks). Only the `state` member is
    read: the file's other members (a trigger's reason) never leave it."""
    if data is None:
        return None, False
    if len(data) > _MAX_STATE_BYTES:
        problems.append(f"{source}: larger than a kill-switch state file can be")
        return None, False
    try:
        value = msgspec.json.decode(data, type=_StateFile).state.strip().upper()
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        problems.append(
            f"{source}: not a kill-switch state file (JSON with a string 'state'); Peak_Trade's"
            " gate then lets orders through"
        )
        return None, False
    if value not in KNOWN_STATES:
        problems.append(f"{source}: unknown state (known: {', '.join(sorted(KNOWN_STATES))})")
        return "unknown", False
    return value, value in TRIPPED_STATES
