"""Which files are disclosures, and who, when, what and for whom each one is: issuer, fiscal
year, kind and scope read from the document itself (its title, its 部门/单位 line, its text),
never from the name a collector saved it under; a refusal says what the file really is.
Pinned to named documents of the shared corpus (skipped when it is absent) and to drawn PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.errors import NotADisclosure
from ingest.formats import Format
from ingest.genre import other_genre, refusal, unreadable_text
from ingest.interpret.recognise import issuer_key, recognise_document
from ingest.model import ReadDocument, TextLine
from tests.pdf_drawing import FONT, Grid, Page, draw


def _document(corpus: Path, name: str) -> Path:
    found = sorted((corpus / "documents").rglob(name)) + sorted((corpus / "rejects").glob(name))
    assert found, f"{name} is missing from the shared corpus"
    return found[0]


# Files saved under a budget's name that are something else, and what each one's opening says
@pytest.mark.parametrize(("name", "what"), [
    ("2026年泉州市气象局部门预算.pdf", "an official document numbered 泉气函〔2024〕31号"),
    ("2026年宜宾市政府办公厅部门预算.pdf", "an official notice or circular: 关于2026年第一季度政务公开"),
    ("2026年厦门市市场监督管理局部门预算.pdf", "an official notice or circular: 关于印发《厦门市企业内设加油点"),
    ("2026年潍坊市统计局部门预算.pdf", "a party inspection bulletin"),
    ("卫生健康委员会_2026年部门预算.pdf", "a party inspection bulletin: 巡察通告"),
    ("2026年嘉兴市政府办公厅部门预算.pdf", "an official notice or circular: 关于公布2026年度市政府重大行政决策"),
    ("2026年包头市政府办公厅部门预算.pdf", "an official notice or circular: 关于印发包头市建筑垃圾"),
    ("2026年绵阳市政府办公厅部门预算.pdf", "an official notice or circular: 关于印发«四川省突发事件应急预案"),
    ("2026年珠海市教育局部门预算.pdf", "an official notice or circular: 关于印发《珠海市初中学业水平"),
    ("医疗保障局_2026年部门预算.pdf", "a list: 国家组织集采药品协议期满品种接续采购中选品种供应清单"),
    # it says 预算 (预算绩效管理) but is the finance bureau's evaluation of one fund in 2020
    ("015_长沙/国有资产监督管理委员会_2026年部门预算.pdf", "a performance evaluation report: 2020年度长沙市人民政府"),
])
def test_corpus_a_file_that_is_not_a_disclosure_is_refused_saying_what_it_is(corpus, name, what):
    with pytest.raises(NotADisclosure) as refused:
        parse_document(_document(corpus, name))
    assert refused.value.reason.startswith("not a budget disclosure: ")
    assert what in refused.value.reason


def test_a_disclosure_opening_with_a_cover_letter_is_not_taken_for_a_notice():
    """A budget published with its covering letter names itself a disclosure in its opening."""
    letter = ["关于公开2026年部门预算的通知", "测试市财政局2026年部门预算", "目录"]
    assert other_genre(letter) is None
    assert other_genre(["关于印发某某管理办法的通知", "各区人民政府："]) is not None


def test_a_text_layer_of_unmapped_glyphs_is_refused_as_unreadable():
    """Fonts without a Unicode map leave private-use code points where the page prints Chinese."""
    garbled = "".join(chr(0xE000 + k % 400) for k in range(300))
    assert unreadable_text(garbled)
    assert not unreadable_text("2026年部门预算" * 20)
    reason = refusal([garbled], 6, 20)
    assert reason.startswith("text layer unreadable: fonts without a Unicode map")
    assert "6 of 20 pages" in reason


@pytest.mark.skipif(not FONT.exists(), reason="WenQuanYi Micro Hei is not installed (make fonts installs it)")
def test_a_file_of_performance_targets_alone_is_a_budget_disclosure(tmp_path):
    """广州市生态环境局's 140-page 项目支出绩效目标表 never prints 预算 on its first pages, and
    repeats its title on every page: the title is the table's, not a running header, and the
    forms say the kind (targets are set with the budget)."""
    title = "测试市生态环境局2026年项目支出绩效目标表（含转移支付项目）"
    caption = "部门名称：测试市生态环境局 单位：万元"
    header = ["项目名称（资金使用单位）", "总计", "财政拨款", "其他资金", "绩效目标"]
    pages = [
        Page([title, caption, Grid([header] + [[f"监督检查经费{p}{k}", "12.00", "12.00", "", "完成检查"]
                                               for k in range(8)], [150, 60, 60, 60, 150])])
        for p in range(8)
    ]
    parsed = parse_document(draw(tmp_path / "targets.pdf", pages))
    document = parsed.document
    assert (document["issuer_name"], document["fiscal_year"], document["document_kind"], document["scope"]) == (
        "测试市生态环境局", 2026, "预算", "部门")
    assert [t["printed_title"] for t in parsed.tables] == [title]
    assert any("kind 预算 read from its 绩效目标 forms" in w for w in parsed.warnings)


def test_corpus_a_narrative_published_without_its_tables_says_so(corpus):
    """北京's 2026 budgets hold the narrative only (the tables are 附件, another file); the last
    entry of the contents ('十三、部门整体支出绩效目标表') does not turn the narrative into a form."""
    parsed = parse_document(_document(corpus, "2026年北京市统计局部门预算.pdf"))
    assert parsed.document["issuer_name"] == "北京市统计局"  # printed '北京市统计局部门 2026 年度'
    assert parsed.tables == [] and parsed.values == []
    assert ("no amounts landed: the file holds the narrative only; its tables were published as a"
            " separate file ('附件：北京市统计局部门2026年度部门预算报表')") in parsed.warnings
    assert any("51036.22" in c["sentence"] for c in parsed.claims)  # the narrative is read as narrative
    # 交通委 prints one table of its own: the fee schedule of 城市道路挖掘修复费 (rates, 元/㎡),
    # running on to p10 (its first row there under a top rule the page break left undrawn)
    fees = parse_document(_document(corpus, "2026年北京市交通委员会部门预算.pdf"))
    assert [w for w in fees.warnings if w.startswith("no amounts landed")] == [
        "no amounts landed: the file holds 1 table(s) (generic p9) from which no amount was"
        " read; its tables were published as a separate file ('附件：北京市交通委员会2026年度部门预算报表')"]
    jiangsu = parse_document(_document(corpus, "江苏省政协办公厅2017年度部门预算.pdf"))
    assert any("附件：2017年度部门预算公开表" in w for w in jiangsu.warnings)


def test_corpus_a_units_budget_under_a_departments_file_name_is_the_units(corpus):
    """The collector saved 上海交通职业技术学院's 单位预算 as 上海市交通运输局_部门预算: the document
    ('上海市2026年市级单位预算 / 预算单位：上海交通职业技术学院') is the truth."""
    document = parse_document(_document(corpus, "2026年上海市交通运输局_部门预算.pdf")).document
    assert (document["issuer_name"], document["scope"]) == ("上海交通职业技术学院", "单位")


def test_corpus_the_own_level_is_the_scope_not_part_of_the_name(corpus):
    """'福州市科学技术局(本级)': the issuer is the department, the document's scope 本级."""
    document = parse_document(_document(corpus, "2026年福州市科技创新局部门预算.pdf")).document
    assert (document["issuer_name"], document["scope"]) == ("福州市科学技术局", "本级")


