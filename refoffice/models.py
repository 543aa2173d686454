"""Tables: users and their tokens, outgoing documents (văn bản đi), dossiers (hồ sơ)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class User(Base):
    """A seeded account; one per role of the contract."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))


class AuthToken(Base):
    """A bearer token; only its SHA-256 is stored, so a DB dump does not leak sessions."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Real (wall-clock) epoch seconds: moving the test clock must not expire sessions.
    expires_at: Mapped[float] = mapped_column(Float)


class OutgoingDocument(Base):
    """Văn bản đi with the 16 NĐ 30 PL VI Phần II.I fields plus what the system fills in."""

    __tablename__ = "outgoing_documents"
    __table_args__ = (UniqueConstraint("series", "number_year", "number_seq", name="uq_outgoing_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(50))
    number_year: Mapped[int] = mapped_column(Integer)
    number_seq: Mapped[int] = mapped_column(Integer)  # internal counter, always assigned
    code_number: Mapped[str | None] = mapped_column(String(11))
    code_notation: Mapped[str] = mapped_column(String(30))
    so_ky_hieu: Mapped[str | None] = mapped_column(String(50))
    type_name: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    organ_id: Mapped[str | None] = mapped_column(String(35))
    organ_name: Mapped[str] = mapped_column(String(200))
    file_catalog: Mapped[int] = mapped_column(Integer)
    issued_date: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(30))
    page_amount: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    signer_position: Mapped[str | None] = mapped_column(String(100))
    signer_full_name: Mapped[str | None] = mapped_column(String(50))
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    issued_amount: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    doc_code: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[str] = mapped_column(String(32))  # ISO 8601 +07:00, kept verbatim
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Dossier(Base):
    """Hồ sơ with the 11 NĐ 30 PL VI Phần II.III fields."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a unique index: uniqueness is a rule the `file_code_not_unique` fault must be able to break.
    file_code: Mapped[str] = mapped_column(String(100), index=True)
    organ_id: Mapped[str] = mapped_column(String(35))
    file_catalog: Mapped[int] = mapped_column(Integer)
    file_notation: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    maintenance: Mapped[str] = mapped_column(String(30))
    rights: Mapped[str | None] = mapped_column(String(30))
    creator: Mapped[str] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    doc_total: Mapped[int] = mapped_column(Integer, default=0)
    page_total: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    # "open" while documents are filed in it; "closed" once the work is done (NĐ 30 Điều 29.3)
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_at: Mapped[str | None] = mapped_column(String(32))
    # The Danh mục hồ sơ entry it was opened from (Đ.29.2.a–b); null for an ad-hoc dossier (Đ.29.2.c)
    plan_entry_id: Mapped[int | None] = mapped_column(ForeignKey("file_plan_entries.id"), index=True)


class DossierDocument(Base):
    """A document filed in a dossier; the document itself is never copied (DS-016)."""

    __tablename__ = "dossier_documents"
    __table_args__ = (UniqueConstraint("dossier_id", "document_id", name="uq_dossier_document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("outgoing_documents.id", ondelete="CASCADE"))
    doc_ordinal: Mapped[int] = mapped_column(Integer)
