"""The landing in batches (ingest/landing.py): many documents to a file, a document's live
rows are those of the batch the manifest points to, what no pointer reaches is compacted
away after publishing, a killed ingest leaves only orphans the next build deletes, and a
landing of the layout before batches migrates without reading a document again."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from ingest import PARSER_VERSION, landing
from ingest.document import ParsedDocument, parse_document
from ingest.landing import DOCUMENT_ENTITIES, LandingManifest, batch_file, prepare, write_batch
from pipeline import storage
from pipeline.build import BuildSettings, landed_signatures, load_landed
from tests.conftest import RAW, make_build


@pytest.fixture(scope="module")
def parsed() -> list[ParsedDocument]:
    return [parse_document(path, source_name=path.name) for path in sorted(RAW.glob("*.txt"))]


def copy_of(doc: ParsedDocument, n: int) -> ParsedDocument:
    """The document under another id (every entity's document_id rewritten)."""
    new_id = f"{doc.document['document_id'][:12]}{n:04d}"

    def moved(records: list) -> list:
        return [{**(dataclasses.asdict(r) if dataclasses.is_dataclass(r) and not isinstance(r, type) else dict(r)),
                 "document_id": new_id} for r in records]

    return ParsedDocument(moved([doc.document])[0], moved(doc.tables), moved(doc.cells), moved(doc.rows),
                          moved(doc.values), moved(doc.claims))


def land(where: Path, docs: list[ParsedDocument]) -> LandingManifest:
    prepare(where)
    manifest = LandingManifest.load(where)
    for doc in docs:
        manifest.land(doc, PARSER_VERSION, f"{doc.document['document_id']}.txt")
    manifest.flush()
    return manifest


def files(where: Path) -> list[Path]:
    return sorted(p for p in where.rglob("*.parquet") if p.parent.name.startswith("batch="))


def all_rows(where: Path, entity: str) -> list[str]:
    """The document ids of every row in every batch file of an entity, live or not."""
    with duckdb.connect() as con:
        return [r[0] for r in con.execute(
            f"select document_id from read_parquet('{where}/{entity}/*/*.parquet', hive_partitioning = true)").fetchall()]


def test_a_batch_holds_many_documents_and_the_file_count_does_not_grow_with_them(parsed, tmp_path):
    few = land(tmp_path / "few", parsed[:1])
    many = land(tmp_path / "many", [copy_of(d, n) for n in range(10) for d in parsed])
    assert len(files(tmp_path / "few")) == len(files(tmp_path / "many")) == len(DOCUMENT_ENTITIES)
    assert len(many.live()) == 10 * len(parsed) and len(set(many.live().values())) == 1
    assert len(few.live()) == 1
    doc = copy_of(parsed[1], 3)
    read = landing.read_entity(tmp_path / "many", "values", doc.document["document_id"])
    assert [v["value_id"] for v in read] == [v["value_id"] for v in doc.values]  # as landed, in order


def test_the_ingest_writes_a_batch_every_flush_documents(parsed, tmp_path, monkeypatch):
    monkeypatch.setattr(landing, "FLUSH_DOCUMENTS", 2)
    prepare(tmp_path)
    manifest = LandingManifest.load(tmp_path)
    for n, doc in enumerate([copy_of(d, n) for n in range(2) for d in parsed]):
        manifest.land(doc, PARSER_VERSION, f"{n}.txt")
        if manifest.flush_due():
            manifest.flush()
    manifest.flush()
    assert len(manifest.batches()) == 4 and {b["documents"] for b in manifest.batches().values()} == {2}


def loaded(tmp_path: Path, where: Path, touched: set[str] | None = None) -> dict[str, list[str]]:
    """load_landed into a new warehouse file: per entity, the document ids of its rows."""
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    settings = BuildSettings(raw, where.with_name(where.stem + ".duckdb"))
    assert settings.landing == where
    storage.create_warehouse_file(settings.building)
    load_landed(settings, touched)
    with duckdb.connect(str(settings.building), read_only=True) as con:
        out = {e: [r[0] for r in con.execute(f"select document_id from landed.{e}").fetchall()]
               for e in DOCUMENT_ENTITIES}
        columns = [r[0] for r in con.execute("select column_name from information_schema.columns "
                                             "where table_schema = 'landed' and table_name = 'values'").fetchall()]
    settings.building.unlink()
    assert columns == list(landing.SCHEMAS["values"].names)  # the hive column `batch` is not kept
    return out


def test_a_replaced_or_removed_document_is_not_loaded_and_is_compacted_away_after_publish(parsed, tmp_path):
    where = tmp_path / "w.landing"
    manifest = land(where, parsed)
    ids = sorted(manifest.live())
    removed, rewritten, quarantined = ids[0], ids[1], ids[2]
    manifest.forget(removed)  # left the input folder
    manifest.rename(rewritten, "renamed.txt")  # its document row written again, in a new batch
    manifest.flush()
    manifest.quarantine(quarantined, "breaks a check", "code")
    manifest.save()
    assert len(manifest.batches()) == 2
    rows = loaded(tmp_path, where)
    assert removed not in rows["values"] and quarantined not in rows["values"]
    assert sorted(set(rows["documents"])) == sorted(set(ids) - {removed, quarantined})
    assert rows["documents"].count(rewritten) == 1  # its old row, still in the first batch, is dead
    assert removed in all_rows(where, "values") and all_rows(where, "documents").count(rewritten) == 2
    signatures = landed_signatures(where)
    assert set(signatures) == set(ids) - {removed, quarantined}

    manifest.compact()  # after publishing: both batches are small, rewritten as one
    assert len(manifest.batches()) == 1 and len(files(where)) == len(DOCUMENT_ENTITIES)
    assert removed not in all_rows(where, "values") and all_rows(where, "documents").count(rewritten) == 1
    assert quarantined in all_rows(where, "values")  # kept, reported, out of the marts
    assert landed_signatures(where) == signatures  # compaction moves rows, not what they are
    assert {e: sorted(r) for e, r in loaded(tmp_path, where).items()} == {e: sorted(r) for e, r in rows.items()}
    assert landing.read_entity(where, "documents", rewritten)[0]["source_file"] == "renamed.txt"
    manifest.compact()  # nothing left to gain
    assert len(manifest.batches()) == 1


def test_compaction_leaves_large_mostly_live_batches_alone(parsed, tmp_path, monkeypatch):
    where = tmp_path / "w.landing"
    manifest = land(where, [copy_of(d, n) for n in range(3) for d in parsed])
    first = next(iter(manifest.batches()))
    monkeypatch.setattr(landing, "SMALL_BATCH_BYTES", 1)  # every batch counts as large
    manifest.forget(sorted(manifest.live())[0])  # 11 of 12 live
    land_more = [copy_of(d, 9) for d in parsed]
    for doc in land_more:
        manifest.land(doc, PARSER_VERSION, "x.txt")
    manifest.flush()
    assert manifest.compact() == [] and first in manifest.batches()
    for doc in sorted(d for d, b in manifest.live().items() if b == first)[:6]:
        manifest.forget(doc)  # 5 of 12 live: below half
    written = manifest.compact()
    assert len(written) == 1 and first not in manifest.batches() and not batch_file(where, "values", first).exists()


def test_a_killed_ingest_leaves_an_orphan_batch_that_the_next_load_deletes(parsed, tmp_path):
    manifest = land(tmp_path, parsed[:2])
    kept = set(manifest.live())
    first = next(iter(manifest.batches()))
    # a batch the manifest names that lost a file: its documents are read again
    manifest.land(parsed[2], PARSER_VERSION, "2.txt")
    broken = manifest.flush()
    assert broken is not None
    lost = set(manifest.live()) - kept
    batch_file(tmp_path, "claims", broken).unlink()
    # killed after writing a batch, before the manifest that names it was saved
    orphan = "20000101T000000000000Z-p1-0001"
    write_batch(tmp_path, orphan, {e: pq.read_table(batch_file(tmp_path, e, first)) for e in DOCUMENT_ENTITIES})
    (batch_file(tmp_path, "cells", orphan).parent / ".part-0.parquet.tmp").write_bytes(b"half")
    again = LandingManifest.load(tmp_path)
    assert set(again.live()) == kept and not lost & again.documents()
    assert not any(orphan in str(p) for p in tmp_path.rglob("*")) and len(again.batches()) == 1
    assert len(files(tmp_path)) == len(DOCUMENT_ENTITIES)


def write_old_layout(where: Path, docs: list[ParsedDocument], sources: list[str]) -> None:
    """The landing as builds before batches wrote it: a file per document and entity, a
    quarantined document in `_quarantined/`, one leaving in `_departing/`."""
    prepare(where)
    entries = {}
    for n, (doc, source) in enumerate(zip(docs, sources, strict=True)):
        doc_id = doc.document["document_id"]
        area = where / "_quarantined" if n == 0 else where
        tables = landing.document_rows(doc)
        for entity in DOCUMENT_ENTITIES:
            (area / entity).mkdir(parents=True, exist_ok=True)
            pq.write_table(tables[entity], area / entity / f"{doc_id}.parquet")
        entries[doc_id] = {"parser_version": PARSER_VERSION, "sources": [source], "tables": len(doc.tables),
                           "values": len(doc.values), "warnings": None, "input_format": "text utf-8"}
        if n == 0:
            entries[doc_id]["quarantine"] = {"reason": "its data fails a check", "code": "an older code"}
    leaving = copy_of(docs[1], 7)
    for entity, table in landing.document_rows(leaving).items():
        (where / "_departing" / entity).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, where / "_departing" / entity / f"{leaving.document['document_id']}.parquet")
    (where / "_manifest.json").write_text(json.dumps({"documents": entries}), "utf-8")


