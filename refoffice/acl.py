"""Access control on each document and dossier (NĐ 30/2020 PL VI III.3.b–c, III.6.c, IV.1.d–đ).

The model is small on purpose:
- An object is open to every signed-in user of the agency until it is *restricted*; from then on
  only its owner (who registered the document, who opened the dossier) and users holding an
  active grant may read it.
- Every change of rights is recorded as a request and flagged to the approver (lãnh đạo) until
  confirmed (III.3.c). A grant takes effect only when approved; a restriction or revocation takes
  effect at once (failing safe) and stays flagged until it is confirmed.
- A grant may carry a last day (``valid_until``), after which it lapses by itself (III.6.c).

Enforcement is in one place, in front of every router (``AclGuard``): a request for a restricted
object by a user without rights gets the same 404 as an object that does not exist (no existence
oracle, no enumeration of identifiers), lists lose the entries the user may not see, and writes
to a frozen object are refused. Endpoints of every area are covered without being edited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.archive_objects import exists, object_type, owner_of
from refoffice.archive_state import app_ctx
from refoffice.auth import LANH_DAO, LUU_TRU_VIEN, QUAN_TRI, current_user
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, NOT_FOUND, ApiError, error_body, field_error
from refoffice.models import User
from refoffice.models_archive import AclChange, AclGrant, AclObject, Freeze
from refoffice.storage_view import document_of
from refoffice.validation import Checker, json_body, parse_id, require_object

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

ACCESS_LEVELS = {"01": "Công khai", "02": "Sử dụng có điều kiện", "03": "Mật"}
PENDING, APPROVED, REJECTED = "cho_duyet", "da_duyet", "tu_choi"
MANAGERS = (QUAN_TRI, LUU_TRU_VIEN)  # may request changes on objects they do not own
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FROZEN = "Đối tượng đang bị đóng băng: không được sửa, di chuyển hoặc xóa (NĐ 30/2020 PL VI IV.1.g)"


# -- policy ---------------------------------------------------------------------------------------------


def acl_row(session: Session, kind: str, object_id: int) -> AclObject | None:
    return session.scalar(
        select(AclObject).where(AclObject.object_type == kind, AclObject.object_id == object_id)
    )


def _grant_live(grant: AclGrant, today: date, ctx: AppContext) -> bool:
    if not grant.active:
        return False
    if grant.valid_until is None or ctx.faults.on("grant_never_expires"):
        return True
    return today <= date.fromisoformat(grant.valid_until)


def can_read(session: Session, ctx: AppContext, user_id: int, kind: str, object_id: int) -> bool:
    """Whether the user may see the object (it may not exist: then True, the endpoint says 404)."""
    row = acl_row(session, kind, object_id)
    if row is None or not row.restricted:
        return True
    if owner_of(session, kind, object_id) == user_id:
        return True
    today = ctx.clock.today()
    grants = session.scalars(
        select(AclGrant).where(
            AclGrant.object_type == kind, AclGrant.object_id == object_id, AclGrant.user_id == user_id
        )
    )
    return any(_grant_live(g, today, ctx) for g in grants)


def hidden_ids(session: Session, ctx: AppContext, user_id: int, kind: str) -> set[int]:
    """Restricted objects of one kind the user may not see."""
    rows = session.scalars(select(AclObject).where(AclObject.object_type == kind, AclObject.restricted))
    return {r.object_id for r in rows if not can_read(session, ctx, user_id, kind, r.object_id)}


def is_frozen(session: Session, kind: str, object_id: int) -> Freeze | None:
    return session.scalar(select(Freeze).where(Freeze.object_type == kind, Freeze.object_id == object_id))


def frozen_for_writes(session: Session, ctx: AppContext, kind: str, object_id: int) -> bool:
    """Whether writes to the object must be refused (a freeze, or a recall's freeze)."""
    row = is_frozen(session, kind, object_id)
    if row is None:
        return False
    return row.reason != "dong_bang" or not ctx.faults.on("freeze_ignored")


def require_visible(session: Session, ctx: AppContext, user: User, kind: str, object_id: int) -> None:
    """404 (the same as for an absent object) unless the user may see it."""
    if not exists(session, kind, object_id) or not can_read(session, ctx, user.id, kind, object_id):
        raise ApiError(404, NOT_FOUND)


# -- the guard in front of every router -----------------------------------------------------------------

_OBJECT_PATHS = [
    (re.compile(r"^/api/files/(\d+)(?:/|$)"), "file"),  # a stored file is guarded as its document
    (re.compile(r"^/api/archive/files/(\d+)(?:/|$)"), "file"),
    (re.compile(r"^/api/documents/outgoing/(\d+)(?:/|$)"), "document"),
    (re.compile(r"^/api/documents/(\d+)(?:/|$)"), "document"),
    (re.compile(r"^/api/dossiers/(\d+)(?:/|$)"), "dossier"),
]
# GET lists whose entries name objects: (path regex, [(JSON path to a list, key, object type)]).
_LISTS = [
    (re.compile(r"^/api/documents/outgoing$"), [(("items",), "id", "document")]),
    (
        re.compile(r"^/api/dossiers$"),
        [(("items",), "id", "dossier"), (("items", "*", "documents"), "document_id", "document")],
    ),
    (re.compile(r"^/api/dossiers/\d+$"), [(("documents",), "document_id", "document")]),
]


def _deny_or_frozen(ctx: AppContext, user: dict[str, Any], method: str, kind: str, oid: int) -> str | None:
    with ctx.sessions() as session:
        if kind == "file":
            owner = document_of(session, oid)
            if owner is None:
                return None
            kind, oid = owner
        if not exists(session, kind, oid):
            return None
        reading = method not in WRITES
        if not can_read(session, ctx, user["id"], kind, oid) and not (
            reading and ctx.faults.on("acl_ignored_on_read")
        ):
            return "hidden"
        if not reading and frozen_for_writes(session, ctx, kind, oid):
            return "frozen"
    return None


def _hidden_for(ctx: AppContext, user_id: int, kinds: set[str]) -> dict[str, set[int]]:
    with ctx.sessions() as session:
        return {k: hidden_ids(session, ctx, user_id, k) for k in kinds}


def _prune(node: Any, path: tuple[str, ...], key: str, hidden: set[int]) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in node if isinstance(node, list) else []:
            _prune(item, rest, key, hidden)
        return
    if not isinstance(node, dict) or head not in node:
        return
    if rest:
        _prune(node[head], rest, key, hidden)
    elif isinstance(node[head], list):
        node[head] = [x for x in node[head] if not (isinstance(x, dict) and x.get(key) in hidden)]


class AclGuard:
    """Enforces object rights for every router: hides what a user may not see, refuses frozen writes."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        user = scope.get("state", {}).get("audit_user")
        if user is None:  # not signed in: the endpoint itself answers 401
            await self.app(scope, receive, send)
            return
        ctx = app_ctx(scope["app"])
        method, path = scope["method"], scope["path"]
        for pattern, kind in _OBJECT_PATHS:
            match = pattern.match(path)
            if match is None:
                continue
            verdict = await anyio.to_thread.run_sync(_deny_or_frozen, ctx, user, method, kind, int(match[1]))
            if verdict == "hidden":
                # Let the endpoint answer for an id that cannot exist: the reply is then exactly the one
                # for an absent object, message included (no existence oracle).
                scope["state"]["audit_outcome"] = "tu_choi"
                hidden_path = path[: match.start(1)] + "0" + path[match.end(1) :]
                scope = {**scope, "path": hidden_path, "raw_path": hidden_path.encode()}
                await self.app(scope, receive, send)
                return
            if verdict == "frozen":
                scope["state"]["audit_outcome"] = "tu_choi"
                await _reply(send, 409, error_body(FROZEN))
                return
            break
        if method == "GET" and not ctx.faults.on("list_leaks_restricted_ids"):
            for pattern, rules in _LISTS:
                if pattern.match(path):
                    await self._filtered(scope, receive, send, ctx, user, rules)
                    return
        await self.app(scope, receive, send)

    async def _filtered(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        ctx: AppContext,
        user: dict[str, Any],
        rules: list[Any],
    ) -> None:
        """Run the endpoint, then drop list entries naming objects the user may not see."""
        start: Message = {}
        chunks = bytearray()

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = dict(message)
            elif message["type"] == "http.response.body":
                chunks.extend(message.get("body", b""))
                if not message.get("more_body"):
                    await finish()

        async def finish() -> None:
            body = bytes(chunks)
            ctype = dict(start.get("headers", [])).get(b"content-type", b"")
            if start.get("status") == 200 and b"json" in ctype:
                hidden = await anyio.to_thread.run_sync(_hidden_for, ctx, user["id"], {r[2] for r in rules})
                if any(hidden.values()):
                    data = json.loads(body)
                    for list_path, key, kind in rules:
                        _prune(data, list_path, key, hidden[kind])
                    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)


async def _reply(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})


# -- the API that changes rights -------------------------------------------------------------------------

router = APIRouter()


def _user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise field_error("username", "Không có tài khoản này", status=404, detail=NOT_FOUND)
    return user


def _target(session: Session, ctx: AppContext, user: User, segment: str, raw_id: str) -> tuple[str, int]:
    """The object named in the path; the caller must see it and be its owner or a manager."""
    kind = object_type(segment)
    oid = parse_id(raw_id)
    if oid is None:
        raise ApiError(404, NOT_FOUND)
    if user.role in MANAGERS:  # administrators manage rights of objects they may not read themselves
        if not exists(session, kind, oid):
            raise ApiError(404, NOT_FOUND)
        return kind, oid
    require_visible(session, ctx, user, kind, oid)
    if owner_of(session, kind, oid) != user.id:
        raise ApiError(
            403,
            f"{FORBIDDEN}: chỉ người tạo lập, lưu trữ viên hoặc quản trị được đề nghị thay đổi "
            "quyền truy cập",
        )
    return kind, oid


def _change_json(session: Session, c: AclChange) -> dict[str, Any]:
    who = session.get(User, c.user_id) if c.user_id else None
    return {
        "id": c.id,
        "object_type": c.object_type,
        "object_id": c.object_id,
        "kind": c.kind,
        "username": who.username if who else None,
        "valid_until": c.valid_until,
        "status": c.status,
        "requested_at": c.requested_at,
        "decided_at": c.decided_at,
        "warning": "Thay đổi quyền truy cập đang chờ người có thẩm quyền xác nhận"
        if c.status == PENDING
        else None,
    }


def _record_change(
    session: Session,
    ctx: AppContext,
    user: User,
    kind: str,
    oid: int,
    change: str,
    target: User | None = None,
    valid_until: str | None = None,
) -> AclChange:
    row = AclChange(
        object_type=kind,
        object_id=oid,
        kind=change,
        user_id=target.id if target else None,
        valid_until=valid_until,
        requested_by=user.id,
        requested_at=iso(ctx.clock.now()),
        status=PENDING,
    )
    session.add(row)
    return row


def _ensure_row(session: Session, kind: str, oid: int) -> AclObject:
    row = acl_row(session, kind, oid)
    if row is None:
        row = AclObject(object_type=kind, object_id=oid, restricted=False)
        session.add(row)
        session.flush()
    return row


@router.post("/api/acl/{segment}/{raw_id}/restrict", status_code=201)
def restrict(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Restrict the object to its owner and grantees; effective now, flagged until confirmed."""
    kind, oid = _target(session, ctx, user, segment, raw_id)
    _ensure_row(session, kind, oid).restricted = True
    change = _record_change(session, ctx, user, kind, oid, "restrict")
    session.commit()
    return JSONResponse(_change_json(session, change), status_code=201)


@router.post("/api/acl/{segment}/{raw_id}/grants", status_code=201)
def grant(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Ask to let one user read the object (until ``valid_until`` if given): pending approval."""
    kind, oid = _target(session, ctx, user, segment, raw_id)
    check = Checker(require_object(payload))
    username = check.text("username", 50, required=True)
    valid_until = check.date("valid_until")
    check.raise_if_errors()
    assert username is not None
    if valid_until is not None and valid_until < ctx.clock.today():
        raise field_error("valid_until", "Thời hạn được đọc không được trước ngày hôm nay")
    target = _user_by_name(session, username)
    until = valid_until.isoformat() if valid_until else None
    change = _record_change(session, ctx, user, kind, oid, "grant", target, until)
    if ctx.faults.on("acl_grant_without_approval"):
        _apply(session, change)
    session.commit()
    return JSONResponse(_change_json(session, change), status_code=201)


@router.delete("/api/acl/{segment}/{raw_id}/grants/{username}")
def revoke(
    segment: str,
    raw_id: str,
    username: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Withdraw a user's right to read: effective at once, flagged until confirmed."""
    kind, oid = _target(session, ctx, user, segment, raw_id)
    target = _user_by_name(session, username)
    change = _record_change(session, ctx, user, kind, oid, "revoke", target)
    if not ctx.faults.on("revoke_not_effective"):
        _apply(session, change)
    session.commit()
    return _change_json(session, change)


def _apply(session: Session, change: AclChange) -> None:
    """Make a change effective."""
    grants = select(AclGrant).where(
        AclGrant.object_type == change.object_type,
        AclGrant.object_id == change.object_id,
        AclGrant.user_id == change.user_id,
    )
    if change.kind == "grant":
        _ensure_row(session, change.object_type, change.object_id)
        row = session.scalar(grants)
        if row is None:
            row = AclGrant(object_type=change.object_type, object_id=change.object_id, user_id=change.user_id)
            session.add(row)
        row.active, row.valid_until = True, change.valid_until
    elif change.kind == "revoke":
        for row in session.scalars(grants):
            row.active = False


@router.get("/api/acl/changes")
def list_changes(
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    status: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Requested changes, the pending ones flagged: the approver's warning list (III.3.c)."""
    if user.role not in (LANH_DAO, QUAN_TRI, LUU_TRU_VIEN):
        raise ApiError(
            403, f"{FORBIDDEN}: chỉ lãnh đạo, quản trị và lưu trữ viên xem danh sách thay đổi quyền"
        )
    query = select(AclChange).order_by(AclChange.id)
    if status:
        query = query.where(AclChange.status == status)
    return {"items": [_change_json(session, c) for c in session.scalars(query)]}


def _decide(session: Session, ctx: AppContext, user: User, raw_id: str, approve: bool) -> dict[str, Any]:
    if user.role != LANH_DAO:
        raise ApiError(
            403, f"{FORBIDDEN}: chỉ lãnh đạo (người có thẩm quyền) xác nhận thay đổi quyền truy cập"
        )
    key = parse_id(raw_id)
    change = session.get(AclChange, key) if key is not None else None
    if change is None:
        raise ApiError(404, NOT_FOUND)
    if change.status != PENDING:
        raise ApiError(409, "Thay đổi này đã được xử lý")
    change.status = APPROVED if approve else REJECTED
    change.decided_by, change.decided_at = user.id, iso(ctx.clock.now())
    if approve and change.kind == "grant":
        _apply(session, change)
    if approve and change.kind == "revoke" and not ctx.faults.on("revoke_not_effective"):
        _apply(session, change)
    if not approve and change.kind == "restrict":
        row = acl_row(session, change.object_type, change.object_id)
        if row is not None:
            row.restricted = False
    session.commit()
    return _change_json(session, change)


@router.post("/api/acl/changes/{raw_id}/approve")
def approve(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Confirm a pending change (lãnh đạo only)."""
    return _decide(session, ctx, user, raw_id, approve=True)


@router.post("/api/acl/changes/{raw_id}/reject")
def reject(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Turn a pending change down (lãnh đạo only); a refused restriction is lifted."""
    return _decide(session, ctx, user, raw_id, approve=False)


@router.get("/api/acl/{segment}/{raw_id}")
def show(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Who may read the object, its access level, and the changes still awaiting confirmation."""
    kind = object_type(segment)
    oid = parse_id(raw_id)
    if oid is None:
        raise ApiError(404, NOT_FOUND)
    require_visible(session, ctx, user, kind, oid)
    row = acl_row(session, kind, oid)
    today = ctx.clock.today()
    grants = session.scalars(select(AclGrant).where(AclGrant.object_type == kind, AclGrant.object_id == oid))
    pending = session.scalars(
        select(AclChange).where(
            AclChange.object_type == kind, AclChange.object_id == oid, AclChange.status == PENDING
        )
    )
    return {
        "object_type": kind,
        "object_id": oid,
        "restricted": bool(row and row.restricted),
        "access_level": row.access_level if row else None,
        "grants": [
            {"username": u.username, "valid_until": g.valid_until, "active": _grant_live(g, today, ctx)}
            for g in grants
            if (u := session.get(User, g.user_id)) is not None
        ],
        "pending": [_change_json(session, c) for c in pending],
    }


@router.put("/api/acl/{segment}/{raw_id}/access-level")
def set_access_level(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Mức độ tiếp cận from the code list 01/02/03 (TT 05/2025; NĐ 113/2025); 03 Mật restricts."""
    kind, oid = _target(session, ctx, user, segment, raw_id)
    check = Checker(require_object(payload))
    level = check.text("level", 30, required=True)
    check.raise_if_errors()
    assert level is not None
    if level not in ACCESS_LEVELS and not ctx.faults.on("access_level_free_text"):
        allowed = ", ".join(f"{k} {v}" for k, v in ACCESS_LEVELS.items())
        raise field_error("level", f"Mức độ tiếp cận phải thuộc danh mục: {allowed}")
    row = _ensure_row(session, kind, oid)
    row.access_level = level[:2]
    if level == "03":
        row.restricted = True
    session.commit()
    return {"object_type": kind, "object_id": oid, "access_level": level, "label": ACCESS_LEVELS.get(level)}
