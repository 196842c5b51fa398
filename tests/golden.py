"""Golden files of the readers: for each reader, the tables it reads from a few pages, as
rows × columns CSV beside the tests (tests/golden/<reader>/<table>.csv). `test_golden.py`
reads the same pages again and compares cell for cell.

They change only by an explicit command, whose output is reviewed as a diff:

    make golden        # = .venv/bin/python -m tests.golden
    git diff tests/golden

`LANDED_CASES` hold what the interpreters land from named pages of corpus documents: one CSV of
values (row, column, project, labels, printed text, number, 元 amount) per table.

Pages are drawn from the reference extractions in data/raw/ (tests/reference_renderer.py, with
and without rules), drawn for a pattern no corpus page shows (tests/golden_drawings.py), or
taken from the shared corpus (skipped where it is absent).
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.catalogue import titles
from ingest.model import RawTable

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden"
RAW = TESTS.parent / "data" / "raw"
CORPUS = TESTS.parent.parent / "shared" / "corpus" / "documents"
JIANGSU = "ae86jack__open-budget/pdf_files/jszwfw/"
MAX_TABLES = 8  # per reader: enough to show each of its rules, few enough to review


@dataclass(frozen=True)
class Case:
    reader: str  # the folder under tests/golden, named after the reader module
    source: str  # a reference in data/raw/ (by its number) or a path under the corpus
    drawn: str | None  # "ruled" / "unruled": drawn from the reference; None: read as it is
    origin: str  # the tables of this reader (RawTable.origin)
    # interpreted cases: the values these tables (by ordinal) land, each with the row and
    # column the interpreter gave it, and the table's reading_status — rows × columns as read
    interpreted: tuple[int, ...] = ()

    def path(self, workdir: Path) -> Path | None:
        """The file to read (drawn into `workdir` when it is a drawing); None when absent."""
        if self.drawn is None and not self.source.startswith("0"):
            path = CORPUS / self.source
            return path if path.exists() else None
        reference = next(RAW.glob(f"{self.source}_*.txt"))
        if self.drawn is None:
            return reference
        from tests.reference_renderer import render  # fpdf2 is only needed for drawn pages

        return render(reference.read_text("utf-8"), workdir / f"{self.source}_{self.drawn}.pdf",
                      ruled=self.drawn == "ruled")


CASES = (
    Case("text", "003", None, "text"),
    Case("ruled", "003", "ruled", "ruled"),
    Case("unruled_grid", "003", "unruled", "layout"),
    Case("unruled_form", "004", "unruled", "layout_form"),
    Case("ruled_corpus", "ae86jack__open-budget/pdf_files/jszwfw/江苏省人大办公厅/江苏省人大常委会办公厅2019年部门预算公开表.pdf", None, "ruled"),
    # each unit's classes listed in turn under its name (预算单位 column): sections per unit
    Case("units_in_turn", "calinchow-del__renwu/预算数据/003_深圳/2026年深圳市建筑工务署部门预算.pdf", None, "ruled",
         interpreted=(8,)),
    # 小计 | 其中：基本支出 | 项目支出 where 小计 = 基本 + 项目: the 其中 column is a component
    Case("of_which_component", "calinchow-del__renwu/预算数据/005_广州/2026年广州市气象局部门预算.pdf", None, "ruled",
         interpreted=(5,)),
    # a figure is a count where its row names what is counted (车辆数合计（辆）: 2), an amount elsewhere
    Case("counts_named_by_their_row", "004", None, "text", interpreted=(11,)),
)


@dataclass(frozen=True)
class LandedCase:
    """The values landed from named pages of a corpus document (the interpreters' golden
    files: what the warehouse receives, row × column, for a pattern of the corpus)."""

    name: str  # the folder under tests/golden
    source: str  # a path under the corpus
    pages: tuple[int, ...]  # the tables starting on these pages
    max_groups: int = 3  # a form table holding many projects: its first few, enough to review
    max_rows: int = 1000  # a long table: its first rows, enough to review
    # the tables (by their template) whose own sums must confirm the reading (reading_status)
    confirmed: tuple[str, ...] = ()

    @property
    def reader(self) -> str:
        return self.name


VALUE_FIELDS = ("row_index", "column_index", "group_index", "section", "row_label", "row_key", "function_code",
                "economic_code", "gov_economic_code", "column_path", "value_kind", "raw_text", "published_value", "unit",
                "amount_yuan")
LANDED_CASES = (
    # a target form per page, stitched across pages: funds and indicator targets, by project
    LandedCase("targets_yantai", "calinchow-del__renwu/预算数据/025_烟台/2026年烟台市发展和改革委员会部门预算.pdf", (32,)),
    # a target form titled by its project (no 项目名称 row); a department's overall targets
    LandedCase("targets_quanzhou", "calinchow-del__renwu/预算数据/021_泉州/2026年泉州市公安局部门预算.pdf", (26, 52)),
    # a list of key projects, its header naming its unit (预算数（单位：万元）), over four pages
    LandedCase("targets_list_guangzhou", "calinchow-del__renwu/预算数据/005_广州/市场监督管理局_2026年部门预算.pdf", (59,),
               max_groups=30),
    # codes printed in brackets before the names ('[201]一般公共服务支出', '[30101]基本工资'): function
    # and economic codes by their shape, the names without them
    LandedCase("bracket_codes_guangzhou", "calinchow-del__renwu/预算数据/005_广州/国有资产监督管理委员会_2026年部门预算.pdf",
               (12, 14, 16), max_rows=12),
    # a 机关运行经费 table's code column its header does not name: economic codes (302, 30201)
    LandedCase("running_costs_economic_codes", "calinchow-del__renwu/预算数据/006_苏州/2026年苏州市科技创新局部门预算.pdf",
               (29,)),
    # a list of key projects, the unit's name before the project's
    LandedCase("targets_list_shenzhen", "calinchow-del__renwu/预算数据/003_深圳/2026年深圳市信访局部门预算.pdf", (10,),
               max_groups=30),
    # the error patterns of issue 15, each on a page of the corpus that shows it:
    # body rows at the top of a continuation page whose top rule the page break left undrawn
    # (read as running text, the rest of the table orphaned): 302's rows on p16, p17
    LandedCase("rows_under_an_undrawn_top_rule", JIANGSU + "江苏省高级人民法院/省法院2017年度部门预算公开.pdf", (15, 16),
               max_rows=60, confirmed=("budget_basic_by_economic", "budget_running_costs")),
    # a one-row table whose header cells sit a grid column right of their figures (合计 | 基本支出
    # | 项目支出 | 单位预留机动经费): aligned to its header, 合计 = the parts
    LandedCase("one_row_table_aligned", JIANGSU + "江苏省高级人民法院/省法院2017年度部门预算公开.pdf", (13,),
               confirmed=("budget_expenditure_summary",)),
    # a figure printed past its cell's rule ('2,388.0' | '4'): one figure, in its own column
    LandedCase("figure_past_its_rule", JIANGSU + "江苏省人民检察院/2018年省检察院部门预算公开.pdf", (15,),
               confirmed=("budget_expenditure_summary",)),
    # … but a figure of the next cell printed against the rule stays whole ('244,895.02' |
    # '192,446.79', never '244,895.021' | '92,446.79')
    LandedCase("figure_against_the_next_rule", "calinchow-del__renwu/预算数据/004_重庆/2026年重庆市经济和信息化委员会部门预算.pdf",
               (8,), max_rows=4, confirmed=("budget_income_summary",)),
    # a title wrapped over two lines whose last line is itself a title ('…“三公”经费、会议费、
    # 培训费' / '支出预算表'): the 三公 table, not a 支出预算表
    LandedCase("title_wrapped_over_two_lines", JIANGSU + "江苏省人民检察院/2018年省检察院部门预算公开.pdf", (19,),
               confirmed=("budget_three_public",)),
    # procurement by item: a row named by its item (采购物品名称), never by how it is bought (a
    # row printing only 分散自行组织 is the item above); 总计 is no part of 采购组织形式
    LandedCase("procurement_by_item_jiangsu", JIANGSU + "江苏省人民检察院/2018年省检察院部门预算公开.pdf", (20,)),
    # procurement by item where every row prints project, economic class, item and method
    LandedCase("procurement_by_item_suzhou", "calinchow-del__renwu/预算数据/006_苏州/2026年苏州市审计局部门预算.pdf", (22,)),
    # the labels of two rows apart across a page break: '本年收入合计' is whole, '上年结转结余'
    # opening the next page is the next row, not the rest of its name
    LandedCase("rows_apart_across_a_page_break", "calinchow-del__renwu/预算数据/079_湖州/2026年湖州市退役军人事务局部门预算.pdf",
               (22,)),
    # a row cut by the page break, its figure with it ('12,437.3' / '6'): one row, one figure
    LandedCase("figure_cut_at_a_page_break", "calinchow-del__renwu/预算数据/008_杭州/2026年杭州市公安局部门预算.pdf", (21,),
               confirmed=("budget_income_summary",)),
    # one document, two units: tables in 元 (figures separated only in their last group,
    # '125360,898') and its 三公 table in 万元, each landed in its own unit
    LandedCase("units_change_within_a_document", "calinchow-del__renwu/预算数据/001_上海/2026年上海市人力资源和社会保障局_部门预算.pdf",
               (8, 19), confirmed=("budget_income_summary", "budget_three_public")),
    # drawn (tests/golden_drawings.py): whole-number amounts under measure headers, never codes
    LandedCase("three_public_whole_numbers", "drawn:three_public_whole_numbers", (2,), confirmed=("budget_three_public",)),
    # codes joined to names ('501-…', '50101/30101-基本工资'): each code in its scheme
    LandedCase("economic_codes_joined_to_names", "drawn:economic_codes_joined_to_names", (2,),
               confirmed=("budget_basic_by_economic",)),
    # a total restated net of a part ('扣除基建项目后预算数') beside 合计 | 基本 | 项目: not a component
    LandedCase("total_net_of_a_part", "drawn:total_net_of_a_part", (2,), confirmed=("budget_general_by_function",)),
    # titles once missed ('…（不含上年结转）', 政府购买服务预算表), numbered past 10 (预算11表)
    LandedCase("title_variants", "drawn:title_variants", (2, 3),
               confirmed=("budget_general_by_function",)),
    # rows carrying two codes (部门 30101 and 政府 50101 economic classification): both kept
    LandedCase("two_code_schemes", "calinchow-del__renwu/预算数据/025_烟台/2026年烟台市医疗保障局部门预算.pdf", (22,),
               max_rows=12),
)


DRAWN = "drawn:"  # a LandedCase source drawn by tests/golden_drawings.py, not read from the corpus


@lru_cache(maxsize=4)
def _parsed(source: str):  # one document is parsed once for the cases that name its pages
    from ingest.document import parse_document

    if not source.startswith(DRAWN):
        return parse_document(CORPUS / source)
    import tempfile

    from tests.golden_drawings import DRAWINGS

    with tempfile.TemporaryDirectory() as tmp:
        name = source.removeprefix(DRAWN)
        return parse_document(DRAWINGS[name](Path(tmp) / f"{name}.pdf"))


def reading_statuses(case: LandedCase) -> dict[str, str] | None:
    """The reading_status of each table on the case's pages, by template (None: absent)."""
    if not case.source.startswith(DRAWN) and not (CORPUS / case.source).exists():
        return None
    return {t["template_id"]: t["reading_status"] for t in _parsed(case.source).tables
            if t["first_page"] in case.pages}


