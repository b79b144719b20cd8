"""Run-time enforcement of "read-only means read-only".

While a `ReadOnlyGuard` is active, the process may open for writing only the declared outputs
(and their temporary siblings, see `temp_prefix`), may rename only such a temporary file onto its
declared output, and may not open sockets, start processes or change the file system otherwise.
A violation raises `ReadOnlyViolation` inside the offending call.

Audit hooks cannot be removed, so one hook is installed per process and switched on and off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Final

from peak_trade.errors import ReadOnlyViolation

_WRITE_FLAGS: Final = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_FORBIDDEN_EVENTS: Final = frozenset(
    {
        "socket.__new__",
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "os.startfile",
        "os.rmdir",
        "os.mkdir",
        "os.chmod",
        "os.chown",
        "os.symlink",
        "os.utime",
        "os.chflags",
        "os.setxattr",
        "os.removexattr",
        "os.mkfifo",
        "os.mknod",
        "sqlite3.connect",
        "ctypes.dlopen",
        "ctypes.dlsym",
        "ctypes.call_function",
        "os.kill",
        "os.killpg",
        "shutil.rmtree",
        "shutil.copyfile",
        "shutil.move",
    }
)


def temp_prefix(target: str) -> str:
    """Name prefix of the temporary files an atomic write of `target` may create."""
    directory, name = os.path.split(os.path.abspath(target))
    return os.path.join(directory, f".{name}.tmp-")


class _State:
    active: bool = False
    allowed: frozenset[str] = frozenset()
    allow: Callable[[str], bool] | None = None
    installed: bool = False


_STATE = _State()


def _norm(path: Any) -> str | None:
    if isinstance(path, int):  # a file descriptor: already opened, checked then
        return None
    try:
        return os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return "<unknown path>"


#: the null device: where standard output goes once its reader has gone (`| head`); writing
#: there changes nothing
_NULL_DEVICE: Final = os.path.abspath(os.devnull)


def _may_write(path: str | None) -> bool:
    if path is None or path == _NULL_DEVICE:
        return True
    if _STATE.allow is not None and _STATE.allow(path):
        return True
    return path in _STATE.allowed or any(
        path.startswith(temp_prefix(allowed)) for allowed in _STATE.allowed
    )


def _is_write_open(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _STATE.active:
        return
    if event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        if _is_write_open(mode, flags) and not _may_write(_norm(path)):
            raise ReadOnlyViolation(f"read-only run tried to write {_norm(path)}")
    elif event in ("os.rename", "os.replace", "os.link"):
        # only an atomic write's last step: a temporary file onto its declared output
        src, dst = _norm(args[0]), _norm(args[1])
        if not (_may_write(dst) and _may_write(src) and src != dst):
            raise ReadOnlyViolation(f"read-only run tried to move {src} to {dst}")
    elif event == "os.truncate":
        # an archive rolling back a torn ledger line; paths are checked, descriptors were
        path = _norm(args[0])
        if not _may_write(path):
            raise ReadOnlyViolation(f"read-only run tried to truncate {path}")
    elif event == "os.remove":
        # a temporary file, or an output this run created and rolls back after a failure
        path = _norm(args[0])
        if not _may_write(path):
            raise ReadOnlyViolation(f"read-only run tried to remove {path}")
    elif event in _FORBIDDEN_EVENTS:
        raise ReadOnlyViolation(f"read-only run attempted {event}")


class ReadOnlyGuard:
    """Context manager: enforce read-only behaviour, allowing writes to `outputs` only.

    `allow`, when given, is a predicate on absolute paths for outputs whose names are decided
    during the run (an archive's next sequence number); it must admit their temporary files too.
    """

    def __init__(
        self, outputs: Iterable[str] = (), *, allow: Callable[[str], bool] | None = None
    ) -> None:
        self._allowed = frozenset(os.path.abspath(p) for p in outputs)
        self._allow = allow
        self._saved_bytecode = sys.dont_write_bytecode

    def __enter__(self) -> ReadOnlyGuard:
        if _STATE.active:
            raise RuntimeError("ReadOnlyGuard is not re-entrant")
        if not _STATE.installed:
            sys.addaudithook(_hook)
            _STATE.installed = True
        # A lazy import inside the run must not count as a write of a .pyc file.
        self._saved_bytecode = sys.dont_write_bytecode
        sys.dont_write_bytecode = True
        _STATE.allowed = self._allowed
        _STATE.allow = self._allow
        _STATE.active = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _STATE.active = False
        _STATE.allowed = frozenset()
        _STATE.allow = None
        sys.dont_write_bytecode = self._saved_bytecode
