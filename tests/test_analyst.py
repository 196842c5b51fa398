"""An analyst's and a BI tool's first hour (issue 17), against the warehouse the session's
end-to-end build published: a SQL shell on a fresh machine, a DuckDB 1.x reader, the
descriptions in the file, exports, a SQLAlchemy connection."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest

from pipeline import storage
from tests.conftest import README, REPO


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


# --- the file explains itself ------------------------------------------------------------

BILINGUAL = re.compile(r"[\u4e00-\u9fff].*/.*[A-Za-z]")


def test_every_table_and_column_in_main_carries_its_description_in_the_file(con):
    tables = con.execute(
        """select table_name, comment from duckdb_tables() where schema_name = 'main'
           union all
           select view_name, comment from duckdb_views() where schema_name = 'main' and not internal"""
    ).fetchall()
    columns = con.execute(
        "select table_name || '.' || column_name, comment from duckdb_columns()"
        " where schema_name = 'main' and not internal"
    ).fetchall()
    assert len(tables) > 25 and len(columns) > 500
    assert [name for name, comment in tables + columns if not BILINGUAL.search(comment or "")] == []


MEASURES = ("figure", "spending_type", "funding_source", "three_public_item")


def test_every_measure_code_in_the_facts_has_its_chinese_label_beside_it(con):
    labelled = con.execute(
        """select table_name, column_name from duckdb_columns()
           where schema_name = 'main' and table_name like 'fct_%' and column_name in ?""",
        [list(MEASURES)],
    ).fetchall()
    assert len(labelled) >= 20
    for table, measure in labelled:
        if table in ("fct_amount", "fct_amount_history"):
            continue  # the measures are read in the subject facts, not in the raw values
        wrong = con.execute(
            f"""select f.{measure}, f.{measure}_zh, m.name_zh from {table} as f
                left join dim_measure as m on m.measure = '{measure}' and m.measure_code = f.{measure}
                where f.{measure} is not null and f.{measure}_zh is distinct from m.name_zh"""
        ).fetchall()
        assert wrong == [], (table, measure)
    assert con.execute(
        "select name_zh from dim_measure where measure = 'three_public_item' and measure_code = 'official_vehicles'"
    ).fetchall() == [("公务用车购置及运行维护费",)]


# --- each number counted once ------------------------------------------------------------


def test_a_budget_summary_line_printed_in_three_column_groups_is_counted_once(con):
    # 勉县 2024 收支总表 prints 本年支出合计 7801879.00 under each of its three expenditure groups
    printed = con.execute(
        """select count(*), sum(amount) from fct_income_expenditure_summary
           where issuer_name = '勉县医疗保险基金管理中心' and line_item = '本年支出合计'"""
    ).fetchall()
    assert printed == [(3, Decimal("23405637.00"))]
    counted = con.execute(
        """select line_role, printed_times, len(breakdowns), amount, groups_agree from fct_summary_lines
           where issuer_name = '勉县医疗保险基金管理中心' and side = '支出' and line_item = '本年支出合计'"""
    ).fetchall()
    assert counted == [("year_total", 3, 3, Decimal("7801879.00"), True)]


def test_every_readme_query_answers_on_the_sample_build_or_names_the_build_it_needs(con):
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text("utf-8"), flags=re.S)
    assert len(blocks) >= 10
    silent = []
    for block in blocks:
        name = block.splitlines()[0]
        needs = re.search(r"^-- needs: \S", block, flags=re.M)
        rows = con.execute(block).fetchall()  # every query runs: its columns exist
        if not rows and not needs:
            silent.append(name)
    assert silent == []
