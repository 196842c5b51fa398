"""A table that lists several units in its label column (广州's 支出项目类别（资金使用单位）, 深圳's
基本支出总表, 无锡's 政府采购支出表) prints each unit's name on a row and that unit's lines below it:
each line carries its unit as its section, so two units' 工资福利支出 stay two rows
(ingest.interpret.grid, lexicon.names_an_organisation)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.catalogue import load_catalogue
from ingest.document import parse_document
from ingest.interpret.readings import Where, read_as_grid
from ingest.lexicon import names_an_organisation
from ingest.model import RawTable, SourceCell

TEMPLATES = {t.id: t for t in load_catalogue()}


def table(*rows: list[str]) -> RawTable:
    return RawTable(rows=[[SourceCell(t, page=1, bbox=(10.0 * j, 5.0 * i, 10.0 * j + 9, 5.0 * i + 4))
                           for j, t in enumerate(r)] for i, r in enumerate(rows)], origin="ruled")


def sections(*rows: list[str]) -> dict[tuple[str | None, str], str]:
    reading = read_as_grid(table(["支出项目类别（资金使用单位）", "总计", "财政拨款"], *rows),
                           Where("doc", 1, "doc-001", TEMPLATES["budget_expenditure_summary"], "万元"))
    return {(v.section, v.row_label): v.raw_text for v in reading.values if v.column_path == "总计"}


def test_each_units_lines_carry_the_unit_named_above_them():
    read = sections(
        ["合计", "30.00", "30.00"],
        ["广州市水务局（本级）", "20.00", "20.00"],
        ["工资福利支出", "15.00", "15.00"],
        ["商品和服务支出", "5.00", "5.00"],
        ["广州市南部水网流域事务中心（广州市水务研究中心）", "10.00", "10.00"],
        ["工资福利支出", "8.00", "8.00"],
        ["商品和服务支出", "2.00", "2.00"],
    )
    assert read == {
        (None, "合计"): "30.00",
        ("广州市水务局（本级）", "广州市水务局（本级）"): "20.00",
        ("广州市水务局（本级）", "工资福利支出"): "15.00",
        ("广州市水务局（本级）", "商品和服务支出"): "5.00",
        ("广州市南部水网流域事务中心（广州市水务研究中心）", "广州市南部水网流域事务中心（广州市水务研究中心）"): "10.00",
        ("广州市南部水网流域事务中心（广州市水务研究中心）", "工资福利支出"): "8.00",
        ("广州市南部水网流域事务中心（广州市水务研究中心）", "商品和服务支出"): "2.00",
    }


def test_the_kinds_above_the_units_belong_to_no_unit():
    # 无锡's 政府采购支出表: 货物 and 服务 each list their units again
    read = sections(
        ["货物", "3.00", "3.00"],
        ["无锡市教育考试院", "1.00", "1.00"],
        ["复印纸", "1.00", "1.00"],
        ["无锡市少年宫", "2.00", "2.00"],
        ["复印纸", "2.00", "2.00"],
        ["服务", "5.00", "5.00"],
        ["无锡市教育考试院", "5.00", "5.00"],
        ["物业管理服务", "5.00", "5.00"],
    )
    assert read[(None, "货物")] == "3.00" and read[(None, "服务")] == "5.00"
    assert read[("货物/无锡市少年宫", "复印纸")] == "2.00"
    # the same unit under two kinds is two blocks
    assert read[("货物/无锡市教育考试院", "无锡市教育考试院")] == "1.00"
    assert read[("服务/无锡市教育考试院", "无锡市教育考试院")] == "5.00"
    assert read[("服务/无锡市教育考试院", "物业管理服务")] == "5.00"


def test_one_unit_named_twice_opens_no_section():
    # 苏州市审计局's 政府采购: the department under 货物 and again under 服务 is no list of units
    read = sections(["货物", "1.00", "1.00"], ["苏州市审计局", "1.00", "1.00"], ["复印纸", "1.00", "1.00"],
                    ["服务", "2.00", "2.00"], ["苏州市审计局", "2.00", "2.00"], ["审计服务", "2.00", "2.00"])
    assert {section for section, _ in read} == {None}


def test_a_project_named_like_an_organisation_opens_no_block():
    # 广州's 项目支出及其他支出预算表: '广州市生态环境科技协同创新中心' is a project of 13.40 in
    # 广州市生态环境局's block, followed by a larger project: a unit's total is at least each line
    read = sections(
        ["广州市生态环境局", "100.00", "100.00"],
        ["广州市生态环境科技协同创新中心", "13.40", "13.40"],
        ["广州市生态环境局2025-2026年信息化运维项目", "80.91", "80.91"],
        ["广州市固体废物管理中心", "20.00", "20.00"],
        ["固体废物管理经费", "20.00", "20.00"],
    )
    assert read[("广州市生态环境局", "广州市生态环境科技协同创新中心")] == "13.40"
    assert read[("广州市生态环境局", "广州市生态环境局2025-2026年信息化运维项目")] == "80.91"
    assert read[("广州市固体废物管理中心", "固体废物管理经费")] == "20.00"


def test_one_organisation_like_line_alone_opens_no_section():
    # a single line named like an organisation is more likely a line than a list of units
    read = sections(["合计", "9.00", "9.00"], ["机关服务中心", "4.00", "4.00"], ["工资福利支出", "5.00", "5.00"])
    assert {section for section, _ in read} == {None}


@pytest.mark.parametrize("name, is_unit", [
    ("广州市水务局（本级）", True), ("无锡市教育考试院", True), ("无锡市辅仁高级中学", True),
    ("深圳市深圳河湾流域管理中心（深圳市治理深圳河办公室）", True), ("无锡教育电视台", True), ("广州市气象台", True), ("广东省广州花都监狱", True),
    ("智慧司法服务平台", False), ("广州市市场监督管理局12315投诉举报中心", True),
    ("工资福利支出", False), ("工会经费", False), ("机关事业单位基本养老保险缴费", False), ("法院", False),
    ("2026年", False),
])
def test_names_an_organisation(name, is_unit):
    assert names_an_organisation(name) is is_unit


def test_corpus_a_departments_units_each_keep_their_own_lines(corpus):
    """广州市生态环境局's 部门预算基本支出预算表 lists the department's units, each followed by its
    工资福利支出, 商品和服务支出 …: 28 units' lines used to land under one key."""
    path: Path = next((corpus / "documents").rglob("生态环境局_2026年部门预算.pdf"))
    parsed = parse_document(path)
    basic = {t["table_id"] for t in parsed.tables if t.get("printed_title") == "部门预算基本支出预算表"}
    values = [v for v in parsed.values if v["table_id"] in basic]
    assert values, "the basic expenditure table of 广州市生态环境局 landed no values"
    keys = Counter((v["section"], v["row_key"], v["column_path"]) for v in values)
    assert [k for k, n in keys.items() if n > 1] == []
    wages = {v["section"]: v["raw_text"] for v in values
             if v["row_label"] == "工资福利支出" and v["column_path"] == "总计"}
    assert wages["广州市生态环境局（本级）"] == "6,750.50"
    assert wages["广州市固体废物管理中心"] == "1,549.81"
    assert wages["广州市环境技术中心（广州市美丽城市建设中心）"] == "1,816.13"
