"""Read the visible text of a signature appearance (NĐ 30 PL I; SR-053, SR-055; OQ-25).

Why: the law fixes what the agency signature shows (số và ký hiệu, signing time in ISO 8601 with the
Vietnam offset), so a judge must read the text drawn in the widget's normal appearance stream. Real
signing tools (VGCA, vendor plug-ins, pyHanko) draw it with an embedded Type0 font, so the bytes are
glyph codes: text comes from ``/ActualText`` spans when present, else through the font's
``/ToUnicode`` CMap, else (simple fonts) as WinAnsi. Nested form XObjects are followed. The parser
is deliberately small: it reads only text-showing, text-positioning and marked-content operators
and never executes anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic

__all__ = ["AppearanceInfo", "decode_text_string", "parse_tounicode", "read_appearance", "tokenize"]

_MAX_DEPTH = 8  # nested form XObjects followed (a loop guard, not a limit any real stamp reaches)
_WS = b" \t\r\n\f\x00"
_DELIM = b"()<>[]{}/%"
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)$")


class Name(str):
    """A PDF name operand (``/F1``), kept apart from operators."""


class Op(str):
    """A content-stream operator (``Tj``, ``BDC`` …)."""


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """Literal string starting after ``(``; returns (bytes, index after ``)``)."""
    out = bytearray()
    depth = 1
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            if i >= len(data):
                break
            e = data[i]
            if e in escapes:
                out.append(escapes[e])
            elif 0x30 <= e <= 0x37:
                j = i
                while j < len(data) and j < i + 3 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 0xFF)
                i = j - 1
            elif e in (10, 13):  # line continuation
                if e == 13 and i + 1 < len(data) and data[i + 1] == 10:
                    i += 1
            else:
                out.append(e)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


def _skip_inline_image(data: bytes, i: int) -> int:
    """Index after the ``EI`` that ends an inline image (its data is binary)."""
    m = re.compile(rb"[\s]EI(?=[\s]|$)").search(data, i)
    return m.end() if m else len(data)


def tokenize(data: bytes) -> Iterator[Any]:
    """Yield operands (bytes, numbers, ``Name``, lists, dicts) and ``Op`` operators of a content stream."""
    stack: list[list[Any]] = [[]]
    dict_marks: list[int] = []
    i, n = 0, len(data)

    def emit(value: Any) -> Iterator[Any]:
        if len(stack) == 1:
            yield value
        else:
            stack[-1].append(value)

    while i < n:
        c = data[i]
        if c in _WS:
            i += 1
        elif c == 0x25:  # % comment
            while i < n and data[i] not in b"\r\n":
                i += 1
        elif c == 0x28:
            s, i = _literal(data, i + 1)
            yield from emit(s)
        elif data.startswith(b"<<", i):
            stack.append([])
            dict_marks.append(len(stack))
            i += 2
        elif data.startswith(b">>", i):
            i += 2
            if dict_marks and dict_marks[-1] == len(stack):
                dict_marks.pop()
                items = stack.pop()
                d = {str(items[k]): items[k + 1] for k in range(0, len(items) - 1, 2)}
                yield from emit(d)
        elif c == 0x3C:
            j = data.find(b">", i)
            j = n if j < 0 else j
            hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data[i + 1 : j])
            if len(hexdigits) % 2:
                hexdigits += b"0"
            yield from emit(bytes.fromhex(hexdigits.decode("ascii")))
            i = j + 1
        elif c == 0x5B:
            stack.append([])
            i += 1
        elif c == 0x5D:
            i += 1
            if len(stack) > 1 and not (dict_marks and dict_marks[-1] == len(stack)):
                arr = stack.pop()
                yield from emit(arr)
        elif c == 0x2F:
            j = i + 1
            while j < n and data[j] not in _WS and data[j] not in _DELIM:
                j += 1
            raw = data[i + 1 : j]
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
            yield from emit(Name(name.decode("latin-1")))
            i = j
        else:
            j = i
            while j < n and data[j] not in _WS and data[j] not in _DELIM:
                j += 1
            if j == i:  # stray delimiter such as ")" or "{"
                i += 1
                continue
            word = data[i:j]
            i = j
            if _NUMBER.match(word):
                yield from emit(float(word) if b"." in word else int(word))
            elif word in (b"true", b"false"):
                yield from emit(word == b"true")
            elif word == b"null":
                yield from emit(None)
            elif len(stack) > 1:  # an operator inside [ ] or << >> is malformed: keep the array going
                continue
            else:
                yield Op(word.decode("latin-1"))
                if word == b"ID":
                    i = _skip_inline_image(data, i)


def decode_text_string(raw: bytes) -> str:
    """PDF text string: UTF-16 with a BOM, UTF-8 with a BOM (PDF 2.0), else PDFDocEncoding (≈ Latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("latin-1")


@dataclass(frozen=True)
class ToUnicode:
    """A parsed ``/ToUnicode`` CMap: code width in bytes and code → text."""

    width: int
    table: Mapping[int, str]

    def decode(self, raw: bytes) -> str:
        w = self.width
        return "".join(
            self.table.get(int.from_bytes(raw[k : k + w], "big"), "\ufffd")
            for k in range(0, len(raw) - w + 1, w)
        )


def _utf16(raw: bytes) -> str:
    return raw.decode("utf-16-be", errors="replace")


def parse_tounicode(data: bytes) -> ToUnicode:
    """Read ``codespacerange``, ``bfchar`` and ``bfrange`` sections (the subset real CMaps use)."""
    table: dict[int, str] = {}
    width = 0
    mode: str | None = None
    operands: list[Any] = []
    for tok in tokenize(data):
        if isinstance(tok, Op):
            if tok in ("begincodespacerange", "beginbfchar", "beginbfrange"):
                mode, operands = tok[5:], []
            elif tok.startswith("end"):
                if mode == "codespacerange":
                    widths = [
                        len(operands[k]) for k in range(0, len(operands), 2) if isinstance(operands[k], bytes)
                    ]
                    width = max([width, *widths])
                elif mode == "bfchar":
                    for k in range(0, len(operands) - 1, 2):
                        src, dst = operands[k], operands[k + 1]
                        if isinstance(src, bytes) and isinstance(dst, bytes):
                            table[int.from_bytes(src, "big")] = _utf16(dst)
                elif mode == "bfrange":
                    for k in range(0, len(operands) - 2, 3):
                        lo, hi, dst = operands[k : k + 3]
                        if not (isinstance(lo, bytes) and isinstance(hi, bytes)):
                            continue
                        a, b = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
                        if b - a > 0xFFFF:
                            continue
                        if isinstance(dst, list):
                            for off, item in enumerate(dst[: b - a + 1]):
                                if isinstance(item, bytes):
                                    table[a + off] = _utf16(item)
                        elif isinstance(dst, bytes) and dst:
                            base = int.from_bytes(dst, "big")
                            for off in range(b - a + 1):
                                value = (base + off).to_bytes(len(dst), "big")
                                table[a + off] = _utf16(value)
                mode, operands = None, []
        elif mode is not None:
            operands.append(tok)
    return ToUnicode(width or 1, table)


@dataclass
class _Font:
    tounicode: ToUnicode | None
    two_byte: bool
    encoding: str

    def decode(self, raw: bytes) -> str:
        if self.tounicode is not None:
            return self.tounicode.decode(raw)
        if self.two_byte:  # Identity-H without ToUnicode: glyph ids, unreadable
            return "\ufffd" * (len(raw) // 2)
        return raw.decode(self.encoding, errors="replace")


def _font(obj: Any) -> _Font:
    font = obj.get_object() if isinstance(obj, generic.IndirectObject) else obj
    tu = None
    if isinstance(font, generic.DictionaryObject) and "/ToUnicode" in font:
        try:
            tu = parse_tounicode(font["/ToUnicode"].get_object().data)
        except Exception:  # a broken CMap must not hide the rest of the text
            tu = None
    subtype = font.get("/Subtype") if isinstance(font, generic.DictionaryObject) else None
    enc = font.get("/Encoding") if isinstance(font, generic.DictionaryObject) else None
    codec = "mac_roman" if enc == "/MacRomanEncoding" else "cp1252"
    return _Font(tu, subtype == "/Type0", codec)


@dataclass
class AppearanceInfo:
    """What a widget's normal appearance shows: its text (NFC, lines joined by ``\\n``) and whether it
    draws an image (SR-051/SR-052 need one; SR-053 forbids one)."""

    text: str = ""
    has_image: bool = False
    lines: list[str] = field(default_factory=list)


class _Reader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.has_image = False

    def newline(self) -> None:
        if self.current:
            self.lines.append("".join(self.current))
            self.current = []

    def run(self, stream: Any, resources: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        fonts = resources.get("/Font", {}) if isinstance(resources, generic.DictionaryObject) else {}
        xobjects = resources.get("/XObject", {}) if isinstance(resources, generic.DictionaryObject) else {}
        font: _Font | None = None
        cache: dict[str, _Font] = {}
        actual: list[bool] = []  # marked-content stack: True where an /ActualText replaces the glyphs
        operands: list[Any] = []
        for tok in tokenize(stream.data):
            if not isinstance(tok, Op):
                operands.append(tok)
                continue
            op = str(tok)
            if op == "Tf" and operands and isinstance(operands[0], Name):
                name = "/" + operands[0]
                if name not in cache and name in fonts:
                    cache[name] = _font(fonts[name])
                font = cache.get(name)
            elif op in ("Tj", "'", '"', "TJ") and operands:
                if op in ("'", '"'):
                    self.newline()
                if not any(actual):
                    arg = operands[-1]
                    parts = arg if isinstance(arg, list) else [arg]
                    for p in parts:
                        if isinstance(p, bytes):
                            self.current.append(
                                font.decode(p) if font else p.decode("cp1252", errors="replace")
                            )
            elif op in ("Td", "TD") and len(operands) >= 2:
                if isinstance(operands[1], int | float) and operands[1] != 0:
                    self.newline()
            elif op in ("T*", "Tm", "BT", "ET"):
                self.newline()
            elif op in ("BMC", "BDC"):
                props = operands[-1] if op == "BDC" and operands else None
                text = props.get("ActualText") if isinstance(props, dict) else None
                if isinstance(text, bytes) and not any(actual):
                    self.current.append(decode_text_string(text))
                    actual.append(True)
                else:
                    actual.append(False)
            elif op == "EMC":
                if actual:
                    actual.pop()
            elif op == "Do" and operands and isinstance(operands[0], Name):
                self._do("/" + operands[0], xobjects, resources, depth)
            elif op == "ID":
                self.has_image = True
            operands = []
        self.newline()

    def _do(self, name: str, xobjects: Any, resources: Any, depth: int) -> None:
        if name not in xobjects:
            return
        xo = xobjects[name].get_object()
        subtype = xo.get("/Subtype")
        if subtype == "/Image":
            self.has_image = True
        elif subtype == "/Form":
            self.newline()
            self.run(xo, xo.get("/Resources", resources), depth + 1)


def read_appearance(widget: Any) -> AppearanceInfo | None:
    """Text and image presence of ``widget``'s ``/AP /N`` stream; ``None`` when it has no appearance."""
    try:
        ap = widget.get("/AP")
        normal = ap.get("/N") if ap is not None else None
        if normal is None:
            return None
        normal = normal.get_object()
        if isinstance(normal, generic.DictionaryObject) and not isinstance(normal, generic.StreamObject):
            state = widget.get("/AS")  # appearance sub-dictionary keyed by state
            normal = normal.get(state).get_object() if state in normal else None
        if not isinstance(normal, generic.StreamObject):
            return None
    except (AttributeError, KeyError, TypeError):
        return None
    reader = _Reader()
    reader.run(normal, normal.get("/Resources", generic.DictionaryObject()), 0)
    lines = [unicodedata.normalize("NFC", line).strip() for line in reader.lines]
    lines = [line for line in lines if line]
    return AppearanceInfo(text="\n".join(lines), has_image=reader.has_image, lines=lines)
