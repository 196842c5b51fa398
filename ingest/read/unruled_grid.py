"""Tables drawn without ruling lines, read from the layout of their words.

pdfplumber's table finder sees nothing on such a page, and its text strategy misplaces about
a quarter of the amounts, so the grid is rebuilt from how cells are filled: names, codes and
header texts start just right of their cell's left border, figures end just left of its
right border. Both kinds of edge cluster into border positions; the columns are the
intervals between borders. Each line with figures is a row; a line holding only a name
fragment just above or below a row's figures is that row's name wrapped in its cell.

Pure functions from words to `RawTable`s.
"""

from __future__ import annotations

import re
from statistics import median

from ingest.lexicon import Titles, is_caption_line, is_column_numbers
from ingest.model import FoundTable, RawTable, SourceCell
from ingest.read.settings import SETTINGS
from ingest.read.words import (
    BARE_INTEGER,
    Line,
    Word,
    is_anchor,
    join_wrapped,
    joined,
    line_text,
    lines_of,
    phrases,
    wraps_onto,
)

_SENTENCE = re.compile(r"[，。；]")


def _is_column_numbers(line: Line) -> bool:
    """'栏次 | 1 | 2 …': printed column numbers belong to the header."""
    return is_column_numbers([w.text for w in line])


def _is_tabular(line: Line) -> bool:
    if _is_column_numbers(line):
        return False
    return sum(w.is_figure for w in line) >= SETTINGS.row_figures or (
        any(w.is_figure for w in line) and any(BARE_INTEGER.match(w.text) for w in line)
    )


def _borders(body: list[Line], header: list[Line]) -> list[float]:
    pad = SETTINGS.border_padding
    edges = [w.x1 + pad for line in body for w in line if w.is_figure]
    # a header spaced out ('收 入') is one phrase: its second character starts no cell
    edges += [w.x0 - pad for line in body + [phrases(h) for h in header] for w in line if not w.is_figure]
    clusters: list[list[float]] = []
    for edge in sorted(edges):
        if clusters and edge - clusters[-1][-1] <= SETTINGS.border_tolerance:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    borders = [median(c) for c in clusters]
    words = [w for line in body + header for w in line]
    right = max(w.x1 for w in words) + pad
    if not borders or right > borders[-1] + SETTINGS.border_tolerance:
        borders.append(right)
    # a border the edges do not show: between a name column and the figures after it
    body_words = [w for line in body for w in line]
    split: list[float] = [borders[0]]
    for b in borders[1:]:
        inside = [w for w in body_words if split[-1] < (w.x0 + w.x1) / 2 < b]
        names = [w for w in inside if not w.is_figure]
        figures = [w for w in inside if w.is_figure]
        if names and figures and max(n.x1 for n in names) < min(f.x0 for f in figures):
            split.append((max(n.x1 for n in names) + min(f.x0 for f in figures)) / 2)
        split.append(b)
    # the gutter between one cell's figures and the next cell's text holds nothing: no column
    out = [split[0]]
    for b in split[1:]:
        if any(out[-1] <= (w.x0 + w.x1) / 2 < b for w in words) or any(out[-1] <= w.x0 + SETTINGS.column_start < b for w in words):
            out.append(b)
        else:
            out[-1] = b
    return out


def _column(word: Word, borders: list[float], header: bool) -> int:
    # header text starts its span
    x = word.x0 + SETTINGS.column_start if header else (word.x0 + word.x1) / 2
    for k in range(len(borders) - 1):
        if borders[k] - SETTINGS.column_start <= x < borders[k + 1]:
            return k
    return 0 if x < borders[0] else len(borders) - 2


def _cell_blocks(body: list[Line]) -> list[Word]:
    """The body's words with a name wrapped inside its cell joined into one block: a fragment
    starting at the left edge of the one above it, just below it. Two lines that both print
    figures are two rows, never one cell."""
    anchored = {id(w): any(is_anchor(x) for x in line) for line in body for w in line}
    blocks: list[tuple[Word, bool]] = []  # (block, its last fragment's line prints figures)
    for line in body:
        for w in line:
            if is_anchor(w):
                blocks.append((w, True))
                continue
            for k, (b, b_anchored) in enumerate(blocks):
                if not is_anchor(b) and wraps_onto(b, w) and not (b_anchored and anchored[id(w)]):
                    blocks[k] = (joined(b, w), anchored[id(w)])
                    break
            else:
                blocks.append((w, anchored[id(w)]))
    return [b for b, _ in blocks]


