from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


def seed(name: str) -> Path:
    """One of the four reference documents shipped in data/raw/."""
    matches = sorted(RAW.glob(f"{name}*"))
    assert matches, f"reference document {name} missing from {RAW}"
    return matches[0]


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "documents").is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS} (only on development machines)")
    return CORPUS
