"""Hardened reading of edXML packages: raw XML or a zipped package, in bounded time and memory.

Why: the harness reads packages produced by systems under test, so every input is untrusted. lxml is
configured with ``resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
huge_tree=False``; in addition any DOCTYPE/ENTITY declaration is refused before the parser sees it
(billion laughs, XXE), the input size, the markup size and the element depth are capped, and zip
entries are checked for path traversal and zip bombs (ratio and total size). Attachment content is
streamed past the parser by ``_tap.Tap`` (base64 decoded and hashed incrementally), while
``lxml.etree.iterparse`` builds the small remaining tree; processed ``Attachment`` elements can be
cleared on the fly. ``read_package`` turns a parsed tree into the dataclasses of ``model``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from lxml import etree

from . import model as m
from ._tap import CHUNK, ContentRecord, Refused, Tap, canonical_chunks
from .names import NS, local_name, namespace_of

__all__ = [
    "Limits",
    "PackageError",
    "Parsed",
    "Refused",
    "Source",
    "SourceLike",
    "child",
    "children",
    "open_source",
    "parse",
    "parse_timestamp",
    "read_package",
    "text_of",
]

SourceLike = bytes | bytearray | str | os.PathLike[str] | IO[bytes]

_MiB = 1 << 20
# what zipfile/zlib raise on damaged archives (ValueError: e.g. "negative seek value")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, struct.error)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# harness reading: a zip entry name that could leave the extraction directory (zip slip) [I]
_DRIVE = re.compile(r"^[A-Za-z]:")
# edxml.md §12 TraceHeader/Timestamp and status Timestamp "yyyy/MM/dd HH:mm:ss" [S]
_TIMESTAMP = re.compile(
    r"^(?P<y>[0-9]{4})/(?P<mo>[0-9]{2})/(?P<d>[0-9]{2}) (?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})$"
)
# OQ-24: ISO 8601 accepted on receipt with a warning [I]
_TIMESTAMP_ISO = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})"
    r"(?:\.[0-9]+)?(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_VN = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Limits:
    """Caps applied while reading (all in bytes except depth, entries and ratio)."""

    max_file_bytes: int = 1024 * _MiB  # the file as given (zip or XML)
    max_bytes: int = 1024 * _MiB  # XML bytes read (after unzipping)
    max_structure_bytes: int = 16 * _MiB  # markup outside attachment content
    max_depth: int = 48
    max_zip_entries: int = 64
    max_zip_ratio: float = 100.0  # uncompressed / compressed, for entries above 1 MiB
    max_zip_total: int = 1024 * _MiB  # sum of uncompressed entry sizes
    max_keep_bytes: int = 64 * _MiB  # decoded attachment bytes kept by read_package


class PackageError(ValueError):
    """``read_package`` could not map the tree onto the model (run ``validate_package`` for details)."""


# ---------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------


class _Counted(io.RawIOBase):
    """Read-through wrapper that refuses more than ``limit`` bytes (defence against lying zip headers)."""

    def __init__(self, inner: BinaryIO, limit: int) -> None:
        self.inner, self.limit, self.total = inner, limit, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        try:
            data = self.inner.read(n if n is not None and n >= 0 else CHUNK)
        except _ZIP_ERRORS as exc:
            raise Refused("zip.invalid", f"Tệp nén hỏng: {exc}", f"corrupt zip entry: {exc}") from None
        self.total += len(data)
        if self.total > self.limit:
            raise Refused(
                "zip.bomb",
                "Dữ liệu giải nén vượt kích thước khai báo hoặc giới hạn",
                "decompressed data exceeds the declared size or the limit",
            )
        return data

    def close(self) -> None:
        self.inner.close()
        super().close()


class Source:
    """A package source that can be opened more than once (the signature check reads it twice).

    ``open_raw()`` returns a fresh stream of the XML bytes (decompressed for a zipped package).
    """

    def __init__(self, name: str, opener: Callable[[], BinaryIO], closers: list[Callable[[], None]]) -> None:
        self.name = name
        self.zip_entry: str | None = None
        self._opener = opener
        self._closers = closers

    def open_raw(self) -> BinaryIO:
        return self._opener()

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _NoClose(io.RawIOBase):
    """View of a caller's seekable file object, rewound on open and never closed by us."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        inner.seek(0)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        return self.inner.read(n if n is not None and n >= 0 else CHUNK)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()


