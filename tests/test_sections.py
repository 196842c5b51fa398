"""The parts of a disclosure's text an inspector's checklist asks for, read off its headings."""

from __future__ import annotations

from ingest.interpret.sections import printed_sections
from ingest.model import TextLine


def _sections(*texts: str) -> list[str]:
    return printed_sections([TextLine(t, line=k) for k, t in enumerate(texts, start=1)])


def test_each_part_is_named_by_its_heading_in_the_words_of_any_template():
    assert _sections("一、单位主要职能", "二、单位机构设置", "三、名词解释", "四、2026年单位预算编制说明") == [
        "functions", "organisation", "glossary", "explanation"]
    # 深圳: 部门职责 and 机构编制; 岚县: 本部门（单位）职责, 机构设置情况, 第三部分 情况说明, 第四部分 名词解释
    assert _sections("一、部门职责", "二、机构编制") == ["functions", "organisation"]
    assert _sections("第三部分 情况说明", "第四部分 名词解释") == ["glossary", "explanation"]


def test_a_sentence_or_an_amount_line_is_no_heading():
    # a sentence that mentions the words, a line printing an amount
    long = "本部门主要职责是贯彻落实党中央关于信访工作的方针政策和决策部署，按照市委工作要求，在履行职责过程中坚持"
    assert _sections(long, "机构设置调整增加支出 1,653.00 万元") == []
