"""The build's summary and progress, as pure functions: findings and warnings are counted, the
long lists cut with "… and K more", dbt's structured log read for its progress."""

from __future__ import annotations

import json

from pipeline import progress, summary


def test_warnings_are_one_per_line_even_when_one_holds_a_semicolon():
    joined = ("table 12 (perf_project_self_evaluation): 2 funding rows whose figures no alignment "
              "confirms; left as cells\nissuer 江苏省政协办公厅 taken from the file name\n")
    assert summary.split_warnings(joined) == [
        "table 12 (perf_project_self_evaluation): 2 funding rows whose figures no alignment confirms; left as cells",
        "issuer 江苏省政协办公厅 taken from the file name",
    ]
    assert summary.split_warnings(None) == []


def test_a_warnings_kind_drops_its_table_figures_quotes_and_names():
    assert summary.warning_kind("table 5 (budget_x): 15 text cells in value columns") == "N text cells in value columns"
    assert summary.warning_kind("table 2 (y): '1.234567' has more than the storable decimals; kept as cell text") == (
        "'…' has more than the storable decimals; kept as cell text")
    assert summary.warning_kind("issuer 江苏省政协办公厅 taken from the file name") == "issuer … taken from the file name"


def test_parser_warnings_are_counted_by_kind_and_the_first_few_printed_with_their_file():
    report = [{"source_file": f"doc{i}.pdf", "outcome": "landed",
               "warnings": f"table 1 (t): {i} text cells in value columns\ntable 2 (t): matches no template; "
                           "landed as generic cells"} for i in range(4)]
    lines = summary.parser_warnings(report)
    assert lines[0] == "parser warnings  8 in 4 documents, by kind:"
    assert "      4  N text cells in value columns" in lines
    assert "      4  matches no template; landed as generic cells" in lines
    assert "  doc0.pdf: table 1 (t): 0 text cells in value columns" in lines
    assert lines[-1].startswith("  … and 3 more: select source_file, warnings from run_report")


def test_a_long_list_ends_with_how_many_more_and_where_to_see_them():
    assert summary.shortened([str(i) for i in range(3)], "q", top=5) == ["0", "1", "2"]
    assert summary.shortened([str(i) for i in range(8)], "q", top=5) == ["0", "1", "2", "3", "4", "  … and 3 more: q"]


def test_dbt_progress_is_read_from_its_structured_log():
    line = json.dumps({"info": {"name": "LogModelResult", "level": "info", "msg": "1 of 9 OK"},
                       "data": {"index": 1, "total": 9, "status": "OK",
                                "node_info": {"node_name": "fct_amount"}}})
    assert progress.dbt_progress(progress.dbt_event(line)) == (1, 9, "fct_amount", "OK")
    test = json.dumps({"info": {"name": "LogTestResult", "level": "info", "msg": "PASS"},
                       "data": {"index": 9, "num_models": 9, "status": "pass", "name": "unique_x"}})
    assert progress.dbt_progress(progress.dbt_event(test)) == (9, 9, "unique_x", "pass")
    other = json.dumps({"info": {"name": "MainReportVersion", "level": "info", "msg": "v1.11"}, "data": {}})
    assert progress.dbt_progress(progress.dbt_event(other)) is None
    assert progress.dbt_event("Traceback (most recent call last):") is None
