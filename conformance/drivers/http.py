"""The HTTP driver: abstract operations performed through a target's HTTP request templates.

The vendor's replies are hostile until proven otherwise: every call has connect and read
time-outs, bodies are read in chunks up to a cap, JSON is parsed only within that cap and a
parse failure is recorded, not raised.

Files: a binding sends file inputs as ``multipart:`` parts (or as ``${in.f.base64}`` in JSON), and
``download:`` streams a 2xx reply body (or a base64 field of a JSON reply) into an evidence blob,
hashed as it arrives and capped by ``max_download_bytes``. Outputs may then read the blob's facts
with pseudo-pointers: ``@body.sha256``, ``@body.size``, ``@body.media_type``, ``@body.filename``;
``@status`` and ``@header.<name>`` read the reply itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from email.message import Message
from typing import Any, Protocol
from urllib.parse import quote

import requests

from conformance.evidence.redact import Redactor
from conformance.inputs import FileInput
from conformance.target import Target
from conformance.templating import ABSENT, REF, TemplateError, lookup, resolve

_LONG_TEXT = 4096  # longer strings in a recorded request (base64 of a file) are summarised


class BlobSink(Protocol):
    """Where a download goes: the criterion's evidence store (``CriterionEvidence.blob``)."""

    def blob(self, name: str) -> Any: ...


class _HashOnly:
    """A sink for calls made outside a criterion (preflight, benchmarks): hash and count, keep nothing."""

    def __init__(self) -> None:
        import hashlib

        self._h = hashlib.sha256()
        self.size, self.sha256, self.redacted, self.rel = 0, "", False, None

    def write(self, chunk: bytes) -> None:
        self._h.update(chunk)
        self.size += len(chunk)

    def close(self) -> None:
        self.sha256 = self._h.hexdigest()


def _filename(disposition: str | None) -> str | None:
    """The file name of a Content-Disposition header (RFC 6266, ``filename*`` preferred)."""
    if not disposition:
        return None
    msg = Message()
    msg["content-disposition"] = disposition
    name = msg.get_filename()
    return str(name) if name else None


def _summarise(value: Any) -> Any:
    """The request as recorded: file parts as stubs, very long strings (base64) as their size."""
    if isinstance(value, FileInput):
        return value.stub()
    if isinstance(value, str) and len(value) > _LONG_TEXT:
        return f"«{len(value)} ký tự, lược bớt trong bằng chứng»"
    if isinstance(value, dict):
        return {k: _summarise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_summarise(v) for v in value]
    return value


def _replace_at(doc: Any, pointer: str, value: Any) -> None:
    """Set the value an existing JSON pointer names (no-op when the path is not there)."""
    *parents, raw = pointer.split("/")[1:]
    last = raw.replace("~1", "/").replace("~0", "~")
    cur = json_pointer(doc, "/" + "/".join(parents)) if parents else doc
    if isinstance(cur, dict) and last in cur:
        cur[last] = value
    elif isinstance(cur, list) and last.isdigit() and int(last) < len(cur):
        cur[int(last)] = value


def _meta_output(pointer: str, resp: dict[str, Any]) -> Any:
    """``@status``, ``@header.<name>`` and ``@body.<fact>`` outputs; None where absent."""
    if pointer == "@status":
        return resp.get("status")
    if pointer.startswith("@header."):
        want = pointer[len("@header.") :].lower()
        return next((v for k, v in (resp.get("headers") or {}).items() if k.lower() == want), None)
    if pointer.startswith("@body."):
        return (resp.get("body") or {}).get(pointer[len("@body.") :])
    return None


USER_AGENT = "qlvb-conformance/0.1 (+harness)"


def extract(doc: Any, spec: Any) -> Any:
    """An output of a reply: a JSON pointer, or a projection of a list.

    A projection ``{each: /items, fields: {actor: /user/name, …}, map: {actor: {vendor: abstract}}}``
    turns each element of the list at ``each`` into a dict with the abstract output names (values
    renamed through ``map`` where given); ``{each: /items, value: /id}`` gives a list of scalars. So a
    vendor's list (audit log, search results) is read in the harness's vocabulary.
    """
    if isinstance(spec, str):
        return json_pointer(doc, spec)
    items = json_pointer(doc, spec["each"])
    if not isinstance(items, list):
        return ABSENT
    mapping = spec.get("map") or {}
    out: list[Any] = []
    for item in items:
        if "value" in spec:
            v = json_pointer(item, spec["value"])
            out.append(None if v is ABSENT else v)
            continue
        row = {}
        for name, pointer in (spec.get("fields") or {}).items():
            v = json_pointer(item, pointer)
            v = None if v is ABSENT else v
            table = mapping.get(name)
            if table is not None and isinstance(v, str | int) and str(v) in table:
                v = table[str(v)]
            row[name] = v
        out.append(row)
    return out


