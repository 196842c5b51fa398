"""The figures in a disclosure's narrative (情况说明), as claims, each resolved where possible
to the table value it restates.

A sentence such as '2024年度收入合计392.51万元，其中：财政拨款收入392.51万元，占比100.00%'
carries three claims: 收入合计 (an amount), 财政拨款收入 (an amount) and its share (100.00 %
of the sentence's lead total). Each figure's subject is the phrase before it in its clause,
with the measure words (增加/减少, 占比, 年初预算, 完成…的) read off; a clause that names no
subject ('下降59.24%', '占比100.00%') continues the previous claim's. Subjects are resolved
against the document's own landed values by the rules in `SUBJECT_RULES` (one place for what a
narrative phrase means in the tables); what is not resolved stays a claim with no table
value, and `make eval` lists those sentences.

Pure functions: text lines and landed values in, claim records out.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.lexicon import HEADING, NUMERALS, SUBHEADING, compact, line_item
from ingest.model import TextLine
from ingest.numbers import UNIT_MULTIPLIERS, normalise_text, parse_cell, to_yuan

_FIGURE = re.compile(
    r"(?P<value>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|%|％|辆|人次|批次|个|台套|台|套|人)"
)
# a zero stated without a unit ('政府性基金拨款支出预算为0；'): nothing in any unit, the statement
# that explains an empty table; landed with no unit and an amount of 0 元
_FIGURE_OR_ZERO = re.compile(_FIGURE.pattern + r"|(?<=为)\s*(?P<zero>0(?:\.0+)?)(?=\s*(?:[，,；;。]|$))")
_SENTENCE_END = re.compile(r"[。；;]")
_CHANGE = re.compile(r"(增加|减少|增长|下降|上升|降低|持平)$")
_NEGATIVE = ("减少", "下降", "降低")
_LEADING = re.compile(
    r"^(?:其中[：:]?|主要原因是|主要包括|主要用于|主要是|包括|分别为|共计|合计为|\d{4}年度?|本年度?|当年|全年|本部门|本单位|我单位|我局|"
    r"与上年相比|较上年|比上年|与上年|上年|决算数?为|为|是|的|，|,)+"
)
_TRAILING = re.compile(r"(?:共计|合计为|为|是|达|总额|总额为|金额|支出决算数|决算数|决算支出|支出决算|决算|(?<!公共)预算支出)+$")
# words that name no subject of their own: the figure continues the previous claim's subject
_GENERIC = {"支出", "收入", "支出决算", "决算", "本年支出", "本年收入", "执行数", "全年执行数", "其中", "各", "均"}
# last year's figure restated beside this year's ('2025年当年预算执行数为…', '上年预算数为…',
# '…（项）"43.83万元，上年:25.77万元'); '比上年'/'较上年'/'与上年' open a change instead
_PRIOR = re.compile(r"(?:(?:上年|\d{4}年)度?(?:当年)?(?:预算)?执行数|上年度?预算数|(?<![比较与])上年度?[:：]?)(?:为|是)?$")
_COUNT_UNITS = ("辆", "人次", "批次", "个", "台套", "台", "套", "人")


@dataclass
class Claim:
    section: str | None
    part: int  # the run of numbered sections (1 = the first 一、… in the document)
    sentence: str
    sentence_index: int
    claim_index: int
    subject: str | None
    measure: str  # amount | budget_amount | prior_amount | change_amount | change_percent | share | completion_rate | count | percent
    value: Decimal
    unit: str
    decimals: int  # digits printed after the decimal point
    raw_text: str
    share_of: str | None  # for a share, the total it names, if it names one
    position: int  # where the figure stands in its sentence
    page: int | None
    line: int | None


def _number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + NUMERALS.index(numeral[1]) + 1
    if numeral.endswith("十"):
        return 10 * (NUMERALS.index(numeral[0]) + 1)
    return NUMERALS.index(numeral[0]) + 1 if len(numeral) == 1 else 0


def sentences(lines: list[TextLine]) -> list[tuple[str | None, int, str, TextLine]]:
    """Narrative sentences with the numbered section (一、… 十、) they stand in, which run of
    numbered sections that is (the numbering restarts in each part of a publication: 情况说明,
    then a 绩效自评报告 …), and the line where each starts. Lines of one paragraph are joined;
    headings open a new paragraph."""
    out: list[tuple[str | None, int, str, TextLine]] = []
    section: str | None = None
    part, last = 0, 99
    buffer = ""
    start: TextLine | None = None

    def flush() -> None:
        nonlocal buffer, start
        if buffer and start is not None:
            for piece in _split(buffer):
                out.append((section, part, piece, start))
        buffer, start = "", None

    for line in lines:
        text = line.text.strip()
        if not text:
            flush()
            continue
        heading = HEADING.match(text)
        if heading and len(text) <= 40 and not _FIGURE.search(heading["title"]):
            flush()
            number = _number(heading["number"])
            if number <= last:
                part += 1
            last = number
            section = f"{heading['number']}、{heading['title'].strip()}"
            continue
        if _PART.match(text) and len(text) <= 40 and not _FIGURE.search(text):
            flush()  # '第四部分 政府采购预算情况': a part of its own, not the last unit's section
            section, last = compact(text), 99
            continue
        if SUBHEADING.match(text) and len(text) <= 40 and not _FIGURE.search(text):
            # '（一）因公出国（境）费', '（三）2080505-机关事业单位基本养老保险缴费支出': a line the
            # figures below are about; any other heading ends the subject before it
            flush()
            out.append((section, part, text, line))
            continue
        if start is None:
            start = line
        buffer += text
        if re.search(r"[。；;]$", text):
            flush()
    flush()
    return out


_PART = re.compile(rf"^第[{NUMERALS}]+部分\s*\S")


def _names_a_line(text: str) -> bool:
    """Whether a heading without figures names a line the subject rules know ('（一）因公出国
    （境）费', '2.公务接待费')."""
    name = _norm(line_item(text))
    return bool(name) and len(name) <= 20 and any(re.search(r.phrase, name) for r in SUBJECT_RULES)


def _split(paragraph: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph)]
    return [p for p in parts if p]


def _share_of(context: str) -> str | None:
    """The total a share names ('占政府采购支出总额的94.15%' → 政府采购支出总额)."""
    found = re.search(r"占(?!比)(?P<total>.+?)的?$", context)
    return found["total"] if found else None


def _subject_and_measure(context: str, unit: str) -> tuple[str, str, int]:
    """The subject phrase before a figure, what the figure measures, and its sign."""
    text = context.strip()
    sign = 1
    measure = "count" if unit in _COUNT_UNITS else ("percent" if unit in ("%", "％") else "amount")
    if unit in ("%", "％"):
        if re.search(r"完成.*预算.*的?$", text) or text.endswith("完成率"):
            measure, text = "completion_rate", re.sub(r"完成.*$", "", text)
        elif re.search(r"占(比|.*的)?$", text) or "占" in text[-12:]:
            measure, text = "share", re.sub(r"占.*$", "", text)  # the total it divides: _share_of
        elif (change := _CHANGE.search(text)) is not None:
            measure, sign = "change_percent", -1 if change[1] in _NEGATIVE else 1
            text = text[: change.start()]
    elif (change := _CHANGE.search(text)) is not None:
        measure = "change_amount" if measure == "amount" else measure
        sign = -1 if change[1] in _NEGATIVE else 1
        text = text[: change.start()]
    elif measure == "amount" and re.search(_PRIOR, text):
        # '2025年当年预算执行数为1690.69万元': last year's figure of the line the paragraph names
        measure, text = "prior_amount", re.sub(_PRIOR, "", text)
    elif measure == "amount" and re.search(r"(年初|全年)?预算(数|安排)?(为)?$", text):
        measure, text = "budget_amount", re.sub(r"(年初|全年)?预算(数|安排)?(为)?$", "", text)
    text = re.sub(r"(较上年|比上年|[比较]\d{4}年度?(?:年初)?|与上年度?相比|与上年|较)(当年)?(决算数?|预算执行数|执行数|预算数?)?$", "", text)
    named = re.match(r"^(?P<before>.{2,40}?)\d{4}年度?(?P<after>.*)$", text)
    if named:  # '上海市…局2024年度收入支出总计': the issuer and year, then the line
        after = _TRAILING.sub("", _LEADING.sub("", named["after"]))
        # '1.因公出国（境）费2026年预算安排': the line is what stands before the year
        text = named["after"] if after else named["before"]
    text = _TRAILING.sub("", _LEADING.sub("", text))
    return text, measure, sign


