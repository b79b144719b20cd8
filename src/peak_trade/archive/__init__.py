"""The tamper-evident audit archive, in parts.

- `ledger`: the on-disk format, pure: an entry, its canonical line, its hash, and the one
  parser of ledger lines (streaming).
- `store`: writing: the lock, appending an entry with its snapshot files.
- `verify`: checking every file hash, the chain, the canonical form and signatures.
- `refs`: finding a snapshot by reference (`latest`, `latest~N`, a sequence number).
- `adopt`: reading the snapshot files `archive --adopt` brings into the chain.

Layout of an archive directory:
- `live_audit_<seq>_<YYYYmmddTHHMMSSZ>.json` and `.md`: the snapshot in both forms;
- `ledger.jsonl`: one entry per archived snapshot, each line the exact RFC 8785 form of
  `{seq, timestamp_utc, environment_id, files {name: sha256}, prev_entry_sha256,
  entry_sha256[, signature]}`; `entry_sha256` hashes the entry without itself and the signature;
  the signature (Ed25519) signs the 32 bytes of `entry_sha256`;
- `.lock`: taken (flock) while an entry is appended, so concurrent runs cannot interleave;
- `.pending`: the recovery marker, present only while an entry is being appended: the names of
  the snapshot files it writes (each under `.NAME.tmp-pending` first), so that the next run can
  roll back a crash's leftovers without listing the directory.

Truncating the newest entries together with their files leaves a valid shorter chain; only a
head recorded elsewhere (`verify --head SEQ:SHA256`) can reveal that.
"""
