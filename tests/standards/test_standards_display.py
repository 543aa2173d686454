"""What a system shows: register columns of NĐ 30 PL IV and the labels of PL VI fields."""

from __future__ import annotations

import pytest

from conformance.standards import display

SO_DI = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trích yếu nội dung *", "trích yếu nội dung"),
        ("  Số, ký hiệu VB: ", "số, ký hiệu văn bản"),
        ("Số và ký hiệu HS (*)", "số và ký hiệu hồ sơ"),
        ("Tie\u0302u đe\u0302\u0300 hồ sơ", "tiêu đề hồ sơ"),  # decomposed input
        (None, ""),
    ],
)
def test_normalise_label(text: object, expected: str) -> None:
    assert display.normalise_label(text) == expected


def test_register_columns_all_in_order() -> None:
    assert display.column_problems(SO_DI, "so_di") == []
    assert display.column_problems(["STT", *SO_DI, "(1)", "(2)"], "so_di") == []  # extra headings allowed
    assert display.column_problems([h.replace("văn bản", "VB") for h in SO_DI], "so_di") == []
    assert display.column_problems([h for h in SO_DI if h != "Ký nhận"], "so_di") == ["thiếu cột «Ký nhận»"]
    swapped = [SO_DI[1], SO_DI[0], *SO_DI[2:]]
    (problem,) = display.column_problems(swapped, "so_di")
    assert "«Ngày tháng văn bản»" in problem and "thứ tự" in problem
    assert len(display.register("so_den").columns) == 10
    assert len(display.register("so_theo_doi").columns) == 7
    assert "Quyển số" in display.register("so_di").cover


def test_accepted_labels_start_with_the_appendix_name() -> None:
    assert display.accepted_labels("van_ban_di", "8") == ("Trích yếu nội dung", "Trích yếu")
    assert display.accepted_labels("van_ban_di", "Subject")[0] == "Trích yếu nội dung"
    assert display.accepted_labels("ho_so", "Maintenance")[0] == "Thời hạn bảo quản"
    assert display.label_matches("Trích yếu:", display.accepted_labels("van_ban_di", "8"))
    assert not display.label_matches("Lưu trữ", display.accepted_labels("ho_so", "3"))
    assert not display.label_matches("", ("",))
    with pytest.raises(KeyError):
        display.accepted_labels("van_ban_di", "99")
