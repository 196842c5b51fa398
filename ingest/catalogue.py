"""The table catalogue (templates.toml) and how a table is matched against it."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ingest.lexicon import Titles, normalise_title

READERS = ("grid", "performance_form", "performance_targets", "cells")


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
    reader: str = "cells"  # grid | performance_form | performance_targets | cells: which interpreter reads it
    roles: tuple[str, ...] = ()  # what the table is for, as the SQL models select it
    signature: tuple[str, ...] = field(default_factory=tuple)
    # a row named by the column these headers name, where it prints one (政府采购: the item
    # bought, 采购品目名称, not the project or the category beside it) …
    name_headers: tuple[str, ...] = ()
    # … and never by a column these name (采购组织形式: how it is bought qualifies the item)
    qualifier_headers: tuple[str, ...] = ()


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
            reader=_reader(t),
            roles=tuple(t.get("roles", ())),
            signature=tuple(t.get("signature", ())),
            name_headers=tuple(t.get("name_headers", ())),
            qualifier_headers=tuple(t.get("qualifier_headers", ())),
        )
        for t in data["template"]
    )


def _reader(entry: dict[str, object]) -> str:
    reader = str(entry["reader"])
    if reader not in READERS:
        raise ValueError(f"templates.toml: {entry['id']} has reader {reader!r}, not one of {READERS}")
    return reader


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


def _names_form(text: str) -> bool:
    found = match_title(text)
    return found is not None and found.template.family == "performance" and found.template.shape == "form"


def _signs_form(lines: Sequence[str]) -> bool:
    found = match_signature(lines)
    return found is not None and found.reader == "performance_form"


def titles() -> Titles:
    """What the catalogue knows about printed lines, for the readers (`ingest.lexicon.Titles`)."""
    return Titles(
        title_in=lambda text: found.matched if (found := match_title(text)) else None,
        variants=frozenset(v for t in load_catalogue() for v in t.titles if v),
        names_form=_names_form,
        signs_form=_signs_form,
    )


ROLES_SEED_COLUMNS = ("template_id", "family", "reader", "role")


def roles_seed() -> list[tuple[str, str, str, str]]:
    """The catalogue's templates and their roles, one row per template and role (a template
    without a role has one row with an empty role): the dbt seed `template_roles`."""
    return [(t.id, t.family, t.reader, role) for t in load_catalogue() for role in (t.roles or ("",))]
