"""From the agency archive to the historical archive (Luật Lưu trữ 2024 Đ.17; TT 05 and TT 06/2025/TT-BNV).

The archive describes each permanent dossier for the package (biên mục: confidence level, paper code of
a digitised dossier, backup copy), registers the transfer with the historical archive (registration
code, the fonds record, the dossiers and their package numbers), exports one SIP_hoso per dossier
(``refoffice.sip``) and records the hand-over. The 2020 regime's hand-over format, the NĐ 30 dossier
XML (Phụ lục VI Phần II), is exported here too.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice import sip
from refoffice.auth import LUU_TRU_VIEN, current_user, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import ApiError, field_error
from refoffice.models import Dossier, OutgoingDocument, User
from refoffice.models_transfer import (
    DossierTransfer,
    HistoricalRegistration,
    PackagedDocument,
    RegistrationItem,
)
from refoffice.transfer import AGENCY_ARCHIVE, HISTORICAL_ARCHIVE, info, load_dossier, state_json
from refoffice.transfer_sources import documents, files_of
from refoffice.tt05_codes import is_permanent, qd20_organ_code
from refoffice.validation import Checker, json_body, parse_id, require_object

router = APIRouter()

# [Mã cơ quan lưu trữ].[Số kho/giá/hộp].[Số hồ sơ giấy] (metadata-and-packages.md §8.6) [I]
PAPER_FILE_CODE_RE = re.compile(r"^[A-Z0-9]+(?:\.[A-Z0-9]+)*\.[A-Za-z0-9-]+\.[A-Za-z0-9-]+$")
# Dữ liệu phông lưu trữ (TT 05/2025 Đ.5; metadata-and-packages.md §5.2): key → Vietnamese label, max length
FONDS_FIELDS = {
    "code": ("Mã phông", 13),
    "name": ("Tên phông", 200),
    "status": ("Trạng thái (đóng, mở)", 10),
    "history": ("Lịch sử đơn vị hình thành phông", 4000),
    "time_range": ("Thời gian tài liệu", 30),
    "total_documents": ("Tổng số tài liệu", 10),
    "classification": ("Phương án phân loại hoặc các nhóm tài liệu chủ yếu", 300),
    "language": ("Ngôn ngữ", 100),
    "risk_recovery": ("Chế độ dự phòng", 30),
    "note": ("Ghi chú", 1000),
}
FONDS_STATUS = ("đóng", "mở")


def _held(session: Session, dossier: Dossier) -> DossierTransfer:
    row = session.get(DossierTransfer, dossier.id)
    if row is None or row.location != AGENCY_ARCHIVE:
        raise field_error(
            "dossier_id", "Hồ sơ chưa được Lưu trữ cơ quan tiếp nhận hoặc đã nộp lưu lịch sử", status=409
        )
    return row


@router.post("/api/transfer/dossiers/{dossier_id}/description")
def describe(
    dossier_id: str,
    _user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Biên mục for the package: TT05 EAD confidenceLevel, paperFileCode, numberOfPaper, riskRecovery…"""
    dossier = load_dossier(session, dossier_id)
    data = require_object(payload)
    check = Checker(data)
    level = check.text("confidence_level", 2) or "01"
    if level not in ("01", "02", "03"):
        check.error("confidence_level", "Mức độ tin cậy: 01 gốc điện tử, 02 số hóa, 03 hỗn hợp")
    paper = check.text("paper_file_code", 100, required=level == "02")
    if paper is not None and not PAPER_FILE_CODE_RE.match(paper):
        check.error(
            "paper_file_code", "Mã hồ sơ gốc giấy: [Mã cơ quan lưu trữ].[Số kho/giá/hộp].[Số hồ sơ giấy]"
        )
    sheets = check.integer("number_of_paper", 1, 10**9, required=level == "02")
    risk = data.get("risk_recovery", False)
    if not isinstance(risk, bool):
        check.error("risk_recovery", "Phải là true hoặc false")
        risk = False
    status = check.text("risk_recovery_status", 2, required=bool(risk))
    if status is not None and status not in ("01", "02"):
        check.error("risk_recovery_status", "Tình trạng dự phòng: 01 đã dự phòng, 02 chưa dự phòng")
    physical = check.text("format", 50)
    keyword = check.text("keyword", 100)
    check.raise_if_errors()
    row = info(session, dossier.id)
    row.confidence_level = level
    row.paper_file_code = paper if level == "02" else None
    row.number_of_paper = sheets if level == "02" else None
    row.risk_recovery = bool(risk)
    row.risk_recovery_status = status if risk else None
    row.physical_format, row.keyword = physical, keyword
    session.commit()
    return {"dossier_id": dossier.id, **_description(row)}


