"""Judges over what a system shows a person: form labels, keyboard access, register columns.

They read the outputs a UI flow recorded (``describe_form`` controls, headings and rows read from a
page), never the page itself, so ``rejudge`` gives the same answer from the evidence alone.
"""

from __future__ import annotations

from typing import Any

from conformance.judges.registry import Finding, Record, judge
from conformance.standards import display
from conformance.standards._common import nfc

# Where a control's accessible name comes from. A placeholder or a tooltip vanishes or hides while a
# person types, so it does not label a field (WCAG 2.1 SC 3.3.2, technique H44) [I].
LABELLING = frozenset({"label", "aria-labelledby", "aria-label"})
BUTTON_TYPES = frozenset({"submit", "button", "reset", "image"})

_OUTPUT = {"output": {"type": "string", "minLength": 1}}


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _controls(rec: Record, output: str) -> list[dict[str, Any]] | None:
    got = (rec.get("outputs") or {}).get(output)
    return [c for c in got if isinstance(c, dict)] if isinstance(got, list) else None


def _usable(c: dict[str, Any]) -> bool:
    """A control a person is meant to use: shown and enabled."""
    return bool(c.get("visible")) and not c.get("disabled")


def _name(c: dict[str, Any]) -> str:
    who = c.get("name") or c.get("id") or c.get("tag")
    shown = f" «{c['label']}»" if c.get("label") else ""
    return f"{c.get('tag')}[{who}]{shown}"


def _no_form(rec: Record, output: str) -> Finding:
    why = rec.get("error") or f"không có đầu ra {output}"
    return Finding(False, f"{_label(rec)}: không mô tả được biểu mẫu ({why})")


@judge(
    "form_fields_labelled",
    {
        "required": ["table", "fields"],
        "properties": {
            **_OUTPUT,
            "table": {"enum": ["van_ban_di", "van_ban_den", "ho_so"]},
            "fields": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "regime": {"enum": ["2020", "2025"]},
        },
    },
)
def form_fields_labelled(
    rec: Record, table: str, fields: list[str], output: str = "fields", regime: str = "2020"
) -> Finding:
    """Each named PL VI field has an input on the form whose label (a real label) gives its name."""
    controls = _controls(rec, output)
    if controls is None:
        return _no_form(rec, output)
    labelled = [c for c in controls if _usable(c) and c.get("label_source") in LABELLING]
    missing = []
    for ref in fields:
        accepted = display.accepted_labels(table, ref, regime)
        if any(display.label_matches(c.get("label"), accepted) for c in labelled):
            continue
        hint = next(
            (c for c in controls if display.label_matches(c.get("label"), accepted)), None
        )  # named only by a placeholder or a tooltip
        why = f" (chỉ có {hint['label_source']} «{hint['label']}», không có nhãn)" if hint else ""
        missing.append(f"«{accepted[0]}»{why}")
    if missing:
        return Finding(
            False,
            f"{_label(rec)}: biểu mẫu thiếu trường có nhãn "
            + "; ".join(missing)
            + f" ({len(missing)}/{len(fields)})",
        )
    return Finding(
        True, f"{_label(rec)}: đủ {len(fields)} trường thông tin đầu vào, mỗi trường có nhãn đúng tên"
    )


@judge("form_controls_labelled", {"properties": _OUTPUT})
def form_controls_labelled(rec: Record, output: str = "fields") -> Finding:
    """Every input a person can use has a label (a <label>, aria-labelledby or aria-label); buttons a name."""
    controls = _controls(rec, output)
    if controls is None:
        return _no_form(rec, output)
    bad = []
    for c in controls:
        if not _usable(c):
            continue
        if c.get("type") in BUTTON_TYPES and c.get("label_source") in (*LABELLING, "content"):
            continue
        if c.get("label_source") not in LABELLING:
            bad.append(f"{_name(c)} ({c.get('label_source') or 'none'})")
    if bad:
        return Finding(False, f"{_label(rec)}: {len(bad)} ô nhập không có nhãn: " + "; ".join(bad))
    n = len([c for c in controls if _usable(c)])
    return Finding(True, f"{_label(rec)}: cả {n} ô nhập và nút đều có nhãn hoặc tên")


