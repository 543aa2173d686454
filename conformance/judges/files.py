"""Judges over files: what a criterion uploaded and what the system gave back (download blobs).

A recorded upload carries the stub ``{"$file": {name, media_type, size, sha256, blob}}`` among its
inputs; a recorded download carries ``response.body`` with the SHA-256, size, media type and file
name of the bytes received (the bytes themselves are the blob, readable with ``blob_path``).
"""

from __future__ import annotations

from typing import Any

from conformance.judges.registry import Finding, Record, blob_path, judge


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def uploaded(rec: Record, name: str) -> dict[str, Any] | None:
    """The stub of the file input ``name`` of a recorded call, or None."""
    value = (rec.get("inputs") or {}).get(name)
    return value.get("$file") if isinstance(value, dict) and isinstance(value.get("$file"), dict) else None


def received(rec: Record) -> dict[str, Any] | None:
    """What a download step received (``response.body``), or None when no file came back."""
    body = (rec.get("response") or {}).get("body")
    return body if isinstance(body, dict) and body.get("sha256") else None


def _no_file(rec: Record) -> Finding:
    resp = rec.get("response") or {}
    why = rec.get("error") or (f"HTTP {resp['status']}" if resp.get("status") else "không có phản hồi")
    return Finding(False, f"{_label(rec)}: hệ thống không trả về tệp ({why})")


@judge(
    "file_received",
    {
        "properties": {
            "media_types": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "min_size": {"type": "integer", "minimum": 0},
        }
    },
)
def file_received(rec: Record, media_types: list[str] | None = None, min_size: int = 1) -> Finding:
    """The step returned a whole file (kept as evidence) of an expected media type and size."""
    body = received(rec)
    if body is None:
        return _no_file(rec)
    if (rec.get("response") or {}).get("truncated"):
        return Finding(False, f"{_label(rec)}: tệp bị cắt ở {body['size']} byte (vượt giới hạn tải về)")
    if blob_path(body.get("blob")) is None:
        return Finding(False, f"{_label(rec)}: tệp tải về không còn trong bằng chứng")
    if body["size"] < min_size:
        return Finding(False, f"{_label(rec)}: tệp chỉ có {body['size']} byte")
    if media_types and body.get("media_type") not in media_types:
        return Finding(
            False, f"{_label(rec)}: kiểu tệp {body.get('media_type')!r}, mong đợi một trong {media_types}"
        )
    return Finding(True, f"{_label(rec)}: nhận tệp {body.get('filename') or ''} {body['size']} byte".strip())


@judge(
    "same_file",
    {"required": ["input"], "properties": {"input": {"type": "string", "minLength": 1}}},
    on="many",
)
def same_file(recs: list[Record], input: str) -> Finding:
    """Each later step gave back exactly the file the first step uploaded (same SHA-256 and size)."""
    if len(recs) < 2:
        return Finding(False, "same_file cần bước tải lên và ít nhất một bước tải về")
    sent = uploaded(recs[0], input)
    if sent is None:
        return Finding(False, f"{_label(recs[0])}: không có tệp đầu vào «{input}»")
    problems = []
    for rec in recs[1:]:
        body = received(rec)
        if body is None:
            problems.append(_no_file(rec).message)
        elif body["sha256"] != sent["sha256"] or body["size"] != sent["size"]:
            problems.append(
                f"{_label(rec)}: SHA-256 {body['sha256'][:16]}… ({body['size']} byte) khác tệp đã gửi "
                f"{sent['sha256'][:16]}… ({sent['size']} byte)"
            )
    if problems:
        return Finding(False, "; ".join(problems))
    return Finding(True, f"tệp {sent['name']} nhận lại nguyên vẹn (SHA-256 {sent['sha256'][:16]}…)")
