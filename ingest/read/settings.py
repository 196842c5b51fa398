"""Every tolerance the readers use, in one validated dataclass (as pdfplumber's `TableSettings`).

Distances are in PDF points (1/72 inch) of the page as pdfplumber sees it; counts are counts of
words, lines or rows. The readers take `SETTINGS`; `tests/test_layers.py` fails when a reading
module compares against a bare number instead of a field of this class. Why each value is what
it is: DECISIONLOG.md ("Tables without rules", "Unruled tables", "A table continues…").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadSettings:
    # -- which pages are read, and how their words are made (pdf.py) --
    probe_pages: int = 6  # a disclosure says 预算 or 决算 on its first pages
    ruled_page_paths: int = 4  # path objects that make a page worth the table finder
    figure_lines: int = 3  # lines with two or more figures that make a page worth reading
    row_figures: int = 2  # figures on one line that make it a table's row
    wide_row: int = 4  # figures on one line that make a page worth reading (a one-row table)
    name_amount_lines: int = 3  # lines ending in a figure after a name (a list of amounts)
    word_x_tolerance: float = 1.5  # pdfplumber's extract_words: characters this close are a word
    word_y_tolerance: float = 2.0  # and on one line
    table_text_margin: float = 1.0  # a text line whose middle is this close to a table is in it

    # -- ruled grids (ruled.py, pdfium_objects.py) --
    ruling_axis: float = 0.01  # a segment this close to horizontal or vertical is a ruling along it
    # a font's ascent to descent spans about an em (1.0–1.3 with its line gap); one spanning
    # more declares a descent that would put every character it prints a line low (重庆)
    max_font_height_em: float = 1.6
    # rulings closer than this are one border drawn twice (a box inset in its cell): no cell
    # this thin prints anything
    double_border_gap: float = 6.0
    collapsed_width: int = 2  # a grid this narrow whose rows are whole lines is only a frame
    collapsed_rows: int = 3  # rows printing code, name and figure in one cell that say so
    border_gap: float = 1.0  # a rule ending this close to a grid's top meets it
    open_top_rules: int = 3  # column rules running on above a grid's top that show its top rule missing
    figure_char_gap: float = 0.5  # a digit this close after a figure's last one runs on it, past a rule

    # -- a table running on to the next page (assemble.py) --
    aligned_edge: float = 1.0  # a cell starting this close to a column's left edge is in it
    edge_grid: float = 0.5  # cells' left edges are compared on this grid
    title_block: int = 4  # the lines just above a table that title it (title, numbering, 部门, 单位)
    repeated_header_rows: int = 6  # rows at a table's top a continuation may repeat
    running_share: float = 0.4  # a line printed on this share of the pages is a running header
    running_pages: int = 3  # and on at least this many pages
    running_length: int = 4  # a running header is longer than this (page numbers are not)

    # -- words and lines (words.py) --
    line_tolerance: float = 2.5  # words whose middles are this close are on one visual line
    enumerator_gap: float = 6.0  # an enumerator ('3.') this close before a name is the name's
    phrase_gap: float = 3.5  # header words closer than this are one phrase ('收 入')
    space_width: float = 1.5  # words this far apart have a space printed between them
    wrap_gap: float = 4.0  # text starting this close below other text, at its left edge, continues it
    wrap_indent: float = 3.0  # and this close to that edge (a wrapped line may open with a space)

    # -- tables drawn without rules (unruled_grid.py, unruled_form.py) --
    wrap_distance: float = 8.0  # a name fragment this close to a row's figures belongs to it
    border_tolerance: float = 5.0  # cell edges this close mark one border
    border_padding: float = 2.0  # a border stands this far outside the text its cell holds
    column_start: float = 1.0  # a header's text starts this far inside its column
    name_column_align: float = 2.0  # a name starting this close to the body's names is one of them
    text_column_align: float = 1.5  # a sentence starting this close to a header's column is a cell's
    headed: int = 4  # column names on one header line that announce a table of any length
    header_lines: int = 12  # lines above the first row that may be its header
    header_row: float = 18.0  # header lines closer than this may be one row of the header
    table_rows: int = 3  # row-like lines that make a table without a printed 栏次 line
    wrapped_name_lines: int = 3  # lines below a name that may continue it before the figures

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"ReadSettings.{f.name} must be a non-negative number, not {value!r}")
        if not 0 < self.running_share <= 1:
            raise ValueError(f"ReadSettings.running_share must be a share in (0, 1], not {self.running_share}")


SETTINGS = ReadSettings()