@judge("form_controls_keyboard", {"properties": _OUTPUT})
def form_controls_keyboard(rec: Record, output: str = "fields") -> Finding:
    """Every input and button a person can use is reached with the Tab key."""
    controls = _controls(rec, output)
    if controls is None:
        return _no_form(rec, output)
    usable = [c for c in controls if _usable(c)]
    unknown = [_name(c) for c in usable if c.get("reached_by_tab") is None]
    bad = [_name(c) for c in usable if c.get("reached_by_tab") is False]
    if bad or unknown:
        parts = []
        if bad:
            parts.append(f"{len(bad)} ô không tới được bằng phím Tab: " + "; ".join(bad))
        if unknown:
            parts.append("không kiểm tra được bằng bàn phím (trong khung): " + "; ".join(unknown))
        return Finding(False, f"{_label(rec)}: " + " — ".join(parts))
    return Finding(True, f"{_label(rec)}: phím Tab tới được cả {len(usable)} ô nhập và nút")


@judge(
    "register_columns",
    {
        "required": ["register"],
        "properties": {**_OUTPUT, "register": {"enum": ["so_di", "so_den", "so_theo_doi"]}},
    },
)
def register_columns(rec: Record, register: str, output: str = "columns") -> Finding:
    """A register shows the columns of NĐ 30 Phụ lục IV, all of them and in the appendix's order."""
    headings = (rec.get("outputs") or {}).get(output)
    reg = display.register(register)
    if not isinstance(headings, list) or not headings:
        why = rec.get("error") or "không đọc được tiêu đề cột"
        return Finding(False, f"{_label(rec)}: {reg.title_vi}: {why}")
    problems = display.column_problems(headings, register)
    if problems:
        return Finding(False, f"{_label(rec)}: {reg.title_vi}: " + "; ".join(problems) + f" ({reg.source})")
    return Finding(True, f"{_label(rec)}: {reg.title_vi} có đủ {len(reg.columns)} cột theo {reg.source}")


@judge(
    "outputs_present",
    {
        "required": ["outputs"],
        "properties": {
            "outputs": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
        },
    },
)
def outputs_present(rec: Record, outputs: list[str]) -> Finding:
    """Several outputs are all shown (not missing, not blank): e.g. the cover items of a printed register."""
    got = rec.get("outputs") or {}
    blank = [o for o in outputs if got.get(o) in (None, "", [], {})]
    if blank:
        return Finding(False, f"{_label(rec)}: không thấy {', '.join(blank)}")
    return Finding(True, f"{_label(rec)}: " + ", ".join(f"{o} = {got[o]!r}" for o in outputs))


@judge(
    "output_includes",
    {
        "required": ["output", "expect"],
        "properties": {
            **_OUTPUT,
            "expect": {"type": "array", "minItems": 1},
            "match": {"enum": ["equals", "contains"]},
        },
    },
)
def output_includes(rec: Record, output: str, expect: list[Any], match: str = "contains") -> Finding:
    """Each expected value is shown: equal to an item of the output (or, with contains, inside one)."""
    got = (rec.get("outputs") or {}).get(output)
    items = [nfc(str(x)) for x in (got if isinstance(got, list) else [got] if got is not None else [])]
    absent = []
    for value in expect:
        v = nfc(str(value))
        found = any(v == i for i in items) if match == "equals" else any(v in i for i in items)
        if not found or value in (None, ""):
            absent.append(repr(value))
    if absent:
        return Finding(False, f"{_label(rec)}: {output} không có {', '.join(absent)}")
    return Finding(True, f"{_label(rec)}: {output} có {', '.join(repr(v) for v in expect)}")


_SIG_WORDS = {"valid": "hợp lệ", "invalid": "không hợp lệ", "unsigned": "không có chữ ký số"}


