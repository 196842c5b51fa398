"""Where the documents are read: one interface, two engines.

`run(fn, items, limits, engine)` yields one `workers.Outcome` per item, in completion
order, whichever engine reads them:

- `local` (the default): forked processes on this machine (`pipeline.workers`);
- `ray`: Ray tasks (`pipeline.ray_engine`), on a local Ray instance with this machine's
  cores, or on the cluster `RAY_ADDRESS` names.

Both apply the same per-document limits (`workers.Limits`) and the same containment: a
document that fails, runs over its time or memory, or kills its worker comes back as an
`Outcome` with its error, and the others go on. Ray is imported only when it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pipeline import workers

T = TypeVar("T")

ENGINES = ("local", "ray")


def run(fn: Callable[[T], Any], items: list[T], limits: workers.Limits,
        engine: str = "local") -> Iterator[workers.Outcome[T]]:
    if engine == "local":
        return workers.run(fn, items, limits)
    if engine == "ray":
        from pipeline import ray_engine  # Ray is an optional extra: loaded only here

        return ray_engine.run(fn, items, limits)
    raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
