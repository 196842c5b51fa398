"""What kind of publication a file is, from the words it opens with: a budget or final-account
disclosure, or something a collector saved under a budget's name (a notice, a circular, a
performance evaluation report, a procurement list, a party inspection bulletin).

One place for the rule the PDF reader's cheap probe and the document's acceptance both use,
so that a refusal says what the file really is rather than only what it lacks.

Pure functions of text.
"""

from __future__ import annotations

import re

from ingest.numbers import compact

# Words a disclosure prints on its first pages: its kind, or (a file holding only the
# performance targets or self-evaluations of a budget) the name of those forms.
DISCLOSURE_WORDS = re.compile(r"预算|决算|預算|決算|绩效目标|绩效自评")

# A disclosure names itself in its title, contents or table captions.
_DISCLOSURE_TITLE = re.compile(
    r"(?:部门|单位)(?:综合)?(?:预算|决算)|(?:预算|决算)(?:信息)?公开|(?:预算|决算)(?:报)?表"
    r"|绩效目标表|绩效自评表|预算单位[:：]"
)

# Genres of official writing that are not disclosures, each with what the refusal calls it.
# Matched on the compacted opening text, so a title wrapped over lines matches whole.
_GENRES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[^。；]{0,40}绩效评价(?:报告|结果)"), "a performance evaluation report"),
    (re.compile(r"[^。；]{0,30}(?:巡察|巡视)[^。；]{0,30}?(?:通告|通报)"), "a party inspection bulletin"),
    (re.compile(r"关于[^。；]{2,80}?的(?:通知|通报|通告|意见|批复|决定|报告|函)"), "an official notice or circular"),
    (re.compile(r"[^。；]{2,60}?(?:供应|采购|中选|品种)[^。；]{0,20}?清单"), "a list"),
)
_DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔［\[]\s*[\d０-９]{4}\s*[〕］\]]\s*[\d０-９]+\s*号")
_ATTACHMENT = re.compile(r"^附件\s*\d*[:：]?")
_PAGE_MARK = re.compile(r"^[-—–\s]*\d+[-—–\s]*$")
OPENING_CHARS = 400  # the opening a title and its document number sit in


def opening(lines: list[str]) -> str:
    """The first words of a file, compacted, page marks ('— 1 —') left out."""
    text = "".join(compact(t) for t in lines if t.strip() and not _PAGE_MARK.match(t.strip()))
    return text[:OPENING_CHARS]


def other_genre(lines: list[str]) -> str | None:
    """What a file is when its opening names another kind of writing than a disclosure
    ('an official notice or circular: 关于…的通知'), None when it does not, or when it names
    itself a disclosure (a budget's cover letter may open with 关于…的说明 and still be one)."""
    head = opening(lines)
    if not head or _DISCLOSURE_TITLE.search(head):
        return None
    for pattern, label in _GENRES:
        if found := pattern.search(head):
            return f"{label}: {_ATTACHMENT.sub('', found.group(0))[-60:]}"
    if number := _DOCUMENT_NUMBER.search(head):
        return f"an official document numbered {number.group(0)}"
    return None


# Characters a font without a Unicode map leaves in the text layer: private-use code points,
# the replacement character and control characters.
_UNMAPPED = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def unreadable_text(text: str) -> bool:
    """Whether a text layer is the garble of fonts without a Unicode map: mostly unmapped
    code points and hardly any Chinese, although the page prints Chinese."""
    letters = re.sub(r"\s", "", text)
    if len(letters) < 20:
        return False
    return len(_UNMAPPED.findall(letters)) > 0.3 * len(letters) and len(_HAN.findall(letters)) < 0.1 * len(letters)


def refusal(probe_lines: list[str], pages_read: int, pages: int) -> str:
    """Why a PDF whose first pages print no disclosure word is not a disclosure: what its
    opening says it is, when it says, and the pages read."""
    missing = f"no 预算, 决算 or 绩效目标 on its first {pages_read} of {pages} pages"
    if unreadable_text("".join(probe_lines)):
        return f"text layer unreadable: fonts without a Unicode map ({missing})"
    genre = other_genre(probe_lines)
    return f"not a budget disclosure: {genre}; {missing}" if genre else f"not a budget disclosure: {missing}"


# A narrative published without its tables says where they are: '2017 年度部门预算公开表附后',
# '附件：北京市统计局部门 2026 年度部门预算报表'.
_TABLES_APART = re.compile(
    r"(?:(?:预算|决算|公开)(?:报)?表[^。；]{0,10}附后|附件[:：][^。；]{0,40}?(?:预算|决算|公开)(?:公开)?(?:报)?表)"
)


def tables_published_apart(lines: list[str]) -> str | None:
    """The sentence in which a narrative says its tables are attached as another file, if any."""
    text = "".join(compact(t) for t in lines)
    # the last such mention: the attachment line closes the narrative
    found = [m.group(0) for m in _TABLES_APART.finditer(text)]
    return found[-1] if found else None


def without_amounts(lines: list[str], tables: list[str]) -> str:
    """Why a landed document lands no amount: what the file holds (the names of the tables
    read from it, none of which gave an amount), and where it says its tables are."""
    if not tables:
        holds = "the file holds the narrative only"
    else:
        names = "; ".join(sorted(set(tables)))
        holds = f"the file holds {len(tables)} table(s) ({names}) from which no amount was read"
    if apart := tables_published_apart(lines):
        return f"no amounts landed: {holds}; its tables were published as a separate file ('{apart}')"
    return f"no amounts landed: {holds}"
