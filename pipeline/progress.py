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


def quiet_message(line: str) -> str | None:
    """What `dbt --quiet` prints for a line of its structured log: the message of a warning or
    an error; a line that is not dbt's log (a crash) as it is; None for the rest."""
    event = dbt_event(line)
    if event is None:
        return line if line.strip() else None
    info = event["info"]
    return str(info.get("msg", "")) if info.get("level") in ("warn", "error") else None


class DbtBar:
    """Progress over dbt's nodes, fed its structured log line by line: a bar on a terminal; in a
    log (cron, a captured run) a line at every tenth of the nodes, so the log stays short."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.started = time.monotonic()
        self.said = 0

    def feed(self, line: str) -> str | None:
        """Advance on a node's result; returns the line as `--quiet` would print it."""
        event = dbt_event(line)
        step = dbt_progress(event) if event is not None else None
        if step is not None:
            from tqdm import tqdm

            index, total, node, status = step
            if not sys.stderr.isatty():
                tenth = 10 * index // max(total, 1)
                if tenth > self.said or index == total:
                    self.said = tenth
                    say(f"dbt {index}/{total} nodes, {time.monotonic() - self.started:.0f} s")
                return quiet_message(line)
            if self.bar is None:
                self.bar = tqdm(total=total, desc="dbt", unit="node", file=sys.stderr, dynamic_ncols=True)
            self.bar.update(1)
            self.bar.set_postfix_str(f"{node[:40]} {status}")
        return quiet_message(line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
