"""What a printed line is, by its words: a title, a caption, a table's numbering, a 栏次 row,
a list enumerator. One definition of each, used by the readers and the interpreters alike.

Whether a line names one of the catalogue's tables is the catalogue's knowledge; the readers
get it as a `Titles` (three questions), built by `ingest.catalogue.titles()` and handed to
them, so that reading never imports interpretation.

Pure functions of text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.model import SourceCell

# `compact` (whitespace removed) is defined with the number parser, which is below the
# lexicon; the readers and interpreters take it from here
from ingest.numbers import CellKind, compact, find_unit, parse_cell


def printed_texts(row: Sequence[SourceCell]) -> list[str]:
    """The texts a row prints, compacted, its blank cells left out."""
    return [t for c in row if (t := compact(c.text))]


# -- titles and numbering ------------------------------------------------------------------

# Traditional forms seen in titles (收入決算表) mapped to the simplified ones the catalogue uses.
_TRADITIONAL = str.maketrans(
    "決預總財撥經費國資營體績評項細運關開購據與門單計劃結餘轉紀專門務產採購會議訓",
    "决预总财拨经费国资营体绩评项细运关开购据与门单计划结余转纪专门务产采购会议训",
)
_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")


def normalise_title(text: str) -> str:
    """Comparable form of a title: no whitespace or quotes, ASCII brackets, simplified."""
    text = _NOISE.sub("", text.translate(_TRADITIONAL))
    return text.replace("（", "(").replace("）", ")").replace("，", "、").replace(",", "、")


_NUMBER_FORMS = (
    r"公开\s*\d{1,2}\s*表|公开表\s*[\d一二三四五六七八九十]+|预算\s*\d{1,2}\s*表|"
    r"表\s*\d{1,2}(?:-\d+)?|表[一二三四五六七八九十]+|附件\s*\d{1,2}"
)
_NUMBERING = re.compile(f"({_NUMBER_FORMS})")


def find_numbering(text: str) -> str | None:
    """The printed numbering of a table ('公开01表', '表13-1'), when the line carries one."""
    match = _NUMBERING.search(text)
    return compact(match.group(1)) if match else None


@dataclass(frozen=True)
class Titles:
    """What the catalogue knows about printed lines, as the readers ask it."""

    title_in: Callable[[str], str | None]  # the catalogue's title variant the line holds, if any
    variants: frozenset[str]  # every title variant, normalised (`normalise_title`)
    names_form: Callable[[str], bool]  # the line holds a performance form's title
    signs_form: Callable[[Sequence[str]], bool]  # lines that hold a form's words (项目名称 … 执行率)


# what may follow a title on its line: a qualifier ('（经济科目）') or the numbering ('公开表九')
_AFTER_TITLE = re.compile(f"(?:[（(][^（()）]*[)）]|{_NUMBER_FORMS})+$")


def is_table_title(text: str, titles: Titles) -> bool:
    """A line holding a table's title: it holds a title of the catalogue and either names a
    table ('…表', perhaps followed by a qualifier or its numbering: '…预算表（经济科目）',
    '…预算表公开表九') or is that title and nothing else ('目 录'). A section caption inside a
    table ('二、机关运行经费') or a sentence or report that mentions a title is not one."""
    text = compact(text)
    if _AFTER_TITLE.sub("", text).endswith("表"):
        return titles.title_in(text) is not None
    return normalise_title(text) in titles.variants


def is_title_line(text: str, titles: Titles) -> bool:
    """A line holding only a table's title or only its numbering ('公开03表')."""
    return is_table_title(text, titles) or find_numbering(text) == compact(text)


# -- captions -------------------------------------------------------------------------------

# The lines around a table that are not its rows: notes, the 部门 / 单位 line, the unit line,
# the year under a title, and a bare '元' (the rest of a unit line split in two).
_CAPTION = re.compile(
    r"^(?:注|说明|备注|(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]|(?:金额)?单位\s*[:：]|20\d\d\s*年度?$|(?:亿|万)?元$)"
)