def _check_zip_name(name: str) -> str | None:
    """Why ``name`` is unsafe, or None (zip slip: absolute, drive, backslash, '..', NUL)."""
    if "\x00" in name:
        return "NUL byte"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "absolute path"
    if "\\" in name:
        return "backslash separator"
    if any(part == ".." for part in name.split("/")):
        return "'..' segment"
    return None


def _open_zip(name: str, fileobj_factory: Callable[[], IO[bytes]], limits: Limits) -> Source:
    fileobj = fileobj_factory()
    closers: list[Callable[[], None]] = [fileobj.close]
    try:
        zf = zipfile.ZipFile(fileobj)
    except (*_ZIP_ERRORS, zipfile.LargeZipFile) as exc:
        fileobj.close()
        raise Refused("zip.invalid", f"Tệp nén hỏng: {exc}", f"corrupt zip archive: {exc}") from None
    closers.append(zf.close)
    try:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_entries:
            raise Refused(
                "zip.entries",
                f"Gói nén có {len(infos)} tệp, tối đa {limits.max_zip_entries}",
                f"{len(infos)} entries, limit {limits.max_zip_entries}",
            )
        total = 0
        for info in infos:
            why = _check_zip_name(info.filename)
            if why:
                raise Refused(
                    "zip.traversal",
                    f"Tên tệp {info.filename!r} không an toàn ({why})",
                    f"unsafe entry name {info.filename!r} ({why})",
                )
            if info.flag_bits & 0x1:
                raise Refused("zip.invalid", "Tệp nén có mật khẩu", "encrypted zip entry")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _MiB and ratio > limits.max_zip_ratio:
                raise Refused(
                    "zip.bomb",
                    f"Tỷ lệ nén {ratio:.0f}:1 của {info.filename!r} vượt {limits.max_zip_ratio:.0f}:1",
                    f"compression ratio {ratio:.0f}:1 of {info.filename!r} over {limits.max_zip_ratio:.0f}:1",
                )
        if total > limits.max_zip_total:
            raise Refused(
                "zip.bomb",
                f"Tổng dung lượng giải nén {total} byte vượt {limits.max_zip_total}",
                f"uncompressed total {total} bytes over {limits.max_zip_total}",
            )
        files = [i for i in infos if not i.is_dir()]
        wanted = [i for i in files if i.filename.lower().endswith((".edxml", ".xml"))]
        if len(wanted) != 1:
            wanted = files if len(files) == 1 else []
        if not wanted:
            raise Refused(
                "zip.entries",
                "Gói nén phải chứa đúng một tệp .edxml",
                "the zip must hold exactly one .edxml entry",
            )
        entry = wanted[0]
        if entry.file_size > limits.max_bytes:
            raise Refused(
                "xml.too_large",
                f"Tệp edXML {entry.file_size} byte vượt {limits.max_bytes}",
                f"edXML entry of {entry.file_size} bytes over {limits.max_bytes}",
            )
    except Refused:
        for c in reversed(closers):
            c()
        raise

    def opener() -> BinaryIO:
        try:
            inner = zf.open(entry)
        except _ZIP_ERRORS as exc:
            raise Refused("zip.invalid", f"Tệp nén hỏng: {exc}", f"corrupt zip entry: {exc}") from None
        return _Counted(inner, min(entry.file_size, limits.max_bytes))  # type: ignore[return-value]

    src = Source(f"{name}!{entry.filename}", opener, closers)
    src.zip_entry = entry.filename
    return src


