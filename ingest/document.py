"""One file in, one `ParsedDocument` out: the rows of every landed entity for that file.

This is the edge between IO and the pure middle: it reads bytes, decides the format from
content, hands the text to a reader, and turns what the recognisers say into records.
Either the whole document parses, or a `RejectedDocument` says why and nothing of it lands.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import PARSER_VERSION
from ingest.errors import NotADisclosure
from ingest.formats import Format, decode_text, sniff
from ingest.forms import read_form
from ingest.grid import line_item, read_grid
from ingest.model import ReadDocument, SourceCell
from ingest.narrative import extract_claims, resolve
from ingest.numbers import ParsedCell, fits_scale, fits_warehouse, to_yuan
from ingest.recognise import (
    TableIdentity,
    document_family,
    issuer_key,
    most_common_unit,
    recognise_document,
    recognise_table,
)
from ingest.restructure import restructure
from ingest.text_reader import read_text

Record = dict[str, Any]


@dataclass
class ParsedDocument:
    document: Record
    tables: list[Record] = field(default_factory=list)
    cells: list[Record] = field(default_factory=list)
    rows: list[Record] = field(default_factory=list)
    values: list[Record] = field(default_factory=list)
    claims: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def content_id(data: bytes) -> str:
    """A document's identity: its content hash (the same bytes under two names are one)."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_file(path: Path) -> ReadDocument:
    data = path.read_bytes()
    fmt = sniff(path, data[:4096])
    digest = hashlib.sha256(data).hexdigest()
    if fmt is Format.PDF:
        from ingest.pdf_reader import read_pdf  # pdfplumber is only loaded for PDFs

        lines, tables, pages = read_pdf(path, data)
        return ReadDocument(path, digest, fmt, pages, lines, tables)
    content, encoding = decode_text(path, data)
    lines, tables = read_text(content)
    return ReadDocument(path, digest, fmt, None, lines, tables, encoding=encoding)


def parse_document(path: Path, source_name: str | None = None) -> ParsedDocument:
    """Read and recognise one file. Raises `RejectedDocument` (with the reason) when it is
    not a budget or final-account disclosure we can read."""
    read = read_file(path)
    read.tables = [restructure(t) for t in read.tables]
    info = recognise_document(read)
    family = document_family(info)
    identities = [recognise_table(t, family) for t in read.tables]
    recognised = [i for i in identities if i.template.family in ("final", "budget", "performance")]
    if info.kind is None or info.fiscal_year is None or not (recognised or _narrates_a_budget(read)):
        missing = []
        if info.kind is None:
            missing.append("no 预算/决算 in its title")
        if info.fiscal_year is None:
            missing.append("no fiscal year in its title")
        if not recognised:
            missing.append("no budget or final-account table recognised")
        raise NotADisclosure(path, "not a budget disclosure: " + "; ".join(missing))
    if not recognised:
        info.warnings.append("no table recognised: a narrative-only publication")

    doc_id = read.document_id
    default_unit = most_common_unit(identities)
    parsed = ParsedDocument(
        document={
            "document_id": doc_id,
            "content_hash": read.content_hash,
            "source_file": source_name or path.name,
            "source_modified_at": _modified_at(path),
            "format": read.format.value,
            "text_encoding": read.encoding,
            "page_count": read.page_count,
            "line_count": len(read.lines),
            "title": info.title,
            "issuer_name": info.issuer_name,
            "issuer_key": issuer_key(info.issuer_name),
            "issuer_code": info.issuer_code,
            "parent_code": info.parent_code,
            "parent_name": info.parent_name,
            "fiscal_year": info.fiscal_year,
            "document_kind": info.kind,
            "scope": info.scope,
            "published_date": info.published_date,
            "table_count": len(read.tables),
            "parser_version": PARSER_VERSION,
        },
        warnings=list(info.warnings),
    )
    for ordinal, (table, ident) in enumerate(zip(read.tables, identities, strict=True), start=1):
        _land_table(parsed, doc_id, ordinal, table, ident, default_unit)
    printed = {t["template_id"] for t in parsed.tables}
    projects = {t["project_name"] for t in parsed.tables if t["project_name"]} | {
        v["line_item"] for v in parsed.values if v["template_id"] == "budget_projects" and v["line_item"]}
    for claim in resolve(extract_claims(read.lines), parsed.values, printed, projects):
        claim_id = f"{doc_id}-s{claim['sentence_index']:04d}c{claim['claim_index']:02d}"
        if not (fits_warehouse(claim["published_value"]) and fits_warehouse(claim["amount_yuan"])):
            parsed.warnings.append(f"{VALUE_OUT_OF_RANGE}: narrative figure {claim['raw_text']!r} "
                                   "beyond decimal(18,2) kept as text only")
            claim = {**claim, "published_value": None, "amount_yuan": None}
        parsed.claims.append({"claim_id": claim_id, "document_id": doc_id, **claim, "parser_version": PARSER_VERSION})
    return parsed


