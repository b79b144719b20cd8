"""`peak_trade.workers`: forked workers, results in the jobs' order, each worker read-only."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from peak_trade.errors import ConfigError, ReadOnlyViolation
from peak_trade.live.fleet import CHUNK, SERIAL_BELOW, fleet_workers
from peak_trade.readonly import ReadOnlyGuard
from peak_trade.workers import OrderedWorkers, WorkerLost, can_fork, usable_cpus


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids this process forked (the real fork, counted)."""
    real_fork = os.fork
    pids: list[int] = []

    def counted() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    yield pids


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


@pytest.mark.parametrize(
    ("jobs", "workers", "chunk"),
    [(0, 2, 4), (1, 2, 4), (7, 2, 4), (8, 2, 4), (9, 3, 4), (100, 2, 16), (101, 3, 1)],
)
def test_results_come_in_the_jobs_order_from_the_workers(
    forks: list[int], jobs: int, workers: int, chunk: int
) -> None:
    with OrderedWorkers(_pid_and_square, range(jobs), workers=workers, chunk=chunk) as results:
        got = list(results)
    assert [square for _, square in got] == [n * n for n in range(jobs)]
    assert len(forks) == workers
    # chunk k was computed by worker k % workers, never by this process
    assert [pid for pid, _ in got] == [forks[(n // chunk) % workers] for n in range(jobs)]
    for pid in forks:  # every worker was waited for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_one_worker_means_this_process_lazily(forks: list[int]) -> None:
    seen: list[int] = []

    def work(n: int) -> int:
        seen.append(n)
        return n

    with OrderedWorkers(work, range(5), workers=1, chunk=2) as results:
        assert seen == []  # nothing computed before it is asked for
        assert next(results) == 0 and seen == [0]
        assert list(results) == [1, 2, 3, 4]
    assert forks == []


def test_another_thread_alive_means_no_fork(forks: list[int]) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        with OrderedWorkers(_pid_and_square, range(40), workers=2, chunk=4) as results:
            assert {pid for pid, _ in results} == {os.getpid()}
    finally:
        stop.set()
        thread.join()
    assert forks == []


def _fails_at_37(n: int) -> int:
    if n == 37:
        raise ConfigError(f"config {n} is broken")
    return n


def test_a_workers_exception_is_raised_here_in_its_turn(forks: list[int]) -> None:
    got = []
    with (
        pytest.raises(
            ConfigError, match=r"^config 37 is broken\nraised in a worker at test_workers.py:\d+$"
        ),
        OrderedWorkers(_fails_at_37, range(100), workers=2, chunk=8) as results,
    ):
        got.extend(results)
    assert got == list(range(32))  # every chunk before the failing one, in order
    assert len(forks) == 2


def _dies_at_20(n: int) -> int:
    if n == 20:
        os._exit(9)  # as if killed: no word to the parent
    return n


def test_a_worker_that_dies_silently_is_an_error_not_a_short_report(forks: list[int]) -> None:
    got = []
    with (
        pytest.raises(WorkerLost),
        OrderedWorkers(_dies_at_20, range(64), workers=2, chunk=4) as results,
    ):
        got.extend(results)
    assert got == list(range(20))


def test_a_worker_may_not_write_even_the_parents_outputs(tmp_path: Path) -> None:
    output = tmp_path / "report.json"

    def write(n: int) -> int:
        output.write_text(str(n))
        return n

    with (
        pytest.raises(ReadOnlyViolation, match="tried to write"),
        OrderedWorkers(write, range(8), workers=2, chunk=2) as results,
        ReadOnlyGuard(outputs=[str(output)]),  # armed after the fork, as the fleet does
    ):
        list(results)
    assert not output.exists()


@pytest.mark.parametrize(
    "action",
    [
        lambda: os.mkdir("/nonexistent-dir-of-a-worker"),
        lambda: __import__("socket").socket(),
        lambda: __import__("subprocess").run(["true"], check=False),
        lambda: os.fork(),
    ],
    ids=["mkdir", "socket", "subprocess", "fork"],
)
def test_a_worker_is_as_read_only_as_its_parent(action: Callable[[], object]) -> None:
    def work(n: int) -> int:
        action()
        return n

    with (
        pytest.raises(ReadOnlyViolation),
        OrderedWorkers(work, range(4), workers=2, chunk=1) as results,
    ):
        list(results)


def test_no_worker_is_forked_under_an_armed_guard(forks: list[int]) -> None:
    with pytest.raises(ReadOnlyViolation, match="os.fork"), ReadOnlyGuard():
        with OrderedWorkers(_pid_and_square, range(40), workers=2, chunk=4) as results:
            list(results)
    assert forks == []


def test_leaving_early_ends_and_reaps_every_worker(forks: list[int]) -> None:
    with OrderedWorkers(_pid_and_square, range(10_000), workers=2, chunk=1) as results:
        assert next(results)[1] == 0
    assert len(forks) == 2
    for pid in forks:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_failed_fork_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with OrderedWorkers(_pid_and_square, range(20), workers=2, chunk=4) as results:
        assert list(results) == [(os.getpid(), n * n) for n in range(20)]


def test_usable_cpus_is_this_process_affinity() -> None:
    if hasattr(os, "sched_getaffinity"):
        assert usable_cpus() == len(os.sched_getaffinity(0))
    assert usable_cpus() >= 1


@pytest.mark.parametrize(
    ("configs", "cpus", "jobs", "expected"),
    [
        (SERIAL_BELOW - 1, 8, None, 1),  # small: forking costs more than it saves
        (SERIAL_BELOW, 8, None, SERIAL_BELOW // CHUNK),  # never more workers than chunks
        (10_000, 2, None, 2),
        (10_000, 1, None, 1),
        (5, 8, 4, 1),  # one chunk: one process
        (CHUNK * 3, 8, 16, 3),
        (10_000, 2, 1, 1),  # --jobs 1: every config in this process
        (10_000, 2, 6, 6),  # --jobs beats the CPU count
    ],
)
def test_fleet_workers(configs: int, cpus: int, jobs: int | None, expected: int) -> None:
    assert fleet_workers(configs, cpus=cpus, jobs=jobs) == expected
