"""Builders of the packages the axis sends when it plays a peer agency (document, status, recall).

Why a module: a conformance test must be able to hand the vendor a well-formed document from a
peer (new, revoke, update or replace, edxml.md §6/§10.4), answer what the vendor sent with each
business status (§10.3: 01–06, 13, 15, 16) and ask for a document back (status 13, or a
BussinessDocType=1 package; OQ-14). Everything goes through the edXML builder of
``conformance.standards`` so the axis never writes XML by hand; deliberate breakage is in ``mutants``.
"""

from __future__ import annotations

import datetime as dt

from conformance.standards.edxml import build_package
from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import business_key

from .auth import VN

__all__ = ["REASONS", "STATUS_CODES", "STATUS_TEXT", "build_edoc", "build_status", "minimal_pdf"]

STATUS_CODES = ("01", "02", "03", "04", "05", "06", "13", "15", "16")
# edxml.md §14.4 (paraphrased SDK texts); 02, 13 and 16 carry a reason
STATUS_TEXT = {
    "01": "Đã đến — phần mềm đã nhận, văn thư chưa xử lý",
    "02": "Từ chối tiếp nhận: gửi sai nơi nhận",
    "03": "Đã tiếp nhận, vào sổ văn bản đến",
    "04": "Lãnh đạo phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành xử lý",
    "13": "Yêu cầu lấy lại văn bản: gửi nhầm nơi nhận",
    "15": "Đồng ý yêu cầu cập nhật/lấy lại",
    "16": "Từ chối yêu cầu cập nhật/lấy lại: văn bản đã được xử lý",
}
REASONS = {
    m.BussinessDocType.NEW: "Văn bản điện tử mới",
    m.BussinessDocType.REVOKE: "Thu hồi văn bản điện tử",
    m.BussinessDocType.UPDATE: "Cập nhật văn bản điện tử",
    m.BussinessDocType.REPLACE: "Văn bản thay thế",
}
STAFF = m.StaffInfo("Văn thư văn phòng", "Nguyễn Thị B", "84900000000", "vanthu@thu-nghiem.invalid")


def minimal_pdf(text: str = "axis") -> bytes:
    """A tiny, well-formed one-page PDF (enough for the attachment magic-byte check)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _now() -> dt.datetime:
    return dt.datetime.now(VN).replace(tzinfo=None, microsecond=0)


def build_edoc(
    sender: m.Organization,
    recipients: list[m.Organization],
    *,
    number: str = "123",
    notation: str = "UBND-KGVX",
    subject: str = "V/v kết nối, liên thông phần mềm quản lý văn bản",
    date: dt.date | None = None,
    doc_type: m.BussinessDocType = m.BussinessDocType.NEW,
    reason: str | None = None,
    attachments: list[m.Attachment] | None = None,
    due_date: dt.date | None = None,
    priority: int = 0,
    paper: int = 0,
    steering_type: int = 0,
    target_document_id: str | None = None,
    document_info: m.BussinessDocumentInfo | None = None,
    replacements: list[m.ReplacementInfo] | None = None,
    document_id: str | None = None,
    page_amount: int = 1,
) -> bytes:
    """A valid văn bản package From ``sender`` To ``recipients`` (edxml.md §14.5 skeleton values).

    ``doc_type`` REVOKE/UPDATE name their target in ``Bussiness/DocumentId``; REPLACE lists it in
    ``ReplacementInfoList`` (``replacements``, by default the target sent to every recipient).
    """
    when = _now()
    day = date or when.date()
    code = m.Code(number, notation)
    if doc_type == m.BussinessDocType.REPLACE and replacements is None and target_document_id:
        replacements = [m.ReplacementInfo(target_document_id, [r.organ_id for r in recipients])]
    pkg = m.DocumentPackage(
        m.MessageHeader(
            from_=sender,
            to=list(recipients),
            code=code,
            promulgation_info=m.PromulgationInfo("Thử Nghiệm", day),
            document_type=m.DocumentType(2, "Công văn", 18),
            subject=subject,
            content=subject,
            signer_info=m.SignerInfo("Nguyễn Văn A", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
            document_id=document_id or business_key(sender.organ_id, day, code.so_ky_hieu),
            due_date=due_date,
            to_places=["Như trên", "Lưu: VT"],
            other_info=m.OtherInfo(priority, "Liên thông văn bản quốc gia", "TVC", 1, page_amount),
            steering_type=steering_type,
        ),
        m.TraceHeaderList(
            [m.TraceHeader(sender.organ_id, when)],
            m.Bussiness(
                doc_type,
                reason or REASONS[doc_type],
                paper,
                document_id=target_document_id
                if doc_type in (m.BussinessDocType.REVOKE, m.BussinessDocType.UPDATE)
                else None,
                staff_info=STAFF,
                document_info=document_info,
                replacement_info=list(replacements or []),
            ),
        ),
        attachments
        if attachments is not None
        else [
            m.Attachment(
                "cid:1", f"{number}-{notation}.pdf", "application/pdf", minimal_pdf(), "Văn bản chính"
            )
        ],
    )
    return build_package(pkg)


def build_status(
    original: m.DocumentPackage,
    reporter: m.Organization,
    code: str,
    *,
    description: str | None = None,
    staff: m.StaffInfo | None = None,
    when: dt.datetime | None = None,
) -> bytes:
    """A status package from ``reporter`` answering ``original`` with ``code`` (edxml.md §9.2)."""
    if code not in STATUS_CODES:
        raise ValueError(f"status code {code!r} is not one of {', '.join(STATUS_CODES)}")
    mh = original.message_header
    pkg = m.StatusPackage(
        from_=reporter,
        response_for=m.ResponseFor(
            mh.from_.organ_id, mh.code.so_ky_hieu, mh.promulgation_info.promulgation_date, mh.document_id
        ),
        staff_info=staff or STAFF,
        status_code=code,
        description=description or STATUS_TEXT[code],
        timestamp=(when or _now()).replace(microsecond=0),
    )
    return build_package(pkg)
