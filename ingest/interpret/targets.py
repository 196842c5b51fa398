"""Figures of the performance target forms (项目支出绩效目标表, 政策和项目预算绩效目标表,
专项资金绩效目标表 …): a project's funds and its indicators' target values.

A target form is a key/value layout, one project per form (a stitched multi-page table may
hold several: a row opening with 项目名称 starts the next):

    项目名称 | 实施公车统管
    项目资金（万元） | 年度预算资金总额： | 70.00
                     | 其中：财政拨款     | 70.00
                     | 其他资金           | 0.00
    一级指标 | 二级指标 | 三级指标 | 指标值
    产出指标 | 数量指标 | 用车次数 | ≥50次

A funding line is a label naming funds (资金总额, 财政拨款, 其他资金 …) followed by its figure:
an amount, in the unit its row or the table names (项目资金（万元）). An indicator row is
read under the header naming 三级指标 (or 指标名称) and the target column (指标值, 目标值, 年度指标值): the
target as printed (≥50次, =100%, ≤70万元) lands with the number it states as an `indicator`
value — a target, not an amount of the budget; 一级/二级 indicators carry down the rows a
merged cell spans.

A list of projects (重点项目绩效目标表: 项目 | 预算数（单位：万元） | 绩效目标) lands each
project's amount under its name (the unit's name before it, 二级预算单位名称, as its section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.lexicon import compact
from ingest.model import RawTable, SourceCell
from ingest.numbers import (
    CellKind,
    ParsedCell,
    find_unit,
    find_unit_in_header,
    normalise_text,
    parse_cell,
)

FUNDING_LABEL = re.compile(r"资金|拨款|总额|结转|收入|补助|基金|预算数|本年预算|当年预算|项目支出|基本支出|市级支出")
# a funds label and its figure in one cell, when the extraction lost the rule between them
GLUED_FUNDING = re.compile(r"^(?P<label>\D*?(?:资金总额|财政拨款|其他资金|资金))[:：]?(?P<figure>\d[\d,]*\.\d+)$")
TARGET_HEADER = re.compile(r"^(?:年度|年初)?(?:指标值|目标值)$|^绩效指标值$|^指标值[（(].*[)）]$")
# a target as printed: an optional comparison, the number, what it counts ('≥50次', '≤70万元')
TARGET = re.compile(r"^(?P<op>[≥≤><=＞＜＝]+|不低于|不高于|不少于|不多于|不超过|大于|小于|达到)?"
                    r"(?P<number>-?\d+(?:,\d{3})*(?:\.\d+)?)(?P<unit>[^\d].*)?$")
_LEVELS = ("一级指标", "二级指标", "三级指标")
# the amount column of a list of projects (项目 | 预算数（单位：万元） | 绩效目标)
# (广州 prints four: 项目名称（资金使用单位） | 总计： | 财政拨款 | 财政专户拨款 | 其他资金 | 绩效目标)
LIST_AMOUNT = re.compile(r"^(?:预算数|预算金额|金额|项目金额|资金|预算资金|总计|合计|财政拨款|财政专户拨款|其他资金"
                         r"|单位资金)(?:[（(].*[)）])?[:：]?$")


@dataclass(frozen=True)
class TargetValue:
    cell: SourceCell
    parsed: ParsedCell
    row_index: int
    column_index: int
    project: int  # 0, 1 … : the form's project within the table
    column_path: str  # 资金 | the target column's header (指标值, 目标值 …)
    row_label: str  # the funding line or the indicator (三级指标)
    section: str | None  # 一级指标/二级指标 of an indicator
    value_kind: str  # amount | indicator
    unit: str | None  # an amount's unit, when its row names one


@dataclass
class TargetsReading:
    values: list[TargetValue] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)  # project names, by form
    facts: dict[str, str] = field(default_factory=dict)


def parse_target(text: str) -> ParsedCell | None:
    """The number a target states ('≥90%' → 90, '≤70万元' → 70, '1 次' → 1); None when it
    states none ('有效促进', '2026年12月前': a year is not a target's number)."""
    bare = compact(normalise_text(text))
    match = TARGET.match(bare)
    if not match:
        return None
    unit = match["unit"] or ""
    if unit.startswith(("年", "月", "日", "-", "—", "至")):
        return None  # a date or a range, not one figure
    number = match["number"].replace(",", "")
    frac = number.split(".")[1] if "." in number else ""
    kind = CellKind.PERCENT if unit.startswith(("%", "％")) else CellKind.NUMBER
    return ParsedCell(text, kind, Decimal(number), len(frac))


def _next_filled(row: list[SourceCell], k: int) -> int | None:
    return next((j for j in range(k + 1, len(row)) if row[j].text.strip()), None)


def read_targets(table: RawTable) -> TargetsReading:
    reading = TargetsReading()
    project = -1
    columns: dict[str, int] = {}  # the indicator header's columns: levels and target
    target_path = ""
    levels: list[str | None] = [None, None]
    unit: str | None = None
    listed: list[tuple[int, str]] = []  # a list of projects: its amount columns and their headers
    for r, row in enumerate(table.rows):
        texts = [compact(c.text) for c in row]
        if not any(texts):
            continue
        opens_project = texts[next(k for k, t in enumerate(texts) if t)].startswith("项目名称")
        amounts_at = [k for k, t in enumerate(texts) if LIST_AMOUNT.match(t)]
        if amounts_at and any("项目" in t or "绩效目标" in t for t in texts) and (
                not opens_project or "绩效目标" in texts or len(amounts_at) > 1):
            # the header of a list of projects; one opening with 项目名称 is a list's only when
            # it also heads 绩效目标 or several amounts (a form's 项目名称 row names one project)
            listed = [(k, re.sub(r"[（(].*[)）]$|[:：]$", "", texts[k])) for k in amounts_at]
            unit = next((u for k in amounts_at if (u := find_unit_in_header(texts[k]) or find_unit(texts[k]))),
                        unit)
            continue
        if opens_project:
            k = next(k for k, t in enumerate(texts) if t)
            name = _next_filled(row, k)
            project += 1
            reading.projects.append(row[name].text.strip() if name is not None else "")
            columns, levels, unit = {}, [None, None], None
            continue
        if ("三级指标" in texts or "指标名称" in texts) and any(TARGET_HEADER.match(t) for t in texts):
            columns = {t: k for k, t in enumerate(texts) if t in _LEVELS}
            if "三级指标" not in columns:  # 指标名称 | 指标性质 | 指标值 | 计量单位 (重庆)
                columns["三级指标"] = texts.index("指标名称")
            target = next(k for k, t in enumerate(texts) if TARGET_HEADER.match(t))
            columns["target"], target_path = target, texts[target]
            levels = [None, None]
            continue
        if listed and not columns:
            _listed(reading, row, texts, r, listed, unit)
            continue
        row_unit = next((u for t in texts if t and (u := find_unit_in_header(t))), None)
        if row_unit:
            unit, columns = row_unit, {}  # a funds section ('项目资金（万元）') ends the indicators
        if columns:
            if _indicator(reading, row, texts, r, max(project, 0), columns, target_path, levels):
                continue
        for k, t in enumerate(texts):  # funding lines: a funds label, then its figure
            if not t or not FUNDING_LABEL.search(t) or parse_cell(t).kind is not CellKind.TEXT:
                continue
            if glued := GLUED_FUNDING.match(t):
                parsed = parse_cell(glued["figure"])
                reading.values.append(TargetValue(row[k], ParsedCell(row[k].text, parsed.kind, parsed.value,
                                                                     parsed.decimals),
                                                  r, k, max(project, 0), "资金", glued["label"], None, "amount", unit))
                continue
            j = _next_filled(row, k)
            if j is None:
                continue
            parsed = parse_cell(row[j].text)
            if parsed.kind is CellKind.NUMBER:
                label = re.sub(r"[:：]$", "", t)
                reading.values.append(TargetValue(row[j], parsed, r, j, max(project, 0), "资金", label,
                                                  None, "amount", unit))
    if len(reading.projects) == 1 and reading.projects[0]:
        reading.facts["project_name"] = reading.projects[0]
    return reading


def _listed(reading: TargetsReading, row: list[SourceCell], texts: list[str], r: int,
            listed: list[tuple[int, str]], unit: str | None) -> None:
    """A project of a list (项目 | 预算数 | 绩效目标): its amounts, labelled by its name."""
    first = listed[0][0]
    names = [t for t in texts[:first] if t and parse_cell(t).kind is CellKind.TEXT]
    figures = [(k, path, parsed) for k, path in listed
               if k < len(row) and (parsed := parse_cell(row[k].text)).kind is CellKind.NUMBER]
    if not figures or not names:
        return
    # the project is the name nearest its amounts; a unit's name before it (二级预算单位名称)
    # is its section
    reading.projects.append(names[-1])
    for k, path, parsed in figures:
        reading.values.append(TargetValue(row[k], parsed, r, k, len(reading.projects) - 1, path, names[-1],
                                          names[0] if len(names) > 1 else None, "amount", unit))


def _indicator(reading: TargetsReading, row: list[SourceCell], texts: list[str], r: int, project: int,
               columns: dict[str, int], path: str, levels: list[str | None]) -> bool:
    """Read one row under the indicator header; False when the row is no indicator row."""
    filled = [k for k, t in enumerate(texts) if t]
    k_target = columns["target"]
    value_at = k_target if k_target < len(row) and texts[k_target] else filled[-1]
    name_at = columns.get("三级指标")
    if name_at is None or name_at >= len(texts) or not texts[name_at] or name_at == value_at:
        before = [k for k in filled if k < value_at]
        if not before:
            return False
        name_at = before[-1]
    name = texts[name_at]
    if parse_cell(name).kind is not CellKind.TEXT:
        return False
    for pos, level in enumerate(_LEVELS[:2]):
        k = columns.get(level)
        if k is not None and k < name_at and k < len(texts) and texts[k]:
            levels[pos] = texts[k]
    parsed = parse_target(row[value_at].text)
    if parsed is not None:
        section = "/".join(x for x in levels if x) or None
        reading.values.append(TargetValue(row[value_at], parsed, r, value_at, project, path, name, section,
                                          "indicator", None))
    return True
