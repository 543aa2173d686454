"""Stored files (tệp đính kèm) of documents: the content and the facts that prove it unchanged."""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class StoredFile(Base):
    """One file of a document. The SHA-256 is computed once, on arrival, and never rewritten.

    ``document_kind`` says which register the document is in (``outgoing`` today; other kinds as
    the system grows), so one table serves every kind of document without copying content.
    """

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_kind: Mapped[str] = mapped_column(String(20), index=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    description: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(Integer)
