"""Project performance self-evaluation forms: figures placed only where the form's own
identities confirm the reading."""

from decimal import Decimal

import pytest

from ingest.document import parse_document
from tests.conftest import seed


@pytest.fixture(scope="module")
def forms():
    parsed = parse_document(seed("000"))
    tables = {t["project_name"]: t for t in parsed.tables if t["template_id"] == "perf_project_self_evaluation"}
    return parsed, tables


def figures(parsed, table):
    return {(v["row_label"], v["column_path"]): v for v in parsed.values if v["table_id"] == table["table_id"]}


def test_project_facts_are_read(forms):
    _, tables = forms
    table = tables["2024年专项公用经费"]
    assert table["supervising_department"] == "076-岚县医疗保障局"
    assert table["implementing_unit"] == "076002-岚县医疗保险服务中心"


def test_funding_line_is_placed_where_its_identities_hold(forms):
    parsed, tables = forms
    values = figures(parsed, tables["2024年城乡居民基本医疗保险县级配套资金"])
    assert values[("资金总额:", "年初预算数/目标申报数")]["raw_text"] == "514.026"
    assert values[("资金总额:", "全年预算数")]["amount_yuan"] == Decimal("4995200.00")
    assert values[("资金总额:", "全年执行数")]["raw_text"] == "499.52"
    assert values[("资金总额:", "资金结余")]["raw_text"] == "0"
    assert values[("资金总额:", "执行率")]["value_kind"] == "percent"
    assert values[("资金总额:", "得分")]["raw_text"] == "10"


def test_a_header_missing_a_column_is_aligned_by_the_percentage(forms):
    # header: 年初预算数 全年预算数 全年执行数 分值 执行率 (得分 unnamed); row: 334000 334000 10 100.00% 10
    parsed, tables = forms
    values = figures(parsed, tables["2024年市级财政医疗救助补助资金预算"])
    row = {measure: v["raw_text"] for (label, measure), v in values.items() if label == "年度资金总额"}
    assert row == {"全年预算数": "334000", "全年执行数": "334000", "分值": "10", "执行率": "100.00%", "得分": "10"}


def test_total_score_and_grade(forms):
    parsed, tables = forms
    values = figures(parsed, tables["2024年专项公用经费"])
    assert values[("总分", "总分/得分")]["raw_text"] == "100"
    assert values[("总分", "等级")]["raw_text"] == "优"
    indicators = [v for v in values.values() if v["section"] and v["column_path"] == "得分"]
    assert len(indicators) == 6 and sum(v["published_value"] for v in indicators) == 90


def test_a_row_no_alignment_confirms_lands_nothing():
    # 山西 办公用房租费 prints 8 figures under 7 measures (a merged cell read twice)
    parsed = parse_document(seed("004"))
    table = next(t for t in parsed.tables if t["project_name"] == "办公用房租费")
    assert "no alignment confirms" in table["warnings"]
    funding = [v for v in parsed.values if v["table_id"] == table["table_id"]
               and v["section"] is None and v["row_label"] != "总分"]
    assert funding == []


def test_a_full_row_is_read_in_header_order_even_when_it_does_not_add_up(tmp_path):
    # 岚县 2024年专项公用经费 with its 资金结(转)余 misprinted: 8.27 − 8.27 printed as 1
    text = seed("000").read_text("utf-8")
    row = "资金总额:\t8.27\t8.27\t8.27\t8.27\t0\t100\t10"
    assert row in text
    path = tmp_path / "lan.txt"
    path.write_text(text.replace(row, row.replace("\t0\t100", "\t1\t100"), 1), "utf-8")
    parsed = parse_document(path)
    table = next(t for t in parsed.tables if t["project_name"] == "2024年专项公用经费")
    values = figures(parsed, table)
    assert values[("资金总额:", "资金结余")]["raw_text"] == "1"
    assert values[("资金总额:", "全年执行数")]["raw_text"] == "8.27"


def test_a_shifted_indicator_row_is_read_when_the_total_confirms_it():
    # 山西 罕见病专项救助项目: two indicator rows lost an empty cell before their figures; with
    # them the indicators' 得分 (90) and the funds' 10 make the printed 总分 100
    parsed = parse_document(seed("004"))
    table = next(t for t in parsed.tables if t["project_name"] == "罕见病专项救助项目")
    values = [v for v in parsed.values if v["table_id"] == table["table_id"]]
    indicators = [v for v in values if v["section"] and v["column_path"] == "得分"]
    funds = next(v for v in values if v["section"] is None and v["column_path"] == "得分")
    total = next(v for v in values if v["column_path"] == "总分/得分")
    assert sum(v["published_value"] for v in indicators) + funds["published_value"] == total["published_value"] == 100
    assert len(indicators) == 10
