"""Judges over what crossed the simulated axis: the vendor's packages, statuses, acknowledgements, calls.

They read only the records of the exchange driver (``conformance.drivers.exchange``): every package
the vendor sent is in the record in full, so these judges re-validate it with
``conformance.standards`` (edXML rules with XPaths, identifier grammars, PDF signatures) and give
the same answer in ``rejudge``. Time rules compare the times the axis recorded.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from conformance.judges.registry import Finding, Record, judge
from conformance.standards import identifiers
from conformance.standards.edxml import model as m
from conformance.standards.edxml import read_package, validate_package
from conformance.standards.edxml.parse import child, children, parse

VN = dt.timezone(dt.timedelta(hours=7))
ROOT = Path(__file__).resolve().parents[2]
_CODES = {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{2}$"}}


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _failed(rec: Record) -> Finding | None:
    if rec.get("error"):
        return Finding(False, f"{_label(rec)}: không thực hiện được trên trục: {rec['error']}")
    return None


def _bytes(pkg: dict[str, Any] | None) -> bytes | None:
    if not pkg:
        return None
    if "text" in pkg:
        return str(pkg["text"]).encode("utf-8")
    if "base64" in pkg:
        return base64.b64decode(pkg["base64"])
    return None


def _packages(rec: Record) -> list[tuple[dict[str, Any], bytes | None]]:
    """(entry, package bytes) of a ``sent`` record or of an ``await_status`` record."""
    items = rec.get("packages") if "packages" in rec else rec.get("statuses")
    return [(e, _bytes(e.get("package"))) for e in items or []]


@judge("exchange_done")
def exchange_done(rec: Record) -> Finding:
    """The act on the axis was performed (a harness-side step such as delivering a package)."""
    return _failed(rec) or Finding(True, f"{_label(rec)}: đã thực hiện trên trục")


# ----------------------------------------------------------------------------------- status packages
@judge(
    "status_codes",
    {
        "properties": {
            "include": _CODES,
            "exclude": _CODES,
            "first": {"type": "string", "pattern": "^[0-9]{2}$"},
            "order": _CODES,
            "once": _CODES,
            "any_of": _CODES,
            "described": _CODES,
            "none": {"type": "boolean"},
        }
    },
)
def status_codes(
    rec: Record,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    first: str | None = None,
    order: list[str] | None = None,
    once: list[str] | None = None,
    any_of: list[str] | None = None,
    described: list[str] | None = None,
    none: bool = False,
) -> Finding:
    """The business status codes the vendor reported for a document (edxml.md §10.3).

    ``include`` all present; ``exclude`` none present; ``first`` the first one; ``order`` these codes
    appear in this relative order; ``once`` at most one package each; ``any_of`` at least one of
    them; ``described`` these carry a non-empty Description; ``none``: no status at all.
    """
    if (f := _failed(rec)) is not None:
        return f
    statuses = rec.get("statuses") or []
    codes = [s.get("code") for s in statuses]
    shown = ", ".join(c or "?" for c in codes) or "không có"
    problems = []
    if none and codes:
        problems.append(f"hệ thống đã gửi trạng thái {shown}, lẽ ra không gửi gì")
    missing = [c for c in include or [] if c not in codes]
    if missing:
        problems.append(f"thiếu trạng thái {', '.join(missing)}")
    extra = [c for c in exclude or [] if c in codes]
    if extra:
        problems.append(f"có trạng thái không được phép {', '.join(extra)}")
    if first and (not codes or codes[0] != first):
        problems.append(f"trạng thái đầu tiên phải là {first}")
    if order:
        pos = [codes.index(c) for c in order if c in codes]
        if pos != sorted(pos):
            problems.append(f"sai thứ tự, mong đợi {' → '.join(order)}")
    twice = [c for c in once or [] if codes.count(c) > 1]
    if twice:
        problems.append(f"trạng thái {', '.join(twice)} được gửi nhiều lần (trùng)")
    if any_of and not any(c in codes for c in any_of):
        problems.append(f"cần ít nhất một trong {', '.join(any_of)}")
    for s in statuses:
        if s.get("code") in (described or []) and not (s.get("description") or "").strip():
            problems.append(f"trạng thái {s.get('code')} không có mô tả (lý do)")
    if problems:
        timed = " (hết thời gian chờ)" if rec.get("timed_out") else ""
        return Finding(False, f"{_label(rec)}: các trạng thái [{shown}]{timed}: " + "; ".join(problems))
    return Finding(True, f"{_label(rec)}: các trạng thái [{shown}] đúng yêu cầu")


@judge("status_packages_valid")
def status_packages_valid(rec: Record) -> Finding:
    """Every status package the vendor sent is a valid edXML status package (edxml.md §9.2)."""
    if (f := _failed(rec)) is not None:
        return f
    pkgs = _packages(rec)
    if not pkgs:
        return Finding(False, f"{_label(rec)}: hệ thống không gửi gói tin trạng thái nào")
    problems = []
    for entry, data in pkgs:
        if data is None:
            problems.append(f"gói tin {entry.get('doc_id')} không có trong bằng chứng")
            continue
        report = validate_package(data, name=str(entry.get("doc_id")))
        if report.kind != "status":
            problems.append(f"gói tin {entry.get('code')} không phải gói tin trạng thái")
        for p in report.errors[:5]:
            problems.append(f"{entry.get('code')}: {p.xpath}: {p.message_vi}")
    if problems:
        return Finding(False, f"{_label(rec)}: gói tin trạng thái sai cấu trúc: " + "; ".join(problems[:8]))
    return Finding(True, f"{_label(rec)}: {len(pkgs)} gói tin trạng thái đúng cấu trúc edXML")


@judge(
    "status_response_for",
    {"properties": {"fields": {"type": "array", "items": {"enum": ["document_id", "code", "organ_id"]}}}},
)
def status_response_for(rec: Record, fields: list[str] | None = None) -> Finding:
    """Each status package names the original: ResponseFor/DocumentId (and Code, OrganId) (SR-099)."""
    if (f := _failed(rec)) is not None:
        return f
    expect = rec.get("expect") or {}
    statuses = rec.get("statuses") or []
    if not statuses:
        return Finding(False, f"{_label(rec)}: không có gói tin trạng thái để kiểm tra")
    want = {
        "document_id": expect.get("document_id"),
        "code": expect.get("so_ky_hieu"),
        "organ_id": expect.get("peer"),
    }
    problems = []
    for s in statuses:
        rf = s.get("response_for") or {}
        for k in fields or ["document_id"]:
            if want.get(k) is not None and rf.get(k) != want[k]:
                problems.append(f"{s.get('code')}: ResponseFor/{k} = {rf.get(k)!r}, mong đợi {want[k]!r}")
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(problems[:6]))
    return Finding(True, f"{_label(rec)}: ResponseFor đúng văn bản gốc ở {len(statuses)} gói tin")


@judge("status_staff_info")
def status_staff_info(rec: Record) -> Finding:
    """Each status package carries StaffInfo with the handling department and person (SR-048)."""
    if (f := _failed(rec)) is not None:
        return f
    statuses = rec.get("statuses") or []
    if not statuses:
        return Finding(False, f"{_label(rec)}: không có gói tin trạng thái để kiểm tra")
    bad = [
        s.get("code")
        for s in statuses
        if not ((s.get("staff") or {}).get("department") and (s.get("staff") or {}).get("staff"))
    ]
    if bad:
        return Finding(
            False,
            f"{_label(rec)}: thiếu StaffInfo (Department, Staff) ở trạng thái {', '.join(map(str, bad))}",
        )
    return Finding(True, f"{_label(rec)}: StaffInfo đầy đủ ở {len(statuses)} gói tin trạng thái")


def _aware(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=VN)


@judge(
    "status_timely",
    {
        "properties": {
            "codes": _CODES,
            "max_skew_s": {"type": "number", "minimum": 0},
            "same_day": {"type": "boolean"},
        }
    },
    on="many",
)
def status_timely(
    recs: list[Record], codes: list[str] | None = None, max_skew_s: float = 300, same_day: bool = True
) -> Finding:
    """A receipt status (01/03) reached the axis the day the document was delivered (NĐ 30 Đ.21.2.c),
    with a Timestamp in Vietnam time agreeing with when the axis got it (OQ-24). Records: the
    delivery, then the statuses.
    """
    if len(recs) != 2:
        return Finding(False, "status_timely cần hai bước: gửi văn bản, rồi chờ trạng thái")
    delivery, waited = recs
    for r in recs:
        if (f := _failed(r)) is not None:
            return f
    delivered = _aware((delivery.get("outputs") or {}).get("delivered_at"))
    wanted = codes or ["01", "03"]
    candidates = [s for s in waited.get("statuses") or [] if s.get("code") in wanted]
    if not candidates:
        return Finding(False, f"{_label(waited)}: không có trạng thái {', '.join(wanted)} để xét thời hạn")
    problems = []
    for s in candidates:
        at = _aware(s.get("sent_time"))
        stamp = _aware(s.get("timestamp"))
        if at is None or stamp is None:
            problems.append(f"{s.get('code')}: không đọc được thời gian")
            continue
        skew = abs((stamp - at).total_seconds())
        if skew > max_skew_s:
            problems.append(
                f"{s.get('code')}: Timestamp {stamp:%Y/%m/%d %H:%M:%S} lệch {skew / 60:.0f} phút so với "
                f"lúc trục nhận ({at.astimezone(VN):%H:%M:%S}); thời gian phải theo giờ Việt Nam"
            )
        if same_day and delivered is not None and at.astimezone(VN).date() != delivered.astimezone(VN).date():
            problems.append(f"{s.get('code')}: gửi ngày {at.astimezone(VN):%d/%m/%Y}, không trong ngày nhận")
    ok = len(problems) < len(candidates) if not same_day else not problems
    if not ok:
        return Finding(False, f"{_label(waited)}: " + "; ".join(problems))
    return Finding(True, f"{_label(waited)}: thông báo đã nhận trong ngày, thời gian đúng giờ Việt Nam")


# ----------------------------------------------------------------------------------- transport
@judge(
    "transport_status",
    {
        "required": ["expect"],
        "properties": {
            "expect": {
                "type": "array",
                "items": {"enum": ["pending", "processing", "done", "fail"]},
                "minItems": 1,
            },
            "max_fetches": {"type": "integer", "minimum": 1},
        },
    },
)
def transport_status(rec: Record, expect: list[str], max_fetches: int | None = None) -> Finding:
    """The vendor's transport acknowledgement of a delivery (``updateStatus``, edxml.md §9.1)."""
    if (f := _failed(rec)) is not None:
        return f
    out = rec.get("outputs") or {}
    got = out.get("transport")
    if got not in expect:
        return Finding(
            False,
            f"{_label(rec)}: trạng thái vận chuyển trên trục là {got!r} (tải {out.get('fetched')} lần), "
            f"mong đợi {' hoặc '.join(expect)}",
        )
    if max_fetches is not None and (out.get("fetched") or 0) > max_fetches:
        return Finding(False, f"{_label(rec)}: gói tin bị tải {out.get('fetched')} lần, tối đa {max_fetches}")
    return Finding(True, f"{_label(rec)}: trạng thái vận chuyển {got} (tải {out.get('fetched')} lần)")


