"""The performance target forms' reader (ingest/interpret/targets.py): funds as amounts,
indicator targets as the numbers they state, one project per form."""

from decimal import Decimal

from ingest.interpret.targets import parse_target, read_targets
from ingest.model import RawTable, SourceCell
from ingest.numbers import CellKind


def _table(rows: list[list[str]]) -> RawTable:
    return RawTable([[SourceCell(t, page=1) for t in row] for row in rows], origin="ruled")


def test_a_target_gives_the_number_it_states_and_a_date_or_a_word_none():
    assert parse_target("≥50次").value == Decimal("50")
    assert parse_target("≤70万元").value == Decimal("70")
    assert parse_target("=100%").kind is CellKind.PERCENT
    assert parse_target("1 次").value == Decimal("1")
    assert parse_target("有效促进") is None
    assert parse_target("2026年12月前") is None


def test_each_project_of_a_stitched_table_lands_its_funds_and_targets():
    table = _table([
        ["项目名称", "", "", "实施公车统管", "", ""],
        ["项目资金（万元）", "", "", "年度预算资金总额：", "70.00", ""],
        ["", "", "", "其中：财政拨款", "70.00", ""],
        ["", "一级指标", "二级指标", "三级指标", "指标值", ""],
        ["绩效指标", "产出指标", "数量指标", "用车次数", "≥50次", ""],
        ["绩效指标", "", "", "完成及时率", "=100%", ""],
        ["绩效指标", "效益指标", "社会效益指标", "促进各项工作推进", "有效促进", ""],
        ["项目名称", "", "", "援藏干部工作经费", "", ""],
        ["项目资金（万元）", "", "", "年度预算资金总额：", "300.00", ""],
    ])
    reading = read_targets(table)
    assert reading.projects == ["实施公车统管", "援藏干部工作经费"]
    got = [(v.project, v.row_label, v.value_kind, v.parsed.value, v.unit, v.section) for v in reading.values]
    assert got == [
        (0, "年度预算资金总额", "amount", Decimal("70.00"), "万元", None),
        (0, "其中：财政拨款", "amount", Decimal("70.00"), "万元", None),
        (0, "用车次数", "indicator", Decimal("50"), None, "产出指标/数量指标"),
        (0, "完成及时率", "indicator", Decimal("100"), None, "产出指标/数量指标"),
        (1, "年度预算资金总额", "amount", Decimal("300.00"), "万元", None),
    ]


def test_a_list_of_projects_opening_with_项目名称_lands_each_of_its_amounts():
    """广州's 项目支出绩效目标表 is a list, not forms: 项目名称（资金使用单位） | 总计： | 财政拨款 |
    财政专户拨款 | 其他资金 | 绩效目标 | 绩效指标. Its header is not a project, and each
    project lands every amount it prints, under the column's name; a form's 项目名称 row
    (one name, no amounts headed) still opens a project."""
    table = _table([
        ["项目名称（资金使用单位）", "总计：", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"],
        ["合计：", "37,367.86", "35,790.09", "", "1,577.77", "", ""],
        ["环保监督检查员经费（越秀区）", "238.00", "238.00", "", "", "强化属地责任", "响应率100%"],
    ])
    reading = read_targets(table)
    got = [(v.row_label, v.column_path, v.parsed.value) for v in reading.values]
    assert got == [
        ("合计：", "总计", Decimal("37367.86")), ("合计：", "财政拨款", Decimal("35790.09")),
        ("合计：", "其他资金", Decimal("1577.77")),
        ("环保监督检查员经费（越秀区）", "总计", Decimal("238.00")),
        ("环保监督检查员经费（越秀区）", "财政拨款", Decimal("238.00")),
    ]
    form = read_targets(_table([["项目名称", "", "实施公车统管"], ["项目资金（万元）", "资金总额：", "70.00"]]))
    assert form.projects == ["实施公车统管"]


def test_a_table_landing_fewer_values_than_it_prints_says_which():
    from ingest.document import UNLANDED_AMOUNTS, unlanded_amounts
    from ingest.interpret.readings import TableReading

    table = _table([["项目", "金额"], ["基本工资", "2,117.68"], ["津贴补贴", "5,081.98"], ["合计", "7,199.66"]])
    reading = TableReading(header_rows=1)
    assert unlanded_amounts(table, reading) == (
        f"{UNLANDED_AMOUNTS}: 3 of 3: '2,117.68' (row 1, column 1), '5,081.98' (row 2, column 1), "
        "'7,199.66' (row 3, column 1)")


def test_a_table_no_template_knows_keeps_the_title_printed_above_it():
    from ingest.interpret.recognise import recognise_table
    from ingest.model import TextLine

    table = _table([["序号", "事项", "数额"], ["1", "某某", "3.00"]])
    table.context = [TextLine("2026年部门某某情况明细表", page=1), TextLine("单位：万元", page=1)]
    identity = recognise_table(table, "budget")
    assert identity.template.id == "generic" and identity.title == "2026年部门某某情况明细表"


def test_a_form_naming_its_indicators_指标名称_lands_their_targets_and_its_当年预算():
    table = _table([
        ["项目名称", "水库移民后期扶持", "", "主管部门", "重庆市水利局"],
        ["当年预算", "12,700.00", "", "市级支出", ""],
        ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位"],
        ["", "实施项目数量", "≥", "86", "个数"],
    ])
    got = [(v.row_label, v.value_kind, v.parsed.value) for v in read_targets(table).values]
    assert got == [("当年预算", "amount", Decimal("12700.00")), ("实施项目数量", "indicator", Decimal("86"))]
