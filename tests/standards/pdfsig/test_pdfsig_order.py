"""check_order on hand-made reports: personal signatures first, then the agency's (SR-050)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from conformance.standards.pdfsig import check_appearances, check_order, verify_pdf
from conformance.standards.pdfsig.verify import PdfSignatureReport, SignatureReport

PKI = Path(__file__).resolve().parents[3] / "fixtures" / "pki"
PDF = Path(__file__).resolve().parents[3] / "fixtures" / "pdf"
VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def pair() -> tuple[SignatureReport, SignatureReport]:
    report = verify_pdf(PDF / "valid-two-signatures.pdf", [PKI / "root-ca.cert.pem"], [])
    personal, organisation = report.signatures
    return personal, organisation


def _report(*sigs: SignatureReport) -> PdfSignatureReport:
    renumbered = tuple(dataclasses.replace(s, index=i) for i, s in enumerate(sigs))
    return PdfSignatureReport(source="test", validation_time=dt.datetime.now(dt.UTC), signatures=renumbered)


def _unknown(sig: SignatureReport) -> SignatureReport:
    assert sig.signer is not None
    return dataclasses.replace(sig, signer=dataclasses.replace(sig.signer, kind="unknown", kind_basis="none"))


def test_personal_then_organisation(pair: tuple[SignatureReport, SignatureReport]) -> None:
    p, o = pair
    assert check_order(_report(p, o)).ok
    assert check_order(_report(p, p, o)).ok  # several competent persons, then the agency


def test_wrong_orders(pair: tuple[SignatureReport, SignatureReport]) -> None:
    p, o = pair
    assert check_order(_report(o, p)).codes == ("pdfsig.order",)
    assert check_order(_report(p, o, p)).codes == ("pdfsig.order",)  # signed again after issuance


def test_missing_kinds(pair: tuple[SignatureReport, SignatureReport]) -> None:
    p, o = pair
    assert check_order(_report(o)).codes == ("pdfsig.personal_missing",)
    assert check_order(_report(o), require_personal=False).ok  # attachment or copy (SR-053/SR-055)
    assert check_order(_report(p)).codes == ("pdfsig.organisation_missing",)
    assert check_order(_report()).codes == ("pdfsig.unsigned",)


def test_unknown_signer_is_a_warning_and_left_out(pair: tuple[SignatureReport, SignatureReport]) -> None:
    p, o = pair
    result = check_order(_report(p, _unknown(o), o))
    assert result.ok and result.codes == ("pdfsig.kind_unknown",)


def test_appearance_time_far_from_signing_time_is_a_warning(
    pair: tuple[SignatureReport, SignatureReport],
) -> None:
    p, o = pair
    late = dataclasses.replace(o, signing_time=dt.datetime(2026, 3, 14, 12, 0, tzinfo=VN))
    result = check_appearances(_report(p, late))
    assert result.ok and result.codes == ("pdfsig.sigtime.mismatch",)


def test_text_required_for_attachments(pair: tuple[SignatureReport, SignatureReport]) -> None:
    p, o = pair
    image_only = dataclasses.replace(o, appearance_text=None)
    assert check_appearances(_report(p, image_only)).ok  # main document: the seal image carries no text
    assert check_appearances(_report(image_only), require_text=True).codes == ("pdfsig.appearance_text",)
