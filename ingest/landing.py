"""Write parsed documents to the landing area as Parquet.

Layout: `<landing>/<entity>/<document_id>.parquet`, one file per document and entity, plus
`<entity>/_schema.parquet` (no rows) so every entity is readable even with no documents.
A document's files are written to temporary names and renamed into place only when all of
them are written, so a document never lands half-way.

Beside the live entity folders, two holding areas with the same layout: `_quarantined/`
(documents whose data broke a check of the warehouse; kept, reported, left out of the marts
until the code that checks them changes) and `_departing/` (documents leaving the warehouse
in this build: kept until the build publishes, so a replacement that is quarantined can
give its place back to the version it replaced).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.document import ParsedDocument
from ingest.numbers import MAX_DECIMALS

AMOUNT = pa.decimal128(30, MAX_DECIMALS)  # exact: the printed digits, in 元 or as printed

_ADDRESS = [
    ("page", pa.int32()),
    ("line_no", pa.int32()),
    ("bbox_x0", pa.float64()),
    ("bbox_top", pa.float64()),
    ("bbox_x1", pa.float64()),
    ("bbox_bottom", pa.float64()),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("document_id", pa.string()),
            ("content_hash", pa.string()),
            ("source_file", pa.string()),
            ("source_modified_at", pa.string()),
            ("format", pa.string()),
            ("text_encoding", pa.string()),
            ("page_count", pa.int32()),
            ("line_count", pa.int32()),
            ("title", pa.string()),
            ("issuer_name", pa.string()),
            ("issuer_key", pa.string()),
            ("issuer_code", pa.string()),
            ("parent_code", pa.string()),
            ("parent_name", pa.string()),
            ("fiscal_year", pa.int32()),
            ("document_kind", pa.string()),
            ("scope", pa.string()),
            ("published_date", pa.string()),
            ("table_count", pa.int32()),
            ("parser_version", pa.string()),
        ]
    ),
    "tables": pa.schema(
        [
            ("table_id", pa.string()),
            ("document_id", pa.string()),
            ("table_ordinal", pa.int32()),
            ("template_id", pa.string()),
            ("template_family", pa.string()),
            ("recognised_by", pa.string()),
            ("printed_title", pa.string()),
            ("printed_numbering", pa.string()),
            ("unit", pa.string()),
            ("first_page", pa.int32()),
            ("first_line", pa.int32()),
            ("row_count", pa.int32()),
            ("column_count", pa.int32()),
            ("header_rows", pa.int32()),
            ("column_paths", pa.string()),
            ("value_count", pa.int32()),
            ("is_empty", pa.bool_()),
            ("announced_empty", pa.bool_()),
            ("project_name", pa.string()),
            ("supervising_department", pa.string()),
            ("implementing_unit", pa.string()),
            ("warnings", pa.string()),
            ("parser_version", pa.string()),
        ]
    ),
    "cells": pa.schema(
        [
            ("document_id", pa.string()),
            ("table_id", pa.string()),
            ("row_index", pa.int32()),
            ("column_index", pa.int32()),
            ("text", pa.string()),
            ("is_header", pa.bool_()),
            *_ADDRESS,
            ("parser_version", pa.string()),
        ]
    ),
    "rows": pa.schema(
        [
            ("row_id", pa.string()),
            ("document_id", pa.string()),
            ("table_id", pa.string()),
            ("template_id", pa.string()),
            ("row_index", pa.int32()),
            ("group_index", pa.int32()),
            ("section", pa.string()),
            ("row_label", pa.string()),
            ("line_item", pa.string()),
            ("line_number", pa.string()),
            ("function_code", pa.string()),
            ("economic_code", pa.string()),
            ("gov_economic_code", pa.string()),
            ("unit_code", pa.string()),
            *_ADDRESS,
            ("parser_version", pa.string()),
        ]
    ),
    "values": pa.schema(
        [
            ("value_id", pa.string()),
            ("document_id", pa.string()),
            ("table_id", pa.string()),
            ("table_ordinal", pa.int32()),
            ("template_id", pa.string()),
            ("row_index", pa.int32()),
            ("column_index", pa.int32()),
            ("group_index", pa.int32()),
            ("side", pa.string()),
            ("section", pa.string()),
            ("row_label", pa.string()),
            ("line_item", pa.string()),
            ("row_key", pa.string()),
            ("line_number", pa.string()),
            ("function_code", pa.string()),
            ("economic_code", pa.string()),
            ("gov_economic_code", pa.string()),
            ("unit_code", pa.string()),
            ("column_path", pa.string()),
            ("column_number", pa.string()),
            ("value_kind", pa.string()),
            ("raw_text", pa.string()),
            ("published_value", AMOUNT),
            ("decimals", pa.int32()),
            ("unit", pa.string()),
            ("amount_yuan", AMOUNT),
            ("value_warning", pa.string()),
            *_ADDRESS,
            ("parser_version", pa.string()),
        ]
    ),
    "claims": pa.schema(
        [
            ("claim_id", pa.string()),
            ("document_id", pa.string()),
            ("sentence_index", pa.int32()),
            ("claim_index", pa.int32()),
            ("section", pa.string()),
            ("part", pa.int32()),
            ("sentence", pa.string()),
            ("subject", pa.string()),
            ("measure", pa.string()),
            ("published_value", AMOUNT),
            ("unit", pa.string()),
            ("decimals", pa.int32()),
            ("amount_yuan", AMOUNT),
            ("raw_text", pa.string()),
            ("share_of", pa.string()),
            ("position", pa.int32()),
            ("resolved_to", pa.string()),
            ("resolved_function_code", pa.string()),
            ("subject_value_id", pa.string()),
            ("restated_value_id", pa.string()),
            ("denominator_value_id", pa.string()),
            ("page", pa.int32()),
            ("line_no", pa.int32()),
            ("parser_version", pa.string()),
        ]
    ),
    "run_report": pa.schema(
        [
            ("source_file", pa.string()),
            ("document_id", pa.string()),
            ("outcome", pa.string()),
            ("reason_code", pa.string()),
            ("reason", pa.string()),
            ("tables", pa.int32()),
            ("values", pa.int32()),
            ("warnings", pa.string()),
            ("input_format", pa.string()),
        ]
    ),
}

DOCUMENT_ENTITIES = ("documents", "tables", "cells", "rows", "values", "claims")


def _table(entity: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[entity]
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema)


def prepare(landing: Path) -> None:
    for entity, schema in SCHEMAS.items():
        folder = landing / entity
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), folder / "_schema.parquet")


def land_document(landing: Path, parsed: ParsedDocument) -> None:
    doc_id = parsed.document["document_id"]
    rows = {
        "documents": [parsed.document],
        "tables": parsed.tables,
        "cells": parsed.cells,
        "rows": parsed.rows,
        "values": parsed.values,
        "claims": parsed.claims,
    }
    staged = []
    for entity in DOCUMENT_ENTITIES:
        tmp = landing / entity / f".{doc_id}.parquet.tmp"
        pq.write_table(_table(entity, rows[entity]), tmp)
        staged.append((tmp, landing / entity / f"{doc_id}.parquet"))
    for tmp, final in staged:
        os.replace(tmp, final)


def read_entity(landing: Path, entity: str, document_id: str) -> list[dict[str, Any]]:
    """One landed document's rows of an entity."""
    path = landing / entity / f"{document_id}.parquet"
    return pq.read_table(path).to_pylist() if path.exists() else []


