"""HTML certification report rendered from ``results.json``.

The report is the document an evaluator signs, so it is built only from the
recorded results (never from a live run), it is deterministic (same input, same
bytes: no render-time clock, stable ordering) and it is self-contained (inline
CSS, no fonts, scripts or images fetched from anywhere), so that it can be
archived, hashed into the run manifest and re-printed years later.

The input is read defensively: a run killed half-way may leave a
``results.json`` without a verdict or with partial criteria, and the report
must still render and say so rather than crash.
"""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from conformance.report import labels
from conformance.report.coverage_view import coverage_view

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGS: tuple[str, ...] = ("vi", "en")

UI_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "national_title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "national_motto": "Độc lập - Tự do - Hạnh phúc",
        "title": "BIÊN BẢN KẾT QUẢ KIỂM TRA PHẦN MỀM QUẢN LÝ VĂN BẢN VÀ ĐIỀU HÀNH",
        "title_break": "PHẦN MỀM",
        "incomplete_banner": "KẾT QUẢ CHƯA ĐẦY ĐỦ — lần chạy bị gián đoạn",
        "incomplete_detail": "Lần chạy không hoàn tất; các tiêu chí chưa chạy không có trong báo cáo này. "
        "Không dùng báo cáo này để cấp chứng nhận.",
        "error_banner": "Có tiêu chí gặp lỗi công cụ: lần chạy không hợp lệ cho việc cấp chứng nhận.",
        "filtered_banner": "Lần chạy chỉ gồm một phần bộ tiêu chí (có bộ lọc).",
        "excluded": "Tiêu chí của bộ tiêu chí không thuộc phạm vi lần chạy này",
        "section_info": "I. THÔNG TIN CHUNG",
        "section_verdict": "II. KẾT LUẬN",
        "section_summary": "III. TỔNG HỢP THEO LĨNH VỰC",
        "section_details": "IV. KẾT QUẢ CHI TIẾT THEO TIÊU CHÍ",
        "section_legend": "V. CHÚ GIẢI",
        "product": "Sản phẩm",
        "vendor": "Nhà cung cấp",
        "version": "Phiên bản",
        "target_name": "Tên hệ thống",
        "base_url": "Địa chỉ hệ thống được kiểm tra",
        "profile": "Bộ tiêu chí",
        "profile_version": "phiên bản",
        "regime": "chế độ pháp lý",
        "harness_version": "Phiên bản công cụ kiểm tra",
        "date": "Thời gian kiểm tra",
        "evaluator": "Người đánh giá",
        "run_id": "Mã lần chạy",
        "run_state": "Tình trạng lần chạy",
        "complete": "Đầy đủ",
        "incomplete": "Chưa đầy đủ (bị gián đoạn)",
        "filters": "Phạm vi",
        "no_filter": "Toàn bộ bộ tiêu chí",
        "fingerprints": "Dấu vân tay SHA-256",
        "profile_file": "tệp bộ tiêu chí",
        "target_file": "tệp đích",
        "faults": "Lỗi giả lập bật",
        "verdict_overall": "Kết luận chung",
        "reasons": "Căn cứ kết luận",
        "no_verdict": "Chưa có kết luận (results.json không có phần verdict).",
        "area": "Lĩnh vực",
        "total": "Tổng",
        "area_verdict": "Kết luận",
        "all_areas": "Tất cả lĩnh vực",
        "level": "Mức độ",
        "channel": "Kênh kiểm tra",
        "evidence_mark": "Mức căn cứ",
        "legal_basis": "Căn cứ pháp lý",
        "result": "Kết quả",
        "message": "Nhận xét",
        "checks": "Các phép kiểm",
        "check_ok": "đạt",
        "check_ko": "không đạt",
        "duration": "Thời gian chạy",
        "waiver": "Miễn trừ",
        "approver": "Người phê duyệt",
        "reason": "Lý do",
        "expires": "Hiệu lực đến",
        "attestation": "Xác nhận thủ công",
        "attest_evaluator": "Người xác nhận",
        "statement": "Nội dung xác nhận",
        "evidence_file": "Tệp bằng chứng",
        "attest_date": "Ngày xác nhận",
        "evidence": "Bằng chứng",
        "no_evidence": "Không có tệp bằng chứng.",
        "last_screenshot": "Màn hình cuối cùng khi kiểm tra qua giao diện",
        "no_criteria": "Không có tiêu chí nào trong lĩnh vực này.",
        "legend_results": "Kết quả của tiêu chí",
        "legend_marks": "Mức căn cứ của tiêu chí",
        "seconds": "giây",
        "date_line": "ngày {d} tháng {m} năm {y}",
        "signature": "NGƯỜI ĐÁNH GIÁ",
        "signature_hint": "(Ký, ghi rõ họ tên)",
        "criteria_count": "tiêu chí",
    },
    "en": {
        "national_title": "SOCIALIST REPUBLIC OF VIET NAM",
        "national_motto": "Independence - Freedom - Happiness",
        "title": "CONFORMANCE TEST REPORT FOR DOCUMENT MANAGEMENT AND ADMINISTRATION SOFTWARE",
        "title_break": "FOR",
        "incomplete_banner": "INCOMPLETE RESULTS — the run was interrupted",
        "incomplete_detail": "The run did not finish; criteria that did not run are absent from this report. "
        "Do not use this report for certification.",
        "error_banner": "Some criteria hit a harness error: the run is not valid for certification.",
        "filtered_banner": "The run covers only part of the profile (filters applied).",
        "excluded": "Criteria of the profile outside this run's scope",
        "section_info": "I. GENERAL INFORMATION",
        "section_verdict": "II. VERDICT",
        "section_summary": "III. SUMMARY BY AREA",
        "section_details": "IV. DETAILED RESULTS BY CRITERION",
        "section_legend": "V. LEGEND",
        "product": "Product",
        "vendor": "Vendor",
        "version": "Version",
        "target_name": "System name",
        "base_url": "Base URL of the system under test",
        "profile": "Profile",
        "profile_version": "version",
        "regime": "legal regime",
        "harness_version": "Harness version",
        "date": "Test period",
        "evaluator": "Evaluator",
        "run_id": "Run ID",
        "run_state": "Run state",
        "complete": "Complete",
        "incomplete": "Incomplete (interrupted)",
        "filters": "Scope",
        "no_filter": "Whole profile",
        "fingerprints": "SHA-256 fingerprints",
        "profile_file": "profile file",
        "target_file": "target file",
        "faults": "Fault switches on",
        "verdict_overall": "Overall verdict",
        "reasons": "Grounds (in Vietnamese)",
        "no_verdict": "No verdict (results.json holds no verdict section).",
        "area": "Area",
        "total": "Total",
        "area_verdict": "Verdict",
        "all_areas": "All areas",
        "level": "Level",
        "channel": "Channel",
        "evidence_mark": "Evidence mark",
        "legal_basis": "Legal basis",
        "result": "Result",
        "message": "Message",
        "checks": "Checks",
        "check_ok": "ok",
        "check_ko": "failed",
        "duration": "Duration",
        "waiver": "Waiver",
        "approver": "Approver",
        "reason": "Reason",
        "expires": "Expires",
        "attestation": "Manual attestation",
        "attest_evaluator": "Attested by",
        "statement": "Statement",
        "evidence_file": "Evidence file",
        "attest_date": "Date",
        "evidence": "Evidence",
        "no_evidence": "No evidence file.",
        "last_screenshot": "Last screen seen through the user interface",
        "no_criteria": "No criterion in this area.",
        "legend_results": "Criterion results",
        "legend_marks": "Evidence marks",
        "seconds": "s",
        "date_line": "{y}-{m}-{d}",
        "signature": "EVALUATOR",
        "signature_hint": "(Signature and full name)",
        "criteria_count": "criteria",
    },
}

