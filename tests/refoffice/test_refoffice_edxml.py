"""The reference's own edXML, XML-DSig and PDF-signature code, cross-checked against the harness's.

The two sides are written independently on purpose; these tests are where they must agree: what the
reference writes, the harness validates clean; what the harness signs, the reference verifies; the
variants the harness delivers, the reference reads (or refuses) as the criteria expect.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conformance.axis import mutants, peers
from conformance.standards.edxml import model as m
from conformance.standards.edxml import validate_package
from conformance.standards.pdfsig import check_report, verify_pdf
from refoffice import edxml as R
from refoffice.pdf_signatures import PdfSignatures, make_pdf

ROOT = Path(__file__).resolve().parents[2]
PKI = ROOT / "fixtures" / "pki"
PEER = m.Organization("000.00.00.H99", "Ủy ban nhân dân tỉnh Thử Nghiệm")
ME = m.Organization("000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh")


@pytest.fixture(scope="module")
def base() -> bytes:
    return peers.build_edoc(PEER, [ME], number="45", attachments=mutants.attachment("signed_pdf"))


@pytest.mark.parametrize(
    "variant", ["valid", "default_namespace", "prefixed", "axis_trace_headers", "unknown_elements"]
)
def test_equivalent_variants_read_alike(base: bytes, variant: str) -> None:
    pkg = R.read_package(mutants.variant(variant, base))
    assert pkg.problems == [] and pkg.kind == "edoc"
    assert (pkg.from_organ_id, pkg.so_ky_hieu, pkg.to) == ("000.00.00.H99", "45/UBND-KGVX", ["000.00.00.H49"])
    assert pkg.attachments[0].data[:5] == b"%PDF-"


@pytest.mark.parametrize(
    "variant, words",
    [
        ("content_id_mismatch", "ContentId"),
        ("base64_corrupt", "base64"),
        ("missing_subject", "Subject"),
        ("missing_document_id", "DocumentId"),
        ("date_30_february", "ngày ban hành"),
        ("priority_9", "độ khẩn"),
    ],
)
def test_broken_packages_are_told_why(base: bytes, variant: str, words: str) -> None:
    pkg = R.read_package(mutants.variant(variant, base))
    assert any(words in p for p in pkg.problems), pkg.problems


@pytest.mark.parametrize("variant", ["truncated", "not_xml", "billion_laughs", "xxe"])
def test_unreadable_and_hostile_packages_are_refused(base: bytes, variant: str) -> None:
    with pytest.raises(R.Unreadable):
        R.read_package(mutants.variant(variant, base))


def test_prefix_only_reading_is_the_fault_it_claims(base: bytes) -> None:
    assert R.read_package(base, prefix_only=True).problems == []
    assert R.read_package(mutants.variant("default_namespace", base), prefix_only=True).problems


def test_zipped_attachment_is_unpacked_to_the_same_pdf(base: bytes) -> None:
    raw = R.read_package(base).attachments[0].data
    zipped_pkg = peers.build_edoc(PEER, [ME], attachments=mutants.attachment("zipped_pdf"))
    att = R.read_package(zipped_pkg).attachments[0]
    assert att.zipped and att.data == raw


@pytest.mark.parametrize(
    "mode, ok", [("xmldsig_valid", True), ("xmldsig_broken", False), ("xmldsig_placeholder", False)]
)
def test_reference_verifies_what_the_harness_signs(base: bytes, mode: str, ok: bool) -> None:
    assert R.verify_xmldsig(mutants.variant(mode, base))[0] is ok


def test_status_package_the_reference_writes_is_valid_edxml() -> None:
    data = R.build_status(
        from_organ_id="000.00.00.H49",
        from_organ_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        original_organ_id="000.00.00.H99",
        original_code="45/UBND-KGVX",
        original_date=dt.date(2026, 3, 14),
        original_document_id="000.00.00.H99,2026/03/14,45/UBND-KGVX",
        code="03",
        description="Đã tiếp nhận, vào sổ văn bản đến",
        timestamp=dt.datetime(2026, 3, 14, 9, 30, 15),
        staff={"Department": "Văn thư", "Staff": "Nguyễn Thị Bình"},
    )
    report = validate_package(data)
    assert report.ok and report.kind == "status", [p.message for p in report.errors]


def test_document_package_the_reference_writes_is_valid_edxml() -> None:
    today = dt.date.today()
    out = R.Outgoing(
        from_organ_id="000.00.00.H49",
        from_organ_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        to=[("000.00.00.H99", "Ủy ban nhân dân tỉnh Thử Nghiệm")],
        code_number="05",
        code_notation="UBND-VP",
        place="Quảng Ninh",
        promulgation_date=today,
        type_code=2,
        type_detail=18,
        type_name="Công văn",
        subject="Về việc phối hợp thử nghiệm",
        signer_competence="TM. ỦY BAN NHÂN DÂN",
        signer_position="CHỦ TỊCH",
        signer_name="Nguyễn Văn An",
        due_date=None,
        priority=1,
        issued_amount=2,
        page_amount=1,
        document_id=f"000.00.00.H49,{today:%Y/%m/%d},05/UBND-VP",
        trace_organ_id="000.00.00.H49",
        timestamp=dt.datetime.now().replace(microsecond=0),
        business=0,
        business_reason="Văn bản điện tử mới",
        business_document_id=None,
        staff={"Department": "Văn thư", "Staff": "Nguyễn Thị Bình"},
        attachments=[("cid:1", "05-UBND-VP.pdf", "application/pdf", make_pdf(["Số: 05/UBND-VP"]))],
    )
    report = validate_package(R.build_document(out))
    assert report.ok, [f"{p.xpath}: {p.message}" for p in report.errors]


@pytest.fixture(scope="module")
def signatures() -> PdfSignatures:
    return PdfSignatures(PKI)


@pytest.mark.parametrize(
    "name, signed, valid",
    [
        ("valid-two-signatures", True, True),
        ("tampered-bytes", True, False),
        ("revoked-cert", True, False),
        ("unknown-ca", True, False),
        ("modified-after-signing", True, False),
        ("unsigned", False, False),
    ],
)
def test_reference_pdf_verdicts_match_the_fixtures(
    signatures: PdfSignatures, name: str, signed: bool, valid: bool
) -> None:
    v = signatures.verify((ROOT / "fixtures" / "pdf" / f"{name}.pdf").read_bytes())
    assert (v.signed, v.valid) == (signed, valid), v


def test_what_the_reference_signs_the_harness_accepts_in_order(signatures: PdfSignatures) -> None:
    pdf = signatures.sign(make_pdf(["ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "Số: 05/UBND-VP"]))
    report = verify_pdf(pdf, [PKI / "root-ca.cert.pem"], [PKI / "root-ca.crl", PKI / "issuing-ca.crl"])
    assert check_report(report).ok
    swapped = signatures.sign(make_pdf(["x"]), ("organisation", "personal"))
    res = check_report(
        verify_pdf(swapped, [PKI / "root-ca.cert.pem"], [PKI / "root-ca.crl", PKI / "issuing-ca.crl"])
    )
    assert not res.ok and any("pdfsig.order" in p for p in res.problems)