def replace_entity(landing: Path, entity: str, document_id: str, rows: list[dict[str, Any]]) -> None:
    """Rewrite one landed document's rows of an entity, atomically."""
    tmp = landing / entity / f".{document_id}.parquet.tmp"
    pq.write_table(_table(entity, rows), tmp)
    os.replace(tmp, landing / entity / f"{document_id}.parquet")


QUARANTINED = "_quarantined"
DEPARTING = "_departing"


def _area(landing: Path, area: str | None) -> Path:
    return landing / area if area else landing


def remove_document(landing: Path, document_id: str, area: str | None = None) -> None:
    for entity in DOCUMENT_ENTITIES:
        (_area(landing, area) / entity / f"{document_id}.parquet").unlink(missing_ok=True)


def move_document(landing: Path, document_id: str, source: str | None, target: str | None) -> None:
    """Move a landed document's files between the live folders (None) and a holding area.
    Each file moves with one rename; a document missing a file is completed by the next
    build's manifest check (it is then read again)."""
    for entity in DOCUMENT_ENTITIES:
        origin = _area(landing, source) / entity / f"{document_id}.parquet"
        if origin.exists():
            destination = _area(landing, target) / entity / origin.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(origin, destination)


def purge_area(landing: Path, area: str) -> None:
    """Delete every document file in a holding area."""
    for entity in DOCUMENT_ENTITIES:
        for file in (landing / area / entity).glob("*.parquet*"):
            file.unlink(missing_ok=True)


