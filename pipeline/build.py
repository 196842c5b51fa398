"""`make build`: documents in, published DuckDB warehouse out.

Steps: take the warehouse's lock and clean what a killed build left; read every input
(progress bar) and land Parquet; `dbt build`; the Great Expectations suites; publish by
atomic rename; print a one-screen summary. The warehouse at the target path is replaced
only when every step succeeded, so a failed build leaves the previous one.

One document never stops the nightly: a document that cannot be read is reported and the
others go on; a document whose data breaks a dbt test or an expectation is quarantined
(reported with the check and the offending values, its previous version kept if it had
one) and the warehouse is built again without it. Only a failure no document explains —
the pipeline's own — stops the build.
"""

from __future__ import annotations

import argparse
import csv
import errno
import hashlib
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from tqdm import tqdm

from ingest import PARSER_VERSION
from ingest.document import content_id, parse_document
from ingest.errors import RejectedDocument
from ingest.landing import (
    DOCUMENT_ENTITIES,
    LandingManifest,
    prepare,
    read_batches,
    write_run_report,
)
from pipeline import (
    dbt_runner,
    engines,
    narrative_links,
    progress,
    quarantine,
    storage,
    summary,
    workers,
)
from pipeline.inputs import Input, discover, printable, report_row, without_machine_paths
from pipeline.lock import BuildLock, BuildLocked

REPO = Path(__file__).resolve().parent.parent
# a document quarantined, the warehouse is built again; a check that keeps failing on new
# documents after this many rounds is treated as the pipeline's own failure
MAX_QUARANTINE_ROUNDS = 3


@dataclass(frozen=True)
class BuildSettings:
    raw_dir: Path
    warehouse: Path
    limits: workers.Limits = field(default_factory=workers.Limits)
    engine: str = "local"  # where documents are read: engines.ENGINES

    def __post_init__(self) -> None:
        if not self.raw_dir.is_dir():
            raise SystemExit(f"error: the input folder {self.raw_dir} does not exist")
        if self.warehouse.suffix != ".duckdb":
            raise SystemExit(f"error: the warehouse {self.warehouse} must end in .duckdb")

    @property
    def landing(self) -> Path:
        return self.warehouse.with_name(self.warehouse.stem + ".landing")

    @property
    def building(self) -> Path:
        """The new warehouse is written here, then renamed over `warehouse`."""
        return self.warehouse.with_name(f".{self.warehouse.name}.building")

    @property
    def lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @property
    def worker_log(self) -> Path:
        """Which worker read each document of the last build (engine, host, node, process)."""
        return self.warehouse.with_name(self.warehouse.stem + ".workers.csv")

    @property
    def touched(self) -> Path:
        """The documents an incremental dbt run recomputes (TOUCHED_DOCUMENTS)."""
        return self.warehouse.with_name(f".{self.warehouse.name}.touched.csv")

    @property
    def affected(self) -> Path:
        """The documents of the touched documents' issuers (AFFECTED_DOCUMENTS): what the
        models keyed by issuer recompute (macros/incremental.sql)."""
        return self.warehouse.with_name(f".{self.warehouse.name}.affected.csv")

    @property
    def same_year(self) -> Path:
        """Every document of a fiscal year a touched document is of, before or after the change
        (YEAR_DOCUMENTS): what the identities comparing one year's documents across issuers
        recompute (a department and its units, a code's usual name: macros/incremental.sql)."""
        return self.warehouse.with_name(f".{self.warehouse.name}.same-year.csv")

    @property
    def gx_root(self) -> Path:
        """Great Expectations project of this warehouse: suites, results, Data Docs."""
        return self.warehouse.with_name(self.warehouse.stem + ".gx")

    def leftovers(self) -> list[Path]:
        """What a build writes beside the published warehouse and removes (or leaves to the
        next build) when it fails or is killed."""
        return [self.building, self.building.with_name(self.building.name + ".wal"), *self.document_lists().values()]

    def document_lists(self) -> dict[str, Path]:
        """The lists of documents an incremental build recomputes (macros/incremental.sql), by
        name: dbt reads them from environment variables (dbt_runner.DOCUMENT_LISTS), the
        suites as tables of these names."""
        return {"touched": self.touched, "affected": self.affected, "same_year": self.same_year}


