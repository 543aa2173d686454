"""Server-rendered Vietnamese pages: login (Đăng nhập) and the outgoing register (Văn bản đi).

Pages authenticate with an HttpOnly cookie holding the same kind of token as the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from refoffice import __version__
from refoffice.auth import authenticate, issue_token, revoke_token, user_for_token
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.documents import list_documents
from refoffice.models import User
from refoffice.notices import incoming_notice

COOKIE = "refoffice_session"
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

router = APIRouter()


def _page_user(request: Request, session: Session) -> User | None:
    token = request.cookies.get(COOKIE)
    return user_for_token(session, token) if token else None


def _render(request: Request, ctx: AppContext, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("user", None)
    return templates.TemplateResponse(
        request,
        name,
        {"organ_name": ctx.config.organ_name, "version": __version__, **values},
        status_code=status,
    )


@router.get("/", include_in_schema=False)
def home(request: Request, session: Annotated[Session, Depends(get_session)]) -> Response:
    """Straight to the register when logged in, else to the login page."""
    target = "/van-ban-di" if _page_user(request, session) else "/dang-nhap"
    return RedirectResponse(target, status_code=303)


@router.get("/dang-nhap", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, ctx: Annotated[AppContext, Depends(get_ctx)]) -> HTMLResponse:
    """The login form."""
    return _render(request, ctx, "dang_nhap.html", username="", error=None)


@router.post("/dang-nhap", include_in_schema=False)
def login_submit(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials, set the session cookie and go to the register."""
    user = authenticate(session, username.strip(), password) if username and password else None
    if user is None:
        return _render(
            request,
            ctx,
            "dang_nhap.html",
            status=401,
            username=username,
            error="Tên đăng nhập hoặc mật khẩu không đúng.",
        )
    token = issue_token(session, user, ctx.config.token_ttl_seconds)
    response = RedirectResponse("/van-ban-di", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", max_age=ctx.config.token_ttl_seconds)
    return response


@router.post("/dang-xuat", include_in_schema=False)
def logout(request: Request, session: Annotated[Session, Depends(get_session)]) -> Response:
    """Forget the session."""
    token = request.cookies.get(COOKIE)
    if token:
        revoke_token(session, token)
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/van-ban-di", response_class=HTMLResponse, include_in_schema=False)
def outgoing_page(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    nam: str | None = None,
) -> Response:
    """The sổ đăng ký văn bản đi of one year (NĐ 30 PL IV I columns)."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    year = ctx.clock.today().year
    error = None
    if nam:
        if nam.isascii() and nam.isdigit() and len(nam) == 4:
            year = int(nam)
        else:
            error = "Năm phải gồm 4 chữ số."
    documents = list_documents(session, year)
    return _render(
        request,
        ctx,
        "van_ban_di.html",
        user=user,
        year=year,
        documents=documents,
        error=error,
        new_incoming=incoming_notice(session, ctx),  # the start page: new incoming documents (PL VI III.1.i)
    )
