"""Run dbt against a given landing area and warehouse file.

dbt runs in its own process: dbt-duckdb keeps its connection to the warehouse open for the
life of the process, and the build must open the file again afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


def _invoke(args: list[str], landing: Path, warehouse: Path, target: Path | None = None) -> bool:
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
    return subprocess.run(command, env=env, check=False).returncode == 0


def build(landing: Path, warehouse: Path) -> bool:
    """`dbt build`: seeds, models and their tests. False when anything failed."""
    return _invoke(["--quiet", "--no-use-colors", "build"], landing, warehouse)


def docs(landing: Path, warehouse: Path, site: Path) -> bool:
    """`dbt docs generate --static`: the docs site as one HTML file in `site`."""
    return _invoke(["--quiet", "docs", "generate", "--static"], landing, warehouse, target=site)
