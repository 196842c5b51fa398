"""Figures of the project performance self-evaluation forms (项目支出绩效自评表).

The forms are key/value layouts, and their extractions lose empty cells, so a row's figures
cannot be placed by column position alone. Each funding row is aligned to the measures its
header names (年初预算数, 全年预算数, 全年执行数, 资金结余, 执行率, 分值, 得分) by trying every
offset and keeping the one the form's own identities confirm: a percentage sits under 执行率,
执行率 = 执行数 / 全年预算数, 资金结余 = 全年预算数 − 执行数, 得分 ≤ 分值. A row no offset
satisfies is left as cells (with a warning): a figure is never placed by a guess.
Indicator rows give their 分值 and 得分 (the last two plain figures); the 总分 row the total
score and the grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.grid import compact
from ingest.model import RawTable, SourceCell
from ingest.numbers import CellKind, ParsedCell, parse_cell

MEASURES = (
    (re.compile(r"目标申报数"), "年初预算数/目标申报数"),
    (re.compile(r"预算编制数"), "年初预算数/预算编制数"),
    (re.compile(r"年初预算数"), "年初预算数"),
    (re.compile(r"全年预算数"), "全年预算数"),
    (re.compile(r"全年执行数"), "全年执行数"),
    (re.compile(r"结.{0,3}余|资金[（(]转[)）]"), "资金结余"),  # 资金结(转)余, cut to 资金（转）
    (re.compile(r"执行率"), "执行率"),
    (re.compile(r"分值"), "分值"),
    (re.compile(r"得分"), "得分"),
)
_GRADE = re.compile(r"^(优|良|中|差)$")
_LABEL = {"项目名称": "project_name", "主管部门": "supervising_department", "预算单位": "implementing_unit",
          "实施单位": "implementing_unit"}


@dataclass(frozen=True)
class FormValue:
    cell: SourceCell
    parsed: ParsedCell
    row_index: int
    column_index: int
    measure: str  # 全年预算数, 执行率, 得分, 总分/得分, 等级 …
    row_label: str  # the funding line (资金总额, 其中：当年财政拨款 …) or the indicator
    section: str | None  # 一级指标/二级指标 of an indicator
    value_kind: str  # amount | percent | score | grade


@dataclass
class FormReading:
    values: list[FormValue] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)  # project name, department, unit
    unaligned_rows: int = 0


def _measure(text: str) -> str | None:
    return next((name for pattern, name in MEASURES if pattern.search(text)), None)


def _kind(measure: str) -> str:
    if measure == "执行率":
        return "percent"
    if measure in ("分值", "得分"):
        return "score"
    return "amount"


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance


def _confirmed(assigned: dict[str, ParsedCell]) -> int | None:
    """How many of the form's identities this reading satisfies; None if one fails."""
    def value(name: str) -> Decimal | None:
        cell = assigned.get(name)
        return cell.value if cell is not None and cell.kind in (CellKind.NUMBER, CellKind.PERCENT) else None

    for name, cell in assigned.items():
        if cell.kind is CellKind.PERCENT and name != "执行率":
            return None
    checks = 0
    budget, spent, rest, rate = value("全年预算数"), value("全年执行数"), value("资金结余"), value("执行率")
    weight, score = value("分值"), value("得分")
    if budget is not None and spent is not None and rate is not None and budget != 0:
        if not _close(spent / budget * 100, rate, Decimal("0.6")):
            return None
        checks += 1
    if budget is not None and spent is not None and rest is not None:
        if not _close(budget - spent, rest, Decimal("0.011")):
            return None
        checks += 1
    if weight is not None and score is not None:
        if score > weight:
            return None
        checks += 1
    if rate is not None and rate > 200:
        return None
    return checks


def _align(measures: list[str], cells: list[tuple[int, SourceCell, ParsedCell]]) -> dict[str, tuple[int, SourceCell, ParsedCell]] | None:
    """The alignment of a row's figures (and dashes) to the header's measures that the form's
    identities confirm best; None when none is confirmed."""
    candidates = [measures]
    if "得分" not in measures:
        candidates.append([*measures, "得分"])  # a score column the header does not name
    best: tuple[int, dict[str, tuple[int, SourceCell, ParsedCell]]] | None = None
    for names in candidates:
        for offset in range(0, len(names) - len(cells) + 1):
            mapping = {names[offset + i]: c for i, c in enumerate(cells)}
            checks = _confirmed({k: v[2] for k, v in mapping.items() if v[2].kind is not CellKind.DASH})
            if checks is None or checks == 0:
                continue
            if best is None or checks > best[0]:
                best = (checks, mapping)
    return best[1] if best else None


