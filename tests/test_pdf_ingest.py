"""PDF ingest on drawn PDFs (real files, parsed by pdfplumber) and on the shared corpus."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.errors import NotADisclosure, NoTextLayer, UnreadableDocument, UnsupportedFormat
from tests.pdf_drawing import LEFT, UP, Grid, Page, draw

pytestmark = pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists(),
    reason="WenQuanYi Micro Hei is not installed (make fonts installs it)",
)

HEADER = [
    ["项目", LEFT, LEFT, LEFT, "本年支出", LEFT, LEFT],
    ["功能分类科目编码", LEFT, LEFT, "科目名称", "小计", "基本支出", "项目支出"],
    ["类", "款", "项", UP, UP, UP, UP],
]
WIDTHS = [40, 30, 30, 170, 80, 80, 80]


def income_document(tmp_path: Path) -> Path:
    first = Grid(
        HEADER
        + [
            ["合计", LEFT, LEFT, LEFT, "1,392.51", "1,369.24", "23.27"],
            ["208", "", "", "社会保障和就业支出", "1,364.58", "1,364.58", ""],
            ["208", "01", "", "人力资源和社会保障管理事务", "1,364.58", "1,364.58", ""],
            ["208", "01", "09", "社会保险经办机构", "1,364.58", "1,364.58", ""],
            ["210", "", "", "卫生健康支出", "27.93", "4.66", "23.27"],
            ["210", "15", "", "医疗保障管理事务", "27.93", "4.66", "23.27"],
        ],
        WIDTHS,
    )
    continued = Grid(
        HEADER
        + [
            ["210", "15", "02", "一般行政管理\n事务", "12.93", "4.66", "8.27"],
            ["210", "15", "50", "事业运行", "15.00", "—", "15.00"],
        ],
        WIDTHS,
    )
    return draw(
        tmp_path / "x.pdf",
        [
            Page(["测试县医疗保障局", "2024年度部门决算"]),
            Page(["一般公共预算财政拨款支出决算表", "公开05表", "部门名称：测试县医疗保障局", "金额单位：万元", first]),
            Page([continued], landscape=True),
        ],
    )


@pytest.fixture
def parsed(tmp_path):
    return parse_document(income_document(tmp_path))


def by_code(parsed, code):
    return {v["column_path"]: v for v in parsed.values if v["function_code"] == code}


def test_pdf_document_is_recognised(parsed):
    doc = parsed.document
    assert (doc["issuer_name"], doc["fiscal_year"], doc["document_kind"], doc["scope"]) == (
        "测试县医疗保障局", 2024, "决算", "部门",
    )
    assert doc["page_count"] == 3 and doc["format"] == "pdf"
    assert [t["template_id"] for t in parsed.tables] == ["final_05_general_budget_expenditure"]


def test_codes_split_over_three_columns_are_joined(parsed):
    row = by_code(parsed, "2080109")
    assert row["本年支出/小计"]["amount_yuan"] == Decimal("13645800.00")
    assert row["本年支出/小计"]["row_label"] == "社会保险经办机构"


def test_table_continued_on_a_landscape_page_is_stitched_without_its_repeated_header(parsed):
    assert len(parsed.tables) == 1
    row = by_code(parsed, "2101550")
    assert row["本年支出/项目支出"]["page"] == 3
    assert row["本年支出/项目支出"]["raw_text"] == "15.00"
    assert "本年支出/基本支出" not in row  # '—' is no value
    headers = [c for c in parsed.cells if c["text"] == "科目名称"]
    assert len(headers) == 1  # the repeated header was dropped


def test_name_wrapped_inside_its_cell_is_joined(parsed):
    assert by_code(parsed, "2101502")["本年支出/小计"]["row_label"] == "一般行政管理事务"


def test_every_pdf_value_has_page_and_box(parsed):
    for v in parsed.values:
        assert v["page"] in (2, 3)
        assert v["bbox_x0"] < v["bbox_x1"] and v["bbox_top"] < v["bbox_bottom"]


def test_parsed_table_adds_up(parsed):
    """The strongest check a parser has: the printed totals equal the sums of their parts."""
    total = by_code(parsed, "210")["本年支出/小计"]["amount_yuan"]
    items = [by_code(parsed, c)["本年支出/小计"]["amount_yuan"] for c in ("2101502", "2101550")]
    assert total == sum(items) == Decimal("279300.00")
    grand = next(v for v in parsed.values if v["line_item"] == "合计" and v["column_path"] == "本年支出/小计")
    classes = [by_code(parsed, c)["本年支出/小计"]["amount_yuan"] for c in ("208", "210")]
    assert grand["amount_yuan"] == sum(classes)


def test_pdf_without_text_is_rejected(tmp_path):
    path = draw(tmp_path / "scan.pdf", [Page([Grid([["", ""]], [50, 50])])])
    with pytest.raises(NoTextLayer, match="no extractable text"):
        parse_document(path)


def test_truncated_pdf_is_rejected(tmp_path):
    whole = income_document(tmp_path).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(UnreadableDocument) as err:
        parse_document(path)
    assert "truncated.pdf" in str(err.value)


def test_encrypted_pdf_is_rejected(tmp_path):
    from fpdf import FPDF

    from tests.pdf_drawing import FONT

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=9)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(100, 10, "2024年度部门决算")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(UnreadableDocument, match="encrypted"):
        parse_document(path)


def test_corpus_rejects_are_refused_with_their_reason(corpus):
    html = corpus / "rejects" / "医疗保障局_重庆市医疗保障局2026年部门预算情况说明.pdf"
    with pytest.raises(UnsupportedFormat, match="HTML"):
        parse_document(html)
    drugs = corpus / "rejects" / "医疗保障局_2026年部门预算.pdf"
    with pytest.raises(NotADisclosure, match="not a budget disclosure"):
        parse_document(drugs)


def test_corpus_scanned_document_is_refused(corpus):
    scanned = next((corpus / "documents").rglob("公安局交通警察局_2026年部门预算.pdf"))
    with pytest.raises(NoTextLayer):
        parse_document(scanned)


def test_corpus_budget_with_split_codes(corpus):
    path = next((corpus / "documents").rglob("上海市普陀区财政局部门25年预算.pdf"))
    parsed = parse_document(path)
    assert (parsed.document["issuer_name"], parsed.document["fiscal_year"]) == ("上海市普陀区财政局", 2025)
    assert all(t["template_id"] != "generic" for t in parsed.tables)
    rows = [
        v for v in parsed.values
        if v["template_id"] == "budget_general_by_function" and v["function_code"] == "2010601"
    ]
    assert {(v["column_path"].split("/")[-1], v["raw_text"]) for v in rows} == {
        ("合计", "16,231,840.80"), ("基本支出", "16,093,326.00"), ("项目支出", "138,514.80"),
    }
    assert {v["page"] for v in rows} == {15}


def test_corpus_one_issuer_across_its_years(corpus):
    """江苏省人大常委会办公厅 2017-2019: one name although 2018 wraps its 部门名称 line and 2019
    prints its title only inside the tables."""
    folder = next((corpus / "documents").rglob("江苏省人大办公厅"))
    documents = [parse_document(p).document for p in sorted(folder.glob("*.pdf"))]
    assert sorted((d["fiscal_year"], d["issuer_name"]) for d in documents) == [
        (2017, "江苏省人大常委会办公厅"), (2018, "江苏省人大常委会办公厅"), (2019, "江苏省人大常委会办公厅"),
    ]


def test_corpus_issuer_from_the_file_name_when_the_cover_is_an_image(corpus):
    path = next((corpus / "documents").rglob("江苏省政协办公厅2019年度部门预算.pdf"))
    parsed = parse_document(path)
    assert parsed.document["issuer_name"] == "江苏省政协办公厅"
    assert any("taken from the file name" in w for w in parsed.warnings)


def test_corpus_unit_caption_on_every_page_is_each_tables_unit(corpus):
    """上海市普陀区社会福利院 prints '编制单位：… 单位：元' above every table: a line on most pages,
    but the unit of each table, not a running header; its 三公 table alone is in 万元."""
    path = next((corpus / "documents").rglob("1769321433314-826553525.pdf"))
    parsed = parse_document(path)
    units = {t["template_id"]: t["unit"] for t in parsed.tables}
    assert units.pop("budget_three_public") == "万元"
    assert set(units.values()) == {"元"} and len(units) == 8
    health = next(
        v for v in parsed.values
        if v["template_id"] == "budget_general_by_function" and v["function_code"] == "210"
        and v["column_path"].endswith("合计")
    )
    assert (health["raw_text"], health["amount_yuan"]) == ("503,724", Decimal("503724"))


def test_corpus_captions_drawn_in_the_grid_are_lifted_past_empty_rows(corpus):
    """福利院's 财政拨款收支预算总表 draws its title, an empty row and '编制单位：… 单位：元' inside
    the grid: all three are the table's caption, not its header."""
    path = next((corpus / "documents").rglob("1769321433314-826553525.pdf"))
    parsed = parse_document(path)
    table = next(t for t in parsed.tables if t["template_id"] == "budget_appropriation_summary")
    paths = {v["column_path"] for v in parsed.values if v["table_id"] == table["table_id"]}
    assert paths and not any("单位" in p for p in paths)
    assert table["unit"] == "元"