@judge(
    "journal_calls",
    {
        "properties": {
            "ops_include": {"type": "array", "items": {"type": "string"}},
            "messagetypes": {"type": "array", "items": {"enum": ["edoc", "status"]}},
            "no_refused": {"type": "boolean"},
            "min_refused": {"type": "integer", "minimum": 0},
            "min_calls": {"type": "integer", "minimum": 0},
        }
    },
)
def journal_calls(
    rec: Record,
    ops_include: list[str] | None = None,
    messagetypes: list[str] | None = None,
    no_refused: bool = False,
    min_refused: int = 0,
    min_calls: int = 0,
) -> Finding:
    """The vendor's calls to the axis: which operations, which message types listed, how many refused
    (``min_refused``: the vendor kept trying while its secret was wrong, SR-110)."""
    if (f := _failed(rec)) is not None:
        return f
    entries = rec.get("entries") or []
    ops = {e.get("op") for e in entries}
    problems = []
    if len(entries) < min_calls:
        problems.append(f"chỉ có {len(entries)} lời gọi tới trục")
    missing = [o for o in ops_include or [] if o not in ops]
    if missing:
        problems.append(f"không gọi {', '.join(missing)}")
    listed = {
        e.get("messagetype") for e in entries if e.get("op") == "getReceivedEdocList" and e.get("http") == 200
    }
    lacking = [t for t in messagetypes or [] if t not in listed]
    if lacking:
        problems.append(f"không lấy danh sách gói tin loại {', '.join(lacking)}")
    refused = [e for e in entries if e.get("http") == 401]
    if no_refused and refused:
        problems.append(f"{len(refused)} lời gọi bị trục từ chối xác thực ({refused[0].get('error')})")
    if len(refused) < min_refused:
        problems.append(f"chỉ có {len(refused)} lời gọi bị từ chối xác thực, mong đợi ít nhất {min_refused}")
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(problems))
    return Finding(
        True, f"{_label(rec)}: {len(entries)} lời gọi tới trục ({', '.join(sorted(map(str, ops)))})"
    )


