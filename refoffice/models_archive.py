"""Tables of the archive area (lưu trữ điện tử): audit trail, access control, freezes, recalls,
saved searches, supplementary metadata, retention decisions and backups.

They live apart from `models.py` so the document and dossier tables of the other areas stay
untouched: objects are referred to as (object_type, object_id) with object_type "document"
(văn bản đi) or "dossier" (hồ sơ), without foreign keys, so that a destroyed dossier's audit
trail survives it (TT 05/2025 Đ.50).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refoffice.db import Base


class AuditEntry(Base):
    """One line of the append-only audit log (NĐ 30 PL VI III.5.a, III.6.l, III.7.d).

    Each entry carries the SHA-256 of its predecessor, so a row edited or removed behind the
    application's back breaks the chain (`audit.verify_chain`).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 +07:00, system clock (incl. test clock)
    actor: Mapped[str | None] = mapped_column(String(50), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(20))
    object_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))
    status: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AclObject(Base):
    """An object whose access is restricted: only its owner and approved grantees may read it."""

    __tablename__ = "acl_objects"
    __table_args__ = (UniqueConstraint("object_type", "object_id", name="uq_acl_object"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Mức độ tiếp cận (TT 05/2025, NĐ 113/2025): 01 Công khai, 02 Sử dụng có điều kiện, 03 Mật.
    access_level: Mapped[str | None] = mapped_column(String(2))


class AclGrant(Base):
    """Read permission of one user on one object, effective once approved (PL VI III.3.b–c)."""

    __tablename__ = "acl_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    valid_until: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD, inclusive
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class AclChange(Base):
    """A requested change of access rights, flagged until someone with authority confirms it."""

    __tablename__ = "acl_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # restrict | grant | revoke
    user_id: Mapped[int | None] = mapped_column(Integer)
    valid_until: Mapped[str | None] = mapped_column(String(10))
    requested_by: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # cho_duyet | da_duyet | tu_choi
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[str | None] = mapped_column(String(40))


class Freeze(Base):
    """An object locked against change, move and deletion (PL VI IV.1.g; III.8.a on recall)."""

    __tablename__ = "archive_freezes"
    __table_args__ = (UniqueConstraint("object_type", "object_id", name="uq_freeze_object"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(30))  # dong_bang | thu_hoi
    frozen_by: Mapped[int] = mapped_column(Integer)
    frozen_at: Mapped[str] = mapped_column(String(40))


class Recall(Base):
    """Metadata of a recall (thu hồi) of an outgoing document, kept for good (PL VI III.8.c)."""

    __tablename__ = "archive_recalls"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    so_ky_hieu: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(Text)
    recalled_by: Mapped[str] = mapped_column(String(50))
    recalled_at: Mapped[str] = mapped_column(String(40))


class SavedQuery(Base):
    """A search request saved by a user for reuse (PL VI III.6.e)."""

    __tablename__ = "saved_queries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(40))


class ExtraMetadata(Base):
    """A supplementary metadata element (PL VI III.7.c), bound for good to its object (III.7.đ)."""

    __tablename__ = "extra_metadata"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


class TextIndex(Base):
    """Text extracted from a stored file, keyed by the file's SHA-256 (full-text search)."""

    __tablename__ = "archive_text_index"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class DisposalApproval(Base):
    """The decision that allows an expired dossier to be destroyed (TT 05/2025 Đ.48–50)."""

    __tablename__ = "disposal_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(Integer, unique=True)
    approved_by: Mapped[str] = mapped_column(String(50))
    approved_at: Mapped[str] = mapped_column(String(40))
    destroyed_at: Mapped[str | None] = mapped_column(String(40))


class DestroyedDossier(Base):
    """What remains of a destroyed dossier: its code, title and who destroyed it when."""

    __tablename__ = "destroyed_dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(Integer, unique=True)
    file_code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    destroyed_by: Mapped[str] = mapped_column(String(50))
    destroyed_at: Mapped[str] = mapped_column(String(40))


class Backup(Base):
    """One backup run (sao lưu): its type, the copies on independent media, and its log data."""

    __tablename__ = "backups"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # day_du | gia_tang
    trigger: Mapped[str] = mapped_column(String(20))  # dot_xuat | dinh_ky
    for_date: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[str] = mapped_column(String(40))
    finished_at: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str | None] = mapped_column(String(50))
    result: Mapped[str] = mapped_column(String(20))
    records: Mapped[int] = mapped_column(Integer)
    files: Mapped[int] = mapped_column(Integer)
    copies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Restore(Base):
    """A restore of a backup into a clean instance, with its report (PL VI IV.1.e)."""

    __tablename__ = "restores"

    id: Mapped[int] = mapped_column(primary_key=True)
    backup_id: Mapped[int] = mapped_column(Integer)
    medium: Mapped[str] = mapped_column(String(50))
    directory: Mapped[str] = mapped_column(Text)
    restored_at: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str] = mapped_column(String(50))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
