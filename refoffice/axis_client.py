"""The reference's client of the national axis (SDK-shaped REST with per-request HMAC).

Independent of the harness: it signs ``systemid + timestamp + Content-Type + body`` with
HMAC-SHA256 (edxml.md §13.2) itself, sends packages as multipart, and turns every failure into
``AxisUnavailable`` (transport trouble: retry later) or ``AxisRefused`` (the axis said no).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from typing import Any

import requests

VN = dt.timezone(dt.timedelta(hours=7))


class AxisUnavailable(Exception):
    """No usable answer (network, time-out, 5xx): the call may be repeated."""


class AxisRefused(Exception):
    """The axis refused the call (4xx with ErrorCode); ``code`` says why."""

    def __init__(self, status: int, code: str, desc: str) -> None:
        super().__init__(f"{status} {code}: {desc}")
        self.status, self.code, self.desc = status, code, desc


class AxisClient:
    def __init__(
        self, url: str, system_id: str, secret: str, organ_id: str, *, timeout: float = 10.0
    ) -> None:
        self.url = url.rstrip("/")
        self.system_id, self._secret, self.organ_id = system_id, secret, organ_id
        self.timeout = timeout
        self.session = requests.Session()
        self.sign_with_utc = False  # fault switch: the timestamp header in UTC instead of Vietnam time

    def _headers(self, body: bytes, ctype: str) -> dict[str, str]:
        now = dt.datetime.now(dt.UTC if self.sign_with_utc else VN)
        stamp = now.strftime("%d%m%YT%H%M%S") + f"+{now.microsecond // 1000:04d}"
        mac = hmac.new(
            self._secret.encode(), f"{self.system_id}{stamp}{ctype}".encode() + body, hashlib.sha256
        )
        return {
            "systemid": self.system_id,
            "timestamp": stamp,
            "XroadVnpt-sign-header": mac.hexdigest(),
            "XroadVnpt-version": "2.0.1",
            "Content-Type": ctype,
        }

    def _post(self, op: str, body: bytes, ctype: str, timeout: float | None = None) -> dict[str, Any]:
        try:
            r = self.session.post(
                f"{self.url}/{op}",
                data=body,
                headers=self._headers(body, ctype),
                timeout=timeout or self.timeout,
            )
        except requests.RequestException as exc:
            raise AxisUnavailable(f"{op}: {type(exc).__name__}") from None
        try:
            out = r.json()
        except ValueError:
            raise AxisUnavailable(f"{op}: HTTP {r.status_code} không phải JSON") from None
        if r.status_code >= 500:
            raise AxisUnavailable(f"{op}: HTTP {r.status_code} {out.get('ErrorCode')}")
        if r.status_code >= 400 or out.get("status") != "OK":
            raise AxisRefused(r.status_code, str(out.get("ErrorCode")), str(out.get("ErrorDesc")))
        return out

    def call(self, op: str, payload: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        return self._post(op, json.dumps(payload).encode(), "application/json", timeout)

    def received(self, messagetype: str, wait: float = 0.0) -> list[dict[str, Any]]:
        payload: dict[str, Any] = {"servicetype": "eDoc", "messagetype": messagetype}
        if wait:
            payload["wait"] = wait
        return list(self.call("getReceivedEdocList", payload, timeout=self.timeout + wait).get("data") or [])

    def get(self, doc_id: str) -> bytes:
        out = self.call("getEdoc", {"docId": doc_id})
        try:
            return base64.b64decode(out["data"], validate=True)
        except (KeyError, ValueError) as exc:
            raise AxisUnavailable(f"getEdoc: dữ liệu không đọc được ({exc})") from None

    def ack(self, doc_id: str, status: str, description: str = "") -> None:
        self.call("updateStatus", {"docId": doc_id, "status": status, "description": description})

    def send(self, package: bytes, messagetype: str) -> dict[str, Any]:
        boundary = uuid.uuid4().hex
        head = json.dumps({"from": self.organ_id, "servicetype": "eDoc", "messagetype": messagetype})
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="header"\r\n'
                f"Content-Type: application/json\r\n\r\n{head}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="goitin.edxml"\r\n'
                f"Content-Type: application/xml\r\n\r\n"
            ).encode()
            + package
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self._post("sendEdoc", body, f"multipart/form-data; boundary={boundary}")

    def agencies(self) -> list[dict[str, Any]]:
        return list(self.call("getAgenciesListQD20", {}).get("data") or [])