def _body_rows(body: list[Line]) -> list[Line]:
    """Lines with figures are rows. A name, joined over the lines it wraps onto in its cell,
    belongs to the row whose figures sit nearest its middle (a cell's text is centred in its
    row), within `wrap_distance`; names that belong to no such row make rows of their own, one
    per middle."""
    blocks = _cell_blocks(body)
    anchors = [median(w.middle for w in line) for line in lines_of([b for b in blocks if is_anchor(b)])]
    rows: dict[float, Line] = {m: [] for m in anchors}
    loose: list[Word] = []
    for b in blocks:
        if is_anchor(b):
            home = min(anchors, key=lambda m: abs(m - b.middle))
            rows[home].append(b)
            continue
        near = [(abs(m - b.middle), m) for m in anchors if abs(m - b.middle) <= SETTINGS.wrap_distance]
        if near:
            rows[min(near)[1]].append(b)
        else:
            loose.append(b)
    for line in lines_of(loose):
        rows.setdefault(median(w.middle for w in line), []).extend(line)
    return [sorted(rows[m], key=lambda w: w.x0) for m in sorted(rows) if rows[m]]


def _header_cells(header: list[Line]) -> list[Line]:
    """Header text wrapped inside its cell ('公务用车购置及运行维' / '护费') joined into one
    word (column numbers stay apart), and the words re-lined by their middles: a cell's
    text is centred in its row however many lines it wraps onto, so a row's cells share a
    middle."""
    fragments = [w for line in header for w in phrases(line)]
    return lines_of(join_wrapped(fragments, lambda c, f: bool(BARE_INTEGER.match(f.text) or BARE_INTEGER.match(c.text))))


def _header_rows(header: list[Line], borders: list[float]) -> list[Line]:
    """A header cell merged over two rows prints its text vertically centred, on a line of
    its own: lines that fill different columns and sit within a row's height are one row."""
    rows: list[Line] = []
    for line in map(phrases, header):
        columns = {_column(w, borders, True) for w in line}
        if rows:
            previous = rows[-1]
            taken = {_column(w, borders, True) for w in previous}
            gap = median(w.middle for w in line) - median(w.middle for w in previous)
            if not columns & taken and gap < SETTINGS.header_row:
                rows[-1] = previous + line
                continue
        rows.append(list(line))
    return rows


def _table(header: list[Line], body: list[Line]) -> RawTable:
    borders = _borders(body, header)
    width = len(borders) - 1
    out: list[list[SourceCell]] = []
    header = _header_rows(_header_cells(header), borders)
    for line, is_header in [(h, True) for h in header] + [(r, False) for r in _body_rows(body)]:
        texts = [""] * width
        boxes: list[tuple[float, float, float, float] | None] = [None] * width
        for w in sorted(line, key=lambda w: (w.top, w.x0)):
            k = _column(w, borders, is_header)
            texts[k] += w.text
            b = boxes[k]
            boxes[k] = (w.x0, w.top, w.x1, w.bottom) if b is None else (
                min(b[0], w.x0), min(b[1], w.top), max(b[2], w.x1), max(b[3], w.bottom))
        out.append([SourceCell(t, page=line[0].page, bbox=b) for t, b in zip(texts, boxes, strict=True)])
    return RawTable(rows=out, origin="layout")


def _found(table: RawTable, lines: list[Line], body: list[Line]) -> FoundTable:
    """The table with the box of its lines (its top is its header's, its bottom its body's)."""
    words = [w for line in lines for w in line]
    return FoundTable(table, (min(w.x0 for w in words), min(w.top for w in words),
                              max(w.x1 for w in words), max(w.bottom for line in body for w in line)))


