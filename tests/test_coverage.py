"""`make eval`'s measure of printed amounts that landed, on real PDFs parsed by pdfplumber."""

from __future__ import annotations

from ingest.document import parse_document
from pipeline import coverage
from tests.conftest import seed
from tests.reference_renderer import render


def _boxes(values):
    return coverage.landed_boxes((v["page"], v["bbox_x0"], v["bbox_top"], v["bbox_x1"], v["bbox_bottom"])
                                 for v in values)


def test_the_amounts_a_rendering_prints_are_found_and_the_unlanded_named(tmp_path):
    """004's rendering: every table amount lands but the two figures of the funding rows the
    ingest itself reports as left as cells (a performance form no alignment confirms);
    its narrative's figures ("增加 7.23 万元、…") are running text, not table amounts."""
    pdf = render(seed("004").read_text("utf-8"), tmp_path / "rendering.pdf")
    parsed = parse_document(pdf)
    printed = coverage.printed_amounts(pdf)
    measured = coverage.measure(printed, _boxes(parsed.values))
    assert measured.printed > 300
    assert [a.text for a in measured.unlanded] == ["7.23", "7.23"]
    assert any("2 funding rows whose figures no alignment confirms" in w for w in parsed.warnings)


def test_an_amount_whose_value_did_not_land_is_listed_with_its_page(tmp_path):
    pdf = render(seed("003").read_text("utf-8"), tmp_path / "rendering.pdf")
    parsed = parse_document(pdf)
    printed = coverage.printed_amounts(pdf)
    before = coverage.measure(printed, _boxes(parsed.values))
    lost = printed[len(printed) // 2]
    kept = [v for v in parsed.values
            if not (v["page"] == lost.page and v["bbox_x0"] is not None
                    and v["bbox_x0"] - 1 <= lost.centre[0] <= v["bbox_x1"] + 1
                    and v["bbox_top"] - 1 <= lost.centre[1] <= v["bbox_bottom"] + 1)]
    measured = coverage.measure(printed, _boxes(kept))
    assert lost not in before.unlanded
    assert set(measured.unlanded) == set(before.unlanded) | {lost}
    assert measured.landed == before.landed - 1
    # the page's own count says the same, so the figure can go to the table on that page
    assert measured.by_page[lost.page] == [before.by_page[lost.page][0], before.by_page[lost.page][1] - 1]
    assert sum(p for p, _ in measured.by_page.values()) == measured.printed


def test_a_page_belongs_to_the_last_table_starting_on_or_before_it():
    tables = [(3, "summary"), (5, "by_function"), (5, "basic"), (9, "three_public")]
    assert coverage.table_of_page(tables, 2) is None
    assert coverage.table_of_page(tables, 4) == "summary"
    assert coverage.table_of_page(tables, 5) == "basic"  # two tables start there: the later one
    assert coverage.table_of_page(tables, 8) == "basic"
    assert coverage.table_of_page(tables, 12) == "three_public"


def test_sentence_figures_and_codes_are_not_amount_words():
    assert coverage.AMOUNT_WORD.match("1,234.50") and coverage.AMOUNT_WORD.match("392.51")
    assert coverage.AMOUNT_WORD.match("(12.00)") and coverage.AMOUNT_WORD.match("12,345")
    for word in ("2010101", "2024", "安排392.51万元", "12.5%", "第3页"):
        assert not coverage.AMOUNT_WORD.match(word), word


def test_running_text_figures_are_not_table_amounts():
    def word(text, x0, top=100.0):
        return {"text": text, "x0": x0, "x1": x0 + 20, "top": top, "bottom": top + 8}

    words = [word("收入", 10), word("780.19", 40), word("万元，其中", 70),  # a sentence
             word("基本工资", 10, 120), word("1,234.00", 200, 120), word("56.10", 300, 120),  # a table row
             word("劳务费", 10, 140), word("3.5", 40, 140), word("万元", 70, 140)]  # figure with its unit
    assert [w["text"] for w in coverage.table_amounts(words)] == ["1,234.00", "56.10"]
