"""Reshape a raw table before it is recognised. Pure functions, `RawTable` to `RawTable`.

- Caption rows: some publishers draw the title, the 部门 line and the 单位 line as rows of the
  ruled grid. They are lifted out into the table's context, where titles and units are read.
- Split codes: 功能分类 codes printed over three columns (类 | 款 | 项: '201' '06' '01') and
  经济分类 codes over two (类 | 款) are joined into one code column ('2010601').
- Relative codes: some publishers print one 类款项 column with each 款 and 项 relative to its
  parent ('205', '08', '03' for 205 / 20508 / 2050803). They are made absolute, reading a
  two-digit code after a 项 as the next 款 once the 项 printed so far add up to their 款's
  amount; the reading is kept only when every 类 and 款 then equals the sum of its parts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ingest.catalogue import titles
from ingest.lexicon import compact, is_caption_row
from ingest.model import BBox, RawTable, SourceCell, TextLine
from ingest.numbers import CellKind, parse_cell

_SPLIT_HEADERS = (("类", "款", "项"), ("类", "款"))


def lift_caption_rows(table: RawTable) -> RawTable:
    """Title, numbering, '部门：…' and '单位：万元' rows drawn at the top of the grid, lifted into
    the table's context."""
    printed = titles()
    rows = list(table.rows)
    lifted: list[TextLine] = []
    while rows:
        if not any(c.text.strip() for c in rows[0]):
            rows.pop(0)  # an empty row between a drawn title and its '编制单位：… 单位：元' row
            continue
        if not is_caption_row(rows[0], printed):
            break
        first = rows.pop(0)
        cell = next(c for c in first if c.text.strip())
        lifted.append(TextLine(" ".join(c.text.strip() for c in first if c.text.strip()),
                               page=cell.page, line=cell.line))
    if not lifted:
        return table
    return replace(table, rows=rows, context=table.context + lifted)


def _union(boxes: list[BBox | None]) -> BBox | None:
    present = [b for b in boxes if b]
    if not present:
        return None
    return (min(b[0] for b in present), min(b[1] for b in present),
            max(b[2] for b in present), max(b[3] for b in present))


def _split_code_columns(table: RawTable) -> tuple[int, int, int] | None:
    """(header row, first column, number of columns) of a 类/款(/项) header, if any."""
    for r, row in enumerate(table.rows[:6]):
        texts = [compact(c.text) for c in row]
        for parts in _SPLIT_HEADERS:
            n = len(parts)
            for j in range(len(texts) - n + 1):
                if tuple(texts[j : j + n]) == parts:
                    return r, j, n
    return None


def join_split_code_columns(table: RawTable) -> RawTable:
    """Every split code column of the table joined (部门 and 政府 economic codes side by side
    are two)."""
    while (found := _split_code_columns(table)) is not None:
        table = _join_at(table, found)
    return table


def _join_at(table: RawTable, found: tuple[int, int, int]) -> RawTable:
    header_row, first, n = found
    rows: list[list[SourceCell]] = []
    above: list[str | None] = [None] * n  # the code last composed at each level
    for r, row in enumerate(table.rows):
        row = row + [SourceCell("")] * (first + n - len(row))
        parts = row[first : first + n]
        if r == header_row:
            joined = "".join(c.text.strip() for c in parts)  # '类款项'; '/' separates path levels
        elif r < header_row:
            joined = next((c.text.strip() for c in parts if c.text.strip()), "")
        else:
            texts = [c.text.strip() for c in parts]
            digits = [t for t in texts if t]
            level = next((k for k, t in enumerate(texts) if t), 0)
            if digits and all(t.isdigit() for t in digits) and texts[level:level + len(digits)] == digits:
                # a 款 or 项 segment is two digits; some publishers print '2' for '02'. A row
                # printing only its own segment (烟台: '40' under 款, the 类 on the row above)
                # takes its parent's code from the rows above: the column says its level
                prefix = above[level - 1] if level else ""
                if prefix is None:
                    joined = " ".join(digits)  # a segment with no parent above it stays as printed
                else:
                    joined = prefix
                    for k, t in enumerate(digits):
                        joined += t.zfill(2) if level + k else t
                        above[level + k] = joined
                    above[level + len(digits):] = [None] * (n - level - len(digits))
            else:
                joined = " ".join(digits)
        anchor = next((c for c in parts if c.text.strip()), parts[0])
        cell = SourceCell(joined, page=anchor.page, line=anchor.line, bbox=_union([c.bbox for c in parts]))
        rows.append(row[:first] + [cell] + row[first + n :])
    return replace(table, rows=rows)


