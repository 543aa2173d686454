"""PDF signatures of QLVBĐH documents: offline verification and the NĐ 30 checks (SR-050…SR-057).

Why a sub-package: it needs pyHanko (and asn1crypto), which the rest of ``conformance.standards``
does not, so importing ``conformance.standards`` stays light; this package still imports nothing
from the harness. Modules: ``verify`` (``verify_pdf`` and the ``check_*`` judges), ``signer``
(personal vs organisation certificates), ``appearance`` (text of a signature widget).
Never fetches anything: trust roots and CRLs are always passed in.
"""

from .signer import SignerIdentity, identify_signer
from .verify import (
    PdfSignatureReport,
    SignatureReport,
    check_appearance_time,
    check_appearances,
    check_order,
    check_report,
    check_signatures,
    load_certificates,
    load_crls,
    verify_pdf,
)

__all__ = [
    "PdfSignatureReport",
    "SignatureReport",
    "SignerIdentity",
    "check_appearance_time",
    "check_appearances",
    "check_order",
    "check_report",
    "check_signatures",
    "identify_signer",
    "load_certificates",
    "load_crls",
    "verify_pdf",
]
