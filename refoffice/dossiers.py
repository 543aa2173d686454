"""Hồ sơ: opening, filing documents, updating, closing, listing and handing over dossiers.

NĐ 30 Điều 29 (mở hồ sơ theo Danh mục hoặc ngoài Danh mục; thu thập văn bản; kết thúc hồ sơ),
Điều 31.3.đ (bàn giao hồ sơ khi thay đổi nhân sự), Phụ lục VI Phần II.III (the 11 dossier fields)
and Phần III.4 (mã hồ sơ, số thứ tự văn bản, one document in several dossiers without copying it).
Every change to a dossier is written to its history (who, when, field, old and new value).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice import dossier_rules as rules
from refoffice.auth import CHUYEN_VIEN, LANH_DAO, LUU_TRU_VIEN, QUAN_TRI, VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.documents import parse_year
from refoffice.errors import FORBIDDEN, ApiError, field_error
from refoffice.file_plans import ISSUED, entry_for_opening
from refoffice.models import Dossier, DossierDocument, OutgoingDocument, User
from refoffice.models_dossier import DossierEvent, FilePlan, FilePlanEntry
from refoffice.validation import Checker, json_body, parse_id, require_object

# Re-exported for older imports; the rules live in dossier_rules.
FILE_NOTATION_RE = rules.FILE_NOTATION_RE
MAINTENANCE_RE = rules.MAINTENANCE_RE
DOC_ORDINAL_MAX = rules.DOC_ORDINAL_MAX
PAGE_TOTAL_MAX = rules.TOTAL_MAX

OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
# Every person who handles work keeps dossiers of it (Đ.31.3.b); the technical admin does not.
HANDLERS = (CHUYEN_VIEN, VAN_THU, LANH_DAO, LUU_TRU_VIEN)
EDITABLE = ("title", "file_notation", "maintenance", "rights", "language", "description")

router = APIRouter()


# -- reading -------------------------------------------------------------------------------------------


def _filed(session: Session, dossier: Dossier) -> list[tuple[DossierDocument, OutgoingDocument]]:
    rows = session.execute(
        select(DossierDocument, OutgoingDocument)
        .join(OutgoingDocument, OutgoingDocument.id == DossierDocument.document_id)
        .where(DossierDocument.dossier_id == dossier.id)
        .order_by(DossierDocument.doc_ordinal, DossierDocument.id)
    ).all()
    return [(link, doc) for link, doc in rows]


def chronological(rows: list[tuple[DossierDocument, OutgoingDocument]]) -> list[tuple[DossierDocument, Any]]:
    """Documents in the order they came into being: date, then registration order (Đ.29.1.b)."""
    return sorted(rows, key=lambda r: (r[1].issued_date, r[1].created_at, r[1].id))


def _plan_link(session: Session, dossier: Dossier) -> dict[str, Any] | None:
    if dossier.plan_entry_id is None:
        return None
    entry = session.get(FilePlanEntry, dossier.plan_entry_id)
    if entry is None:
        return None
    plan = session.get(FilePlan, entry.plan_id)
    assert plan is not None
    return {
        "id": entry.id,
        "plan_id": plan.id,
        "year": plan.year,
        "file_notation": entry.file_notation,
        "title": entry.title,
        "maintenance": entry.maintenance,
        "creator": entry.creator,
    }


def dossier_json(ctx: AppContext, session: Session, dossier: Dossier) -> dict[str, Any]:
    """The public record: the 11 PL VI Phần II.III fields, status, owner, plan link and documents."""
    rows = _filed(session, dossier)
    item_code = None if ctx.faults.on("dossier_view_documents_without_code") else dossier.file_code
    plan = None if ctx.faults.on("dossier_plan_link_missing") else _plan_link(session, dossier)
    return {
        "id": dossier.id,
        "file_code": dossier.file_code,
        "organ_id": dossier.organ_id,
        "file_catalog": dossier.file_catalog,
        "file_notation": dossier.file_notation,
        "title": dossier.title,
        "maintenance": dossier.maintenance,
        "rights": dossier.rights,
        "creator": dossier.creator,
        "language": dossier.language,
        "start_date": dossier.start_date.isoformat() if dossier.start_date else None,
        "end_date": dossier.end_date.isoformat() if dossier.end_date else None,
        "doc_total": dossier.doc_total,
        "page_total": dossier.page_total,
        "description": dossier.description,
        "owner": dossier.owner,
        "status": dossier.status,
        "closed_at": dossier.closed_at,
        "created_at": dossier.created_at,
        "plan_entry_id": plan["id"] if plan else None,
        "plan_entry": plan,
        "regime": rules.limits_for(dossier.start_date, ctx.clock.today()).regime,
        "documents": [
            {
                "document_id": doc.id,
                "doc_ordinal": link.doc_ordinal,
                "file_code": item_code,
                "so_ky_hieu": doc.so_ky_hieu,
                "subject": doc.subject,
                "issued_date": doc.issued_date.isoformat(),
                "page_amount": doc.page_amount,
            }
            for link, doc in rows
        ],
    }


def load_dossier(session: Session, dossier_id: str | int) -> Dossier:
    key = parse_id(str(dossier_id))
    dossier = session.get(Dossier, key) if key is not None else None
    if dossier is None:
        raise ApiError(404, "Không tìm thấy hồ sơ")
    return dossier


_load = load_dossier  # the name other modules used before


def _event(
    session: Session,
    ctx: AppContext,
    dossier: Dossier,
    user: User,
    action: str,
    field: str | None = None,
    old: object = None,
    new: object = None,
) -> None:
    session.add(
        DossierEvent(
            dossier_id=dossier.id,
            at=iso(ctx.clock.now()),
            user_id=user.id,
            action=action,
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def _audited(ctx: AppContext) -> bool:
    return not ctx.faults.on("dossier_changes_not_audited")


# -- opening -------------------------------------------------------------------------------------------


def _maintenance(check: Checker, free_text: bool) -> str | None:
    value = check.text("maintenance", 30, required=True)
    if value is None or free_text:
        return value
    canonical = rules.canonical_maintenance(value)
    if canonical is None:
        check.error("maintenance", "Thời hạn bảo quản phải là “Vĩnh viễn” hoặc số năm cụ thể, ví dụ “20 năm”")
    return canonical


def _notation(check: Checker, required: bool) -> str | None:
    value = check.text("file_notation", 20, required=required)
    if value is not None and not rules.FILE_NOTATION_RE.fullmatch(value):
        check.error(
            "file_notation",
            "Số và ký hiệu hồ sơ gồm số thứ tự (ít nhất 2 chữ số, từ 01), dấu chấm "
            "và ký hiệu đề mục viết hoa, ví dụ 01.TCCB",
        )
        return None
    return value


def _title_max(ctx: AppContext, limits: rules.DossierLimits) -> int:
    return rules.UNCHECKED_MAX if ctx.faults.on("dossier_title_length_unchecked") else limits.title


def _description_max(ctx: AppContext, limits: rules.DossierLimits) -> int:
    return (
        rules.UNCHECKED_MAX if ctx.faults.on("dossier_description_length_unchecked") else limits.description
    )


def _file_code(ctx: AppContext, year: int, notation: str) -> str:
    if ctx.faults.on("file_code_not_unique"):
        return f"{ctx.config.organ_id}.{year}"
    return f"{ctx.config.organ_id}.{year}.{notation}"


def _ensure_unique(ctx: AppContext, session: Session, file_code: str, own_id: int | None = None) -> None:
    if ctx.faults.on("file_code_not_unique"):
        return
    clash = session.scalar(select(Dossier.id).where(Dossier.file_code == file_code))
    if clash is not None and clash != own_id:
        raise field_error(
            "file_notation",
            f"Mã hồ sơ {file_code} đã tồn tại; mỗi hồ sơ phải có mã duy nhất",
            status=409,
            detail="Mã hồ sơ đã tồn tại",
        )


def _from_plan(
    ctx: AppContext, session: Session, user: User, check: Checker, entry_id: int
) -> tuple[FilePlanEntry, dict[str, str]]:
    """Đ.29.2.a–b: the person the plan assigns opens the dossier; its first data come from the plan."""
    entry, plan = entry_for_opening(session, entry_id)
    if plan.status != ISSUED:
        raise field_error("plan_entry_id", "Danh mục hồ sơ chưa được phê duyệt, ban hành", status=409)
    if entry.assignee_id != user.id and not ctx.faults.on("plan_entry_open_by_anyone"):
        raise ApiError(403, f"{FORBIDDEN}: hồ sơ này được giao cho người khác lập theo Danh mục hồ sơ")
    opened = session.scalar(select(Dossier.id).where(Dossier.plan_entry_id == entry.id))
    if opened is not None:
        raise field_error("plan_entry_id", f"Hồ sơ theo Danh mục này đã được mở (#{opened})", status=409)
    inherited = {
        "title": entry.title,
        "file_notation": entry.file_notation,
        "maintenance": entry.maintenance,
        "creator": entry.creator,
    }
    if ctx.faults.on("plan_entry_maintenance_not_inherited"):
        inherited["maintenance"] = ""
    for name, value in inherited.items():
        given = check.data.get(name)
        if check.present(name) and isinstance(given, str) and given.strip() != value:
            check.error(name, "Thông tin này lấy theo Danh mục hồ sơ; điều chỉnh tại Danh mục")
    return entry, inherited


@router.post("/api/dossiers", status_code=201)
def open_dossier(
    user: Annotated[User, Depends(require_role(*HANDLERS))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Open a dossier from a Danh mục entry (``plan_entry_id``) or ad hoc with the five items of Đ.29.2.c."""
    faults = ctx.faults
    if user.role == LUU_TRU_VIEN and faults.on("dossier_open_denied_to_luu_tru_vien"):
        raise ApiError(403, FORBIDDEN)
    check = Checker(require_object(payload))
    start_date = check.date("start_date", required=not faults.on("dossier_start_date_optional"))
    limits = rules.limits_for(start_date, ctx.clock.today())
    entry: FilePlanEntry | None = None
    entry_id = check.integer("plan_entry_id", 1, 2**62)
    if entry_id is not None:
        with ctx.write_lock:
            entry, inherited = _from_plan(ctx, session, user, check, entry_id)
        title, file_notation = inherited["title"], inherited["file_notation"]
        maintenance, creator = inherited["maintenance"] or None, inherited["creator"]
        if start_date is not None and start_date.year != session.get(FilePlan, entry.plan_id).year:
            check.error("start_date", "Thời gian bắt đầu phải thuộc năm của Danh mục hồ sơ")
    else:
        title = check.text("title", _title_max(ctx, limits), required=True)
        file_notation = _notation(check, required=True)
        maintenance = _maintenance(check, free_text=faults.on("maintenance_free_text"))
        creator_max = rules.UNCHECKED_MAX if faults.on("creator_length_unchecked") else 30
        creator = check.text("creator", creator_max, required=True)
    rights = check.text("rights", limits.rights)
    language = check.text("language", limits.language, default="Tiếng Việt")
    description = check.text("description", _description_max(ctx, limits))
    check.raise_if_errors()
    assert title and file_notation and creator

    with ctx.write_lock:
        now = ctx.clock.now()
        year = start_date.year if start_date else now.year
        file_code = _file_code(ctx, year, file_notation)
        _ensure_unique(ctx, session, file_code)
        if entry is not None:
            opened = session.scalar(select(Dossier.id).where(Dossier.plan_entry_id == entry.id))
            if opened is not None:
                raise field_error("plan_entry_id", f"Hồ sơ theo Danh mục này đã được mở (#{opened})", 409)
        dossier = Dossier(
            file_code=file_code,
            organ_id=ctx.config.organ_id,
            file_catalog=year,
            file_notation=file_notation,
            title=title,
            maintenance=maintenance or "",
            rights=rights,
            creator=creator,
            language=language,
            start_date=start_date,
            end_date=None,
            doc_total=0,
            page_total=0,
            description=description,
            owner=user.id,
            created_at=iso(now),
            status=OPEN,
            plan_entry_id=entry.id if entry else None,
        )
        session.add(dossier)
        session.flush()
        _event(session, ctx, dossier, user, "mo_ho_so", new=file_code)
        session.commit()
    body = dossier_json(ctx, session, dossier)
    if entry is not None and faults.on("plan_entry_maintenance_not_inherited"):
        body["maintenance"] = None
    return JSONResponse(body, status_code=201)


