"""A publication whose narrative and tables come as two files: the narrative-only document's
claims are resolved against the tables of its sibling — the landed document of the same
issuer, fiscal year and kind that has tables. Runs after the ingest on every build that reads
anything (it reads only the landing area), so a sibling that arrives or changes later is
picked up; resolution itself is `ingest.interpret.narrative.resolve`, the same as within a document.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingest.interpret.narrative import claims_from_records, resolve
from ingest.landing import read_entity, replace_entity


def link_narratives(landing: Path) -> list[tuple[str, str]]:
    """Resolve every narrative-only document against its sibling; the (narrative, tables)
    document pairs linked."""
    documents = [row for path in sorted((landing / "documents").glob("*.parquet"))
                 if not path.name.startswith(("_", ".")) for row in read_entity(landing, "documents", path.stem)]
    with_tables: dict[tuple[str, int, str], dict] = {}
    for doc in documents:
        if doc["table_count"]:
            key = (doc["issuer_key"], doc["fiscal_year"], doc["document_kind"])
            if key not in with_tables or doc["table_count"] > with_tables[key]["table_count"]:
                with_tables[key] = doc
    linked = []
    for doc in documents:
        if doc["table_count"]:
            continue
        sibling = with_tables.get((doc["issuer_key"], doc["fiscal_year"], doc["document_kind"]))
        records = read_entity(landing, "claims", doc["document_id"])
        if sibling is None or not records:
            continue
        values = read_entity(landing, "values", sibling["document_id"])
        templates = {t["template_id"] for t in read_entity(landing, "tables", sibling["document_id"])}
        fixed = {(r["sentence_index"], r["claim_index"]): r for r in records}
        resolved = resolve(claims_from_records(records), values, templates)
        rows = [{**fixed[(r["sentence_index"], r["claim_index"])], **r} for r in resolved]
        if rows != records:  # rewritten only when the resolution changed: a rewrite touches the document
            replace_entity(landing, "claims", doc["document_id"], rows)
        linked.append((doc["document_id"], sibling["document_id"]))
    return linked


MARKER = "_narratives_linked"


def _manifest_digest(landing: Path) -> str:
    return hashlib.sha256((landing / "_manifest.json").read_bytes()).hexdigest()


def linked_since_last_change(landing: Path) -> bool:
    """Whether the narratives were linked since the landing's documents last changed: the
    manifest records every live and quarantined document, so an equal manifest is an equal
    set of documents to link, and linking again (reading every landed document's row: 10-20 s
    at 10^4 documents) would change nothing. A build killed before linking leaves the mark
    of the manifest before, so the next build links."""
    marker = landing / MARKER
    return marker.exists() and marker.read_text("utf-8") == _manifest_digest(landing)


def mark_linked(landing: Path) -> None:
    tmp = landing / f".{MARKER}.tmp"
    tmp.write_text(_manifest_digest(landing), "utf-8")
    os.replace(tmp, landing / MARKER)
