"""The real build, run the way the README says, into a temporary folder: real Parquet, real
dbt, real Great Expectations, a real DuckDB file — then queried as an analyst would."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from ingest.landing import LandingManifest
from tests.conftest import RAW, README, REPO


def test_readme_shows_the_two_commands():
    text = README.read_text("utf-8")
    assert "make build" in text and "make test" in text


def test_total_income_of_lan_county_2024_with_its_source(con):
    row = con.execute(
        """
        select amount, raw_text, amount_unit, source_file, printed_numbering, row_index,
               column_index, line_number_in_file
        from fct_amount
        where issuer_name = '岚县医疗保险服务中心' and fiscal_year = 2024
          and template_id = 'final_01_income_expenditure_summary' and line_item = '本年收入合计'
        """
    ).fetchall()
    assert row == [
        (Decimal("3925100.00"), "392.51", "万元", "000_db5ffb44797d3fb7.txt", "公开01表", 29, 2, 133)
    ]


def test_amount_column_is_exact_decimal(con):
    kind = con.execute(
        "select data_type from information_schema.columns"
        " where table_name = 'fct_amount' and column_name = 'amount'"
    ).fetchall()
    assert kind == [("DECIMAL(18,2)",)]


def test_every_landed_value_is_in_fct_amount_history_once(built, con):
    # the staging views are dropped before publishing: the landing area is read directly
    landing = built[0].with_name(built[0].stem + ".landing")
    landed = LandingManifest.read(landing).live_rows("values").num_rows  # the rows its manifest points to
    facts = con.execute("select count(*), count(distinct value_id) from fct_amount_history").fetchall()[0]
    assert landed > 500 and facts == (landed, landed)


def test_the_published_file_has_no_views_over_the_landing_area(con):
    """dbt's staging views read the landing Parquet by a path of the build machine; the
    published file keeps only tables, which work wherever the file is copied."""
    assert con.execute("select count(*) from duckdb_views() where not internal").fetchall() == [(0,)]
    assert con.execute("select count(*) from duckdb_tables() where schema_name = 'staging'").fetchall() == [(0,)]


def test_bad_inputs_are_reported_and_the_rest_lands(con):
    report = dict(
        con.execute("select source_file, run_outcome || ':' || coalesce(reason_code, '') from run_report").fetchall()
    )
    assert report["empty.pdf"] == "rejected:empty_file"
    assert report["saved-page.pdf"] == "rejected:unsupported_format"
    assert report["notes.txt"] == "rejected:not_a_disclosure"
    assert report["copy-of-000.txt"] == "duplicate:same_content"
    landed = [f for f, outcome in report.items() if outcome.startswith("landed")]
    assert sorted(landed) == sorted(p.name for p in RAW.iterdir())


def test_summary_names_documents_tables_identities_and_the_warehouse(built):
    warehouse, result = built
    out = result.stdout
    assert "documents read   8: 1 duplicate, 4 landed, 3 rejected" in out
    assert re.search(r"tables landed    \d+ \(\d+ recognised", out)
    assert re.search(r"identities       .*holds_exactly", out)
    assert str(warehouse) in out
    assert "data docs" in out and Path(re.search(r"data docs\s+(\S+)", out).group(1)).exists()


def test_identity_violation_found_in_the_budget_document(con):
    # 勉县 prints 基本工资 under 30301 (对个人和家庭的补助) instead of 30101, so 301 工资福利支出
    # misses its children by exactly that amount: a finding, and the numbers stay as printed
    rows = con.execute(
        """
        select t.template_id, i.outcome, i.left_amount, i.right_amount, i.difference
        from identity_results i join dim_table t using (table_id)
        where i.identity_id = 'children_sum_to_parent' and i.location = '工资福利支出 [301] / 合计'
        order by t.template_id
        """
    ).fetchall()
    finding = ("violated", Decimal("1417479.00"), Decimal("768511.00"), Decimal("648968.00"))
    assert rows == [
        ("budget_basic_by_economic", *finding),
        ("budget_general_by_economic", *finding),
    ]
    printed = con.execute(
        "select amount from fct_amount where economic_code = '30301' and column_path = '合计'"
        " and template_id = 'budget_general_by_economic'"
    ).fetchall()
    assert printed == [(Decimal("648968.00"),)]


def test_rounding_case_holds_within_rounding(con):
    # 山西 公开02表: 合计 8273.48 万元 against 8273.42 + 0.05
    rows = con.execute(
        """
        select i.outcome, i.left_amount, i.right_amount
        from identity_results i join dim_document d using (document_id)
        where d.issuer_name = '山西省医疗保障局' and i.identity_id = 'total_column_equals_components'
          and i.location = '合计 / 本年收入合计'
        """
    ).fetchall()
    assert rows == [("holds_within_rounding", Decimal("82734800.00"), Decimal("82734700.00"))]


def test_expectation_results_are_stored(con):
    rows = con.execute("select suite, success from expectation_results order by suite").fetchall()
    # the findings suite reports the publications' findings (the references have some); it is
    # not a check of the pipeline and never fails the build
    assert rows == [("fct_amount", True), ("findings", False), ("identity_results", True), ("reconciliation", True)]


def test_failed_build_leaves_the_published_warehouse(built, tmp_path):
    warehouse, _ = built
    before = warehouse.read_bytes()
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "notes.txt").write_text("无关内容\n", encoding="utf-8")
    result = subprocess.run(
        ["make", "build", f"RAW={empty}", f"WAREHOUSE={warehouse}"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "left as it was" in result.stderr
    assert warehouse.read_bytes() == before


def test_make_docs_builds_the_dbt_site_for_a_warehouse(built):
    warehouse, _ = built
    result = subprocess.run(["make", "docs", f"WAREHOUSE={warehouse}"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    site = warehouse.with_name("warehouse.docs") / "static_index.html"
    text = site.read_text("utf-8")
    assert "fct_amount" in text and "identity_results" in text
    # every model and every column the warehouse holds is described, in Chinese and English
    manifest = json.loads(site.with_name("manifest.json").read_text("utf-8"))
    catalog = json.loads(site.with_name("catalog.json").read_text("utf-8"))
    bilingual = re.compile(r"[\u4e00-\u9fff].*/.*[A-Za-z]")
    undescribed = []
    models = [(key, node) for key, node in manifest["nodes"].items() if node["resource_type"] == "model"]
    assert len(models) > 30
    for key, node in models:
        if not bilingual.search(node["description"] or ""):
            undescribed.append(node["name"])
        described = {name for name, column in node["columns"].items() if bilingual.search(column["description"])}
        if node["config"]["materialized"] == "ephemeral":
            continue  # a CTE of the models that use it, no relation of its own
        if key not in catalog["nodes"] and node["schema"] == "staging":
            continue  # staging views read the landing by this machine's path: dropped before publishing
        undescribed += [f"{node['name']}.{c}" for c in catalog["nodes"][key]["columns"] if c not in described]
    assert undescribed == []


def test_subject_dimensions_keep_a_code_name_conflict_visible(con):
    rows = con.execute(
        """select economic_name, printed_names, has_name_conflict, economic_level,
                  parent_economic_code, mapped_gov_economic_codes
           from dim_economic_subject where economic_scheme = '部门' and economic_code = '30301'"""
    ).fetchall()
    assert rows == [("离休费", ["离休费", "基本工资"], True, "款", "303", ["50501"])]
    function = con.execute(
        """select function_name, function_level, parent_function_code, fiscal_years
           from dim_function_subject where function_code = '2101505'"""
    ).fetchall()
    assert function == [("医疗保障政策管理", "项", "21015", [2023, 2024])]