def open_source(source: SourceLike, limits: Limits | None = None, name: str | None = None) -> Source:
    """Open bytes, a path (``str`` or ``PathLike``; never XML text) or a binary file object.

    Raises ``Refused`` for size and zip problems and ``OSError`` when the file cannot be read.
    """
    lim = limits or Limits()
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        label = name or "<bytes>"
        if len(data) > lim.max_file_bytes:
            raise Refused(
                "xml.too_large", "Tệp vượt giới hạn kích thước", f"file over {lim.max_file_bytes} bytes"
            )
        if data.startswith(_ZIP_MAGIC):
            return _open_zip(label, lambda: io.BytesIO(data), lim)
        return Source(label, lambda: io.BytesIO(data), [])
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = name or str(path)
        size = path.stat().st_size
        if size > lim.max_file_bytes:
            raise Refused(
                "xml.too_large", "Tệp vượt giới hạn kích thước", f"file over {lim.max_file_bytes} bytes"
            )
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic.startswith(_ZIP_MAGIC):
            return _open_zip(label, lambda: path.open("rb"), lim)
        return Source(label, lambda: path.open("rb"), [])
    fileobj = source
    label = name or str(getattr(fileobj, "name", "<stream>"))
    closers: list[Callable[[], None]] = []
    if not (hasattr(fileobj, "seekable") and fileobj.seekable()):
        spool = tempfile.SpooledTemporaryFile(max_size=8 * _MiB)
        copied = 0
        while chunk := fileobj.read(CHUNK):
            copied += len(chunk)
            if copied > lim.max_file_bytes:
                spool.close()
                raise Refused(
                    "xml.too_large", "Tệp vượt giới hạn kích thước", f"file over {lim.max_file_bytes} bytes"
                )
            spool.write(chunk)
        fileobj = spool  # type: ignore[assignment]
        closers.append(spool.close)
    fileobj.seek(0)
    magic = fileobj.read(4)
    fileobj.seek(0)
    if magic.startswith(_ZIP_MAGIC):
        src = _open_zip(label, lambda: _NoClose(fileobj), lim)  # type: ignore[arg-type]
        src._closers[:0] = closers
        return src
    return Source(label, lambda: _NoClose(fileobj), closers)  # type: ignore[arg-type,return-value]


# ---------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """A parsed package: the tree without attachment content, plus what the tap measured."""

    source: Source
    tree: Any  # lxml.etree._ElementTree
    records: list[ContentRecord]
    nonce: str
    warnings: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def root(self) -> Any:
        return self.tree.getroot()

    def record_for(self, elem: Any) -> ContentRecord | None:
        """The tap record of a ``ContentTransferEncoded`` element, or None when it was not diverted."""
        return _record_for(elem, self.nonce, self.records)

    def canonical(self, *, exclusive: bool = False, with_comments: bool = False) -> Iterator[bytes]:
        """C14N 1.0 (or exclusive C14N) of the whole document, attachment content streamed from the source.

        The tree holds a marker in place of each diverted content; the canonical bytes are cut at the
        markers and the content is read again from the source (second pass, bounded memory).
        """
        canon = etree.tostring(self.tree, method="c14n", exclusive=exclusive, with_comments=with_comments)
        marker = re.compile(rb"<\?edxml-tap " + self.nonce.encode("ascii") + rb":([0-9]+)\?>")
        pos = 0
        raw: BinaryIO | None = None
        raw_pos = 0
        try:
            for hit in marker.finditer(canon):
                yield canon[pos : hit.start()]
                rec = self.records[int(hit.group(1))]
                if raw is None or rec.start < raw_pos:
                    if raw is not None:
                        raw.close()
                    raw, raw_pos = self.source.open_raw(), 0
                yield from canonical_chunks(raw, rec.start, rec.end, raw_pos)
                raw_pos = rec.end
                pos = hit.end()
            yield canon[pos:]
        finally:
            if raw is not None:
                raw.close()

    def __enter__(self) -> Parsed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.source.close()

    def raw_content(self, rec: ContentRecord) -> bytes:
        """The raw bytes of one diverted content (used when re-serialising a signed package)."""
        with self.source.open_raw() as raw:
            left = rec.start
            while left > 0:
                got = raw.read(min(left, CHUNK))
                if not got:
                    raise EOFError("source shorter than on the first pass")
                left -= len(got)
            return raw.read(rec.end - rec.start)


RecordLookup = Callable[[Any], ContentRecord | None]
EndHook = Callable[[Any, int, RecordLookup], bool]


def _record_for(elem: Any, nonce: str, records: list[ContentRecord]) -> ContentRecord | None:
    for node in elem:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "edxml-tap":
            key, _, idx = (node.text or "").partition(":")
            if key == nonce and idx.isdigit() and int(idx) < len(records):
                return records[int(idx)]
    return None


def parse(
    source: SourceLike | Source,
    *,
    limits: Limits | None = None,
    keep_data: bool = False,
    on_end: EndHook | None = None,
) -> Parsed:
    """Parse ``source`` with the tap in front of ``lxml.etree.iterparse``.

    ``on_end(element, depth, record_for)`` is called at every end event; when it returns True the
    element is cleared (``keep_tail=True``) — the validator does this for ``Attachment`` elements it
    has checked. ``record_for(element)`` gives the tap record of a ``ContentTransferEncoded``.
    Raises ``Refused`` (a rule code) for anything that stops reading. The returned ``Parsed`` keeps
    its source open for a second pass (signature digest); close it with ``with parsed:`` or
    ``parsed.source.close()``.
    """
    lim = limits or Limits()
    own = not isinstance(source, Source)
    src = open_source(source, lim) if own else source  # type: ignore[arg-type]
    try:
        return _parse(src, lim, keep_data, on_end)
    except BaseException:
        if own:
            src.close()
        raise