def test_a_landing_of_the_layout_before_batches_migrates_on_the_next_build_without_reading_again(parsed, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    warehouse = tmp_path / "out" / "w.duckdb"
    where = warehouse.with_name("w.landing")
    names = [doc.document["source_file"] for doc in parsed]
    write_old_layout(where, parsed, names)
    result = make_build(raw, warehouse)
    read = warehouse.with_name("w.workers.csv").read_text("utf-8").splitlines()
    assert read == ["source_file,result,engine,worker"], result.stderr[-2000:]  # nothing was read again
    assert not (where / "_quarantined").exists() and not (where / "_departing").exists()
    assert not [p for e in DOCUMENT_ENTITIES for p in (where / e).glob("[!_]*.parquet")]  # no file per document
    assert len(files(where)) == len(DOCUMENT_ENTITIES)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = dict(con.execute("select source_file, run_outcome from run_report").fetchall())
        documents = con.execute("select count(*) from dim_document").fetchall()
    # the quarantined one was checked by an older code: released, and every one is kept
    assert outcomes == dict.fromkeys(names, "unchanged") and documents == [(len(parsed),)]

    changed = raw / names[1]
    changed.write_text(changed.read_text("utf-8") + "\n（修订）\n", "utf-8")
    old_id = parsed[1].document["document_id"]
    make_build(raw, warehouse)
    assert old_id not in all_rows(where, "values")  # the replaced version is compacted away
    assert len(files(where)) == len(DOCUMENT_ENTITIES)
