"""The parts of a disclosure's text an inspector's checklist asks for: the unit's functions
(主要职能), its organisation (机构设置 / 单位构成), the glossary (名词解释) and the explanation of
the tables (情况说明 / 编制说明). Which of them a document prints is read off its headings (and
its table of contents, which names them too); which a document must print is the seed
`required_sections` (dbt_project/seeds), and the check is `int_check__required_sections`.

Pure functions: text lines in, section ids out.
"""

from __future__ import annotations

import re

from ingest.lexicon import compact
from ingest.model import TextLine

# a section's id and the words its heading holds (on the heading without spaces)
SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("functions", re.compile(r"职能|职责")),
    ("organisation", re.compile(r"机构设置|机构编制|机构情况|单位构成|机构构成|组成情况|所属单位|内设机构")),
    ("glossary", re.compile(r"名词解释|名词说明|专业名词")),
    ("explanation", re.compile(r"情况说明|编制说明|预算说明|决算说明|总体情况|情况的说明")),
)
_MAX_HEADING = 40  # characters: a heading, not a sentence that mentions the words
_FIGURE = re.compile(r"\d[\d,]*\.\d+|(?<!\d)\d{3,}(?![\d年])")  # an amount (not a year): a heading prints none


def printed_sections(lines: list[TextLine]) -> list[str]:
    """The ids of the sections whose heading the document prints, in SECTIONS order."""
    headings = [text for line in lines if (text := compact(line.text)) and len(text) <= _MAX_HEADING
                and not _FIGURE.search(text)]
    return [name for name, words in SECTIONS if any(words.search(h) for h in headings)]
