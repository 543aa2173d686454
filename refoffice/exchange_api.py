"""HTTP API of the exchange: văn bản đến, sending and recalling văn bản đi, the axis connection.

Everything the axis does happens in ``connector``; these routes are how people (and the harness's
bindings in ``targets/reference.yaml``) see and steer it: register number and state of each
incoming document, the leader's assignment (status 04), processing (05) and completion (06), the
sending of an outgoing document and the statuses each recipient reported (SR-084).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.auth import CHUYEN_VIEN, LANH_DAO, VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.connector import STATUS_TEXT, Connector, Original
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import ApiError, field_error
from refoffice.models import OutgoingDocument, User
from refoffice.models_exchange import IncomingDocument, SentPackage
from refoffice.validation import json_body, parse_id, require_object

router = APIRouter()


async def optional_json(request: Request) -> Any:
    """An optional JSON body (none means "the document's own recipients", "no reason given")."""
    raw = await request.body()
    return await json_body(request) if raw.strip() else None


def _connector(request: Request) -> Connector:
    conn = getattr(request.app.state, "connector", None)
    if conn is None:
        raise ApiError(503, "Hệ thống chưa kết nối trục liên thông văn bản")
    return conn


def incoming_json(doc: IncomingDocument) -> dict[str, Any]:
    """The public record of a văn bản đến (NĐ 30 PL VI Phần II.II)."""
    return {
        "id": doc.id,
        "arrival_year": doc.arrival_year,
        "arrival_number": doc.arrival_number,
        "arrival_date": doc.arrival_date,
        "document_id": doc.document_id,
        "from_organ_id": doc.from_organ_id,
        "from_organ_name": doc.from_organ_name,
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "so_ky_hieu": doc.so_ky_hieu,
        "type_name": doc.type_name,
        "subject": doc.subject,
        "promulgation_date": doc.promulgation_date.isoformat(),
        "due_date": doc.due_date.isoformat() if doc.due_date else None,
        "priority": doc.priority,
        "urgent": doc.priority >= 1,
        "paper_expected": doc.paper_expected,
        "page_amount": doc.page_amount,
        "signer": doc.signer,
        "status": doc.status,
        "warnings": list(doc.warnings),
        "attachments": list(doc.attachments),
        "history": list(doc.history),
        "replaces_id": doc.replaces_id,
        "replaced_by_id": doc.replaced_by_id,
        "axis_delivery_id": doc.axis_delivery_id,
        "package_sha256": doc.package_sha256,
    }


@router.get("/api/exchange/connection")
def connection(_user: Annotated[User, Depends(current_user)], request: Request) -> dict[str, Any]:
    """The state of the axis connection, as the văn thư sees it (a refused connection is shown)."""
    return _connector(request).status()


@router.get("/api/documents/incoming")
def list_incoming(
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    document_id: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """The sổ đến in register order, or the registrations of one mã định danh văn bản."""
    q = select(IncomingDocument).order_by(IncomingDocument.arrival_year, IncomingDocument.arrival_number)
    if document_id:
        q = q.where(IncomingDocument.document_id == document_id)
    items = [incoming_json(d) for d in session.scalars(q)]
    return {"items": items, "total": len(items)}


def _incoming(session: Session, doc_id: str) -> IncomingDocument:
    key = parse_id(doc_id)
    doc = session.get(IncomingDocument, key) if key is not None else None
    if doc is None:
        raise ApiError(404, "Không tìm thấy văn bản đến")
    return doc


@router.get("/api/documents/incoming/{doc_id}")
def get_incoming(
    doc_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    return incoming_json(_incoming(session, doc_id))


def _advance(
    request: Request,
    ctx: AppContext,
    session: Session,
    doc_id: str,
    user: User,
    to: str,
    code: str,
    allowed: set[str],
) -> dict[str, Any]:
    """Move a văn bản đến along its handling (NĐ 30 Điều 23) and report the status to the sender."""
    conn = _connector(request)
    with ctx.write_lock:
        doc = _incoming(session, doc_id)
        if doc.status not in allowed:
            raise ApiError(409, f"Văn bản đang ở trạng thái {doc.status}, không chuyển sang {to} được")
        doc.status = to
        doc.history = [*doc.history, {"action": to, "at": iso(ctx.clock.now()), "by": user.username}]
        session.commit()
    skip = {"05": "status_05_not_sent"}.get(code)
    if not (skip and conn.on(skip)):
        conn.send_status(
            Original(doc.from_organ_id, doc.so_ky_hieu, doc.promulgation_date, doc.document_id),
            code,
            STATUS_TEXT[code],
        )
    return incoming_json(doc)


@router.post("/api/documents/incoming/{doc_id}/assign")
def assign(
    doc_id: str,
    request: Request,
    user: Annotated[User, Depends(require_role(LANH_DAO))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The leader assigns the handling (status 04)."""
    return _advance(request, ctx, session, doc_id, user, "da_phan_cong", "04", {"da_vao_so"})


