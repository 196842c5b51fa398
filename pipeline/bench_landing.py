"""A landing generated from a few really-read documents, for build measurements at 10^4–10^5.

Reading a generated text document costs about 1.3 s of a core (docs/scale.md), so landing
10^4 of them by the ingest takes hours of this 2-core machine before any build is measured.
What the builds measure (loading the landing, dbt, the suites, publishing) depends on the
landed rows only, so `make bench-scale LANDING=generated` lands the reference documents of
data/raw/ once, for real, and writes `count` copies of their landed Parquet under new
document ids, issuers and years: copy m of a reference is issued by `<issuer>第<m // years>分部`
for fiscal year 2015 + m % years (each issuer publishes `years` consecutive years, so the
identities across years have pairs). Every id and issuer name in every landed column is
rewritten, and each year printed as `20xx年` becomes the copy's year, as the text bench does.

Each copy has an input file: a short stub whose content hash is its document id, recorded in
the manifest as read by the current parser, so the build finds it unchanged and reads
nothing. Replacing a stub by a real document is a real change the ingest reads.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest import PARSER_VERSION
from ingest.document import content_id, parse_document
from ingest.landing import (
    DOCUMENT_ENTITIES,
    FLUSH_DOCUMENTS,
    LandingManifest,
    copy_batch,
    new_batch_id,
    prepare,
    read_batches,
)
from ingest.records import SCHEMAS

YEARS = 10
FIRST_YEAR = 2015


def land_references(sources: list[Path], landing: Path) -> list[dict]:
    """Read and land the reference documents (really: the ingest's own code); per document,
    its landed document row and its manifest counts."""
    prepare(landing)
    manifest = LandingManifest.load(landing)
    out = []
    for path in sources:
        parsed = parse_document(path, source_name=path.name)
        doc = parsed.document
        encoding = doc.get("text_encoding")
        warnings = "\n".join(parsed.warnings) or None
        input_format = f"{doc['format']} {encoding}" if encoding else str(doc["format"])
        manifest.land(parsed, PARSER_VERSION, path.name, warnings, input_format)
        out.append({"document": doc, "tables": len(parsed.tables), "values": len(parsed.values),
                    "warnings": warnings, "input_format": input_format})
    manifest.flush()
    return out


def stub_text(k: int, reference: str) -> bytes:
    return f"基准测试生成的落地文档 {k}（复制自 {reference}）\n".encode()


def _column(name: str, field: pa.Field, entity: str) -> str:
    """The SQL of one landed column of a copy: ids, issuer and printed years rewritten."""
    quoted = f'"{name}"'
    if entity == "documents" and name in ("content_hash", "source_file"):
        return f"m.{name} as {quoted}"
    if entity == "documents" and name == "fiscal_year":
        return f"cast(m.fiscal_year as integer) as {quoted}"
    if not pa.types.is_string(field.type):
        return f"r.{quoted}"
    text = f"replace(r.{quoted}, m.old_id, m.new_id)"
    text = f"case when m.issuer is null then {text} else replace({text}, m.issuer, m.new_issuer) end"
    return rf"regexp_replace({text}, '20[12]\d(\s*)年', cast(m.fiscal_year as varchar) || '\1年', 'g') as {quoted}"


def generate_landing(references: Path, landed: list[dict], landing: Path, raw: Path, count: int) -> list[Path]:
    """`count` copies of the landed reference documents in `landing`, each with its stub
    input in `raw`, recorded in the landing's manifest as current. The stubs' paths. The
    copies are written by DuckDB straight into batches of FLUSH_DOCUMENTS documents, one
    file per entity and batch, as the ingest lands them (`ingest.landing`)."""
    prepare(landing)
    raw.mkdir(parents=True, exist_ok=True)
    manifest = LandingManifest.load(landing)
    source = LandingManifest.read(references)
    mapping: dict[str, list] = {k: [] for k in ("old_id", "new_id", "issuer", "new_issuer", "fiscal_year",
                                                "content_hash", "source_file", "part")}
    entries: dict[str, dict] = {}
    stubs = []
    for k in range(count):
        ref = landed[k % len(landed)]
        doc = ref["document"]
        m = k // len(landed)
        issuer = doc.get("issuer_name") or None
        stub = raw / f"{k:06d}_{Path(doc['source_file']).stem}.txt"
        data = stub_text(k, doc["source_file"])
        stub.write_bytes(data)
        stubs.append(stub)
        new_id = content_id(data)
        for key, value in (("old_id", doc["document_id"]), ("new_id", new_id), ("issuer", issuer),
                           ("new_issuer", f"{issuer}第{m // YEARS}分部" if issuer else None),
                           ("fiscal_year", FIRST_YEAR + m % YEARS),
                           ("content_hash", hashlib.sha256(data).hexdigest()), ("source_file", stub.name),
                           ("part", k // FLUSH_DOCUMENTS)):
            mapping[key].append(value)
        entries[new_id] = {"parser_version": PARSER_VERSION, "sources": [stub.name], "tables": ref["tables"],
                           "values": ref["values"], "warnings": ref["warnings"], "input_format": ref["input_format"]}
    copies = pa.table(mapping)  # noqa: F841 - read by DuckDB's replacement scan below
    with duckdb.connect() as con:
        con.execute("create table m as select * from copies")
        # the references' live rows, once, then each batch's copies of them
        for entity in DOCUMENT_ENTITIES:
            files = source.batch_files(entity, source.live().values())
            con.execute(f"create table \"ref_{entity}\" as select * exclude (batch), row_number() over () as _rn from {read_batches(files)}")
        for part in range((count + FLUSH_DOCUMENTS - 1) // FLUSH_DOCUMENTS):
            batch = new_batch_id()

            def select(entity: str, part: int = part) -> str:
                columns = ", ".join(_column(f.name, f, entity) for f in SCHEMAS[entity])
                return (f"select {columns} from \"ref_{entity}\" as r join m on r.document_id = m.old_id "
                        f"where m.part = {part} order by m.new_id, r._rn")

            size = copy_batch(con, landing, batch, select)
            ids = mapping["new_id"][part * FLUSH_DOCUMENTS:(part + 1) * FLUSH_DOCUMENTS]
            manifest.add_batch(batch, size, {doc_id: entries[doc_id] for doc_id in ids})
            manifest.save()
    return stubs


def describe(landed: list[dict], count: int) -> str:
    return json.dumps({"references": [r["document"]["source_file"] for r in landed], "copies": count,
                       "years_per_issuer": YEARS}, ensure_ascii=False)
