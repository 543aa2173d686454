"""The objects the archive area guards, named the same way everywhere: "document" (văn bản đi)
and "dossier" (hồ sơ), with their plural path segments and owners."""

from __future__ import annotations

from sqlalchemy.orm import Session

from refoffice.errors import ApiError
from refoffice.models import Dossier, OutgoingDocument

SEGMENTS = {"documents": "document", "dossiers": "dossier"}
LABELS = {"document": "văn bản", "dossier": "hồ sơ"}


def object_type(segment: str) -> str:
    """The object type of a path segment ("documents" → "document"); 404 for anything else."""
    kind = SEGMENTS.get(segment)
    if kind is None:
        raise ApiError(404, "Không có loại đối tượng này")
    return kind


def owner_of(session: Session, kind: str, object_id: int) -> int | None:
    """The user who owns the object (registered the document, opened the dossier); None if absent."""
    if kind == "document":
        doc = session.get(OutgoingDocument, object_id)
        return doc.created_by if doc is not None else None
    if kind == "dossier":
        dossier = session.get(Dossier, object_id)
        return dossier.owner if dossier is not None else None
    return None


def exists(session: Session, kind: str, object_id: int) -> bool:
    """Whether the object is there at all."""
    return owner_of(session, kind, object_id) is not None
