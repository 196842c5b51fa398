"""Great Expectations suites on the warehouse, written as code and rebuilt on every run.

GX 1.24's query-based expectations fail on DuckDB through SQLAlchemy (the connection closes
before the result is fetched), so each suite validates a data frame read from the warehouse
(DECISIONLOG.md). Decimal columns are read as text: money never passes through float.

These suites check the pipeline's own data. They do not judge the publications: an identity
violated by a published document is a finding in `identity_results`, and the suites only
check that every finding is well-formed. Where a frame carries `document_id`, each failure
names the documents of its unexpected rows, so the build can quarantine them and publish
the rest; a failure no document explains (the reconciliation of counts) stops the build.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations import report
from pipeline import progress

OUTCOMES = ["holds_exactly", "holds_within_rounding", "violated", "not_applicable"]
VALUE_KINDS = ["amount", "percent", "count", "score", "grade", "indicator"]


def _fct_amount(gx: Any) -> list[Any]:
    e = gx.expectations
    return [
        e.ExpectColumnValuesToNotBeNull(column="value_id"),
        e.ExpectColumnValuesToBeUnique(column="value_id"),
        e.ExpectColumnValuesToNotBeNull(column="document_id"),
        e.ExpectColumnValuesToNotBeNull(column="table_id"),
        e.ExpectColumnValuesToNotBeNull(column="raw_text"),
        e.ExpectColumnValuesToNotBeNull(column="source_address"),
        e.ExpectColumnValuesToBeInSet(column="value_kind", value_set=VALUE_KINDS),
        # the mart's decimal(18,2) holds the landed 元 amount exactly
        e.ExpectColumnValuesToBeInSet(column="amount_is_exact", value_set=[True]),
    ]


def _identity_results(gx: Any) -> list[Any]:
    e = gx.expectations
    applicable = 'outcome != "not_applicable" and compared == "amounts"'
    return [
        e.ExpectColumnValuesToNotBeNull(column="application_id"),
        e.ExpectColumnValuesToBeUnique(column="application_id"),
        e.ExpectColumnValuesToBeInSet(column="outcome", value_set=OUTCOMES),
        e.ExpectColumnValuesToNotBeNull(column="identity_description"),
        e.ExpectColumnValuesToNotBeNull(
            column="difference", row_condition=applicable, condition_parser="pandas"
        ),
        e.ExpectColumnValuesToBeInSet(column="has_sources", value_set=[True]),
        e.ExpectColumnValuesToBeInSet(column="compared", value_set=["amounts", "names", "printed_value"]),
    ]


def _reconciliation(gx: Any) -> list[Any]:
    e = gx.expectations
    return [
        # every value the ingest landed appears once in fct_amount_history (fct_amount: current documents)
        e.ExpectColumnPairValuesToBeEqual(column_A="landed_values", column_B="fct_amount_rows"),
        e.ExpectColumnPairValuesToBeEqual(column_A="landed_documents", column_B="dim_document_rows"),
    ]


RULE_CATALOGUE = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "rule_catalogue.csv"


def rule_ids() -> list[str]:
    """The inspection rules, in catalogue order (dbt_project/seeds/rule_catalogue.csv)."""
    import csv

    with RULE_CATALOGUE.open(encoding="utf-8") as f:
        return [row["rule_id"] for row in csv.DictReader(f)]


def _findings(gx: Any) -> list[Any]:
    """One expectation per inspection rule: 'this rule finds nothing'. Its unexpected rows are
    the rule's findings (fatal and warning; info stays in the mart), so Data Docs lists them per
    rule. A report on the publications, not a check of the pipeline: it never fails the build."""
    e = gx.expectations
    return [
        e.ExpectColumnValuesToBeNull(column="finding", row_condition=f'rule_id == "{rule}"',
                                     condition_parser="pandas", meta={"rule_id": rule})
        for rule in rule_ids()
    ]


# suites that report findings about the publications rather than check the pipeline
REPORTING_SUITES = frozenset({"findings"})

SUITES: dict[str, tuple[str, Callable[[Any], list[Any]]]] = {
    "findings": (
        """select c.rule_id, f.severity,
                  f.source_file || ' p.' || coalesce(cast(f.page_number as varchar), '-') || ' · ' || f.message_zh
                      as finding
           from reference.rule_catalogue c
           left join findings f on f.rule_id = c.rule_id and f.severity <> 'info'
           -- ordered: two builds of the same inputs store the same results
           order by c.rule_id, finding""",
        _findings,
    ),
    "fct_amount": (
        """select f.value_id, f.document_id, f.table_id, f.raw_text, f.source_address, f.value_kind,
                  (f.amount is null and l.amount_yuan is null) or f.amount = l.amount_yuan
                      as amount_is_exact
           from fct_amount_history f join staging.stg_landing__values l using (value_id)""",
        _fct_amount,
    ),
    "identity_results": (
        """select application_id, document_id, identity_id, identity_description, outcome, compared,
                  cast(difference as varchar) as difference,
                  len(source_value_ids) > 0 as has_sources
           from identity_results""",
        _identity_results,
    ),
    "reconciliation": (
        """select (select count(*) from staging.stg_landing__values) as landed_values,
                  (select count(*) from fct_amount_history) as fct_amount_rows,
                  (select count(*) from staging.stg_landing__documents) as landed_documents,
                  (select count(*) from dim_document) as dim_document_rows""",
        _reconciliation,
    ),
}


# the table is written here, not by dbt, so its descriptions are written here too
EXPECTATION_RESULTS_COMMENTS = (
    "comment on table expectation_results is '期望检验结果 / Great Expectations suites of the last build, one row per suite'",
    "comment on column expectation_results.suite is '检验套件 / the suite: fct_amount, identity_results or reconciliation'",
    "comment on column expectation_results.success is '是否通过 / whether every expectation of the suite passed'",
    "comment on column expectation_results.evaluated is '检验数 / expectations evaluated'",
    "comment on column expectation_results.failed is '未通过数 / expectations that failed'",
    "comment on column expectation_results.failures is '未通过详情 / the failed expectations and their results, as JSON'",
)


@dataclass
class SuiteResult:
    suite: str
    success: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    evaluated: int = 0
    expectations: list[dict[str, Any]] = field(default_factory=list)  # every one, for the report

    def untraced(self) -> list[dict[str, Any]]:
        """Failures that no document's rows explain: the pipeline's own."""
        return [f for f in self.failures if not f.get("documents")]


@dataclass
class ValidationOutcome:
    results: list[SuiteResult]
    data_docs: Path | None

    @property
    def checks(self) -> list[SuiteResult]:
        """The suites that check the pipeline (the findings suite reports, it does not check)."""
        return [r for r in self.results if r.suite not in REPORTING_SUITES]

    @property
    def success(self) -> bool:
        return all(r.success for r in self.checks)

    def documents_to_blame(self) -> dict[str, list[tuple[str, list[str]]]]:
        """Per document, the failed expectations its rows explain, with the offending values."""
        blamed: dict[str, list[tuple[str, list[str]]]] = {}
        for r in self.checks:  # a finding about a publication is never a reason to set it aside
            for f in r.failures:
                for document_id, values in (f.get("documents") or {}).items():
                    blamed.setdefault(document_id, []).append(
                        (f"{r.suite}: {f['expectation']} {f.get('column') or ''}".strip(), values))
        return blamed

    def describe_short(self) -> str:
        passed = sum(r.evaluated - len(r.failures) for r in self.checks)
        total = sum(r.evaluated for r in self.checks)
        reported = sum(len(r.failures) for r in self.results if r.suite in REPORTING_SUITES)
        return (f"{passed}/{total} passed in {len(self.checks)} suites"
                + (f"; {reported} rules with findings (findings suite)" if reported else ""))

    def describe(self) -> str:
        lines = [self.describe_short()]
        for r in self.checks:
            for f in r.failures:
                lines.append(f"  {r.suite}: {f['expectation']} {f.get('column') or ''} {f.get('detail')}")
        return "\n".join(lines)


# the identities keyed by fiscal year (macros/incremental.sql identities_by_year: a test holds
# the two lists equal)
IDENTITIES_BY_YEAR = ("code_names_agree", "department_equals_its_units")

# An incremental build (pipeline/build.py: `touched` names the documents it recomputed) checks
# the rows those documents give or take part in, not the whole table: the rest were checked
# by the build that made them and are unchanged. Unique ids stay unique: every value_id and
# application_id carries its document's id (the id of its table, an md5 over the document id),
# so a touched row cannot collide with an untouched one. A full build checks every row.
SLICES = {
    "fct_amount": "f.document_id in (select document_id from touched)",
    # the applications the build recomputed (macros/incremental.sql recomputed_applications):
    # those of the touched documents' issuers, which hold every application pairing a touched
    # document with another year or file of its issuer, and of the two identities keyed by
    # fiscal year (a department against its units) those of the touched documents' years
    "identity_results": "document_id in (select document_id from affected) or (identity_id in "
                        f"({', '.join(repr(i) for i in IDENTITIES_BY_YEAR)}) "
                        "and document_id in (select document_id from same_year))",
}


def suite_query(name: str, lists: Mapping[str, Path] | None) -> str:
    """The suite's frame: every row, or with `lists` (CSVs of document ids by name:
    touched, affected, same_year) the slice the build recomputed."""
    query = SUITES[name][0]
    if not lists or name not in SLICES:
        return query
    quoted = {alias: str(path).replace("'", "''") for alias, path in lists.items()}
    tables = ", ".join(f"{alias} as (select document_id from read_csv('{path}', header = true, "
                       "columns = {'document_id': 'varchar'}))" for alias, path in quoted.items())
    return f"with {tables} {query} where {SLICES[name]}"


# A suite whose rows carry their document (those with a slice) is validated in parts of whole
# documents, each of at most this many rows: at 10^5 documents fct_amount holds 38 million
# rows, and validated as one frame every expectation came back empty, out of memory. At 10^4
# one part of 3.8 million rows validates in 25 s. A document's rows stay in one part, and a
# value_id or application_id carries its document's id, so a duplicate is still found.
ROWS_PER_PART = 4_000_000


def part_count(warehouse: Path, name: str, lists: Mapping[str, Path] | None,
               rows_per_part: int = ROWS_PER_PART) -> int:
    """How many parts the suite's frame is read in: one unless its rows carry their document
    and exceed `rows_per_part`."""
    if name not in SLICES:
        return 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (rows,) = con.execute(f"select count(*) from ({suite_query(name, lists)})").fetchall()[0]
    return max(1, -(-rows // rows_per_part))


def read_frame(warehouse: Path, name: str, lists: Mapping[str, Path] | None,
               part: int = 0, parts: int = 1) -> pd.DataFrame:
    """The suite's frame (`suite_query`), or its `part`-th of `parts` (the documents whose id
    hashes to it), its columns backed by Arrow: at 10^4 documents the fct_amount frame (3.8
    million rows) loads in 0.9 s instead of 10 s as Python objects. Decimals arrive as text,
    never as float (the queries cast them)."""
    query = suite_query(name, lists)
    if parts > 1:
        query = f"select * from ({query}) where hash(document_id) % {parts} = {part}"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(query).to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)


def import_great_expectations() -> None:
    """Import Great Expectations, quietly and without analytics: about 5 s of a core, which a
    build spends in a thread while dbt runs in its own process (`pipeline.build.build_marts`),
    so that `validate` finds it loaded. Python's import lock makes a second import wait for
    the first to finish."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations  # noqa: F401  # slow: imported only by the builds that validate


