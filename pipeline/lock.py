"""One build at a time per warehouse.

The lock is a file beside the warehouse (`<name>.lock`) held with `flock` for the whole
build; it names the holder (pid, host, start time). The kernel releases a flock when its
holder dies, however it dies, so a lock left by a killed build is simply taken over (and
the new holder is told whose it was, so the leftovers can be cleaned). A second build while
the first runs is refused with the first one's pid and start time, having touched nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType


class BuildLocked(Exception):
    """Another build holds the lock of this warehouse."""

    def __init__(self, path: Path, holder: dict[str, object]) -> None:
        self.path = path
        self.holder = holder
        started = holder.get("started") or "at an unknown time"
        super().__init__(
            f"another build (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
            f"started {started}) is running on this warehouse; lock: {path}"
        )


@dataclass
class BuildLock:
    path: Path
    previous_holder: dict[str, object] | None = None  # a dead build whose lock was taken over
    _fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise BuildLocked(self.path, holder) from None
        self.previous_holder = _read(fd) or None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        }).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # released cleanly: nothing to take over next time
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read(fd: int) -> dict[str, object]:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {}