_VERDICT_CLASS = {"DAT": "v-dat", "KHONG_DAT": "v-khong-dat", "CHUA_DU_CAN_CU": "v-chua-du"}


def _env() -> Environment:
    """Jinja environment; autoescape is forced on for every template, whatever its suffix,
    because vendor replies end up in messages and are hostile until proven otherwise."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _s(value: Any) -> str:
    """Text of a scalar, NFC-normalised; ``None`` becomes the empty string."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: Any, lang: str) -> str:
    """A bilingual ``{"vi","en"}`` text in ``lang``, falling back to Vietnamese (the reference language)."""
    if isinstance(value, Mapping):
        return _s(value.get(lang) or value.get("vi") or value.get("en"))
    return _s(value)


def _parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _fmt_dt(value: Any, lang: str) -> str:
    """A recorded timestamp as people read it, keeping the recorded UTC offset (no conversion)."""
    dt = _parse_dt(value)
    if dt is None:
        return _s(value)
    text = dt.strftime("%d/%m/%Y %H:%M:%S") if lang == "vi" else dt.strftime("%Y-%m-%d %H:%M:%S")
    offset = dt.strftime("%z")
    if offset:
        text += f" (UTC{offset[:3]}:{offset[3:]})"
    return text


def _fmt_date(value: Any, lang: str) -> str:
    """A date (``YYYY-MM-DD`` or a timestamp) in the report's language."""
    dt = _parse_dt(value)
    if dt is None:
        return _s(value)
    return dt.strftime("%d/%m/%Y") if lang == "vi" else dt.strftime("%Y-%m-%d")


