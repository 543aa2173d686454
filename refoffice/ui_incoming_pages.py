"""The văn thư's pages of văn bản đến: the sổ đăng ký văn bản đến with its print form (NĐ 30 Điều 22
khoản 3; Phụ lục IV mục VI) and the list of new incoming documents the notification leads to (NĐ 30
Phụ lục VI Phần III mục 1.i).

The documents are the ones the connector registered from axis packages (``models_exchange``); the
pages read the same rows as the exchange API (``/api/documents/incoming``), so both channels show one
register. The notification of new documents (``refoffice/notices.py``) is shown on these pages.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.context import AppContext, get_ctx, get_session
from refoffice.models_exchange import IncomingDocument
from refoffice.notices import NEW, incoming_notice
from refoffice.pages import _page_user, _render

router = APIRouter()

NEW_LIMIT = 200  # rows on the page of new documents (the count in the notification is exact)


def _year(ctx: AppContext, nam: str | None) -> tuple[int, str | None]:
    year = ctx.clock.today().year
    if not nam:
        return year, None
    if nam.isascii() and nam.isdigit() and len(nam) == 4:
        return int(nam), None
    return year, "Năm phải gồm 4 chữ số."


def _handled(doc: IncomingDocument) -> tuple[str, str]:
    """(đơn vị hoặc người nhận, ngày chuyển) from the document's history: who took it, and when."""
    receiver, moved = "", ""
    for entry in doc.history or []:
        if entry.get("action") in ("da_phan_cong", "dang_xu_ly", "hoan_thanh") and not moved:
            moved = str(entry.get("at") or "")
        if entry.get("action") in ("dang_xu_ly", "hoan_thanh"):
            receiver = str(entry.get("by") or "")
    return receiver, moved


def register_rows(session: Session, year: int) -> list[dict[str, Any]]:
    """The sổ đến of one year in arrival-number order, one dict per row of the PL IV VI form."""
    docs = session.scalars(
        select(IncomingDocument)
        .where(IncomingDocument.arrival_year == year)
        .order_by(IncomingDocument.arrival_number)
    )
    rows = []
    for d in docs:
        receiver, moved = _handled(d)
        notes = {"thu_hoi": "Đã thu hồi", "thay_the": "Đã bị thay thế"}.get(d.status, "")
        rows.append(
            {
                "id": d.id,
                "arrival_date": d.arrival_date,
                "arrival_number": d.arrival_number,
                "author": d.from_organ_name or d.from_organ_id,
                "so_ky_hieu": d.so_ky_hieu,
                "promulgation_date": d.promulgation_date,
                "type_subject": f"{d.type_name}: {d.subject}",
                "receiver": receiver,
                "moved": moved,
                "notes": notes,
            }
        )
    return rows


def _login(request: Request, session: Session) -> Any:
    user = _page_user(request, session)
    return user if user is not None else RedirectResponse("/dang-nhap", status_code=303)


@router.get("/van-ban-den", response_class=HTMLResponse, include_in_schema=False)
def incoming_register(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    nam: str | None = None,
) -> Response:
    """The sổ đăng ký văn bản đến of one year (NĐ 30 PL IV VI: 10 columns)."""
    user = _login(request, session)
    if isinstance(user, Response):
        return user
    year, error = _year(ctx, nam)
    rows = register_rows(session, year)
    return _render(
        request,
        ctx,
        "van_ban_den.html",
        user=user,
        year=year,
        rows=rows,
        error=error,
        new_incoming=incoming_notice(session, ctx),
    )


@router.get("/van-ban-den/in", response_class=HTMLResponse, include_in_schema=False)
def incoming_register_print(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    nam: str | None = None,
) -> Response:
    """The print form of the sổ đến (NĐ 30 PL IV VI): the cover (bìa sổ) then the 10 columns."""
    user = _login(request, session)
    if isinstance(user, Response):
        return user
    year, _ = _year(ctx, nam)
    rows = register_rows(session, year)
    dates = [r["arrival_date"][:10] for r in rows]
    numbers = [r["arrival_number"] for r in rows]
    return _render(
        request,
        ctx,
        "van_ban_den_in.html",
        user=user,
        year=year,
        rows=rows,
        from_date=date.fromisoformat(min(dates)) if dates else None,
        to_date=date.fromisoformat(max(dates)) if dates else None,
        from_number=min(numbers) if numbers else None,
        to_number=max(numbers) if numbers else None,
        drop_column=ctx.faults.on("so_den_print_missing_column"),
    )


@router.get("/van-ban-den/moi", response_class=HTMLResponse, include_in_schema=False)
def incoming_new(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The văn bản đến registered and not yet handled, newest first: where the notification leads."""
    user = _login(request, session)
    if isinstance(user, Response):
        return user
    docs = list(
        session.scalars(
            select(IncomingDocument)
            .where(IncomingDocument.status == NEW)
            .order_by(IncomingDocument.id.desc())
            .limit(NEW_LIMIT)
        )
    )
    return _render(
        request,
        ctx,
        "van_ban_den_moi.html",
        user=user,
        documents=docs,
        new_incoming=incoming_notice(session, ctx),
    )
