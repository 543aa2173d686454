"""Judges of area 4, nộp lưu: lists and their items, deadlines, totals in words, and packages.

Packages and exports are judged from the bytes the system delivered (download blobs) with the
validator archives use on their own (``conformance.standards.packages``); deadlines with
``conformance.standards.deadlines``; totals written in words with ``conformance.standards.vi_numbers``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conformance.judges.files import received
from conformance.judges.registry import Finding, Record, blob_path, judge
from conformance.standards import deadlines
from conformance.standards.packages import Report, validate_nd30_export, validate_package
from conformance.standards.packages.reader import open_package
from conformance.standards.vi_numbers import parse_vi_number

_MAX_LISTED = 6


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _out(rec: Record, name: str) -> Any:
    return (rec.get("outputs") or {}).get(name)


def _same(a: Any, b: Any) -> bool:
    """Loose equality of a system's value and a profile's: 7 == "7", NFC text, True == true."""
    if isinstance(a, bool) or isinstance(b, bool):
        return str(a).lower() == str(b).lower()
    if isinstance(a, int | float) or isinstance(b, int | float):
        try:
            return float(str(a)) == float(str(b))
        except ValueError:
            return False
    if isinstance(a, str) and isinstance(b, str):
        return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)
    return a == b


def _items(rec: Record, output: str) -> list[dict[str, Any]] | None:
    value = _out(rec, output)
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, dict)]


def _find(items: list[dict[str, Any]], where: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in items if all(_same(i.get(k), v) for k, v in where.items())]


def _where(where: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in where.items())


_WHERE = {"type": "object", "minProperties": 1}


@judge(
    "list_item",
    {
        "required": ["where"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "where": _WHERE,
            "present": {"type": "boolean"},
            "expect": {"type": "object"},
            "nonempty": {"type": "array", "items": {"type": "string"}},
        },
    },
)
def list_item(
    rec: Record,
    where: dict[str, Any],
    output: str = "items",
    present: bool = True,
    expect: dict[str, Any] | None = None,
    nonempty: list[str] | None = None,
) -> Finding:
    """A list the system returned holds (or, with ``present: false``, does not hold) an item matching
    ``where``; the item then has the ``expect`` values and non-empty ``nonempty`` fields."""
    items = _items(rec, output)
    if items is None:
        return Finding(False, f"{_label(rec)}: {output} không phải danh sách ({_out(rec, output)!r})")
    hits = _find(items, where)
    if not present:
        ok = not hits
        return Finding(
            ok, f"{_label(rec)}: {output} " + ("không có" if ok else "vẫn có") + f" mục {_where(where)}"
        )
    if len(hits) != 1:
        return Finding(False, f"{_label(rec)}: {output} có {len(hits)} mục {_where(where)}, mong đợi đúng 1")
    item = hits[0]
    wrong = [
        f"{k} = {item.get(k)!r} (mong đợi {v!r})"
        for k, v in (expect or {}).items()
        if not _same(item.get(k), v)
    ]
    wrong += [f"{k} để trống" for k in nonempty or [] if item.get(k) in (None, "", [], {})]
    if wrong:
        return Finding(False, f"{_label(rec)}: mục {_where(where)}: " + "; ".join(wrong))
    shown = {k: item.get(k) for k in [*(expect or {}), *(nonempty or [])]}
    return Finding(True, f"{_label(rec)}: có mục {_where(where)} {shown if shown else ''}".rstrip())


@judge(
    "due_date_in_list",
    {
        "required": ["where"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "where": _WHERE,
            "rule": {"enum": list(deadlines.RULES)},
            "end_date": {"type": "string"},
            "settlement": {"type": "string"},
            "today": {"type": "string"},
        },
    },
)
def due_date_in_list(
    rec: Record,
    where: dict[str, Any],
    rule: str | None = None,
    output: str = "items",
    end_date: str | None = None,
    settlement: str | None = None,
    today: str | None = None,
) -> Finding:
    """The listed dossier's ``due_date`` is the legal one: ``rule`` of the profile from ``end_date`` (the
    item's own when not given, OQ-27), or a construction dossier's ``settlement`` + 3 months; with ``today``,
    ``overdue`` must say whether today is past it."""
    items = _items(rec, output)
    hits = _find(items or [], where)
    if len(hits) != 1:
        return Finding(False, f"{_label(rec)}: {output} có {len(hits)} mục {_where(where)}, mong đợi đúng 1")
    item = hits[0]
    end = deadlines.parse_day(end_date if end_date is not None else item.get("end_date"))
    settled = deadlines.parse_day(settlement) if settlement else None
    if settled is None and (end is None or rule is None):
        return Finding(
            False,
            f"{_label(rec)}: không xác định được thời gian kết thúc ({end_date!r}) hoặc quy tắc tính hạn",
        )
    expected = deadlines.due_date(rule or "nd30", end or settled, settled)  # type: ignore[arg-type]
    got = deadlines.parse_day(item.get("due_date"))
    basis = (
        f"quyết toán {settled:%d/%m/%Y} + 03 tháng" if settled else f"kết thúc {end:%d/%m/%Y}, quy tắc {rule}"
    )
    if got != expected:
        return Finding(
            False,
            f"{_label(rec)}: hạn nộp lưu {item.get('due_date')!r}, đúng ra là {expected:%d/%m/%Y} ({basis})",
        )
    msg = f"{_label(rec)}: hạn nộp lưu {expected:%d/%m/%Y} ({basis})"
    if today is not None:
        now = deadlines.parse_day(today)
        if now is None:
            return Finding(False, f"{_label(rec)}: không đọc được ngày hiện tại {today!r}")
        should = now > expected
        if not _same(item.get("overdue"), should):
            return Finding(
                False,
                f"{_label(rec)}: ngày {now:%d/%m/%Y} hồ sơ {'đã' if should else 'chưa'} quá hạn nộp lưu "
                f"nhưng hệ thống báo overdue = {item.get('overdue')!r}",
            )
        msg += f"; ngày {now:%d/%m/%Y}: {'quá hạn' if should else 'chưa quá hạn'}, hệ thống báo đúng"
    return Finding(True, msg)


@judge(
    "historical_due",
    {
        "required": ["output", "accepted"],
        "properties": {"output": {"type": "string", "minLength": 1}, "accepted": {"type": "string"}},
    },
)
def historical_due(rec: Record, output: str, accepted: str) -> Finding:
    """The deadline to the historical archive is 31/12 of the acceptance year + 5 (Luật Lưu trữ 2024 Đ.17)."""
    day = deadlines.parse_day(accepted)
    if day is None:
        return Finding(False, f"{_label(rec)}: không đọc được ngày tiếp nhận {accepted!r}")
    expected = deadlines.historical_due(day)
    got = deadlines.parse_day(_out(rec, output))
    ok = got == expected
    return Finding(
        ok,
        f"{_label(rec)}: {output} = {_out(rec, output)!r}"
        + ("" if ok else f", đúng ra là {expected:%d/%m/%Y} (tiếp nhận năm {day.year} + 05 năm)"),
    )


@judge(
    "number_in_words",
    {
        "required": ["words", "figure"],
        "properties": {
            "words": {"type": "string", "minLength": 1},
            "figure": {"type": "string", "minLength": 1},
        },
    },
)
def number_in_words(rec: Record, words: str, figure: str) -> Finding:
    """The total written in Vietnamese words says the same number as the total in figures."""
    text, number = _out(rec, words), _out(rec, figure)
    value = parse_vi_number(text) if isinstance(text, str) else None
    if value is None:
        return Finding(False, f"{_label(rec)}: {words} = {text!r} không phải một số viết bằng chữ")
    ok = _same(value, number)
    return Finding(
        ok,
        f"{_label(rec)}: {figure} = {number!r}, bằng chữ «{text}» = {value}" + ("" if ok else " — khác nhau"),
    )


@judge(
    "same_documents",
    {
        "required": ["first", "second", "keys"],
        "properties": {
            "first": {"type": "string", "minLength": 1},
            "second": {"type": "string", "minLength": 1},
            "keys": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
    },
    on="many",
)
def same_documents(recs: list[Record], first: str, second: str, keys: list[str]) -> Finding:
    """Two steps list the same documents with the same values of ``keys`` (metadata kept on hand-over)."""
    if len(recs) != 2:
        return Finding(False, "same_documents cần đúng hai bước")
    a, b = _items(recs[0], first), _items(recs[1], second)
    if a is None or b is None:
        return Finding(
            False, f"{_label(recs[0])}.{first} hoặc {_label(recs[1])}.{second} không phải danh sách"
        )
    pa = [{k: d.get(k) for k in keys} for d in a]
    pb = [{k: d.get(k) for k in keys} for d in b]
    if len(pa) != len(pb) or not all(
        all(_same(x[k], y[k]) for k in keys) for x, y in zip(pa, pb, strict=False)
    ):
        return Finding(False, f"{_label(recs[0])}: {pa} ≠ {_label(recs[1])}: {pb}")
    return Finding(
        True, f"{len(pa)} văn bản giữ nguyên {', '.join(keys)} giữa {_label(recs[0])} và {_label(recs[1])}"
    )


# --- packages and exports ---------------------------------------------------------------------------------


@contextmanager
def _delivered(rec: Record, default_name: str) -> Iterator[tuple[Path | None, str]]:
    """The downloaded file under the name the system declared (the validator checks ZIP names)."""
    body = received(rec)
    path = blob_path(body.get("blob")) if body else None
    if body is None or path is None:
        yield None, ""
        return
    declared = body.get("filename") or ""
    name = os.path.basename(declared.replace("\\", "/")) if declared else ""
    if not name or name in (".", "..") or len(name) > 255 or any(ord(c) < 32 for c in name):
        name = default_name
    with tempfile.TemporaryDirectory(prefix="nop-luu-") as tmp:
        target = Path(tmp) / unicodedata.normalize("NFC", name)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
        yield target, name


def _listing(report: Report, codes: list[str] | None) -> tuple[list[str], int]:
    errors = [
        f for f in report.errors if not codes or any(f.code == c or f.code.startswith(c + ".") for c in codes)
    ]
    shown = []
    for f in errors[:_MAX_LISTED]:
        where = f.file or "-"
        if f.xpath:
            where += f" {f.xpath}"
        if f.target:
            where += f" → {f.target}"
        shown.append(f"[{f.code}] {where}: {f.message_vi}")
    return shown, len(errors)


def _no_file(rec: Record) -> Finding:
    resp = rec.get("response") or {}
    why = rec.get("error") or (f"HTTP {resp['status']}" if resp.get("status") else "không có phản hồi")
    return Finding(False, f"{_label(rec)}: hệ thống không trả về tệp ({why})")


_CODES = {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9_.]+$"}, "minItems": 1}


@judge(
    "package_conforms",
    {
        "properties": {
            "kind": {"enum": ["SIP_hoso", "SIP_tailieu", "AIP_hoso", "AIP_tailieu"]},
            "rules": _CODES,
            "require_permanent": {"type": "boolean"},
            "tt05_follow": {"enum": ["text", "sample"]},
        }
    },
)
def package_conforms(
    rec: Record,
    kind: str | None = None,
    rules: list[str] | None = None,
    require_permanent: bool = True,
    tt05_follow: str = "text",
) -> Finding:
    """The delivered package passes the TT 05/2025 validator: no error at all, or none among ``rules``
    (rule codes or code prefixes of ``conformance.standards.packages.RULES``); of the expected ``kind``."""
    with _delivered(rec, "package.zip") as (path, name):
        if path is None:
            return _no_file(rec)
        report = validate_package(path, require_permanent=require_permanent, tt05_follow=tt05_follow)
    problems, n = _listing(report, rules)
    if report.status == "refused":
        problems, n = _listing(report, None)
        return Finding(False, f"{_label(rec)}: gói {name} bị từ chối đọc: " + "; ".join(problems))
    if kind and report.kind != kind:
        problems.insert(0, f"loại gói {report.kind!r}, mong đợi {kind}")
        n += 1
    scope = f" (quy tắc {', '.join(rules)})" if rules else ""
    if n:
        more = f" … và {n - len(problems)} lỗi khác" if n > len(problems) else ""
        return Finding(False, f"{_label(rec)}: gói {name} có {n} lỗi{scope}: " + "; ".join(problems) + more)
    files = report.stats.get("files", 0)
    return Finding(True, f"{_label(rec)}: gói {name} ({report.kind}, {files} tệp) đạt{scope}")


@judge("package_holey_files", {"properties": {"min": {"type": "integer", "minimum": 0}}})
def package_holey_files(rec: Record, min: int = 1) -> Finding:
    """The package links documents an earlier package carried by ``*.fetch.txt`` files (TT05 PL III)."""
    with _delivered(rec, "package.zip") as (path, name):
        if path is None:
            return _no_file(rec)
        report = validate_package(path)
        if report.status == "refused":
            return Finding(False, f"{_label(rec)}: gói {name} bị từ chối đọc")
        with open_package(path) as pkg:
            holey = sorted(f for f in pkg.files if f.endswith(".fetch.txt"))
    bad = [f for f in report.errors if f.code.startswith("holey")]
    if bad:
        return Finding(
            False, f"{_label(rec)}: tệp liên kết sai: " + "; ".join(f"[{f.code}] {f.file}" for f in bad)
        )
    ok = len(holey) >= min
    return Finding(
        ok,
        f"{_label(rec)}: gói {name} có {len(holey)} tệp liên kết (*.fetch.txt)"
        + ("" if ok else f", mong đợi ít nhất {min}: tài liệu đã nộp trước đây bị gửi lại toàn bộ"),
    )


@judge("dossier_export_conforms", {"properties": {"rules": _CODES}})
def dossier_export_conforms(rec: Record, rules: list[str] | None = None) -> Finding:
    """The delivered NĐ 30 dossier export (XML, Phụ lục VI Phần II fields) passes the validator."""
    with _delivered(rec, "ho-so.xml") as (path, name):
        if path is None:
            return _no_file(rec)
        report = validate_nd30_export(path)
    problems, n = _listing(report, rules)
    if report.status == "refused" or n:
        return Finding(
            False, f"{_label(rec)}: {name} có {n or 'các'} lỗi: " + "; ".join(problems or ["không đọc được"])
        )
    return Finding(True, f"{_label(rec)}: {name} đúng cấu trúc dữ liệu NĐ 30 Phụ lục VI")


@judge(
    "output_count",
    {
        "required": ["output", "count"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 0},
        },
    },
)
def output_count(rec: Record, output: str, count: int) -> Finding:
    """A list output has exactly ``count`` entries (columns of a form, rows of a list)."""
    value = _out(rec, output)
    n = len(value) if isinstance(value, list) else None
    return Finding(
        n == count, f"{_label(rec)}: {output} có {n} mục" + ("" if n == count else f", mong đợi {count}")
    )


@judge(
    "output_has_fields",
    {
        "required": ["output", "fields"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
    },
)
def output_has_fields(rec: Record, output: str, fields: list[str]) -> Finding:
    """An object output carries every listed field with a value (e.g. the fonds record, TT05)."""
    value = _out(rec, output)
    if not isinstance(value, dict):
        return Finding(False, f"{_label(rec)}: {output} = {value!r} không phải một bản ghi")
    missing = [f for f in fields if value.get(f) in (None, "", [], {})]
    return Finding(
        not missing,
        f"{_label(rec)}: {output} có đủ {len(fields)} trường"
        if not missing
        else f"{_label(rec)}: {output} thiếu {', '.join(missing)}",
    )
