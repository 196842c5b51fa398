"""The figures in the narrative (情况说明) as claims, resolved to the tables they restate."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from ingest.document import parse_document
from ingest.interpret.narrative import explanation_sentences, extract_claims, unresolved_sentences
from ingest.model import TextLine
from tests.conftest import REPO, make_build, seed


@pytest.fixture(scope="module")
def lan():
    return parse_document(seed("000"))


def claims_of(parsed, sentence_start: str) -> list[tuple]:
    return [(c["subject"], c["measure"], c["published_value"], c["unit"]) for c in parsed.claims
            if c["sentence"].startswith(sentence_start)]


def test_sentences_give_their_totals_changes_and_their_signs(lan):
    assert claims_of(lan, "2024年度收入总计392.51万元") == [
        ("收入总计", "amount", Decimal("392.51"), "万元"),
        ("支出总计", "amount", Decimal("392.51"), "万元"),
    ]
    assert claims_of(lan, "与上年相比，收入总计减少570.56万元") == [
        ("收入总计", "change_amount", Decimal("-570.56"), "万元"),  # 减少
        ("收入总计", "change_percent", Decimal("-59.24"), "%"),  # 下降
        ("支出总计", "change_amount", Decimal("-570.56"), "万元"),
        ("支出总计", "change_percent", Decimal("-59.24"), "%"),
    ]


def test_a_list_after_its_total_gives_parts_and_shares_of_that_total(lan):
    parts = [c for c in lan.claims if c["section"] == "二、收入决算情况说明"]
    total = next(c for c in parts if c["subject"] == "收入合计")
    share = next(c for c in parts if c["subject"] == "财政拨款收入" and c["measure"] == "share")
    assert share["published_value"] == Decimal("100.00")
    assert share["denominator_value_id"] == total["restated_value_id"] is not None
    values = {v["value_id"]: v for v in lan.values}
    assert values[total["restated_value_id"]]["raw_text"] == "392.51"  # 公开01表 本年收入合计
    assert values[share["subject_value_id"]]["column_path"] == "财政拨款收入"  # 公开02表 合计 row


def test_a_budget_figure_and_a_completion_rate_are_not_table_amounts(lan):
    claims = [c for c in lan.claims if "社会保障和就业支出年初预算369.25万元" in c["sentence"]]
    measures = [(c["measure"], c["raw_text"]) for c in claims]
    assert measures == [("budget_amount", "369.25万元"), ("amount", "364.58万元"), ("completion_rate", "98.74%")]
    budget, actual, _ = claims
    assert budget["restated_value_id"] is None  # the 决算 tables print no 年初预算 for a 类
    assert actual["restated_value_id"] is not None and actual["resolved_function_code"] == "208"


def test_a_threshold_is_not_a_figure():
    lines = [TextLine("十、其他重要事项情况说明", line=1),
             TextLine("单价100万元（含）以上设备（不含车辆）0台（套）。", line=2)]
    assert [(c.raw_text, c.measure) for c in extract_claims(lines)] == [("0台", "count")]


def test_a_class_the_table_does_not_print_resolves_to_its_code():
    # 临夏 lists every 类 with 0.00; its table prints only the two it spent on
    parsed = parse_document(seed("001"))
    claim = next(c for c in parsed.claims if c["subject"] == "外交支出" and c["measure"] == "amount")
    assert (claim["resolved_to"], claim["restated_value_id"]) == ("功能分类 202", None)


def test_nine_in_ten_explanation_sentences_with_an_amount_resolve():
    counted = resolved = 0
    for name in ("000", "001", "004"):  # the three reference final accounts
        claims = parse_document(seed(name)).claims
        sentences = explanation_sentences(claims)
        counted += len(sentences)
        resolved += len(sentences) - len(unresolved_sentences(claims))
    assert counted > 120 and resolved / counted >= 0.9, (resolved, counted)


def test_a_narrative_figure_that_truncates_its_table_value_is_a_finding_within_rounding(con):
    # 临夏 writes 奖金 119.36 万元 where its 公开06表 prints 1,193,673.00 元 (119.3673 rounds to
    # 119.37): cut off, not rounded. Within one unit of the narrative's last digit it is reported,
    # as info, not as a figure that contradicts its table
    rows = con.execute(
        """select i.outcome, i.left_amount, i.right_amount, i.tolerance, f.severity
           from identity_results i join dim_document d using (document_id)
           join findings f on f.finding_id = i.application_id
           where d.issuer_name = '临夏市医疗保障局' and i.identity_id = 'narrative_equals_table'
             and i.location like '%奖金%'"""
    ).fetchall()
    assert rows == [("holds_within_rounding", Decimal("1193600.00"), Decimal("1193673.00"), Decimal("100.0000"), "info")]
    claim = con.execute(
        "select is_resolved, claim_measure, resolved_economic_code from fct_narrative_claim"
        " where issuer_name = '临夏市医疗保障局' and subject = '奖金'"
    ).fetchall()
    assert claim == [(True, "amount", "30103")]


def test_a_change_against_last_year_is_checked_against_last_years_document(tmp_path):
    # 岚县 2024 says 收入总计 fell by 570.56 万元 and 财政拨款收入总计 by 568.26; its 2023 document,
    # drawn here, prints 收入总计 963.07 (a fall of 570.56: holds) but 财政拨款收入总计 392.51
    # (no fall at all: violated)
    raw = tmp_path / "raw"
    raw.mkdir()
    text = seed("000").read_text("utf-8")
    (raw / "lan_2024.txt").write_text(text, "utf-8")
    line = "总计\t31\t392.51\t总计\t62\t392.51"
    assert line in text
    (raw / "lan_2023.txt").write_text(
        text.replace("2024", "2023").replace(line, "总计\t31\t963.07\t总计\t62\t963.07"), "utf-8")
    warehouse = tmp_path / "w.duckdb"
    make_build(raw, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = dict(con.execute(
            """select i.location, i.outcome from identity_results i join dim_document d using (document_id)
               where i.identity_id = 'narrative_change_against_last_year' and d.fiscal_year = 2024"""
        ).fetchall())
        implied = con.execute(
            """select implied_prior_year_amount from fct_narrative_claim
               where fiscal_year = 2024 and subject = '收入总计' and claim_measure = 'change_amount'"""
        ).fetchall()
    assert rows["一、收入支出决算总体情况说明: 收入总计 570.56万元 against 2023"] == "holds_exactly"
    assert rows["四、财政拨款收支决算总体情况说明: 财政拨款收入总计 568.26万元 against 2023"] == "violated"
    assert implied == [(Decimal("9630700.00"),)]


def test_a_final_accounts_budget_figure_is_checked_against_that_years_budget(tmp_path):
    # 岚县 2024 决算 says 年初预算 891.55 万元 in all, 369.25 for 208 and 522.30 for 210; a 2024
    # budget printing the same holds, one printing 369.35 for 208 is violated there
    raw = tmp_path / "raw"
    raw.mkdir()
    final = seed("000").read_text("utf-8")
    budget = (REPO / "tests" / "fixtures" / "lan_budget_2024.txt").read_text("utf-8")
    (raw / "final.txt").write_text(final, "utf-8")
    (raw / "budget.txt").write_text(budget, "utf-8")
    other = "岚县另一医疗保险服务中心"
    (raw / "other_final.txt").write_text(final.replace("岚县医疗保险服务中心", other), "utf-8")
    row = "208\t社会保障和就业支出\t369.25\t346.00\t23.25"
    assert row in budget
    (raw / "other_budget.txt").write_text(
        budget.replace("岚县医疗保险服务中心", other).replace(row, "208\t社会保障和就业支出\t369.35\t346.10\t23.25"), "utf-8")
    warehouse = tmp_path / "w.duckdb"
    make_build(raw, warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select d.issuer_name, i.location, i.outcome from identity_results i join dim_document d using (document_id)
               where i.identity_id = 'final_budget_equals_budget_document' order by 1, 2"""
        ).fetchall()
    outcomes = {(issuer, location.split(": ")[1]): outcome for issuer, location, outcome in rows}
    assert outcomes[("岚县医疗保险服务中心", "社会保障和就业支出 年初预算 369.25万元")] == "holds_exactly"
    assert outcomes[("岚县医疗保险服务中心", "一般公共预算财政拨款支出 年初预算 891.55万元")] == "holds_exactly"
    assert outcomes[(other, "社会保障和就业支出 年初预算 369.25万元")] == "violated"
    assert outcomes[(other, "卫生健康支出 年初预算 522.30万元")] == "holds_exactly"


