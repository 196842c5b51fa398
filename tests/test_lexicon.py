"""The one definition of each rule about printed lines (ingest/lexicon.py) and of wrapped text
(ingest/read/words.py), on the lines that decided them in the corpus."""

from __future__ import annotations

import pytest

from ingest.catalogue import titles
from ingest.lexicon import (
    compact,
    is_caption_row,
    is_column_numbers,
    is_enumerator,
    is_section_caption,
    is_table_title,
    is_title_line,
    line_item,
)
from ingest.model import SourceCell
from ingest.read.ruled import cell_text
from ingest.read.words import Word, join_text, joined

TITLES = titles()


@pytest.mark.parametrize("line", [
    "收入支出决算总表",
    "一般公共预算基本支出预算表（经济科目）",  # 江苏 2018: qualified
    "“三公”经费、会议费、培训费支出预算表公开表九",  # 江苏 2019: followed by its numbering
    "目 录",  # a catalogue title that is not a 表, printed alone
])
def test_a_title_line(line):
    assert is_table_title(line, TITLES)


@pytest.mark.parametrize("line", [
    "二、机关运行经费",  # a section caption inside a table
    "长沙市财政项目支出绩效评价报告",  # a report that mentions a form's title
    "从预算单位构成看，湖州市交通运输局预算包括：局本",  # prose that mentions a title
    "收入支出决算总表说明",
])
def test_not_a_title_line(line):
    assert not is_table_title(line, TITLES)


def test_a_numbering_alone_is_a_title_line():
    assert is_title_line("公开 03 表", TITLES) and not is_table_title("公开03表", TITLES)


def row(*texts: str) -> list[SourceCell]:
    return [SourceCell(t) for t in texts]


def test_caption_rows_drawn_in_a_grid():
    assert is_caption_row(row("部门：", "江苏省人大常委会办公厅", "", "单位：万元"), TITLES)
    assert is_caption_row(row("“三公”经费、会议费、培训费支出预算表公开表九", "", ""), TITLES)
    # a unit column's '万元' does not make a row of figures' labels a caption
    assert not is_caption_row(row("（二）本年其他资金收入 0", "万元"), TITLES)
    assert not is_caption_row(row("部门：", "1,234.00"), TITLES)
    # a column named with its unit in brackets is the header of a list, not a unit line (广州)
    assert not is_caption_row(row("项目", "预算数（单位：万元）", "绩效目标"), TITLES)


def test_list_numbering():
    assert line_item("八、社会保障和就业支出") == "社会保障和就业支出"
    assert line_item("其中：(1) 差旅费") == "差旅费"
    assert line_item("一.基本支出") == "基本支出"
    # '一、' printed in two fonts comes back comma first (重庆's 收支总表); a name may begin with a numeral
    assert line_item("、一一般公共预算资金") == "一般公共预算资金"
    assert line_item("、二政府性基金预算资金") == "政府性基金预算资金"
    assert line_item("一般公共预算资金") == "一般公共预算资金"
    assert is_section_caption("（二）机关运行经费") and not is_section_caption("(2)机关运行经费")
    assert is_enumerator("3.") and is_enumerator("(2)") and not is_enumerator("3.5")


def test_column_numbers():
    assert is_column_numbers(["栏次", "", "1", "2"])
    assert is_column_numbers(["**", "**", "1", "2", "3"])
    assert not is_column_numbers(["1", "3"])
    assert compact(" 收 入\u3000") == "收入"


def test_one_rule_for_text_wrapped_in_its_cell():
    """The ruled reader (a cell's lines) and the unruled readers (word boxes) join the same
    way: no space, unless two Latin words meet."""
    assert cell_text("参保人数114\n6030人") == "参保人数1146030人"  # a figure broken over two lines
    assert cell_text("236001\n-山西省医疗\n保障局") == "236001-山西省医疗保障局"
    assert cell_text("Total\nincome") == "Total income"
    upper, lower = Word("236001", 10, 40, 0, 8, 1), Word("-山西省医疗", 10, 60, 10, 18, 1)
    assert joined(upper, lower).text == join_text("236001", "-山西省医疗") == "236001-山西省医疗"


def test_codes_printed_in_a_rows_name_are_read_by_their_scheme():
    from ingest.lexicon import codes_in_label

    assert codes_in_label("[201]一般公共服务支出") == ({"function": "201"}, "一般公共服务支出")
    assert codes_in_label("【30101】基本工资") == ({"economic": "30101"}, "基本工资")
    # two schemes: the government's economic code and the department's, both kept
    assert codes_in_label("50101/30101-基本工资") == ({"gov_economic": "50101", "economic": "30101"}, "基本工资")
    assert codes_in_label("一般公共服务支出") is None