# -- reading and listing ---------------------------------------------------------------------------------


@router.get("/api/dossiers")
def list_dossiers(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    owner: Annotated[str | None, Query()] = None,
    year: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Dossiers, oldest first. ``owner=me`` (or a user id) keeps one account's dossiers (PL VI
    III.4.đ); ``year`` the năm hình thành; ``status`` open or closed."""
    query = select(Dossier).order_by(Dossier.id)
    if owner not in (None, ""):
        owner_id = user.id if owner == "me" else parse_id(owner)
        if owner_id is None:
            raise field_error("owner", "Dùng owner=me hoặc mã số tài khoản")
        if not ctx.faults.on("dossier_list_ignores_owner"):
            query = query.where(Dossier.owner == owner_id)
    wanted = parse_year(year)
    if wanted is not None:
        query = query.where(Dossier.file_catalog == wanted)
    if status not in (None, ""):
        if status not in STATUSES:
            raise field_error("status", "Trạng thái là open hoặc closed")
        query = query.where(Dossier.status == status)
    items = [dossier_json(ctx, session, d) for d in session.scalars(query)]
    return {"items": items, "count": len(items)}


@router.get("/api/dossiers/{dossier_id}")
def get_dossier(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One dossier with its documents."""
    return dossier_json(ctx, session, load_dossier(session, dossier_id))


