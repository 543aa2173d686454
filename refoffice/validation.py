"""Field checks with Vietnamese messages (NĐ 30 PL VI lengths, counted in NFC characters)."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from typing import Any

from fastapi import Request

from refoffice.errors import INVALID, ApiError

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def nfc(value: Any) -> Any:
    """NFC-normalise every string in a JSON value, so lengths count characters, not combining marks."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


def require_object(payload: Any) -> dict[str, Any]:
    """The body must be a JSON object."""
    if not isinstance(payload, dict):
        raise ApiError(422, INVALID, [{"field": "body", "message": "Phải là một đối tượng JSON"}])
    return nfc(payload)


class Checker:
    """Collects per-field errors so a client learns about every bad field at once."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix
        self.errors: list[dict[str, str]] = []

    def error(self, name: str, message: str) -> None:
        """Record one error against `name`."""
        self.errors.append({"field": f"{self.prefix}{name}", "message": message})

    def present(self, name: str) -> bool:
        """Whether the client sent a value (null and blank strings count as not sent)."""
        value = self.data.get(name)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def text(
        self, name: str, max_len: int, *, required: bool = False, default: str | None = None
    ) -> str | None:
        """A trimmed string of at most `max_len` characters; empty counts as missing."""
        value = self.data.get(name)
        if value is None:
            if required:
                self.error(name, "Không được để trống")
            return default
        if not isinstance(value, str):
            self.error(name, "Phải là chuỗi ký tự")
            return None
        value = value.strip()
        if not value:
            if required:
                self.error(name, "Không được để trống")
            return default
        if len(value) > max_len:
            self.error(name, f"Dài tối đa {max_len} ký tự (hiện có {len(value)} ký tự)")
            return None
        return value

    def integer(
        self, name: str, low: int, high: int, *, required: bool = False, default: int | None = None
    ) -> int | None:
        """An integer in [low, high]; booleans and numeric strings are refused."""
        value = self.data.get(name)
        if not self.present(name):
            if required:
                self.error(name, "Không được để trống")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, "Phải là số nguyên")
            return None
        if not low <= value <= high:
            self.error(name, f"Phải là số nguyên từ {low} đến {high}")
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        """A calendar date written YYYY-MM-DD."""
        value = self.data.get(name)
        if not self.present(name):
            if required:
                self.error(name, "Không được để trống")
            return None
        if not isinstance(value, str) or not _DATE_RE.match(value.strip()):
            self.error(name, "Ngày không hợp lệ, phải theo định dạng YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.error(name, "Ngày không tồn tại")
            return None

    def raise_if_errors(self) -> None:
        """Stop with 422 if anything was wrong."""
        if self.errors:
            raise ApiError(422, INVALID, self.errors)


async def json_body(request: Request) -> Any:
    """The request body as JSON.

    A dependency rather than a `Body()` parameter so that it is solved after the auth
    dependencies declared before it: a request without a token gets 401, not 422.
    """
    raw = await request.body()
    if not raw.strip():
        raise ApiError(422, INVALID, [{"field": "body", "message": "Thiếu nội dung JSON"}])
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(
            422, INVALID, [{"field": "body", "message": "Nội dung không phải JSON UTF-8 hợp lệ"}]
        ) from None


def parse_id(value: str) -> int | None:
    """A positive integer id from a path segment; anything else simply matches nothing (404)."""
    if value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None
