"""Faults of area 4, nộp lưu: transfer workflow and SIP/AIP packages.

Each fault breaks one rule of NĐ 30/2020 Đ.30–31 and Phụ lục V–VI (submission to the agency archive), of
Luật Lưu trữ 2024 Đ.17 and TT 06/2025 (transfer to the historical archive), or of TT 05/2025 Đ.23–24 and
Phụ lục III (SIP packages). The package faults act inside ``refoffice/sip.py`` (one constant per fault).
"""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

L24 = "Luật Lưu trữ 2024"
TT05 = "TT 05/2025/TT-BNV"
TT06 = "TT 06/2025/TT-BNV"

FAULTS: list[Fault] = [
    # --- submission to the agency archive (NĐ 30) ---------------------------------------------------------
    Fault(
        "transfer_deadline_from_start",
        f"Thời hạn nộp lưu tính từ ngày công việc kết thúc ({N30} Điều 30.2.b; {L24} Điều 17)",
        "The due date is counted from the dossier's start date instead of the day the work ended.",
        ["TR-001a", "TR-001b"],
    ),
    Fault(
        "transfer_overdue_not_flagged",
        "Hồ sơ quá hạn nộp lưu phải được nhận biết để đôn đốc "
        f"({N30} Điều 30.2.b; Phụ lục VI Phần III mục 5.b)",
        "Dossiers past their due date are never flagged as overdue.",
        ["TR-001b"],
    ),
    Fault(
        "xdcb_rule_ignored",
        f"Hồ sơ xây dựng cơ bản nộp lưu trong 03 tháng kể từ ngày công trình được quyết toán "
        f"({N30} Điều 30.2.a)",
        "The 3-month rule for construction dossiers is ignored; the general rule is applied. TR-010 keeps "
        "a construction dossier (its due date is fixed by the settlement), so its limits move too.",
        ["TR-002", "TR-010"],
    ),
    Fault(
        "due_notice_not_sent",
        f"Hệ thống tự động thông báo hồ sơ đến hạn nộp lưu ({N30} Phụ lục VI Phần III mục 5.b)",
        "Publishing the list of dossiers to submit notifies nobody.",
        ["TR-003"],
    ),
    Fault(
        "short_retention_included",
        f"Chỉ hồ sơ có thời hạn bảo quản từ 05 năm trở lên phải nộp lưu ({N30} Điều 31.3.c)",
        "Dossiers kept less than 5 years are listed as due and accepted for submission.",
        ["TR-004"],
    ),
    Fault(
        "unclosed_dossier_submittable",
        f"Hồ sơ nộp lưu phải đủ thành phần, đúng trình tự, thủ tục: chỉ hồ sơ đã kết thúc được nộp "
        f"({N30} Điều 30.1)",
        "A dossier that is still open (not closed) can be submitted.",
        ["TR-005"],
    ),
    Fault(
        "submit_by_anyone",
        f"Cá nhân được giao giải quyết công việc, lập hồ sơ thực hiện nộp lưu ({N30} Điều 30.3.b)",
        "Any official, not only the dossier's creator, can submit it.",
        ["TR-006"],
    ),
    Fault(
        "return_without_reason",
        "Lưu trữ cơ quan kiểm tra, nhận hồ sơ theo Danh mục; hồ sơ trả lại phải nêu lý do "
        f"({N30} Điều 30.3.b)",
        "The archive can return a dossier without giving a reason, and the reason is not kept.",
        ["TR-007"],
    ),
    Fault(
        "acceptance_drops_document_link",
        f"Liên kết chính xác dữ liệu đặc tả với hồ sơ khi tiếp nhận ({N30} Điều 30.3.b)",
        "On acceptance the archive's record of the dossier loses its last document.",
        ["TR-008"],
    ),
    Fault(
        "archived_dossier_still_editable",
        f"Hồ sơ đã tiếp nhận được đưa về chế độ quản lý hồ sơ lưu trữ ({N30} Điều 30.3.b)",
        "After acceptance the creator can still add documents to the dossier.",
        ["TR-009"],
    ),
    Fault(
        "retention_beyond_two_years",
        f"Giữ lại hồ sơ quá hạn nộp lưu phải được người đứng đầu đồng ý bằng văn bản, tối đa 02 năm "
        f"({N30} Điều 31.3.d)",
        "A request to keep a dossier is accepted without an approval and for any length of time.",
        ["TR-010"],
    ),
    Fault(
        "muc_luc_total_words_wrong",
        f"Mục lục hồ sơ nộp lưu ghi tổng số hồ sơ bằng số và bằng chữ ({N30} Phụ lục V mục III)",
        "The closing line of the Mục lục spells one dossier more than it counts.",
        ["TR-011"],
    ),
    Fault(
        "bien_ban_file_total_wrong",
        f"Biên bản giao nhận ghi tổng số hồ sơ, tổng số tệp tin trong hồ sơ ({N30} Phụ lục V mục V)",
        "The hand-over minutes count documents instead of the files actually transferred.",
        ["TR-012"],
    ),
    # --- transfer to the historical archive (Luật Lưu trữ 2024, TT 05 and TT 06/2025) ---
    Fault(
        "nd30_export_doctotal_wrong",
        "Dữ liệu hồ sơ chuyển giao gồm tổng số văn bản trong hồ sơ (DocTotal) "
        f"({N30} Phụ lục VI Phần II mục III)",
        "The NĐ 30 dossier export states one document fewer than it carries.",
        ["TR-014a"],
    ),
    Fault(
        "historical_handover_not_recorded",
        f"Bảo đảm thực hiện nộp lưu hồ sơ vào Lưu trữ lịch sử ({N30} Phụ lục VI Phần III mục 5.c)",
        "Completing a transfer to the historical archive leaves the dossiers recorded in the agency archive.",
        ["TR-015"],
    ),
    Fault(
        "historical_deadline_wrong",
        "Nộp lưu vào Lưu trữ lịch sử tối đa 05 năm tính từ năm nộp lưu vào lưu trữ hiện hành "
        f"({L24} Điều 17)",
        "The historical-archive deadline is computed as 10 years (the repealed 2011 rule).",
        ["TR-016"],
    ),
    Fault(
        "non_permanent_to_historical",
        "Chỉ tài liệu có thời hạn bảo quản vĩnh viễn nộp vào Lưu trữ lịch sử "
        f"({TT05} Phụ lục III; {L24} Điều 17)",
        "A 20-year dossier can be registered and packaged for the historical archive.",
        ["TR-017"],
    ),
    Fault(
        "registration_code_reused",
        f"Đăng ký nộp lưu có mã đăng ký yêu cầu thu nộp duy nhất ({TT06} Điều 3; {TT05} Điều 23.1.a)",
        "Every registration gets the same registration code.",
        ["TR-018"],
    ),
    Fault(
        "fonds_record_not_required",
        f"Hồ sơ nộp lưu lịch sử kèm dữ liệu phông lưu trữ ({TT05} Điều 5, dữ liệu phông)",
        "A registration without the fonds record is accepted, and the fonds is not kept.",
        ["TR-042"],
    ),
    Fault(
        "duplicate_submission_accepted",
        f"Kiểm tra trùng lặp: loại hồ sơ trùng trong cùng lần nộp và với tài liệu đã có ({TT05} Điều 24.1)",
        "The same dossier is accepted twice in one submission and again once it is held.",
        ["TR-032"],
    ),
    Fault(
        "document_check_skipped",
        f"Kiểm tra dữ liệu, tệp đính kèm; kết quả từng tài liệu đạt / không đạt kèm lý do ({TT05} Điều 24.2)",
        "The acceptance check marks every document as passed without looking at its files; the report "
        "and the malware check (which look at the same results) fail with it.",
        ["TR-033", "TR-034", "TR-035"],
    ),
    Fault(
        "check_report_totals_wrong",
        f"Báo cáo xử lý nghiệp vụ: tổng số đề nghị, đạt, không đạt ({TT05} Điều 24.4)",
        "The processing report counts every proposed document as passed.",
        ["TR-034"],
    ),
    Fault(
        "virus_scan_skipped",
        f"Kiểm tra mã độc đối với gói tin tiếp nhận ({TT05} Chương IV, Điều 24)",
        "Files are never scanned: the EICAR test file passes the acceptance check.",
        ["TR-035"],
    ),
    # --- the SIP package itself (TT 05/2025 Phụ lục III); see refoffice/sip.py ---
    Fault(
        "sip_premis_included",
        f"Gói SIP không có metadata/preservation (PREMIS chỉ có trong AIP) ({TT05} Phụ lục III)",
        "The SIP carries metadata/preservation/PREMIS.xml.",
        ["TR-014b", "TR-020"],
    ),
    Fault(
        "sip_objid_lowercase",
        f"METS OBJID của SIP có dạng uuid-{{UUID}} viết hoa ({TT05} Phụ lục III)",
        "The METS OBJID (and the package folder) uses a lower-case UUID.",
        ["TR-014b", "TR-021"],
    ),
    Fault(
        "sip_checksum_wrong",
        f"Mỗi tệp trong METS có CHECKSUMTYPE SHA-256 và CHECKSUM đúng ({TT05} Phụ lục III)",
        "The SHA-256 stated for the first data file is wrong.",
        ["TR-014b", "TR-022"],
    ),
    Fault(
        "sip_orphan_file",
        f"Không có tệp mồ côi trong gói: mọi tệp phải được METS tham chiếu ({TT05} Phụ lục III)",
        "An internal temporary file is left in data/ without any METS reference.",
        ["TR-014b", "TR-022"],
    ),
    Fault(
        "sip_structmap_link_missing",
        f"structMap liên kết từng EAD_doc với tệp dữ liệu của nó ({TT05} Phụ lục III)",
        "The last document's MetadataLink div is left out of the rep1 structMap.",
        ["TR-014b", "TR-023"],
    ),
    Fault(
        "sip_ead_field_missing",
        f"EAD.xml của SIP_hoso có đủ 18 trường, trong đó tiêu đề hồ sơ (title) ({TT05} Phụ lục III)",
        "The dossier's title element is left out of EAD.xml.",
        ["TR-014b", "TR-024"],
    ),
    Fault(
        "sip_code_list_value_bad",
        f"Trường mode (chế độ sử dụng) ghi mã 01/02/03 ({TT05} Phụ lục III)",
        'EAD.xml states mode as the text "Công khai" instead of the code 01.',
        ["TR-014b", "TR-024"],
    ),
    Fault(
        "sip_doc_code_unpadded",
        f"docCode = mã hồ sơ + số thứ tự 7 chữ số ({TT05} Phụ lục III)",
        "docCode carries the ordinal without padding (….1 instead of ….0000001).",
        ["TR-014b", "TR-025"],
    ),
    Fault(
        "sip_paper_file_code_dropped",
        f"paperFileCode bắt buộc với hồ sơ số hóa (confidenceLevel 02) ({TT05} Phụ lục III)",
        "A digitised dossier is packaged without its paperFileCode.",
        ["TR-026"],
    ),
    Fault(
        "sip_risk_status_dropped",
        f"riskRecoveryStatus bắt buộc khi riskRecovery = 1 ({TT05} Phụ lục III)",
        "A dossier with a backup copy is packaged without riskRecoveryStatus.",
        ["TR-027"],
    ),
    Fault(
        "sip_workflow_file_missing",
        f"Văn bản điện tử xử lý trên Hệ thống có process = 1 kèm tệp quy trình xử lý ({TT05} Phụ lục III)",
        "process = 1 is stated but the workflow file is not packaged.",
        ["TR-014b", "TR-028"],
    ),
    Fault(
        "sip_zip_name_wrong",
        f"Gói SIP nén ZIP, tên tệp = [STT gói trong lần nộp][OBJID] ({TT05} Phụ lục III mục 5, Phụ lục IV)",
        'The ZIP is delivered as "goi-nop-luu.zip".',
        ["TR-014b", "TR-029"],
    ),
    Fault(
        "sip_holey_sent_in_full",
        f"Tài liệu đã nộp trước đây được đưa vào gói dưới dạng tệp liên kết *.fetch.txt ({TT05} Phụ lục III)",
        "A document an earlier package already carried is packaged again in full.",
        ["TR-030"],
    ),
]
