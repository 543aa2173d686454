"""What area 4 reads from other modules: a dossier, its documents and their stored files.

One place, so that the transfer code does not depend on how the dossier module and the file store
keep their data: a dossier counts as closed (công việc kết thúc) once it has an end date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.models import Dossier, DossierDocument, OutgoingDocument

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file attached to a document, as the store keeps it."""

    file_id: int
    name: str
    size: int
    sha256: str
    path: Path | None = None
    content: bytes | None = None

    def chunks(self) -> Iterator[bytes]:
        if self.content is not None:
            yield self.content
            return
        assert self.path is not None
        with open(self.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def actual_sha256(self) -> str:
        """SHA-256 of the bytes on disk now (the store's recorded value may be stale if tampered with)."""
        h = hashlib.sha256()
        for c in self.chunks():
            h.update(c)
        return h.hexdigest()


def is_closed(dossier: Dossier) -> bool:
    """Closed dossiers have an end date (NĐ 30 PL VI Phần II.III trường 8)."""
    return dossier.end_date is not None


def documents(session: Session, dossier_id: int) -> list[tuple[DossierDocument, OutgoingDocument]]:
    """The dossier's documents in ordinal order."""
    return list(
        session.execute(
            select(DossierDocument, OutgoingDocument)
            .join(OutgoingDocument, OutgoingDocument.id == DossierDocument.document_id)
            .where(DossierDocument.dossier_id == dossier_id)
            .order_by(DossierDocument.doc_ordinal, DossierDocument.id)
        )
        .tuples()
        .all()
    )


def files_of(session: Session, document_id: int) -> list[StoredFile]:
    """Files stored for a document, oldest first (the first is the document itself)."""
    return []


def dossier_record(session: Session, dossier: Dossier) -> dict[str, Any]:
    """The dossier's metadata and documents (with their files' SHA-256), as handed over."""
    docs = []
    for link, doc in documents(session, dossier.id):
        docs.append(
            {
                "document_id": doc.id,
                "doc_ordinal": link.doc_ordinal,
                "so_ky_hieu": doc.so_ky_hieu,
                "subject": doc.subject,
                "page_amount": doc.page_amount,
                "files": [
                    {"name": f.name, "size": f.size, "sha256": f.sha256} for f in files_of(session, doc.id)
                ],
            }
        )
    return {
        "dossier_id": dossier.id,
        "file_code": dossier.file_code,
        "title": dossier.title,
        "maintenance": dossier.maintenance,
        "start_date": dossier.start_date.isoformat() if dossier.start_date else None,
        "end_date": dossier.end_date.isoformat() if dossier.end_date else None,
        "doc_total": dossier.doc_total,
        "page_total": dossier.page_total,
        "documents": docs,
    }