def read_form(table: RawTable) -> FormReading:
    reading = FormReading()
    rows = [[c for c in r] for r in table.rows]
    measures: list[str] = []
    indicator_columns: dict[str, int] = {}
    levels: list[str | None] = [None, None]
    in_indicators = False
    refining: int | None = None  # the sub-header row (目标申报数 | 预算编制数) already read
    for r, row in enumerate(rows):
        if r == refining:
            continue
        texts = [compact(c.text) for c in row]
        for k, t in enumerate(texts):  # project facts: the next non-empty cell after a label
            for word, fact in _LABEL.items():
                if t.startswith(word) and fact not in reading.facts:
                    value = next((x.text.strip() for x in row[k + 1 :] if x.text.strip()), None)
                    if value:
                        reading.facts[fact] = value
        named = [(k, m) for k, t in enumerate(texts) if t and (m := _measure(t))]
        if len(named) >= 2 and not any("指标" in t for t in texts):
            measures = [m for _, m in named]
            if "年初预算数" in measures and r + 1 < len(rows):
                below = [_measure(compact(c.text)) for c in rows[r + 1]]
                split = [m for m in below if m and m.startswith("年初预算数/")]
                if split:
                    i = measures.index("年初预算数")
                    measures[i : i + 1] = split
                    refining = r + 1
            continue
        if "一级指标" in texts and ("分值" in texts or "得分" in texts):
            in_indicators = True
            indicator_columns = {
                t: k for k, t in enumerate(texts) if t in ("一级指标", "二级指标", "三级指标", "分值", "得分")
            }
            continue
        label = next((c.text.strip() for c in row if parse_cell(c.text).kind is CellKind.TEXT and c.text.strip()), "")
        figures = [(k, c, p) for k, c in enumerate(row) if (p := parse_cell(c.text)).kind in
                   (CellKind.NUMBER, CellKind.PERCENT, CellKind.DASH)]
        if compact(label).startswith("总分"):
            plain = [(k, c, p) for k, c, p in figures if p.kind is CellKind.NUMBER]
            if plain:
                k, c, p = plain[-1]
                reading.values.append(FormValue(c, p, r, k, "总分/得分", "总分", None, "score"))
            if len(plain) >= 2:
                k, c, p = plain[-2]
                reading.values.append(FormValue(c, p, r, k, "总分/分值", "总分", None, "score"))
            grade = next(((k, c) for k, c in enumerate(row) if _GRADE.match(compact(c.text))), None)
            if grade:
                k, c = grade
                reading.values.append(FormValue(c, ParsedCell(c.text, CellKind.TEXT), r, k, "等级", "总分", None, "grade"))
            in_indicators = False
            continue
        if in_indicators:
            # 一级/二级 carry down; the indicator is the 三级 cell (or the last text before figures)
            for pos, level in ((0, "一级指标"), (1, "二级指标")):
                column = indicator_columns.get(level)
                if column is not None and column < len(texts) and texts[column]:
                    levels[pos] = texts[column]
            k3 = indicator_columns.get("三级指标")
            name = texts[k3] if k3 is not None and k3 < len(texts) else ""
            # 分值 and 得分 are read from exactly the columns their header names: a row the
            # extraction shifted gives no score rather than a wrong one
            k1, k2 = indicator_columns.get("分值"), indicator_columns.get("得分")
            if name and k1 is not None and k2 is not None and max(k1, k2) < len(row):
                p1, p2 = parse_cell(row[k1].text), parse_cell(row[k2].text)
                if (p1.kind is CellKind.NUMBER and p2.kind is CellKind.NUMBER
                        and p1.value is not None and p2.value is not None and p2.value <= p1.value):
                    section = "/".join(x for x in levels if x)
                    reading.values.append(FormValue(row[k1], p1, r, k1, "分值", name, section, "score"))
                    reading.values.append(FormValue(row[k2], p2, r, k2, "得分", name, section, "score"))
            continue
        if measures and len(figures) >= 2 and label:
            if all(p.kind is CellKind.DASH for _, _, p in figures):
                continue  # a funding line printed empty (上年结转资金 — — —)
            mapping = _align(measures, figures)
            if mapping is None:
                reading.unaligned_rows += 1
                continue
            for measure, (k, c, p) in mapping.items():
                if p.kind is CellKind.DASH:
                    continue
                reading.values.append(FormValue(c, p, r, k, measure, label, None, _kind(measure)))
    return reading
