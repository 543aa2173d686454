"""Văn bản đi: registration (cấp số) and reading (NĐ 30 PL VI Phần II.I, Điều 15)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from refoffice import numbering
from refoffice.agencies import AgencyDirectory
from refoffice.auth import VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.config import ORGAN_ID_RE
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import ApiError, field_error
from refoffice.models import OutgoingDocument, User
from refoffice.validation import Checker, json_body, parse_id, require_object

# Ký hiệu of G-SKH (NĐ 30 PL I Phần I II.3): groups joined by "-", no spaces, upper case
# except the mixed-case type abbreviations (TTr, QyĐ, CTr, TrS).
CODE_NOTATION_RE = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*$")
SUBJECT_MAX = 500
SUBJECT_MAX_FAULT = 2000

router = APIRouter()


def _recipients(check: Checker, value: Any, directory: AgencyDirectory) -> list[dict[str, str | None]]:
    """`to`: each entry needs a name or a code; the missing one is filled from the directory."""
    if value is None:
        return []
    if not isinstance(value, list):
        check.error("to", "Phải là danh sách nơi nhận")
        return []
    out: list[dict[str, str | None]] = []
    for i, item in enumerate(value):
        where = f"to[{i}]"
        if not isinstance(item, dict):
            check.error(where, "Phải là đối tượng có organ_id, organ_name")
            continue
        sub = Checker(item, prefix=f"{where}.")
        organ_id = sub.text("organ_id", 35)
        if organ_id is not None and not ORGAN_ID_RE.match(organ_id):
            sub.error(
                "organ_id",
                "Mã định danh cơ quan không đúng định dạng (QCVN 102:2016 hoặc QĐ 20/2020/QĐ-TTg)",
            )
            organ_id = None
        organ_name = sub.text("organ_name", 200)
        check.errors.extend(sub.errors)
        if sub.errors:
            continue
        if organ_id is None and organ_name is None:
            check.error(where, "Cần tên hoặc mã định danh của cơ quan nhận")
            continue
        if organ_id is None and organ_name is not None:
            organ_id = directory.id_for(organ_name)
        if organ_name is None and organ_id is not None:
            organ_name = directory.name_for(organ_id)
        out.append({"organ_id": organ_id, "organ_name": organ_name})
    return out


def _series(check: Checker, type_name: str | None) -> str | None:
    value = check.text("series", 50)
    if value is None:
        return numbering.default_series(type_name) if type_name else None
    series = numbering.canonical_series(value)
    if series is None:
        allowed = ", ".join((numbering.THUONG, numbering.MAT, *numbering.VBQPPL_SERIES))
        check.error("series", f"Hệ thống số không hợp lệ; dùng một trong: {allowed}")
    return series


def _client_number(check: Checker) -> str | None:
    """Only under `manual_number_required`: the number the văn thư typed."""
    raw = check.data.get("code_number")
    if isinstance(raw, int) and not isinstance(raw, bool):
        check.data["code_number"] = str(raw)
    number = check.text("code_number", 11)
    if number is not None and not (number.isascii() and number.isdigit()):
        check.error("code_number", "Số văn bản chỉ gồm chữ số Ả Rập")
        return None
    return number


def document_json(doc: OutgoingDocument) -> dict[str, Any]:
    """The public record of an outgoing document."""
    return {
        "id": doc.id,
        "series": doc.series,
        "type_name": doc.type_name,
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "so_ky_hieu": doc.so_ky_hieu,
        "issued_date": doc.issued_date.isoformat(),
        "organ_id": doc.organ_id,
        "organ_name": doc.organ_name,
        "file_catalog": doc.file_catalog,
        "subject": doc.subject,
        "language": doc.language,
        "page_amount": doc.page_amount,
        "description": doc.description,
        "signer_position": doc.signer_position,
        "signer_full_name": doc.signer_full_name,
        "to": doc.recipients,
        "priority": doc.priority,
        "issued_amount": doc.issued_amount,
        "due_date": doc.due_date.isoformat() if doc.due_date else None,
        "doc_code": doc.doc_code,
        "created_at": doc.created_at,
        "created_by": doc.created_by,
    }


@router.post("/api/documents/outgoing", status_code=201)
def register_outgoing(
    user: Annotated[User, Depends(require_role(VAN_THU))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Register (cấp số) an outgoing document: the system assigns number, date and codes."""
    faults, config = ctx.faults, ctx.config
    check = Checker(require_object(payload))
    type_name = check.text("type_name", 100, required=True)
    code_notation = check.text("code_notation", 30, required=True)
    if code_notation is not None and not CODE_NOTATION_RE.match(code_notation):
        check.error(
            "code_notation",
            "Ký hiệu không đúng quy định: các nhóm chữ viết tắt nối bằng dấu gạch nối (-), "
            "không có khoảng trắng, viết hoa (ví dụ QĐ-UBND)",
        )
    raw_subject = check.data.get("subject")
    too_long = isinstance(raw_subject, str) and len(raw_subject.strip()) > SUBJECT_MAX
    subject_max = SUBJECT_MAX_FAULT if too_long and faults.on("subject_length_unchecked") else SUBJECT_MAX
    subject = check.text("subject", subject_max, required=True)
    organ_name = check.text("organ_name", 200, default=config.organ_name)
    language = check.text("language", 30, default="Tiếng Việt")
    page_amount = check.integer("page_amount", 1, 999, required=True)
    description = check.text("description", 500)
    signer_position = check.text("signer_position", 100)
    signer_full_name = check.text("signer_full_name", 50)
    recipients = _recipients(
        check,
        check.data.get("to") if check.present("to") else None,
        AgencyDirectory(config.organ_id, config.organ_name),
    )
    priority = check.integer("priority", 0, 4, default=0)
    issued_amount = check.integer("issued_amount", 0, 999)
    due_date = check.date("due_date")
    series = _series(check, type_name)
    manual = faults.on("manual_number_required")
    client_number: str | None = None
    if check.present("code_number"):
        if manual or faults.on("manual_number_accepted"):
            client_number = _client_number(check)
        else:
            check.error(
                "code_number",
                "Số văn bản do Hệ thống tự động cấp, không được nhập tay "
                "(NĐ 30/2020/NĐ-CP Phụ lục VI Phần III mục 1.đ)",
            )
    check.raise_if_errors()
    assert type_name and code_notation and subject and series and page_amount is not None

    with ctx.write_lock:
        now = ctx.clock.now()
        today = now.date()
        if due_date is not None and due_date < today:
            raise field_error("due_date", "Hạn trả lời không được trước ngày ban hành")
        for _attempt in range(5):
            seq = numbering.next_seq(
                session, series, today.year, continuous=faults.on("numbering_no_year_restart")
            )
            padded = numbering.render_number(seq)
            if client_number is not None or manual:
                code_number = client_number
            else:
                code_number = numbering.render_number(seq, padded=not faults.on("code_number_not_padded"))
            number_in_code = client_number or padded
            if faults.on("doc_code_without_date"):
                doc_code = f"{config.organ_id},{number_in_code}/{code_notation}"
            else:
                doc_code = f"{config.organ_id},{today:%Y/%m/%d},{number_in_code}/{code_notation}"
            twins = session.scalars(
                select(OutgoingDocument.id).where(OutgoingDocument.doc_code == doc_code)
            ).all()
            doc = OutgoingDocument(
                series=series,
                number_year=today.year,
                number_seq=seq,
                code_number=code_number,
                code_notation=code_notation,
                so_ky_hieu=numbering.so_ky_hieu(code_number, code_notation) if code_number else None,
                type_name=type_name,
                subject=subject,
                organ_id=None if faults.on("organ_id_not_autofilled") else config.organ_id,
                organ_name=organ_name,
                file_catalog=today.year,
                issued_date=today,
                language=language,
                page_amount=page_amount,
                description=description,
                signer_position=signer_position,
                signer_full_name=signer_full_name,
                recipients=recipients,
                priority=priority,
                issued_amount=issued_amount,
                due_date=due_date,
                doc_code=doc_code,
                created_at=iso(now),
                created_by=user.id,
            )
            session.add(doc)
            try:
                session.commit()
                break
            except IntegrityError:  # another process took the number (shared PostgreSQL)
                session.rollback()
        else:
            raise ApiError(409, "Không cấp được số văn bản, vui lòng thử lại")

    body = document_json(doc)
    body["warnings"] = [
        f"Trùng mã định danh văn bản với văn bản đi #{twin} (NĐ 30/2020/NĐ-CP Phụ lục VI Phần III mục 1.h)"
        for twin in twins
    ]
    return JSONResponse(body, status_code=201)


@router.get("/api/documents/outgoing/{doc_id}")
def get_outgoing(
    doc_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One outgoing document."""
    key = parse_id(doc_id)
    doc = session.get(OutgoingDocument, key) if key is not None else None
    if doc is None:
        raise ApiError(404, "Không tìm thấy văn bản đi")
    return document_json(doc)


def list_documents(session: Session, year: int | None) -> list[OutgoingDocument]:
    """Outgoing documents in register order, optionally of one year."""
    query = select(OutgoingDocument).order_by(OutgoingDocument.issued_date, OutgoingDocument.id)
    if year is not None:
        query = query.where(OutgoingDocument.file_catalog == year)
    return list(session.scalars(query))


def parse_year(value: str | None, field: str = "year") -> int | None:
    """A four-digit year from a query string."""
    if value is None or value == "":
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise field_error(field, "Năm phải gồm 4 chữ số")
    return int(value)


@router.get("/api/documents/outgoing")
def list_outgoing(
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    year: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """The outgoing register, optionally for one year."""
    return {"items": [document_json(d) for d in list_documents(session, parse_year(year))]}
