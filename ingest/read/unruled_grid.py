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
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from ingest.model import RawTable, SourceCell
from ingest.numbers import CellKind, find_unit, parse_cell

LINE_TOLERANCE = 2.5  # pt: words on one visual line
WRAP_DISTANCE = 8.0  # pt: a name fragment this close to a row's figures belongs to it
BORDER_TOLERANCE = 5.0  # pt: edges this close mark one border
_CODE = re.compile(r"^\d{1,9}$")  # codes, segments (款 01), line numbers: bare integers
_SENTENCE = re.compile(r"[，。；]")
_CAPTION = re.compile(
    r"^(?:注|说明|备注|(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]|(?:金额)?单位\s*[:：]|20\d\d\s*年度?$|(?:亿|万)?元$)"
)  # a bare '元' is the rest of a unit line split in two


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def is_figure(self) -> bool:
        """An amount, percentage or dash: right-aligned in its cell."""
        if _CODE.match(self.text):
            return False
        return parse_cell(self.text).kind in (CellKind.NUMBER, CellKind.PERCENT, CellKind.DASH)


Line = list[Word]


_ENUMERATOR = re.compile(r"^(?:\d{1,2}\.|[（(][\d一二三四五六七八九十]{1,3}[)）])$")  # '3.', '(2)'
ENUMERATOR_GAP = 6.0  # pt: an enumerator this close before a name is part of the name


def _with_enumerators(line: Line) -> Line:
    """'3.' printed with a space before its name ('3. 机要通信用车') is one cell's text."""
    out: Line = []
    for w in line:
        last = out[-1] if out else None
        if (last is not None and _ENUMERATOR.match(last.text) and w.x0 - last.x1 < ENUMERATOR_GAP
                and parse_cell(w.text).kind is CellKind.TEXT):
            out[-1] = Word(f"{last.text} {w.text}", last.x0, w.x1, min(last.top, w.top), max(last.bottom, w.bottom), w.page)
        else:
            out.append(w)
    return out


def lines_of(words: list[Word]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines and abs(median(w.middle for w in lines[-1]) - word.middle) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_with_enumerators(sorted(line, key=lambda w: w.x0)) for line in lines]


def line_text(line: Line) -> str:
    return "".join(w.text for w in line)


def _is_caption(line: Line) -> bool:
    from ingest.catalogue import find_numbering, match_title

    text = line_text(line)
    return bool(
        _CAPTION.match(text) or find_unit(text) or (text.endswith("表") and match_title(text))
        or find_numbering(text) == text
    )


def _is_column_numbers(line: Line) -> bool:
    """'栏次 | 1 | 2 …': printed column numbers belong to the header."""
    from ingest.interpret.grid import _is_column_number_row

    return _is_column_number_row([w.text for w in line])


def _is_tabular(line: Line) -> bool:
    if _is_column_numbers(line):
        return False
    return sum(w.is_figure for w in line) >= 2 or (
        any(w.is_figure for w in line) and any(_CODE.match(w.text) for w in line)
    )


def _borders(body: list[Line], header: list[Line]) -> list[float]:
    edges = [w.x1 + 2 for line in body for w in line if w.is_figure]
    # a header spaced out ('收 入') is one phrase: its second character starts no cell
    edges += [w.x0 - 2 for line in body + [phrases(h) for h in header] for w in line if not w.is_figure]
    clusters: list[list[float]] = []
    for edge in sorted(edges):
        if clusters and edge - clusters[-1][-1] <= BORDER_TOLERANCE:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    borders = [median(c) for c in clusters]
    words = [w for line in body + header for w in line]
    right = max(w.x1 for w in words) + 2
    if not borders or right > borders[-1] + BORDER_TOLERANCE:
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
        if any(out[-1] <= (w.x0 + w.x1) / 2 < b for w in words) or any(out[-1] <= w.x0 + 1 < b for w in words):
            out.append(b)
        else:
            out[-1] = b
    return out


def _column(word: Word, borders: list[float], header: bool) -> int:
    x = word.x0 + 1 if header else (word.x0 + word.x1) / 2  # header text starts its span
    for k in range(len(borders) - 1):
        if borders[k] - 1 <= x < borders[k + 1]:
            return k
    return 0 if x < borders[0] else len(borders) - 2


