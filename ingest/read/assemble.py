"""A document's pages, read item by item (tables and lines in reading order), assembled into
its running text and its tables: a table that runs on to the next page is stitched to the
one it continues, page numbers and running headers are dropped, and each table gets the lines
printed just before it (its context: title, numbering, unit) and after it (its trailer).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.lexicon import (
    Titles,
    compact,
    is_caption_row,
    is_table_title,
    opens_form,
    opens_with_enumerator,
    printed_texts,
)
from ingest.model import RawTable, SourceCell, TextLine
from ingest.numbers import CellKind, find_unit, parse_cell
from ingest.read.settings import SETTINGS

_PAGE_MARK = re.compile(r"^[\s\-—–第页共/\d·.]*$")  # '- 7 -', '第3页', '3/20'


@dataclass
class Item:
    """A table or a line of running text, where it stands on its page."""

    page: int
    top: float
    line: TextLine | None = None
    table: RawTable | None = None

def _same_row(a: list[SourceCell], b: list[SourceCell]) -> bool:
    """Same printed texts in the same order (merged cells may align to other columns)."""
    return bool(printed_texts(a)) and printed_texts(a) == printed_texts(b)


def _column_spans(table: RawTable) -> list[tuple[float, float] | None]:
    """Each column's x-extent: in a ruled table the narrowest box of a cell in it that carries
    text (a cell merged over several columns is as wide as all of them; the column is its own
    width), in an unruled one the median box of its words."""
    spans: list[tuple[float, float] | None] = []
    for j in range(table.width):
        boxes = [
            (box[0], box[2])
            for row in table.rows
            if j < len(row) and (box := row[j].bbox) is not None and row[j].text.strip()
        ]
        if not boxes:
            spans.append(None)
        elif table.origin == "ruled":
            spans.append(min(boxes, key=lambda b: b[1] - b[0]))
        else:  # an unruled table's boxes are its words': the typical one
            spans.append(sorted(boxes)[len(boxes) // 2])
    return spans


def _column_lefts(table: RawTable) -> list[float | None]:
    """Each column's left edge where the cells show it: the most common left of the boxes of
    its cells (a ruled cell's box starts at its column's rule, merged or not). An unruled
    table's boxes are its words', which show no edges."""
    lefts: list[float | None] = []
    if table.origin != "ruled":
        return [None] * table.width
    for j in range(table.width):
        edges = Counter(
            round(box[0] / SETTINGS.edge_grid) * SETTINGS.edge_grid for row in table.rows if j < len(row) and (box := row[j].bbox) is not None
        )
        lefts.append(edges.most_common(1)[0][0] if edges else None)
    return lefts


def _onto_columns(
    row: list[SourceCell], spans: list[tuple[float, float] | None], lefts: list[float | None]
) -> list[SourceCell]:
    """A continuation row laid onto the columns of the table it continues, by x-position: the
    column whose left edge the cell starts at (the grid drawn again on the new page), else the
    column whose extent holds the cell's centre."""
    out = [SourceCell("") for _ in spans]
    for cell in row:
        if not cell.text.strip():
            continue
        if cell.bbox is None:
            return row  # nothing to align by
        edges = [(abs(cell.bbox[0] - x), j) for j, x in enumerate(lefts) if x is not None]
        if edges and min(edges)[0] <= SETTINGS.aligned_edge:
            j = min(edges)[1]
        else:
            centre = (cell.bbox[0] + cell.bbox[2]) / 2
            candidates = [(j, s) for j, s in enumerate(spans) if s]
            j = min(
                candidates,
                key=lambda js: 0 if js[1][0] <= centre <= js[1][1] else min(abs(centre - js[1][0]), abs(centre - js[1][1])),
            )[0]
        if out[j].text:
            out[j] = SourceCell(out[j].text + cell.text, out[j].page, out[j].line, out[j].bbox)
        else:
            out[j] = cell
    return out


_TOTAL_END = re.compile(r"(?:合计|总计|小计)$")


def _column_decimals(table: RawTable, j: int) -> int | None:
    """The decimals most figures of column `j` print (2 for '1,234.56'); None without figures."""
    seen = Counter(
        parsed.decimals for row in table.rows if j < len(row)
        if (parsed := parse_cell(row[j].text)).kind is CellKind.NUMBER
    )
    return seen.most_common(1)[0][0] if seen else None


def _completes_figure(fragment: str, cut: str, decimals: int | None) -> bool:
    """'6' opening the next page under '12,437.3': the rest of a figure the page break cut (杭州
    公安 2026). The cut figure prints fewer decimals than its column, the joined one as many."""
    head, whole = parse_cell(cut), parse_cell(cut + fragment)
    return (decimals is not None and fragment.isdigit() and head.kind is CellKind.NUMBER
            and whole.kind is CellKind.NUMBER and head.decimals < decimals == whole.decimals)


