"""Run dbt against a given landing area and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its connection to the warehouse open for the
life of the process, and the build must open the file again afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tqdm import tqdm

from pipeline import progress

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


def _invoke(args: list[str], landing: Path, warehouse: Path, target: Path | None = None) -> bool:
    command, env = _command(args, landing, warehouse, target)
    return subprocess.run(command, env=env, check=False).returncode == 0


def _command(args: list[str], landing: Path, warehouse: Path,
             target: Path | None = None) -> tuple[list[str], dict[str, str]]:
    artefacts = warehouse.with_name(warehouse.name + ".dbt")
    env = {
        **os.environ,
        "LANDING_DIR": str(landing),
        "DBT_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",  # no network here, and none wanted
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir", str(DBT_PROJECT),
        "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(target or artefacts / "target"),
        "--log-path", str(artefacts / "logs"),
    ]
    return command, env


@progress.timed("dbt build")
def build(landing: Path, warehouse: Path) -> bool:
    """`dbt build`: seeds, models and their tests, with a progress bar (nodes done / total,
    read from dbt's structured log) and dbt's own error messages. False when anything failed."""
    command, env = _command(["--log-format", "json", "--no-use-colors", "build"], landing, warehouse)
    bar: tqdm | None = None
    errors: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace") as process:
        assert process.stdout is not None
        for line in process.stdout:
            event = progress.dbt_event(line)
            if event is None:
                if line.strip():
                    errors.append(line.rstrip())  # not dbt's log: a crash, say
                continue
            if event["info"].get("level") == "error":
                errors.append(event["info"].get("msg", ""))
            step = progress.dbt_progress(event)
            if step is None:
                continue
            index, total, node, status = step
            if bar is None:
                bar = tqdm(total=total, desc="dbt", unit="node", file=sys.stderr, dynamic_ncols=True)
            bar.update(1)
            bar.set_postfix_str(f"{node[:40]} {status}")
        returncode = process.wait()
    if bar is not None:
        bar.close()
    if returncode != 0:
        for message in errors[-40:]:
            print(message, file=sys.stderr)
    return returncode == 0


def docs(landing: Path, warehouse: Path, site: Path) -> bool:
    """`dbt docs generate --static`: the docs site as one HTML file in `site`."""
    return _invoke(["--quiet", "docs", "generate", "--static"], landing, warehouse, target=site)
