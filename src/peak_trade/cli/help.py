"""The help text of every command: what it does, what it reads, how it exits.

Prose only; `entry.py` puts it on the parsers (the flags' own one-line help stays beside each
flag there). Each command's epilog lists its exit codes and the environment it reads.
"""

from __future__ import annotations

from typing import Final

#: a command's summary (its line in the parent's list), description and epilog; a plain tuple,
#: as a class would cost start-up time on every run
CommandHelp = tuple[str, str, str]


PROG_DESCRIPTION: Final = (
    "Read-only live-safety audit: gates, risk limits, drills, audit snapshots."
    " Every command reads; none changes a config, sends an order or opens a socket."
)
PROG_EPILOG: Final = (
    "Exit codes: 0 ok, 1 finding, 2 bad input or usage, 3 internal error."
    " Each command's --help lists its own. Also: python -m peak_trade."
)
AUDIT_DESCRIPTION: Final = "The audit snapshot (Phase 74) and its governance."
AUDIT_SUMMARY: Final = "audit snapshots: "

_READS_CONFIG = (
    "Environment: PEAK_TRADE_CONFIG_PATH names the config when --config is not given;"
    " PEAK_TRADE_CONFIRM_TOKEN holds the confirm token (never printed); for a freqtrade config,"
    " every FREQTRADE__SECTION__KEY variable overrides the files, as freqtrade applies it."
)
_ARCHIVE_ONLY = "Environment: none is read."


def _exits(*lines: str) -> str:
    return "Exit codes: " + "; ".join(lines) + "."


AUDIT: Final[dict[str, CommandHelp]] = {
    "export": (
        "export the live audit snapshot (Markdown on stdout by default)",
        "Export the live-safety snapshot of one config as JSON, Markdown or one self-contained"
        " HTML page (Phase 74)."
        " Read-only: it writes only the files named here, atomically, never replaces one"
        " without --force, and never exports a token, key or secret.",
        _exits(
            "0 exported",
            "2 bad input (invalid config, unusable output): nothing written",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "archive": (
        "archive a snapshot (JSON + Markdown) and append it to the hash-chained ledger",
        "Store the snapshot of one config in the archive and append its entry to ledger.jsonl"
        " (hash-chained; Ed25519-signed with --sign-key). A signed chain stays signed. Rolls back"
        " what an interrupted run left behind first, and says so. --adopt brings exports that"
        " were moved into the archive by hand into the chain.",
        _exits(
            "0 archived",
            "2 bad input (no config without --allow-default, invalid config, signing refused)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "verify": (
        "check every archived file, the ledger chain and signatures",
        "Recompute every file hash and the whole chain, check signatures with --public-key and"
        " a recorded head with --head; report every problem with its place.",
        _exits(
            "0 intact",
            "1 tampering found",
            "2 bad input (no archive, nothing archived)",
            "3 internal error",
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "diff": (
        "compare two snapshots; exit 1 when the new one is less safe",
        "OLD and NEW are snapshot JSON files or archive references: latest, latest~N, or a"
        " sequence number. Every field is judged less safe, safer or neutral; a field without"
        " a judge counts as less safe.",
        _exits(
            "0 not less safe (or the first snapshot: nothing to compare)",
            "1 less safe",
            "2 bad input",
            "3 internal error",
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "history": (
        "one row per archived snapshot",
        "One row per archived snapshot (time, environment, effective mode, verdict, blockers,"
        " drills, signature: unchecked without --public-key) and what changed since the row"
        " before; ! marks a less-safe change. --format html draws the archive as a timeline"
        " page (one row per entry and a chart of the binding per-order and total caps);"
        " --output writes the report to a file instead of stdout.",
        _exits(
            "0 every row intact",
            "1 a damaged row (run verify) or a bad signature",
            "2 bad input",
            "3 internal error",
        )
        + " "
        + _ARCHIVE_ONLY,
    ),
    "check": (
        "policy gate for CI/cron/pre-commit: exit 1 when the expectation is violated",
        "Judge one config by the policy: --expect blocked (default) is violated by a"
        " live-allowed verdict, an armed config (token or not), a failing drill, weakened risk"
        " limits while live or armed, an inline credential, and the dialect's own rules. Each"
        " violation names the config key that fixes it. --profile rts6|sec-15c3-5|fia also holds"
        " the config against a regulator's pre-trade controls (present, absent,"
        " not_expressible, not_applicable; docs/controls.md): an absent control is a finding."
        " --format sarif writes SARIF 2.1.0 for code scanning.",
        _exits(
            "0 meets the expectation (and every control of the profile is there or cannot be"
            " expressed)",
            "1 a violation or an absent control",
            "2 bad input (no config without --allow-default, invalid config)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "fleet": (
        "audit many configs: one row each; exit 1 if any violates the policy",
        "Audit every config named (files, directories of *.toml and *.json, glob patterns),"
        " each judged by the check --expect blocked policy. Every row is printed and the report"
        " written whatever the outcome. From 64 configs on, one read-only worker process per"
        " CPU audits them (--jobs); the report is the same.",
        _exits(
            "0 every config meets the policy",
            "1 a config violates it (outranks 2)",
            "2 a config is invalid",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
    "schema": (
        "print the JSON Schema of the snapshot",
        "Print the JSON Schema (draft 2020-12) of the audit snapshot, as shipped.",
        _exits("0"),
    ),
    "keygen": (
        "create an Ed25519 key pair for signed archives",
        "Write a new Ed25519 private key to KEYFILE (mode 0600) and its public key to"
        " KEYFILE.pub; a missing directory is created with mode 0700. Never replaces a key"
        " without --force.",
        _exits("0 written", "2 a key exists or cannot be written", "3 internal error"),
    ),
}
TOP: Final[dict[str, CommandHelp]] = {
    "status": (
        "may this system trade live, and if not, why not (Phase 72)",
        "Answer at a glance whether this config may trade live: the verdict, each gate open or"
        " closed with its key and value, the binding caps, the venues, and every blocker with"
        " the change that clears it. Reports, never judges.",
        _exits("0 reported (whatever the verdict)", "2 bad input", "3 internal error")
        + " "
        + _READS_CONFIG,
    ),
    "drills": (
        "run the dry-run drills A-G (Phase 73)",
        "Run the seven dry-run drills against the config, in memory: each proves that a gate"
        " or the risk limits block what they should. Nothing is written, nothing is sent.",
        _exits(
            "0 every drill passed (or not applicable)",
            "1 a drill failed",
            "2 bad input (unknown --scenario, invalid config)",
            "3 internal error",
        )
        + " "
        + _READS_CONFIG,
    ),
}
