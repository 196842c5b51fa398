"""Words on a page and the lines, phrases and wrapped cells they make: the vocabulary of the
readers of tables drawn without rules, and the one rule for text wrapped in its cell.

Pure functions of word boxes (PDF points, top-down as pdfplumber gives them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from ingest.lexicon import is_enumerator
from ingest.numbers import CellKind, parse_cell
from ingest.read.settings import SETTINGS

BARE_INTEGER = re.compile(r"^\d{1,9}$")  # codes, segments (款 01), line numbers: never amounts


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def is_figure(self) -> bool:
        """An amount, percentage or dash: right-aligned in its cell."""
        if BARE_INTEGER.match(self.text):
            return False
        return parse_cell(self.text).kind in (CellKind.NUMBER, CellKind.PERCENT, CellKind.DASH)


Line = list[Word]


def is_anchor(word: Word) -> bool:
    """A word that places its row: a figure, or a code or line number."""
    return word.is_figure or bool(BARE_INTEGER.match(word.text))


def merged(first: Word, second: Word, text: str) -> Word:
    """One word over the boxes of two, with the given text."""
    return Word(text, first.x0, second.x1, min(first.top, second.top), max(first.bottom, second.bottom), second.page)


def _with_enumerators(line: Line) -> Line:
    """'3.' printed with a space before its name ('3. 机要通信用车') is one cell's text."""
    out: Line = []
    for w in line:
        last = out[-1] if out else None
        if (last is not None and is_enumerator(last.text) and w.x0 - last.x1 < SETTINGS.enumerator_gap
                and parse_cell(w.text).kind is CellKind.TEXT):
            out[-1] = merged(last, w, f"{last.text} {w.text}")
        else:
            out.append(w)
    return out


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped into visual lines by their middles, each line left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if lines and abs(median(w.middle for w in lines[-1]) - word.middle) <= SETTINGS.line_tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_with_enumerators(sorted(line, key=lambda w: w.x0)) for line in lines]


def line_text(line: Line) -> str:
    return "".join(w.text for w in line)


def phrases(line: Line, spaced: bool = False) -> Line:
    """Words closer than `phrase_gap` joined into one phrase; `spaced` keeps the printed space
    between them ('其中: 本年财政拨款'), where a header's spacing ('收 入') is dropped."""
    out: Line = []
    for w in line:
        if out and w.x0 - out[-1].x1 < SETTINGS.phrase_gap:
            last = out[-1]
            sep = " " if spaced and w.x0 - last.x1 >= SETTINGS.space_width else ""
            out[-1] = merged(last, w, last.text + sep + w.text)
        else:
            out.append(w)
    return out


def join_text(upper: str, lower: str) -> str:
    """The one rule for text wrapped onto the next line of its cell: the pieces join without a
    space (CJK names, and a figure or code broken over two lines, are one), except between two
    Latin words ('Total' / 'income')."""
    latin = upper[-1:].isascii() and upper[-1:].isalpha() and lower[:1].isascii() and lower[:1].isalpha()
    return upper + (" " if latin else "") + lower


def wraps_onto(upper: Word, lower: Word) -> bool:
    """`lower` is the next line of the text `upper` wraps in its cell: it starts at the same
    left edge, just below."""
    return (abs(upper.x0 - lower.x0) <= SETTINGS.wrap_indent
            and 0 <= lower.top - upper.bottom <= SETTINGS.wrap_gap)


def joined(upper: Word, lower: Word) -> Word:
    return Word(join_text(upper.text, lower.text), upper.x0, max(upper.x1, lower.x1), upper.top, lower.bottom, upper.page)


def join_wrapped(fragments: list[Word], apart: Callable[[Word, Word], bool]) -> list[Word]:
    """Text wrapped inside its cell joined into one word: a fragment continues the one it
    starts just below, at its left edge (`wraps_onto`), unless `apart(upper, lower)` says
    they are two cells."""
    cells: list[Word] = []
    for f in sorted(fragments, key=lambda w: (w.top, w.x0)):
        for k, c in enumerate(cells):
            if wraps_onto(c, f) and not apart(c, f):
                cells[k] = joined(c, f)
                break
        else:
            cells.append(f)
    return cells