def is_caption_line(text: str, titles: Titles) -> bool:
    """A line that titles, numbers or captions a table: title, numbering, 部门/单位 line,
    unit line, a note."""
    return bool(_CAPTION.match(text) or find_unit(text) or is_title_line(text, titles))


MAX_CAPTION_CELLS = 4  # '编制单位：… | | 单位：万元' drawn in a grid's first row
# a column's name with its unit in brackets ('预算数（单位：万元）'): a header cell, not a unit line
_COLUMN_UNIT = re.compile(r"[^（(\s]\s*[（(]\s*(?:金额)?单位")


def is_caption_row(row: Sequence[SourceCell], titles: Titles) -> bool:
    """A title, numbering, '部门：…' or '单位：万元' line drawn as a row of the grid."""
    texts = printed_texts(row)
    if not texts:
        return False
    if len(texts) > MAX_CAPTION_CELLS:
        # '编制单位：上海市财务 | 会计综合管理事务中 | 心（上海市财政科学研究 | 所） | 单位：元': a
        # unit's long name run over the cells of the grid's first row, its unit last
        return (bool(_CAPTION.match(texts[0])) and find_unit(texts[-1]) is not None
                and all(parse_cell(t).kind is CellKind.TEXT for t in texts))
    if len(texts) == 1 and is_title_line(texts[0], titles):
        return True
    if len(texts) > 1 and any(_COLUMN_UNIT.search(t) for t in texts):
        return False  # 项目 | 预算数（单位：万元） | 绩效目标: the header of a list
    # the row read as the line it prints: a cell holding only '万元' is a unit column's
    return is_caption_line(" ".join(texts), titles) and all(parse_cell(t).kind is CellKind.TEXT for t in texts)


# -- list numbering -----------------------------------------------------------------------

NUMERALS = "一二三四五六七八九十"
# the numbering of a list item: '一、' '一.', '（一）' '(1)', '1、' '1.'
_LIST_NUMBER = rf"(?:[{NUMERALS}]+[、.．]|[（(][{NUMERALS}\d]+[)）]|\d+[、.．])"
# the numbering of a section (a part of a table, of the narrative): Chinese numerals only
_SECTION_NUMBER = rf"(?:[{NUMERALS}]+[、.．]|[（(][{NUMERALS}]+[)）])"

# '、一一般公共预算资金': '一、' printed in two fonts and read back comma first (重庆's 收支总表);
# one numeral (or 十 and one), as a name may itself begin with a numeral (一般…)
_REORDERED_NUMBER = r"、(?:十[一二三四五六七八九]?|[一二三四五六七八九])"
_LEADING_NUMBERS = re.compile(rf"^(?:{_LIST_NUMBER}|{_REORDERED_NUMBER}|其中[:：])\s*")
_SECTION = re.compile(f"^{_SECTION_NUMBER}")
_ENUMERATOR_WORD = re.compile(f"^{_LIST_NUMBER}$")
HEADING = re.compile(rf"^#*\s*(?P<number>[{NUMERALS}]+)[、.．]\s*(?P<title>.+)$")  # '三、支出决算情况'
SUBHEADING = re.compile(rf"^#*\s*[（(][{NUMERALS}]+[)）]")  # '（一）…'


def line_item(label: str) -> str:
    """A row label without its enumerators ('八、社会保障和就业支出' -> '社会保障和就业支出',
    '其中：(1)差旅费' -> '差旅费')."""
    text = compact(label)
    while True:
        stripped = _LEADING_NUMBERS.sub("", text)
        if stripped == text:
            return stripped
        text = stripped


FORM_OPENERS = ("项目名称",)  # the first row of a performance form: a new form, never a tail


def opens_form(text: str) -> bool:
    """A cell that opens a performance form ('项目名称'): what follows is the next project's
    form, not the rest of the row above it."""
    return compact(text).startswith(FORM_OPENERS)


