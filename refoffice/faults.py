"""Fault switches: deliberate, documented departures from one rule each.

The harness runs against the reference with a fault on and must then fail exactly the
criteria in `expect_fail`; that proves each check can actually fail. `expect_fail` is
metadata for the harness and never changes behaviour here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

N30 = "NĐ 30/2020/NĐ-CP"


@dataclass(frozen=True)
class Fault:
    """One switch: the rule it breaks (Vietnamese, with legal basis) and what should then fail."""

    name: str
    rule: str
    description_en: str
    expect_fail: list[str] = field(default_factory=list)
    preflight: bool = False


FAULTS: dict[str, Fault] = {
    f.name: f
    for f in [
        Fault(
            "numbering_no_year_restart",
            f"Số văn bản đi bắt đầu từ 01 vào ngày 01 tháng 01 và kết thúc vào ngày 31 tháng 12 hằng năm "
            f"({N30} Điều 15.1)",
            "Outgoing numbers continue across years instead of restarting at 1 on 1 January.",
            ["SR-061"],
        ),
        Fault(
            "code_number_not_padded",
            f"Số của văn bản ghi bằng chữ số Ả Rập, số nhỏ hơn 10 phải ghi thêm số 0 phía trước "
            f"({N30} Phụ lục I Phần I mục II.3)",
            'code_number and so_ky_hieu carry "5" instead of "05"; doc_code keeps the padded form.',
            ["SR-063"],
        ),
        Fault(
            "manual_number_required",
            f"Hệ thống tự động cấp số văn bản đi ({N30} Phụ lục VI Phần III mục 1.đ)",
            "No number is assigned (code_number and so_ky_hieu null) unless the client supplies code_number; "
            "doc_code is still built from a padded internal counter. Every criterion that reads the "
            "assigned number fails with it.",
            ["SR-061", "SR-063", "SR-069"],
        ),
        Fault(
            "manual_number_accepted",
            f"Số văn bản đi do Hệ thống cấp, người dùng không tự đặt ({N30} Phụ lục VI Phần III mục 1.đ; "
            f"Điều 15.1)",
            "A code_number typed by the client is taken over instead of being refused; numbers are still "
            "assigned automatically when none is given.",
            ["SR-069"],
        ),
        Fault(
            "subject_length_unchecked",
            f"Trích yếu nội dung văn bản đi dài tối đa 500 ký tự ({N30} Phụ lục VI Phần II.I trường 8)",
            "Outgoing subject is accepted up to 2000 characters.",
            ["SR-070"],
        ),
        Fault(
            "organ_id_not_autofilled",
            f"Hệ thống tự động điền mã định danh cơ quan (trường 1.1) của văn bản đi "
            f"({N30} Phụ lục VI Phần III mục 1.g)",
            "The outgoing document's organ_id is left null (doc_code still uses the configured code).",
            ["SR-071"],
        ),
        Fault(
            "doc_code_without_date",
            f"Mã định danh văn bản đi gồm mã định danh cơ quan ban hành, ngày ban hành và "
            f"số, ký hiệu văn bản ({N30} Phụ lục VI Phần III mục 1.c; edXML OrganId,yyyy/MM/dd,Số/Ký hiệu)",
            "doc_code is 'OrganId,Số/Ký hiệu' (the date is missing).",
            ["DS-030"],
        ),
        Fault(
            "dossier_title_length_unchecked",
            f"Tiêu đề hồ sơ dài tối đa 500 ký tự ({N30} Phụ lục V mục I.3; Phụ lục VI Phần II.III trường 2)",
            "Dossier title is accepted up to 2000 characters.",
            ["DS-006"],
        ),
        Fault(
            "maintenance_free_text",
            f"Thời hạn bảo quản hồ sơ ghi “Vĩnh viễn” hoặc một số năm cụ thể ({N30} Phụ lục V mục I.4)",
            'Maintenance accepts any non-empty text of at most 30 characters (e.g. "lâu dài").',
            ["DS-007"],
        ),
        Fault(
            "dossier_start_date_optional",
            f"Hồ sơ không có trong Danh mục hồ sơ phải có tiêu đề, số và ký hiệu, thời hạn bảo quản, "
            f"người lập và thời gian bắt đầu ({N30} Điều 29.2.c)",
            "A dossier without start_date is accepted (start_date null).",
            ["DS-010"],
        ),
        Fault(
            "file_code_not_unique",
            f"Hệ thống tạo mã hồ sơ duy nhất gồm mã định danh cơ quan, năm hình thành và số và ký hiệu hồ sơ "
            f"({N30} Phụ lục VI Phần III mục 4.b; Phần II.III trường 1)",
            "file_code omits the file_notation (organ_id.year) and duplicates are not refused.",
            ["DS-011"],
        ),
        Fault(
            "doc_ordinal_not_assigned",
            f"Hệ thống tự động đánh số thứ tự văn bản trong hồ sơ ({N30} Phụ lục VI Phần III mục 4.b)",
            "Every attached document gets doc_ordinal 1.",
            ["DS-012"],
        ),
        Fault(
            "dossier_totals_not_updated",
            f"Hệ thống tự động cập nhật tổng số văn bản và tổng số trang của hồ sơ (trường 9, 10) "
            f"({N30} Phụ lục VI Phần III mục 1.g)",
            "doc_total and page_total stay 0 when documents are attached.",
            ["DS-022"],
        ),
        Fault(
            "health_clock_skewed",
            f"Đồng hồ của Hệ thống phải đúng giờ Việt Nam (UTC+07:00) để ngày ban hành, số văn bản "
            f"và thời gian ký số chính xác ({N30} Điều 15.1, Phụ lục I; kiểm tra trước khi chạy)",
            "/api/health reports `now` two hours ahead of the system clock (a preflight fault).",
            [],
            preflight=True,
        ),
    ]
}


class UnknownFaultError(ValueError):
    """A name that is not in the registry."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class FaultState:
    """The set of enabled faults, switchable at run time without a restart."""

    def __init__(self, enabled: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._enabled: frozenset[str] = frozenset()
        self.replace(enabled)

    def replace(self, names: Iterable[str]) -> list[str]:
        """Replace the enabled set; unknown names are refused as a whole."""
        wanted = list(dict.fromkeys(names))
        unknown = [n for n in wanted if n not in FAULTS]
        if unknown:
            raise UnknownFaultError(unknown)
        with self._lock:
            self._enabled = frozenset(wanted)
        return self.enabled()

    def enabled(self) -> list[str]:
        """Enabled names in registry order, for stable output."""
        current = self._enabled
        return [name for name in FAULTS if name in current]

    def on(self, name: str) -> bool:
        """Whether `name` is enabled; an unknown name is a programming error."""
        if name not in FAULTS:
            raise KeyError(name)
        return name in self._enabled

    def describe(self) -> list[dict[str, object]]:
        """The registry with the enabled flag, as /__control__/faults returns it."""
        current = self._enabled
        return [{**asdict(f), "enabled": f.name in current} for f in FAULTS.values()]
