import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.errors import EmptyFile, NotADisclosure, UnsupportedFormat
from ingest.formats import decode_text


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


# --- text inputs as users have them: one encoding rule, one rule for binary content ---------

LAN = Path(__file__).parent / "fixtures" / "lan_budget_2024.txt"


@pytest.mark.parametrize(
    ("encoding", "bom", "label"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8 (BOM)"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("utf-16-le", b"", "utf-16"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
    ],
)
def test_text_in_each_encoding_lands_the_same_values(tmp_path, encoding, bom, label):
    text = LAN.read_text("utf-8")
    path = tmp_path / "lan.txt"
    path.write_bytes(bom + text.encode(encoding))
    parsed = parse_document(path)
    reference = parse_document(LAN)
    assert parsed.document["text_encoding"] == label
    assert [(v["raw_text"], v["amount_yuan"]) for v in parsed.values] == [
        (v["raw_text"], v["amount_yuan"]) for v in reference.values]
    assert parsed.document["issuer_name"] == "岚县医疗保险服务中心"


@pytest.mark.parametrize("after", [10, 6000])
def test_a_nul_byte_is_refused_wherever_it_is(tmp_path, after):
    data = LAN.read_bytes() * 20  # past the first 4 KB too
    offset = data.index(b"\n", after) + 1  # at a line start: the text decodes either side
    data = data[:offset] + b"\x00" + data[offset:]
    path = tmp_path / "with-nul.txt"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormat, match="NUL"):
        parse_document(path)


def test_decode_text_names_the_encoding_it_used():
    assert decode_text(Path("x"), "预算".encode("gb18030")) == ("预算", "gb18030")
    assert decode_text(Path("x"), codecs.BOM_UTF8 + "预算".encode()) == ("预算", "utf-8 (BOM)")


# --- a figure the warehouse cannot store is refused per value, not per document ------------

@pytest.mark.parametrize("printed", ["1000000000000000000000000000000.00", "100000000000000000"])
def test_a_value_beyond_the_money_type_lands_as_text_with_a_warning(tmp_path, printed):
    path = tmp_path / "huge.txt"
    path.write_text(LAN.read_text("utf-8").replace("522.30", printed), "utf-8")
    parsed = parse_document(path)
    huge = [v for v in parsed.values if v["raw_text"] == printed]
    assert len(huge) == 1
    assert huge[0]["value_warning"] == "value_out_of_range"
    assert huge[0]["amount_yuan"] is None and huge[0]["published_value"] is None
    # the rest of the table lands with its amounts
    assert any(v["amount_yuan"] == Decimal("3692500.00") for v in parsed.values)
    assert any("value_out_of_range" in w and printed in w for w in parsed.warnings)
