"""Writing outputs: checked before any work, each written atomically, never replaced silently."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import BinaryIO

from peak_trade.errors import OutputError
from peak_trade.files import is_regular_or_absent
from peak_trade.readonly import temp_prefix


def check_outputs(paths: Sequence[str], *, force: bool, protected: Sequence[str] = ()) -> None:
    """Refuse unusable outputs up front, so that a failed run creates no file at all."""
    seen: set[str] = set()
    protected_real = {os.path.realpath(p) for p in protected}
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:
            raise OutputError(f"{path}: named twice as an output")
        seen.add(real)
        if real in protected_real:
            raise OutputError(f"{path}: is the config being audited; refusing to write it")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise OutputError(
                f"{path}: directory {parent} does not exist (outputs never create directories)"
            )
        if os.path.isdir(path):
            raise OutputError(f"{path}: is a directory")
        if os.path.islink(path):
            raise OutputError(f"{path}: is a symbolic link; refusing to write through it")
        if not is_regular_or_absent(path):
            raise OutputError(f"{path}: not a regular file; refusing to replace it")
        if os.path.lexists(path) and not force:
            raise OutputError(f"{path}: exists; refusing to overwrite without --force")


def refuse_inputs(outputs: Sequence[str], inputs: Sequence[str]) -> None:
    """Refuse an output that is a file this run read (a config, its overlay, an include), under
    any spelling: the same real path, or the same file by device and inode (a hard link). Called
    once the inputs are known, before anything is written; `--force` never overrides it."""
    read = {os.path.realpath(p) for p in inputs}
    identities = set()
    for path in inputs:
        with contextlib.suppress(OSError, ValueError):
            info = os.stat(path)
            identities.add((info.st_dev, info.st_ino))
    for path in outputs:
        same = os.path.realpath(path) in read
        if not same:
            with contextlib.suppress(OSError, ValueError):
                info = os.stat(path)
                same = (info.st_dev, info.st_ino) in identities
        if same:
            raise OutputError(
                f"{path}: is a file this run read (a config, an overlay or an include);"
                " refusing to write it, --force or not"
            )


def write_all(outputs: Mapping[str, bytes], *, force: bool) -> None:
    """Write each output atomically; if one fails, remove those this call created.

    Nothing is left half-done: either every output is written, or none of the new files remain
    (a file replaced with `force` before the failure keeps its new content).
    """
    created: list[str] = []
    try:
        for path, data in outputs.items():
            existed = os.path.lexists(path)
            write_atomic(path, data, force=force)
            if not existed:
                created.append(path)
    except BaseException:  # any failure, an interrupt too: undo, then let it propagate
        for path in created:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        raise


def write_atomic(path: str, data: bytes, *, force: bool) -> None:
    """Write `data` to a temporary file beside `path`, fsync, then move it onto `path`.

    Without `force` an existing file is never replaced: the last step is a hard link, which
    fails when the target exists (no window between a check and the write). With `force` it is
    an atomic `os.replace`. Readers see the old file or the whole new one, never a part.
    """
    temp = f"{temp_prefix(path)}{os.getpid()}-{os.urandom(4).hex()}"
    if not is_regular_or_absent(path):  # checked again: the target may have changed since
        raise OutputError(f"{path}: not a regular file; refusing to replace it")
    try:
        write_through(path, data, temp=temp, replace=force)
    except FileExistsError:
        raise OutputError(f"{path}: exists; refusing to overwrite without --force") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or 'I/O error'})") from None


def refuse_inside(outputs: Sequence[str], directory: str, what: str) -> None:
    """Refuse an output inside `directory` (a run's input directory, such as the archive it
    reads), under any spelling; `--force` never overrides it."""
    root = os.path.join(os.path.realpath(directory), "")
    for path in outputs:
        if os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), "").startswith(
            root
        ):
            raise OutputError(f"{path}: is inside {what} {directory}; refusing to write there")


class AtomicOutput:
    """One output written piece by piece, as a report streams: into a temporary file beside
    it (created exclusively, never through a link), then, on leaving the `with` block without
    an error, fsynced and moved into place in one step, as `write_atomic` does. A run that
    fails first leaves no file; readers never see a part of one. Memory holds one piece."""

    def __init__(self, path: str, *, force: bool) -> None:
        self.path = path
        self.force = force
        self._temp = f"{temp_prefix(path)}{os.getpid()}-{os.urandom(4).hex()}"
        self._handle: BinaryIO | None = None

    def __enter__(self) -> AtomicOutput:
        if not is_regular_or_absent(self.path):
            raise OutputError(f"{self.path}: not a regular file; refusing to replace it")
        try:
            fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise OutputError(
                f"{self.path}: cannot write ({exc.strerror or 'I/O error'})"
            ) from None
        self._handle = os.fdopen(fd, "wb")
        return self

    def write(self, text: str) -> None:
        try:
            self._file().write(text.encode())
        except OSError as exc:
            raise OutputError(
                f"{self.path}: cannot write ({exc.strerror or 'I/O error'})"
            ) from None

    def _file(self) -> BinaryIO:
        if self._handle is None:
            raise OutputError(f"{self.path}: not open")
        return self._handle

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        handle = self._file()
        try:
            if exc_type is None:
                try:
                    handle.flush()
                    os.fsync(handle.fileno())
                    handle.close()
                    _place(self._temp, self.path, replace=self.force)
                except FileExistsError:
                    raise OutputError(
                        f"{self.path}: exists; refusing to overwrite without --force"
                    ) from None
                except OSError as exc:
                    raise OutputError(
                        f"{self.path}: cannot write ({exc.strerror or 'I/O error'})"
                    ) from None
        finally:
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(self._temp)
        fsync_directory(os.path.dirname(os.path.abspath(self.path)))


def _place(temp: str, path: str, *, replace: bool) -> None:
    """The last step of an atomic write: `temp` onto `path`, linked (so an existing file is
    never replaced) or, with `replace`, moved over it."""
    if replace:
        os.replace(temp, path)
    else:
        os.link(temp, path)


def write_through(path: str, data: bytes, *, temp: str, replace: bool) -> None:
    """The one way this package writes a whole file (`AtomicOutput` streams one the same
    way): `data` into `temp` (created exclusively, never
    through a link), fsynced, then linked onto `path` (never replacing an existing file) or,
    with `replace`, moved onto it atomically; `temp` is removed whatever happens and the
    directory fsynced. Raises `OSError` (`FileExistsError` when `path` exists)."""
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _place(temp, path, replace=replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temp)
    fsync_directory(os.path.dirname(os.path.abspath(path)))


def fsync_directory(directory: str) -> None:
    """Make a directory's new entries durable (best effort: not every file system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
