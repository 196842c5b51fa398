"""Write parsed documents to the landing area as Parquet (IO only: what a record holds is
`ingest.records`).

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
from ingest.records import SCHEMAS

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
