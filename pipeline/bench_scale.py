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

Writes <out>/scale-<SCALE>-<engine>.md and prints it. Figures are measured, never asserted.
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
from pathlib import Path

import duckdb

from pipeline import engines, workers
from pipeline.bench import _PEAK, generate_corpus, render_pdfs
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


def _build(raw: Path, warehouse: Path, engine: str) -> tuple[float, float]:
    """One build in its own process: wall time and peak resident memory (MiB)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, "--raw", str(raw), "--warehouse", str(warehouse), "--engine", engine],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bench build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, int(re.findall(r"PEAK_KB (\d+)", result.stderr)[-1]) / 1024


def readme_queries() -> dict[str, str]:
    blocks = re.findall(r"```sql\n(.*?)```", (REPO / "README.md").read_text("utf-8"), flags=re.S)
    return {m.group(1): b for b in blocks if (m := re.match(r"-- question: (.+)\n", b))}


def query_latencies(warehouse: Path, runs: int = QUERY_RUNS) -> dict[str, tuple[float, float, int]]:
    """Per README question: p50 and p95 in milliseconds over `runs` runs (after one warm-up), rows."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in readme_queries().items():
            rows = len(con.execute(sql).fetchall())
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                times.append(1000 * (time.perf_counter() - started))
            times.sort()
            out[name] = (statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], rows)
    return out


def _size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    return len(files), sum(p.stat().st_size for p in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=int(os.environ.get("SCALE", 1000)))
    parser.add_argument("--engine", choices=engines.ENGINES, default="local")
    parser.add_argument("--pdf-copies", type=int, default=2, help="renderings of each reference document")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "bench")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    work = args.out / f"scale-{args.scale}-{args.engine}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    print(f"generating {args.scale} documents …", file=sys.stderr)
    docs = generate_corpus(work / "corpus", args.scale)
    pdfs = render_pdfs(work / "pdf", args.pdf_copies)
    pages = sum(_pages(p) for p in pdfs)
    print("ingest throughput …", file=sys.stderr)
    text = measure_ingest(docs, args.engine, cores)
    pdf = measure_ingest(pdfs, args.engine, cores)

    warehouse = work / "warehouse.duckdb"
    print("builds …", file=sys.stderr)
    full, full_mem = _build(work / "corpus", warehouse, args.engine)
    same, same_mem = _build(work / "corpus", warehouse, args.engine)
    changed = docs[len(docs) // 2]
    changed.write_text(changed.read_text("utf-8") + "\n（修订）\n", "utf-8")
    one, one_mem = _build(work / "corpus", warehouse, args.engine)
    print("queries …", file=sys.stderr)
    latencies = query_latencies(warehouse)
    landing_files, landing_bytes = _size(warehouse.with_name("warehouse.landing"))
    corpus_files, corpus_bytes = _size(work / "corpus")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents, amounts = con.execute(
            "select (select count(*) from dim_document), (select count(*) from fct_amount)").fetchall()[0]
    p95s = sorted(p95 for _, p95, _ in latencies.values())

    mib = 1024 * 1024
    lines = [
        f"# Scale benchmark: {args.scale} documents, engine {args.engine}",
        "",
        f"Machine: {cores} cores. Documents: {args.scale} text documents varied from data/raw/ "
        f"({corpus_bytes / mib:.0f} MiB), {len(pdfs)} PDF renderings of the references ({pages} pages).",
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
        "| build | seconds | share of full | peak memory (MiB) |",
        "|---|---|---|---|",
        f"| full | {full:.1f} | 100% | {full_mem:.0f} |",
        f"| no change | {same:.1f} | {100 * same / full:.1f}% | {same_mem:.0f} |",
        f"| one changed document | {one:.1f} | {100 * one / full:.1f}% | {one_mem:.0f} |",
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
        "| question | rows | p50 ms | p95 ms |",
        "|---|---|---|---|",
        *[f"| {name} | {rows} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95, rows) in latencies.items()],
        "",
        f"Slowest p95: {p95s[-1]:.1f} ms.",
        "",
    ]
    report = "\n".join(lines)
    (args.out / f"scale-{args.scale}-{args.engine}.md").write_text(report, "utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
