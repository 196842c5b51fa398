"""Tables drawn with ruling lines: pdfplumber's table finder on the page, each grid's cells with
their boxes. Merged cells come back empty; text wrapped inside a cell is joined by the one rule
for wrapped text (`words.join_text`). Two grids drawn edge to edge come back as one and are
split at the title row between them; a grid whose only ruling is its frame (whole rows in one
cell) is no grid, and the page is read by its layout instead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from pdfplumber.utils import extract_text

from ingest.lexicon import Titles, is_table_title, printed_texts
from ingest.model import FoundTable, RawTable, SourceCell
from ingest.read.settings import SETTINGS
from ingest.read.words import join_text


def cell_text(text: str | None) -> str:
    """A cell's text as pdfplumber extracts it (its lines apart), its lines joined."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n")]
    joined = parts[0]
    for part in parts[1:]:
        joined = join_text(joined, part)
    return joined


_COLLAPSED = re.compile(r"\d.*[\u4e00-\u9fff].*\d")


def _collapsed(rows: list[list[str | None]]) -> bool:
    """A grid whose only ruling is its frame: whole rows land in one cell ('301工资福利支出2,928.98')."""
    width = max((len(r) for r in rows), default=0)
    return (width <= SETTINGS.collapsed_width
            and sum(bool(c and _COLLAPSED.search(c)) for r in rows for c in r) >= SETTINGS.collapsed_rows)


class _CharIndex:
    """A page's characters ordered by the middle of their height, to find a row's characters
    without scanning the page once per row (as pdfplumber's `Table.extract` does)."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        keyed = sorted(((c["top"] + c["bottom"]) / 2, k) for k, c in enumerate(chars))
        self.chars = chars
        self.mids = [m for m, _ in keyed]
        self.order = [k for _, k in keyed]

    def within(self, x0: float, top: float, x1: float, bottom: float) -> list[dict[str, Any]]:
        """The characters whose box's middle lies in the box, in page order."""
        lo, hi = bisect.bisect_left(self.mids, top), bisect.bisect_left(self.mids, bottom)
        picked = sorted(
            k for k in self.order[lo:hi]
            if x0 <= (self.chars[k]["x0"] + self.chars[k]["x1"]) / 2 < x1
        )
        return [self.chars[k] for k in picked]


_FIGURE_CHARS = frozenset("0123456789.,")


def _mend_cut_figures(cells: list[list[dict[str, Any]] | None]) -> None:
    """A figure printed past its cell's right rule ('2,388.0' | '4', 江苏 检察院 2018's 支出预算
    总表): the digits whose middles cross the rule but touch the figure on their left, on its
    line, are the figure's when the next cell holds nothing else — a character belongs to the
    cell holding its middle, unless it runs on a figure begun in the cell before. A figure of
    the next cell printed against the rule ('244,895.02' | '192,446.79', 重庆) stays whole.
    Moves characters between a row's cells."""
    gap = SETTINGS.figure_char_gap
    for k in range(len(cells) - 1):
        left, right = cells[k], cells[k + 1]
        if not left or not right:
            continue
        end = max(left, key=lambda c: c["x1"])
        run = []
        for char in sorted((c for c in right if abs(c["top"] - end["top"]) <= gap), key=lambda c: c["x0"]):
            if (char["text"] not in _FIGURE_CHARS or end["text"] not in _FIGURE_CHARS
                    or not -gap <= char["x0"] - end["x1"] <= gap):
                break
            run.append(char)
            end = char
        rest = [c for c in right if c["text"].strip() and all(c is not r for r in run)]
        if run and not rest:  # the cell holds nothing but the spilt digits
            left.extend(run)
            cells[k + 1] = [c for c in right if all(c is not r for r in run)]


