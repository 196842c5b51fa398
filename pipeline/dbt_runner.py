"""Run dbt against a given landing area and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its connection to the warehouse open for the
life of the process, and the build must open the file again afterwards. The process dies
with the build (`processes.tied_to_this_process`), and what it prints is captured: the build
decides what a person needs to see (a failed test is often a document to quarantine, not
an error to print), and a full disk cannot turn dbt's logging into a flood.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline import progress
from pipeline.processes import tied_to_this_process

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
KEPT_LINES = 400


@dataclass
class DbtRun:
    ok: bool
    output: list[str]  # the last lines dbt printed
    target: Path  # its artefacts: run_results.json, manifest.json, compiled SQL

    def errors(self, limit: int = 20) -> list[str]:
        """The lines of the output that say what failed."""
        wanted = [line for line in self.output
                  if any(k in line for k in ("Error", "error", "Failure in", "FAIL", "Got "))]
        return wanted[:limit]


def artefacts_of(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".dbt")


# the environment variables naming the CSVs of the documents an incremental build recomputes
# (macros/incremental.sql): by document, by issuer, by fiscal year; unset, every document
DOCUMENT_LISTS = {"touched": "TOUCHED_DOCUMENTS", "affected": "AFFECTED_DOCUMENTS", "same_year": "YEAR_DOCUMENTS"}


def _invoke(args: list[str], landing: Path, warehouse: Path, target: Path | None = None,
            on_line: Callable[[str], None] | None = None, lists: Mapping[str, Path] | None = None) -> DbtRun:
    artefacts = artefacts_of(warehouse)
    target = target or artefacts / "target"
    env = {
        **{k: v for k, v in os.environ.items() if k not in DOCUMENT_LISTS.values()},
        **{DOCUMENT_LISTS[name]: str(path) for name, path in (lists or {}).items()},
        "LANDING_DIR": str(landing),
        "DBT_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",  # no network here, and none wanted
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir", str(DBT_PROJECT),
        "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(target),
        "--log-path", str(artefacts / "logs"),
    ]
    lines: deque[str] = deque(maxlen=KEPT_LINES)
    with subprocess.Popen(tied_to_this_process(command), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                          errors="replace") as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if on_line is not None:
                on_line(line.rstrip("\n"))
    run = DbtRun(process.returncode == 0, list(lines), target)
    if not run.ok and any("No space left on device" in line for line in run.output):
        raise OSError(errno.ENOSPC, "No space left on device", str(warehouse))
    return run


@progress.timed("dbt build")
def build(landing: Path, warehouse: Path, lists: Mapping[str, Path] | None = None,
          on_line: Callable[[str], None] | None = None) -> DbtRun:
    """`dbt build`: seeds, models and their tests, with a progress bar (nodes done of the
    total, read from dbt's structured log). The run's output is what `--quiet` would print:
    dbt's warnings and errors, as text. `lists`: the documents an incremental build
    recomputes, by name (DOCUMENT_LISTS); none, a full build."""
    bar = progress.DbtBar()

    def each(line: str) -> None:
        message = bar.feed(line)
        if message is not None and on_line is not None:
            on_line(message)

    try:
        run = _invoke(["--log-format", "json", "--no-use-colors", "build"], landing, warehouse, on_line=each,
                      lists=lists)
    finally:
        bar.close()
    run.output = [m for m in map(progress.quiet_message, run.output) if m is not None]
    return run


def docs(landing: Path, warehouse: Path, site: Path) -> bool:
    """`dbt docs generate --static`: the docs site as one HTML file in `site`. The staging
    views (not kept in a published warehouse) are made again in `warehouse` first, so the
    site describes every layer."""
    staged = _invoke(["--quiet", "run", "--select", "staging"], landing, warehouse, target=site)
    return staged.ok and _invoke(["--quiet", "docs", "generate", "--static"], landing, warehouse, target=site).ok
