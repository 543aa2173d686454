"""Tables of the exchange: văn bản đến, what the connector did with each axis package, what was sent.

Kept apart from ``models.py`` so the exchange grows without touching the shared tables; they are
registered on the same ``Base`` and created with the others.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class IncomingDocument(Base):
    """Văn bản đến (NĐ 30 PL VI Phần II.II) registered from an axis package, with its history."""

    __tablename__ = "incoming_documents"
    __table_args__ = (UniqueConstraint("arrival_year", "arrival_number", name="uq_arrival_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrival_year: Mapped[int] = mapped_column(Integer)
    arrival_number: Mapped[int] = mapped_column(Integer)  # số đến, from 1 each year (Điều 22.2)
    arrival_date: Mapped[str] = mapped_column(String(32))  # ISO 8601 +07:00
    document_id: Mapped[str] = mapped_column(String(200), index=True)  # mã định danh văn bản
    from_organ_id: Mapped[str] = mapped_column(String(35))
    from_organ_name: Mapped[str] = mapped_column(String(200))
    code_number: Mapped[str] = mapped_column(String(11))
    code_notation: Mapped[str] = mapped_column(String(30))
    so_ky_hieu: Mapped[str] = mapped_column(String(50))
    type_name: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    promulgation_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    paper_expected: Mapped[bool] = mapped_column(Boolean, default=False)
    page_amount: Mapped[int | None] = mapped_column(Integer)
    signer: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # da_vao_so, da_phan_cong, dang_xu_ly, hoan_thanh, …
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    signatures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    replaces_id: Mapped[int | None] = mapped_column(Integer)
    replaced_by_id: Mapped[int | None] = mapped_column(Integer)
    axis_delivery_id: Mapped[str] = mapped_column(String(64))
    package_sha256: Mapped[str] = mapped_column(String(64))
    package: Mapped[bytes] = mapped_column(LargeBinary)


class AxisDelivery(Base):
    """One axis package the connector handled, so a re-listed package is never registered twice."""

    __tablename__ = "axis_deliveries"

    delivery_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    messagetype: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(20))  # registered, rejected, duplicate, failed, status, …
    reason: Mapped[str | None] = mapped_column(Text)
    incoming_id: Mapped[int | None] = mapped_column(Integer)
    handled_at: Mapped[str] = mapped_column(String(32))


class SentPackage(Base):
    """A package the connector put on the axis for an outgoing document, with per-recipient statuses."""

    __tablename__ = "sent_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("outgoing_documents.id", ondelete="CASCADE"))
    business: Mapped[int] = mapped_column(Integer)  # BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace
    document_id: Mapped[str] = mapped_column(String(200), index=True)
    axis_doc_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20))  # da_gui, loi
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sent_at: Mapped[str] = mapped_column(String(32))
    package_sha256: Mapped[str] = mapped_column(String(64))
    package: Mapped[bytes] = mapped_column(LargeBinary)  # the original as sent (NĐ 30 Điều 19.2)


# what /__control__/reset wipes; AxisDelivery stays: the connector still knows which axis packages it has
# handled, so packages listed again after a reset are acknowledged, not registered anew
TABLES = (IncomingDocument, SentPackage)
