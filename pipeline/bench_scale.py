"""`make bench-scale SCALE=… [ENGINE=ray]`: what the warehouse costs as documents grow.

Generates SCALE text documents varied from the reference documents (another issuer and
year each: volume) and PDF renderings of the references (cost per page), then measures:

- ingest throughput on the chosen engine: documents per second overall, per core and per
  worker process (from which worker read each document), and PDF pages per second per core;
- a full build, a build with no change, and a build after one changed document (wall time
  and the peak resident memory of the build or any one of its processes);
- the warehouse file's size and the landing area's (files and bytes);
- the latency (p50 / p95 over repeated runs) of every analyst query of the README (the SQL
  blocks headed `-- question:`), on a read-only connection as a BI tool would open it.

The ingest throughput is measured on the first SCALE_SAMPLE (default 200) generated text
documents, read once outside any build; the full build then reads all SCALE of them.

With `--landing generated` (`make bench-scale LANDING=generated`) the builds start from a
landing generated from the reference documents really read once (pipeline/bench_landing.py):
reading 10^5 generated documents would take this machine hours before any build. The report
then says which figures come from the generated landing.

Writes <out>/scale-<SCALE>-<engine>[-generated].md and prints it. Figures are measured, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from pipeline import bench_landing, engines, workers
from pipeline.bench import _PEAK, RAW, _vary, generate_corpus, render_pdfs
from pipeline.build import REPO

QUERY_RUNS = 20


def _pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _read(path: Path) -> int:
    from ingest.document import parse_document

    return len(parse_document(path).values)


def measure_ingest(paths: list[Path], engine: str, cores: int) -> dict[str, float]:
    """Read every path on the engine (nothing landed): documents per second, per core, per worker."""
    limits = workers.Limits(workers=cores)
    started = time.perf_counter()
    outcomes = list(engines.run(_read, paths, limits, engine))
    elapsed = time.perf_counter() - started
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        raise SystemExit(f"bench documents failed to read: {[(o.item, o.error) for o in failed[:3]]}")
    per_worker = Counter(o.worker for o in outcomes)
    return {"docs": len(paths), "seconds": elapsed, "docs_per_s": len(paths) / elapsed,
            "docs_per_s_per_core": len(paths) / elapsed / cores, "workers": len(per_worker),
            "docs_per_worker_median": statistics.median(per_worker.values()),
            "values": sum(o.result for o in outcomes)}


def _build(raw: Path, warehouse: Path, engine: str, required: bool = True) -> tuple[float, float, str]:
    """One build in its own process: wall time, peak resident memory (MiB) and the time of
    each of its phases as its summary prints them. A build the rest of the bench needs (the
    full one) stops the bench when it fails; another's failure is reported in place of its
    phases, its error line quoted, and the bench goes on with the published warehouse."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, "--raw", str(raw), "--warehouse", str(warehouse), "--engine", engine],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    peaks = re.findall(r"PEAK_KB (\d+)", result.stderr)
    peak = int(peaks[-1]) / 1024 if peaks else float("nan")
    if result.returncode != 0:
        if required:
            raise SystemExit(f"bench build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        why = errors[-1] if errors else f"exit {result.returncode}: {result.stderr.strip()[-300:]}"
        print(f"build failed: {why}", file=sys.stderr)
        return elapsed, peak, f"**failed** ({why})"
    phases = re.findall(r"^phases\s+(.*)$", result.stdout + result.stderr, re.MULTILINE)
    return elapsed, peak, phases[-1] if phases else ""


def readme_queries() -> dict[str, str]:
    blocks = re.findall(r"```sql\n(.*?)```", (REPO / "README.md").read_text("utf-8"), flags=re.S)
    return {m.group(1): b for b in blocks if (m := re.match(r"-- question: (.+)\n", b))}


PAGE = 1000


def _timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over `runs` runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def query_latencies(warehouse: Path, runs: int = QUERY_RUNS) -> dict[str, dict[str, Any]]:
    """Per README question, on a read-only connection as a BI tool opens the file: the rows,
    and p50 / p95 (ms, after one warm-up) of its first page (the first PAGE rows: what the
    SQL shell or a BI tool's grid shows) and of its whole result as an Arrow table (a
    dataframe's columns). Not as Python tuples: converting each row to Python objects cost
    more than the query itself (at 10^3 documents 130-160 ms of the 'where the numbers do
    not add up' question's ~170 ms, against 12-17 ms to find and count its rows)."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in readme_queries().items():
            query = sql.rstrip().rstrip(";")
            rows = con.execute(f"select count(*) from ({query})").fetchall()[0][0]
            con.sql(query).to_arrow_table()  # warm-up

            def page(q: str = query) -> object:
                with con.cursor() as cursor:  # closed with the rest of the result unread
                    return cursor.execute(q).fetchmany(PAGE)

            def whole(q: str = query) -> object:
                return con.sql(q).to_arrow_table()

            out[name] = {"rows": rows, "page": _timed(page, runs), "all": _timed(whole, runs)}
    return out


def _load() -> str:
    """The machine's load average (1, 5, 15 min): the builds share it with whatever else runs."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", 1000)))
    parser.add_argument("--engine", choices=engines.ENGINES, default="local")
    parser.add_argument("--pdf-copies", type=int, default=2, help="renderings of each reference document")
    parser.add_argument("--landing", choices=("ingested", "generated"), default=os.environ.get("LANDING", "ingested"),
                        help="the builds' landing: every document read by the ingest, or generated from "
                             "the reference documents read once (pipeline/bench_landing.py)")
    parser.add_argument("--sample", type=int, default=int(os.environ.get("SCALE_SAMPLE", 200)),
                        help="generated text documents read to measure the ingest throughput")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "bench")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    generated = args.landing == "generated"
    name = f"scale-{args.scale}-{args.engine}" + ("-generated" if generated else "")
    work = args.out / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    warehouse = work / "warehouse.duckdb"

    read_count = min(args.sample, args.scale)
    print(f"generating {read_count if generated else args.scale} text documents …", file=sys.stderr)
    docs = generate_corpus(work / ("sample" if generated else "corpus"), read_count if generated else args.scale)
    pdfs = render_pdfs(work / "pdf", args.pdf_copies)
    pages = sum(_pages(p) for p in pdfs)
    print("ingest throughput …", file=sys.stderr)
    text = measure_ingest(docs[:read_count], args.engine, cores)
    pdf = measure_ingest(pdfs, args.engine, cores)
    generating = 0.0
    if generated:
        print(f"generating a landing of {args.scale} documents …", file=sys.stderr)
        started = time.perf_counter()
        references = sorted(RAW.glob("*.txt"))
        landed = bench_landing.land_references(references, work / "references.landing")
        stubs = bench_landing.generate_landing(work / "references.landing", landed,
                                               warehouse.with_name("warehouse.landing"), work / "corpus", args.scale)
        generating = time.perf_counter() - started

    print("builds …", file=sys.stderr)
    load_before = _load()
    full, full_mem, full_phases = _build(work / "corpus", warehouse, args.engine)
    same, same_mem, same_phases = _build(work / "corpus", warehouse, args.engine, required=False)
    if generated:  # a stub replaced by a real document, which the ingest reads
        k = len(stubs) // 2
        changed = stubs[k]
        source = references[k % len(references)]
        changed.write_text(_vary(source.read_text("utf-8"), k), "utf-8")
    else:
        changed = docs[len(docs) // 2]
        changed.write_text(changed.read_text("utf-8") + "\n（修订）\n", "utf-8")
    one, one_mem, one_phases = _build(work / "corpus", warehouse, args.engine, required=False)
    load_after = _load()
    print("queries …", file=sys.stderr)
    latencies = query_latencies(warehouse)
    landing_files, landing_bytes = _size(warehouse.with_name("warehouse.landing"))
    corpus_files, corpus_bytes = _size(work / "corpus")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents, amounts = con.execute(
            "select (select count(*) from dim_document), (select count(*) from fct_amount)").fetchall()[0]
    p95s = sorted(q["page"][1] for q in latencies.values())
    p95s_all = sorted(q["all"][1] for q in latencies.values())

    mib = 1024 * 1024
    if generated:
        source_line = (
            f"Documents: a **generated landing** of {args.scale} documents (the {len(references)} reference "
            f"documents of data/raw/ read once, their landed Parquet copied under new document ids, issuers "
            f"and years: pipeline/bench_landing.py; {generating:.0f} s to generate), each with a stub input "
            f"the build finds unchanged: the full and no-change builds read no document, the one-change "
            f"build reads the one real document that replaces a stub. Ingest measured on {read_count} "
            f"generated text documents really read, and {len(pdfs)} PDF renderings of the references "
            f"({pages} pages).")
    else:
        source_line = (f"Documents: {args.scale} text documents varied from data/raw/ ({corpus_bytes / mib:.0f} MiB), "
                       f"all read by the full build; ingest throughput measured on {read_count} of them, and "
                       f"{len(pdfs)} PDF renderings of the references ({pages} pages).")
    lines = [
        f"# Scale benchmark: {args.scale} documents, engine {args.engine}" + (", generated landing" if generated else ""),
        "",
        f"Machine: {cores} cores; load average before the builds {load_before}, after {load_after}. " + source_line,
        f"Warehouse: {documents} documents, {amounts} rows in fct_amount.",
        "",
        "## Ingest (read only, nothing landed)",
        "",
        "| input | documents | seconds | documents/s | documents/s per core | worker processes | documents per worker (median) |",
        "|---|---|---|---|---|---|---|",
        f"| text | {text['docs']} | {text['seconds']:.1f} | {text['docs_per_s']:.1f} | "
        f"{text['docs_per_s_per_core']:.2f} | {text['workers']} | {text['docs_per_worker_median']:.0f} |",
        f"| PDF | {pdf['docs']} | {pdf['seconds']:.1f} | {pdf['docs_per_s']:.2f} | "
        f"{pdf['docs_per_s_per_core']:.2f} | {pdf['workers']} | {pdf['docs_per_worker_median']:.0f} |",
        "",
        f"PDF: {pages / pdf['seconds'] / cores:.2f} pages/s per core "
        f"({1000 * pdf['seconds'] * cores / pages:.0f} ms of one core per page); "
        f"text: {1000 * text['seconds'] * cores / text['docs']:.0f} ms of one core per document.",
        "",
        "## Builds",
        "",
        "| build | seconds | share of full | peak memory (MiB) | phases (the build's summary) |",
        "|---|---|---|---|---|",
        f"| full | {full:.1f} | 100% | {full_mem:.0f} | {full_phases} |",
        f"| no change | {same:.1f} | {100 * same / full:.1f}% | {same_mem:.0f} | {same_phases} |",
        f"| one changed document | {one:.1f} | {100 * one / full:.1f}% | {one_mem:.0f} | {one_phases} |",
        "",
        "## Storage",
        "",
        f"- warehouse file: {warehouse.stat().st_size / mib:.1f} MiB "
        f"({warehouse.stat().st_size / documents / 1024:.0f} KiB per document)",
        f"- landing: {landing_files} files, {landing_bytes / mib:.1f} MiB "
        f"({landing_files / documents:.1f} files and {landing_bytes / documents / 1024:.0f} KiB per document)",
        "",
        f"## README queries ({QUERY_RUNS} runs each, read-only connection)",
        "",
        f"First page: the first {PAGE} rows, as the SQL shell or a BI grid shows them; whole result: every row "
        "as an Arrow table.",
        "",
        "| question | rows | first page p50 ms | first page p95 ms | whole result p50 ms | whole result p95 ms |",
        "|---|---|---|---|---|---|",
        *[f"| {name} | {q['rows']} | {q['page'][0]:.1f} | {q['page'][1]:.1f} | {q['all'][0]:.1f} | {q['all'][1]:.1f} |"
          for name, q in latencies.items()],
        "",
        f"Slowest p95: first page {p95s[-1]:.1f} ms, whole result {p95s_all[-1]:.1f} ms.",
        "",
    ]
    report = "\n".join(lines)
    (args.out / f"{name}.md").write_text(report, "utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
