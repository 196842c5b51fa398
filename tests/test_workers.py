import time

from pipeline import workers


def double(x: int) -> int:
    return 2 * x


def sleepy(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def hungry(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def broken(_: int) -> int:
    raise ValueError("bad table")


def test_results_come_back_for_every_item():
    outcomes = list(workers.run(double, [1, 2, 3, 4, 5], workers.Limits(workers=2)))
    assert sorted((o.item, o.result) for o in outcomes) == [(1, 2), (2, 4), (3, 6), (4, 8), (5, 10)]


def test_a_document_over_its_time_limit_is_stopped_and_the_others_go_on():
    started = time.monotonic()
    outcomes = {o.item: o for o in workers.run(sleepy, [30.0, 0.1], workers.Limits(seconds=1.0, workers=2))}
    assert time.monotonic() - started < 10
    assert outcomes[0.1].result == 0.1
    error = outcomes[30.0].error
    assert isinstance(error, workers.WorkerFailed) and error.reason_code == "time_limit"


def test_a_document_over_its_memory_limit_is_stopped():
    outcomes = list(workers.run(hungry, [2048], workers.Limits(memory_mb=512, workers=1)))
    error = outcomes[0].error
    assert isinstance(error, workers.WorkerFailed) and error.reason_code == "memory_limit"


def test_an_exception_comes_back_with_its_type():
    outcomes = list(workers.run(broken, [1], workers.Limits(workers=1)))
    assert isinstance(outcomes[0].error, ValueError) and "bad table" in str(outcomes[0].error)


def _read_pdf(path):
    from ingest.document import parse_document

    return len(parse_document(path).values)


def test_the_memory_limit_counts_what_the_worker_allocates(tmp_path):
    """A limit far below the build's own address space (Great Expectations, dbt, pdfium
    loaded) still reads a PDF: the limit is on what the worker allocates after the fork."""
    import great_expectations  # noqa: F401 - makes the parent as large as a real build

    from tests.conftest import seed
    from tests.reference_renderer import render

    pdf = render(seed("004").read_text("utf-8"), tmp_path / "rendering.pdf")
    outcome = next(workers.run(_read_pdf, [pdf], workers.Limits(memory_mb=200, workers=1)))
    assert outcome.error is None, outcome.error
    assert outcome.result > 100


def test_a_limit_below_what_any_document_needs_is_refused_up_front():
    import pytest

    with pytest.raises(ValueError, match="below"):
        list(workers.run(double, [1], workers.Limits(memory_mb=8, workers=1)))
