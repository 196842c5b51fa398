"""An analyst's and a BI tool's first hour (issue 17), against the warehouse the session's
end-to-end build published: a SQL shell on a fresh machine, a DuckDB 1.x reader, the
descriptions in the file, exports, a SQLAlchemy connection."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.landing import read_entity
from pipeline import storage
from tests.conftest import README, REPO, readme_question


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


# --- exports ----------------------------------------------------------------------------


def make(target: str, **variables: object) -> subprocess.CompletedProcess[str]:
    command = ["make", "-s", target, *(f"{k.upper()}={v}" for k, v in variables.items())]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


INCOME = "select issuer_name, amount, raw_text from fct_amount where line_item = '本年收入合计' order by 1, 2"


def test_export_csv_is_utf8_with_bom_and_keeps_chinese_and_exact_amounts(built, con, tmp_path):
    out = tmp_path / "income.csv"
    make("export", warehouse=built[0], query=INCOME, out=out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads UTF-8 only with it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["issuer_name", "amount", "raw_text"]
    expected = [[issuer, str(amount), text] for issuer, amount, text in con.execute(INCOME).fetchall()]
    assert rows[1:] == expected and ["岚县医疗保险服务中心", "3925100.00", "392.51"] in rows


def test_export_xlsx_has_chinese_headers_a_frozen_header_row_and_numbers_as_numbers(built, con, tmp_path):
    import openpyxl

    out = tmp_path / "three.xlsx"
    make("export", warehouse=built[0], table="fct_three_public", format="xlsx", out=out)
    sheet = openpyxl.load_workbook(out).active
    headers = [c.value for c in sheet[1]]
    assert "金额（元） amount" in headers and "名称（原文） issuer_name" in headers
    assert sheet.freeze_panes == "A2"
    amount = headers.index("金额（元） amount")
    names = [d[0] for d in con.execute("select * from fct_three_public limit 0").description]
    expected = con.execute("select * from fct_three_public").fetchall()
    read = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(read) == len(expected) > 10
    assert all(isinstance(r[amount], (int, float)) for r in read if r[amount] is not None)
    key = names.index("value_id")
    by_id = {r[key]: r for r in expected}
    for r in read:  # every figure as the warehouse holds it, to the cent
        assert Decimal(str(r[amount])).quantize(Decimal("0.01")) == by_id[r[key]][names.index("amount")]
    assert {r[headers.index("“三公”项目（中文） three_public_item_zh")] for r in read} >= {"公务接待费"}


def test_export_parquet_keeps_the_exact_decimal_type(built, con, tmp_path):
    out = tmp_path / "amount.parquet"
    make("export", warehouse=built[0], table="fct_amount", format="parquet", out=out)
    with duckdb.connect() as reader:
        kind = reader.execute(f"select typeof(amount), count(*) from '{out}' group by 1").fetchall()
    assert kind == [("DECIMAL(18,2)", con.execute("select count(*) from fct_amount").fetchall()[0][0])]


def test_export_a_documents_tables_as_printed(built, con, tmp_path):
    import openpyxl

    out = tmp_path / "lan.xlsx"
    make("export", warehouse=built[0], document="000_db5ffb44797d3fb7.txt", out=out)
    book = openpyxl.load_workbook(out)
    assert {f"公开{n:02d}表" for n in range(1, 11)} <= set(book.sheetnames)
    sheet = book["公开01表"]
    assert sheet["A1"].value == "公开01表 收入支出决算总表"
    document_id, table_id = con.execute(
        """select t.document_id, t.table_id from dim_table t join dim_document d using (document_id)
           where d.source_file = '000_db5ffb44797d3fb7.txt' and t.printed_numbering = '公开01表'"""
    ).fetchall()[0]
    landing = built[0].with_name(built[0].stem + ".landing")
    printed = {(c["row_index"], c["column_index"]): c["text"]
               for c in read_entity(landing, "cells", document_id)
               if c["table_id"] == table_id and c["text"] is not None}
    read = {(cell.row - 4, cell.column - 1): cell.value for row in sheet.iter_rows(min_row=4)
            for cell in row if cell.value is not None}
    assert read == printed and (29, 2) in read and read[(29, 2)] == "392.51"


def test_make_dictionary_lists_every_column_with_both_descriptions(built, con, tmp_path):
    import openpyxl

    make("dictionary", warehouse=built[0], out=tmp_path)
    data = (tmp_path / "dictionary.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    columns = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'main' and not internal"
    ).fetchall()[0][0]
    assert len(rows) == columns
    assert [r["table_name"] + "." + r["column_name"] for r in rows
            if not (re.search(r"[\u4e00-\u9fff]", r["description_zh"]) and r["description_en"])] == []
    amount = next(r for r in rows if (r["table_name"], r["column_name"]) == ("fct_amount", "amount"))
    assert amount["data_type"] == "DECIMAL(18,2)" and amount["description_zh"]
    sheet = openpyxl.load_workbook(tmp_path / "dictionary.xlsx").active
    assert sheet.max_row == columns + 1 and sheet["E1"].value == "列名 column_name"


# --- BI tools through SQLAlchemy ------------------------------------------------------------


SQLALCHEMY_CLIENT = """
import json, sys, sqlalchemy as sa
engine = sa.create_engine(f"duckdb:///{sys.argv[1]}?access_mode=read_only")  # as the README gives it
inspector = sa.inspect(engine)
answer = {
    "schemas": inspector.get_schema_names(),
    "tables": inspector.get_table_names(schema="main"),
    "columns": {c["name"]: c["comment"] for c in inspector.get_columns("fct_amount", schema="main")},
    "table_comment": inspector.get_table_comment("fct_summary_lines", schema="main")["text"],
}
with engine.connect() as connection:
    answer["count"] = connection.execute(sa.text("select count(*) from fct_amount")).scalar()
    try:
        connection.execute(sa.text("create table scratch as select 1"))
        answer["write"] = "allowed"
    except sa.exc.DBAPIError as exc:
        answer["write"] = str(exc)
