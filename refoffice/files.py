"""Tệp của văn bản: upload, list and download, with the SHA-256 fixed on arrival.

Why in the reference: integrity over the lifecycle (the hash of a stored file never changes),
exports and transfer packages, full-text search and the UI all start from files that really are
stored. Content lives in the database (``stored_files.content``), so backups, resets and
in-memory test instances need nothing beside it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from refoffice import transfer
from refoffice.auth import current_user
from refoffice.clock import iso
from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import INVALID, ApiError, field_error
from refoffice.models import Dossier, OutgoingDocument, User
from refoffice.models_files import StoredFile
from refoffice.validation import parse_id

MAX_FILE_BYTES = 50 * 1024 * 1024
CHUNK = 1 << 20
# What an electronic document or its annex may be (NĐ 30 PL I Phần II.I.2: the main document is PDF;
# annexes keep office formats); anything else is refused rather than stored blindly.
MEDIA_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "application/xml": (b"<?xml", b"<"),
    "text/xml": (b"<?xml", b"<"),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    # area 2: recordings and films collected into a dossier (NĐ 30 Điều 29.3: phim, ảnh, ghi âm)
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "video/mp4": (b"\x00\x00\x00\x18ftyp", b"\x00\x00\x00\x1cftyp", b"\x00\x00\x00\x20ftyp"),
}
AUDIO_VIDEO = ("audio/mpeg", "video/mp4")
# "dossier": tài liệu (photos, recordings, films…) collected straight into a dossier, not a văn bản
KINDS = {"outgoing": OutgoingDocument, "dossier": Dossier}

router = APIRouter()


def file_json(f: StoredFile) -> dict[str, Any]:
    """The public record of a stored file (never its content)."""
    return {
        "id": f.id,
        "document_kind": f.document_kind,
        "document_id": f.document_id,
        "name": f.name,
        "media_type": f.media_type,
        "size": f.size,
        "sha256": f.sha256,
        "description": f.description,
        "created_at": f.created_at,
        "created_by": f.created_by,
    }


def files_of(session: Session, kind: str, document_id: int) -> list[StoredFile]:
    """The files of one document, in the order they arrived."""
    return list(
        session.scalars(
            select(StoredFile)
            .where(StoredFile.document_kind == kind, StoredFile.document_id == document_id)
            .order_by(StoredFile.id)
        )
    )


def _document(session: Session, kind: str, doc_id: str) -> Any:
    model = KINDS.get(kind)
    key = parse_id(doc_id)
    doc = session.get(model, key) if model is not None and key is not None else None
    if doc is None:
        raise ApiError(404, "Không tìm thấy văn bản")
    return doc


async def _read_capped(upload: UploadFile) -> bytes:
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise field_error("file", f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB", status=413)
        parts.append(chunk)
    return b"".join(parts)


def _clean_name(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not name or len(name) > 255 or any(ord(c) < 32 for c in name):
        raise field_error("file", "Tên tệp không hợp lệ (1–255 ký tự, không có ký tự điều khiển)")
    return name


@router.post("/api/documents/{kind}/{doc_id}/files", status_code=201)
async def upload_file(
    kind: str,
    doc_id: str,
    request: Request,
    user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> JSONResponse:
    """Store a file of a document (multipart part ``file``, optional ``description``)."""
    doc = _document(session, kind, doc_id)
    if kind == "dossier":
        if doc.owner != user.id:
            raise ApiError(403, "Tài khoản không có quyền thực hiện thao tác này: chỉ người lập hồ sơ")
        if doc.status == "closed":
            raise ApiError(409, "Hồ sơ đã kết thúc; không thể thay đổi")
    transfer.ensure_document_editable(session, ctx.faults, kind, doc.id)  # archived: frozen (area 4)
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, INVALID, [{"field": "file", "message": "Cần một tệp (multipart, trường file)"}])
    name = _clean_name(upload.filename)
    media_type = (upload.content_type or "").split(";")[0].strip().lower()
    content = await _read_capped(upload)
    magics = MEDIA_TYPES.get(media_type)
    if magics is None:
        raise field_error("file", f"Định dạng {media_type or 'không rõ'} không được chấp nhận", status=415)
    if not content or not content.lstrip().startswith(magics):
        raise field_error("file", f"Nội dung tệp không đúng định dạng {media_type}", status=415)
    if kind == "dossier" and media_type in AUDIO_VIDEO and ctx.faults.on("dossier_media_refused"):
        raise field_error("file", f"Định dạng {media_type} không được chấp nhận", status=415)
    description = form.get("description")
    if description is not None and (not isinstance(description, str) or len(description) > 500):
        raise field_error("description", "Mô tả tối đa 500 ký tự")
    stored = StoredFile(
        document_kind=kind,
        document_id=doc.id,
        name=name,
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        description=unicodedata.normalize("NFC", description) if description else None,
        created_at=iso(ctx.clock.now()),
        created_by=user.id,
    )
    session.add(stored)
    session.commit()
    return JSONResponse(file_json(stored), status_code=201)


@router.get("/api/documents/{kind}/{doc_id}/files")
def list_files(
    kind: str,
    doc_id: str,
    _user: Annotated[User, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """The files of a document."""
    doc = _document(session, kind, doc_id)
    return {"items": [file_json(f) for f in files_of(session, kind, doc.id)]}


@router.get("/api/files/{file_id}")
def download_file(
    file_id: str,
    _user: Annotated[User, Depends(current_user)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    """The stored bytes, as they arrived; the hash recorded on arrival travels in a header."""
    key = parse_id(file_id)
    stored = session.get(StoredFile, key) if key is not None else None
    if stored is None:
        raise ApiError(404, "Không tìm thấy tệp")
    content = stored.content
    if ctx.faults.on("original_file_not_kept"):  # area 2, DS-036: a re-saved copy instead of the original
        content += b"\n% ban sao luu lai\n"
    return Response(
        content,
        media_type=stored.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.name)}",
            "X-Content-SHA256": stored.sha256,
        },
    )