@dataclass
class IngestOutcome:
    manifest: LandingManifest
    report: list[dict[str, Any]] = field(default_factory=list)
    # a file whose new version landed: the document it replaced, forgotten by the manifest (its
    # batch stays until the build publishes)
    replaced: dict[str, str] = field(default_factory=dict)  # new document id -> old one
    departing: dict[str, dict[str, Any]] = field(default_factory=dict)  # old id -> manifest entry

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.report if r["outcome"] == outcome)


def _parse(job: Input) -> Any:
    return parse_document(job.path, source_name=job.name)


def _input_format(document: dict[str, Any]) -> str:
    encoding = document.get("text_encoding")
    return f"{document['format']} {encoding}" if encoding else str(document["format"])


@progress.timed("ingest")
def ingest(settings: BuildSettings, code: str) -> IngestOutcome:
    """Read every new or changed input and land it; keep what is unchanged; set aside what
    left the folder (removed once the build publishes). A bad file is reported and the run
    goes on, and a file whose new version fails keeps its previous good version."""
    prepare(settings.landing)
    manifest = LandingManifest.load(settings.landing)
    inputs, problems = discover(settings.raw_dir)
    outcome = IngestOutcome(manifest, report=problems)
    seen: dict[str, str] = {}
    to_parse: list[Input] = []
    ids: dict[str, str] = {}
    for item in inputs:
        try:
            doc_id = content_id(item.path.read_bytes())
        except OSError as exc:
            if is_disk_full(exc):
                raise
            outcome.report.append(report_row(item.name, "rejected", "unreadable",
                                             f"cannot be read: {exc.strerror or exc}"))
            continue
        if doc_id in seen:
            outcome.report.append(report_row(item.name, "duplicate", "same_content",
                                             f"same bytes as {seen[doc_id]}", document_id=doc_id))
            continue
        seen[doc_id] = item.name
        ids[item.name] = doc_id
        if manifest.is_current(doc_id, PARSER_VERSION):
            if manifest.is_quarantined(doc_id) and manifest.quarantine_of(doc_id)["code"] != code:
                # the code that checks it changed: it gets another chance
                manifest.release(doc_id)
            if item.name not in manifest.sources(doc_id):
                manifest.rename(doc_id, item.name)  # the same bytes under another name
            if manifest.is_quarantined(doc_id):
                outcome.report.append(report_row(item.name, "quarantined", "failed_check",
                                                 manifest.quarantine_of(doc_id)["reason"], document_id=doc_id,
                                                 **manifest.counts(doc_id)))
            else:
                outcome.report.append(report_row(item.name, "unchanged", document_id=doc_id,
                                                 **manifest.counts(doc_id)))
        else:
            to_parse.append(item)

    manifest.flush()  # the renamed documents' rows, in one batch
    manifest.save()
    keep = {doc_id for doc_id in seen if manifest.is_current(doc_id, PARSER_VERSION)}
    # largest first: the last document to start is then a small one, and no core idles long
    to_parse.sort(key=lambda job: -job.path.stat().st_size)
    bar = tqdm(total=len(to_parse), desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True)
    read_by: list[tuple[str, str, str]] = []
    landed_from = manifest.documents_by_source()  # the versions landed before this build's readings
    for result in engines.run(_parse, to_parse, settings.limits, settings.engine):
        item = result.item
        read_by.append((item.name, "failed" if result.error else "read", result.worker or ""))
        bar.update(1)
        bar.set_postfix_str(printable(item.path.name[:40]))
        previous = landed_from.get(item.name)
        error = result.error
        if error is None:
            parsed = result.result
            doc_id = parsed.document["document_id"]
            warnings = "\n".join(parsed.warnings) or None  # one per line: a warning may hold '; '
            manifest.land(parsed, PARSER_VERSION, item.name, warnings, _input_format(parsed.document))
            if manifest.flush_due():
                manifest.flush()  # a build killed later keeps what it has landed
            keep.add(doc_id)
            reason = None
            if previous and previous != doc_id:
                outcome.replaced[doc_id] = previous
                reason = f"changed: replaces the version landed before ({previous})"
            outcome.report.append(report_row(item.name, "landed", "changed" if reason else None, reason,
                                             document_id=doc_id, tables=len(parsed.tables),
                                             values=len(parsed.values), warnings=warnings,
                                             input_format=_input_format(parsed.document)))
            continue
        if isinstance(error, RejectedDocument | workers.WorkerFailed):
            status, code_, reason = "rejected", error.reason_code, error.reason
        elif is_disk_full(error):
            raise error
        else:  # a parser bug must not stop the other documents
            status, code_, reason = "failed", "parser_error", f"parser error {type(error).__name__}: {error}"
        if previous and previous != ids.get(item.name) and manifest.has(previous):
            keep.add(previous)  # nothing lost: the last good version of this file stays
            reason += f"; its previous version ({previous}) stays in the warehouse"
        reason = without_machine_paths(reason, settings.raw_dir)
        outcome.report.append(report_row(item.name, status, code_, reason))
        tqdm.write(f"{status} {printable(item.name)}: {reason}", file=sys.stderr)
    bar.close()
    manifest.flush()
    write_worker_log(settings, read_by)

    replaced = set(outcome.replaced.values())
    for doc_id in sorted(manifest.documents() - keep):
        if doc_id not in replaced:  # a changed file's old version is told in the file's own row
            for name in manifest.sources(doc_id):
                outcome.report.append(report_row(name, "removed", "not_in_input", "no longer in the input folder",
                                                 document_id=doc_id))
        outcome.departing[doc_id] = manifest.entry(doc_id)
        manifest.forget(doc_id)  # a tombstone: its rows stay in their batch, which nothing points to
    manifest.save()
    if not narrative_links.linked_since_last_change(manifest):
        for narrative, tables in narrative_links.link_narratives(manifest):
            tqdm.write(f"narrative {narrative} resolved against the tables of {tables}", file=sys.stderr)
        manifest.flush()
        manifest.save()
        narrative_links.mark_linked(manifest)
    write_run_report(settings.landing, outcome.report)
    return outcome


