"""Backup and restore (NĐ 30/2020 PL VI III.5.g, IV.1.e; TT 02/2019 Đ.10; TT 05/2025 Đ.27).

A backup is one ZIP archive holding every business table as JSON (``data/<table>.json``), the
metadata of every dossier and document as XML (``metadata/…xml``, TT 02/2019 Đ.10.1.b), the stored
files (``files/<sha256>``) and a manifest with the SHA-256 of each file. It is written to two
independent media folders (at least two sets, TT 05/2025 Đ.27.1) and logged (time, type, media,
operator, result: the nhật ký sao lưu of TT 02/2019 PL V–VII).

Restore never touches the running system: it builds a *clean instance* (a new database with the
reference's own schema, and a new file folder) from the archive alone, then reads that instance
back to produce its inventory, the same inventory the live system gives. Equal inventories are
the evidence that a backup is complete.

Backups are full on the first day of each month and incremental on the other days when run by the
scheduler (TT 02/2019 Đ.10.1.a); an incremental one carries the metadata in full (it is small) but
only the files added since the previous backup, and restoring it replays the chain from the last
full backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import Date, Engine, LargeBinary, func, select
from sqlalchemy.orm import Session

from refoffice import storage_view
from refoffice.archive import document_metadata, dossier_metadata, metadata_xml
from refoffice.archive_state import ArchiveState, archive_state
from refoffice.auth import QUAN_TRI, current_user
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.db import Base, create_schema, make_engine, session_factory, sqlite_url
from refoffice.errors import FORBIDDEN, NOT_FOUND, ApiError, field_error
from refoffice.models import Dossier, OutgoingDocument, User
from refoffice.models_archive import Backup, Restore
from refoffice.models_files import StoredFile
from refoffice.validation import parse_id

router = APIRouter()

FULL, INCREMENTAL = "day_du", "gia_tang"
AD_HOC, SCHEDULED = "dot_xuat", "dinh_ky"
NOT_BACKED_UP = frozenset({"auth_tokens", "backups", "restores"})


# -- what is stored -------------------------------------------------------------------------------------

CONTENT_KEY = "_content_sha256"  # in a stored_files row of the archive: the file holding its content


def _tables() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def dump_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every business row, table by table, as JSON-ready dicts; binary columns (file content) are left
    out and named by the SHA-256 of their content, which the archive holds as a file."""
    out: dict[str, list[dict[str, Any]]] = {}
    for t in _tables():
        binary = [c.name for c in t.columns if isinstance(c.type, LargeBinary)]
        rows = []
        for row in session.execute(t.select()):
            data = {k: _json_value(v) for k, v in row._mapping.items() if k not in binary}
            for name in binary:
                data[CONTENT_KEY] = hashlib.sha256(row._mapping[name] or b"").hexdigest()
            rows.append(data)
        out[t.name] = rows
    return out


def inventory(session: Session, ctx: AppContext) -> dict[str, Any]:
    """Counts, the metadata of every object, every file with its SHA-256 recomputed from the content
    held, the records whose content is missing or changed (dangling) and the files without a document
    (orphans)."""
    objects = [
        {"type": "document", "id": d.id, "metadata": document_metadata(session, d, ctx)}
        for d in session.scalars(select(OutgoingDocument).order_by(OutgoingDocument.id))
    ] + [
        {"type": "dossier", "id": d.id, "metadata": dossier_metadata(d)}
        for d in session.scalars(select(Dossier).order_by(Dossier.id))
    ]
    files = storage_view.files(session)
    return {
        "records": {t.name: session.scalar(select(func.count()).select_from(t)) for t in _tables()},
        "objects": objects,
        "files": [
            {
                "file_id": f["file_id"],
                "document_id": f["document_id"],
                "name": f["name"],
                "sha256": f["sha256_now"],
                "recorded_sha256": f["sha256"],
                "size": f["size"],
            }
            for f in files
        ],
        "dangling": [
            {
                "file_id": f["file_id"],
                "document_id": f["document_id"],
                "name": f["name"],
                "sha256": f["sha256"],
            }
            for f in files
            if f["size"] == 0 or f["sha256_now"] != f["sha256"]
        ],
        "orphans": storage_view.orphans(session),
    }


