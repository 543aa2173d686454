"""Tables of area 4, nộp lưu: submissions to the agency archive and transfers to the historical archive.

The dossier itself (table ``dossiers``) belongs to the dossier module; the transfer state lives here,
keyed by the dossier's id, so neither module has to change the other's table.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class TransferBatch(Base):
    """Một lần nộp lưu: dossiers an official hands over to the agency archive together (NĐ 30 Đ.30.3)."""

    __tablename__ = "transfer_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class TransferItem(Base):
    """One dossier of a submission and the archive's decision on it (accept, or return with a reason)."""

    __tablename__ = "transfer_items"
    __table_args__ = (UniqueConstraint("batch_id", "dossier_id", name="uq_transfer_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("transfer_batches.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))  # cho_tiep_nhan · da_tiep_nhan · tra_lai
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[str | None] = mapped_column(String(32))
    # The dossier as handed over (metadata and SHA-256 of each file), to prove nothing changed on receipt.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class DossierTransfer(Base):
    """What area 4 knows of a dossier: deadline inputs, retention, archival description, where it is."""

    __tablename__ = "dossier_transfer"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    # where the dossier is: None (with its owner) · luu_tru_co_quan · luu_tru_lich_su
    location: Mapped[str | None] = mapped_column(String(20))
    accepted_at: Mapped[str | None] = mapped_column(String(32))
    archived_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # hồ sơ xây dựng cơ bản: due 3 months after the project's final settlement (NĐ 30 Đ.30.2.a)
    xdcb_settlement: Mapped[date | None] = mapped_column(Date)
    # giữ lại (NĐ 30 Đ.31.3.d): written approval of the head, at most 2 years past the due date
    retained_until: Mapped[date | None] = mapped_column(Date)
    retain_approval: Mapped[str | None] = mapped_column(String(200))
    retain_reason: Mapped[str | None] = mapped_column(Text)
    # biên mục for TT 05/2025 packages (EAD confidenceLevel, paperFileCode, riskRecovery…)
    confidence_level: Mapped[str] = mapped_column(String(2), default="01")
    paper_file_code: Mapped[str | None] = mapped_column(String(100))
    number_of_paper: Mapped[int | None] = mapped_column(Integer)
    risk_recovery: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_recovery_status: Mapped[str | None] = mapped_column(String(2))
    physical_format: Mapped[str | None] = mapped_column(String(50))
    keyword: Mapped[str | None] = mapped_column(String(100))


class TransferListNotice(Base):
    """Danh mục hồ sơ nộp lưu published by the agency archive, and the notices it sent (PL VI III.5.b)."""

    __tablename__ = "transfer_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[int] = mapped_column(ForeignKey("users.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    due_date: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)


class HistoricalRegistration(Base):
    """Đăng ký nộp lưu with the historical archive (TT 06/2025 Đ.3; TT 05/2025 Đ.23.1.a), with the fonds."""

    __tablename__ = "historical_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a unique index: uniqueness is the rule the `registration_code_reused` fault must be able to break.
    code: Mapped[str] = mapped_column(String(40), index=True)
    archive_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # da_dang_ky · da_nop
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    fonds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class RegistrationItem(Base):
    """A dossier of a registration and the package (STT gói, OBJID) it travels in."""

    __tablename__ = "registration_items"
    __table_args__ = (UniqueConstraint("registration_id", "dossier_id", name="uq_registration_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("historical_registrations.id", ondelete="CASCADE")
    )
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    objid: Mapped[str | None] = mapped_column(String(60))


class PackagedDocument(Base):
    """A document already carried by a package: a later package of another dossier links it (holey file)."""

    __tablename__ = "packaged_documents"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("outgoing_documents.id", ondelete="CASCADE"), primary_key=True
    )
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    objid: Mapped[str] = mapped_column(String(60))
