"""Write parsed documents to the landing area as Parquet (IO only: what a record holds is
`ingest.records`).

Layout: documents land in batches. A batch is one immutable Parquet file per entity holding
the rows of many documents, `<landing>/<entity>/batch=<batch_id>/part-0.parquet` (a hive
partition: DuckDB reads the batch id as the column `batch`), plus `<entity>/_schema.parquet`
(no rows) so every entity is readable even with no documents. Batch ids sort by the time they
were written. A batch's files are written under temporary names and renamed into place, and
the batch counts only once the manifest (`<landing>/_manifest.json`) that names it is saved:
a build killed before leaves an orphan batch, which the next `LandingManifest.load` deletes
(the documents it held are simply read again).

The manifest says, per document, the batch that holds its live rows: a document's rows are
exactly its rows in that batch. Rows of the same document in other batches are dead. So when a
document's rows change without a new reading (a new source name, narrative claims resolved)
or with one (a changed file, a new parser), they are written again into a new batch with
other documents and the pointer moves; a document superseded, replaced or removed simply
loses its pointer. A tombstone is the manifest's pointer moving away: nothing is rewritten
when a document leaves. Quarantine (documents whose data broke a check of the warehouse:
kept, reported, left out of the marts until the code that checks them changes) is a state of
the document in the manifest, not a place. Documents leaving the warehouse in a build are
forgotten by the manifest but their batches stay until the build publishes (so a
replacement that is quarantined can give its place back to the version it replaced): only
`compact`, after publishing, and `LandingManifest.load`, at the start of a build, delete
batches, and only those no document points to.

`compact` rewrites the batches that are mostly dead rows or small into new batches of about
`TARGET_BATCH_BYTES` (their documents' pointers move; each document's `revision`, a digest of
its rows, stays: what the warehouse is built from is unchanged) and deletes the old files.

A landing in the layout before batches (`<entity>/<document_id>.parquet`, `_quarantined/`,
`_departing/`) is converted by the first `LandingManifest.load` into batches, pointers set,
without reading any document again (DECISIONLOG.md, 2026-12-02).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.document import ParsedDocument
from ingest.records import SCHEMAS

DOCUMENT_ENTITIES = ("documents", "tables", "cells", "rows", "values", "claims")
PART = "part-0.parquet"
LAYOUT = 2  # 1: a file per document and entity; 2: batches

# the ingest writes a batch when this many documents, or rows of all entities, are waiting, or
# this long after the last batch: about 1000 documents of the corpus (2,200 rows and 40 KB of
# Parquet each) make files of 5-25 MB per entity, and a killed build loses at most the
# documents read in the last FLUSH_SECONDS (DECISIONLOG.md, 2026-12-02)
FLUSH_DOCUMENTS = 1000
FLUSH_ROWS = 2_000_000
FLUSH_SECONDS = 300.0
# compaction: batches are rewritten together into batches of about this size (all entities)
# when fewer than MIN_LIVE_SHARE of their documents are live, or when smaller than SMALL_BATCH_BYTES
TARGET_BATCH_BYTES = 64 * 2**20
SMALL_BATCH_BYTES = TARGET_BATCH_BYTES // 4
MIN_LIVE_SHARE = 0.5
ROW_GROUP_ROWS = 65_536  # a document's rows are found by the row groups' document_id statistics


def _table(entity: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[entity]
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema)


def _conform(entity: str, table: pa.Table) -> pa.Table:
    """A table read back, with the entity's columns in their order and types (a column a
    batch written by an older schema lacks is null)."""
    schema = SCHEMAS[entity]
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
               for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def prepare(landing: Path) -> None:
    """Every entity's folder, and its `_schema.parquet` written again (the columns of the code
    that runs: `load_landed` creates the `landed` tables from it)."""
    for entity, schema in SCHEMAS.items():
        folder = landing / entity
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "._schema.parquet.tmp"
        pq.write_table(schema.empty_table(), tmp)
        os.replace(tmp, folder / "_schema.parquet")


def batch_folder(landing: Path, entity: str, batch: str) -> Path:
    return landing / entity / f"batch={batch}"


def batch_file(landing: Path, entity: str, batch: str) -> Path:
    return batch_folder(landing, entity, batch) / PART


_sequence = 0


def new_batch_id() -> str:
    """Sortable by the time of writing and unique across processes: `20261202T114500123456Z-p<pid>-<n>`."""
    global _sequence
    _sequence += 1
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f"{int(now % 1 * 1e6):06d}Z"
    return f"{stamp}-p{os.getpid()}-{_sequence:04d}"


def _install(staged: list[tuple[Path, Path]]) -> int:
    """Rename a batch's temporary files into place; their total size."""
    size = 0
    for tmp, final in staged:
        size += tmp.stat().st_size
        os.replace(tmp, final)
    return size


