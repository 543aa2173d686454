"""Login, tokens, roles and the control token."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI


def test_login_ok_returns_token_role_and_user_id(api) -> None:
    response = api.client.post("/api/auth/login", json={"username": "lanhdao", "password": api.PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["role"] == "lanh_dao"
    assert isinstance(body["user_id"], int)
    me = api.client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {
        "id": body["user_id"],
        "username": "lanhdao",
        "full_name": "Trần Văn An",
        "role": "lanh_dao",
    }


@pytest.mark.parametrize(
    "username,role",
    [
        ("vanthu", "van_thu"),
        ("chuyenvien", "chuyen_vien"),
        ("chuyenvien2", "chuyen_vien"),
        ("luutru", "luu_tru_vien"),
        ("quantri", "quan_tri"),
        ("lanhdao", "lanh_dao"),
    ],
)
def test_seeded_users_have_their_roles(api, username: str, role: str) -> None:
    assert api.call("GET", "/api/me", user=username).json()["role"] == role


@pytest.mark.parametrize(
    "body", [{"username": "vanthu", "password": "sai"}, {"username": "khongco", "password": "x"}]
)
def test_login_with_wrong_credentials_is_401(api, body: dict) -> None:
    response = api.client.post("/api/auth/login", json=body)
    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng", "errors": []}


def test_login_accepts_a_decomposed_password(api) -> None:
    response = api.client.post(
        "/api/auth/login", json={"username": "vanthu", "password": api.nfd(api.PASSWORD)}
    )
    assert response.status_code == 200


def test_login_without_fields_is_422_naming_them(api) -> None:
    response = api.client.post("/api/auth/login", json={})
    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu không hợp lệ"
    assert api.fields(response) == ["username", "password"]


def test_invalid_json_is_422_in_the_contract_shape(api) -> None:
    response = api.client.post(
        "/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Dữ liệu không hợp lệ",
        "errors": [{"field": "body", "message": "Nội dung không phải JSON UTF-8 hợp lệ"}],
    }


def _protected(app: FastAPI) -> list[tuple[str, str]]:
    """Every /api/* operation from the OpenAPI schema (all API routes are in it)."""
    out = []
    for path, operations in app.openapi()["paths"].items():
        if not path.startswith("/api/") or path in ("/api/health", "/api/auth/login"):
            continue
        for method in sorted(operations):
            out.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return out


def test_every_api_endpoint_but_health_and_login_needs_a_token(api, app: FastAPI) -> None:
    endpoints = _protected(app)
    assert len(endpoints) >= 10
    for method, path in endpoints:
        for headers in ({}, {"Authorization": "Bearer sai-token"}, {"Authorization": "Basic abc"}):
            response = api.client.request(method, path, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.json()["detail"] == "Chưa đăng nhập hoặc phiên đăng nhập không hợp lệ"
            assert response.headers["www-authenticate"] == "Bearer"


def test_health_and_login_need_no_token(api) -> None:
    health = api.client.get("/api/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00", health.json()["now"])


@pytest.mark.parametrize(
    "method,path,user",
    [
        ("POST", "/api/documents/outgoing", "chuyenvien"),
        ("POST", "/api/documents/outgoing", "lanhdao"),
        ("POST", "/api/dossiers", "quantri"),
        ("POST", "/api/file-plans/1/approve", "vanthu"),
        ("POST", "/api/test/clock", "vanthu"),
        ("DELETE", "/api/test/clock", "chuyenvien"),
    ],
)
def test_wrong_role_is_403(api, method: str, path: str, user: str) -> None:
    response = api.call(method, path, user=user, json={"now": "2025-01-01T00:00:00+07:00"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Tài khoản không có quyền")


@pytest.mark.parametrize(
    "method,path",
    [("GET", "/__control__/faults"), ("POST", "/__control__/faults"), ("POST", "/__control__/reset")],
)
@pytest.mark.parametrize("token", [None, "sai", ""])
def test_control_needs_the_control_token(api, method: str, path: str, token: str | None) -> None:
    headers = {} if token is None else {"X-Control-Token": token}
    response = api.client.request(method, path, headers=headers, json={"enable": []})
    assert response.status_code == 401


def test_user_tokens_do_not_open_control(api) -> None:
    response = api.call("POST", "/__control__/reset", user="quantri")
    assert response.status_code == 401


def test_unknown_ids_are_404(api) -> None:
    for path in ("/api/documents/outgoing/999999", "/api/dossiers/999999", "/api/dossiers/abc"):
        response = api.call("GET", path)
        assert response.status_code == 404
        assert response.json()["errors"] == []