# -- making a backup ------------------------------------------------------------------------------------


def _previous(session: Session) -> Backup | None:
    return session.scalar(select(Backup).order_by(Backup.id.desc()).limit(1))


def _hashes_in_previous(session: Session) -> set[str]:
    prev = _previous(session)
    return set(prev.copies[0].get("file_hashes") or []) if prev is not None and prev.copies else set()


def build_archive(
    session: Session, ctx: AppContext, kind: str, backup_id: int
) -> tuple[bytes, dict[str, Any]]:
    """The ZIP of one backup, and its manifest."""
    tables = dump_tables(session)
    done = _hashes_in_previous(session) if kind == INCREMENTAL else set()
    buf = io.BytesIO()
    manifest: dict[str, Any] = {
        "backup_id": backup_id,
        "kind": kind,
        "created_at": iso(ctx.clock.now()),
        "organ_id": ctx.config.organ_id,
        "tables": {k: len(v) for k, v in tables.items()},
        "files": [],
    }
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables.items():
            zf.writestr(f"data/{name}.json", json.dumps(rows, ensure_ascii=False, sort_keys=True))
        if not ctx.faults.on("backup_metadata_not_xml"):
            for d in session.scalars(select(OutgoingDocument)):
                meta = {
                    "object_type": "document",
                    "object_id": d.id,
                    "fields": document_metadata(session, d, ctx),
                    "extra": [],
                }
                zf.writestr(f"metadata/van-ban/{d.id}.xml", metadata_xml(meta, ctx))
            for ds in session.scalars(select(Dossier)):
                meta = {
                    "object_type": "dossier",
                    "object_id": ds.id,
                    "fields": dossier_metadata(ds),
                    "extra": [],
                }
                zf.writestr(f"metadata/ho-so/{ds.id}.xml", metadata_xml(meta, ctx))
        written: set[str] = set()
        for content in session.scalars(select(StoredFile.content).order_by(StoredFile.id)):
            now = hashlib.sha256(content or b"").hexdigest()
            if now in written or now in done:
                continue
            zf.writestr(f"files/{now}", content or b"")
            written.add(now)
            manifest["files"].append({"sha256": now, "size": len(content or b"")})
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    manifest["all_hashes"] = sorted(done | written)
    return buf.getvalue(), manifest


def make_backup(
    session: Session,
    ctx: AppContext,
    state: ArchiveState,
    kind: str,
    trigger: str,
    operator: str,
    for_day: date,
) -> Backup:
    """Write one backup to every medium and log it."""
    with state.backup_lock:
        started = iso(ctx.clock.now())
        row = Backup(
            kind=kind,
            trigger=trigger,
            for_date=for_day.isoformat(),
            started_at=started,
            finished_at=started,
            operator=operator,
            result="dang_chay",
            records=0,
            files=0,
            copies=[],
        )
        session.add(row)
        session.flush()
        data, manifest = build_archive(session, ctx, kind, row.id)
        digest = hashlib.sha256(data).hexdigest()
        media = state.media[:1] if ctx.faults.on("backup_single_copy") else state.media
        copies = []
        for i, medium in enumerate(media, start=1):
            medium.mkdir(parents=True, exist_ok=True)
            path = medium / f"sao-luu-{row.id:05d}-{kind}.zip"
            path.write_bytes(data)
            copies.append(
                {
                    "medium": f"PT{i:02d}",
                    "path": str(path),
                    "sha256": digest,
                    "size": len(data),
                    "file_hashes": manifest["all_hashes"],
                }
            )
        row.copies = copies
        row.records = sum(manifest["tables"].values())
        row.files = len(manifest["files"])
        row.finished_at = iso(ctx.clock.now())
        row.result = "thanh_cong"
        session.commit()
        return row