def write_batch(landing: Path, batch: str, tables: dict[str, pa.Table]) -> int:
    """One batch from in-memory tables (rows kept in order within a document, documents in id
    order); its size in bytes."""
    staged = []
    for entity in DOCUMENT_ENTITIES:
        folder = batch_folder(landing, entity, batch)
        folder.mkdir(parents=True, exist_ok=True)
        table = tables[entity]
        if len(table):
            table = table.take(pc.sort_indices(table, [("document_id", "ascending")]))  # stable
        tmp = folder / f".{PART}.tmp"
        pq.write_table(table, tmp, row_group_size=ROW_GROUP_ROWS)
        staged.append((tmp, folder / PART))
    return _install(staged)


def _sql_path(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _columns(entity: str) -> str:
    return ", ".join(f'"{name}"' for name in SCHEMAS[entity].names)


def copy_batch(con: duckdb.DuckDBPyConnection, landing: Path, batch: str, select: Callable[[str], str]) -> int:
    """One batch written by DuckDB: per entity, the rows `select(entity)` returns (a query
    whose columns are the entity's); its size in bytes."""
    staged = []
    for entity in DOCUMENT_ENTITIES:
        folder = batch_folder(landing, entity, batch)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{PART}.tmp"
        con.execute(f"copy ({select(entity)}) to {_sql_path(tmp)} "
                    f"(format parquet, row_group_size {ROW_GROUP_ROWS})")
        staged.append((tmp, folder / PART))
    return _install(staged)


def read_batches(files: list[str], hive: bool = True, options: str = "") -> str:
    """SQL reading batch files: their rows with (`hive`) the column `batch` of their hive partition."""
    quoted = ", ".join(_sql_path(f) for f in files)
    hive_options = "hive_partitioning = true, hive_types = {'batch': varchar}" if hive else "hive_partitioning = false"
    return f"read_parquet([{quoted}], {hive_options}, union_by_name = true{options})"


def rows_digest(tables: dict[str, pa.Table]) -> str:
    """What a document's rows are (typed as landed, so rows read back digest as written): a
    document's `revision`. The same rows give the same digest in any build."""
    digest = hashlib.sha256()
    for entity in DOCUMENT_ENTITIES:
        digest.update(f"{entity}\n{tables[entity].to_pylist()!r}\n".encode())
    return digest.hexdigest()[:32]


def document_rows(parsed: ParsedDocument) -> dict[str, pa.Table]:
    return {entity: _table(entity, rows) for entity, rows in (
        ("documents", [parsed.document]), ("tables", parsed.tables), ("cells", parsed.cells),
        ("rows", parsed.rows), ("values", parsed.values), ("claims", parsed.claims))}


@dataclass
class _Pending:
    """Documents whose rows wait to be written in the next batch."""
    tables: dict[str, dict[str, pa.Table]] = field(default_factory=dict)  # document -> entity -> rows
    entries: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # None: the manifest's entry
    digests: dict[str, str] = field(default_factory=dict)  # document -> rows_digest
    rows: int = 0
    since: float = field(default_factory=time.monotonic)


class LandingManifest:
    """What the landing area holds: per document, the parser version that read it, the input
    files it came from, the batch holding its live rows (`batch`) and a digest of those rows
    (`revision`: what changes when its rows do, and only then); per batch, how many documents
    it was written with and its size. Kept in `<landing>/_manifest.json`, rewritten atomically."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.landing = path.parent
        self._docs: dict[str, dict[str, Any]] = data.get("documents", {})
        self._batches: dict[str, dict[str, int]] = data.get("batches", {})
        self._layout: int = data.get("layout", 1)
        self._pending = _Pending()

    @classmethod
    def read(cls, landing: Path) -> LandingManifest:
        """The manifest as saved, without recovering anything (for readers)."""
        path = landing / "_manifest.json"
        return cls(path, json.loads(path.read_text("utf-8")) if path.exists() else {"layout": LAYOUT})

    @classmethod
    def load(cls, landing: Path) -> LandingManifest:
        """The manifest, once the landing is as it says: after a crash, a batch no saved
        manifest names (or no document points to) is deleted, a document whose batch is
        incomplete is forgotten (it is then read again), temporary files are debris; a
        landing in the layout before batches is converted."""
        manifest = cls.read(landing)
        if manifest._layout < LAYOUT:
            manifest._migrate()
        manifest._recover()
        return manifest

    def _recover(self) -> None:
        changed = False
        for batch in list(self._batches):
            if not all(batch_file(self.landing, e, batch).exists() for e in DOCUMENT_ENTITIES):
                del self._batches[batch]
                changed = True
        for doc_id, entry in list(self._docs.items()):
            if entry.get("batch") not in self._batches:
                del self._docs[doc_id]
                changed = True
        referenced = {entry["batch"] for entry in self._docs.values()}
        for batch in set(self._batches) - referenced:
            del self._batches[batch]
            changed = True
        for entity in DOCUMENT_ENTITIES:
            folder = self.landing / entity
            if not folder.is_dir():
                continue
            for child in folder.iterdir():
                if child.is_dir() and child.name.startswith("batch=") and child.name[6:] in self._batches:
                    for debris in child.glob(".*.tmp"):
                        debris.unlink(missing_ok=True)
                elif child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                elif child.name != "_schema.parquet":  # the layout before batches, or debris
                    child.unlink(missing_ok=True)
        if changed:
            self.save()

    def _migrate(self) -> None:
        """The layout before batches (a file per document and entity; `_quarantined/` and
        `_departing/` holding areas): every complete document's files are copied into batches
        of FLUSH_DOCUMENTS documents by DuckDB, the manifest saved, then the old files deleted
        (`_recover`). Killed half-way, the next load does it again: the old files stay until
        the manifest naming the batches is saved."""
        shutil.rmtree(self.landing / "_departing", ignore_errors=True)  # a killed build was removing these
        for entity in DOCUMENT_ENTITIES:  # batches of a migration killed before saving
            for orphan in (self.landing / entity).glob("batch=*"):
                shutil.rmtree(orphan, ignore_errors=True)
        complete: dict[str, Path] = {}
        for doc_id in sorted(self._docs):
            folder = self.landing / "_quarantined" if self.is_quarantined(doc_id) else self.landing
            if all((folder / e / f"{doc_id}.parquet").exists() for e in DOCUMENT_ENTITIES):
                complete[doc_id] = folder
        self._docs = {doc_id: entry for doc_id, entry in self._docs.items() if doc_id in complete}
        ids = sorted(complete)
        with duckdb.connect() as con:
            for start in range(0, len(ids), FLUSH_DOCUMENTS):
                chunk = ids[start:start + FLUSH_DOCUMENTS]
                batch = new_batch_id()

                def select(entity: str, chunk: list[str] = chunk) -> str:
                    # the schema file first: a column older files lack is read as null
                    files = [str(self.landing / entity / "_schema.parquet"),
                             *(str(complete[doc] / entity / f"{doc}.parquet") for doc in chunk)]
                    return f"select {_columns(entity)} from {read_batches(files, hive=False)}"

                size = copy_batch(con, self.landing, batch, select)
                self._batches[batch] = {"documents": len(chunk), "bytes": size}
                for doc in chunk:
                    digest = hashlib.sha256()
                    for entity in DOCUMENT_ENTITIES:
                        digest.update((complete[doc] / entity / f"{doc}.parquet").read_bytes())
                    self._docs[doc].update(batch=batch, revision=digest.hexdigest()[:32])
        self._layout = LAYOUT
        self.save()
        shutil.rmtree(self.landing / "_quarantined", ignore_errors=True)

    # --- documents ---------------------------------------------------------------------------

    def is_current(self, doc_id: str, parser_version: str) -> bool:
        return self._docs.get(doc_id, {}).get("parser_version") == parser_version

    def has(self, doc_id: str) -> bool:
        return doc_id in self._docs

    def land(self, parsed: ParsedDocument, parser_version: str, source: str, warnings: str | None = None,
             input_format: str | None = None) -> None:
        """A document read: its rows wait for the next batch (`flush`), and it is in the
        manifest once that batch is written."""
        doc_id = parsed.document["document_id"]
        entry = {"parser_version": parser_version, "sources": [source], "tables": len(parsed.tables),
                 "values": len(parsed.values), "warnings": warnings, "input_format": input_format}
        self._stage(doc_id, document_rows(parsed), entry)

    def _stage(self, doc_id: str, tables: dict[str, pa.Table], entry: dict[str, Any] | None) -> None:
        pending = self._pending
        if not pending.tables:
            pending.since = time.monotonic()  # FLUSH_SECONDS counts from the first document waiting
        before = pending.tables.get(doc_id)
        if before is not None:
            pending.rows -= sum(len(t) for t in before.values())
        pending.tables[doc_id] = tables
        pending.digests[doc_id] = rows_digest(tables)
        if entry is not None or doc_id not in pending.entries:
            pending.entries[doc_id] = entry
        pending.rows += sum(len(t) for t in tables.values())

    def add_batch(self, batch: str, size: int, entries: dict[str, dict[str, Any]],
                  revisions: dict[str, str] | None = None) -> None:
        """A batch written by the caller (`write_batch`, `copy_batch`): these documents' rows
        are there, their revision `revisions` gives (else the batch id). Saved with the next `save`."""
        for doc, entry in entries.items():
            self._docs[doc] = {**entry, "batch": batch, "revision": (revisions or {}).get(doc, batch)}
        self._batches[batch] = {"documents": len(entries), "bytes": size}

    def flush_due(self) -> bool:
        pending = self._pending
        return bool(pending.tables) and (len(pending.tables) >= FLUSH_DOCUMENTS or pending.rows >= FLUSH_ROWS
                                         or time.monotonic() - pending.since >= FLUSH_SECONDS)

    def waiting(self) -> set[str]:
        """Documents whose rows wait for the next batch."""
        return set(self._pending.tables)

    def flush(self) -> str | None:
        """Write the waiting documents as one batch, point them at it and save the manifest.
        The batch id, or None when nothing waited."""
        pending, self._pending = self._pending, _Pending()
        if not pending.tables:
            return None
        docs = sorted(doc for doc, entry in pending.entries.items() if entry is not None or doc in self._docs)
        if not docs:
            return None
        batch = new_batch_id()
        tables = {e: pa.concat_tables([pending.tables[doc][e] for doc in docs]) for e in DOCUMENT_ENTITIES}
        size = write_batch(self.landing, batch, tables)
        self.add_batch(batch, size, {doc: pending.entries[doc] or self._docs[doc] for doc in docs}, pending.digests)
        self.save()
        return batch

    def rows(self, doc_id: str, entity: str) -> pa.Table:
        """A document's live rows of an entity (those waiting for a batch, or in its batch)."""
        waiting = self._pending.tables.get(doc_id)
        if waiting is not None:
            return waiting[entity]
        entry = self._docs.get(doc_id)
        if entry is None:
            return SCHEMAS[entity].empty_table()
        table = pq.read_table(batch_file(self.landing, entity, entry["batch"]),
                              filters=[("document_id", "=", doc_id)], partitioning=None)
        return _conform(entity, table)

    def replace_rows(self, doc_id: str, entity: str, rows: list[dict[str, Any]]) -> None:
        """A document's rows of an entity change without a new reading: all its rows wait to be
        written again in the next batch (`flush`), this entity's replaced."""
        tables = {e: self.rows(doc_id, e) for e in DOCUMENT_ENTITIES}
        tables[entity] = _table(entity, rows)
        self._stage(doc_id, tables, None)

    def live(self, quarantined: bool = False) -> dict[str, str]:
        """Document -> batch of its rows: the documents the warehouse is built from (with
        `quarantined`, also those set aside)."""
        return {doc: e["batch"] for doc, e in self._docs.items() if quarantined or "quarantine" not in e}

    def live_rows(self, entity: str) -> pa.Table:
        """Every live document's rows of an entity."""
        by_batch: dict[str, list[str]] = {}
        for doc, batch in sorted(self.live().items()):
            by_batch.setdefault(batch, []).append(doc)
        tables = [_conform(entity, pq.read_table(batch_file(self.landing, entity, batch),
                                                 filters=[("document_id", "in", docs)], partitioning=None))
                  for batch, docs in sorted(by_batch.items())]
        return pa.concat_tables(tables) if tables else SCHEMAS[entity].empty_table()

    def batch_files(self, entity: str, batches: Iterable[str]) -> list[str]:
        return [str(batch_file(self.landing, entity, b)) for b in sorted(set(batches))]

    def signatures(self) -> dict[str, str]:
        """Per live document, what changes whenever its rows do: their digest (a reading, a new
        name, narrative claims resolved) and the parser; quarantine and removal take the
        document out. Compaction moves rows, not this."""
        return {doc: hashlib.sha256(f"{e['revision']} {e['parser_version']}".encode()).hexdigest()
                for doc, e in sorted(self._docs.items()) if "quarantine" not in e}

    def content_digest(self) -> str:
        """A digest of what the manifest says of the documents, where their rows lie left
        out: equal before and after a compaction."""
        docs = {doc: {k: v for k, v in e.items() if k != "batch"} for doc, e in self._docs.items()}
        return hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def counts(self, doc_id: str) -> dict[str, Any]:
        """What the run report says of a document landed in an earlier build."""
        entry = self._docs[doc_id]
        return {"tables": entry.get("tables", 0), "values": entry.get("values", 0),
                "warnings": entry.get("warnings"), "input_format": entry.get("input_format")}

    def entry(self, doc_id: str) -> dict[str, Any]:
        return dict(self._docs[doc_id])

    def restore(self, doc_id: str, entry: dict[str, Any]) -> None:
        """A document forgotten in this build comes back (its batch is kept until the build
        publishes: `compact`)."""
        self._docs[doc_id] = dict(entry)

    def rename(self, doc_id: str, source: str) -> None:
        """The document's bytes are now under another name (renamed, or its duplicate stayed):
        its document row takes the name (written with the next batch)."""
        rows = self.rows(doc_id, "documents").to_pylist()
        if rows:
            self.replace_rows(doc_id, "documents", [{**r, "source_file": source} for r in rows])
        self._docs[doc_id]["sources"] = [source]

    def quarantine(self, doc_id: str, reason: str, code_fingerprint: str) -> None:
        self._docs[doc_id]["quarantine"] = {"reason": reason, "code": code_fingerprint}

    def release(self, doc_id: str) -> None:
        self._docs[doc_id].pop("quarantine", None)

    def is_quarantined(self, doc_id: str) -> bool:
        return "quarantine" in self._docs.get(doc_id, {})

    def quarantine_of(self, doc_id: str) -> dict[str, str]:
        return dict(self._docs[doc_id]["quarantine"])

    def documents_by_source(self) -> dict[str, str]:
        """Each input name the live and quarantined documents were read from, and the document:
        one pass, where asking per name scanned every document (quadratic when a parser change
        reads all 10^5 documents of a landing again)."""
        return {source: doc for doc, e in self._docs.items() for source in e["sources"]}

    def sources(self, doc_id: str) -> list[str]:
        return list(self._docs.get(doc_id, {}).get("sources", []))

    def documents(self) -> set[str]:
        return set(self._docs)

    def forget(self, doc_id: str) -> None:
        """The document leaves: its pointer goes (its rows are dead; `compact` deletes them)."""
        self._docs.pop(doc_id, None)
        self._pending.tables.pop(doc_id, None)
        self._pending.entries.pop(doc_id, None)
        self._pending.digests.pop(doc_id, None)

    def batches(self) -> dict[str, dict[str, int]]:
        return {b: dict(info) for b, info in self._batches.items()}

    def save(self) -> None:
        tmp = self.path.with_suffix(".json.tmp")
        data = {"layout": self._layout, "documents": self._docs, "batches": self._batches}
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, self.path)

    # --- compaction --------------------------------------------------------------------------

    def compact(self) -> list[str]:
        """After a build publishes: batches no document points to are deleted; batches of which
        fewer than MIN_LIVE_SHARE of the documents are live, or smaller than SMALL_BATCH_BYTES,
        are rewritten together (oldest first) into batches of about TARGET_BATCH_BYTES, and
        deleted. Deterministic: the same manifest compacts the same way. The new batches."""
        referenced = Counter(e["batch"] for e in self._docs.values())
        dead = sorted(set(self._batches) - set(referenced))
        candidates = [b for b in sorted(self._batches) if referenced[b] and (
            referenced[b] < MIN_LIVE_SHARE * self._batches[b]["documents"]
            or self._batches[b]["bytes"] < SMALL_BATCH_BYTES)]
        if len(candidates) == 1 and referenced[candidates[0]] == self._batches[candidates[0]]["documents"]:
            candidates = []  # one small batch, every row live: nothing to gain
        groups: list[list[str]] = []
        size = 0.0
        for b in candidates:
            live = self._batches[b]["bytes"] * referenced[b] / max(self._batches[b]["documents"], 1)
            if not groups or size + live > TARGET_BATCH_BYTES:
                groups.append([])
                size = 0.0
            groups[-1].append(b)
            size += live
        written = []
        with duckdb.connect() as con:
            for group in groups:
                docs = sorted(d for d, e in self._docs.items() if e["batch"] in group)
                con.execute("create or replace temp table live as select unnest(?::varchar[]) as document_id, "
                            "unnest(?::varchar[]) as batch", [docs, [self._docs[d]["batch"] for d in docs]])
                batch = new_batch_id()

                def select(entity: str, group: list[str] = group) -> str:
                    files = self.batch_files(entity, group)
                    scan = read_batches(files, options=", filename = true, file_row_number = true")
                    return (f"select {_columns(entity)} from {scan} semi join live using (document_id, batch) "
                            "order by document_id, filename, file_row_number")

                self._batches[batch] = {"documents": len(docs), "bytes": copy_batch(con, self.landing, batch, select)}
                for doc in docs:
                    self._docs[doc]["batch"] = batch  # the revision stays: the rows are the same
                written.append(batch)
                dead += group
        for b in dead:
            self._batches.pop(b, None)
        self.save()
        for b in dead:
            for entity in DOCUMENT_ENTITIES:
                shutil.rmtree(batch_folder(self.landing, entity, b), ignore_errors=True)
        return written


def read_entity(landing: Path, entity: str, document_id: str) -> list[dict[str, Any]]:
    """One landed document's rows of an entity (live or quarantined), from the batch the saved
    manifest points to."""
    return LandingManifest.read(landing).rows(document_id, entity).to_pylist()


def write_run_report(landing: Path, rows: list[dict[str, Any]]) -> None:
    tmp = landing / "run_report" / ".run.parquet.tmp"
    pq.write_table(_table("run_report", rows), tmp)
    os.replace(tmp, landing / "run_report" / "run.parquet")