# a 类/款/项 label, a colon, then words that name no other line
_LABELLED = re.compile(r"(?P<label>[^：:，,；;]+[（(]\d*(类|款|项)[)）]|[（(][一二三四五六七八九十]+[)）](收入|支出)预算)"
                       r"\s*[：:][^：:，,；;]*$")
_THRESHOLD = re.compile(r"^\s*[（(]?含[)）]?以上|^\s*以上")  # 单价100万元（含）以上设备: a threshold, not a figure


def extract_claims(lines: list[TextLine]) -> list[Claim]:
    claims: list[Claim] = []
    subject: str | None = None
    previous_section: str | None = None
    for s_index, (section, part, sentence, start) in enumerate(sentences(lines)):
        # figures are found in a copy with full-width digits made ASCII, character for character,
        # so positions in it are positions in the printed sentence
        scan = normalise_text(sentence)
        if len(scan) != len(sentence):
            scan = sentence
        if section != previous_section:
            subject, previous_section = None, section  # a sentence without a subject continues
        qualifier = ""  # 财政拨款 when an earlier subject of the sentence was so qualified
        clause_start = 0
        if not _FIGURE_OR_ZERO.search(scan):
            # a sentence without figures that names a line ('1. 一般公共服务支出（类）群众团体
            # 事务（款）行政运行（项）') is the subject of the figures that follow; any other
            # ends what a later clause may continue
            label = line_item(sentence)
            if len(label) <= 80 and re.search(r"[（(]\d*(类|款|项)[)）]$", label):
                subject = label
            elif _names_a_line(sentence) or _CODED.match(line_item(normalise_text(sentence))):
                subject = line_item(normalise_text(sentence))  # as a figure's subject is written
            elif not re.match(r"主要用于|用于", label):  # '主要用于：…' describes the line just named
                subject = None
            continue
        for c_index, figure in enumerate(_FIGURE_OR_ZERO.finditer(scan)):
            if _THRESHOLD.match(scan[figure.end():]):
                continue
            before = scan[clause_start : figure.start()]
            # the clause: text after the last delimiter before the figure ('收、支总计' is one)
            pieces = [compact(p) for p in re.split(r"[，,：:；;]|、(?!支)", before)]
            context = pieces[-1] if pieces else ""
            if not context and len(pieces) > 1 and re.search(r"[：:]\s*$", before):
                context = pieces[-2]  # '人员经费支出：694.61万元': the label before the colon
            printed_unit = figure["unit"] or ""
            phrase, measure, sign = _subject_and_measure(context, printed_unit)
            if (labelled := _LABELLED.search(before)) and (
                    not phrase or phrase in _GENERIC or re.fullmatch(r"(预算)?(支出|收入)(预算)?(合计|总计)?", phrase)):
                # '行政事业单位离退休（款）：2018 年预算支出合计1,836.22 万元', '1.住房公积金(项):支出
                # 1,073.77 万元': the line is the label before the colon, not the budget's total;
                # '(一)收入预算:2026年年初预算数14,770.62万元': the budget's 收入
                label = line_item(labelled["label"])
                phrase = label[:2] if re.fullmatch(r"(收入|支出)预算", label) else label
            phrase = line_item(phrase)
            phrase = re.sub(r"([（(]\d*(类|款|项)[)）])支出$", r"\1", phrase)  # '一般公共服务支出（类）支出'
            phrase = re.sub(r"^[（(]|[)）]$", "", phrase) if not re.search(r"[（(]\d*(类|款|项)[)）]$", phrase) else phrase
            if measure == "budget_amount" and phrase in ("收入", "支出"):
                phrase += "总计"  # '支出预算9628.22万元': the budget's total
            if phrase and not re.fullmatch(r"[\d.]+", phrase) and phrase not in _GENERIC:
                # '财政拨款收入总计…，支出总计…': a bare total takes the qualifier of the one before
                if qualifier and re.fullmatch(r"(收入|支出)(总计|合计)", phrase):
                    phrase = qualifier + phrase
                subject = phrase
                qualifier = m[1] if (m := re.match(r"^(财政拨款|一般公共预算财政拨款)", phrase)) else qualifier
            number = parse_cell(figure["value"] or figure["zero"])
            if number.value is None:
                continue
            unit = "%" if printed_unit == "％" else printed_unit
            share_of = _share_of(context) if measure == "share" else None
            claims.append(Claim(section, part, sentence, s_index, c_index, subject, measure, number.value * sign,
                                unit, number.decimals, sentence[figure.start():figure.end()], share_of,
                                figure.start(), start.page, start.line))
            clause_start = figure.end()
    return claims


# --- resolution -------------------------------------------------------------------------

_NORM_CACHE = 1 << 16


@lru_cache(maxsize=_NORM_CACHE)  # the narrative compares the same table lines many times
def _norm(text: str | None) -> str:
    text = re.sub(r"[（(]\d*(类|款|项)[)）]", "", text or "")
    return re.sub(r"[\s“”\"（）()、]", "", text)


@dataclass(frozen=True)
class SubjectRule:
    """A narrative phrase and the table value it restates: the first template the document
    prints, the row (by line item, or any row whose line item the phrase names) and the
    column (a substring of the column path; '' for the row's first value column)."""

    phrase: str  # a regular expression on the normalised subject
    templates: tuple[str, ...]
    row: str  # a line item ('' = the row named by the subject itself)
    column: str
    side: str | None = None
    restates: bool = True  # False: the phrase names a part of the line (国内接待费 of 公务接待费)


