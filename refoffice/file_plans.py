"""Danh mục hồ sơ (file plan): drafting, headings, planned dossiers, approval, the PL V form.

NĐ 30 Điều 28: the file plan is approved by the head of the agency, issued at the start of the
year and sent to units and individuals as the basis for opening dossiers. Phụ lục V I: đề mục lớn
numbered with Roman numerals, đề mục nhỏ with Arabic numerals within each đề mục lớn, one
abbreviation per đề mục lớn; số và ký hiệu hồ sơ = số thứ tự from 01 + that abbreviation, numbered
either across the whole plan or within each đề mục lớn. Phụ lục V II: the printed form with five
columns and the footer counting permanent and limited-retention dossiers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice import dossier_rules as rules
from refoffice.auth import LANH_DAO, VAN_THU, current_user, require_role
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.documents import parse_year
from refoffice.errors import FORBIDDEN, ApiError, field_error
from refoffice.models import Dossier, User
from refoffice.models_dossier import FilePlan, FilePlanEntry, FilePlanHeading
from refoffice.validation import Checker, json_body, parse_id, require_object

router = APIRouter()

DRAFT, ISSUED = "du_thao", "ban_hanh"
CONTINUOUS, PER_HEADING = "lien_tuc", "theo_de_muc"
FORM_COLUMNS = [
    "Số và ký hiệu hồ sơ",
    "Tên đề mục và tiêu đề hồ sơ",
    "Thời hạn bảo quản",
    "Người lập hồ sơ",
    "Ghi chú",
]


def plan_limits(plan: FilePlan) -> rules.DossierLimits:
    """A plan's titles follow the regime in force when it is issued (1 January of its year)."""
    return rules.limits_for(date(plan.year, 1, 1))


def _heading_number(ctx: AppContext, heading: FilePlanHeading) -> str:
    if heading.parent_id is None and not ctx.faults.on("file_plan_headings_arabic"):
        return rules.roman(heading.position)
    return str(heading.position)


def heading_json(ctx: AppContext, heading: FilePlanHeading) -> dict[str, Any]:
    """A heading with its number as printed (I, II … for đề mục lớn; 1, 2 … for đề mục nhỏ)."""
    number = _heading_number(ctx, heading)
    return {
        "id": heading.id,
        "plan_id": heading.plan_id,
        "parent_id": heading.parent_id,
        "level": 1 if heading.parent_id is None else 2,
        "position": heading.position,
        "number": number,
        "label": f"{number}. {heading.title}",
        "title": heading.title,
        "abbreviation": heading.abbreviation,
    }


def entry_json(entry: FilePlanEntry, dossier_id: int | None) -> dict[str, Any]:
    """A planned dossier; ``dossier_id`` once it has been opened."""
    return {
        "id": entry.id,
        "plan_id": entry.plan_id,
        "heading_id": entry.heading_id,
        "ordinal": entry.ordinal,
        "file_notation": entry.file_notation,
        "title": entry.title,
        "maintenance": entry.maintenance,
        "assignee_id": entry.assignee_id,
        "creator": entry.creator,
        "description": entry.description,
        "dossier_id": dossier_id,
    }


def _headings(session: Session, plan_id: int) -> list[FilePlanHeading]:
    """Headings in printed order: each đề mục lớn followed by its đề mục nhỏ."""
    rows = list(session.scalars(select(FilePlanHeading).where(FilePlanHeading.plan_id == plan_id)))
    tops = sorted((h for h in rows if h.parent_id is None), key=lambda h: h.position)
    out = []
    for top in tops:
        out.append(top)
        out.extend(sorted((h for h in rows if h.parent_id == top.id), key=lambda h: h.position))
    return out


def _entries(session: Session, plan_id: int) -> list[FilePlanEntry]:
    return list(
        session.scalars(
            select(FilePlanEntry).where(FilePlanEntry.plan_id == plan_id).order_by(FilePlanEntry.id)
        )
    )


