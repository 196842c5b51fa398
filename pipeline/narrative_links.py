"""A publication whose narrative and tables come as two files: the narrative-only document's
claims are resolved against the tables of its sibling — the landed document of the same
issuer, fiscal year and kind that has tables. Runs after the ingest on every build that reads
anything (it reads only the landing area), so a sibling that arrives or changes later is
picked up; resolution itself is `ingest.interpret.narrative.resolve`, the same as within a document.
"""

from __future__ import annotations

import os

from ingest.interpret.narrative import claims_from_records, resolve
from ingest.landing import LandingManifest


def link_narratives(manifest: LandingManifest) -> list[tuple[str, str]]:
    """Resolve every live narrative-only document against its sibling; the (narrative,
    tables) document pairs linked. A narrative whose claims change waits to be written again
    with the manifest's next batch (`LandingManifest.flush`)."""
    documents = sorted(manifest.live_rows("documents").to_pylist(), key=lambda d: d["document_id"])
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
        records = manifest.rows(doc["document_id"], "claims").to_pylist()
        if sibling is None or not records:
            continue
        values = manifest.rows(sibling["document_id"], "values").to_pylist()
        templates = {t["template_id"] for t in manifest.rows(sibling["document_id"], "tables").to_pylist()}
        fixed = {(r["sentence_index"], r["claim_index"]): r for r in records}
        resolved = resolve(claims_from_records(records), values, templates)
        rows = [{**fixed[(r["sentence_index"], r["claim_index"])], **r} for r in resolved]
        if rows != records:  # rewritten only when the resolution changed: a rewrite touches the document
            manifest.replace_rows(doc["document_id"], "claims", rows)
        linked.append((doc["document_id"], sibling["document_id"]))
    return linked


MARKER = "_narratives_linked"


def linked_since_last_change(manifest: LandingManifest) -> bool:
    """Whether the narratives were linked since the landing's documents last changed: the
    manifest records every live and quarantined document and the batch its rows were last
    written in (`content_digest`: where compaction moved them left out), so an equal digest is
    an equal set of documents to link, and linking again (reading every landed document's
    row: 10-20 s at 10^4 documents) would change nothing. A build killed before linking leaves
    the mark of the manifest before, so the next build links."""
    marker = manifest.landing / MARKER
    return marker.exists() and marker.read_text("utf-8") == manifest.content_digest()


def mark_linked(manifest: LandingManifest) -> None:
    tmp = manifest.landing / f".{MARKER}.tmp"
    tmp.write_text(manifest.content_digest(), "utf-8")
    os.replace(tmp, manifest.landing / MARKER)
