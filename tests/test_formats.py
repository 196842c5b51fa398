import pytest

from ingest.document import parse_document
from ingest.errors import EmptyFile, NotADisclosure, UnsupportedFormat


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyFile) as err:
        parse_document(path)
    assert "empty.pdf" in str(err.value)


def test_html_saved_as_pdf_is_rejected(tmp_path):
    path = tmp_path / "医疗保障局_2026年部门预算.pdf"
    path.write_text("<!DOCTYPE html><html><head><title>x</title></head><body></body></html>")
    with pytest.raises(UnsupportedFormat, match="HTML"):
        parse_document(path)


def test_binary_junk_is_rejected(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFormat):
        parse_document(path)


def test_text_that_is_not_a_disclosure_is_rejected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n\n今天讨论了工作安排。\n", encoding="utf-8")
    with pytest.raises(NotADisclosure, match="not a budget disclosure"):
        parse_document(path)
