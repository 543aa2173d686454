"""Faults of area 1, gửi nhận văn bản điện tử: numbering, registration, edXML exchange."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

FAULTS: list[Fault] = [
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
        "assigned number fails with it (SR-066: the printed register has no 'Từ số … đến số').",
        ["SR-061", "SR-063", "SR-066", "SR-069"],
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
]
