"""The pages of văn bản đến: the sổ đến and its print form (NĐ 30 PL IV VI), the notification of new
incoming documents (PL VI III.1.i) and their UI faults.

The documents are written into the exchange's table as the connector would register them; the
whole path through the simulated axis is what the criteria (SR-067a, SR-104) exercise.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from refoffice.models_exchange import IncomingDocument, SentPackage


def _login(api, username: str = "vanthu") -> None:
    api.client.cookies.clear()
    response = api.client.post(
        "/dang-nhap", data={"username": username, "password": api.PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    api.client.cookies.set("refoffice_session", response.cookies["refoffice_session"])


@pytest.fixture
def page(api):
    _login(api)
    yield api
    api.client.cookies.clear()


def _register(api, number: int, subject: str, *, status: str = "da_vao_so", day: str = "2025-03-05") -> int:
    """A văn bản đến as the connector registers it from an axis package."""
    ctx = api.client.app.state.ctx
    with ctx.sessions() as s:
        doc = IncomingDocument(
            arrival_year=int(day[:4]),
            arrival_number=number,
            arrival_date=f"{day}T08:30:00+07:00",
            document_id=f"000.00.00.H99.{number}",
            from_organ_id="000.00.00.H99",
            from_organ_name="Ủy ban nhân dân tỉnh Thử Nghiệm",
            code_number=str(number),
            code_notation="UBND-VP",
            so_ky_hieu=f"{number}/UBND-VP",
            type_name="Công văn",
            subject=subject,
            promulgation_date=date.fromisoformat(day),
            status=status,
            history=[{"action": "vao_so", "at": f"{day}T08:30:00+07:00", "by": "van_thu"}],
            axis_delivery_id=f"d{number}",
            package_sha256="0" * 64,
            package=b"",
        )
        s.add(doc)
        s.commit()
        return doc.id


SO_DEN = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


def test_incoming_register_shows_the_ten_columns_of_the_form(page) -> None:
    _register(page, 1, "Về việc thứ nhất")
    _register(page, 2, "Về việc thứ hai", day="2025-03-07")
    html = page.client.get("/van-ban-den?nam=2025").text
    assert re.findall(r'<th scope="col">([^<]+)</th>', html) == SO_DEN
    assert "Công văn: Về việc thứ nhất" in html and "2/UBND-VP" in html
    assert "<td>05/03/2025</td>" in html and "<td>02</td>" in html
    assert "Chưa có văn bản đến nào trong năm 2024" in page.client.get("/van-ban-den?nam=2024").text
    assert 'role="alert"' in page.client.get("/van-ban-den?nam=20x5").text


def test_print_form_of_the_incoming_register(page) -> None:
    _register(page, 1, "Về việc thứ nhất")
    _register(page, 2, "Về việc thứ hai", day="2025-03-07")
    html = page.client.get("/van-ban-den/in?nam=2025").text
    assert '<h1 id="bia">SỔ ĐĂNG KÝ VĂN BẢN ĐẾN</h1>' in html
    cover = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    assert cover["Năm"] == "2025" and cover["Quyển số"] == "01"
    assert (cover["Từ số"], cover["Đến số"]) == ("01", "02")
    assert (cover["Từ ngày"], cover["Đến ngày"]) == ("05/03/2025", "07/03/2025")
    assert re.findall(r'<th scope="col">([^<(]+)</th>', html) == SO_DEN
    assert "(10)" in html and "@page { size: A4 landscape" in html


def test_incoming_pages_need_a_login(api) -> None:
    api.client.cookies.clear()
    for path in ("/van-ban-den", "/van-ban-den/in", "/van-ban-den/moi"):
        response = api.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/dang-nhap"


def test_so_den_print_fault_drops_one_column_of_the_print_only(page) -> None:
    _register(page, 1, "Về việc thứ nhất")
    page.faults("so_den_print_missing_column")
    printed = page.client.get("/van-ban-den/in?nam=2025").text
    assert "Đơn vị hoặc người nhận" not in printed and "(10)" not in printed and "Ký nhận" in printed
    assert "Đơn vị hoặc người nhận" in page.client.get("/van-ban-den?nam=2025").text


def _notices(html: str) -> list[str]:
    return re.findall(r'<p class="notice" role="status"><a href="(/van-ban-den/moi)">([^<]*)</a></p>', html)


def test_new_incoming_documents_are_notified_and_listed(page) -> None:
    assert _notices(page.client.get("/van-ban-di").text) == []  # nothing new: no notice
    _register(page, 1, "Về việc thứ nhất")
    _register(page, 2, "Về việc đã phân công", status="da_phan_cong")
    _register(page, 3, "Về việc thứ ba")
    for path in ("/van-ban-di", "/van-ban-den", "/van-ban-den/moi"):
        assert _notices(page.client.get(path).text) == [("/van-ban-den/moi", "Có 2 văn bản đến mới")], path
    listed = page.client.get("/van-ban-den/moi").text
    assert "<caption>Văn bản đến mới</caption>" in listed
    assert "Về việc thứ ba" in listed and "Về việc thứ nhất" in listed and "đã phân công" not in listed
    assert listed.index("Về việc thứ ba") < listed.index("Về việc thứ nhất")  # newest first
    _login(page, "chuyenvien")
    assert _notices(page.client.get("/van-ban-di").text)  # whoever opens the start page sees it


def test_notification_fault_hides_the_notice_only(page) -> None:
    _register(page, 1, "Về việc thứ nhất")
    page.faults("incoming_notification_missing")
    assert _notices(page.client.get("/van-ban-di").text) == []
    assert "Về việc thứ nhất" in page.client.get("/van-ban-den/moi").text
    assert "Về việc thứ nhất" in page.client.get("/van-ban-den?nam=2025").text


def _sent(api, recipients: list[dict], state: str = "da_gui") -> int:
    """An outgoing document sent over the axis, with the statuses its recipients reported."""
    doc = api.issue_ok()
    with api.client.app.state.ctx.sessions() as s:
        s.add(
            SentPackage(
                outgoing_id=doc["id"],
                business=0,
                document_id=doc["doc_code"],
                state=state,
                error=None if state == "da_gui" else "Trục không trả lời",
                recipients=recipients,
                sent_at="2025-06-01T07:59:00+07:00",
                package_sha256="0" * 64,
                package=b"",
            )
        )
        s.commit()
    return doc["id"]


def _status_rows(html: str) -> list[list[str]]:
    table = html.split("<caption>Tình trạng xử lý tại nơi nhận</caption>")[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _st(code: str, description: str, at: str) -> dict:
    return {"code": code, "description": description, "at": f"2025-06-01T{at}:00+07:00"}


def test_sent_document_page_shows_each_recipients_latest_status(page) -> None:
    doc_id = _sent(
        page,
        [
            {"organ_id": "000.00.00.H99", "organ_name": "UBND tỉnh Thử Nghiệm",
             "statuses": [_st("01", "Đã đến", "08:00"), _st("03", "Đã vào sổ", "08:05"),
                          _st("04", "Lãnh đạo đã phân công xử lý", "09:10")]},
            {"organ_id": "000.00.12.H99", "organ_name": "Sở Khoa học và Công nghệ",
             "statuses": [_st("01", "Đã đến", "08:00"), _st("02", "Từ chối tiếp nhận: gửi nhầm", "08:02")]},
            {"organ_id": "000.01.12.H99", "organ_name": "Trung tâm CNTT", "statuses": []},
        ],
    )  # fmt: skip
    html = page.client.get(f"/van-ban-di/{doc_id}").text
    assert '<th scope="col">Trạng thái</th>' in html
    assert _status_rows(html) == [
        ["UBND tỉnh Thử Nghiệm", "000.00.00.H99", "04 – Đã phân công xử lý", "Lãnh đạo đã phân công xử lý",
         "01/06/2025 09:10", "01, 03, 04"],
        ["Sở Khoa học và Công nghệ", "000.00.12.H99", "02 – Từ chối tiếp nhận", "Từ chối tiếp nhận: gửi nhầm",
         "01/06/2025 08:02", "01, 02"],
        ["Trung tâm CNTT", "000.01.12.H99", "Đã gửi, chưa có trạng thái", "", "01/06/2025 07:59", ""],
    ]  # fmt: skip


def test_unsent_document_has_no_status_table_and_a_failed_send_says_so(page) -> None:
    doc = page.issue_ok()
    assert "Tình trạng xử lý tại nơi nhận" not in page.client.get(f"/van-ban-di/{doc['id']}").text
    failed = _sent(page, [{"organ_id": "000.00.00.H99", "statuses": []}], state="loi")
    rows = _status_rows(page.client.get(f"/van-ban-di/{failed}").text)
    assert rows[0][:4] == ["000.00.00.H99", "000.00.00.H99", "Gửi lỗi", "Trục không trả lời"]


def test_recipient_status_fault_shows_only_that_it_was_sent(page) -> None:
    doc_id = _sent(page, [{"organ_id": "000.00.00.H99", "statuses": [_st("06", "Hoàn thành", "10:00")]}])
    page.faults("recipient_status_not_shown")
    rows = _status_rows(page.client.get(f"/van-ban-di/{doc_id}").text)
    assert rows[0][2] == "Đã gửi, chưa có trạng thái"
    page.faults()
    assert _status_rows(page.client.get(f"/van-ban-di/{doc_id}").text)[0][2] == "06 – Hoàn thành xử lý"
