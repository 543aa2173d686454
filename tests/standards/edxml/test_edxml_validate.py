"""Validator: XPaths resolve, rules are traceable, every problem is reported, profile switches work."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree

from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import build_package
from conformance.standards.edxml.names import NSMAP
from conformance.standards.edxml.rules import RULES, Report, problem
from conformance.standards.edxml.validate import ValidationOptions, validate_package

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "edxml"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
OPTIONS = ValidationOptions(today=dt.date(2026, 1, 1))
MH = "/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader"
MISSING_CODES = {"card.missing", "card.missing_tolerated", "trace.tolerated", "dsig.absent"}

# codes no committed fixture produces, each exercised by a test in this directory
COVERED_BY_TESTS = {
    "io.unreadable",  # test_edxml_parse.test_sources_bytes_path_and_streams
    "xml.too_large",  # test_edxml_parse.test_size_limits
    "pkg.kind",  # test_header_without_message_header
    "dsig.absent",  # test_signature_required_profile
    "dsig.structure",  # test_edxml_dsig.test_broken_signature_blocks
    "dsig.algorithm",  # test_edxml_dsig.test_broken_signature_blocks
    "dsig.signature",  # test_edxml_dsig.test_signature_value_and_key_tampering
    "value.email",  # test_many_problems_are_all_reported
    "len.vendor",  # test_many_problems_are_all_reported
}


def test_rules_are_traceable() -> None:
    for code, rule in RULES.items():
        assert rule.code == code
        assert rule.severity in ("error", "warning")
        assert rule.evidence in ("R", "S", "I")
        assert rule.source and rule.title_vi and rule.title_en
    with pytest.raises(KeyError):
        problem("no.such.rule", "/")


def test_every_rule_is_exercised() -> None:
    produced = {e["code"] for entry in EXPECTED.values() for e in entry["expect"]}
    assert set(RULES) - produced == COVERED_BY_TESTS


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".edxml")))
def test_reported_xpaths_select_the_element(name: str) -> None:
    report = validate_package(FIXTURES / name, options=OPTIONS)
    if not report.readable:
        assert all(p.xpath == "/" for p in report.problems)
        return
    tree = etree.parse(str(FIXTURES / name), etree.XMLParser(resolve_entities=False, no_network=True))
    for p in report.problems:
        if p.xpath == "/":
            continue
        found = tree.xpath(p.xpath, namespaces=NSMAP)
        if p.code in MISSING_CODES and not found:
            parent = p.xpath.rsplit("/", 1)[0]
            assert len(tree.xpath(parent, namespaces=NSMAP)) == 1, p
        else:
            assert len(found) == 1, p


def test_many_problems_are_all_reported(edoc: m.DocumentPackage) -> None:
    mh = edoc.message_header
    mh.subject = "Đ" * 600
    mh.to[0].organ_id = "000.00.12.h99"
    mh.to[1].email = "không phải email"
    mh.due_date = None
    assert mh.other_info is not None
    mh.other_info.priority = 9
    edoc.trace_header_list.bussiness.staff_info = m.StaffInfo(department="P" * 251)
    data = build_package(edoc).replace(
        b"2025/03/14</edXML:PromulgationDate>", b"2025/02/29</edXML:PromulgationDate>"
    )
    report = validate_package(data, options=OPTIONS)
    got = {(p.code, p.xpath) for p in report.problems}
    assert got == {
        ("len.nd30", f"{MH}/edXML:Subject"),
        ("organ.grammar", f"{MH}/edXML:To[1]/edXML:OrganId"),
        ("value.email", f"{MH}/edXML:To[2]/edXML:Email"),
        ("card.missing_tolerated", f"{MH}/edXML:DueDate"),
        ("code.priority", f"{MH}/edXML:OtherInfo/edXML:Priority"),
        ("date.invalid", f"{MH}/edXML:PromulgationInfo/edXML:PromulgationDate"),
        (
            "len.vendor",
            "/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:TraceHeaderList/edXML:Bussiness"
            "/edXML:StaffInfo/edXML:Department",
        ),
    }
    assert [p.order for p in report.problems] == sorted(p.order for p in report.problems)
    nd30 = next(p for p in report.problems if p.code == "len.nd30")
    assert nd30.severity == "error" and nd30.evidence == "R" and "String(500)" in nd30.source
    assert "600" in nd30.message_vi and "limit 500" in nd30.message_en


def test_header_without_message_header(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    start, end = data.index(b"<edXML:MessageHeader>"), data.index(b"</edXML:MessageHeader>")
    report = validate_package(data[:start] + data[end + len(b"</edXML:MessageHeader>") :], options=OPTIONS)
    assert report.kind is None
    assert report.has("pkg.kind", "/") and report.has("card.missing", f"{MH}")


def test_signature_required_profile(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    strict = ValidationOptions(today=dt.date(2026, 1, 1), package_signature_required=True)
    report = validate_package(data, options=strict)
    assert not report.ok and report.codes == ("dsig.absent",)
    placeholder = (FIXTURES / "tolerated/signature_placeholder.edxml").read_bytes()
    assert validate_package(placeholder, options=OPTIONS).ok
    report = validate_package(placeholder, options=strict)
    assert not report.ok and report.errors[0].code == "dsig.placeholder"


def test_code_number_profile_switch(edoc: m.DocumentPackage) -> None:
    edoc.message_header.code = m.Code("CV12", "UBND-VP")
    edoc.message_header.document_id = "9fbfbad2-f1f8-4256-a2eb-50fb1061cddb"
    data = build_package(edoc)
    assert validate_package(data, options=OPTIONS).has("skh.grammar")
    lenient = ValidationOptions(today=dt.date(2026, 1, 1), code_number_digits_only=False)
    report = validate_package(data, options=lenient)
    assert report.ok and report.has("skh.style")


def test_future_date_depends_on_today(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    assert validate_package(data, options=ValidationOptions(today=dt.date(2025, 3, 13))).has("date.future")
    assert not validate_package(data, options=ValidationOptions(today=dt.date(2025, 3, 14))).has(
        "date.future"
    )


def test_report_api(edoc: m.DocumentPackage) -> None:
    edoc.message_header.subject = ""
    report = validate_package(build_package(edoc), options=OPTIONS, name="goi.edxml")
    assert isinstance(report, Report) and report.source == "goi.edxml"
    assert not report.ok and report.errors and report.counts()["value.empty"] == 1
    line = report.problems[0].line("goi.edxml")
    assert line.startswith(f"goi.edxml: {MH}/edXML:Subject: [value.empty] error: ")
    assert " — " in line
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["kind"] == "edoc"
    assert (
        data["problems"][0]["code"] == "value.empty" and data["problems"][0]["evidence"] == "R"
    )  # the Subject row rests on NĐ 30
    assert data["attachments"][0]["size"] == len(edoc.attachments[0].data or b"")


def test_status_kind_and_reason(status03: m.StatusPackage) -> None:
    status03.status_code = "16"
    status03.description = ""
    report = validate_package(build_package(status03), options=OPTIONS)
    assert report.kind == "status"
    assert report.has("value.empty", f"{MH}/edXML:Description")