def json_pointer(doc: Any, pointer: str) -> Any:
    """RFC 6901 lookup; ABSENT where the path does not exist (never an exception)."""
    if pointer == "":
        return doc
    cur = doc
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return ABSENT
    return cur


class HttpDriver:
    """Performs bound operations; one instance per process, logins cached per role."""

    def __init__(self, target: Target, redactor: Redactor) -> None:
        self.target = target
        self.redactor = redactor
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.verify = target.verify_tls

    # -- raw exchange --------------------------------------------------------------------------
    def exchange(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        json_body: Any = ABSENT,
        form: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        files: dict[str, FileInput] | None = None,
        download: Any = None,
        sink: BlobSink | None = None,
    ) -> dict[str, Any]:
        """One HTTP request with caps; returns a record of request and response (or error).

        ``files`` go as multipart parts beside ``form``; with ``download`` (True, or a dict naming
        the JSON ``pointer`` of a base64 field) a 2xx body is streamed into a blob of ``sink``.
        """
        url = self.target.base_url + path
        req: dict[str, Any] = {"method": method, "url": url, "headers": dict(headers or {})}
        if query:
            req["query"] = query
        kwargs: dict[str, Any] = {
            "headers": headers or {},
            "params": query or None,
            "timeout": self.target.timeouts,
            "stream": True,
            "allow_redirects": False,
        }
        if json_body is not ABSENT:
            kwargs["json"] = json_body
            req["json"] = json_body
        elif form is not None or files:
            kwargs["data"] = form
            req["form"] = form
        if files:
            kwargs["files"] = {k: (f.name, f.data, f.media_type) for k, f in files.items()}
            req["multipart"] = _summarise(files)
        t0 = time.perf_counter()
        rec: dict[str, Any] = {"request": req, "response": None, "error": None}
        try:
            with self.session.request(method, url, **kwargs) as resp:
                if download is True and 200 <= resp.status_code < 300:
                    rec["response"], rec["error"] = self._stream_body(resp, sink)
                else:
                    body, truncated = self._read_capped(resp)
                    rec["response"] = self._response(resp, body, truncated)
                    if truncated:
                        rec["error"] = f"phản hồi vượt quá {self.target.max_response_bytes} byte, đã cắt"
                    elif isinstance(download, dict) and 200 <= resp.status_code < 300:
                        rec["error"] = self._decode_field(rec["response"], download, sink)
        except requests.Timeout:
            rec["error"] = (
                f"hết thời gian chờ (connect {self.target.timeouts[0]}s, read {self.target.timeouts[1]}s)"
            )
        except requests.ConnectionError as exc:
            rec["error"] = f"không kết nối được: {type(exc).__name__}"
        except requests.RequestException as exc:
            rec["error"] = f"lỗi HTTP: {type(exc).__name__}: {str(exc)[:200]}"
        rec["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return rec

    def _read_capped(self, resp: requests.Response) -> tuple[bytes, bool]:
        cap = self.target.max_response_bytes
        chunks, size = [], 0
        for chunk in resp.iter_content(65536):
            size += len(chunk)
            if size > cap:
                chunks.append(chunk[: cap - (size - len(chunk))])
                return b"".join(chunks), True
            chunks.append(chunk)
        return b"".join(chunks), False

    def _stream_body(
        self, resp: requests.Response, sink: BlobSink | None
    ) -> tuple[dict[str, Any], str | None]:
        """Stream a file reply into a blob, hashing it; cut (and say so) past ``max_download_bytes``."""
        out: dict[str, Any] = {
            "status": resp.status_code,
            "headers": dict(resp.headers),
            "json": None,
            "text": None,
        }
        blob = sink.blob("tai-ve") if sink is not None else _HashOnly()
        cap, error = self.target.max_download_bytes, None
        try:
            for chunk in resp.iter_content(1 << 20):
                if blob.size + len(chunk) > cap:
                    blob.write(chunk[: cap - blob.size])
                    error = f"tệp tải về vượt quá {cap} byte, đã cắt"
                    break
                blob.write(chunk)
        finally:
            blob.close()
        out["size"], out["truncated"] = blob.size, error is not None
        out["body"] = {
            "blob": blob.rel,
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": (resp.headers.get("content-type") or "").split(";")[0].strip() or None,
            "filename": _filename(resp.headers.get("content-disposition")),
            "redacted": blob.redacted,
        }
        return out, error

    @staticmethod
    def _decode_field(response: dict[str, Any], spec: dict[str, Any], sink: BlobSink | None) -> str | None:
        """A file sent as base64 inside a JSON reply: decode the field into a blob like a raw download."""
        value = json_pointer(response.get("json"), spec["pointer"])
        if not isinstance(value, str):
            return f"không có tệp (base64) tại {spec['pointer']} trong phản hồi"
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return f"trường {spec['pointer']} không phải base64 hợp lệ"
        blob = sink.blob("tai-ve") if sink is not None else _HashOnly()
        blob.write(data)
        blob.close()
        name = json_pointer(response["json"], spec["filename"]) if spec.get("filename") else None
        media = json_pointer(response["json"], spec["media_type"]) if spec.get("media_type") else None
        response["body"] = {
            "blob": blob.rel,
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": media if isinstance(media, str) else None,
            "filename": name if isinstance(name, str) else None,
            "redacted": blob.redacted,
        }
        # the bytes are in the blob now: the record keeps a note in place of the base64 text
        _replace_at(response["json"], spec["pointer"], f"«tệp {blob.size} byte, lưu ở {blob.rel or 'blob'}»")
        return None

    @staticmethod
    def _response(resp: requests.Response, body: bytes, truncated: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": resp.status_code,
            "headers": dict(resp.headers),
            "size": len(body),
            "truncated": truncated,
            "json": None,
            "text": None,
        }
        ctype = resp.headers.get("content-type", "")
        text = body.decode(resp.encoding or "utf-8", errors="replace")
        if "json" in ctype and not truncated:
            try:
                out["json"] = json.loads(text)
            except (ValueError, RecursionError):
                out["text"] = text[:65536]
                out["parse_error"] = "JSON không hợp lệ"
        else:
            out["text"] = text[:65536]
        return out

    # -- authentication -----------------------------------------------------------------------------
    def auth_headers(self, role: str | None) -> tuple[dict[str, str], str | None]:
        """Headers that authenticate as ``role``; logs in once per role. Returns (headers, error)."""
        auth = self.target.auth
        if role in (None, "anonymous") or auth["kind"] == "none":
            return {}, None
        if auth["kind"] == "basic":
            import base64

            c = self.target.credentials(role)
            self.redactor.add(c.password)
            token = base64.b64encode(f"{c.username}:{c.password}".encode()).decode()
            self.redactor.add(token)
            return {"Authorization": f"Basic {token}"}, None
        with self._lock:
            token = self._tokens.get(role)
        if token is None:
            token, err = self.login(role)
            if err:
                return {}, err
        scheme = auth.get("scheme", "Bearer")
        return {auth.get("header", "Authorization"): f"{scheme} {token}".strip()}, None

    def login(self, role: str) -> tuple[str | None, str | None]:
        token, err, _rec = self._login_exchange(role)
        return token, err

    def _login_exchange(self, role: str) -> tuple[str | None, str | None, dict[str, Any]]:
        """Log in as ``role``; the password and the new token are known to the redactor first."""
        c = self.target.credentials(role)
        self.redactor.add(c.password)
        spec = self.target.auth["login"]
        scope = {"cred": {"username": c.username, "password": c.password}, "run": {}}
        rec = self.exchange(
            spec["method"],
            resolve(spec["path"], scope),
            json_body=resolve(spec["json"], scope) if "json" in spec else ABSENT,
            form=resolve(spec["form"], scope) if "form" in spec else None,
        )
        resp = rec["response"]
        if resp is None:
            return None, f"đăng nhập vai trò {role}: {rec['error']}", rec
        if resp["status"] != 200:
            return None, f"đăng nhập vai trò {role} bị từ chối (HTTP {resp['status']})", rec
        token = json_pointer(resp.get("json"), self.target.auth["token"])
        if not isinstance(token, str) or not token:
            return (
                None,
                f"đăng nhập vai trò {role}: không tìm thấy token tại {self.target.auth['token']}",
                rec,
            )
        self.redactor.add(token)
        with self._lock:
            self._tokens[role] = token
        return token, None, rec

    # -- operations the harness does itself (no binding) ----------------------------------------------
    BUILTINS = ("session.login", "api.unauthenticated_sweep")

    def provides(self, op: str) -> bool:
        """Whether the driver performs ``op`` itself, from the target's auth block or binding list."""
        if op == "session.login":
            return self.target.auth.get("kind") == "bearer_login"
        return op in self.BUILTINS

    def _builtin(
        self, op: str, inputs: dict[str, Any], role: str | None, run: dict[str, Any]
    ) -> dict[str, Any]:
        base: dict[str, Any] = {"operation": op, "inputs": inputs, "as": role, "outputs": {}, "builtin": True}
        if op == "session.login":
            if role in (None, "anonymous"):
                return {**base, "error": "session.login cần một vai trò (as:)", "response": None}
            _token, err, rec = self._login_exchange(role)
            base["actor"] = self.target.credentials(role).username
            return {**base, **rec, "error": err or rec.get("error")}
        # api.unauthenticated_sweep: every bound operation, without credentials, with placeholder inputs.
        from conformance.catalogue.operations import operations

        known = operations()
        subs = []
        for name in sorted(self.target.operations):
            http = (self.target.binding(name) or {}).get("http")
            if http is None or http.get("as") == "anonymous" or name not in known:
                continue
            dummy = {i: "0" for i in known[name].inputs}
            subs.append(self.perform(name, dummy, "anonymous", run))
        statuses = [(s.get("response") or {}).get("status") for s in subs]
        base["outputs"] = {"total": len(subs), "refused": sum(1 for st in statuses if st in (401, 403))}
        return {**base, "sweep": subs, "response": {"status": 200 if subs else None}, "error": None}

    # -- operations ---------------------------------------------------------------------------------
    def perform(
        self,
        op: str,
        inputs: dict[str, Any],
        role: str | None,
        run: dict[str, Any],
        sink: BlobSink | None = None,
    ) -> dict[str, Any]:
        """Perform an abstract operation; the record says what was sent, what came back, what was read."""
        binding = (self.target.binding(op) or {}).get("http")
        base: dict[str, Any] = {"operation": op, "inputs": inputs, "as": None, "outputs": {}}
        if binding is None and self.provides(op):
            return self._builtin(op, inputs, role, run)
        if binding is None:
            return {
                **base,
                "error": f"thao tác {op} chưa được ràng buộc HTTP trong tệp đích",
                "unbound": True,
                "response": None,
            }
        role = role or binding.get("as")
        base["as"] = role
        scope = {"in": {**(binding.get("defaults") or {}), **inputs}, "run": run}
        try:
            path = self._path(binding["path"], scope)
            headers = {k: str(v) for k, v in resolve(binding.get("headers") or {}, scope).items()}
            body = resolve(binding["json"], scope) if "json" in binding else ABSENT
            form = resolve(binding["form"], scope) if "form" in binding else None
            query = resolve(binding.get("query"), scope) if binding.get("query") else None
            parts = resolve(binding["multipart"], scope) if "multipart" in binding else {}
        except TemplateError as exc:
            return {**base, "error": f"không dựng được yêu cầu: {exc}", "response": None}
        files = {k: v for k, v in parts.items() if isinstance(v, FileInput)}
        if parts:
            form = {**(form or {}), **{k: str(v) for k, v in parts.items() if k not in files}}
        auth, err = self.auth_headers(role)
        if err:
            return {**base, "error": err, "response": None}
        if role not in (None, "anonymous") and self.target.auth.get("kind") != "none":
            base["actor"] = self.target.credentials(role).username  # who the system should log
        rec = self.exchange(
            binding["method"],
            path,
            headers={**headers, **auth},
            json_body=body,
            form=form,
            query=query,
            files=files or None,
            download=binding.get("download"),
            sink=sink,
        )
        if isinstance(rec["request"].get("json"), dict | list | str):
            rec["request"]["json"] = _summarise(rec["request"]["json"])
        resp = rec.get("response")
        if resp is not None:
            for name, spec in (binding.get("outputs") or {}).items():
                if isinstance(spec, str) and spec.startswith("@"):
                    base["outputs"][name] = _meta_output(spec, resp)
                elif resp.get("json") is not None:
                    v = extract(resp["json"], spec)
                    base["outputs"][name] = None if v is ABSENT else v
        return {**base, **rec}

    @staticmethod
    def _path(template: str, scope: dict[str, Any]) -> str:
        """Resolve a path template, URL-quoting each substituted value; a missing value is an error."""

        def sub(m: re.Match[str]) -> str:
            v = lookup(scope, m.group(1), m.group(2))
            if v is ABSENT or v is None:
                raise TemplateError(f"thiếu giá trị cho {m.group(0)} trong đường dẫn")
            return quote(str(v), safe="")

        return REF.sub(sub, template)
