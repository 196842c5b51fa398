"""Did every printed amount land? For `make eval`: the amount-like words printed on a PDF's
pages (read with pypdfium2, placed as pdfplumber places them, grouped into words by
pdfplumber) against the values the warehouse landed on those pages (their bounding boxes).

An amount-like word is a number with decimals or with thousands separators (`1,234`,
`392.51`, `(12.00)`); whole numbers without separators are left out, since codes (201,
2010101), years, line numbers and counts look the same. A narrative's figures are not table
amounts: a word on a line of running text (one holding sentence punctuation ，。；、) or followed
by its unit (780.19 万元) is left out. A page is a table page when it prints at least
`TABLE_PAGE_WORDS` table amounts. A printed word is landed when its centre lies in the box of
a value landed on its page.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

AMOUNT_WORD = re.compile(r"^[-−(（]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{1,4})[)）]?$")
TABLE_PAGE_WORDS = 3
BOX_MARGIN = 1.0  # points around a landed value's box
SAME_LINE = 2.0  # points between the tops of two words on one line
SENTENCE = re.compile(r"[，。；、]")
UNIT_AFTER = re.compile(r"^(?:万元|元|亿元|%|％)")


def table_amounts(words: list[dict]) -> list[dict]:
    """The amount-like words of a page that stand in a table, not in running text (pure;
    `words` as pdfplumber's extract_words gives them)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    found = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        if SENTENCE.search("".join(w["text"] for w in line)):
            continue
        for k, word in enumerate(line):
            unit_follows = k + 1 < len(line) and UNIT_AFTER.match(line[k + 1]["text"])
            if AMOUNT_WORD.match(word["text"]) and not unit_follows:
                found.append(word)
    return found


@dataclass(frozen=True)
class PrintedAmount:
    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass
class DocumentCoverage:
    printed: int = 0
    landed: int = 0
    table_pages: int = 0
    unlanded: list[PrintedAmount] = field(default_factory=list)
    # page -> [printed, landed], for attributing amounts to the table printed on the page
    by_page: dict[int, list[int]] = field(default_factory=dict)


Box = tuple[float, float, float, float]


def printed_amounts(pdf: Path) -> list[PrintedAmount]:
    """The amount-like words of every table page of a PDF, with their boxes."""
    import pdfplumber
    import pypdfium2 as pdfium

    from ingest.read.pdfium_objects import supply_objects

    data = pdf.read_bytes()
    found: list[PrintedAmount] = []
    document = pdfium.PdfDocument(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as plumber:
            for index in range(len(document)):
                page = document[index]
                text_page = page.get_textpage()
                if sum(bool(AMOUNT_WORD.match(t)) for t in text_page.get_text_range().split()) < TABLE_PAGE_WORDS:
                    continue
                plumber_page = plumber.pages[index]
                supply_objects(plumber_page, page, text_page)
                words = table_amounts(plumber_page.extract_words(keep_blank_chars=False))
                if len(words) >= TABLE_PAGE_WORDS:
                    found += [PrintedAmount(index + 1, w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
                              for w in words]
                plumber_page.flush_cache()
    finally:
        document.close()
    return found


def measure(printed: Iterable[PrintedAmount], landed: dict[int, list[Box]]) -> DocumentCoverage:
    """Which printed amounts have a landed value around them (pure)."""
    result = DocumentCoverage()
    pages: set[int] = set()
    for amount in printed:
        pages.add(amount.page)
        result.printed += 1
        page = result.by_page.setdefault(amount.page, [0, 0])
        page[0] += 1
        x, y = amount.centre
        if any(x0 - BOX_MARGIN <= x <= x1 + BOX_MARGIN and top - BOX_MARGIN <= y <= bottom + BOX_MARGIN
               for x0, top, x1, bottom in landed.get(amount.page, [])):
            result.landed += 1
            page[1] += 1
        else:
            result.unlanded.append(amount)
    result.table_pages = len(pages)
    return result


def landed_boxes(rows: Iterable[tuple[int, float, float, float, float]]) -> dict[int, list[Box]]:
    """(page, x0, top, x1, bottom) rows of landed values, by page."""
    boxes: dict[int, list[Box]] = defaultdict(list)
    for page, x0, top, x1, bottom in rows:
        if page is not None and x0 is not None:
            boxes[int(page)].append((x0, top, x1, bottom))
    return boxes


def table_of_page(first_pages: list[tuple[int, str]], page: int) -> str | None:
    """The table a page belongs to: the last table (in document order, given as
    (first_page, table)) that starts on or before it. Pure."""
    owner = None
    for first, table in first_pages:
        if first is not None and first <= page:
            owner = table
    return owner


def collection_of(source_file: str) -> str:
    """The collection a corpus file belongs to: the folder that holds it (a city's folder,
    an issuer's folder), as `make eval` groups documents."""
    parent = Path(source_file).parent.name
    return parent or "."