# ----------------------------------------------------------------------------------- sent packages
@judge(
    "sent_count",
    {"properties": {"equals": {"type": "integer", "minimum": 0}, "min": {"type": "integer", "minimum": 0}}},
)
def sent_count(rec: Record, equals: int | None = None, min: int | None = None) -> Finding:
    """How many document packages the vendor sent (after the mark)."""
    if (f := _failed(rec)) is not None:
        return f
    n = len(rec.get("packages") or [])
    if equals is not None and n != equals:
        return Finding(False, f"{_label(rec)}: hệ thống gửi {n} gói tin lên trục, mong đợi {equals}")
    if min is not None and n < min:
        return Finding(False, f"{_label(rec)}: hệ thống gửi {n} gói tin lên trục, cần ít nhất {min}")
    return Finding(True, f"{_label(rec)}: hệ thống gửi {n} gói tin lên trục")


def _need_packages(rec: Record) -> tuple[Finding | None, list[tuple[dict[str, Any], bytes | None]]]:
    if (f := _failed(rec)) is not None:
        return f, []
    pkgs = _packages(rec)
    if not pkgs:
        return Finding(False, f"{_label(rec)}: không có gói tin nào của hệ thống trên trục để kiểm tra"), []
    return None, pkgs


@judge("package_valid", {"properties": {"warnings_fail": {"type": "boolean"}}})
def package_valid(rec: Record, warnings_fail: bool = False) -> Finding:
    """Every package the vendor sent is valid edXML (QCVN 102 structure and values), errors with XPaths."""
    f, pkgs = _need_packages(rec)
    if f is not None:
        return f
    problems = []
    for entry, data in pkgs:
        if data is None:
            problems.append(f"{entry.get('doc_id')}: gói tin không có trong bằng chứng")
            continue
        report = validate_package(data, name=str(entry.get("doc_id")))
        found = list(report.errors) + (list(report.warnings) if warnings_fail else [])
        problems += [f"{p.xpath}: [{p.code}] {p.message_vi}" for p in found[:10]]
    if problems:
        return Finding(False, f"{_label(rec)}: gói tin không hợp lệ: " + "; ".join(problems[:10]))
    return Finding(True, f"{_label(rec)}: {len(pkgs)} gói tin hợp lệ theo QCVN 102:2016")


