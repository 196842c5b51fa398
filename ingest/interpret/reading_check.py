"""Does a table's own arithmetic confirm how it was read?

After a grid table is read, its two within-table identities are applied to the values just
read — the same rules the warehouse applies (dbt_project/models/intermediate/
int_identity__children_sum_to_parent.sql and int_identity__total_column_equals_components.sql,
with the rounding tolerance of dbt_project/macros/identities.sql):

- children_sum_to_parent: 类 = Σ款, 款 = Σ项 (function codes), 类 = Σ款 (economic codes) per
  column and unit section, and a 合计 row = Σ类;
- total_column_equals_components: a total column (合计, 小计, 本年收入合计, 本年支出合计) =
  the sum of its sibling columns in the same row; a column restating the total net of a part
  ('扣除基建项目后预算数') is none of its components.

When some fail, the alternative readings the layout allows are tried on the values already
read (never re-reading the page), and the reading the identities confirm best is kept:

- an "其中" column read as a subset (not added to its total) or, when its total equals the
  other columns only with it (广州's 小计 | 其中：基本支出 | 项目支出), as a component.

The outcome is the table's `reading_status`: `confirmed` (n applications hold, none fails),
`unconfirmed` (no identity applies), `contradicted` (the best reading still fails: which
application, which alternative was kept). The warehouse's identity_results stay the record of
each application; this is the reader's own check of its reading. Pure functions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from ingest.records import ValueRecord

TOTAL_LEAVES = ("合计", "小计", "本年收入合计", "本年支出合计")
SUBSET = re.compile(r"^其中[：:]?\s*")
# a total restated net of a part ('扣除基建项目后预算数'): no component of the total beside it
NET_OF = re.compile(r"扣除.+后")

CONFIRMED, UNCONFIRMED, CONTRADICTED = "confirmed", "unconfirmed", "contradicted"


@dataclass(frozen=True)
class Application:
    identity: str
    location: str
    total: Decimal
    parts: Decimal
    n_parts: int
    holds: bool


@dataclass(frozen=True)
class ReadingCheck:
    status: str
    held: int
    failed: int
    note: str | None = None


def _tolerance(n_parts: int, decimals: int) -> Decimal:
    """Half a unit of the coarsest printed digit per part (macros/identities.sql)."""
    return Decimal(n_parts) * Decimal("0.5") * Decimal(10) ** -decimals


def _apply(identity: str, location: str, total: ValueRecord, parts: list[ValueRecord]) -> Application:
    assert total.published_value is not None
    left = total.published_value
    right = sum((p.published_value for p in parts if p.published_value is not None), Decimal(0))
    decimals = max([total.decimals, *(p.decimals for p in parts)])
    holds = abs(left - right) <= _tolerance(len(parts), decimals)
    return Application(identity, location, left, right, len(parts), holds)


def _amounts(values: list[ValueRecord]) -> list[ValueRecord]:
    return [v for v in values if v.value_kind == "amount" and v.published_value is not None and v.column_path]


def _parent_code(v: ValueRecord) -> str | None:
    if v.function_code:
        return v.function_code[:-2] if len(v.function_code) in (5, 7) else None
    if v.economic_code:
        return v.economic_code[:3] if len(v.economic_code) == 5 else None
    return None


def _without_repeated_codes(coded: list[ValueRecord]) -> list[ValueRecord]:
    """Without a row printing the code of the row just above it in its column (a sub-item
    printed with its parent's code: 无锡's 21999 under 21999), as the warehouse's rule does."""
    previous: dict[tuple[str, str], ValueRecord] = {}
    kept = []
    for v in sorted(coded, key=lambda v: v.row_index):
        key = (v.column_path or "", v.section or "")
        code = v.function_code or v.economic_code
        before = previous.get(key)
        if before is None or (before.function_code or before.economic_code) != code:
            kept.append(v)
        previous[key] = v
    return kept