print(json.dumps(answer, ensure_ascii=False))
"""


def test_sqlalchemy_lists_the_main_schema_with_descriptions_and_queries_read_only(built, con):
    # a BI tool is a process of its own (in one process DuckDB shares one database instance)
    result = subprocess.run([sys.executable, "-c", SQLALCHEMY_CLIENT, str(built[0])],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    tables = set(answer["tables"])
    assert {"fct_amount", "fct_summary_lines", "dim_document", "dim_measure", "identity_results"} <= tables
    # the working layers are in schemas of their own, out of a BI user's way
    assert [t for t in tables if t.startswith(("int_", "stg_")) or t in ("measure_vocabulary", "regions")] == []
    assert {"warehouse.intermediate", "warehouse.reference"} <= set(answer["schemas"])
    columns = answer["columns"]
    assert len(columns) > 40 and columns["amount"].startswith("金额")
    assert [name for name, comment in columns.items() if not BILINGUAL.search(comment or "")] == []
    assert BILINGUAL.search(answer["table_comment"])
    assert answer["count"] == con.execute("select count(*) from fct_amount").fetchall()[0][0]
    assert "read-only" in answer["write"]


# --- feedback through every phase -------------------------------------------------------------


def test_the_build_reports_progress_and_time_for_every_phase(built):
    err = built[1].stderr.replace("\r", "\n")
    for phase in ("ingest", "load landing", "dbt build", "expectations", "publish"):
        assert re.search(rf"^{phase} done in \d+\.\d s$", err, flags=re.M), phase
    # captured (not a terminal): a line at every tenth of dbt's nodes, to the last
    steps = [(int(a), int(b)) for a, b in re.findall(r"^dbt (\d+)/(\d+) nodes, \d+ s$", err, flags=re.M)]
    assert 5 <= len(steps) <= 11 and steps[-1][0] == steps[-1][1] > 100
    assert re.search(r"^  suite \d+/\d+ reconciliation: \d+/\d+ passed in", err, flags=re.M)
    assert re.search(r"^phases +ingest \d+\.\d s, load landing \d+\.\d s, dbt build \d+\.\d s, expectations",
                     built[1].stdout, flags=re.M)


def test_the_summary_counts_findings_by_identity_with_file_and_table(built, con):
    out = built[1].stdout
    violated = con.execute("select count(*) from identity_results where outcome = 'violated'").fetchall()[0][0]
    documents = con.execute(
        "select count(distinct document_id) from identity_results where outcome = 'violated'").fetchall()[0][0]
    assert f"findings         {violated} violated in {documents} documents, by identity:" in out
    per_identity = dict(con.execute(
        "select identity_id, count(*) from identity_results where outcome = 'violated' group by 1").fetchall())
    for identity, n in per_identity.items():
        assert re.search(rf"^ +{n}  {identity} ", out, flags=re.M), identity
    # the largest, with its file and printed table
    assert re.search(r"^  children_sum_to_parent: 003_677d73456c6808b7\.txt · 表6 .* \(diff 648968\.00\)$", out, flags=re.M)
    assert f"  … and {violated - 5} more: select * from identity_results" in out
    assert re.search(r"^parser warnings  \d+ in \d+ documents, by kind:", out, flags=re.M)
    assert re.search(r"^  001_eeff97a73e190905\.txt: table \d+ \(final_06", out, flags=re.M)


# --- the validation report, offline ----------------------------------------------------------


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed (make test installs Debian's chromium package)")
    return found


def headless(browser: str, *args: str) -> subprocess.CompletedProcess[str]:
    # no network at all: every host resolves to nothing, so anything fetched would fail
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_validation_report_reads_and_is_styled_offline_in_headless_chromium(built, con, tmp_path):
    import numpy as np
    from PIL import Image

    page = Path(re.search(r"data docs\s+(\S+)", built[1].stdout).group(1))
    text = page.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)  # nothing to fetch
    browser = chromium()
    dom = headless(browser, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-1000:]
    suites = con.execute("select suite, evaluated - failed, evaluated from expectation_results").fetchall()
    for suite, passed, evaluated in suites:
        assert f'id="suite-{suite}"' in dom.stdout and f"({passed}/{evaluated})" in dom.stdout
    checks = [s for s, *_ in suites if s != "findings"]  # the findings suite reports, it does not check
    assert f"{len(checks)}/{len(checks)} suites passed" in dom.stdout
    shot = tmp_path / "report.png"
    headless(browser, f"--screenshot={shot}", "--window-size=1000,700", page.as_uri())
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    header = int((pixels == (0x1F, 0x4E, 0x79)).all(axis=2).sum())
    assert header > 1000 * 30  # the header band is painted in the page's own style


# --- the README, followed as a new user would ----------------------------------------------------


def readme_commands(prefix: str) -> list[list[str]]:
    """The README's shell lines that start with `prefix`, without their comments, as argv."""
    lines = re.findall(r"^(make [^\n#]*?)\s*(?:#.*)?$", README.read_text("utf-8"), flags=re.M)
    return [shlex.split(line) for line in lines if line.startswith(prefix)]