_CHECK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path"],
    "properties": {
        "path": {"type": "string", "minLength": 1},
        "equals": {},
        "matches": {"type": "string"},
        "grammar": {"enum": sorted(identifiers.GRAMMARS)},
        "present": {"type": "boolean"},
        "count": {"type": "integer", "minimum": 0},
        "distinct": {"type": "boolean"},
        "because": {"type": "string"},
    },
}


def _nodes(root: Any, path: str) -> list[Any]:
    """Elements at a ``/`` path of local names under ``edXMLEnvelope/edXMLHeader`` (``/…``: from the root)."""
    if path.startswith("/"):
        steps = path.strip("/").split("/")
        nodes = [root]
    else:
        head = child(root, "edXMLEnvelope/edXMLHeader")
        steps = path.split("/")
        nodes = [head] if head is not None else []
    for step in steps:
        idx = None
        mm = re.fullmatch(r"(\w+)\[(\d+)\]", step)
        if mm:
            step, idx = mm.group(1), int(mm.group(2)) - 1
        nxt = []
        for n in nodes:
            found = children(n, step)
            nxt += found[idx : idx + 1] if idx is not None else found
        nodes = nxt
    return nodes


@judge(
    "package_fields",
    {"required": ["checks"], "properties": {"checks": {"type": "array", "items": _CHECK, "minItems": 1}}},
)
def package_fields(rec: Record, checks: list[dict[str, Any]]) -> Finding:
    """Fields of every package the vendor sent: value, pattern, grammar, presence, count, distinctness.

    ``path`` is a ``/`` path of local names under ``edXMLHeader`` (e.g. ``MessageHeader/From/OrganId``,
    ``TraceHeaderList/TraceHeader[1]/OrganId``), or from the root when it starts with ``/``.
    """
    f, pkgs = _need_packages(rec)
    if f is not None:
        return f
    problems = []
    for entry, data in pkgs:
        if data is None:
            problems.append(f"{entry.get('doc_id')}: gói tin không có trong bằng chứng")
            continue
        try:
            parsed = parse(data)
        except Exception as exc:
            problems.append(f"gói tin không đọc được: {exc}")
            continue
        with parsed:
            for chk in checks:
                nodes = _nodes(parsed.root, chk["path"])
                values = [(n.text or "").strip() for n in nodes]
                why = f" ({chk['because']})" if chk.get("because") else ""
                where = chk["path"]
                if chk.get("present") is True and not nodes:
                    problems.append(f"thiếu {where}{why}")
                    continue
                if chk.get("present") is False and nodes:
                    problems.append(f"{where} không được có{why}")
                    continue
                if "count" in chk and len(nodes) != chk["count"]:
                    problems.append(f"{where}: {len(nodes)} phần tử, mong đợi {chk['count']}{why}")
                if chk.get("distinct") and len(set(values)) != len(values):
                    problems.append(f"{where}: giá trị trùng {values}{why}")
                for v in values:
                    if "equals" in chk and v != str(chk["equals"]):
                        problems.append(f"{where} = {v!r}, mong đợi {str(chk['equals'])!r}{why}")
                    if chk.get("matches") and not re.fullmatch(chk["matches"], v):
                        problems.append(f"{where} = {v!r} không khớp {chk['matches']}{why}")
                    if chk.get("grammar"):
                        res = identifiers.check_grammar(chk["grammar"], v)
                        if res.problems:
                            problems.append(f"{where} = {v!r} sai cú pháp: {'; '.join(res.problems)}{why}")
                if ("equals" in chk or chk.get("matches") or chk.get("grammar")) and not nodes:
                    problems.append(f"thiếu {where}{why}")
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(dict.fromkeys(problems[:12])))
    return Finding(True, f"{_label(rec)}: {len(checks)} phép kiểm tra trường đạt trên {len(pkgs)} gói tin")


