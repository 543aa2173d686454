"""Clients of the simulated axis: an SDK-shaped connector client and the owner client.

``AxisClient`` speaks to the axis exactly as a vendor's connector does (HMAC headers, JSON bodies,
``sendEdoc`` as multipart with the ``.edxml`` file); tests and the benchmark use it, and it is a
worked example for vendors. ``OwnerClient`` is the harness side (``/__owner__/``), used by the
exchange driver, possibly from another process than the one serving the axis.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import requests

from . import auth
from .server import OWNER_HEADER

__all__ = ["AxisClient", "OwnerClient", "OwnerError"]


class AxisClient:
    """One agency's connector: every request signed with its system id and secret."""

    def __init__(
        self, base_url: str, system_id: str, secret: str, *, agency: str | None = None, timeout: float = 10.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.system_id, self.secret, self.timeout = system_id, secret, timeout
        self.agency = agency or system_id  # the ``from`` of sendEdoc: the agency code
        self.session = requests.Session()

    def call(self, op: str, payload: dict[str, Any] | None = None) -> requests.Response:
        """POST a JSON body to ``/<op>`` with the signature headers."""
        body = json.dumps(payload or {}, ensure_ascii=False).encode("utf-8")
        headers = auth.sign_headers(self.system_id, self.secret, body, "application/json")
        return self.session.post(f"{self.base_url}/{op}", data=body, headers=headers, timeout=self.timeout)

    def send_edoc(
        self, package: bytes, *, messagetype: str = "edoc", sender: str | None = None
    ) -> dict[str, Any]:
        """``sendEdoc``: multipart with a JSON header part and the package as an ``.edxml`` file."""
        boundary = uuid.uuid4().hex
        head = json.dumps({"from": sender or self.agency, "servicetype": "eDoc", "messagetype": messagetype})
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="header"\r\n'
                f"Content-Type: application/json\r\n\r\n{head}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="package.edxml"\r\n'
                f"Content-Type: application/xml\r\n\r\n"
            ).encode()
            + package
            + f"\r\n--{boundary}--\r\n".encode()
        )
        ctype = f"multipart/form-data; boundary={boundary}"
        headers = auth.sign_headers(self.system_id, self.secret, body, ctype)
        r = self.session.post(f"{self.base_url}/sendEdoc", data=body, headers=headers, timeout=self.timeout)
        return r.json()

    def received(self, messagetype: str = "edoc", *, wait: float = 0.0) -> list[dict[str, Any]]:
        payload: dict[str, Any] = {"servicetype": "eDoc", "messagetype": messagetype}
        if wait:
            payload["wait"] = wait
        r = self.call("getReceivedEdocList", payload)
        r.raise_for_status()
        return list(r.json()["data"])

    def get_edoc(self, doc_id: str) -> bytes:
        r = self.call("getEdoc", {"docId": doc_id})
        r.raise_for_status()
        return base64.b64decode(r.json()["data"])

    def update_status(self, doc_id: str, status: str, description: str = "") -> dict[str, Any]:
        return self.call(
            "updateStatus", {"docId": doc_id, "status": status, "description": description}
        ).json()

    def sent(self, messagetype: str | None = None) -> list[dict[str, Any]]:
        r = self.call("getSentEdocList", {"servicetype": "eDoc", "messagetype": messagetype or ""})
        r.raise_for_status()
        return list(r.json()["data"])

    def agencies(self, qd20: bool = False) -> list[dict[str, Any]]:
        r = self.call("getAgenciesListQD20" if qd20 else "getAgenciesList", {})
        r.raise_for_status()
        return list(r.json()["data"])


class OwnerError(RuntimeError):
    """The owner API refused a request or could not be reached."""


class OwnerClient:
    """The harness side of the axis (``/__owner__/``)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers[OWNER_HEADER] = token

    def request(
        self,
        method: str,
        route: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        params: dict[str, Any] | None = None,
        hold: float = 0.0,
    ) -> dict[str, Any]:
        """One owner call; ``hold`` extends the read time-out by a server-side wait."""
        try:
            r = self.session.request(
                method,
                f"{self.base_url}/__owner__/{route}",
                json=json_body,
                data=data,
                params=params,
                timeout=(self.timeout, self.timeout + hold),
            )
        except requests.RequestException as e:
            raise OwnerError(f"trục mô phỏng không trả lời: {type(e).__name__}") from e
        try:
            out = r.json()
        except ValueError:
            out = {"error": r.text[:300]}
        if r.status_code >= 300:
            raise OwnerError(
                f"trục mô phỏng từ chối {method} {route}: HTTP {r.status_code} {out.get('error')}"
            )
        return out

    def mark(self) -> int:
        return int(self.request("GET", "mark")["seq"])

    def add_agency(self, code102: str, name: str, **kw: Any) -> dict[str, Any]:
        return self.request("POST", "agencies", json_body={"code102": code102, "name": name, **kw})["agency"]

    def credentials(self, agency: str, secret: str, system_id: str | None = None) -> None:
        self.request(
            "POST", "credentials", json_body={"agency": agency, "secret": secret, "system_id": system_id}
        )

    def deliver(
        self,
        package: bytes,
        to: str | list[str],
        *,
        sender: str | None = None,
        messagetype: str | None = None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"to": to}
        if sender:
            params["sender"] = sender
        if messagetype:
            params["messagetype"] = messagetype
        return self.request("POST", "deliver", data=package, params=params)

    def messages(
        self,
        *,
        sender: str | None = None,
        messagetype: str | None = None,
        after: int = 0,
        count: int = 0,
        wait: float = 0.0,
        data: bool = True,
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"after": after, "count": count, "wait": wait, "data": "1" if data else "0"}
        if sender:
            params["sender"] = sender
        if messagetype:
            params["messagetype"] = messagetype
        return list(self.request("GET", "messages", params=params, hold=wait)["messages"])

    def delivery(
        self, delivery_id: str, *, states: list[str] | None = None, wait: float = 0.0
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"wait": wait}
        if states:
            params["states"] = ",".join(states)
        return self.request("GET", f"deliveries/{delivery_id}", params=params, hold=wait)

    def journal(
        self, *, after: int = 0, kind: str | None = None, agency: str | None = None
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"after": after}
        if kind:
            params["kind"] = kind
        if agency:
            params["agency"] = agency
        return list(self.request("GET", "journal", params=params)["entries"])

    def faults(self, **spec: Any) -> None:
        self.request("POST", "faults", json_body=spec)

    def relist(self, delivery_id: str) -> None:
        self.request("POST", "relist", json_body={"delivery_id": delivery_id})

    def peer_status(self, doc_id: str, code: str, **kw: Any) -> dict[str, Any]:
        return self.request("POST", "peer_status", json_body={"doc_id": doc_id, "code": code, **kw})

    def recall(self, delivery_id: str, reason: str | None = None) -> dict[str, Any]:
        return self.request("POST", "recall", json_body={"delivery_id": delivery_id, "reason": reason})
