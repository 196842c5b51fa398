"""`make build ENGINE=ray`: the documents read as Ray tasks give the warehouse the local
engine gives, and on a real cluster they are read on more than one node."""

from __future__ import annotations

import csv
import os
import random
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


# Ports for the test cluster's nodes: below the kernel's ephemeral range (32768-60999 here), so
# no outgoing connection takes one between choosing it and the node binding it (a raylet
# died of "bind: Address already in use" when the ports came from bind(0)), and above Ray's
# default worker ports (10002-19999), which other Ray instances on the machine use.
PORTS = range(20000, 32000)
PORTS_PER_NODE = 8 + 50  # the node's own ports, then a block for its worker processes
NODE_SECONDS = 120  # one node registering on a loaded 2-core machine (seconds when idle)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _port_block(taken: set[int]) -> list[int]:
    """PORTS_PER_NODE consecutive free ports no node of this cluster has (random start)."""
    while True:
        start = random.randrange(PORTS.start, PORTS.stop - PORTS_PER_NODE)
        block = list(range(start, start + PORTS_PER_NODE))
        if not taken.intersection(block) and all(_free(p) for p in block[:8]):
            taken.update(block)
            return block


def _ray_node(env: dict[str, str], ports: list[int], *args: str) -> subprocess.Popen[bytes]:
    """`ray start … --block`: the node lives as long as this process, which the test stops
    (and which exits if one of the node's processes dies). Every node of this machine listens
    on loopback, on ports of its own, with one CPU and a small object store (the default
    reserves 30% of the machine's memory per node)."""
    ray = Path(sys.executable).with_name("ray")
    named = [f"--{name}={port}" for name, port in zip((
        "node-manager-port", "object-manager-port", "metrics-export-port", "runtime-env-agent-port",
        "dashboard-agent-listen-port", "dashboard-agent-grpc-port"), ports, strict=False)]
    workers = [f"--min-worker-port={ports[8]}", f"--max-worker-port={ports[-1]}"]
    return subprocess.Popen([str(ray), "start", "--block", "--num-cpus=1", "--disable-usage-stats",
                             f"--object-store-memory={100 * 1024 * 1024}",
                             "--node-ip-address=127.0.0.1", *named, *workers, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, **env})


# one driver per wait, polling the cluster's node list (a driver started every poll costs
# seconds of CPU on a loaded machine)
_PROBE = """
import sys, time, ray
ray.init(address=sys.argv[1], logging_level="ERROR")
deadline = time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    alive = sum(1 for n in ray.nodes() if n["Alive"])
    if alive >= int(sys.argv[2]):
        print(alive)
        break
    time.sleep(1)
"""


def _wait_for_nodes(address: str, count: int, env: dict[str, str], node: subprocess.Popen[bytes]) -> str | None:
    """None once the cluster has `count` live nodes, else why not: the node's process exited
    (a port, a crash) or the time ran out."""
    probe = subprocess.Popen([sys.executable, "-c", _PROBE, address, str(count), str(NODE_SECONDS)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, **env})
    try:
        deadline = time.monotonic() + NODE_SECONDS + 60  # the probe's own start counts too
        while time.monotonic() < deadline:
            if node.poll() is not None:
                return f"the node's `ray start` exited with {node.returncode}"
            if probe.poll() is not None:
                out = probe.stdout.read().strip() if probe.stdout else ""
                return None if out.isdigit() and int(out) >= count else f"not {count} nodes after {NODE_SECONDS} s"
            time.sleep(1)
        return f"no answer from the cluster at {address} within {NODE_SECONDS + 60} s"
    finally:
        if probe.poll() is None:
            probe.kill()
        probe.wait()


def _stop(node: subprocess.Popen[bytes]) -> None:
    if node.poll() is None:
        node.send_signal(signal.SIGTERM)  # `ray start --block` stops what it started
        try:
            node.wait(timeout=60)
            return
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(node.pid, signal.SIGKILL)  # the node's processes are in its own session
    except ProcessLookupError:
        pass
    node.wait()


@pytest.fixture
def cluster():
    """A head and two worker nodes, one CPU each, on this machine, with a token of their
    own (Ray's token authentication); stopped at the end. Nodes start one at a time, each
    waiting for the cluster to count it; a node whose `ray start` dies is started again on
    other ports (three tries). Yields what a driver needs."""
    env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    taken: set[int] = set()
    nodes: list[subprocess.Popen[bytes]] = []
    address = ""
    try:
        for index in range(3):
            failures = []
            for _attempt in range(3):
                ports = _port_block(taken)
                if index == 0:
                    address = f"127.0.0.1:{ports[6]}"
                    args = ["--head", f"--port={ports[6]}", "--include-dashboard=false"]
                else:
                    args = [f"--address={address}"]
                node = _ray_node(env, ports, *args)
                problem = _wait_for_nodes(address, index + 1, env, node)
                if problem is None:
                    nodes.append(node)
                    break
                _stop(node)
                failures.append(problem)
            else:
                # the cluster, not the build, could not be had on this machine: say so and why
                pytest.skip(f"node {index + 1} of a local Ray cluster did not start: {'; '.join(failures)}")
        yield {**env, "RAY_ADDRESS": address}
    finally:
        for node in reversed(nodes):
            _stop(node)


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
