"""`make build ENGINE=ray`: the documents read as Ray tasks give the warehouse the local
engine gives, and on a real cluster they are read on more than one node."""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CORPUS, RAW, REPO

pytest.importorskip("ray", reason="the ray extra is not installed (make test installs it)")

# two of the published PDFs tests/conftest.py names, read beside data/raw/ when the corpus is here
CORPUS_SAMPLE = (
    "zxj6827111-blip__GovBudgetChecker/tmp/doc_check/unit_budget.pdf",
    "calinchow-del__renwu/预算数据/017_福州/2026年福州市医疗保障局部门预算.pdf",
)


def _build(raw: Path, warehouse: Path, engine: str, env: dict[str, str] | None = None) -> None:
    command = ["make", "build", f"RAW={raw}", f"WAREHOUSE={warehouse}", f"ENGINE={engine}"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main' "
        "order by table_name", [catalog]).fetchall()]


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per table of `main`: rows only in the left warehouse, rows only in the right."""
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        assert _tables(con, "l") == _tables(con, "r")
        out = {}
        for table in _tables(con, "l"):
            only_left = con.execute(f"select count(*) from (from l.main.{table} except all from r.main.{table})").fetchone()
            only_right = con.execute(f"select count(*) from (from r.main.{table} except all from l.main.{table})").fetchone()
            rows = con.execute(f"select count(*) from l.main.{table}").fetchone()
            assert rows is not None and only_left is not None and only_right is not None
            out[table] = (only_left[0], only_right[0], rows[0])
        return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("engines") / "raw"
    shutil.copytree(RAW, raw)
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4 not really")  # rejected by both engines alike
    if (CORPUS / "documents").is_dir():
        for name in CORPUS_SAMPLE:
            shutil.copy2(CORPUS / "documents" / name, raw / Path(name).name)
    return raw


def test_the_ray_build_equals_the_local_build(inputs, tmp_path):
    _build(inputs, tmp_path / "local" / "warehouse.duckdb", "local")
    _build(inputs, tmp_path / "ray" / "warehouse.duckdb", "ray")
    differences = _differences(tmp_path / "local" / "warehouse.duckdb", tmp_path / "ray" / "warehouse.duckdb")
    assert differences["fct_amount"][2] > 1000  # the comparison is over real content
    assert {t: d for t, d in differences.items() if d[:2] != (0, 0)} == {}
    with (tmp_path / "ray" / "warehouse.workers.csv").open(encoding="utf-8") as log:
        rows = list(csv.DictReader(log))
    assert {r["engine"] for r in rows} == {"ray"} and len(rows) == len(list(inputs.iterdir()))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ray_node(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """`ray start … --block`: the node lives as long as this process, which the test stops.
    Every node of this machine listens on loopback, on ports of its own."""
    ray = Path(sys.executable).with_name("ray")
    ports = [f"--{name}={_free_port()}" for name in (
        "node-manager-port", "object-manager-port", "metrics-export-port", "runtime-env-agent-port",
        "dashboard-agent-listen-port", "dashboard-agent-grpc-port")]
    return subprocess.Popen([str(ray), "start", "--block", "--num-cpus=1", "--disable-usage-stats",
                             "--node-ip-address=127.0.0.1", *ports, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, **env})


def _wait_for_nodes(address: str, count: int, env: dict[str, str]) -> None:
    probe = ("import ray, sys; ray.init(address=sys.argv[1], logging_level='ERROR'); "
             "print(sum(1 for n in ray.nodes() if n['Alive']))")
    deadline = time.monotonic() + 300  # three nodes start slowly on a loaded 2-core machine
    while time.monotonic() < deadline:
        result = subprocess.run([sys.executable, "-c", probe, address], capture_output=True, text=True,
                                check=False, env={**os.environ, **env})
        if result.returncode == 0 and result.stdout.strip().isdigit() and int(result.stdout.strip()) >= count:
            return
        time.sleep(2)
    raise AssertionError(f"the cluster at {address} did not reach {count} nodes")


@pytest.fixture
def cluster():
    """A head and two worker nodes, one CPU each, on this machine, with a token of their
    own (Ray's token authentication); stopped at the end. Yields what a driver needs."""
    port = _free_port()
    env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    nodes = [_ray_node(env, "--head", f"--port={port}", "--include-dashboard=false")]
    try:
        time.sleep(5)
        nodes += [_ray_node(env, f"--address=127.0.0.1:{port}") for _ in range(2)]
        try:
            _wait_for_nodes(f"127.0.0.1:{port}", 3, env)
        except AssertionError as failure:
            # seen in a full run on a loaded 2-core machine, never when run alone: the cluster,
            # not the build, could not be had; say so rather than fail the engine's test
            pytest.skip(f"a local Ray cluster of three nodes could not be started here: {failure}")
        yield {**env, "RAY_ADDRESS": f"127.0.0.1:{port}"}
    finally:
        for node in reversed(nodes):  # each `ray start --block` stops what it started
            node.send_signal(signal.SIGTERM)
        for node in nodes:
            try:
                node.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(node.pid, signal.SIGKILL)
                node.wait()


def test_a_cluster_reads_documents_on_more_than_one_node(cluster, tmp_path):
    from pipeline.bench import generate_corpus

    raw = tmp_path / "raw"
    generate_corpus(raw, 9)
    warehouse = tmp_path / "warehouse.duckdb"
    _build(raw, warehouse, "ray", cluster)
    with (tmp_path / "warehouse.workers.csv").open(encoding="utf-8") as log:
        rows = list(csv.DictReader(log))
    assert len(rows) == 9 and all(r["result"] == "read" for r in rows)
    nodes = {r["worker"].split(" node ")[1].split()[0] for r in rows}
    assert len(nodes) >= 2, rows
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from dim_document").fetchone() == (9,)
