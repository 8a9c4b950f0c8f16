"""decode_html: BOM, header charset, meta charset, detection; EUC-KR decodes as CP949."""

from __future__ import annotations

import codecs

import pytest

from pipeline.stages.charset import DecodeError, decode_html, normalize_charset, sniff_meta_charset

KOREAN = "광주광역시는 AI 중심 산업융합 집적단지 조성 사업을 본격화한다. 경기도 지역 인공지능 전환."
UHC_ONLY = "똠방각하 뷁"  # characters EUC-KR lacks and CP949 has


def page(meta: str = "", text: str = KOREAN) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_header_charset_euc_kr_decodes_uhc_characters_as_cp949():
    text, encoding = decode_html(page(text=KOREAN + UHC_ONLY).encode("cp949"), "EUC-KR")
    assert encoding == "cp949"
    assert UHC_ONLY in text


def test_meta_charset_is_used_without_a_header():
    body = page('<meta charset="euc-kr">', KOREAN + UHC_ONLY).encode("cp949")
    text, encoding = decode_html(body)
    assert (encoding, UHC_ONLY in text) == ("cp949", True)


def test_http_equiv_meta_is_used_without_a_header():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">'
    text, encoding = decode_html(page(meta).encode("cp949"))
    assert encoding == "cp949" and KOREAN in text


def test_euc_kr_page_without_any_declaration_is_detected():
    text, encoding = decode_html(page().encode("cp949"))
    assert encoding == "cp949"
    assert KOREAN in text


def test_utf8_page_without_declaration_decodes_as_utf8():
    assert decode_html(page().encode("utf-8")) == (page(), "utf-8")


def test_bom_overrides_a_wrong_header():
    text, encoding = decode_html(codecs.BOM_UTF8 + page().encode("utf-8"), "euc-kr")
    assert encoding == "utf-8" and KOREAN in text and not text.startswith("\ufeff")


def test_utf16_bom_is_honoured():
    text, encoding = decode_html(page().encode("utf-16"))
    assert encoding == "utf-16" and KOREAN in text


def test_wrong_header_charset_falls_back_to_a_charset_that_decodes():
    text, encoding = decode_html(page().encode("cp949"), "utf-8")
    assert encoding == "cp949" and KOREAN in text


def test_latin1_server_default_yields_to_the_pages_meta_charset():
    text, encoding = decode_html(page('<meta charset="euc-kr">').encode("cp949"), "ISO-8859-1")
    assert encoding == "cp949" and KOREAN in text


def test_a_stray_bad_byte_does_not_lose_the_page():
    body = page().encode("utf-8") + b"\xff"
    text, encoding = decode_html(body, "utf-8")
    assert KOREAN in text and encoding == "utf-8"


def test_undecodable_bytes_raise_decode_error():
    noise = bytes(range(128, 256)) * 40 + b"\x81\x00\xff\xfe" * 200
    with pytest.raises(DecodeError):
        decode_html(noise, "utf-8")


@pytest.mark.parametrize(
    ("label", "codec"),
    [("EUC-KR", "cp949"), ("euc_kr", "cp949"), ("UTF8", "utf-8"), ("nonsense", None), (None, None)],
)
def test_charset_labels_normalize_to_codec_names(label, codec):
    assert normalize_charset(label) == codec


def test_meta_sniffing_reads_the_xml_declaration():
    assert sniff_meta_charset(b'<?xml version="1.0" encoding="EUC-KR"?><html/>') == "EUC-KR"
