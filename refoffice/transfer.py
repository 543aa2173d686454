"""Nộp lưu to the agency archive (NĐ 30/2020 Điều 30–31, Phụ lục V mục III và V, Phụ lục VI Phần III mục 5).

The official who created a closed dossier submits it; the archive (lưu trữ viên) checks each dossier
and its files, accepts it or returns it with a reason; accepted dossiers are held by the archive and
no longer edited by their creator. The module also lists what is due, keeps dossiers past their due
date with an approval, publishes the Danh mục hồ sơ nộp lưu (notifying the owners) and produces the
Mục lục hồ sơ, tài liệu nộp lưu and the Biên bản giao nhận.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.auth import CHUYEN_VIEN, LUU_TRU_VIEN, VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, ApiError, field_error
from refoffice.faults import FaultState
from refoffice.models import Dossier, DossierDocument, User
from refoffice.models_transfer import (
    DossierTransfer,
    TransferBatch,
    TransferItem,
    TransferListNotice,
)
from refoffice.transfer_rules import (
    RULES,
    add_years,
    due_date,
    file_problem,
    historical_due,
    must_submit,
    retain_limit,
    scan,
)
from refoffice.transfer_sources import documents, dossier_record, files_of, is_closed
from refoffice.validation import Checker, json_body, parse_id, require_object
from refoffice.vi_words import in_words

router = APIRouter()

PENDING, ACCEPTED, RETURNED = "cho_tiep_nhan", "da_tiep_nhan", "tra_lai"
AGENCY_ARCHIVE, HISTORICAL_ARCHIVE = "luu_tru_co_quan", "luu_tru_lich_su"
MUC_LUC_COLUMNS = [
    "Số TT",
    "Số, ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian tài liệu",
    "Thời hạn bảo quản",
    "Số tờ/Số trang",
    "Ghi chú",
]
OWNER_ROLES = (CHUYEN_VIEN, VAN_THU)


def info(session: Session, dossier_id: int) -> DossierTransfer:
    """Area 4's record of a dossier, created on first use."""
    row = session.get(DossierTransfer, dossier_id)
    if row is None:
        row = DossierTransfer(dossier_id=dossier_id, confidence_level="01", risk_recovery=False)
        session.add(row)
        session.flush()
    return row


def is_archived(session: Session, dossier_id: int) -> bool:
    """Whether the dossier is held by an archive: its creator may no longer change it (TR-009)."""
    row = session.get(DossierTransfer, dossier_id)
    return row is not None and row.location is not None


def ensure_document_editable(session: Session, faults: FaultState, kind: str, document_id: int) -> None:
    """Refuse new files for a document of a dossier the archive holds (the file store calls this)."""
    if kind != "outgoing" or faults.on("archived_dossier_still_editable"):
        return
    held = session.scalar(
        select(DossierTransfer.dossier_id)
        .join(DossierDocument, DossierDocument.dossier_id == DossierTransfer.dossier_id)
        .where(DossierDocument.document_id == document_id, DossierTransfer.location.is_not(None))
    )
    if held is not None:
        raise ApiError(
            409,
            "Văn bản thuộc hồ sơ đã nộp lưu, không được thay đổi",
            [{"field": "document_id", "message": f"Văn bản thuộc hồ sơ lưu trữ (mã số {held})"}],
        )


def load_dossier(session: Session, dossier_id: str | int) -> Dossier:
    key = parse_id(str(dossier_id))
    dossier = session.get(Dossier, key) if key is not None else None
    if dossier is None:
        raise ApiError(404, "Không tìm thấy hồ sơ")
    return dossier


def _rule(value: str | None) -> str:
    rule = (value or "nd30").strip().lower()
    if rule not in RULES:
        raise field_error("rule", "Quy tắc tính hạn nộp lưu phải là nd30 hoặc l24")
    return rule


