"""Recognise what a document is (issuer, year, kind, scope) and what each table is."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.catalogue import (
    GENERIC,
    Template,
    TitleMatch,
    match_signature,
    match_title,
)
from ingest.lexicon import ORGANISATION_SUFFIX, compact, find_numbering
from ingest.model import RawTable, ReadDocument, TextLine
from ingest.numbers import find_unit, find_unit_in_header

_ISSUER_LINE = re.compile(r"^(?:预算)?(?:主管|编制)?(?:部门|单位)(?:名称)?\s*[:：]\s*(?P<name>.+)$")
_ISSUER_CUT = re.compile(r"\s*(?:20\d\d\s*年|金额单位|单位\s*[:：]|\s{2,}).*$")
_YEAR = re.compile(r"(20\d\d)\s*年")
_KIND = re.compile(r"(?<!公共)(?<!基金)(?<!经营)(?<!资本)(决算|预算)")
_ORG_SUFFIX = ORGANISATION_SUFFIX
_CODE_NAME = re.compile(r"^(?P<code>\d{3,9})\s*[-－—]\s*(?P<name>\S.+)$")
_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EMPTY_ANNOUNCED = re.compile(r"本表无数据|公开空表|本表为空|无数据|此表为空表|本单位不涉及")
TITLE_AREA_LINES = 25
_SCOPE_SUFFIX = re.compile(r"（本级）$")
# '江苏省委办公厅', '上海市普陀区委社会工作部': a region's party committee (省委, 市委, 区委, 县委, 州委)
# named without its 中共; '…委员会' is a government commission, not the party's
_PARTY_ORGAN = re.compile(r"^(?!中共)[\u4e00-\u9fff]{2,12}?[省市区县州旗]委(?!员会)")
_PRINTED_SCOPE_SUFFIX = re.compile(r"\s*(?:[（(]\s*本级\s*[)）]|本级)$")
_OWN_LEVEL = re.compile(r"[（(]本级[)）]|本级(?:部门|单位)?(?:综合)?(?:预算|决算)")
_SCOPE_WORD = re.compile(r"(?:部门|单位)$")
# the label of the line naming the issuer says what it is: '部门名称：' / '主管部门：' a department,
# '单位名称：' / '预算单位：' a unit ('编制单位：' only says who compiled the tables)
_LABEL_SCOPE = re.compile(r"^(?:预算|主管)?(?P<word>部门|单位)(?:名称)?\s*[:：]")
_BODY_SCOPE = re.compile(r"(?P<word>部门|单位)(?:综合)?(?:预算|决算)")


def issuer_key(name: str | None) -> str | None:
    """The name that identifies an issuer across its documents: spacing and bracket width
    removed, and the scope suffix （本级）: 无锡市教育局 and 无锡市教育局（本级） are one department
    publishing two scopes; a party committee's office is named with its 中共 (江苏省委办公厅 and
    中共江苏省委办公厅 are one issuer). The warehouse's issuer (int_document_issuers) and the linking of a
    narrative to its tables (pipeline/narrative_links.py) both use it."""
    if name is None:
        return None
    key = _SCOPE_SUFFIX.sub("", compact(name.replace("(", "（").replace(")", "）")))
    # a party committee's office is 中共…委… whether or not the document prints 中共
    return f"中共{key}" if _PARTY_ORGAN.match(key) else key


@dataclass
class DocumentInfo:
    issuer_name: str | None
    fiscal_year: int | None
    kind: str | None  # 预算 | 决算
    scope: str | None  # 部门 | 单位 | 本级
    title: str | None
    issuer_code: str | None = None
    parent_code: str | None = None
    parent_name: str | None = None
    published_date: str | None = None
    warnings: list[str] = field(default_factory=list)


def _clean_issuer(name: str) -> str:
    name = _ISSUER_CUT.sub("", name.strip()).strip(" ：:")
    # '单位：万元' is a unit line, not an issuer
    return "" if re.fullmatch(r"(?:金额)?(?:亿元|万元|元)", name) else name


def _title_issuer(title_area: list[str]) -> tuple[str | None, str | None]:
    """The issuer from the title lines, which wrap in PDFs ('上海市普陀区规划和自然' / '资源局' /
    '2024 年度部门决算'): the words before the year in the first lines joined."""
    head = compact("".join(title_area[:4]))
    head = re.sub(r"^附件\s*\d*[:：]?", "", head)
    leading_year = re.match(r"^(20\d\d)年度?(?P<name>.{4,40}?)(?:部门|单位)(?:综合)?(?:预算|决算)", head)
    if leading_year and _ORG_SUFFIX.search(leading_year["name"]):
        return leading_year["name"], leading_year.group(0)
    match = re.match(r"^(?P<name>.{4,40}?)(20\d\d)年", head)
    # '北京市统计局部门 2026 年度部门预算': the scope word before the year is not the name's
    name = _SCOPE_WORD.sub("", match["name"]) if match else ""
    if match and _ORG_SUFFIX.search(name):
        return name, match.group(0)
    return None, None


def _code_names(tables: list[RawTable]) -> dict[str, set[str]]:
    """Unit codes printed next to names: '076002-岚县医疗保险服务中心', or '613004 | 勉县…' rows.
    A department can appear under its own code (236) and its 本级 unit's (236001)."""
    pairs: dict[str, set[str]] = {}
    for table in tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row]
            for k, text in enumerate(texts):
                match = _CODE_NAME.match(text)
                if match and _ORG_SUFFIX.search(match["name"].strip()):
                    pairs.setdefault(match["name"].strip(), set()).add(match["code"])
                elif re.fullmatch(r"\d{3,9}", text) and k + 1 < len(texts):
                    name = texts[k + 1]
                    if name and _ORG_SUFFIX.search(name) and not re.search(r"\d", name):
                        pairs.setdefault(name, set()).add(text)
    return pairs