def _href(path: str, evidence_base: str) -> str:
    """Link to an evidence file: the recorded relative path, percent-encoded so that it can only
    ever be a relative reference (a ``javascript:`` path becomes ``javascript%3A``), under the base."""
    base = evidence_base
    if base and not base.endswith("/"):
        base += "/"
    return base + quote(path.lstrip("/"), safe="/-._~")


def _counts(raw: Any) -> dict[str, int]:
    data = _map(raw)
    out: dict[str, int] = {}
    for kind in labels.RESULT_KINDS:
        try:
            out[kind] = int(data.get(kind) or 0)
        except (TypeError, ValueError):
            out[kind] = 0
    return out


def _count_results(criteria: list[Mapping[str, Any]]) -> dict[str, int]:
    out = dict.fromkeys(labels.RESULT_KINDS, 0)
    for crit in criteria:
        kind = crit.get("result")
        if kind in out:
            out[kind] += 1
    return out


def _marks(mark: str, lang: str) -> tuple[str, str]:
    """Short gloss and tooltip of a mark; combined marks such as ``R/S`` explain each part."""
    parts = [p.strip() for p in mark.replace("+", "/").split("/") if p.strip()]
    known = [p for p in parts if p in labels.EVIDENCE_MARKS[lang]]
    gloss = " / ".join(labels.EVIDENCE_MARK_SHORT[lang][p] for p in known)
    tip = " | ".join(f"{p}: {labels.EVIDENCE_MARKS[lang][p]}" for p in known)
    return gloss, tip


def _verdict_view(code: Any, label: Any, lang: str) -> dict[str, str]:
    code_s = _s(code)
    text = _text(label, lang) if label else ""
    if not text:
        text = labels.VERDICT_LABELS[lang].get(code_s, code_s or "—")
    return {"code": code_s, "label": text, "css": _VERDICT_CLASS.get(code_s, "v-none")}


SCREENSHOT_SUFFIXES = (".jpg", ".jpeg", ".png")
SCREENSHOT_MAX_BYTES = 2 * 1024 * 1024


def _last_screenshot(
    evidence: list[dict[str, str]], result: str, evidence_dir: Path | None
) -> dict[str, str] | None:
    """For a criterion that failed through the UI: its last screenshot, inlined when the file is at hand.

    Inlining (a data: URI) keeps the report self-contained; without the run folder it is a link.
    """
    if result not in ("fail", "error"):
        return None
    shots = [e for e in evidence if e["path"].lower().endswith(SCREENSHOT_SUFFIXES)]
    if not shots:
        return None
    shot = dict(shots[-1])
    if evidence_dir is not None:
        f = Path(evidence_dir) / shot["path"]
        try:
            if f.is_file() and f.stat().st_size <= SCREENSHOT_MAX_BYTES:
                kind = "png" if f.suffix.lower() == ".png" else "jpeg"
                shot["src"] = f"data:image/{kind};base64," + base64.b64encode(f.read_bytes()).decode("ascii")
        except OSError:
            pass
    shot.setdefault("src", shot["href"])
    return shot


