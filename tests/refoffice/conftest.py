"""Shared fixtures: one in-process app per test session, reset before every test.

The bulk of the rule tests run through FastAPI's TestClient for speed; `test_server.py`
starts the real `python -m refoffice serve` process.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from refoffice.app import create_app
from refoffice.config import Config
from refoffice.db import sqlite_url

PASSWORD = "Mật-khẩu-thử-nghiệm-1"
CONTROL_TOKEN = "control-token-for-tests"
ORGAN_ID = "000.00.00.H99"
ORGAN_NAME = "Ủy ban nhân dân tỉnh Thử Nghiệm"
# TestClient responses are httpx2 (Starlette ≥1.10) or httpx responses; only the common API is used.
Response = Any
USERS = ["vanthu", "lanhdao", "chuyenvien", "chuyenvien2", "luutru", "quantri"]


def make_config(db_url: str, faults: tuple[str, ...] = ()) -> Config:
    """A test configuration with a cheap password hash."""
    return Config(
        db_url=db_url,
        password=PASSWORD,
        control_token=CONTROL_TOKEN,
        organ_id=ORGAN_ID,
        organ_name=ORGAN_NAME,
        faults=frozenset(faults),
        hash_iterations=1_000,
    )


class _Omit:
    """Marker: leave this field out of the request body."""

    def __repr__(self) -> str:
        return "OMIT"


class Api:
    """A thin client that knows the seeded users' tokens and the usual request bodies.

    Tests reach helpers and constants through this fixture object rather than by importing
    conftest, which would clash with other test folders' conftest modules.
    """

    OMIT: Any = _Omit()
    PASSWORD = PASSWORD
    CONTROL_TOKEN = CONTROL_TOKEN
    ORGAN_ID = ORGAN_ID
    ORGAN_NAME = ORGAN_NAME
    USERS = USERS

    @staticmethod
    def fields(response: Response) -> list[str]:
        """The `field` of every error in a 4xx body."""
        return [e["field"] for e in response.json()["errors"]]

    @staticmethod
    def nfd(text: str) -> str:
        """Decomposed form, as some keyboards and browsers send it."""
        return unicodedata.normalize("NFD", text)

    def __init__(self, client: TestClient, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens

    def call(self, method: str, path: str, user: str | None = "vanthu", **kwargs: Any) -> Response:
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return self.client.request(method, path, headers=headers, **kwargs)

    def control(self, method: str, path: str, **kwargs: Any) -> Response:
        return self.client.request(method, path, headers={"X-Control-Token": CONTROL_TOKEN}, **kwargs)

    def faults(self, *names: str) -> None:
        response = self.control("POST", "/__control__/faults", json={"enable": list(names)})
        assert response.status_code == 200, response.text

    def reset(self) -> None:
        assert self.control("POST", "/__control__/reset").status_code == 200

    def set_clock(self, now: str, frozen: bool = True) -> None:
        response = self.call("POST", "/api/test/clock", user="quantri", json={"now": now, "frozen": frozen})
        assert response.status_code == 200, response.text

    def issue(self, user: str = "vanthu", **fields: Any) -> Response:
        body: dict[str, Any] = {
            "type_name": "Quyết định",
            "code_notation": "QĐ-UBND",
            "subject": "Về việc ban hành Quy chế thử nghiệm",
            "page_amount": 2,
        }
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not self.OMIT}
        return self.call("POST", "/api/documents/outgoing", user=user, json=body)

    def issue_ok(self, **fields: Any) -> dict[str, Any]:
        response = self.issue(**fields)
        assert response.status_code == 201, response.text
        return response.json()

    def open_dossier(self, user: str = "chuyenvien", **fields: Any) -> Response:
        body: dict[str, Any] = {
            "title": "Hồ sơ tuyển dụng công chức năm 2025",
            "file_notation": "01.TCCB",
            "maintenance": "Vĩnh viễn",
            "creator": "Lê Thị Cúc",
            "start_date": "2025-03-14",
        }
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not self.OMIT}
        return self.call("POST", "/api/dossiers", user=user, json=body)

    def open_dossier_ok(self, **fields: Any) -> dict[str, Any]:
        response = self.open_dossier(**fields)
        assert response.status_code == 201, response.text
        return response.json()

    def attach(self, dossier_id: int, document_id: int, user: str = "chuyenvien") -> Response:
        return self.call(
            "POST", f"/api/dossiers/{dossier_id}/documents", user=user, json={"document_id": document_id}
        )


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db = tmp_path_factory.mktemp("refoffice") / "refoffice.db"
    return create_app(make_config(sqlite_url(str(db))))


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def tokens(client: TestClient) -> dict[str, str]:
    out = {}
    for username in USERS:
        response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[username] = response.json()["access_token"]
    return out


@pytest.fixture(scope="session")
def shared_api(client: TestClient, tokens: dict[str, str]) -> Api:
    """The helper without the per-test reset, for module-scoped fixtures."""
    return Api(client, tokens)


@pytest.fixture
def api(shared_api: Api) -> Iterator[Api]:
    """A clean system (no data, real clock, no faults) for every test."""
    helper = shared_api
    helper.faults()
    helper.reset()
    yield helper
    helper.faults()
