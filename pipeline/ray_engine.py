"""Documents read as Ray tasks: on a local Ray instance with this machine's cores, or on the
cluster `RAY_ADDRESS` names (`ray start --head` on one machine, `ray start --address=…` on
the others, every node running this project's environment).

The same limits and containment as `pipeline.workers`, enforced the Ray way:

- time: the driver gives each task `limits.seconds` from its submission (no more tasks are
  submitted than the cluster has CPUs, so a task starts when it is submitted) and stops one
  that runs over with `ray.cancel(force=True)`, which kills its worker process;
- memory: inside the task, the worker's data segment (RLIMIT_DATA) is capped at what the
  worker holds when the task starts plus `limits.memory_mb`, and the cap is lifted when the
  task ends; a document that runs out comes back as `memory_limit`;
- containment: an exception comes back as the document's error; a worker that dies (a
  crash in a native library, Ray's own out-of-memory killer) is `crashed`; tasks are never
  retried, so a document that kills its worker is read once.

Worker processes are reused for `DOCUMENTS_PER_WORKER` documents and then replaced:
starting a Ray worker and importing the parsers costs about 1.9 s per core, many times the
reading of a text document (DECISIONLOG.md). The input files are read by path, so on a
cluster the input folder must be at the same path on every node (a shared file system).
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import ray
import ray.exceptions

from pipeline import workers
from pipeline.workers import Limits, Outcome, WorkerFailed

T = TypeVar("T")

# a worker process reads this many documents, then Ray starts a fresh one
DOCUMENTS_PER_WORKER = 100


def _read(fn: Callable[[Any], Any], item: Any, memory_mb: int) -> tuple[str, Any, str]:
    """The task: one document read under its memory limit. Returns (status, payload, where)."""
    where = f"{socket.gethostname()} node {ray.get_runtime_context().get_node_id()[:12]} pid {os.getpid()}"
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = workers._inherited_data_bytes() + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    try:
        return "ok", fn(item), where
    except MemoryError:
        return "error", WorkerFailed("memory_limit", f"ran out of its {memory_mb} MB memory limit"), where
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the driver
        try:
            pickle.dumps(exc)
        except Exception:  # the exception itself may not pickle
            exc = WorkerFailed("parser_error", "".join(traceback.format_exception_only(exc)).strip())
        return "error", exc, where
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def connect(limits: Limits) -> None:
    """The cluster RAY_ADDRESS names, else a new local instance with `limits.workers` CPUs."""
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, logging_level=logging.WARNING)
    else:
        ray.init(address="local", num_cpus=max(1, limits.workers), include_dashboard=False,
                 logging_level=logging.WARNING)


def run(fn: Callable[[T], Any], items: list[T], limits: Limits) -> Iterator[Outcome[T]]:
    """Yield one outcome per item, in completion order. Connects to Ray unless the caller
    has, and then disconnects at the end (a local instance stops)."""
    workers.check_limits(limits)
    started_here = not ray.is_initialized()
    if started_here:
        connect(limits)
    try:
        yield from _run(fn, items, limits)
    finally:
        if started_here:
            ray.shutdown()


def _run(fn: Callable[[T], Any], items: list[T], limits: Limits) -> Iterator[Outcome[T]]:
    task = ray.remote(num_cpus=1, max_retries=0, retry_exceptions=False,
                      max_calls=DOCUMENTS_PER_WORKER, scheduling_strategy="SPREAD")(_read)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
    pending = list(reversed(items))
    running: dict[Any, tuple[T, float]] = {}
    while pending or running:
        while pending and len(running) < slots:
            item = pending.pop()
            running[task.remote(fn, item, limits.memory_mb)] = (item, time.monotonic())
        ready, _ = ray.wait(list(running), num_returns=1, timeout=0.5)
        for ref in ready:
            item, _started = running.pop(ref)
            try:
                status, payload, where = ray.get(ref)
            except ray.exceptions.RayError as exc:  # the worker or its node died
                yield Outcome(item, error=WorkerFailed("crashed", f"the worker died ({type(exc).__name__})"))
                continue
            yield Outcome(item, result=payload, worker=where) if status == "ok" \
                else Outcome(item, error=payload, worker=where)
        now = time.monotonic()
        for ref, (item, started) in list(running.items()):
            if now - started > limits.seconds:
                ray.cancel(ref, force=True)
                del running[ref]
                yield Outcome(item, error=WorkerFailed(
                    "time_limit", f"stopped after its {limits.seconds:.0f} s time limit"))