@judge(
    "signatures_shown",
    {
        "required": ["expect"],
        "properties": {
            "expect": {"enum": ["valid", "invalid", "unsigned"]},
            "output": {"type": "string", "minLength": 1},
            "status_output": {"type": "string", "minLength": 1},
            "reason_output": {"type": "string", "minLength": 1},
            "min": {"type": "integer", "minimum": 1},
            "fields": {
                "type": "array",
                "items": {"enum": ["signer", "kind", "signed_at", "status", "reason"]},
            },
        },
    },
)
def signatures_shown(
    rec: Record,
    expect: str,
    output: str = "signatures",
    status_output: str = "status",
    reason_output: str = "reason",
    min: int = 1,
    fields: list[str] | None = None,
) -> Finding:
    """What a file's page says of its signatures matches what they are (NĐ 30 Điều 21.2.a–b).

    ``valid``: the file is shown valid, with at least ``min`` signatures, each shown valid. ``invalid``:
    the file is shown invalid with a reason (its own, or that of a signature shown invalid), and no
    list of signatures all shown valid contradicts it. ``unsigned``: shown as having no signature
    (never valid). Each signature shown has the ``fields`` (e.g. signer, signed_at) filled in.
    """
    if rec.get("error"):
        return Finding(False, f"{_label(rec)}: không đọc được kết quả kiểm tra chữ ký số ({rec['error']})")
    got = rec.get("outputs") or {}
    shown = nfc(str(got.get(status_output) or "")).strip()
    overall = display.signature_status(shown)
    raw_rows = got.get(output)
    rows = [r for r in raw_rows if isinstance(r, dict)] if isinstance(raw_rows, list) else []
    row_kinds = [display.signature_status(r.get("status")) for r in rows]
    said = f"«{shown}»" if shown else "không hiển thị kết quả"
    where = f"{_label(rec)}: trang của tệp ghi {said}"
    blank = sorted(
        {f"{f} (chữ ký thứ {i})" for i, r in enumerate(rows, 1) for f in fields or [] if not r.get(f)}
    )
    problems: list[str] = []
    if expect == "valid":
        if overall != "valid":
            problems.append(f"mong đợi «Hợp lệ» ({_SIG_WORDS['valid']})")
        if len(rows) < min:
            problems.append(f"chỉ thấy {len(rows)} chữ ký, mong đợi ít nhất {min}")
        bad = [i for i, k in enumerate(row_kinds, 1) if k != "valid"]
        if bad:
            problems.append("chữ ký thứ " + ", ".join(map(str, bad)) + " không được ghi là hợp lệ")
    elif expect == "invalid":
        if overall != "invalid":
            problems.append("chữ ký số không hợp lệ nhưng không được ghi là «Không hợp lệ»")
        invalid_rows = [r for r, k in zip(rows, row_kinds, strict=True) if k == "invalid"]
        if rows and not invalid_rows:
            problems.append(f"cả {len(rows)} chữ ký đều được ghi là hợp lệ")
        reasons = [str(got.get(reason_output) or "").strip()] + [
            str(r.get("reason") or "").strip() for r in invalid_rows
        ]
        if overall == "invalid" and not any(reasons):
            problems.append("không nêu lý do không hợp lệ")
    else:  # unsigned
        if overall not in ("unsigned", "invalid"):
            problems.append(f"mong đợi «Không có chữ ký số» ({_SIG_WORDS['unsigned']})")
        if any(k == "valid" for k in row_kinds):
            problems.append("có chữ ký được ghi là hợp lệ trên tệp không ký số")
    if blank:
        problems.append("thiếu " + ", ".join(blank))
    if problems:
        return Finding(False, f"{where}: " + "; ".join(problems))
    detail = "; ".join(
        f"{r.get('signer') or '?'}: {r.get('status') or '?'}"
        + (f" ({r['reason']})" if r.get("reason") else "")
        for r in rows
    )
    return Finding(True, f"{where}" + (f" — {detail}" if detail else ""))
