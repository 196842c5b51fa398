"""Decide a file's format from its content, never from its name."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from ingest.errors import EmptyFile, UnsupportedFormat


class Format(StrEnum):
    PDF = "pdf"
    TEXT = "text"


def sniff(path: Path, head: bytes) -> Format:
    """The format of a file whose first bytes are `head`; raises when it is none we read."""
    if not head.strip():
        raise EmptyFile(path, "the file is empty")
    if head.lstrip().startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return Format.PDF
    lowered = head[:2048].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta")) or (
        b"<html" in lowered and b"</" in lowered
    ):
        raise UnsupportedFormat(path, "an HTML page, not a PDF or text extraction")
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UnsupportedFormat(path, "an Office/zip container, not a PDF or text extraction")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character may be cut at the end of the head; only fail on real junk
        if exc.start < len(head) - 4:
            raise UnsupportedFormat(path, "binary content that is neither PDF nor UTF-8 text") from exc
    if b"\x00" in head:
        raise UnsupportedFormat(path, "binary content that is neither PDF nor UTF-8 text")
    return Format.TEXT
