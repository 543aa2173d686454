"""Search (NĐ 30/2020 PL VI III.6.d–h): every input field and the content of stored files, chosen
columns, saved queries, ordering, and export of the results.

Fields are named as in NĐ 30 PL VI Phần II (Subject, CodeNotation, SignerInfo/FullName → FullName,
…), the national vocabulary, so a query means the same on any system. Matching is on NFC text,
case-insensitive, as a substring. Results only ever contain documents the user may read: the same
rule as reading one document (`acl.can_read`), applied before anything is counted or exported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice.acl import hidden_ids
from refoffice.auth import current_user, user_for_token
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import UNAUTHENTICATED, ApiError, field_error
from refoffice.models import OutgoingDocument, User
from refoffice.models_archive import SavedQuery
from refoffice.renditions import table_docx, text_pdf
from refoffice.validation import Checker, json_body, parse_id, require_object

router = APIRouter()


def _recipients(d: OutgoingDocument) -> str:
    return "; ".join(r.get("organ_name") or r.get("organ_id") or "" for r in d.recipients or [])


# NĐ 30 PL VI Phần II.I field name → how to read it from a document.
FIELDS: dict[str, Callable[[OutgoingDocument], Any]] = {
    "OrganId": lambda d: d.organ_id,
    "FileCatalog": lambda d: d.file_catalog,
    "TypeName": lambda d: d.type_name,
    "CodeNumber": lambda d: d.code_number,
    "CodeNotation": lambda d: d.code_notation,
    "SoKyHieu": lambda d: d.so_ky_hieu,
    "IssuedDate": lambda d: d.issued_date.isoformat(),
    "OrganName": lambda d: d.organ_name,
    "Subject": lambda d: d.subject,
    "Language": lambda d: d.language,
    "PageAmount": lambda d: d.page_amount,
    "Description": lambda d: d.description,
    "Position": lambda d: d.signer_position,
    "FullName": lambda d: d.signer_full_name,
    "To": _recipients,
    "Priority": lambda d: d.priority,
    "IssuedAmount": lambda d: d.issued_amount,
    "DueDate": lambda d: d.due_date.isoformat() if d.due_date else None,
    "DocCode": lambda d: d.doc_code,
}
DEFAULT_COLUMNS = ["SoKyHieu", "IssuedDate", "TypeName", "Subject", "OrganName"]
SORTABLE = {"IssuedDate", "CodeNumber", "Subject", "TypeName", "PageAmount", "id"}
QUERY_KEYS = ("q", "field", "value", "fields", "sort", "order")


def _norm(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).casefold() if value is not None else ""


def file_texts(session: Session, ctx: AppContext, doc: OutgoingDocument) -> list[str]:
    """Text of the document's stored files (full-text search); see `fulltext.py`."""
    from refoffice import fulltext

    return fulltext.texts_of(session, ctx, doc.id)


def parse_query(raw: dict[str, Any]) -> dict[str, Any]:
    """A search request from query-string or JSON values, checked; 422 names the bad parameter."""
    check = Checker({k: v for k, v in raw.items() if k in QUERY_KEYS})
    q = check.text("q", 500)
    field = check.text("field", 50)
    value = check.text("value", 500)
    fields = check.text("fields", 500)
    sort = check.text("sort", 50) or "id"
    order = (check.text("order", 4) or "asc").lower()
    if field is not None and field not in FIELDS:
        check.error("field", f"Trường không hỗ trợ tìm kiếm; dùng: {', '.join(FIELDS)}")
    if (field is None) != (value is None):
        check.error("value" if field else "field", "field và value phải đi cùng nhau")
    columns = [c.strip() for c in fields.split(",") if c.strip()] if fields else list(DEFAULT_COLUMNS)
    unknown = [c for c in columns if c not in FIELDS]
    if unknown:
        check.error("fields", f"Trường hiển thị không có: {', '.join(unknown)}")
    if sort not in SORTABLE:
        check.error("sort", f"Chỉ sắp xếp được theo: {', '.join(sorted(SORTABLE))}")
    if order not in ("asc", "desc"):
        check.error("order", "order là asc hoặc desc")
    if q is None and field is None:
        check.error("q", "Cần từ khóa (q) hoặc một trường và giá trị (field, value)")
    check.raise_if_errors()
    return {"q": q, "field": field, "value": value, "fields": columns, "sort": sort, "order": order}


def _sort_key(sort: str) -> Callable[[OutgoingDocument], Any]:
    if sort == "id":
        return lambda d: d.id
    if sort == "CodeNumber":
        return lambda d: (d.number_year, d.number_seq, d.id)
    if sort == "PageAmount":
        return lambda d: (d.page_amount, d.id)
    reader = FIELDS[sort]
    return lambda d: (_norm(reader(d)), d.id)


