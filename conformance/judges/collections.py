"""Judges over list outputs: counts, every item, the order of items (dossiers, headings, rows, history).

A list output is what a binding extracted as a JSON array of objects (a dossier's documents, a
file plan's headings, the rows of a printed form, a dossier's history). ``where`` keeps only the
items whose fields equal the given values; ``matching`` keeps those whose fields match a regular
expression (searched, not anchored), so a criterion can pick out the records it created itself on
a system shared with other criteria.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from conformance.judges.registry import Finding, Record, judge

_FILTERS = {
    "output": {"type": "string", "minLength": 1},
    "where": {"type": "object", "description": "field → value the item must have"},
    "matching": {
        "type": "object",
        "additionalProperties": {"type": "string", "minLength": 1},
        "description": "field → regular expression the item's value must contain",
    },
}


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    return v


def _equal(a: Any, b: Any, numeric: bool = False) -> bool:
    if numeric:
        try:
            return int(str(a)) == int(str(b))
        except (TypeError, ValueError):
            return False
    if isinstance(a, (int, float)) and not isinstance(a, bool) and isinstance(b, str):
        return str(a) == b
    if isinstance(b, (int, float)) and not isinstance(b, bool) and isinstance(a, str):
        return a == str(b)
    return _norm(a) == _norm(b)


def _items(
    rec: Record, output: str, where: dict[str, Any] | None, matching: dict[str, str] | None
) -> tuple[list[dict[str, Any]] | None, str]:
    value = (rec.get("outputs") or {}).get(output)
    if not isinstance(value, list):
        return None, f"{_label(rec)}: {output} không phải danh sách (nhận {type(value).__name__})"
    items = [v for v in value if isinstance(v, dict)]
    for field, want in (where or {}).items():
        items = [i for i in items if _equal(i.get(field), want)]
    for field, pattern in (matching or {}).items():
        rx = re.compile(pattern)
        items = [i for i in items if isinstance(i.get(field), (str, int)) and rx.search(str(i.get(field)))]
    filters = [f"{k}={v!r}" for k, v in (where or {}).items()]
    filters += [f"{k}~{v!r}" for k, v in (matching or {}).items()]
    return items, f" (lọc theo {', '.join(filters)})" if filters else ""


@judge(
    "items_count",
    {
        "properties": {
            **_FILTERS,
            "count": {"type": "integer", "minimum": 0},
            "min": {"type": "integer", "minimum": 0},
            "max": {"type": "integer", "minimum": 0},
        },
        "required": ["output"],
        "anyOf": [{"required": ["count"]}, {"required": ["min"]}, {"required": ["max"]}],
    },
)
def items_count(
    rec: Record,
    output: str,
    count: int | None = None,
    min: int | None = None,
    max: int | None = None,
    where: dict[str, Any] | None = None,
    matching: dict[str, str] | None = None,
) -> Finding:
    """The list output holds exactly ``count`` (or between ``min`` and ``max``) items, after filtering."""
    items, what = _items(rec, output, where, matching)
    if items is None:
        return Finding(False, what)
    n = len(items)
    ok = (count is None or n == count) and (min is None or n >= min) and (max is None or n <= max)
    want = (
        f"{count}"
        if count is not None
        else f"{min if min is not None else 0}…{max if max is not None else '∞'}"
    )
    return Finding(ok, f"{_label(rec)}: {output} có {n} mục{what}" + ("" if ok else f", mong đợi {want}"))


@judge(
    "items_field_equals",
    {
        "required": ["output", "field", "value"],
        "properties": {
            **_FILTERS,
            "field": {"type": "string", "minLength": 1},
            "value": {},
            "numeric": {"type": "boolean"},
        },
    },
)
def items_field_equals(
    rec: Record,
    output: str,
    field: str,
    value: Any,
    numeric: bool = False,
    where: dict[str, Any] | None = None,
    matching: dict[str, str] | None = None,
) -> Finding:
    """Every item of the list output (at least one) has ``field`` equal to ``value``."""
    items, what = _items(rec, output, where, matching)
    if items is None:
        return Finding(False, what)
    if not items:
        return Finding(False, f"{_label(rec)}: {output} không có mục nào{what}")
    wrong = [i.get(field) for i in items if not _equal(i.get(field), value, numeric)]
    if wrong:
        return Finding(
            False,
            f"{_label(rec)}: {len(wrong)}/{len(items)} mục có {field} khác {value!r}: {wrong[:5]}{what}",
        )
    return Finding(True, f"{_label(rec)}: cả {len(items)} mục có {field} = {value!r}{what}")


@judge(
    "items_sequence",
    {
        "required": ["output", "field", "expect"],
        "properties": {
            **_FILTERS,
            "field": {"type": "string", "minLength": 1},
            "expect": {"type": "array"},
            "numeric": {"type": "boolean"},
        },
    },
)
def items_sequence(
    rec: Record,
    output: str,
    field: str,
    expect: list[Any],
    numeric: bool = False,
    where: dict[str, Any] | None = None,
    matching: dict[str, str] | None = None,
) -> Finding:
    """The values of ``field`` over the (filtered) items, in order, are exactly ``expect``."""
    items, what = _items(rec, output, where, matching)
    if items is None:
        return Finding(False, what)
    got = [i.get(field) for i in items]
    ok = len(got) == len(expect) and all(_equal(a, b, numeric) for a, b in zip(got, expect, strict=True))
    return Finding(
        ok, f"{_label(rec)}: {field} theo thứ tự {got}{what}" + ("" if ok else f", mong đợi {expect}")
    )