def test_the_readme_followed_as_a_new_user_would(built, tmp_path):
    """make build (the session's build ran it) → make sql → make export CSV and XLSX → a
    SQLAlchemy connection listing columns with comments → a DuckDB 1.x reader. Each command is
    the README's own, pointed at the test's warehouse and output folder."""
    import openpyxl

    warehouse, build = built
    first = readme_commands("make ")[:3]
    assert [c[:2] for c in first] == [["make", "build"], ["make", "sql"], ["make", "test"]]
    # the SQL shell, DuckDB's 1.x CLI, answers the README's question
    question = readme_question("total expenditure by issuer and year")
    shell = run_sql_shell(warehouse, ".mode csv\n.headers off\nselect version();\n" + question)
    assert shell.returncode == 0, shell.stderr
    version, *answer = shell.stdout.splitlines()
    assert version.startswith("v1.")
    assert '"岚县医疗保险服务中心",2024,"决算",3925100.00' in answer
    # the exports, as the README writes them
    exports = readme_commands("make export TABLE=")
    assert len(exports) >= 2
    written = []
    for n, command in enumerate(exports):
        args = [a for a in command if not a.startswith("OUT=")]
        fmt = next((a.split("=", 1)[1] for a in args if a.startswith("FORMAT=")), "csv")
        out = tmp_path / f"export{n}.{fmt}"
        make(args[1], **dict(a.split("=", 1) for a in args[2:]), warehouse=warehouse, out=out)
        written.append(out)
    csv_file = next(p for p in written if p.suffix == ".csv")
    data = csv_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "岚县医疗保险服务中心" in data.decode("utf-8-sig")
    xlsx = openpyxl.load_workbook(next(p for p in written if p.suffix == ".xlsx")).active
    assert xlsx.freeze_panes == "A2" and "名称（原文） issuer_name" in [c.value for c in xlsx[1]]
    assert "山西省医疗保障局" in {c.value for c in xlsx["D"]}
    # the SQLAlchemy URL the README gives
    url = re.search(r"`(duckdb:////absolute/path/to/warehouse\.duckdb\?access_mode=read_only)`",
                    README.read_text("utf-8")).group(1)
    client = SQLALCHEMY_CLIENT.replace('f"duckdb:///{sys.argv[1]}?access_mode=read_only"',
                                       repr(url.replace("/absolute/path/to/warehouse.duckdb", str(warehouse))))
    result = subprocess.run([sys.executable, "-c", client], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert answer["columns"]["amount"].startswith("金额") and "read-only" in answer["write"]
    # and the file is one DuckDB 1.x opens
    assert storage.readable_by_duckdb_1(warehouse)