_MISSING = {
    "issuer_name": "no 部门/单位 name line, no name before the year in the title, no file name with one",
    "fiscal_year": "no year in its title, captions or text, nor in the file name",
    "kind": "no 预算 or 决算 in its title, captions or text",
    "scope": "no 部门, 单位 or 本级 in its title, on its 部门/单位 line or in its text",
}


def _form_kind(context: list[str], warnings: list[str]) -> str | None:
    """The kind of a file that holds only performance forms and never prints 预算 or 决算:
    targets (绩效目标表) are set with the budget, self-evaluations (绩效自评表) made with the
    final accounts."""
    text = compact("".join(context))
    for form, kind in (("绩效目标", "预算"), ("绩效自评", "决算")):
        if form in text:
            warnings.append(f"kind {kind} read from its {form} forms (the file prints neither 预算 nor 决算)")
            return kind
    return None


def _scope(title: str, issuer: str | None, context: list[str]) -> tuple[str | None, str | None]:
    """The document's scope (部门, 单位 or 本级) and, when the title does not say it, where it
    was read: the title ('…（本级）部门预算', '单位预算'), else the label of the line naming
    the issuer ('部门名称：…' on a tables-only file), else the words the text uses most
    ('部门预算' or '单位预算' in its contents and narrative)."""
    # '…局（本级）部门预算', '局本级预算'; not '本级人民政府' in the first sentences of a 部门预算
    if _OWN_LEVEL.search(title[:400]) or (issuer and "本级" in issuer):
        return "本级", None
    if re.search(r"单位(?:综合)?(?:决算|预算)", title):
        return "单位", None
    if re.search(r"部门(?:综合)?(?:决算|预算)", title):
        return "部门", None
    labels = Counter(m["word"] for text in context if (m := _LABEL_SCOPE.match(compact(text)))
                     and (line := _ISSUER_LINE.match(text.strip())) and _clean_issuer(line["name"]))
    if labels:
        word = labels.most_common(1)[0][0]
        return word, f"scope {word} read from the {word} line naming the issuer (the title does not say)"
    words = Counter(m["word"] for text in context for m in _BODY_SCOPE.finditer(compact(text)))
    if words:
        word = words.most_common(1)[0][0]
        return word, f"scope {word} read from the text ('{word}预算/决算' {words[word]} times; the title does not say)"
    return None, None


_CAPTION_CODE = re.compile(r"^(?P<code>\d{3,9})\s*[-－—]\s*(?P<name>\S.*)$")


def _caption_codes(lines: list[str]) -> list[tuple[str, str]]:
    """Unit codes printed in a table's caption before the issuer's name ('606-湖州市交通运输局
    单位：万元'), as (name, code)."""
    out = []
    for text in lines:
        if (match := _CAPTION_CODE.match(text.strip())) and (name := _clean_issuer(match["name"])):
            if _ORG_SUFFIX.search(name):
                out.append((name, match["code"]))
    return out


