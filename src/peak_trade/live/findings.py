"""A check's findings with their places: what a code-scanning format needs. Pure.

`check_report` turns the policy's violations and a profile's absent controls into `Finding`s,
each with the rule it breaks, the config key paths it concerns and the file that holds (or would
hold) the first of them; `rules_of` lists every rule and control that can appear, with its help
text. The line of each key in its file is the edge's to add (`line_of` on the file's text:
reading files is I/O). Formats (`formats/sarif.py`) render a `CheckReport` and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import msgspec

from peak_trade.core.keys import key_parts
from peak_trade.core.loaded import LoadedConfig
from peak_trade.live.controls import CONTROL, profile
from peak_trade.live.evidence import Location, ProfileResult
from peak_trade.live.rules import Expectation, Policy, PolicyViolation, rule_help
from peak_trade.live.snapshot import LiveAuditSnapshot

POLICY_RULE: Final = "policy"
CONTROL_RULE: Final = "control"
#: the rule of a config that could not be loaded (fleet rows)
CONFIG_INVALID: Final = "config_invalid"
CONFIG_INVALID_HELP: Final = "The config could not be read or decoded; nothing else was judged."


class RuleInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One rule or control that can appear among the findings: its id, a title, its help text,
    and for a control the reference its profile gives it."""

    id: str
    kind: str
    title: str
    help: str
    reference: str | None = None


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One finding: the rule it breaks, what is wrong, what fixes it, the key paths it concerns,
    the file that holds (or would hold) the first of them, and that key's line there."""

    rule_id: str
    message: str
    fix: str
    keys: tuple[str, ...]
    file: str | None
    line: int | None = None
    variable: str | None = None  #: the environment variable that set the key, if one did


class CheckReport(msgspec.Struct, frozen=True, kw_only=True):
    """What `audit check` found, for a format to render."""

    snapshot: LiveAuditSnapshot
    expect: Expectation
    violations: tuple[PolicyViolation, ...]
    profile: ProfileResult | None
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...]

    @property
    def ok(self) -> bool:
        return not self.findings


def policy_rules(policy: Policy) -> list[RuleInfo]:
    return [
        RuleInfo(id=r.code.value, kind=POLICY_RULE, title=rule_help(r), help=rule_help(r))
        for r in policy.rules
    ]


def control_rules(result: ProfileResult) -> list[RuleInfo]:
    """A profile's controls as rules: title, explanation, the profile's reference, source."""
    prof = profile(result.profile)
    rules = []
    for entry in prof.entries:
        control = CONTROL[entry.control]
        text = (
            f"{control.explanation} {prof.title}, {entry.reference}. Source: {control.source}."
            " Absent: the config does not provide it (the fix names the key); see"
            " docs/controls.md."
        )
        rules.append(
            RuleInfo(
                id=control.id,
                kind=CONTROL_RULE,
                title=control.title,
                help=text,
                reference=entry.reference,
            )
        )
    return list({r.id: r for r in rules}.values())  # a control listed twice is one rule


def rules_of(policy: Policy, result: ProfileResult | None) -> tuple[RuleInfo, ...]:
    """Every rule of the policy and every control of the profile, each once, in that order."""
    rules = policy_rules(policy) + (control_rules(result) if result is not None else [])
    return tuple({r.id: r for r in rules}.values())


def check_report(
    snapshot: LiveAuditSnapshot,
    expect: Expectation,
    violations: tuple[PolicyViolation, ...],
    loaded: LoadedConfig,
    profile_result: ProfileResult | None = None,
) -> CheckReport:
    """The findings of one check: each violation and each absent control, placed."""
    from peak_trade.dialects import named

    dialect = named(loaded.dialect)
    locate = dialect.control_evidence().locate

    def placed(key: str | None) -> Location | None:
        return locate(loaded, key, None) if key else None

    findings = []
    for v in violations:
        where = placed(v.keys[0] if v.keys else None)
        findings.append(
            Finding(
                rule_id=v.code,
                message=v.message,
                fix=v.fix,
                keys=v.keys,
                file=where.file if where is not None and where.file else loaded.path,
                variable=where.variable if where is not None else None,
            )
        )
    for control in profile_result.absent if profile_result is not None else ():
        first = control.locations[0] if control.locations else None
        findings.append(
            Finding(
                rule_id=control.id,
                message=f"{control.title} ({control.reference}) is absent"
                + (f": {control.note}" if control.note else ""),
                fix=control.fix,
                keys=control.keys,
                file=first.file if first is not None and first.file else loaded.path,
            )
        )
    return CheckReport(
        snapshot=snapshot,
        expect=expect,
        violations=violations,
        profile=profile_result,
        findings=tuple(findings),
        rules=rules_of(dialect.policy(), profile_result),
    )


def with_lines(report: CheckReport, texts: Mapping[str, str]) -> CheckReport:
    """The report with each finding's line: that of its first key in its file's text (`texts`:
    the files that could be read). A finding in a file that does not exist (a kill-switch file
    to create) is placed in the config file instead: a code-scanning view shows files only."""
    config = report.snapshot.config.path
    found = []
    for finding in report.findings:
        file = finding.file
        if file is not None and file not in texts and config in texts:
            file = config
        text = texts.get(file) if file else None
        line = line_of(text, finding.keys[0]) if text is not None and finding.keys else None
        found.append(msgspec.structs.replace(finding, file=file, line=line))
    return msgspec.structs.replace(report, findings=tuple(found))


def finding_files(findings: Iterable[Finding]) -> list[str]:
    return list(dict.fromkeys(f.file for f in findings if f.file))


# --------------------------------------------------------------------------- lines

_BARE: Final = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_HEADER: Final = re.compile(
    r"^\s*\[\[?\s*(" + _BARE + r"(?:\s*\.\s*" + _BARE + r")*)\s*\]\]?\s*(?:#.*)?$"
)
_TOML_KEY: Final = re.compile(r"^\s*(" + _BARE + r"(?:\s*\.\s*" + _BARE + r")*)\s*=")
_JSON_KEY: Final = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:')
_YAML_KEY: Final = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_-]+)\s*:(?:\s|$)")
_PART: Final = re.compile(_BARE)


def _dotted(text: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(text)]


def _key_names(line: str) -> list[list[str]]:
    """The key names a line sets, in order: a TOML (dotted) key, every JSON member name, or a
    YAML key."""
    if (toml := _TOML_KEY.match(line)) is not None:
        return [_dotted(toml[1])]
    if json_keys := _JSON_KEY.findall(line):
        return [[name] for name in json_keys]
    if (yaml := _YAML_KEY.match(line)) is not None:
        return [[yaml[1]]]
    return []


def line_of(text: str, key: str) -> int | None:
    """The 1-based line where a dotted key path is set in a TOML, JSON or YAML text, found by
    its table headers and key names in order; else the line of the deepest table or key on its
    way (where it would go); None when not even its first part appears. Best effort: a SARIF
    region, never a decision."""
    parts = key_parts(key)
    depth, best = 0, None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header is not None:
            names = _dotted(header[1])
            if names == parts[: len(names)]:
                depth, best = len(names), number
            else:
                depth = 0  # another table: what follows is not below the key's
            continue
        for names in _key_names(line):
            if names == parts[depth : depth + len(names)]:
                depth, best = depth + len(names), number
                if depth == len(parts):
                    return number
    return best