def children_sum_to_parent(values: list[ValueRecord]) -> list[Application]:
    """Per column and unit section: each coded row against the rows one level below it. A code
    printed more than once in a column (烟台's 301 under 501 and again under 505) is compared
    within its 政府经济 class, as the warehouse's rule does; a 合计 row against the classes."""
    coded = _without_repeated_codes([v for v in _amounts(values) if v.function_code or v.economic_code])
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for v in coded:
        counts[(v.column_path or "", v.section or "", v.function_code or v.economic_code or "")] += 1
    children: dict[tuple[str, str, str, str], list[ValueRecord]] = defaultdict(list)
    for v in coded:
        parent = _parent_code(v)
        if parent:
            path, section = v.column_path or "", v.section or ""
            split = (v.gov_economic_code or "")[:3] if counts[(path, section, parent)] > 1 else ""
            children[(path, section, parent, split)].append(v)
    out = []
    for v in coded:
        path, section, code = v.column_path or "", v.section or "", v.function_code or v.economic_code or ""
        split = (v.gov_economic_code or "")[:3] if counts[(path, section, code)] > 1 else ""
        kids = children.get((path, section, code, split))
        if kids:
            out.append(_apply("children_sum_to_parent", f"[{code}] / {path}", v, kids))
    totals = [v for v in _amounts(values) if v.line_item == "合计" and not v.function_code and not v.economic_code]
    classes: dict[str, list[ValueRecord]] = defaultdict(list)
    for v in coded:
        if v.function_code and len(v.function_code) == 3:
            classes[v.column_path or ""].append(v)
    for t in totals:
        if classes.get(t.column_path or ""):
            out.append(_apply("children_sum_to_parent", f"合计 / {t.column_path}", t, classes[t.column_path or ""]))
    return out


def _split(path: str) -> tuple[str, str, str]:
    parts = path.split("/")
    return "/".join(parts[:-1]), "/".join(parts[:-2]), parts[-1]


def total_column_equals_components(values: list[ValueRecord], subsets_are_parts: bool = False) -> list[Application]:
    rows: dict[tuple[int, int | None], list[ValueRecord]] = defaultdict(list)
    for v in _amounts(values):
        rows[(v.row_index, v.group_index)].append(v)
    out = []
    for (row, _group), vs in rows.items():
        split = {v.value_id: _split(v.column_path or "") for v in vs}
        depth = {v.value_id: (v.column_path or "").count("/") + 1 for v in vs}
        prefixes_with_subtotal = {split[v.value_id][0] for v in vs if split[v.value_id][2] == "小计"}
        for t in vs:
            t_prefix, _, t_leaf = split[t.value_id]
            if t_leaf not in TOTAL_LEAVES:
                continue
            parts = []
            for c in vs:
                if c.value_id == t.value_id:
                    continue
                prefix, grand, leaf = split[c.value_id]
                if (SUBSET.match(leaf) and not subsets_are_parts) or NET_OF.search(leaf):
                    continue
                if (prefix == t_prefix and leaf not in ("合计", "小计")) or (
                    depth[c.value_id] == depth[t.value_id] + 1 and grand == t_prefix
                    and (leaf == "小计" or prefix not in prefixes_with_subtotal)
                ):
                    parts.append(c)
            if parts:
                out.append(_apply("total_column_equals_components", f"row {row} / {t.column_path}", t, parts))
    return out


def _score(applications: list[Application]) -> tuple[int, int]:
    failed = sum(not a.holds for a in applications)
    return failed, -(len(applications) - failed)


def _subset_as_part(values: list[ValueRecord]) -> list[ValueRecord]:
    """The '其中' columns read as components: their leaf without the '其中' (the printed header
    stays in the table's cells)."""
    out = []
    for v in values:
        path = v.column_path or ""
        prefix, _, leaf = _split(path)
        if SUBSET.match(leaf):
            v = replace(v, column_path="/".join(p for p in (prefix, SUBSET.sub("", leaf)) if p))
        out.append(v)
    return out


def check_reading(values: list[ValueRecord]) -> tuple[list[ValueRecord], ReadingCheck]:
    """The values as the identities confirm them, and the table's reading status."""
    applications = children_sum_to_parent(values) + total_column_equals_components(values)
    kept, alternative = values, None
    if any(not a.holds for a in applications) and any(
        SUBSET.match(_split(v.column_path or "")[2]) for v in values
    ):
        alt_values = _subset_as_part(values)
        alt = children_sum_to_parent(alt_values) + total_column_equals_components(alt_values, subsets_are_parts=True)
        if _score(alt) < _score(applications):
            kept, applications, alternative = alt_values, alt, "其中 columns read as components"
    held = sum(a.holds for a in applications)
    failed = [a for a in applications if not a.holds]
    if not applications:
        return kept, ReadingCheck(UNCONFIRMED, 0, 0, None)
    if not failed:
        return kept, ReadingCheck(CONFIRMED, held, 0, alternative)
    first = failed[0]
    note = (f"{len(failed)} of {len(applications)} fail; first {first.identity} at {first.location}: "
            f"printed {first.total}, parts {first.parts}; reading kept: {alternative or 'as read'}")
    return kept, ReadingCheck(CONTRADICTED, held, len(failed), note)