def read_unruled_grids(lines: list[Line], titles: Titles) -> list[FoundTable]:
    """The unruled tables among a page's words, each with its top and bottom. A table is a
    run of at least three row-like lines (a code or line number) of which one has figures, or
    rows with figures under a printed 栏次 line,
    between title, unit and note lines; the header is the text lines just above it. `lines`
    are the page's words in lines (`lines_of`); `titles` says which lines title a table."""
    tables: list[FoundTable] = []
    segment: list[Line] = []

    def close() -> None:
        tabular = [i for i, line in enumerate(segment) if _is_tabular(line)]
        # rows that print only a line number or a code (no amount) are rows all the same
        row_like = [i for i, line in enumerate(segment) if _is_tabular(line) or (
            not _is_column_numbers(line) and any(BARE_INTEGER.match(w.text) for w in line))]
        # a printed 栏次 line announces a table however few its rows: a 三公 table printing
        # one line of totals, a 国有资本 table printing only '合计 … 0.00'
        figures = [i for i, line in enumerate(segment) if any(w.is_figure for w in line)]
        numbered = bool(figures) and any(_is_column_numbers(line) for line in segment[: figures[0]])
        if numbered:
            row_like = sorted(set(row_like) | set(figures))
        # and so does a header of four or more column names above rows of figures (a table
        # starting at a page's foot, its other rows on the next page)
        header_at = next(
            (i for i in range(tabular[0] - 1, -1, -1) if _is_header_line(segment[i])),
            None,
        ) if tabular else None
        headed = header_at is not None
        if header_at is not None:  # under a header, a name with one amount is a row too (项目 lists)
            row_like = sorted(set(row_like) | {i for i in figures if i > header_at})
        columns = _text_columns(segment)
        numbers_at = next((i for i, line in enumerate(segment) if _is_column_numbers(line)), None)
        if not figures and numbers_at is not None and numbers_at > 0:
            _empty_table(segment, numbers_at)  # a table printed empty: its header, its 栏次
            segment.clear()
            return
        if (tabular and (len(row_like) >= SETTINGS.table_rows or headed) or numbered) and not any(
            _is_prose(segment[i], columns) for i in row_like
        ):
            first, last = row_like[0], row_like[-1]
            while first > 0 and _starts_body_cells(segment[first - 1], segment[first : first + SETTINGS.wrapped_name_lines]):
                first -= 1  # a name wrapped in its cell, printed before its row's figures
            while last + 1 < len(segment) and _in_name_columns(segment[last + 1], segment[first : last + 1]):
                last += 1  # rows printing no figure after the last that does (the page breaks)
            body = [ln for ln in segment[first : last + 1]]
            header = segment[max(0, first - SETTINGS.header_lines) : first]
            tables.append(_found(_table(header, body), header + body, body))
        segment.clear()

    def _empty_table(segment: list[Line], numbers_at: int) -> None:
        """A header down to its column numbers (栏次 | 1 | 2 …) and the rows printing no
        figure under them ('合计'): a table published empty, landed as such."""
        header = segment[max(0, numbers_at + 1 - SETTINGS.header_lines) : numbers_at + 1]
        body = segment[numbers_at + 1 :]
        if any(_is_prose(line, []) for line in header + body):
            return
        tables.append(_found(_table(header, body), header + body, header + body))

    for line in lines:
        if is_caption_line(line_text(line), titles) or _is_prose(line, _text_columns(segment)):
            close()
            continue
        segment.append(line)
    close()
    return tables


def _in_name_columns(line: Line, body: list[Line]) -> bool:
    """Every word of the line starts where the body's names start: more rows of names."""
    starts = [w.x0 for ln in body for w in ln if not is_anchor(w)]
    return bool(line) and all(not is_anchor(w) and any(abs(w.x0 - x) <= SETTINGS.name_column_align for x in starts) for w in line)


def _starts_body_cells(line: Line, below: list[Line]) -> bool:
    """Every word of the line is the first line of a name the body continues: the next
    fragment starts at its left edge just below it. On a page that continues a table, the
    rows before the first figures are such names, not a header."""
    fragments = [w for ln in below for w in ln if not is_anchor(w)]
    return bool(line) and all(not is_anchor(w) and any(wraps_onto(w, f) for f in fragments) for w in line)


def _is_header_line(line: Line) -> bool:
    return len(line) >= SETTINGS.headed and not any(is_anchor(w) for w in line)


def _text_columns(segment: list[Line]) -> list[float]:
    """Where the header above names a column other than the first: the left edges at which a
    cell's sentences (a project's 简介) start."""
    header = next((line for line in segment if _is_header_line(line)), None)
    return [w.x0 for w in header[1:]] if header else []


def _is_prose(line: Line, columns: list[float]) -> bool:
    """A line of running text: it holds a sentence ('，。；') that does not start at a text
    column the table's header names."""
    return any(
        _SENTENCE.search(w.text) and not any(abs(w.x0 - c) <= SETTINGS.text_column_align for c in columns)
        for w in line
    )
