"""The văn thư and chuyên viên pages: labelled forms, one set of rules with the API, the sổ đi print
form, and the UI fault switches (each changes only what a person sees)."""

from __future__ import annotations

import re

import pytest


def _login(api, username: str = "vanthu") -> None:
    api.client.cookies.clear()
    response = api.client.post(
        "/dang-nhap", data={"username": username, "password": api.PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    api.client.cookies.set("refoffice_session", response.cookies["refoffice_session"])


@pytest.fixture
def page(api):
    """A clean system with vanthu logged in on the pages."""
    _login(api)
    yield api
    api.client.cookies.clear()


def _labels(html: str) -> dict[str, str]:
    """label text → id of the control it labels (every <label for> must point at a real id)."""
    out = {}
    for target, text in re.findall(r'<label for="([^"]+)">(.*?)</label>', html, re.S):
        text = re.sub(r"<[^>]+>", "", text).replace("*", "").strip()
        assert f'id="{target}"' in html, f"<label for={target}> names no element"
        out[text] = target
    return out


OUTGOING_LABELS = {
    "Tên loại văn bản",
    "Ký hiệu của văn bản",
    "Trích yếu nội dung",
    "Tên cơ quan, tổ chức ban hành văn bản",
    "Ngôn ngữ",
    "Số trang của văn bản",
    "Chức vụ của người ký văn bản",
    "Họ và tên người ký văn bản",
    "Tên cơ quan, tổ chức nhận văn bản",
    "Mã định danh của cơ quan, tổ chức nhận văn bản",
    "Mức độ khẩn, độ mật",
    "Số lượng bản phát hành",
    "Hạn trả lời văn bản",
    "Hệ thống số",
    "Ghi chú",
}


def test_registration_form_labels_every_field_with_its_pl_vi_name(page) -> None:
    html = page.client.get("/van-ban-di/dang-ky").text
    assert set(_labels(html)) == OUTGOING_LABELS
    assert 'aria-label="Đăng ký văn bản đi"' in html
    assert re.search(r'id="truong-subject"[^>]*required aria-required="true"[^>]*maxlength="500"', html)
    assert "Số của văn bản" not in html  # the system numbers: no field to type a number


def test_registration_through_the_form_follows_the_api_rules(page) -> None:
    ok = page.client.post(
        "/van-ban-di/dang-ky",
        data={
            "type_name": "Công văn",
            "code_notation": "UBND-VP",
            "subject": "Về việc thử",
            "page_amount": "2",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and re.fullmatch(r"/van-ban-di/\d+\?moi=1", ok.headers["location"])
    detail = page.client.get(ok.headers["location"]).text
    assert 'role="status"' in detail and "Đã đăng ký văn bản đi số 01/UBND-VP" in detail
    assert re.search(r"<dt>Số, ký hiệu</dt><dd>01/UBND-VP</dd>", detail)
    bad = page.client.post(
        "/van-ban-di/dang-ky",
        data={"type_name": "Công văn", "code_notation": "ubnd vp", "subject": "x" * 501, "page_amount": "2"},
    )
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    assert "Trích yếu nội dung: Dài tối đa 500 ký tự" in bad.text
    assert 'aria-invalid="true" aria-describedby="truong-subject-loi"' in bad.text
    assert "Ký hiệu của văn bản: Ký hiệu không đúng quy định" in bad.text
    assert 'value="ubnd vp"' in bad.text  # what was typed is kept


def test_only_the_van_thu_registers(page) -> None:
    _login(page, "chuyenvien")
    assert page.client.get("/van-ban-di/dang-ky").status_code == 403
    refused = page.client.post("/van-ban-di/dang-ky", data={"type_name": "Công văn"})
    assert refused.status_code == 403 and 'role="alert"' in refused.text
    page.client.cookies.clear()
    assert page.client.get("/van-ban-di/dang-ky", follow_redirects=False).headers["location"] == "/dang-nhap"


def test_print_form_of_the_outgoing_register(page) -> None:
    page.set_clock("2025-03-05T09:00:00+07:00")
    page.issue_ok(subject="Văn bản thứ nhất", signer_full_name="Trần Văn An", issued_amount=3)
    page.issue_ok(subject="Văn bản thứ hai")
    html = page.client.get("/van-ban-di/in?nam=2025").text
    assert '<h1 id="bia">SỔ ĐĂNG KÝ VĂN BẢN ĐI</h1>' in html
    cover = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", html))
    assert cover["Năm"] == "2025" and cover["Quyển số"] == "01"
    assert (cover["Từ số"], cover["Đến số"]) == ("01", "02")
    assert (cover["Từ ngày"], cover["Đến ngày"]) == ("05/03/2025", "05/03/2025")
    headings = re.findall(r'<th scope="col">([^<(]+)</th>', html)
    assert headings[-2:] == ["Ký nhận", "Ghi chú"] and len(headings) == 10
    assert "@page { size: A4 landscape" in html


def test_dossier_pages_open_and_file_documents(api) -> None:
    doc = api.issue_ok()
    _login(api, "chuyenvien")
    form = api.client.get("/ho-so/mo").text
    assert set(_labels(form)) == {
        "Hồ sơ trong Danh mục hồ sơ",
        "Số và ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Thời hạn bảo quản",
        "Người lập hồ sơ",
        "Thời gian bắt đầu",
        "Chế độ sử dụng",
        "Ngôn ngữ",
        "Ghi chú",
    }
    opened = api.client.post(
        "/ho-so/mo",
        data={"file_notation": "01.TCCB", "title": "Hồ sơ thử", "maintenance": "vĩnh viễn", "creator": "An",
              "start_date": "2025-03-14"},
        follow_redirects=False,
    )  # fmt: skip
    assert opened.status_code == 303
    location = opened.headers["location"]
    dossier_id = re.search(r"/ho-so/(\d+)", location).group(1)
    detail = api.client.get(location).text
    assert "<dt>Thời hạn bảo quản</dt><dd>Vĩnh viễn</dd>" in detail
    filed = api.client.post(f"/ho-so/{dossier_id}/van-ban", data={"document_id": str(doc["id"])})
    assert filed.status_code == 200 and "với số thứ tự 1." in filed.text
    again = api.client.post(f"/ho-so/{dossier_id}/van-ban", data={"document_id": str(doc["id"])})
    assert again.status_code == 409 and "Văn bản đã có trong hồ sơ" in again.text
    duplicate = api.client.post(
        "/ho-so/mo",
        data={"file_notation": "01.TCCB", "title": "Trùng", "maintenance": "5 năm", "creator": "An",
              "start_date": "2025-03-14"},
    )  # fmt: skip
    assert duplicate.status_code == 409 and "Số và ký hiệu hồ sơ: Mã hồ sơ" in duplicate.text
    _login(api, "chuyenvien2")  # not the owner: the API's refusal, shown in the error summary
    refused = api.client.post(f"/ho-so/{dossier_id}/van-ban", data={"document_id": "1"})
    assert refused.status_code == 403 and 'role="alert"' in refused.text
    assert "chỉ người lập hồ sơ" in refused.text
    api.client.cookies.clear()


def _issued_entry(api) -> dict:
    """An entry of an issued Danh mục hồ sơ 2026 assigned to chuyenvien."""
    cv = api.call("GET", "/api/me", user="chuyenvien").json()["id"]
    plan = api.call("POST", "/api/file-plans", json={"year": 2026, "scope": "Văn phòng"}).json()
    heading = api.call(
        "POST",
        f"/api/file-plans/{plan['id']}/headings",
        json={"title": "Tổ chức cán bộ", "abbreviation": "TCCB"},
    ).json()
    entry = api.call(
        "POST",
        f"/api/file-plans/{plan['id']}/entries",
        json={
            "heading_id": heading["id"],
            "title": "Hồ sơ tuyển dụng",
            "maintenance": "20 năm",
            "assignee_id": cv,
        },
    ).json()
    approved = api.call(
        "POST",
        f"/api/file-plans/{plan['id']}/approve",
        user="lanhdao",
        json={"decision_number": "12/QĐ-UBND", "decision_date": "2026-01-05"},
    )
    assert approved.status_code == 200, approved.text
    return entry


def test_a_dossier_is_opened_from_the_plan_on_the_pages(api) -> None:
    entry = _issued_entry(api)
    _login(api, "chuyenvien2")  # listed for everyone; only the assignee may open it (the API's rule)
    form = api.client.get("/ho-so/mo").text
    assert f'<option value="{entry["id"]}">{entry["file_notation"]} — Hồ sơ tuyển dụng' in form
    assert 'aria-describedby="truong-plan-entry-id-huong-dan"' in form
    other = api.client.post("/ho-so/mo", data={"plan_entry_id": str(entry["id"]), "start_date": "2026-03-02"})
    assert other.status_code == 403 and 'role="alert"' in other.text
    _login(api, "chuyenvien")
    opened = api.client.post(
        "/ho-so/mo",
        data={"plan_entry_id": str(entry["id"]), "start_date": "2026-03-02"},
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    detail = api.client.get(opened.headers["location"]).text
    assert "<dt>Tiêu đề hồ sơ</dt><dd>Hồ sơ tuyển dụng</dd>" in detail
    assert f"<dt>Số và ký hiệu hồ sơ</dt><dd>{entry['file_notation']}</dd>" in detail
    assert f"Mục số {entry['id']}: {entry['file_notation']}" in detail
    assert "<dt>Tiêu đề hồ sơ trong Danh mục</dt><dd>Hồ sơ tuyển dụng</dd>" in detail
    cv = api.call("GET", "/api/me", user="chuyenvien").json()["id"]
    assert f"(mã số tài khoản {cv})" in detail
    api.client.cookies.clear()


@pytest.mark.parametrize("username", ["lanhdao", "luutru", "vanthu"])
def test_everyone_who_handles_work_opens_dossiers_on_the_pages(api, username: str) -> None:
    _login(api, username)
    assert api.client.get("/ho-so/mo").status_code == 200
    opened = api.client.post(
        "/ho-so/mo",
        data={"file_notation": "01.NV", "title": "Hồ sơ công việc", "maintenance": "10 năm", "creator": "An",
              "start_date": "2026-03-02"},
        follow_redirects=False,
    )  # fmt: skip
    assert opened.status_code == 303, opened.text
    _login(api, "quantri")
    assert api.client.get("/ho-so/mo").status_code == 403
    api.client.cookies.clear()


def test_dossier_files_are_collected_on_the_dossier_page(api) -> None:
    dossier = api.open_dossier_ok()
    _login(api, "chuyenvien")
    assert (
        api.client.get(f"/van-ban/dossier/{dossier['id']}", follow_redirects=False).headers["location"]
        == f"/ho-so/{dossier['id']}"
    )
    mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x00ghi am"
    up = api.client.post(
        f"/ho-so/{dossier['id']}/tep",
        files={"file": ("ghi-am.mp3", mp3, "audio/mpeg")},
        data={"description": "Ghi âm phát biểu"},
        follow_redirects=False,
    )
    assert up.status_code == 303, up.text
    shown = api.client.get(up.headers["location"]).text
    assert f'<a href="/ho-so/{dossier["id"]}">' in shown
    assert api.client.get(up.headers["location"].split("?")[0] + "/tai-ve").content == mp3
    assert "ghi-am.mp3" in api.client.get(f"/ho-so/{dossier['id']}").text
    _login(api, "chuyenvien2")  # someone else's dossier: the API's refusal, on the page
    refused = api.client.post(f"/ho-so/{dossier['id']}/tep", files={"file": ("b.mp3", mp3, "audio/mpeg")})
    assert refused.status_code == 403 and 'role="alert"' in refused.text
    api.client.cookies.clear()


def test_ui_faults_change_only_what_a_person_sees(page) -> None:
    page.faults("outgoing_label_missing")
    html = page.client.get("/van-ban-di/dang-ky").text
    assert "Trích yếu nội dung" not in _labels(html)
    assert 'placeholder="Trích yếu nội dung"' in html
    assert page.issue(subject="x" * 501).status_code == 422  # the API keeps its rule
    _login(page, "chuyenvien")
    page.faults("dossier_label_wrong")
    labels = _labels(page.client.get("/ho-so/mo").text)
    assert "Lưu trữ" in labels and "Thời hạn bảo quản" not in labels
    page.faults("control_not_keyboard_reachable")
    assert re.search(r'id="truong-description"[^>]*tabindex="-1"', page.client.get("/ho-so/mo").text)
    page.faults("so_di_print_missing_column")
    printed = page.client.get("/van-ban-di/in").text
    assert "Ký nhận" not in printed and "Ghi chú" in printed
    assert "Ký nhận" in page.client.get("/van-ban-di").text  # the on-screen register keeps it


def test_form_limits_mirror_the_server_faults(page) -> None:
    page.faults("subject_length_unchecked", "manual_number_required")
    html = page.client.get("/van-ban-di/dang-ky").text
    assert re.search(r'id="truong-subject"[^>]*maxlength="2000"', html)
    assert "Số của văn bản" in _labels(html)
    _login(page, "chuyenvien")
    page.faults("dossier_start_date_optional", "dossier_title_length_unchecked")
    form = page.client.get("/ho-so/mo").text
    assert not re.search(r'id="truong-start-date"[^>]*required', form)
    title_max = re.search(r'id="truong-title"[^>]*maxlength="([0-9]+)"', form)
    assert title_max and int(title_max.group(1)) > 1000  # past the longer (TT 05/2025) limit too


def test_files_are_uploaded_and_downloaded_from_the_pages(page) -> None:
    doc = page.issue_ok()
    pdf = "%PDF-1.4\n% thử\n".encode()
    up = page.client.post(
        f"/van-ban-di/{doc['id']}/tep",
        files={"file": ("Công văn.pdf", pdf, "application/pdf")},
        data={"description": "Bản chính"},
        follow_redirects=False,
    )
    assert up.status_code == 303 and re.fullmatch(r"/tep/\d+\?moi=1", up.headers["location"])
    shown = page.client.get(up.headers["location"]).text
    assert "<dt>Kích thước (byte)</dt><dd>" + str(len(pdf)) + "</dd>" in shown
    file_id = re.search(r"/tep/(\d+)", up.headers["location"]).group(1)
    got = page.client.get(f"/tep/{file_id}/tai-ve")
    assert got.content == pdf and "attachment" in got.headers["content-disposition"]
    assert "Công văn.pdf" in page.client.get(f"/van-ban-di/{doc['id']}").text
    bad = page.client.post(f"/van-ban-di/{doc['id']}/tep", files={"file": ("a.txt", b"x", "text/plain")})
    assert bad.status_code == 415 and "Tệp: Định dạng text/plain không được chấp nhận" in bad.text
    assert page.client.get(f"/van-ban/outgoing/{doc['id']}", follow_redirects=False).status_code == 303
    assert page.client.get(f"/van-ban/incoming/{doc['id']}", follow_redirects=False).status_code == 404


def test_object_rights_and_freezes_hold_on_the_pages(page) -> None:
    doc = page.issue_ok(subject="Văn bản hạn chế")
    assert page.call("POST", f"/api/acl/documents/{doc['id']}/restrict", json={}).status_code == 201
    assert page.client.get(f"/van-ban-di/{doc['id']}").status_code == 200  # the owner still sees it
    _login(page, "chuyenvien")
    assert page.client.get(f"/van-ban-di/{doc['id']}").status_code == 404  # as if it did not exist
    assert "Văn bản hạn chế" not in page.client.get("/van-ban-di/in").text
    opened = page.open_dossier_ok()
    assert "Văn bản hạn chế" not in page.client.get(f"/ho-so/{opened['id']}").text  # not in the picker
    other = page.issue_ok(subject="Văn bản đóng băng")
    frozen = page.call("POST", f"/api/archive/documents/{other['id']}/freeze", user="luutru", json={})
    assert frozen.status_code == 201, frozen.text
    _login(page, "vanthu")
    up = page.client.post(
        f"/van-ban-di/{other['id']}/tep", files={"file": ("a.pdf", b"%PDF-1.4\n", "application/pdf")}
    )
    assert up.status_code == 409 and "đóng băng" in up.text
