"""Figures of the project performance self-evaluation forms (项目支出绩效自评表).

The forms are key/value layouts, and their extractions lose empty cells, so a row's figures
cannot always be placed by column position. Each funding row is aligned to the measures its
header names (年初预算数, 全年预算数, 全年执行数, 资金结余, 执行率, 分值, 得分). A row with one
figure per measure is read in the header's order. A row with fewer (the extraction lost its
empty cells) is aligned by trying every offset and keeping the one the form's own identities
confirm: a percentage sits under 执行率, 执行率 = 执行数 / 全年预算数, 资金结余 = 全年预算数 −
执行数, 得分 ≤ 分值; a row no offset satisfies is left as cells (with a warning): a figure is
never placed by a guess.
Indicator rows give their 分值 and 得分 from the columns the header names; a row the
extraction shifted (cells lost before the figures, or a label column the header lacks) is
read at the nearest shift only when the form's total confirms it: the indicators' 得分 and
the funds' 得分 add up to the printed 总分. The 总分 row gives the total score and the grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.lexicon import compact
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


def _is_label(text: str) -> bool:
    return any(text.startswith(word) for word in _LABEL)


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


def _checks(assigned: dict[str, ParsedCell]) -> tuple[int, int] | None:
    """How many of the form's identities this reading satisfies and how many it breaks; None
    when a figure cannot stand where it is placed (a percentage outside 执行率)."""
    def value(name: str) -> Decimal | None:
        cell = assigned.get(name)
        return cell.value if cell is not None and cell.kind in (CellKind.NUMBER, CellKind.PERCENT) else None

    for name, cell in assigned.items():
        if cell.kind is CellKind.PERCENT and name != "执行率":
            return None
    held = broken = 0
    budget, spent, rest, rate = value("全年预算数"), value("全年执行数"), value("资金结余"), value("执行率")
    weight, score = value("分值"), value("得分")
    if rate is not None and rate > 200:
        return None
    if budget is not None and spent is not None and rate is not None and budget != 0:
        ok = _close(spent / budget * 100, rate, Decimal("0.6"))
        held, broken = held + ok, broken + (not ok)
    if budget is not None and spent is not None and rest is not None:
        ok = _close(budget - spent, rest, Decimal("0.011"))
        held, broken = held + ok, broken + (not ok)
    if weight is not None and score is not None:
        ok = score <= weight
        held, broken = held + ok, broken + (not ok)
    return held, broken


def _align_measures(measures: list[str], cells: list[tuple[int, SourceCell, ParsedCell]]) -> dict[str, tuple[int, SourceCell, ParsedCell]] | None:
    """The alignment of a row's figures (and dashes) to the header's measures.

    When the row has fewer figures than the header has measures (the extraction lost empty
    cells), the alignment the form's identities confirm best, and none if none is confirmed.
    When it has one figure per measure, the header's order — even if the identities then
    fail: that is the publication's finding to report (identity_results), not a reason to
    drop its numbers.
    """
    def figures(mapping: dict[str, tuple[int, SourceCell, ParsedCell]]) -> dict[str, ParsedCell]:
        return {k: v[2] for k, v in mapping.items() if v[2].kind is not CellKind.DASH}

    candidates = [measures]
    if "得分" not in measures:
        candidates.append([*measures, "得分"])  # a score column the header does not name
    best: tuple[int, dict[str, tuple[int, SourceCell, ParsedCell]]] | None = None
    for names in candidates:
        for offset in range(0, len(names) - len(cells) + 1):
            mapping = {names[offset + i]: c for i, c in enumerate(cells)}
            checks = _checks(figures(mapping))
            if checks is None or checks[1] or not checks[0]:
                continue
            if best is None or checks[0] > best[0]:
                best = (checks[0], mapping)
    if best:
        return best[1]
    if len(cells) == len(measures):
        mapping = dict(zip(measures, cells, strict=True))
        if _checks(figures(mapping)) is not None:
            return mapping
    return None


@dataclass
class _IndicatorRow:
    """An indicator row read at the header's columns (strict) and, where the extraction
    shifted the row, at the nearest shift that gives a 分值 and a 得分 (shifted)."""
    strict: list[FormValue]
    shifted: list[FormValue]


SHIFTS = (0, -1, 1, -2, 2)  # cells an extraction lost (or kept) before the figures


def _indicator_readings(
    row: list[SourceCell], r: int, columns: dict[str, int], levels: list[str | None]
) -> _IndicatorRow:
    texts = [compact(c.text) for c in row]
    k1, k2, k3 = columns.get("分值"), columns.get("得分"), columns.get("三级指标")
    found: dict[int, list[FormValue]] = {}
    if k1 is None or k2 is None or k3 is None:
        return _IndicatorRow([], [])
    for d in SHIFTS:
        if not (0 <= k3 + d and max(k1, k2) + d < len(row)):
            continue
        name = texts[k3 + d]
        p1, p2 = parse_cell(row[k1 + d].text), parse_cell(row[k2 + d].text)
        if not name or parse_cell(name).kind is not CellKind.TEXT:
            continue
        if (p1.kind is not CellKind.NUMBER or p2.kind is not CellKind.NUMBER
                or p1.value is None or p2.value is None or p2.value > p1.value):
            continue
        if d and any(parse_cell(t).kind is CellKind.NUMBER for t in texts[max(k1, k2) + d + 1 :]):
            continue  # a shifted reading leaves no figure right of its score
        own = list(levels)
        for pos, level in ((0, "一级指标"), (1, "二级指标")):
            column = columns.get(level)
            if column is not None and 0 <= column + d < len(texts) and texts[column + d]:
                own[pos] = texts[column + d]
        section = "/".join(x for x in own if x)
        found[d] = [FormValue(row[k1 + d], p1, r, k1 + d, "分值", name, section, "score"),
                    FormValue(row[k2 + d], p2, r, k2 + d, "得分", name, section, "score")]
        levels[:] = own  # 一级/二级 carry down to the rows below
        break
    strict = found.get(0, [])
    shifted = next(iter(found.values()), [])
    return _IndicatorRow(strict, shifted)


def _confirmed_indicators(
    rows: list[_IndicatorRow], read: list[FormValue], total: Decimal | None
) -> list[FormValue]:
    """The indicator readings to keep: the strict ones, unless the shifted ones (and only
    they) make the indicators' 得分 and the funds' 得分 add up to the printed 总分."""
    strict = [v for row in rows for v in row.strict]
    shifted = [v for row in rows for v in row.shifted]
    if total is None or shifted == strict:
        return strict
    return shifted if _scores_add_up(shifted, read, total) and not _scores_add_up(strict, read, total) else strict


def _scores_add_up(indicators: list[FormValue], read: list[FormValue], total: Decimal) -> bool:
    """The indicators' 得分 and the funds' 得分 (the first funding line's, in `read`) add up
    to the printed 总分, each score within its printed rounding."""
    funds = next((v.parsed.value for v in read if v.measure == "得分" and v.section is None), None) or Decimal(0)
    scores = [v.parsed.value for v in indicators if v.measure == "得分" and v.parsed.value is not None]
    return abs(sum(scores, funds) - total) <= Decimal("0.01") * (len(scores) + 1)


def _is_indicator_header(texts: list[str]) -> bool:
    return "一级指标" in texts and ("分值" in texts or "得分" in texts)


HEADER_EDGE = 2.0  # pt: a cell starting this little left of a header cell is under it


def _placed(row: list[SourceCell], lefts: list[float]) -> list[SourceCell]:
    """A row's cells (in reading order, with their boxes) under the header cells starting at
    `lefts`: each under the last header cell starting at or left of it (a text starts at its
    column's left edge, as the header's text does; a figure ends at the right one), in
    column 0 when it starts left of them all. A cell whose column is taken (a row printed
    shifted from its header, as some forms are) takes the next one: cells are never joined."""
    out = [SourceCell("") for _ in range(len(lefts) + 1)]
    for cell in row:
        if cell.bbox is None or not cell.text.strip():
            continue
        k = sum(left <= cell.bbox[0] + HEADER_EDGE for left in lefts)
        while k < len(out) and out[k].text:
            k += 1
        if k == len(out):
            out.append(SourceCell(""))
        out[k] = cell
    return out


def _laid_out(table: RawTable) -> list[list[SourceCell]]:
    """The form's rows as columns. A form drawn without rules holds each row's cells in
    reading order (`ingest.read.unruled_form`): its indicator rows, from their header to the 总分
    row, are laid onto the columns that header names; its funding rows are read in order
    (`_align_measures`) and its facts by label, so they stay as read."""
    if table.origin != "layout_form":
        return [list(r) for r in table.rows]
    out: list[list[SourceCell]] = []
    lefts: list[float] | None = None
    for row in table.rows:
        texts = [compact(c.text) for c in row]
        if _is_indicator_header(texts):
            lefts = [c.bbox[0] for c in row if c.bbox is not None]
        elif len([t for t in texts if t and _measure(t)]) >= 2 and not any("指标" in t for t in texts):
            lefts = None  # a funding header: its rows are read in order
        out.append(_placed(list(row), lefts) if lefts is not None else list(row))
        if any(t.startswith("总分") for t in texts):
            lefts = None
    return out


def read_form(table: RawTable) -> FormReading:
    reading = FormReading()
    rows = _laid_out(table)
    measures: list[str] = []
    indicator_columns: dict[str, int] = {}
    levels: list[str | None] = [None, None]
    in_indicators = False
    refining: int | None = None  # the sub-header row (目标申报数 | 预算编制数) already read
    pending: list[_IndicatorRow] = []  # indicator rows read so far, confirmed at 总分
    for r, row in enumerate(rows):
        if r == refining:
            continue
        texts = [compact(c.text) for c in row]
        for k, t in enumerate(texts):  # project facts: the next non-empty cell after a label
            for word, fact in _LABEL.items():
                if t.startswith(word) and fact not in reading.facts:
                    value = next((x.text.strip() for x in row[k + 1 :] if x.text.strip()), None)
                    if value and not _is_label(compact(value)):  # a label is no label's value
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
        if _is_indicator_header(texts):
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
            total = plain[-1][2].value if plain else None
            reading.values.extend(_confirmed_indicators(pending, reading.values, total))
            pending = []
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
            pending.append(_indicator_readings(row, r, indicator_columns, levels))
            continue
        if measures and len(figures) >= 2 and label:
            if all(p.kind is CellKind.DASH for _, _, p in figures):
                continue  # a funding line printed empty (上年结转资金 — — —)
            mapping = _align_measures(measures, figures)
            if mapping is None:
                reading.unaligned_rows += 1
                continue
            for measure, (k, c, p) in mapping.items():
                if p.kind is CellKind.DASH:
                    continue
                reading.values.append(FormValue(c, p, r, k, measure, label, None, _kind(measure)))
    return reading