def write_run_report(landing: Path, rows: list[dict[str, Any]]) -> None:
    tmp = landing / "run_report" / ".run.parquet.tmp"
    pq.write_table(_table("run_report", rows), tmp)
    os.replace(tmp, landing / "run_report" / "run.parquet")


class LandingManifest:
    """What the landing area holds: per document, the parser version that read it and the
    input files it came from. Kept in `<landing>/_manifest.json`, rewritten atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._docs: dict[str, dict[str, Any]] = data.get("documents", {})

    @classmethod
    def load(cls, landing: Path) -> LandingManifest:
        path = landing / "_manifest.json"
        data = json.loads(path.read_text("utf-8")) if path.exists() else {}
        manifest = cls(path, data)
        # after a crash: a document whose files are incomplete is not landed, files of a
        # document the manifest does not know are orphans, temporary files are debris, and
        # what a killed build was about to remove is removed
        purge_area(landing, DEPARTING)
        for doc_id in list(manifest._docs):
            folder = _area(landing, QUARANTINED if manifest.is_quarantined(doc_id) else None)
            if not all((folder / e / f"{doc_id}.parquet").exists() for e in DOCUMENT_ENTITIES):
                manifest.forget(doc_id)
        for area, quarantined in ((None, False), (QUARANTINED, True)):
            for entity in DOCUMENT_ENTITIES:
                for file in (_area(landing, area) / entity).glob("*.parquet*"):
                    doc_id = file.name.split(".")[0]
                    known = doc_id in manifest._docs and manifest.is_quarantined(doc_id) == quarantined
                    if file.name.endswith(".tmp") or not (file.name.startswith("_") or known):
                        file.unlink(missing_ok=True)
        return manifest

    def is_current(self, doc_id: str, parser_version: str) -> bool:
        return self._docs.get(doc_id, {}).get("parser_version") == parser_version

    def has(self, doc_id: str) -> bool:
        return doc_id in self._docs

    def record(self, doc_id: str, parser_version: str, source: str, tables: int, values: int,
               warnings: str | None = None, input_format: str | None = None) -> None:
        self._docs[doc_id] = {"parser_version": parser_version, "sources": [source],
                              "tables": tables, "values": values, "warnings": warnings,
                              "input_format": input_format}

    def counts(self, doc_id: str) -> dict[str, Any]:
        """What the run report says of a document landed in an earlier build."""
        entry = self._docs[doc_id]
        return {"tables": entry.get("tables", 0), "values": entry.get("values", 0),
                "warnings": entry.get("warnings"), "input_format": entry.get("input_format")}

    def entry(self, doc_id: str) -> dict[str, Any]:
        return dict(self._docs[doc_id])

    def restore(self, doc_id: str, entry: dict[str, Any]) -> None:
        self._docs[doc_id] = dict(entry)

    def rename(self, doc_id: str, source: str) -> None:
        """The document's bytes are now under another name (renamed, or its duplicate stayed)."""
        self._docs[doc_id]["sources"] = [source]

    def quarantine(self, doc_id: str, reason: str, code_fingerprint: str) -> None:
        self._docs[doc_id]["quarantine"] = {"reason": reason, "code": code_fingerprint}

    def release(self, doc_id: str) -> None:
        self._docs[doc_id].pop("quarantine", None)

    def is_quarantined(self, doc_id: str) -> bool:
        return "quarantine" in self._docs.get(doc_id, {})

    def quarantine_of(self, doc_id: str) -> dict[str, str]:
        return dict(self._docs[doc_id]["quarantine"])

    def document_for(self, source: str) -> str | None:
        return next((d for d, e in self._docs.items() if source in e["sources"]), None)

    def sources(self, doc_id: str) -> list[str]:
        return list(self._docs.get(doc_id, {}).get("sources", []))

    def documents(self) -> set[str]:
        return set(self._docs)

    def forget(self, doc_id: str) -> None:
        self._docs.pop(doc_id, None)

    def save(self) -> None:
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"documents": self._docs}, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, self.path)
