"""Draw small disclosure-like PDFs for tests: ruled grids with merged cells and wrapped
names, text lines, portrait and landscape pages. fpdf2 with WenQuanYi Micro Hei embeds a font
that pdfplumber reads back (`make fonts` installs it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LEFT = ">"  # a cell covered by the merged cell on its left
UP = "^"  # a cell covered by the merged cell above


@dataclass
class Grid:
    rows: list[list[str]]
    widths: list[float]
    row_height: float = 18
    ruled: bool = True


@dataclass
class Page:
    items: list[str | Grid] = field(default_factory=list)
    landscape: bool = False


def draw(path: Path, pages: list[Page]) -> Path:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=9)
    pdf.set_auto_page_break(False)
    for page in pages:
        pdf.add_page(orientation="L" if page.landscape else "P")
        y = 50.0
        for item in page.items:
            if isinstance(item, str):
                pdf.set_xy(50, y)
                pdf.cell(400, 14, item)
                y += 18
            else:
                y = _grid(pdf, item, 50.0, y) + 12
    pdf.output(str(path))
    return path


def _grid(pdf: FPDF, grid: Grid, x0: float, y0: float) -> float:
    heights = [
        grid.row_height * max(1, max(t.count("\n") + 1 for t in row)) for row in grid.rows
    ]
    tops = [y0 + sum(heights[:r]) for r in range(len(grid.rows))]
    lefts = [x0 + sum(grid.widths[:c]) for c in range(len(grid.widths))]
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            span_c = 1
            while c + span_c < len(row) and row[c + span_c] == LEFT:
                span_c += 1
            span_r = 1
            # a cell merged down covers the rows below only where all it spans is blank there:
            # it never overlaps another cell's text
            while r + span_r < len(grid.rows) and grid.rows[r + span_r][c] == UP and all(
                grid.rows[r + span_r][k] in (UP, LEFT, "") for k in range(c + 1, c + span_c)
            ):
                span_r += 1
            w = sum(grid.widths[c : c + span_c])
            h = sum(heights[r : r + span_r])
            if grid.ruled:
                pdf.rect(lefts[c], tops[r], w, h)
            # amounts are right-aligned; names and codes (digits only, no separator) left-aligned
            numeric = bool(re.fullmatch(r"-?[\d,]*\.\d+%?|-?\d{1,3}(,\d{3})+|—+", text))
            lines = text.split("\n")
            for k, line in enumerate(lines):
                pdf.set_xy(lefts[c] + 2, tops[r] + (h - 11 * len(lines)) / 2 + 11 * k)
                pdf.cell(w - 4, 11, line, align="R" if numeric else "L")
    return tops[-1] + heights[-1]
