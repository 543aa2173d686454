"""The simulated axis over HTTP: the SDK-shaped paths for connectors, ``/__owner__/`` for the harness.

Why the stdlib ``ThreadingHTTPServer``: one thread per connection lets long polls and held
replies (time-out injection) block without stalling other callers, with no extra dependency; all
rules live in ``core.Axis``. Bound to a free port on 127.0.0.1 unless told otherwise, with
TCP_NODELAY (a keep-alive client would otherwise wait ~40 ms for the delayed ACK on each reply).

The owner API is how the harness (possibly from another process, e.g. an xdist worker) plays peer
agencies, injects faults and reads the journal; every owner request carries ``X-Axis-Owner-Token``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conformance.standards.edxml.validate import ValidationOptions

from .core import Axis, AxisError

__all__ = ["OWNER_HEADER", "AxisServer"]

OWNER_HEADER = "X-Axis-Owner-Token"
OWNER_PREFIX = "/__owner__/"
JSON = "application/json; charset=utf-8"

Reply = tuple[int, str, bytes]


def _reply(status: int, payload: Any) -> Reply:
    return status, JSON, json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, owner: AxisServer, host: str, port: int) -> None:
        self.owner = owner
        self.conns: set[socket.socket] = set()
        self.conns_lock = threading.Lock()
        super().__init__((host, port), _Handler, bind_and_activate=False)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server_bind()
        self.server_activate()

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.conns_lock:
            self.conns.add(sock)
        return sock, addr

    def shutdown_request(self, request: Any) -> None:
        with self.conns_lock:
            self.conns.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a connector stopped mid long-poll) is normal, not an error worth a
        traceback on the evaluator's console; anything else is said in one line."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)):
            return
        print(
            f"trục mô phỏng: lỗi khi xử lý yêu cầu từ {client_address[0]}: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )

    def close_connections(self) -> None:
        with self.conns_lock:
            conns, self.conns = list(self.conns), set()
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120
    server: _HTTPServer

    def _send(self, status: int, ctype: str, payload: bytes) -> None:
        self.send_response_only(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _serve(self) -> None:
        owner = self.server.owner
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            self._send(*_reply(411, {"status": "FAIL", "ErrorCode": "LENGTH_REQUIRED", "ErrorDesc": ""}))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > owner.max_body:
            self.close_connection = True
            desc = f"body larger than {owner.max_body} bytes" if length > 0 else "bad Content-Length"
            self._send(*_reply(413, {"status": "FAIL", "ErrorCode": "TOO_LARGE", "ErrorDesc": desc}))
            return
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        if self.path.startswith(OWNER_PREFIX):
            self._send(*owner.owner_request(self.command, self.path, headers, body))
            return
        op = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
        seconds, before = owner.axis.take_delay(op)
        if seconds and before and owner.axis.stopping.wait(seconds):
            self.close_connection = True
            return
        status, ctype, payload = owner.axis.handle(self.command, self.path, headers, body)
        if seconds and not before and owner.axis.stopping.wait(seconds):
            self.close_connection = True
            return
        self._send(status, ctype, payload)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the journal is the log."""


