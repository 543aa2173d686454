"""What the sender sees of each recipient of a sent document: the latest processing status it reported
over the axis (QĐ 28/2018/QĐ-TTg Điều 6; NĐ 30 Điều 4 khoản 2 điểm d; Phụ lục VI Phần III mục 1.k).

The statuses are those the connector recorded from the recipients' status packages
(``SentPackage.recipients[].statuses``, the same data as ``GET /api/documents/outgoing/{id}/exchange``);
the outgoing document's page shows them as a table, one row per recipient.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.context import AppContext
from refoffice.models_exchange import SentPackage

# edXML status codes (QĐ 28/2018 and the axis SDK), as a văn thư reads them
STATUS_NAMES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận, vào sổ văn bản đến",
    "04": "Đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành xử lý",
    "13": "Yêu cầu lấy lại văn bản",
    "15": "Đồng ý cập nhật, lấy lại",
    "16": "Từ chối cập nhật, lấy lại",
}


def _when(at: str | None) -> str:
    if not at:
        return ""
    try:
        return datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return at


def recipient_rows(session: Session, ctx: AppContext, outgoing_id: int) -> list[dict[str, Any]] | None:
    """One row per recipient of the document's latest sending (None when it was never sent).

    The fault ``recipient_status_not_shown`` shows only that the document was sent, whatever the
    recipients reported.
    """
    sent = session.scalars(
        select(SentPackage)
        .where(SentPackage.outgoing_id == outgoing_id, SentPackage.business == 0)
        .order_by(SentPackage.id.desc())
    ).first()
    if sent is None:
        return None
    hide = ctx.faults.on("recipient_status_not_shown")
    rows = []
    for r in sent.recipients:
        statuses = [] if hide else list(r.get("statuses") or [])
        if statuses:
            last = statuses[-1]
            code = str(last.get("code") or "")
            status = f"{code} – {STATUS_NAMES.get(code, 'Trạng thái khác')}"
            description, at = str(last.get("description") or ""), _when(last.get("at"))
        elif sent.state == "da_gui":
            status, description, at = "Đã gửi, chưa có trạng thái", "", _when(sent.sent_at)
        else:
            status, description, at = "Gửi lỗi", sent.error or "", _when(sent.sent_at)
        rows.append(
            {
                "organ_name": r.get("organ_name") or r.get("organ_id") or "",
                "organ_id": r.get("organ_id") or "",
                "status": status,
                "description": description,
                "at": at,
                "codes": ", ".join(str(s.get("code")) for s in statuses),
            }
        )
    return rows
