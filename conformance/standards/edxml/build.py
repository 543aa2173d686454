"""Builder: model dataclasses → QCVN 102 edXML bytes (and a deterministic zipped form).

Why a hand-written streaming writer: the output must follow the namespace layout of edxml.md §2 and
§14.5 exactly (root ``edXML`` with the default namespace, ``edXML:``-prefixed envelope, unprefixed
``AttachmentEncoded`` with a prefixed ``edXML:ContentTransferEncoded``), use the SDK date formats
(``yyyy/MM/dd``, ``yyyy/MM/dd HH:mm:ss`` in Vietnam time; OQ-24), be byte-for-byte deterministic for
fixtures, and stream large attachments from disk in base64 without holding them in memory.
Text is NFC-normalised on output; characters XML 1.0 forbids raise ``ValueError``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from . import model as m
from .names import NS

__all__ = [
    "DIGEST_SHA256",
    "build_package",
    "business_key",
    "format_date",
    "format_timestamp",
    "write_package",
    "zip_package",
]

#: algorithm URI of the optional ``Reference/Digest`` extension (XML-Enc SHA-256) [I]
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_VN = dt.timezone(dt.timedelta(hours=7))
_B64_CHUNK = 57 * 16384  # whole 76-character base64 lines per chunk
# XML 1.0 §2.2 Char: control characters other than TAB, LF, CR, and U+FFFE/U+FFFF are not allowed
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ZIP_TIME = (2025, 3, 14, 9, 30, 0)


def format_date(value: dt.date) -> str:
    """edxml.md §12 ``yyyy/MM/dd`` [S]."""
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: dt.datetime) -> str:
    """edxml.md §12 ``yyyy/MM/dd HH:mm:ss`` in Vietnam time (aware values are converted; OQ-24)."""
    if value.tzinfo is not None:
        value = value.astimezone(_VN)
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def business_key(organ_id: str, promulgation_date: dt.date, so_ky_hieu: str) -> str:
    """edxml.md §11.4 DocumentId business key ``OrganId,yyyy/MM/dd,Số/Ký hiệu`` (OQ-11 emission default)."""
    return f"{organ_id},{format_date(promulgation_date)},{so_ky_hieu}"


def _escape(text: str, attr: bool = False) -> str:
    text = unicodedata.normalize("NFC", text)
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise ValueError(f"character U+{ord(bad.group()):04X} is not allowed in XML 1.0")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


class _Writer:
    """Indented element writer; ``p`` is the element prefix in force ("edXML:" or "")."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.level = 0

    def raw(self, text: str) -> None:
        self.out.write(text.encode("utf-8"))

    def _pad(self) -> str:
        return "\n" + "  " * self.level

    def start(self, tag: str, attrs: Iterable[tuple[str, str]] = ()) -> None:
        a = "".join(f' {k}="{_escape(v, attr=True)}"' for k, v in attrs)
        self.raw(f"{self._pad()}<{tag}{a}>")
        self.level += 1

    def end(self, tag: str) -> None:
        self.level -= 1
        self.raw(f"{self._pad()}</{tag}>")

    def leaf(self, tag: str, text: str | int | None, attrs: Iterable[tuple[str, str]] = ()) -> None:
        if text is None:
            return
        a = "".join(f' {k}="{_escape(v, attr=True)}"' for k, v in attrs)
        self.raw(f"{self._pad()}<{tag}{a}>{_escape(str(text))}</{tag}>")


def _organization(w: _Writer, tag: str, org: m.Organization) -> None:
    w.start(tag)
    w.leaf("edXML:OrganId", org.organ_id)
    w.leaf("edXML:OrganizationInCharge", org.organization_in_charge)
    w.leaf("edXML:OrganName", org.organ_name)
    w.leaf("edXML:OrganAdd", org.organ_add)
    w.leaf("edXML:Email", org.email)
    w.leaf("edXML:Telephone", org.telephone)
    w.leaf("edXML:Fax", org.fax)
    w.leaf("edXML:Website", org.website)
    w.end(tag)


def _response_for(w: _Writer, rf: m.ResponseFor) -> None:
    w.start("edXML:ResponseFor")
    w.leaf("edXML:OrganId", rf.organ_id)
    w.leaf("edXML:Code", rf.code)
    w.leaf("edXML:PromulgationDate", format_date(rf.promulgation_date))
    w.leaf("edXML:DocumentId", rf.document_id)
    w.end("edXML:ResponseFor")


def _staff(w: _Writer, staff: m.StaffInfo | None) -> None:
    if staff is None:
        return
    w.start("edXML:StaffInfo")
    w.leaf("edXML:Department", staff.department)
    w.leaf("edXML:Staff", staff.staff)
    w.leaf("edXML:Mobile", staff.mobile)
    w.leaf("edXML:Email", staff.email)
    w.end("edXML:StaffInfo")


