"""The one-screen summary printed at the end of a build.

Long lists are cut to their first `TOP` lines and end in "… and K more", with the query that
lists them all. Findings (violated identities) are counted by identity with the documents and
tables they are in; parser warnings are counted by kind, the first few printed with their file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from pipeline import progress
from pipeline.inputs import printable

MARTS = ("dim_document", "dim_issuer", "dim_table", "dim_function_subject", "dim_economic_subject",
         "fct_amount", "identity_results", "run_report")
TOP = 5


def render(
    warehouse: Path,
    report: list[dict[str, Any]],
    validation: Any,
    seconds: float,
) -> str:
    outcomes = Counter(r["outcome"] for r in report)
    lines = ["", "=" * 72, "build summary", "=" * 72]
    lines.append(
        f"documents read   {len(report)}: "
        + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
    )
    problems = [f"  {r['outcome']:<9} {printable(r['source_file'])}: {r['reason']}" for r in report
                if r["outcome"] not in ("landed", "unchanged")]
    lines += shortened(problems, "select source_file, run_outcome, reason from run_report "
                                 "where run_outcome not in ('landed', 'unchanged')")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select count(*), count(*) filter (where template_id <> 'generic'),"
            " count(*) filter (where is_empty) from dim_table"
        ).fetchall()[0]
        lines.append(
            f"tables landed    {tables[0]} ({tables[1]} recognised, {tables[0] - tables[1]} generic, "
            f"{tables[2]} empty)"
        )
        counts = ", ".join(
            f"{m} {con.execute(f'select count(*) from {m}').fetchall()[0][0]}" for m in MARTS
        )
        lines.append(f"rows in marts    {counts}")
        identity = con.execute(
            "select outcome, count(*) from identity_results group by 1 order by 1"
        ).fetchall()
        lines.append("identities       " + ", ".join(f"{n} {o}" for o, n in identity))
        lines += findings(con)
    lines += parser_warnings(report)
    if validation is not None:
        lines.append(f"expectations     {validation.describe_short()}")
    else:
        lines.append("expectations     unchanged since the last build (nothing they check changed)")
    lines.append(f"warehouse        {warehouse}")
    if validation is not None:
        lines.append(f"data docs        {validation.data_docs}")
    if progress.TIMINGS:
        lines.append(f"phases           {progress.timings_line()}")
    lines.append(f"took             {seconds:.0f} s")
    return "\n".join(lines)


def shortened(lines: list[str], query: str, top: int = TOP) -> list[str]:
    """The first `top` lines, then how many more and the query that lists them all."""
    if len(lines) <= top:
        return lines
    return lines[:top] + [f"  … and {len(lines) - top} more: {query}"]


FINDINGS_SQL = """
select i.identity_id, d.source_file,
       coalesce(t.printed_numbering || ' ', '') || coalesce(t.printed_title, t.template_id, '') as printed_table,
       i.location, i.left_amount, i.right_amount, i.difference
from identity_results as i
join dim_document as d using (document_id)
left join dim_table as t using (table_id)
where i.outcome = 'violated'
order by abs(i.difference) desc nulls last, i.identity_id, d.source_file, i.location
"""


def findings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Violated identities: how many of each identity, in how many documents and tables, and
    the largest differences with their file and table."""
    rows = con.execute(FINDINGS_SQL).fetchall()
    if not rows:
        return ["findings         none: every applicable identity holds"]
    by_identity: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_identity.setdefault(row[0], []).append(row)
    documents = {r[1] for r in rows}
    lines = [f"findings         {len(rows)} violated in {_n(len(documents), 'document')}, by identity:"]
    ranked = sorted(by_identity.items(), key=lambda item: (-len(item[1]), item[0]))
    lines += shortened(
        [f"  {len(found):>5}  {identity:<44} {_n(len({r[1] for r in found}), 'document')}, "
         f"{_n(len({(r[1], r[2]) for r in found if r[2]}), 'table')}" for identity, found in ranked],
        "select identity_id, count(*) from identity_results where outcome = 'violated' group by 1",
    )
    lines.append("  largest:")
    lines += shortened(
        [f"  {ident}: {file} · {table or '(across tables)'} · {loc}: {left} vs {right}"
         + (f" (diff {diff})" if diff is not None else "")
         for ident, file, table, loc, left, right, diff in rows],
        "select * from identity_results where outcome = 'violated' order by abs(difference) desc",
    )
    return lines


# --- parser warnings --------------------------------------------------------------------

TABLE_PREFIX = re.compile(r"^(table \d+ \([^)]*\)): ")


def split_warnings(joined: str | None) -> list[str]:
    """A report row's warnings, one per line (a warning's own text may hold '; ')."""
    return [w for w in (joined or "").splitlines() if w.strip()]


def warning_kind(warning: str) -> str:
    """What a warning says, without its table, figures, quoted text or names."""
    kind = TABLE_PREFIX.sub("", warning)
    kind = kind.split(":")[0] if kind.startswith("value_out_of_range") else kind
    kind = re.sub(r"'[^']*'", "'…'", kind)
    kind = re.sub(r"^issuer \S+", "issuer …", kind)
    return re.sub(r"\d+", "N", kind)[:100]


def parser_warnings(report: list[dict[str, Any]]) -> list[str]:
    found = [(r["source_file"], w) for r in report for w in split_warnings(r.get("warnings"))]
    read = sum(1 for r in report if r["outcome"] == "landed")
    if not found:
        return [f"parser warnings  none in the {_n(read, 'document')} read in this run"]
    kinds = Counter(warning_kind(w) for _, w in found)
    files = {f for f, _ in found}
    lines = [f"parser warnings  {len(found)} in {_n(len(files), 'document')}, by kind:"]
    lines += shortened([f"  {n:>5}  {kind}" for kind, n in kinds.most_common()],
                       "select source_file, warnings from run_report where warnings is not null")
    lines.append("  first:")
    lines += shortened([f"  {printable(file)}: {warning[:200]}" for file, warning in found],
                       "select source_file, warnings from run_report where warnings is not null")
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
