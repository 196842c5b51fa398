"""The text-format ingest on the four reference documents: every number where it belongs."""

from decimal import Decimal

import pytest

from ingest.document import parse_document
from ingest.read.text import read_text
from tests.conftest import seed


@pytest.fixture(scope="module")
def lan_county():
    return parse_document(seed("000"))


@pytest.fixture(scope="module")
def mian_county():
    return parse_document(seed("003"))


def values(parsed, template_id, **where):
    out = [v for v in parsed.values if v["template_id"] == template_id]
    for key, wanted in where.items():
        out = [v for v in out if v[key] == wanted]
    return out


def test_blank_line_inside_a_table_does_not_split_it():
    _, tables = read_text("标题\n\na\tb\n1\t2\n\n3\t4\n\n正文\n")
    assert len(tables) == 1
    assert [c.text for c in tables[0].rows[-1]] == ["3", "4"]
    assert tables[0].rows[-1][0].line == 6


def test_document_identity_is_recognised(lan_county):
    doc = lan_county.document
    assert doc["issuer_name"] == "岚县医疗保险服务中心"
    assert doc["issuer_code"] == "076002"
    assert (doc["parent_code"], doc["parent_name"]) == ("076", "岚县医疗保障局")
    assert (doc["fiscal_year"], doc["document_kind"], doc["scope"]) == (2024, "决算", "单位")


def test_budget_document_identity(mian_county):
    doc = mian_county.document
    assert (doc["issuer_name"], doc["issuer_code"], doc["parent_code"]) == ("勉县医疗保险基金管理中心", "613004", "613")
    assert (doc["fiscal_year"], doc["document_kind"], doc["scope"]) == (2024, "预算", "单位")


def test_all_ten_final_account_tables_are_recognised(lan_county):
    templates = [t["template_id"] for t in lan_county.tables]
    for n in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]:
        assert any(t.startswith(f"final_{n}_") for t in templates), n


def test_summary_table_sides_are_unpivoted(lan_county):
    income = values(lan_county, "final_01_income_expenditure_summary", line_item="本年收入合计")
    expenditure = values(lan_county, "final_01_income_expenditure_summary", line_item="本年支出合计")
    assert [(v["side"], v["published_value"], v["amount_yuan"], v["unit"]) for v in income] == [
        ("收入", Decimal("392.51"), Decimal("3925100.00"), "万元")
    ]
    assert [(v["side"], v["line_number"]) for v in expenditure] == [("支出", "58")]
    health = values(lan_county, "final_01_income_expenditure_summary", line_item="卫生健康支出")
    assert [(v["side"], v["raw_text"], v["line_number"]) for v in health] == [("支出", "27.93", "40")]


def test_every_value_has_a_source_address(lan_county):
    for v in lan_county.values:
        assert v["document_id"] and v["table_id"] and v["line_no"] and v["raw_text"]
        assert v["row_index"] is not None and v["column_index"] is not None


def test_function_rows_carry_codes_and_column_paths(lan_county):
    rows = values(lan_county, "final_05_general_budget_expenditure", function_code="2101502")
    assert {(v["column_path"], v["raw_text"]) for v in rows} == {
        ("本年支出/小计", "12.93"),
        ("本年支出/基本支出", "4.66"),
        ("本年支出/项目支出", "8.27"),
    }


def test_column_groups_of_the_basic_expenditure_table(lan_county):
    table = values(lan_county, "final_06_basic_expenditure_by_economic")
    by_code = {v["economic_code"]: v for v in table if v["economic_code"]}
    assert by_code["30101"]["raw_text"] == "132.37"
    assert by_code["30101"]["side"] == "人员经费"
    assert by_code["30239"]["raw_text"] == "2.27"
    assert by_code["30239"]["side"] == "公用经费"
    # the 公用经费合计 label spans the row; its value sits in the last column group
    totals = {v["row_label"]: v["raw_text"] for v in table if not v["economic_code"]}
    assert totals == {"人员经费合计": "350.32", "公用经费合计": "18.92"}


def test_empty_tables_are_landed_as_explicitly_empty(lan_county):
    tables = {t["template_id"]: t for t in lan_county.tables}
    for template in ("final_07_government_fund", "final_08_state_capital", "final_09_three_public"):
        assert tables[template]["is_empty"] and tables[template]["announced_empty"]


