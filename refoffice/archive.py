"""Freezing, recall, retention and disposal, and the metadata view of one object.

- Freeze (đóng băng, NĐ 30/2020 PL VI IV.1.g): a frozen object cannot be changed, moved or
  deleted; only a lưu trữ viên or quản trị may freeze or unfreeze. The check on other areas'
  endpoints is done centrally by `acl.AclGuard`.
- Recall (thu hồi, PL VI III.8.a, III.8.c, Điều 18.4): the outgoing document and its metadata are
  frozen, and the recall itself is recorded for good.
- Retention (thời hạn bảo quản, PL VI II.5, III.5.đ; TT 10/2022: counted from the year the work
  ended; TT 05/2025 Đ.48–50): nothing is deleted before it expires; expired dossiers are listed
  with status "Xem xét hủy" and destroyed only after an approval, the audit trail surviving them.
- Metadata (PL VI III.7.b–đ): every NĐ 30 field of the object, supplementary elements bound for
  good to their object, optimistic versioning so concurrent edits conflict instead of overwriting.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from refoffice.acl import frozen_for_writes, is_frozen, require_visible
from refoffice.archive_objects import LABELS, exists, object_type
from refoffice.auth import LANH_DAO, LUU_TRU_VIEN, QUAN_TRI, VAN_THU, current_user
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, NOT_FOUND, ApiError, field_error
from refoffice.models import Dossier, DossierDocument, OutgoingDocument, User
from refoffice.models_archive import DestroyedDossier, DisposalApproval, ExtraMetadata, Freeze, Recall
from refoffice.models_files import StoredFile
from refoffice.renditions import RenditionError, mark_pdf
from refoffice.validation import Checker, json_body, parse_id, require_object

router = APIRouter()

FREEZERS = (LUU_TRU_VIEN, QUAN_TRI)
RECALLERS = (VAN_THU, LANH_DAO)
DESTROYERS = (LUU_TRU_VIEN, QUAN_TRI)
_YEARS = re.compile(r"^(\d+) năm$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
FROZEN = "Đối tượng đang bị đóng băng: không được sửa, di chuyển hoặc xóa (NĐ 30/2020 PL VI IV.1.g)"


def _object(session: Session, ctx: AppContext, user: User, segment: str, raw_id: str) -> tuple[str, int]:
    kind = object_type(segment)
    oid = parse_id(raw_id)
    if oid is None:
        raise ApiError(404, NOT_FOUND)
    require_visible(session, ctx, user, kind, oid)
    return kind, oid


# -- freeze ----------------------------------------------------------------------------------------------


@router.post("/api/archive/{segment}/{raw_id}/freeze", status_code=201)
def freeze(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Lock the object against change, move and deletion."""
    kind, oid = _object(session, ctx, user, segment, raw_id)
    if user.role not in FREEZERS:
        raise ApiError(403, f"{FORBIDDEN}: chỉ lưu trữ viên hoặc quản trị được đóng băng")
    row = is_frozen(session, kind, oid)
    if row is None:
        row = Freeze(
            object_type=kind,
            object_id=oid,
            reason="dong_bang",
            frozen_by=user.id,
            frozen_at=iso(ctx.clock.now()),
        )
        session.add(row)
        if kind == "document" and ctx.faults.on("freeze_rewrites_files"):
            for stored in session.scalars(
                select(StoredFile).where(
                    StoredFile.document_kind == "outgoing", StoredFile.document_id == oid
                )
            ):
                stored.content = stored.content + b"\n% da chuan hoa khi dong bang\n"
        session.commit()
    return JSONResponse(
        {
            "object_type": kind,
            "object_id": oid,
            "frozen": True,
            "reason": row.reason,
            "frozen_at": row.frozen_at,
        },
        status_code=201,
    )


