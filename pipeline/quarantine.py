"""Which documents broke a check of the warehouse.

After a failed `dbt build`, each failed data test is re-run from its compiled SQL against
the new warehouse and its failing rows are traced to the documents they came from:
- rows that carry a `document_id` name their documents directly;
- a generic test on a model's column (relationships, accepted_values, unique, not_null)
  returns the offending values, and the model's rows holding them name the documents.
A test whose failing rows cannot be traced to any document is the pipeline's own fault (an
invariant no document's data can break): the build stops. Great Expectations suites report
their unexpected rows the same way (`expectations.suites`).

Pure reading of dbt's artefacts and the warehouse; moving documents aside is the build's job.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

GENERIC_BY_VALUE = ("relationships", "accepted_values", "unique")
MAX_TRACED_ROWS = 100_000
MAX_SHOWN_VALUES = 5


@dataclass
class FailedCheck:
    """A failed test or expectation: its name, and per document the offending values."""

    name: str
    documents: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""

    @property
    def traced(self) -> bool:
        return bool(self.documents)

    def reason_for(self, document_id: str) -> str:
        values = self.documents.get(document_id, [])
        shown = ", ".join(values[:MAX_SHOWN_VALUES]) + (" …" if len(values) > MAX_SHOWN_VALUES else "")
        return f"its data fails the check {self.name}" + (f" (values: {shown})" if shown else "")


def failed_dbt_tests(target: Path, warehouse: Path) -> tuple[list[FailedCheck], list[str]]:
    """The failed data tests of the last `dbt build` whose artefacts are in `target`, traced
    to documents; and the names of failed nodes that are not tests (a model that did not
    build: never a document's fault)."""
    results_path, manifest_path = target / "run_results.json", target / "manifest.json"
    if not results_path.exists() or not manifest_path.exists():
        return [], ["dbt wrote no run results"]
    results = json.loads(results_path.read_text("utf-8"))["results"]
    nodes = json.loads(manifest_path.read_text("utf-8"))["nodes"]
    failed: list[FailedCheck] = []
    broken: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        catalog = con.execute("select current_database()").fetchall()[0][0]
        for result in results:
            if result["status"] not in ("fail", "error"):
                continue
            node = nodes.get(result["unique_id"], {})
            if node.get("resource_type") != "test" or result["status"] == "error" or not result.get("compiled_code"):
                broken.append(f"{result['unique_id']}: {result.get('message') or result['status']}")
                continue
            check = FailedCheck(node.get("name", result["unique_id"]), message=result.get("message") or "")
            model = nodes.get(node.get("attached_node") or "", {})
            sql = _in_catalog(result["compiled_code"], node.get("database"), catalog)
            relation = _in_catalog(model.get("relation_name") or "", model.get("database"), catalog)
            check.documents = _trace(con, sql, node, relation)
            failed.append(check)
    return failed, broken


def _in_catalog(sql: str, database: str | None, catalog: str) -> str:
    """dbt compiled its SQL against the catalog name of the file it built; the same file
    opened again may carry another name."""
    if database and database != catalog:
        return sql.replace(f'"{database}".', f'"{catalog}".')
    return sql


def _trace(con: duckdb.DuckDBPyConnection, sql: str, node: dict, relation: str) -> dict[str, list[str]]:
    rows = con.execute(f"select * from ({sql}) limit {MAX_TRACED_ROWS}")
    columns = [d[0] for d in rows.description]
    records = rows.fetchall()
    found: dict[str, list[str]] = defaultdict(list)
    if "document_id" in columns:
        at = columns.index("document_id")
        for record in records:
            if record[at] is not None:
                found[record[at]].append(", ".join(f"{c}={v}" for c, v in zip(columns, record, strict=True)
                                                   if c != "document_id"))
        return dict(found)
    test = (node.get("test_metadata") or {}).get("name")
    column = node.get("column_name")
    if not relation or not column or not _has_document_id(con, relation):
        return {}
    if test == "not_null":
        traced = con.execute(f"select distinct document_id, null from {relation} where {column} is null").fetchall()
    elif test in GENERIC_BY_VALUE and records:
        values = [r[0] for r in records]
        traced = con.execute(
            f"select distinct document_id, cast({column} as varchar) from {relation} "
            f"where {column} in (select unnest(?))", [values]).fetchall()
    else:
        return {}
    for document_id, value in traced:
        if document_id is not None:
            found[document_id].append(f"{column}={value}")
    return dict(found)


def _has_document_id(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    columns = [d[0] for d in con.execute(f"select * from {relation} limit 0").description]
    return "document_id" in columns


def blame(checks: list[FailedCheck]) -> dict[str, str]:
    """Per document, why it is quarantined (every check its data failed)."""
    reasons: dict[str, list[str]] = defaultdict(list)
    for check in checks:
        for document_id in check.documents:
            reasons[document_id].append(check.reason_for(document_id))
    return {d: "; ".join(r) for d, r in sorted(reasons.items())}
