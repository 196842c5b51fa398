"""`make export`: a table or a query of the warehouse as CSV, XLSX or Parquet, and a document's
tables as printed (one sheet per table, rows × columns as on the page).

- CSV is UTF-8 with a byte-order mark, so Excel on Windows reads the Chinese as Chinese.
- XLSX has a header row of Chinese names (from the column descriptions in the file) with the
  column name beside, frozen; numbers are numbers, money with its two decimals.
- Parquet keeps DuckDB's types (decimal(18,2) stays exact).
- `--document` writes the landed cells of each table of one document as the page prints them,
  which is what a person checks against the PDF.

The warehouse is opened read-only; nothing here changes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

FORMATS = ("csv", "xlsx", "parquet")
BOM = "\ufeff".encode()
# Excel stores numbers as IEEE doubles: exact to 15 significant digits. A decimal with more
# would be changed by Excel, so it is written as text instead (and said so in the header note).
EXCEL_DIGITS = 15
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def chinese_label(comment: str | None) -> str | None:
    """'金额 / the amount in 元' → '金额'; None when the comment has no Chinese part."""
    if not comment:
        return None
    head = re.split(r"\s*/\s", comment, maxsplit=1)[0].strip()
    return head if re.search(r"[\u4e00-\u9fff]", head) else None


def column_labels(con: duckdb.DuckDBPyConnection, table: str | None) -> dict[str, str]:
    """Chinese label of each column name: from the table's own column comments, else from any
    main-schema column of that name (a query's `amount` is the marts' 金额)."""
    rows = con.execute(
        """select column_name, comment, table_name = ? as own from duckdb_columns()
           where schema_name = 'main' and not internal and comment is not null
           order by own desc, table_name""",
        [table or ""],
    ).fetchall()
    labels: dict[str, str] = {}
    for name, comment, _ in rows:
        label = chinese_label(comment)
        if label and name not in labels:
            labels[name] = label
    return labels


def header(name: str, labels: dict[str, str]) -> str:
    label = labels.get(name)
    return f"{label} {name}" if label else name


def source_query(table: str | None, query: str | None) -> str:
    if bool(table) == bool(query):
        raise SystemExit("error: give exactly one of TABLE= or QUERY= (or DOCUMENT=)")
    if table:
        if not IDENTIFIER.match(table.replace(".", "_")):
            raise SystemExit(f"error: {table!r} is not a table name")
        return f"select * from {table}"
    assert query is not None
    return query.strip().rstrip(";")


def write_csv(con: duckdb.DuckDBPyConnection, sql: str, out: Path) -> int:
    """DuckDB writes the CSV (exact decimals, RFC 4180 quoting); the BOM goes in front."""
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        plain = Path(scratch) / "plain.csv"
        con.execute(f"copy ({sql}) to '{_quoted(plain)}' (format csv, header true)")
        with out.open("wb") as target, plain.open("rb") as source:
            target.write(BOM)
            shutil.copyfileobj(source, target)
    return con.execute(f"select count(*) from ({sql})").fetchall()[0][0]


def write_parquet(con: duckdb.DuckDBPyConnection, sql: str, out: Path) -> int:
    con.execute(f"copy ({sql}) to '{_quoted(out)}' (format parquet)")
    return con.execute(f"select count(*) from ({sql})").fetchall()[0][0]


def write_xlsx(con: duckdb.DuckDBPyConnection, sql: str, out: Path, labels: dict[str, str],
               sheet: str = "data") -> int:
    import xlsxwriter

    result = con.execute(sql)
    names = [d[0] for d in result.description]
    kinds = [str(d[1]) for d in result.description]
    book = xlsxwriter.Workbook(str(out))
    try:
        cells = Cells(book)
        ws = book.add_worksheet(sheet[:31])
        for c, name in enumerate(names):
            ws.write_string(0, c, header(name, labels), cells.header)
            ws.set_column(c, c, max(10, min(40, len(header(name, labels)) * 1.6)))
        ws.freeze_panes(1, 0)
        n = 0
        while batch := result.fetchmany(10_000):
            for row in batch:
                n += 1
                for c, value in enumerate(row):
                    cells.write(ws, n, c, value, kinds[c])
        ws.autofilter(0, 0, max(n, 1), max(len(names) - 1, 0))
    finally:
        book.close()
    return n


class Cells:
    """Writes a Python value into a sheet as Excel's own type: numbers as numbers."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                                       "valign": "top"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.formats: dict[int, Any] = {}

    def decimal_format(self, scale: int) -> Any:
        if scale not in self.formats:
            pattern = "#,##0" + ("." + "0" * scale if scale > 0 else "")
            self.formats[scale] = self.book.add_format({"num_format": pattern})
        return self.formats[scale]

    def write(self, ws: Any, r: int, c: int, value: Any, kind: str) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            ws.write_boolean(r, c, value)
        elif isinstance(value, Decimal):
            digits = len(value.as_tuple().digits)
            if digits > EXCEL_DIGITS:
                ws.write_string(r, c, str(value))
            else:
                scale = max(0, -int(value.as_tuple().exponent))
                ws.write_number(r, c, float(value), self.decimal_format(scale))
        elif isinstance(value, int) and abs(value) < 10**EXCEL_DIGITS:
            ws.write_number(r, c, value)
        elif isinstance(value, float):
            ws.write_number(r, c, value)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value.replace(tzinfo=None), self.date)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), self.date)
        elif isinstance(value, (list, tuple, dict)):
            ws.write_string(r, c, _text(value))
        else:
            ws.write_string(r, c, str(value))


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