def test_corpus_the_year_the_document_prints_wins_over_its_file_name(corpus):
    """无锡's 发展和改革局_2026年部门预算.pdf is the 2025 budget its cover prints."""
    document = parse_document(_document(corpus, "发展和改革局_2026年部门预算.pdf")).document
    assert (document["issuer_name"], document["fiscal_year"], document["scope"]) == ("无锡市发展和改革委员会", 2025, "部门")


def test_corpus_a_tables_only_file_takes_its_scope_from_its_department_line(corpus):
    """江苏省人大常委会办公厅's 2019 公开表 print no title but '部门： 江苏省人大常委会办公厅'."""
    parsed = parse_document(_document(corpus, "江苏省人大常委会办公厅2019年部门预算公开表.pdf"))
    assert parsed.document["scope"] == "部门"
    assert any(w.startswith("scope 部门 read from the 部门 line") for w in parsed.warnings)


def test_a_party_committee_is_one_issuer_with_or_without_its_zhonggong():
    assert issuer_key("江苏省委办公厅") == issuer_key("中共江苏省委办公厅") == "中共江苏省委办公厅"
    assert issuer_key("上海市普陀区委社会工作部") == "中共上海市普陀区委社会工作部"
    assert issuer_key("深圳市发展和改革委员会") == "深圳市发展和改革委员会"  # a commission, not the party
    assert issuer_key("江苏省人大常委会办公厅") == "江苏省人大常委会办公厅"


def _read(lines: list[str]) -> ReadDocument:
    return ReadDocument(Path("x.txt"), "0" * 64, Format.TEXT, None,
                        [TextLine(t, line=k) for k, t in enumerate(lines)], [])


def test_what_a_document_does_not_print_is_named_with_its_reason():
    info = recognise_document(_read(["测试县医疗保障局", "2024年度决算公开", "一、主要职能"]))
    assert (info.issuer_name, info.fiscal_year, info.kind, info.scope) == ("测试县医疗保障局", 2024, "决算", None)
    assert "scope not printed: no 部门, 单位 or 本级 in its title, on its 部门/单位 line or in its text" in info.warnings
    unit = recognise_document(_read(["2024年度决算公开", "单位名称：测试县医疗保险服务中心"]))
    assert (unit.issuer_name, unit.scope) == ("测试县医疗保险服务中心", "单位")


def test_corpus_own_level_only_where_the_title_says_it(corpus):
    """重庆市气象局's 部门预算 opens '…与本级人民政府双重领导': that is prose, not the scope."""
    document = parse_document(_document(corpus, "2026年重庆市气象局部门预算.pdf")).document
    assert (document["issuer_name"], document["scope"]) == ("重庆市气象局", "部门")


def test_corpus_unit_code_printed_in_the_caption(corpus):
    """湖州 prints the code before the name above each table: '606-湖州市交通运输局 单位：万元'."""
    document = parse_document(_document(corpus, "2026年湖州市交通运输局部门预算.pdf")).document
    assert (document["issuer_name"], document["issuer_code"], document["scope"]) == ("湖州市交通运输局", "606", "部门")
