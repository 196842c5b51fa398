"""Each reader reads its golden pages as it did when their CSV was last reviewed
(tests/golden.py; regenerate with `make golden`, review with `git diff tests/golden`)."""

from __future__ import annotations

import difflib

import pytest

from tests.golden import (
    CASES,
    LANDED_CASES,
    Case,
    LandedCase,
    actual,
    actual_values,
    expected,
    reading_statuses,
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.reader)
def test_reader_reads_its_golden_pages_as_reviewed(case: Case, tmp_path):
    want = expected(case)
    assert want, f"no golden files for {case.reader}: run `make golden` and review them"
    got = actual(case, tmp_path)
    if got is None:
        pytest.skip(f"{case.source} is not present (the shared corpus is only on development machines)")
    assert sorted(got) == sorted(want), f"{case.reader} reads {len(got)} tables, the golden files hold {len(want)}"
    for name in sorted(want):
        diff = "\n".join(difflib.unified_diff(
            want[name].splitlines(), got[name].splitlines(), f"golden/{case.reader}/{name}", "read now", lineterm=""))
        assert not diff, f"{case.reader} reads {name} differently (if meant: `make golden`, review the diff):\n{diff}"


@pytest.mark.parametrize("case", LANDED_CASES, ids=lambda c: c.name)
def test_interpreters_land_their_golden_pages_as_reviewed(case: LandedCase):
    want = expected(case)
    assert want, f"no golden files for {case.name}: run `make golden` and review them"
    got = actual_values(case)
    if got is None:
        pytest.skip(f"{case.source} is not present (the shared corpus is only on development machines)")
    assert sorted(got) == sorted(want), f"{case.name}: {len(got)} tables on pages {case.pages}, golden {len(want)}"
    for name in sorted(want):
        diff = "\n".join(difflib.unified_diff(
            want[name].splitlines(), got[name].splitlines(), f"golden/{case.name}/{name}", "landed now", lineterm=""))
        assert not diff, f"{case.name} lands {name} differently (if meant: `make golden`, review the diff):\n{diff}"


@pytest.mark.parametrize("case", [c for c in LANDED_CASES if c.confirmed], ids=lambda c: c.name)
def test_golden_pages_are_read_as_their_own_sums_confirm(case: LandedCase):
    """A golden page of an error pattern is read right, and the table's own totals say so."""
    statuses = reading_statuses(case)
    if statuses is None:
        pytest.skip(f"{case.source} is not present (the shared corpus is only on development machines)")
    assert {t: statuses.get(t) for t in case.confirmed} == dict.fromkeys(case.confirmed, "confirmed")
