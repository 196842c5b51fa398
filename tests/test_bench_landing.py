"""The generated landing of `make bench-scale LANDING=generated`: copies of the references'
landed rows under new ids, issuers and years, each with a stub input the build finds
unchanged (pipeline/bench_landing.py)."""

from __future__ import annotations

import duckdb

from ingest import PARSER_VERSION
from ingest.document import content_id
from ingest.landing import DOCUMENT_ENTITIES, LandingManifest
from pipeline import bench_landing
from tests.conftest import seed


def test_a_generated_landing_is_the_references_under_new_ids_issuers_and_years(tmp_path):
    references = [seed("000"), seed("001")]
    landed = bench_landing.land_references(references, tmp_path / "references")
    stubs = bench_landing.generate_landing(tmp_path / "references", landed, tmp_path / "landing", tmp_path / "raw", 24)
    manifest = LandingManifest.load(tmp_path / "landing")  # drops any document whose files are incomplete
    ids = [content_id(stub.read_bytes()) for stub in stubs]
    assert len(set(ids)) == 24 and all(manifest.is_current(doc, PARSER_VERSION) for doc in ids)
    old = [ref["document"]["document_id"] for ref in landed]
    with duckdb.connect() as con:
        for entity in DOCUMENT_ENTITIES:
            rows = con.execute(f"select * from read_parquet('{tmp_path}/landing/{entity}/*/*.parquet')").fetchall()
            reference_rows = con.execute(
                f"select count(*) from read_parquet('{tmp_path}/references/{entity}/*/*.parquet')").fetchone()
            assert reference_rows is not None and len(rows) == 12 * reference_rows[0]  # 12 copies of each
            assert not any(o in str(row) for row in rows for o in old)  # no reference id is left anywhere
        documents = con.execute(
            f"select document_id, source_file, issuer_name, fiscal_year from read_parquet('{tmp_path}/landing/documents/*/*.parquet') "
            "order by source_file").fetchall()
    assert [d[0] for d in documents] == ids and [d[1] for d in documents] == [s.name for s in stubs]
    first = landed[0]["document"]["issuer_name"]
    # copy m of a reference: issuer n = m // 10, year 2015 + m % 10 (each issuer ten consecutive years)
    assert documents[0][2:] == (f"{first}第0分部", 2015)
    assert documents[2][2:] == (f"{first}第0分部", 2016)
    assert documents[20][2:] == (f"{first}第1分部", 2015)
