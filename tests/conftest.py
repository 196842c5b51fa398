from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
README = REPO / "README.md"


def seed(name: str) -> Path:
    """One of the four reference documents shipped in data/raw/."""
    matches = sorted(RAW.glob(f"{name}*"))
    assert matches, f"reference document {name} missing from {RAW}"
    return matches[0]


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "documents").is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS} (only on development machines)")
    return CORPUS


def readme_questions() -> list[str]:
    """Every SQL block of the README, exactly as printed."""
    return re.findall(r"```sql\n(.*?)```", README.read_text("utf-8"), flags=re.S)


def readme_question(name: str) -> str:
    """The README's SQL block headed `-- question: <name>`, exactly as printed."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text("utf-8"), flags=re.S)
    found = [b for b in blocks if b.startswith(f"-- question: {name}\n")]
    assert len(found) == 1, f"README has {len(found)} queries headed '-- question: {name}'"
    return found[0]


def make_build(raw: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    """`make build` as the README gives it, into `warehouse`; the test fails if it does."""
    command = ["make", "build", f"RAW={raw}", f"WAREHOUSE={warehouse}"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The warehouse built from data/raw/ with bad inputs beside the good ones: each is
    reported, none stops the run."""
    base = tmp_path_factory.mktemp("build")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "saved-page.pdf").write_text("<!DOCTYPE html><html><body>404</body></html>")
    (raw / "notes.txt").write_text("会议纪要\n今天讨论了工作安排。\n", encoding="utf-8")
    shutil.copy(RAW / "000_db5ffb44797d3fb7.txt", raw / "copy-of-000.txt")
    warehouse = base / "out" / "warehouse.duckdb"
    return warehouse, make_build(raw, warehouse)


@pytest.fixture(scope="session")
def con(built):
    with duckdb.connect(str(built[0]), read_only=True) as connection:
        yield connection


# The published PDFs the corpus-based tests name, by their path under corpus/documents/: the
# warehouse those tests query is built from these alone (the whole corpus is `make eval`'s).
CORPUS_DOCUMENTS = (
    "ae86jack__open-budget/pdf_files/jszwfw/江苏省人大办公厅/江苏省人大办公厅2017年度预算公开.pdf",
    "ae86jack__open-budget/pdf_files/jszwfw/江苏省人大办公厅/省人大办公厅2018预算公开.pdf",
    "ae86jack__open-budget/pdf_files/jszwfw/江苏省人大办公厅/江苏省人大常委会办公厅2019年部门预算公开表.pdf",
    "zxj6827111-blip__GovBudgetChecker/X/上海市普陀区人民政府办公室25年预算.pdf",
    "zxj6827111-blip__GovBudgetChecker/X/上海市普陀区人民政府办公室单位25年预算.pdf",
    "zxj6827111-blip__GovBudgetChecker/tmp/doc_check/dept_budget.pdf",
    "zxj6827111-blip__GovBudgetChecker/tmp/doc_check/unit_budget.pdf",
    "calinchow-del__renwu/预算数据/014_无锡/2026年无锡市教育局部门预算.pdf",
    "calinchow-del__renwu/预算数据/014_无锡/教育局_2026年部门预算.pdf",
    "zxj6827111-blip__tianbaoxitong/上海市普陀区财政局部门25年预算.pdf",
    "zxj6827111-blip__GovBudgetChecker/samples/bad/中共上海市普陀区委社会工作部 2024 年度部门决算.pdf",
    "calinchow-del__renwu/预算数据/017_福州/2026年福州市医疗保障局部门预算.pdf",
    "calinchow-del__renwu/预算数据/025_烟台/2026年烟台市医疗保障局部门预算.pdf",
)


@pytest.fixture(scope="session")
def corpus_con(corpus, tmp_path_factory):
    """A read-only connection to the warehouse built from the published PDFs the tests name
    (`CORPUS_DOCUMENTS`), copied with their paths into a temporary input folder."""
    base = tmp_path_factory.mktemp("corpus")
    raw = base / "raw"
    for name in CORPUS_DOCUMENTS:
        source = corpus / "documents" / name
        assert source.exists(), f"{name} is missing from the shared corpus"
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, raw / name)
    warehouse = base / "corpus.duckdb"
    make_build(raw, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="session")
def planted_build(tmp_path_factory) -> tuple[Path, Path]:
    """岚县's 决算 with one finding of each document-level inspection rule planted
    (tests/inspector_fixtures.py), drawn as a PDF by the reference renderer, and the warehouse
    built from it: (raw folder, warehouse)."""
    from tests.inspector_fixtures import planted_document
    from tests.reference_renderer import render

    raw = tmp_path_factory.mktemp("planted")
    render(planted_document(seed("000").read_text("utf-8")), raw / "lan_planted.pdf")
    warehouse = raw.parent / "planted_out" / "warehouse.duckdb"
    make_build(raw, warehouse)
    return raw, warehouse
