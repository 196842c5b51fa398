"""A fingerprint of everything the ingest lands for a folder of documents, without dbt.

    python -m pipeline.fingerprint --corpus DIR --out FILE

Every file under DIR is parsed by `ingest.document.parse_document` (in forked workers, as the
build does) and each landed record is written as one tab-separated line: its entity, the
file it came from, and its fields in name order (the parser version and the file's
modification time left out: they change with the code and the checkout, not the reading).
Values come first in the shape a reviewer reads them — document, table ordinal, template,
row, column, raw text, amount — then every other field. A rejected file is one line with its
reason. Lines are sorted, so two runs diff line by line:

    diff <(sort before.tsv) <(sort after.tsv)

A refactoring of the reader is checked by computing this before and after: the landed values
must be identical except where a change is deliberate (DECISIONLOG.md says which).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline import workers

_VOLATILE = {"parser_version", "source_modified_at"}
_ENTITIES = ("document", "tables", "rows", "cells", "values", "claims")
_VALUE_KEY = ("document_id", "table_ordinal", "template_id", "row_index", "column_index", "raw_text", "amount_yuan")


def _fields(record: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return dataclasses.asdict(record)
    return dict(record)


def _line(entity: str, source: str, record: Any) -> str:
    fields = {k: v for k, v in _fields(record).items() if k not in _VOLATILE}
    head = [str(fields.pop(k, "")) for k in _VALUE_KEY] if entity == "values" else []
    rest = [f"{k}={fields[k]!r}" for k in sorted(fields)]
    return "\t".join([entity, source, *head, *rest]).replace("\n", "\\n")


def fingerprint_file(item: tuple[Path, str]) -> list[str]:
    """The fingerprint lines of one file, named by its path under the corpus."""
    from ingest.document import parse_document  # imported by the parent before it forks
    from ingest.errors import RejectedDocument

    path, source = item
    try:
        parsed = parse_document(path)
    except RejectedDocument as exc:
        return [f"rejected\t{source}\t{type(exc).__name__}\t{exc.reason}"]
    out: list[str] = []
    for entity in _ENTITIES:
        records = getattr(parsed, entity)
        for record in [records] if entity == "document" else records:
            out.append(_line(entity, source, record))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of documents (read recursively)")
    parser.add_argument("--out", type=Path, required=True, help="the fingerprint file to write")
    parser.add_argument("--workers", type=int, default=workers.Limits().workers)
    args = parser.parse_args(argv)
    # the readers are loaded once, in the parent: every forked worker reads with the same code
    # even if the sources change while the fingerprint runs
    import ingest.document  # noqa: F401
    import ingest.read.pdf  # noqa: F401

    files = sorted(
        (p, str(p.relative_to(args.corpus)))
        for p in args.corpus.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    lines: list[str] = []
    failed = 0
    limits = workers.Limits(seconds=1200, workers=args.workers)
    for outcome in workers.run(fingerprint_file, files, limits):
        if outcome.error is not None:
            failed += 1
            lines.append(f"failed\t{outcome.item[1]}\t{type(outcome.error).__name__}\t{outcome.error}")
        else:
            lines.extend(outcome.result)
    lines.sort()
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = Counter(line.split("\t", 1)[0] for line in lines)
    print(f"{len(files)} files: " + ", ".join(f"{counts[k]} {k}" for k in sorted(counts)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
