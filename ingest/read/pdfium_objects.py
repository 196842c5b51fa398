"""A page's characters and rulings read with pypdfium2, in pdfplumber's object shapes.

pdfplumber's table finder, word grouping and cell extraction run on a page's objects
(`page.chars`, `page.edges`); computing those objects through pdfminer's layout engine is
what costs pdfplumber about 1/12 s per ruled page. pypdfium2 — already a dependency of
pdfplumber — reads the same characters and paths in a fraction of that. This module turns
them into the dicts pdfplumber would have built, so that everything after the parse is
still pdfplumber's own code. `supply_objects` hands them to a pdfplumber page.

What is mirrored from pdfminer (checked by `tests/test_pdfium_objects.py`, which compares
both parses cell for cell on drawn and published PDFs):
- characters: the glyph's box from its origin to its advance, and from the font's descent
  up one em (pdfium's loose box reaches the font's ascent instead), its text, upright when its matrix is not rotated —
  except where a font declares a descent of an em or more: pdfminer's box then sits below
  the painted glyph, in the next row of a table, and the box hangs from the ascent instead
  (the one place this module deliberately differs from pdfminer); characters pdfium
  generates (spaces and line breaks it infers) are not characters of the page;
- rulings: every straight segment of every painted path, each subpath closed by 'h' back to
  its start, Bézier curves by their end points, form XObjects followed through their
  matrices. They are given as `line` objects: the table finder only needs edges.
- placement: pdfminer's page space (the media box's origin at (0, 0), /Rotate applied), and
  pdfplumber's flip and media-box shift on top of it.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ingest.read.settings import SETTINGS

_NOT_CHARS = frozenset((0, 10, 13, 0xFFFE, 0xFFFF))  # no character, or a line break pdfium reports
_LINE_END_HYPHEN = 2  # pdfium marks a hyphen ending a line as U+0002

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _page_space(page: pdfium.PdfPage) -> Matrix:
    """PDF user space to pdfminer's page space: the media box's origin moved to (0, 0) and the
    page's /Rotate applied (pdfminer's `PDFPageInterpreter.process_page`)."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotated: dict[int, Matrix] = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }
    return rotated.get(page.get_rotation() % 360, (1.0, 0.0, 0.0, 1.0, -x0, -y0))


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _subpaths(path: Any, matrix: Matrix) -> list[list[tuple[float, float]]]:
    """The path's subpaths as lists of page-space points (closed ones end at their start)."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    bezier = 0
    for k in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, k)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        kind = raw.FPDFPathSegment_GetType(segment)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if len(current) > 1:
                out.append(current)
            current = [point]
            bezier = 0
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # pdfminer keeps a curve's end point, not its controls
                current.append(point)
        else:
            current.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and current:
            current.append(current[0])
    if len(current) > 1:
        out.append(current)
    return out


def _paths(objects: Any, matrix: Matrix, found: list[list[tuple[float, float]]]) -> None:
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            found.extend(_subpaths(obj, _compose(_matrix(obj), matrix)))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            inner = [raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj))]
            _paths(inner, _compose(_matrix(obj), matrix), found)


_FORM_DEPTH = 15  # how deep pypdfium2's `PdfPage.get_objects` descends into form XObjects


def count_paths(page: pdfium.PdfPage, enough: int) -> int:
    """The path objects the page paints, form XObjects followed as `PdfPage.get_objects` follows
    them, counted up to `enough` (the reader only asks whether a page paints that many). Read
    through pdfium's calls directly: `get_objects` builds a Python object for every object of
    the page, text included, which cost a tenth of the ingest."""
    count = 0

    def walk(parent: Any, level: int, objects: Any, get: Any) -> bool:
        nonlocal count
        total = objects(parent)
        if total < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for k in range(total):
            obj = get(parent, k)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                count += 1
                if count >= enough:
                    return True
            elif (kind == raw.FPDF_PAGEOBJ_FORM and level + 1 < _FORM_DEPTH
                  and walk(obj, level + 1, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject)):
                return True
        return False

    walk(page.raw, 0, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject)
    return count


@dataclass(frozen=True)
class _Frame:
    """Where pdfplumber puts a page's objects: pdfminer's page space, flipped to measure from
    the top, shifted as pdfplumber shifts it by the media box (`Page.process_object`)."""

    space: Matrix
    height: float
    doctop: float
    number: int
    shift_x: float
    shift_top: float

    def box(self, x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
        top = self.height - y1 + self.shift_top
        return {
            "page_number": self.number,
            "x0": x0 + self.shift_x, "x1": x1 + self.shift_x, "y0": y0, "y1": y1,
            "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": self.height - y0 + self.shift_top, "doctop": self.doctop + top,
        }


def _rulings(page: pdfium.PdfPage, frame: _Frame) -> list[dict[str, Any]]:
    top_level = [raw.FPDFPage_GetObject(page.raw, k) for k in range(raw.FPDFPage_CountObjects(page.raw))]
    subpaths: list[list[tuple[float, float]]] = []
    _paths(top_level, frame.space, subpaths)
    lines = []
    axis = SETTINGS.ruling_axis
    for points in subpaths:
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            if abs(x0 - x1) <= axis and abs(y0 - y1) > axis:
                x1 = x0  # vertical
            elif abs(y0 - y1) <= axis and abs(x0 - x1) > axis:
                y1 = y0  # horizontal
            else:
                continue  # a point or a slanted segment: no ruling
            line = frame.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            line["object_type"] = "line"
            lines.append(line)
    return lines


def _chars(text_page: pdfium.PdfTextPage, frame: _Frame) -> list[dict[str, Any]]:
    tp = text_page.raw
    unicode, is_generated = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
    loose_box, char_box = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharBox
    get_matrix, font_size = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = raw.FS_RECTF()
    fs = raw.FS_MATRIX()
    sa, sb, sc, sd, se, sf = frame.space
    turned = sb != 0 or sc != 0
    chars = []
    for k in range(raw.FPDFText_CountChars(tp)):
        code = unicode(tp, k)
        if code in _NOT_CHARS or is_generated(tp, k) == 1:
            continue
        if loose := bool(loose_box(tp, k, rect)):
            bx0, by0, bx1, by1 = rect.left, rect.bottom, rect.right, rect.top
        else:
            char_box(tp, k, left, right, bottom, top)
            bx0, by0, bx1, by1 = left.value, bottom.value, right.value, top.value
        if turned:
            corners = [_apply(frame.space, x, y) for x in (bx0, bx1) for y in (by0, by1)]
            x0, x1 = min(c[0] for c in corners), max(c[0] for c in corners)
            y0, y1 = min(c[1] for c in corners), max(c[1] for c in corners)
        else:
            x0, x1 = sorted((sa * bx0 + se, sa * bx1 + se))
            y0, y1 = sorted((sd * by0 + sf, sd * by1 + sf))
        get_matrix(tp, k, fs)
        a, b, c, d = fs.a, fs.b, fs.c, fs.d
        if turned:
            a, b, c, d, _, _ = _compose((a, b, c, d, 0.0, 0.0), frame.space)
        upright = a * d > 0 and b * c <= 0
        size = font_size(tp, k)
        if b == 0 and c == 0:
            size *= abs(d)
            if upright:
                if loose and y1 - y0 > size * SETTINGS.max_font_height_em:
                    # a font that declares a descent of an em or more (重庆's digits) puts
                    # pdfminer's box below the glyph painted, its centre in the row
                    # underneath: its box hangs one em from the font's ascent instead
                    y0 = y1 - size
                y1 = y0 + size  # pdfminer's box: the font's descent up one em, not to its ascent
        char = frame.box(x0, y0, x1, y1)
        char["object_type"] = "char"
        char["fontname"] = ""
        char["size"] = size
        char["upright"] = upright
        char["text"] = "-" if code == _LINE_END_HYPHEN else chr(code)
        chars.append(char)
    return chars


def page_objects(
    page: pdfium.PdfPage, plumber_page: Any, text_page: pdfium.PdfTextPage | None = None
) -> dict[str, list[dict[str, Any]]]:
    """pdfplumber's `page.objects` for this page (chars and rulings), read with pypdfium2."""
    frame = _Frame(
        space=_page_space(page),
        height=float(plumber_page.height),
        doctop=float(plumber_page.initial_doctop),
        number=int(plumber_page.page_number),
        shift_x=float(plumber_page.mediabox[0]),
        shift_top=float(plumber_page.mediabox[1]),
    )
    own = text_page is None
    text_page = page.get_textpage() if text_page is None else text_page
    try:
        return {"char": _chars(text_page, frame), "line": _rulings(page, frame)}
    finally:
        if own:
            text_page.close()


def supply_objects(plumber_page: Any, page: pdfium.PdfPage, text_page: pdfium.PdfTextPage | None = None) -> None:
    """Give the pdfplumber page its objects read by pypdfium2. pdfplumber computes a page's
    objects once and caches them as `_objects` (a cached property its `flush_cache` clears);
    supplying them skips pdfminer's layout analysis."""
    plumber_page._objects = page_objects(page, plumber_page, text_page)
