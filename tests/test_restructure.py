from ingest.catalogue import titles
from ingest.interpret.restructure import (
    join_split_code_columns,
    lift_caption_rows,
    rebuild_relative_codes,
)
from ingest.model import RawTable, SourceCell
from ingest.read.ruled import split_at_inner_titles


def table(*rows: list[str]) -> RawTable:
    return RawTable(rows=[[SourceCell(t, page=1, bbox=(10.0 * j, 5.0 * i, 10.0 * j + 9, 5.0 * i + 4))
                           for j, t in enumerate(r)] for i, r in enumerate(rows)])


def texts(t: RawTable) -> list[list[str]]:
    return [[c.text for c in r] for r in t.rows]


def test_codes_split_over_class_section_item_columns_are_joined():
    t = join_split_code_columns(table(
        ["功能分类科目编码", "", "", "功能分类科目名称", "合计"],
        ["类", "款", "项", "", ""],
        ["201", "", "", "一般公共服务支出", "22,186,440.80"],
        ["201", "06", "01", "行政运行", "16,231,840.80"],
    ))
    assert texts(t) == [
        ["功能分类科目编码", "功能分类科目名称", "合计"],
        ["类款项", "", ""],
        ["201", "一般公共服务支出", "22,186,440.80"],
        ["2010601", "行政运行", "16,231,840.80"],
    ]
    # the joined cell's box covers the three printed cells
    assert t.rows[3][0].bbox == (0.0, 15.0, 29.0, 19.0)


def test_a_segment_printed_alone_in_its_column_takes_its_parent_from_the_rows_above():
    # 烟台市信访局 2026, 收入总体情况表: 类 | 款 | 项 columns, each row printing only its own
    # segment. The column says the level, so no sum is needed (信访事务's 项 print 854.84 of its
    # 1,378.84: the codes must not depend on the publication adding up)
    t = join_split_code_columns(table(
        ["科目编码", "", "", "科目名称", "合计"],
        ["类", "款", "项", "", ""],
        ["", "", "", "合 计", "1,717.85"],
        ["201", "", "", "一般公共服务支出", "1,378.84"],
        ["", "40", "", "信访事务", "1,378.84"],
        ["", "", "01", "行政运行", "507.97"],
        ["", "", "50", "事业运行", "346.87"],
        ["205", "", "", "教育支出", "1.00"],
        ["", "8", "03", "培训支出", "1.00"],
        ["", "", "04", "其他", "0.00"],
    ))
    assert [r[0] for r in texts(t)[2:]] == ["", "201", "20140", "2014001", "2014050", "205", "2050803", "2050804"]


def test_a_segment_with_no_parent_above_it_stays_as_printed():
    t = join_split_code_columns(table(["类", "款", "项", "名称"], ["", "40", "", "信访事务"]))
    assert texts(t)[1][0] == "40"


def test_title_unit_and_department_rows_drawn_in_the_grid_become_context():
    t = lift_caption_rows(table(
        ["收支预算总表", "", ""],
        ["部门：", "江苏省人大常委会办公厅", "单位：万元"],
        ["收入", "", "支出"],
    ))
    assert [line.text for line in t.context] == ["收支预算总表", "部门： 江苏省人大常委会办公厅 单位：万元"]
    assert texts(t) == [["收入", "", "支出"]]


def test_header_rows_are_not_captions():
    t = table(["项目", "金额"], ["合计", "1.00"])
    assert lift_caption_rows(t) is t


def test_two_grids_drawn_edge_to_edge_are_split_at_the_inner_title():
    parts = split_at_inner_titles(titles=titles(), table=table(
        ["收入合计", "13,649.07"],
        ["收入预算总表", ""],
        ["项目", "合计"],
    ))
    assert [texts(p) for p in parts] == [[["收入合计", "13,649.07"]], [["收入预算总表", ""], ["项目", "合计"]]]


def test_departmental_and_government_economic_codes_side_by_side_are_both_joined():
    t = join_split_code_columns(table(
        ["科目编码", "", "部门预算支出经济分类科目名称", "科目编码", "", "政府预算支出经济分类科目名称", "小计"],
        ["类", "款", "", "类", "款", "", ""],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "119.40"],
    ))
    assert texts(t)[2] == ["30101", "基本工资", "50101", "工资奖金津补贴", "119.40"]


YANTAI = [  # 烟台市医疗保障局 2026, 收入总体情况表 (万元): 款 and 项 printed relative to their parent
    ["科目编码", "科目名称", "合计"],
    ["类款项", "", ""],
    ["", "合 计", "332.62"],
    ["205", "教育支出", "4.70"],
    ["08", "进修及培训", "4.70"],
    ["03", "培训支出", "4.70"],
    ["208", "社会保障和就业支出", "327.92"],
    ["05", "行政事业单位养老支出", "257.92"],
    ["01", "行政单位离退休", "13.27"],
    ["02", "事业单位离退休", "9.22"],
    ["05", "机关事业单位基本养老保险缴费支出", "201.42"],
    ["06", "机关事业单位职业年金缴费支出", "34.00"],  # 项 add to 257.91: within rounding
    ["27", "财政对其他社会保险基金的补助", "70.00"],  # so this is the next 款
    ["99", "其他财政对社会保险基金的补助", "70.00"],
]


def test_relative_codes_are_made_absolute_where_the_amounts_confirm_the_reading():
    t = rebuild_relative_codes(table(*YANTAI))
    assert [r[0] for r in texts(t)[3:]] == [
        "205", "20508", "2050803", "208", "20805", "2080501", "2080502", "2080505", "2080506",
        "20827", "2082799",
    ]
    assert t.rows[4][0].bbox == table(*YANTAI).rows[4][0].bbox  # still the printed cell


def test_relative_codes_whose_amounts_add_up_in_no_reading_are_left_as_printed():
    rows = [list(r) for r in YANTAI]
    rows[8][2] = "23.27"  # 项 now exceed their 款: no reading adds up
    assert texts(rebuild_relative_codes(table(*rows))) == rows
