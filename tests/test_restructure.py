from ingest.model import RawTable, SourceCell
from ingest.restructure import join_split_code_columns, lift_caption_rows, split_at_inner_titles


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
    parts = split_at_inner_titles(table(
        ["收入合计", "13,649.07"],
        ["收入预算总表", ""],
        ["项目", "合计"],
    ))
    assert [texts(p) for p in parts] == [[["收入合计", "13,649.07"]], [["收入预算总表", ""], ["项目", "合计"]]]