def dossier_due(faults: FaultState, dossier: Dossier, row: DossierTransfer | None, rule: str) -> date | None:
    """Due date of a closed dossier under ``rule`` (None while it is open)."""
    if dossier.end_date is None:
        return None
    xdcb = row.xdcb_settlement if row is not None and not faults.on("xdcb_rule_ignored") else None
    end = dossier.end_date
    if faults.on("transfer_deadline_from_start") and dossier.start_date is not None:
        end = dossier.start_date
    return due_date(rule, end, xdcb)


def _overdue(faults: FaultState, today: date, due: date | None, row: DossierTransfer | None) -> bool:
    if due is None or faults.on("transfer_overdue_not_flagged"):
        return False
    limit = row.retained_until if row is not None and row.retained_until else due
    return today > max(due, limit)


def _must_submit(faults: FaultState, dossier: Dossier) -> bool:
    return faults.on("short_retention_included") or must_submit(dossier.maintenance)


def _pending_or_held(session: Session, dossier_id: int) -> TransferItem | None:
    return session.scalar(
        select(TransferItem)
        .where(TransferItem.dossier_id == dossier_id, TransferItem.status.in_((PENDING, ACCEPTED)))
        .order_by(TransferItem.id.desc())
    )


def _due_item(ctx: AppContext, session: Session, dossier: Dossier, rule: str, today: date) -> dict[str, Any]:
    row = session.get(DossierTransfer, dossier.id)
    due = dossier_due(ctx.faults, dossier, row, rule)
    return {
        "dossier_id": dossier.id,
        "file_code": dossier.file_code,
        "title": dossier.title,
        "maintenance": dossier.maintenance,
        "owner": dossier.owner,
        "start_date": dossier.start_date.isoformat() if dossier.start_date else None,
        "end_date": dossier.end_date.isoformat() if dossier.end_date else None,
        "construction_settlement": row.xdcb_settlement.isoformat() if row and row.xdcb_settlement else None,
        "rule": "xdcb" if row and row.xdcb_settlement and not ctx.faults.on("xdcb_rule_ignored") else rule,
        "due_date": due.isoformat() if due else None,
        "overdue": _overdue(ctx.faults, today, due, row),
        "retained_until": row.retained_until.isoformat() if row and row.retained_until else None,
    }