_RELATIVE_HEADER = "类款项"
_SEGMENT = re.compile(r"^\d{2}$")
_CLASS = re.compile(r"^\d{3}$")


def _relative_code_column(table: RawTable) -> tuple[int, int] | None:
    """(header row, column) of a 类款项 code column printing relative codes, if any."""
    for r, row in enumerate(table.rows[:6]):
        for j, cell in enumerate(row):
            if compact(cell.text) == _RELATIVE_HEADER:
                body = [compact(below[j].text) for below in table.rows[r + 1 :] if j < len(below)]
                if any(_SEGMENT.match(t) for t in body) and any(_CLASS.match(t) for t in body):
                    return r, j
    return None


def _amount_column(table: RawTable, start: int, code_column: int) -> int | None:
    """The first column right of the codes whose body cells are amounts (the 合计)."""
    width = max(len(r) for r in table.rows)
    for j in range(code_column + 1, width):
        kinds = [parse_cell(r[j].text).kind for r in table.rows[start:] if j < len(r) and r[j].text.strip()]
        if kinds and sum(k is CellKind.NUMBER for k in kinds) >= 0.8 * len(kinds):
            return j
    return None


def _within_rounding(parts: list[Decimal], total: Decimal) -> bool:
    """Each printed part may be off by half a unit of its last printed digit."""
    slack = sum((Decimal(1).scaleb(p.as_tuple().exponent) / 2 for p in parts), Decimal(0))  # type: ignore[arg-type]
    return abs(sum(parts, Decimal(0)) - total) <= slack


def absolute_codes(codes: list[str], amounts: list[Decimal]) -> list[str] | None:
    """Relative 类/款/项 codes made absolute, or None when no reading adds up.

    >>> absolute_codes(["205", "08", "03", "208", "05", "01", "02", "27", "99"],
    ...                [Decimal(x) for x in ("4.7", "4.7", "4.7", "30", "20", "15", "5", "10", "10")])
    ['205', '20508', '2050803', '208', '20805', '2080501', '2080502', '20827', '2082799']
    """
    out: list[str] = []
    klass = kuan = None
    kuan_amount = Decimal(0)
    items: list[Decimal] = []
    tree: dict[str, tuple[Decimal, list[Decimal]]] = {}  # code -> (amount, children's amounts)
    for code, amount in zip(codes, amounts, strict=True):
        if _CLASS.match(code):
            klass, kuan, items = code, None, []
            out.append(code)
            tree[code] = (amount, [])
        elif _SEGMENT.match(code) and klass is not None:
            if kuan is None or (items and _within_rounding(items, kuan_amount)):
                kuan, kuan_amount, items = klass + code, amount, []
                out.append(kuan)
                tree[klass][1].append(amount)
                tree[kuan] = (amount, [])
            else:
                items.append(amount)
                out.append(kuan + code)
                tree[kuan][1].append(amount)
        else:
            return None
    for total, parts in tree.values():
        if not parts or not _within_rounding(parts, total):
            return None
    return out


def rebuild_relative_codes(table: RawTable) -> RawTable:
    found = _relative_code_column(table)
    if found is None:
        return table
    header_row, j = found
    start = header_row + 1
    amount_column = _amount_column(table, start, j)
    rows = [r for r in range(start, len(table.rows)) if j < len(table.rows[r]) and table.rows[r][j].text.strip()]
    if amount_column is None or not rows:
        return table
    codes = [compact(table.rows[r][j].text) for r in rows]
    amounts = []
    for r in rows:
        row = table.rows[r]
        parsed = parse_cell(row[amount_column].text if amount_column < len(row) else "")
        amounts.append(parsed.value if parsed.kind is CellKind.NUMBER and parsed.value is not None else Decimal(0))
    rebuilt = absolute_codes(codes, amounts)
    if rebuilt is None:
        return table
    new_rows = [list(row) for row in table.rows]
    for r, code in zip(rows, rebuilt, strict=True):
        cell = new_rows[r][j]
        new_rows[r][j] = SourceCell(code, page=cell.page, line=cell.line, bbox=cell.bbox)
    return replace(table, rows=new_rows)


def restructure(table: RawTable) -> RawTable:
    return rebuild_relative_codes(join_split_code_columns(lift_caption_rows(table)))