def _opened(session: Session, entry_ids: list[int]) -> dict[int, int]:
    if not entry_ids:
        return {}
    rows = session.execute(
        select(Dossier.plan_entry_id, Dossier.id).where(Dossier.plan_entry_id.in_(entry_ids))
    ).all()
    return {entry_id: dossier_id for entry_id, dossier_id in rows}


def plan_json(ctx: AppContext, session: Session, plan: FilePlan) -> dict[str, Any]:
    """The plan with its headings (printed order) and entries (order of addition)."""
    year = plan.year
    entries = _entries(session, plan.id)
    opened = _opened(session, [e.id for e in entries])
    return {
        "id": plan.id,
        "organ_id": plan.organ_id,
        "year": year,
        "scope": plan.scope,
        "title": f"Danh mục hồ sơ năm {year}",
        "numbering": plan.numbering,
        "status": plan.status,
        "description": plan.description,
        "decision_number": plan.decision_number,
        "decision_date": plan.decision_date.isoformat() if plan.decision_date else None,
        "approved_by": plan.approved_by,
        "approved_at": plan.approved_at,
        "created_by": plan.created_by,
        "created_at": plan.created_at,
        "headings": [heading_json(ctx, h) for h in _headings(session, plan.id)],
        "entries": [entry_json(e, opened.get(e.id)) for e in entries],
    }


def load_plan(session: Session, plan_id: str | int) -> FilePlan:
    key = parse_id(str(plan_id))
    plan = session.get(FilePlan, key) if key is not None else None
    if plan is None:
        raise ApiError(404, "Không tìm thấy Danh mục hồ sơ")
    return plan


