"""`make eval CORPUS=<dir>`: how well the ingest reads a folder of publications.

Builds a warehouse from the folder with the real pipeline, then writes, per document: issuer,
year, kind, scope, units seen, tables recognised by template, tables not recognised, values
landed, and how many printed totals equal the sum of their parts exactly, within rounding or
not. When the folder has a MANIFEST.csv listing the standard tables each document holds (as
`../shared/corpus/` does), recognition is measured against it. Output: eval.csv and eval.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

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
        for doc_id, template, unit in con.execute(
            "select document_id, template_id, amount_unit from dim_table order by table_ordinal"
        ).fetchall():
            tables[doc_id].append((template, unit))
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
                       i.difference
                from identity_results i join dim_document d using (document_id)
                where i.outcome = 'violated' and i.identity_id in {TOTAL_IDENTITIES}
                order by 1, 3"""
        ).fetchall()
        boxes: defaultdict[str, list[tuple]] = defaultdict(list)
        for doc_id, *box in con.execute(
            "select document_id, page_number, bbox_x0, bbox_top, bbox_x1, bbox_bottom from fct_amount"
        ).fetchall():
            boxes[doc_id].append(tuple(box))
        generic = con.execute(
            """select d.source_file, t.first_page, t.printed_title, t.row_count
               from dim_table t join dim_document d using (document_id)
               where t.template_id = 'generic' order by 1, 2"""
        ).fetchall()
        families = con.execute(
            f"""select t.template_id, count(distinct t.table_id) as tables,
                       count(distinct t.document_id) as documents,
                       count(*) filter (where i.outcome in ('holds_exactly', 'holds_within_rounding')) as ok,
                       count(*) filter (where i.outcome = 'violated') as violated
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
                "amounts_printed": printed[doc_id].printed if doc_id in printed else "",
                "amounts_landed": printed[doc_id].landed if doc_id in printed else "",
                "totals_exact": t.get("holds_exactly", 0),
                "totals_within_rounding": t.get("holds_within_rounding", 0),
                "totals_violated": t.get("violated", 0),
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
    summary = _summary(rows, expected_all, found_all, unexplained, corrected_expected,
                       corrected_found, applied, unresolved, no_table)
    summary += _by_collection(rows) + _by_family(families) + _generic_tables(generic)
    (out / "eval.md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"report: {out / 'eval.csv'} and {out / 'eval.md'}")
    return 0


def _by_collection(rows: list[dict]) -> str:
    """Per collection (the folder a document sits in): documents, tables, amounts, totals."""
    groups: defaultdict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["outcome"] in ("landed", "unchanged"):
            groups[coverage.collection_of(r["source_file"])].append(r)
    lines = ["", "## By collection", "",
             "| collection | documents | tables | generic | amounts landed / printed | totals ok / checked |",
             "|---|---|---|---|---|---|"]
    for name, group in sorted(groups.items()):
        printed = sum(int(r["amounts_printed"] or 0) for r in group)
        landed = sum(int(r["amounts_landed"] or 0) for r in group)
        ok = sum(r["totals_exact"] + r["totals_within_rounding"] for r in group)
        checked = ok + sum(r["totals_violated"] for r in group)
        lines.append(f"| {name} | {len(group)} | {sum(r['tables'] for r in group)} "
                     f"| {sum(r['not_recognised'] for r in group)} | {landed}/{printed} "
                     f"({_percent(landed, printed)}) | {ok}/{checked} ({_percent(ok, checked)}) |")
    return "\n".join(lines) + "\n"


def _by_family(families: list[tuple]) -> str:
    lines = ["", "## By table template", "", "| template | tables | documents | totals ok / checked |",
             "|---|---|---|---|"]
    for template, tables, documents, ok, violated in families:
        lines.append(f"| {template} | {tables} | {documents} | {ok}/{ok + violated} ({_percent(ok, ok + violated)}) |")
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
    lines += ["", "| file | outcome | issuer | year | kind | tables | not recognised | missing from manifest | values | totals ok / checked | narrative resolved |", "|---|---|---|---|---|---|---|---|---|---|---|"]
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
        lines += ["", "## Totals that do not reconcile", "", f"{len(violated) - unexplained} explained, {unexplained} unexplained.", "", "| file | identity | where | printed | sum of parts | difference | explanation |", "|---|---|---|---|---|---|---|"]
        for source, ident, loc, left, right, diff in violated:
            lines.append(f"| {Path(source).name} | {ident} | {loc} | {left} | {right} | {diff} | {explain(source, loc)} |")
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
