"""Code lists of the QLVBĐH domain, loaded lazily from ``data/*.yaml``.

Why data files: several lists rest on secondary readings of TT 05/2025 (OQ-29) and must be
replaceable after checking the official appendix without touching code. Each entry carries its
evidence mark; the list-level mark is in the file header.

Lists: ``maintenance`` (thời hạn bảo quản, TT05 codes), ``mode`` (chế độ sử dụng), ``language``
(ngôn ngữ), ``priority`` (mức độ khẩn), ``status`` (trạng thái xử lý), ``type_name`` (TT05 loại văn
bản). The NĐ 30 Điều 7 document types with their PL III abbreviations: ``document_types()``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ._common import Findings, Result, load_data, nfc, prepare

__all__ = [
    "CODE_LISTS",
    "CodeCheck",
    "CodeEntry",
    "DocumentType",
    "MaintenanceCheck",
    "check_code",
    "check_maintenance",
    "check_priority",
    "check_status_code",
    "code_list",
    "document_type_by_abbreviation",
    "document_type_by_name",
    "document_types",
    "lookup_code",
    "maintenance_to_tt05_code",
    "type_abbreviations",
]

#: list name → data file (``type_name`` is derived from ``document_types.yaml``)
CODE_LISTS: Mapping[str, str] = MappingProxyType(
    {
        "maintenance": "maintenance.yaml",
        "mode": "modes.yaml",
        "language": "languages.yaml",
        "priority": "priority.yaml",
        "status": "status_codes.yaml",
        "type_name": "document_types.yaml",
    }
)

_ENTRY_KEYS = {"code", "label", "label_en", "evidence", "note"}


@dataclass(frozen=True)
class CodeEntry:
    """One code of a list; ``extra`` holds list-specific columns (years, sent_by, …)."""

    code: str
    label: str
    label_en: str | None = None
    evidence: str = "S"
    note: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class DocumentType:
    """A document type of NĐ 30 Điều 7 (or a TT05/edXML-only type) with its codes in each scheme."""

    name: str
    name_en: str
    nd30_order: int | None
    abbreviation: str | None
    tt05_code: str | None
    edxml_type_detail: int | None
    evidence: str


@dataclass(frozen=True, kw_only=True)
class CodeCheck(Result):
    """Result of checking a value against a code list."""

    list_name: str
    entries: tuple[CodeEntry, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MaintenanceCheck(Result):
    """Result of checking a THBQ value (NĐ 30 PL V I.4; OQ-30)."""

    permanent: bool = False
    years: int | None = None
    tt05_code: str | None = None


def _entry(raw: Mapping[str, Any], list_evidence: str) -> CodeEntry:
    return CodeEntry(
        code=str(raw["code"]),
        label=str(raw["label"]),
        label_en=raw.get("label_en"),
        evidence=str(raw.get("evidence", list_evidence)),
        note=raw.get("note"),
        extra=MappingProxyType({k: v for k, v in raw.items() if k not in _ENTRY_KEYS}),
    )


@functools.cache
def document_types() -> tuple[DocumentType, ...]:
    """All document types: the 29 of NĐ 30 Điều 7 first (in article order), then TT05/edXML-only ones."""
    data = load_data("document_types.yaml")
    return tuple(
        DocumentType(
            name=t["name"],
            name_en=t["name_en"],
            nd30_order=t["nd30_order"],
            abbreviation=t["abbr"],
            tt05_code=t["tt05"],
            edxml_type_detail=t["edxml_b"],
            evidence=t["evidence"],
        )
        for t in data["types"]
    )


@functools.cache
def type_abbreviations() -> Mapping[str, str]:
    """PL III ký hiệu tên loại → type name, including the copy forms SY/TrS/SL [R]."""
    data = load_data("document_types.yaml")
    out = {t.abbreviation: t.name for t in document_types() if t.abbreviation}
    out.update({c["abbr"]: c["name"] for c in data["copies"]})
    return MappingProxyType(out)


def document_type_by_abbreviation(abbr: str) -> DocumentType | None:
    """The NĐ 30 type whose PL III abbreviation is ``abbr`` (case-sensitive: ``QyĐ`` ≠ ``QYĐ``)."""
    return next((t for t in document_types() if t.abbreviation == abbr), None)


def document_type_by_name(name: str) -> DocumentType | None:
    """Look a type up by its Vietnamese name, ignoring case and the "(cá biệt)" qualifier."""
    key = _fold(name)
    for t in document_types():
        if key in (_fold(t.name), _fold(t.name.replace(" (cá biệt)", ""))):
            return t
    return None


def _fold(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


@functools.cache
def code_list(name: str) -> tuple[CodeEntry, ...]:
    """Entries of a code list, in code order. Raises ``KeyError`` for an unknown list name."""
    if name not in CODE_LISTS:
        raise KeyError(f"unknown code list {name!r}; known: {sorted(CODE_LISTS)}")
    if name == "type_name":
        rows = [t for t in document_types() if t.tt05_code]
        return tuple(
            CodeEntry(
                code=t.tt05_code or "",
                label=t.name.replace(" (cá biệt)", ""),
                label_en=t.name_en,
                evidence="S",
                extra=MappingProxyType({"nd30_order": t.nd30_order}),
            )
            for t in sorted(rows, key=lambda t: t.tt05_code or "")
        )
    data = load_data(CODE_LISTS[name])
    return tuple(_entry(e, data.get("evidence", "S")) for e in data["entries"])


def lookup_code(name: str, code: str | int) -> CodeEntry | None:
    """The entry with this code, or None (codes compare as strings: ``"01"`` ≠ ``"1"``)."""
    return next((e for e in code_list(name) if e.code == str(code)), None)


def check_code(name: str, value: str | int | Sequence[str]) -> CodeCheck:
    """Check a code (or, for lists that allow several values such as ``language``, a list of codes)."""
    f = Findings()
    data_multiple = name != "type_name" and bool(load_data(CODE_LISTS[name]).get("multiple"))
    values: list[str]
    if isinstance(value, (list, tuple)):
        if not data_multiple:
            f.problem("code.single", f"Danh mục {name} chỉ nhận một mã", f"list {name} takes one code")
        if not value:
            f.problem("code.empty", "Thiếu mã", "no code given")
        values = [str(v) for v in value]
    else:
        values = [str(value)]
    found: list[CodeEntry] = []
    for v in values:
        e = lookup_code(name, v)
        if e is None:
            f.problem(
                "code.unknown", f"Mã {v!r} không có trong danh mục {name}", f"{v!r} is not a {name} code"
            )
        else:
            found.append(e)
    return CodeCheck(value=", ".join(values), list_name=name, entries=tuple(found), **f.frozen())


def check_priority(value: int | str) -> CodeCheck:
    """Priority 0–4 (edXML OtherInfo/Priority [S]; NĐ 30 Number(1) [R]); 4 accepted as hỏa tốc (OQ-21)."""
    f = Findings()
    text = str(value)
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]", text):  # §2.2 Priority Number(1) [R]
        f.problem(
            "priority.format",
            f"Mức độ khẩn phải là một chữ số, nhận {value!r}",
            "priority must be a single digit",
        )
        return CodeCheck(value=text, list_name="priority", **f.frozen())
    e = lookup_code("priority", text)
    if e is None:
        f.problem(
            "priority.unknown", f"Mức độ khẩn {text} ngoài danh mục 0–4", "priority outside the 0–4 list"
        )
    elif text == "4":
        f.warn(
            "priority.legacy",
            "Mã 4 (hỏa tốc hẹn giờ) không có trong NĐ 30, xử lý như hỏa tốc (OQ-21)",
            "code 4 is not in NĐ 30; treated as hỏa tốc (OQ-21)",
        )
    return CodeCheck(value=text, list_name="priority", entries=(e,) if e else (), **f.frozen())


def check_status_code(value: str) -> CodeCheck:
    """edXML StatusCode: two digits; 01–06, 13, 15, 16 known; 07–12, 14 tolerated with a warning [S/I]."""
    f = Findings()
    text = prepare(value, f, "StatusCode")
    if text is None:
        return CodeCheck(value=repr(value), list_name="status", **f.frozen())
    # edxml.md §9.2 StatusCode "2-digit string" [S]
    if not re.fullmatch(r"[0-9]{2}", text):
        f.problem(
            "status.format",
            f"StatusCode phải gồm 2 chữ số (01, 03…), nhận {text!r}",
            "StatusCode must be a 2-digit string",
        )
        return CodeCheck(value=text, list_name="status", **f.frozen())
    e = lookup_code("status", text)
    if e is None:
        if text in load_data("status_codes.yaml")["tolerated_unknown"]:
            f.warn(
                "status.unseen",
                f"StatusCode {text} chưa thấy trong SDK, được chấp nhận",
                f"StatusCode {text} not seen in the SDK; tolerated",
            )
        else:
            f.problem(
                "status.unknown", f"StatusCode {text} không có trong danh mục", f"unknown StatusCode {text}"
            )
    return CodeCheck(value=text, list_name="status", entries=(e,) if e else (), **f.frozen())


# metadata-and-packages.md §7.2 THBQ "<n> năm" (NĐ 30 PL V I.4 "số năm cụ thể") [R rule; grammar I, OQ-30]
_YEARS = re.compile(r"(?P<n>[0-9]+) (?P<unit>năm)", re.IGNORECASE)


def check_maintenance(value: object) -> MaintenanceCheck:
    """THBQ: "Vĩnh viễn" or "<n> năm" with a positive integer n; free text and empty are rejected (OQ-30).

    Zero-padded years ("05 năm", the spelling of N30 Đ.31.3.c) are accepted; a case variant
    ("vĩnh viễn", "20 Năm") is accepted with a warning. ≤30 characters (PL VI String(30)).
    """
    f = Findings()
    text = prepare(value, f, "Thời hạn bảo quản")
    if text is None:
        return MaintenanceCheck(value=repr(value), **f.frozen())
    cfg = load_data("maintenance.yaml")["nd30"]
    permanent, years = False, None
    if not text:
        f.problem("thbq.empty", "Thời hạn bảo quản không được để trống", "retention period is empty")
    elif text.casefold() == cfg["permanent"].casefold():
        permanent = True
        if text != cfg["permanent"]:
            f.warn(
                "thbq.case",
                f'Nên viết đúng "{cfg["permanent"]}"',
                f"canonical spelling is {cfg['permanent']!r}",
            )
    elif m := _YEARS.fullmatch(text):
        years = int(m.group("n"))
        if years <= 0:
            f.problem("thbq.zero", "Số năm phải là số nguyên dương", "number of years must be positive")
            years = None
        elif m.group("unit") != cfg["years_suffix"]:
            f.warn("thbq.case", 'Nên viết "năm" chữ thường', "canonical unit spelling is 'năm'")
    else:
        f.problem(
            "thbq.format",
            f'Thời hạn bảo quản phải là "Vĩnh viễn" hoặc "<số> năm", nhận {text!r}',
            "retention must be 'Vĩnh viễn' or '<n> năm' (NĐ 30 PL V I.4)",
        )
    if len(text) > cfg["max_length"]:
        f.problem(
            "thbq.length",
            f"Dài {len(text)} ký tự, tối đa {cfg['max_length']}",
            f"longer than {cfg['max_length']} characters",
        )
    res = f.frozen()
    code = _tt05_maintenance(permanent, years) if res["ok"] else None
    return MaintenanceCheck(value=text, permanent=permanent, years=years, tt05_code=code, **res)


def _tt05_maintenance(permanent: bool, years: int | None) -> str:
    entries = code_list("maintenance")
    if permanent:
        return next(e.code for e in entries if e.label == load_data("maintenance.yaml")["nd30"]["permanent"])
    for e in entries:
        if e.extra.get("years") == years:
            return e.code
    return entries[-1].code  # 07 Khác (§7.2 mapping [I])


def maintenance_to_tt05_code(value: str) -> str:
    """Map an NĐ 30 THBQ value to the TT05 ``maintenance`` code (§7.2 [I]); ``ValueError`` if invalid."""
    res = check_maintenance(value)
    if not res.ok or res.tt05_code is None:
        raise ValueError("; ".join(res.problems))
    return res.tt05_code
