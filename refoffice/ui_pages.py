"""The văn thư and chuyên viên pages: register an outgoing document, open a dossier, file documents
in it, and the sổ đăng ký văn bản đi with its print form (NĐ 30 PL IV mục I).

Plain server-rendered HTML, as a model for vendors: every input has a ``<label for>`` carrying the
name of its NĐ 30 PL VI Phần II field, required fields say so (``required`` and ``aria-required``),
errors are listed in a ``role="alert"`` summary and tied to their field (``aria-describedby``),
success is announced in a ``role="status"`` message. The pages submit to the same registration code
as the API (the API's route functions are called directly), so both channels keep one set of rules;
client-side limits (``maxlength``, ``required``) mirror the server's, faults included.

Object rights and freezes (``refoffice/acl.py``) hold on the pages as on the API: a document or a
dossier a user may not see is "not found" and is left out of lists and pickers; a write to a frozen
object is refused with the API's message.

The UI fault switches (``refoffice/faults/giao_dien.py``) change only what a person sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from refoffice import acl, documents, dossiers, files, recipient_status, signature_view
from refoffice import dossier_rules as rules
from refoffice.auth import VAN_THU
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.documents import SUBJECT_MAX, SUBJECT_MAX_FAULT
from refoffice.errors import ApiError
from refoffice.file_plans import ISSUED
from refoffice.models import Dossier, OutgoingDocument, User
from refoffice.models_dossier import FilePlan, FilePlanEntry
from refoffice.models_files import StoredFile
from refoffice.numbering import MAT, THUONG, VBQPPL_SERIES
from refoffice.pages import _page_user, _render, templates
from refoffice.storage_view import document_of

router = APIRouter()

PRIORITIES = [
    ("0", "Thường"),
    ("1", "Khẩn"),
    ("2", "Thượng khẩn"),
    ("3", "Hỏa tốc"),
    ("4", "Hỏa tốc hẹn giờ"),
]
SERIES = [("", "Theo tên loại văn bản"), (THUONG, "Văn bản thường"), (MAT, "Văn bản mật")] + [
    (s, s) for s in VBQPPL_SERIES
]
TYPE_NAMES = ["Công văn", "Quyết định", "Thông báo", "Tờ trình", "Báo cáo", "Kế hoạch", "Giấy mời"]
MAINTENANCE = ["Vĩnh viễn", "70 năm", "50 năm", "20 năm", "10 năm", "5 năm"]
RIGHTS = ["Công khai", "Sử dụng có điều kiện", "Mật"]
INTEGER_FIELDS = frozenset({"page_amount", "priority", "issued_amount", "plan_entry_id"})
FORBIDDEN_PAGE = "Tài khoản không có quyền dùng chức năng này."
EMPTY_FORM: dict[str, Any] = {"values": {}, "errors": {}, "summary": []}
PICKER_LIMIT = 500  # documents offered in the "file a document" list


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (NFC is applied by the API's own checks)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _field(
    name: str,
    label: str,
    kind: str = "text",
    *,
    maxlength: int | None = None,
    required: bool = False,
    options: list[tuple[str, str]] | None = None,
    suggestions: list[str] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "id": "truong-" + name.replace("_", "-"),
        "label": label,
        "kind": kind,
        "maxlength": maxlength,
        "required": required,
        "options": options,
        "suggestions": suggestions,
        "min": minimum,
        "max": maximum,
        "labelled": True,
        "placeholder": None,
        "tabindex": None,
        "hint": hint,
    }


def outgoing_fields(ctx: AppContext) -> list[dict[str, Any]]:
    """The registration form of a văn bản đi: PL VI Phần II.I fields a văn thư enters (the rest are
    filled by the system, PL VI III.1.g)."""
    faults = ctx.faults
    subject_max = SUBJECT_MAX_FAULT if faults.on("subject_length_unchecked") else SUBJECT_MAX
    fields = [
        _field("type_name", "Tên loại văn bản", maxlength=100, required=True, suggestions=TYPE_NAMES),
        _field("code_notation", "Ký hiệu của văn bản", maxlength=30, required=True),
        _field("subject", "Trích yếu nội dung", "textarea", maxlength=subject_max, required=True),
        _field("organ_name", "Tên cơ quan, tổ chức ban hành văn bản", maxlength=200),
        _field("language", "Ngôn ngữ", maxlength=30),
        _field("page_amount", "Số trang của văn bản", "number", required=True, minimum=1, maximum=999),
        _field("signer_position", "Chức vụ của người ký văn bản", maxlength=100),
        _field("signer_full_name", "Họ và tên người ký văn bản", maxlength=50),
        _field("to_organ_name", "Tên cơ quan, tổ chức nhận văn bản", maxlength=200),
        _field("to_organ_id", "Mã định danh của cơ quan, tổ chức nhận văn bản", maxlength=35),
        _field("priority", "Mức độ khẩn, độ mật", "select", options=PRIORITIES),
        _field("issued_amount", "Số lượng bản phát hành", "number", minimum=0, maximum=999),
        _field("due_date", "Hạn trả lời văn bản", "date"),
        _field("series", "Hệ thống số", "select", options=SERIES),
        _field("description", "Ghi chú", "textarea", maxlength=500),
    ]
    manual = faults.on("manual_number_required")
    if manual or faults.on("manual_number_accepted"):
        # A system that lets (or makes) the văn thư type the number shows a field for it.
        fields.insert(
            2,
            _field("code_number", "Số của văn bản", maxlength=11, required=manual),
        )
    if faults.on("outgoing_label_missing"):
        subject = next(f for f in fields if f["name"] == "subject")
        subject["labelled"], subject["placeholder"] = False, subject["label"]
    return fields


PLAN_HINT = (
    "Hồ sơ theo Danh mục lấy tiêu đề, số và ký hiệu, thời hạn bảo quản và người lập từ Danh mục hồ sơ "
    "(NĐ 30/2020/NĐ-CP Điều 29 khoản 2 điểm b); để trống các trường đó."
)
AD_HOC_HINT = "Bắt buộc với hồ sơ ngoài Danh mục hồ sơ (Điều 29 khoản 2 điểm c)."


def plan_entry_options(session: Session) -> list[tuple[str, str]]:
    """The entries of the issued Danh mục hồ sơ, newest plan first: whom the plan assigns them to and
    whether they are opened already are the API's to decide when the form is sent."""
    rows = session.execute(
        select(FilePlanEntry, FilePlan)
        .join(FilePlan, FilePlan.id == FilePlanEntry.plan_id)
        .where(FilePlan.status == ISSUED)
        .order_by(FilePlan.year.desc(), FilePlan.id.desc(), FilePlanEntry.ordinal, FilePlanEntry.id)
        .limit(PICKER_LIMIT)
    ).all()
    options = [("", "Không: mở hồ sơ ngoài Danh mục hồ sơ")]
    for entry, plan in rows:
        title = entry.title if len(entry.title) <= 80 else entry.title[:79] + "…"
        options.append(
            (str(entry.id), f"{entry.file_notation} — {title} (Danh mục năm {plan.year}, {entry.creator})")
        )
    return options