def write_worker_log(settings: BuildSettings, read_by: list[tuple[str, str, str]]) -> None:
    """Where each document this build read was read (not part of the warehouse, whose
    content does not depend on the engine)."""
    with settings.worker_log.open("w", encoding="utf-8", newline="") as log:
        writer = csv.writer(log)
        writer.writerow(["source_file", "result", "engine", "worker"])
        writer.writerows((name, result, settings.engine, worker) for name, result, worker in read_by)


def quarantine_documents(settings: BuildSettings, outcome: IngestOutcome, blamed: dict[str, str], code: str) -> None:
    """Set aside the documents whose data broke a check: reported `quarantined` with the
    check and the offending values; the version a changed file replaced comes back."""
    manifest = outcome.manifest
    for doc_id, reason in blamed.items():
        if not manifest.has(doc_id) or manifest.is_quarantined(doc_id):
            continue
        manifest.quarantine(doc_id, reason, code)
        previous = outcome.replaced.get(doc_id)
        if previous and previous in outcome.departing:
            manifest.restore(previous, outcome.departing.pop(previous))  # its batch is still there
            reason += f"; its previous version ({previous}) stays in the warehouse"
        for row in outcome.report:
            if row["document_id"] == doc_id and row["outcome"] in ("landed", "unchanged"):
                row.update(outcome="quarantined", reason_code="failed_check", reason=reason)
        tqdm.write(f"quarantined {printable(manifest.sources(doc_id)[0])}: {reason}", file=sys.stderr)
    manifest.save()
    write_run_report(settings.landing, outcome.report)


FINGERPRINTED = ("dbt_project/models", "dbt_project/macros", "dbt_project/seeds", "dbt_project/tests",
                 "dbt_project/dbt_project.yml", "expectations", "ingest")


def code_fingerprint() -> str:
    """The code that reads, models and checks the documents."""
    digest = hashlib.sha256()
    for name in FINGERPRINTED:
        root = REPO / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: BuildSettings, code: str) -> str:
    """What the marts are a function of: the landed documents (and the parser that read them)
    and the code that models and checks them. Equal fingerprints, equal warehouse content."""
    digest = hashlib.sha256()
    digest.update(LandingManifest.read(settings.landing).content_digest().encode())
    digest.update(code.encode())
    return digest.hexdigest()


def published_fingerprint(warehouse: Path) -> str | None:
    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select fingerprint from build_info").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def _compiled(settings: BuildSettings, folder: str, model: str) -> Path:
    """A model's SQL as dbt compiled it in the last full build."""
    target = dbt_runner.artefacts_of(settings.building) / "target"
    return target / "compiled" / "budget_warehouse" / "models" / folder / f"{model}.sql"


