"""`make eval CORPUS=<dir>`: how well the ingest reads a folder of publications.

Builds a warehouse from the folder with the real pipeline, then writes, per document: issuer,
year, kind, scope, units seen, tables recognised by template, tables not recognised, values
landed, and how many printed totals equal the sum of their parts exactly, within rounding or
not. When the folder has a MANIFEST.csv listing the standard tables each document holds (as
`../shared/corpus/` does), recognition is measured against it. Output: eval.md (the summary
first: the whole corpus, then by collection and by template family, then each document and
the lists behind the figures), and beside it eval.csv (per document), eval_by_collection.csv,
eval_by_template.csv and unlanded.csv.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

from ingest.document import UNLANDED_AMOUNTS
from ingest.interpret.narrative import (
    budget_sentences,
    explanation_sentences,
    unresolvable,
    unresolved_sentences,
)
from pipeline import coverage
from pipeline.build import REPO, BuildSettings, build

# The manifest's names for the standard tables, and the templates that are that table.
STANDARD_TABLES: dict[str, set[str]] = {
    "收支总表": {"final_01_income_expenditure_summary", "budget_income_expenditure_summary"},
    "收入表": {"final_02_income", "budget_income_summary"},
    "支出表": {"final_03_expenditure", "budget_expenditure_summary"},
    "财政拨款收支总表": {"final_04_appropriation_summary", "budget_appropriation_summary"},
    "一般公共预算支出表": {
        "final_05_general_budget_expenditure", "budget_general_by_function",
        "budget_appropriation_expenditure",
    },
    "一般公共预算基本支出表": {
        "final_06_basic_expenditure_by_economic", "budget_basic_by_economic",
        "budget_basic_by_function", "budget_appropriation_basic",
    },
    "三公经费表": {"final_09_three_public", "budget_three_public"},
    "政府性基金表": {"final_07_government_fund", "budget_government_fund"},
    "国有资本经营表": {"final_08_state_capital", "budget_state_capital"},
    "政府采购表": {"budget_procurement", "final_10_related_statistics"},
    "机关运行经费": {"budget_running_costs", "final_10_related_statistics", "budget_three_public"},
    "项目支出表": {"budget_projects"},
    "绩效目标表": {
        "perf_project_targets", "perf_overall_targets", "perf_special_fund_targets",
        "perf_key_project_targets",
    },
    "绩效自评表": {"perf_project_self_evaluation", "perf_overall_self_evaluation"},
}
TOTAL_IDENTITIES = ("children_sum_to_parent", "total_column_equals_components", "summary_totals_balance")
READING_STATUSES = ("confirmed", "unconfirmed", "contradicted")


# what tells a value apart within its table (fct_amount's columns)
VALUE_IDENTITY = ("table_side, table_section, row_key, function_code, economic_code, gov_economic_code, "
                  "unit_code, column_path, value_kind")


def read_manifest(corpus: Path) -> dict[str, list[str]]:
    manifest = corpus / "MANIFEST.csv"
    if not manifest.exists():
        return {}
    with manifest.open(encoding="utf-8") as f:
        return {
            f"documents/{row['path']}": [t for t in row["tables"].split(";") if t]
            for row in csv.DictReader(f)
        }


CORRECTIONS = Path(__file__).with_name("eval_manifest_corrections.csv")
KNOWN_FINDINGS = Path(__file__).with_name("eval_known_findings.csv")


def explain(source: str, location: str) -> str:
    """Why a printed total does not reconcile, when the corpus's known findings say so:
    a defect of the publication, checked against the printed page."""
    with KNOWN_FINDINGS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if f"documents/{row['path']}" != source:
                continue
            pattern = row["location"]
            if pattern == "*" or location == pattern or (
                pattern.endswith("*") and location.startswith(pattern[:-1])
            ):
                return row["explanation"]
    return "unexplained"


def read_corrections() -> dict[tuple[str, str], str]:
    """Tables a manifest lists that the document does not hold, each with the evidence
    (the manifest was made by eye; the document is the truth)."""
    with CORRECTIONS.open(encoding="utf-8") as f:
        return {(f"documents/{r['path']}", r["table"]): r["evidence"] for r in csv.DictReader(f)}


def evaluate(corpus: Path, out: Path) -> int:
    warehouse = out / "eval.duckdb"
    status = build(BuildSettings(corpus, warehouse))
    if status != 0:
        print("error: the evaluation build failed", file=sys.stderr)
        return status
    manifest = read_manifest(corpus)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        docs = con.execute(
            """
            select r.source_file, r.run_outcome, r.reason, d.document_id, d.issuer_name,
                   d.fiscal_year, d.document_kind, d.document_scope, r.value_count
            from run_report r left join dim_document d using (document_id)
            order by r.source_file
            """
        ).fetchall()
        tables = defaultdict(list)
        table_pages: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        readings: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        for doc_id, template, unit, first_page, reading in con.execute(
            "select document_id, template_id, amount_unit, first_page, reading_status from dim_table order by table_ordinal"
        ).fetchall():
            tables[doc_id].append((template, unit))
            table_pages[doc_id].append((first_page, template))
            readings[doc_id][reading] += 1
        contradicted = con.execute(
            """select d.source_file, t.first_page, t.template_id, t.printed_title, t.reading_note
               from dim_table t join dim_document d using (document_id)
               where t.reading_status = 'contradicted' order by 1, 2"""
        ).fetchall()
        totals: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        for doc_id, outcome, n in con.execute(
            f"""select document_id, outcome, count(*) from identity_results
                where identity_id in {TOTAL_IDENTITIES} group by all"""
        ).fetchall():
            totals[doc_id][outcome] = n
        claims: defaultdict[str, list[dict]] = defaultdict(list)
        for doc_id, section, part, sentence_index, sentence, unit, resolved_to, measure, amount, decimals in con.execute(
            """select document_id, narrative_section, narrative_part, sentence_index, sentence,
                      claim_unit, resolved_to, claim_measure, amount, published_decimals
               from fct_narrative_claim order by document_id, sentence_index, claim_id"""
        ).fetchall():
            claims[doc_id].append({"section": section, "part": part, "sentence_index": sentence_index,
                                   "sentence": sentence, "unit": unit, "resolved_to": resolved_to,
                                   "measure": measure, "amount_yuan": amount, "decimals": decimals})
        table_amounts: defaultdict[str, list] = defaultdict(list)
        for doc_id, amount in con.execute(
            "select document_id, amount from fct_amount where value_kind = 'amount' and amount is not null"
        ).fetchall():
            table_amounts[doc_id].append(amount)
        unexplained = con.execute(
            f"""select d.source_file, i.identity_id, i.location, i.left_amount, i.right_amount,
                       i.difference, i.table_reading_status
                from identity_results i join dim_document d using (document_id)
                where i.outcome = 'violated' and i.identity_id in {TOTAL_IDENTITIES}
                order by 1, 3"""
        ).fetchall()
        # every landed value, superseded versions included: whether a printed amount landed is
        # a question about the reading, not about which version of a document is current
        boxes: defaultdict[str, list[tuple]] = defaultdict(list)
        for doc_id, *box in con.execute(
            "select document_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom from fct_amount_history"
        ).fetchall():
            boxes[doc_id].append(tuple(box))
        generic = con.execute(
            """select d.source_file, t.first_page, coalesce(t.printed_title, '(no title printed above it)'),
                      t.row_count
               from dim_table t join dim_document d using (document_id)
               where t.template_id = 'generic' order by 1, 2"""
        ).fetchall()
        short = con.execute(
            f"""select d.source_file, t.first_page, t.template_id, t.printed_title,
                       regexp_extract(t.table_warnings, '{UNLANDED_AMOUNTS}: ([0-9]+ of [0-9]+)', 1)
                from dim_table t join dim_document d using (document_id)
                where t.table_warnings like '%{UNLANDED_AMOUNTS}%' order by 1, 2"""
        ).fetchall()
        # a value is told apart from its neighbours by its table, row and column: values that
        # share all of them were read under a row identity missing something (a unit's name
        # above its lines, an item's name beside a repeated category)
        shared = con.execute(
            f"""select d.source_file, t.first_page, t.template_id, coalesce(t.printed_title, ''),
                       a.document_id, sum(a.n)::int as values_sharing
                from (select document_id, table_id, count(*) as n from fct_amount
                      group by document_id, table_id, {VALUE_IDENTITY} having count(*) > 1) a
                join dim_table t using (table_id) join dim_document d on d.document_id = a.document_id
                group by all order by values_sharing desc, 1, 2"""
        ).fetchall()
        families = con.execute(
            f"""select t.template_id, count(distinct t.table_id) as tables,
                       count(distinct t.document_id) as documents,
                       count(*) filter (where i.outcome in ('holds_exactly', 'holds_within_rounding')) as ok,
                       count(*) filter (where i.outcome = 'violated') as violated,
                       count(distinct t.table_id) filter (where t.reading_status = 'confirmed') as confirmed,
                       count(distinct t.table_id) filter (where t.reading_status = 'unconfirmed') as unconfirmed,
                       count(distinct t.table_id) filter (where t.reading_status = 'contradicted') as contradicted
                from dim_table t
                left join identity_results i on i.table_id = t.table_id and i.identity_id in {TOTAL_IDENTITIES}
                group by 1 order by 1"""
        ).fetchall()

    printed: dict[str, coverage.DocumentCoverage] = {}
    for source, outcome, _reason, doc_id, *_ in docs:
        path = corpus / source
        if doc_id and outcome in ("landed", "unchanged") and path.suffix.lower() == ".pdf":
            printed[doc_id] = coverage.measure(coverage.printed_amounts(path), coverage.landed_boxes(boxes[doc_id]))
    corrections = read_corrections() if manifest else {}
    applied: list[tuple[str, str, str]] = []
    rows = []
    expected_all = found_all = 0
    corrected_expected = corrected_found = 0
    unresolved: list[tuple[str, str, str, str]] = []
    no_table: list[tuple[str, str, str, str]] = []
    for source, outcome, reason, doc_id, issuer, year, kind, scope, values in docs:
        doc_claims = claims.get(doc_id, [])
        explained = budget_sentences(doc_claims) if kind == "预算" else explanation_sentences(doc_claims)
        missed = unresolved_sentences(doc_claims, kind or "决算")
        # a budget sentence whose figures no table of the document prints is listed with its
        # reason and left out of the measure's denominator (see DECISIONLOG)
        reasons = {}
        if kind == "预算":
            for c in missed:
                group = [x for x in doc_claims if x["sentence_index"] == c["sentence_index"]]
                if (reason := unresolvable(group, table_amounts.get(doc_id, []))) is not None:
                    reasons[c["sentence_index"]] = reason
        unresolved += [(source, kind or "", c["section"] or "", c["sentence"]) for c in missed
                       if c["sentence_index"] not in reasons]
        no_table += [(source, reasons[c["sentence_index"]], c["section"] or "", c["sentence"]) for c in missed
                     if c["sentence_index"] in reasons]
        templates = [t for t, _ in tables.get(doc_id, [])]
        recognised = sorted({t for t in templates if t != "generic"})
        expected = manifest.get(source, [])
        missing = [name for name in expected if not STANDARD_TABLES.get(name, set()) & set(recognised)]
        expected_all += len(expected)
        found_all += len(expected) - len(missing)
        held = []
        for name in expected:
            evidence = corrections.get((source, name)) or corrections.get((source, "*"))
            if evidence and name in missing:
                applied.append((source, name, evidence))
            else:
                held.append(name)
        corrected_expected += len(held)
        corrected_found += sum(name not in missing for name in held)
        t: dict[str, int] = totals.get(doc_id, {})
        rows.append(
            {
                "source_file": source,
                "outcome": outcome,
                "reason": reason or "",
                "issuer": issuer or "",
                "year": year or "",
                "kind": kind or "",
                "scope": scope or "",
                "units": ";".join(sorted({u for _, u in tables.get(doc_id, []) if u})),
                "tables": len(templates),
                "recognised": ";".join(recognised),
                "not_recognised": templates.count("generic"),
                "manifest_tables": len(expected),
                "manifest_missing": ";".join(missing),
                "values": values or 0,
                "values_sharing_a_key": sum(n for *_, d, n in shared if d == doc_id),
                "amounts_printed": printed[doc_id].printed if doc_id in printed else "",
                "amounts_landed": printed[doc_id].landed if doc_id in printed else "",
                "totals_exact": t.get("holds_exactly", 0),
                "totals_within_rounding": t.get("holds_within_rounding", 0),
                "totals_violated": t.get("violated", 0),
                **{f"readings_{s}": readings[doc_id][s] if doc_id in readings else 0 for s in READING_STATUSES},
                "narrative_sentences": len(explained),
                "narrative_resolved": len(explained) - len(missed),
                "narrative_no_table": len(reasons),
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    with (out / "eval.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with (out / "unlanded.csv").open("w", encoding="utf-8", newline="") as f:
        unlanded = csv.writer(f)
        unlanded.writerow(["source_file", "page", "text", "x0", "top"])
        by_id = {doc_id: source for source, _, _, doc_id, *_ in docs}
        for doc_id, measured in printed.items():
            for a in measured.unlanded:
                unlanded.writerow([by_id[doc_id], a.page, a.text, round(a.x0, 1), round(a.top, 1)])
    amounts_by_template = _amounts_by_template(printed, table_pages)
    by_collection = _by_collection(rows)
    by_template = _by_template(families, amounts_by_template)
    _write_csv(out / "eval_by_collection.csv", by_collection)
    _write_csv(out / "eval_by_template.csv", by_template)
    summary = _summary(rows, expected_all, found_all, unexplained, corrected_expected,
                       corrected_found, applied, unresolved, no_table,
                       overview=_markdown("By collection", by_collection)
                       + _markdown("By template family", by_template))
    summary += (_generic_tables(generic) + _short_tables(short) + _contradicted_readings(contradicted)
                + _tables_sharing_keys(shared))
    (out / "eval.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"report: {out / 'eval.csv'} and {out / 'eval.md'}")
    return 0


def _by_collection(rows: list[dict]) -> list[dict]:
    """Per collection (the folder a document sits in): documents, tables, amounts, totals."""
    groups: defaultdict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["outcome"] in ("landed", "unchanged"):
            groups[coverage.collection_of(r["source_file"])].append(r)
    out = []
    for name, group in sorted(groups.items()):
        printed = sum(int(r["amounts_printed"] or 0) for r in group)
        landed = sum(int(r["amounts_landed"] or 0) for r in group)
        ok = sum(r["totals_exact"] + r["totals_within_rounding"] for r in group)
        checked = ok + sum(r["totals_violated"] for r in group)
        out.append({
            "collection": name,
            "documents": len(group),
            "documents_all_totals_reconcile": sum(r["totals_violated"] == 0 for r in group),
            "tables": sum(r["tables"] for r in group),
            "generic": sum(r["not_recognised"] for r in group),
            "amounts_printed": printed,
            "amounts_landed": landed,
            "amounts_landed_pct": _percent(landed, printed),
            "totals_checked": checked,
            "totals_reconciled": ok,
            "totals_reconciled_pct": _percent(ok, checked),
            **{f"readings_{s}": sum(r[f"readings_{s}"] for r in group) for s in READING_STATUSES},
            "documents_without_a_contradicted_reading": sum(not r["readings_contradicted"] for r in group),
        })
    return out


def _amounts_by_template(printed: dict[str, coverage.DocumentCoverage],
                         table_pages: dict[str, list[tuple[int, str]]]) -> dict[str, list[int]]:
    """Printed and landed amounts per template: each page's amounts go to the table printed
    on that page (the last one starting on or before it)."""
    totals: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc_id, measured in printed.items():
        for page, (n_printed, n_landed) in measured.by_page.items():
            template = coverage.table_of_page(table_pages.get(doc_id, []), page) or "(no table)"
            totals[template][0] += n_printed
            totals[template][1] += n_landed
    return totals


def _by_template(families: list[tuple], amounts: dict[str, list[int]]) -> list[dict]:
    out = []
    for template, tables, documents, ok, violated, *statuses in families:
        n_printed, n_landed = amounts.get(template, [0, 0])
        out.append({
            "template": template,
            "tables": tables,
            "documents": documents,
            "amounts_printed": n_printed,
            "amounts_landed": n_landed,
            "amounts_landed_pct": _percent(n_landed, n_printed),
            "totals_checked": ok + violated,
            "totals_reconciled": ok,
            "totals_reconciled_pct": _percent(ok, ok + violated),
            **{f"readings_{s}": n for s, n in zip(READING_STATUSES, statuses, strict=True)},
        })
    return out


def _contradicted_readings(tables: list[tuple]) -> str:
    """Every table whose best reading its own sums still contradict: a misreading of ours or
    the publication's own error, told apart by the page."""
    lines = ["", f"## Contradicted readings ({len(tables)})", "", "| file | page | template | printed title | note |",
             "|---|---|---|---|---|"]
    lines += [f"| {Path(s).name} | {page} | {tpl} | {title or ''} | {note or ''} |" for s, page, tpl, title, note in tables]
    return "\n".join(lines) + "\n"


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)