def test_corpus_relative_codes_land_as_absolute_codes_and_never_as_amounts(corpus):
    """烟台 prints one 类款项 column with 款 and 项 relative to their parent (205, 08, 03)."""
    path = next((corpus / "documents").rglob("2026年烟台市医疗保障局部门预算.pdf"))
    parsed = parse_document(path)
    assert not [v for v in parsed.values if "科目编码" in (v["column_path"] or "")]
    income = [v for v in parsed.values if v["template_id"] == "budget_income_summary" and v["column_path"] == "合计"]
    by_code = {v["function_code"]: v["amount_yuan"] for v in income}
    assert by_code["2050803"] == by_code["20508"] == by_code["205"] == Decimal("47000")  # 4.70 万元
    assert by_code["20827"] == by_code["2082799"] == Decimal("700000")
    assert sum(a for c, a in by_code.items() if c and len(c) == 3) == Decimal("163756700")  # the 合计
    economic = [v for v in parsed.values if v["template_id"] == "budget_basic_by_economic"]
    assert ("30101", "50101") in {(v["economic_code"], v["gov_economic_code"]) for v in economic}


def test_corpus_column_numbers_marked_with_stars_are_not_header(corpus):
    """杭州 prints its column numbers as '** | ** | 1 | 2 …': they number the columns; they
    are not a header row (which made 财政专户管理资金 a child of 国有资本经营预算)."""
    path = next((corpus / "documents").rglob("2026年杭州市气象局部门预算.pdf"))
    tables = {t["template_id"]: t for t in parse_document(path).tables}
    assert json.loads(tables["budget_projects"]["column_paths"])[-2:] == ["财政专户管理资金", "单位资金"]
    assert json.loads(tables["budget_state_capital"]["column_paths"]) == ["功能分类科目名称", "项目支出"]


