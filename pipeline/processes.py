"""Processes the build starts die with it.

A build killed with SIGKILL cannot clean up after itself, so each process it starts (a
document worker, dbt) asks the kernel to kill it when its parent dies (Linux's
PR_SET_PDEATHSIG). Elsewhere this is a no-op, and the next build's lock says which build
was killed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child process: be killed when the parent process dies, and if the parent is
    already gone (it died between fork and this call), exit now."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def tied_to_this_process(command: list[str]) -> list[str]:
    """`command` run so that it dies with this process: through this module, which sets the
    death signal and then becomes the command (the signal survives exec). Used instead of a
    `preexec_fn`, which is unsafe in a process that has threads."""
    return [sys.executable, "-m", "pipeline.processes", *command]


if __name__ == "__main__":
    die_with_parent()
    os.execv(sys.argv[1], sys.argv[1:])
