"""What the page of a stored PDF says about its digital signatures (NĐ 30 Điều 21.2.a–b).

A person who opens a file must see, for each signature, who signed, whether as a person or for the
agency, when, and whether it holds — and why not. The verdict is the reference's own: pyHanko
against the trust list and CRLs of ``Config.pki_dir`` (``refoffice.pdf_signatures``), the same
verifier that decides whether an incoming document is accepted, so the page cannot say "valid" of
bytes the exchange would return. The fault ``signature_shown_valid`` changes only what is shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from refoffice.context import AppContext
from refoffice.models_files import StoredFile
from refoffice.pdf_signatures import VN, Inspection, PdfSignatures

VALID = "Hợp lệ"
INVALID = "Không hợp lệ"
UNSIGNED = "Không có chữ ký số"
UNKNOWN_KIND = "Không xác định"


@dataclass(frozen=True)
class SignatureRow:
    signer: str
    kind: str
    signed_at: str  # dd/mm/yyyy HH:MM:SS, Vietnam time
    signed_at_iso: str
    status: str
    valid: bool
    reason: str


@dataclass(frozen=True)
class SignaturePanel:
    """The "Chữ ký số" section of a file's page: the overall result and one row per signature."""

    status: str
    valid: bool
    reason: str
    rows: tuple[SignatureRow, ...]


@functools.cache
def _verifier(pki_dir: Path | None) -> PdfSignatures:
    """One verifier per trust list, kept for the process: its cache spares re-checking the same bytes."""
    return PdfSignatures(pki_dir)


def is_pdf(f: StoredFile) -> bool:
    """A file to check: declared a PDF, named one, or starting as one (the bytes decide, not the name)."""
    return (
        f.media_type.split(";")[0].strip().lower() == "application/pdf"
        or f.name.lower().endswith(".pdf")
        or bytes(f.content[:5]) == b"%PDF-"
    )


def panel(ctx: AppContext, f: StoredFile) -> SignaturePanel | None:
    """The signature section of the file's page; None for a file that is not a PDF."""
    if not is_pdf(f):
        return None
    found = _verifier(ctx.config.pki_dir).inspect(bytes(f.content))
    return _shown(found, ctx.faults.on("signature_shown_valid"))


def _shown(found: Inspection, fault: bool) -> SignaturePanel:
    rows = tuple(
        SignatureRow(
            signer=s.signer or "Không đọc được tên người ký",
            kind=s.kind or UNKNOWN_KIND,
            signed_at=s.signed_at.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S") if s.signed_at else "",
            signed_at_iso=s.signed_at.isoformat() if s.signed_at else "",
            status=VALID if (s.valid or fault) else INVALID,
            valid=s.valid or fault,
            reason="" if (s.valid or fault) else s.reason,
        )
        for s in found.signatures
    )
    if not rows:
        if found.reason:  # a "PDF" that cannot be read, or no trust list: nothing can be vouched for
            return SignaturePanel(INVALID, False, found.reason, ())
        return SignaturePanel(UNSIGNED, False, "", ())
    if found.valid or fault:  # the fault: whatever the verification said, the page says valid
        return SignaturePanel(VALID, True, "", rows)
    first = next(r for r in rows if not r.valid)
    n = rows.index(first) + 1
    return SignaturePanel(INVALID, False, f"chữ ký số thứ {n} ({first.signer}): {first.reason}", rows)
