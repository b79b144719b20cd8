"""Version facts for a snapshot: package, Python, and the git commit of the config's checkout.

The git commit is read from `.git` as files (HEAD, loose refs, packed-refs): no subprocess.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Final

from peak_trade import __version__
from peak_trade.live.snapshot import LiveAuditVersions

_SHA: Final = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def python_version() -> str:
    v = sys.version_info
    return f"{v.major}.{v.minor}.{v.micro}"


def collect_versions(start_dir: str) -> LiveAuditVersions:
    return LiveAuditVersions(
        peak_trade=__version__, python=python_version(), git_commit=git_commit(start_dir)
    )


def git_commit(start_dir: str) -> str | None:
    """The commit checked out in the git work tree containing `start_dir`, else None."""
    git_dir = _find_git_dir(os.path.abspath(start_dir))
    if git_dir is None:
        return None
    head = _read(os.path.join(git_dir, "HEAD"))
    if head is None:
        return None
    if not head.startswith("ref:"):
        return head if _SHA.match(head) else None
    ref = head.removeprefix("ref:").strip()
    common = _common_dir(git_dir)
    for base in (git_dir, common):
        value = _read(os.path.join(base, *ref.split("/")))
        if value is not None and _SHA.match(value):
            return value
    packed = _read(os.path.join(common, "packed-refs"), whole=True)
    for line in (packed or "").splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[1] == ref and _SHA.match(parts[0]):
            return parts[0]
    return None  # e.g. a branch with no commit yet


def _find_git_dir(directory: str) -> str | None:
    while True:
        candidate = os.path.join(directory, ".git")
        if os.path.isdir(candidate):
            return candidate
        if os.path.isfile(candidate):  # a worktree or submodule: "gitdir: <path>"
            pointer = _read(candidate)
            if pointer and pointer.startswith("gitdir:"):
                target = pointer.removeprefix("gitdir:").strip()
                return os.path.normpath(os.path.join(directory, target))
            return None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _common_dir(git_dir: str) -> str:
    pointer = _read(os.path.join(git_dir, "commondir"))
    return os.path.normpath(os.path.join(git_dir, pointer)) if pointer else git_dir


def _read(path: str, *, whole: bool = False) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(1 << 20)
    except (OSError, UnicodeDecodeError):
        return None
    return text if whole else text.strip()