# --- one document's tables as printed --------------------------------------------------


def find_document(con: duckdb.DuckDBPyConnection, document: str) -> tuple[str, str]:
    rows = con.execute(
        """select document_id, source_file from dim_document
           where document_id = ? or source_file = ? or source_file like '%' || ?""",
        [document, document, "/" + document],
    ).fetchall()
    if len(rows) != 1:
        known = con.execute("select source_file from dim_document order by 1 limit 10").fetchall()
        raise SystemExit(f"error: {len(rows)} documents match {document!r}; give a document_id or a "
                         f"source file, e.g. {', '.join(k for (k,) in known)}")
    return rows[0]


def write_document_tables(con: duckdb.DuckDBPyConnection, landing: Path, document: str, out: Path) -> int:
    """Each recognised table of the document on a sheet of its own, its landed cells (from the
    landing area beside the warehouse) at their row and column as printed, header rows in bold
    and frozen. Returns the number of sheets."""
    import xlsxwriter

    from ingest.landing import read_entity

    document_id, source_file = find_document(con, document)
    landed = read_entity(landing, "cells", document_id)
    if not landed:
        raise SystemExit(f"error: the cells of {source_file} are not in {landing}; the document's "
                         "tables are exported where the warehouse was built")
    by_table: dict[str, list[dict[str, Any]]] = {}
    for cell in landed:
        by_table.setdefault(cell["table_id"], []).append(cell)
    tables = con.execute(
        """select table_id, coalesce(printed_numbering, 'table ' || table_ordinal), printed_title,
                  amount_unit, header_rows, first_page, first_line
           from dim_table where document_id = ? and template_id <> 'generic' order by table_ordinal""",
        [document_id],
    ).fetchall()
    book = xlsxwriter.Workbook(str(out))
    try:
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
        title_format = book.add_format({"bold": True, "font_size": 12})
        used: set[str] = set()
        for table_id, numbering, title, unit, header_rows, page, line in tables:
            ws = book.add_worksheet(_sheet_name(numbering, used))
            where = f"p.{page}" if page is not None else f"line {line}"
            ws.write_string(0, 0, f"{numbering} {title or ''}".strip(), title_format)
            ws.write_string(1, 0, f"{source_file} · {where} · 单位：{unit or '未印'}")
            cells = sorted((c["row_index"], c["column_index"], c["text"], c["is_header"])
                           for c in by_table.get(table_id, []))
            offset = 3
            widths: dict[int, int] = {}
            for r, c, text, is_header in cells:
                if text is None:
                    continue
                ws.write_string(offset + r, c, text, bold if is_header else None)
                widths[c] = max(widths.get(c, 8), min(40, len(text) * 2))
            for c, width in widths.items():
                ws.set_column(c, c, width)
            ws.freeze_panes(offset + (header_rows or 0), 0)
    finally:
        book.close()
    return len(tables)


def _sheet_name(numbering: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", numbering)[:28] or "table"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--table", help="a table of the warehouse (main schema), e.g. fct_amount")
    parser.add_argument("--query", help="a SQL query on the warehouse")
    parser.add_argument("--document", help="a document_id or source file: its tables as printed (xlsx)")
    parser.add_argument("--format", default="csv", choices=FORMATS)
    parser.add_argument("--out", type=Path, help="output file (default: data/export/<name>.<format>)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"error: {args.warehouse} does not exist; run make build first", file=sys.stderr)
        return 1
    name = args.table or ("document-" + Path(args.document).stem if args.document else "query")
    fmt = "xlsx" if args.document else args.format
    out: Path = args.out or Path("data/export") / f"{name}.{fmt}"
    out.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        if args.document:
            if args.table or args.query:
                raise SystemExit("error: DOCUMENT= exports a document's tables; leave TABLE= and QUERY= out")
            landing = args.warehouse.with_name(args.warehouse.stem + ".landing")
            n = write_document_tables(con, landing, args.document, out)
            print(f"{n} tables of {args.document} → {out}")
            return 0
        sql = source_query(args.table, args.query)
        try:
            if fmt == "csv":
                n = write_csv(con, sql, out)
            elif fmt == "parquet":
                n = write_parquet(con, sql, out)
            else:
                n = write_xlsx(con, sql, out, column_labels(con, args.table), sheet=args.table or "query")
        except duckdb.Error as exc:
            print(f"error: the {'table' if args.table else 'query'} cannot be read: {exc}", file=sys.stderr)
            return 1
    print(f"{n} rows → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