@judge(
    "package_organ_ids",
    {"properties": {"from_is_vendor": {"type": "boolean"}, "strict": {"type": "boolean"}}},
)
def package_organ_ids(rec: Record, from_is_vendor: bool = True, strict: bool = False) -> Finding:
    """Every OrganId the vendor wrote (From, To, its TraceHeader, ResponseFor) is an agency code in
    one of the two grammars (OQ-10), and From/OrganId is the configured code byte for byte (SR-002)."""
    f, pkgs = _need_packages(rec)
    if f is not None:
        return f
    vendor = (rec.get("vendor") or {}).get("organ_id")
    problems = []
    for _entry, data in pkgs:
        if data is None:
            continue
        try:
            parsed = parse(data)
        except Exception as exc:
            problems.append(f"gói tin không đọc được: {exc}")
            continue
        with parsed:
            paths = [
                "MessageHeader/From/OrganId",
                "MessageHeader/To/OrganId",
                "TraceHeaderList/TraceHeader[1]/OrganId",
                "MessageHeader/ResponseFor/OrganId",
            ]
            for path in paths:
                for n in _nodes(parsed.root, path):
                    v = n.text or ""
                    res = identifiers.parse_organ_id(v, strict=strict)
                    if res.problems:
                        problems.append(f"{path} = {v!r}: {'; '.join(res.problems)}")
            if from_is_vendor:
                frm = [n.text for n in _nodes(parsed.root, "MessageHeader/From/OrganId")]
                if frm != [vendor]:
                    problems.append(f"From/OrganId = {frm}, mong đợi mã đã cấu hình {vendor!r}")
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(dict.fromkeys(problems[:8])))
    return Finding(True, f"{_label(rec)}: mã định danh cơ quan đúng ở {len(pkgs)} gói tin")