def _parse(src: Source, lim: Limits, keep_data: bool, on_end: EndHook | None) -> Parsed:
    nonce = secrets.token_hex(8)
    raw = src.open_raw()
    tap = Tap(
        raw,  # type: ignore[arg-type]
        nonce=nonce,
        max_bytes=lim.max_bytes,
        max_structure=lim.max_structure_bytes,
        keep_data=keep_data,
    )
    depth = 0
    root = None

    def lookup(elem: Any) -> ContentRecord | None:
        return _record_for(elem, nonce, tap.records)

    try:
        events = etree.iterparse(
            tap,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=False,
            remove_pis=False,
            collect_ids=False,
            attribute_defaults=False,
            recover=False,
        )
        for event, elem in events:
            if event == "start":
                depth += 1
                if depth > lim.max_depth:
                    raise Refused(
                        "xml.too_deep",
                        f"Cây XML sâu hơn {lim.max_depth} cấp",
                        f"elements nested deeper than {lim.max_depth}",
                    )
                if root is None:
                    root = elem
            else:
                if on_end is not None and on_end(elem, depth, lookup):
                    elem.clear(keep_tail=True)
                depth -= 1
    except etree.XMLSyntaxError as exc:
        raise Refused("xml.malformed", f"XML không hợp lệ: {exc}", f"not well-formed XML: {exc}") from None
    except _ZIP_ERRORS as exc:  # corrupt or lying zip entry
        raise Refused("zip.invalid", f"Tệp nén hỏng: {exc}", f"corrupt zip entry: {exc}") from None
    finally:
        raw.close()
    if root is None:
        raise Refused("xml.malformed", "Không có phần tử gốc", "no root element")
    total = sum(r.size for r in tap.records if r.data is not None)
    if keep_data and total > lim.max_keep_bytes:
        raise Refused(
            "xml.too_large", "Tệp đính kèm quá lớn để nạp vào bộ nhớ", "attachments too large to keep"
        )
    return Parsed(src, root.getroottree(), tap.records, nonce, tap.warnings)


# ---------------------------------------------------------------------------------------------------
# Tree helpers (namespace-tolerant: QCVN namespace or none, edxml.md §2 variants)
# ---------------------------------------------------------------------------------------------------


def children(elem: Any, name: str) -> list[Any]:
    """Child elements called ``name`` in the QCVN namespace or in no namespace."""
    return [c for c in elem if local_name(c.tag) == name and namespace_of(c.tag) in (NS, "")]


def child(elem: Any, path: str) -> Any | None:
    """First element along a ``/``-separated path of local names, or None."""
    node = elem
    for step in path.split("/"):
        found = children(node, step)
        if not found:
            return None
        node = found[0]
    return node


def text_of(elem: Any, path: str | None = None) -> str | None:
    """Text of the element (or of the element at ``path``); None when absent."""
    node = child(elem, path) if path else elem
    if node is None:
        return None
    return node.text or ""


def parse_timestamp(value: str) -> tuple[dt.datetime | None, str | None]:
    """(naive Vietnam-time datetime, layout) for ``yyyy/MM/dd HH:mm:ss`` or ISO 8601 (OQ-24)."""
    mt = _TIMESTAMP.fullmatch(value)
    layout = "yyyy/MM/dd HH:mm:ss"
    if mt is None:
        mt = _TIMESTAMP_ISO.fullmatch(value)
        layout = "iso8601"
    if mt is None:
        return None, None
    try:
        when = dt.datetime(
            int(mt["y"]), int(mt["mo"]), int(mt["d"]), int(mt["h"]), int(mt["mi"]), int(mt["s"])
        )
    except ValueError:
        return None, layout
    tz = mt.groupdict().get("tz")
    if tz:
        offset = dt.UTC if tz == "Z" else _offset(tz)
        when = when.replace(tzinfo=offset).astimezone(_VN).replace(tzinfo=None)
    return when, layout


def _offset(tz: str) -> dt.timezone:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


# ---------------------------------------------------------------------------------------------------
# Tree → model
# ---------------------------------------------------------------------------------------------------


def _req(elem: Any, path: str) -> str:
    value = text_of(elem, path)
    if value is None:
        raise PackageError(f"missing {path}")
    return value


