"""The one place where published cell text becomes a number.

Pure functions. Amounts never pass through float: the parsed value is a Decimal carrying
exactly the digits that were printed, and the number of decimals printed is kept so the
rounding tolerance of an identity can be derived from it later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Full-width forms and look-alikes seen in the publications, mapped to ASCII.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
        "．": ".",
        "，": ",",
        "－": "-",
        "−": "-",
        "﹣": "-",
        "＋": "+",
        "％": "%",
        "（": "(",
        "）": ")",
        "\u3000": " ",
    }
)

# Cells that hold no value: the publications print these instead of leaving the cell empty.
_DASHES = {"-", "--", "—", "——", "———", "–", "－", "/", "\\", "—　", "――", "─"}

# a thousands separator is followed by three digits; the first group may be longer where a
# publisher separates only the last ('125360,898' 元, 上海人社 2026's unit tables)
_NUMBER = re.compile(r"^(?P<sign>[+-])?(?P<int>\d+(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


class CellKind(StrEnum):
    BLANK = "blank"  # nothing printed
    DASH = "dash"  # a dash printed where no value exists
    NUMBER = "number"
    PERCENT = "percent"
    TEXT = "text"


@dataclass(frozen=True)
class ParsedCell:
    raw: str
    kind: CellKind
    value: Decimal | None = None  # the printed number (percent: the number before '%')
    decimals: int = 0  # digits printed after the decimal point


_WHITESPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """The text without any whitespace: how printed words and figures are compared ('收 入' is
    '收入', '1 234.00' is '1234.00'). The one definition; `ingest.lexicon` exports it."""
    return _WHITESPACE.sub("", text)


def normalise_text(text: str) -> str:
    """Full-width digits and punctuation to ASCII; strip surrounding whitespace."""
    return text.translate(_FULLWIDTH).strip()


def parse_cell(raw: str | None) -> ParsedCell:
    """Classify one table cell and parse it when it holds a number.

    >>> parse_cell("1,293.69").value
    Decimal('1293.69')
    >>> parse_cell("(27.15)").value
    Decimal('-27.15')
    >>> parse_cell("——").kind
    <CellKind.DASH: 'dash'>
    """
    raw = "" if raw is None else raw
    text = normalise_text(raw)
    if not text:
        return ParsedCell(raw, CellKind.BLANK)
    bare = compact(text)
    if bare in _DASHES or re.fullmatch(r"[—–\-－―─]+", bare):
        return ParsedCell(raw, CellKind.DASH)

    kind = CellKind.NUMBER
    if bare.endswith("%"):
        kind = CellKind.PERCENT
        bare = bare[:-1]
    negative = False
    if bare.startswith("(") and bare.endswith(")"):
        negative, bare = True, bare[1:-1]
    match = _NUMBER.match(bare)
    if not match:
        return ParsedCell(raw, CellKind.TEXT)
    digits = match["int"].replace(",", "")
    frac = match["frac"] or ""
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    if match["sign"] == "-":
        negative = not negative
    if negative:
        value = -value
    return ParsedCell(
        raw,
        kind,
        value=value,
        decimals=len(frac),
    )


# A word printed as an amount: a number with decimals or with thousands separators ('1,234',
# '392.51', '(12.00)'). Whole numbers without separators are not counted as amounts, since
# codes (201, 2010101), years, line numbers and counts look the same. What `make eval` counts
# as printed on a page (pipeline/coverage.py) and what a table says it printed and did not
# land (ingest/document.py).
AMOUNT_WORD = re.compile(r"^[-−(（]?(?:\d+(?:,\d{3})+(?:\.\d+)?|\d+\.\d{1,4})[)）]?$")


def is_amount_word(text: str) -> bool:
    return bool(AMOUNT_WORD.match(compact(text)))


# Units an amount can be published in, and their size in 元.
UNIT_MULTIPLIERS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}

# '单位：万元'; the colon may be missing from the text layer ('单位 万元': some producers draw
# it on a baseline of its own, so it lands on another line); without it the unit must end
# the line or be followed by something that is not a word ('本单位元旦…' is no unit line)
_UNIT_LINE = re.compile(
    r"(?:金额单位|计量单位|单位)(?:\s*[:：]\s*(?P<unit>亿元|万元|元|万|亿)"
    r"|(?P<bare>亿元|万元|元)(?![\u4e00-\u9fff]))"
)
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(?P<unit>亿元|万元|元)\s*[)）]")


def find_unit(text: str, following: str = "") -> str | None:
    """The amount unit announced in a line ('金额单位：万元', '单位:元').

    A unit line split over two lines ('金额单位：万' / '元') is completed from `following`.
    """
    match = _UNIT_LINE.search(normalise_text(text).replace(" ", ""))
    if not match:
        return None
    unit = match["unit"] or match["bare"]
    if unit in ("万", "亿"):
        if following.strip().startswith("元") or text.rstrip().endswith(unit):
            unit += "元"
    return unit if unit in UNIT_MULTIPLIERS else None


def find_unit_in_header(text: str) -> str | None:
    """A unit printed in a header label, e.g. '项目资金 (万元)'."""
    match = _UNIT_IN_HEADER.search(text)
    return match["unit"] if match else None


MAX_DECIMALS = 8  # the landing decimal scale; more printed decimals than this is refused


# The warehouse's money type is decimal(18, 2): sixteen digits before the point. A printed
# figure at or beyond this size (a misprint, an OCR slip) cannot be stored as a number.
WAREHOUSE_LIMIT = Decimal(10) ** 16


def fits_warehouse(value: Decimal | None) -> bool:
    """Whether a value (published or in 元) can be stored in the warehouse's money type."""
    return value is None or abs(value) < WAREHOUSE_LIMIT


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """An amount published in `unit`, in 元, exactly."""
    return value * UNIT_MULTIPLIERS[unit]


def fits_scale(value: Decimal) -> bool:
    """Whether a Decimal is stored exactly at the landing scale."""
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -exponent <= MAX_DECIMALS
