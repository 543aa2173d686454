"""Verdict rules (DESIGN §4), as pure functions over criterion results.

A criterion ends as one of: pass, fail, not_applicable (only a conditional criterion whose feature
the vendor does not claim), skipped (could not be verified: blocks certification), waived (a valid,
unexpired waiver on a failure), attested (a manual criterion, or one that could not run, confirmed
by an evaluator with evidence), error (a harness fault: the run is invalid).

Overall: ĐẠT only when every mandatory criterion is pass, waived, attested or not applicable, at
least one mandatory criterion of each area actually ran, and the run is complete; KHÔNG ĐẠT when
any mandatory criterion fails; otherwise CHƯA ĐỦ CĂN CỨ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.catalogue.model import AREAS, Criterion
from conformance.errors import EXIT_DAT, EXIT_HARNESS, EXIT_INCOMPLETE, EXIT_KHONG_DAT

RESULTS = ("pass", "fail", "not_applicable", "skipped", "waived", "attested", "error")
OVERALL_LABELS = {
    "DAT": {"vi": "ĐẠT", "en": "CERTIFIED"},
    "KHONG_DAT": {"vi": "KHÔNG ĐẠT", "en": "NOT CERTIFIED"},
    "CHUA_DU_CAN_CU": {"vi": "CHƯA ĐỦ CĂN CỨ", "en": "INSUFFICIENT EVIDENCE"},
}
OK_MANDATORY = frozenset({"pass", "waived", "attested", "not_applicable"})
RAN = frozenset({"pass", "fail", "waived", "attested"})


@dataclass(frozen=True)
class Waiver:
    criterion: str
    approver: str
    reason: str
    expires: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {"approver": self.approver, "reason": self.reason, "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class Attestation:
    criterion: str
    evaluator: str
    statement: str
    evidence_file: str
    date: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "evaluator": self.evaluator,
            "statement": self.statement,
            "evidence_file": self.evidence_file,
            "date": self.date.isoformat(),
        }


@dataclass
class Settled:
    result: str
    message: str
    waiver: dict[str, Any] | None = None
    attestation: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def settle(
    criterion: Criterion,
    raw: str,
    message: str,
    *,
    waiver: Waiver | None = None,
    attestation: Attestation | None = None,
    today: dt.date | None = None,
) -> Settled:
    """Turn what the engine observed into the criterion's final result, applying the rules."""
    today = today or dt.date.today()
    if raw not in RESULTS:
        return Settled("error", f"kết quả không hợp lệ từ công cụ: {raw!r}")
    if raw == "not_applicable" and not criterion.conditional:
        return Settled(
            "skipped",
            "Không được coi là không áp dụng: tiêu chí này không có điều kiện áp dụng "
            f"(mọi hệ thống phải đáp ứng). {message}".strip(),
        )
    if raw in ("skipped",) and attestation is not None:
        return Settled(
            "attested",
            f"Xác nhận bởi {attestation.evaluator}: {attestation.statement}",
            attestation=attestation.as_dict(),
        )
    if raw == "fail" and waiver is not None:
        if waiver.expires < today:
            return Settled(
                "fail",
                f"{message} (Miễn trừ của {waiver.approver} đã hết hạn ngày "
                f"{waiver.expires:%d/%m/%Y}, không được áp dụng.)",
                notes=["waiver_expired"],
            )
        return Settled("waived", f"{message} — được miễn trừ: {waiver.reason}", waiver=waiver.as_dict())
    return Settled(raw, message)


@dataclass
class Verdict:
    overall: str
    reasons: list[str]
    counts: dict[str, int]
    areas: list[dict[str, Any]]

    @property
    def exit_code(self) -> int:
        if self.counts.get("error"):
            return EXIT_HARNESS
        return {"DAT": EXIT_DAT, "KHONG_DAT": EXIT_KHONG_DAT}.get(self.overall, EXIT_INCOMPLETE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "label": OVERALL_LABELS[self.overall],
            "reasons": self.reasons,
            "counts": self.counts,
            "areas": self.areas,
        }


def _counts(results: Iterable[str]) -> dict[str, int]:
    c = dict.fromkeys(RESULTS, 0)
    for r in results:
        c[r] = c.get(r, 0) + 1
    return c


def overall(rows: list[dict[str, Any]], *, complete: bool = True) -> Verdict:
    """The overall and per-area verdicts from rows with ``id, area, level, result``."""
    reasons: list[str] = []
    areas = []
    for area, title in AREAS.items():
        mine = [r for r in rows if r["area"] == area]
        if not mine:
            continue
        mand = [r for r in mine if r["level"] == "bat-buoc"]
        if any(r["result"] == "fail" for r in mand):
            v = "KHONG_DAT"
        elif (
            mand and all(r["result"] in OK_MANDATORY for r in mand) and any(r["result"] in RAN for r in mand)
        ):
            v = "DAT"
        elif (
            not mand
            and not any(r["result"] == "fail" for r in mine)
            and any(r["result"] in RAN for r in mine)
        ):
            v = "DAT"
        else:
            v = "CHUA_DU_CAN_CU"
        areas.append(
            {
                "area": area,
                "title": title,
                "verdict": v,
                "label": OVERALL_LABELS[v],
                "counts": _counts(r["result"] for r in mine),
            }
        )
    counts = _counts(r["result"] for r in rows)
    fails = [r["id"] for r in rows if r["level"] == "bat-buoc" and r["result"] == "fail"]
    open_ = [r["id"] for r in rows if r["level"] == "bat-buoc" and r["result"] not in OK_MANDATORY | {"fail"}]
    errors = [r["id"] for r in rows if r["result"] == "error"]
    rec_fails = [r["id"] for r in rows if r["level"] != "bat-buoc" and r["result"] == "fail"]
    if fails:
        reasons.append(f"{len(fails)} tiêu chí bắt buộc không đạt: {', '.join(fails)}.")
    if open_:
        reasons.append(
            f"{len(open_)} tiêu chí bắt buộc chưa có căn cứ (chưa kiểm tra được hoặc chưa xác nhận): "
            f"{', '.join(open_)}."
        )
    if errors:
        reasons.append(f"Lỗi của công cụ kiểm tra ở {', '.join(errors)}: lần chạy không hợp lệ.")
    empty = [a["title"]["vi"] for a in areas if a["verdict"] == "CHUA_DU_CAN_CU"]
    if empty and not open_:
        reasons.append(f"Không có tiêu chí bắt buộc nào thực sự được kiểm tra ở: {', '.join(empty)}.")
    if not complete:
        reasons.append("Lần chạy bị gián đoạn: kết quả chưa đầy đủ.")
    if rec_fails:
        reasons.append(f"Tiêu chí khuyến nghị không đạt (không ảnh hưởng kết luận): {', '.join(rec_fails)}.")
    if not rows:
        reasons.append("Không có tiêu chí nào được chọn.")
    if fails:
        result = "KHONG_DAT"
    elif rows and complete and not errors and areas and all(a["verdict"] == "DAT" for a in areas):
        result = "DAT"
        reasons.insert(0, "Mọi tiêu chí bắt buộc đều đạt, được miễn trừ hợp lệ hoặc được xác nhận.")
    else:
        result = "CHUA_DU_CAN_CU"
    return Verdict(result, reasons, counts, areas)