@router.get("/api/dossiers/{dossier_id}/history")
def dossier_history(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The dossier's history, oldest first."""
    dossier = load_dossier(session, dossier_id)
    rows = session.scalars(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.id)
    )
    users = {u.id: u for u in session.scalars(select(User))}
    items = [
        {
            "at": e.at,
            "user_id": e.user_id,
            "username": users[e.user_id].username if e.user_id in users else None,
            "action": e.action,
            "field": e.field,
            "old": e.old_value,
            "new": e.new_value,
        }
        for e in rows
    ]
    return {"items": items, "count": len(items)}


# -- filing documents -----------------------------------------------------------------------------------


def _owned_open(ctx: AppContext, dossier: Dossier, user: User, what: str) -> None:
    if dossier.owner != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người lập hồ sơ được {what}")
    if dossier.status == CLOSED and not (
        what == "đưa văn bản vào hồ sơ" and ctx.faults.on("closed_dossier_accepts_documents")
    ):
        raise ApiError(409, "Hồ sơ đã kết thúc; không thể thay đổi")


@router.post("/api/dossiers/{dossier_id}/documents", status_code=201)
def attach_document(
    dossier_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """File a document in the owner's open dossier; ordinal and totals are the system's job."""
    faults = ctx.faults
    dossier = load_dossier(session, dossier_id)
    _owned_open(ctx, dossier, user, "đưa văn bản vào hồ sơ")
    check = Checker(require_object(payload))
    document_id = check.integer("document_id", 1, 2**62, required=True)
    check.raise_if_errors()
    doc = session.get(OutgoingDocument, document_id)
    if doc is None:
        raise field_error("document_id", "Không tìm thấy văn bản", status=404, detail="Không tìm thấy")

    with ctx.write_lock:
        links = set(
            session.scalars(select(DossierDocument.dossier_id).where(DossierDocument.document_id == doc.id))
        )
        if dossier.id in links:
            raise field_error("document_id", "Văn bản đã có trong hồ sơ", status=409)
        if links and faults.on("document_in_one_dossier_only"):
            raise field_error("document_id", "Văn bản đã thuộc một hồ sơ khác", status=409)
        if faults.on("doc_ordinal_not_assigned"):
            ordinal = 1
        else:
            last = session.scalar(
                select(func.max(DossierDocument.doc_ordinal)).where(DossierDocument.dossier_id == dossier.id)
            )
            ordinal = (last or 0) + 1
            if ordinal > rules.DOC_ORDINAL_MAX:
                raise field_error(
                    "document_id", "Hồ sơ đã có 999 văn bản (số thứ tự tối đa 3 chữ số)", status=409
                )
        session.add(DossierDocument(dossier_id=dossier.id, document_id=doc.id, doc_ordinal=ordinal))
        if not faults.on("dossier_totals_not_updated"):
            if dossier.page_total + doc.page_amount > rules.TOTAL_MAX:
                raise field_error(
                    "document_id",
                    "Tổng số trang của hồ sơ vượt quá 9999 (PageTotal tối đa 4 chữ số)",
                    status=409,
                )
            dossier.doc_total += 1
            dossier.page_total += doc.page_amount
        _event(session, ctx, dossier, user, "dua_van_ban_vao", "documents", new=doc.id)
        session.commit()
    return JSONResponse({"document_id": doc.id, "doc_ordinal": ordinal}, status_code=201)


@router.delete("/api/dossiers/{dossier_id}/documents/{document_id}")
def remove_document(
    dossier_id: str,
    document_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Take a duplicate or a draft out of the dossier (Đ.29.4.b); later ordinals close the gap."""
    dossier = load_dossier(session, dossier_id)
    _owned_open(ctx, dossier, user, "rút văn bản khỏi hồ sơ")
    key = parse_id(document_id)
    with ctx.write_lock:
        link = session.scalar(
            select(DossierDocument).where(
                DossierDocument.dossier_id == dossier.id, DossierDocument.document_id == key
            )
        )
        if link is None:
            raise ApiError(404, "Văn bản không có trong hồ sơ")
        doc = session.get(OutgoingDocument, link.document_id)
        assert doc is not None
        session.delete(link)
        session.flush()
        remaining = session.scalars(
            select(DossierDocument)
            .where(DossierDocument.dossier_id == dossier.id)
            .order_by(DossierDocument.doc_ordinal, DossierDocument.id)
        )
        for n, other in enumerate(remaining, start=1):
            other.doc_ordinal = n
        dossier.doc_total = max(0, dossier.doc_total - 1)
        dossier.page_total = max(0, dossier.page_total - doc.page_amount)
        if _audited(ctx):
            _event(session, ctx, dossier, user, "rut_van_ban", "documents", old=doc.id)
        session.commit()
    return dossier_json(ctx, session, dossier)


# -- updating and closing ------------------------------------------------------------------------------


@router.patch("/api/dossiers/{dossier_id}")
def update_dossier(
    dossier_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Update the dossier's information while it is open (Đ.29.4.b–d); each change is recorded."""
    dossier = load_dossier(session, dossier_id)
    _owned_open(ctx, dossier, user, "cập nhật hồ sơ")
    data = require_object(payload)
    unknown = sorted(k for k in data if k not in EDITABLE)
    check = Checker(data)
    for name in unknown:
        check.error(name, "Trường này không sửa được (do Hệ thống quản lý hoặc không có trong hồ sơ)")
    limits = rules.limits_for(dossier.start_date, ctx.clock.today())
    new: dict[str, Any] = {}
    if "title" in data:
        new["title"] = check.text("title", _title_max(ctx, limits), required=True)
    if "file_notation" in data:
        new["file_notation"] = _notation(check, required=True)
    if "maintenance" in data:
        new["maintenance"] = _maintenance(check, free_text=ctx.faults.on("maintenance_free_text"))
    if "rights" in data:
        new["rights"] = check.text("rights", limits.rights)
    if "language" in data:
        new["language"] = check.text("language", limits.language, required=True)
    if "description" in data:
        new["description"] = check.text("description", _description_max(ctx, limits))
    if not data:
        check.error("body", "Không có thông tin nào để cập nhật")
    check.raise_if_errors()
    if ctx.faults.on("dossier_rights_not_updatable"):
        new.pop("rights", None)
    with ctx.write_lock:
        if "file_notation" in new and new["file_notation"] != dossier.file_notation:
            file_code = _file_code(ctx, dossier.file_catalog, new["file_notation"])
            _ensure_unique(ctx, session, file_code, dossier.id)
            if _audited(ctx):
                _event(session, ctx, dossier, user, "cap_nhat", "file_code", dossier.file_code, file_code)
            dossier.file_code = file_code
        for name, value in new.items():
            old = getattr(dossier, name)
            if old == value:
                continue
            if _audited(ctx):
                _event(session, ctx, dossier, user, "cap_nhat", name, old, value)
            setattr(dossier, name, value)
        session.commit()
    return dossier_json(ctx, session, dossier)


def missing_at_close(dossier: Dossier, documents: int) -> list[dict[str, str]]:
    """What is still missing before the dossier can be closed (Đ.29.4.d: cập nhật các thông tin còn
    thiếu): the fields of PL VI Phần II.III a person enters, except Ghi chú, and at least one document."""
    missing = []
    for name, label in (
        ("title", "Tiêu đề hồ sơ"),
        ("maintenance", "Thời hạn bảo quản"),
        ("rights", "Chế độ sử dụng"),
        ("creator", "Người lập hồ sơ"),
        ("language", "Ngôn ngữ"),
        ("start_date", "Thời gian bắt đầu"),
    ):
        if getattr(dossier, name) in (None, ""):
            missing.append({"field": name, "message": f"{label} còn thiếu"})
    if documents == 0:
        missing.append({"field": "documents", "message": "Hồ sơ chưa có văn bản, tài liệu nào"})
    return missing


def _document_count(session: Session, dossier: Dossier) -> int:
    return (
        session.scalar(select(func.count(DossierDocument.id)).where(DossierDocument.dossier_id == dossier.id))
        or 0
    )


@router.get("/api/dossiers/{dossier_id}/review")
def review_dossier(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Rà soát before closing: the information still missing, field by field (Đ.29.4.b, d)."""
    dossier = load_dossier(session, dossier_id)
    missing = (
        []
        if ctx.faults.on("close_skips_missing_field_check")
        else missing_at_close(dossier, _document_count(session, dossier))
    )
    return {"id": dossier.id, "ready": not missing, "missing": missing}


@router.post("/api/dossiers/{dossier_id}/close")
def close_dossier(
    dossier_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Kết thúc hồ sơ (Đ.29.4): it must hold documents; thời gian kết thúc defaults to its latest
    document and is never before thời gian bắt đầu. A closed dossier takes no more documents and
    no more changes. Missing metadata is listed by ``/review``; closing does not wait for it."""
    dossier = load_dossier(session, dossier_id)
    if dossier.owner != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người lập hồ sơ được kết thúc hồ sơ")
    if dossier.status == CLOSED:
        raise ApiError(409, "Hồ sơ đã kết thúc")
    check = Checker(require_object(payload))
    end_date: date | None = check.date("end_date")
    check.raise_if_errors()
    with ctx.write_lock:
        latest = session.scalar(
            select(func.max(OutgoingDocument.issued_date))
            .join(DossierDocument, DossierDocument.document_id == OutgoingDocument.id)
            .where(DossierDocument.dossier_id == dossier.id)
        )
        if latest is None and not ctx.faults.on("close_skips_missing_field_check"):
            raise field_error("documents", "Hồ sơ chưa có văn bản nào, chưa kết thúc được", status=409)
        end = end_date or latest or ctx.clock.today()
        if (
            dossier.start_date is not None
            and end < dossier.start_date
            and not ctx.faults.on("end_date_before_start_accepted")
        ):
            raise field_error("end_date", "Thời gian kết thúc không được trước thời gian bắt đầu")
        dossier.status = CLOSED
        dossier.end_date = end
        dossier.closed_at = iso(ctx.clock.now())
        _event(session, ctx, dossier, user, "ket_thuc", "end_date", None, end.isoformat())
        session.commit()
    return dossier_json(ctx, session, dossier)


# -- hand-over -------------------------------------------------------------------------------------------


@router.post("/api/dossiers/reassign")
def reassign(
    user: Annotated[User, Depends(require_role(QUAN_TRI))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Hand over every dossier of a leaving person to another (Đ.31.3.đ), open and closed alike."""
    check = Checker(require_object(payload))
    from_id = check.integer("from_user_id", 1, 2**62, required=True)
    to_id = check.integer("to_user_id", 1, 2**62, required=True)
    reason = check.text("reason", 500)
    check.raise_if_errors()
    source, target = session.get(User, from_id), session.get(User, to_id)
    if source is None:
        raise field_error("from_user_id", "Không có tài khoản này", status=404)
    if target is None:
        raise field_error("to_user_id", "Không có tài khoản này", status=404)
    if source.id == target.id:
        raise field_error("to_user_id", "Người nhận bàn giao phải khác người bàn giao")
    if target.role not in HANDLERS:
        raise field_error("to_user_id", "Người nhận bàn giao phải là người giải quyết công việc")
    with ctx.write_lock:
        query = select(Dossier).where(Dossier.owner == source.id).order_by(Dossier.id)
        if ctx.faults.on("reassign_skips_closed_dossiers"):
            query = query.where(Dossier.status == OPEN)
        moved = list(session.scalars(query))
        for dossier in moved:
            dossier.owner = target.id
            _event(session, ctx, dossier, user, "ban_giao", "owner", source.id, target.id)
        session.commit()
    return {
        "from_user_id": source.id,
        "to_user_id": target.id,
        "reason": reason,
        "count": len(moved),
        "dossier_ids": [d.id for d in moved],
    }
