"""Judging a config against a control profile (DESIGN §11). Pure.

Each dialect states, in its own package, which of its settings evidence which control: an
`EvidenceTable` mapping every base control of `live.controls` to a `Judge` (`Dialect.
control_evidence`). A judge reads one loaded config (`Facts`) and returns a `Judgement`:

- `present` only when the setting is configured in a file, enforced by the system's own code
  (a cap's `enforced is True`, a kill switch that protects, ...) and not at its off value
  (`-1`, `unlimited`, a disabled table); a default the system applies when the key is absent is
  never evidence, and neither is the embedded default (it is no file);
- `absent` (a finding), naming the key that would provide the control and where it goes;
- `not_expressible`: the system has no setting for it (reported, never a failure);
- `not_applicable`: nothing the control guards is configured.

Evidence is the dotted key path as it appears in the file that holds it, with that file (or the
environment variable that set it). The generic judges below cover the common cases (caps, fixed
statuses); a dialect writes its own judge where its system needs one. A control the table does
not judge is `absent` (fail closed), and a test holds every dialect to the whole catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

import msgspec

from peak_trade.core.loaded import LoadedConfig
from peak_trade.live.controls import (
    ABSENT,
    BASE_CONTROLS,
    CONTROL,
    NOT_APPLICABLE,
    NOT_EXPRESSIBLE,
    PRESENT,
    Profile,
)

_MISSING: Final = object()


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """A key path and where it is (or would be) set: the config file that holds it as loaded
    (None: in no file), or the environment variable that set it."""

    key: str
    file: str | None
    variable: str | None = None


class Judgement(msgspec.Struct, frozen=True, kw_only=True):
    """A dialect's verdict on one control. `evidence`: where each evidencing key is (present);
    `keys`: where the keys that would provide it go (absent), with `fix` in words; `note`: what
    the system's code does with what is configured."""

    status: str
    evidence: tuple[Location, ...] = ()
    keys: tuple[Location, ...] = ()
    fix: str = ""
    note: str | None = None

    def __post_init__(self) -> None:
        if self.status == PRESENT and not self.evidence:
            raise ValueError("a present control names its evidence")
        if self.status != PRESENT and self.evidence:
            raise ValueError("only a present control has evidence")


class ControlResult(msgspec.Struct, frozen=True, kw_only=True):
    """One control of a profile as `check --profile` reports it. `evidence`: the key paths that
    evidence it; `keys`: the key paths that would provide it (absent); `locations`: where each
    of those is or goes."""

    id: str
    title: str
    reference: str
    explanation: str
    status: str
    evidence: tuple[str, ...]
    note: str | None
    fix: str
    keys: tuple[str, ...]
    locations: tuple[Location, ...]


class ProfileResult(msgspec.Struct, frozen=True, kw_only=True):
    profile: str
    title: str
    controls: tuple[ControlResult, ...]

    @property
    def absent(self) -> tuple[ControlResult, ...]:
        return tuple(c for c in self.controls if c.status == ABSENT)

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.controls)


# --------------------------------------------------------------------------- where keys are

#: (config, key path, the file name its value came from or None) -> where it is, or None
Locator = Callable[[LoadedConfig, str, "str | None"], "Location | None"]