def test_a_line_named_by_its_chain_is_the_subject_of_the_figures_after_it():
    # 社会工作部 names each 项 on a line of its own, then its figures: the 行政运行 under
    # 社会工作事务, not the one under 人大事务
    from ingest.interpret.narrative import resolve

    lines = [TextLine(t, line=k) for k, t in enumerate([
        "五、一般公共预算财政拨款支出决算情况说明",
        "其中：1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。",
        "主要用于：行政单位人员支出。",
        "全年预算为 52.00 万元，支出决算为 51.32 万元。",
    ], start=1)]

    def value(code: str, name: str, amount: str, row: int) -> dict:
        return {"value_id": f"v{row}", "template_id": "final_05_general_budget_expenditure", "table_id": "t",
                "row_index": row, "column_index": 3, "line_item": name, "function_code": code,
                "economic_code": None, "column_path": "合计", "side": None, "value_kind": "amount",
                "amount_yuan": Decimal(amount)}

    values = [value("201", "一般公共服务支出", "1503200", 1), value("20101", "人大事务", "990000", 2),
              value("2010101", "行政运行", "990000", 3), value("20136", "社会工作事务", "513200", 4),
              value("2013601", "行政运行", "513200", 5)]
    claims = resolve(extract_claims(lines), values, {"final_05_general_budget_expenditure"})
    actual = next(c for c in claims if c["measure"] == "amount")
    assert (actual["raw_text"], actual["restated_value_id"]) == ("51.32 万元", "v5")


