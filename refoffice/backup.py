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
from sqlalchemy import Date, Engine, select
from sqlalchemy.orm import Session

from refoffice.archive import document_metadata, dossier_metadata, metadata_xml
from refoffice.archive_state import ArchiveState, archive_state
from refoffice.auth import QUAN_TRI, current_user
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.db import Base, create_schema, make_engine, session_factory, sqlite_url
from refoffice.errors import FORBIDDEN, NOT_FOUND, ApiError, field_error
from refoffice.models import Dossier, OutgoingDocument, User
from refoffice.models_archive import Backup, Restore
from refoffice.validation import parse_id

router = APIRouter()

FULL, INCREMENTAL = "day_du", "gia_tang"
AD_HOC, SCHEDULED = "dot_xuat", "dinh_ky"
NOT_BACKED_UP = frozenset({"auth_tokens", "backups", "restores"})


# -- what is stored -------------------------------------------------------------------------------------


def stored_files(session: Session, ctx: AppContext) -> list[dict[str, Any]]:
    """Every stored file: ``{"document_id", "name", "sha256", "size", "path"}`` (see `storage_view`)."""
    from refoffice import storage_view

    return storage_view.files(session, ctx)


def _tables() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def dump_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every business row, table by table, as JSON-ready dicts."""
    return {
        t.name: [{k: _json_value(v) for k, v in row._mapping.items()} for row in session.execute(t.select())]
        for t in _tables()
    }


def inventory(session: Session, ctx: AppContext, files: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts, the metadata of every object, every file with its SHA-256 recomputed from disk, and
    the records without a file (dangling) or files without a record (orphans)."""
    objects = [
        {"type": "document", "id": d.id, "metadata": document_metadata(session, d, ctx)}
        for d in session.scalars(select(OutgoingDocument).order_by(OutgoingDocument.id))
    ] + [
        {"type": "dossier", "id": d.id, "metadata": dossier_metadata(d)}
        for d in session.scalars(select(Dossier).order_by(Dossier.id))
    ]
    listed, dangling = [], []
    for f in files:
        path = Path(f["path"])
        if not path.is_file():
            dangling.append({"document_id": f["document_id"], "name": f["name"], "sha256": f["sha256"]})
            continue
        listed.append({"document_id": f["document_id"], "name": f["name"], "sha256": _sha256(path),
                       "size": path.stat().st_size})  # fmt: skip
    return {
        "records": {
            t.name: len(rows) for t, rows in ((t, session.execute(t.select()).all()) for t in _tables())
        },
        "objects": objects,
        "files": listed,
        "dangling": dangling,
        "orphans": [],
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- making a backup ------------------------------------------------------------------------------------


def _previous(session: Session) -> Backup | None:
    return session.scalar(select(Backup).order_by(Backup.id.desc()).limit(1))


def _files_since_previous(session: Session, files: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    if kind == FULL:
        return files
    prev = _previous(session)
    if prev is None:
        return files
    done = set(prev.copies[0].get("file_hashes") or []) if prev.copies else set()
    return [f for f in files if f["sha256"] not in done]


def build_archive(
    session: Session, ctx: AppContext, kind: str, backup_id: int
) -> tuple[bytes, dict[str, Any]]:
    """The ZIP of one backup, and its manifest."""
    files = stored_files(session, ctx)
    chosen = _files_since_previous(session, files, kind)
    tables = dump_tables(session)
    buf = io.BytesIO()
    manifest: dict[str, Any] = {"backup_id": backup_id, "kind": kind, "created_at": iso(ctx.clock.now()),
                                "organ_id": ctx.config.organ_id, "tables": {k: len(v) for k, v in tables.items()},
                                "files": [], "all_files": [{k: f[k] for k in ("document_id", "name", "sha256")}
                                                           for f in files]}  # fmt: skip
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, rows in tables.items():
            zf.writestr(
                f"data/{name}.json", json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
            )
        if not ctx.faults.on("backup_metadata_not_xml"):
            for d in session.scalars(select(OutgoingDocument)):
                meta = {"object_type": "document", "object_id": d.id, "fields": document_metadata(session, d, ctx),
                        "extra": []}  # fmt: skip
                zf.writestr(f"metadata/van-ban/{d.id}.xml", metadata_xml(meta, ctx))
            for ds in session.scalars(select(Dossier)):
                meta = {
                    "object_type": "dossier",
                    "object_id": ds.id,
                    "fields": dossier_metadata(ds),
                    "extra": [],
                }
                zf.writestr(f"metadata/ho-so/{ds.id}.xml", metadata_xml(meta, ctx))
        written = set()
        for f in chosen:
            if f["sha256"] in written or not Path(f["path"]).is_file():
                continue
            zf.write(f["path"], f"files/{f['sha256']}")
            written.add(f["sha256"])
            manifest["files"].append({"sha256": f["sha256"], "size": Path(f["path"]).stat().st_size})
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return buf.getvalue(), manifest


def make_backup(session: Session, ctx: AppContext, state: ArchiveState, kind: str, trigger: str,
                operator: str, for_day: date) -> Backup:  # fmt: skip
    """Write one backup to every medium and log it."""
    with state.backup_lock:
        started = iso(ctx.clock.now())
        row = Backup(kind=kind, trigger=trigger, for_date=for_day.isoformat(), started_at=started, finished_at=started,
                     operator=operator, result="dang_chay", records=0, files=0, copies=[])  # fmt: skip
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
            copies.append({"medium": f"PT{i:02d}", "path": str(path), "sha256": digest, "size": len(data),
                           "file_hashes": [f["sha256"] for f in manifest["files"]]})  # fmt: skip
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
    last one, the files of all. Returns its engine and the restore report."""
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "files").mkdir(parents=True)
    engine = make_engine(sqlite_url(str(directory / "refoffice.sqlite3")))
    create_schema(engine)
    restored_files: dict[str, int] = {}
    problems: list[str] = []
    for archive in archives:
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if n.startswith("files/")]
            if ctx.faults.on("restore_drops_one_file") and archive == archives[-1] and names:
                names = sorted(names)[1:]  # the first stored file never comes back
            for n in names:
                target = directory / "files" / Path(n).name
                target.write_bytes(zf.read(n))
                restored_files[Path(n).name] = target.stat().st_size
            if ctx.faults.on("restore_leaves_orphan_file"):
                (directory / "files" / ("0" * 64)).write_bytes(b"tep tam khong thuoc van ban nao\n")
    with zipfile.ZipFile(archives[-1]) as zf:
        tables = {t.name: json.loads(zf.read(f"data/{t.name}.json")) for t in _tables()
                  if f"data/{t.name}.json" in zf.namelist()}  # fmt: skip
    counts = {}
    with session_factory(engine)() as session:
        for table in _tables():
            rows = tables.get(table.name, [])
            if table.name == "users":
                session.execute(table.delete())
            if rows:
                session.execute(table.insert(), [_typed(table, r) for r in rows])
            counts[table.name] = len(rows)
        session.commit()
    report = {"status": "thanh_cong" if not problems else "co_loi", "tables": counts, "files": len(restored_files),
              "problems": problems}  # fmt: skip
    return engine, report


def restored_inventory(restore: Restore, ctx: AppContext) -> dict[str, Any]:
    """Read a restored clean instance back: its inventory, computed from its own database and disk."""
    from refoffice import storage_view

    directory = Path(restore.directory)
    engine = make_engine(sqlite_url(str(directory / "refoffice.sqlite3")))
    try:
        with session_factory(engine)() as session:
            files = storage_view.files_in(session, directory / "files")
            inv = inventory(session, ctx, files)
            known = {f["sha256"] for f in files}
            inv["orphans"] = sorted(p.name for p in (directory / "files").iterdir() if p.name not in known)
            return inv
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
    rec = Restore(backup_id=row.id, medium=chosen, directory="", restored_at=iso(ctx.clock.now()),
                  operator=user.username, report={})  # fmt: skip
    session.add(rec)
    session.flush()
    rec.directory = str(state.restores / f"{rec.id:05d}")
    engine, report = restore_clean(archives, Path(rec.directory), ctx)
    engine.dispose()
    if ctx.faults.on("restore_without_report"):
        report = {}
    rec.report = report
    session.commit()
    return JSONResponse({"id": rec.id, "backup_id": row.id, "medium": chosen, "restored_at": rec.restored_at,
                         "operator": rec.operator, "report": report}, status_code=201)  # fmt: skip


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
    return inventory(session, ctx, stored_files(session, ctx))
