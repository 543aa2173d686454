"""Builder: namespace layout of edxml.md §2/§14.5, SDK date formats (OQ-24), round trips, streaming."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import (
    build_package,
    business_key,
    format_date,
    format_timestamp,
    write_package,
    zip_package,
)
from conformance.standards.edxml.names import NS, NSMAP
from conformance.standards.edxml.parse import read_package
from conformance.standards.edxml.validate import ValidationOptions, validate_package

OPTIONS = ValidationOptions(today=dt.date(2026, 1, 1))


def test_namespace_layout(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="' + NS.encode() + b'">')
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS}}}edXML" and root.prefix is None
    envelope, encoded = list(root)
    assert envelope.prefix == "edXML" and envelope.tag == f"{{{NS}}}edXMLEnvelope"
    assert encoded.prefix is None and encoded.tag == f"{{{NS}}}AttachmentEncoded"
    cte = root.xpath("//edXML:ContentTransferEncoded", namespaces=NSMAP)[0]
    assert cte.prefix == "edXML"
    assert root.xpath("count(//edXML:Bussiness)", namespaces=NSMAP) == 1  # official spelling (SR-041)
    assert base64.b64decode("".join(cte.itertext())) == edoc.attachments[0].data


def test_sdk_date_formats() -> None:
    assert format_date(dt.date(2025, 3, 14)) == "2025/03/14"
    assert format_date(dt.date(5, 1, 2)) == "0005/01/02"
    assert format_timestamp(dt.datetime(2025, 3, 14, 9, 5, 7)) == "2025/03/14 09:05:07"
    utc = dt.datetime(2025, 3, 14, 23, 30, tzinfo=dt.UTC)
    assert format_timestamp(utc) == "2025/03/15 06:30:00"  # converted to Vietnam time (UTC+7)
    assert business_key("000.00.00.H99", dt.date(2025, 3, 14), "123/UBND-KGVX") == (
        "000.00.00.H99,2025/03/14,123/UBND-KGVX"
    )


def test_round_trip_every_business_type(make_fixtures: ModuleType) -> None:
    for doc_type in m.BussinessDocType:
        pkg = make_fixtures.edoc(doc_type, document_id="000.00.00.H99,2025/03/14,123/UBND-KGVX")
        pkg.trace_header_list.bussiness.staff_info = m.StaffInfo("Văn thư", "Nguyễn Thị B", None, None)
        pkg.trace_header_list.bussiness.document_info = m.BussinessDocumentInfo(
            1, 1, [m.Receiver("000.00.31.H99", 0)]
        )
        pkg.trace_header_list.bussiness.replacement_info = [
            m.ReplacementInfo("9fbfbad2-f1f8-4256-a2eb-50fb1061cddb")
        ]
        pkg.trace_header_list.id, pkg.trace_header_list.version = "t1", "1.0"
        pkg.message_header.response_for = [
            m.ResponseFor("000.00.00.H14", "12/UBND-VX", dt.date(2024, 12, 31), None)
        ]
        pkg.message_header.other_info.appendixes = ["Phụ lục I", "Phụ lục II"]  # type: ignore[union-attr]
        data = build_package(pkg)
        assert read_package(data) == pkg
        assert validate_package(data, options=OPTIONS).ok


def test_round_trip_status(make_fixtures: ModuleType) -> None:
    for code in ("01", "03", "05"):
        pkg = make_fixtures.status(code)
        data = build_package(pkg)
        assert read_package(data) == pkg
        report = validate_package(data, options=OPTIONS)
        assert report.kind == "status" and report.problems == ()
        assert b"edXMLBody" not in data and b"AttachmentEncoded" not in data


def test_output_is_nfc_and_escaped(edoc: m.DocumentPackage) -> None:
    edoc.message_header.subject = unicodedata.normalize("NFD", 'Về việc <thử> & "kiểm tra"\r\n')
    data = build_package(edoc)
    back = read_package(data)
    assert isinstance(back, m.DocumentPackage)
    assert back.message_header.subject == unicodedata.normalize("NFC", edoc.message_header.subject)


def test_characters_outside_xml_are_refused(edoc: m.DocumentPackage) -> None:
    edoc.message_header.subject = "bad \x01 char"
    with pytest.raises(ValueError, match="U\\+0001"):
        build_package(edoc)


def test_streaming_from_a_file(tmp_path: Path, edoc: m.DocumentPackage) -> None:
    payload = b"%PDF-1.7\n" + bytes(range(256)) * 9000
    src = tmp_path / "main.pdf"
    src.write_bytes(payload)
    edoc.attachments[0].data = None
    edoc.attachments[0].path = src
    out = tmp_path / "p.edxml"
    with out.open("wb") as fh:
        write_package(edoc, fh, declare_digests=True)
    back = read_package(out)
    assert isinstance(back, m.DocumentPackage)
    assert back.attachments[0].data == payload
    assert back.attachments[0].sha256 == hashlib.sha256(payload).hexdigest()
    assert validate_package(out, options=OPTIONS).problems == ()
    with pytest.raises(ValueError):
        build_package(
            m.DocumentPackage(edoc.message_header, edoc.trace_header_list, [m.Attachment("cid:9", "x", "y")])
        )


def test_zip_form_is_deterministic(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    assert zip_package(data) == zip_package(data)
    assert read_package(zip_package(data, "goi.edxml")) == edoc
    assert build_package(copy.deepcopy(edoc)) == data
