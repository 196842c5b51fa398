"""A table's own sums confirm (or contradict) how it was read: `reading_status`, and the
alternative readings the layout allows (ingest.interpret.reading_check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalogue import load_catalogue
from ingest.interpret.readings import Where, read_as_grid
from ingest.model import RawTable, SourceCell

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "documents"
TEMPLATES = {t.id: t for t in load_catalogue()}


COVERED = ">"  # a cell covered by the merged cell on its left: as pdfplumber gives it, no box of its own


def table(*rows: list[str]) -> RawTable:
    return RawTable(rows=[[SourceCell("") if t == COVERED else
                           SourceCell(t, page=1, bbox=(10.0 * j, 5.0 * i, 10.0 * j + 9, 5.0 * i + 4))
                           for j, t in enumerate(r)] for i, r in enumerate(rows)], origin="ruled")


def read(raw: RawTable, template: str = "budget_general_by_function"):
    return read_as_grid(raw, Where("doc", 1, "doc-001", TEMPLATES[template], "万元"))


def test_a_table_whose_sums_hold_is_confirmed_with_the_number_that_hold():
    reading = read(table(
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["", "合计", "30.00", "20.00", "10.00"],
        ["208", "社会保障和就业支出", "30.00", "20.00", "10.00"],
        ["20805", "行政事业单位养老支出", "30.00", "20.00", "10.00"],
        ["2080501", "行政单位离退休", "12.00", "12.00", "0.00"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "18.00", "8.00", "10.00"],
    ))
    # 合计 = Σ类 (3 columns), 类 = Σ款 (3), 款 = Σ项 (3), 合计 column = 基本 + 项目 (5 rows)
    assert (reading.check.status, reading.check.held, reading.check.failed) == ("confirmed", 14, 0)


def test_a_deliberately_inconsistent_table_is_contradicted_naming_the_failing_sum():
    reading = read(table(
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["208", "社会保障和就业支出", "30.00", "20.00", "10.00"],
        ["20805", "行政事业单位养老支出", "31.00", "20.00", "10.00"],
    ))
    check = reading.check
    assert check.status == "contradicted"
    assert check.failed == 2  # 208 = Σ20805 in 合计, and 20805's 合计 = 基本 + 项目
    assert check.note is not None and check.note.startswith("2 of ")
    assert "printed 30.00, parts 31.00" in check.note or "printed 31.00, parts 30.00" in check.note


def test_a_table_without_any_sum_is_unconfirmed():
    reading = read(table(["项目", "金额"], ["公务接待费", "3.00"]), "budget_three_public")
    assert reading.check.status == "unconfirmed"


def test_an_of_which_column_that_its_total_needs_is_read_as_a_component():
    # 广州's 一般公共预算支出情况表: 小计 | 其中：基本支出 | 项目支出, and 小计 = 基本 + 项目
    reading = read(table(
        ["功能科目名称", "一般公共预算支出", COVERED, COVERED],
        ["", "小计", "其中：基本支出", "项目支出"],
        ["合计", "7,651.71", "6,146.33", "1,505.38"],
        ["[206]科学技术支出", "53.44", "0.00", "53.44"],
        ["[208]社会保障和就业支出", "7,598.27", "6,146.33", "1,451.94"],
    ))
    assert reading.check.status == "confirmed"
    assert reading.check.note == "其中 columns read as components"
    paths = {v.column_path for v in reading.values}
    assert "一般公共预算支出/基本支出" in paths


def test_an_of_which_column_that_is_a_subset_stays_a_subset():
    reading = read(table(
        ["科目编码", "科目名称", "合计", "基本支出", "其中：人员经费", "项目支出"],
        ["208", "社会保障和就业支出", "30.00", "20.00", "15.00", "10.00"],
    ))
    assert reading.check.status == "confirmed"
    assert "合计" not in (reading.check.note or "")
    assert "其中：人员经费" in {v.column_path for v in reading.values}


def test_each_units_classes_sum_within_the_unit_that_opens_them():
    # 深圳's 支出总表: a 预算单位 column names each unit, whose 类/款/项 follow
    reading = read(table(
        ["预算单位", "科目编码", "科目名称", "支出总计"],
        ["深圳市水务局", "", "", "30.00"],
        ["深圳市水务局（本级）", "", "", "10.00"],
        ["", "205", "教育支出", "10.00"],
        ["", "20508", "进修及培训", "10.00"],
        ["深圳市水务工程质量安全监督站", "", "", "20.00"],
        ["", "205", "教育支出", "20.00"],
        ["", "20508", "进修及培训", "20.00"],
    ), "budget_expenditure_summary")
    assert {v.section for v in reading.values if v.function_code == "205"} == {
        "深圳市水务局（本级）", "深圳市水务工程质量安全监督站"}
    assert (reading.check.status, reading.check.failed) == ("confirmed", 0)


@pytest.mark.parametrize("name, table_ordinal", [("2026年深圳市建筑工务署部门预算.pdf", 4)])
def test_a_real_table_listing_each_units_classes_is_confirmed(name: str, table_ordinal: int) -> None:
    path = next(CORPUS.rglob(name), None) if CORPUS.exists() else None
    if path is None:
        pytest.skip(f"{name} is not in ../shared/corpus (the corpus is absent here)")
    from ingest.document import parse_document

    parsed = parse_document(path)
    (支出总表,) = [t for t in parsed.tables if t["table_ordinal"] == table_ordinal]
    assert 支出总表["printed_title"] == "支出总表"
    assert 支出总表["reading_status"] == "confirmed"
    assert 支出总表["reading_identities_held"] >= 300


def test_a_one_row_table_whose_figures_sit_left_of_their_headers_is_aligned_to_them():
    # 江苏 省法院 2017 支出预算总表 as read from its ruled page: each header cell one grid
    # column right of its figure; read leaning left, 合计 got 基本支出's figure and 28,849.38 was lost
    reading = read(table(
        ["", "合计", "", "", "基本支出", "", "", "项目支出", "", "", "单位预留机动经费", "", ""],
        ["28,849.38", "", "", "17,123.19", "", "", "11,543.27", "", "", "182.92", "", "", ""],
    ), "budget_expenditure_summary")
    assert {v.column_path: v.raw_text for v in reading.values} == {
        "合计": "28,849.38", "基本支出": "17,123.19", "项目支出": "11,543.27", "单位预留机动经费": "182.92"}
    assert reading.check.status == "confirmed"
    assert "figures placed under the header to their right" in (reading.check.note or "")