def _description(row: DossierTransfer) -> dict[str, Any]:
    return {
        "confidence_level": row.confidence_level,
        "paper_file_code": row.paper_file_code,
        "number_of_paper": row.number_of_paper,
        "risk_recovery": row.risk_recovery,
        "risk_recovery_status": row.risk_recovery_status,
        "format": row.physical_format,
        "keyword": row.keyword,
    }


def _fonds(check: Checker, value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        check.error("fonds", "Thiếu dữ liệu phông lưu trữ (mã phông, tên phông, trạng thái, lịch sử…)")
        return None
    sub = Checker(value, prefix="fonds.")
    out: dict[str, str] = {}
    for key, (_label, max_len) in FONDS_FIELDS.items():
        if key == "total_documents":
            n = sub.integer(key, 0, 10**10 - 1, required=True)
            out[key] = str(n) if n is not None else ""
            continue
        text = sub.text(key, max_len, required=key != "note")
        out[key] = text or ""
    if out.get("status") and out["status"].lower() not in FONDS_STATUS:
        sub.error("status", "Trạng thái phông: đóng hoặc mở")
    check.errors.extend(sub.errors)
    return out


def _registration_json(session: Session, reg: HistoricalRegistration) -> dict[str, Any]:
    rows = session.execute(
        select(RegistrationItem, Dossier)
        .join(Dossier, Dossier.id == RegistrationItem.dossier_id)
        .where(RegistrationItem.registration_id == reg.id)
        .order_by(RegistrationItem.sequence)
    )
    return {
        "id": reg.id,
        "code": reg.code,
        "archive_name": reg.archive_name,
        "status": reg.status,
        "created_at": reg.created_at,
        "fonds": reg.fonds or None,
        "history": reg.history,
        "items": [
            {"dossier_id": d.id, "file_code": d.file_code, "sequence": it.sequence, "objid": it.objid}
            for it, d in rows
        ],
    }


@router.post("/api/transfer/registrations", status_code=201)
def register(
    user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Đăng ký nộp lưu with the historical archive: a unique registration code, fonds, dossiers."""
    faults = ctx.faults
    data = require_object(payload)
    check = Checker(data)
    archive = check.text("archive_name", 200, required=True)
    fonds: dict[str, str] | None = None
    if data.get("fonds") is not None or not faults.on("fonds_record_not_required"):
        fonds = _fonds(check, data.get("fonds"))
    raw = data.get("dossier_ids")
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
    ):
        check.error("dossier_ids", "Cần danh sách hồ sơ (mã số) đăng ký nộp lưu")
        raw = []
    check.raise_if_errors()
    dossiers = []
    for i, did in enumerate(raw):
        where = f"dossier_ids[{i}]"
        dossier = session.get(Dossier, did)
        if dossier is None:
            raise field_error(where, "Không tìm thấy hồ sơ", status=404, detail="Không tìm thấy hồ sơ")
        row = session.get(DossierTransfer, dossier.id)
        if row is None or row.location != AGENCY_ARCHIVE:
            check.error(where, "Hồ sơ chưa được Lưu trữ cơ quan tiếp nhận")
        if not is_permanent(dossier.maintenance) and not faults.on("non_permanent_to_historical"):
            check.error(
                where, f"Chỉ hồ sơ bảo quản vĩnh viễn được nộp vào Lưu trữ lịch sử ({dossier.maintenance})"
            )
        taken = session.scalar(
            select(RegistrationItem.id)
            .join(HistoricalRegistration, HistoricalRegistration.id == RegistrationItem.registration_id)
            .where(RegistrationItem.dossier_id == dossier.id)
        )
        if taken is not None:
            check.error(where, "Hồ sơ đã có trong một đăng ký nộp lưu khác")
        dossiers.append(dossier)
    check.raise_if_errors()
    with ctx.write_lock:
        now = ctx.clock.now()
        n = session.scalar(select(func.count(HistoricalRegistration.id))) or 0
        organ = qd20_organ_code(ctx.config.organ_id)
        seq = 1 if faults.on("registration_code_reused") else n + 1
        reg = HistoricalRegistration(
            code=f"DKNL-{organ}-{now.year}-{seq:04d}",
            archive_name=archive,
            status="da_dang_ky",
            created_at=iso(now),
            created_by=user.id,
            fonds=(fonds or {}) if not faults.on("fonds_record_not_required") else {},
            history=[{"status": "da_dang_ky", "at": iso(now), "by": user.full_name}],
        )
        session.add(reg)
        session.flush()
        for seq, dossier in enumerate(dossiers, 1):
            session.add(RegistrationItem(registration_id=reg.id, dossier_id=dossier.id, sequence=seq))
        session.commit()
    return JSONResponse(_registration_json(session, reg), status_code=201)


def _registration(session: Session, registration_id: str) -> HistoricalRegistration:
    key = parse_id(registration_id)
    reg = session.get(HistoricalRegistration, key) if key is not None else None
    if reg is None:
        raise ApiError(404, "Không tìm thấy đăng ký nộp lưu")
    return reg


@router.get("/api/transfer/registrations/{registration_id}")
def get_registration(
    registration_id: str,
    _user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """A registration with its status history."""
    return _registration_json(session, _registration(session, registration_id))


@router.post("/api/transfer/registrations/{registration_id}/complete")
def complete(
    registration_id: str,
    user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The historical archive received the packages: the dossiers leave the agency archive."""
    reg = _registration(session, registration_id)
    if reg.status != "da_dang_ky":
        raise ApiError(409, "Đăng ký nộp lưu đã hoàn thành")
    items = session.scalars(select(RegistrationItem).where(RegistrationItem.registration_id == reg.id)).all()
    missing = [it.dossier_id for it in items if not it.objid]
    if missing:
        raise ApiError(
            409,
            "Chưa xuất gói SIP của mọi hồ sơ trong đăng ký",
            [{"field": "dossier_ids", "message": f"Hồ sơ chưa có gói: {missing}"}],
        )
    now = ctx.clock.now()
    if not ctx.faults.on("historical_handover_not_recorded"):
        for it in items:
            info(session, it.dossier_id).location = HISTORICAL_ARCHIVE
    reg.status = "da_nop"
    reg.history = [*reg.history, {"status": "da_nop", "at": iso(now), "by": user.full_name}]
    session.commit()
    return _registration_json(session, reg)


def _workflow(session: Session, doc: OutgoingDocument, dossier: Dossier) -> str:
    """Quy trình xử lý văn bản on the system (process = 1): what the reference recorded about it."""
    clerk = session.get(User, doc.created_by)
    owner = session.get(User, dossier.owner)
    return (
        f"Quy trình xử lý văn bản {doc.so_ky_hieu or ''} — {doc.subject}\n"
        f"{doc.created_at}\tĐăng ký, cấp số văn bản đi\t{clerk.full_name if clerk else ''}\n"
        f"{dossier.created_at}\tĐưa vào hồ sơ {dossier.file_code}\t{owner.full_name if owner else ''}\n"
    )


def pack_dossier(
    ctx: AppContext, session: Session, dossier: Dossier, reg: HistoricalRegistration | None, sequence: int
) -> tuple[sip.PackDossier, list[int]]:
    """The dossier as ``refoffice.sip`` packages it, and the documents the package carries in full."""
    row = info(session, dossier.id)
    organ = qd20_organ_code(ctx.config.organ_id)
    file_code = f"{organ}.{dossier.file_catalog}.{dossier.file_notation}"
    owner = session.get(User, dossier.owner)
    docs: list[sip.PackDocument] = []
    carried: list[int] = []
    for link, doc in documents(session, dossier.id):
        stored = files_of(session, doc.id)
        if not stored:
            raise field_error("dossier_id", f"Văn bản {doc.so_ky_hieu} chưa có tệp điện tử", status=409)
        main = stored[0]
        earlier = session.get(PackagedDocument, doc.id)
        holey = earlier is not None and earlier.dossier_id != dossier.id
        if not holey:
            carried.append(doc.id)
        docs.append(
            sip.PackDocument(
                ordinal=link.doc_ordinal,
                type_name=doc.type_name,
                code_number=doc.code_number,
                code_notation=doc.code_notation,
                issued_date=doc.issued_date,
                organ_name=doc.organ_name,
                subject=doc.subject,
                language=doc.language,
                page_amount=doc.page_amount,
                file_name=main.name,
                file=sip.Blob(content=main.content),
                workflow=_workflow(session, doc, dossier),
                description=doc.description,
                earlier_package=holey,
            )
        )
    fonds_code = (reg.fonds or {}).get("code") if reg is not None else None
    pack = sip.PackDossier(
        file_code=file_code,
        title=dossier.title,
        maintenance=dossier.maintenance,
        rights=dossier.rights,
        language=dossier.language,
        start_date=dossier.start_date or dossier.end_date or ctx.clock.today(),
        end_date=dossier.end_date or ctx.clock.today(),
        creator=owner.full_name if owner else dossier.creator,
        description=dossier.description,
        organ_name=ctx.config.organ_name,
        fonds_code=fonds_code or organ,
        created=ctx.clock.now(),
        documents=tuple(docs),
        confidence_level=row.confidence_level,
        paper_file_code=row.paper_file_code,
        number_of_paper=row.number_of_paper,
        risk_recovery=row.risk_recovery,
        risk_recovery_status=row.risk_recovery_status,
        physical_format=row.physical_format,
        keyword=row.keyword,
        registration_code=reg.code if reg is not None else None,
        sequence=sequence,
    )
    return pack, carried


def _stream(fh: IO[bytes]) -> Iterator[bytes]:
    try:
        fh.seek(0)
        while chunk := fh.read(sip.CHUNK):
            yield chunk
    finally:
        fh.close()


@router.get("/api/transfer/dossiers/{dossier_id}/sip")
def export_sip(
    dossier_id: str,
    _user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    registration: Annotated[str | None, Query()] = None,
) -> StreamingResponse:
    """The dossier's SIP_hoso for the historical archive, as a ZIP named [STT gói][OBJID].zip."""
    dossier = load_dossier(session, dossier_id)
    _held(session, dossier)
    if not is_permanent(dossier.maintenance) and not ctx.faults.on("non_permanent_to_historical"):
        raise field_error(
            "dossier_id",
            f"Chỉ hồ sơ bảo quản vĩnh viễn được nộp vào Lưu trữ lịch sử (hồ sơ này: {dossier.maintenance})",
            status=409,
        )
    reg, item = None, None
    if registration is not None:
        reg = _registration(session, registration)
        item = session.scalar(
            select(RegistrationItem).where(
                RegistrationItem.registration_id == reg.id, RegistrationItem.dossier_id == dossier.id
            )
        )
        if item is None:
            raise field_error("registration", "Hồ sơ không thuộc đăng ký nộp lưu này", status=409)
    pack, carried = pack_dossier(ctx, session, dossier, reg, item.sequence if item else 1)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    result = sip.write_sip(pack, qd20_organ_code(ctx.config.organ_id), out, ctx.faults)
    for doc_id in carried:
        if session.get(PackagedDocument, doc_id) is None:
            session.add(PackagedDocument(document_id=doc_id, dossier_id=dossier.id, objid=result.objid))
    if item is not None:
        item.objid = result.objid
    session.commit()
    headers = {
        "Content-Disposition": f'attachment; filename="{result.zip_name}"',
        "Content-Length": str(result.size),
        "X-Package-Objid": result.objid,
    }
    return StreamingResponse(_stream(out), media_type="application/zip", headers=headers)


def _dmy(d: date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if d else ""


def _el(parent: Any, name: str, value: Any) -> None:
    etree.SubElement(parent, name).text = "" if value is None else str(value)


@router.get("/api/transfer/dossiers/{dossier_id}/nd30.xml")
def export_nd30(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The dossier with the NĐ 30 Phụ lục VI Phần II fields (2020-regime hand-over format), as XML."""
    dossier = load_dossier(session, dossier_id)
    docs = documents(session, dossier.id)
    root = etree.Element("DossierExport", schemaVersion="1")
    hs = etree.SubElement(root, "HoSo")
    common = [
        ("FileCode", dossier.file_code),
        ("OrganId", dossier.organ_id),
        ("FileCatalog", dossier.file_catalog),
        ("FileNotation", dossier.file_notation),
    ]
    total = len(docs) - 1 if ctx.faults.on("nd30_export_doctotal_wrong") else len(docs)
    for name, value in [
        *common,
        ("Title", dossier.title),
        ("Maintenance", dossier.maintenance),
        ("Rights", dossier.rights or "Công khai"),
        ("Creator", dossier.creator),
        ("Language", dossier.language or "Tiếng Việt"),
        ("StartDate", _dmy(dossier.start_date)),
        ("EndDate", _dmy(dossier.end_date)),
        ("DocTotal", total),
        ("PageTotal", sum(d.page_amount for _l, d in docs)),
        ("Description", dossier.description or ""),
    ]:
        _el(hs, name, value)
    for link, doc in docs:
        vb = etree.SubElement(root, "VanBanDi")
        for name, value in [
            *common,
            ("DocOrdinal", link.doc_ordinal),
            ("TypeName", doc.type_name),
            ("CodeNumber", doc.code_number),
            ("CodeNotation", doc.code_notation),
            ("IssuedDate", _dmy(doc.issued_date)),
            ("OrganName", doc.organ_name),
            ("Subject", doc.subject),
            ("Language", doc.language),
            ("PageAmount", doc.page_amount),
            ("Description", doc.description or ""),
        ]:
            _el(vb, name, value)
        signer = etree.SubElement(vb, "SignerInfo")
        _el(signer, "Position", doc.signer_position or "")
        _el(signer, "FullName", doc.signer_full_name or "")
        for r in doc.recipients or []:
            to = etree.SubElement(vb, "To")
            _el(to, "OrganId", r.get("organ_id") or "")
            _el(to, "OrganName", r.get("organ_name") or "")
        _el(vb, "Priority", doc.priority)
        _el(vb, "IssuedAmount", doc.issued_amount if doc.issued_amount is not None else "")
        _el(vb, "DueDate", _dmy(doc.due_date))
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    name = f"{dossier.file_code}.xml"
    return Response(
        body, media_type="application/xml", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/api/transfer/dossiers/{dossier_id}/archive")
def archive_view(
    dossier_id: str,
    _user: Annotated[User, Depends(require_role(LUU_TRU_VIEN))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The archive's view: transfer state, archival description and registrations of the dossier."""
    dossier = load_dossier(session, dossier_id)
    row = session.get(DossierTransfer, dossier.id) or DossierTransfer(
        dossier_id=dossier.id, confidence_level="01", risk_recovery=False
    )  # a read never creates rows
    return {**state_json(ctx, session, dossier), "description": _description(row)}
