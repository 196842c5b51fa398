from ingest.catalogue import load_catalogue, match_title
from ingest.lexicon import find_numbering, normalise_title


def test_every_template_id_is_unique():
    ids = [t.id for t in load_catalogue()]
    assert len(ids) == len(set(ids))


def test_longest_title_wins():
    assert match_title("财政拨款收入支出决算总表").template.id == "final_04_appropriation_summary"
    assert match_title("收入支出决算总表").template.id == "final_01_income_expenditure_summary"
    assert match_title("一般公共预算财政拨款支出决算表").template.id == "final_05_general_budget_expenditure"


def test_traditional_characters_and_quotes_are_normalised():
    assert match_title("收入決算表").template.id == "final_02_income"
    assert match_title("财政拨款“三公”经费支出决算表").template.id == "final_09_three_public"
    assert normalise_title("（按支出功能分类科目）") == "(按支出功能分类科目)"


def test_budget_titles():
    assert match_title("单位综合预算收支总表").template.id == "budget_income_expenditure_summary"
    assert match_title("单位综合预算一般公共预算支出明细表（按支出经济分类科目）").template.id == "budget_general_by_economic"
    assert match_title("单位整体支出绩效目标表").template.id == "perf_overall_targets"
    # 重庆 names a department's targets without 支出: not a project's targets
    assert match_title("2026年部门整体绩效目标表").template.id == "perf_overall_targets"
    assert match_title("项目绩效目标申报表").template.id == "perf_project_targets"


def test_narrative_headings_are_not_titles():
    assert match_title("九、财政拨款“三公”经费支出决算情况说明") is None


def test_numbering_forms():
    assert find_numbering("公开01表") == "公开01表"
    assert find_numbering("表13-1") == "表13-1"
    assert find_numbering("公开表1") == "公开表1"
    assert find_numbering("部门名称：岚县医疗保险服务中心") is None


def test_the_template_roles_seed_is_the_catalogue():
    """dbt selects tables by role from the seed; the seed is the catalogue's, exported by
    `make seeds` (edit templates.toml, then run it)."""
    from pipeline.template_seed import SEED, seed_text

    assert SEED.read_text("utf-8") == seed_text(), "run `make seeds` after editing ingest/templates.toml"
    roles = {t.id: t.roles for t in load_catalogue()}
    assert roles["final_02_income"] == ("income_by_function",)
    assert set(roles["budget_government_fund"]) == {"fund_expenditure_by_function", "government_fund"}