def _opt(elem: Any, path: str) -> str | None:
    return text_of(elem, path)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise PackageError(f"not an integer: {value!r}") from None


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y/%m/%d").date()
    except ValueError:
        raise PackageError(f"not a yyyy/MM/dd date: {value!r}") from None


def _time(value: str) -> dt.datetime:
    when, _ = parse_timestamp(value)
    if when is None:
        raise PackageError(f"not a timestamp: {value!r}")
    return when


def _organization(elem: Any) -> m.Organization:
    return m.Organization(
        organ_id=_req(elem, "OrganId"),
        organ_name=_req(elem, "OrganName"),
        organization_in_charge=_opt(elem, "OrganizationInCharge"),
        organ_add=_opt(elem, "OrganAdd"),
        email=_opt(elem, "Email"),
        telephone=_opt(elem, "Telephone"),
        fax=_opt(elem, "Fax"),
        website=_opt(elem, "Website"),
    )


def _staff(elem: Any | None) -> m.StaffInfo | None:
    if elem is None:
        return None
    return m.StaffInfo(
        department=_opt(elem, "Department"),
        staff=_opt(elem, "Staff"),
        mobile=_opt(elem, "Mobile"),
        email=_opt(elem, "Email"),
    )


def _response_for(elem: Any) -> m.ResponseFor:
    return m.ResponseFor(
        organ_id=_req(elem, "OrganId"),
        code=_req(elem, "Code"),
        promulgation_date=_date(_req(elem, "PromulgationDate")),  # type: ignore[arg-type]
        document_id=_opt(elem, "DocumentId"),
    )


def _header(mh: Any) -> m.MessageHeader:
    frm = child(mh, "From")
    if frm is None:
        raise PackageError("missing From")
    other = child(mh, "OtherInfo")
    signer = child(mh, "SignerInfo")
    if signer is None:
        raise PackageError("missing SignerInfo")
    to_places = child(mh, "ToPlaces")
    steering = _opt(mh, "SteeringType")
    return m.MessageHeader(
        from_=_organization(frm),
        to=[_organization(t) for t in children(mh, "To")],
        code=m.Code(_req(mh, "Code/CodeNumber"), _req(mh, "Code/CodeNotation")),
        promulgation_info=m.PromulgationInfo(
            _req(mh, "PromulgationInfo/Place"),
            _date(_req(mh, "PromulgationInfo/PromulgationDate")),  # type: ignore[arg-type]
        ),
        document_type=m.DocumentType(
            type=_int(_req(mh, "DocumentType/Type")),  # type: ignore[arg-type]
            type_name=_req(mh, "DocumentType/TypeName"),
            type_detail=_int(_opt(mh, "DocumentType/TypeDetail")),
        ),
        subject=_req(mh, "Subject"),
        content=_opt(mh, "Content"),
        signer_info=m.SignerInfo(
            full_name=_req(signer, "FullName"),
            position=_opt(signer, "Position"),
            competence=_opt(signer, "Competence"),
        ),
        document_id=_req(mh, "DocumentId"),
        due_date=_date(_opt(mh, "DueDate")),
        to_places=[p.text or "" for p in children(to_places, "Place")] if to_places is not None else [],
        other_info=None
        if other is None
        else m.OtherInfo(
            priority=_int(_req(other, "Priority")),  # type: ignore[arg-type]
            sphere_of_promulgation=_req(other, "SphereOfPromulgation"),
            typer_notation=_req(other, "TyperNotation"),
            promulgation_amount=_int(_opt(other, "PromulgationAmount")),
            page_amount=_int(_opt(other, "PageAmount")),
            appendixes=[a.text or "" for a in children(child(other, "Appendixes"), "Appendix")]
            if child(other, "Appendixes") is not None
            else [],
        ),
        response_for=[_response_for(r) for r in children(mh, "ResponseFor")],
        steering_type=_int(steering),
    )


