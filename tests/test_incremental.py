"""Incremental builds through the real command: unchanged documents are not read again, a
removed one leaves, a file whose new version fails keeps its previous good version."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.conftest import RAW, REPO


def build(raw: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["make", "build", f"RAW={raw}", f"WAREHOUSE={warehouse}"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_unchanged_removed_and_failed_replacement(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    first = query(warehouse, "select value_id, amount from fct_amount order by value_id")

    build(raw, warehouse)
    outcomes = dict(query(warehouse, "select source_file, run_outcome from run_report"))
    assert set(outcomes.values()) == {"unchanged"}
    assert query(warehouse, "select value_id, amount from fct_amount order by value_id") == first

    (raw / "001_eeff97a73e190905.txt").unlink()
    (raw / "003_677d73456c6808b7.txt").write_text("损坏的文件\n", encoding="utf-8")
    build(raw, warehouse)
    report = {r[0]: r[1:] for r in query(warehouse, "select source_file, run_outcome, reason from run_report")}
    assert report["001_eeff97a73e190905.txt"][0] == "removed"
    assert report["003_677d73456c6808b7.txt"][0] == "rejected"
    assert "previous version" in report["003_677d73456c6808b7.txt"][1]
    issuers = {r[0] for r in query(warehouse, "select issuer_name from dim_document")}
    assert "临夏市医疗保障局" not in issuers
    assert "勉县医疗保险基金管理中心" in issuers  # nothing lost


def test_an_entry_that_is_not_a_readable_file_is_reported_not_fatal(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "dangling.pdf").symlink_to(tmp_path / "nowhere.pdf")
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    report = {r[0]: r[1:] for r in query(warehouse, "select source_file, run_outcome, reason_code from run_report")}
    assert report["dangling.pdf"] == ("rejected", "not_a_file")
    assert sum(outcome == "landed" for outcome, _ in report.values()) == 4
