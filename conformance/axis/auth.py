"""Per-request HMAC authentication of the simulated axis (edxml.md §13.2, SR-110).

Why here and not in the server: a vendor connector, the harness client and the server must compute the
same string-to-sign; keeping the one function in one place stops them drifting apart.
Choices the SDK leaves open are marked [I] in docs/axis.md: hex digest (base64 also accepted), the
timestamp read as Vietnam time, and a ±300 s freshness window.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re

__all__ = [
    "HEADER_SIGN",
    "HEADER_SYSTEM",
    "HEADER_TIMESTAMP",
    "VN",
    "format_timestamp",
    "parse_timestamp",
    "sign",
    "sign_headers",
    "signatures_match",
]

VN = dt.timezone(dt.timedelta(hours=7))
HEADER_SYSTEM = "systemid"
HEADER_TIMESTAMP = "timestamp"
HEADER_SIGN = "XroadVnpt-sign-header"
HEADER_VERSION = "XroadVnpt-version"
USER_AGENT = "JAVASDKAgent/1.0.0 XRoad/VPCP"
# edxml.md §13.2: ddMMyyyy'T'HHmmss+SSSS — the +SSSS read as milliseconds, zero-padded to 4 [I]
_TS = re.compile(r"^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})(?:\+(\d{1,4}))?$")


def format_timestamp(when: dt.datetime | None = None) -> str:
    """The SDK ``timestamp`` header for ``when`` (default: now), written in Vietnam time."""
    when = (when or dt.datetime.now(VN)).astimezone(VN)
    return when.strftime("%d%m%YT%H%M%S") + f"+{when.microsecond // 1000:04d}"


def parse_timestamp(text: str) -> dt.datetime | None:
    """Aware datetime of a ``timestamp`` header, or None when it does not fit the SDK layout."""
    m = _TS.match(text.strip())
    if not m:
        return None
    d, mo, y, h, mi, s, ms = m.groups()
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), int(ms or 0) * 1000, tzinfo=VN)
    except ValueError:
        return None


def sign(secret: str, system_id: str, timestamp: str, content_type: str, body: bytes) -> str:
    """HMAC-SHA256 over ``systemId + timestamp + contentType + body`` (SDK example), hex-encoded [I]."""
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    mac.update(f"{system_id}{timestamp}{content_type}".encode())
    mac.update(body)
    return mac.hexdigest()


def signatures_match(expected_hex: str, given: str) -> bool:
    """Constant-time compare; the given value may be hex (either case) or base64 of the raw digest."""
    given = given.strip()
    if hmac.compare_digest(expected_hex, given.lower()):
        return True
    try:
        raw = base64.b64decode(given, validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(bytes.fromhex(expected_hex), raw)


def sign_headers(
    system_id: str, secret: str, body: bytes, content_type: str, when: dt.datetime | None = None
) -> dict[str, str]:
    """All request headers a connector sends: systemid, timestamp, signature, content type, agent."""
    ts = format_timestamp(when)
    return {
        HEADER_SYSTEM: system_id,
        HEADER_TIMESTAMP: ts,
        HEADER_SIGN: sign(secret, system_id, ts, content_type, body),
        HEADER_VERSION: "2.0.1",
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
    }