def _message_header(w: _Writer, mh: m.MessageHeader) -> None:
    """edxml.md §4, element order of the VPCP sample ``edoc_new.edxml`` (S19)."""
    w.start("edXML:MessageHeader")
    _organization(w, "edXML:From", mh.from_)
    for to in mh.to:
        _organization(w, "edXML:To", to)
    w.start("edXML:Code")
    w.leaf("edXML:CodeNumber", mh.code.code_number)
    w.leaf("edXML:CodeNotation", mh.code.code_notation)
    w.end("edXML:Code")
    w.start("edXML:PromulgationInfo")
    w.leaf("edXML:Place", mh.promulgation_info.place)
    w.leaf("edXML:PromulgationDate", format_date(mh.promulgation_info.promulgation_date))
    w.end("edXML:PromulgationInfo")
    w.start("edXML:DocumentType")
    w.leaf("edXML:Type", mh.document_type.type)
    w.leaf("edXML:TypeDetail", mh.document_type.type_detail)
    w.leaf("edXML:TypeName", mh.document_type.type_name)
    w.end("edXML:DocumentType")
    w.leaf("edXML:Subject", mh.subject)
    w.leaf("edXML:Content", mh.content)
    w.start("edXML:SignerInfo")
    w.leaf("edXML:Competence", mh.signer_info.competence)
    w.leaf("edXML:Position", mh.signer_info.position)
    w.leaf("edXML:FullName", mh.signer_info.full_name)
    w.end("edXML:SignerInfo")
    if mh.due_date is not None:
        w.leaf("edXML:DueDate", format_date(mh.due_date))
    if mh.to_places:
        w.start("edXML:ToPlaces")
        for place in mh.to_places:
            w.leaf("edXML:Place", place)
        w.end("edXML:ToPlaces")
    oi = mh.other_info
    if oi is not None:
        w.start("edXML:OtherInfo")
        w.leaf("edXML:Priority", oi.priority)
        w.leaf("edXML:SphereOfPromulgation", oi.sphere_of_promulgation)
        w.leaf("edXML:TyperNotation", oi.typer_notation)
        w.leaf("edXML:PromulgationAmount", oi.promulgation_amount)
        w.leaf("edXML:PageAmount", oi.page_amount)
        if oi.appendixes:
            w.start("edXML:Appendixes")
            for a in oi.appendixes:
                w.leaf("edXML:Appendix", a)
            w.end("edXML:Appendixes")
        w.end("edXML:OtherInfo")
    for rf in mh.response_for:
        _response_for(w, rf)
    w.leaf("edXML:SteeringType", mh.steering_type)
    w.leaf("edXML:DocumentId", mh.document_id)
    w.end("edXML:MessageHeader")


def _bussiness(w: _Writer, b: m.Bussiness) -> None:
    """edxml.md §6 Bussiness (official spelling, SR-041)."""
    w.start("edXML:Bussiness")
    w.leaf("edXML:BussinessDocType", int(b.bussiness_doc_type))
    w.leaf("edXML:BussinessDocReason", b.bussiness_doc_reason)
    w.leaf("edXML:Paper", b.paper)
    w.leaf("edXML:DocumentId", b.document_id)
    _staff(w, b.staff_info)
    if b.document_info is not None:
        info = b.document_info
        w.start("edXML:BussinessDocumentInfo")
        w.leaf("edXML:DocumentInfo", info.document_info)
        w.leaf("edXML:DocumentReceiver", info.document_receiver)
        if info.receivers:
            w.start("edXML:ReceiverList")
            for r in info.receivers:
                w.start("edXML:Receiver")
                w.leaf("edXML:OrganId", r.organ_id)
                w.leaf("edXML:ReceiverType", r.receiver_type)
                w.end("edXML:Receiver")
            w.end("edXML:ReceiverList")
        w.end("edXML:BussinessDocumentInfo")
    if b.replacement_info:
        w.start("edXML:ReplacementInfoList")
        for ri in b.replacement_info:
            w.start("edXML:ReplacementInfo")
            w.leaf("edXML:DocumentId", ri.document_id)
            if ri.organ_ids:
                w.start("edXML:OrganIdList")
                for o in ri.organ_ids:
                    w.leaf("edXML:OrganId", o)
                w.end("edXML:OrganIdList")
            w.end("edXML:ReplacementInfo")
        w.end("edXML:ReplacementInfoList")
    w.end("edXML:Bussiness")


