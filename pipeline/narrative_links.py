"""A publication whose narrative and tables come as two files: the narrative-only document's
claims are resolved against the tables of its sibling — the landed document of the same
issuer, fiscal year and kind that has tables. Runs after the ingest on every build that reads
anything (it reads only the landing area), so a sibling that arrives or changes later is
picked up; resolution itself is `ingest.interpret.narrative.resolve`, the same as within a document.
"""

from __future__ import annotations

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
        replace_entity(landing, "claims", doc["document_id"], rows)
        linked.append((doc["document_id"], sibling["document_id"]))
    return linked