def test_three_public_header_becomes_column_paths():
    parsed = parse_document(seed("004"))
    three = values(parsed, "final_09_three_public")
    paths = {v["column_path"]: v["raw_text"] for v in three}
    assert paths["预算数/合计"] == "6.15"
    assert paths["决算数/公务用车购置及运行维护费/公务用车运行维护费"] == "5.20"
    assert paths["决算数/公务接待费"] == "0.95"


def test_unit_line_split_over_two_lines():
    parsed = parse_document(seed("004"))
    table = next(t for t in parsed.tables if t["template_id"] == "final_04_appropriation_summary")
    assert table["unit"] == "万元"


def test_budget_summary_four_sides(mian_county):
    totals = values(mian_county, "budget_income_expenditure_summary", line_item="本年支出合计")
    assert len(totals) == 3  # functional, department economic, government economic sides
    assert {v["amount_yuan"] for v in totals} == {Decimal("7801879.00")}
    assert len({v["side"] for v in totals}) == 3


def test_budget_economic_table_keeps_both_code_schemes(mian_county):
    rows = values(mian_county, "budget_general_by_economic", economic_code="30307")
    assert rows and all(v["gov_economic_code"] == "50901" for v in rows)
    assert rows[0]["row_label"] == "医疗费补助"


def test_project_list_keeps_unit_codes(mian_county):
    rows = values(mian_county, "budget_projects")
    assert {v["unit_code"] for v in rows if v["unit_code"]} == {"613", "613004"}
    assert any(v["row_label"] == "城乡医疗救助" and v["amount_yuan"] == Decimal("6250000.00") for v in rows)


def test_thousands_separators_and_plain_digits_in_one_table(mian_county):
    rows = values(mian_county, "budget_general_by_economic", economic_code="30307")
    assert {v["raw_text"] for v in rows} == {"6250000.00"}
    rows = values(mian_county, "budget_general_by_economic", economic_code="30201")
    assert "59,400.00" in {v["raw_text"] for v in rows}


def test_a_header_spans_past_a_column_its_merged_cell_covers():
    """江苏省人大常委会办公厅 2017: '功能科目名称' is merged over two columns, so the column
    after it is blank throughout the header; '支出 / 功能分类' still spans the 金额 beyond."""
    from ingest.interpret.grid import _column_paths

    header = [
        ["收入", "", "", "支出", "", "", "", ""],
        ["项目名称", "金额", "", "功能分类", "", "", "支出用途", ""],
        ["", "", "", "功能科目名称", "", "金额", "项目名称", "金额"],
    ]
    assert _column_paths(header, 8) == [
        ("收入", "项目名称"), ("收入", "金额"), (), ("支出", "功能分类", "功能科目名称"), (),
        ("支出", "功能分类", "金额"), ("支出", "支出用途", "项目名称"), ("支出", "支出用途", "金额"),
    ]


def test_one_issuer_key_for_spacing_bracket_width_and_the_own_level():
    """无锡市教育局 and 无锡市教育局（本级） are one department publishing two scopes; the key the
    warehouse and the narrative linking identify issuers by says so."""
    from ingest.interpret.recognise import issuer_key

    assert issuer_key("无锡市教育局 (本级)") == issuer_key("无锡市教育局（本级）") == issuer_key("无锡市 教育局")
    assert issuer_key("无锡市教育局") == "无锡市教育局"
    assert issuer_key("无锡市教育局（本级）办公室") == "无锡市教育局（本级）办公室"  # only a suffix
    assert issuer_key(None) is None


def test_a_code_column_no_header_names_takes_its_scheme_from_its_codes():
    """'科目编码' alone says nothing of the scheme: 30201 … are 部门经济分类 codes whatever the
    table (a 机关运行经费 table listed them as function codes), 50201 … 政府经济分类, 201 …
    功能分类; a header that names the scheme still decides."""
    from ingest.catalogue import load_catalogue
    from ingest.interpret.grid import _code_scheme

    def template_by_id(template_id):
        return next(t for t in load_catalogue() if t.id == template_id)

    running = template_by_id("budget_running_costs")
    assert _code_scheme("科目编码", running, ["302", "30201", "30211", "30216"]) == "economic"
    assert _code_scheme("科目编码", running, ["502", "50201", "50206"]) == "gov_economic"
    assert _code_scheme("科目编码", running, ["201", "20101", "2010101"]) == "function"
    assert _code_scheme("功能分类科目编码", running, ["30201"]) == "function"
    assert _code_scheme("科目编码", template_by_id("budget_basic_by_economic"), []) == "economic"
