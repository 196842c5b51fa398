"""Read a PDF with pdfplumber into the format-independent `RawTable`/`TextLine` shapes.

pypdfium2 reads every page's text first (to refuse what is not a disclosure, and to let a page
without a table skip the rest); a page that may hold a table is given to pdfplumber's table
finder with its characters and rulings read by pypdfium2 (`ingest.read.pdfium_objects`), not by
pdfminer's layout engine, which costs about ten times as much.

Per page: the ruled tables pdfplumber finds (merged cells come back empty, a name wrapped
inside its cell is joined), the text lines outside them, in reading order. A table that
continues on the next page — the first thing on that page, with as many columns — is
stitched to its predecessor, and a header repeated at the top of the continuation is dropped.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ingest.errors import NotADisclosure, NoTextLayer, UnreadableDocument
from ingest.interpret.restructure import is_caption, split_at_inner_titles
from ingest.model import RawTable, SourceCell, TextLine
from ingest.numbers import CellKind, find_unit, parse_cell
from ingest.read.pdfium_objects import supply_objects
from ingest.read.unruled_form import form_regions, read_layout_form, title_at_foot
from ingest.read.unruled_grid import Word, lines_of, read_layout_tables

PROBE_PAGES = 6  # a disclosure says 预算 or 决算 on its first pages
_DISCLOSURE_WORDS = re.compile(r"预算|决算|預算|決算")
_PAGE_MARK = re.compile(r"^[\s\-—–第页共/\d·.]*$")  # '- 7 -', '第3页', '3/20'


@dataclass
class _Item:
    page: int
    top: float
    line: TextLine | None = None
    table: RawTable | None = None


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    # a name wrapped onto two lines inside its cell: CJK text joins without a space
    parts = [p.strip() for p in text.split("\n")]
    joined = parts[0]
    for part in parts[1:]:
        sep = " " if joined[-1:].isascii() and part[:1].isascii() and joined[-1:].isalnum() else ""
        joined += sep + part
    return joined


_COLLAPSED = re.compile(r"\d.*[\u4e00-\u9fff].*\d")


def _collapsed(rows: list[list[str | None]]) -> bool:
    """A grid whose only ruling is its frame: whole rows land in one cell ('301工资福利支出2,928.98')."""
    width = max((len(r) for r in rows), default=0)
    return width <= 2 and sum(bool(c and _COLLAPSED.search(c)) for r in rows for c in r) >= 3


def _layout_items(page: Any, number: int, continues_form: bool) -> tuple[list[_Item] | None, bool]:
    """Tables drawn without rules, read from the layout of the page's words: performance forms
    (`ingest.read.unruled_form`) and grids (`ingest.read.unruled_grid`). And whether the page ends inside
    a form that runs on to the next page."""
    words = [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], number)
        for w in page.extract_words(keep_blank_chars=False, x_tolerance=1.5, y_tolerance=2)
    ]
    lines = lines_of(words)
    regions, runs_on = form_regions(lines, continues_form)
    in_forms = {k for start, end in regions for k in range(start, end)}
    found = [
        (read_layout_form(lines[start:end]), lines[start][0].top, max(w.bottom for w in lines[end - 1]))
        for start, end in regions
    ]
    found += read_layout_tables([line for k, line in enumerate(lines) if k not in in_forms])
    if not found:
        return None, runs_on
    found.sort(key=lambda f: f[1])
    items = [_Item(number, top, table=table) for table, top, _ in found]
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if not any(top - 1 <= middle <= bottom + 1 for _, top, bottom in found):
            items.append(_Item(number, line["top"], line=TextLine(line["text"].strip(), page=number)))
    items.sort(key=lambda i: i.top)
    return items, runs_on


def _in_boxes(char: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


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


def _extract(table: Any, index: _CharIndex) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`, same rule and same text: a character belongs to the
    cell holding the middle of its box; a cell's text is `utils.extract_text` of its chars."""
    from pdfplumber.utils import extract_text

    rows: list[list[str | None]] = []
    for row in table.rows:
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            chars = index.within(*cell)
            texts.append(extract_text(chars) if chars else "")
        rows.append(texts)
    return rows