def _modified_at(path: Path) -> str:
    """When the input file was last written (UTC): which of two versions of one issuer's
    document is the later, when neither prints a publication date."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_BUDGET_TERMS = ("财政拨款", "一般公共预算", "基本支出", "项目支出", "三公", "收入预算", "支出预算", "决算")


def _narrates_a_budget(read: ReadDocument) -> bool:
    """Some publications give a section only in prose, or have no tables at all; they are
    disclosures all the same when their text speaks the budget's vocabulary."""
    text = "".join(line.text for line in read.lines)
    sentences = text.count("。")
    return sentences >= 5 and sum(term in text for term in _BUDGET_TERMS) >= 4


def _address(cell: Any) -> Record:
    bbox = cell.bbox or (None, None, None, None)
    return {
        "page": cell.page,
        "line_no": cell.line,
        "bbox_x0": bbox[0],
        "bbox_top": bbox[1],
        "bbox_x1": bbox[2],
        "bbox_bottom": bbox[3],
    }


def _value_record(
    table_id: str,
    doc_id: str,
    ordinal: int,
    template_id: str,
    cell: SourceCell,
    parsed: ParsedCell,
    row_index: int,
    column_index: int,
    value_kind: str,
    unit: str | None,
    **identity: Any,
) -> Record:
    """One landed value: its number, its unit and 元 amount, what identifies its row and
    column (`identity`: codes, labels, side, section, column path), and its address."""
    value = parsed.value
    is_amount = value_kind == "amount" and unit is not None and value is not None
    record: Record = {
        "value_id": f"{table_id}-r{row_index:03d}c{column_index:02d}",
        "document_id": doc_id,
        "table_id": table_id,
        "table_ordinal": ordinal,
        "template_id": template_id,
        "row_index": row_index,
        "column_index": column_index,
        "value_kind": value_kind,
        "raw_text": cell.text,
        "published_value": value,
        "decimals": parsed.decimals,
        "unit": unit if value_kind == "amount" else None,
        "amount_yuan": to_yuan(value, unit) if is_amount and value is not None and unit else None,
        "value_warning": None,
        **_address(cell),
        "parser_version": PARSER_VERSION,
    }
    for field_name in ("group_index", "side", "section", "row_label", "row_key", "line_number",
                       "function_code", "economic_code", "gov_economic_code", "unit_code",
                       "column_path", "column_number"):
        record[field_name] = identity.get(field_name)
    record["line_item"] = line_item(record["row_label"] or "") or None
    if not (fits_warehouse(record["published_value"]) and fits_warehouse(record["amount_yuan"])):
        # refused per value, not per document: the cell lands with its printed text
        record.update(published_value=None, amount_yuan=None, value_warning=VALUE_OUT_OF_RANGE)
    return record


VALUE_OUT_OF_RANGE = "value_out_of_range"


def _out_of_range_warning(values: list[Record]) -> str | None:
    """One table warning for its values too large for the warehouse's money type."""
    out = [v for v in values if v["value_warning"] == VALUE_OUT_OF_RANGE]
    if not out:
        return None
    shown = ", ".join(f"{v['raw_text']!r} (row {v['row_index']}, column {v['column_index']})" for v in out[:3])
    more = f" and {len(out) - 3} more" if len(out) > 3 else ""
    return f"{VALUE_OUT_OF_RANGE}: {len(out)} values beyond decimal(18,2) landed as text only: {shown}{more}"


