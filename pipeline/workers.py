"""Run one function per input in forked worker processes, N at a time, each under a time
and memory limit. A worker that runs over is killed and reported; the others go on.

Each document gets its own short-lived process (fork is cheap, and the parent has already
imported the parsers), so a document that hangs or exhausts memory cannot take a shared
pool down with it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

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


def _child(fn: Callable[[T], R], item: T, conn: Connection, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
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
            try:
                status, payload = conn.recv()
            except EOFError:
                process.join()
                yield Outcome(item, error=WorkerFailed(
                    "crashed", f"the worker died (exit code {process.exitcode})"))
                continue
            finally:
                conn.close()
            process.join()
            yield Outcome(item, result=payload) if status == "ok" else Outcome(item, error=payload)
        now = time.monotonic()
        for conn, (item, process, _, started) in list(running.items()):
            if now - started > limits.seconds:
                process.kill()
                process.join()
                conn.close()
                del running[conn]
                yield Outcome(item, error=WorkerFailed(
                    "time_limit", f"stopped after its {limits.seconds:.0f} s time limit"))