@router.post("/api/documents/incoming/{doc_id}/process")
def process(
    doc_id: str,
    request: Request,
    user: Annotated[User, Depends(require_role(CHUYEN_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The handler starts (status 05)."""
    return _advance(request, ctx, session, doc_id, user, "dang_xu_ly", "05", {"da_phan_cong"})


@router.post("/api/documents/incoming/{doc_id}/complete")
def complete(
    doc_id: str,
    request: Request,
    user: Annotated[User, Depends(require_role(CHUYEN_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The handler finishes (status 06)."""
    allowed = (
        {"dang_xu_ly", "da_phan_cong"}
        if request.app.state.ctx.faults.on("status_05_not_sent")
        else {"dang_xu_ly"}
    )
    return _advance(request, ctx, session, doc_id, user, "hoan_thanh", "06", allowed)


def _outgoing(session: Session, doc_id: str) -> OutgoingDocument:
    key = parse_id(doc_id)
    doc = session.get(OutgoingDocument, key) if key is not None else None
    if doc is None:
        raise ApiError(404, "Không tìm thấy văn bản đi")
    return doc


def _sent_json(sent: SentPackage) -> dict[str, Any]:
    return {
        "id": sent.id,
        "business": sent.business,
        "state": sent.state,
        "error": sent.error,
        "attempts": sent.attempts,
        "axis_doc_id": sent.axis_doc_id,
        "document_id": sent.document_id,
        "sent_at": sent.sent_at,
        "package_sha256": sent.package_sha256,
        "recipients": [{**r, "codes": [x["code"] for x in r.get("statuses", [])]} for r in sent.recipients],
    }


@router.post("/api/documents/outgoing/{doc_id}/send")
def send(
    doc_id: str,
    request: Request,
    _user: Annotated[User, Depends(require_role(VAN_THU))],
    payload: Annotated[Any, Depends(optional_json)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Send a registered outgoing document over the axis to its recipients (or to ``to``)."""
    conn = _connector(request)
    doc = _outgoing(session, doc_id)
    body = require_object(payload) if payload is not None else {}
    if doc.series == "mat" and not conn.on("secret_sent_over_axis"):
        raise ApiError(
            409,
            "Văn bản mật không được gửi qua Trục liên thông văn bản quốc gia "
            "(QĐ 28/2018/QĐ-TTg; NĐ 30/2020/NĐ-CP Điều 16.3)",
            [{"field": "series", "message": "Văn bản mật"}],
        )
    to = body.get("to") if body.get("to") is not None else doc.recipients
    if not isinstance(to, list) or not to or not all(isinstance(r, dict) and r.get("organ_id") for r in to):
        raise field_error("to", "Cần ít nhất một nơi nhận có mã định danh (organ_id)")
    try:
        sent = conn.send_document(doc, to)
    except LookupError as exc:
        raise field_error("to", str(exc)) from None
    out = {**_sent_json(sent), "send_status": sent.state}
    return JSONResponse(out, status_code=200 if sent.state == "da_gui" else 502)


@router.post("/api/documents/outgoing/{doc_id}/recall")
def recall(
    doc_id: str,
    request: Request,
    _user: Annotated[User, Depends(require_role(VAN_THU))],
    payload: Annotated[Any, Depends(optional_json)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Thu hồi a sent document: a BussinessDocType 1 package to its recipients (NĐ 30 Điều 18.4.b)."""
    conn = _connector(request)
    doc = _outgoing(session, doc_id)
    body = require_object(payload) if payload is not None else {}
    first = session.scalars(
        select(SentPackage).where(SentPackage.outgoing_id == doc.id, SentPackage.business == 0)
    ).first()
    if first is None or first.state != "da_gui":
        raise ApiError(409, "Văn bản chưa được gửi qua trục, không có gì để thu hồi")
    reason = str(body.get("reason") or "Thu hồi văn bản điện tử")
    sent = conn.send_document(doc, first.recipients, business=1, reason=reason)
    return JSONResponse(
        {**_sent_json(sent), "send_status": sent.state}, status_code=200 if sent.state == "da_gui" else 502
    )


@router.get("/api/documents/outgoing/{doc_id}/exchange")
def exchange_state(
    doc_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Every package sent for the document, and per recipient the statuses it reported (SR-084)."""
    doc = _outgoing(session, doc_id)
    rows = session.scalars(
        select(SentPackage).where(SentPackage.outgoing_id == doc.id).order_by(SentPackage.id)
    )
    packages = [_sent_json(r) for r in rows]
    first = next((p for p in packages if p["business"] == 0), None)
    return {
        "document_id": doc.doc_code,
        "packages": packages,
        "state": first["state"] if first else None,
        "recipients": first["recipients"] if first else [],
        "recalled": any(p["business"] == 1 and p["state"] == "da_gui" for p in packages),
    }