def test_a_narrative_published_apart_from_its_tables_is_resolved_against_them(tmp_path):
    # 岚县's publication cut in two: its tables in one file, its 情况说明 in another
    lines = seed("000").read_text("utf-8").split("\n")
    start = next(k for k, line in enumerate(lines) if line.startswith("### 第三部分 情况说明"))
    end = next(k for k, line in enumerate(lines) if line.startswith("#### 第四部分"))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "tables.txt").write_text("\n".join(lines[:start]) + "\n", "utf-8")
    (raw / "narrative.txt").write_text("\n".join(lines[:6] + [""] + lines[start:end]) + "\n", "utf-8")
    warehouse = tmp_path / "w.duckdb"
    result = make_build(raw, warehouse)
    assert "resolved against the tables of" in result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = dict(con.execute("select table_count > 0, is_current from dim_document").fetchall())
        claim = con.execute(
            """select c.is_resolved, a.document_id <> c.document_id, c.table_amount
               from fct_narrative_claim c join fct_amount a on a.value_id = c.restated_value_id
               where c.subject = '收入总计' and c.claim_measure = 'amount'"""
        ).fetchall()
        # each resolved claim names the companion document, and the cell where the table prints one
        named = con.execute(
            """select distinct c.resolved_source_file, d.source_file,
                      a.value_id is null or a.source_address = c.resolved_source_address
               from fct_narrative_claim c join dim_document d on d.document_id = c.resolved_document_id
               left join fct_amount a on a.value_id = c.subject_value_id where c.is_resolved"""
        ).fetchall()
        cells = con.execute(
            """select count(*) from fct_narrative_claim where is_resolved
               and resolved_source_address like 'tables.txt%'""").fetchone()[0]
        unnamed = con.execute(
            "select count(*) from fct_narrative_claim where is_resolved and resolved_document_id is null").fetchone()[0]
        outcomes = dict(con.execute(
            "select outcome, count(*) from identity_results where identity_id = 'narrative_equals_table' group by 1"
        ).fetchall())
    assert documents == {True: True, False: True}  # two parts of one publication, both current
    assert claim == [(True, True, Decimal("3925100.00"))]
    assert named == [("tables.txt", "tables.txt", True)] and unnamed == 0 and cells > 30
    assert outcomes.get("holds_exactly", 0) > 30 and "violated" not in outcomes


def test_a_project_the_tables_print_is_what_a_figure_is_about():
    # 临夏's 绩效 narrative: '居民医疗保险工作经费 10 万元', a project its self-evaluation forms print
    parsed = parse_document(seed("001"))
    claims = [c for c in parsed.claims if c["subject"] == "居民医疗保险工作经费" and c["raw_text"] == "10 万元"]
    assert claims and {c["resolved_to"] for c in claims} == {"项目 居民医疗保险工作经费"}
    assert "居民医疗保险工作经费" in {t["project_name"] for t in parsed.tables}


def test_full_width_digits_are_figures_and_the_sentence_stays_as_printed():
    lines = [TextLine("一、收入支出决算总体情况说明", line=1),
             TextLine("２０２４年度收入总计３９２．５１万元，财政拨款收、支总计均为３９０．００万元。", line=2)]
    claims = extract_claims(lines)
    assert [(c.subject, c.value, c.decimals, c.raw_text) for c in claims] == [
        ("收入总计", Decimal("392.51"), 2, "３９２．５１万元"),
        ("财政拨款收、支总计均", Decimal("390.00"), 2, "３９０．００万元"),
    ]
    assert claims[0].sentence == "２０２４年度收入总计３９２．５１万元，财政拨款收、支总计均为３９０．００万元"