# codes printed in a row's name: '[201]一般公共服务支出', '【30101】基本工资', and two schemes
# '50101/30101-基本工资' (government / department economic classification)
_BRACKET_CODE = re.compile(r"^[\[【［](?P<code>\d{3,7})[\]】］]\s*(?P<name>\S.*)$")
_TWO_CODES = re.compile(r"^(?P<first>\d{3,7})\s*/\s*(?P<second>\d{3,7})\s*[-－—_ ]\s*(?P<name>\S.*)$")
# one code joined to its name by a dash ('501-机关工资福利支出', the 类 above '50101/30101-基本工资')
_DASHED_CODE = re.compile(r"^(?P<code>\d{3}(?:\d{2}){0,2})\s*[-－—_]\s*(?P<name>[^\d\s].*)$")


_SCHEME_OF_FIRST_DIGIT = {"2": "function", "3": "economic", "5": "gov_economic"}


def code_scheme_of(code: str) -> str | None:
    """Which classification a budget subject's code belongs to, by its first digit: 功能分类
    2xx (201 一般公共服务 … 234), 部门经济分类 3xx (301 工资福利 … 399), 政府经济分类 5xx (501 …
    599); None for any other."""
    return _SCHEME_OF_FIRST_DIGIT.get(code[:1])


def codes_in_label(label: str) -> tuple[dict[str, str], str] | None:
    """The codes a row's name carries, by scheme, and the name without them; None when it
    carries none."""
    text = label.strip()
    if match := _BRACKET_CODE.match(text):
        return {code_scheme_of(match["code"]) or "function": match["code"]}, match["name"].strip()
    if match := _TWO_CODES.match(text):
        codes = {code_scheme_of(match["first"]) or "function": match["first"]}
        codes.setdefault(code_scheme_of(match["second"]) or "function", match["second"])
        return codes, match["name"].strip()
    if (match := _DASHED_CODE.match(text)) and (scheme := code_scheme_of(match["code"])):
        return {scheme: match["code"]}, match["name"].strip()
    return None


# what an organisation's name ends in: '…局', '…中心', '…中学', '…（本级）'
ORGANISATION_SUFFIX = re.compile(
    r"(局|厅|委员会|委|办公室|办公厅|中心|院|所|站|队|街道办事处|街道|政府|部|会|处|馆|校|学校|医院|支队"
    r"|中学|小学|幼儿园|(?<!平)台|少年宫|监狱)(?:\(本级\)|（本级）|本级)?$"
)


def names_an_organisation(text: str) -> bool:
    """A label that names a unit ('广州市水务局（本级）', '无锡市教育考试院') rather than a line
    of the budget: at least four characters, not opening with a digit ('2026年'), ending in what an
    organisation is ('广州市市场监督管理局12315投诉举报中心')."""
    name = re.sub(r"[（(][^（）()]*[)）]$", "", compact(text))  # '…中心（…建设中心）', '…局（本级）'
    return len(name) >= 4 and not re.match(r"\d", name) and bool(ORGANISATION_SUFFIX.search(name))


def is_section_caption(text: str) -> bool:
    """A caption numbered as a section ('一、政府采购情况', '（二）…')."""
    return bool(_SECTION.match(text))


def is_enumerator(text: str) -> bool:
    """A word that is only a list item's numbering ('3.', '(2)', '一、')."""
    return bool(_ENUMERATOR_WORD.match(text))


def opens_with_enumerator(text: str) -> bool:
    """Text that starts a list item ('八、社会保障…', '(1)…', '1.…')."""
    return bool(re.match(_LIST_NUMBER, text))


# -- column numbers --------------------------------------------------------------------------


def is_column_numbers(texts: Sequence[str]) -> bool:
    """'栏次 | | 1 | 2 …', '1 | 2 | … | 12' or '** | ** | 1 | 2 …' (杭州 marks its name
    columns with '**'): the printed column numbers. `texts` are compacted (a cell's, or a
    word's, which holds no space)."""
    if any(t == "栏次" for t in texts):
        return True
    numbers = [t for t in texts if t and t not in ("**", "*")]
    marked = len(numbers) < len([t for t in texts if t])
    if len(numbers) < (1 if marked else 2) or not all(t.isdigit() for t in numbers):
        return False
    ints = [int(t) for t in numbers]
    return ints == list(range(ints[0], ints[0] + len(ints)))
