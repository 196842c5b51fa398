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

from ingest.model import RawTable, SourceCell
from ingest.read.unruled_grid import (
    HEADER_ROW,
    WRAP_DISTANCE,
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


def _is_form_title(line: Line) -> bool:
    """The title of a performance form ('办公用房租费项目支出绩效自评表')."""
    return _names_form(line_text(line))


def _names_form(text: str) -> bool:
    from ingest.catalogue import match_title

    found = match_title(text)
    return found is not None and found.template.family == "performance" and found.template.shape == "form"


def title_at_foot(text: str) -> bool:
    """A page of running text (read without the table finder) that ends with a form's title
    and year line: the form starts on the next page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while lines and _YEAR_LINE.match(lines[-1].replace(" ", "")):
        lines.pop()
    return bool(lines) and _names_form(lines[-1])


def _ends_form(line: Line) -> bool:
    from ingest.catalogue import find_numbering, match_title

    text = line_text(line)
    return bool(
        _NOTES.match(text) or _is_form_title(line)
        or (text.endswith("表") and match_title(text)) or find_numbering(text) == text
    )


_FIELD = re.compile(r"^(?:项目名称|部门[(（]?单位[)）]?名称|单位名称)")


def _opens_form(title: Line, first: list[Line]) -> bool:
    """A form's title names a table (…表), or the form's first field follows it: a report
    titled '…项目支出绩效（自评/评价）报告' is running text."""
    text = re.sub(f"{_YEAR}$", "", line_text(title).replace(" ", ""))
    return text.endswith("表") or any(_FIELD.match(line_text(line)) for line in first)


def _row_top(lines: list[Line], i: int) -> int:
    """The first line of the row whose label is on line i: a value wrapped in its cell is
    centred on the label, so its first lines stand above it (within WRAP_DISTANCE of the next,
    or continued by it)."""
    def middle(line: Line) -> float:
        return median(w.middle for w in line)

    while i > 0 and not _ends_form(lines[i - 1]) and (
        middle(lines[i]) - middle(lines[i - 1]) <= WRAP_DISTANCE
        or any(wraps_onto(u, w) for u in lines[i - 1] for w in lines[i])
    ):
        i -= 1
    return i


def _holds_form(body: list[Line]) -> bool:
    """A form printed without its title, found as the recogniser finds it: by the words of a
    project's self-evaluation (项目名称 … 执行率)."""
    from ingest.catalogue import match_signature

    found = match_signature([line_text(line) for line in body])
    return found is not None and found.id == "perf_project_self_evaluation"


def form_regions(lines: list[Line], continues: bool) -> tuple[list[tuple[int, int]], bool]:
    """The runs of `lines` (start, end) that are performance forms: after a form's title and
    its year line, from its first field (项目名称) when its title is not printed, or from the
    page's top when the page continues a form, up to its notes,
    the next title or the page's foot; a run without a figure or code holds no form's body.
    And whether the last form runs on to the next page: it reaches the page's foot before its
    总分 row (a title printed at a page's foot starts a form on the next page)."""
    regions: list[tuple[int, int]] = []
    runs_on = False
    starts: list[tuple[int, Line | None]] = [(0, None)] if continues else []
    starts += [(i + 1, line) for i, line in enumerate(lines) if _is_form_title(line)]
    # a form without its title starts at its first field, or at the line above where the
    # field's value wraps from there ('37个社区经保网运' / '项目名称 维费')
    starts += [(_row_top(lines, i), None) for i, line in enumerate(lines) if _FIELD.match(line_text(line))]
    for start, title in sorted(starts, key=lambda s: s[0]):
        while start < len(lines) and _YEAR_LINE.match(line_text(lines[start])):
            start += 1
        if title is not None and not _opens_form(title, lines[start : start + 1]):
            continue
        end = start
        while end < len(lines) and not _ends_form(lines[end]):
            end += 1
        body = lines[start:end]
        if title is None and not (continues and start == 0) and not _holds_form(body):
            continue
        runs_on = end == len(lines) and not any(line_text(line).replace(" ", "").startswith("总分") for line in body)
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


def _rows(cells: list[Word]) -> list[Line]:
    """Cells sharing a middle are a row; header lines without figures that fill different
    places within a row's height are one row (a cell merged over two rows is centred
    between them)."""
    rows: list[Line] = []
    for line in lines_of(cells):
        if rows:
            previous = rows[-1]
            gap = median(w.middle for w in line) - median(w.middle for w in previous)
            if (gap < HEADER_ROW and not any(is_anchor(w) for w in previous + line)
                    and not _overlaps(previous, line)):
                rows[-1] = sorted(previous + line, key=lambda w: w.x0)
                continue
        rows.append(line)
    return rows


def read_layout_form(lines: list[Line]) -> RawTable:
    """One form's lines on one page as rows of cells in reading order, each with its box."""
    rows = [
        [SourceCell(w.text, page=w.page, bbox=(w.x0, w.top, w.x1, w.bottom)) for w in row]
        for row in _rows(_cells(lines))
    ]
    return RawTable(rows=rows, origin="layout_form")