def _extract(table: Any, index: _CharIndex) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`, same rule and same text: a character belongs to the
    cell holding the middle of its box (but see `_mend_cut_figures`); a cell's text is
    `utils.extract_text` of its chars."""
    rows: list[list[str | None]] = []
    for row in table.rows:
        chars = [None if cell is None else index.within(*cell) for cell in row.cells]
        _mend_cut_figures(chars)
        rows.append([None if c is None else (extract_text(c) if c else "") for c in chars])
    return rows


def split_at_inner_titles(table: RawTable, titles: Titles) -> list[RawTable]:
    """Two tables drawn edge to edge come back as one grid; a row holding only a table's
    title (not the first row) starts the second table. A section caption inside a table
    ('二、机关运行经费') is no title: titles name a table (…表)."""
    parts: list[list[list[SourceCell]]] = [[]]
    for i, row in enumerate(table.rows):
        texts = printed_texts(row)
        if i > 0 and parts[-1] and len(texts) == 1 and is_table_title(texts[0], titles):
            parts.append([])
        parts[-1].append(row)
    if len(parts) == 1:
        return [table]
    return [replace(table, rows=rows, context=[], trailer=[]) for rows in parts]


def _has_double_borders(table: Any) -> bool:
    """A grid with a row or column thinner than a character: a border drawn twice, a box inset
    a few points inside its cell (江苏's 2017–2018 budgets), which the finder reads as cells."""
    gap = SETTINGS.double_border_gap
    return any(
        (x1 - x0) < gap or (bottom - top) < gap
        for cell in table.cells if cell
        for x0, top, x1, bottom in [cell]
    )


def _open_top(page: Any, tables: list[Any]) -> dict[str, Any] | None:
    """The top rule of a grid's first row, where the page break left it undrawn: the column
    rules of the page's first grid run on above its top (江苏 法院 2017's tables continued on a
    new page), so the row between them was read as running text. The missing rule, as a line
    across the grid at the top of its column rules; None when the grid is closed."""
    if not tables:
        return None
    x0, top, x1, _ = min(tables, key=lambda t: t.bbox[1]).bbox
    tol = SETTINGS.border_gap
    tops = [e["top"] for e in page.edges if e["orientation"] == "v" and x0 - tol <= e["x0"] <= x1 + tol
            and abs(e["bottom"] - top) <= tol and top - e["top"] > tol]
    if len(tops) < SETTINGS.open_top_rules:
        return None
    y = min(tops)
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0,
            "doctop": page.initial_doctop + y}


def _find_tables(page: Any) -> list[Any]:
    """The page's grids, by pdfplumber's table finder on the page's objects; where a grid has
    double borders, found again with rulings that close snapped together, and where its first
    row's top rule is missing (`_open_top`), with that rule drawn (the same objects, not
    another parse)."""
    tables = page.find_tables()
    opened: dict[str, Any] = {}
    if (line := _open_top(page, tables)) is not None:
        opened["explicit_horizontal_lines"] = [line]
        tables = page.find_tables(opened)
    if any(_has_double_borders(t) for t in tables):
        snapped = page.find_tables({**opened, "snap_tolerance": SETTINGS.double_border_gap})
        return _snapped_where_whole(tables, snapped)
    return tables


def _snapped_where_whole(tables: list[Any], snapped: list[Any]) -> list[Any]:
    """Each grid as found with its double borders snapped together, where snapping kept its
    width; else as drawn. Snapping a box inset in one cell (法院 2017's 机关运行经费 table) to
    the rules of another can take a column and the grid's right border with it; a grid read as
    drawn keeps its phantom columns, which are realigned later."""
    gap = SETTINGS.double_border_gap
    chosen = []
    for t in tables:
        same = next((s for s in snapped if abs(s.bbox[0] - t.bbox[0]) <= gap and abs(s.bbox[2] - t.bbox[2]) <= gap
                     and s.bbox[1] < t.bbox[3] and t.bbox[1] < s.bbox[3]), None)
        if same is None:
            chosen.append(t)
        elif all(same is not c for c in chosen):
            chosen.append(same)
    return sorted(chosen, key=lambda t: t.bbox[1])


def read_ruled_tables(page: Any, number: int, titles: Titles) -> list[FoundTable]:
    """The page's ruled grids, each split at its inner titles. A part's box spans its grid's
    width, from its first row's top to its last row's foot."""
    index = _CharIndex(page.chars)
    found: list[FoundTable] = []
    for table in _find_tables(page):
        texts = _extract(table, index)
        if _collapsed(texts):
            continue
        rows: list[list[SourceCell]] = []
        for row_cells, row_texts in zip(table.rows, texts, strict=False):
            rows.append([
                SourceCell(
                    cell_text(text),
                    page=number,
                    bbox=tuple(round(v, 2) for v in bbox) if bbox else None,  # type: ignore[arg-type]
                )
                for bbox, text in zip(row_cells.cells, row_texts, strict=False)
            ])
        if not rows:
            continue
        x0, top, x1, bottom = table.bbox
        for part in split_at_inner_titles(RawTable(rows=rows, origin="ruled"), titles):
            tops = [c.bbox[1] for c in part.rows[0] if c.bbox]
            bottoms = [c.bbox[3] for c in part.rows[-1] if c.bbox]
            found.append(FoundTable(part, (x0, min(tops) if tops else top, x1, max(bottoms) if bottoms else bottom)))
    return found
