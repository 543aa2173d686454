"""Redaction of secrets before anything reaches disk.

Secrets are known values (passwords from the environment, tokens obtained at login, the embedded
reference's control token) plus sensitive headers. A secret is replaced in every form it can take
in a file we write: raw, JSON-escaped and URL-encoded.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "«đã ẩn»"
SENSITIVE_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "x-control-token", "proxy-authorization", "x-api-key"}
)
SENSITIVE_KEYS = frozenset(
    {"password", "passwd", "mat_khau", "access_token", "refresh_token", "token", "secret"}
)


class Redactor:
    """Holds the run's secrets; thread-safe, because drivers learn tokens while writers write."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._forms: set[str] = set()
        for s in secrets or []:
            self.add(s)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 4:
            return
        forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)}
        with self._lock:
            self._forms |= {f for f in forms if f}

    def text(self, s: str) -> str:
        with self._lock:
            forms = sorted(self._forms, key=len, reverse=True)
        for f in forms:
            if f in s:
                s = s.replace(f, MASK)
        return s

    def value(self, v: Any) -> Any:
        """Redact a JSON-like value: sensitive keys and headers masked, secrets replaced in strings."""
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                lk = str(k).lower()
                if (lk in SENSITIVE_HEADERS or lk in SENSITIVE_KEYS) and x not in (None, ""):
                    out[k] = MASK
                else:
                    out[k] = self.value(x)
            return out
        if isinstance(v, list | tuple):
            return [self.value(x) for x in v]
        return v

    def bytes(self, data: bytes) -> tuple[bytes, bool]:
        """Mask secrets inside binary content (a downloaded file); says whether anything was masked."""
        with self._lock:
            forms = sorted(self._forms, key=len, reverse=True)
        masked = data
        for f in forms:
            raw = f.encode("utf-8")
            if raw in masked:
                masked = masked.replace(raw, MASK.encode("utf-8"))
        return masked, masked is not data
