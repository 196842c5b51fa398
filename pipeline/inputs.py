"""The input folder as users have it, and the run report's row for each entry.

Every entry of the folder gets exactly one row in the run report, whatever it is:
- regular files are read (hidden ones too: their name does not make them less a document);
- a symbolic link to a file inside the folder is read like that file (usually a duplicate);
- a symbolic link that leaves the folder is refused: a build reads what its folder holds;
- a symbolic link to a folder inside the folder is not followed (its files are read where
  they are), and said so;
- folders whose name starts with '.' (version control, editors' caches) are skipped, one row
  each;
- FIFOs, sockets, devices and dangling links are refused as not regular files (and never
  opened, so a FIFO cannot hang the build).
Names in the report are relative to the input folder, never paths of the build machine.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def report_row(source_file: str, outcome: str, reason_code: str | None = None, reason: str | None = None,
               **details: Any) -> dict[str, Any]:
    """The one place a run-report row is made."""
    return {
        "source_file": source_file,
        "document_id": details.get("document_id"),
        "outcome": outcome,
        "reason_code": reason_code,
        "reason": reason,
        "tables": details.get("tables", 0),
        "values": details.get("values", 0),
        "warnings": details.get("warnings"),
        "input_format": details.get("input_format"),
    }


@dataclass(frozen=True)
class Input:
    path: Path  # where to read it (a link inside the folder is read through)
    name: str  # relative to the input folder, as the report and the warehouse name it


def discover(raw_dir: Path) -> tuple[list[Input], list[dict[str, Any]]]:
    """The files to read, in a stable order, and a report row for every entry that is not
    read (with why)."""
    root = raw_dir.resolve()
    inputs: list[Input] = []
    rows: list[dict[str, Any]] = []

    def name_of(path: Path) -> str:
        return str(path.relative_to(raw_dir))

    def unlistable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else raw_dir
        rows.append(report_row(_relative(where, raw_dir), "rejected", "unreadable",
                               f"cannot be listed: {error.strerror}"))

    for folder, dirs, names in os.walk(raw_dir, onerror=unlistable):
        base = Path(folder)
        kept = []
        for d in sorted(dirs):
            path = base / d
            link = _link_row(path, raw_dir, root, folder_link=True) if path.is_symlink() else None
            if link is not None:
                rows.append(link)
            elif d.startswith("."):
                rows.append(report_row(name_of(path) + "/", "skipped", "hidden_folder",
                                       "a hidden folder (name starts with '.'); its files are not read"))
            else:
                kept.append(d)
        dirs[:] = kept
        for n in sorted(names):
            path = base / n
            if path.is_symlink():
                row = _link_row(path, raw_dir, root, folder_link=False)
                if row is not None:
                    rows.append(row)
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                rows.append(report_row(name_of(path), "rejected", "unreadable", f"cannot be read: {exc.strerror}"))
                continue
            if stat.S_ISREG(mode):
                inputs.append(Input(path, name_of(path)))
            else:
                rows.append(report_row(name_of(path), "rejected", "not_a_file",
                                       f"not a regular file ({_kind(mode)})"))
    return inputs, rows


def _link_row(path: Path, raw_dir: Path, root: Path, folder_link: bool) -> dict[str, Any] | None:
    """The report row of a symbolic link that is not read as a file; None for a link to a
    regular file inside the folder, which is read."""
    name = str(path.relative_to(raw_dir))
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return report_row(name, "rejected", "not_a_file", "a symbolic link to nothing (dangling or a loop)")
    if not target.is_relative_to(root):
        return report_row(name + ("/" if folder_link else ""), "rejected", "outside_input_folder",
                          "a symbolic link to a place outside the input folder; only what the folder holds is read")
    if folder_link or target.is_dir():
        return report_row(name + "/", "skipped", "folder_link",
                          f"a symbolic link to the folder {str(target.relative_to(root)) or '.'} inside the "
                          "input folder; not followed, its files are read where they are")
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _relative(path: Path, raw_dir: Path) -> str:
    try:
        return str(path.relative_to(raw_dir)) or "."
    except ValueError:
        return path.name


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s/:'\"]+/)+([^\s/:'\"]+)")


def without_machine_paths(text: str, raw_dir: Path) -> str:
    """A message as a warehouse reader may see it: the input folder's paths relative, any
    other absolute path (a library, a temporary file) cut to its file name."""
    text = text.replace(str(raw_dir) + os.sep, "")
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(name: str) -> str:
    """A file name for one line of a summary: control characters (a newline in a name)
    escaped, so each entry stays on its own line."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], name)
