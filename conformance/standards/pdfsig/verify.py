"""Verify the PDF signatures of a QLVBĐH document offline and judge them against NĐ 30 (SR-050, SR-057).

Why: a receiver must check authenticity and integrity before accepting a document (NĐ 30 Điều 21.2),
and a legally valid e-document carries the competent person's signature, then the agency's
(Điều 13.7, PL I). ``verify_pdf`` lists the facts of each signature using pyHanko with a caller-given
trust list and CRLs — **fetching is always disabled** (no network, ever; revocation only from the
CRLs passed in). The ``check_*`` functions turn those facts into findings with stable codes, each a
Vietnamese message with an English gloss (``[code] vi — en``):

=============================  =============================================================
``pdfsig.unreadable``          not a PDF, or its signatures cannot be enumerated
``pdfsig.unsigned``            no signature at all (SR-057 c)
``pdfsig.integrity``           signed bytes changed or the CMS signature does not verify
``pdfsig.modified``            a later revision changed more than form filling / signatures
``pdfsig.revoked``             signer certificate revoked (per the given CRLs)
``pdfsig.expired``             signer certificate outside its validity at signing or check time
``pdfsig.untrusted``           no chain to any given trust root
``pdfsig.revocation_unknown``  revocation status cannot be established from the given CRLs
``pdfsig.chain``               any other certificate-path failure (with pyHanko's sub-indication)
``pdfsig.personal_missing``    no personal (competent person) signature (SR-050)
``pdfsig.organisation_missing``  no organisation (agency) signature (SR-050)
``pdfsig.order``               an organisation signature precedes a personal one (SR-050)
``pdfsig.kind_unknown``        (warning) signer neither personal nor organisation by the rule
``pdfsig.sigtime.*``           appearance time missing/incomplete/not strict ISO (OQ-25, §11.6)
``pdfsig.sigtime.mismatch``    (warning) appearance time ≠ claimed signing time
``pdfsig.appearance_text``     required appearance text absent (``require_text=True``)
=============================  =============================================================

Personal vs organisation: ``signer.identify_signer`` (policy OID, then UID prefix, then title,
then CN = O). Claimed signing times (CMS ``signingTime`` or ``/M``) are the signer's own statement,
not a trusted timestamp; they are used only to say whether the certificate had expired by then.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .._common import Findings, Result, nfc
from ..identifiers import SignatureTimeResult, check_signature_time
from .appearance import read_appearance
from .signer import TEST_POLICY_ORGANISATION, TEST_POLICY_PERSONAL, SignerIdentity, identify_signer

__all__ = [
    "PdfSignatureReport",
    "SignatureReport",
    "check_appearance_time",
    "check_appearances",
    "check_order",
    "check_report",
    "check_signatures",
    "load_certificates",
    "load_crls",
    "verify_pdf",
]

CertSource = bytes | str | os.PathLike[str] | asn1_x509.Certificate
CrlSource = bytes | str | os.PathLike[str] | asn1_crl.CertificateList
PdfSource = bytes | str | os.PathLike[str]

#: modification levels pyHanko allows after a signature without calling the document modified
_ALLOWED_LEVELS = {"NONE", "LTA_UPDATES", "FORM_FILLING"}
#: pyHanko AdES sub-indications that mean "revocation status unknown" rather than "bad chain"
_REVINFO_UNKNOWN = {"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"}
#: Vietnam time, for printing claimed times the way the appearance shows them
_VN = dt.timezone(dt.timedelta(hours=7))
_MESSAGE = re.compile(r"^\[([a-z0-9_.]+)\] (.*)$", re.DOTALL)


def _read(source: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(source, bytes):
        return source
    return Path(source).read_bytes()


def _der_blobs(data: bytes) -> list[bytes]:
    """DER blobs from DER or (possibly multi-block) PEM input."""
    if pem.detect(data):
        return [der for _, _, der in pem.unarmor(data, multiple=True)]
    return [data]


def load_certificates(sources: Iterable[CertSource]) -> list[asn1_x509.Certificate]:
    """Certificates from paths, PEM/DER bytes or asn1crypto objects (a PEM file may hold several)."""
    out: list[asn1_x509.Certificate] = []
    for s in sources:
        if isinstance(s, asn1_x509.Certificate):
            out.append(s)
        else:
            out.extend(asn1_x509.Certificate.load(der) for der in _der_blobs(_read(s)))
    return out


def load_crls(sources: Iterable[CrlSource]) -> list[asn1_crl.CertificateList]:
    """CRLs from paths, PEM/DER bytes or asn1crypto objects."""
    out: list[asn1_crl.CertificateList] = []
    for s in sources:
        if isinstance(s, asn1_crl.CertificateList):
            out.append(s)
        else:
            out.extend(asn1_crl.CertificateList.load(der) for der in _der_blobs(_read(s)))
    return out


@dataclass(frozen=True, kw_only=True)
class SignatureReport:
    """Facts about one embedded signature, in the order the signatures were applied."""

    index: int
    field_name: str
    signer: SignerIdentity | None
    signing_time: dt.datetime | None  # claimed by the signer (CMS signingTime or /M), not trusted
    signed_revision: int | None
    intact: bool  # digest over /ByteRange matches
    signature_valid: bool  # CMS signature verifies with the signer certificate
    chain_ok: bool  # path to a given trust root, not revoked, in validity at the check time
    trust_problem: str | None  # pyHanko AdES sub-indication, e.g. NO_CERTIFICATE_CHAIN_FOUND
    revoked: bool
    revocation_date: dt.datetime | None
    revocation_unknown: bool  # the path is fine except that the given CRLs do not cover it
    expired_at_signing: bool | None  # None when no signing time was claimed
    expired_at_validation: bool
    coverage: str | None  # ENTIRE_FILE / ENTIRE_REVISION / CONTIGUOUS_BLOCK_FROM_START / UNCLEAR
    covers_whole_document: bool
    modification_level: str | None  # of the changes after this signature (NONE … OTHER)
    modified_after_signing: bool
    appearance_text: str | None  # None: no normal appearance (invisible signature)
    appearance_has_image: bool
    rect: tuple[float, float, float, float] | None
    error: str | None = None  # validation could not run (malformed CMS …)

    @property
    def integrity_ok(self) -> bool:
        """Signed bytes unchanged and the signature verifies (SR-057 b)."""
        return self.intact and self.signature_valid and self.error is None

    @property
    def revoked_before_signing(self) -> bool | None:
        """Revoked before the claimed signing time (``None`` when either time is unknown)."""
        if not self.revoked or self.revocation_date is None or self.signing_time is None:
            return None if self.revoked else False
        return self.revocation_date <= self.signing_time

    @property
    def kind(self) -> str:
        return self.signer.kind if self.signer else "unknown"

    @property
    def common_name(self) -> str | None:
        return self.signer.common_name if self.signer else None

    @property
    def organisation(self) -> str | None:
        return self.signer.organisation if self.signer else None

    @property
    def ok(self) -> bool:
        """Cryptographically and institutionally valid (integrity, no later edits, trusted chain)."""
        return self.integrity_ok and not self.modified_after_signing and self.chain_ok


@dataclass(frozen=True, kw_only=True)
class PdfSignatureReport:
    """All signatures of one PDF, as verified at ``validation_time`` against the given roots and CRLs."""

    source: str
    validation_time: dt.datetime
    signatures: tuple[SignatureReport, ...]
    error: str | None = None  # the file could not be read as a PDF

    @property
    def signed(self) -> bool:
        return bool(self.signatures)


def _rect(widget: Any) -> tuple[float, float, float, float] | None:
    try:
        r = widget["/Rect"]
        x1, y1, x2, y2 = (float(v) for v in r)
    except (KeyError, TypeError, ValueError):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _widget(field: Any) -> Any:
    """The widget annotation of a signature field (merged field/widget, or its first kid)."""
    kids = field.get("/Kids") if hasattr(field, "get") else None
    if kids:
        return kids[0].get_object()
    return field


def _when(value: Any) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def _outside(when: dt.datetime, signer: SignerIdentity | None) -> bool:
    if signer is None:
        return False
    nb, na = _when(signer.not_before), _when(signer.not_after)
    return bool((nb and when < nb) or (na and when > na))


def _one(
    index: int,
    emb: Any,
    vc_factory: Any,
    moment: dt.datetime,
    personal_policies: Sequence[str],
    organisation_policies: Sequence[str],
) -> SignatureReport:
    field = emb.sig_field
    widget = _widget(field)
    appearance = read_appearance(widget)
    signer: SignerIdentity | None
    try:
        signer = identify_signer(
            emb.signer_cert, personal_policies=personal_policies, organisation_policies=organisation_policies
        )
    except Exception:  # no or unreadable signer certificate
        signer = None
    try:
        claimed = emb.self_reported_timestamp
    except Exception:
        claimed = None
    base: dict[str, Any] = {
        "index": index,
        "field_name": nfc(str(emb.field_name)),
        "signer": signer,
        "signing_time": claimed,
        "signed_revision": getattr(emb, "signed_revision", None),
        "appearance_text": appearance.text if appearance else None,
        "appearance_has_image": bool(appearance and appearance.has_image),
        "rect": _rect(widget),
        "expired_at_signing": _outside(claimed, signer) if claimed else None,
        "expired_at_validation": _outside(moment, signer),
    }
    key_usage = KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )
    try:
        status = validate_pdf_signature(
            emb, signer_validation_context=vc_factory(), key_usage_settings=key_usage
        )
        revocation_unknown = False
        problem = status.trust_problem_indic.name if status.trust_problem_indic else None
        if problem == "CERTIFICATE_CHAIN_GENERAL_FAILURE":
            # pyHanko maps "no usable CRL" to this generic code; tell it apart by re-checking the path
            # without revocation: if that passes, only revocation evidence was missing
            soft = validate_pdf_signature(
                emb,
                signer_validation_context=vc_factory("soft-fail"),
                key_usage_settings=key_usage,
                skip_diff=True,
            )
            revocation_unknown = bool(soft.trusted)
    except Exception as exc:  # malformed CMS, broken /ByteRange …: report, never crash (SR-059 spirit)
        return SignatureReport(
            **base,
            intact=False,
            signature_valid=False,
            chain_ok=False,
            trust_problem=None,
            revoked=False,
            revocation_date=None,
            revocation_unknown=False,
            coverage=None,
            covers_whole_document=False,
            modification_level=None,
            modified_after_signing=False,
            error=f"{type(exc).__name__}: {exc}",
        )
    level = status.modification_level.name if status.modification_level is not None else None
    details = status.revocation_details
    return SignatureReport(
        **base,
        intact=bool(status.intact),
        signature_valid=bool(status.valid),
        chain_ok=bool(status.trusted),
        trust_problem=problem,
        revoked=bool(status.revoked),
        revocation_date=details.revocation_date if details else None,
        revocation_unknown=revocation_unknown,
        coverage=status.coverage.name if status.coverage is not None else None,
        covers_whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification_level=level,
        modified_after_signing=(level is not None and level not in _ALLOWED_LEVELS)
        or status.docmdp_ok is False,
    )


def verify_pdf(
    path_or_bytes: PdfSource,
    trust_roots: Iterable[CertSource],
    crls: Iterable[CrlSource],
    *,
    at: dt.datetime | None = None,
    other_certs: Iterable[CertSource] = (),
    revocation_mode: str = "hard-fail",
    personal_policies: Sequence[str] = (TEST_POLICY_PERSONAL,),
    organisation_policies: Sequence[str] = (TEST_POLICY_ORGANISATION,),
) -> PdfSignatureReport:
    """Verify every signature of a PDF offline and return the facts (no judgement; see ``check_*``).

    ``at`` is the validation time (default: now, UTC); a naive datetime is taken as Vietnam time.
    ``revocation_mode`` is pyHanko's: ``hard-fail`` (default) fails a certificate whose CRL is
    announced but not given; ``require`` demands revocation data for every certificate.
    """
    if isinstance(path_or_bytes, bytes):
        source = f"<{len(path_or_bytes)} bytes>"
    else:
        source = os.fspath(path_or_bytes)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=_VN)
    moment = at or dt.datetime.now(dt.UTC)
    roots = load_certificates(trust_roots)
    crl_list = load_crls(crls)
    extra = load_certificates(other_certs)

    def vc_factory(mode: str = revocation_mode) -> ValidationContext:
        # a fresh context per signature: no cached path or revocation state leaks between signatures
        return ValidationContext(
            trust_roots=roots,
            other_certs=extra,
            crls=crl_list,
            allow_fetching=False,
            revocation_mode=mode,
            moment=at,
        )

    try:
        data = _read(path_or_bytes)
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        return PdfSignatureReport(
            source=source, validation_time=moment, signatures=(), error=f"{type(exc).__name__}: {exc}"
        )
    sigs = tuple(
        _one(i, emb, vc_factory, moment, personal_policies, organisation_policies)
        for i, emb in enumerate(embedded)
    )
    return PdfSignatureReport(source=source, validation_time=moment, signatures=sigs)


def _who(sig: SignatureReport) -> str:
    name = sig.common_name or "?"
    return f"Chữ ký #{sig.index + 1} «{sig.field_name}» ({name})"


def _fmt(when: dt.datetime | None) -> str:
    return when.astimezone(_VN).isoformat(timespec="seconds") if when else "?"


def _no_signatures(report: PdfSignatureReport, f: Findings) -> bool:
    """Record unreadable/unsigned; True when there is nothing else to check."""
    if report.error is not None:
        f.problem("pdfsig.unreadable", f"Không đọc được tệp PDF: {report.error}", "the PDF cannot be read")
        return True
    if not report.signatures:
        f.problem("pdfsig.unsigned", "Tệp PDF không có chữ ký số", "the PDF has no digital signature")
        return True
    return False


def _check_one(sig: SignatureReport, f: Findings) -> None:
    who = _who(sig)
    if not sig.integrity_ok:
        why = sig.error or ("nội dung đã bị sửa" if not sig.intact else "giá trị chữ ký không khớp chứng thư")
        f.problem(
            "pdfsig.integrity",
            f"{who}: không toàn vẹn — {why}",
            "signature integrity broken (document altered or signature invalid)",
        )
        return  # the chain of an unverifiable signature says nothing about this document
    if sig.modified_after_signing:
        f.problem(
            "pdfsig.modified",
            f"{who}: văn bản bị thay đổi sau khi ký (mức {sig.modification_level})",
            "the document was changed after this signature beyond form filling",
        )
    trust_reported = False
    if sig.revoked:
        f.problem(
            "pdfsig.revoked",
            f"{who}: chứng thư số đã bị thu hồi từ {_fmt(sig.revocation_date)}",
            "signer certificate revoked",
        )
        trust_reported = True
    if sig.expired_at_signing or sig.expired_at_validation:
        na = sig.signer.not_after if sig.signer else None
        when = "tại thời điểm ký" if sig.expired_at_signing else "tại thời điểm kiểm tra"
        f.problem(
            "pdfsig.expired",
            f"{who}: chứng thư số hết hiệu lực {when} (hiệu lực đến {_fmt(_when(na))})",
            "signer certificate outside its validity period",
        )
        trust_reported = True
    if sig.chain_ok or trust_reported:
        return
    if sig.trust_problem == "NO_CERTIFICATE_CHAIN_FOUND":
        f.problem(
            "pdfsig.untrusted",
            f"{who}: chứng thư số không thuộc tổ chức chứng thực tin cậy nào đã cấu hình",
            "no path to a trusted root",
        )
    elif sig.revocation_unknown or sig.trust_problem in _REVINFO_UNKNOWN:
        f.problem(
            "pdfsig.revocation_unknown",
            f"{who}: không xác định được tình trạng thu hồi từ CRL đã cung cấp",
            "revocation status unknown from the CRLs given",
        )
    else:
        f.problem(
            "pdfsig.chain",
            f"{who}: đường dẫn chứng thư không hợp lệ ({sig.trust_problem or 'không rõ'})",
            "certificate path invalid",
        )


def check_signatures(report: PdfSignatureReport) -> Result:
    """Integrity, later modification, revocation, expiry and trust of every signature (SR-057)."""
    f = Findings()
    if not _no_signatures(report, f):
        for sig in report.signatures:
            _check_one(sig, f)
    return Result(value=report.source, **f.frozen())


def check_order(
    report: PdfSignatureReport, *, require_personal: bool = True, require_organisation: bool = True
) -> Result:
    """Personal signature(s) first, then the organisation's (NĐ 30 Điều 13.7; SR-050).

    Every personal signature must precede every organisation signature. ``require_personal=False``
    fits separate attachments and copies, which carry only the agency signature (SR-053, SR-055).
    Signers of unknown kind are a warning and are left out of the order.
    """
    f = Findings()
    if _no_signatures(report, f):
        return Result(value=report.source, **f.frozen())
    kinds = [(s, s.kind) for s in report.signatures]
    for s, kind in kinds:
        if kind == "unknown":
            f.warn(
                "pdfsig.kind_unknown",
                f"{_who(s)}: không xác định được là chữ ký cá nhân hay cơ quan",
                "cannot tell a personal from an organisation certificate",
            )
    personal = [s.index for s, k in kinds if k == "personal"]
    organisation = [s.index for s, k in kinds if k == "organisation"]
    if require_personal and not personal:
        f.problem(
            "pdfsig.personal_missing",
            "Thiếu chữ ký số của người có thẩm quyền",
            "no personal signature of the competent person",
        )
    if require_organisation and not organisation:
        f.problem(
            "pdfsig.organisation_missing", "Thiếu chữ ký số của cơ quan, tổ chức", "no organisation signature"
        )
    if personal and organisation and max(personal) > min(organisation):
        f.problem(
            "pdfsig.order",
            "Sai thứ tự ký: chữ ký cơ quan phải đứng sau chữ ký của người có thẩm quyền",
            "organisation signature precedes a personal signature",
        )
    return Result(value=report.source, **f.frozen())


def check_appearance_time(text: object, *, strict_iso: bool = False) -> SignatureTimeResult:
    """Signing time in appearance text (edxml.md §11.6; OQ-25: lenient unless ``strict_iso``).

    Lenient accepts ``2026-03-14T09:30:15+07:00`` (also with a space or ``+0700``) and
    ``14/03/2026 09:30:15 +07:00``; strict accepts only the first. Same rule as
    ``identifiers.check_signature_time`` (codes ``sigtime.*``), so both readings of the law agree.
    """
    return check_signature_time(text, strict_iso=strict_iso)


def _split(text: str) -> tuple[str, str, str]:
    """``[code] vi — en`` → (code, vi, en), to re-issue a grammar finding under this package's codes."""
    m = _MESSAGE.match(text)
    if not m:
        return "sigtime", text, text
    vi, sep, en = m.group(2).rpartition(" — ")
    return m.group(1), (vi if sep else en), en


