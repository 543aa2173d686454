"""Faults the harness must catch before any criterion runs (preflight)."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

FAULTS: list[Fault] = [
    Fault(
        "health_clock_skewed",
        f"Đồng hồ của Hệ thống phải đúng giờ Việt Nam (UTC+07:00) để ngày ban hành, số văn bản "
        f"và thời gian ký số chính xác ({N30} Điều 15.1, Phụ lục I; kiểm tra trước khi chạy)",
        "/api/health reports `now` two hours ahead of the system clock (a preflight fault).",
        [],
        preflight=True,
    ),
]
