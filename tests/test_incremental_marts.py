"""Incremental builds: after a document changes, the build starts from the published
warehouse and recomputes the by-document models for the documents whose landed files
changed, the by-issuer models for every document of their issuers, the by-year identities
for every document of their fiscal years, and the identity results and findings of those
(macros/incremental.sql); the result equals a full rebuild of the same inputs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from expectations import suites
from pipeline.build import REPO
from tests.conftest import make_build

# reports this run's inputs and outcomes ("landed", "unchanged"), which differ between a
# build that follows another and a first build by design; every other table must be equal
RUN_SPECIFIC = {("main", "run_report")}


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and table_schema in ('main', 'intermediate', 'reference') and table_type = 'BASE TABLE' "
        "order by all", [catalog]).fetchall()]


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: rows only in the left warehouse, rows only in the right, rows in the left."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        assert _tables(con, "l") == _tables(con, "r")
        out = {}
        for schema, table in _tables(con, "l"):
            if (schema, table) in RUN_SPECIFIC:
                continue
            counts = con.execute(
                f"select (select count(*) from (from l.{schema}.{table} except all from r.{schema}.{table})), "
                f"(select count(*) from (from r.{schema}.{table} except all from l.{schema}.{table})), "
                f"(select count(*) from l.{schema}.{table})").fetchone()
            assert counts is not None
            out[f"{schema}.{table}"] = counts
        return out


def test_a_build_after_a_change_recomputes_by_document_and_equals_a_full_build(built, tmp_path):
    published = built[0]
    raw = tmp_path / "raw"
    shutil.copytree(published.parent.parent / "raw", raw)
    out = tmp_path / "out"
    out.mkdir()
    # the published warehouse and its landing, as they are (modification times kept: they
    # are part of each landed document's signature)
    shutil.copy2(published, out / published.name)
    shutil.copytree(published.with_name(published.stem + ".landing"), out / (published.stem + ".landing"))
    changed = raw / "001_eeff97a73e190905.txt"
    changed.write_text(changed.read_text("utf-8") + "\n（修订）\n", "utf-8")
    (raw / "003_677d73456c6808b7.txt").rename(raw / "003-renamed.txt")  # same bytes, a new name
    (raw / "notes.txt").unlink()
    # a correction of 000 (same issuer, year, kind and scope, a later file): 000 itself is not
    # touched, but it is no longer current, so the models keyed by issuer must recompute it
    original = raw / "000_db5ffb44797d3fb7.txt"
    (raw / "000-corrected.txt").write_text(original.read_text("utf-8") + "\n（更正）\n", "utf-8")

    incremental = make_build(raw, out / published.name)
    assert "incremental: " in incremental.stderr, incremental.stderr[-3000:]
    with duckdb.connect(str(out / published.name), read_only=True) as con:
        touched = con.execute("select count(*) from build.landed_documents").fetchone()
        assert touched is not None and touched[0] >= 4
        assert con.execute("select count(*) from dim_document where source_file = '003-renamed.txt'").fetchone() == (1,)
        superseded = con.execute("select count(*) from dim_document where not is_current").fetchone()
        assert superseded is not None and superseded[0] >= 1
    # the dbt tests checked the touched documents' rows only (macros/test_slice.sql)
    compiled = out / f".{published.name}.building.dbt" / "target" / "compiled"
    assert any("touched" in path.read_text("utf-8") for path in compiled.rglob("unique_fct_amount_value_id*.sql"))
    # the identities read the documents they recompute, keyed by document, issuer or fiscal
    # year, and the results and findings recompute those applications only
    models = {path.stem: path.read_text("utf-8") for path in compiled.rglob("*.sql")}
    for model, listed in (("int_identity__children_sum_to_parent", "touched"),
                          ("int_identity__carry_over_between_years", "affected"),
                          ("int_identity__code_names_agree", "same-year"),
                          ("int_identity__department_equals_its_units", "same-year"),
                          ("identity_results_history", "affected"), ("identity_results", "same-year"),
                          ("findings", "affected")):
        assert f".{listed}.csv" in models[model], model

    fresh_raw = tmp_path / "fresh_raw"
    shutil.copytree(raw, fresh_raw)  # the same inputs, with their modification times
    full = make_build(fresh_raw, tmp_path / "full" / published.name)
    assert "incremental: " not in full.stderr

    differences = _differences(out / published.name, tmp_path / "full" / published.name)
    assert differences["intermediate.int_amounts_located"][2] > 1000  # the comparison is over real content
    assert differences["main.fct_amount"][2] > 1000
    assert {t: d for t, d in differences.items() if d[:2] != (0, 0)} == {}


def test_the_suites_slice_the_identities_keyed_by_year_as_the_models_do():
    """The identity_results suite checks the applications the build recomputed: its list of
    the identities keyed by fiscal year must be the macro's (macros/incremental.sql)."""
    macro = (REPO / "dbt_project" / "macros" / "incremental.sql").read_text("utf-8")
    listed = re.search(r"macro identities_by_year\(\).*?return\(\[(.*?)\]\)", macro, re.S)
    assert listed is not None
    assert tuple(re.findall(r"'([a-z_]+)'", listed.group(1))) == suites.IDENTITIES_BY_YEAR
    by_year = {path.stem.removeprefix("int_identity__")
               for path in (REPO / "dbt_project" / "models" / "intermediate").glob("int_identity__*.sql")
               if "by_year()" in path.read_text("utf-8")}
    assert by_year == set(suites.IDENTITIES_BY_YEAR)
