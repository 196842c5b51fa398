"""One file in, one `ParsedDocument` out: the rows of every landed entity for that file.

This is the edge between IO and the pure middle: it reads bytes, decides the format from
content, hands the text to a reader, and turns what the recognisers say into records.
Either the whole document parses, or a `RejectedDocument` says why and nothing of it lands.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.catalogue import titles
from ingest.errors import NotADisclosure
from ingest.formats import Format, decode_text, sniff
from ingest.genre import other_genre, without_amounts
from ingest.interpret.narrative import extract_claims, resolve
from ingest.interpret.readings import READERS, TableReading, Where
from ingest.interpret.recognise import (
    TITLE_AREA_LINES,
    TableIdentity,
    document_family,
    issuer_key,
    most_common_unit,
    recognise_document,
    recognise_table,
)
from ingest.interpret.restructure import restructure
from ingest.interpret.sections import printed_sections
from ingest.interpret.unit_conflict import correct_unit_conflicts
from ingest.model import RawTable, ReadDocument
from ingest.numbers import fits_warehouse, is_amount_word
from ingest.read.pdf import read_pdf
from ingest.read.text import read_text
from ingest.records import (
    VALUE_OUT_OF_RANGE,
    CellRecord,
    ClaimRecord,
    DocumentRecord,
    TableRecord,
    address,
    out_of_range_warning,
)

Record = dict[str, Any]

# The PDF readers (pdfplumber, pdfminer, pypdfium2) are imported and the table catalogue read
# with this module, not on a worker's first document: the build, the bench, the fingerprint and
# the evaluation import this module and then fork one worker per document, and a worker inherits
# what its parent loaded. Loading them in each worker cost it 70 ms of CPU, a sixth of an
# average document's reading.
TITLES = titles()


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
        lines, tables, pages = read_pdf(path, data, TITLES)
        return ReadDocument(path, digest, fmt, pages, lines, tables)
    content, encoding = decode_text(path, data)
    lines, tables = read_text(content)
    return ReadDocument(path, digest, fmt, None, lines, tables, encoding=encoding)


def parse_document(path: Path, source_name: str | None = None) -> ParsedDocument:
    """Read and recognise one file. Raises `RejectedDocument` (with the reason) when it is
    not a budget or final-account disclosure we can read."""
    read = read_file(path)
    if genre := other_genre([line.text for line in read.lines[:TITLE_AREA_LINES]]):
        raise NotADisclosure(path, f"not a budget disclosure: {genre}")
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

    doc_id = read.document_id
    default_unit = most_common_unit(identities)
    parsed = ParsedDocument(
        document=DocumentRecord(
            document_id=doc_id,
            content_hash=read.content_hash,
            source_file=source_name or path.name,
            source_modified_at=_modified_at(path),
            format=read.format.value,
            text_encoding=read.encoding,
            page_count=read.page_count,
            line_count=len(read.lines),
            title=info.title,
            issuer_name=info.issuer_name,
            issuer_key=issuer_key(info.issuer_name),
            issuer_code=info.issuer_code,
            parent_code=info.parent_code,
            parent_name=info.parent_name,
            fiscal_year=info.fiscal_year,
            document_kind=info.kind,
            scope=info.scope,
            published_date=info.published_date,
            table_count=len(read.tables),
            printed_sections=";".join(printed_sections(read.lines)),
        ).row(),
        warnings=list(info.warnings),
    )
    for ordinal, (table, ident) in enumerate(zip(read.tables, identities, strict=True), start=1):
        where = Where(doc_id, ordinal, f"{doc_id}-{ordinal:03d}", ident.template, ident.unit or default_unit)
        _land_table(parsed, table, ident, where, READERS[ident.template.reader](table, where))
    parsed.warnings.extend(correct_unit_conflicts(parsed.tables, parsed.values))
    if not parsed.values:
        texts = [line.text for line in read.lines] + [
            line.text for t in read.tables for line in (*t.context, *t.trailer)]
        names = [f"{t['printed_title'] or t['template_id']} p{t['first_page']}" for t in parsed.tables]
        parsed.warnings.append(without_amounts(texts, names))
    printed = {t["template_id"] for t in parsed.tables}
    projects = {t["project_name"] for t in parsed.tables if t["project_name"]} | {
        v["line_item"] for v in parsed.values if v["template_id"] == "budget_projects" and v["line_item"]}
    for claim in resolve(extract_claims(read.lines), parsed.values, printed, projects):
        claim_id = f"{doc_id}-s{claim['sentence_index']:04d}c{claim['claim_index']:02d}"
        if not (fits_warehouse(claim["published_value"]) and fits_warehouse(claim["amount_yuan"])):
            parsed.warnings.append(f"{VALUE_OUT_OF_RANGE}: narrative figure {claim['raw_text']!r} "
                                   "beyond decimal(18,2) kept as text only")
            claim = {**claim, "published_value": None, "amount_yuan": None}
        parsed.claims.append(ClaimRecord(claim_id=claim_id, document_id=doc_id, **claim).row())
    return parsed


def _modified_at(path: Path) -> str:
    """When the input file was last written (UTC): which of two versions of one issuer's
    document is the later, when neither prints a publication date."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_BUDGET_TERMS = ("财政拨款", "一般公共预算", "基本支出", "项目支出", "三公", "收入预算", "支出预算", "决算")