SUBJECT_RULES: tuple[SubjectRule, ...] = (
    SubjectRule(r"^财政拨款收入总计$", ("final_04_appropriation_summary",), "总计", "", "收入"),
    SubjectRule(r"^财政拨款支出总计$", ("final_04_appropriation_summary",), "总计", "", "支出"),
    SubjectRule(r"^财政拨款(收入支出|收支)总计(均|各)?$", ("final_04_appropriation_summary",), "总计", "", "收入"),
    SubjectRule(r"^(收入支出|收支)总计(均|各)?$", ("final_01_income_expenditure_summary",), "总计", "", "收入"),
    SubjectRule(r"^收入总计$", ("final_01_income_expenditure_summary",), "总计", "", "收入"),
    SubjectRule(r"^支出总计$", ("final_01_income_expenditure_summary",), "总计", "", "支出"),
    SubjectRule(r"^(本年)?收入合计$", ("final_01_income_expenditure_summary",), "本年收入合计", "", "收入"),
    SubjectRule(r"^(本年)?支出合计$", ("final_01_income_expenditure_summary",), "本年支出合计", "", "支出"),
    SubjectRule(r"^年初结转和结余$", ("final_01_income_expenditure_summary",), "年初结转和结余", "", "收入"),
    SubjectRule(r"^年末结转和结余$", ("final_01_income_expenditure_summary",), "年末结转和结余", "", "支出"),
    SubjectRule(r"^(一般公共预算)?财政拨款收入$", ("final_02_income",), "合计", "财政拨款收入"),
    SubjectRule(r"^上级补助收入$", ("final_02_income",), "合计", "上级补助收入"),
    SubjectRule(r"^事业收入$", ("final_02_income",), "合计", "事业收入"),
    SubjectRule(r"^经营收入$", ("final_02_income",), "合计", "经营收入"),
    SubjectRule(r"^附属单位上缴收入$", ("final_02_income",), "合计", "附属单位上缴收入"),
    SubjectRule(r"^其他收入$", ("final_02_income",), "合计", "其他收入"),
    SubjectRule(r"^(一般公共预算)?财政拨款基本支出$", ("final_05_general_budget_expenditure",), "合计", "基本支出"),
    SubjectRule(r"^基本支出$", ("final_03_expenditure",), "合计", "基本支出"),
    SubjectRule(r"^项目支出$", ("final_03_expenditure",), "合计", "项目支出"),
    SubjectRule(r"^上缴上级支出$", ("final_03_expenditure",), "合计", "上缴上级支出"),
    SubjectRule(r"^经营支出$", ("final_03_expenditure",), "合计", "经营支出"),
    SubjectRule(r"^对附属单位补助支出$", ("final_03_expenditure",), "合计", "对附属单位补助支出"),
    SubjectRule(r"^一般公共预算财政拨款((决算)?支出)?$", ("final_05_general_budget_expenditure",), "合计", ""),
    SubjectRule(r"^人员经费$", ("final_06_basic_expenditure_by_economic",), "人员经费合计", ""),
    SubjectRule(r"^公用经费$", ("final_06_basic_expenditure_by_economic",), "公用经费合计", ""),
    SubjectRule(r"三公经费", ("final_09_three_public",), "", "合计"),
    SubjectRule(r"因公出国", ("final_09_three_public",), "", "因公出国"),
    SubjectRule(r"公务用车购置(费)?(支出)?$", ("final_09_three_public",), "", "公务用车购置费"),
    SubjectRule(r"公务用车运行(维护)?(费)?(支出)?$", ("final_09_three_public",), "", "公务用车运行维护费"),
    SubjectRule(r"公务用车购置及运行(维护)?(费)?(支出)?$", ("final_09_three_public",), "", "小计"),
    SubjectRule(r"公务接待费", ("final_09_three_public",), "", "公务接待费"),
    SubjectRule(r"^政府采购(支出)?(总额|合计)?$", ("final_10_related_statistics",), "合计", ""),
    SubjectRule(r"^(政府采购)?货物(类)?(采购)?(支出)?$", ("final_10_related_statistics",), "货物", ""),
    SubjectRule(r"^(政府采购)?工程(类)?(采购)?(支出)?$", ("final_10_related_statistics",), "工程", ""),
    SubjectRule(r"^(政府采购)?服务(类)?(采购)?(支出)?$", ("final_10_related_statistics",), "服务", ""),
    SubjectRule(r"^政府性基金预算财政拨款", ("final_07_government_fund",), "", ""),
    SubjectRule(r"^国有资本经营预算财政拨款", ("final_08_state_capital",), "", ""),
    SubjectRule(r"(国内|外事|国境外|其他国内公务)接待(费)?(支出)?$", ("final_09_three_public",), "", "公务接待费", restates=False),
    SubjectRule(r"^机关运行经费(支出)?$", ("final_10_related_statistics",), "", "", restates=False),
    # budgets (预算): the same lines in the budget tables; a rule is taken only where the
    # document prints one of its templates, so final and budget rules can share a phrase
    *(SubjectRule(phrase, ("budget_income_expenditure_summary",), row, "", side) for phrase, row, side in (
        (r"^(收入支出|收支)(预算)?总(计|预算)?(均|各)?$", "收入总计|收入合计|收入总数", "收入"),
        (r"(^|局|院|委|会|厅|办|室|部|中心|部门|单位|本级)(本年)?(预算)?收入(预算)?(总计|合计|总额)?$", "收入总计|收入合计|本年收入合计|收入总数", "收入"),
        (r"(^|局|院|委|会|厅|办|室|部|中心|部门|单位|本级)(本年)?(预算)?支出(预算)?(总计|合计|总额)?$", "支出总计|支出合计|本年支出合计|支出总数", "支出"),
        (r"^(本年)?收入合计$", "本年收入合计|收入合计|收入总计", "收入"),
        (r"^(本年)?支出合计$", "本年支出合计|支出合计|支出总计", "支出"),
        (r"^(一般公共预算)?财政拨款(收入)?$", "财政拨款收入|一般公共预算拨款收入|一般公共预算拨款|一般公共预算", "收入"),
        # '一般公共预算拨款 37,891.58 万元' in a 收入预算 sentence: the 收支总表's line (重庆 prints
        # 一般公共预算资金), never the row so named under 上年结转 in another table
        (r"^一般公共预算(拨款)?(收入|资金)$|^一般公共预算拨款$",
         "一般公共预算|一般公共预算拨款收入|一般公共预算拨款|一般公共预算收入|一般公共预算资金", "收入"),
        # '当年拨款': this year's appropriation, the 收支总表's line (a 财政拨款收支总表 may print
        # the carried-over funds apart)
        (r"^一般公共预算当年拨款(收入)?$", "一般公共预算|一般公共预算拨款收入|一般公共预算拨款|一般公共预算资金|一般公共预算收入", "收入"),
        (r"^政府性基金(预算)?(财政)?(拨款)?(收入|资金)$|^政府性基金(预算)?(财政)?拨款$|^政府性基金(预算)?当年拨款(收入)?$",
         "政府性基金预算|政府性基金拨款收入|政府性基金预算拨款收入|政府性基金预算拨款|政府性基金预算资金|政府性基金收入", "收入"),
        (r"^国有资本经营(预算)?(拨款)?收入$", "国有资本经营预算|国有资本经营预算拨款收入|国有资本经营预算收入", "收入"),
        (r"^事业收入$", "事业收入", "收入"),
        (r"^事业单位经营收入$|^经营收入$", "事业单位经营收入|经营收入", "收入"),
        (r"^其他收入$", "其他收入", "收入"),
        (r"^上级补助收入$", "上级补助收入", "收入"),
        (r"^附属单位上缴收入$", "附属单位上缴收入", "收入"),
        (r"^(上年|年初)?结转(和)?结余$|^上年结转$", "上年结转|上年结转结余|年初结转和结余|上年结转和结余", "收入"),
    )),
    SubjectRule(r"^财政拨款(支出)?(总计|合计)?$", ("budget_appropriation_summary",), "支出总计|支出合计|本年支出合计", "", "支出"),
    SubjectRule(r"^财政拨款收入(总计|合计)?$|^财政拨款收支(预算)?总(计|预算)?(均|各)?$", ("budget_appropriation_summary",), "收入总计|收入合计|本年收入合计", "", "收入"),
    SubjectRule(r"^一般公共预算(财政)?(拨款)?支出$", ("budget_appropriation_summary",), "支出总计|支出合计|本年支出合计", "一般公共预算", "支出"),
    SubjectRule(r"^一般公共预算(财政)?(拨款)?支出$", ("budget_general_by_function", "budget_appropriation_expenditure"), "合计|总计", ""),
    SubjectRule(r"^政府性基金(预算)?(财政)?(拨款)?支出$", ("budget_government_fund",), "合计|总计", ""),
    SubjectRule(r"^国有资本经营预算(财政)?(拨款)?支出$", ("budget_state_capital",), "合计|总计", ""),
    SubjectRule(r"^基本支出$", ("budget_expenditure_summary", "budget_general_by_function"), "合计|总计", "基本支出"),
    SubjectRule(r"^项目支出$", ("budget_expenditure_summary", "budget_general_by_function"), "合计|总计", "项目支出"),
    SubjectRule(r"^(一般公共预算)?(财政拨款)?基本支出$", ("budget_general_by_function", "budget_basic_by_economic"), "合计|总计", "基本支出"),
    SubjectRule(r"^(一般公共预算)?(财政拨款)?项目支出$", ("budget_general_by_function",), "合计|总计", "项目支出"),
    SubjectRule(r"^人员经费(支出)?$", ("budget_basic_by_economic",), "合计|总计", "人员经费"),
    SubjectRule(r"^(日常)?公用经费(支出)?$", ("budget_basic_by_economic",), "合计|总计", "公用经费"),
    SubjectRule(r"三公经费", ("budget_three_public",), "", "合计"),
    SubjectRule(r"因公出国", ("budget_three_public",), "", "因公出国"),
    SubjectRule(r"公务用车购置(费)?(支出)?$", ("budget_three_public",), "", "购置费"),
    SubjectRule(r"公务用车运行(维护)?(费)?(支出)?$", ("budget_three_public",), "", "运行"),
    SubjectRule(r"公务用车购置及运行(维护)?(费)?(支出)?$", ("budget_three_public",), "", "小计"),
    SubjectRule(r"公务接待费", ("budget_three_public",), "", "公务接待费"),
    SubjectRule(r"会议费", ("budget_three_public",), "", "会议费"),
    SubjectRule(r"培训费", ("budget_three_public",), "", "培训费"),
    SubjectRule(r"机关运行经费", ("budget_running_costs", "budget_three_public"), "", "机关运行经费"),
    # '所属各预算单位政府采购预算', '湖州市交通运输局各单位政府采购预算': the issuer's, or its units' together
    SubjectRule(r"^(我部门|本部门|本单位|所属各预算单位|.{2,30}?(局|院|委|会|厅|办|室|部|中心|部门|单位|本级|[)）]))?"
                r"政府采购(支出)?(预算)?(总金额|总额|总|合计|安排)?$", ("budget_procurement",), "合计|总计", ""),
    SubjectRule(r"^一般公共预算(拨款)?政府采购(支出)?(预算)?$", ("budget_procurement",), "合计|总计", "一般公共预算"),
    SubjectRule(r"^相应安排支出$", ("budget_income_expenditure_summary",), "支出总计|支出合计|本年支出合计|支出总数", "", "支出"),
)
# a 类/款/项 or economic item named in the narrative: the table the section explains
_SECTION_TABLES = (
    ("一般公共预算财政拨款支出", "final_05_general_budget_expenditure"),
    ("基本支出", "final_06_basic_expenditure_by_economic"),
    ("政府性基金", "final_07_government_fund"),
    ("国有资本经营", "final_08_state_capital"),
    ("支出决算", "final_03_expenditure"),
    ("收入决算", "final_02_income"),
    ("一般公共预算", "budget_general_by_function"),
    ("财政拨款支出", "budget_appropriation_expenditure"),
    ("支出", "budget_expenditure_summary"),
    ("基本支出", "budget_basic_by_economic"),
    ("一般公共预算", "budget_general_by_economic"),
    ("收入", "budget_income_summary"),
)