def recognise_document(doc: ReadDocument) -> DocumentInfo:
    title_area = [ln.text for ln in doc.lines[:TITLE_AREA_LINES]]
    warnings: list[str] = []
    # the running text, then what stands above each table, then below it (some tables-only
    # files print a table's title under it: '2019年政府采购预算表')
    all_context = [ln.text for ln in doc.lines] + [
        ln.text for t in doc.tables for ln in t.context
    ] + [ln.text for t in doc.tables for ln in t.trailer]
    issuer = next(
        (
            _clean_issuer(m["name"])
            for text in all_context
            if (m := _ISSUER_LINE.match(text.strip())) and _clean_issuer(m["name"])
        ),
        None,
    )
    title_issuer, title = _title_issuer(title_area)
    if issuer and title_issuer and title_issuer.startswith(issuer):
        issuer = title_issuer  # '部门名称：江苏省人大' wrapped; the title has it whole
    issuer = issuer or title_issuer
    if not issuer:
        issuer = next(
            (c for t in title_area if _ORG_SUFFIX.search(c := compact(t)) and len(c) <= 40),
            None,
        )
    if not issuer:
        # a cover printed as an image leaves only the file's name
        named = re.match(r"^(?P<name>.{4,40}?)(?:20\d\d|\d\d年)", compact(doc.path.stem))
        if named and _ORG_SUFFIX.search(named["name"]):
            issuer = named["name"]
            warnings.append(f"issuer {issuer} taken from the file name")
    joined = " ".join(title_area)
    year = next((int(m.group(1)) for t in title_area if (m := _YEAR.search(t))), None)
    kind_match = _KIND.search(joined)
    # tables-only files carry their title in table captions; look there, then everywhere
    for fallback in (all_context, [doc.path.name]):
        if year is None:
            year = next((int(m.group(1)) for t in fallback if (m := _YEAR.search(t))), None)
            if year is None and fallback[0] == doc.path.name:
                m = re.search(r"(20\d\d)", doc.path.name)
                year = int(m.group(1)) if m else None
            if year is not None and fallback[0] == doc.path.name:
                warnings.append(f"fiscal year {year} taken from the file name")
        if kind_match is None:
            kind_match = next((m for t in fallback if (m := _KIND.search(t))), None)
    scope, scope_from = _scope(compact(joined), issuer, all_context)
    if scope_from:
        warnings.append(scope_from)
    if issuer:
        # the department is the issuer; its own level is the document's scope (本级)
        issuer = _PRINTED_SCOPE_SUFFIX.sub("", issuer) or issuer
    date = _DATE.search(joined)
    info = DocumentInfo(
        issuer_name=issuer,
        fiscal_year=year,
        kind=kind_match.group(1) if kind_match else _form_kind(all_context, warnings),
        scope=scope,
        title=title or (title_area[0] if title_area else None),
        published_date=f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else None,
        warnings=warnings,
    )
    codes = _code_names(doc.tables)
    for name, code in _caption_codes(all_context):
        codes.setdefault(name, set()).add(code)
    own = {code for name, named in codes.items() if issuer and issuer_key(name) == issuer_key(issuer)
           for code in named}
    if own:
        # a department's document is the department's (shortest code); a unit's the unit's
        pick = min if info.scope == "部门" else max
        info.issuer_code = pick(own, key=lambda c: (len(c), c))
        parents = [
            (code, name)
            for name, named in codes.items()
            for code in named
            if len(code) < len(info.issuer_code) and info.issuer_code.startswith(code)
        ]
        if parents:
            info.parent_code, info.parent_name = max(parents, key=lambda p: len(p[0]))
    for attr, reason in _MISSING.items():
        if getattr(info, attr) is None:
            info.warnings.append(f"{attr} not printed: {reason}")
    return info


@dataclass
class TableIdentity:
    template: Template
    recognised_by: str  # title | signature | contents | none
    title: str | None
    numbering: str | None
    unit: str | None
    announced_empty: bool
    # the issuer's name the table prints in its title block ('部门名称：…', '单位名称：…',
    # '606-湖州市交通运输局'): the inspector checks it against the cover's
    printed_issuer: str | None = None


def _trailer_until_next_title(table: RawTable) -> list[TextLine]:
    out = []
    for line in table.trailer:
        if match_title(line.text) or line.text.startswith("#"):
            break
        out.append(line)
    return out


TITLE_DISTANCE = 8  # a title sits among the last lines before its table


def _shortest(lines: list[TextLine], joined: TitleMatch, family_hint: str | None) -> TitleMatch:
    """The same title in the fewest of `lines`: a match over '收入支出决算总表' / '公开01表' /
    '部门名称：…' is the first line's, not the three joined; a title wrapped over two lines
    ('“三公”经费支出预' / '算表') keeps both."""
    for size in range(1, len(lines)):
        for start in range(len(lines) - size + 1):
            found = match_title("".join(ln.text for ln in lines[start : start + size]), family_hint)
            if found and found.template is joined.template:
                return found
    return joined


