"""Properties: builder output always validates; one mutation is reported with its rule code and XPath.

Deterministic (derandomize, no deadline, no example database, ≤100 examples per property).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conformance.standards import codes
from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import build_package, business_key
from conformance.standards.edxml.names import NS
from conformance.standards.edxml.parse import read_package
from conformance.standards.edxml.rules import RULES
from conformance.standards.edxml.validate import ValidationOptions, validate_package

PROFILE = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPTIONS = ValidationOptions(today=dt.date(2026, 1, 1))
MH = "/edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader"

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
VI_TEXT = VI + VI.upper() + "0123456789 ,.;:/-()&<>\"'"

# --- strategies from the grammars of edxml.md §11 and the values of §14 ----------------------------

organ_102 = st.builds(
    lambda a, b, c, letter, d: f"{a:03d}.{b:02d}.{c:02d}.{letter}{d:02d}",
    st.integers(0, 999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from("ABCDEFGHIJK"),
    st.integers(1, 99),
)
organ_qd20 = st.builds(
    lambda letter, d, rest: ".".join([f"{letter}{d:02d}", *rest]),
    st.sampled_from("ABCDEFGHIJK"),
    st.integers(1, 99),
    st.lists(st.integers(10, 999).map(str), max_size=2),
)
organ = st.one_of(organ_102, organ_qd20)


def text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(VI_TEXT, min_size=min_size, max_size=max_size).filter(lambda s: s.strip() != "")


group = st.builds(lambda a, b: a + b, st.sampled_from(UPPER), st.text(UPPER + "0123456789", max_size=5))
notation = st.lists(group, min_size=2, max_size=4).map("-".join).filter(lambda s: len(s) <= 30)
number = st.integers(1, 99_999).map(lambda n: f"{n:02d}")
dates = st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31))
times = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2025, 12, 31)).map(
    lambda t: t.replace(microsecond=0)
)
doc_types = st.sampled_from(
    [(2, t.edxml_type_detail, t.name) for t in codes.document_types() if t.nd30_order and t.edxml_type_detail]
    + [(1, 7, "Nghị định"), (1, 9, "Thông tư"), (1, 2, "Luật")]
)
emails = st.sampled_from([None, "vanthu@thunghiem.example", "so.khcn@thunghiem.example"])


@st.composite
def organizations(draw: st.DrawFn, organ_id: st.SearchStrategy[str] = organ) -> m.Organization:
    return m.Organization(
        organ_id=draw(organ_id),
        organ_name=draw(text(200)),
        organization_in_charge=draw(st.none() | text(200)),
        organ_add=draw(st.none() | text(250)),
        email=draw(emails),
        telephone=draw(st.none() | st.text("0123456789", min_size=8, max_size=12)),
        website=draw(st.none() | st.just("thunghiem.example")),
    )


@st.composite
def edocs(draw: st.DrawFn) -> m.DocumentPackage:
    """Document packages that must validate without any finding."""
    frm = draw(organizations())
    recipients = draw(st.lists(organizations(), min_size=1, max_size=3, unique_by=lambda o: o.organ_id))
    code = m.Code(draw(number), draw(notation))
    day = draw(dates)
    t, detail, name = draw(doc_types)
    doc_type = draw(st.sampled_from(list(m.BussinessDocType)))
    target = business_key(draw(organ), draw(dates), f"{draw(number)}/{draw(notation)}")
    bussiness = m.Bussiness(doc_type, draw(st.none() | text(100)), draw(st.none() | st.integers(0, 1)))
    if doc_type in (m.BussinessDocType.REVOKE, m.BussinessDocType.UPDATE):
        bussiness.document_id = target
    if doc_type == m.BussinessDocType.UPDATE:
        receivers = draw(st.lists(st.builds(m.Receiver, organ, st.integers(0, 1)), min_size=1, max_size=2))
        bussiness.document_info = m.BussinessDocumentInfo(draw(st.integers(0, 1)), 1, receivers)
    if doc_type == m.BussinessDocType.REPLACE:
        bussiness.replacement_info = [m.ReplacementInfo(target, draw(st.lists(organ, max_size=2)))]
    n_att = draw(st.integers(0, 2)) + 1
    attachments = [
        m.Attachment(
            f"cid:{i + 1}",
            draw(text(60)) + ".pdf",
            draw(st.sampled_from(["application/pdf", "application/octet-stream"])),
            b"%PDF-1.4\n" + draw(st.binary(max_size=300)),
            draw(st.none() | text(100)),
        )
        for i in range(n_att)
    ]
    return m.DocumentPackage(
        m.MessageHeader(
            from_=frm,
            to=recipients,
            code=code,
            promulgation_info=m.PromulgationInfo(draw(text(50)), day),
            document_type=m.DocumentType(t, name, detail),
            subject=draw(text(500)),
            content=draw(text(500)),
            signer_info=m.SignerInfo(
                draw(text(50)), draw(st.none() | text(100)), draw(st.none() | text(100))
            ),
            document_id=business_key(frm.organ_id, day, code.so_ky_hieu),
            due_date=draw(st.integers(0, 60).map(lambda d: day + dt.timedelta(days=d))),
            to_places=draw(st.lists(text(150), max_size=3)),
            other_info=m.OtherInfo(
                draw(st.integers(0, 3)),
                draw(text(100)),
                draw(st.text(UPPER, min_size=1, max_size=10)),
                draw(st.none() | st.integers(0, 999)),
                draw(st.none() | st.integers(0, 999)),
                draw(st.lists(text(250), max_size=2)),
            ),
            steering_type=draw(st.none() | st.integers(0, 3)),
        ),
        m.TraceHeaderList([m.TraceHeader(frm.organ_id, draw(times))], bussiness),
        attachments,
    )


@st.composite
def statuses(draw: st.DrawFn) -> m.StatusPackage:
    origin = draw(organ)
    code = m.Code(draw(number), draw(notation))
    day = draw(dates)
    return m.StatusPackage(
        from_=draw(organizations()),
        response_for=m.ResponseFor(origin, code.so_ky_hieu, day, business_key(origin, day, code.so_ky_hieu)),
        staff_info=m.StaffInfo(draw(st.none() | text(100)), draw(st.none() | text(100)), None, draw(emails)),
        status_code=draw(st.sampled_from(["01", "02", "03", "04", "05", "06", "13", "15", "16"])),
        description=draw(text(300, min_size=5).filter(lambda s: len(s.strip()) >= 5)),
        timestamp=draw(times),
    )


@PROFILE
@given(edocs())
def test_built_document_packages_validate_and_round_trip(pkg: m.DocumentPackage) -> None:
    data = build_package(pkg)
    report = validate_package(data, options=OPTIONS)
    assert report.problems == (), [p.line("pkg") for p in report.problems]
    assert read_package(data) == pkg


@PROFILE
@given(statuses())
def test_built_status_packages_validate_and_round_trip(pkg: m.StatusPackage) -> None:
    data = build_package(pkg)
    report = validate_package(data, options=OPTIONS)
    assert report.problems == (), [p.line("pkg") for p in report.problems]
    assert read_package(data) == pkg


# --- single mutations --------------------------------------------------------------------------------

REQUIRED = [
    "Subject",
    "DocumentId",
    "Code/CodeNumber",
    "Code/CodeNotation",
    "PromulgationInfo/Place",
    "PromulgationInfo/PromulgationDate",
    "DocumentType/Type",
    "DocumentType/TypeName",
    "SignerInfo/FullName",
    "OtherInfo/Priority",
    "OtherInfo/SphereOfPromulgation",
    "OtherInfo/TyperNotation",
    "From/OrganId",
    "From/OrganName",
    "To/OrganId",
    "To/OrganName",
]
OVERLONG = {"Subject": 500, "SignerInfo/FullName": 50, "From/OrganName": 200, "To/OrganName": 200}
BAD_ORGANS = st.one_of(
    organ_102.map(str.lower),
    organ_102.map(lambda s: s + "."),
    organ_102.map(lambda s: s.replace(".", "..", 1)),
    organ_102.map(lambda s: s.replace(".", "_")),
    organ_102.map(lambda s: s[:4] + " " + s[4:]),
    st.just("H99." + "1." * 16),
    st.just(""),
)
BAD_DATES = st.one_of(
    st.builds(lambda y, d: f"{y:04d}/02/{d}", st.integers(2001, 2099).filter(lambda y: y % 4), st.just(29)),
    st.builds(lambda y, d: f"{y:04d}/02/{d}", st.integers(2000, 2099), st.integers(30, 31)),
    st.builds(lambda y, mo: f"{y:04d}/{mo:02d}/31", st.integers(2000, 2099), st.sampled_from([4, 6, 9, 11])),
    st.builds(lambda y, mo: f"{y:04d}/{mo:02d}/10", st.integers(2000, 2099), st.integers(13, 99)),
    st.builds(lambda y: f"{y:04d}/05/00", st.integers(2000, 2099)),
)


@dataclass
class Mutation:
    kind: str
    path: str  # local-name path under MessageHeader; "To" → one recipient chosen by index
    index: int
    value: str


def _xpath(path: str, index: int, n_to: int) -> str:
    steps = []
    for step in path.split("/"):
        steps.append(f"edXML:{step}" + (f"[{index + 1}]" if step == "To" and n_to > 1 else ""))
    return MH + "/" + "/".join(steps)


def _apply(data: bytes, mut: Mutation) -> bytes:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    node = root.find(f"{{{NS}}}edXMLEnvelope/{{{NS}}}edXMLHeader/{{{NS}}}MessageHeader")
    for step in mut.path.split("/"):
        found = node.findall(f"{{{NS}}}{step}")
        node = found[mut.index if step == "To" else 0]
    if mut.kind == "drop":
        node.getparent().remove(node)
    else:
        node.text = mut.value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@st.composite
def mutations(draw: st.DrawFn, pkg: m.DocumentPackage) -> Mutation:
    n_to = len(pkg.message_header.to)
    kind = draw(st.sampled_from(["drop", "overlong", "organ", "date"]))
    index = draw(st.integers(0, n_to - 1))
    if kind == "drop":
        return Mutation(kind, draw(st.sampled_from(REQUIRED)), index, "")
    if kind == "overlong":
        path = draw(st.sampled_from(sorted(OVERLONG)))
        size = OVERLONG[path] + draw(st.integers(1, 30))
        return Mutation(kind, path, index, draw(st.text(VI, min_size=size, max_size=size)))
    if kind == "organ":
        return Mutation(kind, "To/OrganId", index, draw(BAD_ORGANS))
    return Mutation(
        kind, draw(st.sampled_from(["PromulgationInfo/PromulgationDate", "DueDate"])), index, draw(BAD_DATES)
    )


EXPECTED_CODE = {
    "drop": "card.missing",
    "overlong": "len.nd30",
    "organ": "organ.grammar",
    "date": "date.invalid",
}


@settings(PROFILE, max_examples=100)
@given(st.data())
def test_single_mutation_is_reported_at_its_xpath(data: st.DataObject) -> None:
    pkg = data.draw(edocs())
    mut = data.draw(mutations(pkg))
    mutated = _apply(build_package(pkg), mut)
    report = validate_package(mutated, options=OPTIONS)
    n_to = len(pkg.message_header.to)
    code = EXPECTED_CODE[mut.kind]
    if mut.kind == "organ" and mut.value == "":
        code = "value.empty"
    xpath = _xpath(mut.path, mut.index, n_to)
    assert report.has(code, xpath), (mut, [p.line("pkg") for p in report.problems])
    assert not report.ok


# --- robustness: arbitrary damage never crashes the validator -----------------------------------------

_FIXTURE_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "edxml"
_SEEDS = [
    (_FIXTURE_DIR / name).read_bytes()
    for name in (
        "valid/edoc_new.edxml",
        "valid/edoc_new.zip",
        "valid/edoc_signed_rsa_sha256.edxml",
        "valid/status_03.edxml",
        "valid/edoc_two_attachments_digests.edxml",
    )
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if op == "flip" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(
                st.sampled_from([b"<", b"&", b"]]>", b"<![CDATA[", b"<!DOCTYPE", b"\x00", b"&#13;"])
            )
        else:
            del data[pos:]
    return bytes(data)


@settings(PROFILE, max_examples=100)
@given(damaged())
def test_damaged_packages_never_crash(data: bytes) -> None:
    report = validate_package(data, options=OPTIONS)
    assert report.readable or (len(report.problems) == 1 and report.problems[0].xpath == "/")
    for p in report.problems:
        assert p.code in RULES
