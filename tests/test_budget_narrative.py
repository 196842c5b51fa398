"""Budget narratives (预算编制说明) resolved against the budget tables, measured on 普陀区司法局's
2026 部门 and 单位 budgets (GovBudgetChecker's doc_check pair in the shared corpus)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.document import parse_document
from ingest.interpret.narrative import (
    budget_sentences,
    chain_code,
    extract_claims,
    unresolved_sentences,
)
from ingest.model import TextLine

DOC_CHECK = "documents/zxj6827111-blip__GovBudgetChecker/tmp/doc_check"


@pytest.fixture(scope="module")
def dept(corpus):
    return parse_document(corpus / DOC_CHECK / "dept_budget.pdf")


@pytest.fixture(scope="module")
def unit(corpus):
    return parse_document(corpus / DOC_CHECK / "unit_budget.pdf")


def _values(parsed):
    return {v["value_id"]: v for v in parsed.values}


def test_a_chain_names_its_line_by_codes_and_the_paragraph_keeps_it():
    lines = [TextLine("1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。", page=8),
             TextLine("主要用于：行政单位的基本支出。", page=8),
             TextLine("2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。", page=8)]
    claims = extract_claims(lines)
    assert [(c.measure, c.value) for c in claims] == [
        ("amount", Decimal("1672.67")), ("prior_amount", Decimal("1690.69")),
        ("budget_amount", Decimal("1672.67")), ("change_percent", Decimal("-1.07"))]
    assert {c.subject for c in claims} == {"公共安全支出(204类)司法(06款)行政运行(01项)"}
    assert chain_code(claims[0].subject) == "2040601"
    assert chain_code("政协事务(款)行政运行(项)") is None  # no codes printed: resolved by names


def test_the_budget_of_a_line_restates_its_table_value(dept):
    values = _values(dept)
    chain = [c for c in dept.claims if (c["subject"] or "").endswith("住房公积金(01项)")]
    by_measure = {c["measure"]: c for c in chain}
    restated = values[by_measure["amount"]["restated_value_id"]]
    assert (restated["template_id"], restated["function_code"]) == ("budget_general_by_function", "2210201")
    # '2026年预算安排201.50万元' is the budget figure of the same line
    assert by_measure["budget_amount"]["restated_value_id"] == restated["value_id"]
    # last year's execution and the change are about the line, restating nothing of this year
    assert by_measure["prior_amount"]["subject_value_id"] == restated["value_id"]
    assert by_measure["prior_amount"]["restated_value_id"] is None


def test_summary_lines_and_three_public_resolve(dept):
    values = _values(dept)

    def restated(subject, measure):
        claim = next(c for c in dept.claims if c["subject"] == subject and c["measure"] == measure)
        v = values[claim["restated_value_id"]]
        return v["template_id"], v["line_item"], v["column_path"]

    assert restated("上海市普陀区司法局收入", "budget_amount")[:2] == ("budget_income_expenditure_summary", "收入总计")
    assert restated("支出总计", "budget_amount")[:2] == ("budget_income_expenditure_summary", "支出总计")
    assert restated("财政拨款支出", "budget_amount")[:2] == ("budget_appropriation_summary", "支出总计")
    assert restated("公务用车运行费", "amount")[2].endswith("/运行费")
    assert restated("“三公”经费", "budget_amount")[2].endswith("/合计")


def test_most_budget_sentences_with_an_amount_resolve(dept, unit):
    for parsed in (dept, unit):
        sentences = budget_sentences(parsed.claims)
        missed = unresolved_sentences(parsed.claims, "预算")
        assert len(sentences) > 35 and len(missed) / len(sentences) <= 0.1, [c["sentence"] for c in missed]
