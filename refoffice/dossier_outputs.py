"""What a dossier gives out: its mục lục, each filed document's record, and its .xml export.

- Mục lục văn bản, tài liệu trong hồ sơ (NĐ 30 PL V IV, PL VI Phần V.5): seven columns, one row per
  document in số thứ tự order, built by the system (Đ.29.4.d: biên mục bằng chức năng của Hệ thống).
- The record of a document as filed in a dossier: the 16 fields of PL VI Phần II.I, with fields
  1.1–1.3 (mã hồ sơ) and 2 (số thứ tự) filled by the system (PL VI III.1.g, III.4.c).
- The .xml export (PL VI III.4.g): the dossier and every document with its metadata, documents in
  the chronological order of their formation, each carrying the dossier's code. The layout is the
  "DossierExport" shape the harness publishes (``nd30_export.shape.json``), written here
  independently with the standard library.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice import dossier_pdf
from refoffice.auth import current_user
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.dossiers import _filed, chronological, load_dossier
from refoffice.errors import ApiError
from refoffice.models import Dossier, DossierDocument, OutgoingDocument, User
from refoffice.models_files import StoredFile
from refoffice.validation import parse_id

router = APIRouter()

INDEX_COLUMNS = [
    "STT",
    "Số, ký hiệu văn bản",
    "Ngày tháng năm văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Tác giả văn bản",
    "Tờ số/Trang số",
    "Ghi chú",
]


def _vn(day: date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day else None


@router.get("/api/dossiers/{dossier_id}/muc-luc")
def document_index(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Mục lục văn bản, tài liệu trong hồ sơ, generated from the filed documents."""
    dossier = load_dossier(session, dossier_id)
    rows = _filed(session, dossier)
    if ctx.faults.on("document_index_not_in_ordinal_order"):
        rows = sorted(rows, key=lambda r: r[1].id, reverse=True)
    out, page = [], 1
    for link, doc in rows:
        last = page + doc.page_amount - 1
        out.append(
            {
                "stt": link.doc_ordinal,
                "so_ky_hieu": doc.so_ky_hieu,
                "ngay_thang_nam": _vn(doc.issued_date),
                "ten_loai_trich_yeu": f"{doc.type_name}: {doc.subject}",
                "tac_gia": doc.organ_name,
                "to_so": f"{page}" if last == page else f"{page}-{last}",
                "ghi_chu": doc.description or "",
            }
        )
        page = last + 1
    return {
        "title": "MỤC LỤC VĂN BẢN, TÀI LIỆU",
        "header": f"Số, ký hiệu hồ sơ: {dossier.file_notation}",
        "year_line": f"Năm {dossier.file_catalog}",
        "file_code": dossier.file_code,
        "columns": INDEX_COLUMNS,
        "rows": out,
        "count": len(out),
    }


def document_fields(dossier: Dossier, link: DossierDocument, doc: OutgoingDocument) -> dict[str, Any]:
    """PL VI Phần II.I fields of a văn bản đi as filed in ``dossier`` (snake_case keys)."""
    return {
        "dossier_id": dossier.id,
        "document_id": doc.id,
        "file_code": dossier.file_code,
        "organ_id": dossier.organ_id,
        "file_catalog": dossier.file_catalog,
        "file_notation": dossier.file_notation,
        "doc_ordinal": link.doc_ordinal,
        "type_name": doc.type_name,
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "so_ky_hieu": doc.so_ky_hieu,
        "issued_date": doc.issued_date.isoformat(),
        "organ_name": doc.organ_name,
        "subject": doc.subject,
        "language": doc.language,
        "page_amount": doc.page_amount,
        "description": doc.description,
        "signer_info": {"position": doc.signer_position, "full_name": doc.signer_full_name},
        "to": [
            {"organ_id": r.get("organ_id"), "organ_name": r.get("organ_name")} for r in doc.recipients or []
        ],
        "priority": doc.priority,
        "issued_amount": doc.issued_amount,
        "due_date": doc.due_date.isoformat() if doc.due_date else None,
        "doc_code": doc.doc_code,
    }


def filed_record(
    ctx: AppContext, dossier: Dossier, link: DossierDocument, doc: OutgoingDocument
) -> dict[str, Any]:
    """What ``GET /api/dossiers/{id}/documents/{document_id}`` answers (with its faults)."""
    record = document_fields(dossier, link, doc)
    if ctx.faults.on("filed_document_file_code_wrong"):
        record["file_code"] = doc.doc_code
    if ctx.faults.on("filed_document_fields_not_filled"):
        record["organ_id"] = record["file_catalog"] = None
    return record