def _page_items(page: Any, number: int, continues_form: bool) -> tuple[list[_Item], bool]:
    """The page's tables and running text in reading order, and whether it ends inside a
    performance form drawn without rules that runs on to the next page."""
    items: list[_Item] = []
    index = _CharIndex(page.chars)
    extracted = [(t, _extract(t, index)) for t in page.find_tables()]
    extracted = [(t, texts) for t, texts in extracted if not _collapsed(texts)]
    found = [t for t, _ in extracted]
    runs_on = False
    if not found:
        layout, runs_on = _layout_items(page, number, continues_form)
        if layout is not None:
            return layout, runs_on
    boxes = [t.bbox for t in found]
    for table, texts in extracted:
        rows: list[list[SourceCell]] = []
        for row_cells, row_texts in zip(table.rows, texts, strict=False):
            cells = []
            for bbox, text in zip(row_cells.cells, row_texts, strict=False):
                cells.append(
                    SourceCell(
                        _cell_text(text),
                        page=number,
                        bbox=tuple(round(v, 2) for v in bbox) if bbox else None,  # type: ignore[arg-type]
                    )
                )
            rows.append(cells)
        if not rows:
            continue
        for part in split_at_inner_titles(RawTable(rows=rows, origin="ruled")):
            tops = [c.bbox[1] for c in part.rows[0] if c.bbox]
            top = min(tops) if tops else table.bbox[1]
            if all(is_caption(r) or not any(c.text.strip() for c in r) for r in part.rows):
                # a title drawn in a box is a title, not a table
                for k, r in enumerate(part.rows):
                    text = " ".join(c.text.strip() for c in r if c.text.strip())
                    if text:
                        items.append(_Item(number, top + k / 100, line=TextLine(text, page=number)))
                continue
            items.append(_Item(number, top, table=part))
    # the running text is read from the characters outside the tables (grouping a page's
    # characters into lines costs as much as finding its tables)
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _in_boxes(obj, boxes)) if boxes else page
    for line in outside.extract_text_lines(return_chars=False):
        mid = (line["top"] + line["bottom"]) / 2
        inside = any(
            b[1] <= mid <= b[3] and line["x0"] < b[2] and line["x1"] > b[0] for b in boxes
        )
        text = line["text"].strip()
        if text and not inside:
            items.append(_Item(number, line["top"], line=TextLine(text, page=number)))
    items.sort(key=lambda i: i.top)
    return items, runs_on


def _same_row(a: list[SourceCell], b: list[SourceCell]) -> bool:
    """Same printed texts in the same order (merged cells may align to other columns)."""
    def texts(row: list[SourceCell]) -> list[str]:
        return [t for c in row if (t := re.sub(r"\s", "", c.text))]

    return bool(texts(a)) and texts(a) == texts(b)


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
            round(box[0] * 2) / 2 for row in table.rows if j < len(row) and (box := row[j].bbox) is not None
        )
        lefts.append(edges.most_common(1)[0][0] if edges else None)
    return lefts


ALIGNED_EDGE = 1.0  # pt: a cell starting this close to a column's left edge is in that column


def _align(
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
        if edges and min(edges)[0] <= ALIGNED_EDGE:
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


_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d)")


def _is_wrapped_tail(row: list[SourceCell], previous: list[SourceCell]) -> bool:
    """The rest of a name wrapped over the page break ('八、社会保障和就' / '业支出')."""
    filled = [j for j, c in enumerate(row) if c.text.strip()]
    if not filled:
        return False
    for j in filled:
        text = row[j].text.strip()
        if _ENUMERATED.match(text) or parse_cell(text).kind is not CellKind.TEXT:
            return False
        if j >= len(previous) or not previous[j].text.strip():
            return False
    return True


def _stitch(previous: RawTable, continuation: RawTable) -> None:
    header = previous.rows[:6]
    rows = list(continuation.rows)
    while rows and any(_same_row(rows[0], h) for h in header):
        rows = rows[1:]  # the header repeated on the new page, as printed (before aligning)
    if continuation.origin == "layout_form":  # cells in reading order: forms.py places them
        previous.rows.extend(rows)
        return
    spans, lefts = _column_spans(previous), _column_lefts(previous)
    rows = [_align(r, spans, lefts) for r in rows]
    if rows and previous.rows and _is_wrapped_tail(rows[0], previous.rows[-1]):
        last = previous.rows[-1]
        for j, cell in enumerate(rows.pop(0)):
            if cell.text.strip():
                last[j] = SourceCell(last[j].text + cell.text.strip(), last[j].page, last[j].line, last[j].bbox)
    previous.rows.extend(rows)


TITLE_BLOCK = 4  # the lines just above a table that title it (title, numbering, 部门, 单位)
RUNNING_SHARE = 0.4  # a line printed on this share of the pages is a running header/footer


def _running_lines(items: list[_Item]) -> set[str]:
    pages: dict[str, set[int]] = {}
    for item in items:
        if item.line is not None:
            pages.setdefault(re.sub(r"\s+", "", item.line.text), set()).add(item.page)
    total = len({item.page for item in items})
    need = max(3, RUNNING_SHARE * total)
    # a caption repeated above every table ('编制单位：… 单位：元') is not a running header: it
    # announces each table's unit
    return {text for text, seen in pages.items()
            if len(seen) >= need and len(text) > 4 and not find_unit(text)}


def _continues(
    previous: RawTable, table: RawTable, page: int, last: _Item | None, pending: list[TextLine]
) -> bool:
    """Whether `table` is the previous table running on: it opens the next page, and nothing
    stands between them but a repetition of the previous table's own title lines."""
    if last is None or last.table is not previous or page != last.page + 1:
        return False
    if table.rows and is_caption(table.rows[0]):
        return False  # a new table titled in its grid
    own = {re.sub(r"\s+", "", ln.text) for ln in previous.context[-TITLE_BLOCK:]}
    return all(re.sub(r"\s+", "", ln.text) in own for ln in pending)