def refresh_run_report(settings: BuildSettings, fp: str) -> str | None:
    """Nothing the marts depend on changed: only the run report may differ, rebuilt by the
    run_report model's own compiled SQL (over its staging view, made for the moment and
    dropped). When it comes out as published, nothing is written ('unchanged'); else the
    published file is updated in place, in one transaction ('updated'): a no-change build then
    neither runs dbt nor copies the warehouse (at 10^3 documents the copy was most of its 54 s).
    A reader holding the file blocks writing in place: then the file is copied, updated and
    swapped in like any build ('copied'). None when that SQL is not at hand."""
    mart, staged = _compiled(settings, "marts", "run_report"), _compiled(settings, "staging", "stg_landing__run_report")
    if not mart.exists() or not staged.exists():
        return None
    mart_sql, staged_sql = mart.read_text("utf-8"), staged.read_text("utf-8")
    catalog = _catalog_of(settings.warehouse)
    staging = f'"{catalog}"."staging"."stg_landing__run_report"'
    if staging in mart_sql:
        # read only first: the published file is not written when the report is as published
        with duckdb.connect() as con:
            con.execute(f"attach '{_sql_text(settings.warehouse)}' as \"{catalog}\" (read_only)")
            con.execute("create view memory.main.staged_run_report as " + staged_sql)
            con.execute("create table memory.main.new_report as " + mart_sql.replace(staging, "memory.main.staged_run_report"))
            differs = con.execute(
                f'select exists (from (from memory.main.new_report except all from "{catalog}".main.run_report) '
                f'union all from (from "{catalog}".main.run_report except all from memory.main.new_report))').fetchone()
        if not (differs and differs[0]):
            return "unchanged"
        try:
            writer: duckdb.DuckDBPyConnection | None = duckdb.connect(str(settings.warehouse))
        except duckdb.IOException:  # a reader holds it: copied below
            writer = None
        if writer is not None:
            with writer:
                writer.execute("begin")
                writer.execute("create schema if not exists staging")
                writer.execute("create or replace view staging.stg_landing__run_report as " + staged_sql)
                writer.execute("delete from main.run_report")
                writer.execute("insert into main.run_report by name " + mart_sql)
                writer.execute("drop schema staging cascade")
                writer.execute("commit")
                writer.execute("checkpoint")
            return "updated"
    copy_published(settings)
    with duckdb.connect(str(settings.building)) as con:
        con.execute("create schema if not exists staging")
        con.execute("create or replace view staging.stg_landing__run_report as " + staged_sql)
        con.execute("delete from main.run_report")
        con.execute("insert into main.run_report by name " + mart_sql)
        con.execute("drop schema staging cascade")
        con.execute("create or replace table build_info as select ? as fingerprint", [fp])
        storage.describe_build_info(con)
        con.execute("checkpoint")
    publish(settings)
    return "copied"


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _catalog_of(warehouse: Path) -> str:
    """The catalog name DuckDB gives a file (its name before the first dot): the published
    file and the one dbt built (`.<name>.building`) have the same, which compiled SQL names."""
    return warehouse.name.lstrip(".").split(".")[0]


def landed_signatures(landing: Path) -> dict[str, str]:
    """Per live landed document, a digest of what the manifest says of it: its rows are
    written again into a new batch whenever they change (a new reading, a new name, a
    narrative linked), and quarantine or removal takes it out of the live documents
    (`LandingManifest.signatures`; nothing is read but the manifest)."""
    return LandingManifest.read(landing).signatures()


# an incremental build is worth it while it recomputes at most this share of the documents
# (or this many: a small warehouse is cheap either way)
INCREMENTAL_SHARE = 0.2
INCREMENTAL_DOCUMENTS = 10


