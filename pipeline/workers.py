"""Run one function per input in forked worker processes, N at a time, each under a time
and memory limit. A worker that runs over is killed and reported; the others go on.

Each document gets its own short-lived process (fork is cheap, and the parent has already
imported the parsers), so a document that hangs or exhausts memory cannot take a shared
pool down with it. A worker dies with the build that forked it (`processes.die_with_parent`):
a build killed with SIGKILL leaves no worker behind.

The memory limit counts what the worker allocates after the fork (its private writable
memory, RLIMIT_DATA above what it inherited), not the address space of the libraries and
modules the build had already loaded: a limit of a few hundred MB means what it says.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from pipeline.processes import die_with_parent

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Limits:
    seconds: float = 300.0
    memory_mb: int = 4096
    workers: int = os.cpu_count() or 1


class WorkerFailed(Exception):
    """The worker died or ran over a limit; the message says which."""

    def __init__(self, reason_code: str, reason: str) -> None:
        self.reason_code = reason_code
        self.reason = reason
        super().__init__(reason)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.reason_code, self.reason))


@dataclass
class Outcome(Generic[T]):
    item: T
    result: Any = None
    error: BaseException | None = None
    worker: str | None = None  # where it was read: host and process (node too, on Ray)


HOST = socket.gethostname()

# below this a worker cannot even start pdfium and pdfplumber on a page
MIN_MEMORY_MB = 64


def _inherited_data_bytes() -> int:
    """The private writable memory this process has right after the fork (VmData)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def check_limits(limits: Limits) -> None:
    """Refuse, before any document starts, a memory limit no document could be read in."""
    if limits.memory_mb < MIN_MEMORY_MB:
        raise ValueError(f"a memory limit of {limits.memory_mb} MB per document is below the "
                         f"{MIN_MEMORY_MB} MB a worker needs to read any PDF")


def _limit_memory(memory_mb: int) -> None:
    limit = _inherited_data_bytes() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _child(fn: Callable[[T], R], item: T, conn: Connection, memory_mb: int) -> None:
    die_with_parent()
    _limit_memory(memory_mb)
    try:
        conn.send(("ok", fn(item)))
    except MemoryError:
        conn.send(("error", WorkerFailed("memory_limit", f"ran out of its {memory_mb} MB memory limit")))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            conn.send(("error", exc))
        except Exception:  # the exception itself may not pickle
            conn.send(("error", WorkerFailed("parser_error", "".join(traceback.format_exception_only(exc)).strip())))
    finally:
        conn.close()


def run(fn: Callable[[T], R], items: list[T], limits: Limits) -> Iterator[Outcome[T]]:
    """Yield one outcome per item, in completion order."""
    check_limits(limits)
    ctx = mp.get_context("fork")
    pending = list(reversed(items))
    running: dict[Connection, tuple[T, Any, Connection, float]] = {}
    while pending or running:
        while pending and len(running) < max(1, limits.workers):
            item = pending.pop()
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child, args=(fn, item, send, limits.memory_mb), daemon=True)
            process.start()
            send.close()
            running[receive] = (item, process, receive, time.monotonic())
        ready = wait(list(running), timeout=0.5)
        for conn in ready:
            assert isinstance(conn, Connection)
            item, process, _, _ = running.pop(conn)
            where = f"{HOST} pid {process.pid}"
            try:
                status, payload = conn.recv()
            except EOFError:
                process.join()
                yield Outcome(item, error=WorkerFailed(
                    "crashed", f"the worker died (exit code {process.exitcode})"), worker=where)
                continue
            finally:
                conn.close()
            process.join()
            yield Outcome(item, result=payload, worker=where) if status == "ok" \
                else Outcome(item, error=payload, worker=where)
        now = time.monotonic()
        for conn, (item, process, _, started) in list(running.items()):
            if now - started > limits.seconds:
                process.kill()
                process.join()
                conn.close()
                del running[conn]
                yield Outcome(item, error=WorkerFailed(
                    "time_limit", f"stopped after its {limits.seconds:.0f} s time limit"),
                    worker=f"{HOST} pid {process.pid}")