def assemble(items: list[_Item]) -> tuple[list[TextLine], list[RawTable]]:
    """Document-order items to running text and tables with their context. Page numbers and
    running headers neither separate a table from its continuation nor introduce a table."""
    running = _running_lines(items)
    lines: list[TextLine] = []
    tables: list[RawTable] = []
    pending: list[TextLine] = []
    last: _Item | None = None
    for item in items:
        if item.line is not None:
            if _PAGE_MARK.match(item.line.text) or re.sub(r"\s+", "", item.line.text) in running:
                continue
            lines.append(item.line)
            pending.append(item.line)
            if last is None or last.table is None or item.page != last.page + 1:
                last = item  # a repeated title at the top of a continuation page keeps `last`
            continue
        table = item.table
        assert table is not None
        if tables and _continues(tables[-1], table, item.page, last, pending):
            _stitch(tables[-1], table)
            last = _Item(item.page, item.top, table=tables[-1])
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


WIDE_ROW = 4  # free-standing numbers on one line that make a page worth reading (a one-row table)
_NUMERIC_TOKEN = re.compile(r"^[(（-]?\d[\d,]*(?:\.\d+)?%?[)）]?$")


def needs_layout(text: str, path_objects: int) -> bool:
    """Whether a page may hold a table, judged from pypdfium2's cheap reading: ruling drawn
    (path objects), or lines with two or more free-standing numbers (a table without rules;
    one line of WIDE_ROW numbers is a table of one row), or lines ending in a number after
    a name (a list of names and amounts or line numbers).
    Pages that hold neither (cover, contents, narrative) skip pdfplumber's costly parse."""
    if path_objects >= 4:
        return True
    lines = [line.split() for line in text.splitlines()]
    figures = [sum(bool(_NUMERIC_TOKEN.match(tok)) for tok in tokens) for tokens in lines]
    ending = sum(len(tokens) > 1 and bool(_NUMERIC_TOKEN.match(tokens[-1])) for tokens in lines)
    return sum(n >= 2 for n in figures) >= 3 or any(n >= WIDE_ROW for n in figures) or ending >= 3


def _narrative_items(text: str, number: int) -> list[_Item]:
    return [
        _Item(number, float(k), line=TextLine(line.strip(), page=number))
        for k, line in enumerate(text.splitlines())
        if line.strip()
    ]


def read_pdf(
    path: Path, data: bytes, *, objects: Literal["pdfium", "pdfminer"] = "pdfium"
) -> tuple[list[TextLine], list[RawTable], int]:
    """The document's running text and tables, and its page count. `objects` says who reads
    a page's characters and rulings for pdfplumber: "pdfium" (pypdfium2, fast; see
    `ingest.read.pdfium_objects`) or "pdfminer" (pdfplumber's own parse)."""
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise UnreadableDocument(path, "the PDF is encrypted") from exc
        raise UnreadableDocument(path, f"the PDF is damaged or truncated ({exc})") from exc
    texts: list[str] = []
    items: list[_Item] = []
    try:
        pages = len(document)
        with contextlib.ExitStack() as stack:
            pdf = None  # pdfplumber opens the file only when a page may hold a table
            form_open = False  # the page before ended inside a form drawn without rules
            for index in range(pages):
                page = document[index]
                text_page = page.get_textpage()
                text = text_page.get_text_range()
                texts.append(text)
                if index + 1 == min(PROBE_PAGES, pages):
                    probe = "".join(texts)
                    if probe.strip() and not _DISCLOSURE_WORDS.search(probe):
                        raise NotADisclosure(
                            path, f"not a budget disclosure: no 预算 or 决算 on its first {index + 1} of {pages} pages"
                        )
                paths = sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH)
                if not text.strip() or not (form_open or needs_layout(text, paths)):
                    items.extend(_narrative_items(text, index + 1))
                    form_open = title_at_foot(text)
                    continue
                if pdf is None:
                    pdf = stack.enter_context(pdfplumber.open(io.BytesIO(data)))
                plumber_page = pdf.pages[index]
                if objects == "pdfium":
                    supply_objects(plumber_page, page, text_page)
                page_items, form_open = _page_items(plumber_page, index + 1, form_open)
                items.extend(page_items)
                plumber_page.flush_cache()
    except NotADisclosure:
        raise
    except Exception as exc:  # pdfminer raises many types on broken files
        raise UnreadableDocument(path, f"the PDF cannot be parsed ({type(exc).__name__}: {exc})") from exc
    finally:
        document.close()
    if not any(text.strip() for text in texts):
        raise NoTextLayer(path, f"no extractable text on any of its {pages} pages (a scanned image?)")
    lines, tables = assemble(items)
    return lines, tables, pages