def touched_documents(settings: BuildSettings, code: str) -> set[str] | None:
    """The documents whose landed files changed since the published warehouse was built, when
    that warehouse can be the start of an incremental build: same code (models, suites,
    parser), a storage version 1.x readers open, and few enough documents touched. Else None."""
    if not settings.warehouse.exists() or not storage.readable_by_duckdb_1(settings.warehouse):
        return None
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            built_by = con.execute("select code_fingerprint from build.code").fetchall()
            before = dict(con.execute("select document_id, landed_signature from build.landed_documents").fetchall())
            loaded = {r[0] for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'landed'").fetchall()}
    except duckdb.Error:  # built before incremental builds: the next build is full
        return None
    if not loaded.issuperset(DOCUMENT_ENTITIES):
        return None
    if built_by != [(code,)]:
        return None
    now = landed_signatures(settings.landing)
    touched = {doc for doc in before.keys() | now.keys() if before.get(doc) != now.get(doc)}
    return touched if len(touched) <= max(INCREMENTAL_DOCUMENTS, INCREMENTAL_SHARE * len(now)) else None


def start_warehouse(settings: BuildSettings, code: str) -> Path | None:
    """The file dbt builds: a copy of the published warehouse when only some documents
    changed (the by-document models then recompute those documents' rows: the CSV of them
    is returned), else a new empty file in the storage version 1.x readers open (None).
    Either way the landed Parquet is then loaded into it (`load_landed`)."""
    touched = touched_documents(settings, code)
    if touched is None:
        storage.create_warehouse_file(settings.building)
    else:
        copy_published(settings)
        _write_ids(settings.touched, touched)
        print(f"incremental: {len(touched)} documents changed since the published build", file=sys.stderr)
    load_landed(settings, touched)
    return None if touched is None else settings.touched


# room a build that starts from the published file needs beside it: its copy, and what dbt adds
COPY_HEADROOM = 1.1


def copy_published(settings: BuildSettings) -> None:
    """The published file copied to the one the build writes, when the disk has room for it."""
    ensure_room_to_copy(settings.warehouse, shutil.disk_usage(settings.building.parent).free)
    shutil.copyfile(settings.warehouse, settings.building)


def ensure_room_to_copy(warehouse: Path, free_bytes: int) -> None:
    """Refuse, before writing anything, an incremental build whose copy of the published file
    would fill the disk: at 10^5 documents the file is tens of GB, and a copy that fails at the
    end has spent minutes and filled the disk for the rest of the machine (DECISIONLOG.md)."""
    size = warehouse.stat().st_size
    needed = int(size * COPY_HEADROOM)
    if free_bytes < needed:
        gib = 1024 ** 3
        raise OSError(errno.ENOSPC, f"an incremental build copies the published warehouse ({size / gib:.1f} GiB) "
                      f"and needs {needed / gib:.1f} GiB free beside it, {free_bytes / gib:.1f} GiB are",
                      str(warehouse.parent))


@progress.timed("load landing")
def load_landed(settings: BuildSettings, touched: set[str] | None) -> None:
    """The landed Parquet as tables of schema `landed` in the new warehouse, which dbt's
    staging views read: every live document's rows for a full build; for an incremental one,
    the touched documents' rows deleted and their live rows read, and the documents of their
    issuers written to `settings.affected` and those of their fiscal years to
    `settings.same_year`. A document's live rows are its rows in the batch the manifest points
    to (`ingest.landing`): the batches holding live documents are read with hive partitioning
    (the column `batch`) and joined to the manifest's pointers, loaded as a small table; the
    column `batch` is not kept. The landing is then opened once per build, not once per model
    and test that reads a staging view (about 60)."""
    issuers: list[tuple[str | None, str | None, int | None]] = []
    manifest = LandingManifest.read(settings.landing)
    live = manifest.live()
    wanted = live if touched is None else {doc: batch for doc, batch in live.items() if doc in touched}
    with duckdb.connect(str(settings.building)) as con:
        con.execute("create schema if not exists landed")
        con.execute("create or replace temp table live as select unnest(?::varchar[]) as document_id, "
                    "unnest(?::varchar[]) as batch", [sorted(wanted), [wanted[d] for d in sorted(wanted)]])
        for entity in DOCUMENT_ENTITIES:
            schema = _sql_text(settings.landing / entity / "_schema.parquet")
            files = manifest.batch_files(entity, wanted.values())
            rows = (f"select * exclude (batch) from {read_batches(files)} semi join live using (document_id, batch)"
                    if files else None)
            if touched is None:  # the entity's _schema.parquet gives the columns when no document has rows
                con.execute(f"create or replace table landed.{entity} as select * from read_parquet('{schema}')")
                if rows:
                    con.execute(f"insert into landed.{entity} by name {rows}")
                continue
            ids = sorted(touched)
            if entity == "documents":
                issuers = _issuers_of(con, ids)  # the versions leaving
            con.execute(f"delete from landed.{entity} where document_id in (select unnest(?::varchar[]))", [ids])
            if rows:
                con.execute(f"insert into landed.{entity} by name {rows}")
        if touched is not None:
            issuers += _issuers_of(con, sorted(touched))  # the versions arriving
            # documents without an issuer key share one issuer id (int_document_issuers): a
            # touched one affects them all
            affected = {r[0] for r in con.execute(
                "select document_id from landed.documents where issuer_name in (select unnest(?::varchar[])) "
                "or issuer_key in (select unnest(?::varchar[])) or (issuer_key is null and ?)",
                [[n for n, _, _ in issuers if n], [k for _, k, _ in issuers if k],
                 any(k is None for _, k, _ in issuers)]).fetchall()} | touched
            _write_ids(settings.affected, affected)
            same_year = {r[0] for r in con.execute(
                "select document_id from landed.documents where fiscal_year in (select unnest(?::integer[]))",
                [sorted({y for _, _, y in issuers if y is not None})]).fetchall()} | touched
            _write_ids(settings.same_year, same_year)
        con.execute("checkpoint")


def _issuers_of(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple[str | None, str | None, int | None]]:
    """Issuer name, issuer key and fiscal year of the landed documents `ids`."""
    return [(r[0], r[1], r[2]) for r in con.execute(
        "select issuer_name, issuer_key, fiscal_year from landed.documents "
        "where document_id in (select unnest(?::varchar[]))",
        [ids]).fetchall()]


def _write_ids(path: Path, ids: set[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["document_id"])
        writer.writerows([doc] for doc in sorted(ids))


def finish_warehouse(settings: BuildSettings, fp: str, code: str) -> None:
    """Before publishing: drop dbt's staging views (they read the landing Parquet by a path
    of this machine; every mart is a table and needs none of them), record the build, and
    record what the next build needs to start from this one (schema `build`: the code and
    each landed document's signature; schema `landed`: the landed rows, `load_landed`)."""
    signatures = landed_signatures(settings.landing)
    with duckdb.connect(str(settings.building)) as con:
        con.execute("drop schema if exists staging cascade")
        con.execute("create or replace table build_info as select ? as fingerprint", [fp])
        storage.describe_build_info(con)
        con.execute("create schema if not exists build")
        con.execute("create or replace table build.code as select ? as code_fingerprint", [code])
        con.execute("create or replace table build.landed_documents (document_id varchar, landed_signature varchar)")
        con.executemany("insert into build.landed_documents values (?, ?)", sorted(signatures.items()))
        storage.describe_build_schema(con)
        storage.describe_landed_schema(con)
        con.execute("checkpoint")


@progress.timed("publish")
def publish(settings: BuildSettings) -> None:
    """Swap the new warehouse in with one atomic rename."""
    wal = settings.building.with_name(settings.building.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the new warehouse was not checkpointed")
    os.replace(settings.building, settings.warehouse)


def clean_leftovers(settings: BuildSettings) -> None:
    for stale in settings.leftovers():
        stale.unlink(missing_ok=True)


def build_marts(settings: BuildSettings, outcome: IngestOutcome, code: str) -> Any | None:
    """dbt and the suites, quarantining the documents whose data breaks them, until both
    pass. The validation outcome, or None when a failure no document explains stopped it."""
    from expectations import suites  # imported late: Great Expectations is slow to import

    # Great Expectations loads while dbt runs in its own process, on the other core
    threading.Thread(target=suites.import_great_expectations, name="import great_expectations").start()
    for _round in range(MAX_QUARANTINE_ROUNDS + 1):
        clean_leftovers(settings)
        print("dbt build …", file=sys.stderr)
        touched = start_warehouse(settings, code)
        lists = settings.document_lists() if touched else None
        run = dbt_runner.build(settings.landing, settings.building, lists)
        if not run.ok:
            failed, broken = quarantine.failed_dbt_tests(run.target, settings.building) \
                if settings.building.exists() else ([], ["no warehouse was written"])
            untraced = [c.name for c in failed if not c.traced] + broken
            if untraced or not failed:
                print("error: dbt build failed; the warehouse is left as it was", file=sys.stderr)
                for line in (untraced or run.errors())[:20]:
                    print(f"  {line}", file=sys.stderr)
                return None
            quarantine_documents(settings, outcome, quarantine.blame(failed), code)
            continue
        print("expectation suites …", file=sys.stderr)
        validation = suites.validate(settings.building, settings.gx_root, lists)
        if validation.success:
            return validation
        if any(r.untraced() for r in validation.results):
            print("error: expectations on the pipeline's own data failed; the warehouse is left as it was",
                  file=sys.stderr)
            print(validation.describe(), file=sys.stderr)
            return None
        blamed = {doc: "; ".join(f"its data fails the expectation {name} (values: {', '.join(v[:5])})"
                                 for name, v in checks)
                  for doc, checks in validation.documents_to_blame().items()}
        quarantine_documents(settings, outcome, blamed, code)
    print(f"error: checks kept failing after {MAX_QUARANTINE_ROUNDS} rounds of quarantine; "
          "the warehouse is left as it was", file=sys.stderr)
    return None


def build(settings: BuildSettings) -> int:
    started = time.monotonic()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        with BuildLock(settings.lock) as lock:
            if lock.previous_holder:
                print(f"the previous build (pid {lock.previous_holder.get('pid')}, started "
                      f"{lock.previous_holder.get('started')}) did not finish; cleaning what it left",
                      file=sys.stderr)
            return _build_locked(settings, started)
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        clean_leftovers(settings)
        filename = getattr(exc, "filename", None)
        where = f" writing {filename}" if filename else ""
        strerror = getattr(exc, "strerror", None)
        why = f" ({strerror})" if strerror and strerror != os.strerror(errno.ENOSPC) else ""
        print(f"error: no space left on device{where}{why}; the published warehouse is unchanged", file=sys.stderr)
        return 1


def is_disk_full(error: BaseException) -> bool:
    """ENOSPC however it arrives: an OSError, or a message from pyarrow, DuckDB or dbt."""
    return (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "No space left on device" in str(error)


def _build_locked(settings: BuildSettings, started: float) -> int:
    clean_leftovers(settings)
    print(f"parser {PARSER_VERSION}: reading {settings.raw_dir}", file=sys.stderr)
    code = code_fingerprint()
    outcome = ingest(settings, code)
    if not outcome.manifest.live():
        print("error: no document could be landed; the warehouse is left as it was", file=sys.stderr)
        return 1
    fp = fingerprint(settings, code)
    if (published_fingerprint(settings.warehouse) == fp and storage.readable_by_duckdb_1(settings.warehouse)
            and (refreshed := refresh_run_report(settings, fp))):
        print(f"nothing the marts depend on changed: run report {refreshed}", file=sys.stderr)
        outcome.manifest.compact()
        print(summary.render(settings.warehouse, outcome.report, None, time.monotonic() - started))
        return 0
    validation = build_marts(settings, outcome, code)
    if validation is None:
        clean_leftovers(settings)
        return 1
    finish_warehouse(settings, fingerprint(settings, code), code)
    publish(settings)
    for listed in settings.document_lists().values():
        listed.unlink(missing_ok=True)
    compact(outcome.manifest)
    print(summary.render(settings.warehouse, outcome.report, validation, time.monotonic() - started))
    return 0


@progress.timed("compact landing")
def compact(manifest: LandingManifest) -> None:
    """Once the build published: the rows no document points to any more (replaced, removed,
    rewritten) are deleted, and small batches merged (`LandingManifest.compact`)."""
    manifest.compact()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=REPO / "data" / "raw", help="input documents")
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse" / "warehouse.duckdb",
                        help="the DuckDB file to publish")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="documents read at once")
    parser.add_argument("--doc-seconds", type=float, default=300.0, help="time limit per document")
    parser.add_argument("--doc-memory-mb", type=int, default=4096,
                        help=f"memory a document's worker may allocate (at least {workers.MIN_MEMORY_MB})")
    parser.add_argument("--engine", choices=engines.ENGINES, default="local",
                        help="where documents are read: forked local processes, or Ray tasks "
                             "(a local Ray instance, or the cluster RAY_ADDRESS names)")
    args = parser.parse_args(argv)
    if args.doc_memory_mb < workers.MIN_MEMORY_MB:
        parser.error(f"--doc-memory-mb {args.doc_memory_mb} is below the {workers.MIN_MEMORY_MB} MB "
                     "a worker needs to read any document")
    limits = workers.Limits(seconds=args.doc_seconds, memory_mb=args.doc_memory_mb, workers=args.workers)
    settings = BuildSettings(args.raw.absolute(), args.warehouse.resolve(), limits, args.engine)
    return build(settings)


if __name__ == "__main__":
    sys.exit(main())
