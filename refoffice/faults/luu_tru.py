"""Faults of area 3, lưu trữ điện tử: integrity, access control, audit, search, backup, retention."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

TT02 = "TT 02/2019/TT-BNV"
TT05 = "TT 05/2025/TT-BNV"
N113 = "NĐ 113/2025/NĐ-CP"
PL6 = f"{N30} Phụ lục VI"

FAULTS: list[Fault] = [
    # -- access control and security -------------------------------------------------------------------
    Fault(
        "search_without_login",
        f"Phân quyền cho các cá nhân truy cập vào Hệ thống: mọi chức năng đòi hỏi đăng nhập ({PL6} Phần I "
        "mục 3, Phần IV mục 1.b)",
        "The search endpoint answers requests without any credentials.",
        ["AR-001a"],
    ),
    Fault(
        "audit_log_open_to_all_roles",
        f"Phân quyền theo vai trò: nhật ký hệ thống chỉ dành cho người quản trị, lưu trữ ({PL6} "
        "Phần I mục 3)",
        "Any signed-in role, a chuyên viên included, may read the audit log.",
        ["AR-001b"],
    ),
    Fault(
        "acl_ignored_on_read",
        f"Phân quyền truy cập đối với từng hồ sơ, văn bản ({PL6} Phần III mục 3.b)",
        "A restricted document or dossier is served to a user without rights (reads only; writes are "
        "still guarded). Every criterion that relies on a refusal to read fails with it: enumeration sees "
        "the object, a pending or expired or revoked right still reads, a refused access is never logged.",
        ["AR-002a", "AR-002c", "AR-003", "AR-011", "AR-023", "AR-029"],
    ),
    Fault(
        "search_ignores_acl",
        f"Phân quyền truy cập đối với từng văn bản, kể cả trong kết quả tìm kiếm ({PL6} Phần III "
        "mục 3.b, 6.d)",
        "Search results (and their exports) include restricted documents the user may not read; reading the "
        "document itself is still refused. A document marked 03 Mật is then found by anyone too.",
        ["AR-002b", "AR-065"],
    ),
    Fault(
        "list_leaks_restricted_ids",
        f"Không lộ định danh đối tượng cho người không có quyền ({PL6} Phần III mục 3.b)",
        "Lists (outgoing register, dossiers) show the ids of restricted objects to users without rights.",
        ["AR-002c"],
    ),
    Fault(
        "acl_grant_without_approval",
        f"Cảnh báo thay đổi quyền truy cập cho đến khi có xác nhận của người có thẩm quyền ({PL6} Phần III "
        "mục 3.c)",
        "A grant takes effect at once, before anyone with authority has confirmed it.",
        ["AR-003"],
    ),
    Fault(
        "grant_never_expires",
        f"Cấp quyền, kiểm soát quyền truy cập hồ sơ lưu trữ điện tử ({PL6} Phần III mục 6.c)",
        "A time-limited grant stays effective after its last day.",
        ["AR-011"],
    ),
    Fault(
        "revoke_not_effective",
        f"Thay đổi quyền truy cập khi quy định thay đổi hoặc vị trí công tác thay đổi ({PL6} "
        "Phần IV mục 1.d–đ)",
        "Revoking a user's right is recorded but the user can still read the object.",
        ["AR-029"],
    ),
    Fault(
        "access_level_free_text",
        f"Mức độ tiếp cận theo danh mục 01 Công khai, 02 Sử dụng có điều kiện, 03 Mật ({TT05} Phụ lục III; "
        f"{N113}; {PL6} Phần II.III trường 4)",
        "Any text is accepted as the access level.",
        ["AR-065"],
    ),
    # -- audit trail -------------------------------------------------------------------------------------
    Fault(
        "audit_skips_acl_changes",
        f"Lưu lịch sử truy cập và sử dụng văn bản, tài liệu ({PL6} Phần III mục 6.l; {N113} Điều 22.1.i)",
        "Requests and confirmations of access-right changes are not written to the audit log (nor, so, "
        "to the documents' history).",
        ["AR-008", "AR-019a", "AR-023"],
    ),
    Fault(
        "audit_time_not_local",
        f"Nhật ký ghi đúng thời điểm tác động ({PL6} Phần III mục 5.a, 6.l)",
        "Audit entries carry UTC wall time labelled +07:00: every entry is seven hours early.",
        ["AR-019a", "AR-023", "AR-056", "AR-057"],
    ),
    Fault(
        "audit_log_editable_by_admin",
        f"Nhật ký hệ thống không bị sửa, xóa ({PL6} Phần III mục 6.l; Phần II mục 4)",
        "The system administrator can delete or edit audit entries through the API.",
        ["AR-019b"],
    ),
    Fault(
        "denied_access_not_logged",
        f"Lưu dữ liệu đặc tả của quá trình kiểm soát an ninh văn bản, hồ sơ, hệ thống ({PL6} "
        "Phần III mục 7.d)",
        "Refused accesses to restricted objects leave no audit entry.",
        ["AR-023"],
    ),
    Fault(
        "failed_login_not_logged",
        f"Nhận diện, xác thực người dùng khi đăng nhập; lưu dữ liệu kiểm soát an ninh ({PL6} "
        "Phần III mục 7.d; "
        f"{N113} Điều 22.2.a–b)",
        "Failed logins leave no audit entry.",
        ["AR-023", "AR-057"],
    ),
    Fault(
        "history_omits_views",
        f"Lưu thông tin quá trình giải quyết văn bản, kể cả lịch sử truy cập và xem văn bản ({PL6} Phần III "
        "mục 5.a)",
        "A document's history does not show who viewed it (the audit log still has the views).",
        ["AR-008"],
    ),
    Fault(
        "access_count_distinct_users",
        f"Thống kê số lượt truy cập từng hồ sơ, văn bản ({PL6} Phần III mục 6.a)",
        "The access count of a document counts distinct users, not accesses.",
        ["AR-009"],
    ),
    Fault(
        "login_count_distinct_users",
        f"Thống kê số lượt truy cập vào Hệ thống ({PL6} Phần III mục 6.b)",
        "The login statistics count each user once a period instead of every login.",
        ["AR-010"],
    ),
    # -- search ------------------------------------------------------------------------------------------
    Fault(
        "search_skips_signer_field",
        f"Tìm kiếm trên tất cả các trường thông tin đầu vào ({PL6} Phần III mục 6.d)",
        "Searching by the signer's name (SignerInfo/FullName) never finds anything.",
        ["AR-012a"],
    ),
    Fault(
        "fulltext_not_indexed",
        f"Tìm kiếm trên nội dung văn bản ({PL6} Phần III mục 6.d)",
        "The text inside stored files is not searched; only metadata fields are.",
        ["AR-012b"],
    ),
    Fault(
        "search_not_logged",
        f"Lưu lịch sử truy hồi ({N113} Điều 22.1.i; {PL6} Phần III mục 6.l)",
        "Searches (retrievals) leave no audit entry.",
        ["AR-056"],
    ),
    Fault(
        "search_ignores_field_selection",
        f"Lựa chọn hiển thị trường thông tin trong kết quả tìm kiếm ({PL6} Phần III mục 6.đ)",
        "Search results always carry every field, whatever columns were chosen.",
        ["AR-013"],
    ),
    Fault(
        "saved_query_drops_filter",
        f"Lưu và sử dụng lại yêu cầu tìm kiếm ({PL6} Phần III mục 6.e)",
        "A saved search loses its field filter: re-running it returns every document.",
        ["AR-014"],
    ),
    Fault(
        "search_sort_desc_ignored",
        f"Hiển thị thứ tự kết quả tìm kiếm ({PL6} Phần III mục 6.g)",
        "Descending order is ignored: results always come in ascending order.",
        ["AR-015"],
    ),
    Fault(
        "export_docx_drops_last_row",
        f"Kết xuất kết quả tìm kiếm ra (.doc), (.docx), (.pdf) ({PL6} Phần III mục 6.h)",
        "The .docx export of search results leaves out the last result.",
        ["AR-016a"],
    ),
    Fault(
        "export_pdf_not_pdf",
        f"Kết xuất kết quả tìm kiếm ra (.pdf) ({PL6} Phần III mục 6.h)",
        "The .pdf export of search results is an HTML page labelled application/pdf.",
        ["AR-016b"],
    ),
    # -- download, print, integrity ----------------------------------------------------------------------
    Fault(
        "print_unavailable",
        f"Tải hoặc in văn bản, tài liệu, dữ liệu đặc tả ({PL6} Phần III mục 6.i)",
        "Printing a stored document is not available (HTTP 501), so nothing printed can be marked either.",
        ["AR-017", "AR-018"],
    ),
    Fault(
        "print_not_marked",
        f"Đánh dấu văn bản, dữ liệu đặc tả được in ra từ Hệ thống ({PL6} Phần III mục 6.k)",
        "A print copy is the stored file as it is, with no marking.",
        ["AR-018"],
    ),
    Fault(
        "freeze_rewrites_files",
        f"Bảo đảm tính toàn vẹn, không thay đổi của văn bản, hồ sơ ({PL6} Phần II mục 4, Phần III mục 5.d)",
        "Freezing a document re-saves its stored files (a changed bitstream under the same record).",
        ["AR-004"],
    ),
    # -- freeze, recall, retention, metadata ------------------------------------------------------------
    Fault(
        "freeze_ignored",
        f"Khóa hoặc đóng băng các tập hợp văn bản, hồ sơ chống di chuyển, xóa, sửa đổi ({PL6} "
        "Phần IV mục 1.g)",
        "A frozen dossier or document can still be changed, e.g. given another file (a recall's freeze "
        "still holds).",
        ["AR-004", "AR-031"],
    ),
    Fault(
        "recall_does_not_freeze",
        f"Đóng băng văn bản đi và dữ liệu đặc tả khi có lệnh thu hồi ({PL6} Phần III mục 8.a; Điều 18.4)",
        "A recalled outgoing document stays editable.",
        ["AR-025"],
    ),
    Fault(
        "recall_not_recorded",
        f"Lưu dữ liệu đặc tả của quá trình thu hồi ({PL6} Phần III mục 8.c)",
        "A recall freezes the document but leaves no recall record.",
        ["AR-027"],
    ),
    Fault(
        "dossier_delete_before_expiry",
        f"Lưu hồ sơ theo thời hạn bảo quản; không xóa trước khi hết hạn ({PL6} Phần II mục 5, "
        "Phần III mục 5.đ)",
        "A dossier can be deleted before its retention period ends, without any decision.",
        ["AR-005", "AR-060"],
    ),
    Fault(
        "retention_from_start_year",
        f"Thời hạn bảo quản tính từ năm công việc kết thúc (TT 10/2022/TT-BNV; {N30} Phụ lục V mục I.4)",
        "The retention period is counted from the year the dossier was opened, not the year it ended.",
        ["AR-061"],
    ),
    Fault(
        "expired_not_listed",
        f"Tài liệu hết thời hạn bảo quản được tự động đưa vào Danh mục tài liệu hết giá trị, trạng thái "
        f"“Xem xét hủy” ({TT05} Điều 48–50)",
        "Expired dossiers never appear in the list for review.",
        ["AR-060"],
    ),
    Fault(
        "metadata_view_omits_signer",
        f"Hiển thị toàn bộ dữ liệu đặc tả ({PL6} Phần III mục 7.b)",
        "The metadata view of a document leaves out SignerInfo (position and name of the signer).",
        ["AR-021"],
    ),
    Fault(
        "extra_metadata_not_exported",
        f"Nhập dữ liệu đặc tả bổ sung ({PL6} Phần III mục 7.c)",
        "Supplementary metadata is stored but missing from the XML metadata export.",
        ["AR-022"],
    ),
    Fault(
        "metadata_relink_allowed",
        f"Lưu và cố định sự liên kết giữa văn bản, hồ sơ và dữ liệu đặc tả ({PL6} Phần III mục 7.đ)",
        "A supplementary metadata element can be moved to another document.",
        ["AR-024"],
    ),
    Fault(
        "lost_update_allowed",
        f"Cảnh báo xung đột xảy ra trong hệ thống ({PL6} Phần IV mục 2)",
        "A change made from a stale version silently overwrites the newer one.",
        ["AR-032"],
    ),
    # -- backup and restore ------------------------------------------------------------------------------
    Fault(
        "restore_drops_one_file",
        f"Sao lưu và phục hồi dữ liệu khi gặp sự cố ({PL6} Phần III mục 5.g)",
        "Restoring a backup into a clean instance leaves out the latest stored file (its record then "
        "points to nothing).",
        ["AR-007", "AR-043"],
    ),
    Fault(
        "restore_leaves_orphan_file",
        f"Thống nhất quy trình kiểm tra, sao lưu, phục hồi tài liệu số với cơ sở dữ liệu ({TT05} "
        "Điều 27.2–3; "
        f"{TT02} Điều 10)",
        "A restored instance holds a file no record points to.",
        ["AR-043"],
    ),
    Fault(
        "restore_without_report",
        f"Phục hồi thông tin, dữ liệu đặc tả và thông báo kết quả phục hồi ({PL6} Phần IV mục 1.e)",
        "A restore gives no report of what was restored.",
        ["AR-030"],
    ),
    Fault(
        "backup_single_copy",
        f"Sao lưu ít nhất 02 bộ, mỗi bộ trên 01 phương tiện lưu trữ độc lập ({TT02} Điều 10; "
        f"{TT05} Điều 27.1)",
        "A backup is written to one medium only.",
        ["AR-042"],
    ),
    Fault(
        "monthly_full_backup_missing",
        f"Sao lưu hằng ngày theo hình thức gia tăng; ngày đầu tiên hằng tháng sao lưu đầy đủ ({TT02} "
        "Điều 10.1.a)",
        "The scheduler never makes a full backup, not even on the first day of the month.",
        ["AR-044"],
    ),
    Fault(
        "backup_metadata_not_xml",
        f"Dữ liệu đặc tả được sao lưu bằng định dạng XML ({TT02} Điều 10.1.b)",
        "A backup holds the metadata only as database rows (JSON), without the XML files.",
        ["AR-046"],
    ),
    Fault(
        "backup_log_without_operator",
        "Nhật ký sao lưu ghi thời gian, hình thức, phương tiện, người thực hiện, kết quả "
        f"({TT02} Điều 10.2–4; "
        f"{TT05} Phụ lục VII)",
        "The backup log leaves out who made each backup.",
        ["AR-047"],
    ),
]
