"""The archive area's view of stored files (``stored_files``, kept by `files.py`).

Backup, restore, integrity checks and full-text search read files only through here. A file's
SHA-256 is recorded on arrival; ``sha256_now`` is recomputed from the content actually held, so a
file that changed or vanished shows as a mismatch instead of being trusted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.models import Dossier, OutgoingDocument
from refoffice.models_files import StoredFile

# document_kind of a stored file → (archive object type, model holding the document)
KINDS: dict[str, tuple[str, Any]] = {
    "outgoing": ("document", OutgoingDocument),
    "dossier": ("dossier", Dossier),  # photos, recordings, films collected straight into a dossier (area 2)
}


def files(session: Session) -> list[dict[str, Any]]:
    """Every stored file with its recorded and recomputed SHA-256, in arrival order."""
    out = []
    for f in session.scalars(select(StoredFile).order_by(StoredFile.id)):
        content = f.content or b""
        out.append(
            {
                "file_id": f.id,
                "document_kind": f.document_kind,
                "document_id": f.document_id,
                "name": f.name,
                "media_type": f.media_type,
                "sha256": f.sha256,
                "sha256_now": hashlib.sha256(content).hexdigest(),
                "size": len(content),
            }
        )
    return out


def orphans(session: Session) -> list[dict[str, Any]]:
    """Files whose document does not exist."""
    lost = []
    for f in session.scalars(select(StoredFile).order_by(StoredFile.id)):
        kind = KINDS.get(f.document_kind)
        if kind is None or session.get(kind[1], f.document_id) is None:
            lost.append({"file_id": f.id, "name": f.name, "document_id": f.document_id, "sha256": f.sha256})
    return lost


def document_of(session: Session, file_id: int) -> tuple[str, int] | None:
    """(object type, id) of the document a stored file belongs to."""
    f = session.get(StoredFile, file_id)
    if f is None or f.document_kind not in KINDS:
        return None
    return KINDS[f.document_kind][0], f.document_id


def contents_of(session: Session, kind: str, document_id: int) -> list[tuple[str, str, bytes]]:
    """(sha256, media type, content) of each file of one document."""
    rows = session.execute(
        select(StoredFile.sha256, StoredFile.media_type, StoredFile.content)
        .where(StoredFile.document_kind == kind, StoredFile.document_id == document_id)
        .order_by(StoredFile.id)
    )
    return [(sha, media, content or b"") for sha, media, content in rows]
