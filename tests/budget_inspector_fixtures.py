"""A small 单位 budget drawn for the budget-only inspection rules (tests/pdf_drawing.py): the
holding version states every change, direction, amount, year and name as its two amounts and
its table give them; the violating version, of another unit whose tables were copied from the
first, plants one finding of each rule. Everything else is the same, so each rule's finding is
the planted one."""

from __future__ import annotations

from pathlib import Path

from tests.pdf_drawing import LEFT, Grid, Page, draw

HOLDING = "测试市测试服务中心"
VIOLATING = "测试市检验服务中心"

# (rule, the sentence as it holds, the sentence as planted) — each sentence one paragraph line
SENTENCES: list[tuple[str, str, str]] = [
    ("narrative_year_of_comparison",
     "2026年，{unit}收入预算131.00万元，其中：财政拨款收入131.00万元，比2025年预算增加11.00万元。",
     "2026年，{unit}收入预算131.00万元，其中：财政拨款收入131.00万元，比2026年预算增加11.00万元。"),
    ("narrative_change_follows",
     "1、社会保障和就业支出（208类）行政事业单位养老支出（05款）行政单位离退休（01项）60.00万元。"
     "2025年当年预算执行数为50.00万元，2026年预算安排60.00万元，比2025年预算执行数增加20.00%。",
     "1、社会保障和就业支出（208类）行政事业单位养老支出（05款）行政单位离退休（01项）60.00万元。"
     "2025年当年预算执行数为50.00万元，2026年预算安排60.00万元，比2025年预算执行数增加25.00%。"),
    ("narrative_direction_follows",
     "2、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）40.00万元。"
     "2025年当年预算执行数为50.00万元，2026年预算安排40.00万元，比2025年预算执行数减少20.00%。",
     "2、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）40.00万元。"
     "2025年当年预算执行数为50.00万元，2026年预算安排40.00万元，比2025年预算执行数增加20.00%。"),
    ("narrative_item_one_amount",
     "3、卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）31.00万元。"
     "2025年当年预算执行数为31.00万元，2026年预算安排31.00万元，与2025年预算执行数持平。",
     "3、卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）31.00万元。"
     "2025年当年预算执行数为30.00万元，2026年预算安排30.00万元，比2025年预算执行数持平。"),
    ("unit_calls_itself_department",
     "本单位2026年单位预算安排行政单位医疗31.00万元。",
     "本单位2026年部门预算安排行政单位医疗31.00万元。"),
]
# the rule whose violation is in the table's title block, not in a sentence
TABLE_RULE = "issuer_name_agrees"
# the parts of the text a budget must print: the violating budget leaves out its glossary
SECTIONS_RULE = "required_section_present"
SECTIONS = [("一、单位主要职能", "本单位负责测试工作。"), ("二、单位机构设置", "本单位内设一个科室。"),
            ("三、名词解释", "财政拨款收入：本级财政当年拨付的资金。")]
RULES = [rule for rule, _, _ in SENTENCES] + [TABLE_RULE, SECTIONS_RULE]


def _lines(text: str, width: int = 44) -> list[str]:
    return [text[k:k + width] for k in range(0, len(text), width)]


def budget_document(path: Path, violating: bool) -> Path:
    """The holding (violating=False) or violating budget, drawn at `path`."""
    unit = VIOLATING if violating else HOLDING
    narrative = [line for heading, body in SECTIONS if not (violating and "名词解释" in heading) for line in (heading, body)]
    narrative += ["四、2026年单位预算编制说明"]
    for _, holds, planted in SENTENCES:
        narrative += _lines((planted if violating else holds).format(unit=unit))
    # the violating unit's table still names the unit it was copied from
    printed = HOLDING
    table = Grid(
        rows=[
            ["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"],
            ["", "合计", "131.00", "131.00", "0.00"],
            ["208", "社会保障和就业支出", "60.00", "60.00", "0.00"],
            ["20805", "行政事业单位养老支出", "60.00", "60.00", "0.00"],
            ["2080501", "行政单位离退休", "60.00", "60.00", "0.00"],
            ["210", "卫生健康支出", "31.00", "31.00", "0.00"],
            ["21011", "行政事业单位医疗", "31.00", "31.00", "0.00"],
            ["2101101", "行政单位医疗", "31.00", "31.00", "0.00"],
            ["221", "住房保障支出", "40.00", "40.00", "0.00"],
            ["22102", "住房改革支出", "40.00", "40.00", "0.00"],
            ["2210201", "住房公积金", "40.00", "40.00", "0.00"],
        ],
        widths=[80, 150, 70, 70, 70],
    )
    assert LEFT not in table.rows[0]
    return draw(path, [
        Page(["测试市2026年单位预算", f"预算单位：{unit}"]),
        Page(narrative),
        Page(["一般公共预算支出功能分类预算表", f"单位名称：{printed if violating else unit}", "单位：万元", table]),
    ])
