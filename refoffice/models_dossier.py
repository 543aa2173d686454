"""Tables of area 2 beside the dossier itself: the yearly file plan and the dossier's history.

- ``FilePlan`` is a Danh mục hồ sơ (NĐ 30 Điều 28, Phụ lục V): one per year and scope (the agency or
  one of its units), drafted by the văn thư, approved (ban hành) by the head of the agency.
- ``FilePlanHeading`` holds the đề mục lớn (level 1, Roman numerals, with the abbreviation used in
  số và ký hiệu hồ sơ) and đề mục nhỏ (level 2, Arabic numerals within their đề mục lớn).
- ``FilePlanEntry`` is one planned dossier: số và ký hiệu, tiêu đề, thời hạn bảo quản, người lập.
- ``DossierEvent`` is the dossier's history: who changed what, when, from which value to which
  (Đ.29.4.b review at closure, Đ.31.3.đ hand-over), never edited.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class FilePlan(Base):
    """Danh mục hồ sơ of one year for one scope (the whole agency or a unit)."""

    __tablename__ = "file_plans"
    __table_args__ = (UniqueConstraint("year", "scope", name="uq_file_plan_year_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[str] = mapped_column(String(35))
    year: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(200))
    # "lien_tuc": one series across the whole plan; "theo_de_muc": restarts at 01 in each đề mục lớn
    numbering: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # "du_thao" | "ban_hanh"
    description: Mapped[str | None] = mapped_column(Text)
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class FilePlanHeading(Base):
    """A đề mục lớn (parent_id null) or đề mục nhỏ of a file plan; ``position`` counts from 1."""

    __tablename__ = "file_plan_headings"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("file_plans.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("file_plan_headings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str | None] = mapped_column(String(20))


class FilePlanEntry(Base):
    """One planned dossier of a file plan, in the order it was added (general to specific)."""

    __tablename__ = "file_plan_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("file_plans.id", ondelete="CASCADE"), index=True)
    heading_id: Mapped[int] = mapped_column(ForeignKey("file_plan_headings.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    file_notation: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    maintenance: Mapped[str] = mapped_column(String(30))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    creator: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)


class DossierEvent(Base):
    """One line of a dossier's history; appended, never changed."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    at: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # mo_ho_so, cap_nhat, dua_van_ban_vao, rut_van_ban, ket_thuc, ban_giao
    action: Mapped[str] = mapped_column(String(30))
    field: Mapped[str | None] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