def lookup(data: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted key path, or `_MISSING`."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def locate_in_files(loaded: LoadedConfig, key: str, source: str | None = None) -> Location | None:
    """The file (as loaded) that holds the key with the value in force: among the files named
    `source` when one is (a cap's source is a file name), the last one whose value at the key is
    the merged value. None when no file holds it."""
    merged = lookup(loaded.redacted, key)
    if merged is _MISSING:
        return None
    named = [f for f in loaded.files if source is None or os.path.basename(f.path) == source]
    for info in reversed(named or loaded.files):
        if lookup(info.redacted, key) == merged:
            return Location(key=key, file=info.path)
    return None


class Facts:
    """What a judge reads of one config: the loaded config, the merged (redacted) values, and
    where each key is set."""

    __slots__ = ("_locate", "loaded")

    def __init__(self, loaded: LoadedConfig, locate: Locator = locate_in_files) -> None:
        self.loaded, self._locate = loaded, locate

    def value(self, key: str, default: Any = None) -> Any:
        """The merged value at a key path (secrets redacted), or `default` when absent."""
        found = lookup(self.loaded.redacted, key)
        return default if found is _MISSING else found

    def has(self, key: str) -> bool:
        return lookup(self.loaded.redacted, key) is not _MISSING

    def locate(self, key: str, source: str | None = None) -> Location | None:
        """Where a key that is set is set (None: in no file and no variable)."""
        return self._locate(self.loaded, key, source)

    def place(self, key: str, file: str | None = None) -> Location:
        """Where a key would be set: where it is now, else `file`, else the config file."""
        return self.locate(key) or Location(key=key, file=file or self.loaded.path)


class Judge(Protocol):
    """One control's rule in one dialect."""

    def judge(self, facts: Facts) -> Judgement: ...


class EvidenceTable:
    """A dialect's evidence: one judge per base control, and how to find where a key is."""

    __slots__ = ("judges", "locate")

    def __init__(self, judges: Mapping[str, Judge], locate: Locator = locate_in_files) -> None:
        unknown = set(judges) - set(BASE_CONTROLS)
        if unknown:
            raise ValueError(f"not base controls: {sorted(unknown)} (composites judge themselves)")
        self.judges, self.locate = dict(judges), locate


# --------------------------------------------------------------------------- generic judges


class NotExpressible:
    """The system has no setting for this control; `note` says what it has instead."""

    def __init__(self, note: str) -> None:
        self.note = note

    def judge(self, facts: Facts) -> Judgement:
        return Judgement(status=NOT_EXPRESSIBLE, note=self.note)


#: (facts, the reasons no configured cap counts) -> (fix in words, the keys it names)
CapFix = Callable[[Facts, Sequence[str]], "tuple[str, tuple[str, ...]]"]


class EnforcedCaps:
    """Present when one of these caps is configured in a file, enforced and not at its off
    value. `off`: per key, values the system reads as "no limit" besides its unlimited one
    (freqtrade's `tradable_balance_ratio = 1`); `unused`: per key, another key whose presence
    makes the system ignore it, and why; `fix`: what to set when none counts (default: `set
    <fix_key>`); `note`: said in every result."""

    def __init__(
        self,
        keys: Sequence[str],
        fix_key: str,
        *,
        off: Mapping[str, tuple[float, ...]] | None = None,
        unused: Mapping[str, tuple[str, str]] | None = None,
        fix: CapFix | None = None,
        note: str | None = None,
    ) -> None:
        self.keys, self.fix_key, self.note = tuple(keys), fix_key, note
        self.off, self.unused, self._fix = dict(off or {}), dict(unused or {}), fix

    def judge(self, facts: Facts) -> Judgement:
        found: list[Location] = []
        reasons: list[str] = []
        configured = {c.key for c in facts.loaded.caps}
        for cap in facts.loaded.caps:
            if cap.key not in self.keys:
                continue
            other, why = self.unused.get(cap.key, ("", ""))
            if cap.unlimited:
                reasons.append(f"{cap.key} is unlimited")
            elif cap.value in self.off.get(cap.key, ()):
                reasons.append(f"{cap.key} = {cap.value} is its off value")
            elif other and other in configured:
                reasons.append(f"{cap.key} is not used while {other} is set ({why})")
            elif cap.enforced is not True:
                state = "not enforced" if cap.enforced is False else "of unknown enforcement"
                reasons.append(f"{cap.key} is {state}: {cap.enforcement}")
            elif (where := facts.locate(cap.key, cap.source)) is None:
                reasons.append(f"{cap.key} is in no config file ({cap.source or 'no source'})")
            else:
                found.append(where)
        if found:
            note = "; ".join(filter(None, [self.note, *reasons])) or None
            return Judgement(status=PRESENT, evidence=tuple(found), note=note)
        fix, keys = (
            self._fix(facts, reasons)
            if self._fix is not None
            else (f"set {self.fix_key}", (self.fix_key,))
        )
        unset = (
            f"{self.keys[0]} is not set"
            if len(self.keys) == 1
            else f"none of {', '.join(self.keys)} is set"
        )
        why = "; ".join(reasons) or unset
        note = "; ".join(filter(None, [why, self.note]))
        return Judgement(
            status=ABSENT, keys=tuple(facts.place(k) for k in keys), fix=fix, note=note
        )


# --------------------------------------------------------------------------- evaluation


def _combine(parts: Sequence[tuple[str, Judgement]]) -> Judgement:
    """A composite: present when one part is (its evidence), else absent when one part is,
    else not expressible (or not applicable when every part is)."""
    present = [(p, j) for p, j in parts if j.status == PRESENT]
    if present:
        evidence = tuple(dict.fromkeys(loc for _, j in present for loc in j.evidence))
        by = ", ".join(CONTROL[p].title.lower() for p, _ in present)
        return Judgement(status=PRESENT, evidence=evidence, note=f"by {by}")
    absent = [(p, j) for p, j in parts if j.status == ABSENT]
    if absent:
        keys = tuple(dict.fromkeys(loc for _, j in absent for loc in j.keys))
        fix = " or ".join(j.fix for _, j in absent if j.fix)
        note = "; ".join(f"{CONTROL[p].title}: {j.note}" for p, j in parts if j.note)
        return Judgement(status=ABSENT, keys=keys, fix=fix, note=note or None)
    status = (
        NOT_APPLICABLE if all(j.status == NOT_APPLICABLE for _, j in parts) else NOT_EXPRESSIBLE
    )
    note = "; ".join(f"{CONTROL[p].title}: {j.note}" for p, j in parts if j.note)
    return Judgement(status=status, note=note or None)


def judge_control(control: str, table: EvidenceTable, facts: Facts, dialect: str) -> Judgement:
    """One control of the catalogue, judged by a dialect's table (a composite from its parts)."""
    parts = CONTROL[control].parts
    if parts:
        return _combine([(p, judge_control(p, table, facts, dialect)) for p in parts])
    judge = table.judges.get(control)
    if judge is None:
        return Judgement(
            status=ABSENT,
            keys=(),
            note=f"the {dialect} dialect states no evidence for this control (fail closed)",
        )
    return judge.judge(facts)


def evaluate(profile: Profile, loaded: LoadedConfig, table: EvidenceTable) -> ProfileResult:
    """Every control of the profile, judged for one config by its dialect's table."""
    facts = Facts(loaded, table.locate)
    results = []
    for entry in profile.entries:
        control = CONTROL[entry.control]
        verdict = judge_control(control.id, table, facts, loaded.dialect)
        shown = verdict.evidence if verdict.status == PRESENT else verdict.keys
        results.append(
            ControlResult(
                id=control.id,
                title=control.title,
                reference=entry.reference,
                explanation=control.explanation,
                status=verdict.status,
                evidence=tuple(loc.key for loc in verdict.evidence),
                note=verdict.note,
                fix=verdict.fix,
                keys=tuple(loc.key for loc in verdict.keys),
                locations=shown,
            )
        )
    return ProfileResult(profile=profile.name, title=profile.title, controls=tuple(results))