def _wrapped_head(window: list[TextLine], lo: int, hi: int, found: TitleMatch,
                  family_hint: str | None) -> TitleMatch:
    """A title whose last line is itself a title ('支出预算表') but whose head is printed on the
    line above ('公开 09 表：一般公共预算“三公”经费、会议费、培训费' / '支出预算表', 江苏 检察院
    2018): the head, a short line that does not end a title (no 表 at its end, no unit), with
    the lines of `found` (among window[lo:hi]) names another table, which is the one printed."""
    first = next((i for i in range(lo, hi) for j in range(i + 1, hi + 1)
                  if "".join(ln.text for ln in window[i:j]) == found.title), None)
    if not first:
        return found
    head = window[first - 1].text.strip()
    if len(head) > 30 or head.endswith("表") or find_unit(head):
        return found
    joined = match_title(head + found.title, family_hint)
    return joined if joined and joined.template is not found.template else found


MAX_TITLE = 60  # characters: a longer line is running text, not a title


def _unmatched_title(table: RawTable) -> str | None:
    """The title printed above a table no template knows (the nearest short line naming a
    表), so that the next family shows by its name; None when none is printed."""
    for line in reversed(table.context[-TITLE_DISTANCE:]):
        text = line.text.strip()
        if "表" in text and len(text) <= MAX_TITLE and not find_unit(text):
            return text
    return None


def recognise_table(table: RawTable, family_hint: str | None) -> TableIdentity:
    title_match = None
    window = table.context[-TITLE_DISTANCE:]
    for k in range(len(window) - 1, -1, -1):
        # a title may wrap over two or three short lines ('“三公”经费支出预' / '算表')
        for span in (1, 2, 3):
            if k - span + 1 < 0:
                break
            lines = window[k - span + 1 : k + 1]
            if span > 1 and any(len(ln.text) > 30 for ln in lines):
                break
            title_match = match_title("".join(ln.text for ln in lines), family_hint)
            if title_match:
                title_match = _shortest(lines, title_match, family_hint)
                title_match = _wrapped_head(window, k - span + 1, k + 1, title_match, family_hint)
                break
        if title_match:
            break
    header_text = [c.text for row in table.rows[:4] for c in row if c.text]
    template: Template | None
    if title_match:
        template, by, title = title_match.template, "title", title_match.title
    else:
        template, by, title = match_signature(header_text), "signature", None
        if template is None:
            template, by, title = GENERIC, "none", _unmatched_title(table)
    numbering = next(
        (n for line in reversed(table.context[-TITLE_DISTANCE:]) if (n := find_numbering(line.text))),
        None,
    )
    # the unit is printed in the table's title block, just above it ('金额单位：万' / '元' may
    # be split over two lines); a '单位：' further up belongs to some other text
    ctx = table.context[-TITLE_DISTANCE:]
    unit = next(
        (
            u
            for i in range(len(ctx) - 1, -1, -1)
            if (u := find_unit(ctx[i].text, ctx[i + 1].text if i + 1 < len(ctx) else ""))
        ),
        None,
    )
    if unit is None:
        unit = next((u for t in header_text if (u := find_unit_in_header(t))), None)
    trailer = _trailer_until_next_title(table)
    announced = any(_EMPTY_ANNOUNCED.search(line.text) for line in trailer)
    return TableIdentity(template, by, title, numbering, unit, announced, table_issuer(table))


def table_issuer(table: RawTable) -> str | None:
    """The issuer's name printed in a table's title block: the nearest '部门名称：' / '单位名称：' /
    '预算单位：' line above it, or a caption code-name ('606-湖州市交通运输局  单位：万元'); None when
    the table prints none."""
    for line in reversed(table.context[-TITLE_DISTANCE:]):
        text = line.text.strip()
        if (match := _ISSUER_LINE.match(text)) and (name := _clean_issuer(match["name"])):
            return name
        if (match := _CAPTION_CODE.match(text)) and (name := _clean_issuer(match["name"])) and _ORG_SUFFIX.search(name):
            return name
    return None


def document_family(info: DocumentInfo) -> str | None:
    return {"决算": "final", "预算": "budget"}.get(info.kind or "")


def most_common_unit(identities: list[TableIdentity]) -> str | None:
    counts = Counter(i.unit for i in identities if i.unit)
    return counts.most_common(1)[0][0] if counts else None
