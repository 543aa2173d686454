"""Judges over a dossier export the system gave back (a download blob): .xml and .pdf.

The .xml is validated with ``conformance.standards.packages.validate_nd30_export`` exactly as an archive
would validate it on its own, and read with ``read_nd30_export`` to compare what was exported with what
the criterion put in (the order of the documents, the dossier's code on each of them). The .pdf is
read with pyHanko's reader; its text, when a criterion asks for it, with ``pdftotext`` (poppler).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from conformance.judges.files import received
from conformance.judges.registry import Finding, Record, blob_path, judge
from conformance.standards.packages import read_nd30_export, validate_nd30_export
from conformance.standards.packages._xml import XmlRefused

_MAX_LISTED = 6
_PDFTOTEXT_TIMEOUT_S = 30


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _blob(rec: Record) -> tuple[Path | None, str]:
    body = received(rec)
    if body is None:
        resp = rec.get("response") or {}
        why = rec.get("error") or (f"HTTP {resp['status']}" if resp.get("status") else "không có phản hồi")
        return None, f"{_label(rec)}: hệ thống không trả về tệp ({why})"
    if (rec.get("response") or {}).get("truncated"):
        return None, f"{_label(rec)}: tệp bị cắt ở {body['size']} byte (vượt giới hạn tải về)"
    path = blob_path(body.get("blob"))
    if path is None:
        return None, f"{_label(rec)}: tệp tải về không còn trong bằng chứng"
    return path, ""


def _nfc(v: Any) -> str:
    return unicodedata.normalize("NFC", str(v)).strip()


@judge("nd30_export_valid", {"properties": {"regime": {"enum": ["2020", "2025"]}}})
def nd30_export_valid(rec: Record, regime: str = "2020") -> Finding:
    """The exported .xml is a valid NĐ 30 dossier export (shape, PL VI lengths, codes, totals, order)."""
    path, why = _blob(rec)
    if path is None:
        return Finding(False, why)
    report = validate_nd30_export(path, regime=regime)
    if report.valid:
        n = report.stats.get("documents", 0)
        return Finding(
            True, f"{_label(rec)}: tệp .xml hợp lệ theo NĐ 30 PL VI (chế độ {regime}), {n} văn bản"
        )
    listed = "; ".join(f"[{f.code}] {f.xpath or '-'}: {f.message_vi}" for f in report.errors[:_MAX_LISTED])
    more = f" (và {len(report.errors) - _MAX_LISTED} lỗi khác)" if len(report.errors) > _MAX_LISTED else ""
    return Finding(False, f"{_label(rec)}: tệp .xml không hợp lệ — {listed}{more}")


@judge(
    "nd30_export_documents",
    {
        "required": ["field", "expect"],
        "properties": {"field": {"type": "string", "minLength": 1}, "expect": {"type": "array"}},
    },
)
def nd30_export_documents(rec: Record, field: str, expect: list[Any]) -> Finding:
    """The exported documents' ``field`` (e.g. CodeNumber), in file order, are exactly ``expect``."""
    path, why = _blob(rec)
    if path is None:
        return Finding(False, why)
    try:
        _, docs = read_nd30_export(path)
    except XmlRefused as exc:
        return Finding(False, f"{_label(rec)}: không đọc được tệp .xml ({exc.message_vi})")
    got = [d.get(field) for _, d in docs]
    want = [_nfc(v) for v in expect]
    ok = [None if g is None else _nfc(g) for g in got] == want
    return Finding(
        ok, f"{_label(rec)}: {field} của các văn bản theo thứ tự {got}" + ("" if ok else f", mong đợi {want}")
    )


@judge(
    "nd30_export_field",
    {
        "required": ["field", "value"],
        "properties": {
            "field": {"type": "string", "minLength": 1},
            "value": {},
            "documents": {"type": "boolean", "description": "check every document instead of the dossier"},
        },
    },
)
def nd30_export_field(rec: Record, field: str, value: Any, documents: bool = False) -> Finding:
    """The exported dossier's ``field`` (or, with ``documents``, every document's) equals ``value``."""
    path, why = _blob(rec)
    if path is None:
        return Finding(False, why)
    try:
        dossier, docs = read_nd30_export(path)
    except XmlRefused as exc:
        return Finding(False, f"{_label(rec)}: không đọc được tệp .xml ({exc.message_vi})")
    want = _nfc(value)
    if not documents:
        got = dossier.get(field)
        ok = got is not None and _nfc(got) == want
        return Finding(
            ok, f"{_label(rec)}: hồ sơ có {field} = {got!r}" + ("" if ok else f", mong đợi {want!r}")
        )
    if not docs:
        return Finding(False, f"{_label(rec)}: tệp .xml không có văn bản nào")
    wrong = [d.get(field) for _, d in docs if d.get(field) is None or _nfc(d.get(field)) != want]
    if wrong:
        return Finding(
            False, f"{_label(rec)}: {len(wrong)}/{len(docs)} văn bản có {field} khác {want!r}: {wrong[:5]}"
        )
    return Finding(True, f"{_label(rec)}: cả {len(docs)} văn bản có {field} = {want!r}")


def _count(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return int(reader.root["/Pages"]["/Count"])


def _pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("thiếu công cụ pdftotext (gói Debian poppler-utils) để đọc chữ trong PDF")
    proc = subprocess.run(
        [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=_PDFTOTEXT_TIMEOUT_S, check=False
    )
    return unicodedata.normalize("NFC", proc.stdout.decode("utf-8", errors="replace"))


@judge(
    "pdf_document",
    {
        "properties": {
            "min_pages": {"type": "integer", "minimum": 1},
            "text_in_order": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        }
    },
)
def pdf_document(rec: Record, min_pages: int = 1, text_in_order: list[str] | None = None) -> Finding:
    """The downloaded file is a readable PDF of at least ``min_pages`` pages, whose text holds each of
    ``text_in_order`` in that order (e.g. the documents of a dossier, oldest first)."""
    path, why = _blob(rec)
    if path is None:
        return Finding(False, why)
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        return Finding(False, f"{_label(rec)}: tệp không phải PDF (thiếu %PDF-)")
    try:
        pages = _count(data)
    except Exception as exc:  # a hostile or broken file is the system's failure, not the harness's
        return Finding(False, f"{_label(rec)}: không đọc được PDF ({type(exc).__name__}: {str(exc)[:120]})")
    if pages < min_pages:
        return Finding(False, f"{_label(rec)}: PDF có {pages} trang, mong đợi ít nhất {min_pages}")
    if text_in_order:
        text = " ".join(_pdf_text(path).split())
        pos = 0
        for needle in text_in_order:
            want = " ".join(unicodedata.normalize("NFC", needle).split())
            at = text.find(want, pos)
            if at < 0:
                where = "không có trong PDF" if want not in text else "đứng sai thứ tự"
                return Finding(False, f"{_label(rec)}: đoạn «{want[:60]}» {where}")
            pos = at + len(want)
    return Finding(
        True, f"{_label(rec)}: PDF {pages} trang" + (", văn bản đúng thứ tự" if text_in_order else "")
    )
