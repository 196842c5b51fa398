"""Performance forms (项目支出绩效自评表) drawn without rules, read from the layout of their words.

A form is not a grid: its sections have columns of their own (the funding lines under
预算数 / 执行数 / 执行率, the indicators under 一级指标 … 分值 / 得分), and its cells hold
sentences wrapped over many lines. So a form is not rebuilt as one grid like the tables of
`ingest.read.unruled_grid`: each row is read as its cells in reading order, with their boxes, and
`ingest.interpret.forms` lays the indicator rows onto the columns their own header names.

- A form runs from its title (or from the top of a page it continues on) to its notes
  (备注, 注：), the next table's title or the page's foot.
- A cell's text wrapped onto the lines below it (same left edge, just below) is one cell:
  '236001' / '-山西省医疗' / '保障局', '—1473' / '.92平方' / '米'. A figure below starts a cell
  of its own.
- A row is the cells sharing a middle (a cell's text is centred in its row however many lines
  it wraps onto); a header cell merged over two rows prints its text centred between them, so
  header lines without figures that fill different places within a row's height are one row.

Pure functions from a page's lines to `RawTable`s.
"""

from __future__ import annotations

import re
from statistics import median

from ingest.lexicon import Titles, compact, is_title_line
from ingest.model import FoundTable, RawTable, SourceCell
from ingest.read.settings import SETTINGS
from ingest.read.words import (
    Line,
    Word,
    is_anchor,
    join_wrapped,
    line_text,
    lines_of,
    phrases,
    wraps_onto,
)

_NOTES = re.compile(r"^(?:备注|注\s*[:：]|说明\s*[:：])")
_YEAR = r"[(（]?20\d\d\s*年度?[)）]?"  # '(2024年度)' under a form's title
_YEAR_LINE = re.compile(f"^{_YEAR}$")


def _is_form_title(line: Line, titles: Titles) -> bool:
    """The title of a performance form ('办公用房租费项目支出绩效自评表')."""
    return titles.names_form(line_text(line))


def title_at_foot(text: str, titles: Titles) -> bool:
    """A page of running text (read without the table finder) that ends with a form's title
    and year line: the form starts on the next page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while lines and _YEAR_LINE.match(compact(lines[-1])):
        lines.pop()
    if len(lines) > 1 and titles.title_in(compact(lines[-2])):
        return False  # the last entry of a table of contents ('十二、…表' / '十三、…绩效目标表')
    return bool(lines) and titles.names_form(lines[-1])


def _ends_form(line: Line, titles: Titles) -> bool:
    text = line_text(line)
    return bool(_NOTES.match(text) or _is_form_title(line, titles) or is_title_line(text, titles))


_FIELD = re.compile(r"^(?:项目名称|部门[(（]?单位[)）]?名称|单位名称)")


def _opens_form(title: Line, first: list[Line]) -> bool:
    """A form's title names a table (…表), or the form's first field follows it: a report
    titled '…项目支出绩效（自评/评价）报告' is running text."""
    text = re.sub(f"{_YEAR}$", "", compact(line_text(title)))
    return text.endswith("表") or any(_FIELD.match(line_text(line)) for line in first)


def _row_top(lines: list[Line], i: int, titles: Titles) -> int:
    """The first line of the row whose label is on line i: a value wrapped in its cell is
    centred on the label, so its first lines stand above it (within `wrap_distance` of the next,
    or continued by it)."""
    def middle(line: Line) -> float:
        return median(w.middle for w in line)

    while i > 0 and not _ends_form(lines[i - 1], titles) and (
        middle(lines[i]) - middle(lines[i - 1]) <= SETTINGS.wrap_distance
        or any(wraps_onto(u, w) for u in lines[i - 1] for w in lines[i])
    ):
        i -= 1
    return i


def form_regions(lines: list[Line], continues: bool, titles: Titles) -> tuple[list[tuple[int, int]], bool]:
    """The runs of `lines` (start, end) that are performance forms: after a form's title and
    its year line, from its first field (项目名称) when its title is not printed, or from the
    page's top when the page continues a form, up to its notes,
    the next title or the page's foot; a run without a figure or code holds no form's body.
    And whether the last form runs on to the next page: it reaches the page's foot before its
    总分 row (a title printed at a page's foot starts a form on the next page)."""
    regions: list[tuple[int, int]] = []
    runs_on = False
    starts: list[tuple[int, Line | None]] = [(0, None)] if continues else []
    starts += [(i + 1, line) for i, line in enumerate(lines) if _is_form_title(line, titles)]
    # a form without its title starts at its first field, or at the line above where the
    # field's value wraps from there ('37个社区经保网运' / '项目名称 维费')
    starts += [(_row_top(lines, i, titles), None) for i, line in enumerate(lines) if _FIELD.match(line_text(line))]
    for start, title in sorted(starts, key=lambda s: s[0]):
        while start < len(lines) and _YEAR_LINE.match(line_text(lines[start])):
            start += 1
        if title is not None and not _opens_form(title, lines[start : start + 1]):
            continue
        end = start
        while end < len(lines) and not _ends_form(lines[end], titles):
            end += 1
        body = lines[start:end]
        # a form printed without its title is found as the recogniser finds it: by the words
        # of a project's self-evaluation (项目名称 … 执行率)
        if title is None and not (continues and start == 0) and not titles.signs_form([line_text(ln) for ln in body]):
            continue
        runs_on = end == len(lines) and not any(compact(line_text(line)).startswith("总分") for line in body)
        if any(is_anchor(w) for line in body for w in line) and (not regions or start >= regions[-1][1]):
            regions.append((start, end))
    return regions, runs_on


def _cells(lines: list[Line]) -> list[Word]:
    """The form's words as cells: phrases ('总 分'), and a text wrapped inside its cell joined
    over the lines it runs onto (a figure below starts a cell of its own)."""
    fragments = [w for line in lines for w in phrases(line, spaced=True)]
    return join_wrapped(fragments, lambda _, lower: is_anchor(lower))


def _overlaps(a: Line, b: Line) -> bool:
    return any(x.x0 < y.x1 and y.x0 < x.x1 for x in a for y in b)


def _form_rows(cells: list[Word]) -> list[Line]:
    """Cells sharing a middle are a row; header lines without figures that fill different
    places within a row's height are one row (a cell merged over two rows is centred
    between them)."""
    rows: list[Line] = []
    for line in lines_of(cells):
        if rows:
            previous = rows[-1]
            gap = median(w.middle for w in line) - median(w.middle for w in previous)
            if (gap < SETTINGS.header_row and not any(is_anchor(w) for w in previous + line)
                    and not _overlaps(previous, line)):
                rows[-1] = sorted(previous + line, key=lambda w: w.x0)
                continue
        rows.append(line)
    return rows


def read_unruled_forms(lines: list[Line], regions: list[tuple[int, int]]) -> list[FoundTable]:
    """Each form's lines on one page (`form_regions`) as rows of cells in reading order, each
    cell with its box; the form's box runs from its first line's top to its last line's foot."""
    found = []
    for start, end in regions:
        rows = [
            [SourceCell(w.text, page=w.page, bbox=(w.x0, w.top, w.x1, w.bottom)) for w in row]
            for row in _form_rows(_cells(lines[start:end]))
        ]
        words = [w for line in lines[start:end] for w in line]
        box = (min(w.x0 for w in words), lines[start][0].top, max(w.x1 for w in words),
               max(w.bottom for w in lines[end - 1]))
        found.append(FoundTable(RawTable(rows=rows, origin="layout_form"), box))
    return found