def is_anchor(word: Word) -> bool:
    return word.is_figure or bool(_CODE.match(word.text))


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


def _rows(body: list[Line]) -> list[Line]:
    """Lines with figures are rows. A name, joined over the lines it wraps onto in its cell,
    belongs to the row whose figures sit nearest its middle (a cell's text is centred in its
    row), within WRAP_DISTANCE; names that belong to no such row make rows of their own, one
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
        near = [(abs(m - b.middle), m) for m in anchors if abs(m - b.middle) <= WRAP_DISTANCE]
        if near:
            rows[min(near)[1]].append(b)
        else:
            loose.append(b)
    for line in lines_of(loose):
        rows.setdefault(median(w.middle for w in line), []).extend(line)
    return [sorted(rows[m], key=lambda w: w.x0) for m in sorted(rows) if rows[m]]


TEXT_COLUMN_ALIGN = 1.5  # pt: a sentence starting this close to a header's column edge is a cell's text
HEADED = 4  # column names on one header line that announce a table of any length
HEADER_LINES = 12  # lines above the first row that may be its header (wrapped three-row headers)
HEADER_ROW = 18.0  # pt: header lines closer than this may be one row of the header


PHRASE_GAP = 3.5  # pt: header words closer than this are one phrase ('收 入')
SPACE_WIDTH = 1.5  # pt: words this far apart have a space printed between them


def phrases(line: Line, spaced: bool = False) -> Line:
    """Words closer than PHRASE_GAP joined into one phrase; `spaced` keeps the printed space
    between them ('其中: 本年财政拨款'), where a header's spacing ('收 入') is dropped."""
    out: Line = []
    for w in line:
        if out and w.x0 - out[-1].x1 < PHRASE_GAP:
            last = out[-1]
            sep = " " if spaced and w.x0 - last.x1 >= SPACE_WIDTH else ""
            out[-1] = Word(last.text + sep + w.text, last.x0, w.x1, min(last.top, w.top), max(last.bottom, w.bottom), w.page)
        else:
            out.append(w)
    return out


WRAP_GAP = 4.0  # pt: text starting this close below other text, at its left edge, continues it
WRAP_INDENT = 3.0  # pt: and this close to that edge (a wrapped line may open with a space)


def wraps_onto(upper: Word, lower: Word) -> bool:
    """`lower` is the next line of the text `upper` wraps in its cell: it starts at the same
    left edge, just below."""
    return abs(upper.x0 - lower.x0) <= WRAP_INDENT and 0 <= lower.top - upper.bottom <= WRAP_GAP


def joined(upper: Word, lower: Word) -> Word:
    return Word(upper.text + lower.text, upper.x0, max(upper.x1, lower.x1), upper.top, lower.bottom, upper.page)


def join_wrapped(fragments: list[Word], apart: Callable[[Word, Word], bool]) -> list[Word]:
    """Text wrapped inside its cell joined into one word: a fragment continues the one it
    starts just below, at its left edge (`wraps_onto`), unless `apart(upper, lower)` says
    they are two cells."""
    cells: list[Word] = []
    for f in sorted(fragments, key=lambda w: (w.top, w.x0)):
        for k, c in enumerate(cells):
            if wraps_onto(c, f) and not apart(c, f):
                cells[k] = joined(c, f)
                break
        else:
            cells.append(f)
    return cells


def _header_cells(header: list[Line]) -> list[Line]:
    """Header text wrapped inside its cell ('公务用车购置及运行维' / '护费') joined into one
    word (column numbers stay apart), and the words re-lined by their middles: a cell's
    text is centred in its row however many lines it wraps onto, so a row's cells share a
    middle."""
    fragments = [w for line in header for w in phrases(line)]
    return lines_of(join_wrapped(fragments, lambda c, f: bool(_CODE.match(f.text) or _CODE.match(c.text))))


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
            if not columns & taken and gap < HEADER_ROW:
                rows[-1] = previous + line
                continue
        rows.append(list(line))
    return rows