def dossier_fields(ctx: AppContext, session: Session) -> list[dict[str, Any]]:
    """The form that opens a dossier: from a Danh mục entry (Đ.29.2.a–b) or ad hoc with the PL VI
    Phần II.III fields a person enters (Đ.29.2.c). Which items are required depends on that choice,
    so the API says what is missing; the browser only checks what holds in both cases."""
    faults = ctx.faults
    # the regime (and its limit) follows the start date the person enters; the API decides, the form
    # lets through the longer of the two limits
    title_max = (
        rules.UNCHECKED_MAX
        if faults.on("dossier_title_length_unchecked")
        else max(rules.LIMITS_2020.title, rules.LIMITS_2025.title)
    )
    description_max = (
        rules.UNCHECKED_MAX
        if faults.on("dossier_description_length_unchecked")
        else max(rules.LIMITS_2020.description, rules.LIMITS_2025.description)
    )
    creator_max = rules.UNCHECKED_MAX if faults.on("creator_length_unchecked") else rules.LIMITS_2020.creator
    start_required = not faults.on("dossier_start_date_optional")
    limits = rules.LIMITS_2020  # rights, language, maintenance, notation: the same in both regimes
    fields = [
        _field(
            "plan_entry_id",
            "Hồ sơ trong Danh mục hồ sơ",
            "select",
            options=plan_entry_options(session),
            hint=PLAN_HINT,
        ),
        _field("file_notation", "Số và ký hiệu hồ sơ", maxlength=limits.file_notation, hint=AD_HOC_HINT),
        _field("title", "Tiêu đề hồ sơ", "textarea", maxlength=title_max, hint=AD_HOC_HINT),
        _field(
            "maintenance",
            "Thời hạn bảo quản",
            maxlength=limits.maintenance,
            suggestions=MAINTENANCE,
            hint=AD_HOC_HINT,
        ),
        _field("creator", "Người lập hồ sơ", maxlength=creator_max, hint=AD_HOC_HINT),
        _field("start_date", "Thời gian bắt đầu", "date", required=start_required),
        _field("rights", "Chế độ sử dụng", maxlength=limits.rights, suggestions=RIGHTS),
        _field("language", "Ngôn ngữ", maxlength=limits.language),
        _field("description", "Ghi chú", "textarea", maxlength=description_max),
    ]
    if faults.on("dossier_label_wrong"):
        next(f for f in fields if f["name"] == "maintenance")["label"] = "Lưu trữ"
    if faults.on("control_not_keyboard_reachable"):
        next(f for f in fields if f["name"] == "description")["tabindex"] = "-1"
    return fields