@router.post("/api/file-plans", status_code=201)
def create_plan(
    user: Annotated[User, Depends(require_role(VAN_THU, LANH_DAO))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Draft the file plan of a year for a scope (the agency, or one of its units)."""
    check = Checker(require_object(payload))
    year = check.integer("year", 1900, 2999, required=True)
    scope = check.text("scope", 200, required=True)
    numbering = check.text("numbering", 20, default=CONTINUOUS)
    if numbering not in (None, CONTINUOUS, PER_HEADING):
        check.error("numbering", f"Cách đánh số hồ sơ phải là “{CONTINUOUS}” hoặc “{PER_HEADING}”")
    description = check.text("description", 500)
    check.raise_if_errors()
    assert year is not None and scope and numbering
    now = ctx.clock.now()
    with ctx.write_lock:
        clash = session.scalar(select(FilePlan.id).where(FilePlan.year == year, FilePlan.scope == scope))
        if clash is not None:
            raise field_error(
                "scope", f"Đã có Danh mục hồ sơ năm {year} cho “{scope}” (#{clash})", status=409
            )
        plan = FilePlan(
            organ_id=ctx.config.organ_id,
            year=year,
            scope=scope,
            numbering=numbering,
            status=DRAFT,
            description=description,
            created_by=user.id,
            created_at=iso(now),
        )
        session.add(plan)
        session.commit()
    return JSONResponse(plan_json(ctx, session, plan), status_code=201)


@router.get("/api/file-plans")
def list_plans(
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
    year: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """Every file plan (of one year if asked), oldest first: the plan is sent to everyone (Điều 28)."""
    query = select(FilePlan).order_by(FilePlan.id)
    wanted = parse_year(year)
    if wanted is not None and ctx.faults.on("file_plan_list_current_year_only"):
        wanted = ctx.clock.today().year
    if wanted is not None:
        query = query.where(FilePlan.year == wanted)
    items = [plan_json(ctx, session, p) for p in session.scalars(query)]
    return {"items": items, "count": len(items)}


@router.get("/api/file-plans/{plan_id}")
def get_plan(
    plan_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """One file plan with its headings and entries."""
    return plan_json(ctx, session, load_plan(session, plan_id))


@router.post("/api/file-plans/{plan_id}/headings", status_code=201)
def add_heading(
    plan_id: str,
    _user: Annotated[User, Depends(require_role(VAN_THU, LANH_DAO))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Add a đề mục lớn (with its abbreviation) or, with ``parent_id``, a đề mục nhỏ under one."""
    plan = load_plan(session, plan_id)
    check = Checker(require_object(payload))
    title = check.text("title", 300, required=True)
    parent_id = check.integer("parent_id", 1, 2**62)
    abbreviation = check.text("abbreviation", 17)
    if parent_id is None and abbreviation is None and not check.present("abbreviation"):
        check.error("abbreviation", "Đề mục lớn phải có chữ viết tắt (dùng trong số và ký hiệu hồ sơ)")
    if abbreviation is not None and parent_id is not None:
        check.error("abbreviation", "Chỉ đề mục lớn có chữ viết tắt")
    if abbreviation is not None and not rules.HEADING_ABBR_RE.fullmatch(abbreviation):
        check.error(
            "abbreviation", "Chữ viết tắt gồm chữ in hoa, chữ số và dấu gạch nối, bắt đầu bằng chữ cái (TCCB)"
        )
    check.raise_if_errors()
    assert title is not None
    with ctx.write_lock:
        if parent_id is not None:
            parent = session.get(FilePlanHeading, parent_id)
            if parent is None or parent.plan_id != plan.id:
                raise field_error("parent_id", "Không có đề mục lớn này trong Danh mục hồ sơ", status=404)
            if parent.parent_id is not None:
                raise field_error("parent_id", "Đề mục nhỏ chỉ nằm trong một đề mục lớn (hai cấp)")
        elif abbreviation is not None:
            taken = session.scalar(
                select(FilePlanHeading.id).where(
                    FilePlanHeading.plan_id == plan.id, FilePlanHeading.abbreviation == abbreviation
                )
            )
            if taken is not None:
                raise field_error("abbreviation", f"Chữ viết tắt {abbreviation} đã dùng cho đề mục khác", 409)
        siblings = session.scalar(
            select(func.max(FilePlanHeading.position)).where(
                FilePlanHeading.plan_id == plan.id,
                FilePlanHeading.parent_id.is_(None)
                if parent_id is None
                else FilePlanHeading.parent_id == parent_id,
            )
        )
        heading = FilePlanHeading(
            plan_id=plan.id,
            parent_id=parent_id,
            position=(siblings or 0) + 1,
            title=title,
            abbreviation=abbreviation,
        )
        session.add(heading)
        session.commit()
    return JSONResponse(heading_json(ctx, heading), status_code=201)


def _top(session: Session, heading: FilePlanHeading) -> FilePlanHeading:
    if heading.parent_id is None:
        return heading
    parent = session.get(FilePlanHeading, heading.parent_id)
    assert parent is not None
    return parent


def _next_ordinal(ctx: AppContext, session: Session, plan: FilePlan, top: FilePlanHeading) -> int:
    """Số thứ tự from 01, across the plan or within the đề mục lớn (NĐ 30 PL V I.2)."""
    query = select(func.max(FilePlanEntry.ordinal)).where(FilePlanEntry.plan_id == plan.id)
    if plan.numbering == PER_HEADING and not ctx.faults.on("file_plan_numbering_ignores_scope"):
        under = select(FilePlanHeading.id).where(
            (FilePlanHeading.id == top.id) | (FilePlanHeading.parent_id == top.id)
        )
        query = query.where(FilePlanEntry.heading_id.in_(under))
    return (session.scalar(query) or 0) + 1


def _assignee(check: Checker, session: Session, required: bool) -> User | None:
    assignee_id = check.integer("assignee_id", 1, 2**62, required=required)
    if assignee_id is None:
        return None
    user = session.get(User, assignee_id)
    if user is None:
        check.error("assignee_id", "Không có tài khoản này")
    return user


@router.post("/api/file-plans/{plan_id}/entries", status_code=201)
def add_entry(
    plan_id: str,
    _user: Annotated[User, Depends(require_role(VAN_THU, LANH_DAO))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Add a planned dossier under a heading; the system gives it its số và ký hiệu."""
    plan = load_plan(session, plan_id)
    limits = plan_limits(plan)
    check = Checker(require_object(payload))
    heading_id = check.integer("heading_id", 1, 2**62, required=True)
    title = check.text("title", limits.title, required=True)
    raw_maintenance = check.text("maintenance", limits.maintenance, required=True)
    maintenance = rules.canonical_maintenance(raw_maintenance) if raw_maintenance else None
    if raw_maintenance and maintenance is None:
        check.error("maintenance", "Thời hạn bảo quản phải là “Vĩnh viễn” hoặc số năm cụ thể, ví dụ “20 năm”")
    description = check.text("description", limits.description)
    assignee = _assignee(check, session, required=True)
    if check.present("file_notation"):
        check.error("file_notation", "Số và ký hiệu hồ sơ do Hệ thống đánh theo Danh mục, không nhập tay")
    check.raise_if_errors()
    assert heading_id is not None and title and maintenance and assignee is not None
    with ctx.write_lock:
        heading = session.get(FilePlanHeading, heading_id)
        if heading is None or heading.plan_id != plan.id:
            raise field_error("heading_id", "Không có đề mục này trong Danh mục hồ sơ", status=404)
        top = _top(session, heading)
        assert top.abbreviation is not None
        ordinal = _next_ordinal(ctx, session, plan, top)
        entry = FilePlanEntry(
            plan_id=plan.id,
            heading_id=heading.id,
            ordinal=ordinal,
            file_notation=rules.notation(ordinal, top.abbreviation),
            title=title,
            maintenance=maintenance,
            assignee_id=assignee.id,
            creator=assignee.full_name[:30],
            description=description,
        )
        session.add(entry)
        session.commit()
    return JSONResponse(entry_json(entry, None), status_code=201)


@router.patch("/api/file-plans/{plan_id}/entries/{entry_id}")
def update_entry(
    plan_id: str,
    entry_id: str,
    _user: Annotated[User, Depends(require_role(VAN_THU, LANH_DAO))],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Adjust a planned dossier (tiêu đề, thời hạn bảo quản, ghi chú, người lập)."""
    plan = load_plan(session, plan_id)
    key = parse_id(entry_id)
    entry = session.get(FilePlanEntry, key) if key is not None else None
    if entry is None or entry.plan_id != plan.id:
        raise ApiError(404, "Không tìm thấy hồ sơ trong Danh mục")
    limits = plan_limits(plan)
    check = Checker(require_object(payload))
    title = check.text("title", limits.title)
    raw_maintenance = check.text("maintenance", limits.maintenance)
    maintenance = rules.canonical_maintenance(raw_maintenance) if raw_maintenance else None
    if raw_maintenance and maintenance is None:
        check.error("maintenance", "Thời hạn bảo quản phải là “Vĩnh viễn” hoặc số năm cụ thể, ví dụ “20 năm”")
    description = check.text("description", limits.description)
    assignee = _assignee(check, session, required=False)
    check.raise_if_errors()
    with ctx.write_lock:
        if title is not None:
            entry.title = title
        if maintenance is not None:
            entry.maintenance = maintenance
        if description is not None:
            entry.description = description
        if assignee is not None:
            entry.assignee_id, entry.creator = assignee.id, assignee.full_name[:30]
        session.commit()
    return entry_json(entry, _opened(session, [entry.id]).get(entry.id))


@router.post("/api/file-plans/{plan_id}/approve")
def approve_plan(
    plan_id: str,
    user: Annotated[User, Depends(current_user)],
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The head of the agency approves and issues the plan by a decision (NĐ 30 Điều 28)."""
    if user.role != LANH_DAO and not ctx.faults.on("file_plan_approval_any_role"):
        raise ApiError(403, f"{FORBIDDEN}: chỉ người đứng đầu cơ quan phê duyệt Danh mục hồ sơ")
    plan = load_plan(session, plan_id)
    check = Checker(require_object(payload))
    decision_number = check.text("decision_number", 50, required=True)
    decision_date = check.date("decision_date", required=True)
    check.raise_if_errors()
    with ctx.write_lock:
        if plan.status == ISSUED:
            raise ApiError(409, "Danh mục hồ sơ đã được phê duyệt, ban hành")
        if not session.scalar(select(func.count(FilePlanEntry.id)).where(FilePlanEntry.plan_id == plan.id)):
            raise field_error("body", "Danh mục hồ sơ chưa có hồ sơ nào", status=409)
        plan.status = ISSUED
        plan.decision_number = decision_number
        plan.decision_date = decision_date
        plan.approved_by = user.id
        plan.approved_at = iso(ctx.clock.now())
        session.commit()
    return plan_json(ctx, session, plan)


def _form_rows(ctx: AppContext, session: Session, plan: FilePlan) -> list[dict[str, str]]:
    """Rows of the PL V II form: each heading as a title row, then the dossiers filed under it."""
    entries = _entries(session, plan.id)
    rows: list[dict[str, str]] = []
    for heading in _headings(session, plan.id):
        label = heading_json(ctx, heading)["label"]
        rows.append({"so_ky_hieu": "", "tieu_de": label.upper() if heading.parent_id is None else label,
                     "thoi_han": "", "nguoi_lap": "", "ghi_chu": "", "loai": "de_muc"})  # fmt: skip
        for entry in (e for e in entries if e.heading_id == heading.id):
            rows.append(
                {
                    "so_ky_hieu": entry.file_notation,
                    "tieu_de": entry.title,
                    "thoi_han": entry.maintenance,
                    "nguoi_lap": entry.creator,
                    "ghi_chu": entry.description or "",
                    "loai": "ho_so",
                }
            )
    return rows


@router.get("/api/file-plans/{plan_id}/export")
def export_plan(
    plan_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The plan as the form of NĐ 30 PL V II: five columns, rows, and the footer with the totals."""
    plan = load_plan(session, plan_id)
    body = plan_json(ctx, session, plan)
    entries = _entries(session, plan.id)
    permanent = sum(1 for e in entries if e.maintenance == rules.PERMANENT)
    limited = len(entries) - permanent
    if ctx.faults.on("file_plan_footer_miscounted"):
        permanent, limited = 0, len(entries)
    decision = (
        f"(Kèm theo Quyết định số {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y})"
        if plan.decision_number and plan.decision_date
        else "(Dự thảo, chưa phê duyệt)"
    )
    return {
        "title": "DANH MỤC HỒ SƠ",
        "year_line": f"Năm {body['year']}",
        "decision_line": decision,
        "organ_id": plan.organ_id,
        "scope": plan.scope,
        "columns": FORM_COLUMNS,
        "rows": _form_rows(ctx, session, plan),
        "totals": {"ho_so": len(entries), "vinh_vien": permanent, "co_thoi_han": limited},
        "footer": (
            f"Danh mục hồ sơ này có {len(entries)} hồ sơ, bao gồm: {permanent} hồ sơ bảo quản vĩnh viễn; "
            f"{limited} hồ sơ bảo quản có thời hạn."
        ),
    }


def entry_for_opening(session: Session, entry_id: int) -> tuple[FilePlanEntry, FilePlan]:
    """The entry a dossier is opened from, and its plan (404 when unknown)."""
    entry = session.get(FilePlanEntry, entry_id)
    if entry is None:
        raise field_error("plan_entry_id", "Không có hồ sơ này trong Danh mục hồ sơ", status=404)
    plan = session.get(FilePlan, entry.plan_id)
    assert plan is not None
    return entry, plan