def _is_wrapped_tail(row: list[SourceCell], previous: list[SourceCell], table: RawTable | None = None) -> bool:
    """The rest of a name wrapped over the page break ('八、社会保障和就' / '业支出'), with the
    rest of any figure the break cut in the same row (`_completes_figure`); a row opening a
    performance form (项目名称 …) is the next form, never a tail, and a name ending in a total
    (本年收入合计) is whole: the row under it is the next line (上年结转结余), not its tail."""
    filled = [j for j, c in enumerate(row) if c.text.strip()]
    if not filled or opens_form(row[filled[0]].text):
        return False
    names = 0
    for j in filled:
        text = row[j].text.strip()
        if j >= len(previous) or not previous[j].text.strip():
            return False
        if table is not None and _completes_figure(text, previous[j].text.strip(), _column_decimals(table, j)):
            continue
        if opens_with_enumerator(text) or text[:1].isdigit() or parse_cell(text).kind is not CellKind.TEXT:
            return False
        if _TOTAL_END.search(compact(previous[j].text)):
            return False
        names += 1
    return names > 0


def _stitch(previous: RawTable, continuation: RawTable) -> None:
    header = previous.rows[: SETTINGS.repeated_header_rows]
    rows = list(continuation.rows)
    while rows and any(_same_row(rows[0], h) for h in header):
        rows = rows[1:]  # the header repeated on the new page, as printed (before aligning)
    if continuation.origin == "layout_form":  # cells in reading order: forms.py places them
        previous.rows.extend(rows)
        return
    spans, lefts = _column_spans(previous), _column_lefts(previous)
    rows = [_onto_columns(r, spans, lefts) for r in rows]
    if rows and previous.rows and _is_wrapped_tail(rows[0], previous.rows[-1], previous):
        last = previous.rows[-1]
        for j, cell in enumerate(rows.pop(0)):
            if cell.text.strip():
                last[j] = SourceCell(last[j].text + cell.text.strip(), last[j].page, last[j].line, last[j].bbox)
    previous.rows.extend(rows)


def _running_lines(items: list[Item], titles: Titles) -> set[str]:
    pages: dict[str, set[int]] = {}
    for item in items:
        if item.line is not None:
            pages.setdefault(compact(item.line.text), set()).add(item.page)
    total = len({item.page for item in items})
    need = max(SETTINGS.running_pages, SETTINGS.running_share * total)
    # a caption repeated above every table ('编制单位：… 单位：元') is not a running header: it
    # announces each table's unit; nor is a table's title repeated above each page it runs
    # over (a 140-page 项目支出绩效目标表 titles every page)
    return {text for text, seen in pages.items()
            if len(seen) >= need and len(text) > SETTINGS.running_length and not find_unit(text)
            and not is_table_title(text, titles)}


def _continues(
    previous: RawTable, table: RawTable, page: int, last: Item | None, pending: list[TextLine],
    titles: Titles,
) -> bool:
    """Whether `table` is the previous table running on: it opens the next page, and nothing
    stands between them but a repetition of the previous table's own title lines."""
    if last is None or last.table is not previous or page != last.page + 1:
        return False
    first = next((row for row in table.rows[:SETTINGS.title_block] if any(c.text.strip() for c in row)), None)
    if first is not None and is_caption_row(first, titles):
        return False  # a new table titled in its grid (below rows left empty, 江苏政协 2019)
    own = {compact(ln.text) for ln in previous.context[-SETTINGS.title_block:]}
    return all(compact(ln.text) in own for ln in pending)


def assemble(items: list[Item], titles: Titles) -> tuple[list[TextLine], list[RawTable]]:
    """Document-order items to running text and tables with their context. Page numbers and
    running headers neither separate a table from its continuation nor introduce a table."""
    running = _running_lines(items, titles)
    lines: list[TextLine] = []
    tables: list[RawTable] = []
    pending: list[TextLine] = []
    last: Item | None = None
    for item in items:
        if item.line is not None:
            if _PAGE_MARK.match(item.line.text) or compact(item.line.text) in running:
                continue
            lines.append(item.line)
            pending.append(item.line)
            if last is None or last.table is None or item.page != last.page + 1:
                last = item  # a repeated title at the top of a continuation page keeps `last`
            continue
        table = item.table
        assert table is not None
        if tables and _continues(tables[-1], table, item.page, last, pending, titles):
            _stitch(tables[-1], table)
            last = Item(item.page, item.top, table=tables[-1])
            pending = []
            continue
        if tables:
            tables[-1].trailer = list(pending)
        table.context = list(pending)
        tables.append(table)
        pending = []
        last = item
    if tables:
        tables[-1].trailer = list(pending)
    return lines, tables


