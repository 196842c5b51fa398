"""The one-screen summary printed at the end of a build."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from pipeline.inputs import printable

SHOWN_WARNINGS = 5
_TABLE_PREFIX = re.compile(r"^table \d+ \(([^)]*)\): ")
_QUOTED = re.compile(r"'[^']*'")
_NUMBERS = re.compile(r"\d+")


def warning_kind(warning: str) -> str:
    """A parser warning without its particulars (table, counts, quoted text): its kind."""
    text = _TABLE_PREFIX.sub("", warning)
    text = text.split(":")[0] if text.startswith("value_out_of_range") else text
    return _NUMBERS.sub("N", _QUOTED.sub("'…'", text))[:80]


def warnings_section(report: list[dict[str, Any]]) -> list[str]:
    """Parser warnings of this build's documents: counts by kind, then the first few with
    their file."""
    found = [(r["source_file"], w) for r in report if r.get("warnings")
             for w in str(r["warnings"]).splitlines()]
    if not found:
        return []
    kinds = Counter(warning_kind(w) for _, w in found)
    lines = [f"parser warnings  {len(found)} in {len({f for f, _ in found})} documents: "
             + ", ".join(f"{n}× {k}" for k, n in kinds.most_common(5))
             + (f", … and {len(kinds) - 5} more kinds" if len(kinds) > 5 else "")]
    for source, warning in found[:SHOWN_WARNINGS]:
        lines.append(f"  warning   {printable(source)}: {warning[:160]}")
    if len(found) > SHOWN_WARNINGS:
        lines.append(f"  … and {len(found) - SHOWN_WARNINGS} more (run_report.warnings)")
    return lines

MARTS = ("dim_document", "dim_issuer", "dim_table", "dim_function_subject", "dim_economic_subject",
         "fct_amount", "identity_results", "run_report")


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
    for r in report:
        if r["outcome"] not in ("landed", "unchanged"):
            lines.append(f"  {r['outcome']:<9} {printable(r['source_file'])}: {r['reason']}")
    lines.extend(warnings_section(report))
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
        violated = con.execute(
            "select identity_id, location, left_amount, right_amount, difference"
            " from identity_results where outcome = 'violated' order by abs(difference) desc limit 5"
        ).fetchall()
        for ident, loc, left, right, diff in violated:
            lines.append(f"  violated  {ident}: {loc}: {left} vs {right} (diff {diff})")
    if validation is not None:
        lines.append(f"expectations     {validation.describe_short()}")
    else:
        lines.append("expectations     unchanged since the last build (nothing they check changed)")
    lines.append(f"warehouse        {warehouse}")
    if validation is not None:
        lines.append(f"data docs        {validation.data_docs}")
    lines.append(f"took             {seconds:.0f} s")
    return "\n".join(lines)
