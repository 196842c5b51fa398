"""The input folder as users have it: every entry gets one report row with a clear reason,
and nothing of the build machine's paths reaches the report."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.inputs import discover, printable, without_machine_paths


def _by_name(rows):
    return {r["source_file"]: (r["outcome"], r["reason_code"]) for r in rows}


def test_every_entry_is_read_or_reported(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / ".git").mkdir()
    (raw / ".git" / "config").write_text("x")
    (raw / "a.txt").write_text("a")
    (raw / ".hidden.txt").write_text("h")
    (raw / "sub" / "b.txt").write_text("b")
    (raw / "line\nbreak.txt").write_text("n")
    os.mkfifo(raw / "pipe.txt")
    outside = tmp_path / "outside.txt"
    outside.write_text("o")
    (raw / "escape.txt").symlink_to(outside)
    (raw / "escape-dir").symlink_to(tmp_path)
    (raw / "inner-link.txt").symlink_to(raw / "a.txt")
    (raw / "sub-link").symlink_to(raw / "sub")
    (raw / "dangling.pdf").symlink_to(raw / "missing.pdf")

    inputs, rows = discover(raw)

    assert sorted(i.name for i in inputs) == [".hidden.txt", "a.txt", "inner-link.txt", "line\nbreak.txt",
                                              "sub/b.txt"]
    assert _by_name(rows) == {
        ".git/": ("skipped", "hidden_folder"),
        "pipe.txt": ("rejected", "not_a_file"),
        "escape.txt": ("rejected", "outside_input_folder"),
        "escape-dir/": ("rejected", "outside_input_folder"),
        "sub-link/": ("skipped", "folder_link"),
        "dangling.pdf": ("rejected", "not_a_file"),
    }
    assert all(str(tmp_path) not in (r["reason"] or "") for r in rows)
    assert "FIFO" in next(r["reason"] for r in rows if r["source_file"] == "pipe.txt")


def test_a_name_with_a_newline_stays_on_one_summary_line():
    assert printable("line\nbreak\t.txt") == "line\\nbreak\\t.txt"


def test_messages_lose_the_build_machines_paths():
    raw = Path("/srv/inputs")
    message = ("libpdfium.so: failed to map segment from /opt/venv/lib/python3.11/site-packages/"
               "pypdfium2_raw/libpdfium.so; reading /srv/inputs/a/b.pdf")
    cleaned = without_machine_paths(message, raw)
    assert "/opt" not in cleaned and "/srv" not in cleaned
    assert cleaned.endswith("reading a/b.pdf")
    assert "libpdfium.so" in cleaned