def backup_json(b: Backup, ctx: AppContext) -> dict[str, Any]:
    """A backup as the log shows it."""
    return {
        "id": b.id,
        "kind": b.kind,
        "trigger": b.trigger,
        "for_date": b.for_date,
        "started_at": b.started_at,
        "finished_at": b.finished_at,
        "operator": None if ctx.faults.on("backup_log_without_operator") else b.operator,
        "result": b.result,
        "records": b.records,
        "files": b.files,
        "copies": [{"medium": c["medium"], "sha256": c["sha256"], "size": c["size"]} for c in b.copies],
    }


def _admin(user: User) -> None:
    if user.role != QUAN_TRI:
        raise ApiError(403, f"{FORBIDDEN}: chỉ quản trị hệ thống được sao lưu, phục hồi")


@router.post("/api/backups", status_code=201)
def create_backup(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    state: Annotated[ArchiveState, Depends(archive_state)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """An ad-hoc (đột xuất) full backup."""
    _admin(user)
    row = make_backup(session, ctx, state, FULL, AD_HOC, user.username, ctx.clock.today())
    return JSONResponse(backup_json(row, ctx), status_code=201)


@router.post("/api/backups/scheduled/run")
def run_scheduled(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    state: Annotated[ArchiveState, Depends(archive_state)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Run the backup due today by the schedule, once a day: full on the 1st, incremental otherwise."""
    _admin(user)
    today = ctx.clock.today()
    done = session.scalar(
        select(Backup).where(Backup.trigger == SCHEDULED, Backup.for_date == today.isoformat()).limit(1)
    )
    if done is not None:
        return backup_json(done, ctx)
    kind = FULL if today.day == 1 and not ctx.faults.on("monthly_full_backup_missing") else INCREMENTAL
    return backup_json(make_backup(session, ctx, state, kind, SCHEDULED, "he-thong", today), ctx)


@router.get("/api/backups")
def backup_log(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Nhật ký sao lưu: every backup with time, type, media, operator and result."""
    _admin(user)
    return {"items": [backup_json(b, ctx) for b in session.scalars(select(Backup).order_by(Backup.id))]}


def _backup(session: Session, raw_id: str) -> Backup:
    key = parse_id(raw_id)
    row = session.get(Backup, key) if key is not None else None
    if row is None:
        raise ApiError(404, "Không tìm thấy bản sao lưu")
    return row


def _copy(row: Backup, medium: str | None) -> dict[str, Any]:
    for c in row.copies:
        if medium in (None, c["medium"]):
            return c
    raise field_error(
        "medium", f"Bản sao lưu #{row.id} không có trên phương tiện {medium}", status=404, detail=NOT_FOUND
    )


@router.get("/api/backups/{raw_id}/download")
def download_backup(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    medium: Annotated[str | None, Query()] = None,
) -> FileResponse:
    """The backup archive of one medium."""
    _admin(user)
    row = _backup(session, raw_id)
    copy = _copy(row, medium)
    return FileResponse(copy["path"], media_type="application/zip", filename=Path(copy["path"]).name)


# -- restoring into a clean instance ---------------------------------------------------------------------


def _typed(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for col in table.columns:
        if isinstance(col.type, Date) and isinstance(out.get(col.name), str):
            out[col.name] = date.fromisoformat(out[col.name])
    return out


def _chain(session: Session, upto: Backup) -> list[Backup]:
    """The backups to replay for `upto`: the last full one at or before it, then the incrementals."""
    rows = list(session.scalars(select(Backup).where(Backup.id <= upto.id).order_by(Backup.id)))
    start = max((i for i, b in enumerate(rows) if b.kind == FULL), default=None)
    if start is None:
        raise ApiError(409, "Không có bản sao lưu đầy đủ nào trước bản này: không phục hồi được")
    return rows[start:]


def restore_clean(archives: list[Path], directory: Path, ctx: AppContext) -> tuple[Engine, dict[str, Any]]:
    """Build a clean instance in ``directory`` from backup archives (oldest first): the tables of the
    last one, file contents from any of them. Returns its engine and the restore report."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    engine = make_engine(sqlite_url(str(directory / "refoffice.sqlite3")))
    create_schema(engine)
    contents: dict[str, bytes] = {}
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            for n in zf.namelist():
                if n.startswith("files/"):
                    contents[n.removeprefix("files/")] = zf.read(n)
    with zipfile.ZipFile(archives[-1]) as zf:
        names = set(zf.namelist())
        tables = {
            t.name: json.loads(zf.read(f"data/{t.name}.json"))
            for t in _tables()
            if f"data/{t.name}.json" in names
        }
    stored_rows = tables.get("stored_files") or []
    if ctx.faults.on("restore_drops_one_file") and stored_rows:
        newest = max(stored_rows, key=lambda r: r["id"])  # the latest stored file never comes back
        contents.pop(newest.get(CONTENT_KEY), None)
    problems: list[str] = []
    counts = {}
    with session_factory(engine)() as session:
        for table in _tables():
            rows = [_typed(table, r) for r in tables.get(table.name, [])]
            for r in rows:
                key = r.pop(CONTENT_KEY, None)
                if key is not None:
                    if key not in contents:
                        problems.append(f"thiếu nội dung tệp {r.get('name')!r} (SHA-256 {key})")
                    for col in table.columns:
                        if isinstance(col.type, LargeBinary):
                            r[col.name] = contents.get(key, b"")
            if table.name == "users":
                session.execute(table.delete())
            if table.name == "stored_files" and ctx.faults.on("restore_leaves_orphan_file"):
                rows.append(
                    {
                        "id": 10**9,
                        "document_kind": "outgoing",
                        "document_id": 0,
                        "name": "tam.pdf",
                        "media_type": "application/pdf",
                        "size": 9,
                        "sha256": hashlib.sha256(b"%PDF-tam\n").hexdigest(),
                        "content": b"%PDF-tam\n",
                        "description": None,
                        "created_at": iso(ctx.clock.now()),
                        "created_by": 1,
                    }
                )
            if rows:
                session.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        session.commit()
    report = {
        "status": "thanh_cong" if not problems else "co_loi",
        "tables": counts,
        "files": len(contents),
        "problems": problems,
    }
    return engine, report


def restored_inventory(restore: Restore, ctx: AppContext) -> dict[str, Any]:
    """Read a restored clean instance back: its inventory, computed from its own database."""
    engine = make_engine(sqlite_url(str(Path(restore.directory) / "refoffice.sqlite3")))
    try:
        with session_factory(engine)() as session:
            return inventory(session, ctx)
    finally:
        engine.dispose()


@router.post("/api/backups/{raw_id}/restore", status_code=201)
def restore_backup(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    state: Annotated[ArchiveState, Depends(archive_state)],
    session: Annotated[Session, Depends(get_session)],
    medium: Annotated[str | None, Query()] = None,
) -> JSONResponse:
    """Restore a backup (from one medium) into a new clean instance; the report says what came back."""
    _admin(user)
    row = _backup(session, raw_id)
    chosen = _copy(row, medium)["medium"]
    archives = [Path(_copy(b, chosen)["path"]) for b in _chain(session, row)]
    rec = Restore(
        backup_id=row.id,
        medium=chosen,
        directory="",
        restored_at=iso(ctx.clock.now()),
        operator=user.username,
        report={},
    )
    session.add(rec)
    session.flush()
    rec.directory = str(state.restores / f"{rec.id:05d}")
    engine, report = restore_clean(archives, Path(rec.directory), ctx)
    engine.dispose()
    if ctx.faults.on("restore_without_report"):
        report = {}
    rec.report = report
    session.commit()
    return JSONResponse(
        {
            "id": rec.id,
            "backup_id": row.id,
            "medium": chosen,
            "restored_at": rec.restored_at,
            "operator": rec.operator,
            "report": report,
        },
        status_code=201,
    )


@router.get("/api/restores/{raw_id}/inventory")
def restore_inventory(
    raw_id: str,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The inventory of a restored clean instance."""
    _admin(user)
    key = parse_id(raw_id)
    rec = session.get(Restore, key) if key is not None else None
    if rec is None:
        raise ApiError(404, "Không tìm thấy lần phục hồi")
    return restored_inventory(rec, ctx)


@router.get("/api/inventory")
def live_inventory(
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The inventory of the running system, to compare with a restored instance."""
    _admin(user)
    return inventory(session, ctx)