def test_corpus_a_header_spans_past_a_covered_column(corpus):
    path = next((corpus / "documents").rglob("江苏省人大办公厅2017年度预算公开.pdf"))
    summary = next(t for t in parse_document(path).tables if t["template_id"] == "budget_income_expenditure_summary")
    assert "支出/功能分类/金额" in json.loads(summary["column_paths"])


def test_corpus_a_unit_line_without_its_colon_still_sets_the_unit(corpus):
    """重庆's 2026 budgets print '单位：万元' with the colon on a baseline of its own; the text
    layer reads '单位名称 … 单位 万元'. Every table is in 万元, so the 合计 of the 一般公共预算
    支出 table (192,446.79 printed) lands as 元, not as an amount without a unit."""
    path = next((corpus / "documents").rglob("2026年重庆市经济和信息化委员会部门预算.pdf"))
    parsed = parse_document(path)
    assert {t["unit"] for t in parsed.tables} == {"万元"}
    total = next(v for v in parsed.values if v["template_id"] == "budget_general_by_function"
                 and v["raw_text"] == "192,446.79")
    assert total["amount_yuan"] == Decimal("1924467900")


def test_corpus_a_font_declaring_an_em_of_descent_keeps_its_figures_in_their_row(corpus):
    """重庆气象局's 基本支出 table prints codes and figures in a font whose declared descent is
    over an em: pdfminer's boxes for them sit a line below the ink, in the next row, and every
    label landed one row away from its code and figure (30217 公务接待费 0.30 read as 劳务费)."""
    path = next((corpus / "documents").rglob("2026年重庆市气象局部门预算.pdf"))
    rows = {(v["economic_code"], v["row_label"], v["raw_text"]) for v in parse_document(path).values
            if v["template_id"] == "budget_basic_by_economic" and v["column_path"].endswith("计")}
    assert {("301", "工资福利支出", "5,293.75"), ("30101", "基本工资", "110.24"),
            ("30217", "公务接待费", "0.30"), ("30226", "劳务费", "2.30")} <= rows


