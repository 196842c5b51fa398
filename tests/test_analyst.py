"""An analyst's and a BI tool's first hour (issue 17), against the warehouse the session's
end-to-end build published: a SQL shell on a fresh machine, a DuckDB 1.x reader, the
descriptions in the file, exports, a SQLAlchemy connection."""

from __future__ import annotations

import subprocess

import pytest

from pipeline import storage
from tests.conftest import REPO


def run_sql_shell(warehouse, sql: str) -> subprocess.CompletedProcess[str]:
    """`make sql` as the README gives it, with the statements on its standard input."""
    install = subprocess.run(["make", "-s", ".venv-cli/.installed"], cwd=REPO, capture_output=True,
                             text=True, check=False)
    if install.returncode != 0:
        pytest.skip(f"the DuckDB CLI could not be installed from the registry: {install.stderr[-500:]}")
    return subprocess.run(["make", "-s", "sql", f"WAREHOUSE={warehouse}"], cwd=REPO, input=sql,
                          capture_output=True, text=True, check=False)


def test_the_published_file_is_in_a_storage_version_duckdb_1_reads(built):
    assert storage.storage_version(built[0]) == storage.READABLE_BY


def test_make_sql_opens_the_warehouse_read_only_with_a_duckdb_1_reader(built, con):
    warehouse, _ = built
    result = run_sql_shell(warehouse, ".mode list\n.headers off\nselect version();\nselect count(*) from fct_amount;\n")
    assert result.returncode == 0, result.stderr
    version, count = [line for line in result.stdout.splitlines() if line.strip()]
    assert version.startswith("v1.")  # the CLI the project installs is a 1.x reader
    assert int(count) == con.execute("select count(*) from fct_amount").fetchall()[0][0]
    refused = run_sql_shell(warehouse, "create table scratch as select 1;")
    assert "read-only" in (refused.stdout + refused.stderr).lower()
