"""Worker processes that share one ordered job list: `audit fleet` on every core.

An edge (DESIGN §1): it forks, and reads and writes pipes. The work itself is a plain function.

How the workers stay read-only. `readonly.ReadOnlyGuard` refuses `os.fork` (and every other
way to start a process) while it is armed, so the workers are forked *before* the caller arms
its guard, and each worker arms a guard of its own at once, before it does any work: a
`ReadOnlyGuard()` with no outputs at all, stricter than its parent's (a worker writes no file;
it sends its results up a pipe that was open before the guard). A forked worker runs the same
code and imports as its parent (no `exec`, no new interpreter, nothing outside the guard's
view), and ends with `os._exit`, so it never flushes its parent's buffers or runs its exit
handlers. The parent never signals a worker (`os.kill` is refused under its guard): it closes
the pipes, which ends a worker at its next write, and waits for each.

Order: the jobs are cut into chunks; worker `w` of `n` audits chunks `w`, `w + n`, `w + 2n`...
of the list it inherited by fork (nothing is sent to a worker), and the parent reads chunk `k`
from worker `k % n`, so the results come out in the jobs' order, streamed: a worker runs at
most a pipe's capacity ahead of the reader, and the reader holds one chunk at a time.

A worker's exception (a bug, a read-only violation) is raised again in the parent when its
chunk's turn comes, with the same type and message, as if the work had run there. A worker
that dies without a word (killed, out of memory) is an error, never a silently shorter report.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import BinaryIO, Generic, NoReturn, TypeVar, cast

from peak_trade.readonly import ReadOnlyGuard

T = TypeVar("T")
R = TypeVar("R")

_HEADER = struct.Struct("!Q")  # the length of the pickled frame that follows
_PIPE_BYTES = 1 << 20  # a worker may run up to this far ahead of the reader (Linux; else 64 KiB)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, not the machine's count)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        return int(count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is possible and safe here: a platform with `fork`, and one thread (a
    fork copies only the calling thread; another thread's locks would stay held in the child)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class WorkerLost(RuntimeError):
    """A worker ended before it sent its results (killed, out of memory)."""


class OrderedWorkers(Generic[T, R]):
    """Context manager: `workers` forked processes apply `work` to `jobs`; entering yields the
    results in the jobs' order. Enter it before arming the parent's read-only guard and leave
    it after (see the module's note). Where forking is impossible or fails, the results are
    computed in this process instead, lazily, under whatever guard the caller armed."""

    def __init__(
        self, work: Callable[[T], R], jobs: Sequence[T], *, workers: int, chunk: int
    ) -> None:
        self._work, self._jobs, self._chunk = work, jobs, max(1, chunk)
        self._wanted = max(1, workers)
        self._workers: list[tuple[int, BinaryIO]] = []

    @property
    def forked(self) -> int:
        """How many workers are running (0: the work runs in this process)."""
        return len(self._workers)

    def __enter__(self) -> Iterator[R]:
        if self._wanted > 1 and can_fork():
            self._start()
        if not self._workers:
            return (self._work(job) for job in self._jobs)
        return self._results()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _start(self) -> None:
        for stream in (sys.stdout, sys.stderr):  # a child must not inherit unwritten output
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        for index in range(self._wanted):
            try:
                read_fd, write_fd = os.pipe()
            except OSError:  # out of descriptors: the work runs in this process
                self._stop()
                return
            try:
                _grow(write_fd)
                pid = os.fork()
            except BaseException as exc:  # a guard refused it, or no processes left
                os.close(read_fd)
                os.close(write_fd)
                self._stop()
                if isinstance(exc, OSError):  # out of processes: the work runs in this process
                    return
                raise
            if pid == 0:  # the worker: never returns
                os.close(read_fd)
                for _, reader in self._workers:
                    os.close(reader.fileno())  # its siblings' pipes are not its own
                _serve(self._work, self._jobs, index, self._wanted, self._chunk, write_fd)
            os.close(write_fd)
            self._workers.append((pid, os.fdopen(read_fd, "rb")))

    def _results(self) -> Iterator[R]:
        count, chunks = len(self._workers), -(-len(self._jobs) // self._chunk)
        for number in range(chunks):
            pid, reader = self._workers[number % count]
            ok, value = _receive(reader, pid)
            if not ok:
                raise cast(Exception, value)
            yield from cast(list[R], value)

    def _stop(self) -> None:
        workers, self._workers = self._workers, []
        for _, reader in workers:
            reader.close()  # a worker still writing gets EPIPE and ends
        for pid, _ in workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _grow(fd: int) -> None:
    """Let a worker run further ahead of the reader before its writes block (best effort)."""
    with contextlib.suppress(OSError, AttributeError, ImportError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _serve(
    work: Callable[[T], R], jobs: Sequence[T], index: int, workers: int, chunk: int, fd: int
) -> NoReturn:
    """A worker's life: arm its own guard, audit its chunks in order, send each up the pipe;
    a failure is sent as the exception and ends the worker."""
    code = 0
    try:
        with os.fdopen(fd, "wb") as pipe, ReadOnlyGuard():
            for start in range(index * chunk, len(jobs), workers * chunk):
                try:
                    frame = pickle.dumps(
                        (True, [work(job) for job in jobs[start : start + chunk]]),
                        protocol=pickle.HIGHEST_PROTOCOL,
                    )
                except Exception as exc:  # noqa: BLE001 - raised again in the parent
                    _send(pipe, _failure(exc))
                    break
                _send(pipe, frame)
    except BaseException:  # noqa: BLE001 - the reader went away, an interrupt: nothing to send
        code = 1
    finally:
        os._exit(code)


def _failure(exc: Exception) -> bytes:
    where = _innermost(exc)
    with contextlib.suppress(Exception):
        exc.add_note(f"raised in a worker{where}")
        return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.dumps((False, RuntimeError(f"{type(exc).__name__} in a worker{where}")))


def _innermost(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f" at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else ""


def _send(pipe: BinaryIO, frame: bytes) -> None:
    pipe.write(_HEADER.pack(len(frame)))
    pipe.write(frame)
    pipe.flush()


def _receive(reader: BinaryIO, pid: int) -> tuple[bool, object]:
    """One frame: (True, a chunk's results) or (False, the exception that ended the worker)."""
    header = reader.read(_HEADER.size)
    if len(header) == _HEADER.size:
        (size,) = _HEADER.unpack(header)
        frame = reader.read(size)
        if len(frame) == size:
            # our own child's bytes, through a pipe only it and we hold: trusted as pickles
            ok, value = pickle.loads(frame)  # noqa: S301
            return bool(ok), value
    raise WorkerLost(f"worker {pid} ended before sending its results")
