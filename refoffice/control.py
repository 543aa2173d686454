"""Test controls: fault switches and reset (control token), and the test clock (quan_tri)."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete
from sqlalchemy.orm import Session

from refoffice.auth import QUAN_TRI, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.db import Base
from refoffice.errors import ApiError, field_error
from refoffice.faults import UnknownFaultError
from refoffice.models import User
from refoffice.validation import json_body, require_object

router = APIRouter()
# Users and their sessions stay; so does the connector's list of axis packages already handled, since
# the axis outlives a reset and must not see a package it delivered registered a second time.
KEEP_ON_RESET = frozenset({"users", "auth_tokens", "axis_deliveries"})


def require_control_token(request: Request, ctx: Annotated[AppContext, Depends(get_ctx)]) -> None:
    """`X-Control-Token` must equal REFOFFICE_CONTROL_TOKEN (constant-time compare)."""
    given = request.headers.get("x-control-token", "")
    if not given or not hmac.compare_digest(given.encode("utf-8"), ctx.config.control_token.encode("utf-8")):
        raise ApiError(401, "Thiếu hoặc sai mã điều khiển (X-Control-Token)")


ControlAccess = Annotated[None, Depends(require_control_token)]


def _faults_json(ctx: AppContext) -> dict[str, Any]:
    return {"faults": ctx.faults.describe(), "enabled": ctx.faults.enabled()}


@router.get("/__control__/faults")
def list_faults(_access: ControlAccess, ctx: Annotated[AppContext, Depends(get_ctx)]) -> dict[str, Any]:
    """The fault registry with the enabled flag."""
    return _faults_json(ctx)


@router.post("/__control__/faults")
def set_faults(
    _access: ControlAccess,
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
) -> dict[str, Any]:
    """Replace the enabled set; takes effect for the next request, no restart."""
    names = require_object(payload).get("enable")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise field_error("enable", "Phải là danh sách tên lỗi cài sẵn")
    try:
        ctx.faults.replace(names)
    except UnknownFaultError as exc:
        raise field_error("enable", f"Không có lỗi cài sẵn tên: {', '.join(exc.names)}") from None
    return _faults_json(ctx)


@router.post("/__control__/faults/consulted")
def take_consulted(_access: ControlAccess, ctx: Annotated[AppContext, Depends(get_ctx)]) -> dict[str, Any]:
    """The fault switches the code consulted since the last call (then forgotten): see FaultState."""
    return {"consulted": ctx.faults.take_consulted()}


@router.post("/__control__/reset")
def reset(
    _access: ControlAccess,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Wipe business data of every table (users and sessions stay) and go back to the real clock.

    Tables are emptied children first, so tables added by any module are covered without listing
    them here; modules with state outside the database register a hook in ``ctx.reset_hooks``.
    """
    with ctx.write_lock:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEEP_ON_RESET:
                session.execute(delete(table))
        session.commit()
        for hook in ctx.reset_hooks:
            hook()
    return {"status": "ok", "now": iso(ctx.clock.reset())}


@router.post("/api/test/clock")
def set_clock(
    _user: Annotated[User, Depends(require_role(QUAN_TRI))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
) -> dict[str, Any]:
    """Move the system clock; it keeps running from there unless `frozen` is true."""
    data = require_object(payload)
    raw, frozen = data.get("now"), data.get("frozen", False)
    if not isinstance(frozen, bool):
        raise field_error("frozen", "Phải là true hoặc false")
    if not isinstance(raw, str) or not raw.strip():
        raise field_error("now", "Không được để trống")
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise field_error(
            "now", "Thời điểm không hợp lệ, dùng ISO 8601, ví dụ 2025-12-31T23:59:00+07:00"
        ) from None
    return {"now": iso(ctx.clock.set(moment, frozen=frozen)), "frozen": frozen}


@router.delete("/api/test/clock")
def reset_clock(
    _user: Annotated[User, Depends(require_role(QUAN_TRI))],
    ctx: Annotated[AppContext, Depends(get_ctx)],
) -> dict[str, Any]:
    """Back to the real clock."""
    return {"now": iso(ctx.clock.reset()), "frozen": False}
