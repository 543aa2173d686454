"""The report's annex: the coverage of the law, as recorded in ``results.json`` at the start of the run.

Every legal requirement row of the profile's regime is listed with the criteria that verify it and
their result in this run, or the reason it is not tested; gaps are said in words, so a reader of the
signed record sees which requirements the verdict does not speak for.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from conformance.catalogue.coverage import STATUSES, status_label
from conformance.report import labels

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "PHỤ LỤC: ĐỐI CHIẾU YÊU CẦU PHÁP LÝ VỚI TIÊU CHÍ KIỂM TRA",
        "intro": "Bộ tiêu chí {profile} {version}, chế độ pháp lý {regime}: {n} dòng yêu cầu của danh mục "
        "tiêu chí được đối chiếu; mỗi dòng có tiêu chí kiểm tra hoặc lý do chưa kiểm tra.",
        "reasons_file": "Tệp lý do",
        "gaps": "{n} dòng yêu cầu là khoảng trống (chưa có tiêu chí kiểm tra): kết luận của biên bản "
        "này không bao gồm các yêu cầu đó.",
        "unaccounted": "{n} dòng không có tiêu chí cũng không có lý do: {ids}.",
        "row": "Dòng",
        "requirement": "Yêu cầu",
        "basis": "Căn cứ",
        "mark": "CC",
        "status": "Đối chiếu",
        "count": "Số dòng",
        "not_run": "không chạy trong lần này",
        "absent": "Lần chạy không ghi đối chiếu yêu cầu pháp lý.",
        "manual": "thủ công",
    },
    "en": {
        "title": "ANNEX: COVERAGE OF THE LAW BY THE CRITERIA",
        "intro": "Profile {profile} {version}, legal regime {regime}: {n} requirement rows of the criteria "
        "catalogue; each has a criterion that tests it or the reason it is not tested.",
        "reasons_file": "Reasons file",
        "gaps": "{n} requirement rows are gaps (no criterion tests them yet): the verdict of this record "
        "does not speak for them.",
        "unaccounted": "{n} rows have neither a criterion nor a reason: {ids}.",
        "row": "Row",
        "requirement": "Requirement",
        "basis": "Basis",
        "mark": "Ev.",
        "status": "Coverage",
        "count": "Rows",
        "not_run": "not run this time",
        "absent": "The run recorded no coverage of the law.",
        "manual": "manual",
    },
}


def _s(value: Any) -> str:
    return "" if value is None else unicodedata.normalize("NFC", str(value))


def _label(status: str, lang: str) -> str:
    return status_label(status)[lang] if status in STATUSES else status


def coverage_view(coverage: Any, criteria: list[Mapping[str, Any]], lang: str) -> dict[str, Any] | None:
    """What the annex shows, or None when the run recorded no coverage (older runs)."""
    if not isinstance(coverage, Mapping) or not isinstance(coverage.get("rows"), list):
        return None
    t = TEXT[lang]
    results = {_s(c.get("id")): _s(c.get("result")) for c in criteria}
    areas: dict[str, list[dict[str, Any]]] = {}
    for raw in coverage["rows"]:
        if not isinstance(raw, Mapping):
            continue
        status = _s(raw.get("status"))
        verifiers = []
        for v in raw.get("criteria") or []:
            cid = _s(v.get("id"))
            result = results.get(cid, "")
            verifiers.append(
                {
                    "id": cid,
                    "anchor": ("#crit-" + quote(cid, safe="")) if result else "",
                    "manual": not v.get("automated", True),
                    "result": result,
                    "result_label": labels.RESULT_LABELS[lang].get(result, t["not_run"]),
                }
            )
        reason = raw.get("reason") if isinstance(raw.get("reason"), Mapping) else {}
        note = reason.get("note") if isinstance(reason.get("note"), Mapping) else {}
        req = raw.get("requirement") if isinstance(raw.get("requirement"), Mapping) else {}
        areas.setdefault(_s(raw.get("area")), []).append(
            {
                "id": _s(raw.get("id")),
                "requirement": _s(req.get(lang) or req.get("vi")),
                "basis": _s(raw.get("basis")),
                "mark": _s(raw.get("evidence_mark")),
                "status": status,
                "status_label": _label(status, lang),
                "gap": bool(raw.get("gap")),
                "criteria": verifiers,
                "note": _s(note.get(lang) or note.get("vi")),
                "see": _s(reason.get("see")),
            }
        )
    order = [a for a in labels.AREA_ORDER if a in areas] + sorted(
        a for a in areas if a not in labels.AREA_ORDER
    )
    profile = coverage.get("profile") if isinstance(coverage.get("profile"), Mapping) else {}
    counts = coverage.get("counts") if isinstance(coverage.get("counts"), Mapping) else {}
    n = sum(len(v) for v in areas.values())
    gaps = [r["id"] for rows in areas.values() for r in rows if r["status"] == "gap"]
    unaccounted = [r["id"] for rows in areas.values() for r in rows if r["status"] == "unaccounted"]
    return {
        "t": t,
        "intro": t["intro"].format(
            profile=_s(profile.get("id")),
            version=_s(profile.get("version")),
            regime=_s(coverage.get("regime")),
            n=n,
        ),
        "reasons_file": _s(coverage.get("reasons_file")),
        "counts": [
            {"status": k, "label": _label(k, lang), "n": int(v), "gap": k in ("gap", "unaccounted")}
            for k, v in counts.items()
            if isinstance(v, int) and v
        ],
        "gaps": t["gaps"].format(n=len(gaps)) if gaps else "",
        "unaccounted": t["unaccounted"].format(n=len(unaccounted), ids=", ".join(unaccounted))
        if unaccounted
        else "",
        "areas": [{"key": a, "title": labels.AREA_TITLES[lang].get(a, a), "rows": areas[a]} for a in order],
    }
