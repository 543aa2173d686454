"""Server-rendered Vietnamese pages: Đăng nhập and Văn bản đi."""

from __future__ import annotations

import re


def _login(api, password: str) -> object:
    return api.client.post(
        "/dang-nhap", data={"username": "vanthu", "password": password}, follow_redirects=False
    )


def test_login_page_is_vietnamese_and_labelled(api) -> None:
    response = api.client.get("/dang-nhap")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="vi">' in html
    assert "<h1>Đăng nhập</h1>" in html
    for label_for in re.findall(r'<label for="([^"]+)"', html):
        assert f'id="{label_for}"' in html
    assert set(re.findall(r'<label for="([^"]+)"', html)) == {"username", "password"}
    assert 'type="password"' in html


def test_root_redirects_to_login_when_anonymous(api) -> None:
    api.client.cookies.clear()
    response = api.client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/dang-nhap")
    page = api.client.get("/van-ban-di", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/dang-nhap")


def test_wrong_password_shows_an_alert(api) -> None:
    response = _login(api, "sai")
    assert response.status_code == 401
    assert 'role="alert"' in response.text and "không đúng" in response.text
    assert 'value="vanthu"' in response.text


def test_login_then_register_lists_the_documents(api) -> None:
    api.set_clock("2025-03-05T09:00:00+07:00")
    api.issue_ok(subject="Về việc <kiểm thử> & thoát ký tự", signer_full_name="Trần Văn An")
    response = _login(api, api.PASSWORD)
    assert (response.status_code, response.headers["location"]) == (303, "/van-ban-di")
    assert "httponly" in response.headers["set-cookie"].lower()
    page = api.client.get("/van-ban-di")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Văn bản đi</h1>" in html
    assert "Sổ đăng ký văn bản đi năm 2025" in html
    assert "01/QĐ-UBND" in html and "05/03/2025" in html and "Trần Văn An" in html
    assert "&lt;kiểm thử&gt; &amp; thoát" in html
    assert '<label for="nam">' in html and 'id="nam"' in html
    assert api.client.get("/van-ban-di?nam=2024").text.count("Chưa có văn bản đi nào") == 1
    assert api.client.get("/", follow_redirects=False).headers["location"] == "/van-ban-di"
    out = api.client.post("/dang-xuat", follow_redirects=False)
    assert out.headers["location"] == "/dang-nhap"
    api.client.cookies.clear()
    assert api.client.get("/van-ban-di", follow_redirects=False).status_code == 303
