"""The warehouse file's storage format: written so that DuckDB 1.x readers open it.

DuckDB 2.0 creates files in storage version 69, which every 1.x reader refuses (the 1.5 CLI
reads 64-68; the DuckDB drivers DBeaver and Metabase bundle are 1.x). A file keeps the
storage version it was created with, whatever engine writes to it later, so the build creates
the empty warehouse file with `STORAGE_VERSION` before dbt opens it (DECISIONLOG.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# v1.1.0 is storage version 64, read by every DuckDB from 1.0 (and 0.10) to 2.x.
STORAGE_VERSION = "v1.1.0"
READABLE_BY = "v1.0.0+"  # how DuckDB names that storage version in duckdb_databases().tags


def create_warehouse_file(path: Path) -> None:
    """An empty warehouse at `path`, in the storage version 1.x readers open."""
    path.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"attach '{_quoted(path)}' as warehouse (storage_version '{STORAGE_VERSION}')")
        con.execute("detach warehouse")


def describe_build_info(con: duckdb.DuckDBPyConnection) -> None:
    """build_info is written by the build, not by dbt: its descriptions are written here."""
    con.execute("comment on table build_info is '构建信息 / what the warehouse was built from: the fingerprint of "
                "the landed documents, parser, models and suites'")
    con.execute("comment on column build_info.fingerprint is '构建指纹 / equal fingerprints, equal warehouse content'")


def describe_build_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Schema `build`: what the next build needs to start from this one (incremental builds)."""
    con.execute("comment on table build.code is '构建代码 / fingerprint of the code (models, suites, parser) that "
                "built the warehouse: a build by other code starts from an empty file'")
    con.execute("comment on table build.landed_documents is '已入库文件签名 / each landed document and the "
                "signature of its landed files: a document whose signature changed is recomputed'")


def describe_landed_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Schema `landed`: the landing's Parquet as loaded for the build (read by the next build)."""
    for entity in [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'landed'").fetchall()]:
        con.execute(f"comment on table landed.{entity} is '入库原始记录 / the landed {entity} rows as the ingest wrote "
                    "them, loaded for the build; the marts are built from these'")


def storage_version(path: Path) -> str | None:
    """The storage version `path` was created with ('v1.0.0+', 'v2.0.0+' …), or None when the
    file cannot be opened."""
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{_quoted(path)}' as warehouse (read_only)")
            tags = con.execute(
                "select tags from duckdb_databases() where database_name = 'warehouse'"
            ).fetchall()[0][0]
            return tags.get("storage_version")
    except (duckdb.Error, IndexError):
        return None


def readable_by_duckdb_1(path: Path) -> bool:
    version = storage_version(path)
    return version is not None and version.startswith("v1.")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
