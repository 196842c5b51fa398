"""Decide a file's format from its content, never from its name, and decode text inputs.

Text extractions arrive as users have them: UTF-8 with or without a byte-order mark, UTF-16
(what Windows OCR and layout tools write), and GB18030/GBK (the Chinese national encodings).
One rule decides whether decoded text is text: it holds no NUL and almost no other control
characters, wherever in the file they are (`decode_text`).
"""

from __future__ import annotations

import codecs
from enum import StrEnum
from pathlib import Path

from ingest.errors import EmptyFile, UnsupportedFormat


class Format(StrEnum):
    PDF = "pdf"
    TEXT = "text"


# tried in this order when a file has no byte-order mark: UTF-8 is strict enough that text
# which decodes as UTF-8 is UTF-8; GB18030 is a superset of GBK and GB2312
_ENCODINGS_WITHOUT_BOM = ("utf-8", "gb18030")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# the share of control characters (other than tab, newline, carriage return, form feed) above
# which decoded content is binary, not text
_MAX_CONTROL_SHARE = 0.001
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")


def sniff(path: Path, head: bytes) -> Format:
    """The format of a file whose first bytes are `head`; raises when it is none we read.
    Whether a text file is readable text is `decode_text`'s question, asked of all of it."""
    if not head.strip() or head in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise EmptyFile(path, "the file is empty")
    if head.lstrip().startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return Format.PDF
    lowered = _ascii_view(head[:2048]).lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta")) or (
        b"<html" in lowered and b"</" in lowered
    ):
        raise UnsupportedFormat(path, "an HTML page, not a PDF or text extraction")
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UnsupportedFormat(path, "an Office/zip container, not a PDF or text extraction")
    return Format.TEXT


def _ascii_view(head: bytes) -> bytes:
    """The head with UTF-16's zero bytes and a BOM removed, for recognising ASCII markup."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    return head.replace(b"\x00", b"")


def text_encoding(data: bytes) -> str | None:
    """The encoding `data` decodes in: by its byte-order mark, else UTF-16 when every other
    byte of its ASCII is zero, else the first of UTF-8 and GB18030 that decodes it all."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0) / len(sample[0::2])
        odd_zeros = sample[1::2].count(0) / len(sample[1::2])
        # ASCII in UTF-16 has a zero high byte; a few CJK characters (一 U+4E00) a zero low one
        if odd_zeros > 0.1 and odd_zeros > 4 * even_zeros:
            return "utf-16-le"
        if even_zeros > 0.1 and even_zeros > 4 * odd_zeros:
            return "utf-16-be"
    for encoding in _ENCODINGS_WITHOUT_BOM:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """A text input's content and the encoding it was read in. Raises `UnsupportedFormat`
    for content that is no text in any of the encodings we read, or that holds NUL or other
    control characters (binary data), wherever in the file they are."""
    encoding = text_encoding(data)
    if encoding is None:
        raise UnsupportedFormat(path, "binary content that is neither PDF nor text in UTF-8, UTF-16 or GB18030")
    try:
        content = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat(path, f"text that does not decode as {encoding} ({exc.reason})") from exc
    if "\x00" in content:
        raise UnsupportedFormat(path, f"binary content: NUL characters in {_label(encoding)} text")
    controls = sum(1 for ch in content if ord(ch) < 32 and ch not in _WHITESPACE_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(content):
        raise UnsupportedFormat(path, f"binary content: {controls} control characters in {_label(encoding)} text")
    return content.lstrip("\ufeff"), _label(encoding)


def _label(encoding: str) -> str:
    """The encoding's name as the run report gives it."""
    return {"utf-8-sig": "utf-8 (BOM)", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(encoding, encoding)
