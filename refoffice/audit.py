"""The audit trail (nhật ký hệ thống): one entry per request, written in one central place.

NĐ 30/2020 PL VI asks the system to keep the history of access to and use of documents
(III.5.a, III.6.l), the metadata of security control (III.7.d), and NĐ 113/2025 Đ.22 the history of
retrieval and of each user's access. Rather than asking every endpoint to remember to log, an ASGI
middleware wraps the whole application: every ``/api/*`` request and every page login is written
*before* the last byte of the response leaves, so a client that has its answer can already read
the entry. Endpoints of any area are covered without being edited; the few things a middleware
cannot see (that a 404 was really a refusal of a hidden object) are passed to it in
``scope["state"]["audit_outcome"]`` by the access-control guard.

The log is append-only: the API has no way to edit or delete an entry (even for quan_tri), and
each entry stores the SHA-256 of its predecessor, so a row changed behind the application's back
breaks the chain (``GET /api/audit/verify``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice.archive_objects import object_type
from refoffice.archive_state import ArchiveState, app_ctx, archive_state
from refoffice.auth import LANH_DAO, LUU_TRU_VIEN, QUAN_TRI, current_user, user_for_token
from refoffice.clock import VN_TZ, iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, ApiError
from refoffice.models import User
from refoffice.validation import parse_id

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SESSION_COOKIE = "refoffice_session"
GENESIS = "0" * 64
BODY_CAP = 65536

# (method, path regex, action, object type, which group holds the id; "created" = reply's `id`)
_ROUTES: list[tuple[str, re.Pattern[str], str, str | None, int | str | None]] = [
    (m, re.compile(p), a, t, g)
    for m, p, a, t, g in [
        ("POST", r"^/api/auth/login$", "dang_nhap", None, None),
        ("POST", r"^/dang-nhap$", "dang_nhap", None, None),
        ("POST", r"^/api/documents/outgoing$", "dang_ky_van_ban_di", "document", "created"),
        ("GET", r"^/api/documents/outgoing$", "xem_so_van_ban_di", None, None),
        ("GET", r"^/api/documents/outgoing/(\d+)$", "xem_van_ban", "document", 1),
        ("POST", r"^/api/dossiers$", "mo_ho_so", "dossier", "created"),
        ("GET", r"^/api/dossiers$", "xem_danh_sach_ho_so", None, None),
        ("GET", r"^/api/dossiers/(\d+)$", "xem_ho_so", "dossier", 1),
        ("POST", r"^/api/dossiers/(\d+)/documents$", "dua_van_ban_vao_ho_so", "dossier", 1),
        ("POST", r"^/api/dossiers/(\d+)/close$", "ket_thuc_ho_so", "dossier", 1),
        ("POST", r"^/api/documents/outgoing/(\d+)/files$", "dinh_kem_tep", "document", 1),
        ("GET", r"^/api/documents/outgoing/(\d+)/files$", "xem_danh_sach_tep", "document", 1),
        ("GET", r"^/api/files/(\d+)$", "tai_tep", "file", 1),
        ("GET", r"^/api/archive/files/(\d+)/print$", "in_tep", "file", 1),
        ("POST", r"^/api/acl/(documents|dossiers)/(\d+)/restrict$", "acl_han_che", "@1", 2),
        ("POST", r"^/api/acl/(documents|dossiers)/(\d+)/grants$", "acl_cap_quyen", "@1", 2),
        ("DELETE", r"^/api/acl/(documents|dossiers)/(\d+)/grants/[^/]+$", "acl_thu_hoi_quyen", "@1", 2),
        ("PUT", r"^/api/acl/(documents|dossiers)/(\d+)/access-level$", "acl_muc_do_tiep_can", "@1", 2),
        ("GET", r"^/api/acl/(documents|dossiers)/(\d+)$", "acl_xem", "@1", 2),
        ("POST", r"^/api/acl/changes/(\d+)/approve$", "acl_phe_duyet", "acl_change", 1),
        ("POST", r"^/api/acl/changes/(\d+)/reject$", "acl_tu_choi", "acl_change", 1),
        ("GET", r"^/api/audit$", "xem_nhat_ky", None, None),
        ("GET", r"^/api/history/(documents|dossiers)/(\d+)$", "xem_lich_su", "@1", 2),
        ("GET", r"^/api/search$", "tim_kiem", None, None),
        ("GET", r"^/api/search/export$", "ket_xuat_tim_kiem", None, None),
        ("POST", r"^/api/archive/(documents|dossiers)/(\d+)/freeze$", "dong_bang", "@1", 2),
        ("DELETE", r"^/api/archive/(documents|dossiers)/(\d+)/freeze$", "bo_dong_bang", "@1", 2),
        ("POST", r"^/api/archive/documents/(\d+)/recall$", "thu_hoi_van_ban", "document", 1),
        ("DELETE", r"^/api/archive/dossiers/(\d+)$", "huy_ho_so", "dossier", 1),
        ("GET", r"^/api/archive/(documents|dossiers)/(\d+)/metadata(\.xml)?$", "xem_du_lieu_dac_ta", "@1", 2),
        ("POST", r"^/api/archive/(documents|dossiers)/(\d+)/metadata$", "bo_sung_dac_ta", "@1", 2),
    ]
]
_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")
_GENERIC_OBJECT = re.compile(r"^/api/(?:documents/outgoing|documents|dossiers)/(\d+)")

# Outcomes in the reference's own words; a target file maps them to the harness vocabulary.
THANH_CONG, TU_CHOI, THAT_BAI, CHUA_XAC_THUC = "thanh_cong", "tu_choi", "that_bai", "chua_xac_thuc"
KHONG_HOP_LE, KHONG_TIM_THAY, LOI = "khong_hop_le", "khong_tim_thay", "loi"


def classify(method: str, path: str) -> tuple[str, str | None, int | str | None]:
    """(action, object type, id or "created") of a request, by the table above or generically."""
    for m, pattern, action, kind, group in _ROUTES:
        if m != method:
            continue
        match = pattern.match(path)
        if match is None:
            continue
        if isinstance(kind, str) and kind.startswith("@"):
            kind = object_type(match.group(int(kind[1:])))
        if isinstance(group, int):
            return action, kind, int(match.group(group))
        return action, kind, group
    generic = _GENERIC_OBJECT.match(path)
    kind = None
    oid: int | None = None
    if generic:
        kind = "dossier" if path.startswith("/api/dossiers") else "document"
        oid = int(generic.group(1))
    return f"{method} {_ID_SEGMENT.sub('/{id}', path)}", kind, oid


def outcome_for(status: int, action: str) -> str:
    """The outcome of a request from its status (a guard may have said better already)."""
    if 200 <= status < 400:
        return THANH_CONG
    if action == "dang_nhap" and status == 401:
        return THAT_BAI
    if status == 401:
        return CHUA_XAC_THUC
    if status == 403:
        return TU_CHOI
    if status == 404:
        return KHONG_TIM_THAY
    if status < 500:
        return KHONG_HOP_LE
    return LOI


def _link(prev: str, fields: dict[str, Any]) -> str:
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + blob).encode("utf-8")).hexdigest()


_CHAINED = (
    "at",
    "actor",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "method",
    "path",
    "status",
    "detail",
)


def append(ctx: AppContext, state: ArchiveState, fields: dict[str, Any]) -> None:
    """Append one entry, chained to the previous one."""
    from refoffice.models_archive import AuditEntry

    with state.audit_lock, ctx.sessions() as session:
        last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        prev = last or GENESIS
        chained = {k: fields.get(k) for k in _CHAINED}
        session.add(AuditEntry(**chained, prev_hash=prev, hash=_link(prev, chained)))
        session.commit()


def _skip(ctx: AppContext, action: str, outcome: str) -> bool:
    """Fault switches that make the log lose one kind of entry.

    Each switch is read only for the kind of entry it concerns, so the harness's fault tracing
    (FaultState.take_consulted) sees which requests a switch could have changed.
    """
    faults = ctx.faults
    if action.startswith("acl_") and action != "acl_xem" and faults.on("audit_skips_acl_changes"):
        return True
    if outcome == TU_CHOI and faults.on("denied_access_not_logged"):
        return True
    if action == "tim_kiem" and faults.on("search_not_logged"):
        return True
    return action == "dang_nhap" and outcome == THAT_BAI and faults.on("failed_login_not_logged")


def _timestamp(ctx: AppContext) -> str:
    if ctx.faults.on("audit_time_not_local"):
        # UTC wall time labelled as Vietnam time: every entry is seven hours early.
        return datetime.now(UTC).replace(tzinfo=VN_TZ).isoformat(timespec="seconds")
    return iso(ctx.clock.now())


def _login_name(path: str, headers: dict[str, str], body: bytes) -> str | None:
    try:
        if path == "/dang-nhap":
            values = parse_qs(body.decode("utf-8"))
            name = (values.get("username") or [""])[0]
        else:
            data = json.loads(body.decode("utf-8"))
            name = data.get("username") if isinstance(data, dict) else None
    except (UnicodeDecodeError, ValueError):
        return None
    return name.strip()[:50] if isinstance(name, str) and name.strip() else None


def _created_id(body: bytes) -> int | None:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _audited(method: str, path: str) -> bool:
    """The API (but health) and the pages (views through the UI are uses too); not the test controls
    nor static assets."""
    if path.startswith("/api/"):
        return path != "/api/health"
    return not path.startswith(("/__control__", "/static/", "/favicon"))


def _token(headers: dict[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return value
    return None


def resolve_user(ctx: AppContext, token: str | None) -> dict[str, Any] | None:
    """The user behind a token, as a plain dict (safe to pass between threads)."""
    if not token:
        return None
    with ctx.sessions() as session:
        user = user_for_token(session, token)
        return None if user is None else {"id": user.id, "username": user.username, "role": user.role}


class AuditMiddleware:
    """Writes one audit entry per audited request, before the response's last chunk is sent."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _audited(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        ctx = app_ctx(scope["app"])
        state: ArchiveState = scope["app"].state.archive
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        at = _timestamp(ctx)
        user = await anyio.to_thread.run_sync(resolve_user, ctx, _token(headers))
        scope.setdefault("state", {})["audit_user"] = user
        action, kind, oid = classify(method, path)
        wants_request = action == "dang_nhap"
        wants_reply = oid == "created"
        request_body = bytearray()
        reply_body = bytearray()
        status = 500
        written = False

        async def tee_receive() -> Message:
            message = await receive()
            if wants_request and message["type"] == "http.request" and len(request_body) < BODY_CAP:
                request_body.extend(message.get("body", b"")[: BODY_CAP - len(request_body)])
            return message

        async def write() -> None:
            nonlocal written
            written = True
            actor = user["username"] if user else None
            if action == "dang_nhap":
                actor = _login_name(path, headers, bytes(request_body)) or actor
            object_id = _created_id(bytes(reply_body)) if oid == "created" else oid
            outcome = scope["state"].get("audit_outcome") or outcome_for(status, action)
            if _skip(ctx, action, outcome):
                return
            query = scope.get("query_string", b"").decode("latin-1")
            fields = {
                "at": at,
                "actor": actor,
                "actor_id": user["id"] if user and action != "dang_nhap" else None,
                "action": action,
                "object_type": kind if object_id is not None else None,
                "object_id": object_id if isinstance(object_id, int) else None,
                "outcome": outcome,
                "method": method,
                "path": (path + ("?" + query if query else ""))[:300],
                "status": status,
                "detail": scope["state"].get("audit_detail"),
            }
            await anyio.to_thread.run_sync(append, ctx, state, fields)

        async def tee_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                if wants_reply and len(reply_body) < BODY_CAP:
                    reply_body.extend(message.get("body", b"")[: BODY_CAP - len(reply_body)])
                if not message.get("more_body") and not written:
                    await write()
            await send(message)

        try:
            await self.app(scope, tee_receive, tee_send)
        finally:
            if not written:
                status = 500 if status < 400 else status
                with anyio.CancelScope(shield=True):
                    await write()


