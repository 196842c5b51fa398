"""`make build`: documents in, published DuckDB warehouse out.

Steps: read every input (progress bar) and land Parquet; `dbt build`; the Great Expectations
suites; publish by atomic rename; print a one-screen summary. The warehouse at the target
path is replaced only when every step succeeded, so a failed build leaves the previous one.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
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
    LandingManifest,
    land_document,
    prepare,
    remove_document,
    write_run_report,
)
from pipeline import dbt_runner, progress, storage, summary, workers
from pipeline.narrative_links import link_narratives

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildSettings:
    raw_dir: Path
    warehouse: Path
    limits: workers.Limits = field(default_factory=workers.Limits)

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
    def gx_root(self) -> Path:
        """Great Expectations project of this warehouse: suites, results, Data Docs."""
        return self.warehouse.with_name(self.warehouse.stem + ".gx")


@dataclass
class IngestOutcome:
    report: list[dict[str, Any]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.report if r["outcome"] == outcome)


def discover(raw_dir: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    """Input files in a stable order, and a report row for each entry that cannot be read."""
    files: list[Path] = []
    problems: list[dict[str, Any]] = []
    for root, dirs, names in os.walk(raw_dir, onerror=lambda e: problems.append(_unreadable(e))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.is_file():
                files.append(path)
            else:
                problems.append(_report(path, raw_dir, "rejected", "not_a_file", "not a regular file"))
    return files, problems


def _unreadable(error: OSError) -> dict[str, Any]:
    return {
        "source_file": str(error.filename),
        "document_id": None,
        "outcome": "rejected",
        "reason_code": "unreadable",
        "reason": f"cannot be listed: {error.strerror}",
        "tables": 0,
        "values": 0,
        "warnings": None,
    }


def _report(path: Path, raw_dir: Path, outcome: str, code: str | None, reason: str | None, **kw: Any) -> dict[str, Any]:
    return {
        "source_file": str(path.relative_to(raw_dir)),
        "document_id": kw.get("document_id"),
        "outcome": outcome,
        "reason_code": code,
        "reason": reason,
        "tables": kw.get("tables", 0),
        "values": kw.get("values", 0),
        "warnings": kw.get("warnings"),
    }


def _parse(job: tuple[Path, str]) -> Any:
    path, name = job
    return parse_document(path, source_name=name)


@progress.timed("ingest")
def ingest(settings: BuildSettings) -> IngestOutcome:
    """Read every new or changed input and land it; keep what is unchanged; drop what left
    the folder. A bad file is reported and the run goes on, and a file whose new version
    fails keeps its previous good version in the landing area."""
    prepare(settings.landing)
    manifest = LandingManifest.load(settings.landing)
    files, problems = discover(settings.raw_dir)
    outcome = IngestOutcome(report=problems)
    seen: dict[str, str] = {}
    to_parse: list[tuple[Path, str]] = []
    ids: dict[str, str] = {}
    for path in files:
        name = str(path.relative_to(settings.raw_dir))
        try:
            doc_id = content_id(path.read_bytes())
        except OSError as exc:
            outcome.report.append(_report(path, settings.raw_dir, "rejected", "unreadable",
                                          f"cannot be read: {exc.strerror or exc}"))
            continue
        if doc_id in seen:
            outcome.report.append(_report(path, settings.raw_dir, "duplicate", "same_content",
                                          f"same bytes as {seen[doc_id]}", document_id=doc_id))
            continue
        seen[doc_id] = name
        ids[name] = doc_id
        if manifest.is_current(doc_id, PARSER_VERSION):
            outcome.report.append(_report(path, settings.raw_dir, "unchanged", None, None, document_id=doc_id,
                                          **manifest.counts(doc_id)))
        else:
            to_parse.append((path, name))

    keep = {doc_id for doc_id in seen if manifest.is_current(doc_id, PARSER_VERSION)}
    # largest first: the last document to start is then a small one, and no core idles long
    to_parse.sort(key=lambda job: -job[0].stat().st_size)
    bar = tqdm(total=len(to_parse), desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True)
    for result in workers.run(_parse, to_parse, settings.limits):
        path, name = result.item
        bar.update(1)
        bar.set_postfix_str(path.name[:40])
        error = result.error
        if error is None:
            parsed = result.result
            doc_id = parsed.document["document_id"]
            land_document(settings.landing, parsed)
            manifest.record(doc_id, PARSER_VERSION, name, len(parsed.tables), len(parsed.values))
            manifest.save()  # a build killed later keeps what it has landed
            keep.add(doc_id)
            outcome.report.append(_report(path, settings.raw_dir, "landed", None, None, document_id=doc_id,
                                          tables=len(parsed.tables), values=len(parsed.values),
                                          warnings="; ".join(parsed.warnings) or None))
            continue
        if isinstance(error, RejectedDocument):
            status, code, reason = "rejected", error.reason_code, error.reason
        elif isinstance(error, workers.WorkerFailed):
            status, code, reason = "rejected", error.reason_code, error.reason
        else:  # a parser bug must not stop the other documents
            status, code, reason = "failed", "parser_error", f"parser error {type(error).__name__}: {error}"
        previous = manifest.document_for(name)
        if previous and previous != ids.get(name) and manifest.has(previous):
            keep.add(previous)  # nothing lost: the last good version of this file stays
            reason += f"; its previous version ({previous}) stays in the warehouse"
        outcome.report.append(_report(path, settings.raw_dir, status, code, reason))
        tqdm.write(f"{status} {name}: {reason}", file=sys.stderr)
    bar.close()

    for doc_id in sorted(manifest.documents() - keep):
        for name in manifest.sources(doc_id):
            outcome.report.append({"source_file": name, "document_id": doc_id, "outcome": "removed",
                                   "reason_code": "not_in_input",
                                   "reason": "no longer in the input folder", "tables": 0,
                                   "values": 0, "warnings": None})
        remove_document(settings.landing, doc_id)
        manifest.forget(doc_id)
    manifest.save()
    for narrative, tables in link_narratives(settings.landing):
        tqdm.write(f"narrative {narrative} resolved against the tables of {tables}", file=sys.stderr)
    write_run_report(settings.landing, outcome.report)
    return outcome


FINGERPRINTED = ("dbt_project/models", "dbt_project/macros", "dbt_project/seeds",
                 "dbt_project/dbt_project.yml", "expectations", "ingest")


def fingerprint(settings: BuildSettings) -> str:
    """What the marts are a function of: the landed documents (and the parser that read them)
    and the code that models and checks them. Equal fingerprints, equal warehouse content."""
    digest = hashlib.sha256()
    digest.update((settings.landing / "_manifest.json").read_bytes())
    for name in FINGERPRINTED:
        root = REPO / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def published_fingerprint(warehouse: Path) -> str | None:
    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select fingerprint from build_info").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def _compiled_run_report(settings: BuildSettings) -> Path:
    """The run_report mart's SQL as dbt compiled it in the last full build."""
    artefacts = settings.building.with_name(settings.building.name + ".dbt")
    return artefacts / "target" / "compiled" / "budget_warehouse" / "models" / "marts" / "run_report.sql"


