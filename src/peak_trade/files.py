"""Opening input files safely: never blocking, never anything but a regular file, never more
than a config can be.

A FIFO, a device or a socket passed as a config, a key or an archive file would make a read hang
or read forever; a read-only audit refuses them instead. Errors are `OSError`s (with `strerror`)
so that each caller turns them into its own one-line error naming the path;
`read_config_bytes` does that for a config file (a `ConfigError`).

The bounds on one config file, whatever its dialect: `MAX_CONFIG_BYTES` (1 MiB) and
`MAX_NESTING` (32 levels of tables/objects and arrays). A real config is a few kilobytes (the
largest freqtrade ones, with a thousand pairs listed, are tens of kilobytes) and four or five
levels deep; beyond the bounds a file is not a config but an attack on the reader, and is refused
before the recursive code downstream (redaction, merges, rendering) ever sees it.
"""

from __future__ import annotations

import errno
import os
import stat
from io import BufferedReader
from typing import Any, Final

from peak_trade.errors import ConfigError

MAX_CONFIG_BYTES: Final = 1024 * 1024
MAX_NESTING: Final = 32

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)


class NotARegularFile(OSError):
    """The path exists but is not a regular file (a FIFO, device, socket or directory)."""

    def __init__(self, path: str, mode: int) -> None:
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
        super().__init__(code, kind, path)


def open_regular(path: str) -> BufferedReader:
    """Open `path` for reading in binary mode; refuse anything but a regular file."""
    fd = os.open(path, _READ_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(path, mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def is_regular_or_absent(path: str) -> bool:
    """True when `path` does not exist, or is a regular file that is not a symbolic link."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return True
    return stat.S_ISREG(mode)


def nesting_depth(data: Any, limit: int = MAX_NESTING) -> int:
    """How many tables and arrays deep decoded data (dicts and lists, as tomllib and msgspec
    give them) is: a scalar is 0, `{}` is 1, `{"a": [1]}` is 2. Without recursion, level by
    level; it stops counting at `limit + 1`, so a hostile document costs no more than one pass
    over its first `limit + 1` levels."""
    depth = 0
    level: list[Any] = [data] if data.__class__ in _CONTAINERS else []
    while level and depth <= limit:
        depth += 1
        below: list[Any] = []
        for node in level:
            values = node.values() if node.__class__ is dict else node
            below += [child for child in values if child.__class__ in _CONTAINERS]
        level = below
    return depth


_CONTAINERS: Final[frozenset[type]] = frozenset({dict, list})


def read_bounded(handle: BufferedReader, limit: int) -> bytes:
    """The file's bytes, at most `limit + 1` of them (one more than allowed tells the caller
    it is too large). Sized by the file, not the limit: a buffer of the limit for a file of a
    few kilobytes costs a 1 MiB allocation per read (about 15 us, 2 % of auditing a config
    in a fleet). A file that grows while it is read, or reports no size (procfs), is read on
    up to the limit."""
    size = os.fstat(handle.fileno()).st_size
    raw = handle.read(min(size, limit) + 1)
    if size < len(raw) <= limit:  # longer than it said: read on, still bounded
        raw += handle.read(limit + 1 - len(raw))
    return raw


def read_config_bytes(path: str) -> bytes:
    """Read a config file, with one clear `ConfigError` for every way that can fail.

    Opened without blocking and refused unless it is a regular file: a FIFO or a device
    cannot make the audit hang.
    """
    try:
        with open_regular(path) as handle:
            raw = read_bounded(handle, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except NotARegularFile as exc:
        what = (
            "is a directory, not a config file"
            if exc.strerror == "a directory"
            else ("not a regular file; refusing to read it")
        )
        raise ConfigError(f"{path}: {what}") from None
    except PermissionError:
        raise ConfigError(f"{path}: permission denied") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "invalid path"
        raise ConfigError(f"{path}: cannot read config ({reason or 'I/O error'})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB; not a config file"
        )
    return raw
