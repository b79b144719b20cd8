"""Opening input files safely: never blocking, never anything but a regular file.

A FIFO, a device or a socket passed as a config, a key or an archive file would make a read hang
or read forever; a read-only audit refuses them instead. Errors are `OSError`s (with `strerror`)
so that each caller turns them into its own one-line error naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
from io import BufferedReader

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
