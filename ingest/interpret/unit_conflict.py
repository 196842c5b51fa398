"""A performance form whose funds header says 万元 over figures printed in 元.

岚县's 项目支出绩效自评表 print '项目资金 (万元)' above 334000 — 334,000 元 (the form's own
成本指标 says 33.40万元): read in the header's unit it would land 3,340,000,000 元, a project
ten thousand times the unit's whole budget. The document's own financial tables give the
scale: a form whose funds exceed every amount of them a hundredfold, while the same figures
in 元 fit inside it, is printed in 元. Its amounts are landed in 元 with the value warning
`unit_conflict` (the printed figure kept as printed); a table warning says so. Pure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

UNIT_CONFLICT = "unit_conflict"
WAN = Decimal(10000)
_TOO_LARGE = 100  # a project's funds beyond 100 × the document's largest table amount


def correct_unit_conflicts(tables: list[dict[str, Any]], values: list[dict[str, Any]]) -> list[str]:
    """Re-land, in 元, the amounts of each performance form whose 万元 figures the document's
    financial tables show to be 元; returns a warning per form so corrected (and sets it on
    the table record)."""
    family = {t["table_id"]: t["template_family"] for t in tables}
    scale = max(
        (abs(v["amount_yuan"]) for v in values
         if v["amount_yuan"] is not None and family.get(v["table_id"]) in ("final", "budget")),
        default=None,
    )
    if not scale:
        return []
    forms: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        if (family.get(v["table_id"]) == "performance" and v["value_kind"] == "amount"
                and v["unit"] == "万元" and v["amount_yuan"] is not None):
            forms.setdefault(v["table_id"], []).append(v)
    warnings = []
    for table_id, amounts in forms.items():
        largest = max(abs(v["amount_yuan"]) for v in amounts)
        if largest > _TOO_LARGE * scale and largest / WAN <= scale:
            for v in amounts:
                v["unit"], v["amount_yuan"] = "元", v["published_value"]
                v["value_warning"] = v["value_warning"] or UNIT_CONFLICT
            message = (f"{UNIT_CONFLICT}: the funds header says 万元 but its figures (largest "
                       f"{largest / WAN}) are 元: landed as 元, {_TOO_LARGE}× beyond the document's "
                       f"largest table amount ({scale} 元) otherwise")
            table = next(t for t in tables if t["table_id"] == table_id)
            table["warnings"] = "; ".join(w for w in (table["warnings"], message) if w)
            warnings.append(f"table {table['table_ordinal']} ({table['template_id']}): {message}")
    return warnings
