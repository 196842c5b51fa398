"""The shapes passed between the readers and the recognisers. Readers (PDF, text) produce a
`ReadDocument`; everything after that is format-independent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.formats import Format

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True)
class SourceCell:
    """One cell as read, with where it was read from."""

    text: str
    page: int | None = None  # 1-based page of a PDF
    line: int | None = None  # 1-based line of a text extraction
    bbox: BBox | None = None


@dataclass(frozen=True)
class TextLine:
    """A line of running text (heading, title, note, narrative) outside any table."""

    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class RawTable:
    """A grid of cells as read, before any interpretation."""

    rows: list[list[SourceCell]]
    context: list[TextLine] = field(default_factory=list)  # text just before: title, unit…
    trailer: list[TextLine] = field(default_factory=list)  # text just after: notes, 本表无数据
    # how it was read: from a text extraction, from a ruled grid (every cell's box is the
    # cell's), or rebuilt from the layout of words on a page without rules (boxes are words'):
    # a grid, or a performance form whose rows hold their cells in reading order (the form
    # reader lays them onto the columns of their section's header)
    origin: Literal["text", "ruled", "layout", "layout_form"] = "text"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def first_page(self) -> int | None:
        return next((c.page for r in self.rows for c in r if c.page is not None), None)

    @property
    def first_line(self) -> int | None:
        return next((c.line for r in self.rows for c in r if c.line is not None), None)


@dataclass
class ReadDocument:
    """Everything a reader got out of one file."""

    path: Path
    content_hash: str
    format: Format
    page_count: int | None
    lines: list[TextLine]
    tables: list[RawTable]
    encoding: str | None = None  # the text encoding a text input was read in; None for PDF

    @property
    def document_id(self) -> str:
        return self.content_hash[:16]