class AxisServer:
    """An ``Axis`` served on a socket; a context manager. ``axis`` holds all state and owner methods."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        journal_dir: Path | str | None = None,
        max_skew: float = 300.0,
        validation: ValidationOptions | None = None,
        owner_token: str | None = None,
        max_body: int = 64 * 1024 * 1024,
        strict: bool = False,
    ) -> None:
        self.axis = Axis(journal_dir=journal_dir, max_skew=max_skew, validation=validation, strict=strict)
        self.host, self.port = host, port
        self.owner_token = owner_token or secrets.token_urlsafe(24)
        self.max_body = max_body
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------------------------- lifecycle
    def start(self) -> AxisServer:
        """Bind and serve in a background thread."""
        if self._httpd is None:
            self.axis.stopping.clear()
            self._httpd = _HTTPServer(self, self.host, self.port)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
            self.axis._journal.record("owner", op="start", base_url=self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving, wake held replies and long polls, drop keep-alive connections."""
        if self._httpd is None:
            return
        self.axis.stopping.set()
        with self.axis._changed:
            self.axis._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None
        self.axis._journal.record("owner", op="stop")

    def __enter__(self) -> AxisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("axis not started")
        host, port = self._httpd.server_address[:2]
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{host}:{port}"

    # ----------------------------------------------------------------------------------- owner API
    def owner_request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        """Serve ``/__owner__/…``; a wrong or missing token is 401, nothing else is told."""
        given = headers.get(OWNER_HEADER.lower(), "")
        if not given or not hmac.compare_digest(given.encode(), self.owner_token.encode()):
            return _reply(401, {"error": "owner token required"})
        url = urlsplit(target)
        parts = url.path[len(OWNER_PREFIX) :].strip("/").split("/")
        query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(url.query).items()}
        route: Callable[..., Any] | None = getattr(self, f"_own_{method.lower()}_{parts[0]}", None)
        if route is None:
            return _reply(404, {"error": f"no owner route {method} {url.path}"})
        try:
            data = json.loads(body) if body and "json" in headers.get("content-type", "") else None
            return _reply(200, route(parts[1:], query, data, body))
        except AxisError as e:
            return _reply(e.http, {"error": e.desc, "code": e.code, **e.extra})
        except (KeyError, ValueError, TypeError) as e:
            return _reply(400, {"error": f"{type(e).__name__}: {e}"})

    def _own_get_mark(self, _p: list[str], _q: dict[str, Any], _d: Any, _b: bytes) -> dict[str, Any]:
        return {"seq": self.axis.mark()}

    def _own_get_agencies(self, _p: list[str], _q: dict[str, Any], _d: Any, _b: bytes) -> dict[str, Any]:
        return {"agencies": [a.row(True) for a in self.axis.agencies()]}

    def _own_post_agencies(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        a = self.axis.add_agency(
            d["code102"],
            d["name"],
            code_qd20=d.get("code_qd20"),
            secret=d.get("secret"),
            system_id=d.get("system_id"),
            mail=d.get("mail"),
            parent=d.get("parent"),
        )
        return {"agency": a.row(True)}

    def _own_post_credentials(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        self.axis.register_secret(d["agency"], d["secret"], system_id=d.get("system_id"))
        return {"ok": True}

    def _own_post_deliver(self, _p: list[str], q: dict[str, Any], _d: Any, body: bytes) -> dict[str, Any]:
        """Raw package bytes in the body; ``to`` (repeatable), ``sender``, ``messagetype`` in the query."""
        to = q["to"]
        msg = self.axis.deliver(
            body,
            to if isinstance(to, list) else [to],
            sender=q.get("sender"),
            messagetype=q.get("messagetype"),
        )
        return msg.view(with_data=False)

    def _own_post_redeliver(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        """The bytes of an earlier message delivered again to the same recipients (a duplicate)."""
        old = self.axis.message(d["doc_id"])
        msg = self.axis.deliver(
            old.data, [x.to for x in old.deliveries], sender=old.sender, messagetype=old.messagetype
        )
        return msg.view(with_data=False)

    def _own_post_peer_status(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        msg = self.axis.peer_status(
            d["doc_id"], d["code"], peer=d.get("peer"), description=d.get("description")
        )
        return msg.view(with_data=True)

    def _own_post_recall(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        return self.axis.recall(d["delivery_id"], reason=d.get("reason")).view(with_data=True)

    def _own_get_messages(self, _p: list[str], q: dict[str, Any], _d: Any, _b: bytes) -> dict[str, Any]:
        msgs = self.axis.wait_messages(
            sender=q.get("sender"),
            messagetype=q.get("messagetype"),
            after=int(q.get("after", 0)),
            count=int(q.get("count", 0)),
            timeout=float(q.get("wait", 0)),
        )
        with_data = q.get("data", "1") != "0"
        return {"messages": [x.view(with_data=with_data) for x in msgs], "seq": self.axis.mark()}

    def _own_get_deliveries(self, p: list[str], q: dict[str, Any], _d: Any, _b: bytes) -> dict[str, Any]:
        if not p:
            agency = q["agency"]
            return {"deliveries": [d.view() for d in self.axis.inbox(agency, q.get("messagetype"))]}
        states = str(q.get("states", "")).split(",") if q.get("states") else []
        if states:
            d = self.axis.wait_delivery(p[0], states=states, timeout=float(q.get("wait", 0)))
        else:
            d = self.axis.delivery(p[0])
        return d.view()

    def _own_get_journal(self, _p: list[str], q: dict[str, Any], _d: Any, _b: bytes) -> dict[str, Any]:
        entries = self.axis.journal(q.get("kind"), after=int(q.get("after", 0)))
        agency = q.get("agency")
        if agency:
            entries = tuple(e for e in entries if e.get("agency") == agency)
        return {"entries": [dict(e) for e in entries], "seq": self.axis.mark()}

    def _own_post_faults(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        d = d or {}
        if d.get("clear"):
            self.axis.clear_faults()
        if "fail" in d:
            f = d["fail"]
            self.axis.fail_next(
                f["op"],
                int(f.get("times", 1)),
                agency=f.get("agency"),
                status=f.get("status"),
                http=int(f.get("http", 503)),
            )
        if "delay" in d:
            x = d["delay"]
            self.axis.delay_replies(
                float(x["seconds"]), ops=x.get("ops"), count=x.get("count"), before=bool(x.get("before"))
            )
        return {"ok": True}

    def _own_post_relist(self, _p: list[str], _q: dict[str, Any], d: Any, _b: bytes) -> dict[str, Any]:
        self.axis.relist(d["delivery_id"])
        return {"ok": True}


def decode_data(view: dict[str, Any]) -> bytes:
    """The package bytes of an owner ``messages`` item."""
    try:
        return base64.b64decode(view["data"], validate=True)
    except (KeyError, binascii.Error) as e:
        raise ValueError("message view without package data") from e