@router.delete("/api/archive/{segment}/{raw_id}/freeze")
def unfreeze(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Lift a freeze (not a recall's: a recalled document stays frozen)."""
    kind, oid = _object(session, ctx, user, segment, raw_id)
    if user.role not in FREEZERS:
        raise ApiError(403, f"{FORBIDDEN}: chỉ lưu trữ viên hoặc quản trị được bỏ đóng băng")
    row = is_frozen(session, kind, oid)
    if row is not None and row.reason == "thu_hoi":
        raise ApiError(409, "Văn bản đã bị thu hồi: không bỏ đóng băng được")
    if row is not None:
        session.delete(row)
        session.commit()
    return {"object_type": kind, "object_id": oid, "frozen": False}


# -- recall ----------------------------------------------------------------------------------------------


@router.post("/api/archive/documents/{raw_id}/recall", status_code=201)
def recall(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Recall an outgoing document: freeze it and its metadata, and keep the recall's record."""
    _, oid = _object(session, ctx, user, "documents", raw_id)
    if user.role not in RECALLERS:
        raise ApiError(403, f"{FORBIDDEN}: chỉ văn thư hoặc lãnh đạo được thu hồi văn bản")
    check = Checker(require_object(payload))
    reason = check.text("reason", 500, required=True)
    check.raise_if_errors()
    doc = session.get(OutgoingDocument, oid)
    assert doc is not None and reason is not None
    now = iso(ctx.clock.now())
    if not ctx.faults.on("recall_does_not_freeze"):
        row = is_frozen(session, "document", oid)
        if row is None:
            session.add(
                Freeze(
                    object_type="document", object_id=oid, reason="thu_hoi", frozen_by=user.id, frozen_at=now
                )
            )
        else:
            row.reason = "thu_hoi"
    rec = Recall(
        document_id=oid, so_ky_hieu=doc.so_ky_hieu, reason=reason, recalled_by=user.username, recalled_at=now
    )
    if not ctx.faults.on("recall_not_recorded"):
        session.add(rec)
    session.commit()
    return JSONResponse(
        {
            "id": rec.id,
            "document_id": oid,
            "so_ky_hieu": doc.so_ky_hieu,
            "reason": reason,
            "recalled_by": user.username,
            "recalled_at": now,
            "frozen": True,
        },
        status_code=201,
    )


@router.get("/api/archive/recalls")
def recalls(
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Every recall ever made, even of documents since destroyed."""
    rows = session.scalars(select(Recall).order_by(Recall.id))
    return {
        "items": [
            {
                "id": r.id,
                "document_id": r.document_id,
                "so_ky_hieu": r.so_ky_hieu,
                "reason": r.reason,
                "recalled_by": r.recalled_by,
                "recalled_at": r.recalled_at,
            }
            for r in rows
        ]
    }


# -- retention and disposal -----------------------------------------------------------------------------


def retention(dossier: Dossier, today: date, ctx: AppContext) -> dict[str, Any]:
    """When the dossier's retention ends, counted from the year its work ended (TT 10/2022)."""
    base: dict[str, Any] = {
        "dossier_id": dossier.id,
        "file_code": dossier.file_code,
        "maintenance": dossier.maintenance,
        "end_date": dossier.end_date.isoformat() if dossier.end_date else None,
    }
    years = _YEARS.match(dossier.maintenance or "")
    if not years:
        return {
            **base,
            "expires_year": None,
            "destroyable_from": None,
            "expired": False,
            "status": "Vĩnh viễn",
        }
    if dossier.end_date is None:
        return {
            **base,
            "expires_year": None,
            "destroyable_from": None,
            "expired": False,
            "status": "Hồ sơ chưa kết thúc",
        }
    counted_from = dossier.end_date.year
    if ctx.faults.on("retention_from_start_year") and dossier.start_date is not None:
        counted_from = dossier.start_date.year
    expires = counted_from + int(years[1])
    expired = today.year > expires
    return {
        **base,
        "expires_year": expires,
        "destroyable_from": f"{expires + 1}-01-01",
        "expired": expired,
        "status": "Xem xét hủy" if expired else "Đang bảo quản",
    }


def _dossier(session: Session, ctx: AppContext, user: User, raw_id: str) -> Dossier:
    _, oid = _object(session, ctx, user, "dossiers", raw_id)
    dossier = session.get(Dossier, oid)
    assert dossier is not None
    return dossier


@router.get("/api/archive/dossiers/{raw_id}/retention")
def show_retention(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The dossier's retention period, expiry year and status."""
    return retention(_dossier(session, ctx, user, raw_id), ctx.clock.today(), ctx)


@router.get("/api/archive/disposal-list")
def disposal_list(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Danh mục tài liệu hết giá trị: expired dossiers, listed by the system itself for review."""
    if user.role not in (*DESTROYERS, LANH_DAO):
        raise ApiError(403, f"{FORBIDDEN}: chỉ lưu trữ viên, quản trị và lãnh đạo xem danh mục hết giá trị")
    today = ctx.clock.today()
    items = []
    if not ctx.faults.on("expired_not_listed"):
        for d in session.scalars(select(Dossier).where(Dossier.end_date.is_not(None)).order_by(Dossier.id)):
            r = retention(d, today, ctx)
            if r["expired"]:
                approval = session.scalar(select(DisposalApproval).where(DisposalApproval.dossier_id == d.id))
                items.append({**r, "title": d.title, "approved": approval is not None})
    return {"items": items}


@router.post("/api/archive/dossiers/{raw_id}/disposal-approval", status_code=201)
def approve_disposal(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """The decision to destroy an expired dossier (lãnh đạo); refused before expiry."""
    dossier = _dossier(session, ctx, user, raw_id)
    if user.role != LANH_DAO:
        raise ApiError(403, f"{FORBIDDEN}: chỉ lãnh đạo quyết định hủy tài liệu hết giá trị")
    if not retention(dossier, ctx.clock.today(), ctx)["expired"]:
        raise ApiError(409, "Hồ sơ chưa hết thời hạn bảo quản: không được quyết định hủy")
    row = session.scalar(select(DisposalApproval).where(DisposalApproval.dossier_id == dossier.id))
    if row is None:
        row = DisposalApproval(
            dossier_id=dossier.id, approved_by=user.username, approved_at=iso(ctx.clock.now())
        )
        session.add(row)
        session.commit()
    return JSONResponse(
        {"dossier_id": dossier.id, "approved_by": row.approved_by, "approved_at": row.approved_at},
        status_code=201,
    )


@router.delete("/api/archive/dossiers/{raw_id}")
def destroy(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Destroy a dossier: only once its retention expired and its destruction was approved."""
    dossier = _dossier(session, ctx, user, raw_id)
    if user.role not in DESTROYERS:
        raise ApiError(403, f"{FORBIDDEN}: chỉ lưu trữ viên hoặc quản trị được hủy hồ sơ")
    if is_frozen(session, "dossier", dossier.id) is not None:
        raise ApiError(409, FROZEN)
    if not ctx.faults.on("dossier_delete_before_expiry"):
        r = retention(dossier, ctx.clock.today(), ctx)
        if not r["expired"]:
            raise ApiError(
                409,
                "Hồ sơ chưa hết thời hạn bảo quản: không được xóa (NĐ 30/2020 PL VI III.5.đ)"
                + (f"; được xem xét hủy từ {r['destroyable_from']}" if r["destroyable_from"] else ""),
            )
        approval = session.scalar(select(DisposalApproval).where(DisposalApproval.dossier_id == dossier.id))
        if approval is None:
            raise ApiError(
                409, "Chưa có quyết định hủy của người có thẩm quyền (TT 05/2025/TT-BNV Điều 48–50)"
            )
        approval.destroyed_at = iso(ctx.clock.now())
    gone = DestroyedDossier(
        dossier_id=dossier.id,
        file_code=dossier.file_code,
        title=dossier.title,
        destroyed_by=user.username,
        destroyed_at=iso(ctx.clock.now()),
    )
    session.add(gone)
    session.execute(delete(DossierDocument).where(DossierDocument.dossier_id == dossier.id))
    session.delete(dossier)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ApiError(409, "Hồ sơ còn dữ liệu liên kết, không hủy được") from None
    return {"dossier_id": gone.dossier_id, "file_code": gone.file_code, "destroyed_at": gone.destroyed_at}


# -- print copies -----------------------------------------------------------------------------------------


@router.get("/api/archive/files/{raw_id}/print")
def print_copy(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """A print copy of a stored PDF, marked as printed from the system, by whom and when
    (PL VI III.6.i, k). Access is checked by the guard, as for downloading the file."""
    key = parse_id(raw_id)
    stored = session.get(StoredFile, key) if key is not None else None
    if stored is None:
        raise ApiError(404, "Không tìm thấy tệp")
    if ctx.faults.on("print_unavailable"):
        raise ApiError(501, "Chức năng in chưa có")
    if stored.media_type != "application/pdf":
        raise ApiError(415, "Chỉ in được tệp PDF")
    marking = (
        f"Bản in từ Hệ thống quản lý văn bản - {ctx.config.organ_name} - người in: {user.username} "
        f"({user.full_name}) - lúc {iso(ctx.clock.now())}"
    )
    try:
        data = stored.content if ctx.faults.on("print_not_marked") else mark_pdf(stored.content, marking)
    except RenditionError as exc:
        raise ApiError(422, str(exc)) from None
    name = stored.name.rsplit(".", 1)[0] + "-ban-in.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


# -- metadata --------------------------------------------------------------------------------------------


def _extras(session: Session, kind: str, oid: int) -> list[ExtraMetadata]:
    return list(
        session.scalars(
            select(ExtraMetadata)
            .where(ExtraMetadata.object_type == kind, ExtraMetadata.object_id == oid)
            .order_by(ExtraMetadata.id)
        )
    )


def document_metadata(session: Session, doc: OutgoingDocument, ctx: AppContext) -> dict[str, Any]:
    """The 16 fields of NĐ 30 PL VI Phần II.I, under their standard names."""
    link = session.execute(
        select(DossierDocument, Dossier)
        .join(Dossier, Dossier.id == DossierDocument.dossier_id)
        .where(DossierDocument.document_id == doc.id)
        .order_by(DossierDocument.id)
        .limit(1)
    ).first()
    dossier = link[1] if link else None
    out: dict[str, Any] = {
        "FileCode": dossier.file_code if dossier else None,
        "OrganId": doc.organ_id,
        "FileCatalog": dossier.file_catalog if dossier else doc.file_catalog,
        "FileNotation": dossier.file_notation if dossier else None,
        "DocOrdinal": link[0].doc_ordinal if link else None,
        "TypeName": doc.type_name,
        "CodeNumber": doc.code_number,
        "CodeNotation": doc.code_notation,
        "IssuedDate": doc.issued_date.isoformat(),
        "OrganName": doc.organ_name,
        "Subject": doc.subject,
        "Language": doc.language,
        "PageAmount": doc.page_amount,
        "Description": doc.description,
        "SignerInfo": {"Position": doc.signer_position, "FullName": doc.signer_full_name},
        "To": [
            {"OrganId": r.get("organ_id"), "OrganName": r.get("organ_name")} for r in doc.recipients or []
        ],
        "Priority": doc.priority,
        "IssuedAmount": doc.issued_amount,
        "DueDate": doc.due_date.isoformat() if doc.due_date else None,
    }
    if ctx.faults.on("metadata_view_omits_signer"):
        out.pop("SignerInfo")
    return out


def dossier_metadata(dossier: Dossier) -> dict[str, Any]:
    """The 11 fields of NĐ 30 PL VI Phần II.III."""
    return {
        "FileCode": dossier.file_code,
        "OrganId": dossier.organ_id,
        "FileCatalog": dossier.file_catalog,
        "FileNotation": dossier.file_notation,
        "Title": dossier.title,
        "Maintenance": dossier.maintenance,
        "Rights": dossier.rights,
        "Creator": dossier.creator,
        "Language": dossier.language,
        "StartDate": dossier.start_date.isoformat() if dossier.start_date else None,
        "EndDate": dossier.end_date.isoformat() if dossier.end_date else None,
        "DocTotal": dossier.doc_total,
        "PageTotal": dossier.page_total,
        "Description": dossier.description,
    }


def metadata_of(session: Session, ctx: AppContext, kind: str, oid: int) -> dict[str, Any]:
    """Standard fields and supplementary elements of one object."""
    if kind == "document":
        doc = session.get(OutgoingDocument, oid)
        assert doc is not None
        fields = document_metadata(session, doc, ctx)
    else:
        dossier = session.get(Dossier, oid)
        assert dossier is not None
        fields = dossier_metadata(dossier)
    extras = [
        {"id": e.id, "name": e.name, "value": e.value, "version": e.version}
        for e in _extras(session, kind, oid)
    ]
    return {"object_type": kind, "object_id": oid, "fields": fields, "extra": extras}


def _xml_value(name: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        return [
            f"{indent}<{name}>",
            *[ln for k, v in value.items() for ln in _xml_value(k, v, indent + "  ")],
            f"{indent}</{name}>",
        ]
    if isinstance(value, list):
        return [ln for item in value for ln in _xml_value(name, item, indent)]
    return [f"{indent}<{name}>{'' if value is None else escape(str(value))}</{name}>"]


def metadata_xml(meta: dict[str, Any], ctx: AppContext) -> str:
    """The metadata as XML (PL VI III.4.g; TT 02/2019 Đ.10.1.b: metadata backed up as XML)."""
    tag = "VanBan" if meta["object_type"] == "document" else "HoSo"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{tag} id="{meta["object_id"]}">']
    for k, v in meta["fields"].items():
        lines += _xml_value(k, v, "  ")
    if meta["extra"] and not ctx.faults.on("extra_metadata_not_exported"):
        lines.append("  <DuLieuDacTaBoSung>")
        for e in meta["extra"]:
            attrs = f'ten={quoteattr(e["name"])} phienBan="{e["version"]}"'
            lines.append(f"    <PhanTu {attrs}>{escape(e['value'])}</PhanTu>")
        lines.append("  </DuLieuDacTaBoSung>")
    lines.append(f"</{tag}>")
    return "\n".join(lines) + "\n"


@router.get("/api/archive/{segment}/{raw_id}/metadata")
def show_metadata(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Every metadata field of the object, for a user allowed to see it (PL VI III.7.b)."""
    kind, oid = _object(session, ctx, user, segment, raw_id)
    return metadata_of(session, ctx, kind, oid)


@router.get("/api/archive/{segment}/{raw_id}/metadata.xml")
def show_metadata_xml(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The same, as XML."""
    kind, oid = _object(session, ctx, user, segment, raw_id)
    return Response(metadata_xml(metadata_of(session, ctx, kind, oid), ctx), media_type="application/xml")


@router.post("/api/archive/{segment}/{raw_id}/metadata", status_code=201)
def add_metadata(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Add a supplementary metadata element (PL VI III.7.c); refused on a frozen object."""
    kind, oid = _object(session, ctx, user, segment, raw_id)
    check = Checker(require_object(payload))
    name = check.text("name", 100, required=True)
    value = check.text("value", 2000, required=True)
    if name is not None and not _NAME.match(name):
        check.error("name", "Tên phần tử gồm chữ cái Latin, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái")
    check.raise_if_errors()
    assert name is not None and value is not None
    if frozen_for_writes(session, ctx, kind, oid):
        raise ApiError(409, FROZEN)
    row = ExtraMetadata(object_type=kind, object_id=oid, name=name, value=value, version=1)
    session.add(row)
    session.commit()
    return JSONResponse(
        {"id": row.id, "object_type": kind, "object_id": oid, "name": name, "value": value, "version": 1},
        status_code=201,
    )


@router.put("/api/archive/metadata/{raw_id}")
def update_metadata(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Change a supplementary element: the version read must still be current (no lost update),
    and the element stays bound to its object (PL VI III.7.đ; IV.2 conflict warning)."""
    key = parse_id(raw_id)
    row = session.get(ExtraMetadata, key) if key is not None else None
    if row is None or not exists(session, row.object_type, row.object_id):
        raise ApiError(404, NOT_FOUND)
    require_visible(session, ctx, user, row.object_type, row.object_id)
    check = Checker(require_object(payload))
    value = check.text("value", 2000, required=True)
    version = check.integer("version", 1, 2**31, required=True)
    new_type = check.text("object_type", 20)
    new_id = check.integer("object_id", 1, 2**62)
    check.raise_if_errors()
    assert value is not None and version is not None
    if frozen_for_writes(session, ctx, row.object_type, row.object_id):
        raise ApiError(409, FROZEN)
    if (new_type not in (None, row.object_type) or new_id not in (None, row.object_id)) and not ctx.faults.on(
        "metadata_relink_allowed"
    ):
        raise field_error(
            "object_id",
            f"Dữ liệu đặc tả đã gắn cố định với {LABELS[row.object_type]} #{row.object_id}, "
            "không chuyển sang đối "
            "tượng khác được (NĐ 30/2020 PL VI III.7.đ)",
            status=409,
        )
    if version != row.version and not ctx.faults.on("lost_update_allowed"):
        raise field_error(
            "version",
            f"Xung đột: phần tử đã được sửa (phiên bản hiện tại {row.version}, bạn sửa từ phiên "
            f"bản {version}); "
            "hãy tải lại trước khi sửa (NĐ 30/2020 PL VI IV.2)",
            status=409,
            detail="Xung đột dữ liệu",
        )
    if new_type is not None and new_type in ("document", "dossier"):
        row.object_type = new_type
    if new_id is not None:
        row.object_id = new_id
    row.value, row.version = value, row.version + 1
    session.commit()
    return {
        "id": row.id,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "name": row.name,
        "value": row.value,
        "version": row.version,
    }