def actual_values(case: LandedCase) -> dict[str, str] | None:
    if not case.source.startswith(DRAWN) and not (CORPUS / case.source).exists():
        return None
    parsed = _parsed(case.source)
    found = {}
    tables = [t for t in parsed.tables if t["first_page"] in case.pages]
    for k, table in enumerate(tables, start=1):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["template_id", *VALUE_FIELDS])
        for v in parsed.values:
            if (v["table_id"] == table["table_id"] and (v["group_index"] or 0) < case.max_groups
                    and v["row_index"] < case.max_rows):
                writer.writerow([table["template_id"], *("" if v[f] is None else v[f] for f in VALUE_FIELDS)])
        found[f"table_{k:02d}.csv"] = out.getvalue()
    return found


def read_tables(case: Case, workdir: Path) -> list[RawTable] | None:
    """The tables `case`'s reader reads from its pages, in document order (None: absent)."""
    from ingest.read.pdf import read_pdf  # pdfplumber is only loaded for PDFs
    from ingest.read.text import read_text

    path = case.path(workdir)
    if path is None:
        return None
    if path.suffix == ".txt":
        _, tables = read_text(path.read_text("utf-8"))
    else:
        _, tables, _ = read_pdf(path, path.read_bytes(), titles())
    return [t for t in tables if t.origin == case.origin][:MAX_TABLES]