@progress.timed("expectations")
def validate(warehouse: Path, gx_root: Path, lists: Mapping[str, Path] | None = None,
             rows_per_part: int = ROWS_PER_PART) -> ValidationOutcome:
    """Run every suite on frames read from `warehouse`, render Data Docs under `gx_root`, and
    store the results in the warehouse's `expectation_results` table. With `lists` (the
    documents an incremental build recomputed), the suites with a slice check its rows only.
    A suite's frame larger than `rows_per_part` is validated in parts (`part_count`)."""
    import_great_expectations()
    import great_expectations as gx  # loaded by import_great_expectations, maybe in another thread

    gx_root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas("warehouse")
    definitions = []
    for name, (_, build_expectations) in SUITES.items():
        suite = context.suites.add_or_update(gx.ExpectationSuite(name=name))
        for expectation in build_expectations(gx):
            suite.add_expectation(expectation)
        suite.save()
        try:
            asset = source.get_asset(name)
        except LookupError:
            asset = source.add_dataframe_asset(name)
        try:
            batch = asset.get_batch_definition("all")
        except (KeyError, LookupError):
            batch = asset.add_batch_definition_whole_dataframe("all")
        definitions.append(
            context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
        )
    results: list[SuiteResult] = []
    for number, definition in enumerate(definitions, 1):
        started = time.monotonic()
        parts = part_count(warehouse, definition.name, lists, rows_per_part)
        checkpoint = None
        runs: list[list[Any]] = []
        for part in range(parts):
            frame = read_frame(warehouse, definition.name, lists, part, parts)
            if checkpoint is None:
                traced = "document_id" in frame.columns
                checkpoint = context.checkpoints.add_or_update(
                    gx.Checkpoint(
                        name=f"{definition.name}_checkpoint",
                        validation_definitions=[definition],
                        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
                        result_format=({"result_format": "COMPLETE", "unexpected_index_column_names": ["document_id"]}
                                       if traced else {"result_format": "SUMMARY"}),
                    )
                )
            run = checkpoint.run(batch_parameters={"dataframe": frame})
            del frame  # one part's frame in memory at a time
            runs.extend(list(validation.results) for validation in run.run_results.values())
        suite_result = _merged(definition.name, runs)
        results.append(suite_result)
        print(f"  suite {number}/{len(definitions)} {definition.name}: "
              f"{suite_result.evaluated - len(suite_result.failures)}/{suite_result.evaluated} passed "
              + (f"in {parts} parts " if parts > 1 else "")
              + f"in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    # our own page, readable offline; GX's Data Docs (under gx/uncommitted) fetch their styles from CDNs
    outcome = ValidationOutcome(results, report.write(results, warehouse, gx_root / "data_docs.html", REPORTING_SUITES))
    _store(warehouse, outcome)
    return outcome


def _merged(suite: str, runs: list[list[Any]]) -> SuiteResult:
    """One suite's result from its runs over the parts of its frame: an expectation holds when
    it holds on every part, and its failure names the documents of every part's unexpected rows."""
    merged = SuiteResult(suite, True)
    for position, first in enumerate(runs[0]):
        merged.evaluated += 1
        if first.expectation_config is None:
            merged.success = merged.success and all(run[position].success for run in runs)
            continue
        kwargs = first.expectation_config.kwargs
        entry = {
            "expectation": first.expectation_config.type,
            "column": kwargs.get("column") or ", ".join(str(v) for k, v in kwargs.items() if k.startswith("column_")),
            "rule_id": (first.expectation_config.meta or {}).get("rule_id"),
        }
        failed = [run[position] for run in runs if not run[position].success]
        shown = failed[0] if failed else first
        entry["detail"] = _detail(shown)
        merged.expectations.append({**entry, "success": not failed})
        if failed:
            merged.success = False
            documents: dict[str, list[str]] = {}
            for r in failed:
                for document_id, values in _documents_of(r.result).items():
                    documents.setdefault(document_id, []).extend(values)
            merged.failures.append({**entry, "documents": documents})
    return merged


def _detail(result: Any) -> str:
    """An expectation's result without its row indexes, or the error that stopped it (GX
    catches it and returns an empty result)."""
    detail = {k: v for k, v in result.result.items() if "index" not in k}
    info = result.exception_info or {}
    raised = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    errors = [e.get("exception_message") for e in raised if e.get("raised_exception")]
    if errors:
        detail["error"] = "; ".join(str(e) for e in errors)
    return json.dumps(detail, default=str, ensure_ascii=False)[:300]


def _documents_of(result: dict[str, Any]) -> dict[str, list[str]]:
    """The documents of an expectation's unexpected rows, with the offending values."""
    documents: dict[str, list[str]] = {}
    for row in result.get("unexpected_index_list") or []:
        if isinstance(row, dict) and row.get("document_id") is not None:
            values = ", ".join(f"{k}={v}" for k, v in row.items() if k != "document_id")
            documents.setdefault(str(row["document_id"]), []).append(values)
    return documents


def _store(warehouse: Path, outcome: ValidationOutcome) -> None:
    rows = [
        {
            "suite": r.suite,
            "success": r.success,
            "evaluated": r.evaluated,
            "failed": len(r.failures),
            "failures": json.dumps(r.failures, ensure_ascii=False),
        }
        for r in outcome.results
    ]
    frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan below
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create or replace table expectation_results as select * from frame")
        for statement in EXPECTATION_RESULTS_COMMENTS:
            con.execute(statement)
        con.execute("checkpoint")
