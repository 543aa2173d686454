"""Faults of the web interface (UI channel): labels, keyboard access, register print forms, the
signature status shown on a file's page.

Each changes only what a person sees or can do on the pages; the API keeps its rules. So the
criteria they fail are the UI-channel ones, whichever way a target binds the data operations.
"""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

_A11Y = "TT 26/2020/TT-BTTTT Điều 1–2; WCAG 2.1 tiêu chí 1.3.1, 2.1.1, 3.3.2, 4.1.2"

FAULTS: list[Fault] = [
    Fault(
        "outgoing_label_missing",
        f"Màn hình đăng ký văn bản đi có đủ trường thông tin đầu vào, mỗi trường có nhãn đúng tên "
        f"({N30} Phụ lục VI Phần II mục I trường 8 “Trích yếu nội dung”); mọi trường nhập có nhãn ({_A11Y})",
        "The registration form's 'Trích yếu nội dung' input loses its <label>: only a placeholder says "
        "what it is (the field has no accessible label).",
        ["SR-070b", "SR-070c"],
    ),
    Fault(
        "dossier_label_wrong",
        f"Màn hình mở hồ sơ gọi đúng tên trường “Thời hạn bảo quản” ({N30} Phụ lục VI Phần II mục III "
        f"trường 3; Phụ lục V mục I.4)",
        "The dossier form labels the retention-period field 'Lưu trữ' instead of 'Thời hạn bảo quản'.",
        ["DS-024b"],
    ),
    Fault(
        "control_not_keyboard_reachable",
        f"Mọi trường nhập của biểu mẫu thao tác được bằng bàn phím ({_A11Y})",
        "The dossier form's 'Ghi chú' field has tabindex=-1: Tab never reaches it.",
        ["SR-070c"],
    ),
    Fault(
        "so_di_print_missing_column",
        f"Sổ đăng ký văn bản đi in ra đủ 10 cột theo mẫu ({N30} Điều 16 khoản 2; Phụ lục IV mục I)",
        "The print form of the outgoing register drops the 'Ký nhận' column.",
        ["SR-066"],
    ),
    Fault(
        "so_den_print_missing_column",
        f"Sổ đăng ký văn bản đến in ra đủ 10 cột theo mẫu ({N30} Điều 22 khoản 3; Phụ lục IV mục VI)",
        "The print form of the incoming register drops the 'Đơn vị hoặc người nhận' column.",
        ["SR-067a"],
    ),
    Fault(
        "incoming_notification_missing",
        f"Hiển thị thông báo văn bản mới cho người dùng ({N30} Phụ lục VI Phần III mục 1.i)",
        "The văn thư's pages no longer show the notice of new incoming documents; the documents are "
        "still registered and listed in the sổ đến.",
        ["SR-104"],
    ),
    Fault(
        "recipient_status_not_shown",
        "Nơi gửi theo dõi được trạng thái xử lý văn bản của từng nơi nhận (QĐ 28/2018/QĐ-TTg Điều 6; "
        f"{N30} Phụ lục VI Phần III mục 1.k)",
        "The sent document's page says only 'Đã gửi' for every recipient, whatever status each reported; "
        "the connector still records the statuses (the API shows them).",
        ["SR-084b"],
    ),
    Fault(
        "signature_shown_valid",
        f"Kết quả kiểm tra tính xác thực, toàn vẹn (chữ ký số) của văn bản hiển thị đúng cho người dùng: "
        f"chữ ký của văn bản bị sửa sau khi ký, chứng thư hết hạn, bị thu hồi là không hợp lệ "
        f"({N30} Điều 21 khoản 2 điểm a, b)",
        "The file page shows every signature (and the file) as 'Hợp lệ' whatever the verification said; "
        "the exchange still verifies and returns such documents.",
        ["SR-057b"],
    ),
]
