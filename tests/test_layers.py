"""The ingest's layers, checked from its source: reading (`ingest/read/`) never asks an
interpretation question, imports sit at the top of a module unless a comment says why, and
every tolerance the readers use is a field of `ingest.read.settings.ReadSettings`."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from ingest.read.settings import SETTINGS, ReadSettings

INGEST = Path(__file__).resolve().parent.parent / "ingest"
READ = INGEST / "read"

# what reading may build on: the shapes, the number parser, the lexicon of printed lines,
# the rejection errors (and the formats the shapes name), and its own modules
# ingest.genre is vocabulary like the lexicon (the words a publication opens with), not table
# interpretation: the PDF reader's cheap probe and the document's acceptance share it
READ_MAY_IMPORT = ("ingest.model", "ingest.numbers", "ingest.lexicon", "ingest.genre", "ingest.errors",
                   "ingest.formats", "ingest.read")
# what the lexicon and the shapes may build on
BASE = {"lexicon.py": ("ingest.model", "ingest.numbers"), "model.py": ("ingest.formats",),
        "numbers.py": (), "errors.py": (), "formats.py": ("ingest.errors",), "genre.py": ("ingest.numbers",)}


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _ingest_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ingest"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ingest")]
    return found


def _within(module: str, allowed: tuple[str, ...]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("path", _modules(READ), ids=lambda p: p.name)
def test_reading_imports_no_interpretation(path):
    wrong = [f"{path.name}:{line} imports {m}" for line, m in _ingest_imports(path) if not _within(m, READ_MAY_IMPORT)]
    assert not wrong, "reading must not import interpretation (catalogue, recognise, grid, forms, narrative): " + "; ".join(wrong)


@pytest.mark.parametrize("name", sorted(BASE))
def test_base_modules_import_only_what_is_below_them(name):
    path = INGEST / name
    wrong = [f"{name}:{line} imports {m}" for line, m in _ingest_imports(path) if not _within(m, BASE[name])]
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("path", _modules(INGEST / "interpret"), ids=lambda p: p.name)
def test_interpretation_works_on_what_was_read_not_on_the_readers(path):
    wrong = [f"{path.name}:{line} imports {m}" for line, m in _ingest_imports(path) if _within(m, ("ingest.read", "ingest.document", "ingest.landing"))]
    assert not wrong, "; ".join(wrong)


def test_the_checks_see_a_forbidden_import(tmp_path):
    """The import check reads imports wherever they sit, inside functions too."""
    module = tmp_path / "reader.py"
    module.write_text("def f():\n    from ingest.catalogue import match_title  # why\n    return match_title\n", "utf-8")
    assert [m for _, m in _ingest_imports(module) if not _within(m, READ_MAY_IMPORT)] == ["ingest.catalogue"]


def _imports_in_functions(path: Path) -> list[int]:
    lines = path.read_text("utf-8").splitlines()
    nested = []
    for fn in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                    if not said:
                        nested.append(node.lineno)
    return nested


@pytest.mark.parametrize("path", _modules(INGEST), ids=lambda p: str(p.relative_to(INGEST)))
def test_an_import_inside_a_function_says_why(path):
    assert not _imports_in_functions(path), (
        f"{path.name}: imports inside functions at lines {_imports_in_functions(path)} without a comment saying why"
    )


# -- tolerances ---------------------------------------------------------------------------

EXACT = {0, 1}  # comparing with zero or one is a fact, not a tolerance
TRANSFORM = {0.0, 1.0, -1.0}  # entries of the rotation matrices in pdfium_objects.py


def _bare_numbers(path: Path) -> list[str]:
    """Float literals anywhere, and numbers other than 0 and 1 compared against (directly or
    as an offset: `x0 + 2 < b`), in a reading module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Constant) and type(node.value) is float and node.value not in TRANSFORM:
            found.append(f"{path.name}:{node.lineno}: float literal {node.value}")
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            operands += [side for op in operands if isinstance(op, ast.BinOp) and isinstance(op.op, ast.Add | ast.Sub)
                         for side in (op.left, op.right)]
            for op in operands:
                if isinstance(op, ast.Constant) and type(op.value) in (int, float) and op.value not in EXACT:
                    found.append(f"{path.name}:{node.lineno}: compared with bare {op.value}")
    return found


@pytest.mark.parametrize("path", [p for p in _modules(READ) if p.name != "settings.py"], ids=lambda p: p.name)
def test_every_tolerance_of_the_readers_is_a_setting(path):
    assert not _bare_numbers(path), "tolerances belong in ingest/read/settings.py: " + "; ".join(_bare_numbers(path))


def test_the_tolerance_check_sees_a_bare_tolerance(tmp_path):
    module = tmp_path / "reader.py"
    module.write_text("def near(a, b):\n    return abs(a - b) <= 2.5 or a + 2 < b or a < 7\n", "utf-8")
    found = " ".join(_bare_numbers(module))
    assert "float literal 2.5" in found and "bare 2" in found and "bare 7" in found


def test_settings_are_validated():
    assert dataclasses.replace(SETTINGS, wrap_gap=5.0).wrap_gap == 5.0
    with pytest.raises(ValueError, match="wrap_gap"):
        ReadSettings(wrap_gap=-1.0)
    with pytest.raises(ValueError, match="running_share"):
        ReadSettings(running_share=1.5)
