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

import contextlib
import io
import re
from pathlib import Path
from typing import Any, Literal

import pdfplumber
import pypdfium2 as pdfium

from ingest.errors import NotADisclosure, NoTextLayer, UnreadableDocument
from ingest.genre import DISCLOSURE_WORDS, refusal
from ingest.lexicon import Titles, is_caption_row, is_table_title
from ingest.model import BBox, FoundTable, RawTable, TextLine
from ingest.read.assemble import Item, assemble
from ingest.read.pdfium_objects import count_paths, supply_objects
from ingest.read.ruled import read_ruled_tables
from ingest.read.settings import SETTINGS
from ingest.read.unruled_form import form_regions, read_unruled_forms, title_at_foot
from ingest.read.unruled_grid import read_unruled_grids
from ingest.read.words import Word, lines_of


def _layout_items(page: Any, number: int, continues_form: bool, titles: Titles) -> tuple[list[Item] | None, bool]:
    """Tables drawn without rules, read from the layout of the page's words: performance forms
    (`unruled_form`) and grids (`unruled_grid`). And whether the page ends inside a form that
    runs on to the next page."""
    words = [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], number)
        for w in page.extract_words(keep_blank_chars=False, x_tolerance=SETTINGS.word_x_tolerance,
                                    y_tolerance=SETTINGS.word_y_tolerance)
    ]
    lines = lines_of(words)
    regions, runs_on = form_regions(lines, continues_form, titles)
    in_forms = {k for start, end in regions for k in range(start, end)}
    found = read_unruled_forms(lines, regions)
    found += read_unruled_grids([line for k, line in enumerate(lines) if k not in in_forms], titles)
    if not found:
        return None, runs_on
    found.sort(key=lambda f: f.top)
    items = [Item(number, f.top, table=f.table) for f in found]
    margin = SETTINGS.table_text_margin
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if not any(f.top - margin <= middle <= f.bottom + margin for f in found):
            items.append(Item(number, line["top"], line=TextLine(line["text"].strip(), page=number)))
    items.sort(key=lambda i: i.top)
    return items, runs_on


def _in_boxes(char: dict[str, Any], boxes: list[BBox]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _page_items(page: Any, number: int, continues_form: bool, titles: Titles) -> tuple[list[Item], bool]:
    """The page's tables and running text in reading order, and whether it ends inside a
    performance form drawn without rules that runs on to the next page."""
    items: list[Item] = []
    found: list[FoundTable] = read_ruled_tables(page, number, titles)
    runs_on = False
    if not found:
        layout, runs_on = _layout_items(page, number, continues_form, titles)
        if layout is not None:
            return layout, runs_on
    boxes = [f.bbox for f in found]
    for f in found:
        part = f.table
        if all(is_caption_row(r, titles) or not any(c.text.strip() for c in r) for r in part.rows):
            # a title drawn in a box is a title, not a table
            for k, r in enumerate(part.rows):
                text = " ".join(c.text.strip() for c in r if c.text.strip())
                if text:
                    items.append(Item(number, f.top + k / 100, line=TextLine(text, page=number)))
            continue
        items.append(Item(number, f.top, table=part))
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
            items.append(Item(number, line["top"], line=TextLine(text, page=number)))
    items.sort(key=lambda i: i.top)
    return items, runs_on


_NUMERIC_TOKEN = re.compile(r"^[(（-]?\d[\d,]*(?:\.\d+)?%?[)）]?$")


def needs_layout(text: str, path_objects: int) -> bool:
    """Whether a page may hold a table, judged from pypdfium2's cheap reading: ruling drawn
    (path objects), or lines with two or more free-standing numbers (a table without rules;
    one line of `wide_row` numbers is a table of one row), or lines ending in a number after
    a name (a list of names and amounts or line numbers).
    Pages that hold neither (cover, contents, narrative) skip pdfplumber's costly parse."""
    if path_objects >= SETTINGS.ruled_page_paths:
        return True
    lines = [line.split() for line in text.splitlines()]
    figures = [sum(bool(_NUMERIC_TOKEN.match(tok)) for tok in tokens) for tokens in lines]
    ending = sum(len(tokens) > 1 and bool(_NUMERIC_TOKEN.match(tokens[-1])) for tokens in lines)
    return (sum(n >= SETTINGS.row_figures for n in figures) >= SETTINGS.figure_lines or any(n >= SETTINGS.wide_row for n in figures)
            or ending >= SETTINGS.name_amount_lines)


def titled_grid(text: str, path_objects: int, titles: Titles) -> bool:
    """A page that paints a few paths and prints a table's title: an empty table whose grid
    is drawn in fewer path objects than `ruled_page_paths` and which prints no figure (上海民政's
    unit budget: header and 合计 only, four tables a page each, reported missing when skipped)."""
    # pdfium gives the lines in the order they are painted, the title not always first
    return bool(path_objects) and any(is_table_title(line, titles) for line in text.splitlines() if line.strip())


def _narrative_items(text: str, number: int) -> list[Item]:
    return [
        Item(number, float(k), line=TextLine(line.strip(), page=number))
        for k, line in enumerate(text.splitlines())
        if line.strip()
    ]


def read_pdf(
    path: Path, data: bytes, titles: Titles, *, objects: Literal["pdfium", "pdfminer"] = "pdfium"
) -> tuple[list[TextLine], list[RawTable], int]:
    """The document's running text and tables, and its page count. `titles` says which
    printed lines title a table. `objects` says who reads a page's characters and rulings
    for pdfplumber: "pdfium" (pypdfium2, fast; see `ingest.read.pdfium_objects`) or
    "pdfminer" (pdfplumber's own parse)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise UnreadableDocument(path, "the PDF is encrypted") from exc
        raise UnreadableDocument(path, f"the PDF is damaged or truncated ({exc})") from exc
    texts: list[str] = []
    items: list[Item] = []
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
                if index + 1 == min(SETTINGS.probe_pages, pages):
                    probe = "".join(texts)
                    if probe.strip() and not DISCLOSURE_WORDS.search(probe):
                        raise NotADisclosure(path, refusal("\n".join(texts).splitlines(), index + 1, pages))
                paths = count_paths(page, SETTINGS.ruled_page_paths) if text.strip() else 0
                if not text.strip() or not (form_open or needs_layout(text, paths) or titled_grid(text, paths, titles)):
                    items.extend(_narrative_items(text, index + 1))
                    form_open = title_at_foot(text, titles)
                    continue
                if pdf is None:
                    pdf = stack.enter_context(pdfplumber.open(io.BytesIO(data)))
                plumber_page = pdf.pages[index]
                if objects == "pdfium":
                    supply_objects(plumber_page, page, text_page)
                page_items, form_open = _page_items(plumber_page, index + 1, form_open, titles)
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
    lines, tables = assemble(items, titles)
    return lines, tables, pages
