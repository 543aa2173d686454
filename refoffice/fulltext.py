"""Text of stored files for full-text search (NĐ 30/2020 PL VI III.6.d: "nội dung văn bản")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from refoffice.context import AppContext


def texts_of(session: Session, ctx: AppContext, document_id: int) -> list[str]:
    """The extracted text of each file stored for the document."""
    return []
