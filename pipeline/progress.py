"""What the build says while it works: each phase's start and its time (stderr), and a record
of the times for the summary. dbt's progress (models done / total) is read from its structured
log (`dbt_progress`)."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

# phase → seconds, in the order the phases ran; read by the summary
TIMINGS: dict[str, float] = {}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def phase(name: str) -> Iterator[None]:
    say(f"{name} …")
    started = time.monotonic()
    try:
        yield
    finally:
        TIMINGS[name] = time.monotonic() - started
        say(f"{name} done in {TIMINGS[name]:.1f} s")


def timed(name: str) -> Callable[[F], F]:
    """A function run as a phase: announced, timed, its time recorded."""
    def wrap(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with phase(name):
                return function(*args, **kwargs)
        return cast(F, run)
    return wrap


def timings_line() -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in TIMINGS.items())


# dbt's structured log: one JSON object per line, {"info": {"name", "level", "msg"}, "data": {…}}.
# A node's result event carries its index and the run's total.
RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult",
                 "SkippingDetails", "LogNodeNoOpResult"}


def dbt_event(line: str) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) and "info" in event else None


def dbt_progress(event: dict[str, Any]) -> tuple[int, int, str, str] | None:
    """(index, total, node name, status) of a node's result event, else None."""
    if event["info"].get("name") not in RESULT_EVENTS:
        return None
    data = event.get("data") or {}
    index = data.get("index")
    total = data.get("total", data.get("num_models"))  # a test's result names the total num_models
    if not isinstance(index, int) or not isinstance(total, int):
        return None
    node = (data.get("node_info") or {}).get("node_name") or data.get("name") or ""
    return index, total, node, str(data.get("status") or (data.get("node_info") or {}).get("node_status") or "")