def _column_part(path: str | None, template: str) -> str:
    """The part of a column path a rule's column names: the whole path, but in a budget 三公
    table only the last header ('公务用车购置及运行费/运行费', not its parent's 运行)."""
    if template == "budget_three_public" and path and "/" in path:
        return path.rsplit("/", 1)[1]
    return path or ""


def _rule(subject: str, templates: set[str]) -> SubjectRule | None:
    """The rule for a normalised subject: the first whose phrase it matches among the rules
    whose tables the document prints, else the first whose phrase it matches."""
    matching = [r for r in SUBJECT_RULES if re.search(r.phrase, subject)]
    return next((r for r in matching if any(t in templates for t in r.templates)), matching[0] if matching else None)


def _first_column(values: list[dict[str, Any]]) -> dict[str, Any] | None:
    return min(values, key=lambda v: v["column_index"]) if values else None


def _lookup(rule: SubjectRule, by_template: dict[str, list[dict[str, Any]]], figure: str) -> dict[str, Any] | None:
    for template in rule.templates:
        candidates = [v for v in by_template.get(template, []) if v["value_kind"] == "amount"]
        if rule.side:
            candidates = [v for v in candidates if rule.side in (v["side"] or "")]
        if rule.row:  # 'a|b': the first of the rows the table prints
            rows = rule.row.split("|")
            candidates = [v for v in candidates if _norm(v["line_item"]) in rows]
            first = min((rows.index(_norm(v["line_item"])) for v in candidates), default=None)
            candidates = [v for v in candidates if rows.index(_norm(v["line_item"])) == first]
        if template == "final_09_three_public":
            wanted = "预算数" if figure == "budget" else "决算数"
            candidates = [v for v in candidates if wanted in (v["column_path"] or "")]
        if template == "budget_three_public" and "三公" in rule.phrase + rule.column:
            candidates = [v for v in candidates if "机关运行" not in (v["column_path"] or "") + (v["line_item"] or "")]
        if rule.column:
            by_column = [v for v in candidates if rule.column in _norm(_column_part(v["column_path"], template))]
            if template in ("final_09_three_public", "budget_three_public") and rule.column == "合计":
                by_column = [v for v in by_column if "/合计" in (v["column_path"] or "")]
            if not by_column and template.startswith("budget_") and not rule.row:
                # a budget table may print the items as rows ('公务接待费' | 预算数)
                by_column = [v for v in candidates if rule.column in _norm(v["line_item"])]
            candidates = by_column
        candidates = _latest_year(candidates, by_template.get(template, []))
        found = _first_column(candidates)
        if found:
            return found
    return None