def _markdown(title: str, rows: list[dict]) -> str:
    """A table of the same rows the CSV beside it holds."""
    if not rows:
        return ""
    names = list(rows[0])
    lines = ["", f"## {title}", "", "| " + " | ".join(n.replace("_", " ") for n in names) + " |",
             "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(str(r[n]) for n in names) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _tables_sharing_keys(shared: list[tuple]) -> str:
    lines = ["", f"## Tables where values share one row and column ({len(shared)})", "",
             "| file | page | template | printed title | values sharing a key |", "|---|---|---|---|---|"]
    lines += [f"| {source} | {page} | {template} | {title} | {n} |" for source, page, template, title, _, n in shared]
    return "\n".join(lines) + "\n"


def _short_tables(short: list[tuple]) -> str:
    """Every table that lands fewer values than it prints amounts (its landing warns)."""
    lines = ["", f"## Tables that land fewer values than they print ({len(short)})", "",
             "| file | page | template | printed title | amounts not landed |", "|---|---|---|---|---|"]
    lines += [f"| {source} | {page} | {template} | {title or ''} | {missed} |"
              for source, page, template, title, missed in short]
    return "\n".join(lines) + "\n"


def _generic_tables(generic: list[tuple]) -> str:
    lines = ["", f"## Tables no template recognises ({len(generic)})", "", "| file | page | printed title | rows |",
             "|---|---|---|---|"]
    lines += [f"| {source} | {page} | {title or ''} | {n} |" for source, page, title, n in generic]
    return "\n".join(lines) + "\n"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _summary(
    rows: list[dict],
    expected: int,
    found: int,
    violated: list[tuple],
    corrected_expected: int = 0,
    corrected_found: int = 0,
    corrections: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    unresolved: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]
    no_table: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]
    overview: str = "",
) -> str:
    landed = [r for r in rows if r["outcome"] in ("landed", "unchanged")]
    exact = sum(r["totals_exact"] for r in rows)
    rounding = sum(r["totals_within_rounding"] for r in rows)
    bad = sum(r["totals_violated"] for r in rows)
    checked = exact + rounding + bad
    lines = [
        "# Ingest evaluation",
        "",
        f"- inputs: {len(rows)}; landed {len(landed)}; "
        + ", ".join(f"{o} {sum(r['outcome'] == o for r in rows)}" for o in sorted({r['outcome'] for r in rows}) if o not in ("landed", "unchanged")),
        f"- tables: {sum(r['tables'] for r in landed)}, not recognised {sum(r['not_recognised'] for r in landed)}",
        f"- values landed: {sum(int(r['values']) for r in landed)}",
    ]
    if landed and "values_sharing_a_key" in landed[0]:
        sharing = sum(int(r["values_sharing_a_key"]) for r in landed)
        lines.append(f"- values that share their row and column with another value of their table: {sharing} "
                     f"({_percent(sharing, sum(int(r['values']) for r in landed))}; tables listed below)")
    amounts_printed = sum(int(r.get("amounts_printed") or 0) for r in landed)
    amounts_landed = sum(int(r.get("amounts_landed") or 0) for r in landed)
    if amounts_printed:
        lines.append(
            f"- amounts printed on the table pages of PDFs: {amounts_printed}; landed {amounts_landed} "
            f"({100 * amounts_landed / amounts_printed:.2f}%); the rest in unlanded.csv with page and text"
        )
    if expected:
        lines.append(f"- standard tables listed in the manifest recognised: {found}/{expected} ({100 * found / expected:.1f}%)")
        if corrections:
            lines.append(
                f"- after {len(corrections)} manifest corrections (tables the documents do not hold, "
                f"listed below): {corrected_found}/{corrected_expected} "
                f"({100 * corrected_found / corrected_expected:.1f}%)"
            )
    if checked:
        lines.append(
            f"- printed totals checked: {checked}; exact {exact}, within rounding {rounding}, "
            f"not reconciled {bad} ({100 * (exact + rounding) / checked:.2f}% reconcile)"
        )
    if landed and "readings_confirmed" in landed[0]:
        lines.append(
            "- table readings (reading_status): "
            + ", ".join(f"{s} {sum(r[f'readings_{s}'] for r in landed)}" for s in READING_STATUSES)
            + f"; documents without a contradicted table {sum(not r['readings_contradicted'] for r in landed)}/{len(landed)}"
        )
    for kind, label in (("决算", "final accounts (sections 一 to 十 of the 情况说明)"),
                        ("预算", "budgets (every sentence of the narrative)")):
        of_kind = [r for r in rows if (r["kind"] or "决算") == kind]
        sentences = sum(r["narrative_sentences"] for r in of_kind)
        if sentences:
            resolved = sum(r["narrative_resolved"] for r in of_kind)
            lines.append(
                f"- narrative of {label}: {resolved}/{sentences} sentences carrying an amount give a "
                f"resolved claim ({100 * resolved / sentences:.1f}%); the rest are listed below"
            )
            excluded = sum(r.get("narrative_no_table", 0) for r in of_kind)
            if excluded:
                checkable = sentences - excluded
                lines.append(
                    f"  - of which {excluded} have no table figure to resolve against (the document lands "
                    f"no table amount, or no table prints their figures, or they state only changes or a "
                    f"zero for a line no table prints; listed with the reason below): {resolved}/{checkable} "
                    f"of the sentences whose figures a table prints resolve ({_percent(resolved, checkable)})"
                )
    if overview:
        lines.append(overview.rstrip("\n"))
    lines += ["", "## By document", "", "| file | outcome | issuer | year | kind | tables | not recognised | missing from manifest | values | totals ok / checked | narrative resolved |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = r["totals_exact"] + r["totals_within_rounding"]
        lines.append(
            f"| {Path(r['source_file']).name} | {r['outcome']}{': ' + r['reason'] if r['reason'] else ''} | {r['issuer']} | {r['year']} | {r['kind']} "
            f"| {r['tables']} | {r['not_recognised']} | {r['manifest_missing']} | {r['values']} | {ok}/{ok + r['totals_violated']} "
            f"| {r['narrative_resolved']}/{r['narrative_sentences']} |"
        )
    if corrections:
        lines += ["", "## Manifest corrections applied", "", "| file | table | evidence |", "|---|---|---|"]
        for source, name, evidence in corrections:
            lines.append(f"| {Path(source).name} | {name} | {evidence} |")
    if violated:
        unexplained = sum(explain(v[0], v[2]) == "unexplained" for v in violated)
        lines += ["", "## Totals that do not reconcile", "", f"{len(violated) - unexplained} explained, {unexplained} unexplained.", "", "| file | identity | where | printed | sum of parts | difference | table reading | explanation |", "|---|---|---|---|---|---|---|---|"]
        for source, ident, loc, left, right, diff, *reading in violated:
            lines.append(f"| {Path(source).name} | {ident} | {loc} | {left} | {right} | {diff} "
                         f"| {reading[0] if reading else ''} | {explain(source, loc)} |")
    if unresolved:
        lines += ["", "## Narrative sentences without a resolved claim", "", "| file | kind | section | sentence |", "|---|---|---|---|"]
        for source, kind, section, sentence in unresolved:
            lines.append(f"| {Path(source).name} | {kind} | {section} | {sentence} |")
    if no_table:
        lines += ["", "## Budget sentences with no table figure to resolve against", "",
                  "| file | reason | section | sentence |", "|---|---|---|---|"]
        for source, reason, section, sentence in no_table:
            lines.append(f"| {Path(source).name} | {reason} | {section} | {sentence} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default = REPO.parent / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default if default.exists() else None)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "eval")
    args = parser.parse_args(argv)
    if args.corpus is None:
        print("error: give CORPUS=<dir> (../shared/corpus is not present here)", file=sys.stderr)
        return 2
    return evaluate(args.corpus.resolve(), args.out.resolve())


if __name__ == "__main__":
    sys.exit(main())
