"""Each reference document, rendered as a real publication would print it, lands the same
values from its PDF as from its text, cell for cell."""

from collections import Counter
from pathlib import Path

import pytest

from ingest.document import parse_document
from tests.conftest import RAW
from tests.reference_renderer import render

pytestmark = pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists(),
    reason="WenQuanYi Micro Hei is not installed (make fonts installs it)",
)


def grid_values(parsed) -> list[dict]:
    """Values of the grid tables (the unruled renderings' measure: performance forms drawn
    without rules are not read by the layout reader)."""
    return [v for v in parsed.values if not v["template_id"].startswith("perf_")]


def value_key(v: dict) -> tuple:
    return (
        v["template_id"], v["function_code"], v["economic_code"], v["gov_economic_code"],
        v["unit_code"], v["line_item"], v["side"], v["column_path"], v["published_value"],
        v["decimals"], v["unit"], v["amount_yuan"], v["value_kind"],
    )


@pytest.mark.parametrize("text_file", sorted(p.name for p in RAW.glob("*.txt")))
def test_pdf_rendering_lands_the_same_values_as_the_text(text_file, tmp_path):
    source = RAW / text_file
    pdf = render(source.read_text("utf-8"), tmp_path / "rendering.pdf")
    from_text = parse_document(source)
    from_pdf = parse_document(pdf)
    assert from_pdf.document["format"] == "pdf" and from_pdf.document["page_count"] > 5
    for field in ("issuer_name", "issuer_code", "fiscal_year", "document_kind", "scope"):
        assert from_pdf.document[field] == from_text.document[field], field
    assert [t["template_id"] for t in from_pdf.tables] == [t["template_id"] for t in from_text.tables]
    assert [t["unit"] for t in from_pdf.tables] == [t["unit"] for t in from_text.tables]
    # every value, the performance forms' included (forms breaking across pages, their
    # header drawn again on the new page)
    text_values = Counter(map(value_key, from_text.values))
    pdf_values = Counter(map(value_key, from_pdf.values))
    assert sum(text_values.values()) > 100
    assert pdf_values == text_values
    # and every PDF value points at its page and box
    assert all(v["page"] and v["bbox_x0"] is not None for v in from_pdf.values)


def test_tables_drawn_without_rules_are_read_from_their_layout(tmp_path):
    """Unruled renderings of the references: the layout reader places every value where the
    text has it (pdfplumber's text strategy: about 77%) — four-sided budget summaries whose
    names wrap over five lines in narrow columns and break across pages, three-row 三公
    headers, one-row tables, a project list with its 简介 sentences, tables of two rows at a
    page's foot."""
    for source in sorted(RAW.glob("*.txt")):
        pdf = render(source.read_text("utf-8"), tmp_path / f"{source.stem}.pdf", ruled=False)
        text_values = Counter(map(value_key, grid_values(parse_document(source))))
        pdf_values = Counter(map(value_key, grid_values(parse_document(pdf))))
        assert sum(text_values.values()) > 100
        assert pdf_values == text_values, (source.name, sum((text_values & pdf_values).values()))


def test_forms_drawn_without_rules_land_no_figure_they_do_not_confirm(tmp_path):
    """A performance form drawn without rules is rebuilt as one grid, but its sections have
    different columns: its figures land only when its scores add up to its 总分 as read; a
    form that does not is left as cells, with the reason. No figure lands misplaced."""
    source = RAW / "001_eeff97a73e190905.txt"
    pdf = render(source.read_text("utf-8"), tmp_path / "unruled.pdf", ruled=False)
    parsed = parse_document(pdf)
    text_values = Counter(map(value_key, parse_document(source).values))
    forms = [v for v in parsed.values if v["template_id"].startswith("perf_")]
    assert not Counter(map(value_key, forms)) - text_values  # nothing misplaced
    unconfirmed = [t for t in parsed.tables if "do not add up to its 总分" in (t["warnings"] or "")]
    assert unconfirmed and all(t["value_count"] == 0 for t in unconfirmed)
