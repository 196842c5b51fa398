"""Documents with planted inspection findings, made from the reference 岚县 2024 决算 (000): each
edit plants one finding of a rule, everything else in the document holds as published."""

from __future__ import annotations

import re

# (rule, what is replaced, its replacement)
PLANTED: list[tuple[str, str, str]] = [
    ("narrative_year_of_date", "截至2024年12月31日，本部门（单位）共有车辆0辆", "截至2023年12月31日，本部门（单位）共有车辆0辆"),
    ("narrative_class_former_name", "卫生健康支出(类)27.93万元", "医疗卫生与计划生育支出（210类）27.93万元"),
    ("narrative_class_name_agrees", "社会保障和就业支出(类)364.58万元", "社会保险支出（208类）364.58万元"),
    ("placeholder_left_in", "2024年度一般公共预算财政拨款支出392.51万元，主要用于以下方面",
     "XX局2024年度一般公共预算财政拨款支出392.51万元，主要用于以下方面"),
    ("table_title_year", "## 政府性基金预算财政拨款收入支出决算表", "## 2023年政府性基金预算财政拨款收入支出决算表"),
]


def planted_document(text: str) -> str:
    """The reference with every planted finding: the edits above, its 公开10表 removed
    (required_table_present) and the 本表无数据 under its 公开08表 removed
    (empty_table_has_statement)."""
    for rule, old, new in PLANTED:
        assert old in text, (rule, old)
        text = text.replace(old, new, 1)
    start = text.index("## 部门决算公开相关信息统计表")
    note = "注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。"
    end = text.index(note, start) + len(note)
    text = text[:start] + text[end:]
    eight = text.index("公开08表")
    statement = text.index("说明：本表无数据", eight)
    text = text[:statement] + text[statement + len("说明：本表无数据"):]
    return re.sub(r"\n{3,}", "\n\n", text)