@judge(
    "package_attachments",
    {"properties": {"main_type": {"type": "string"}, "min": {"type": "integer", "minimum": 0}}},
)
def package_attachments(rec: Record, main_type: str | None = None, min: int = 1) -> Finding:
    """Manifest and attachments agree one to one by ContentId (SR-013); the main file has the given
    type and really is one (SR-120: ``application/pdf`` starting ``%PDF-``)."""
    f, pkgs = _need_packages(rec)
    if f is not None:
        return f
    problems = []
    for entry, data in pkgs:
        if data is None:
            continue
        report = validate_package(data, name=str(entry.get("doc_id")))
        att_codes = [p for p in report.errors if p.code.startswith("att.")]
        problems += [f"{p.xpath}: {p.message_vi}" for p in att_codes[:5]]
        try:
            pkg = read_package(data, load_attachments=True)
        except Exception as exc:
            problems.append(f"không đọc được tệp đính kèm: {exc}")
            continue
        if not isinstance(pkg, m.DocumentPackage):
            continue
        if len(pkg.attachments) < min:
            problems.append(f"có {len(pkg.attachments)} tệp đính kèm, cần ít nhất {min}")
            continue
        if main_type and pkg.attachments:
            main = pkg.attachments[0]
            if main.content_type != main_type:
                problems.append(
                    f"tệp chính {main.attachment_name!r} có ContentType {main.content_type}, "
                    f"mong đợi {main_type}"
                )
            elif main_type == "application/pdf" and not (main.data or b"").startswith(b"%PDF-"):
                problems.append(f"tệp chính {main.attachment_name!r} không phải PDF")
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(problems[:8]))
    return Finding(True, f"{_label(rec)}: tệp đính kèm khớp danh mục ở {len(pkgs)} gói tin")


def _paths(names: Iterable[str]) -> list[Path]:
    return [p if p.is_absolute() else ROOT / p for p in map(Path, names)]


