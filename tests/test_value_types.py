"""Values typed right: an amount in a 万元 table is an amount, a count only where its column or
row names what is counted, and a performance form whose 万元 header sits over figures in 元 is
landed in 元 with a `unit_conflict` warning."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.catalogue import load_catalogue
from ingest.document import parse_document
from ingest.interpret.readings import Where, read_as_grid
from ingest.model import RawTable, SourceCell

TEMPLATES = {t.id: t for t in load_catalogue()}
LAN_COUNTY = Path(__file__).resolve().parents[1] / "data" / "raw" / "000_db5ffb44797d3fb7.txt"


def table(*rows: list[str]) -> RawTable:
    return RawTable(rows=[[SourceCell(t, page=1, bbox=(10.0 * j, 5.0 * i, 10.0 * j + 9, 5.0 * i + 4))
                           for j, t in enumerate(r)] for i, r in enumerate(rows)], origin="ruled")


def kinds(raw: RawTable, template: str) -> dict[tuple[str, str], str]:
    reading = read_as_grid(raw, Where("doc", 1, "doc-001", TEMPLATES[template], "万元"))
    return {(v.row_label or "", v.column_path or ""): v.value_kind for v in reading.values}


def test_an_item_named_after_equipment_or_vehicles_is_an_amount_in_a_wan_yuan_table():
    found = kinds(table(
        ["项目名称", "总计"],
        ["办公设备购置", "0.80"],
        ["车辆运行维护费", "387"],
        ["[31002]办公设备购置", "5.30"],
    ), "budget_expenditure_summary")
    assert set(found.values()) == {"amount"}


def test_a_count_is_a_count_where_its_row_or_column_names_what_is_counted():
    found = kinds(table(
        ["项目", "数量", "接待人次"],
        ["机关运行经费", "18.92", ""],
        ["车辆数合计（辆）", "7", ""],
        ["单价100万元（含）以上设备（不含车辆）", "17", ""],
        ["国内公务接待", "", "77"],
    ), "final_10_related_statistics")
    assert found == {
        ("机关运行经费", "数量"): "amount",
        ("车辆数合计（辆）", "数量"): "count",
        ("单价100万元（含）以上设备（不含车辆）", "数量"): "count",
        ("国内公务接待", "接待人次"): "count",
    }


def test_a_performance_form_printing_yuan_under_a_wan_yuan_header_lands_yuan_with_a_warning():
    parsed = parse_document(LAN_COUNTY)
    funds = [v for v in parsed.values if v["raw_text"] == "334000" and v["value_kind"] == "amount"]
    assert funds, "the 334000 of 2024年市级财政医疗救助补助资金预算 lands as an amount"
    assert {(v["unit"], v["amount_yuan"], v["value_warning"]) for v in funds} == {
        ("元", Decimal("334000"), "unit_conflict")}
    (form,) = [t for t in parsed.tables if t["table_id"] == funds[0]["table_id"]]
    assert "unit_conflict" in form["warnings"]
    # the forms printed in 万元 keep their unit
    other = [v for v in parsed.values if v["raw_text"] == "8.27" and v["template_id"].startswith("perf_")]
    assert other and all(v["unit"] == "万元" and v["value_warning"] is None for v in other)