def _narrates_a_budget(read: ReadDocument) -> bool:
    """Some publications give a section only in prose, or have no tables at all; they are
    disclosures all the same when their text speaks the budget's vocabulary."""
    text = "".join(line.text for line in read.lines)
    sentences = text.count("。")
    return sentences >= 5 and sum(term in text for term in _BUDGET_TERMS) >= 4


UNLANDED_AMOUNTS = "amounts printed but not landed"


def unlanded_amounts(table: RawTable, reading: TableReading) -> str | None:
    """A table that lands fewer values than it prints amounts says so: how many of its
    amount-like cells (below the header) no landed value was read from, and the first few."""
    landed = {(v.row_index, v.column_index) for v in reading.values}
    printed = [(r, c, cell.text) for r, row in enumerate(table.rows) if r >= reading.header_rows
               for c, cell in enumerate(row) if is_amount_word(cell.text)]
    missed = [p for p in printed if (p[0], p[1]) not in landed]
    if not missed:
        return None
    shown = ", ".join(f"{text!r} (row {r}, column {c})" for r, c, text in missed[:3])
    more = f" and {len(missed) - 3} more" if len(missed) > 3 else ""
    return f"{UNLANDED_AMOUNTS}: {len(missed)} of {len(printed)}: {shown}{more}"


def _land_table(parsed: ParsedDocument, table: RawTable, ident: TableIdentity, where: Where,
                reading: TableReading) -> None:
    """A table's records: what its reader read (values, rows), every printed cell, and the
    table itself."""
    template = where.template
    warnings = (["matches no template; landed as generic cells"] if template.id == "generic" else []) + reading.warnings
    if out_of_range := out_of_range_warning(reading.values):
        warnings.append(out_of_range)
    if template.reader != "cells" and (unlanded := unlanded_amounts(table, reading)):
        warnings.append(unlanded)
    parsed.values.extend(v.row() for v in reading.values)
    parsed.rows.extend(r.row() for r in reading.rows)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell.text.strip():
                parsed.cells.append(CellRecord(
                    document_id=where.document_id, table_id=where.table_id, row_index=r, column_index=c,
                    text=cell.text, is_header=r < reading.header_rows, **address(cell),
                ).row())
    parsed.tables.append(TableRecord(
        table_id=where.table_id,
        document_id=where.document_id,
        table_ordinal=where.ordinal,
        template_id=template.id,
        template_family=template.family,
        recognised_by=ident.recognised_by,
        printed_title=ident.title,
        printed_numbering=ident.numbering,
        unit=where.unit,
        first_page=table.first_page,
        first_line=table.first_line,
        row_count=len(table.rows),
        column_count=table.width,
        header_rows=reading.header_rows,
        column_paths=json.dumps(reading.column_paths, ensure_ascii=False),
        value_count=len(reading.values),
        is_empty=template.reader == "grid" and not reading.values,
        announced_empty=ident.announced_empty,
        project_name=reading.facts.get("project_name"),
        supervising_department=reading.facts.get("supervising_department"),
        implementing_unit=reading.facts.get("implementing_unit"),
        printed_issuer=ident.printed_issuer,
        warnings="; ".join(warnings) or None,
        reading_status=reading.check.status,
        reading_identities_held=reading.check.held,
        reading_identities_failed=reading.check.failed,
        reading_note=reading.check.note,
    ).row())
    parsed.warnings.extend(f"table {where.ordinal} ({template.id}): {w}" for w in warnings)
