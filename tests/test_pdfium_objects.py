"""The page objects read with pypdfium2 give pdfplumber the same tables and lines as
pdfplumber's own (pdfminer) parse: on renderings of the references, on the same pages turned
by /Rotate or shifted by their media box, and on the published corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfplumber.table import TableFinder, intersections_to_cells

from ingest.catalogue import titles
from ingest.read.pdf import read_pdf
from ingest.read.pdfium_objects import count_paths, supply_objects
from ingest.read.ruled import _CharIndex, _extract, _find_tables, grid_cells
from ingest.read.settings import SETTINGS
from tests.conftest import CORPUS_DOCUMENTS, RAW
from tests.reference_renderer import render

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="WenQuanYi Micro Hei is not installed (make fonts installs it)")


def _squeezed(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _reading(path: Path, objects: str) -> tuple[list[list[list[tuple[str, int | None]]]], list[str]]:
    """Every table cell as (text, page), and the running text, as the ingest reads them."""
    lines, tables, _ = read_pdf(path, path.read_bytes(), titles(), objects=objects)
    cells = [[[(c.text, c.page) for c in row] for row in t.rows] for t in tables]
    return cells, [line.text for line in lines]


def assert_same_reading(path: Path) -> int:
    """Cell for cell and line for line the same, up to whitespace: pdfium reports a space
    printed as its own glyph as one it inferred, so where such a space sits in a gap narrower
    than pdfplumber's 3 pt word gap it is not in our text ('1. 一般公共预算' reads
    '1.一般公共预算'); nothing else may differ."""
    mined_cells, mined_lines = _reading(path, "pdfminer")
    fast_cells, fast_lines = _reading(path, "pdfium")
    assert len(fast_cells) == len(mined_cells)
    for mined, fast in zip(mined_cells, fast_cells, strict=True):
        assert [[(_squeezed(t), p) for t, p in row] for row in fast] == [
            [(_squeezed(t), p) for t, p in row] for row in mined
        ]
    assert [_squeezed(t) for t in fast_lines] == [_squeezed(t) for t in mined_lines]
    return sum(len(t) for t in mined_cells)


@pytest.fixture(scope="module")
def renderings(tmp_path_factory) -> list[Path]:
    if not FONT.exists():
        pytest.skip("WenQuanYi Micro Hei is not installed (make fonts installs it)")
    folder = tmp_path_factory.mktemp("renderings")
    return [render(p.read_text("utf-8"), folder / f"{p.stem}.pdf") for p in sorted(RAW.glob("*.txt"))]


@needs_font
def test_reference_renderings_read_the_same_through_pdfium(renderings):
    for path in renderings:
        assert assert_same_reading(path) > 100  # table rows compared


def _turned(source: Path, target: Path, rotation: int) -> Path:
    """The pages of `source` as a publisher prints landscape tables on portrait paper: the
    content drawn turned, the page carrying /Rotate so that it displays upright."""
    document = pdfium.PdfDocument(source)
    for page in document:
        width, height = page.get_width(), page.get_height()
        turn = (
            pdfium.PdfMatrix(0, 1, -1, 0, height, 0)
            if rotation == 90
            else pdfium.PdfMatrix(0, -1, 1, 0, 0, width)
        )
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(turn)
        page.gen_content()
        page.set_mediabox(0, 0, height, width)
        page.set_rotation(rotation)
    document.save(target)
    return target


def _shifted(source: Path, target: Path) -> Path:
    """The same pages with a media box that does not start at the origin."""
    document = pdfium.PdfDocument(source)
    for page in document:
        page.set_mediabox(-30, -50, page.get_width() - 30, page.get_height() - 50)
    document.save(target)
    return target


@needs_font
@pytest.mark.parametrize("variant", ["rotate 90", "rotate 270", "shifted media box"])
def test_turned_and_shifted_pages_read_the_same_through_pdfium(renderings, variant, tmp_path):
    source = next(p for p in renderings if p.name.startswith("004"))  # landscape and portrait tables
    target = tmp_path / "variant.pdf"
    if variant == "shifted media box":
        path = _shifted(source, target)
    else:
        path = _turned(source, target, int(variant.split()[1]))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[3]
        assert page.extract_text().startswith("注：本表反映")  # upright after the turn
        if variant != "shifted media box":
            assert page.rotation == int(variant.split()[1])
    assert assert_same_reading(path) > 100


@needs_font
def test_cells_are_extracted_as_pdfplumber_extracts_them(renderings):
    """`_extract` (characters indexed by height) returns exactly `Table.extract()`."""
    tables = 0
    document = pdfium.PdfDocument(renderings[-1])
    with pdfplumber.open(renderings[-1]) as pdf:
        for number, page in enumerate(pdf.pages):
            supply_objects(page, document[number])
            index = _CharIndex(page.chars)
            for table in page.find_tables():
                assert _extract(table, index) == table.extract()
                tables += 1
    document.close()
    assert tables > 20


def test_published_documents_read_the_same_through_pdfium(corpus):
    """The published PDFs the tests name (`CORPUS_DOCUMENTS`): ruled and unruled tables, CJK
    and Latin fonts mixed on one line, pages carrying /Rotate 90 (江苏省人大常委会办公厅 2019)."""
    documents = [corpus / "documents" / name for name in CORPUS_DOCUMENTS]
    assert len(documents) >= 10
    rotated = 0
    for path in documents:
        try:
            assert_same_reading(path)
        except AssertionError as failure:
            raise AssertionError(f"{path.name}: {failure}") from failure
        except Exception as refused:  # the scanned document is refused by both parses alike
            assert "no extractable text" in str(refused), (path.name, refused)
            continue
        with pdfplumber.open(path) as pdf:
            rotated += pdf.pages[0].rotation != 0
    assert rotated >= 1



def _grids_and_paths(path: Path) -> tuple[int, int]:
    """On every page of `path`: `count_paths` counts the path objects pypdfium2's `get_objects`
    yields (up to the number asked for), and the table finder with `grid_cells` finds the cells
    and the tables pdfplumber's own finds, with and without the double-border snapping. Returns
    the pages with rulings and the cells compared."""
    ruled = cells = 0
    document = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            pdfium_page = document[number]
            walked = sum(1 for obj in pdfium_page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH)
            assert count_paths(pdfium_page, 10**9) == walked, (path.name, number)
            assert count_paths(pdfium_page, SETTINGS.ruled_page_paths) == min(walked, SETTINGS.ruled_page_paths)
            if walked < SETTINGS.ruled_page_paths:
                continue
            ruled += 1
            supply_objects(page, pdfium_page)
            for settings in (None, {"snap_tolerance": SETTINGS.double_border_gap}):
                intersections = TableFinder(page, settings).intersections
                expected = intersections_to_cells(intersections)
                assert grid_cells(intersections) == expected, (path.name, number, settings)
                cells += len(expected)
            plumbers = _find_tables(page, finder=TableFinder)  # the same steps on pdfplumber's own finder
            assert [t.cells for t in _find_tables(page)] == [t.cells for t in plumbers], (path.name, number)
            page.flush_cache()
    document.close()
    return ruled, cells


@needs_font
def test_tables_and_rulings_are_found_as_pdfplumber_and_pypdfium2_find_them(renderings):
    ruled, cells = map(sum, zip(*(_grids_and_paths(path) for path in renderings), strict=True))
    assert ruled > 20 and cells > 1000


def test_published_tables_and_rulings_are_found_as_pdfplumber_and_pypdfium2_find_them(corpus):
    """Every other published PDF the tests name (江苏's double borders and turned pages, 普陀's,
    无锡's and 烟台's producers)."""
    ruled, cells = map(sum, zip(*(_grids_and_paths(corpus / "documents" / name) for name in CORPUS_DOCUMENTS[::2]
                                  if (corpus / "documents" / name).read_bytes()[:5] == b"%PDF-"), strict=True))
    assert ruled > 50 and cells > 5000
