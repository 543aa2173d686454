"""Bilingual vocabulary of the reports.

Kept apart from the HTML writer so every writer (HTML, PDF, console, JUnit
summaries) names a verdict or a result kind with exactly the same words: an
evaluator comparing two reports must never see two labels for one state.
"""

from __future__ import annotations

RESULT_KINDS: tuple[str, ...] = (
    "pass",
    "fail",
    "not_applicable",
    "skipped",
    "waived",
    "attested",
    "error",
)
"""Result kinds in display order (DESIGN §4)."""

RESULT_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "pass": "Đạt",
        "fail": "Không đạt",
        "not_applicable": "Không áp dụng",
        "skipped": "Chưa kiểm tra được",
        "waived": "Được miễn trừ",
        "attested": "Xác nhận thủ công",
        "error": "Lỗi công cụ",
    },
    "en": {
        "pass": "Pass",
        "fail": "Fail",
        "not_applicable": "Not applicable",
        "skipped": "Not verified",
        "waived": "Waived",
        "attested": "Attested",
        "error": "Harness error",
    },
}

RESULT_HINTS: dict[str, dict[str, str]] = {
    "vi": {
        "pass": "Phần mềm đáp ứng tiêu chí, có bằng chứng ghi lại.",
        "fail": "Phần mềm không đáp ứng tiêu chí.",
        "not_applicable": "Bản tự công bố năng lực cho biết chức năng không có; "
        "chỉ dùng cho tiêu chí có điều kiện.",
        "skipped": "Không kiểm tra được; chặn việc cấp chứng nhận.",
        "waived": "Được miễn trừ có ghi người phê duyệt, lý do và thời hạn.",
        "attested": "Kiểm tra thủ công, có bằng chứng và người đánh giá xác nhận.",
        "error": "Lỗi của công cụ kiểm tra; lần chạy không hợp lệ.",
    },
    "en": {
        "pass": "The software meets the criterion; evidence is recorded.",
        "fail": "The software does not meet the criterion.",
        "not_applicable": "The capability statement says the feature is absent; conditional criteria only.",
        "skipped": "Could not be verified; blocks certification.",
        "waived": "Waived, with a recorded approver, reason and expiry.",
        "attested": "Checked by hand, with evidence and the evaluator's statement.",
        "error": "A fault of the harness; the run is invalid.",
    },
}

VERDICT_LABELS: dict[str, dict[str, str]] = {
    "vi": {"DAT": "ĐẠT", "KHONG_DAT": "KHÔNG ĐẠT", "CHUA_DU_CAN_CU": "CHƯA ĐỦ CĂN CỨ"},
    "en": {"DAT": "CERTIFIED", "KHONG_DAT": "NOT CERTIFIED", "CHUA_DU_CAN_CU": "INSUFFICIENT EVIDENCE"},
}

LEVEL_LABELS: dict[str, dict[str, str]] = {
    "vi": {"bat-buoc": "Bắt buộc", "khuyen-nghi": "Khuyến nghị"},
    "en": {"bat-buoc": "Mandatory", "khuyen-nghi": "Recommended"},
}

CHANNEL_LABELS: dict[str, dict[str, str]] = {
    "vi": {"api": "API", "ui": "Giao diện web", "exchange": "Liên thông qua trục", "manual": "Thủ công"},
    "en": {"api": "API", "ui": "Web UI", "exchange": "Axis exchange", "manual": "Manual"},
}

AREA_ORDER: tuple[str, ...] = ("gui-nhan", "lap-ho-so", "luu-tru", "nop-luu")
"""Order of the four areas of the law, used when results.json omits the verdict."""

AREA_TITLES: dict[str, dict[str, str]] = {
    "vi": {
        "gui-nhan": "Gửi, nhận văn bản điện tử",
        "lap-ho-so": "Lập hồ sơ điện tử",
        "luu-tru": "Lưu trữ điện tử",
        "nop-luu": "Nộp lưu hồ sơ, tài liệu điện tử",
    },
    "en": {
        "gui-nhan": "Sending and receiving electronic documents",
        "lap-ho-so": "Electronic dossier creation",
        "luu-tru": "Electronic archiving",
        "nop-luu": "Transfer to the archives",
    },
}

EVIDENCE_MARKS: dict[str, dict[str, str]] = {
    "vi": {
        "R": "Đọc trực tiếp trong văn bản pháp luật: căn cứ chuẩn tắc, có thể là tiêu chí chặn.",
        "S": "Nguồn thứ cấp (tóm tắt, hỏi đáp) hoặc bản cài đặt tham chiếu: căn cứ tạm thời, "
        "chỉ chặn khi chủ bộ tiêu chí xác nhận.",
        "I": "Suy luận khi thiết kế phép kiểm: chỉ có giá trị khuyến nghị, "
        "không bao giờ là căn cứ duy nhất để kết luận không đạt.",
    },
    "en": {
        "R": "Read in the legal text itself: normative, may block certification.",
        "S": "Secondary source or reference implementation: provisional, "
        "blocking only once the profile owner confirms it.",
        "I": "Inference made in test design: advisory only, never the sole ground for a fail.",
    },
}
"""Meaning of the evidence marks (shared/domain README), shown as tooltips and in the legend."""

EVIDENCE_MARK_SHORT: dict[str, dict[str, str]] = {
    "vi": {"R": "văn bản pháp luật", "S": "nguồn thứ cấp", "I": "suy luận"},
    "en": {"R": "legal text", "S": "secondary source", "I": "inference"},
}
"""Short gloss printed next to the mark, since a printed page has no tooltips."""
