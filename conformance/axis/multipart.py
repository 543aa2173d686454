"""``multipart/form-data`` of the SDK's ``sendEdoc`` (a JSON header part and the ``.edxml`` file).

Why hand-written: the stdlib ``email`` parser is correct but costs milliseconds per request, which is
most of a package round trip; the subset ``sendEdoc`` needs (RFC 7578: CRLF delimiters, a
``Content-Disposition`` with ``name`` and ``filename``, no nested parts, no transfer encodings) is
small. Only what ``sendEdoc`` uses is returned: the form fields (JSON objects merged, other values
by name) and the first file part.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["MultipartError", "parse_multipart"]

_BOUNDARY = re.compile(r'boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))', re.IGNORECASE)
_PARAM = re.compile(rb'(\w+)\*?=(?:"([^"]*)"|([^\s;]+))')
MAX_PARTS = 32


class MultipartError(ValueError):
    """The body is not a usable multipart/form-data message."""


def _headers(block: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for line in block.split(b"\r\n"):
        name, sep, value = line.partition(b":")
        if sep:
            out[name.strip().lower().decode("latin-1")] = value.strip()
    return out


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, Any], bytes | None]:
    """(fields, first file's bytes) of a multipart/form-data body."""
    m = _BOUNDARY.search(content_type)
    if not m:
        raise MultipartError("multipart body without boundary")
    delim = b"\r\n--" + (m.group(1) or m.group(2)).encode("latin-1")
    chunks = (b"\r\n" + body).split(delim)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise MultipartError("multipart body without its closing delimiter")
    parts = chunks[1:-1]
    if len(parts) > MAX_PARTS:
        raise MultipartError(f"more than {MAX_PARTS} parts")
    fields: dict[str, Any] = {}
    file: bytes | None = None
    for part in parts:
        head, sep, content = part.lstrip(b" \t").removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            if head.startswith(b"\r\n"):  # a part with no headers at all
                content = head[2:]
                head = b""
            else:
                raise MultipartError("a part without its blank line")
        headers = _headers(head)
        disposition = headers.get("content-disposition", b"")
        params = {k.lower(): q or t for k, q, t in _PARAM.findall(disposition)}
        ctype = headers.get("content-type", b"").split(b";")[0].strip().lower()
        if b"filename" in params or ctype in (b"application/xml", b"text/xml", b"application/octet-stream"):
            if file is None:
                file = content
            continue
        text = content.decode("utf-8", "replace")
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        if isinstance(value, dict):
            fields.update(value)
        else:
            fields[params.get(b"name", b"").decode("utf-8", "replace")] = value
    return fields, file
