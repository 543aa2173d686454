"""PDF signatures of the reference: sign what it sends, verify what arrives (NĐ 30 Điều 5, 13.7, 21.2).

Uses pyHanko directly (not the harness's checks): the main document is signed by the competent
person, then by the agency, each in its own revision; on receipt every signature must be intact,
cover the document, chain to a trusted root and not be revoked (per the CRLs held locally — no
network). Results are cached by SHA-256, as a real system caches the verdict of identical bytes.
The keys are those of ``Config.pki_dir`` (the test PKI of ``fixtures/pki`` by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

VN = dt.timezone(dt.timedelta(hours=7))
# a refused signature is an expected outcome here, reported to the sender; not a log-worthy error
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
_ALLOWED_LEVELS = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


@dataclass(frozen=True)
class Verdict:
    """``signed``: at least one signature; ``valid``: every one verifies; ``reason`` when not."""

    signed: bool
    valid: bool
    reason: str = ""
    count: int = 0


# What a person is told about one signature that does not verify (the page of a file, SR-057b).
MODIFIED = "văn bản bị sửa sau khi ký"
CHANGED = "văn bản bị thay đổi sau khi ký (thay đổi không được phép)"
REVOKED = "chứng thư số đã bị thu hồi"
EXPIRED = "chứng thư số đã hết hạn"
UNTRUSTED = "chứng thư số không được tin cậy"
PERSONAL = "cá nhân"
ORGANISATION = "cơ quan, tổ chức"
# Subject UID prefixes of Vietnamese signing certificates: a citizen's identity number, or the tax
# (MST) or budget-relationship (MNS) code of an agency or organisation.
# ... and to the sender of a document returned with status 02 (the first failing signature, by rank)
_SENDER_REASON = {
    MODIFIED: "chữ ký số thứ {i} không toàn vẹn: văn bản bị sửa sau khi ký",
    CHANGED: "văn bản bị thay đổi sau chữ ký số thứ {i}",
    REVOKED: "chứng thư số của chữ ký thứ {i} đã bị thu hồi",
    UNTRUSTED: "chứng thư số của chữ ký thứ {i} không được tin cậy",
}
_PERSONAL_UIDS = ("CCCD:", "CMND:", "HC:", "DDCN:")
_ORGANISATION_UIDS = ("MST:", "MNS:", "MSNS:")


@dataclass(frozen=True)
class SignatureInfo:
    """One signature as the reference shows it: who signed, as whom, when, and whether it holds."""

    field: str
    signer: str
    kind: str  # PERSONAL, ORGANISATION or "" (the certificate does not say)
    signed_at: dt.datetime | None  # the signing time the signer's software recorded (CMS signingTime)
    valid: bool
    reason: str = ""


@dataclass(frozen=True)
class Inspection:
    """Every signature of a PDF checked on its own (the overall verdict is ``valid``)."""

    is_pdf: bool
    signatures: tuple[SignatureInfo, ...] = ()
    reason: str = ""  # why nothing could be checked (not a PDF, unreadable, no trust list)

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and not self.reason and all(s.valid for s in self.signatures)


def _ascii(text: str) -> str:
    """Text for the built-in PDF font (WinAnsi has no Vietnamese letters beyond Latin-1)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return (
        "".join(c for c in folded if unicodedata.category(c) != "Mn")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def make_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF with the given lines (Helvetica, text without diacritics)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        ops.append(f"({esc(_ascii(line))}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


class PdfSignatures:
    """Signing with the agency's keys and verifying against its trust list, thread-safe."""

    def __init__(self, pki_dir: Path | None) -> None:
        self.pki_dir = pki_dir
        self._cache: dict[str, Verdict] = {}
        self._inspections: dict[str, Inspection] = {}
        self._lock = threading.Lock()
        self._signers: dict[str, object] = {}

    @property
    def available(self) -> bool:
        return self.pki_dir is not None and (self.pki_dir / "root-ca.cert.pem").is_file()

    def _signer(self, who: str) -> object:
        from pyhanko.sign import signers

        with self._lock:
            if who not in self._signers:
                assert self.pki_dir is not None
                signer = signers.SimpleSigner.load(
                    str(self.pki_dir / f"{who}.key.pem"),
                    str(self.pki_dir / f"{who}.cert.pem"),
                    ca_chain_files=(str(self.pki_dir / "issuing-ca.cert.pem"),),
                )
                assert signer is not None
                signer.__class__ = _cached_signer_class()  # the key is parsed once, not per signature
                self._signers[who] = signer
            return self._signers[who]

    def sign(self, pdf: bytes, order: tuple[str, ...] = ("personal", "organisation")) -> bytes:
        """Sign with each key in ``order``, each signature in its own incremental revision."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        data = pdf
        for i, who in enumerate(order):
            writer = IncrementalPdfFileWriter(io.BytesIO(data))
            name = {"personal": "ChuKyCaNhan", "organisation": "ChuKyCoQuan"}.get(who, f"ChuKy{i}")
            fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name))
            meta = signers.PdfSignatureMetadata(field_name=name, md_algorithm="sha256")
            out = io.BytesIO()
            signers.PdfSigner(meta, signer=self._signer(who)).sign_pdf(writer, output=out)  # type: ignore[arg-type]
            data = out.getvalue()
        return data

    def verify(self, pdf: bytes) -> Verdict:
        """Every signature intact, covering the document, trusted and not revoked (cached by hash)."""
        key = hashlib.sha256(pdf).hexdigest()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        verdict = self._verify(pdf)
        with self._lock:
            self._cache[key] = verdict
        return verdict

    def inspect(self, pdf: bytes) -> Inspection:
        """Each signature checked on its own, with the reason it fails (cached by hash)."""
        key = "inspect:" + hashlib.sha256(pdf).hexdigest()
        with self._lock:
            hit = self._inspections.get(key)
        if hit is not None:
            return hit
        found = self._inspect(pdf)
        with self._lock:
            self._inspections[key] = found
        return found

    def _inspect(self, pdf: bytes) -> Inspection:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature

        if not pdf.startswith(b"%PDF-"):
            return Inspection(False, (), "tệp không phải tệp PDF")
        try:
            sigs = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
        except Exception as exc:
            return Inspection(True, (), f"không đọc được tệp PDF: {type(exc).__name__}")
        out = []
        for i, emb in enumerate(sigs, 1):
            try:
                cert = emb.signer_cert
                subject = cert.subject.native
                signer = str(subject.get("common_name") or subject.get("organization_name") or "")
                kind = _kind_of(subject)
                signed_at = emb.self_reported_timestamp
            except Exception:
                cert, signer, kind, signed_at = None, "", "", None
            name = emb.field_name or f"ChuKy{i}"
            if not self.available:
                reason = "hệ thống chưa cấu hình danh sách chứng thư tin cậy"
                out.append(SignatureInfo(name, signer, kind, signed_at, False, reason))
                continue
            try:
                status = validate_pdf_signature(emb, signer_validation_context=self._context())
            except Exception as exc:
                reason = f"không kiểm tra được chữ ký: {type(exc).__name__}"
                out.append(SignatureInfo(name, signer, kind, signed_at, False, reason))
                continue
            problem = _problem(status)
            if problem == UNTRUSTED and cert is not None and _expired(cert, signed_at):
                problem = EXPIRED
            out.append(SignatureInfo(name, signer, kind, signed_at, problem is None, problem or ""))
        return Inspection(True, tuple(out))

    def _context(self) -> object:
        """A validation context over the local trust list and CRLs (no fetching, revocation hard-fail)."""
        from asn1crypto import crl as asn1_crl
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509
        from pyhanko_certvalidator import ValidationContext

        assert self.pki_dir is not None

        def cert(path: Path) -> asn1_x509.Certificate:
            raw = path.read_bytes()
            return asn1_x509.Certificate.load(pem.unarmor(raw)[2] if pem.detect(raw) else raw)

        return ValidationContext(
            trust_roots=[cert(self.pki_dir / "root-ca.cert.pem")],
            other_certs=[cert(self.pki_dir / "issuing-ca.cert.pem")],
            crls=[
                asn1_crl.CertificateList.load((self.pki_dir / n).read_bytes())
                for n in ("root-ca.crl", "issuing-ca.crl")
            ],
            allow_fetching=False,
            revocation_mode="hard-fail",
        )

    def _verify(self, pdf: bytes) -> Verdict:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature

        if not pdf.startswith(b"%PDF-"):
            return Verdict(False, False, "văn bản chính không phải tệp PDF")
        try:
            sigs = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
        except Exception as exc:
            return Verdict(False, False, f"không đọc được tệp PDF: {type(exc).__name__}")
        if not sigs:
            return Verdict(False, False, "văn bản chính chưa được ký số", 0)
        if not self.available:
            return Verdict(True, False, "hệ thống chưa cấu hình danh sách chứng thư tin cậy", len(sigs))
        for i, emb in enumerate(sigs, 1):
            try:
                status = validate_pdf_signature(emb, signer_validation_context=self._context())
            except Exception as exc:
                return Verdict(
                    True, False, f"chữ ký số thứ {i} không kiểm tra được: {type(exc).__name__}", len(sigs)
                )
            problem = _problem(status)
            if problem is not None:  # the first failing signature, as told to the sender (status 02)
                return Verdict(True, False, _SENDER_REASON[problem].format(i=i), len(sigs))
        return Verdict(True, True, "", len(sigs))


def _problem(status: object) -> str | None:
    """Why a validated signature does not hold, in the words a person reads; None when it holds."""
    st: object = status
    if not (getattr(st, "intact", False) and getattr(st, "valid", False)):
        return MODIFIED
    level = getattr(st, "modification_level", None)
    if (level is not None and level.name not in _ALLOWED_LEVELS) or getattr(st, "docmdp_ok", None) is False:
        return CHANGED
    if getattr(st, "revoked", False):
        return REVOKED
    if not getattr(st, "trusted", False):
        return UNTRUSTED
    return None


def _expired(cert: object, signed_at: dt.datetime | None) -> bool:
    """The certificate had run out at the time of signing (or, with no time recorded, by now)."""
    not_after = getattr(cert, "not_valid_after", None)
    if not isinstance(not_after, dt.datetime):
        return False
    when = signed_at or dt.datetime.now(dt.UTC)
    return not_after < when


def _kind_of(subject: dict[str, object]) -> str:
    """Personal or organisation signature, from the certificate's subject (UID prefix, else CN = O)."""
    uid = str(subject.get("user_id") or "").upper()
    if uid.startswith(_ORGANISATION_UIDS):
        return ORGANISATION
    if uid.startswith(_PERSONAL_UIDS):
        return PERSONAL
    cn, org = subject.get("common_name"), subject.get("organization_name")
    if cn and org:
        return ORGANISATION if cn == org else PERSONAL
    return ""


def _kept_key_signer() -> type:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner re-parses (and re-validates) the RSA key for every signature, which
        costs ~0.1 s; RSA PKCS#1 v1.5 signatures here use a key parsed once."""

        _pyca: RSAPrivateKey | None = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            if self._pyca is None:
                key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
                assert isinstance(key, RSAPrivateKey)
                self._pyca = key
            algo = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[
                digest_algorithm.lower()
            ]
            return self._pyca.sign(data, PKCS1v15(), algo)

    return KeptKeySigner


_SIGNER_CLASS: list[type] = []


def _cached_signer_class() -> type:
    """The subclass is built on first use, so importing this module does not import pyHanko."""
    if not _SIGNER_CLASS:
        _SIGNER_CLASS.append(_kept_key_signer())
    return _SIGNER_CLASS[0]
