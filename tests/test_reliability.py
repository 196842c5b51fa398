"""One document never stops the nightly, with real processes, real dbt and real files:
a folder of inputs as users have them publishes; a document whose data breaks a check is
quarantined and the rest published; one build at a time; a killed build leaves no process;
a full disk gives one clear line; two builds of the same inputs give the same warehouse."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import RAW, REPO

FIXTURES = Path(__file__).parent / "fixtures"
LAN = FIXTURES / "lan_budget_2024.txt"


def build_command(raw: Path, warehouse: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.build", "--raw", str(raw), "--warehouse", str(warehouse), *extra]


def run_build(raw: Path, warehouse: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(build_command(raw, warehouse, *extra), cwd=REPO, capture_output=True, text=True,
                          check=False)


def report(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select source_file, run_outcome, reason_code, reason, input_format, warnings"
                           " from run_report").fetchall()
    return {r[0]: r[1:] for r in rows}


def lan_variant(issuer: str, **replace: str) -> str:
    text = LAN.read_text("utf-8").replace("岚县医疗保险服务中心", issuer)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


# --- a folder of inputs as users have them ---------------------------------------------------

@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    base = tmp_path_factory.mktemp("messy")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    os.rename(raw / "004_c9d9658e9d72202a.txt", raw / ".004_hidden.txt")  # a hidden disclosure
    (raw / "gbk.txt").write_bytes(lan_variant("岚县社会保险中心").encode("gbk"))
    (raw / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + lan_variant("岚县就业服务中心").encode("utf-16-le"))
    (raw / "huge.txt").write_text(lan_variant("岚县医疗救助中心", **{"522.30": "1" + "0" * 30 + ".00"}), "utf-8")
    # a document whose data breaks a check of the warehouse (a year no publication can have)
    (raw / "year2099.txt").write_text(lan_variant("岚县残疾人服务中心", **{"2024": "2099"}), "utf-8")
    (raw / "name\nwith newline.txt").write_text(lan_variant("岚县老龄服务中心"), "utf-8")
    os.mkfifo(raw / "fifo.pdf")
    outside = base / "outside.txt"
    outside.write_text(lan_variant("岚县外部单位"), "utf-8")
    (raw / "link-out.txt").symlink_to(outside)
    warehouse = base / "out" / "w.duckdb"
    result = run_build(raw, warehouse)
    return raw, warehouse, result


def test_a_messy_folder_publishes_and_reports_every_entry(messy):
    raw, warehouse, result = messy
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = report(warehouse)
    outcomes = {name: row[0] for name, row in rows.items()}
    assert outcomes == {
        "000_db5ffb44797d3fb7.txt": "landed",
        "001_eeff97a73e190905.txt": "landed",
        "003_677d73456c6808b7.txt": "landed",
        ".004_hidden.txt": "landed",
        "gbk.txt": "landed",
        "utf16.txt": "landed",
        "huge.txt": "landed",
        "name\nwith newline.txt": "landed",
        "year2099.txt": "quarantined",
        "fifo.pdf": "rejected",
        "link-out.txt": "rejected",
    }
    assert rows["gbk.txt"][3] == "text gb18030"
    assert rows["utf16.txt"][3] == "text utf-16"
    assert rows["link-out.txt"][1] == "outside_input_folder"
    assert "FIFO" in rows["fifo.pdf"][2]
    assert "value_out_of_range" in rows["huge.txt"][4]
    # the summary keeps one line per entry: the newline in a name is escaped
    assert "name\\nwith newline.txt" in result.stdout + result.stderr


def test_a_document_breaking_a_check_is_quarantined_and_the_rest_published(messy):
    _, warehouse, _ = messy
    rows = report(warehouse)
    outcome, code, reason = rows["year2099.txt"][:3]
    assert (outcome, code) == ("quarantined", "failed_check")
    assert "assert_fiscal_years_are_plausible" in reason and "2099" in reason
    with duckdb.connect(str(warehouse), read_only=True) as con:
        issuers = {r[0] for r in con.execute("select issuer_name from dim_document").fetchall()}
        assert "岚县残疾人服务中心" not in issuers  # left out of the marts
        assert {"岚县社会保险中心", "岚县就业服务中心", "岚县医疗救助中心", "岚县老龄服务中心"} <= issuers
        huge = con.execute("select amount, raw_text, value_warning from fct_amount"
                           " where raw_text like '1000000000%'").fetchall()
        assert huge == [(None, "1" + "0" * 30 + ".00", "value_out_of_range")]
        finding = con.execute("select outcome from identity_results"
                              " where identity_id = 'values_fit_the_warehouse'").fetchall()
        assert finding == [("violated",)]


def test_the_published_file_holds_no_path_of_the_build_machine(messy):
    raw, warehouse, _ = messy
    with duckdb.connect(str(warehouse), read_only=True) as con:
        views = con.execute("select sql from duckdb_views() where not internal").fetchall()
        reasons = con.execute("select string_agg(coalesce(reason, ''), ' ') from run_report").fetchall()[0][0]
        files = con.execute("select string_agg(source_file, ' ') from dim_document").fetchall()[0][0]
    assert not any(str(raw.parent) in sql for (sql,) in views)
    assert str(raw.parent) not in reasons and str(raw.parent) not in files


def test_an_unchanged_quarantined_document_stays_quarantined_and_warnings_are_kept(messy, tmp_path):
    raw, warehouse, _ = messy
    result = run_build(raw, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nothing the marts depend on changed: run report updated" in result.stderr  # dbt was not run again
    rows = report(warehouse)
    assert rows["year2099.txt"][0] == "quarantined"
    assert rows["huge.txt"][0] == "unchanged"
    assert "value_out_of_range" in rows["huge.txt"][4]  # warnings survive an unchanged build
    # the report came out as published: the file is neither copied nor written
    before = warehouse.stat()
    again = run_build(raw, warehouse)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing the marts depend on changed: run report unchanged" in again.stderr
    assert (warehouse.stat().st_ino, warehouse.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert report(warehouse) == rows


def test_a_file_changed_in_place_is_changed_not_removed(messy, tmp_path):
    raw, warehouse, _ = messy
    work = tmp_path / "raw"
    shutil.copytree(raw, work, symlinks=True, ignore=lambda d, names: [n for n in names if n == "fifo.pdf"])
    target = tmp_path / "w.duckdb"
    shutil.copy(warehouse, target)
    shutil.copytree(warehouse.with_name("w.landing"), tmp_path / "w.landing")
    changed = work / "gbk.txt"
    changed.write_bytes(changed.read_bytes() + "\n补充说明。\n".encode("gbk"))
    result = run_build(work, target)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = report(target)
    assert rows["gbk.txt"][:2] == ("landed", "changed")
    assert "removed" not in {row[0] for row in rows.values()}


# --- one build at a time; builds of the same inputs agree ------------------------------------

def _holder(lock: Path) -> dict:
    try:
        return json.loads(lock.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def test_a_second_build_refuses_while_the_first_runs_and_builds_agree(built, tmp_path):
    first_warehouse = built[0]
    raw = first_warehouse.parent.parent / "raw"  # the inputs of the session's build
    warehouse = tmp_path / "w.duckdb"
    lock = warehouse.with_name("w.duckdb.lock")
    first = subprocess.Popen(build_command(raw, warehouse), cwd=REPO, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _holder(lock).get("pid") != first.pid and time.monotonic() < deadline:
        time.sleep(0.05)
    second = run_build(raw, warehouse)
    assert second.returncode == 75
    assert f"another build (pid {first.pid}" in second.stderr
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err[-3000:]
    # two builds of the same inputs (conflicting names among them) give identical tables
    with duckdb.connect(str(first_warehouse), read_only=True) as a, duckdb.connect(str(warehouse), read_only=True) as b:
        assert a.execute("select count(*) from dim_economic_subject where has_name_conflict").fetchall()[0][0] > 0
        tables = [t for (t,) in a.execute("select table_name from duckdb_tables() where schema_name = 'main'"
                                          " order by 1").fetchall()]
        assert tables == [t for (t,) in b.execute("select table_name from duckdb_tables() where schema_name = 'main'"
                                                  " order by 1").fetchall()]
        differing = [t for t in tables
                     if a.execute(f"select * from main.{t} order by all").fetchall()
                     != b.execute(f"select * from main.{t} order by all").fetchall()]
    assert differing == []


def test_a_lock_left_by_a_killed_build_is_taken_over(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    lock = warehouse.with_name("w.duckdb.lock")
    lock.write_text(json.dumps({"pid": 999999, "host": "x", "started": "2026-01-01 02:15:00"}))
    building = warehouse.with_name(".w.duckdb.building")
    building.write_bytes(b"left by a killed build")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "lan.txt").write_text(LAN.read_text("utf-8"), "utf-8")
    result = run_build(raw, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "previous build (pid 999999" in result.stderr
    assert not building.exists() and warehouse.exists()


# --- a killed build leaves nothing running ---------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
def test_a_build_killed_during_reading_and_during_dbt_leaves_no_process(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(12):  # enough documents that workers are running when the build is killed
        (raw / f"lan{n:02d}.txt").write_text(lan_variant(f"岚县第{n}服务中心"), "utf-8")
    warehouse = tmp_path / "w.duckdb"
    for moment in ("reading", "dbt"):
        build = subprocess.Popen(build_command(raw, warehouse, "--workers", "1"), cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen: set[int] = set()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and build.poll() is None:
            children = _descendants(build.pid)
            seen |= children
            if moment == "reading" and children:
                break  # a document's worker is reading
            if moment == "dbt" and any("dbt" in _cmdline(p) for p in children):
                time.sleep(1.0)  # dbt is building models
                seen |= _descendants(build.pid)
                break
            time.sleep(0.005)
        assert build.poll() is None and seen, f"the build finished before it could be killed ({moment})"
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 20
        while _alive(seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _alive(seen) == set(), [_cmdline(p) for p in _alive(seen)]
    result = run_build(raw, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "did not finish" in result.stderr
    assert not warehouse.with_name(".w.duckdb.building").exists()


# --- a full disk -------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_gives_one_clear_line_and_keeps_the_warehouse(small_disk, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    warehouse = small_disk / "w.duckdb"
    first = run_build(raw, warehouse)
    assert first.returncode == 0, first.stderr[-3000:]
    before = warehouse.read_bytes()
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    with filler.open("wb") as f:  # leave less room than a new warehouse needs
        f.write(b"\0" * max(0, free - 2 * 1024 * 1024))
    (raw / "lan.txt").write_text(LAN.read_text("utf-8"), "utf-8")
    result = run_build(raw, warehouse)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "no space left on device" in line.lower()]
    assert len(lines) == 1 and "published warehouse is unchanged" in lines[0], result.stderr[-3000:]
    # one added document is an incremental build: refused before copying, with the sizes
    assert "needs" in lines[0] and "GiB free beside it" in lines[0], lines[0]
    assert result.stderr.count("Traceback") == 0
    assert len(result.stderr.splitlines()) < 40
    assert warehouse.read_bytes() == before
    assert not warehouse.with_name(".w.duckdb.building").exists()


def test_an_incremental_build_is_refused_before_copying_when_the_copy_would_not_fit(tmp_path):
    from pipeline.build import COPY_HEADROOM, ensure_room_to_copy

    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(b"\0" * 1_000_000)
    ensure_room_to_copy(warehouse, int(1_000_000 * COPY_HEADROOM) + 1)  # room: nothing raised
    with pytest.raises(OSError) as refused:
        ensure_room_to_copy(warehouse, 1_000_000)  # the copy fits, what dbt adds does not
    assert refused.value.errno == errno.ENOSPC and refused.value.filename == str(tmp_path)
    assert re.search(r"needs [\d.]+ GiB free beside it, [\d.]+ GiB are", str(refused.value))
