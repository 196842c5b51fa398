"""`make docs`: the dbt documentation site of a built warehouse (models, columns in Chinese
and English, tests, lineage), as one static HTML file beside the warehouse.

dbt reads the catalogue from a copy of the warehouse, never from the published file that BI
tools may hold open; the staging views, which a published warehouse does not keep, are made
again in that copy.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from pipeline import dbt_runner
from pipeline.build import REPO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse" / "warehouse.duckdb")
    args = parser.parse_args(argv)
    warehouse: Path = args.warehouse.resolve()
    landing = warehouse.with_name(warehouse.stem + ".landing")
    if not warehouse.exists() or not landing.exists():
        print(f"error: {warehouse} has not been built yet; run make build first", file=sys.stderr)
        return 1
    site = warehouse.with_name(warehouse.stem + ".docs")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "warehouse.duckdb"
        shutil.copyfile(warehouse, copy)
        if not dbt_runner.docs(landing, copy, site):
            print("error: dbt docs generate failed", file=sys.stderr)
            return 1
    print(f"docs site: {site / 'static_index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