def _criterion_view(
    crit: Mapping[str, Any], lang: str, evidence_base: str, evidence_dir: Path | None = None
) -> dict[str, Any]:
    result = _s(crit.get("result"))
    mark = _s(crit.get("evidence_mark"))
    mark_gloss, mark_tip = _marks(mark, lang)
    basis = []
    for item in _list(crit.get("legal_basis")):
        item = _map(item)
        parts = [_s(item.get(k)) for k in ("instrument", "article", "clause")]
        basis.append({"ref": ", ".join(p for p in parts if p), "text": _s(item.get("text"))})
    checks = [
        {
            "ok": bool(_map(c).get("ok")),
            "judge": _s(_map(c).get("judge")),
            "on": _s(_map(c).get("on")),
            "message": _s(_map(c).get("message")),
        }
        for c in _list(crit.get("checks"))
    ]
    evidence = [
        {"path": _s(p), "href": _href(_s(p), evidence_base)} for p in _list(crit.get("evidence")) if p
    ]
    waiver = None
    if isinstance(crit.get("waiver"), Mapping):
        w = crit["waiver"]
        waiver = {
            "approver": _s(w.get("approver")),
            "reason": _s(w.get("reason")),
            "expires": _fmt_date(w.get("expires"), lang),
        }
    attestation = None
    if isinstance(crit.get("attestation"), Mapping):
        a = crit["attestation"]
        ev_file = _s(a.get("evidence_file"))
        attestation = {
            "evaluator": _s(a.get("evaluator")),
            "statement": _s(a.get("statement")),
            "evidence_file": ev_file,
            "evidence_href": _href(ev_file, evidence_base) if ev_file else "",
            "date": _fmt_date(a.get("date"), lang),
        }
    duration = crit.get("duration_s")
    level = _s(crit.get("level"))
    channel = _s(crit.get("channel"))
    return {
        "id": _s(crit.get("id")),
        "anchor": "crit-" + quote(_s(crit.get("id")), safe=""),
        "title": _text(crit.get("title"), lang),
        "level": labels.LEVEL_LABELS[lang].get(level, level),
        "mandatory": level == "bat-buoc",
        "channel": labels.CHANNEL_LABELS[lang].get(channel, channel),
        "mark": mark,
        "mark_gloss": mark_gloss,
        "mark_tip": mark_tip,
        "legal_basis": basis,
        "result": result,
        "result_label": labels.RESULT_LABELS[lang].get(result, result or "—"),
        "result_hint": labels.RESULT_HINTS[lang].get(result, ""),
        "message": _s(crit.get("message")),
        "checks": checks,
        "evidence": evidence,
        "screenshot": _last_screenshot(evidence, result, evidence_dir),
        "duration": f"{float(duration):.2f}" if isinstance(duration, int | float) else "",
        "waiver": waiver,
        "attestation": attestation,
    }


