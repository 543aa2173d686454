"""What area 4 reads from other modules: a dossier, its documents and their stored files.

One place, so that the transfer code does not depend on how the dossier module and the file store
keep their data: a dossier counts as closed (công việc kết thúc) once its creator closed it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.models import Dossier, DossierDocument, OutgoingDocument

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileRef:
    """A file attached to a document, as area 4 reads it from the file store."""

    file_id: int
    name: str
    size: int
    sha256: str  # recorded on arrival
    content: bytes

    def chunks(self) -> Iterator[bytes]:
        view = memoryview(self.content)
        for i in range(0, len(view), CHUNK):
            yield bytes(view[i : i + CHUNK])


def is_closed(dossier: Dossier) -> bool:
    """Whether the work has ended and the dossier was closed (kết thúc hồ sơ, NĐ 30 Điều 29.3)."""
    return dossier.status == "closed" and dossier.end_date is not None


def documents(session: Session, dossier_id: int) -> list[tuple[DossierDocument, OutgoingDocument]]:
    """The dossier's documents in ordinal order."""
    return list(
        session.execute(
            select(DossierDocument, OutgoingDocument)
            .join(OutgoingDocument, OutgoingDocument.id == DossierDocument.document_id)
            .where(DossierDocument.dossier_id == dossier_id)
            .order_by(DossierDocument.doc_ordinal, DossierDocument.id)
        ).all()
    )


def files_of(session: Session, document_id: int) -> list[FileRef]:
    """Files stored for an outgoing document, oldest first (the first is the document itself)."""
    from refoffice.files import files_of as stored_files  # here: the file store calls area 4 back

    return [
        FileRef(f.id, f.name, f.size, f.sha256, f.content)
        for f in stored_files(session, "outgoing", document_id)
    ]


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
