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


@pytest.fixture(scope="session")
def corpus_con(corpus, tmp_path_factory):
    """A read-only connection to the warehouse built from the shared corpus of published PDFs."""
    warehouse = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    make_build(corpus, warehouse)
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
