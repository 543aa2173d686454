"""Judges over the values a system returned: grammars, equality, sequences, uniqueness."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from conformance.judges import grammars
from conformance.judges.registry import Finding, Record, judge

_OUTPUT = {"output": {"type": "string", "minLength": 1}}


def _out(rec: Record, name: str) -> Any:
    return (rec.get("outputs") or {}).get(name)


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _same(a: Any, b: Any, numeric: bool) -> bool:
    if numeric:
        try:
            return int(str(a)) == int(str(b))
        except (TypeError, ValueError):
            return False
    if isinstance(a, str) and isinstance(b, str):
        return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
    return a == b


@judge("output_present", {"required": ["output"], "properties": _OUTPUT})
def output_present(rec: Record, output: str) -> Finding:
    """The system filled the output by itself (not null, not empty)."""
    v = _out(rec, output)
    ok = v not in (None, "", [], {})
    return Finding(
        ok, f"{_label(rec)}: {output} = {v!r}" + ("" if ok else " — hệ thống không tự điền giá trị")
    )


@judge(
    "output_equals",
    {"required": ["output", "value"], "properties": {**_OUTPUT, "value": {}, "numeric": {"type": "boolean"}}},
)
def output_equals(rec: Record, output: str, value: Any, numeric: bool = False) -> Finding:
    """The output equals the expected value (numerically if ``numeric``: "01" equals 1)."""
    v = _out(rec, output)
    ok = _same(v, value, numeric)
    return Finding(ok, f"{_label(rec)}: {output} = {v!r}" + ("" if ok else f", mong đợi {value!r}"))


@judge(
    "output_length",
    {
        "required": ["output", "length"],
        "properties": {**_OUTPUT, "length": {"type": "integer", "minimum": 0}},
    },
)
def output_length(rec: Record, output: str, length: int) -> Finding:
    """The stored text has exactly ``length`` characters (NFC): nothing truncated, nothing added."""
    v = _out(rec, output)
    n = len(unicodedata.normalize("NFC", v)) if isinstance(v, str) else None
    return Finding(n == length, f"{_label(rec)}: {output} có {n} ký tự, mong đợi {length}")


@judge(
    "output_max_length",
    {"required": ["output", "max"], "properties": {**_OUTPUT, "max": {"type": "integer", "minimum": 0}}},
)
def output_max_length(rec: Record, output: str, max: int) -> Finding:
    """The output is text of at most ``max`` characters (NFC)."""
    v = _out(rec, output)
    n = len(unicodedata.normalize("NFC", v)) if isinstance(v, str) else None
    ok = n is not None and n <= max
    return Finding(ok, f"{_label(rec)}: {output} có {n} ký tự" + ("" if ok else f", tối đa {max}"))


@judge(
    "output_matches",
    {
        "required": ["output"],
        "properties": {
            **_OUTPUT,
            "grammar": {"enum": sorted(grammars.GRAMMARS)},
            "pattern": {"type": "string", "minLength": 1},
        },
        "oneOf": [{"required": ["grammar"]}, {"required": ["pattern"]}],
    },
)
def output_matches(
    rec: Record, output: str, grammar: str | None = None, pattern: str | None = None
) -> Finding:
    """The output follows a named grammar from ``conformance.standards`` or a regular expression."""
    v = _out(rec, output)
    if not isinstance(v, str):
        return Finding(False, f"{_label(rec)}: {output} = {v!r} không phải chuỗi")
    if grammar:
        problems = grammars.check(grammar, v)
        if problems:
            return Finding(
                False, f"{_label(rec)}: {output} = {v!r} sai cú pháp {grammar}: " + "; ".join(problems)
            )
        return Finding(True, f"{_label(rec)}: {output} = {v!r} đúng cú pháp {grammar}")
    ok = re.fullmatch(pattern or "", v) is not None
    return Finding(ok, f"{_label(rec)}: {output} = {v!r}" + ("" if ok else f" không khớp mẫu {pattern}"))


@judge(
    "outputs_sequence",
    {
        "required": ["output", "expect"],
        "properties": {**_OUTPUT, "expect": {"type": "array", "minItems": 1}, "numeric": {"type": "boolean"}},
    },
    on="many",
)
def outputs_sequence(recs: list[Record], output: str, expect: list[Any], numeric: bool = False) -> Finding:
    """The outputs of several steps, in order, are exactly the expected sequence."""
    got = [_out(r, output) for r in recs]
    ok = len(got) == len(expect) and all(_same(a, b, numeric) for a, b in zip(got, expect, strict=True))
    return Finding(ok, f"{output}: nhận được {got}" + ("" if ok else f", mong đợi {expect}"))


@judge("outputs_distinct", {"required": ["output"], "properties": _OUTPUT}, on="many")
def outputs_distinct(recs: list[Record], output: str) -> Finding:
    """The outputs of several steps are all present and pairwise different (uniqueness of codes)."""
    got = [_out(r, output) for r in recs]
    ok = all(g not in (None, "") for g in got) and len(set(map(str, got))) == len(got)
    return Finding(ok, f"{output}: {got}" + ("" if ok else " — các giá trị phải có và khác nhau"))