def as_csv(table: RawTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in table.rows:
        writer.writerow([c.text for c in row])
    return out.getvalue()


def expected(case: Case | LandedCase) -> dict[str, str]:
    folder = GOLDEN / case.reader
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.csv"))}


def interpreted_csv(table: dict, values: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reading_status", table["reading_status"], table["reading_identities_held"],
                     table["reading_identities_failed"], table["reading_note"] or ""])
    writer.writerow(["row", "column", "section", "code", "row_label", "column_path", "text", "kind"])
    for v in values:
        writer.writerow([v["row_index"], v["column_index"], v["section"] or "",
                         v["function_code"] or v["economic_code"] or "", v["row_label"] or "",
                         v["column_path"] or "", v["raw_text"], v["value_kind"]])
    return out.getvalue()


def actual(case: Case, workdir: Path) -> dict[str, str] | None:
    if case.interpreted:
        from ingest.document import parse_document

        path = case.path(workdir)
        if path is None:
            return None
        parsed = parse_document(path)
        return {
            f"table_{t['table_ordinal']:02d}.csv": interpreted_csv(
                t, [v for v in parsed.values if v["table_id"] == t["table_id"]])
            for t in parsed.tables if t["table_ordinal"] in case.interpreted
        }
    tables = read_tables(case, workdir)
    if tables is None:
        return None
    return {f"table_{k:02d}.csv": as_csv(t) for k, t in enumerate(tables, start=1)}


def _write(name: str, source: object, files: dict[str, str] | None, what: str) -> None:
    """Replace one case's golden files by what the reader gives today."""
    if files is None:
        print(f"{name}: {source} is absent; its golden files are left as they are", file=sys.stderr)
        return
    folder = GOLDEN / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    for file_name, text in files.items():
        (folder / file_name).write_text(text, "utf-8")
    print(f"{name}: {len(files)} {what} written to {folder.relative_to(TESTS.parent)}", file=sys.stderr)


def regenerate(workdir: Path) -> None:
    for case in CASES:
        _write(case.reader, case.source, actual(case, workdir), "tables")
    for landed in LANDED_CASES:
        _write(landed.name, landed.source, actual_values(landed), "tables' values")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        regenerate(Path(tmp))
    print("review with: git diff tests/golden", file=sys.stderr)