def check_appearances(
    report: PdfSignatureReport,
    *,
    strict_iso: bool = False,
    require_text: bool = False,
    tolerance: dt.timedelta = dt.timedelta(minutes=10),
) -> Result:
    """The time shown on each visible signature, and its agreement with the claimed signing time.

    A signature whose appearance has no text (e.g. only the seal image of a main document, PL I
    ô 8) is not checked unless ``require_text`` (separate attachments and copies, SR-053/SR-055).
    """
    f = Findings()
    if _no_signatures(report, f):
        return Result(value=report.source, **f.frozen())
    for sig in report.signatures:
        who = _who(sig)
        if not sig.appearance_text:
            if require_text:
                f.problem(
                    "pdfsig.appearance_text",
                    f"{who}: hình ảnh chữ ký không có thông tin dạng chữ",
                    "signature appearance shows no text",
                )
            continue
        res = check_appearance_time(sig.appearance_text, strict_iso=strict_iso)
        for text in res.problems:
            code, vi, en = _split(text)
            f.problem(f"pdfsig.{code}", f"{who}: {vi}", en)
        if res.ok and res.when is not None and sig.signing_time is not None:
            delta = abs(res.when - sig.signing_time)
            if delta > tolerance:
                f.warn(
                    "pdfsig.sigtime.mismatch",
                    f"{who}: thời gian hiển thị {res.matched} khác thời gian ký {_fmt(sig.signing_time)}",
                    "appearance time differs from the claimed signing time",
                )
    return Result(value=report.source, **f.frozen())


def check_report(
    report: PdfSignatureReport,
    *,
    require_personal: bool = True,
    require_organisation: bool = True,
    strict_iso: bool = False,
    require_text: bool = False,
) -> Result:
    """All findings for a main document: signatures, order, appearance time (SR-050, SR-057, OQ-25)."""
    f = Findings()
    if _no_signatures(report, f):
        return Result(value=report.source, **f.frozen())
    f.merge(check_signatures(report))
    f.merge(check_order(report, require_personal=require_personal, require_organisation=require_organisation))
    f.merge(check_appearances(report, strict_iso=strict_iso, require_text=require_text))
    return Result(value=report.source, **f.frozen())