def _latest_year(values: list[dict[str, Any]], table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of `values`, when the columns of their `table` name different years ('2025年预算数 |
    2026年预算数', 烟台's and 重庆's 三公 tables print both side by side), those of the latest:
    the document's own year — none when this year's cell is blank (its 2025 neighbour is not
    this year's figure). A narrative's figure of last year is a change or a prior figure,
    resolved elsewhere."""
    years = {y for v in table for y in re.findall(r"(\d{4})年", v["column_path"] or "")}
    if len(years) < 2:
        return values
    latest = f"{max(years)}年"
    return [v for v in values if latest in (v["column_path"] or "")]


_CHAIN = re.compile(r"([^（()）]+?)[（(](\d*)(类|款|项)[)）]")


def _by_chain(subject: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row a '…（类）…（款）…（项）' chain names: the last name, whose code's prefixes carry
    the names before it (行政运行 under 群众团体事务, not under another 款)."""
    found = _CHAIN.findall(subject)
    code = chain_code(subject)
    if code:  # '（204类）…（06款）…（01项）': the codes say which line
        return next((v for v in rows if v["function_code"] == code), None)
    chain = [(_norm(name), level) for name, _, level in found]
    length = {"类": 3, "款": 5, "项": 7}
    if len(chain) == 1:  # '一般公共服务支出（类）'
        name, level = chain[0]
        coded = next((v for v in rows if len(v["function_code"] or "") == length[level]
                      and _same_class_name(v["line_item"], name)), None)
        return coded or _by_sequence(chain, rows)
    if not chain:
        return None
    if not any(v["function_code"] for v in rows):
        return _by_sequence(chain, rows)
    names = {v["function_code"]: _norm(v["line_item"]) for v in rows if v["function_code"]}
    last_name, last_level = chain[-1]
    for v in rows:
        code = v["function_code"] or ""
        if len(code) != length[last_level] or _norm(v["line_item"]) != last_name:
            continue
        if all(names.get(code[: length[level]]) == name for name, level in chain[:-1] if length[level] < len(code)):
            return v
    return None


def _same_class_name(printed: str | None, named: str) -> bool:
    """A table's name and the narrative's for one line: equal, or the narrative leaves off the
    class's 支出 ('一般公共服务（类）' for 一般公共服务支出)."""
    printed = _norm(printed)
    return printed == named or printed == named + "支出"


def _by_sequence(chain: list[tuple[str, str]], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A chain in a table that prints names without codes (its hierarchy by order and indent):
    each link is the first row so named after the previous link's row, in one table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for v in rows:
        tables.setdefault(v["table_id"], []).append(v)
    for values in tables.values():
        ordered = sorted(values, key=lambda v: (v["row_index"], v["column_index"]))
        position, found = -1, None
        for name, _ in chain:
            found = next((v for v in ordered if v["row_index"] > position and _same_class_name(v["line_item"], name)), None)
            if found is None:
                break
            position = found["row_index"]
        if found is not None:
            return found
    return None


def chain_code(subject: str | None) -> str | None:
    """The 功能分类 code a '公共安全支出（204类）司法（06款）行政运行（01项）' chain prints
    (2040601), when every link prints its code; None otherwise."""
    found = _CHAIN.findall(subject or "")
    if not found or not all(code for _, code, _ in found):
        return None
    joined = "".join(code for _, code, _ in found)
    return joined if len(joined) == {"类": 3, "款": 5, "项": 7}[found[-1][2]] else None


def chain_names(subject: str | None) -> list[tuple[str, str, str]]:
    """The links of a '…（类）…（款）…（项）' chain: (name as printed, code printed or '', level)."""
    return [(name.strip("，,：:、 "), code, level) for name, code, level in _CHAIN.findall(subject or "")]


def _by_name(subject: str, section: str | None, by_template: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """A 类/款/项 or economic item named by the subject, in the table the section explains."""
    name = _norm(subject)
    if not name:
        return None
    order = [t for key, t in _SECTION_TABLES if section and key in section]
    order += [t for _, t in _SECTION_TABLES if t not in order]
    for template in order:
        amounts = [v for v in by_template.get(template, []) if v["value_kind"] == "amount"]
        chained = _by_chain(subject, amounts)
        if chained is not None:
            return _first_column([v for v in amounts if v["row_index"] == chained["row_index"]
                                  and v["table_id"] == chained["table_id"]])
        rows = [v for v in by_template.get(template, [])
                if v["value_kind"] == "amount" and (v["function_code"] or v["economic_code"])
                and _norm(v["line_item"]) == name]
        found = _first_column(rows)
        if found:
            return found
    return None


def _budget_line(subject: str, by_template: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """A budget line the narrative names by its printed name: a line of a 收支总表, or a column
    of the 收入总表 / 支出总表 on its total row ('上缴上级支出0万元', '财政专户管理资金收入0万元')."""
    if not subject:
        return None
    for template in ("budget_income_expenditure_summary", "budget_appropriation_summary"):
        found = _first_column([v for v in by_template.get(template, []) if v["value_kind"] == "amount"
                               and _norm(v["line_item"]) == subject])
        if found:
            return found
    for template in ("budget_income_summary", "budget_expenditure_summary"):
        totals = [v for v in by_template.get(template, []) if v["value_kind"] == "amount"
                  and _norm(v["line_item"]) in ("合计", "总计") and v["column_path"]]
        for name in (subject, re.sub("收入$", "", subject)):
            found = _first_column([v for v in totals if _norm(v["column_path"].rsplit("/", 1)[-1]) == name])
            if found:
                return found
    return None


# a unit's figure the 支出总表 prints in a column of the unit's row: '纳入2026年部门预算的政府采购项目
# 共有2,328.79万元' (its 政府采购项目 小计), '所有项目支出预算纳入部门预算绩效管理，涉及预算资金
# 1,612.29万元' (its 项目支出); (subject, what the sentence must say, the column's last header)
_UNIT_COLUMNS = (
    (re.compile(r"政府采购项目(共有|合计|总额|总计)?$"), "", ("小计", "合计", "总计"), "政府采购"),
    (re.compile(r"^涉及预算资金$"), "项目支出", ("项目支出",), ""),
)


def _unit_total(claim: Claim, subject: str, by_template: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """A unit's total the narrative states under the unit's name, read from the 收入总表 /
    支出总表 row that names it: '2026年深圳市信访局部门预算支出4,684.30万元' is the 支出总计 of the
    row 深圳市信访局; '深圳市城管局（本级）纳入…部门预算的政府采购项目共有2,328.79万元' the 政府采购项目
    小计, and '…所有项目支出预算纳入部门预算绩效管理，涉及预算资金X万元' the 项目支出, of the row the
    sentence names (of the table's first row when it names none: the document's own)."""
    rows = [v for v in by_template.get("budget_expenditure_summary", []) if v["value_kind"] == "amount"]
    sentence = _norm(claim.sentence)
    for phrase, said, last, path in _UNIT_COLUMNS:
        if not phrase.search(subject) or said not in sentence:
            continue
        column = [v for v in rows if path in (v["column_path"] or "")
                  and _norm((v["column_path"] or "").rsplit("/", 1)[-1]) in last]
        named = [v for v in column if len(_norm(v["line_item"])) >= 4 and _norm(v["line_item"]) in sentence]
        longest = max((len(_norm(v["line_item"])) for v in named), default=0)
        candidates = [v for v in named if len(_norm(v["line_item"])) == longest] or column
        first = min(((v["table_ordinal"], v["row_index"]) for v in candidates), default=None)
        return _first_column([v for v in candidates if (v["table_ordinal"], v["row_index"]) == first])
    name = re.sub(r"(部门|单位)$", "", subject)
    if len(name) < 4:
        return None
    after = _norm(claim.sentence).split(subject, 1)
    said = after[1][:6] if len(after) == 2 else ""
    template = ("budget_expenditure_summary" if re.match(r"(预算)?支出", said)
                else "budget_income_summary" if re.match(r"(预算)?收入", said) else None)
    if template is None:
        return None
    own = [v for v in by_template.get(template, []) if v["value_kind"] == "amount" and _norm(v["line_item"]) == name]
    first = min(((v["table_ordinal"], v["row_index"]) for v in own), default=None)
    return _first_column([v for v in own if (v["table_ordinal"], v["row_index"]) == first])


def _function_classes() -> dict[str, str]:
    """The 功能分类 类 names (ingest/interpret/function_classes.csv), to resolve a 类 the narrative
    names although the table prints no row for it ('外交支出0.00万元')."""
    with (Path(__file__).with_name("function_classes.csv")).open(encoding="utf-8") as f:
        return {_norm(row["name"]): row["code"] for row in csv.DictReader(f)}


def resolve(claims: list[Claim], values: list[dict[str, Any]], templates: set[str],
            projects: frozenset[str] | set[str] = frozenset()) -> list[dict[str, Any]]:
    """Claim records for landing. A claim is resolved when its subject is found in the
    document's tables: to the value it restates (`restated_value_id`, for an amount), to the
    line it is about (`subject_value_id`, for a share, change or rate), or — where the table
    leaves the line blank or prints no row — to the table, 类 or project it names
    (`resolved_to`; `projects` are the project names the document's tables print). A share
    also gets the total it divides (`denominator_value_id`)."""
    by_template: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        by_template.setdefault(v["template_id"], []).append(v)
    classes = _function_classes()
    units = _unit_blocks({c.section for c in claims}, values)
    records: list[dict[str, Any]] = []
    resolved_in_sentence: dict[int, list[dict[str, Any]]] = {}
    lead: dict[str | None, dict[str, Any] | None] = {}  # per section: the total the shares after it divide
    listing: dict[str | None, bool] = {}  # per section: within the project list 项目支出 opened
    for claim in claims:
        if claim.sentence_index not in resolved_in_sentence:
            resolved_in_sentence[claim.sentence_index] = []
            if _NUMBERED.match(claim.sentence):
                lead[claim.section] = None  # a numbered paragraph ('2.按支出用途分类，…') starts afresh
        target, resolved_to, function_code = None, None, None
        subject = _norm(_as_chain(claim.subject))
        # '财政拨款收入预算总计', '省检察院本年收入预算合计': the total of that line
        subject = re.sub(r"(?<=收入|支出)预算(?=总计|合计|总额)", "", subject)
        if _SUBHEADED.match(claim.sentence) and claim.claim_index == 0:
            listing.pop(claim.section, None)  # '（六）…': the project list before it has ended
        chained = bool(_CHAIN.search(claim.subject or ""))
        # a line named with its 类/款/项 is read by its chain, never by the rules for lines named in
        # words ('法院（款）其他法院支出（项）' is not the 支出 of an issuer whose name ends in 院)
        rule = _rule(subject, templates) if subject and not chained else None
        block = units.get(claim.section or "")
        if claim.measure != "count" and subject and not chained and _PERFORMANCE.search(claim.sentence[:claim.position]):
            # a figure of the projects a 绩效 sentence speaks of ('…开展部门重点绩效评价，涉及预算资金
            # 5450万元，其中财政拨款5450万元' is not the department's 财政拨款): a project the tables
            # print by name, or a unit's column the sentence names, or nothing
            rule = None
            target = _unit_total(claim, subject, by_template)
            if target is None and (project := _project(subject, projects)):
                resolved_to = f"项目 {project}"
        elif claim.measure != "count" and subject and block is not None:
            # a section about one of the department's units ('二、深圳市水务工程质量安全监督站'):
            # its lines are the rows under that unit's row, never the department's totals
            target = _in_block(subject, block)
            if target is None:
                rule = None
        elif claim.measure != "count" and subject:
            figure = "budget" if claim.measure == "budget_amount" else "actual"
            if rule:
                target = _lookup(rule, by_template, figure)
                if target is None and any(t in templates for t in rule.templates):
                    resolved_to = next(t for t in rule.templates if t in templates) + (f": {rule.column or rule.row}" if (rule.column or rule.row) else "")
            else:
                target = _by_code(claim.subject or "", values) or _by_names(claim.subject, values) or _by_name(_as_chain(claim.subject) or "", claim.section, by_template) or (
                    _by_name(re.sub("支出$", "", claim.subject or ""), claim.section, by_template)
                    if (claim.subject or "").endswith("费支出") else None)
            if target is None and resolved_to is None:
                target = _budget_line(subject, by_template) or _unit_total(claim, subject, by_template)
            if target is None and resolved_to is None and subject in classes:
                function_code = classes[subject]
                resolved_to = f"功能分类 {function_code}"
            if target is None and resolved_to is None and (project := _project(subject, projects)):
                resolved_to = f"项目 {project}"
        if listing.get(claim.section) and not chained and (
                function_code or (target is not None and (target["function_code"] or target["economic_code"]))):
            # an item of the list that 项目支出 opens is a group of projects (a row the table prints
            # under 项目支出, or a project), never a class of its name: 深圳退役军人's '2.退役安置
            # 170.68 万元' is not the 款 20809 退役安置
            target, function_code = None, None
            resolved_to = f"项目 {project}" if (project := _project(subject, projects)) else None
        if target is not None:
            resolved_to = f"{target['template_id']}: {target['line_item'] or ''} / {target['column_path'] or ''}"
            function_code = target.get("function_code")
        amount_yuan = (to_yuan(claim.value, claim.unit) if claim.unit in UNIT_MULTIPLIERS
                       else Decimal(0) if claim.unit == "" and claim.value == 0 else None)
        # a budget figure restates a table value only where the table prints the budget (三公 预算数)
        restates = target if target is not None and (rule is None or rule.restates) and (
            claim.measure == "amount"
            or (claim.measure == "budget_amount" and ("预算数" in (target["column_path"] or "")
                                                     or target["template_id"].startswith("budget_")))) else None
        if restates is not None and amount_yuan is not None and (held := _same_line_holding(restates, values, claim, amount_yuan)):
            # the stated figure is the same line's in another column of its row or in another
            # table (the narrative's scope: all funds or 财政拨款, 小计 or its leaf): that cell
            target = restates = held
            resolved_to = f"{target['template_id']}: {target['line_item'] or ''} / {target['column_path'] or ''}"
        if restates is not None and amount_yuan is not None and (summed := _summed_lines(restates, values, claim, amount_yuan)):
            # the narrative states the line's total over the rows a table prints under its name
            # (杭州's 一般公共预算 of this year and of last year's carry-over): resolved to the first
            # of them, restating none
            parts, target = summed
            restates = None
            resolved_to = (f"{target['template_id']}: {target['line_item'] or ''} / {target['column_path'] or ''}"
                           f" (sum of the {parts} rows of this line)")
        if restates is not None and amount_yuan is not None and _ALL_APPROPRIATIONS.match(subject) and (
                funds := _fund_lines(restates, values)):
            # a bare 财政拨款 read from the 一般公共预算 line (the table prints no 财政拨款 line) where
            # another fund is appropriated too: the funds' lines together (苏州水务's 92,596.24 =
            # 一般公共预算 48,592.98 + 政府性基金 44,003.26), resolved to the first, restating none
            target, restates = funds[0], None
            total = sum((Decimal(str(v["amount_yuan"])) for v in funds), Decimal(0))
            stated = Decimal(str(amount_yuan))
            half = UNIT_MULTIPLIERS[claim.unit] * Decimal(5) / Decimal(10) ** (int(claim.decimals or 0) + 1)
            resolved_to = f"{target['template_id']}: {target['line_item'] or ''} / {target['column_path'] or ''}" + (
                f" (sum of the {len(funds)} funds' lines)" if abs(total - stated) <= half * len(funds) else "")
        denominator = None
        if claim.measure == "share":
            named = _norm(_LEADING.sub("", claim.share_of or ""))
            named = re.sub(r"总额$", "", named) if named.endswith("支出总额") else named
            total_rule = next((r for r in SUBJECT_RULES if re.search(r.phrase, named)), None) if named else None
            denominator = _lookup(total_rule, by_template, "actual") if total_rule else None
            if denominator is None and target is not None and not named:
                candidates = [lead.get(claim.section), *resolved_in_sentence.get(claim.sentence_index, [])]
                denominator = next((v for v in candidates if v is not None and v["value_id"] != target["value_id"]), None)
            if resolved_to is None and denominator is not None:
                resolved_to = f"share of {denominator['template_id']}: {denominator['line_item'] or ''}"
        if restates is not None and claim.measure == "amount" and not _in_a_breakdown(claim):
            # the figures of the sentence a share may divide: not an item with its own share
            resolved_in_sentence[claim.sentence_index].append(restates)
        if subject == "项目支出" and _opens_a_list(claim):
            listing[claim.section] = True  # '（五）项目支出 52,660.55 万元，具体包括：1.综合管理…'
        if claim.measure == "amount" and not _in_a_breakdown(claim):
            # the total the shares after it divide: the latest figure of the section that is not
            # an item of a breakdown, resolved or not. A total left unresolved leaves its shares
            # unchecked instead of dividing them by an earlier figure or by one of the items (the
            # audit of unseen documents: 杭州's and 湖州's shares of 收入合计 divided by
            # 一般公共预算, or by a 三公 cell of an earlier paragraph)
            lead[claim.section] = restates
        records.append({
            "claim_index": claim.claim_index,
            "sentence_index": claim.sentence_index,
            "section": claim.section,
            "part": claim.part,
            "sentence": claim.sentence,
            "subject": claim.subject,
            "measure": claim.measure,
            "published_value": claim.value,
            "unit": claim.unit,
            "decimals": claim.decimals,
            "amount_yuan": amount_yuan,
            "raw_text": claim.raw_text,
            "share_of": claim.share_of,
            "position": claim.position,
            "resolved_to": resolved_to,
            "resolved_function_code": function_code,
            "subject_value_id": target["value_id"] if target else None,
            "restated_value_id": restates["value_id"] if restates else None,
            "denominator_value_id": denominator["value_id"] if denominator else None,
            "page": claim.page,
            "line_no": claim.line,
        })
    return records


_ALL_APPROPRIATIONS = re.compile(r"^财政拨款(收入)?$")
_FUND = re.compile(r"^(一般公共预算|政府性基金|国有资本经营)")


def _fund_lines(target: dict[str, Any], values: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """When `target` is a fund's line (一般公共预算…) and its table prints another fund's line with
    an amount in the same column: the first line of each fund there (this year's, before any
    上年结转 rows so named), the target's fund first."""
    if not _FUND.match(_norm(target["line_item"])):
        return None
    firsts: dict[str, dict[str, Any]] = {}
    for v in sorted((v for v in values if v["table_id"] == target["table_id"] and v["value_kind"] == "amount"
                     and v["column_path"] == target["column_path"] and v["amount_yuan"] is not None),
                    key=lambda v: v["row_index"]):
        if (fund := _FUND.match(_norm(v["line_item"]))) and fund[1] not in firsts:
            firsts[fund[1]] = v
    others = [v for v in firsts.values() if v["value_id"] != target["value_id"] and v["amount_yuan"] != 0]
    return [target, *others] if others else None


def _project(subject: str, projects: frozenset[str] | set[str]) -> str | None:
    """The project the tables print under the subject's name ('…项目资金' names the project)."""
    bare = re.sub(r"(项目)?(资金|经费)?$", "", subject)
    return next((p for p in projects if _norm(p) and _norm(p) in (bare, subject)), None)


def _same_line_holding(target: dict[str, Any], values: list[dict[str, Any]], claim: Claim,
                       amount_yuan: Any) -> dict[str, Any] | None:
    """When the claim's amount is not the target's own value (within half a unit of its last
    printed digit): the cell of the same line that holds it — another column of the target's
    row (not one of another year: a figure of the wrong year is a finding), or the line's cell
    in another table (the same 功能分类 code, else — a table printing no codes — the same name).
    The narrative's scope decides which table it quotes (重庆's 支出预算 of all funds against
    表一, not the 一般公共预算 table; 上海's 财政拨款 against the 财政拨款 tables; 广州's
    公务用车运行维护费 beside the 购置及运行 小计), and the lookup by name cannot see it; the line
    and the stated figure together can."""
    if claim.unit not in UNIT_MULTIPLIERS or target["amount_yuan"] is None:
        return None
    stated = Decimal(str(amount_yuan))
    half = UNIT_MULTIPLIERS[claim.unit] * Decimal(5) / Decimal(10) ** (int(claim.decimals or 0) + 1)
    if abs(Decimal(str(target["amount_yuan"])) - stated) <= half or stated == 0:
        return None
    years = set(re.findall(r"\d{4}年", target["column_path"] or ""))
    code, name = target["function_code"], _norm(target["line_item"])

    def same_line(v: dict[str, Any]) -> bool:
        if v["table_id"] == target["table_id"] and v["row_index"] == target["row_index"]:
            return set(re.findall(r"\d{4}年", v["column_path"] or "")) <= years
        if v["table_id"] == target["table_id"]:
            return False
        if code and v["function_code"]:
            return v["function_code"] == code
        # a table printing its classes by name only (江苏's 收支预算总表: '一、一般公共服务支出')
        return bool(name) and _norm(v["line_item"]) == name

    holding = [v for v in values if v["value_kind"] == "amount" and v["amount_yuan"] is not None
               and v["value_id"] != target["value_id"] and abs(Decimal(str(v["amount_yuan"])) - stated) <= half
               and same_line(v)]
    # the target's own row first, then a line of its code, then one of its name only
    return min(holding, key=lambda v: (v["table_id"] != target["table_id"], bool(code) and v["function_code"] != code,
                                       v["table_ordinal"], v["row_index"], v["column_index"]), default=None)


def _summed_lines(target: dict[str, Any], values: list[dict[str, Any]], claim: Claim,
                  amount_yuan: Any) -> tuple[int, dict[str, Any]] | None:
    """When the claim's amount is not the target's own value (within half a unit of the
    claim's last printed digit) but the sum of the rows one table prints under the target's
    line name in one column (widened by one such unit per row summed): how many, and the first
    of them. 杭州's 一般公共预算当年拨款 is the 财政拨款收支总表's 一般公共预算 of this year plus
    that of last year's carry-over, printed under the same name; 深圳市委宣传部's 政府性基金预算收入
    is its 政府性基金预算拨款 plus the row '政府性基金预算拨款结余、结转'."""
    if claim.unit not in UNIT_MULTIPLIERS or target["amount_yuan"] is None:
        return None
    stated = Decimal(str(amount_yuan))
    half = UNIT_MULTIPLIERS[claim.unit] * Decimal(5) / Decimal(10) ** (int(claim.decimals or 0) + 1)
    if abs(Decimal(str(target["amount_yuan"])) - stated) <= half:
        return None
    name = _norm(target["line_item"])
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for v in values:
        line = _norm(v["line_item"])
        # the line, or its carry-over printed apart ('政府性基金预算拨款结余、结转')
        if (v["value_kind"] == "amount" and v["amount_yuan"] is not None and line.startswith(name)
                and (line == name or re.fullmatch(r"(上年)?(结余|结转|和)+", line[len(name):]))):
            groups.setdefault((v["table_id"], v["column_path"] or ""), []).append(v)
    ordered = sorted(groups.values(), key=lambda rows: rows[0]["table_id"] != target["table_id"])
    for rows in ordered:
        total = sum((Decimal(str(v["amount_yuan"])) for v in rows), Decimal(0))
        if len(rows) >= 2 and abs(total - stated) <= half * (len(rows) + 1):
            return len(rows), min(rows, key=lambda v: v["row_index"])
    return None


def _unit_blocks(sections: set[str | None], values: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows each unit-named section speaks of. A department's budget may explain each of
    its units in a section of its own ('二、深圳市水务工程质量安全监督站') and print, in one
    table, each unit's row followed by that unit's lines. A section whose title is a row of a
    table gets the rows under that row, up to the next row so named, in every such table."""
    names = {_norm(re.sub(r"^[一二三四五六七八九十]+、", "", s)): s for s in sections if s}
    names = {n: s for n, s in names.items() if len(n) >= 4}
    heads = [v for v in values if v["value_kind"] == "amount" and _norm(v["line_item"]) in names]
    if not heads:
        return {}
    starts: dict[str, list[tuple[str, int]]] = {}
    for v in heads:
        starts.setdefault(v["table_id"], []).append((_norm(v["line_item"]), v["row_index"]))
    blocks: dict[str, list[dict[str, Any]]] = {}
    for table_id, found in starts.items():
        rows = sorted(set(found), key=lambda f: f[1])
        for i, (name, start) in enumerate(rows):
            end = rows[i + 1][1] if i + 1 < len(rows) else None
            blocks.setdefault(names[name], []).extend(
                v for v in values if v["table_id"] == table_id and v["value_kind"] == "amount"
                and v["row_index"] >= start and (end is None or v["row_index"] < end))
    return blocks


@lru_cache(maxsize=_NORM_CACHE)
def _line_name(text: str | None) -> str:
    """A line's name for matching the narrative's wording to a table's: without 的 and a
    closing 支出 ('对个人和家庭补助支出' and '对个人和家庭的补助' are one line)."""
    return re.sub(r"支出$", "", _norm(line_item(text or "")).replace("的", ""))


def _in_block(subject: str, block: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The line a unit's section names: a row under the unit's row, or a column of the unit's
    row itself (its 公用经费 in a 基本支出总表 whose columns are 人员经费 and 公用经费)."""
    name = _line_name(subject)
    if not name:
        return None
    first_rows: dict[str, int] = {}
    for v in block:  # the unit's own row: the first of its block in each table
        first_rows[v["table_id"]] = min(first_rows.get(v["table_id"], v["row_index"]), v["row_index"])
    heads = set(first_rows.items())
    rows = [v for v in block if (v["table_id"], v["row_index"]) not in heads and _line_name(v["line_item"]) == name]
    # one line per table: its first amount; tables that print the line with different totals
    # (支出总表 against 基本支出总表) leave it ambiguous, and ambiguous is unresolved
    firsts = [_first_column([v for v in rows if v["table_id"] == t]) for t in dict.fromkeys(v["table_id"] for v in rows)]
    if len({v["amount_yuan"] for v in firsts if v}) > 1:
        return None
    found = firsts[0] if firsts else None
    if found is None:
        columns = [v for v in block if (v["table_id"], v["row_index"]) in heads
                   and _line_name((v["column_path"] or "").rsplit("/", 1)[-1]) == name]
        found = min(columns, key=lambda v: (v["table_ordinal"], v["column_index"])) if columns else None
    return found


# the tables a line named by its function code is read from, in order: the narrative speaks of
# the appropriations (一般公共预算 / 财政拨款), not of the all-funds 支出总表
_FUNCTION_TABLES = ("budget_general_by_function", "budget_appropriation_expenditure", "budget_appropriation_summary")


def _function_table_order(v: dict[str, Any]) -> tuple[int, int, int, int]:
    rank = _FUNCTION_TABLES.index(v["template_id"]) if v["template_id"] in _FUNCTION_TABLES else len(_FUNCTION_TABLES)
    return rank, v["table_ordinal"], v["row_index"], v["column_index"]


_CODED = re.compile(r"^[“\"]?(?P<code>\d{3}(?:\d{2}){0,2})\s*[-—－]\s*(?P<name>\S+?)[”\"]?$")


def _by_code(subject: str, values: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A line named with its 功能分类 code ('2080501-行政单位离退休', '204-公共安全支出'): the
    first amount of that code's row in the first table that prints it, the name agreeing."""
    found = _CODED.match(compact(subject))
    if not found:
        return None
    rows = [v for v in values if v["value_kind"] == "amount" and v["function_code"] == found["code"]
            and "income" not in v["template_id"]  # a line of expenditure, not the income by class
            and _line_name(v["line_item"]) == _line_name(found["name"])]
    if not rows:
        return None
    first = min(rows, key=_function_table_order)
    return _first_column([v for v in rows if v["table_id"] == first["table_id"] and v["row_index"] == first["row_index"]])


_KEMU = re.compile(r"^[“\"]?(?P<names>.+?)[”\"]?科目$")


def _as_chain(subject: str | None) -> str | None:
    """'“卫生健康支出（类）…计划生育事务（项）”科目' → its chain; other subjects as they are."""
    found = _KEMU.match(compact(subject or ""))
    return found["names"] if found else subject


def _by_names(subject: str | None, values: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A line the narrative names as '“类名-款名-项名”科目' or '“类名”科目': the row whose code
    has that name, each shorter prefix of the code carrying the name before it."""
    found = _KEMU.match(compact(subject or ""))
    if not found:
        return None
    names = [_line_name(n) for n in re.split(r"[-—－]", found["names"])]
    if not 1 <= len(names) <= 3 or not all(names):
        return None
    rows = [v for v in values if v["value_kind"] == "amount" and v["function_code"] and "income" not in v["template_id"]]
    named = {(v["table_id"], v["function_code"]): _line_name(v["line_item"]) for v in rows}
    length = (3, 5, 7)[len(names) - 1]
    matches = [v for v in rows if len(v["function_code"]) == length and _line_name(v["line_item"]) == names[-1]
               and all(named.get((v["table_id"], v["function_code"][:n])) in (name, None)
                       for n, name in zip((3, 5), names[:-1], strict=False))]
    if not matches:
        return None
    first = min(matches, key=_function_table_order)
    return _first_column([v for v in matches if v["table_id"] == first["table_id"] and v["row_index"] == first["row_index"]])


def _opens_a_list(claim: Claim) -> bool:
    """Whether the claim's figure is the total its sentence then breaks down (其中：…)."""
    after = claim.sentence[claim.position + len(claim.raw_text):]
    return bool(re.match(r"[，,]?\s*(其中|主要用于|主要包括|具体)", after))


def _in_a_breakdown(claim: Claim) -> bool:
    """Whether the claim's figure is an item of a breakdown: its sentence opened one before it
    ('其中：财政拨款收入…', '包括人员支出…'), or its own share follows it ('…221,493.00万元，占33.3%')."""
    after = claim.sentence[claim.position + len(claim.raw_text):]
    before = claim.sentence[:claim.position]
    return "其中" in before or "包括" in before or bool(re.match(r"[，,]?\s*占", after))


_SUBHEADED = re.compile(r"^\s*([（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")
# a sentence about the projects under 绩效 management or evaluation: the figures after these
# words are theirs (not those before: '…项目支出 X万元，主要用于…绩效评价')
_PERFORMANCE = re.compile(r"绩效(目标管理|评价|自评|运行监控|管理)|涉及(一级)?预算(项目|资金)")
_NUMBERED = re.compile(r"^\s*(\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


AMOUNT_UNITS = ("元", "万元", "亿元")


def explanation_sentences(claims: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The claims of the sentences in sections 一 to 十 of a final account's 情况说明 that carry
    an amount, by sentence: the numbered run whose 一、 is the 收入支出 overview (a document's
    later parts — 绩效自评报告 … — number their sections again)."""
    parts = {c["part"] for c in claims if (c["section"] or "").startswith("一、收入支出")}
    if not parts:
        return {}
    part = min(parts)
    first_ten = tuple(f"{n}、" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十"))
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for c in claims:
        if c["part"] == part and (c["section"] or "").startswith(first_ten):
            by_sentence.setdefault(c["sentence_index"], []).append(c)
    return {k: v for k, v in by_sentence.items() if any(c["unit"] in AMOUNT_UNITS for c in v)}


def budget_sentences(claims: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The claims of a budget's narrative sentences that carry an amount, by sentence. A
    budget's 编制说明 is seldom numbered 一、… 十、 like a final account's 情况说明, so every
    sentence with an amount counts (the project descriptions after it included)."""
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for c in claims:
        by_sentence.setdefault(c["sentence_index"], []).append(c)
    return {k: v for k, v in by_sentence.items() if any(c["unit"] in AMOUNT_UNITS for c in v)}


def unresolved_sentences(claims: list[dict[str, Any]], kind: str = "决算") -> list[dict[str, Any]]:
    """The explanation sentences carrying an amount of which no claim was resolved (a final
    account's sections 一 to 十; every sentence of a budget's narrative)."""
    groups = budget_sentences(claims) if kind == "预算" else explanation_sentences(claims)
    return [group[0] for group in groups.values() if not any(c["resolved_to"] for c in group)]


def claims_from_records(records: list[dict[str, Any]]) -> list[Claim]:
    """The claims as extracted, back from their landed records (to resolve them again against
    another document's tables)."""
    return [
        Claim(r["section"], r["part"], r["sentence"], r["sentence_index"], r["claim_index"], r["subject"],
              r["measure"], r["published_value"], r["unit"], r["decimals"], r["raw_text"], r["share_of"], r["position"],
              r["page"], r["line_no"])
        for r in sorted(records, key=lambda r: (r["sentence_index"], r["claim_index"]))
    ]


# --- sentences no table can resolve -------------------------------------------------------

NO_TABLE_READ = "no table amount landed from the document"
ONLY_CHANGES = "only changes or last year's figures, no figure of this year's tables"
IN_NO_TABLE = "its figures are printed in no table of the document"
ZERO_LINE = "a zero figure for a line the tables do not print"


def unresolvable(group: list[dict[str, Any]], table_amounts: list[Decimal]) -> str | None:
    """Why an unresolved budget sentence has no table figure to resolve against, or None when
    it has one (a sentence the resolution should have resolved). `table_amounts` are the
    amounts (in 元) the document's tables land. A figure is in a table when some table amount
    equals it within half a unit of its last printed digit (the narrative may round)."""
    if not table_amounts:
        return NO_TABLE_READ
    amounts = [c for c in group if c["unit"] in AMOUNT_UNITS and c["amount_yuan"] is not None]
    stated = [c for c in amounts if c["measure"] in ("amount", "budget_amount")]
    if not stated:
        return ONLY_CHANGES if amounts else None
    nonzero = [c for c in stated if c["amount_yuan"] != 0]
    if not nonzero:
        return ZERO_LINE
    ordered = sorted(table_amounts)
    for c in nonzero:
        tolerance = UNIT_MULTIPLIERS[c["unit"]] * Decimal(5) / Decimal(10) ** (int(c["decimals"] or 0) + 1)
        if _any_within(ordered, abs(Decimal(c["amount_yuan"])), tolerance):
            return None
    return IN_NO_TABLE


def _any_within(ordered: list[Decimal], value: Decimal, tolerance: Decimal) -> bool:
    i = bisect_left(ordered, value - tolerance)
    return i < len(ordered) and ordered[i] <= value + tolerance
