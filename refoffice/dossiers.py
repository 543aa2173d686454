"""Hồ sơ: opening a dossier and filing documents in it (NĐ 30 Điều 29, PL V, PL VI Phần II.III)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice.auth import CHUYEN_VIEN, VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, ApiError, field_error
from refoffice.models import Dossier, DossierDocument, OutgoingDocument, User
from refoffice.validation import Checker, json_body, parse_id, require_object

# Số và ký hiệu hồ sơ: số thứ tự from 01, ".", ký hiệu of the đề mục lớn (NĐ 30 PL V I.2).
FILE_NOTATION_RE = re.compile(r"^\d{2,}\.[A-ZĐ][A-ZĐ0-9-]*$")
# Thời hạn bảo quản: "Vĩnh viễn" or a number of years (NĐ 30 PL V I.4).
MAINTENANCE_RE = re.compile(r"^(?:(?P<forever>vĩnh viễn)|(?P<years>[1-9]\d{0,2}) năm)$", re.IGNORECASE)
TITLE_MAX = 500
TITLE_MAX_FAULT = 2000
DOC_ORDINAL_MAX = 999  # DocOrdinal is Number(3)
PAGE_TOTAL_MAX = 9999  # PageTotal is Number(4)

STATUSES = ("open", "closed")

router = APIRouter()


def _maintenance(check: Checker, free_text: bool) -> str | None:
    value = check.text("maintenance", 30, required=True)
    if value is None or free_text:
        return value
    match = MAINTENANCE_RE.match(value)
    if match is None:
        check.error("maintenance", "Thời hạn bảo quản phải là “Vĩnh viễn” hoặc số năm cụ thể, ví dụ “20 năm”")
        return None
    return "Vĩnh viễn" if match["forever"] else f"{int(match['years'])} năm"


def dossier_json(session: Session, dossier: Dossier) -> dict[str, Any]:
    """The public record of a dossier, with its documents in ordinal order."""
    rows = session.execute(
        select(DossierDocument, OutgoingDocument)
        .join(OutgoingDocument, OutgoingDocument.id == DossierDocument.document_id)
        .where(DossierDocument.dossier_id == dossier.id)
        .order_by(DossierDocument.doc_ordinal, DossierDocument.id)
    ).all()
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
        "created_at": dossier.created_at,
        "status": dossier.status,
        "closed_at": dossier.closed_at,
        "documents": [
            {
                "document_id": doc.id,
                "doc_ordinal": link.doc_ordinal,
                "so_ky_hieu": doc.so_ky_hieu,
                "subject": doc.subject,
                "page_amount": doc.page_amount,
            }
            for link, doc in rows
        ],
    }


@router.post("/api/dossiers", status_code=201)
def open_dossier(
    user: Annotated[User, Depends(require_role(CHUYEN_VIEN, VAN_THU))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Open a dossier; the five items of Đ.29.2.c are mandatory, the code is generated."""
    faults, config = ctx.faults, ctx.config
    check = Checker(require_object(payload))
    title_max = TITLE_MAX_FAULT if faults.on("dossier_title_length_unchecked") else TITLE_MAX
    title = check.text("title", title_max, required=True)
    file_notation = check.text("file_notation", 20, required=True)
    if file_notation is not None and not FILE_NOTATION_RE.match(file_notation):
        check.error(
            "file_notation",
            "Số và ký hiệu hồ sơ gồm số thứ tự (ít nhất 2 chữ số, từ 01), dấu chấm "
            "và ký hiệu đề mục viết hoa, ví dụ 01.TCCB",
        )
    maintenance = _maintenance(check, free_text=faults.on("maintenance_free_text"))
    creator = check.text("creator", 30, required=True)
    start_date = check.date("start_date", required=not faults.on("dossier_start_date_optional"))
    rights = check.text("rights", 30)
    language = check.text("language", 50, default="Tiếng Việt")
    description = check.text("description", 500)
    check.raise_if_errors()
    assert title and file_notation and maintenance and creator

    with ctx.write_lock:
        now = ctx.clock.now()
        year = start_date.year if start_date else now.year
        if faults.on("file_code_not_unique"):
            file_code = f"{config.organ_id}.{year}"
        else:
            file_code = f"{config.organ_id}.{year}.{file_notation}"
            if session.scalar(select(Dossier.id).where(Dossier.file_code == file_code)) is not None:
                raise field_error(
                    "file_notation",
                    f"Mã hồ sơ {file_code} đã tồn tại; mỗi hồ sơ phải có mã duy nhất",
                    status=409,
                    detail="Mã hồ sơ đã tồn tại",
                )
        dossier = Dossier(
            file_code=file_code,
            organ_id=config.organ_id,
            file_catalog=year,
            file_notation=file_notation,
            title=title,
            maintenance=maintenance,
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
            status="open",
        )
        session.add(dossier)
        session.commit()
    return JSONResponse(dossier_json(session, dossier), status_code=201)


