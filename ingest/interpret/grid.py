"""Interpret a grid table: header rows become column paths, columns get a role, side-by-side
layouts are split into groups, and every value cell gets a row identity and a measure.

Pure functions from `RawTable` to `GridReading`. One algorithm serves every grid template:
the two sides of 收入支出总表, the four column groups of 基本支出明细表 and the four sides of a
budget 收支总表 are all "groups" — runs of identifying columns followed by value columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.catalogue import Template
from ingest.lexicon import (
    code_scheme_of,
    codes_in_label,
    compact,
    is_column_numbers,
    is_section_caption,
    line_item,
    names_an_organisation,
)
from ingest.model import RawTable, SourceCell
from ingest.numbers import CellKind, ParsedCell, parse_cell

FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")  # 类 208, 款 20801, 项 2080109
CODE = re.compile(r"^\d{3,9}$")
# a code printed in brackets before the name, in the name column ('[2080501]行政单位离退休',
# 广州): the code is the row's, its scheme told by its first digit (功能 2xx, 部门经济 3xx,
# 政府经济 5xx)
BRACKET_CODE = re.compile(r"^[\[【［](\d{3,9})[\]】］]\s*(.+)$")
BRACKET_SCHEME = {"2": "function", "3": "economic", "5": "gov_economic"}
TOTAL_LABELS = ("合计", "总计", "小计", "本年收入合计", "本年支出合计", "收入总计", "支出总计")
_LABEL_HEADERS = ("名称", "简介", "备注", "说明", "理由", "任务", "内容")
# a name column headed by the unit ('预算单位', '单位名称'): a table listing each unit's
# classes in turn (深圳's 支出总表: 部门 row, 本级 row and its 类/款/项, next unit …)
# a figure is a count only where its column or (uncoded) row names what is counted: a unit in
# brackets ('（辆）', '（人）', '（台，套）'), a count measure (车辆数, 人数, 人次, 批次) or the
# 单价…以上设备 line of 决算 10; '设备' or '车辆' in an item's name ('办公设备购置', '车辆运行维护费')
# is an amount like any other in a 万元 table
COUNT_NAMES = re.compile(
    r"[（(](?:辆|人|个|台|套|台套|台（套）|台\(套\)|台[，,、]套|批|批次|人次|次|家|户)[）)]"
    r"|车辆数|人数|人次|批次|台（套）|台\(套\)|以上(?:通用|专用)?设备"
)
# a header naming what its figures measure: whole numbers under it are amounts ('237' 万元 of
# 三公经费 under 合计), never codes, however like a code they look
MEASURE_HEADER = re.compile(r"合计|小计|总计|金额|[费数额]$|支出$|收入$|经费")
UNIT_HEADER = re.compile(r"^(?:预算|部门)?[（(]?单位[）)]?(?:名称|全称)?$")


@dataclass(frozen=True)
class Column:
    index: int
    path: tuple[str, ...]
    role: str  # code | label | lineno | value
    column_number: str | None = None  # 栏次 as printed
    code_scheme: str | None = None  # function | economic | gov_economic | unit

    @property
    def path_text(self) -> str:
        return "/".join(self.path)


@dataclass(frozen=True)
class GridValue:
    """One printed number, located in its table."""

    cell: SourceCell
    parsed: ParsedCell
    row_index: int
    printed_column: int  # where the number was printed (its address)
    column: Column  # the column it belongs to (its measure)
    group_index: int
    side: str | None
    row_label: str
    line_number: str | None  # 行次 / 序号
    function_code: str | None
    economic_code: str | None
    gov_economic_code: str | None
    unit_code: str | None
    section: str | None
    value_kind: str  # amount | percent | count | score

    @property
    def row_key(self) -> str:
        code = self.function_code or self.economic_code or self.unit_code
        return code or line_item(self.row_label)


@dataclass(frozen=True)
class GridRow:
    """What identifies a body row within one column group, whether or not it has values."""

    row_index: int
    group_index: int
    label_cell: SourceCell | None
    row_label: str
    line_number: str | None
    codes: dict[str, str]
    section: str | None


@dataclass
class GridReading:
    header_rows: int
    columns: list[Column]
    values: list[GridValue] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    text_in_value_columns: list[SourceCell] = field(default_factory=list)
    realigned_cells: int = 0


def _padded_texts(row: list[SourceCell], width: int) -> list[str]:
    return [compact(c.text) for c in row] + [""] * (width - len(row))


def _is_body_row(texts: list[str]) -> bool:
    """The first row that is not header: it carries a value, a classification code, or is a
    total row ('合计' followed by numbers or blanks — '合计' also heads columns in 三公 tables)."""
    if is_column_numbers(texts):
        return False
    non_empty = [t for t in texts if t]
    kinds = [parse_cell(t).kind for t in non_empty]
    for t, kind in zip(non_empty, kinds, strict=True):
        if kind in (CellKind.NUMBER, CellKind.PERCENT) and not (t.isdigit() and len(t) <= 2):
            return True
        if FUNCTION_CODE.match(t):
            return True
    if non_empty and non_empty[0] in TOTAL_LABELS:
        return not any(k is CellKind.TEXT for k in kinds[1:])
    return False


def _column_paths(
    header: list[list[str]], width: int, ruled_blank: list[list[bool]] | None = None
) -> list[tuple[str, ...]]:
    """Header rows to one path per column. A blank header cell above a labelled one belongs to
    the merged cell on its left (e.g. '本年支出' spanning 小计 / 基本支出 / 项目支出), past
    columns that a merged cell covers entirely — unless the rules draw it as a cell of its own
    (`ruled_blank`: a blank cell with its own box; a merged cell's other columns have none), as
    above 总计 beside '采购组织形式' in 江苏's 政府采购 tables."""
    filled = [list(r) for r in header]
    # a column blank throughout the header is covered by a merged cell on its left
    # ('功能科目名称' over two columns): it does not end the span of the cells above it
    covered = [not any(row[j] for row in header) for j in range(width)]
    for r, row in enumerate(filled):
        for j in range(width):
            if row[j] or j == 0:
                continue
            below = any(header[rr][j] for rr in range(r + 1, len(header)))
            if below and not (ruled_blank and ruled_blank[r][j]):
                k = j - 1
                while k > 0 and not row[k] and covered[k]:
                    k -= 1
                row[j] = row[k]
    paths = []
    for j in range(width):
        path: list[str] = []
        for row in filled:
            if row[j] and (not path or path[-1] != row[j]):
                path.append(row[j])
        paths.append(tuple(path))
    return paths


def _code_scheme(path_text: str, template: Template, codes: list[str] = ()) -> str:  # type: ignore[assignment]
    """The classification a code column holds: as its header names it, else as its codes
    show it (a '科目编码' over 30201 … is economic whatever the table), else the template's."""
    if "政府经济" in path_text or "政府预算支出经济" in path_text:
        return "gov_economic"
    if "经济" in path_text:
        return "economic"
    if "功能" in path_text:
        return "function"
    if "单位" in path_text:
        return "unit"
    # the first digit of a classification code says its scheme (`lexicon.code_scheme_of`)
    schemes = Counter(code_scheme_of(code) for code in codes if CODE.match(code))
    if schemes:
        scheme, n = schemes.most_common(1)[0]
        if scheme and n > len(codes) / 2:
            return scheme
    return "economic" if template.rows == "economic_code" else "function"


def _column_role(path: tuple[str, ...], body: list[str]) -> str:
    leaf = path[-1] if path else ""
    if "行次" in leaf or leaf == "序号":
        return "lineno"
    if "代码" in leaf or "编码" in leaf:
        return "code"
    if leaf in ("类款项", "类款", "类", "款", "项") and any("代码" in p or "编码" in p for p in path):
        return "code"  # '科目编码 / 类款项': segments of a code, never amounts
    kinds = [parse_cell(t).kind for t in body if t]
    numbers = sum(k in (CellKind.NUMBER, CellKind.PERCENT) for k in kinds)
    texts = sum(k is CellKind.TEXT for k in kinds)
    codes = sum(bool(CODE.match(t)) for t in body if t)
    if kinds and codes and codes >= 0.6 * len(kinds) and codes == numbers and not MEASURE_HEADER.search(leaf):
        return "code"
    if texts and texts >= numbers:
        return "label"
    if not numbers and (leaf in ("项目", "") or any(w in leaf for w in _LABEL_HEADERS)):
        return "label" if leaf else "value"
    return "value"


def _value_kind(parsed: ParsedCell, column: Column, row_label: str, has_code: bool) -> str:
    if parsed.kind is CellKind.PERCENT:
        return "percent"
    where = column.path_text + ("" if has_code else row_label)
    if any(w in where for w in ("分值", "得分")):
        return "score"
    if any(w in where for w in ("执行率", "占比", "比例", "完成率")):
        return "percent"
    if COUNT_NAMES.search(column.path_text) or (not has_code and COUNT_NAMES.search(row_label)):
        return "count"
    return "amount"


def _value_homes(columns: list[Column], lean: str = "left") -> list[int | None]:
    """Where a number found in each column belongs. A number under a name header, or in a
    column no header covers, is a value shifted by a cell the extraction lost next to a
    merged label ('公用经费合计 … 18.92'): it belongs to the nearest headed value column,
    to the right for a name column, to the left for a header-less column — or, the other
    reading the layout allows (`lean="right"`), to the right: a one-row table whose header
    cells sit one grid column right of their figures (江苏's 支出预算总表: 合计 | 基本支出 |
    项目支出 | 单位预留机动经费 over figures each a column to the left)."""
    headed = [c.index for c in columns if c.role == "value" and c.path]
    homes: list[int | None] = []
    for col in columns:
        if col.role == "value" and col.path:
            homes.append(col.index)
        elif col.role == "label":
            right = [k for k in headed if k > col.index]
            homes.append(right[0] if right else None)
        elif col.role == "value":
            left = [k for k in headed if k < col.index]
            right = [k for k in headed if k > col.index]
            if lean == "right":
                homes.append(right[0] if right else (left[-1] if left else None))
            else:
                homes.append(left[-1] if left else None)
        else:
            homes.append(None)
    return homes


MAX_QUALIFIERS = 4  # '2025年 | 2026年 | 增减变化金额': the few words a qualifier column repeats


def _qualifier_columns(group: list[Column], body: list[list[str]]) -> tuple[int, int] | None:
    """(name column, qualifier column) when a group's rows are named by two label columns, the
    first printed once per block and left blank below it, the second repeating a few words
    in each block (深圳's 三公 table: 预算单位 | 年度 = 2025年, 2026年, 增减变化金额). A row's
    name is then both: '深圳市建筑工务署/2026年'. Pure."""
    labels = [c.index for c in group if c.role == "label"]
    if len(labels) < 2:
        return None
    name, qualifier = labels[0], labels[1]
    if any(c.role == "code" and c.index > name for c in group):
        return None  # '部门经济科目 | 政府经济科目': the second name is a second code's

    words = [b[qualifier] for b in body if b[qualifier]]
    distinct = set(words)
    if not words or len(distinct) > MAX_QUALIFIERS or len(words) < 2 * len(distinct):
        return None
    if any(parse_cell(w).kind is not CellKind.TEXT for w in distinct):
        return None
    # the name is printed once per block: blank on some rows that carry a qualifier
    if not any(b[qualifier] and not b[name] for b in body) or not any(b[name] for b in body):
        return None
    return name, qualifier


# rows printed above the units in a table that lists units: its total, and 政府采购's kinds
# (货物, 工程, 服务, each listing its units again)
ABOVE_UNITS = re.compile(r"^(?:合\s*计|总\s*计|货物|工程|服务)(?:类)?$")


def _unit_heading_rows(columns: list[Column], body: list[list[str]], header_end: int) -> dict[int, str]:
    """Rows that open a unit's block in a table listing several units in its label column
    (广州's 支出项目类别（资金使用单位）: '广州市水务局（本级）' then its 工资福利支出,
    商品和服务支出 …; 深圳's 基本支出总表, 无锡's 政府采购): a row without a code whose label
    names an organisation. The rows below carry that unit as their section, so two units' 工资福利支出
    stay two rows. Only where the table names two units at least: one organisation-like name
    alone (even printed twice, once under 货物 and once under 服务) is more likely a line's name,
    or the department's own, than a list of units."""
    labels = [c.index for c in columns if c.role == "label"]
    codes = [c.index for c in columns if c.role == "code"]
    values = [c.index for c in columns if c.role == "value"]
    if not labels or not values:
        return {}
    candidates = [offset for offset, texts in enumerate(body)
                  if texts[labels[0]] and not any(texts[k] for k in codes)
                  and names_an_organisation(texts[labels[0]])]

    def amount(offset: int) -> Decimal | None:
        """The row's largest figure: its total, whichever column prints it."""
        parsed = [parse_cell(body[offset][k]) for k in values]
        return max((p.value for p in parsed if p.kind is CellKind.NUMBER and p.value is not None), default=None)

    def holds_its_lines(offset: int, end: int) -> bool:
        """A unit's total is at least each of its lines (up to `end`, or a kind row)."""
        stop = next((o for o in range(offset + 1, end) if body[o][labels[0]]
                     and ABOVE_UNITS.match(body[o][labels[0]])), end)
        own = amount(offset)
        lines = [a for o in range(offset + 1, stop) if (a := amount(o)) is not None]
        return own is not None and bool(lines) and all(a <= own for a in lines)

    headings = {}
    accepted = len(body)  # the nearest heading below, as read so far (bottom up)
    for k in range(len(candidates) - 1, -1, -1):
        offset = candidates[k]
        following = candidates[k + 1] if k + 1 < len(candidates) else len(body)
        # its block runs to the next organisation-like row or, where that row is a project named
        # like an organisation ('广州市生态环境科技协同创新中心', 13.40, then a project of 80.91),
        # on to the next heading
        if holds_its_lines(offset, following) or holds_its_lines(offset, accepted):
            headings[header_end + offset] = body[offset][labels[0]]
            accepted = offset
    return headings if len(set(headings.values())) >= 2 else {}




def _named_or_qualified(row: list[SourceCell], group: list[Column], named_by: set[int], qualifying: set[int],
                        label: str, last_item: str) -> tuple[str, str]:
    """A row's name where its template says which column names it (政府采购: the item bought,
    beside its project and economic class), and the item name carried down. A row printing
    only how it is bought (采购组织形式) is the item above, bought another way: its name cell is
    merged with the one above (物业管理服务: 部门集中采购 330, 分散自行组织 20). Pure."""
    texts = {c.index: row[c.index].text.strip() for c in group
             if c.index < len(row) and c.role in ("label", "code")}
    item = next((texts[k] for k in sorted(named_by) if texts.get(k)), "")
    if item:
        return item, item
    named = any(text for k, text in texts.items() if k not in qualifying)
    if not named and any(texts.get(k) for k in qualifying) and last_item:
        return last_item, last_item
    return label, "" if named else last_item


def read_grid(table: RawTable, template: Template, lean: str = "left") -> GridReading:
    width = table.width
    rows = [_padded_texts(r, width) for r in table.rows]

    header_end = next((i for i, t in enumerate(rows) if _is_body_row(t)), len(rows))
    header_rows = rows[:header_end]
    numbers_rows = [t for t in header_rows if is_column_numbers(t)]
    # a caption row ('一、政府采购情况' alone) names a section, not columns
    section: str | None = None
    path_rows = []
    ruled_blank = []  # per path row: the blank cells the rules draw as cells of their own
    for i, t in enumerate(header_rows):
        if t in numbers_rows:
            continue
        if width > 2 and t[0] and not any(t[1:]) and is_section_caption(t[0]):
            section = t[0]
            continue
        path_rows.append(t)
        cells = table.rows[i]
        ruled_blank.append([table.origin == "ruled" and j < len(cells) and cells[j].bbox is not None
                            and not t[j] for j in range(width)])
    paths = _column_paths(path_rows, width, ruled_blank)
    column_numbers: list[str | None] = [None] * width
    for t in numbers_rows:
        for j, text in enumerate(t):
            if text.isdigit():
                column_numbers[j] = text

    body = rows[header_end:]
    columns = []
    for j in range(width):
        role = _column_role(paths[j], [b[j] for b in body])
        # a code column is named by its own header or, under a bare '科目编码', by the name
        # column beside it ('政府预算支出经济分类科目名称')
        named = "/".join(paths[j] + (paths[j + 1] if j + 1 < width else ()))
        scheme = _code_scheme(named, template, [b[j] for b in body if b[j]]) if role == "code" else None
        columns.append(Column(j, paths[j], role, column_numbers[j], scheme))

    groups: list[list[Column]] = []
    for col in columns:
        if not groups or (col.role != "value" and groups[-1][-1].role == "value"):
            groups.append([])
        groups[-1].append(col)
    multi = sum(any(c.role == "value" for c in g) for g in groups) > 1

    def side_of(group: list[Column]) -> str | None:
        if not multi or not group[0].path:
            return None
        first = group[0].path
        extra = first[1] if len(first) > 1 and first[1] not in ("项目", "科目代码", "科目名称") else ""
        return first[0] + (f"/{extra}" if extra else "")

    group_of = {col.index: g for g, group in enumerate(groups) for col in group}
    qualified = {g: q for g, group in enumerate(groups) if (q := _qualifier_columns(group, body))}
    carried: dict[int, str] = {}  # the name a qualified group's rows carry down
    named_by = {c.index for c in columns if c.role == "label" and c.path
                and any(h in c.path[-1] for h in template.name_headers)}
    qualifying = {c.index for c in columns if c.role == "label" and c.path
                  and any(h in c.path[-1] for h in template.qualifier_headers)}
    item: dict[int, str] = {}  # the last name a group's name column printed
    home = _value_homes(columns, lean)
    unit_columns = [c.index for c in columns if c.role == "label" and c.path and UNIT_HEADER.match(c.path[-1])]
    unit_headings = {} if unit_columns else _unit_heading_rows(columns, body, header_end)
    kind: str | None = None  # the kind of purchase the units below are listed under
    reading = GridReading(header_rows=header_end, columns=columns)
    header_words = {t for r in path_rows for t in r if t}
    for offset, texts in enumerate(body):
        r = header_end + offset
        non_empty = [t for t in texts if t]
        if not non_empty:
            continue
        kinds = [parse_cell(t).kind for t in non_empty]
        has_number = any(k in (CellKind.NUMBER, CellKind.PERCENT) for k in kinds)
        if not has_number and all(t in header_words for t in non_empty):
            continue  # a header repeated inside the table
        if is_column_numbers(texts):
            continue
        if width > 2 and texts[0] and len(non_empty) == 1 and is_section_caption(texts[0]):
            section = texts[0]
            continue
        # a unit's name in the unit column opens that unit's rows: its classes sum within it
        unit = next((texts[k] for k in unit_columns if texts[k] and parse_cell(texts[k]).kind is CellKind.TEXT), None)
        if unit:
            section = unit
        elif r in unit_headings:
            section = f"{kind}/{unit_headings[r]}" if kind else unit_headings[r]
        elif unit_headings and (above := ABOVE_UNITS.match(non_empty[0])):
            # a kind (货物, 服务) lists its units again: '货物/无锡市教育考试院' and
            # '服务/无锡市教育考试院' are two blocks
            section, kind = None, None if "计" in above[0] else compact(non_empty[0])
        group_rows: dict[int, tuple[str, dict[str, str], str | None]] = {}
        for g, group in enumerate(groups):
            code: dict[str, str] = {}
            labels: list[str] = []
            line_no = None
            for col in group:
                text = texts[col.index]
                if not text:
                    continue
                if col.role == "code" and CODE.match(text):
                    code.setdefault(col.code_scheme or "function", text)
                elif col.role == "lineno":
                    line_no = text
                elif col.role in ("code", "label") and parse_cell(text).kind is CellKind.TEXT:
                    printed = table.rows[r][col.index].text.strip()
                    bracket = BRACKET_CODE.match(printed)
                    if bracket and not code and bracket[1][0] in BRACKET_SCHEME:
                        code[BRACKET_SCHEME[bracket[1][0]]] = bracket[1]
                        printed = bracket[2].strip()
                    labels.append(printed)
            # the first name is the row's; a second (政府经济科目名称 beside 部门经济科目名称)
            # is the name of the second code and is kept with the cells
            label = labels[0] if labels else ""
            if named_by or qualifying:
                label, item[g] = _named_or_qualified(table.rows[r], group, named_by, qualifying, label,
                                                     item.get(g, ""))
            if not code and (in_label := codes_in_label(label)):
                code, label = dict(in_label[0]), in_label[1]  # '[201]一般公共服务支出'
            if g in qualified:
                name_col, qualifier_col = qualified[g]
                if texts[name_col]:
                    carried[g] = table.rows[r][name_col].text.strip()
                if texts[qualifier_col] and carried.get(g):
                    label = f"{carried[g]}/{table.rows[r][qualifier_col].text.strip()}"
            group_rows[g] = (label, code, line_no)
            if label or code:
                label_cell = next(
                    (table.rows[r][c.index] for c in group
                     if c.role in ("code", "label") and c.index < len(table.rows[r])
                     and table.rows[r][c.index].text.strip()),
                    None,
                )
                reading.rows.append(GridRow(r, g, label_cell, label, line_no, dict(code), section))
        for j, text in enumerate(texts):
            col = columns[j]
            if not text or col.role in ("code", "lineno") or j >= len(table.rows[r]):
                continue
            cell = table.rows[r][j]
            parsed = parse_cell(cell.text)
            if parsed.kind is CellKind.DASH:
                continue
            if parsed.kind not in (CellKind.NUMBER, CellKind.PERCENT):
                if col.role == "value":
                    reading.text_in_value_columns.append(cell)
                continue
            target = home[j]
            if target is None:
                reading.text_in_value_columns.append(cell)
                continue
            if target != j:
                reading.realigned_cells += 1
            col = columns[target]
            g = group_of[target]
            label, code, line_no = group_rows[g]
            row_label = label
            if not row_label and not code:
                # a label cell merged across groups ('公用经费合计' … value far right)
                row_label = next(
                    (
                        table.rows[r][k].text.strip()
                        for k in range(j - 1, -1, -1)
                        if columns[k].role != "value" and texts[k]
                        and parse_cell(texts[k]).kind is CellKind.TEXT
                    ),
                    "",
                )
            reading.values.append(
                GridValue(
                    cell=cell,
                    parsed=parsed,
                    row_index=r,
                    printed_column=j,
                    column=col,
                    group_index=g,
                    side=side_of(groups[g]),
                    row_label=row_label,
                    line_number=line_no,
                    function_code=code.get("function"),
                    economic_code=code.get("economic"),
                    gov_economic_code=code.get("gov_economic"),
                    unit_code=code.get("unit"),
                    section=section,
                    value_kind=_value_kind(parsed, col, row_label, bool(code)),
                )
            )
    return reading
