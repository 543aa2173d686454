"""Faults of area 2, lập hồ sơ điện tử: dossiers, codes, metadata, closing, exports."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

FAULTS: list[Fault] = [
    Fault(
        "doc_code_without_date",
        f"Mã định danh văn bản đi gồm mã định danh cơ quan ban hành, ngày ban hành và "
        f"số, ký hiệu văn bản ({N30} Phụ lục VI Phần III mục 1.c; edXML OrganId,yyyy/MM/dd,Số/Ký hiệu)",
        "doc_code is 'OrganId,Số/Ký hiệu' (the date is missing); the edXML DocumentId sent over the "
        "axis is the same code (area 1).",
        ["DS-030", "SR-010a", "SR-032"],
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
]