# -- reading the log -------------------------------------------------------------------------------------

router = APIRouter()
READERS = (QUAN_TRI, LUU_TRU_VIEN, LANH_DAO)


def entry_json(e: Any) -> dict[str, Any]:
    """The public form of an entry."""
    return {
        "id": e.id,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "outcome": e.outcome,
        "method": e.method,
        "path": e.path,
        "status": e.status,
        "detail": e.detail,
        "hash": e.hash,
    }


def _may_read_log(ctx: AppContext, user: User) -> None:
    if user.role not in READERS and not ctx.faults.on("audit_log_open_to_all_roles"):
        raise ApiError(403, f"{FORBIDDEN}: chỉ quản trị, lưu trữ viên và lãnh đạo được xem nhật ký hệ thống")


@router.get("/api/audit")
def list_audit(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    actor: Annotated[str | None, Query()] = None,
    action: Annotated[str | None, Query()] = None,
    object_type_: Annotated[str | None, Query(alias="object_type")] = None,
    object_id: Annotated[str | None, Query()] = None,
    since_id: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    limit: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Entries, oldest first, filtered by actor, action, object, position (``since_id``) or time
    (``since``, ISO 8601); at most ``limit`` (5000), the most recent ones."""
    from refoffice.models_archive import AuditEntry

    _may_read_log(ctx, user)
    query = select(AuditEntry).order_by(AuditEntry.id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type_:
        query = query.where(AuditEntry.object_type == object_type_)
    if object_id:
        query = query.where(AuditEntry.object_id == (parse_id(object_id) or -1))
    if since_id:
        query = query.where(AuditEntry.id > (parse_id(since_id) or 0))
    if since:
        try:
            moment = datetime.fromisoformat(since.replace(" ", "+").replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(
                422, "Dữ liệu không hợp lệ", [{"field": "since", "message": "Thời điểm ISO 8601"}]
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=VN_TZ)
        query = query.where(AuditEntry.at >= iso(moment))
    cap = min(parse_id(limit or "") or 5000, 5000)
    rows = list(session.scalars(query.order_by(None).order_by(AuditEntry.id.desc()).limit(cap)))[::-1]
    return {"items": [entry_json(e) for e in rows], "total": len(rows)}


@router.get("/api/audit/verify")
def verify_chain(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Recompute the hash chain; names the first entry that does not fit."""
    from refoffice.models_archive import AuditEntry

    _may_read_log(ctx, user)
    prev = GENESIS
    count = 0
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        fields = {k: getattr(e, k) for k in _CHAINED}
        if e.prev_hash != prev or _link(prev, fields) != e.hash:
            return {"ok": False, "count": count, "broken_at": e.id}
        prev, count = e.hash, count + 1
    return {"ok": True, "count": count, "broken_at": None}


def _refuse_change(ctx: AppContext, user: User, session: Session, entry_id: str, delete: bool) -> None:
    from refoffice.models_archive import AuditEntry

    _may_read_log(ctx, user)
    key = parse_id(entry_id)
    entry = session.get(AuditEntry, key) if key is not None else None
    if entry is None:
        raise ApiError(404, "Không tìm thấy bản ghi nhật ký")
    if user.role == QUAN_TRI and ctx.faults.on("audit_log_editable_by_admin"):
        if delete:
            session.delete(entry)
        else:
            entry.detail = "đã sửa bởi quản trị"
        session.commit()
        return
    raise ApiError(
        403,
        "Nhật ký hệ thống chỉ được ghi thêm; không ai được sửa hoặc xóa bản ghi (NĐ 30/2020 PL VI III.6.l)",
    )


@router.put("/api/audit/{entry_id}")
@router.patch("/api/audit/{entry_id}")
def edit_audit_entry(
    entry_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Always refused: the log is append-only."""
    _refuse_change(ctx, user, session, entry_id, delete=False)
    return {"status": "ok"}


@router.delete("/api/audit/{entry_id}")
def delete_audit_entry(
    entry_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Always refused: the log is append-only."""
    _refuse_change(ctx, user, session, entry_id, delete=True)
    return {"status": "ok"}


# -- statistics from the log (PL VI III.6.a–b) -----------------------------------------------------------


def object_history(session: Session, kind: str, object_id: int, ctx: AppContext) -> list[dict[str, Any]]:
    """Every logged action on one object, oldest first (PL VI III.5.a)."""
    from refoffice.models_archive import AuditEntry

    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == kind, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    out = [entry_json(e) for e in rows]
    if ctx.faults.on("history_omits_views"):
        out = [e for e in out if e["action"] != "xem_van_ban"]
    return out


def view_count(session: Session, kind: str, object_id: int, ctx: AppContext) -> int:
    """Successful reads of one object (số lượt truy cập)."""
    from refoffice.models_archive import AuditEntry

    action = "xem_van_ban" if kind == "document" else "xem_ho_so"
    where = (
        AuditEntry.object_type == kind,
        AuditEntry.object_id == object_id,
        AuditEntry.action == action,
        AuditEntry.outcome == THANH_CONG,
    )
    if ctx.faults.on("access_count_distinct_users"):
        return session.scalar(select(func.count(func.distinct(AuditEntry.actor))).where(*where)) or 0
    return session.scalar(select(func.count(AuditEntry.id)).where(*where)) or 0


def login_counts(session: Session, start: date, end: date, ctx: AppContext) -> dict[str, int]:
    """Successful and failed logins whose day (Vietnam time) lies in [start, end]."""
    from refoffice.models_archive import AuditEntry

    counts = {THANH_CONG: 0, THAT_BAI: 0}
    seen: set[str | None] = set()
    for at, actor, outcome in session.execute(
        select(AuditEntry.at, AuditEntry.actor, AuditEntry.outcome).where(AuditEntry.action == "dang_nhap")
    ):
        day = datetime.fromisoformat(at).astimezone(VN_TZ).date()
        if not start <= day <= end or outcome not in counts:
            continue
        if ctx.faults.on("login_count_distinct_users") and outcome == THANH_CONG:
            if actor in seen:
                continue
            seen.add(actor)
        counts[outcome] += 1
    return counts


def parse_day(value: str | None, name: str, default: date) -> date:
    """A YYYY-MM-DD query parameter."""
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, "Dữ liệu không hợp lệ", [{"field": name, "message": "Ngày theo dạng YYYY-MM-DD"}]
        ) from None


@router.get("/api/history/{segment}/{raw_id}")
def history(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Who did what to one object, and when (PL VI III.5.a), for users who may see the object."""
    from refoffice.acl import require_visible

    kind = object_type(segment)
    oid = parse_id(raw_id)
    if oid is None:
        raise ApiError(404, "Không tìm thấy")
    require_visible(session, ctx, user, kind, oid)
    return {"items": object_history(session, kind, oid, ctx)}


@router.get("/api/stats/access/{segment}/{raw_id}")
def access_statistics(
    segment: str,
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Số lượt truy cập one object (PL VI III.6.a)."""
    from refoffice.acl import require_visible

    kind = object_type(segment)
    oid = parse_id(raw_id)
    if oid is None:
        raise ApiError(404, "Không tìm thấy")
    require_visible(session, ctx, user, kind, oid)
    return {"object_type": kind, "object_id": oid, "views": view_count(session, kind, oid, ctx)}


@router.get("/api/stats/logins")
def login_statistics(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Logins to the system in a period (by default since the start), for managers and administrators
    (PL VI III.6.b)."""
    if user.role not in (QUAN_TRI, LANH_DAO):
        raise ApiError(403, f"{FORBIDDEN}: chỉ quản trị và lãnh đạo được xem thống kê truy cập")
    start, end = parse_day(from_, "from", date.min), parse_day(to, "to", date.max)
    counts = login_counts(session, start, end, ctx)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "logins": counts[THANH_CONG],
        "failed_logins": counts[THAT_BAI],
    }


__all__ = ["AuditMiddleware", "append", "archive_state", "classify", "object_history", "router", "view_count"]
