"""The table catalogue (templates.toml) and how a table is matched against it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# Traditional forms seen in titles (收入決算表) mapped to the simplified ones the catalogue uses.
_TRADITIONAL = str.maketrans(
    "決預總財撥經費國資營體績評項細運關開購據與門單計劃結餘轉紀專門務產採購會議訓",
    "决预总财拨经费国资营体绩评项细运关开购据与门单计划结余转纪专门务产采购会议训",
)
_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")


def normalise_title(text: str) -> str:
    """Comparable form of a title: no whitespace or quotes, ASCII brackets, simplified."""
    text = _NOISE.sub("", text.translate(_TRADITIONAL))
    return text.replace("（", "(").replace("）", ")").replace("，", "、").replace(",", "、")


_NUMBERING = re.compile(
    r"(公开\s*\d{1,2}\s*表|公开表\s*[\d一二三四五六七八九十]+|预算\s*\d{1,2}\s*表|"
    r"表\s*\d{1,2}(?:-\d+)?|表[一二三四五六七八九十]+|附件\s*\d{1,2})"
)


def find_numbering(text: str) -> str | None:
    """The printed numbering of a table ('公开01表', '表13-1'), when the line carries one."""
    match = _NUMBERING.search(text)
    return re.sub(r"\s+", "", match.group(1)) if match else None


@dataclass(frozen=True)
class Template:
    id: str
    name_zh: str
    name_en: str
    family: str
    titles: tuple[str, ...]
    numbering: tuple[str, ...]
    rows: str
    shape: str
    signature: tuple[str, ...] = field(default_factory=tuple)


GENERIC = Template(
    id="generic",
    name_zh="未识别表格",
    name_en="Unrecognised table (generic cells)",
    family="other",
    titles=(),
    numbering=(),
    rows="none",
    shape="form",
)


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Template, ...]:
    data = tomllib.loads(resources.files("ingest").joinpath("templates.toml").read_text("utf-8"))
    return tuple(
        Template(
            id=t["id"],
            name_zh=t["name_zh"],
            name_en=t["name_en"],
            family=t["family"],
            titles=tuple(normalise_title(x) for x in t["titles"]),
            numbering=tuple(t.get("numbering", ())),
            rows=t["rows"],
            shape=t["shape"],
            signature=tuple(t.get("signature", ())),
        )
        for t in data["template"]
    )


def template_by_id(template_id: str) -> Template:
    if template_id == GENERIC.id:
        return GENERIC
    return next(t for t in load_catalogue() if t.id == template_id)


@dataclass(frozen=True)
class TitleMatch:
    template: Template
    title: str  # the line as printed
    matched: str  # the catalogue variant that matched


def _is_title_candidate(line: str) -> bool:
    # narrative headings ("九、…情况说明") and sentences are not table titles
    return (
        len(line) <= 100 and "说明" not in line and "。" not in line
        and not line.startswith(("注", "备注"))
    )


def match_title(line: str, family_hint: str | None = None) -> TitleMatch | None:
    """The template whose title variant appears in `line` (the longest such variant)."""
    if not _is_title_candidate(line):
        return None
    norm = normalise_title(line)
    best: tuple[int, int, Template, str] | None = None
    for template in load_catalogue():
        for variant in template.titles:
            if variant and variant in norm:
                # prefer the longest variant; on equal length prefer the document's family
                rank = (len(variant), int(template.family == family_hint))
                if best is None or rank > best[:2]:
                    best = (rank[0], rank[1], template, variant)
    if best is None:
        return None
    return TitleMatch(best[2], line, best[3])


def match_signature(header_text: Sequence[str]) -> Template | None:
    """A template recognised from the words of its first rows, when no title matched."""
    joined = normalise_title(" ".join(header_text))
    for template in load_catalogue():
        if template.signature and all(w in joined for w in template.signature):
            return template
    return None
