"""verify_pdf + check_report on the committed fixtures: each variant yields exactly its findings, offline."""

from __future__ import annotations

import datetime as dt
import io
import socket
from collections import Counter
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from conformance.standards.pdfsig import check_report, check_signatures, verify_pdf
from conformance.standards.pdfsig.verify import PdfSignatureReport

ROOT = Path(__file__).resolve().parents[3]
PKI = ROOT / "fixtures" / "pki"
PDF = ROOT / "fixtures" / "pdf"
ROOTS = [PKI / "root-ca.cert.pem"]
CRLS = [PKI / "root-ca.crl", PKI / "issuing-ca.crl"]
VN = dt.timezone(dt.timedelta(hours=7))

EXPECTED: dict[str, Counter[str]] = {
    "valid-two-signatures.pdf": Counter(),
    "wrong-order.pdf": Counter({"pdfsig.order": 1}),
    "expired-cert.pdf": Counter({"pdfsig.expired": 1}),
    "revoked-cert.pdf": Counter({"pdfsig.revoked": 1}),
    "unknown-ca.pdf": Counter({"pdfsig.untrusted": 1}),
    "modified-after-signing.pdf": Counter({"pdfsig.modified": 2}),
    "tampered-bytes.pdf": Counter({"pdfsig.integrity": 2}),
    "missing-appearance-time.pdf": Counter({"pdfsig.sigtime.missing": 1}),
    "personal-only.pdf": Counter({"pdfsig.organisation_missing": 1}),
    "unsigned.pdf": Counter({"pdfsig.unsigned": 1}),
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to resolve or connect fails the test: verification must never fetch."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _verify(data: Path | bytes, **kwargs: object) -> PdfSignatureReport:
    return verify_pdf(data, ROOTS, CRLS, **kwargs)  # type: ignore[arg-type]


def test_every_fixture_is_covered() -> None:
    assert {p.name for p in PDF.glob("*.pdf")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_yields_exactly_its_findings(name: str) -> None:
    result = check_report(_verify(PDF / name))
    assert Counter(result.codes) == EXPECTED[name], result.problems + result.warnings
    assert result.ok is (not EXPECTED[name])
    for text in (*result.problems, *result.warnings):
        vi, _, en = text.partition(" — ")
        assert vi.startswith("[pdfsig.") and en, text  # stable code, Vietnamese text, English gloss


def test_valid_document_facts() -> None:
    report = _verify(PDF / "valid-two-signatures.pdf")
    assert report.error is None and report.signed
    personal, organisation = report.signatures
    assert (personal.field_name, organisation.field_name) == ("ChuKyCaNhan", "ChuKyCoQuan")
    assert personal.common_name == "Nguyễn Văn An" and personal.signer and personal.signer.title == "Chủ tịch"
    assert personal.organisation == organisation.organisation == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert (personal.kind, organisation.kind) == ("personal", "organisation")
    assert personal.signing_time == dt.datetime(2026, 3, 14, 9, 30, 15, tzinfo=VN)
    assert organisation.signing_time == dt.datetime(2026, 3, 14, 10, 5, 42, tzinfo=VN)
    for sig in report.signatures:
        assert sig.ok and sig.integrity_ok and sig.chain_ok
        assert not sig.revoked and sig.expired_at_signing is False and not sig.expired_at_validation
        assert sig.appearance_text and not sig.appearance_has_image
    assert personal.coverage == "ENTIRE_REVISION" and personal.modification_level == "FORM_FILLING"
    assert organisation.covers_whole_document and not personal.covers_whole_document
    assert (
        personal.appearance_text
        == "Ký bởi: Nguyễn Văn An\nChức vụ: Chủ tịch\nThời gian ký: 14/03/2026 09:30:15 +07:00"
    )
    assert "Số: 123/UBND-KGVX" in (organisation.appearance_text or "")
    assert "2026-03-14T10:05:42+07:00" in (organisation.appearance_text or "")
    assert organisation.rect is not None and organisation.rect[1] > 700  # top of page 1 (SR-053 position)


def test_bad_certificate_facts() -> None:
    expired = _verify(PDF / "expired-cert.pdf").signatures[0]
    assert expired.expired_at_signing and expired.expired_at_validation and not expired.chain_ok
    revoked = _verify(PDF / "revoked-cert.pdf").signatures[0]
    assert revoked.revoked and revoked.revocation_date == dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert revoked.expired_at_signing is False and revoked.revoked_before_signing
    unknown = _verify(PDF / "unknown-ca.pdf").signatures[0]
    assert unknown.trust_problem == "NO_CERTIFICATE_CHAIN_FOUND" and unknown.integrity_ok


def test_modified_after_signing_keeps_signed_bytes_intact() -> None:
    for sig in _verify(PDF / "modified-after-signing.pdf").signatures:
        assert sig.integrity_ok and sig.modified_after_signing and sig.modification_level == "OTHER"


def _signed_ranges(data: bytes) -> list[tuple[int, int]]:
    emb = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    a, b, c, d = (int(x) for x in emb.byte_range)
    return [(a, a + b), (c, c + d)]


def test_tampering_one_byte_breaks_integrity() -> None:
    data = (PDF / "valid-two-signatures.pdf").read_bytes()
    at = data.index(b"QLVBDHFIXTURE20260314") + 5
    tampered = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
    result = check_report(_verify(tampered))
    assert Counter(result.codes) == Counter({"pdfsig.integrity": 2})


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_tampering_anywhere_in_the_signed_range_is_never_accepted(fraction: float) -> None:
    """A flipped byte either breaks the digest or the file; never a clean report."""
    data = (PDF / "personal-only.pdf").read_bytes()
    (start, end), _ = _signed_ranges(data)
    at = start + int((end - start) * fraction)
    tampered = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
    result = check_signatures(_verify(tampered))
    assert not result.ok
    assert set(result.codes) <= {"pdfsig.integrity", "pdfsig.unreadable", "pdfsig.unsigned"}, result.problems


def test_bytes_input_and_garbage() -> None:
    report = _verify((PDF / "personal-only.pdf").read_bytes())
    assert report.source.startswith("<") and len(report.signatures) == 1
    junk = _verify(b"this is not a PDF")
    assert junk.error and check_report(junk).codes == ("pdfsig.unreadable",)


def test_missing_crl_is_revocation_unknown_not_valid() -> None:
    report = verify_pdf(PDF / "valid-two-signatures.pdf", ROOTS, [PKI / "issuing-ca.crl"])
    assert check_signatures(report).codes == ("pdfsig.revocation_unknown",) * 2
    revoked = verify_pdf(PDF / "revoked-cert.pdf", ROOTS, [])
    assert "pdfsig.revoked" not in check_signatures(revoked).codes  # unknown, not silently fine either
    assert "pdfsig.revocation_unknown" in check_signatures(revoked).codes


def test_wrong_trust_root_makes_every_signature_untrusted() -> None:
    report = verify_pdf(PDF / "valid-two-signatures.pdf", [PKI / "untrusted-root-ca.cert.pem"], CRLS)
    assert check_signatures(report).codes == ("pdfsig.untrusted",) * 2


def test_validation_time_parameter() -> None:
    at = dt.datetime(2026, 3, 15, 8, 0)  # naive → Vietnam time
    report = _verify(PDF / "valid-two-signatures.pdf", at=at)
    assert report.validation_time == at.replace(tzinfo=VN)
    assert check_report(report).ok
    # at a time when the expired certificate was still valid, it had expired by its claimed signing time
    early = _verify(PDF / "expired-cert.pdf", at=dt.datetime(2025, 7, 1, tzinfo=VN)).signatures[0]
    assert early.chain_ok and not early.expired_at_validation and early.expired_at_signing


def test_strict_iso_rejects_the_vietnamese_layout() -> None:
    result = check_report(_verify(PDF / "valid-two-signatures.pdf"), strict_iso=True)
    assert result.codes == ("pdfsig.sigtime.layout",)  # only the personal dd/MM/yyyy appearance


def test_attachment_profile_needs_no_personal_signature() -> None:
    report = _verify(PDF / "personal-only.pdf")
    assert check_report(report, require_organisation=False).ok
    assert check_report(report, require_personal=False).codes == ("pdfsig.organisation_missing",)