def _load(session: Session, dossier_id: str) -> Dossier:
    key = parse_id(dossier_id)
    dossier = session.get(Dossier, key) if key is not None else None
    if dossier is None:
        raise ApiError(404, "Không tìm thấy hồ sơ")
    return dossier


@router.get("/api/dossiers")
def list_dossiers(
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    owner: Annotated[str | None, Query()] = None,
    status: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Dossiers, oldest first; ``owner=me`` keeps the caller's own, ``status`` open or closed."""
    query = select(Dossier).order_by(Dossier.id)
    if owner == "me":
        query = query.where(Dossier.owner == user.id)
    elif owner is not None:
        raise field_error("owner", "Chỉ hỗ trợ owner=me")
    if status is not None:
        if status not in STATUSES:
            raise field_error("status", "Trạng thái là open hoặc closed")
        query = query.where(Dossier.status == status)
    items = [dossier_json(session, d) for d in session.scalars(query)]
    return {"items": items, "count": len(items)}


@router.get("/api/dossiers/{dossier_id}")
def get_dossier(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One dossier with its documents."""
    return dossier_json(session, _load(session, dossier_id))


@router.post("/api/dossiers/{dossier_id}/documents", status_code=201)
def attach_document(
    dossier_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """File a document in the owner's dossier; ordinal and totals are the system's job."""
    faults = ctx.faults
    dossier = _load(session, dossier_id)
    if dossier.owner != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người lập hồ sơ được đưa văn bản vào hồ sơ")
    if dossier.status == "closed":
        raise ApiError(409, "Hồ sơ đã kết thúc, không đưa thêm văn bản")
    check = Checker(require_object(payload))
    document_id = check.integer("document_id", 1, 2**62, required=True)
    check.raise_if_errors()
    doc = session.get(OutgoingDocument, document_id)
    if doc is None:
        raise field_error("document_id", "Không tìm thấy văn bản", status=404, detail="Không tìm thấy")

    with ctx.write_lock:
        exists = session.scalar(
            select(DossierDocument.id).where(
                DossierDocument.dossier_id == dossier.id, DossierDocument.document_id == doc.id
            )
        )
        if exists is not None:
            raise field_error("document_id", "Văn bản đã có trong hồ sơ", status=409)
        if faults.on("doc_ordinal_not_assigned"):
            ordinal = 1
        else:
            last = session.scalar(
                select(func.max(DossierDocument.doc_ordinal)).where(DossierDocument.dossier_id == dossier.id)
            )
            ordinal = (last or 0) + 1
            if ordinal > DOC_ORDINAL_MAX:
                raise field_error(
                    "document_id", "Hồ sơ đã có 999 văn bản (số thứ tự tối đa 3 chữ số)", status=409
                )
        session.add(DossierDocument(dossier_id=dossier.id, document_id=doc.id, doc_ordinal=ordinal))
        if not faults.on("dossier_totals_not_updated"):
            if dossier.page_total + doc.page_amount > PAGE_TOTAL_MAX:
                raise field_error(
                    "document_id",
                    "Tổng số trang của hồ sơ vượt quá 9999 (PageTotal tối đa 4 chữ số)",
                    status=409,
                )
            dossier.doc_total += 1
            dossier.page_total += doc.page_amount
        session.commit()
    return JSONResponse({"document_id": doc.id, "doc_ordinal": ordinal}, status_code=201)


@router.post("/api/dossiers/{dossier_id}/close")
def close_dossier(
    dossier_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Close (kết thúc) a dossier: it must hold documents; EndDate defaults to its latest document.

    NĐ 30 Điều 29.3 and PL VI Phần II.III field 6 (EndDate): the end date is when the work ended,
    never before the start date. A closed dossier takes no more documents.
    """
    dossier = _load(session, dossier_id)
    if dossier.owner != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người lập hồ sơ được kết thúc hồ sơ")
    if dossier.status == "closed":
        raise ApiError(409, "Hồ sơ đã kết thúc")
    check = Checker(require_object(payload or {}))
    end_date = check.date("end_date")
    check.raise_if_errors()
    with ctx.write_lock:
        latest = session.scalar(
            select(func.max(OutgoingDocument.issued_date))
            .join(DossierDocument, DossierDocument.document_id == OutgoingDocument.id)
            .where(DossierDocument.dossier_id == dossier.id)
        )
        if latest is None:
            raise ApiError(409, "Hồ sơ chưa có văn bản nào, chưa kết thúc được")
        end = end_date or latest
        if dossier.start_date and end < dossier.start_date:
            raise field_error("end_date", "Thời gian kết thúc không được trước thời gian bắt đầu")
        dossier.end_date = end
        dossier.status = "closed"
        dossier.closed_at = iso(ctx.clock.now())
        session.commit()
    return dossier_json(session, dossier)
