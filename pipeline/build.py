"""`make build`: documents in, published DuckDB warehouse out.

Steps: read every input (progress bar) and land Parquet; `dbt build`; the Great Expectations
suites; publish by atomic rename; print a one-screen summary. The warehouse at the target
path is replaced only when every step succeeded, so a failed build leaves the previous one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ingest import PARSER_VERSION
from ingest.document import parse_document
from ingest.errors import RejectedDocument
from ingest.landing import land_document, prepare, write_run_report
from pipeline import dbt_runner, summary

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildSettings:
    raw_dir: Path
    warehouse: Path

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


def ingest(settings: BuildSettings) -> IngestOutcome:
    """Read every input and land it. A bad file is reported and the run goes on."""
    if settings.landing.exists():
        shutil.rmtree(settings.landing)
    prepare(settings.landing)
    files, problems = discover(settings.raw_dir)
    outcome = IngestOutcome(report=problems)
    seen: dict[str, str] = {}
    bar = tqdm(files, desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True)
    for path in bar:
        name = str(path.relative_to(settings.raw_dir))
        bar.set_postfix_str(path.name[:40])
        try:
            parsed = parse_document(path, source_name=name)
        except RejectedDocument as exc:
            outcome.report.append(_report(path, settings.raw_dir, "rejected", exc.reason_code, exc.reason))
            tqdm.write(f"rejected {name}: {exc.reason}", file=sys.stderr)
            continue
        except OSError as exc:
            outcome.report.append(_report(path, settings.raw_dir, "rejected", "unreadable", f"cannot be read: {exc.strerror or exc}"))
            tqdm.write(f"rejected {name}: cannot be read ({exc})", file=sys.stderr)
            continue
        except Exception as exc:  # a parser bug must not stop the other documents
            reason = f"parser error {type(exc).__name__}: {exc}"
            outcome.report.append(_report(path, settings.raw_dir, "failed", "parser_error", reason))
            tqdm.write(f"failed {name}: {reason}", file=sys.stderr)
            continue
        doc_id = parsed.document["document_id"]
        if doc_id in seen:
            outcome.report.append(
                _report(path, settings.raw_dir, "duplicate", "same_content",
                        f"same bytes as {seen[doc_id]}", document_id=doc_id)
            )
            continue
        seen[doc_id] = name
        land_document(settings.landing, parsed)
        outcome.report.append(
            _report(path, settings.raw_dir, "landed", None, None, document_id=doc_id,
                    tables=len(parsed.tables), values=len(parsed.values),
                    warnings="; ".join(parsed.warnings) or None)
        )
    write_run_report(settings.landing, outcome.report)
    return outcome


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
    if outcome.count("landed") == 0:
        print("error: no document could be landed; the warehouse is left as it was", file=sys.stderr)
        return 1
    if not dbt_runner.build(settings.landing, settings.building):
        print("error: dbt build failed; the warehouse is left as it was", file=sys.stderr)
        return 1
    validation = suites.validate(settings.building, settings.gx_root)
    if not validation.success:
        print("error: expectations on the pipeline's own data failed; the warehouse is left as it was",
              file=sys.stderr)
        print(validation.describe(), file=sys.stderr)
        return 1
    publish(settings)
    print(summary.render(settings.warehouse, outcome.report, validation,
                         time.monotonic() - started))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=REPO / "data" / "raw", help="input documents")
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse" / "warehouse.duckdb",
                        help="the DuckDB file to publish")
    args = parser.parse_args(argv)
    settings = BuildSettings(args.raw.resolve(), args.warehouse.resolve())
    return build(settings)


if __name__ == "__main__":
    sys.exit(main())
