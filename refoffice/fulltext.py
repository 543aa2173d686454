"""Text of stored files for full-text search (NĐ 30/2020 PL VI III.6.d: "nội dung văn bản").

Text is extracted with ``pdftotext`` (poppler-utils, installed by the set-up) rather than a Python
PDF library: poppler reads real-world PDFs well (CID fonts, ToUnicode maps, which Vietnamese text
depends on), and running it as a child process with a time limit keeps a hostile or broken PDF from
hanging or crashing the server. It also keeps the reference independent of whatever the harness
uses to build or read PDFs. Extracted text is cached by the file's SHA-256, so a file is read once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import unicodedata

from sqlalchemy.orm import Session

from refoffice.context import AppContext
from refoffice.models_archive import TextIndex
from refoffice.storage_view import contents_of

TIMEOUT_S = 20
MAX_TEXT = 2_000_000
log = logging.getLogger(__name__)


def extract_pdf_text(content: bytes) -> str:
    """The text of a PDF (NFC); empty when poppler is missing or the file cannot be read."""
    exe = shutil.which("pdftotext")
    if exe is None:
        log.warning("pdftotext (poppler-utils) is not installed: stored PDFs are not searchable")
        return ""
    try:
        done = subprocess.run(
            [exe, "-q", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ""
    if done.returncode != 0:
        return ""
    return unicodedata.normalize("NFC", done.stdout[:MAX_TEXT].decode("utf-8", "replace"))


def texts_of(session: Session, ctx: AppContext, document_id: int) -> list[str]:
    """The extracted text of each PDF stored for the (outgoing) document."""
    out = []
    for sha, media, content in contents_of(session, "outgoing", document_id):
        if media != "application/pdf":
            continue
        cached = session.get(TextIndex, sha)
        if cached is None:
            cached = TextIndex(sha256=sha, text=extract_pdf_text(content))
            session.add(cached)
            session.commit()
        out.append(cached.text)
    return out