def _bussiness(b: Any) -> m.Bussiness:
    info = child(b, "BussinessDocumentInfo")
    doc_info = None
    if info is not None:
        rl = child(info, "ReceiverList")
        doc_info = m.BussinessDocumentInfo(
            document_info=_int(_opt(info, "DocumentInfo")) or 0,
            document_receiver=_int(_opt(info, "DocumentReceiver")) or 0,
            receivers=[
                m.Receiver(_req(r, "OrganId"), _int(_req(r, "ReceiverType")))  # type: ignore[arg-type]
                for r in (children(rl, "Receiver") if rl is not None else [])
            ],
        )
    rep = child(b, "ReplacementInfoList")
    replacements = []
    for r in children(rep, "ReplacementInfo") if rep is not None else []:
        ol = child(r, "OrganIdList")
        replacements.append(
            m.ReplacementInfo(
                _req(r, "DocumentId"),
                [o.text or "" for o in children(ol, "OrganId")] if ol is not None else [],
            )
        )
    doc_type = _int(_req(b, "BussinessDocType"))
    try:
        bdt = m.BussinessDocType(doc_type)
    except ValueError:
        raise PackageError(f"unknown BussinessDocType {doc_type}") from None
    return m.Bussiness(
        bussiness_doc_type=bdt,
        bussiness_doc_reason=_opt(b, "BussinessDocReason"),
        paper=_int(_opt(b, "Paper")),
        document_id=_opt(b, "DocumentId"),
        staff_info=_staff(child(b, "StaffInfo")),
        document_info=doc_info,
        replacement_info=replacements,
    )


def _attachments(parsed: Parsed, root: Any) -> list[m.Attachment]:
    refs = {}
    manifest = child(root, "edXMLEnvelope/edXMLBody/edXMLManifest")
    for ref in children(manifest, "Reference") if manifest is not None else []:
        refs[_cid(_req(ref, "ContentId"))] = ref
    out = []
    enc = child(root, "AttachmentEncoded")
    for att in children(enc, "Attachment") if enc is not None else []:
        cte = child(att, "ContentTransferEncoded")
        if cte is None:
            raise PackageError("missing ContentTransferEncoded")
        rec = parsed.record_for(cte)
        if rec is None or rec.error:
            raise PackageError("attachment content not readable as base64")
        cid = _req(att, "ContentId")
        ref = refs.get(_cid(cid))
        out.append(
            m.Attachment(
                content_id=text_of(ref, "ContentId") if ref is not None else cid,  # type: ignore[arg-type]
                attachment_name=_req(ref if ref is not None else att, "AttachmentName"),
                content_type=_req(ref if ref is not None else att, "ContentType"),
                data=bytes(rec.data) if rec.data is not None else None,
                description=_opt(ref if ref is not None else att, "Description"),
                size=rec.size,
                sha256=rec.sha256,
            )
        )
    return out


def _cid(value: str) -> str:
    """ContentId normalised for matching: without ``cid:`` and angle brackets (edxml.md §8.1, SR-015)."""
    v = value.strip().strip("<>")
    return v[4:] if v.lower().startswith("cid:") else v


def read_package(
    source: SourceLike, *, limits: Limits | None = None, load_attachments: bool = True
) -> m.DocumentPackage | m.StatusPackage:
    """Read a package into the model; raises ``PackageError`` or ``Refused`` (diagnostics: validate)."""
    parsed = parse(source, limits=limits, keep_data=load_attachments)
    try:
        root = parsed.root
        if local_name(root.tag) != "edXML" or namespace_of(root.tag) != NS:
            raise PackageError("root is not {QCVN}edXML")
        mh = child(root, "edXMLEnvelope/edXMLHeader/MessageHeader")
        if mh is None:
            raise PackageError("missing MessageHeader")
        if child(mh, "StatusCode") is not None:
            frm = child(mh, "From")
            rf = child(mh, "ResponseFor")
            if frm is None or rf is None:
                raise PackageError("missing From or ResponseFor")
            return m.StatusPackage(
                from_=_organization(frm),
                response_for=_response_for(rf),
                staff_info=_staff(child(mh, "StaffInfo")) or m.StaffInfo(),
                status_code=_req(mh, "StatusCode"),
                description=_req(mh, "Description"),
                timestamp=_time(_req(mh, "Timestamp")),
            )
        thl = child(root, "edXMLEnvelope/edXMLHeader/TraceHeaderList")
        if thl is None or child(thl, "Bussiness") is None:
            raise PackageError("missing TraceHeaderList/Bussiness")
        return m.DocumentPackage(
            message_header=_header(mh),
            trace_header_list=m.TraceHeaderList(
                trace_headers=[
                    m.TraceHeader(_req(t, "OrganId"), _time(_req(t, "Timestamp")))
                    for t in children(thl, "TraceHeader")
                ],
                bussiness=_bussiness(child(thl, "Bussiness")),
                id=thl.get("id"),
                version=thl.get("version"),
            ),
            attachments=_attachments(parsed, root),
        )
    finally:
        parsed.source.close()