def build_view(
    results: Mapping[str, Any],
    *,
    lang: str = "vi",
    evidence_base: str = "",
    evidence_dir: Path | None = None,
) -> dict[str, Any]:
    """Flatten ``results.json`` into what the template shows.

    All defaulting, translation and formatting happens here, in plain Python, so the
    template stays a layout and the same view can feed other writers.
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported report language {lang!r}; expected one of {', '.join(LANGS)}")
    run = _map(results.get("run"))
    profile = _map(run.get("profile"))
    target = _map(run.get("target"))
    evaluator = _map(run.get("evaluator"))
    verdict = _map(results.get("verdict"))
    filters = _map(run.get("filters"))
    criteria_raw = [_map(c) for c in _list(results.get("criteria"))]

    # Areas: the verdict's order first, then any area only the criteria mention, then the law's order.
    area_meta: dict[str, dict[str, Any]] = {}
    for a in _list(verdict.get("areas")):
        a = _map(a)
        key = _s(a.get("area"))
        if key:
            area_meta[key] = dict(a)
    crit_areas = [_s(c.get("area")) for c in criteria_raw]
    known = [a for a in labels.AREA_ORDER if a in crit_areas and a not in area_meta]
    others = sorted({a for a in crit_areas if a not in area_meta and a not in labels.AREA_ORDER})
    order = [*area_meta, *known, *others]

    areas = []
    for number, key in enumerate(order, start=1):
        meta = area_meta.get(key, {})
        crits = [c for c in criteria_raw if _s(c.get("area")) == key]
        counts = _counts(meta["counts"]) if "counts" in meta else _count_results(crits)
        title = _text(meta.get("title"), lang) or labels.AREA_TITLES[lang].get(key, key)
        areas.append(
            {
                "key": key,
                "anchor": "area-" + quote(key, safe=""),
                "number": number,
                "title": title,
                "verdict": _verdict_view(meta.get("verdict"), None, lang) if meta.get("verdict") else None,
                "counts": counts,
                "total": sum(counts.values()),
                "criteria": [_criterion_view(c, lang, evidence_base, evidence_dir) for c in crits],
            }
        )

    total_counts = _counts(verdict["counts"]) if "counts" in verdict else _count_results(criteria_raw)
    complete = run.get("complete") is True
    finished = run.get("finished_at") or run.get("started_at")
    report_dt = _parse_dt(finished)
    date_line = ""
    if report_dt is not None:
        date_line = UI_TEXT[lang]["date_line"].format(
            d=f"{report_dt.day:02d}", m=f"{report_dt.month:02d}", y=f"{report_dt.year:04d}"
        )
    filter_parts = []
    for key in ("areas", "levels"):
        values = [_s(v) for v in _list(filters.get(key))]
        if values:
            filter_parts.append(f"{key}: {', '.join(values)}")
    for key in ("keyword", "markers"):
        if filters.get(key):
            filter_parts.append(f"{key}: {_s(filters.get(key))}")

    return {
        "lang": lang,
        "t": UI_TEXT[lang],
        "kinds": [
            {"key": k, "label": labels.RESULT_LABELS[lang][k], "hint": labels.RESULT_HINTS[lang][k]}
            for k in labels.RESULT_KINDS
        ],
        "marks": [{"key": k, "text": v} for k, v in labels.EVIDENCE_MARKS[lang].items()],
        "run": {
            "id": _s(run.get("id")),
            "started": _fmt_dt(run.get("started_at"), lang),
            "finished": _fmt_dt(run.get("finished_at"), lang),
            "complete": complete,
            "harness_version": _s(run.get("harness_version")),
            "evaluator": _s(evaluator.get("name")),
            "organisation": _s(evaluator.get("organisation")),
            "date_line": date_line,
            "filters": "; ".join(filter_parts),
            "excluded": [
                {
                    "id": _s(c.get("id")),
                    "title": _text(c.get("title"), lang),
                    "level": labels.LEVEL_LABELS[lang].get(_s(c.get("level")), _s(c.get("level"))),
                }
                for c in map(_map, _list(results.get("excluded")))
            ],
        },
        "profile": {
            "id": _s(profile.get("id")),
            "version": _s(profile.get("version")),
            "title": _text(profile.get("title"), lang),
            "regime": _s(profile.get("regime")),
            "sha256": _s(profile.get("sha256")),
        },
        "target": {
            "name": _s(target.get("name")),
            "product": _s(target.get("product")),
            "vendor": _s(target.get("vendor")),
            "version": _s(target.get("version")),
            "base_url": _s(target.get("base_url")),
            "sha256": _s(target.get("sha256")),
            "faults": [_s(f) for f in _list(target.get("faults"))],
        },
        "verdict": (
            _verdict_view(verdict.get("overall"), verdict.get("label"), lang)
            if verdict.get("overall")
            else None
        ),
        "reasons": [_s(r) for r in _list(verdict.get("reasons"))],
        "counts": total_counts,
        "total": sum(total_counts.values()),
        "areas": areas,
        "coverage": coverage_view(results.get("coverage"), criteria_raw, lang),
    }


def render_html(
    results: Mapping[str, Any], *, lang: str = "vi", evidence_base: str = "", evidence_dir: Path | None = None
) -> str:
    """Render the certification report as one self-contained HTML document (NFC UTF-8 text)."""
    view = build_view(results, lang=lang, evidence_base=evidence_base, evidence_dir=evidence_dir)
    html = _env().get_template("report.html.j2").render(**view)
    return unicodedata.normalize("NFC", html)