@judge(
    "package_pdf_signatures",
    {
        "required": ["trust_roots"],
        "properties": {
            "trust_roots": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "crls": {"type": "array", "items": {"type": "string"}},
            "require_personal": {"type": "boolean"},
            "require_organisation": {"type": "boolean"},
        },
    },
)
def package_pdf_signatures(
    rec: Record,
    trust_roots: list[str],
    crls: list[str] | None = None,
    require_personal: bool = True,
    require_organisation: bool = True,
) -> Finding:
    """The main PDF of every package carries valid signatures, the competent person's before the
    agency's (NĐ 30 Điều 5.1, 13.7; SR-050), verified offline against the given trust roots and CRLs
    at the time the axis received the package."""
    from conformance.standards.pdfsig import check_order, check_signatures, verify_pdf

    f, pkgs = _need_packages(rec)
    if f is not None:
        return f
    problems = []
    for entry, data in pkgs:
        if data is None:
            continue
        try:
            pkg = read_package(data, load_attachments=True)
        except Exception as exc:
            problems.append(f"không đọc được gói tin: {exc}")
            continue
        if not isinstance(pkg, m.DocumentPackage) or not pkg.attachments:
            problems.append("gói tin không có văn bản chính")
            continue
        main = pkg.attachments[0]
        at = _aware(entry.get("sent_time"))
        report = verify_pdf(main.data or b"", _paths(trust_roots), _paths(crls or []), at=at)
        for res in (
            check_signatures(report),
            check_order(report, require_personal=require_personal, require_organisation=require_organisation),
        ):
            problems += [f"{main.attachment_name}: {p}" for p in res.problems]
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(dict.fromkeys(problems[:8])))
    return Finding(True, f"{_label(rec)}: văn bản chính ký số hợp lệ, đúng thứ tự ở {len(pkgs)} gói tin")


# ----------------------------------------------------------------------------------- values across steps
@judge(
    "outputs_same",
    {"required": ["output"], "properties": {"output": {"type": "string", "minLength": 1}}},
    on="many",
)
def outputs_same(recs: list[Record], output: str) -> Finding:
    """The output is present and identical in every step (e.g. the stored file's SHA-256, SR-014)."""
    got = [(r.get("outputs") or {}).get(output) for r in recs]
    ok = all(g not in (None, "") for g in got) and len({str(g) for g in got}) == 1
    return Finding(ok, f"{output}: {got}" + ("" if ok else " — phải có và giống nhau ở mọi bước"))


@judge(
    "outputs_consecutive",
    {"required": ["output"], "properties": {"output": {"type": "string", "minLength": 1}}},
    on="many",
)
def outputs_consecutive(recs: list[Record], output: str) -> Finding:
    """The outputs of the steps, in order, are consecutive integers (n, n+1, n+2: số đến, SR-068)."""
    got = [(r.get("outputs") or {}).get(output) for r in recs]
    try:
        nums = [int(str(g)) for g in got]
    except ValueError:
        return Finding(False, f"{output}: {got} không phải số")
    ok = all(b == a + 1 for a, b in itertools.pairwise(nums))
    return Finding(ok, f"{output}: {nums}" + ("" if ok else " — phải liên tiếp"))


@judge("corpus_refused")
def corpus_refused(rec: Record) -> Finding:
    """Every malformed package of the corpus was refused: returned with 02 and never registered (03),
    or acknowledged ``fail`` (the vendor must not crash on them, nor register them)."""
    if (f := _failed(rec)) is not None:
        return f
    entries = rec.get("entries") or []
    if not entries:
        return Finding(False, f"{_label(rec)}: không có gói tin nào của bộ mẫu lỗi")
    bad = []
    for e in entries:
        codes = e.get("codes") or []
        if not (e.get("transport") == "fail" or ("02" in codes and "03" not in codes)):
            mut = e.get("mutation") or {}
            bad.append(
                f"{mut.get('op')} {mut.get('path')}: trạng thái {codes or 'không có'}, "
                f"vận chuyển {e.get('transport')}"
            )
    if bad:
        return Finding(
            False,
            f"{_label(rec)}: {len(bad)}/{len(entries)} gói tin lỗi không bị từ chối: " + "; ".join(bad[:6]),
        )
    return Finding(True, f"{_label(rec)}: cả {len(entries)} gói tin lỗi của bộ mẫu đều bị từ chối")
