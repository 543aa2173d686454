"""Appearance text extraction (ActualText, ToUnicode, WinAnsi, nested forms) and the time rule (OQ-25)."""

from __future__ import annotations

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name

from conformance.standards.pdfsig import check_appearance_time
from conformance.standards.pdfsig.appearance import (
    Name,
    Op,
    decode_text_string,
    parse_tounicode,
    read_appearance,
    tokenize,
)

CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <1EE6> <0002> <0079> endbfchar
1 beginbfrange <0010> <0012> <0041> endbfrange
1 beginbfrange <0020> <0021> [<0110> <00C2>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _stream(data: bytes, resources: dict[str, object] | None = None) -> generic.StreamObject:
    d = generic.DictionaryObject()
    if resources is not None:
        d[pdf_name("/Resources")] = generic.DictionaryObject({pdf_name(k): v for k, v in resources.items()})
    return generic.StreamObject(d, stream_data=data)


def _widget(stream: generic.StreamObject) -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): stream}),
            pdf_name("/Rect"): generic.ArrayObject(),
        }
    )


def _fonts(**fonts: generic.DictionaryObject) -> generic.DictionaryObject:
    return generic.DictionaryObject({pdf_name("/" + k): v for k, v in fonts.items()})


def test_tokenize_operands_and_operators() -> None:
    toks = list(
        tokenize(b"/F1 10 Tf [(a\\(b\\)) -20 <0041>] TJ /Span <</ActualText (x)>> BDC % c\nEMC 1.5 true null")
    )
    assert toks[:3] == [Name("F1"), 10, Op("Tf")]
    assert toks[3] == [b"a(b)", -20, b"\x00A"] and toks[4] == Op("TJ")
    assert toks[5] == Name("Span") and toks[6] == {"ActualText": b"x"} and toks[7] == Op("BDC")
    assert toks[8:] == [Op("EMC"), 1.5, True, None]


def test_tokenize_skips_inline_images() -> None:
    toks = list(tokenize(b"BI /W 1 /H 1 ID \x00(\xff) EI (after) Tj"))
    assert toks[-2:] == [b"after", Op("Tj")]


def test_parse_tounicode_bfchar_and_bfrange() -> None:
    cmap = parse_tounicode(CMAP)
    assert cmap.width == 2
    assert cmap.decode(bytes.fromhex("00010002")) == "Ủy"
    assert cmap.decode(bytes.fromhex("001000110012")) == "ABC"
    assert cmap.decode(bytes.fromhex("00200021")) == "ĐÂ"
    assert cmap.decode(bytes.fromhex("0099")) == "\ufffd"


def test_decode_text_string() -> None:
    assert decode_text_string("Số".encode("utf-16-be").join([b"\xfe\xff", b""])) == "Số"
    assert decode_text_string(b"abc") == "abc"


def test_type0_font_through_tounicode_and_lines() -> None:
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type0"),
            pdf_name("/ToUnicode"): generic.StreamObject(stream_data=CMAP),
        }
    )
    content = b"BT /F1 10 Tf 0 20 Td <00010002> Tj 0 -12 Td [<0010> -50 <0011>] TJ ET"
    info = read_appearance(_widget(_stream(content, {"/Font": _fonts(F1=font)})))
    assert info is not None and info.lines == ["Ủy", "AB"] and not info.has_image


def test_simple_font_winansi_and_actualtext() -> None:
    helv = generic.DictionaryObject(
        {pdf_name("/Subtype"): pdf_name("/Type1"), pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding")}
    )
    actual = "Thời gian ký: 2026-03-14T10:05:42+07:00".encode("utf-16-be")
    content = (
        b"BT /F1 10 Tf (S\xf4: 1/UBND) Tj T* /Span <</ActualText <feff"
        + actual.hex().encode()
        + b">>> BDC (ignored glyphs) Tj EMC ET"
    )
    info = read_appearance(_widget(_stream(content, {"/Font": _fonts(F1=helv)})))
    assert info is not None
    assert info.text == "Sô: 1/UBND\nThời gian ký: 2026-03-14T10:05:42+07:00"


def test_nested_form_and_image_detection() -> None:
    image = generic.StreamObject(
        generic.DictionaryObject({pdf_name("/Subtype"): pdf_name("/Image")}), stream_data=b"\x00"
    )
    inner = _stream(b"BT (inner) Tj ET /Im1 Do", {"/XObject": _fonts(Im1=image)})
    inner[pdf_name("/Subtype")] = pdf_name("/Form")
    outer = _stream(b"q /FRM Do Q", {"/XObject": _fonts(FRM=inner)})
    info = read_appearance(_widget(outer))
    assert info is not None and info.text == "inner" and info.has_image


def test_no_appearance_and_self_reference_do_not_crash() -> None:
    assert read_appearance(generic.DictionaryObject()) is None
    loop = _stream(b"/X Do")
    loop[pdf_name("/Subtype")] = pdf_name("/Form")
    loop[pdf_name("/Resources")] = generic.DictionaryObject({pdf_name("/XObject"): _fonts(X=loop)})
    info = read_appearance(_widget(loop))
    assert info is not None and info.text == ""


@pytest.mark.parametrize(
    ("text", "strict", "codes"),
    [
        ("Thời gian ký: 2026-03-14T10:05:42+07:00", False, ()),
        ("Thời gian ký: 2026-03-14T10:05:42+07:00", True, ()),
        ("Thời gian ký: 14/03/2026 09:30:15 +07:00", False, ()),
        ("Thời gian ký: 14/03/2026 09:30:15 +07:00", True, ("sigtime.layout",)),
        ("2026-03-14 10:05:42+0700", False, ()),
        ("Thời gian ký: 14/03/2026 09:30", False, ("sigtime.incomplete",)),
        ("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ninh", False, ("sigtime.missing",)),
        ("2026-02-30T10:05:42+07:00", False, ("sigtime.invalid",)),
    ],
)
def test_check_appearance_time(text: str, strict: bool, codes: tuple[str, ...]) -> None:
    assert check_appearance_time(text, strict_iso=strict).codes == codes
