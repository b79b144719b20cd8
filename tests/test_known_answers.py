"""Known-answer tests: the on-disk formats, pinned with literal bytes.

Archives outlive releases. A change to a hash input, a canonical form or a rendering must fail
here first, and then be a deliberate format change (a new `schema_version`, old files readable).

The expected bytes are written by hand (canonical JSON, sorted keys, no spaces) and their digests
are computed by `hashlib` over those literal bytes: the oracle is not our own serialiser.
Golden files under `tests/assets/` were reviewed by eye; to rewrite them after a deliberate
format change, run `PEAK_TRADE_WRITE_GOLDEN=1 pytest tests/test_known_answers.py` and review the
diff before committing.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from peak_trade.core.loaded import sha256_redacted
from peak_trade.dialects.peak_trade.config import decode_config
from peak_trade.formats import OutputFormat, render

ASSETS = Path(__file__).resolve().parent / "assets"
GOLDEN_CONFIG = ASSETS / "golden_config.toml"
STAMP = "2025-12-07T12:00:00+00:00"

# --------------------------------------------------------------------------- redacted config


REDACTED_CANONICAL = (
    b'{"alerts":{"channel":"ops","webhook_token":"<redacted>"},'
    b'"environment":{"confirm_token_sha256":"<redacted>","enable_live_trading":true,'
    b'"live_dry_run_mode":true,"live_mode_armed":false,"mode":"live",'
    b'"require_confirm_token":true},'
    b'"live_risk":{"base_currency":"EUR","enabled":true,"live_trade_min_size":5,'
    b'"max_live_notional_per_order":250,"max_live_notional_total":1000}}'
)
REDACTED_SHA256 = "296f4c09341bd2d04b04a572180cc0b14e2cf065e4cd2ed1106a24c03de8f1b6"


def _golden_loaded():  # type: ignore[no-untyped-def]
    return decode_config(GOLDEN_CONFIG.read_bytes(), origin="golden_config.toml")


def test_redacted_config_digest_is_sha256_of_the_literal_canonical_bytes() -> None:
    assert hashlib.sha256(REDACTED_CANONICAL).hexdigest() == REDACTED_SHA256
    assert sha256_redacted(_golden_loaded()) == REDACTED_SHA256


def test_redacted_canonical_form_is_literal() -> None:
    import rfc8785

    assert rfc8785.dumps(_golden_loaded().redacted) == REDACTED_CANONICAL


# --------------------------------------------------------------------------- ledger line

LEDGER_BODY = (
    b'{"environment_id":"config",'
    b'"files":{"live_audit_000001_20251207T120000Z.json":'
    b'"1111111111111111111111111111111111111111111111111111111111111111",'
    b'"live_audit_000001_20251207T120000Z.md":'
    b'"2222222222222222222222222222222222222222222222222222222222222222"},'
    b'"prev_entry_sha256":null,"seq":1,"timestamp_utc":"2025-12-07T12:00:00+00:00"}'
)
LEDGER_ENTRY_SHA256 = "22340eb88a21419e2bb690c69815df97c8a699ae2185d3c495c48e563a3906c5"


def _golden_entry(signature: str | None = None):  # type: ignore[no-untyped-def]
    from peak_trade.archive.ledger import LedgerEntry

    return LedgerEntry(
        seq=1,
        timestamp_utc=STAMP,
        environment_id="config",
        files={
            "live_audit_000001_20251207T120000Z.json": "1" * 64,
            "live_audit_000001_20251207T120000Z.md": "2" * 64,
        },
        prev_entry_sha256=None,
        entry_sha256=LEDGER_ENTRY_SHA256,
        signature=signature,
    )


def test_ledger_entry_hash_is_sha256_of_the_literal_body() -> None:
    assert hashlib.sha256(LEDGER_BODY).hexdigest() == LEDGER_ENTRY_SHA256
    assert _golden_entry().computed_sha256() == LEDGER_ENTRY_SHA256


def test_ledger_line_is_literal() -> None:
    # RFC 8785 sorts keys: entry_sha256 belongs between environment_id and files
    expected = b'{"entry_sha256":"' + LEDGER_ENTRY_SHA256.encode() + b'",' + LEDGER_BODY[1:] + b"\n"
    assert _golden_entry().line() == expected


# Ed25519 is deterministic: a fixed seed signs a fixed digest to fixed bytes (RFC 8032).
SEED = bytes(range(32))
PUBLIC_KEY_HEX = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
SIGNATURE_HEX = (
    "27a4972b60d30b5ce24923c0318f491699f634bb4be24957660b229df5b8dd89"
    "6fa2a1150d3b4f993d4a41c4da7693f6afc4434cff48b23a4efee73ef670af09"
)


def _signing_key():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(SEED)


def test_signature_of_the_golden_entry_is_literal_and_verifies() -> None:
    from cryptography.hazmat.primitives import serialization

    from peak_trade.archive.signing import sign_digest, signature_valid

    key = _signing_key()
    public = key.public_key()
    raw_public = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert raw_public.hex() == PUBLIC_KEY_HEX
    signature = sign_digest(key, LEDGER_ENTRY_SHA256)
    assert signature == SIGNATURE_HEX
    assert signature_valid(public, LEDGER_ENTRY_SHA256, SIGNATURE_HEX)
    flipped = SIGNATURE_HEX[:-1] + ("0" if SIGNATURE_HEX[-1] != "0" else "1")
    assert not signature_valid(public, LEDGER_ENTRY_SHA256, flipped)


def test_signed_ledger_line_is_literal() -> None:
    line = _golden_entry(SIGNATURE_HEX).line()
    expected = b'{"entry_sha256":"' + LEDGER_ENTRY_SHA256.encode() + b'",' + LEDGER_BODY[1:-1]
    # keys sorted: "signature" falls between "seq" and "timestamp_utc"
    expected = expected.replace(
        b'"seq":1,', b'"seq":1,"signature":"' + SIGNATURE_HEX.encode() + b'",'
    )
    assert line == expected + b"}\n"


# --------------------------------------------------------------------------- snapshot and report


def _golden_snapshot():  # type: ignore[no-untyped-def]
    from peak_trade.live.audit import LiveAuditVersions, audit_loaded_config

    versions = LiveAuditVersions(peak_trade="0.0.0-golden", python="3.11.0", git_commit=None)
    return audit_loaded_config(_golden_loaded(), timestamp_utc=STAMP, versions=versions)


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        (OutputFormat.JSON, "golden_snapshot.json"),
        (OutputFormat.MARKDOWN, "golden_report.md"),
    ],
)
def test_rendering_matches_the_golden_file(fmt: OutputFormat, golden: str) -> None:
    rendered = render(_golden_snapshot(), fmt).encode()
    path = ASSETS / golden
    if os.environ.get("PEAK_TRADE_WRITE_GOLDEN") == "1":
        path.write_bytes(rendered)
    assert rendered == path.read_bytes()


def test_a_schema_1_snapshot_stays_readable_and_diffs_against_schema_2() -> None:
    """The schema-1 golden was written by the released schema-1 code (before schema 2)."""
    from peak_trade.live.diff import Risk, diff_snapshots
    from peak_trade.live.snapshot import live_audit_snapshot_from_json
    from peak_trade.live.snapshot_v1 import LiveAuditSnapshotV1

    old = live_audit_snapshot_from_json((ASSETS / "golden_snapshot_v1.json").read_bytes())
    assert isinstance(old, LiveAuditSnapshotV1)
    assert old.schema_version == 1 and old.gating.live_mode_armed is False
    new = live_audit_snapshot_from_json((ASSETS / "golden_snapshot_v2.json").read_bytes())
    assert new.schema_version == 2
    diff = diff_snapshots(old, new)
    assert diff.less_safe == ()
    new_fields = {(c.section, c.key) for c in diff.changes if "new in schema 2" in c.why}
    assert {("gating", "config_armed"), ("risk", "effective.per_order"), ("config", "files")} <= (
        new_fields
    )
    assert all(c.risk is Risk.NEUTRAL for c in diff.changes if (c.section, c.key) in new_fields)


def test_a_schema_2_snapshot_stays_readable_and_diffs_against_schema_3() -> None:
    """The schema-2 golden was written by the released schema-2 code. Against schema 3 of the
    same config (mode live), diff shows what schema 3 learnt: Peak_Trade's live path checks no
    cap (the effective caps go, drill E fails). The fields schema 2 lacks are new, not judged:
    unknown, never safe."""
    from peak_trade.live.diff import Risk, diff_snapshots
    from peak_trade.live.snapshot import live_audit_snapshot_from_json
    from peak_trade.live.snapshot_v2 import LiveAuditSnapshotV2

    old = live_audit_snapshot_from_json((ASSETS / "golden_snapshot_v2.json").read_bytes())
    assert isinstance(old, LiveAuditSnapshotV2) and old.risk.effective.per_order == 250.0
    new = live_audit_snapshot_from_json((ASSETS / "golden_snapshot.json").read_bytes())
    assert new.schema_version == 3
    diff = diff_snapshots(old, new)
    assert {(c.section, c.key) for c in diff.less_safe} == {
        ("risk", "effective.per_order"),
        ("risk", "effective.total"),
        ("risk", "effective.min_order"),
        ("drills", "results"),
    }
    unknown = {(c.section, c.key) for c in diff.changes if "new in schema 3" in c.why}
    assert {
        ("kill_switch", "kill_switch"),
        ("gating", "confirm_token_source"),
        ("risk", "limits.live_risk.max_live_notional_per_order.enforced"),
    } <= unknown
    assert all(c.risk is Risk.NEUTRAL for c in diff.changes if (c.section, c.key) in unknown)


def test_the_body_cut_from_a_canonical_line_is_the_canonical_body() -> None:
    from peak_trade.archive.ledger import body_bytes_of_canonical_line

    for signature in (None, SIGNATURE_HEX):
        entry = _golden_entry(signature)
        assert body_bytes_of_canonical_line(entry.line(), entry) == LEDGER_BODY
