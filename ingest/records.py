"""The landed entities, written once: each is a dataclass whose fields, in order, are the
columns of its Parquet file (`SCHEMAS` is derived from them) and of its staging view.

A record is built as its dataclass (so a missing or misspelt field fails where it is built)
and landed as the plain dict `row()` gives, which is what the narrative's resolution and the
pipeline read back from Parquet. Pure: no IO here (`ingest.landing` writes).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ingest import PARSER_VERSION
from ingest.model import SourceCell
from ingest.numbers import MAX_DECIMALS

AMOUNT = pa.decimal128(30, MAX_DECIMALS)  # exact: the printed digits, in 元 or as printed
_ARROW = {str: pa.string(), int: pa.int32(), float: pa.float64(), bool: pa.bool_(), Decimal: AMOUNT}

Row = dict[str, Any]


class Record:
    """A landed record: `row()` is what lands."""

    def row(self) -> Row:
        # the fields in their order (a shallow copy: `dataclasses.asdict` deep-copies every
        # value, which costs more than building the record). Records are plain dataclasses,
        # not frozen ones: a frozen dataclass sets each of its 30 fields through
        # object.__setattr__, which made landing a value twice as slow.
        return dict(self.__dict__)


@dataclass
class DocumentRecord(Record):
    document_id: str
    content_hash: str
    source_file: str
    source_modified_at: str
    format: str
    text_encoding: str | None  # what a text input was decoded as (None for a PDF)
    page_count: int | None
    line_count: int
    title: str | None
    issuer_name: str | None
    issuer_key: str | None
    issuer_code: str | None
    parent_code: str | None
    parent_name: str | None
    fiscal_year: int | None
    document_kind: str | None
    scope: str | None
    published_date: str | None
    table_count: int
    parser_version: str = PARSER_VERSION
    # the parts of the text the document prints a heading for (ingest.interpret.sections), ';'-joined
    printed_sections: str | None = None


@dataclass
class TableRecord(Record):
    table_id: str
    document_id: str
    table_ordinal: int
    template_id: str
    template_family: str
    recognised_by: str
    printed_title: str | None
    printed_numbering: str | None
    unit: str | None
    first_page: int | None
    first_line: int | None
    row_count: int
    column_count: int
    header_rows: int
    column_paths: str  # JSON list of the header paths
    value_count: int
    is_empty: bool
    announced_empty: bool
    project_name: str | None
    supervising_department: str | None
    implementing_unit: str | None
    printed_issuer: str | None  # the 部门名称 / 单位名称 line of the table's title block
    warnings: str | None
    # does the table's own arithmetic confirm its reading (ingest.interpret.reading_check):
    # confirmed | unconfirmed | contradicted, with the applications that hold and fail
    reading_status: str
    reading_identities_held: int
    reading_identities_failed: int
    reading_note: str | None
    parser_version: str = PARSER_VERSION


@dataclass
class CellRecord(Record):
    document_id: str
    table_id: str
    row_index: int
    column_index: int
    text: str
    is_header: bool
    page: int | None
    line_no: int | None
    bbox_x0: float | None
    bbox_top: float | None
    bbox_x1: float | None
    bbox_bottom: float | None
    parser_version: str = PARSER_VERSION


@dataclass
class RowRecord(Record):
    row_id: str
    document_id: str
    table_id: str
    template_id: str
    row_index: int
    group_index: int
    section: str | None
    row_label: str
    line_item: str | None
    line_number: str | None
    function_code: str | None
    economic_code: str | None
    gov_economic_code: str | None
    unit_code: str | None
    page: int | None
    line_no: int | None
    bbox_x0: float | None
    bbox_top: float | None
    bbox_x1: float | None
    bbox_bottom: float | None
    parser_version: str = PARSER_VERSION


@dataclass
class ValueRecord(Record):
    value_id: str
    document_id: str
    table_id: str
    table_ordinal: int
    template_id: str
    row_index: int
    column_index: int
    group_index: int | None
    side: str | None
    section: str | None
    row_label: str | None
    line_item: str | None
    row_key: str | None
    line_number: str | None
    function_code: str | None
    economic_code: str | None
    gov_economic_code: str | None
    unit_code: str | None
    column_path: str | None
    column_number: str | None
    value_kind: str
    raw_text: str
    published_value: Decimal | None
    decimals: int
    unit: str | None
    amount_yuan: Decimal | None
    value_warning: str | None  # value_out_of_range: a figure beyond decimal(18,2), landed as text
    page: int | None
    line_no: int | None
    bbox_x0: float | None
    bbox_top: float | None
    bbox_x1: float | None
    bbox_bottom: float | None
    parser_version: str = PARSER_VERSION


@dataclass
class ClaimRecord(Record):
    claim_id: str
    document_id: str
    sentence_index: int
    claim_index: int
    section: str | None
    part: int | None
    sentence: str
    subject: str | None
    measure: str
    published_value: Decimal | None
    unit: str | None
    decimals: int | None
    amount_yuan: Decimal | None
    raw_text: str
    share_of: str | None
    position: int | None
    resolved_to: str | None
    resolved_function_code: str | None
    subject_value_id: str | None
    restated_value_id: str | None
    denominator_value_id: str | None
    page: int | None
    line_no: int | None
    parser_version: str = PARSER_VERSION


@dataclass
class RunReportRecord(Record):
    source_file: str
    document_id: str | None
    outcome: str
    reason_code: str | None
    reason: str | None
    tables: int | None
    values: int | None
    warnings: str | None
    input_format: str | None


ENTITIES: dict[str, type[Record]] = {
    "documents": DocumentRecord,
    "tables": TableRecord,
    "cells": CellRecord,
    "rows": RowRecord,
    "values": ValueRecord,
    "claims": ClaimRecord,
    "run_report": RunReportRecord,
}


def _arrow_type(hint: Any) -> pa.DataType:
    if isinstance(hint, types.UnionType):  # 'int | None': nullable, as every Parquet column is
        (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
    return _ARROW[hint]


def schema_of(record: type[Record]) -> pa.Schema:
    hints = typing.get_type_hints(record)
    return pa.schema([(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(record)])  # type: ignore[arg-type]


SCHEMAS: dict[str, pa.Schema] = {entity: schema_of(record) for entity, record in ENTITIES.items()}


VALUE_OUT_OF_RANGE = "value_out_of_range"


def out_of_range_warning(values: list[ValueRecord]) -> str | None:
    """One table warning for its values too large for the warehouse's money type."""
    out = [v for v in values if v.value_warning == VALUE_OUT_OF_RANGE]
    if not out:
        return None
    shown = ", ".join(f"{v.raw_text!r} (row {v.row_index}, column {v.column_index})" for v in out[:3])
    more = f" and {len(out) - 3} more" if len(out) > 3 else ""
    return f"{VALUE_OUT_OF_RANGE}: {len(out)} values beyond decimal(18,2) landed as text only: {shown}{more}"


def address(cell: SourceCell | None) -> dict[str, Any]:
    """Where a cell was printed: page or line, and its box."""
    cell = cell or SourceCell("")
    bbox = cell.bbox or (None, None, None, None)
    return {"page": cell.page, "line_no": cell.line, "bbox_x0": bbox[0], "bbox_top": bbox[1],
            "bbox_x1": bbox[2], "bbox_bottom": bbox[3]}