@router.get("/api/dossiers/{dossier_id}/documents/{document_id}")
def filed_document(
    dossier_id: str,
    document_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One document's metadata as filed in this dossier."""
    dossier = load_dossier(session, dossier_id)
    key = parse_id(document_id)
    row = session.execute(
        select(DossierDocument, OutgoingDocument)
        .join(OutgoingDocument, OutgoingDocument.id == DossierDocument.document_id)
        .where(DossierDocument.dossier_id == dossier.id, DossierDocument.document_id == key)
    ).first()
    if row is None:
        raise ApiError(404, "Văn bản không có trong hồ sơ")
    return filed_record(ctx, dossier, row[0], row[1])


def _add(parent: ET.Element, name: str, value: object) -> None:
    if value is None or value == "":
        return
    ET.SubElement(parent, name).text = str(value)


def export_xml(ctx: AppContext, session: Session, dossier: Dossier) -> bytes:
    """The dossier and its documents in the DossierExport layout, documents oldest first."""
    root = ET.Element("DossierExport", {"schemaVersion": "1"})
    hs = ET.SubElement(root, "HoSo")
    for name, value in (
        ("FileCode", dossier.file_code),
        ("OrganId", dossier.organ_id),
        ("FileCatalog", dossier.file_catalog),
        ("FileNotation", dossier.file_notation),
        ("Title", dossier.title),
        ("Maintenance", dossier.maintenance),
        ("Rights", dossier.rights),
        ("Creator", dossier.creator),
        ("Language", dossier.language),
        ("StartDate", _vn(dossier.start_date)),
        ("EndDate", _vn(dossier.end_date)),
        ("DocTotal", dossier.doc_total),
        ("PageTotal", dossier.page_total),
        ("Description", dossier.description),
    ):
        _add(hs, name, value)
    rows = _filed(session, dossier)
    if not ctx.faults.on("export_not_chronological"):
        rows = chronological(rows)
    for link, doc in rows:
        rec = document_fields(dossier, link, doc)
        if ctx.faults.on("export_document_file_code_wrong"):
            rec["file_code"] = doc.doc_code
        el = ET.SubElement(root, "VanBanDi")
        for name, key in (
            ("FileCode", "file_code"),
            ("OrganId", "organ_id"),
            ("FileCatalog", "file_catalog"),
            ("FileNotation", "file_notation"),
            ("DocOrdinal", "doc_ordinal"),
            ("TypeName", "type_name"),
            ("CodeNumber", "code_number"),
            ("CodeNotation", "code_notation"),
        ):
            _add(el, name, rec[key])
        _add(el, "IssuedDate", _vn(doc.issued_date))
        for name, key in (
            ("OrganName", "organ_name"),
            ("Subject", "subject"),
            ("Language", "language"),
            ("PageAmount", "page_amount"),
            ("Description", "description"),
        ):
            _add(el, name, rec[key])
        if doc.signer_position or doc.signer_full_name:
            signer = ET.SubElement(el, "SignerInfo")
            _add(signer, "Position", doc.signer_position)
            _add(signer, "FullName", doc.signer_full_name)
        for r in rec["to"]:
            to = ET.SubElement(el, "To")
            _add(to, "OrganId", r["organ_id"])
            _add(to, "OrganName", r["organ_name"])
        _add(el, "Priority", doc.priority)
        _add(el, "IssuedAmount", doc.issued_amount)
        _add(el, "DueDate", _vn(doc.due_date))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@router.get("/api/dossiers/{dossier_id}/export.xml")
def export_dossier_xml(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Kết xuất hồ sơ sang .xml (PL VI III.4.g), as a download named after the dossier's code."""
    dossier = load_dossier(session, dossier_id)
    return Response(
        export_xml(ctx, session, dossier),
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{dossier.file_code}.xml"'},
    )


def _main_pdf(session: Session, doc: OutgoingDocument) -> StoredFile | None:
    """The first PDF stored for a document: its main file (NĐ 30 PL I Phần II.I.2)."""
    return session.scalar(
        select(StoredFile)
        .where(
            StoredFile.document_kind == "outgoing",
            StoredFile.document_id == doc.id,
            StoredFile.media_type == "application/pdf",
        )
        .order_by(StoredFile.id)
        .limit(1)
    )


@router.get("/api/dossiers/{dossier_id}/export.pdf")
def export_dossier_pdf(
    dossier_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Kết xuất hồ sơ sang .pdf (PL VI III.4.g): the documents' PDFs, oldest first, one bookmark each.

    Documents without a stored PDF are left out and named in the ``X-Documents-Without-Pdf`` header."""
    dossier = load_dossier(session, dossier_id)
    rows = _filed(session, dossier)
    if not ctx.faults.on("export_not_chronological"):
        rows = chronological(rows)
    parts, missing = [], []
    for link, doc in rows:
        stored = _main_pdf(session, doc)
        if stored is None:
            missing.append(str(doc.id))
            continue
        parts.append((f"{link.doc_ordinal}. {doc.so_ky_hieu or ''} — {doc.subject[:120]}", stored.content))
    if not parts:
        raise ApiError(409, "Hồ sơ chưa có văn bản nào có tệp PDF để kết xuất")
    try:
        data = dossier_pdf.merge(parts, f"Hồ sơ {dossier.file_code}: {dossier.title[:200]}")
    except dossier_pdf.PdfPartError as exc:
        raise ApiError(409, f"Không đọc được tệp PDF của văn bản ({exc})") from None
    headers = {"Content-Disposition": f'attachment; filename="{dossier.file_code}.pdf"'}
    if missing:
        headers["X-Documents-Without-Pdf"] = ",".join(missing)
    return Response(data, media_type="application/pdf", headers=headers)
