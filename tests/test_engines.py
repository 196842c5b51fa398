"""The engines behind `pipeline.engines.run`: the Ray engine keeps the local engine's
limits and containment (its tests mirror tests/test_workers.py on a real local Ray)."""

import time

import pytest

from pipeline import engines, workers
from tests.test_workers import broken, double, hungry, sleepy

ray = pytest.importorskip("ray", reason="the ray extra is not installed (make test installs it)")


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray instance for these tests (the engine leaves an instance it did not
    start running)."""
    ray.init(address="local", num_cpus=2, include_dashboard=False)
    yield
    ray.shutdown()


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        engines.run(double, [1], workers.Limits(), "spark")


def test_the_local_engine_says_which_process_read_each_item():
    outcomes = list(engines.run(double, [1, 2, 3], workers.Limits(workers=2), "local"))
    assert sorted(o.result for o in outcomes) == [2, 4, 6]
    assert all(o.worker and "pid" in o.worker for o in outcomes)


def test_ray_results_come_back_for_every_item(local_ray):
    outcomes = list(engines.run(double, [1, 2, 3, 4, 5], workers.Limits(workers=2), "ray"))
    assert sorted((o.item, o.result) for o in outcomes) == [(1, 2), (2, 4), (3, 6), (4, 8), (5, 10)]
    assert all(o.worker and "node" in o.worker for o in outcomes)


def test_ray_stops_a_document_over_its_time_limit_and_the_others_go_on(local_ray):
    started = time.monotonic()
    outcomes = {o.item: o for o in engines.run(sleepy, [60.0, 0.1], workers.Limits(seconds=5.0, workers=2), "ray")}
    assert time.monotonic() - started < 30
    assert outcomes[0.1].result == 0.1
    error = outcomes[60.0].error
    assert isinstance(error, workers.WorkerFailed) and error.reason_code == "time_limit"


def test_ray_stops_a_document_over_its_memory_limit_and_its_worker_reads_on(local_ray):
    outcomes = {o.item: o for o in engines.run(hungry, [2048, 16], workers.Limits(memory_mb=512, workers=1), "ray")}
    error = outcomes[2048].error
    assert isinstance(error, workers.WorkerFailed) and error.reason_code == "memory_limit"
    assert outcomes[16].result == 16 * 1024 * 1024  # the cap was lifted after the document


def test_ray_returns_an_exception_with_its_type(local_ray):
    outcomes = list(engines.run(broken, [1], workers.Limits(workers=1), "ray"))
    assert isinstance(outcomes[0].error, ValueError) and "bad table" in str(outcomes[0].error)


def test_ray_refuses_a_limit_below_what_any_document_needs():
    with pytest.raises(ValueError, match="below"):
        list(engines.run(double, [1], workers.Limits(memory_mb=8, workers=1), "ray"))


def test_the_default_build_does_not_load_ray():
    import subprocess
    import sys

    probe = "import sys, pipeline.build, pipeline.engines; print('ray' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
