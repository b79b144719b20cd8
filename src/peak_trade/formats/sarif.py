"""Findings as SARIF 2.1.0, for code-scanning services (DESIGN §11). Pure renderers.

One run; `tool.driver.name` is `peak-trade` and `tool.driver.rules` lists every rule that can
appear in this output (the dialect's policy rules, and with `--profile` the profile's controls)
with its help text. Each finding is one `error` result: its rule, its message and fix, the
config file as the artifact (relative to the working directory when it lies below it, under
`%SRCROOT%`), the line of its first key there (1 when the key is not in the file: where it
would go is the file itself), and every key path it concerns as a logical location. A config
that passes has no result. The shape is checked against the official schema in the tests
(`tests/assets/sarif/`).
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import msgspec

from peak_trade import __version__
from peak_trade.core.digest import sha256_hex
from peak_trade.core.keys import last_name

if TYPE_CHECKING:
    from peak_trade.live.findings import CheckReport, Finding, RuleInfo
    from peak_trade.live.fleet import FleetReport

SCHEMA_URI: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT: Final = "%SRCROOT%"
LEVEL: Final = "error"
#: what a URI path keeps as it is (RFC 3986 unreserved, sub-delims, ":", "@", "/")
_URI_SAFE: Final = frozenset((string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/").encode())


def uri_path(path: str) -> str:
    """A path as a URI path: every other byte of its UTF-8 form percent-encoded."""
    raw = path.replace(os.sep, "/").encode("utf-8", "surrogateescape")
    return "".join(chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in raw)


def file_uri(path: str) -> str:
    """`file:` URI of an absolute path (a directory's ends with `/` when `path` does)."""
    absolute = os.path.abspath(path).replace(os.sep, "/")
    if not absolute.startswith("/"):  # a drive letter
        absolute = "/" + absolute
    directory = path.endswith(("/", os.sep)) and not absolute.endswith("/")
    return "file://" + uri_path(absolute) + ("/" if directory else "")


def _artifact(path: str, cwd: str) -> dict[str, str]:
    """The file as a SARIF artifact location: relative to the working directory (under
    `%SRCROOT%`) when it lies below it, else an absolute `file:` URI."""
    absolute = os.path.abspath(os.path.join(cwd, path))
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive
        relative = ""
    if relative and relative != ".." and not relative.startswith(".." + os.sep):
        return {"uri": uri_path(relative), "uriBaseId": SRCROOT}
    return {"uri": file_uri(absolute)}


def _rule(rule: RuleInfo) -> dict[str, Any]:
    tags = ["peak-trade", "live-safety", rule.kind]
    properties: dict[str, Any] = {"tags": tags}
    markdown = rule.help
    if rule.reference is not None:
        properties["reference"] = rule.reference
        markdown = f"**{rule.reference}**: {rule.help}"
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL},
        "properties": properties,
    }


def _result(finding: Finding, index: int, cwd: str) -> dict[str, Any]:
    location: dict[str, Any] = {}
    artifact = _artifact(finding.file, cwd) if finding.file else None
    if artifact is not None:
        location["physicalLocation"] = {
            "artifactLocation": artifact,
            "region": {"startLine": finding.line or 1},
        }
    if finding.keys:
        location["logicalLocations"] = [
            {"name": last_name(key), "fullyQualifiedName": key, "kind": "property"}
            for key in finding.keys
        ]
    text = finding.message.rstrip(".") + "." + (f" Fix: {finding.fix}." if finding.fix else "")
    if finding.variable:
        text += f" ({finding.keys[0]} is set by the environment variable {finding.variable}.)"
    where = artifact["uri"] if artifact is not None else ""
    fingerprint = sha256_hex(
        "\x1f".join([finding.rule_id, where, *finding.keys]).encode("utf-8", "surrogatepass")
    )
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVEL,
        "kind": "fail",
        "message": {"text": text},
        "partialFingerprints": {"peakTradeFinding/v1": fingerprint},
    }
    if location:
        result["locations"] = [location]
    return result


def _log(rules: Sequence[RuleInfo], findings: Iterable[Finding], properties: dict[str, Any]) -> str:
    from peak_trade.live.findings import POLICY_RULE, RuleInfo

    cwd = os.getcwd()
    listed = list(rules)
    index = {rule.id: i for i, rule in enumerate(listed)}
    results = []
    for finding in findings:
        if finding.rule_id not in index:  # every rule is listed, even one nobody described
            index[finding.rule_id] = len(listed)
            text = f"peak-trade rule {finding.rule_id}"
            listed.append(RuleInfo(id=finding.rule_id, kind=POLICY_RULE, title=text, help=text))
        results.append(_result(finding, index[finding.rule_id], cwd))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "peak-trade",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(r) for r in listed],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": file_uri(cwd.rstrip("/") + "/")}},
        "results": results,
        "properties": properties,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return msgspec.json.format(msgspec.json.encode(log), indent=2).decode() + "\n"


def render_check(report: CheckReport) -> str:
    """`audit check --format sarif`: every violation and every absent control of one config."""
    snapshot = report.snapshot
    properties: dict[str, Any] = {
        "environmentId": snapshot.environment_id,
        "dialect": snapshot.config.dialect,
        "expect": report.expect.value,
        "ok": report.ok,
    }
    if report.profile is not None:
        properties["profile"] = report.profile.profile
        properties["controls"] = [
            {"id": c.id, "reference": c.reference, "status": c.status, "evidence": c.evidence}
            for c in report.profile.controls
        ]
    return _log(report.rules, report.findings, properties)


def render_fleet(report: FleetReport) -> str:
    """`audit fleet --format sarif`: one result per violation of each row, at that row's config
    file (line 1: a row carries no line), and one per config that could not be loaded."""
    from peak_trade.dialects import DIALECTS
    from peak_trade.live.findings import (
        CONFIG_INVALID,
        CONFIG_INVALID_HELP,
        POLICY_RULE,
        Finding,
        RuleInfo,
        policy_rules,
    )

    rules = {
        r.id: r
        for d in DIALECTS
        for r in [
            RuleInfo(
                id=CONFIG_INVALID,
                kind=POLICY_RULE,
                title=CONFIG_INVALID_HELP,
                help=CONFIG_INVALID_HELP,
            ),
            *policy_rules(d.policy()),
        ]
    }
    findings = []
    for row in report.rows:
        if row.error is not None:
            findings.append(
                Finding(rule_id=CONFIG_INVALID, message=row.error, fix="", keys=(), file=row.path)
            )
        findings += [
            Finding(rule_id=v.code, message=v.message, fix=v.fix, keys=v.keys, file=row.path)
            for v in row.violations
        ]
    properties = {"outcome": report.outcome().name.lower(), "summary": report.summary()}
    return _log(list(rules.values()), findings, properties)