@router.get("/api/transfer/due")
def list_due(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    rule: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Closed dossiers that must go to the agency archive and are not there yet, with their due date."""
    r = _rule(rule)
    today = ctx.clock.today()
    q = select(Dossier).order_by(Dossier.id)
    if user.role in OWNER_ROLES:
        q = q.where(Dossier.owner == user.id)
    items = []
    for dossier in session.scalars(q):
        if not is_closed(dossier) or not _must_submit(ctx.faults, dossier):
            continue
        if _pending_or_held(session, dossier.id) is not None or is_archived(session, dossier.id):
            continue
        items.append(_due_item(ctx, session, dossier, r, today))
    return {"rule": r, "today": today.isoformat(), "items": items}


def _owned(session: Session, user: User, dossier_id: str) -> Dossier:
    dossier = load_dossier(session, dossier_id)
    if dossier.owner != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người lập hồ sơ thực hiện thao tác này")
    return dossier


@router.post("/api/transfer/dossiers/{dossier_id}/construction")
def mark_construction(
    dossier_id: str,
    user: Annotated[User, Depends(require_role(*OWNER_ROLES))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Hồ sơ xây dựng cơ bản: the project's final settlement date fixes the deadline (Đ.30.2.a)."""
    dossier = _owned(session, user, dossier_id)
    check = Checker(require_object(payload))
    settled = check.date("settlement_date", required=True)
    check.raise_if_errors()
    row = info(session, dossier.id)
    row.xdcb_settlement = settled
    session.commit()
    return _due_item(ctx, session, dossier, "nd30", ctx.clock.today())


@router.post("/api/transfer/retentions", status_code=201)
def retain(
    user: Annotated[User, Depends(require_role(*OWNER_ROLES))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Giữ lại a dossier past its due date: head's written approval, at most 2 years (Đ.31.3.d)."""
    data = require_object(payload)
    check = Checker(data)
    dossier_id = check.integer("dossier_id", 1, 2**62, required=True)
    lenient = ctx.faults.on("retention_beyond_two_years")
    approval = check.text("approval_ref", 200, required=not lenient)
    until = check.date("until", required=True)
    reason = check.text("reason", 1000)
    rule = _rule(data.get("rule") if isinstance(data.get("rule"), str) else None)
    check.raise_if_errors()
    assert dossier_id is not None and until is not None
    dossier = _owned(session, user, str(dossier_id))
    row = info(session, dossier.id)
    due = dossier_due(ctx.faults, dossier, row, rule)
    if due is None:
        raise field_error("dossier_id", "Hồ sơ chưa kết thúc, chưa có hạn nộp lưu", status=409)
    limit = retain_limit(due)
    if until <= due:
        raise field_error("until", f"Ngày giữ lại phải sau hạn nộp lưu {due:%d/%m/%Y}")
    if until > limit and not lenient:
        raise field_error("until", f"Chỉ được giữ lại tối đa 02 năm kể từ hạn nộp lưu, đến {limit:%d/%m/%Y}")
    row.retained_until, row.retain_approval, row.retain_reason = until, approval, reason
    session.commit()
    body = {
        "dossier_id": dossier.id,
        "file_code": dossier.file_code,
        "due_date": due.isoformat(),
        "retained_until": until.isoformat(),
        "max_until": limit.isoformat(),
        "approval_ref": approval,
    }
    return JSONResponse(body, status_code=201)


@router.get("/api/transfer/retentions")
def retained_list(
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Danh mục hồ sơ giữ lại, sent to the agency archive (Đ.31.3.d)."""
    rows = session.execute(
        select(DossierTransfer, Dossier)
        .join(Dossier, Dossier.id == DossierTransfer.dossier_id)
        .where(DossierTransfer.retained_until.is_not(None))
        .order_by(Dossier.id)
    )
    return {
        "items": [
            {
                "dossier_id": d.id,
                "file_code": d.file_code,
                "title": d.title,
                "retained_until": r.retained_until.isoformat() if r.retained_until else None,
                "approval_ref": r.retain_approval,
                "reason": r.retain_reason,
            }
            for r, d in rows
        ]
    }


@router.post("/api/transfer/lists", status_code=201)
def publish_list(
    _user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """The archive publishes the Danh mục hồ sơ nộp lưu; each owner is notified at once (PL VI III.5.b)."""
    data = require_object(payload)
    check = Checker(data)
    rule = _rule(data.get("rule") if isinstance(data.get("rule"), str) else None)
    check.raise_if_errors()
    now = ctx.clock.now()
    listed = []
    for dossier in session.scalars(select(Dossier).order_by(Dossier.id)):
        if not is_closed(dossier) or not _must_submit(ctx.faults, dossier):
            continue
        if _pending_or_held(session, dossier.id) is not None or is_archived(session, dossier.id):
            continue
        row = session.get(DossierTransfer, dossier.id)
        due = dossier_due(ctx.faults, dossier, row, rule)
        assert due is not None
        listed.append({"dossier_id": dossier.id, "file_code": dossier.file_code, "due_date": due.isoformat()})
        if ctx.faults.on("due_notice_not_sent"):
            continue
        session.add(
            TransferListNotice(
                year=now.year,
                published_at=iso(now),
                recipient=dossier.owner,
                dossier_id=dossier.id,
                due_date=due,
                message=(
                    f"Hồ sơ {dossier.file_code} «{dossier.title}» có trong Danh mục hồ sơ nộp lưu năm "
                    f"{now.year}; hạn nộp lưu: {due:%d/%m/%Y}."
                ),
            )
        )
    session.commit()
    return JSONResponse({"year": now.year, "published_at": iso(now), "items": listed}, status_code=201)


@router.get("/api/transfer/notices")
def my_notices(
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Notices of dossiers due for submission addressed to the current user."""
    rows = session.execute(
        select(TransferListNotice, Dossier)
        .join(Dossier, Dossier.id == TransferListNotice.dossier_id)
        .where(TransferListNotice.recipient == user.id)
        .order_by(TransferListNotice.id)
    )
    return {
        "items": [
            {
                "dossier_id": d.id,
                "file_code": d.file_code,
                "due_date": n.due_date.isoformat(),
                "published_at": n.published_at,
                "message": n.message,
            }
            for n, d in rows
        ]
    }


# --- submission and acceptance ------------------------------------------------------------------------


def _ids(check: Checker, data: dict[str, Any], name: str) -> list[int]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        check.error(name, "Phải là danh sách mã số (số nguyên)")
        return []
    return list(value)


def _batch_json(session: Session, batch: TransferBatch) -> dict[str, Any]:
    rows = session.execute(
        select(TransferItem, Dossier)
        .join(Dossier, Dossier.id == TransferItem.dossier_id)
        .where(TransferItem.batch_id == batch.id)
        .order_by(TransferItem.id)
    )
    return {
        "id": batch.id,
        "code": batch.code,
        "year": batch.year,
        "submitted_by": batch.submitted_by,
        "submitted_at": batch.submitted_at,
        "note": batch.note,
        "items": [
            {
                "dossier_id": d.id,
                "file_code": d.file_code,
                "title": d.title,
                "status": it.status,
                "reason": it.reason,
                "decided_at": it.decided_at,
            }
            for it, d in rows
        ],
    }


@router.post("/api/transfer/batches", status_code=201)
def submit(
    user: Annotated[User, Depends(require_role(*OWNER_ROLES))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Nộp lưu: the creator hands closed dossiers kept ≥5 years to the agency archive (Đ.30, Đ.31.3)."""
    faults = ctx.faults
    data = require_object(payload)
    check = Checker(data)
    dossier_ids = _ids(check, data, "dossier_ids")
    loose = _ids(check, data, "document_ids")
    note = check.text("note", 1000)
    if loose:
        check.error(
            "document_ids", "Lưu trữ cơ quan chỉ nhận tài liệu đã lập hồ sơ; văn bản rời lẻ không được nộp"
        )
    if not dossier_ids:
        check.error("dossier_ids", "Cần ít nhất một hồ sơ")
    check.raise_if_errors()
    dossiers: list[Dossier] = []
    seen: set[int] = set()
    for i, did in enumerate(dossier_ids):
        where = f"dossier_ids[{i}]"
        dossier = session.get(Dossier, did)
        if dossier is None:
            raise field_error(where, "Không tìm thấy hồ sơ", status=404, detail="Không tìm thấy hồ sơ")
        if dossier.owner != user.id and not faults.on("submit_by_anyone"):
            raise ApiError(
                403,
                f"{FORBIDDEN}: chỉ người được giao giải quyết công việc, lập hồ sơ mới được nộp lưu hồ sơ đó",
                [{"field": where, "message": "Không phải hồ sơ do tài khoản này lập"}],
            )
        if did in seen and not faults.on("duplicate_submission_accepted"):
            check.error(where, "Hồ sơ trùng lặp trong cùng một lần nộp")
            continue
        seen.add(did)
        if not is_closed(dossier) and not faults.on("unclosed_dossier_submittable"):
            check.error(where, "Hồ sơ chưa kết thúc (chưa đóng hồ sơ), chưa được nộp lưu")
        if not _must_submit(faults, dossier):
            check.error(
                where,
                f"Hồ sơ có thời hạn bảo quản {dossier.maintenance}: chỉ nộp lưu hồ sơ từ 05 năm trở lên",
            )
        docs = documents(session, dossier.id)
        if not docs:
            check.error(where, "Hồ sơ chưa có văn bản nào: chưa đủ thành phần")
        for link, doc in docs:
            if not files_of(session, doc.id):
                check.error(
                    where, f"Văn bản số thứ tự {link.doc_ordinal} ({doc.so_ky_hieu}) chưa có tệp điện tử"
                )
        held = _pending_or_held(session, dossier.id)
        if (held is not None or is_archived(session, dossier.id)) and not faults.on(
            "duplicate_submission_accepted"
        ):
            check.error(where, "Hồ sơ đã được nộp lưu trước đây (trùng với hồ sơ đã nộp hoặc đang lưu trữ)")
        dossiers.append(dossier)
    check.raise_if_errors()
    with ctx.write_lock:
        now = ctx.clock.now()
        count = len(session.scalars(select(TransferBatch.id).where(TransferBatch.year == now.year)).all())
        batch = TransferBatch(
            code=f"NL-{now.year}-{count + 1:04d}",
            year=now.year,
            submitted_by=user.id,
            submitted_at=iso(now),
            note=note,
        )
        session.add(batch)
        session.flush()
        for dossier in dossiers:
            session.add(
                TransferItem(
                    batch_id=batch.id,
                    dossier_id=dossier.id,
                    status=PENDING,
                    snapshot=dossier_record(session, dossier),
                    checks=[],
                )
            )
        session.commit()
    return JSONResponse(_batch_json(session, batch), status_code=201)


def _load_batch(session: Session, user: User, batch_id: str) -> TransferBatch:
    key = parse_id(batch_id)
    batch = session.get(TransferBatch, key) if key is not None else None
    if batch is None:
        raise ApiError(404, "Không tìm thấy lần nộp lưu")
    if user.role != LUU_TRU_VIEN and batch.submitted_by != user.id:
        raise ApiError(403, f"{FORBIDDEN}: chỉ người nộp và Lưu trữ cơ quan xem được lần nộp lưu này")
    return batch


@router.get("/api/transfer/batches")
def list_batches(
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    status: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Submissions grouped as received (the archive sees all, an official their own)."""
    q = select(TransferBatch).order_by(TransferBatch.id)
    if user.role != LUU_TRU_VIEN:
        q = q.where(TransferBatch.submitted_by == user.id)
    out = []
    for batch in session.scalars(q):
        b = _batch_json(session, batch)
        if status:
            b["items"] = [i for i in b["items"] if i["status"] == status]
            if not b["items"]:
                continue
        out.append(b)
    return {"items": out}


@router.get("/api/transfer/batches/{batch_id}")
def get_batch(
    batch_id: str,
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One submission with the status (and reason) of each dossier."""
    return _batch_json(session, _load_batch(session, user, batch_id))


def _item(session: Session, batch: TransferBatch, dossier_id: str) -> TransferItem:
    key = parse_id(dossier_id)
    item = session.scalar(
        select(TransferItem).where(TransferItem.batch_id == batch.id, TransferItem.dossier_id == key)
    )
    if item is None:
        raise ApiError(404, "Hồ sơ không thuộc lần nộp lưu này")
    if item.status != PENDING:
        raise ApiError(409, f"Hồ sơ đã được xử lý ({item.status})")
    return item


def document_checks(ctx: AppContext, session: Session, item: TransferItem) -> list[dict[str, Any]]:
    """Per-document result of the acceptance check: đạt / không đạt with the reason (TT05 Đ.24.2)."""
    skip_all = ctx.faults.on("document_check_skipped")
    skip_virus = ctx.faults.on("virus_scan_skipped")
    handed = {d["document_id"]: d for d in item.snapshot.get("documents", [])}
    out = []
    for link, doc in documents(session, item.dossier_id):
        problems: list[str] = []
        stored = files_of(session, doc.id)
        if doc.id not in handed:
            problems.append("Văn bản được thêm vào hồ sơ sau khi nộp lưu")
        if not stored:
            problems.append("Văn bản không có tệp điện tử")
        expected = {f["name"]: f["sha256"] for f in handed.get(doc.id, {}).get("files", [])}
        for f in stored:
            seen = scan(f.chunks())
            problem = file_problem(f.name, seen, virus_scan=not skip_virus)
            if problem:
                problems.append(problem)
            if f.name in expected and expected[f.name] != seen.sha256:
                problems.append(f"Tệp {f.name} đã bị thay đổi sau khi nộp lưu (SHA-256 khác)")
        if skip_all:
            problems = []
        out.append(
            {
                "dossier_id": item.dossier_id,
                "document_id": doc.id,
                "doc_ordinal": link.doc_ordinal,
                "so_ky_hieu": doc.so_ky_hieu,
                "result": "khong_dat" if problems else "dat",
                "reasons": problems,
            }
        )
    return out


@router.post("/api/transfer/batches/{batch_id}/dossiers/{dossier_id}/accept")
def accept(
    batch_id: str,
    dossier_id: str,
    user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Tiếp nhận: check each document, then hold the dossier in the archive (Đ.30.3.b)."""
    batch = _load_batch(session, user, batch_id)
    item = _item(session, batch, dossier_id)
    checks = document_checks(ctx, session, item)
    item.checks = checks
    failed = [c for c in checks if c["result"] != "dat"]
    if failed:
        session.commit()
        raise ApiError(
            409,
            "Hồ sơ không đạt kiểm tra, cần trả lại để hoàn thiện",
            [{"field": f"documents[{c['doc_ordinal']}]", "message": "; ".join(c["reasons"])} for c in failed],
        )
    dossier = load_dossier(session, item.dossier_id)
    now = ctx.clock.now()
    item.status, item.decided_by, item.decided_at = ACCEPTED, user.id, iso(now)
    row = info(session, dossier.id)
    record = dossier_record(session, dossier)
    if ctx.faults.on("acceptance_drops_document_link") and record["documents"]:
        record["documents"] = record["documents"][:-1]
    row.location, row.accepted_at, row.archived_snapshot = AGENCY_ARCHIVE, iso(now), record
    session.commit()
    return {**_batch_json(session, batch), "dossier": state_json(ctx, session, dossier)}


@router.post("/api/transfer/batches/{batch_id}/dossiers/{dossier_id}/return")
def return_dossier(
    batch_id: str,
    dossier_id: str,
    user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Trả lại a dossier to its creator; the reason is mandatory and shown to the submitter."""
    batch = _load_batch(session, user, batch_id)
    check = Checker(require_object(payload))
    lenient = ctx.faults.on("return_without_reason")
    reason = check.text("reason", 1000, required=not lenient)
    check.raise_if_errors()
    item = _item(session, batch, dossier_id)
    item.status, item.decided_by, item.decided_at = RETURNED, user.id, iso(ctx.clock.now())
    item.reason = None if lenient else reason
    session.commit()
    return _batch_json(session, batch)


@router.get("/api/transfer/batches/{batch_id}/check")
def check_report(
    batch_id: str,
    user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Kết quả kiểm tra per document and the Báo cáo xử lý nghiệp vụ totals (TT05 Đ.24.2, 24.4)."""
    batch = _load_batch(session, user, batch_id)
    results: list[dict[str, Any]] = []
    for item in session.scalars(select(TransferItem).where(TransferItem.batch_id == batch.id)):
        results += (
            item.checks if item.status != PENDING and item.checks else document_checks(ctx, session, item)
        )
    passed = sum(1 for r in results if r["result"] == "dat")
    failed = len(results) - passed
    if ctx.faults.on("check_report_totals_wrong"):
        passed, failed = len(results), 0
    return {
        "batch_id": batch.id,
        "code": batch.code,
        "documents": results,
        "report": {
            "proposed": len(results),
            "passed": passed,
            "failed": failed,
            "reasons": sorted({reason for r in results for reason in r["reasons"]}),
        },
    }


def _accepted_or_pending(session: Session, batch: TransferBatch) -> list[tuple[TransferItem, Dossier]]:
    return list(
        session.execute(
            select(TransferItem, Dossier)
            .join(Dossier, Dossier.id == TransferItem.dossier_id)
            .where(TransferItem.batch_id == batch.id, TransferItem.status != RETURNED)
            .order_by(Dossier.file_notation, Dossier.id)
        )
    )


def _range(dossier: Dossier) -> str:
    start, end = dossier.start_date, dossier.end_date
    if start and end:
        return f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}" if start else ""


@router.get("/api/transfer/batches/{batch_id}/catalogue")
def muc_luc(
    batch_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Mục lục hồ sơ, tài liệu nộp lưu (NĐ 30 Phụ lục V mục III; PL VI Phần V mục 6)."""
    batch = _load_batch(session, user, batch_id)
    rows = _accepted_or_pending(session, batch)
    submitter = session.get(User, batch.submitted_by)
    total = len(rows)
    words = in_words(total + 1 if ctx.faults.on("muc_luc_total_words_wrong") else total)
    return {
        "title": "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU",
        "unit": ctx.config.organ_name,
        "year": batch.year,
        "columns": MUC_LUC_COLUMNS,
        "rows": [
            {
                "stt": n,
                "file_notation": d.file_notation,
                "title": d.title,
                "time_range": _range(d),
                "maintenance": d.maintenance,
                "pages": d.page_total,
                "note": d.description or "",
            }
            for n, (_it, d) in enumerate(rows, 1)
        ],
        "total": total,
        "total_words": words,
        "closing": (
            f"Mục lục này gồm: {total} hồ sơ (đơn vị bảo quản). "
            f"Viết bằng chữ: {words} hồ sơ (đơn vị bảo quản)."
        ),
        "prepared_by": submitter.full_name if submitter else None,
    }


@router.get("/api/transfer/batches/{batch_id}/minutes")
def bien_ban(
    batch_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Biên bản giao nhận hồ sơ, tài liệu (NĐ 30 Phụ lục V mục V; Đ.30.3.a)."""
    batch = _load_batch(session, user, batch_id)
    rows = [(it, d) for it, d in _accepted_or_pending(session, batch) if it.status == ACCEPTED]
    submitter = session.get(User, batch.submitted_by)
    receiver = session.get(User, next((it.decided_by for it, _d in rows if it.decided_by), 0) or 0)
    files = docs = 0
    for _it, d in rows:
        for _link, doc in documents(session, d.id):
            docs += 1
            files += len(files_of(session, doc.id))
    years = sorted({y for _it, d in rows for y in (d.start_date, d.end_date) if y})
    return {
        "title": "BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU",
        "bases": [
            "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
            f"Danh mục hồ sơ năm {batch.year} của {ctx.config.organ_name}",
        ],
        "deliverer": {"full_name": submitter.full_name if submitter else None, "position": "Người lập hồ sơ"},
        "receiver": {
            "full_name": receiver.full_name if receiver else None,
            "position": "Lưu trữ viên",
            "unit": "Lưu trữ cơ quan",
        },
        "collection_name": f"Hồ sơ, tài liệu nộp lưu lần {batch.code} của {ctx.config.organ_name}",
        "time_range": f"{years[0].year} - {years[-1].year}" if years else "",
        "dossier_total": len(rows),
        "file_total": docs if ctx.faults.on("bien_ban_file_total_wrong") else files,
        "condition": "Hồ sơ đầy đủ, tệp tin toàn vẹn (đã kiểm tra SHA-256)",
        "attached_catalogue": f"Mục lục hồ sơ, tài liệu nộp lưu gồm {len(rows)} hồ sơ",
        "copies": 2,
    }


def state_json(ctx: AppContext, session: Session, dossier: Dossier) -> dict[str, Any]:
    """Where a dossier is in area 4 and what the archive holds of it."""
    row = session.get(DossierTransfer, dossier.id)
    held = row is not None and row.location is not None
    out: dict[str, Any] = {
        "dossier_id": dossier.id,
        "file_code": dossier.file_code,
        "location": row.location if row else None,
        "status": row.location
        if held
        else ("cho_tiep_nhan" if _pending_or_held(session, dossier.id) else "tai_don_vi"),
        "accepted_at": row.accepted_at if row else None,
        "editable_by_creator": not held or ctx.faults.on("archived_dossier_still_editable"),
        "historical_due": None,
        "record": row.archived_snapshot if held and row else None,
    }
    if held and row and row.accepted_at:
        year = int(row.accepted_at[:4])
        due = historical_due(year)
        if ctx.faults.on("historical_deadline_wrong"):
            due = add_years(due, 5)
        out["historical_due"] = due.isoformat()
    return out


@router.get("/api/transfer/dossiers/{dossier_id}")
def dossier_state(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """A dossier's transfer state and, once accepted, the archive's record of it."""
    return state_json(ctx, session, load_dossier(session, dossier_id))
