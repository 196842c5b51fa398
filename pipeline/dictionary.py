"""`make dictionary`: the data dictionary of a warehouse — every table and column of the main
schema with its type and its description in Chinese and English — as CSV (UTF-8 with BOM) and
XLSX. Read from the descriptions dbt wrote into the file (persist_docs), so the dictionary,
the docs site and what BI tools show are the same text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from pipeline import export

DICTIONARY_SQL = """
with relations as (
    select table_name, comment from duckdb_tables() where schema_name = 'main'
    union all
    select view_name, comment from duckdb_views() where schema_name = 'main' and not internal
)
select
    c.table_name,
    regexp_extract(r.comment, '^(.*?)\s*/\s', 1) as table_description_zh,
    regexp_replace(r.comment, '^.*?/\s+', '') as table_description_en,
    c.column_index,
    c.column_name,
    c.data_type,
    regexp_extract(c.comment, '^(.*?)\s*/\s', 1) as description_zh,
    regexp_replace(c.comment, '^.*?/\s+', '') as description_en
from duckdb_columns() as c
join relations as r using (table_name)
where c.schema_name = 'main' and not c.internal
order by c.table_name, c.column_index
"""

LABELS = {
    "table_name": "表名", "table_description_zh": "表说明", "table_description_en": "table description",
    "column_index": "列序", "column_name": "列名", "data_type": "数据类型",
    "description_zh": "说明", "description_en": "description",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("data/export"), help="folder for the two files")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"error: {args.warehouse} does not exist; run make build first", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        sql = DICTIONARY_SQL.strip()
        n = export.write_csv(con, sql, args.out / "dictionary.csv")
        export.write_xlsx(con, sql, args.out / "dictionary.xlsx", LABELS, sheet="dictionary")
    print(f"{n} columns → {args.out / 'dictionary.csv'}, {args.out / 'dictionary.xlsx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