def _payload(form: dict[str, str], fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Form strings → the API's JSON body: blanks left out, whole numbers as numbers."""
    out: dict[str, Any] = {}
    for f in fields:
        raw = (form.get(f["name"]) or "").strip()
        if not raw:
            continue
        if f["name"] in INTEGER_FIELDS and raw.lstrip("-").isascii() and raw.lstrip("-").isdigit():
            out[f["name"]] = int(raw)
        else:
            out[f["name"]] = raw
    recipient = {k: out.pop(f"to_{k}") for k in ("organ_id", "organ_name") if f"to_{k}" in out}
    if recipient:  # one recipient per registration on this form (13.1 is filled from the directory)
        out["to"] = [recipient]
    return out


def _errors(exc: ApiError, fields: list[dict[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """The API's errors as (per-field messages, summary lines naming each field by its label)."""
    by_name = {f["name"]: f for f in fields}
    per_field: dict[str, str] = {}
    summary: list[str] = []
    for e in exc.errors or []:
        name = str(e.get("field", ""))
        name = {
            "to[0].organ_id": "to_organ_id",
            "to[0].organ_name": "to_organ_name",
            "to[0]": "to_organ_name",
        }.get(name, name)
        f = by_name.get(name)
        if f is not None:
            per_field.setdefault(f["id"], e["message"])
            summary.append(f"{f['label']}: {e['message']}")
        else:
            summary.append(e["message"])
    if not summary:
        summary.append(exc.detail)
    return per_field, summary


def _forbidden(request: Request, ctx: AppContext, user: User) -> HTMLResponse:
    return _render(request, ctx, "khong_co_quyen.html", status=403, user=user, message=FORBIDDEN_PAGE)


def _not_found(request: Request, ctx: AppContext, user: User, message: str) -> HTMLResponse:
    return _render(request, ctx, "khong_co_quyen.html", status=404, user=user, message=message)


def _visible(session: Session, ctx: AppContext, user: User, kind: str, object_id: int) -> bool:
    return acl.can_read(session, ctx, user.id, kind, object_id)


def _frozen(session: Session, ctx: AppContext, kind: str, object_id: int) -> ApiError | None:
    return ApiError(409, acl.FROZEN) if acl.frozen_for_writes(session, ctx, kind, object_id) else None


def _json(resp: Response) -> dict[str, Any]:
    return json.loads(bytes(resp.body))


# -- văn bản đi -----------------------------------------------------------------------------------------


@router.get("/van-ban-di/dang-ky", response_class=HTMLResponse, include_in_schema=False)
def outgoing_form(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Empty registration form (văn thư only)."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if user.role != VAN_THU:
        return _forbidden(request, ctx, user)
    return _render(
        request, ctx, "van_ban_di_dang_ky.html", user=user, fields=outgoing_fields(ctx), **EMPTY_FORM
    )


@router.post("/van-ban-di/dang-ky", include_in_schema=False)
def outgoing_submit(
    request: Request,
    form: Annotated[dict[str, str], Depends(form_data)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Register through the API's own code; on errors show the form again with every problem."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if user.role != VAN_THU:
        return _forbidden(request, ctx, user)
    return _submit(
        request,
        ctx,
        session,
        user,
        form,
        outgoing_fields(ctx),
        documents.register_outgoing,
        "van_ban_di_dang_ky.html",
        "/van-ban-di",
    )


def _submit(
    request: Request,
    ctx: AppContext,
    session: Session,
    user: User,
    form: dict[str, str],
    fields: list[dict[str, Any]],
    create: Callable[..., Response],
    template: str,
    created_at: str,
) -> Response:
    """A form's entries go to the API's own route function (``create``); its refusal shows the form
    again with every problem beside its field, its success leads to the new object's page."""
    try:
        resp = create(user=user, payload=_payload(form, fields), ctx=ctx, session=session)
    except ApiError as exc:
        session.rollback()
        errors, summary = _errors(exc, fields)
        return _render(
            request,
            ctx,
            template,
            status=exc.status,
            user=user,
            fields=fields,
            values=form,
            errors=errors,
            summary=summary,
        )
    return RedirectResponse(f"{created_at}/{_json(resp)['id']}?moi=1", status_code=303)


def _priority_label(value: int | None) -> str:
    return dict(PRIORITIES).get(str(value if value is not None else 0), str(value))


@router.get("/van-ban-di/{doc_id:int}", response_class=HTMLResponse, include_in_schema=False)
def outgoing_detail(
    doc_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    moi: str | None = None,
) -> Response:
    """One outgoing document with every PL VI field, named as in the appendix."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    return _outgoing_page(request, ctx, session, user, doc_id, created=moi == "1")


def _outgoing_page(
    request: Request,
    ctx: AppContext,
    session: Session,
    user: User,
    doc_id: int,
    *,
    status: int = 200,
    created: bool = False,
    summary: list[str] | None = None,
) -> Response:
    doc = session.get(OutgoingDocument, doc_id)
    if doc is None or not _visible(session, ctx, user, "document", doc.id):
        return _not_found(request, ctx, user, "Không tìm thấy văn bản đi.")
    return _render(
        request,
        ctx,
        "van_ban_di_chi_tiet.html",
        status=status,
        user=user,
        doc=doc,
        priority=_priority_label(doc.priority),
        created=created,
        files=files.files_of(session, "outgoing", doc.id),
        recipients=recipient_status.recipient_rows(session, ctx, doc.id),
        summary=summary or [],
    )


# the page that holds the files of each kind of document (files.KINDS)
DOCUMENT_PAGES = {"outgoing": "/van-ban-di/{}", "dossier": "/ho-so/{}"}


@router.get("/van-ban/{kind}/{doc_id:int}", include_in_schema=False)
def document_page(kind: str, doc_id: int) -> Response:
    """The page of a document of any kind that has files: a văn bản đi, or a dossier (its tài liệu)."""
    if kind not in DOCUMENT_PAGES:
        return Response("Không có trang cho loại văn bản này", status_code=404, media_type="text/plain")
    return RedirectResponse(DOCUMENT_PAGES[kind].format(doc_id), status_code=303)


@router.post("/van-ban-di/{doc_id:int}/tep", include_in_schema=False)
async def outgoing_file_upload(
    doc_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Attach a file (form fields ``file`` and ``description``) through the API's own upload code."""
    return await _upload(request, ctx, session, "outgoing", doc_id, _outgoing_page)


async def _upload(
    request: Request,
    ctx: AppContext,
    session: Session,
    kind: str,
    oid: int,
    page: Callable[..., Response],
) -> Response:
    """A file sent from an object's page (``kind`` outgoing or dossier) goes through the API's own
    upload code; a refusal (rights, freeze, the API's own rules) is shown on the object's page."""
    acl_kind, missing = _UPLOAD_TO[kind]
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if not _visible(session, ctx, user, acl_kind, oid):
        return _not_found(request, ctx, user, missing)
    try:
        if (refused := _frozen(session, ctx, acl_kind, oid)) is not None:
            raise refused
        resp = await files.upload_file(
            kind=kind, doc_id=str(oid), request=request, user=user, ctx=ctx, session=session
        )
    except ApiError as exc:
        session.rollback()
        _, summary = _errors(exc, [_field("file", "Tệp"), _field("description", "Mô tả tệp")])
        return page(request, ctx, session, user, oid, status=exc.status, summary=summary)
    return RedirectResponse(f"/tep/{_json(resp)['id']}?moi=1", status_code=303)


# the object an upload goes to: its kind for rights and freezes, and what "not found" says
_UPLOAD_TO = {
    "outgoing": ("document", "Không tìm thấy văn bản đi."),
    "dossier": ("dossier", "Không tìm thấy hồ sơ."),
}


@router.get("/tep/{file_id:int}", response_class=HTMLResponse, include_in_schema=False)
def file_page(
    file_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    moi: str | None = None,
) -> Response:
    """A stored file: what was recorded on arrival (name, type, size, SHA-256), its download link and,
    for a PDF, the verification of its digital signatures (``refoffice/signature_view.py``)."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    stored = session.get(StoredFile, file_id)
    owner = document_of(session, file_id) if stored is not None else None
    if stored is None or (owner is not None and not _visible(session, ctx, user, *owner)):
        return _not_found(request, ctx, user, "Không tìm thấy tệp.")
    return _render(
        request,
        ctx,
        "tep.html",
        user=user,
        f=stored,
        created=moi == "1",
        signatures=signature_view.panel(ctx, stored),
    )


@router.get("/tep/{file_id:int}/tai-ve", include_in_schema=False)
def file_download(
    file_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The stored bytes, through the API's own download code."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    owner = document_of(session, file_id)
    if owner is not None and not _visible(session, ctx, user, *owner):
        return _not_found(request, ctx, user, "Không tìm thấy tệp.")
    return files.download_file(file_id=str(file_id), _user=user, ctx=ctx, session=session)


@router.get("/van-ban-di/in", response_class=HTMLResponse, include_in_schema=False)
def outgoing_register_print(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    nam: str | None = None,
) -> Response:
    """The print form of the sổ đăng ký văn bản đi (NĐ 30 PL IV mục I): cover fields and 10 columns."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    year = ctx.clock.today().year
    if nam and nam.isascii() and nam.isdigit() and len(nam) == 4:
        year = int(nam)
    hidden = acl.hidden_ids(session, ctx, user.id, "document")
    docs = [d for d in documents.list_documents(session, year) if d.id not in hidden]
    numbers = [int(d.code_number) for d in docs if d.code_number and d.code_number.isdigit()]
    dates = [d.issued_date for d in docs]
    return _render(
        request,
        ctx,
        "van_ban_di_in.html",
        user=user,
        year=year,
        documents=docs,
        from_date=min(dates) if dates else None,
        to_date=max(dates) if dates else None,
        from_number=min(numbers) if numbers else None,
        to_number=max(numbers) if numbers else None,
        drop_column=ctx.faults.on("so_di_print_missing_column"),
    )


# -- hồ sơ ------------------------------------------------------------------------------------------------


@router.get("/ho-so", response_class=HTMLResponse, include_in_schema=False)
def dossier_list(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The dossiers, newest first."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    hidden = acl.hidden_ids(session, ctx, user.id, "dossier")
    query = select(Dossier).where(Dossier.id.not_in(hidden)) if hidden else select(Dossier)
    rows = list(session.scalars(query.order_by(Dossier.id.desc()).limit(PICKER_LIMIT)))
    return _render(request, ctx, "ho_so.html", user=user, dossiers=rows)


@router.get("/ho-so/mo", response_class=HTMLResponse, include_in_schema=False)
def dossier_form(
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Empty form to open a dossier (everyone who handles work keeps dossiers of it, as in the API)."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if user.role not in dossiers.HANDLERS:
        return _forbidden(request, ctx, user)
    fields = dossier_fields(ctx, session)
    return _render(request, ctx, "ho_so_mo.html", user=user, fields=fields, **EMPTY_FORM)


@router.post("/ho-so/mo", include_in_schema=False)
def dossier_submit(
    request: Request,
    form: Annotated[dict[str, str], Depends(form_data)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Open the dossier through the API's own code; on errors show the form again."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if user.role not in dossiers.HANDLERS:
        return _forbidden(request, ctx, user)
    return _submit(
        request,
        ctx,
        session,
        user,
        form,
        dossier_fields(ctx, session),
        dossiers.open_dossier,
        "ho_so_mo.html",
        "/ho-so",
    )


def _dossier_page(
    request: Request,
    ctx: AppContext,
    session: Session,
    user: User,
    dossier_id: int,
    *,
    status: int = 200,
    created: bool = False,
    filed: int | None = None,
    summary: list[str] | None = None,
) -> Response:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or not _visible(session, ctx, user, "dossier", dossier.id):
        return _not_found(request, ctx, user, "Không tìm thấy hồ sơ.")
    record = dossiers.dossier_json(ctx, session, dossier)
    hidden = acl.hidden_ids(session, ctx, user.id, "document")
    record["documents"] = [d for d in record["documents"] if d["document_id"] not in hidden]
    filed_row = next((d for d in record["documents"] if d["document_id"] == filed), None) if filed else None
    shown = (
        select(OutgoingDocument).where(OutgoingDocument.id.not_in(hidden))
        if hidden
        else select(OutgoingDocument)
    )
    picker = list(session.scalars(shown.order_by(OutgoingDocument.id.desc()).limit(PICKER_LIMIT)))
    return _render(
        request,
        ctx,
        "ho_so_chi_tiet.html",
        status=status,
        user=user,
        d=record,
        owner=session.get(User, dossier.owner),
        created=created,
        filed=filed_row,
        picker=picker,
        files=files.files_of(session, "dossier", dossier.id),
        summary=summary or [],
    )


@router.get("/ho-so/{dossier_id:int}", response_class=HTMLResponse, include_in_schema=False)
def dossier_detail(
    dossier_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    moi: str | None = None,
    da_them: int | None = None,
) -> Response:
    """A dossier: its PL VI Phần II.III fields, its documents in ordinal order, the filing form."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    return _dossier_page(request, ctx, session, user, dossier_id, created=moi == "1", filed=da_them)


@router.post("/ho-so/{dossier_id:int}/van-ban", include_in_schema=False)
def dossier_file_document(
    dossier_id: int,
    request: Request,
    form: Annotated[dict[str, str], Depends(form_data)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """File a document in the dossier (the owner only, as in the API)."""
    user = _page_user(request, session)
    if user is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    if not _visible(session, ctx, user, "dossier", dossier_id):
        return _not_found(request, ctx, user, "Không tìm thấy hồ sơ.")
    raw = (form.get("document_id") or "").strip()
    payload: dict[str, Any] = {"document_id": int(raw) if raw.isascii() and raw.isdigit() else raw or None}
    try:
        if (refused := _frozen(session, ctx, "dossier", dossier_id)) is not None:
            raise refused
        dossiers.attach_document(
            dossier_id=str(dossier_id), user=user, payload=payload, ctx=ctx, session=session
        )
    except ApiError as exc:
        session.rollback()
        _, summary = _errors(exc, [])
        return _dossier_page(request, ctx, session, user, dossier_id, status=exc.status, summary=summary)
    return RedirectResponse(f"/ho-so/{dossier_id}?da_them={payload['document_id']}", status_code=303)


@router.post("/ho-so/{dossier_id:int}/tep", include_in_schema=False)
async def dossier_file_upload(
    dossier_id: int,
    request: Request,
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """Collect a tài liệu (photo, recording, film…) into the dossier through the API's own upload code
    (Đ.29.3); who may and when is the API's rule (the owner, while the dossier is open)."""
    return await _upload(request, ctx, session, "dossier", dossier_id, _dossier_page)


def date_vi(value: date | str | None) -> str:
    """dd/mm/yyyy, the way dates are written on Vietnamese forms (accepts a date or an ISO string)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if value else ""


templates.env.filters["date_vi"] = date_vi
