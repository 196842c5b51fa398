"""The Great Expectations suites on a real warehouse: a row that fails an expectation names its
document (the build quarantines it and publishes the rest), and the frames the suites read
carry decimals as text, never as float."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from expectations import suites


@pytest.fixture
def broken(built, tmp_path):
    """A copy of the built warehouse in which two values of one document are malformed, with
    the staging views the suites read (a published file keeps the landed rows in schema
    `landed`, not dbt's views); the broken document's id."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built[0], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema staging")
        for entity in ("values", "documents"):
            con.execute(f"create view staging.stg_landing__{entity} as select * from landed.{entity}")
        document = con.execute("select min(document_id) from fct_amount_history").fetchone()[0]
        con.execute("update fct_amount_history set raw_text = null, value_kind = 'bogus' where value_id in "
                    "(select value_id from fct_amount_history where document_id = ? order by value_id limit 2)",
                    [document])
    return warehouse, document


def test_a_row_failing_an_expectation_names_its_document(broken, tmp_path):
    warehouse, document = broken
    outcome = suites.validate(warehouse, tmp_path / "gx")
    assert not outcome.success
    failed = {(r.suite, f["expectation"], f["column"]) for r in outcome.checks for f in r.failures}
    assert failed == {("fct_amount", "expect_column_values_to_not_be_null", "raw_text"),
                      ("fct_amount", "expect_column_values_to_be_in_set", "value_kind")}
    blamed = outcome.documents_to_blame()
    assert set(blamed) == {document}
    checks = dict(blamed[document])
    assert len(checks) == 2
    assert checks["fct_amount: expect_column_values_to_be_in_set value_kind"] == ["value_kind=bogus"] * 2
    # the checks of the other suites ran and passed on the same warehouse
    assert {r.suite: r.success for r in outcome.checks if r.suite != "fct_amount"} == {
        "identity_results": True, "reconciliation": True}


def test_the_suites_frames_carry_decimals_as_text(broken):
    warehouse, _ = broken
    frame = suites.read_frame(warehouse, "identity_results", None)
    assert len(frame) > 0
    assert pd.api.types.is_string_dtype(frame["difference"]) and not pd.api.types.is_float_dtype(frame["difference"])
    assert frame["difference"].dropna().str.contains(".", regex=False).any()


def test_a_suite_validated_in_parts_finds_what_it_finds_whole(broken, tmp_path):
    """A frame too large for memory is validated in parts of whole documents: the failures, the
    documents they name, and a value_id printed twice within one document are the same as whole."""
    warehouse, document = broken
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into fct_amount_history select * from fct_amount_history where value_id = "
                    "(select max(value_id) from fct_amount_history where document_id = ?)", [document])
        rows = con.execute("select count(*) from fct_amount_history").fetchone()[0]
        documents = con.execute("select count(distinct document_id) from fct_amount_history").fetchone()[0]
    assert documents >= 3
    rows_per_part = rows // 3
    assert suites.part_count(warehouse, "fct_amount", None, rows_per_part) == 4
    whole = suites.validate(warehouse, tmp_path / "whole")
    parted = suites.validate(warehouse, tmp_path / "parts", rows_per_part=rows_per_part)

    def failures(outcome):
        return {(r.suite, f["expectation"], f["column"]): {d: sorted(v) for d, v in f["documents"].items()}
                for r in outcome.checks for f in r.failures}

    assert failures(parted) == failures(whole)
    assert set(failures(parted)[("fct_amount", "expect_column_values_to_be_unique", "value_id")]) == {document}
    assert [(r.suite, r.success, r.evaluated) for r in parted.results] == [
        (r.suite, r.success, r.evaluated) for r in whole.results]
    # the parts are whole documents: together they are the frame, each row once
    frames = [suites.read_frame(warehouse, "fct_amount", None, part, 4) for part in range(4)]
    assert sum(len(f) for f in frames) == rows
    assert all(not set(a["document_id"]) & set(b["document_id"]) for i, a in enumerate(frames) for b in frames[i + 1:])