def run(
    session: Session, ctx: AppContext, user_id: int | None, query: dict[str, Any]
) -> list[dict[str, Any]]:
    """The matching documents the user may read, in the requested order, with the chosen columns."""
    faults = ctx.faults
    leak = faults.on("search_ignores_acl") or user_id is None  # None: only under `search_without_login`
    hidden = set() if leak or user_id is None else hidden_ids(session, ctx, user_id, "document")
    found = []
    for doc in session.scalars(select(OutgoingDocument).order_by(OutgoingDocument.id)):
        if doc.id in hidden:
            continue
        if query["field"] is not None:
            if query["field"] == "FullName" and faults.on("search_skips_signer_field"):
                continue
            if _norm(query["value"]) not in _norm(FIELDS[query["field"]](doc)):
                continue
        if query["q"] is not None:
            needle = _norm(query["q"])
            haystack = [_norm(reader(doc)) for reader in FIELDS.values()]
            if not faults.on("fulltext_not_indexed"):
                haystack += [_norm(t) for t in file_texts(session, ctx, doc)]
            if not any(needle in h for h in haystack):
                continue
        found.append(doc)
    reverse = query["order"] == "desc" and not faults.on("search_sort_desc_ignored")
    found.sort(key=_sort_key(query["sort"]), reverse=reverse)
    columns = list(FIELDS) if faults.on("search_ignores_field_selection") else query["fields"]
    return [{"id": d.id, **{c: FIELDS[c](d) for c in columns}} for d in found]


def _searcher(request: Request, session: Session, ctx: AppContext) -> User | None:
    """The signed-in user; the `search_without_login` fault lets anonymous requests through."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    user = user_for_token(session, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None and not ctx.faults.on("search_without_login"):
        raise ApiError(401, UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})
    return user


@router.get("/api/search")
def search(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Search documents by keyword (all fields and file content) or by one field."""
    user = _searcher(request, session, ctx)
    query = parse_query(dict(request.query_params))
    items = run(session, ctx, user.id if user else None, query)
    return {"total": len(items), "columns": query["fields"], "items": items}


@router.get("/api/search/export")
def export(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The results of a search as .docx or .pdf (PL VI III.6.h): one row per result, chosen columns."""
    user = _searcher(request, session, ctx)
    params = dict(request.query_params)
    fmt = (params.pop("format", "") or "").lower()
    if fmt not in ("docx", "pdf"):
        raise field_error("format", "Định dạng kết xuất là docx hoặc pdf")
    query = parse_query(params)
    items = run(session, ctx, user.id if user else None, query)
    title = f"Kết quả tìm kiếm — {len(items)} văn bản — {iso(ctx.clock.now())}"
    rows = [[str(it.get(c) if it.get(c) is not None else "") for c in query["fields"]] for it in items]
    if fmt == "docx":
        if ctx.faults.on("export_docx_drops_last_row") and rows:
            rows = rows[:-1]
        data = table_docx(title, query["fields"], rows)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif ctx.faults.on("export_pdf_not_pdf"):
        data = ("<html><body>" + "".join(f"<p>{' | '.join(r)}</p>" for r in rows) + "</body></html>").encode()
        media = "application/pdf"
    else:
        data = text_pdf(title, [" | ".join(r) for r in rows])
        media = "application/pdf"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="ket-qua-tim-kiem.{fmt}"'},
    )


@router.post("/api/search/saved", status_code=201)
def save_query(
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Save a search request under a name, for the same user to run again later."""
    data = require_object(payload)
    check = Checker(data)
    name = check.text("name", 200, required=True)
    check.raise_if_errors()
    raw = data.get("query")
    if not isinstance(raw, dict):
        raise field_error("query", "Phải là một đối tượng chứa các tham số tìm kiếm")
    query = parse_query(raw)
    stored = dict(query)
    if ctx.faults.on("saved_query_drops_filter") and stored["field"] is not None:
        stored["field"], stored["value"] = "Subject", ""  # the field filter is lost: matches everything
    row = SavedQuery(user_id=user.id, name=name or "", query=stored, created_at=iso(ctx.clock.now()))
    session.add(row)
    session.commit()
    return JSONResponse({"id": row.id, "name": row.name, "query": query}, status_code=201)


@router.get("/api/search/saved")
def list_saved(
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The user's saved searches."""
    rows = session.scalars(select(SavedQuery).where(SavedQuery.user_id == user.id).order_by(SavedQuery.id))
    return {
        "items": [{"id": r.id, "name": r.name, "query": r.query, "created_at": r.created_at} for r in rows]
    }


@router.get("/api/search/saved/{raw_id}/run")
def run_saved(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Run a saved search again, with today's data and the user's current rights."""
    key = parse_id(raw_id)
    row = session.get(SavedQuery, key) if key is not None else None
    if row is None or row.user_id != user.id:
        raise ApiError(404, "Không tìm thấy yêu cầu tìm kiếm đã lưu")
    query = dict(row.query)
    items = run(session, ctx, user.id, query)
    return {"total": len(items), "columns": query["fields"], "items": items, "name": row.name}