def test_corpus_rows_named_by_a_unit_and_a_year_keep_both(corpus):
    """深圳's 三公 table names each row by 预算单位 (printed once per block) and 年度 (2025年,
    2026年, 增减变化金额): a row is the unit's year, never a bare '2026年' of no unit."""
    path = next((corpus / "documents").rglob("2026年深圳市建筑工务署部门预算.pdf"))
    totals = {v["row_label"]: v["raw_text"] for v in parse_document(path).values
              if v["template_id"] == "budget_three_public" and v["column_path"] == "总计/一般公共预算"}
    assert totals["深圳市建筑工务署/2025年"] == "117.42"
    assert totals["深圳市建筑工务署/2026年"] == "100.22"
    assert totals["深圳市建筑工务署文体和水务工程管理中心/2025年"] == "13.80"
    assert not [label for label in totals if "/" not in label]


def test_corpus_double_borders_are_one_border(corpus):
    """江苏's 2018 检察院 budget draws each header cell's box a few points inside its cell: the
    table finder saw phantom rows and columns, figures sat a column off and whole tables lost
    their body rows. Rulings that close are one border: the economic table's sums now
    confirm its reading, and the procurement table lands item by item."""
    path = next((corpus / "documents").rglob("2018年省检察院部门预算公开.pdf"))
    parsed = parse_document(path)
    status = {t["template_id"]: t["reading_status"] for t in parsed.tables}
    assert status["budget_basic_by_economic"] == status["budget_appropriation_basic"] == "confirmed"
    items = {v["row_label"]: v["raw_text"] for v in parsed.values if v["template_id"] == "budget_procurement"}
    assert items["PC服务器"] == "40.00" and items["合计"] == "3,096.24"


def test_corpus_a_table_titled_in_its_grid_below_empty_rows_is_a_table_of_its_own(corpus):
    """江苏省政协办公厅 2019 draws each table's title and caption as a row of its grid, under
    rows left empty: four tables (支出预算总表, 财政拨款支出预算表（功能科目）, 一般公共预算支出
    预算表（功能科目）, 政府采购预算表) were read as the previous table running on."""
    path = next((corpus / "documents").rglob("江苏省政协办公厅2019年预算公开表.pdf"))
    tables = parse_document(path).tables
    assert [t["first_page"] for t in tables] == list(range(1, 13))
    by_page = {t["first_page"]: t["template_id"] for t in tables}
    assert by_page[5] == "budget_appropriation_expenditure" and by_page[12] == "budget_procurement"


def test_an_empty_table_drawn_in_few_paths_and_printing_no_figure_is_read(corpus):
    # 上海民政's unit budget (福利彩票发行中心) prints four tables with a header and an empty 合计
    # row only, each grid painted in two or three path objects: pages the reader skipped as
    # running text, so the tables were reported missing (fatal) instead of empty
    path = corpus / "documents/calinchow-del__renwu/预算数据/001_上海/2026年上海市民政局_部门预算.pdf"
    tables = {t["template_id"]: (t["first_page"], t["is_empty"]) for t in parse_document(path).tables}
    assert {k: tables.get(k) for k in ("budget_general_by_function", "budget_state_capital",
                                       "budget_basic_by_economic", "budget_three_public")} == {
        "budget_general_by_function": (11, True), "budget_state_capital": (13, True),
        "budget_basic_by_economic": (14, True), "budget_three_public": (15, True)}
    assert tables["budget_government_fund"] == (12, False)
