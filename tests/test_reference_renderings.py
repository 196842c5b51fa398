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
    page's foot, and the performance forms, section by section, across page breaks. Tables
    printed empty (a header and its 栏次 line) land announced empty, as from the text."""
    for source in sorted(RAW.glob("*.txt")):
        pdf = render(source.read_text("utf-8"), tmp_path / f"{source.stem}.pdf", ruled=False)
        from_text, from_pdf = parse_document(source), parse_document(pdf)
        text_values = Counter(map(value_key, from_text.values))
        pdf_values = Counter(map(value_key, from_pdf.values))
        assert sum(text_values.values()) > 100
        assert pdf_values == text_values, (source.name, sum((text_values & pdf_values).values()))
        text_empty = [t["template_id"] for t in from_text.tables if t["announced_empty"]]
        pdf_empty = [t["template_id"] for t in from_pdf.tables if t["announced_empty"]]
        # (a table of contents, titles and page numbers without amounts, is not read from
        # the layout: it is running text there)
        assert pdf_empty == [t for t in text_empty if t != "contents"], source.name


def test_forms_drawn_without_rules_keep_their_figures_and_facts(tmp_path):
    """Every figure of the unruled forms lands as from the text (above); their facts too, or
    none where the rendering prints a value in the row below its label (a cell merged down):
    a label is never taken for a value, a value never taken from another label."""
    source = RAW / "004_c9d9658e9d72202a.txt"
    pdf = render(source.read_text("utf-8"), tmp_path / "unruled.pdf", ruled=False)
    facts = ("project_name", "supervising_department", "implementing_unit")

    def forms(parsed) -> list[dict]:
        return [t for t in parsed.tables if t["template_id"] == "perf_project_self_evaluation"]

    from_text, from_pdf = forms(parse_document(source)), forms(parse_document(pdf))
    assert len(from_pdf) == len(from_text) == 17
    assert [t["value_count"] for t in from_pdf] == [t["value_count"] for t in from_text]
    read = [(p[f], t[f]) for p, t in zip(from_pdf, from_text, strict=True) for f in facts]
    assert all(p in (t, None) for p, t in read)
    # two forms print their department merged down beside the funding header
    assert sum(p != t for p, t in read) == 2


def test_a_form_printed_without_its_title_is_read_as_a_form(tmp_path):
    """A form whose title is not printed above it is found by its first field (项目名称) and
    its words, as the recogniser finds it, and read section by section like any other: its
    name wrapped above that field included."""
    text = (RAW / "001_eeff97a73e190905.txt").read_text("utf-8")
    for title in ("项目资金绩效目标自评表", "临夏市医疗保障局项目绩效目标自评表 (2023年度)"):
        assert title in text
        text = text.replace(title + "\n", "附表\n")
    (tmp_path / "untitled.txt").write_text(text, "utf-8")
    from_text = parse_document(tmp_path / "untitled.txt")
    from_pdf = parse_document(render(text, tmp_path / "untitled.pdf", ruled=False))

    def forms(parsed) -> list[tuple]:
        return [(t["recognised_by"], t["project_name"], t["value_count"])
                for t in parsed.tables if t["template_id"] == "perf_project_self_evaluation"]

    assert forms(from_pdf) == forms(from_text) == [
        ("signature", "37个社区经保网运维费", 23), ("signature", "居民医疗保险工作经费", 22)]
    assert Counter(map(value_key, from_pdf.values)) == Counter(map(value_key, from_text.values))
