"""A recognised table read by the interpreter its template names (`reader` in templates.toml),
as landed records: `READERS[template.reader](table, where)`.

- grid: `grid.read_grid` — header paths, row identities, one value per printed number;
- performance_form: `forms.read_form` — a project's self-evaluation form: funding and
  indicator figures under their measures, and the form's facts (project, department, unit);
- performance_targets: `targets.read_targets` — a target form's funding lines (amounts) and
  its indicators' targets (`indicator` values: the number a target states), by project;
- cells: nothing beyond the cells every table lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.catalogue import READERS as READER_NAMES
from ingest.catalogue import Template
from ingest.interpret.forms import read_form
from ingest.interpret.grid import read_grid
from ingest.interpret.reading_check import UNCONFIRMED, ReadingCheck, check_reading
from ingest.interpret.targets import read_targets
from ingest.lexicon import line_item
from ingest.model import RawTable, SourceCell
from ingest.numbers import ParsedCell, fits_scale, fits_warehouse, to_yuan
from ingest.records import VALUE_OUT_OF_RANGE, RowRecord, ValueRecord, address


@dataclass(frozen=True)
class Where:
    """The table being read: its document, ordinal, id, template and amount unit."""

    document_id: str
    ordinal: int
    table_id: str
    template: Template
    unit: str | None


@dataclass
class TableReading:
    values: list[ValueRecord] = field(default_factory=list)
    rows: list[RowRecord] = field(default_factory=list)
    header_rows: int = 0
    column_paths: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    check: ReadingCheck = ReadingCheck(UNCONFIRMED, 0, 0)
    shifted_cells: int = 0  # figures placed in a column other than their own, or lost


def _value(where: Where, cell: SourceCell, parsed: ParsedCell, row_index: int, column_index: int,
           value_kind: str, **identity: Any) -> ValueRecord:
    """One landed value: its number, its unit and 元 amount, what identifies its row and
    column (`identity`: codes, labels, side, section, column path), and its address."""
    value, unit = parsed.value, where.unit
    is_amount = value_kind == "amount" and unit is not None and value is not None
    amount = to_yuan(value, unit) if is_amount and value is not None and unit else None
    warning = None
    if not (fits_warehouse(value) and fits_warehouse(amount)):
        # refused per value, not per document: the cell lands with its printed text
        value, amount, warning = None, None, VALUE_OUT_OF_RANGE
    row_label = identity.get("row_label")
    return ValueRecord(
        value_id=f"{where.table_id}-r{row_index:03d}c{column_index:02d}",
        document_id=where.document_id,
        table_id=where.table_id,
        table_ordinal=where.ordinal,
        template_id=where.template.id,
        row_index=row_index,
        column_index=column_index,
        group_index=identity.get("group_index"),
        side=identity.get("side"),
        section=identity.get("section"),
        row_label=row_label,
        line_item=line_item(row_label or "") or None,
        row_key=identity.get("row_key"),
        line_number=identity.get("line_number"),
        function_code=identity.get("function_code"),
        economic_code=identity.get("economic_code"),
        gov_economic_code=identity.get("gov_economic_code"),
        unit_code=identity.get("unit_code"),
        column_path=identity.get("column_path"),
        column_number=identity.get("column_number"),
        value_kind=value_kind,
        raw_text=cell.text,
        published_value=value,
        decimals=parsed.decimals,
        unit=unit if value_kind == "amount" else None,
        amount_yuan=amount,
        value_warning=warning,
        **address(cell),
    )


def read_as_grid(table: RawTable, where: Where) -> TableReading:
    """The grid as read; when its own sums fail and some figures sat in columns no header
    covers, the other placement of those figures (to the header on their right) is read from
    the same cells, and the reading whose sums hold better is kept."""
    out = _read_as_grid(table, where, "left")
    if out.check.failed and out.shifted_cells:
        other = _read_as_grid(table, where, "right")
        if (other.check.failed, -other.check.held) < (out.check.failed, -out.check.held):
            note = "figures placed under the header to their right"
            other.check = replace(other.check, note="; ".join(n for n in (other.check.note, note) if n))
            return other
    return out


def _read_as_grid(table: RawTable, where: Where, lean: str) -> TableReading:
    reading = read_grid(table, where.template, lean)
    out = TableReading(header_rows=reading.header_rows, column_paths=[c.path_text for c in reading.columns],
                       shifted_cells=reading.realigned_cells + len(reading.text_in_value_columns))
    if reading.realigned_cells:
        out.warnings.append(
            f"{reading.realigned_cells} values printed outside their column (a lost cell "
            "beside a merged label) placed in the nearest value column"
        )
    if reading.text_in_value_columns:
        out.warnings.append(f"{len(reading.text_in_value_columns)} text cells in value columns")
    if where.unit is None and any(v.value_kind == "amount" for v in reading.values):
        out.warnings.append("no amount unit found for this table; amounts not converted to 元")
    for v in reading.values:
        assert v.parsed.value is not None
        if not fits_scale(v.parsed.value):
            out.warnings.append(f"{v.cell.text!r} has more than the storable decimals; kept as cell text")
            continue
        out.values.append(_value(
            where, v.cell, v.parsed, v.row_index, v.printed_column, v.value_kind,
            group_index=v.group_index, side=v.side, section=v.section, row_label=v.row_label,
            row_key=v.row_key or None, line_number=v.line_number, function_code=v.function_code,
            economic_code=v.economic_code, gov_economic_code=v.gov_economic_code,
            unit_code=v.unit_code, column_path=v.column.path_text, column_number=v.column.column_number,
        ))
    out.values, out.check = check_reading(out.values)
    for row in reading.rows:
        out.rows.append(RowRecord(
            row_id=f"{where.table_id}-r{row.row_index:03d}g{row.group_index}",
            document_id=where.document_id,
            table_id=where.table_id,
            template_id=where.template.id,
            row_index=row.row_index,
            group_index=row.group_index,
            section=row.section,
            row_label=row.row_label,
            line_item=line_item(row.row_label) or None,
            line_number=row.line_number,
            function_code=row.codes.get("function"),
            economic_code=row.codes.get("economic"),
            gov_economic_code=row.codes.get("gov_economic"),
            unit_code=row.codes.get("unit"),
            **address(row.label_cell),
        ))
    return out


def read_as_performance_form(table: RawTable, where: Where) -> TableReading:
    form = read_form(table)
    out = TableReading(facts=dict(form.facts))
    if form.unaligned_rows:
        out.warnings.append(f"{form.unaligned_rows} funding rows whose figures no alignment confirms; left as cells")
    for f in form.values:
        out.values.append(_value(
            where, f.cell, f.parsed, f.row_index, f.column_index, f.value_kind, group_index=0,
            section=f.section, row_label=f.row_label, row_key=line_item(f.row_label) or None,
            column_path=f.measure,
        ))
    return out


def read_as_performance_targets(table: RawTable, where: Where) -> TableReading:
    targets = read_targets(table)
    out = TableReading(facts=dict(targets.facts))
    for t in targets.values:
        project = targets.projects[t.project] if t.project < len(targets.projects) else None
        out.values.append(_value(
            replace(where, unit=t.unit or where.unit), t.cell, t.parsed, t.row_index, t.column_index,
            t.value_kind, group_index=t.project, section=t.section, row_label=t.row_label,
            row_key=project or None, column_path=t.column_path,
        ))
    return out


def read_as_cells(table: RawTable, where: Where) -> TableReading:
    return TableReading()


READERS: dict[str, Callable[[RawTable, Where], TableReading]] = {
    "grid": read_as_grid,
    "performance_form": read_as_performance_form,
    "performance_targets": read_as_performance_targets,
    "cells": read_as_cells,
}
assert set(READERS) == set(READER_NAMES), "every reader templates.toml may name is defined here"
