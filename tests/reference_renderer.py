"""Render a plain-text extraction (the format of data/raw/) as a PDF drawn the way the
publications are (or, with `ruled=False`, as those publishers who draw no rules print them): running text, each table as a ruled grid under its title lines, header
cells merged across blank neighbours, 功能分类 codes split over 类 | 款 | 项 columns, wide
tables on landscape pages, long tables broken across pages (every other one repeating its
header), long names wrapped inside their cells, and an embedded CJK font.

A test tool: the PDF path of the ingest must land the same values from the rendering as the
text path does from the text. Usage: python -m tests.reference_renderer TEXT PDF
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from fpdf import FPDF

from ingest.interpret.grid import FUNCTION_CODE, _is_body_row
from ingest.lexicon import compact
from ingest.model import RawTable
from ingest.read.text import read_text
from tests.pdf_drawing import FONT, LEFT, UP, Grid, _grid

PORTRAIT = (595.0, 842.0)
MARGIN = 40.0
ROW = 16.0
WIDE = 8  # tables with more columns go on landscape pages


def _header_rows(texts: list[list[str]]) -> int:
    return next((i for i, row in enumerate(texts) if _is_body_row([compact(t) for t in row])), len(texts))


def _is_function_table(texts: list[list[str]], header: int) -> bool:
    firsts = [row[0] for row in texts[header:] if row and row[0]]
    codes = [t for t in firsts if FUNCTION_CODE.match(t) and len(t) in (3, 5, 7)]
    return len(codes) >= 2 and any(len(t) == 7 for t in codes)


def _split_codes(texts: list[list[str]], header: int) -> list[list[str]]:
    """Code column 0 → 类 | 款 | 项, with a '类 款 项' header row; header cells of the other
    columns reach down over the new row."""
    out = []
    for i, row in enumerate(texts):
        code, rest = (row[0] if row else ""), row[1:]
        if i < header:
            out.append([code, LEFT, LEFT, *rest])
        elif FUNCTION_CODE.match(code):
            out.append([code[:3], code[3:5], code[5:7], *rest])
        else:
            out.append([code, "", "", *rest])
    insert_at = max(1, header - 1) if header else 0
    if header:
        below_last = [UP] * (len(out[0]) - 3)
        out.insert(insert_at, ["类", "款", "项", *below_last])
    return out


def _merge_header(texts: list[list[str]], header: int) -> list[list[str]]:
    """In header rows a blank cell belongs to the merged cell on its left when something is
    printed below it, else to the merged cell above."""
    out = [list(r) for r in texts]
    for r in range(header):
        for c in range(len(out[r])):
            if out[r][c] != "":
                continue
            below = any(texts[rr][c] for rr in range(r + 1, header))
            if c > 0 and below and out[r][c - 1] != UP:
                out[r][c] = LEFT
            elif r > 0 and out[r - 1][c] not in ("",):
                out[r][c] = UP
    return out


def _text_width(text: str) -> float:
    return sum(4.6 if ch.isascii() else 8.6 for ch in text)


def _widths(texts: list[list[str]], usable: float) -> list[float]:
    width = max(len(r) for r in texts)
    numbers, labels = [26.0] * width, [26.0] * width
    for row in texts:
        for c, t in enumerate(row):
            if t in (LEFT, UP):
                continue
            if re.fullmatch(r"[\d,.\-—%]+", t):
                numbers[c] = max(numbers[c], _text_width(t) + 8)
            else:
                labels[c] = max(labels[c], min(_text_width(t) + 8, 150))
    need = [max(n, lab) for n, lab in zip(numbers, labels, strict=True)]
    if sum(need) > usable:  # narrow the name columns first; figures must fit
        spare = usable - sum(numbers)
        label_need = sum(max(0.0, lab - n) for n, lab in zip(numbers, labels, strict=True))
        factor = max(0.0, spare / label_need) if label_need else 0.0
        need = [n + max(0.0, lab - n) * factor for n, lab in zip(numbers, labels, strict=True)]
    return need


def _wrap(text: str, width: float) -> str:
    if text in (LEFT, UP):
        return text
    per_line = max(1, int((width - 4) / 8.6))
    if len(text) > per_line * 12:
        per_line = math.ceil(len(text) / 12)  # a paragraph in a cell: at most 12 lines
    if len(text) <= per_line or re.fullmatch(r"[\d,.\-—%]+", text):
        return text
    return "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))


class _Document:
    def __init__(self, ruled: bool = True) -> None:
        self.ruled = ruled
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.add_font("wqy", fname=str(FONT))
        self.pdf.set_font("wqy", size=8)
        self.pdf.set_auto_page_break(False)
        self.y = 0.0
        self.landscape = False
        self.new_page(False)

    @property
    def bottom(self) -> float:
        return (PORTRAIT[0] if self.landscape else PORTRAIT[1]) - MARGIN

    @property
    def usable(self) -> float:
        return (PORTRAIT[1] if self.landscape else PORTRAIT[0]) - 2 * MARGIN

    def new_page(self, landscape: bool) -> None:
        self.landscape = landscape
        self.pdf.add_page(orientation="L" if landscape else "P")
        self.y = MARGIN

    def text(self, line: str) -> None:
        per_line = int(self.usable / 8.5)
        height = 12 * max(1, math.ceil(len(line) / per_line))
        if self.y + height > self.bottom:
            self.new_page(self.landscape)
        self.pdf.set_xy(MARGIN, self.y)
        self.pdf.multi_cell(self.usable, 12, line)
        self.y += height + 2

    def table(self, table: RawTable, ordinal: int, title_lines: list[str]) -> None:
        texts = [[c.text.strip() for c in row] for row in table.rows]
        width = max(len(r) for r in texts)
        texts = [r + [""] * (width - len(r)) for r in texts]
        header = _header_rows(texts)
        grid_rows = _merge_header(texts, header)
        if _is_function_table(texts, header):
            grid_rows = _split_codes(grid_rows, header)
            header += 1
        landscape = len(grid_rows[0]) > WIDE
        if landscape != self.landscape:
            self.new_page(landscape)
        widths = _widths(grid_rows, self.usable)
        grid_rows = [
            [_wrap(t, widths[c]) if c < len(widths) else t for c, t in enumerate(row)]
            for r, row in enumerate(grid_rows)
        ]
        for line in title_lines:
            self.text(line)
        repeat_header = ordinal % 2 == 0
        body = list(range(header, len(grid_rows)))
        chunk_start = 0
        first = True
        while first or chunk_start < len(body):
            rows = list(range(header)) if first or repeat_header else []
            height = sum(self._row_height(grid_rows[r]) for r in rows)
            k = chunk_start
            while k < len(body) and self.y + height + self._row_height(grid_rows[body[k]]) <= self.bottom:
                height += self._row_height(grid_rows[body[k]])
                k += 1
            if k == chunk_start and chunk_start < len(body):
                if self.y > MARGIN:
                    self.new_page(landscape)
                    continue
                k += 1  # a row taller than a page is drawn alone, running off its foot
            rows += body[chunk_start:k]
            if rows:
                grid = Grid([grid_rows[r] for r in rows], widths, row_height=ROW, ruled=self.ruled)
                self.y = _grid(self.pdf, grid, MARGIN, self.y) + 8
            chunk_start = k
            first = False
            if chunk_start < len(body):
                self.new_page(landscape)

    @staticmethod
    def _row_height(row: list[str]) -> float:
        return ROW * max(1, max(t.count("\n") + 1 for t in row))


def render(text: str, out: Path, ruled: bool = True) -> Path:
    """`ruled=False` draws every table without rules, as some publishers print them."""
    lines, tables = read_text(text)
    by_line = {t.first_line or 0: t for t in tables}
    doc = _Document(ruled)
    emitted: set[int | None] = set()
    table_starts = sorted(by_line)
    for ordinal, start in enumerate(table_starts, start=1):
        table = by_line[start]
        title = [ln for ln in table.context[-6:] if ln.line not in emitted]
        for ln in lines:
            if ln.line is None or ln.line in emitted or ln.line >= start or ln in title:
                continue
            doc.text(ln.text)
            emitted.add(ln.line)
        if doc.landscape and max(len(r) for r in table.rows) <= WIDE:
            doc.new_page(False)
        doc.table(table, ordinal, [ln.text for ln in title])
        emitted.update(ln.line for ln in title)
    for ln in lines:  # the text after the last table
        if ln.line not in emitted:
            doc.text(ln.text)
            emitted.add(ln.line)
    doc.pdf.output(str(out))
    return out


if __name__ == "__main__":
    render(Path(sys.argv[1]).read_text("utf-8"), Path(sys.argv[2]))
