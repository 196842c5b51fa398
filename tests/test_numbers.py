from decimal import Decimal

import pytest

from ingest.numbers import CellKind, find_unit, find_unit_in_header, parse_cell, to_yuan


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("392.51", Decimal("392.51"), 2),
        ("8,041,451.79", Decimal("8041451.79"), 2),
        ("1,293.69", Decimal("1293.69"), 2),
        ("6250000.00", Decimal("6250000.00"), 2),
        ("499.51968", Decimal("499.51968"), 5),
        ("-27.15", Decimal("-27.15"), 2),
        ("(27.15)", Decimal("-27.15"), 2),
        ("１２３．４５", Decimal("123.45"), 2),
        ("－5", Decimal("-5"), 0),
        (" 0.00 ", Decimal("0.00"), 2),
    ],
)
def test_numbers_parse_to_exact_decimals(text, value, decimals):
    parsed = parse_cell(text)
    assert parsed.kind is CellKind.NUMBER
    assert parsed.value == value and isinstance(parsed.value, Decimal)
    assert parsed.decimals == decimals


def test_percent_keeps_printed_number():
    parsed = parse_cell("100.00%")
    assert parsed.kind is CellKind.PERCENT
    assert parsed.value == Decimal("100.00")


@pytest.mark.parametrize("text", ["—", "——", "———", "-", "－", "/"])
def test_dashes_mean_no_value(text):
    assert parse_cell(text).kind is CellKind.DASH


@pytest.mark.parametrize("text", ["≥98%", "12,34.5", "达成预期指标", "1.2.3"])
def test_text_is_not_a_number(text):
    assert parse_cell(text).kind is CellKind.TEXT


def test_blank_is_blank():
    assert parse_cell("  ").kind is CellKind.BLANK
    assert parse_cell(None).kind is CellKind.BLANK


def test_unit_lines():
    assert find_unit("金额单位：万元") == "万元"
    assert find_unit("单位:元") == "元"
    assert find_unit("部门名称：山西省医疗保障局2024年度金额单位：万元") == "万元"
    # a unit line split over two lines in the publication
    assert find_unit("金额单位：万", following="元") == "万元"
    assert find_unit("注：本套报表金额单位转换时可能存在尾数误差。") is None
    assert find_unit_in_header("项目资金 (万元)") == "万元"


def test_a_unit_line_whose_colon_the_text_layer_lost():
    """重庆's 2026 budgets draw the colon on a baseline of its own: the line reads
    '单位名称 …委员会 单位 万元'. The unit still counts; a word that merely begins with
    a unit's character after 单位 does not."""
    assert find_unit("单位名称 重庆市经济和信息化委员会 单位 万元") == "万元"
    assert find_unit("单位 元") == "元"
    assert find_unit("本单位元旦期间值班") is None
    assert find_unit("预算单位万元以上项目") is None
    assert find_unit("单位名称：重庆市气象局") is None


def test_to_yuan_is_exact():
    assert to_yuan(Decimal("392.51"), "万元") == Decimal("3925100.00")
    assert to_yuan(Decimal("499.51968"), "万元") == Decimal("4995196.80000")
    assert to_yuan(Decimal("8041451.79"), "元") == Decimal("8041451.79")