def _content_chunks(att: m.Attachment) -> Iterator[bytes]:
    if att.data is not None:
        for i in range(0, len(att.data), _B64_CHUNK):
            yield att.data[i : i + _B64_CHUNK]
    elif att.path is not None:
        with open(att.path, "rb") as fh:
            while chunk := fh.read(_B64_CHUNK):
                yield chunk
    else:
        raise ValueError(f"attachment {att.content_id!r} has neither data nor path")


def _measure(att: m.Attachment) -> tuple[int, str]:
    h = hashlib.sha256()
    n = 0
    for chunk in _content_chunks(att):
        h.update(chunk)
        n += len(chunk)
    return n, base64.b64encode(h.digest()).decode("ascii")


def write_package(
    pkg: m.DocumentPackage | m.StatusPackage, out: BinaryIO, *, declare_digests: bool = False
) -> None:
    """Write ``pkg`` as UTF-8 edXML to ``out``, streaming attachment content.

    ``declare_digests`` adds the optional ``Reference/Size`` and ``Reference/Digest`` extension
    elements (decoded size, SHA-256) that the validator checks when present [I]; off by default
    because they are not QCVN elements (OQ-18: emit extensions only in tolerance tests).
    """
    w = _Writer(out)
    w.raw('<?xml version="1.0" encoding="UTF-8"?>')
    w.raw(f'\n<edXML xmlns="{NS}">')
    w.level = 1
    w.start("edXML:edXMLEnvelope", [("xmlns:edXML", NS)])
    w.start("edXML:edXMLHeader")
    if isinstance(pkg, m.StatusPackage):
        w.start("edXML:MessageHeader")
        _organization(w, "edXML:From", pkg.from_)
        _response_for(w, pkg.response_for)
        _staff(w, pkg.staff_info)
        w.leaf("edXML:StatusCode", pkg.status_code)
        w.leaf("edXML:Description", pkg.description)
        w.leaf("edXML:Timestamp", format_timestamp(pkg.timestamp))
        w.end("edXML:MessageHeader")
        w.end("edXML:edXMLHeader")
        w.end("edXML:edXMLEnvelope")
        w.raw("\n</edXML>\n")
        return
    _message_header(w, pkg.message_header)
    thl = pkg.trace_header_list
    attrs = [(k, v) for k, v in (("id", thl.id), ("version", thl.version)) if v is not None]
    w.start("edXML:TraceHeaderList", attrs)
    for th in thl.trace_headers:
        w.start("edXML:TraceHeader")
        w.leaf("edXML:OrganId", th.organ_id)
        w.leaf("edXML:Timestamp", format_timestamp(th.timestamp))
        w.end("edXML:TraceHeader")
    _bussiness(w, thl.bussiness)
    w.end("edXML:TraceHeaderList")
    w.end("edXML:edXMLHeader")
    w.start("edXML:edXMLBody")
    w.start("edXML:edXMLManifest", [("version", "1.0")])
    for att in pkg.attachments:
        w.start("edXML:Reference")
        w.leaf("edXML:ContentId", att.content_id)
        w.leaf("edXML:ContentType", att.content_type)
        w.leaf("edXML:Description", att.description)
        w.leaf("edXML:AttachmentName", att.attachment_name)
        if declare_digests:
            size, digest = _measure(att)
            w.leaf("edXML:Size", size)
            w.leaf("edXML:Digest", digest, [("Algorithm", DIGEST_SHA256)])
        w.end("edXML:Reference")
    w.end("edXML:edXMLManifest")
    w.end("edXML:edXMLBody")
    w.end("edXML:edXMLEnvelope")
    if pkg.attachments:
        w.start("AttachmentEncoded")
        for att in pkg.attachments:
            w.start("Attachment")
            w.leaf("ContentId", att.content_id)
            w.leaf("AttachmentName", att.attachment_name)
            w.leaf("Description", att.description)
            w.leaf("ContentType", att.content_type)
            w.raw(f'{w._pad()}<edXML:ContentTransferEncoded xmlns:edXML="{NS}">\n')
            for chunk in _content_chunks(att):
                out.write(base64.encodebytes(chunk))
            w.raw("  " * w.level + "</edXML:ContentTransferEncoded>")
            w.end("Attachment")
        w.end("AttachmentEncoded")
    w.raw("\n</edXML>\n")


def build_package(pkg: m.DocumentPackage | m.StatusPackage, *, declare_digests: bool = False) -> bytes:
    """``write_package`` into memory."""
    buf = io.BytesIO()
    write_package(pkg, buf, declare_digests=declare_digests)
    return buf.getvalue()


def zip_package(xml: bytes, entry_name: str = "package.edxml") -> bytes:
    """A deterministic zip holding one edXML entry (fixed timestamp and attributes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(entry_name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, xml)
    return buf.getvalue()