def _land_table(
    parsed: ParsedDocument,
    doc_id: str,
    ordinal: int,
    table: Any,
    ident: TableIdentity,
    default_unit: str | None,
) -> None:
    template = ident.template
    table_id = f"{doc_id}-{ordinal:03d}"
    unit = ident.unit or default_unit
    warnings: list[str] = []
    if template.id == "generic":
        warnings.append("matches no template; landed as generic cells")
    header_rows = 0
    header_paths: list[str] = []
    value_count = 0
    facts: dict[str, str] = {}
    if template.id == "perf_project_self_evaluation":
        form = read_form(table)
        facts = form.facts
        if form.unaligned_rows:
            warnings.append(
                f"{form.unaligned_rows} funding rows whose figures no alignment confirms; left as cells"
            )
        for f in form.values:
            parsed.values.append(
                _value_record(
                    table_id, doc_id, ordinal, template.id, f.cell, f.parsed, f.row_index,
                    f.column_index, f.value_kind, unit, group_index=0, section=f.section,
                    row_label=f.row_label, row_key=line_item(f.row_label) or None,
                    column_path=f.measure,
                )
            )
        value_count = len(form.values)
    if template.shape == "grid":
        reading = read_grid(table, template)
        header_rows = reading.header_rows
        header_paths = [c.path_text for c in reading.columns]
        if reading.realigned_cells:
            warnings.append(
                f"{reading.realigned_cells} values printed outside their column (a lost cell "
                "beside a merged label) placed in the nearest value column"
            )
        if reading.text_in_value_columns:
            warnings.append(f"{len(reading.text_in_value_columns)} text cells in value columns")
        if unit is None and any(v.value_kind == "amount" for v in reading.values):
            warnings.append("no amount unit found for this table; amounts not converted to 元")
        for v in reading.values:
            assert v.parsed.value is not None
            if not fits_scale(v.parsed.value):
                warnings.append(f"{v.cell.text!r} has more than the storable decimals; kept as cell text")
                continue
            parsed.values.append(
                _value_record(
                    table_id, doc_id, ordinal, template.id, v.cell, v.parsed, v.row_index,
                    v.printed_column, v.value_kind, unit, group_index=v.group_index, side=v.side,
                    section=v.section, row_label=v.row_label, row_key=v.row_key or None,
                    line_number=v.line_number, function_code=v.function_code,
                    economic_code=v.economic_code, gov_economic_code=v.gov_economic_code,
                    unit_code=v.unit_code, column_path=v.column.path_text,
                    column_number=v.column.column_number,
                )
            )
        value_count = sum(1 for v in parsed.values if v["table_id"] == table_id)
        for row in reading.rows:
            parsed.rows.append(
                {
                    "row_id": f"{table_id}-r{row.row_index:03d}g{row.group_index}",
                    "document_id": doc_id,
                    "table_id": table_id,
                    "template_id": template.id,
                    "row_index": row.row_index,
                    "group_index": row.group_index,
                    "section": row.section,
                    "row_label": row.row_label,
                    "line_item": line_item(row.row_label) or None,
                    "line_number": row.line_number,
                    "function_code": row.codes.get("function"),
                    "economic_code": row.codes.get("economic"),
                    "gov_economic_code": row.codes.get("gov_economic"),
                    "unit_code": row.codes.get("unit"),
                    **_address(row.label_cell or SourceCell("")),
                    "parser_version": PARSER_VERSION,
                }
            )
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if not cell.text.strip():
                continue
            parsed.cells.append(
                {
                    "document_id": doc_id,
                    "table_id": table_id,
                    "row_index": r,
                    "column_index": c,
                    "text": cell.text,
                    "is_header": r < header_rows,
                    **_address(cell),
                    "parser_version": PARSER_VERSION,
                }
            )
    out_of_range = _out_of_range_warning([v for v in parsed.values if v["table_id"] == table_id])
    if out_of_range:
        warnings.append(out_of_range)
    parsed.tables.append(
        {
            "table_id": table_id,
            "document_id": doc_id,
            "table_ordinal": ordinal,
            "template_id": template.id,
            "template_family": template.family,
            "recognised_by": ident.recognised_by,
            "printed_title": ident.title,
            "printed_numbering": ident.numbering,
            "unit": unit,
            "first_page": table.first_page,
            "first_line": table.first_line,
            "row_count": len(table.rows),
            "column_count": table.width,
            "header_rows": header_rows,
            "column_paths": json.dumps(header_paths, ensure_ascii=False),
            "value_count": value_count,
            "is_empty": template.shape == "grid" and value_count == 0,
            "announced_empty": ident.announced_empty,
            "project_name": facts.get("project_name"),
            "supervising_department": facts.get("supervising_department"),
            "implementing_unit": facts.get("implementing_unit"),
            "warnings": "; ".join(warnings) or None,
            "parser_version": PARSER_VERSION,
        }
    )
    parsed.warnings.extend(f"table {ordinal} ({template.id}): {w}" for w in warnings)