def _table(header: list[Line], body: list[Line]) -> RawTable:
    borders = _borders(body, header)
    width = len(borders) - 1
    out: list[list[SourceCell]] = []
    header = _header_rows(_header_cells(header), borders)
    for line, is_header in [(h, True) for h in header] + [(r, False) for r in _rows(body)]:
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


def read_layout_tables(lines: list[Line]) -> list[tuple[RawTable, float, float]]:
    """The unruled tables among a page's words, each with its top and bottom. A table is a
    run of at least three row-like lines (a code or line number) of which one has figures, or
    rows with figures under a printed 栏次 line,
    between title, unit and note lines; the header is the text lines just above it. `lines`
    are the page's words in lines (`lines_of`)."""
    tables: list[tuple[RawTable, float, float]] = []
    segment: list[Line] = []

    def close() -> None:
        tabular = [i for i, line in enumerate(segment) if _is_tabular(line)]
        # rows that print only a line number or a code (no amount) are rows all the same
        row_like = [i for i, line in enumerate(segment) if _is_tabular(line) or (
            not _is_column_numbers(line) and any(_CODE.match(w.text) for w in line))]
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
        if (tabular and (len(row_like) >= 3 or headed) or numbered) and not any(
            _is_prose(segment[i], columns) for i in row_like
        ):
            first, last = row_like[0], row_like[-1]
            while first > 0 and _starts_body_cells(segment[first - 1], segment[first : first + 3]):
                first -= 1  # a name wrapped in its cell, printed before its row's figures
            while last + 1 < len(segment) and _in_name_columns(segment[last + 1], segment[first : last + 1]):
                last += 1  # rows printing no figure after the last that does (the page breaks)
            body = [ln for ln in segment[first : last + 1]]
            header = segment[max(0, first - HEADER_LINES) : first]
            table = _table(header, body)
            top = min(w.top for line in header + body for w in line)
            bottom = max(w.bottom for line in body for w in line)
            tables.append((table, top, bottom))
        segment.clear()

    def _empty_table(segment: list[Line], numbers_at: int) -> None:
        """A header down to its column numbers (栏次 | 1 | 2 …) and the rows printing no
        figure under them ('合计'): a table published empty, landed as such."""
        header = segment[max(0, numbers_at + 1 - HEADER_LINES) : numbers_at + 1]
        body = segment[numbers_at + 1 :]
        if any(_is_prose(line, []) for line in header + body):
            return
        table = _table(header, body)
        lines = header + body
        tables.append((table, min(w.top for ln in lines for w in ln), max(w.bottom for ln in lines for w in ln)))

    for line in lines:
        if _is_caption(line) or _is_prose(line, _text_columns(segment)):
            close()
            continue
        segment.append(line)
    close()
    return tables


def _in_name_columns(line: Line, body: list[Line]) -> bool:
    """Every word of the line starts where the body's names start: more rows of names."""
    starts = [w.x0 for ln in body for w in ln if not is_anchor(w)]
    return bool(line) and all(not is_anchor(w) and any(abs(w.x0 - x) <= 2 for x in starts) for w in line)


def _starts_body_cells(line: Line, below: list[Line]) -> bool:
    """Every word of the line is the first line of a name the body continues: the next
    fragment starts at its left edge just below it. On a page that continues a table, the
    rows before the first figures are such names, not a header."""
    fragments = [w for ln in below for w in ln if not is_anchor(w)]
    return bool(line) and all(not is_anchor(w) and any(wraps_onto(w, f) for f in fragments) for w in line)


def _is_header_line(line: Line) -> bool:
    return len(line) >= HEADED and not any(is_anchor(w) for w in line)


def _text_columns(segment: list[Line]) -> list[float]:
    """Where the header above names a column other than the first: the left edges at which a
    cell's sentences (a project's 简介) start."""
    header = next((line for line in segment if _is_header_line(line)), None)
    return [w.x0 for w in header[1:]] if header else []


def _is_prose(line: Line, columns: list[float]) -> bool:
    """A line of running text: it holds a sentence ('，。；') that does not start at a text
    column the table's header names."""
    return any(
        _SENTENCE.search(w.text) and not any(abs(w.x0 - c) <= TEXT_COLUMN_ALIGN for c in columns)
        for w in line
    )
