"""The marts analysts query: the README's questions, run exactly as printed, against the
warehouse built from data/raw/ and, for what the samples cannot answer, from the shared
corpus of published PDFs; then the dimensions and subject facts behind them."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import readme_question

SUBJECT_FACTS = (
    "fct_income_by_function", "fct_expenditure_by_function", "fct_income_expenditure_summary",
    "fct_appropriation_by_fund", "fct_general_budget_by_function", "fct_expenditure_by_economic_class",
    "fct_fund_expenditure_by_function", "fct_three_public", "fct_related_statistics", "fct_project_budget",
)


def ask(con, question: str) -> list[tuple]:
    return con.execute(readme_question(question)).fetchall()


# --- the README's questions -------------------------------------------------------------


def test_question_total_income_with_its_source(con):
    (row,) = ask(con, "total income with its source")
    assert row[:3] == (Decimal("3925100.00"), "392.51", "万元")
    assert row[3] == "000_db5ffb44797d3fb7.txt · 公开01表 收入支出决算总表 · line 133 · row 29, col 2"


def test_question_health_spending_by_issuer_and_year(con):
    # 210 卫生健康支出, 本年支出合计, as the three 支出决算表 print it (万元 / 元 → 元)
    assert ask(con, "health spending by issuer and year") == [
        ("临夏市医疗保障局", 2023, "决算", "部门", Decimal("584385.47")),
        ("山西省医疗保障局", 2024, "决算", "部门", Decimal("66874200.00")),
        ("岚县医疗保险服务中心", 2024, "决算", "单位", Decimal("279300.00")),
    ]


def test_question_basic_and_project_share(con):
    answers = {r[0]: r[3:] for r in ask(con, "basic and project share per document")}
    # 山西 公开03表 合计 line: 基本支出 2604.19 万元, 项目支出 4535.86 万元
    assert answers["山西省医疗保障局"] == (Decimal("26041900.00"), Decimal("45358600.00"), Decimal("36.47"))
    # summing the 类 lines gives each table's printed 合计 line
    printed = dict(
        ((issuer, kind), amount)
        for issuer, kind, amount in con.execute(
            """select issuer_name, spending_type, amount from fct_expenditure_by_function
               where function_code is null and subject_name = '合计'
                 and spending_type in ('basic', 'project')"""
        ).fetchall()
    )
    for issuer, (basic, project, share) in answers.items():
        assert (basic, project) == (printed[(issuer, "basic")], printed[(issuer, "project")])
        assert share == (100 * basic / (basic + project)).quantize(Decimal("0.01"))


def test_question_three_public_budget_against_actual(con):
    rows = {(r[0], r[2]): r[3:] for r in ask(con, "three public budget against actual")}
    # 山西 公开09表: 预算数 and 决算数 both 6.15 万元, of which 公务接待费 0.95 and 公务用车 5.20
    zero = Decimal("0.00")
    assert rows[("山西省医疗保障局", "total")] == (Decimal("61500.00"), Decimal("61500.00"), zero)
    assert rows[("山西省医疗保障局", "official_reception")] == (Decimal("9500.00"), Decimal("9500.00"), zero)
    assert rows[("山西省医疗保障局", "official_vehicles")] == (Decimal("52000.00"), Decimal("52000.00"), zero)
    # 岚县 prints its 公开09表 with the column numbers and no figures
    assert {issuer for issuer, _ in rows} == {"山西省医疗保障局", "临夏市医疗保障局"}


def test_question_one_issuer_across_its_years(corpus_con):
    rows = [r[:4] for r in ask(corpus_con, "one issuer across its years")]
    printed = {2017: Decimal("136490700.00"), 2018: Decimal("158974400.00"), 2019: Decimal("183303700.00")}
    assert rows == [
        (year, "预算", line, amount) for year, amount in printed.items() for line in ("支出合计", "收入合计")
    ]


def test_question_a_department_beside_its_own_unit(corpus_con):
    assert ask(corpus_con, "a department beside its own unit") == [
        ("上海市普陀区人民政府办公室", 2025, Decimal("91016775.35"), Decimal("91016775.35"), Decimal("0.00")),
        ("上海市普陀区司法局", 2026, Decimal("96282213.44"), Decimal("86959408.34"), Decimal("9322805.10")),
        ("无锡市教育局", 2026, Decimal("5124343400.00"), Decimal("1313496000.00"), Decimal("3810847400.00")),
    ]


def test_question_every_amount_behind_one_class_total(corpus_con):
    rows = ask(corpus_con, "every amount behind one class total")
    assert rows and all(r[6] is not None and r[7] is not None and r[8] is not None for r in rows)
    total = {r[3]: r[4] for r in rows if r[0] == "201"}
    items = [r for r in rows if r[1] == "项"]
    for spending_type, amount in total.items():
        assert amount == sum(r[4] for r in items if r[3] == spending_type)
    # the 项 2010601 行政运行, printed on page 15
    assert {(r[3], r[5], r[6]) for r in rows if r[0] == "2010601"} == {
        ("total", "16,231,840.80", 15), ("basic", "16,093,326.00", 15), ("project", "138,514.80", 15),
    }


def test_question_where_the_numbers_do_not_add_up(con):
    rows = ask(con, "where the numbers do not add up")
    assert rows and {r[0] for r in rows} == {"violated"}
    # a name conflict has no difference; it sorts last
    differences = [r[5] for r in rows]
    measured = [abs(d) for d in differences if d is not None]
    assert measured == sorted(measured, reverse=True)
    assert differences[: len(measured)] == [d for d in differences if d is not None]


# --- dimensions -------------------------------------------------------------------------


def test_issuer_place_and_level_inferred_from_the_name(con):
    rows = con.execute(
        """select issuer_name, province_name, prefecture_name, county_name, admin_level,
                  parent_issuer_name
           from dim_issuer order by issuer_name"""
    ).fetchall()
    assert rows == [
        ("临夏市医疗保障局", "甘肃省", "临夏回族自治州", "临夏市", "县级", None),  # a county-level city
        ("勉县医疗保险基金管理中心", "陕西省", "汉中市", "勉县", "县级", "勉县医疗保障局"),
        ("山西省医疗保障局", "山西省", None, None, "省级", None),
        ("岚县医疗保险服务中心", "山西省", "吕梁市", "岚县", "县级", "岚县医疗保障局"),
    ]


def test_one_issuer_for_a_department_and_its_own_level(corpus_con):
    rows = corpus_con.execute(
        """select issuer_normalised_name, printed_names, prefecture_name, admin_level, document_count
           from dim_issuer where issuer_normalised_name = '无锡市教育局'"""
    ).fetchall()
    # the 本级 document prints 无锡市教育局（本级）: its issuer is the department, its scope 本级
    assert rows == [("无锡市教育局", ["无锡市教育局"], "无锡市", "市级", 2)]
    district = corpus_con.execute(
        "select province_name, county_name, admin_level from dim_issuer"
        " where issuer_name = '中共上海市普陀区委社会工作部'"
    ).fetchall()
    assert district == [("上海市", "普陀区", "县级")]


def test_projects_from_forms_and_lists(con):
    # 山西 evaluates 服务场所运行维护费 for two implementing units: two projects
    rows = con.execute(
        """select implementing_unit_code, implementing_unit_name, supervising_department_code
           from dim_project where project_name = '服务场所运行维护费' order by 1"""
    ).fetchall()
    assert rows == [("236100", "山西省医疗保险管理服务中心", "236"), ("236101", "山西省药械集中采购中心", "236")]
    listed = con.execute(
        """select p.project_name, p.implementing_unit_code, b.amount
           from fct_project_budget b join dim_project p using (project_id)
           where p.project_name = '城乡医疗救助'"""
    ).fetchall()
    assert listed == [("城乡医疗救助", "613004", Decimal("6250000.00"))]


def test_project_performance_form(con):
    # 岚县 2024年专项公用经费: 资金总额 8.27 万元 budgeted and spent, 执行率 100, 总分 100, 优
    rows = con.execute(
        """select funding_line, initial_budget, full_year_budget, executed, balance,
                  execution_rate_percent, funds_score, total_score, grade
           from fct_project_performance where project_name = '2024年专项公用经费'"""
    ).fetchall()
    amount = Decimal("82700.00")
    assert rows == [("资金总额:", amount, amount, amount, Decimal("0.00"), 100, 10, 100, "优")]


def test_performance_indicator_targets_and_scores(con):
    rows = con.execute(
        """select level_1, level_2, target, adjusted_target, actual, weight, score
           from fct_performance_indicator where indicator = '租赁办公用房面积'"""
    ).fetchall()
    assert rows == [("产出指标", "数量指标", "—平方米", "—1473平方米", "—1473.92平方米", 10, 10)]


# --- subject facts ----------------------------------------------------------------------


def test_subject_facts_are_slices_of_fct_amount(con):
    for fact in SUBJECT_FACTS:
        mismatched = con.execute(
            f"""select count(*) from {fact} as s left join fct_amount as a using (value_id)
                where a.value_id is null or a.amount is distinct from s.amount
                   or a.raw_text <> s.raw_text or a.source_address <> s.source_address"""
        ).fetchone()[0]
        assert mismatched == 0, fact
    covered = con.execute(
        "select count(*) from fct_amount where template_id in"
        " (select distinct template_id from fct_expenditure_by_function)"
    ).fetchone()[0]
    assert covered == con.execute("select count(*) from fct_expenditure_by_function").fetchone()[0]


def test_what_a_column_measures_follows_its_header(con):
    # 山西 公开06表: 301 under 人员经费, 302 under 公用经费, both 决算数
    rows = con.execute(
        """select economic_code, spending_type, figure from fct_expenditure_by_economic_class
           where issuer_name = '山西省医疗保障局' and economic_code in ('301', '302')"""
    ).fetchall()
    assert sorted(rows) == [("301", "personnel", "actual"), ("302", "public_operation", "actual")]
    # 公开05表 本年支出/基本支出 is basic; 公开02表 财政拨款收入 is an appropriation
    general = con.execute(
        "select distinct column_path, spending_type from fct_general_budget_by_function"
        " where template_id = 'final_05_general_budget_expenditure'"
    ).fetchall()
    assert ("本年支出/基本支出", "basic") in general and ("本年支出/项目支出", "project") in general
    income = con.execute(
        "select distinct column_path, funding_source from fct_income_by_function"
        " where template_id = 'final_02_income'"
    ).fetchall()
    assert ("财政拨款收入", "fiscal_appropriation") in income and ("事业收入", "public_service_revenue") in income


def test_a_department_total_printed_twice_counts_once(corpus_con):
    # 福州市医疗保障局's 收支总表 prints 本年收入合计 and 收入合计, both 351,904.90 万元
    rows = corpus_con.execute(
        """select i.left_amount, i.outcome from identity_results i join dim_document d using (document_id)
           where d.issuer_name = '福州市医疗保障局' and i.identity_id = 'department_equals_its_units'"""
    ).fetchall()
    assert rows == [(Decimal("3519049000.00"), "not_applicable")]  # its four units are not in the corpus


def test_question_where_the_narrative_disagrees_with_the_tables(con, corpus_con):
    # 临夏 truncates where its tables round (奖金 119.36 万元 against 1,193,673.00 元): within one
    # unit of the narrative's last digit, so it holds within rounding and the question is silent
    assert ask(con, "where the narrative disagrees with the tables") == []
    truncated = con.execute(
        """select i.location, i.difference from identity_results i join dim_document d using (document_id)
           where d.issuer_name = '临夏市医疗保障局' and i.identity_id = 'narrative_equals_table'
             and i.outcome = 'holds_within_rounding'"""
    ).fetchall()
    assert any("奖金" in location for location, _ in truncated)
    assert all(abs(difference) < 100 for _, difference in truncated)  # 0.01 万元 = 100 元
    # 普陀区司法局's budget says 住房公积金 201.50 万元 where its table prints 2,087,959 元
    rows = ask(corpus_con, "where the narrative disagrees with the tables")
    assert any(
        r[0] == "上海市普陀区司法局" and "住房公积金" in r[2] and r[3] == Decimal("2015000.00") and r[4] == Decimal("2087959.00")
        for r in rows
    )


def test_relative_codes_add_up_under_each_government_class(corpus_con):
    """烟台 prints 类款项 codes relative to their parent, rebuilt by the ingest, and its 基本支出
    table prints 301 工资福利支出 once under 政府经济 501 and again under 505: each is checked
    against the items printed under the same class, and every such check holds."""
    rows = corpus_con.execute(
        """select location, outcome from identity_results i
           join dim_document d using (document_id)
           where i.identity_id = 'children_sum_to_parent' and d.source_file like '%烟台%'"""
    ).fetchall()
    outcomes = {outcome for _, outcome in rows}
    assert len(rows) > 100 and outcomes <= {"holds_exactly", "holds_within_rounding"}, [r for r in rows if r[1] not in ("holds_exactly", "holds_within_rounding")][:5]
    locations = {location for location, _ in rows}
    assert {"工资福利支出 [301 · 501] / 合计", "工资福利支出 [301 · 505] / 合计"} <= locations
    assert "社会保障和就业支出 [208] / 合计" in locations  # 类 = Σ rebuilt 款
