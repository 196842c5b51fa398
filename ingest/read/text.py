"""Read the plain-text extraction format: headings and paragraphs as lines, each table as
consecutive tab-separated lines (a blank line inside a table does not end it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.model import RawTable, SourceCell, TextLine

_MARKUP = re.compile(r"</?b>|^#+\s*|\*\*|^-\s+")


def strip_markup(text: str) -> str:
    """Headings come as markdown (`## 标题`, `**…**`) or HTML bold; the words are what count."""
    return _MARKUP.sub("", text).replace("**", "").strip()


def _is_table_line(line: str) -> bool:
    return "\t" in line


def _split_blocks(lines: list[str]) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """Yield ('text', [(n, line)]) and ('table', [(n, line)…]) blocks in document order."""
    i = 0
    while i < len(lines):
        if not _is_table_line(lines[i]):
            yield "text", [(i + 1, lines[i])]
            i += 1
            continue
        block: list[tuple[int, str]] = []
        while i < len(lines):
            if _is_table_line(lines[i]):
                block.append((i + 1, lines[i]))
                i += 1
                continue
            # blank lines inside a table: continue if the next non-blank line is a table line
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j > i and j < len(lines) and _is_table_line(lines[j]):
                i = j
                continue
            break
        yield "table", block


def read_text(content: str) -> tuple[list[TextLine], list[RawTable]]:
    """All running-text lines, and the tables with the text around each."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text_lines: list[TextLine] = []
    tables: list[RawTable] = []
    pending: list[TextLine] = []  # text since the previous table
    for kind, block in _split_blocks(lines):
        if kind == "text":
            n, raw = block[0]
            words = strip_markup(raw)
            if words:
                line = TextLine(words, line=n)
                text_lines.append(line)
                pending.append(line)
            continue
        rows = [
            [SourceCell(cell.strip(), line=n) for cell in raw.split("\t")]
            for n, raw in block
            if raw.strip()
        ]
        if tables:
            tables[-1].trailer = list(pending)
        tables.append(RawTable(rows=rows, context=list(pending)))
        pending = []
    if tables:
        tables[-1].trailer = list(pending)
    return text_lines, tables
