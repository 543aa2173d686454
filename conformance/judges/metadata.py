"""Judges over a returned record against the NĐ 30 PL VI Phần II field tables (``conformance.standards``).

The JSON Schema comes from ``conformance.standards.metadata.schema_for``: lengths per regime (2020 =
NĐ 30; 2025 = the TT 05/2025 counterpart where one exists, e.g. tiêu đề hồ sơ 1000), types, and on
request the mandatory fields (OQ-31) and value grammars. Keys may be the English element names of the
appendix or their snake_case forms; unknown keys are allowed (a system may return more).
"""

from __future__ import annotations

from typing import Any

import jsonschema

from conformance.judges.registry import Finding, Record, judge
from conformance.standards import metadata

_MAX_LISTED = 6


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _where(err: jsonschema.ValidationError) -> str:
    return "/".join(str(p) for p in err.absolute_path) or "(bản ghi)"


@judge(
    "record_conforms",
    {
        "required": ["kind"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "kind": {"enum": list(metadata.KINDS)},
            "regime": {"enum": list(metadata.REGIMES)},
            "mandatory": {"type": "boolean"},
            "grammars": {"type": "boolean"},
        },
    },
)
def record_conforms(
    rec: Record,
    kind: str,
    output: str = "record",
    regime: str = "2020",
    mandatory: bool = False,
    grammars: bool = False,
) -> Finding:
    """The record fits the PL VI Phần II table ``kind`` (ho_so, van_ban_di, van_ban_den) under ``regime``."""
    value: Any = (rec.get("outputs") or {}).get(output)
    if not isinstance(value, dict):
        return Finding(False, f"{_label(rec)}: {output} không phải một bản ghi (nhận {type(value).__name__})")
    schema = metadata.schema_for(kind, regime, mandatory=mandatory, grammars=grammars)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(metadata.normalise_record(value)), key=_where)
    table = metadata.field_table(kind, regime)
    what = f"{table.title_vi} ({table.source}, chế độ {regime})"
    if not errors:
        return Finding(True, f"{_label(rec)}: phù hợp {what}")
    listed = "; ".join(f"{_where(e)}: {e.message[:160]}" for e in errors[:_MAX_LISTED])
    more = f" (và {len(errors) - _MAX_LISTED} lỗi khác)" if len(errors) > _MAX_LISTED else ""
    return Finding(False, f"{_label(rec)}: không phù hợp {what} — {listed}{more}")


@judge(
    "rejected_or_within",
    {
        "required": ["output", "max"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "max": {"type": "integer", "minimum": 0},
        },
    },
)
def rejected_or_within(rec: Record, output: str, max: int) -> Finding:
    """A value longer than its field is refused (4xx), or kept cut to at most ``max`` characters (NFC).

    Through the web interface (``channel: ui``) a refusal is what the page showed (``ui.outcome``).
    """
    ui = rec.get("ui") if rec.get("channel") == "ui" else None
    if isinstance(ui, dict):
        if rec.get("error") or ui.get("outcome") == "error":
            return Finding(
                False, f"{_label(rec)}: thao tác trên giao diện lỗi: {rec.get('error') or ui.get('message')}"
            )
        if ui.get("outcome") == "rejected":
            shown = str(ui.get("message") or "")[:300]
            return Finding(True, f"{_label(rec)}: giá trị quá dài bị từ chối trên giao diện: «{shown}»")
        return _within(rec, output, max)
    status = (rec.get("response") or {}).get("status")
    if status is None:
        return Finding(False, f"{_label(rec)}: hệ thống không trả lời ({rec.get('error') or 'không rõ lỗi'})")
    if 400 <= status < 500:
        return Finding(True, f"{_label(rec)}: giá trị quá dài bị từ chối (HTTP {status})")
    if status >= 500:
        return Finding(False, f"{_label(rec)}: hệ thống lỗi (HTTP {status}) thay vì từ chối giá trị quá dài")
    return _within(rec, output, max)


def _within(rec: Record, output: str, max: int) -> Finding:
    """An accepted over-long value: kept cut to at most ``max`` characters, or kept whole (a failure)."""
    value = (rec.get("outputs") or {}).get(output)
    n = len(metadata.normalise_record(value)) if isinstance(value, str) else None
    if n is not None and n <= max:
        return Finding(True, f"{_label(rec)}: {output} được cắt còn {n} ký tự (tối đa {max})")
    return Finding(False, f"{_label(rec)}: {output} được lưu {n} ký tự, vượt {max}")
