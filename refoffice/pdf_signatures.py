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

    def _verify(self, pdf: bytes) -> Verdict:
        from asn1crypto import crl as asn1_crl
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

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
        assert self.pki_dir is not None

        def cert(path: Path) -> asn1_x509.Certificate:
            raw = path.read_bytes()
            return asn1_x509.Certificate.load(pem.unarmor(raw)[2] if pem.detect(raw) else raw)

        roots = [cert(self.pki_dir / "root-ca.cert.pem")]
        others = [cert(self.pki_dir / "issuing-ca.cert.pem")]
        crls = [
            asn1_crl.CertificateList.load((self.pki_dir / n).read_bytes())
            for n in ("root-ca.crl", "issuing-ca.crl")
        ]
        for i, emb in enumerate(sigs, 1):
            vc = ValidationContext(
                trust_roots=roots,
                other_certs=others,
                crls=crls,
                allow_fetching=False,
                revocation_mode="hard-fail",
            )
            try:
                status = validate_pdf_signature(emb, signer_validation_context=vc)
            except Exception as exc:
                return Verdict(
                    True, False, f"chữ ký số thứ {i} không kiểm tra được: {type(exc).__name__}", len(sigs)
                )
            if not (status.intact and status.valid):
                return Verdict(
                    True, False, f"chữ ký số thứ {i} không toàn vẹn: văn bản bị sửa sau khi ký", len(sigs)
                )
            level = status.modification_level.name if status.modification_level is not None else None
            if (level is not None and level not in _ALLOWED_LEVELS) or status.docmdp_ok is False:
                return Verdict(True, False, f"văn bản bị thay đổi sau chữ ký số thứ {i}", len(sigs))
            if status.revoked:
                return Verdict(True, False, f"chứng thư số của chữ ký thứ {i} đã bị thu hồi", len(sigs))
            if not status.trusted:
                return Verdict(True, False, f"chứng thư số của chữ ký thứ {i} không được tin cậy", len(sigs))
        return Verdict(True, True, "", len(sigs))


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
