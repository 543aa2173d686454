"""Byte-level tap that streams attachment content past the XML parser.

Why: a QCVN 102 package carries each attachment as one base64 text node (edxml.md §8.1). A 100 MB
file is a 133 MB text node, which lxml refuses without ``huge_tree`` and would otherwise hold in
memory twice. The tap sits between the source stream and lxml's ``iterparse``: it copies markup
through unchanged but diverts the character data of every ``ContentTransferEncoded`` element into an
incremental base64 decoder and SHA-256 hash, and leaves a marker processing instruction
``<?edxml-tap NONCE:k?>`` in its place so that the parsed element can be tied back to record ``k``.

The tap also refuses DOCTYPE/ENTITY declarations before the parser sees them (XXE, billion laughs),
checks the prolog (encoding, stray bytes before ``<?xml``) and enforces the size limits, all in
bounded memory. Raw offsets of the diverted content are kept so that the XML-DSig code can stream
the same content a second time for the document digest (``canonical_chunks``).
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

__all__ = ["ContentRecord", "Refused", "Tap", "canonical_chunks"]

CHUNK = 1 << 20
_PROLOG_MAX = 64 * 1024
_TAG_MAX = 1 << 20
_HOLD = 12  # longest token that may straddle two reads: "&#x0000D;", "<![CDATA[", "]]>"

_WS = b" \t\r\n"
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_NOT_B64 = re.compile(rb"[^A-Za-z0-9+/= \t\r\n]")
# XML 1.0 §4.1 character reference; only whitespace references are allowed inside base64 [I]
_CHARREF = re.compile(rb"&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")
# a token of accepted content cut by the end of a read: "<![CDATA[", "]]>", a character reference, CR LF
_PARTIAL_TOKEN = re.compile(
    rb"(?:<(?:!(?:\[(?:C(?:D(?:A(?:T(?:A)?)?)?)?)?)?)?|\]\]?|&(?:#(?:x[0-9A-Fa-f]{0,8}|[0-9]{0,10}))?|\r)\Z"
)
_WS_CODEPOINTS = {9: b"\t", 10: b"\n", 13: b"&#xD;", 32: b" "}  # value: canonical (C14N) form
# a complete tag from "<" to ">", quotes respected (">" may occur inside attribute values)
_TAG = re.compile(rb"""<[^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>""")
# edxml.md §2/§8.1: the start tag of ContentTransferEncoded, any prefix [S]
_CTE_START = re.compile(rb"<((?:[A-Za-z_][A-Za-z0-9_.\-]*:)?ContentTransferEncoded)(?=[\s/>])")
_CLOSE = re.compile(rb"</([^\s>]+)\s*>")
_DECL_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_NAME_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")
_XML_DECL = re.compile(rb"<\?xml[ \t\r\n]")
_DTD_DECLS = (b"<!DOCTYPE", b"<!ENTITY", b"<!ELEMENT", b"<!ATTLIST", b"<!NOTATION")


class Refused(Exception):
    """The source is refused before or while parsing: ``code`` is a rule code of ``rules.RULES``."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(f"[{code}] {en}")
        self.code, self.vi, self.en = code, vi, en


@dataclass
class ContentRecord:
    """What the tap measured for one ``ContentTransferEncoded`` element."""

    index: int
    qname: str
    start: int  # raw offset of the first content byte
    end: int = -1  # raw offset after the last diverted byte (-1 while open)
    size: int = 0  # decoded bytes
    chars: int = 0  # base64 characters (without whitespace)
    head: bytes = b""  # first decoded bytes (magic number)
    sha256: str | None = None
    error: str | None = None  # English reason when the base64 is malformed
    error_vi: str | None = None
    spilled: bool = False  # markup/other characters inside: the rest went to the parser
    data: bytearray | None = field(default=None, repr=False)


class _Sink:
    """Incremental strict base64 decoder feeding SHA-256 (and optionally a bounded byte buffer)."""

    def __init__(self, record: ContentRecord, keep: bool) -> None:
        self.record = record
        self.hash = hashlib.sha256()
        self.pending = b""
        self.pad = 0
        if keep:
            record.data = bytearray()

    def _fail(self, vi: str, en: str) -> None:
        if self.record.error is None:
            self.record.error, self.record.error_vi = en, vi

    def _decode(self, quanta: bytes) -> None:
        try:
            out = binascii.a2b_base64(quanta, strict_mode=True)
        except binascii.Error as exc:
            self._fail("Chuỗi base64 sai quy cách", f"invalid base64 ({exc})")
            return
        self.hash.update(out)
        if len(self.record.head) < 16:
            self.record.head += out[: 16 - len(self.record.head)]
        self.record.size += len(out)
        if self.record.data is not None:
            self.record.data += out

    def feed(self, chars: bytes) -> None:
        """Feed base64 characters (whitespace already removed)."""
        if not chars or self.record.error:
            return
        self.record.chars += len(chars)
        if self.pad:
            if chars.strip(b"="):
                self._fail("Có dữ liệu sau ký tự đệm '='", "data after '=' padding")
            self.pad += len(chars)
            return
        i = chars.find(b"=")
        if i >= 0:
            pad = chars[i:]
            if pad.strip(b"="):
                self._fail("Có dữ liệu sau ký tự đệm '='", "data after '=' padding")
                return
            self.pad = len(pad)
            chars = chars[:i]
        data = self.pending + chars
        n = len(data) - len(data) % 4
        if n:
            self._decode(data[:n])
        self.pending = data[n:]

    def finish(self) -> None:
        """Decode the last quantum and close the record."""
        if not self.record.error:
            if self.pad:
                if self.pad > 2 or (len(self.pending) + self.pad) % 4:
                    self._fail("Ký tự đệm '=' sai vị trí", "misplaced '=' padding")
                else:
                    self._decode(self.pending + b"=" * self.pad)
            elif self.pending:
                self._fail("Độ dài base64 không chia hết cho 4", "base64 length is not a multiple of 4")
        self.record.sha256 = self.hash.hexdigest() if not self.record.error else None


class Tap:
    """File-like object for ``lxml.etree.iterparse``: markup passes, attachment content is diverted.

    ``max_bytes`` bounds the raw bytes read, ``max_structure`` the bytes handed to the parser.
    ``keep_data`` keeps decoded attachment bytes (for ``read_package``; never for validation).
    """

    def __init__(
        self,
        raw: BinaryIO,
        *,
        nonce: str,
        max_bytes: int,
        max_structure: int,
        keep_data: bool = False,
    ) -> None:
        self.raw = raw
        self.marker_target = b"edxml-tap"
        self.nonce = nonce.encode("ascii")
        self.max_bytes = max_bytes
        self.max_structure = max_structure
        self.keep_data = keep_data
        self.records: list[ContentRecord] = []
        self.warnings: list[tuple[str, str, str]] = []
        self.buf = bytearray()
        self.base = 0  # raw offset of buf[0]
        self.out = bytearray()
        self.read_total = 0
        self.structure_total = 0
        self.final = False
        self.done = False
        self.mode = "prolog"
        self.skip: bytes | None = None  # terminator while inside a comment, PI or CDATA section
        self.qname = b""
        self.cdata = False
        self.sink: _Sink | None = None
        self._next = [-2, -2]

    # -- file protocol used by lxml ------------------------------------------------------------
    def read(self, n: int = -1) -> bytes:
        want = n if n and n > 0 else CHUNK
        while len(self.out) < want and not self.done:
            if not self.final:
                chunk = self.raw.read(CHUNK)
                self.read_total += len(chunk)
                if self.read_total > self.max_bytes:
                    raise Refused(
                        "xml.too_large",
                        f"Gói tin vượt {self.max_bytes} byte",
                        f"package larger than {self.max_bytes} bytes",
                    )
                if chunk:
                    self.buf += chunk
                    self._next = [-2, -2]  # cached positions of "<" and "&" are stale
                else:
                    self.final = True
            self._process()
            if self.final:
                if self.buf:  # only unfinished markup can remain: the parser reports it
                    self._emit(self.buf)
                    self._consume(len(self.buf))
                self._close_open_record()
                self.done = True
        taken = bytes(self.out[:want])
        del self.out[:want]
        return taken

    def marker(self, index: int) -> bytes:
        """The processing instruction that stands in for record ``index``."""
        return b"<?" + self.marker_target + b" " + self.nonce + b":" + str(index).encode() + b"?>"

    # -- helpers ---------------------------------------------------------------------------------
    def _emit(self, data: bytes | bytearray | memoryview) -> None:
        self.out += data
        self.structure_total += len(data)
        if self.structure_total > self.max_structure:
            raise Refused(
                "xml.too_large",
                f"Phần cấu trúc (ngoài tệp đính kèm) vượt {self.max_structure} byte",
                f"markup outside attachment content exceeds {self.max_structure} bytes",
            )

    def _consume(self, pos: int) -> None:
        del self.buf[:pos]
        self.base += pos
        self._next = [-2, -2]

    def _process(self) -> None:
        pos = 0
        while True:
            if self.mode == "prolog":
                nxt = self._prolog()
            elif self.mode == "xml":
                nxt = self._xml(pos)
            else:
                nxt = self._content(pos)
            if nxt is None:
                return
            pos = nxt

    # -- prolog ----------------------------------------------------------------------------------
    def _prolog(self) -> int | None:
        """Check BOM, encoding, XML declaration and refuse DTDs before the root start tag."""
        buf = bytes(self.buf[: _PROLOG_MAX + 1])
        head = buf[:4]
        if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff")) or b"\x00" in head:
            raise Refused(
                "xml.encoding", "Gói tin không mã hoá UTF-8 (UTF-16/32)", "UTF-16/32 input; UTF-8 required"
            )
        warnings: list[tuple[str, str, str]] = []
        i = 0
        if buf.startswith(b"\xef\xbb\xbf"):
            warnings.append(("xml.bom", "Có BOM UTF-8 trước <?xml", "UTF-8 byte-order mark before <?xml"))
            i = 3
        if _XML_DECL.match(buf, i):
            e = buf.find(b"?>", i)
            if e < 0:
                return self._prolog_wait()
            m = _DECL_ENCODING.search(buf, i, e)
            if m and m.group(1).lower() != b"utf-8":
                name = m.group(1).decode("ascii", "replace")
                raise Refused(
                    "xml.encoding",
                    f"Khai báo mã hoá {name!r}, phải là UTF-8",
                    f"declared encoding {name!r}; UTF-8 required",
                )
            i = e + 2
        elif len(buf) - i < 6 and not self.final:
            return self._prolog_wait()
        else:
            warnings.append(("xml.declaration", "Thiếu khai báo <?xml …?>", "XML declaration missing"))
        while True:
            while i < len(buf) and buf[i] in _WS:
                i += 1
            if len(buf) - i < 10 and not self.final:
                return self._prolog_wait()
            if i >= len(buf):
                return self._prolog_wait()
            if buf.startswith(b"<!--", i):
                e = buf.find(b"-->", i + 4)
                if e < 0:
                    return self._prolog_wait()
                i = e + 3
            elif _XML_DECL.match(buf, i):
                raise Refused(
                    "xml.prolog",
                    "Khai báo <?xml không nằm ở đầu tệp",
                    "XML declaration not at the very start of the file",
                )
            elif buf.startswith(b"<?", i):
                e = buf.find(b"?>", i + 2)
                if e < 0:
                    return self._prolog_wait()
                i = e + 2
            elif buf.startswith(b"<!", i):
                raise Refused(
                    "xml.doctype",
                    "Gói tin chứa khai báo DOCTYPE/ENTITY, bị từ chối (chống XXE, billion laughs)",
                    "DOCTYPE/ENTITY declaration refused (XXE, entity expansion)",
                )
            elif _NAME_START.match(buf, i):
                self.warnings.extend(warnings)
                self._emit(self.buf[:i])
                self._consume(i)
                self.mode = "xml"
                return 0
            else:
                raise Refused(
                    "xml.prolog",
                    "Có dữ liệu lạ trước khai báo XML hoặc phần tử gốc",
                    "stray bytes before the XML declaration or the root element",
                )

    def _prolog_wait(self) -> None:
        """Wait for more input, or refuse when the prolog is over-long or the input ended."""
        if self.final or len(self.buf) > _PROLOG_MAX:
            if self.final and not self.buf.strip():
                raise Refused("xml.malformed", "Tệp rỗng", "empty document")
            raise Refused(
                "xml.prolog",
                "Không tìm thấy phần tử gốc trong phần mở đầu",
                f"no root element within the first {_PROLOG_MAX} bytes",
            )
        return None

    # -- markup ----------------------------------------------------------------------------------
    def _xml(self, pos: int) -> int | None:
        buf = self.buf
        while True:
            if self.skip is not None:
                e = buf.find(self.skip, pos)
                if e < 0:
                    safe = len(buf) if self.final else max(pos, len(buf) - len(self.skip) + 1)
                    self._emit(buf[pos:safe])
                    self._consume(safe)
                    return None
                end = e + len(self.skip)
                self._emit(buf[pos:end])
                pos, self.skip = end, None
                continue
            k = buf.find(b"<", pos)
            if k < 0:
                self._emit(buf[pos:])
                self._consume(len(buf))
                return None
            if k > pos:
                self._emit(buf[pos:k])
                pos = k
            if len(buf) - k < 10 and not self.final:
                self._consume(pos)
                return None
            if buf.startswith(b"<!--", k):
                self._emit(buf[k : k + 4])
                pos, self.skip = k + 4, b"-->"
            elif buf.startswith(b"<![CDATA[", k):
                self._emit(buf[k : k + 9])
                pos, self.skip = k + 9, b"]]>"
            elif buf.startswith(b"<?", k):
                self._emit(buf[k : k + 2])
                pos, self.skip = k + 2, b"?>"
            elif buf.startswith(b"<!", k):
                if any(buf.startswith(d, k) for d in _DTD_DECLS):
                    raise Refused(
                        "xml.doctype",
                        "Gói tin chứa khai báo DOCTYPE/ENTITY, bị từ chối",
                        "DOCTYPE/ENTITY declaration refused",
                    )
                self._emit(buf[k : k + 2])
                pos = k + 2
            else:
                m = _TAG.match(buf, k)
                if m is None:
                    if not self.final and len(buf) - k <= _TAG_MAX:
                        self._consume(pos)
                        return None
                    self._emit(buf[k : k + 1])  # let the parser report it
                    pos = k + 1
                    continue
                tag = m.group(0)
                self._emit(tag)
                pos = m.end()
                s = _CTE_START.match(tag)
                if s and not tag.endswith(b"/>"):
                    rec = ContentRecord(
                        index=len(self.records), qname=s.group(1).decode("ascii"), start=self.base + pos
                    )
                    self.records.append(rec)
                    self.sink = _Sink(rec, self.keep_data)
                    self.qname = s.group(1)
                    self._emit(self.marker(rec.index))
                    self.mode, self.cdata = "content", False
                    return pos

    # -- attachment content ----------------------------------------------------------------------
    def _b64(self, start: int, end: int) -> int:
        """Feed buf[start:end] (base64 + whitespace); return the index of the first other byte or end."""
        segment = bytes(self.buf[start:end])
        stop = end
        if segment.translate(None, _B64 + _WS):
            bad = _NOT_B64.search(segment)
            assert bad is not None
            stop = start + bad.start()
            segment = segment[: bad.start()]
        if segment:
            assert self.sink is not None
            self.sink.feed(segment.translate(None, _WS))
        return stop

    def _end_record(self, end_pos: int) -> None:
        assert self.sink is not None
        self.sink.finish()
        self.sink.record.end = self.base + end_pos
        self.sink = None

    def _spill(self, at: int, vi: str, en: str) -> int:
        """Unexpected content inside the element: close the record and hand the rest to the parser."""
        assert self.sink is not None
        rec = self.sink.record
        rec.spilled = True
        if rec.error is None:
            rec.error, rec.error_vi = en, vi
        self._end_record(at)
        self.mode = "xml"
        if self.cdata:
            self._emit(b"<![CDATA[")
            self.skip, self.cdata = b"]]>", False
        return at

    def _close_open_record(self) -> None:
        if self.sink is not None:
            self._spill(len(self.buf), "Thiếu thẻ đóng", "unterminated element")

    def _next_special(self, pos: int) -> int:
        """Index of the next "<" or "&" at or after ``pos`` (len(buf) if none); memchr-speed ``find``."""
        buf = self.buf
        for which in (0, 1):
            cached = self._next[which]
            if cached < pos or cached == -2:
                found = buf.find(b"<&"[which : which + 1], pos)
                self._next[which] = found if found >= 0 else len(buf)
        return min(self._next)

    def _content(self, pos: int) -> int | None:
        buf = self.buf
        while True:
            if self.cdata:
                e = buf.find(b"]]>", pos)
                end = e if e >= 0 else (len(buf) if self.final else max(pos, len(buf) - 2))
                stop = self._b64(pos, end)
                if stop < end:
                    return self._spill(
                        stop, "Ký tự lạ trong CDATA", f"non-base64 byte {bytes(buf[stop : stop + 1])!r}"
                    )
                pos = end
                if e < 0:
                    self._consume(pos)
                    return None
                pos, self.cdata = e + 3, False
                continue
            end = self._next_special(pos)
            stop = self._b64(pos, end)
            if stop < end:
                return self._spill(
                    stop,
                    f"Ký tự {bytes(buf[stop : stop + 1])!r} không thuộc bảng base64",
                    f"non-base64 byte {bytes(buf[stop : stop + 1])!r}",
                )
            pos = end
            if end == len(buf):
                self._consume(pos)
                return None
            if len(buf) - pos < _HOLD and not self.final:
                self._consume(pos)
                return None
            if buf[pos : pos + 1] == b"&":
                r = _CHARREF.match(buf, pos)
                cp = int(r.group(1), 16) if r and r.group(1) else int(r.group(2)) if r else -1
                if cp in _WS_CODEPOINTS:
                    assert r is not None
                    pos = r.end()
                    continue
                return self._spill(
                    pos, "Tham chiếu ký tự/thực thể trong base64", "entity or character reference"
                )
            if buf.startswith(b"<![CDATA[", pos):
                pos, self.cdata = pos + 9, True
                continue
            r = _CLOSE.match(buf, pos)
            if r and r.group(1) == self.qname:
                self._end_record(pos)
                self.mode = "xml"
                return pos
            if r is None and not self.final and len(buf) - pos <= _TAG_MAX and b">" not in buf[pos:]:
                self._consume(pos)
                return None
            return self._spill(pos, "Có thẻ XML lạ trong nội dung base64", "markup inside the base64 content")


def canonical_chunks(raw: BinaryIO, start: int, end: int, position: int) -> Iterator[bytes]:
    """Yield the C14N text of raw[start:end] (content a ``Tap`` accepted), reading ``raw`` from ``position``.

    XML end-of-line handling (CR LF and CR become LF), whitespace character references expanded (CR
    as ``&#xD;``), CDATA delimiters dropped — the canonical form of the text node (C14N 1.0 §2.3).
    """
    skip = start - position
    while skip > 0:
        got = raw.read(min(skip, CHUNK))
        if not got:
            raise EOFError("source shorter than on the first pass")
        skip -= len(got)
    left = end - start
    carry = b""
    while left > 0 or carry:
        chunk = raw.read(min(left, CHUNK)) if left > 0 else b""
        if left > 0 and not chunk:
            raise EOFError("source shorter than on the first pass")
        left -= len(chunk)
        data = carry + chunk
        cut = len(data)
        if left > 0:
            partial = _PARTIAL_TOKEN.search(data, max(0, len(data) - _HOLD))
            if partial:
                cut = partial.start()
        carry = data[cut:]
        piece = data[:cut]
        yield _canonical(piece)


def _canonical(piece: bytes) -> bytes:
    piece = piece.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    piece = piece.replace(b"<![CDATA[", b"").replace(b"]]>", b"")
    if b"&" in piece:
        piece = _CHARREF.sub(
            lambda m: _WS_CODEPOINTS[int(m.group(1), 16) if m.group(1) else int(m.group(2))], piece
        )
    return piece