def refresh_run_report(settings: BuildSettings, fp: str) -> bool:
    """Nothing the marts depend on changed: the new warehouse is the published one with this
    run's report, rebuilt by the run_report model's own compiled SQL. Copied, updated and
    swapped in like any build. False when that SQL is not at hand."""
    compiled = _compiled_run_report(settings)
    if not compiled.exists():
        return False
    shutil.copyfile(settings.warehouse, settings.building)
    with duckdb.connect(str(settings.building)) as con:
        con.execute("create or replace table main.run_report as " + compiled.read_text("utf-8"))
        con.execute("create or replace table build_info as select ? as fingerprint", [fp])
        storage.describe_build_info(con)
        con.execute("checkpoint")
    return True


def record_build(settings: BuildSettings, fp: str) -> None:
    with duckdb.connect(str(settings.building)) as con:
        con.execute("create or replace table build_info as select ? as fingerprint", [fp])
        storage.describe_build_info(con)
        con.execute("checkpoint")


@progress.timed("publish")
def publish(settings: BuildSettings) -> None:
    """Swap the new warehouse in with one atomic rename."""
    wal = settings.building.with_name(settings.building.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the new warehouse was not checkpointed")
    os.replace(settings.building, settings.warehouse)


def build(settings: BuildSettings) -> int:
    from expectations import suites  # imported late: Great Expectations is slow to import

    started = time.monotonic()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    for stale in (settings.building, settings.building.with_name(settings.building.name + ".wal")):
        stale.unlink(missing_ok=True)
    print(f"parser {PARSER_VERSION}: reading {settings.raw_dir}", file=sys.stderr)
    outcome = ingest(settings)
    if not any(p for p in (settings.landing / "documents").glob("*.parquet") if not p.name.startswith("_")):
        print("error: no document could be landed; the warehouse is left as it was", file=sys.stderr)
        return 1
    fp = fingerprint(settings)
    if (published_fingerprint(settings.warehouse) == fp and storage.readable_by_duckdb_1(settings.warehouse)
            and refresh_run_report(settings, fp)):
        print("nothing the marts depend on changed: refreshed the run report only", file=sys.stderr)
        publish(settings)
        print(summary.render(settings.warehouse, outcome.report, None, time.monotonic() - started))
        return 0
    storage.create_warehouse_file(settings.building)  # in the format DuckDB 1.x readers open
    if not dbt_runner.build(settings.landing, settings.building):
        print("error: dbt build failed; the warehouse is left as it was", file=sys.stderr)
        return 1
    validation = suites.validate(settings.building, settings.gx_root)
    if not validation.success:
        print("error: expectations on the pipeline's own data failed; the warehouse is left as it was",
              file=sys.stderr)
        print(validation.describe(), file=sys.stderr)
        return 1
    record_build(settings, fp)
    publish(settings)
    print(summary.render(settings.warehouse, outcome.report, validation,
                         time.monotonic() - started))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=REPO / "data" / "raw", help="input documents")
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse" / "warehouse.duckdb",
                        help="the DuckDB file to publish")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="documents read at once")
    parser.add_argument("--doc-seconds", type=float, default=300.0, help="time limit per document")
    parser.add_argument("--doc-memory-mb", type=int, default=4096, help="memory limit per document")
    args = parser.parse_args(argv)
    limits = workers.Limits(seconds=args.doc_seconds, memory_mb=args.doc_memory_mb, workers=args.workers)
    settings = BuildSettings(args.raw.resolve(), args.warehouse.resolve(), limits)
    return build(settings)


if __name__ == "__main__":
    sys.exit(main())
