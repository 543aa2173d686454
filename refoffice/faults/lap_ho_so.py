"""Faults of area 2, lập hồ sơ điện tử: file plan, dossiers, codes, metadata, closing, outputs."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

TT05 = "TT 05/2025/TT-BNV"

FAULTS: list[Fault] = [
    # -- Danh mục hồ sơ (Điều 28, Phụ lục V) -----------------------------------------------------------
    Fault(
        "file_plan_list_current_year_only",
        f"Danh mục hồ sơ được lập cho từng năm và lưu trong Hệ thống ({N30} Điều 28; Phụ lục VI Phần III "
        f"mục 4.a)",
        "Listing the file plans of a year shows those of the current year instead.",
        ["DS-001"],
    ),
    Fault(
        "file_plan_approval_any_role",
        f"Danh mục hồ sơ do người đứng đầu cơ quan, tổ chức phê duyệt ({N30} Điều 28)",
        "Any account, not only the head of the agency (lãnh đạo), can approve and issue a file plan.",
        ["DS-002"],
    ),
    Fault(
        "file_plan_headings_arabic",
        f"Các đề mục lớn được đánh số liên tục bằng chữ số La Mã ({N30} Phụ lục V mục I.1)",
        "Đề mục lớn are numbered 1, 2, 3 instead of I, II, III.",
        ["DS-003"],
    ),
    Fault(
        "file_plan_footer_miscounted",
        f"Danh mục hồ sơ ghi tổng số hồ sơ, số hồ sơ bảo quản vĩnh viễn và có thời hạn "
        f"({N30} Phụ lục V mục II)",
        "The footer of the printed file plan counts every dossier as limited-retention (0 vĩnh viễn).",
        ["DS-004"],
    ),
    Fault(
        "file_plan_numbering_ignores_scope",
        f"Số của hồ sơ được đánh liên tục trong phạm vi từng đề mục lớn, bắt đầu từ số 01, khi cơ quan "
        f"chọn cách đánh số này ({N30} Phụ lục V mục I.2)",
        "The 'theo_de_muc' numbering is ignored: numbers run on across the whole plan.",
        ["DS-005"],
    ),
    # -- Mở hồ sơ (Điều 29.2) -------------------------------------------------------------------------------
    Fault(
        "dossier_title_length_unchecked",
        f"Tiêu đề hồ sơ dài tối đa 500 ký tự, 1000 ký tự theo {TT05} ({N30} Phụ lục V mục I.3; "
        f"Phụ lục VI Phần II.III trường 2)",
        "Dossier title is accepted up to 5000 characters.",
        ["DS-006"],
    ),
    Fault(
        "maintenance_free_text",
        f"Thời hạn bảo quản hồ sơ ghi “Vĩnh viễn” hoặc một số năm cụ thể ({N30} Phụ lục V mục I.4)",
        'Maintenance accepts any non-empty text of at most 30 characters (e.g. "lâu dài").',
        ["DS-007"],
    ),
    Fault(
        "plan_entry_open_by_anyone",
        f"Cá nhân được giao nhiệm vụ giải quyết công việc mở hồ sơ theo Danh mục hồ sơ ({N30} Điều 29.2.a)",
        "Any account can open the dossier of a file-plan entry assigned to someone else.",
        ["DS-008"],
    ),
    Fault(
        "plan_entry_maintenance_not_inherited",
        f"Cập nhật những thông tin ban đầu về hồ sơ theo Danh mục hồ sơ đã ban hành ({N30} Điều 29.2.b)",
        "A dossier opened from a file-plan entry does not take over the entry's thời hạn bảo quản.",
        ["DS-009"],
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
        "file_code omits the file_notation (organ_id.year) and duplicates are not refused. The .xml "
        "exports (area 2's and the one handed to the archive) then carry the malformed code too.",
        ["DS-011", "DS-017", "TR-014a"],
    ),
    Fault(
        "dossier_open_denied_to_luu_tru_vien",
        f"Mỗi cá nhân phải lập hồ sơ về công việc được giao ({N30} Điều 31.3.b)",
        "An archivist (lưu trữ viên) cannot open a dossier of their own work.",
        ["DS-028"],
    ),
    # -- Văn bản trong hồ sơ (Phụ lục VI Phần III.4) ---------------------------------------------------
    Fault(
        "doc_ordinal_not_assigned",
        f"Hệ thống tự động đánh số thứ tự văn bản trong hồ sơ ({N30} Phụ lục VI Phần III mục 4.b)",
        "Every attached document gets doc_ordinal 1 (so do the mục lục, the .xml exports and the SIP).",
        ["DS-012", "DS-017", "DS-023", "TR-014a", "TR-014b"],
    ),
    Fault(
        "dossier_view_documents_without_code",
        f"Hệ thống liên kết toàn bộ văn bản, tài liệu có cùng mã hồ sơ ({N30} Phụ lục VI Phần III mục 4.c)",
        "The dossier record lists its documents without the dossier's code (field 1 of each document).",
        ["DS-013"],
    ),
    Fault(
        "dossier_plan_link_missing",
        f"Hệ thống liên kết các trường thông tin trong Danh mục hồ sơ với hồ sơ ({N30} Phụ lục VI Phần III "
        f"mục 4.d)",
        "A dossier opened from the file plan does not show the plan entry it belongs to.",
        ["DS-014"],
    ),
    Fault(
        "dossier_list_ignores_owner",
        f"Hệ thống liên kết và thống kê toàn bộ hồ sơ của một tài khoản ({N30} Phụ lục VI Phần III mục 4.đ)",
        "Listing one account's dossiers returns every account's dossiers.",
        ["DS-015"],
    ),
    Fault(
        "document_in_one_dossier_only",
        f"Gán một văn bản cho nhiều hồ sơ của nhiều tài khoản mà không nhân bản ({N30} Phụ lục VI Phần III "
        f"mục 4.e)",
        "A document already filed in a dossier cannot be filed in another one (so no package can share it "
        "as a holey file).",
        ["DS-016", "TR-030"],
    ),
    Fault(
        "dossier_totals_not_updated",
        f"Hệ thống tự động cập nhật tổng số văn bản và tổng số trang của hồ sơ (trường 9, 10) "
        f"({N30} Phụ lục VI Phần III mục 1.g)",
        "doc_total and page_total stay 0 when documents are attached (so does the .xml export).",
        ["DS-017", "DS-022"],
    ),
    Fault(
        "filed_document_fields_not_filled",
        f"Hệ thống tự động cập nhật trường 1.1, 1.2, 2 của văn bản trong hồ sơ ({N30} Phụ lục VI Phần III "
        f"mục 1.g)",
        "The record of a filed document leaves organ_id (1.1) and file_catalog (1.2) empty.",
        ["DS-033"],
    ),
    Fault(
        "filed_document_file_code_wrong",
        f"Dữ liệu đặc tả của văn bản trong hồ sơ mang mã hồ sơ của hồ sơ đó ({N30} Phụ lục VI Phần II.I "
        f"trường 1)",
        "The record of a filed document carries the document's own code instead of the dossier's code.",
        ["DS-034"],
    ),
    # -- Kết xuất (Phụ lục VI Phần III.4.g, Phần V.5) -------------------------------------------------
    Fault(
        "export_not_chronological",
        f"Kết xuất toàn bộ văn bản, dữ liệu đặc tả của hồ sơ bảo đảm trình tự thời gian hình thành "
        f"({N30} Phụ lục VI Phần III mục 4.g)",
        "The .xml export lists documents in the order they were filed, not in date order.",
        ["DS-017"],
    ),
    Fault(
        "export_document_file_code_wrong",
        f"Mỗi văn bản trong hồ sơ kết xuất mang mã hồ sơ của hồ sơ ({N30} Phụ lục VI Phần II.I trường 1; "
        f"Phần III mục 4.g)",
        "In the .xml export each document carries its own doc_code as FileCode.",
        ["DS-017"],
    ),
    Fault(
        "document_index_not_in_ordinal_order",
        f"Mục lục văn bản, tài liệu trong hồ sơ xếp theo số thứ tự văn bản ({N30} Phụ lục V mục IV; "
        f"Phụ lục VI Phần V mục 5)",
        "The mục lục lists documents newest first instead of by số thứ tự.",
        ["DS-023"],
    ),
    # -- Thông tin đầu vào (Phụ lục VI Phần II.III) -----------------------------------------------------
    Fault(
        "dossier_description_length_unchecked",
        f"Ghi chú của hồ sơ dài tối đa 500 ký tự, 2000 ký tự theo {TT05} ({N30} Phụ lục VI Phần II.III "
        f"trường 11)",
        "Dossier description is accepted up to 5000 characters.",
        ["DS-024"],
    ),
    Fault(
        "dossier_rights_not_updatable",
        f"Chế độ sử dụng của hồ sơ được ghi và cập nhật ({N30} Phụ lục VI Phần II.III trường 4)",
        "Updating the dossier's rights is answered 200 but the old value is kept.",
        ["DS-025"],
    ),
    Fault(
        "creator_length_unchecked",
        f"Người lập hồ sơ dài tối đa 30 ký tự ({N30} Phụ lục VI Phần II.III trường 5)",
        "Dossier creator is accepted up to 5000 characters.",
        ["DS-026"],
    ),
    # -- Kết thúc, bàn giao (Điều 29.4, Điều 31.3.đ) --------------------------------------------------
    Fault(
        "closed_dossier_accepts_documents",
        f"Kết thúc hồ sơ khi công việc đã giải quyết xong ({N30} Điều 29.4.a)",
        "Documents can still be filed in a closed dossier.",
        ["DS-019"],
    ),
    Fault(
        "dossier_changes_not_audited",
        f"Khi kết thúc hồ sơ, rà soát, loại bản trùng, bản nháp, xác định lại thời hạn bảo quản, chỉnh sửa "
        f"tiêu đề, số và ký hiệu hồ sơ; Hệ thống lưu thông tin quá trình xử lý ({N30} Điều 29.4.b; "
        f"Phụ lục VI Phần III mục 5.a)",
        "Changes to a dossier and documents taken out of it leave no trace in its history.",
        ["DS-020"],
    ),
    Fault(
        "close_skips_missing_field_check",
        f"Người lập hồ sơ cập nhật vào Hệ thống các thông tin còn thiếu trước khi kết thúc hồ sơ "
        f"({N30} Điều 29.4.d)",
        "A dossier is closed although its rights are missing and it holds no document.",
        ["DS-021"],
    ),
    Fault(
        "end_date_before_start_accepted",
        f"Thời gian kết thúc của hồ sơ không trước thời gian bắt đầu ({N30} Phụ lục VI Phần II.III "
        f"trường 7, 8)",
        "A dossier can be closed with an end date before its start date.",
        ["DS-027"],
    ),
    Fault(
        "reassign_skips_closed_dossiers",
        f"Cán bộ, công chức, viên chức trước khi nghỉ hưu, thôi việc, chuyển công tác phải bàn giao toàn bộ "
        f"hồ sơ, tài liệu ({N30} Điều 31.3.đ)",
        "Handing over a person's dossiers moves only the open ones; closed dossiers stay with the leaver.",
        ["DS-029"],
    ),
    # -- Tài liệu trong hồ sơ, bản gốc (Điều 29.3, Điều 19.2.a) -------------------------------------------
    Fault(
        "dossier_media_refused",
        f"Thu thập, cập nhật tất cả văn bản, tài liệu, kể cả phim, ảnh, ghi âm vào hồ sơ ({N30} Điều 29.3)",
        "Recordings (audio/mpeg) and films (video/mp4) cannot be collected into a dossier (415).",
        ["DS-018"],
    ),
    Fault(
        "original_file_not_kept",
        f"Bản gốc văn bản điện tử phải được lưu trên Hệ thống của cơ quan, tổ chức ({N30} Điều 19.2.a)",
        "A stored file is served as a re-saved copy (bytes appended), not as the original that arrived; "
        "the archive's check that files stay identical on receipt sees it too.",
        ["DS-036", "TR-008"],
    ),
    # -- Mã định danh văn bản (Phụ lục VI Phần III.1.c) -------------------------------------------------
    Fault(
        "doc_code_without_date",
        f"Mã định danh văn bản đi gồm mã định danh cơ quan ban hành, ngày ban hành và "
        f"số, ký hiệu văn bản ({N30} Phụ lục VI Phần III mục 1.c; edXML OrganId,yyyy/MM/dd,Số/Ký hiệu)",
        "doc_code is 'OrganId,Số/Ký hiệu' (the date is missing); the edXML DocumentId sent over the "
        "axis is the same code (area 1).",
        ["DS-030", "SR-010a", "SR-032"],
    ),
]
