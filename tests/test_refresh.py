"""The nightly refresh with real processes: a BI tool's read-only connection held through a
build, a build killed mid-way, a corrected document, and incremental = full rebuild."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import RAW, REPO, readme_question, readme_questions

MARTS = {
    "fct_amount": "value_id",
    "dim_document": "document_id",
    "dim_issuer": "issuer_id",
    "dim_table": "table_id",
    "identity_results": "application_id",
}

READER = """
import sys, time, duckdb, pathlib
con = duckdb.connect(sys.argv[1], read_only=True)   # what BI tools do
stop = pathlib.Path(sys.argv[2])
print("ready", flush=True)
queries = 0
while not stop.exists():
    con.execute("select count(*), sum(amount) from fct_amount").fetchall()
    queries += 1
    time.sleep(0.02)
print("queries", queries, flush=True)
"""


SQLALCHEMY_READER = """
import sys, time, pathlib, sqlalchemy as sa
engine = sa.create_engine(f"duckdb:///{sys.argv[1]}?access_mode=read_only")   # Superset's way
stop = pathlib.Path(sys.argv[2])
with engine.connect() as con:
    print("ready", flush=True)
    queries = 0
    while not stop.exists():
        con.execute(sa.text("select count(*), sum(amount) from fct_summary_lines")).fetchall()
        queries += 1
        time.sleep(0.02)
print("queries", queries, flush=True)
"""


def make_build(raw: Path, warehouse: Path, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["make", "build", f"RAW={raw}", f"WAREHOUSE={warehouse}"],
        cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
    )


def build(raw: Path, warehouse: Path) -> None:
    process = make_build(raw, warehouse)
    out, err = process.communicate()
    assert process.returncode == 0, out[-2000:] + err[-2000:]


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            table: con.execute(f"select * from {table} order by {key}").fetchall()
            for table, key in MARTS.items()
        }


def change(path: Path) -> None:
    path.write_text(path.read_text("utf-8") + "\n补充说明：本文件已更正。\n", "utf-8")


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


def test_a_read_only_reader_works_through_a_full_build(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", script, str(warehouse), str(stop)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for script in (READER, SQLALCHEMY_READER)]
    for reader in readers:
        assert reader.stdout.readline().strip() == "ready"
    change(raw / "001_eeff97a73e190905.txt")  # so dbt and the suites run again
    build(raw, warehouse)  # does not fail because the readers are there
    stop.touch()
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
        assert int(out.split()[-1]) > 10  # it kept querying during the build
    with duckdb.connect(str(warehouse), read_only=True) as con:  # a new connection sees it
        assert con.execute("select count(*) from run_report where run_outcome = 'landed'").fetchall() == [(1,)]


@pytest.mark.parametrize("moment", ["reading", "modelling"])
def test_a_build_killed_mid_way_leaves_the_previous_warehouse_and_the_next_recovers(raw, tmp_path, moment):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    before = snapshot(warehouse)
    for name in ("000_db5ffb44797d3fb7.txt", "004_c9d9658e9d72202a.txt"):
        change(raw / name)
    process = make_build(raw, warehouse, start_new_session=True)
    building = warehouse.with_name(f".{warehouse.name}.building")
    manifest = warehouse.with_name("w.landing") / "_manifest.json"
    landed_before = manifest.stat().st_mtime
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if moment == "reading" and manifest.stat().st_mtime != landed_before:
            break  # a document has landed; others may be half-written
        if moment == "modelling" and building.exists():
            time.sleep(0.5)
            break
        time.sleep(0.01)
    assert process.poll() is None, "the build finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    assert snapshot(warehouse) == before  # intact and usable
    build(raw, warehouse)  # recovers without manual cleanup
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from dim_document").fetchall() == [(4,)]
    assert not building.exists()


def test_a_corrected_document_supersedes_its_predecessor(raw, tmp_path):
    original = raw / "000_db5ffb44797d3fb7.txt"
    corrected = raw / "000_corrected.txt"
    text = original.read_text("utf-8")
    corrected.write_text(text.replace("八、其他收入	8	0.00", "八、其他收入	8	0.01", 1), "utf-8")
    os.utime(original, (1_700_000_000, 1_700_000_000))
    os.utime(corrected, (1_800_000_000, 1_800_000_000))  # published later
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = con.execute(
            """select source_file, is_current, superseded_by_document_id is not null
               from dim_document where issuer_name = '岚县医疗保险服务中心' order by source_file"""
        ).fetchall()
        assert versions == [("000_corrected.txt", True, False), ("000_db5ffb44797d3fb7.txt", False, True)]
        status = dict(con.execute("select source_file, document_status from run_report").fetchall())
        assert status["000_db5ffb44797d3fb7.txt"] == "superseded"
        # the superseded version stays queryable, in the history
        amounts = con.execute(
            """select is_current, raw_text from fct_amount_history
               where issuer_name = '岚县医疗保险服务中心' and line_item = '其他收入'
                 and template_id = 'final_01_income_expenditure_summary' order by 1"""
        ).fetchall()
        assert amounts == [(False, "0.00"), (True, "0.01")]
        # and counts nowhere else: no fact, identity or README query sees it
        superseded = con.execute("select document_id from dim_document where not is_current").fetchall()[0][0]
        facts = [t for (t,) in con.execute(
            """select distinct table_name from duckdb_columns() where schema_name = 'main'
               and column_name = 'document_id' and not internal
               and table_name not in ('dim_document', 'dim_table', 'run_report')
               and table_name not like '%_history'"""
        ).fetchall()]
        assert len(facts) >= 15
        assert {t: con.execute(f"select count(*) from {t} where document_id = ?", [superseded]).fetchall()[0][0]
                for t in facts} == dict.fromkeys(facts, 0)
        assert con.execute(readme_question("total income with its source")).fetchall()[0][1] == "392.51"
        assert len(con.execute(readme_question("total income with its source")).fetchall()) == 1
        for block in readme_questions():
            rows = con.execute(block).fetchall()
            assert len(rows) == len(set(map(repr, rows))), block.splitlines()[0]
        totals = con.execute(readme_question("total expenditure by issuer and year")).fetchall()
        assert [r for r in totals if r[0] == '岚县医疗保险服务中心'] == [
            ('岚县医疗保险服务中心', 2024, '决算', Decimal("3925100.00"))]


def test_incremental_build_after_one_change_equals_a_full_rebuild(raw, tmp_path):
    incremental = tmp_path / "incremental.duckdb"
    build(raw, incremental)
    change(raw / "003_677d73456c6808b7.txt")
    build(raw, incremental)
    full = tmp_path / "full" / "full.duckdb"
    build(raw, full)
    assert snapshot(incremental) == snapshot(full)
