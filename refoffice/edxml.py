"""The reference's own edXML (QCVN 102:2016): reading and checking what arrives, writing what it sends.

Written independently of the harness (lxml directly, its own checks), so that a shared
misreading cannot make the harness and the reference agree. Reading is hardened: no DTD, no
entities, no network, a size cap; elements are found by namespace and local name, so prefixed and
default-namespace forms read alike (SR-012); unknown elements are ignored (SR-034).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
MAX_PACKAGE = 20 * 1024 * 1024  # bytes of one package the reference accepts
MAX_UNZIPPED = 50 * 1024 * 1024
ORGAN_RE = re.compile(r"^(?=.{1,35}$)[A-Z0-9]+(\.[A-Z0-9]+)*$")  # QCVN 102 or QĐ 20/2020
DATE_FORMS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d")  # edXML first; the others tolerated (OQ-24)


class Unreadable(Exception):
    """The package cannot be read at all (transport ``fail``, no status package possible)."""


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes  # the file itself (unzipped when it came zipped)
    zipped: bool = False


@dataclass
class Package:
    """What the reference needs of an incoming package (document or status)."""

    kind: str  # edoc | status
    from_organ_id: str = ""
    from_organ_name: str = ""
    to: list[str] = field(default_factory=list)
    code_number: str = ""
    code_notation: str = ""
    promulgation_date: dt.date | None = None
    type_name: str = ""
    subject: str = ""
    due_date: dt.date | None = None
    priority: int = 0
    page_amount: int | None = None
    signer: str = ""
    document_id: str = ""
    business: int = 0
    business_reason: str = ""
    business_document_id: str = ""
    document_info_changed: bool = False
    replaced_ids: list[str] = field(default_factory=list)
    paper: int = 0
    attachments: list[Attachment] = field(default_factory=list)
    has_signature: bool = False
    # status packages
    status_code: str = ""
    description: str = ""
    response_for_document_id: str = ""
    response_for_code: str = ""
    response_for_organ_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def so_ky_hieu(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


# ----------------------------------------------------------------------------------- reading
def parse_xml(data: bytes, *, hardened: bool = True) -> Any:
    """The root element; ``Unreadable`` for anything that is not a plain, well-formed document."""
    if len(data) > MAX_PACKAGE:
        raise Unreadable(f"gói tin {len(data)} byte, vượt quá {MAX_PACKAGE} byte cho phép")
    if hardened and (b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]):
        raise Unreadable("gói tin có khai báo DOCTYPE/ENTITY (không được phép)")
    parser = etree.XMLParser(
        resolve_entities=not hardened,
        load_dtd=not hardened,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise Unreadable(f"gói tin không phải XML hợp lệ: {str(exc)[:150]}") from None


# elements the SDK writes without a prefix (the fault ``prefix_dependent_parser`` still finds them)
_UNPREFIXED = (
    "edXML",
    "AttachmentEncoded",
    "Attachment",
    "ContentId",
    "AttachmentName",
    "ContentType",
    "Description",
)


class _Finder:
    """Elements by local name in the QCVN namespace (or none); ``prefix_only`` is the fault mode."""

    def __init__(self, prefix_only: bool = False) -> None:
        self.prefix_only = prefix_only

    def ok(self, e: Any, name: str) -> bool:
        if not isinstance(e.tag, str):
            return False
        q = etree.QName(e)
        if q.localname != name or q.namespace not in (NS, None):
            return False
        return not self.prefix_only or e.prefix == "edXML" or name in _UNPREFIXED

    def all(self, e: Any, name: str) -> list[Any]:
        return [c for c in e if self.ok(c, name)] if e is not None else []

    def one(self, e: Any, path: str) -> Any | None:
        node = e
        for step in path.split("/"):
            found = self.all(node, step)
            if not found:
                return None
            node = found[0]
        return node

    def text(self, e: Any, path: str) -> str:
        node = self.one(e, path)
        return (node.text or "").strip() if node is not None else ""


def parse_date(value: str) -> dt.date | None:
    for form in DATE_FORMS:
        try:
            return dt.datetime.strptime(value.strip(), form).date()
        except ValueError:
            continue
    return None


def _cid(value: str) -> str:
    v = value.strip().strip("<>")
    return v[4:] if v.lower().startswith("cid:") else v


def _unzip(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) != 1 or infos[0].file_size > MAX_UNZIPPED:
                raise Unreadable("tệp nén đính kèm phải chứa đúng một tệp có kích thước hợp lý")
            return zf.read(infos[0])
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"tệp nén đính kèm hỏng: {exc}") from None


def read_package(
    data: bytes,
    *,
    hardened: bool = True,
    prefix_only: bool = False,
    check_organ_ids: bool = True,
    check_content_ids: bool = True,
    unzip: bool = True,
) -> Package:
    """Read and check one package; problems a sender must be told of are in ``Package.problems``."""
    root = parse_xml(data, hardened=hardened)
    f = _Finder(prefix_only)
    if not f.ok(root, "edXML"):
        raise Unreadable("phần tử gốc không phải edXML theo QCVN 102:2016")
    header = f.one(root, "edXMLEnvelope/edXMLHeader")
    mh = f.one(header, "MessageHeader") if header is not None else None
    pkg = Package(kind="status" if mh is not None and f.one(mh, "StatusCode") is not None else "edoc")
    problems = pkg.problems
    if mh is None:
        problems.append("thiếu edXMLEnvelope/edXMLHeader/MessageHeader")
        return pkg
    pkg.has_signature = any(etree.QName(c).localname == "Signature" for c in header if isinstance(c.tag, str))
    pkg.from_organ_id = f.text(mh, "From/OrganId")
    pkg.from_organ_name = f.text(mh, "From/OrganName")
    if not pkg.from_organ_id:
        problems.append("thiếu From/OrganId")
    elif check_organ_ids and not ORGAN_RE.match(pkg.from_organ_id):
        problems.append(f"mã định danh cơ quan gửi {pkg.from_organ_id!r} không đúng QCVN 102 hoặc QĐ 20/2020")
    if pkg.kind == "status":
        pkg.status_code = f.text(mh, "StatusCode")
        pkg.description = f.text(mh, "Description")
        pkg.response_for_document_id = f.text(mh, "ResponseFor/DocumentId")
        pkg.response_for_code = f.text(mh, "ResponseFor/Code")
        pkg.response_for_organ_id = f.text(mh, "ResponseFor/OrganId")
        return pkg
    pkg.to = [(t.text or "").strip() for t in (f.one(x, "OrganId") for x in f.all(mh, "To")) if t is not None]
    if not pkg.to:
        problems.append("thiếu nơi nhận (To)")
    for organ in pkg.to:
        if check_organ_ids and not ORGAN_RE.match(organ):
            problems.append(f"mã định danh nơi nhận {organ!r} không hợp lệ")
    pkg.code_number = f.text(mh, "Code/CodeNumber")
    pkg.code_notation = f.text(mh, "Code/CodeNotation")
    if not pkg.code_number or not pkg.code_notation:
        problems.append("thiếu số hoặc ký hiệu văn bản (Code)")
    raw_date = f.text(mh, "PromulgationInfo/PromulgationDate")
    pkg.promulgation_date = parse_date(raw_date) if raw_date else None
    if pkg.promulgation_date is None:
        problems.append(f"ngày ban hành không hợp lệ: {raw_date!r}")
    pkg.type_name = f.text(mh, "DocumentType/TypeName")
    if not pkg.type_name:
        problems.append("thiếu tên loại văn bản (DocumentType/TypeName)")
    pkg.subject = f.text(mh, "Subject")
    if not pkg.subject:
        problems.append("thiếu trích yếu (Subject)")
    elif len(pkg.subject) > 500:
        problems.append("trích yếu dài quá 500 ký tự")
    due = f.text(mh, "DueDate")
    pkg.due_date = parse_date(due) if due else None
    if due and pkg.due_date is None:
        problems.append(f"hạn xử lý không hợp lệ: {due!r}")
    prio = f.text(mh, "OtherInfo/Priority")
    if prio:
        if not prio.isdigit() or int(prio) > 4:
            problems.append(f"độ khẩn {prio!r} ngoài khoảng 0–4")
        else:
            pkg.priority = int(prio)
    pages = f.text(mh, "OtherInfo/PageAmount")
    pkg.page_amount = int(pages) if pages.isdigit() else None
    pkg.signer = " ".join(
        x
        for x in (
            f.text(mh, "SignerInfo/Competence"),
            f.text(mh, "SignerInfo/Position"),
            f.text(mh, "SignerInfo/FullName"),
        )
        if x
    )
    pkg.document_id = f.text(mh, "DocumentId")
    if not pkg.document_id:
        problems.append("thiếu mã định danh văn bản (DocumentId)")
    bus = f.one(header, "TraceHeaderList/Bussiness")
    if bus is None:
        problems.append("thiếu TraceHeaderList/Bussiness")
    else:
        t = f.text(bus, "BussinessDocType")
        if t not in ("0", "1", "2", "3"):
            problems.append(f"loại nghiệp vụ BussinessDocType {t!r} không hợp lệ")
        else:
            pkg.business = int(t)
        pkg.business_reason = f.text(bus, "BussinessDocReason")
        pkg.business_document_id = f.text(bus, "DocumentId")
        paper = f.text(bus, "Paper")
        pkg.paper = int(paper) if paper.isdigit() else 0
        pkg.document_info_changed = f.text(bus, "BussinessDocumentInfo/DocumentInfo") == "1"
        for ri in f.all(f.one(bus, "ReplacementInfoList"), "ReplacementInfo"):
            rid = f.text(ri, "DocumentId")
            if rid:
                pkg.replaced_ids.append(rid)
    _read_attachments(root, f, pkg, check_content_ids, unzip)
    return pkg


def _read_attachments(root: Any, f: _Finder, pkg: Package, check_cids: bool, unzip: bool) -> None:
    manifest = f.one(root, "edXMLEnvelope/edXMLBody/edXMLManifest")
    refs = {_cid(f.text(r, "ContentId")): r for r in f.all(manifest, "Reference")}
    encoded = f.all(f.one(root, "AttachmentEncoded"), "Attachment")
    seen = set()
    for att in encoded:
        cid = _cid(f.text(att, "ContentId"))
        seen.add(cid)
        ref = refs.get(cid)
        if ref is None:
            if check_cids:
                pkg.problems.append(f"tệp đính kèm {cid!r} không có trong danh mục (ContentId không khớp)")
                continue
            ref = att
        node = f.one(att, "ContentTransferEncoded")
        raw = "".join((node.text or "").split()) if node is not None else ""
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            pkg.problems.append(f"tệp đính kèm {cid!r} không giải mã được base64")
            continue
        ctype = f.text(ref, "ContentType") or f.text(att, "ContentType")
        name = f.text(ref, "AttachmentName") or f.text(att, "AttachmentName")
        zipped = ctype == "application/zip"
        if zipped and unzip:
            try:
                content = _unzip(content)
            except Unreadable as exc:
                pkg.problems.append(str(exc))
                continue
        pkg.attachments.append(Attachment(cid, name, ctype, content, zipped))
    if check_cids:
        for cid in refs:
            if cid not in seen:
                pkg.problems.append(f"danh mục có tệp {cid!r} nhưng gói tin không kèm tệp đó")


def verify_xmldsig(data: bytes) -> tuple[bool, str]:
    """Check the enveloped XML-DSig in the header (RSA-SHA1/SHA256; C14N 1.0 or exclusive).

    The digest is over the whole document without the Signature element; the signature over the
    canonical SignedInfo, with the certificate in KeyInfo. (True, "") when it verifies.
    """
    import hashlib

    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    root = parse_xml(data)
    sig = root.find(f".//{{{DS}}}Signature")
    if sig is None:
        return False, "không tìm thấy chữ ký XML-DSig"
    si = sig.find(f"{{{DS}}}SignedInfo")
    c14n_alg = si.find(f"{{{DS}}}CanonicalizationMethod") if si is not None else None
    method = si.find(f"{{{DS}}}SignatureMethod") if si is not None else None
    ref = si.find(f"{{{DS}}}Reference") if si is not None else None
    if si is None or c14n_alg is None or method is None or ref is None or ref.get("URI") != "":
        return False, 'chữ ký XML-DSig thiếu SignedInfo/Reference URI=""'
    exclusive = "exc-c14n" in (c14n_alg.get("Algorithm") or "")
    digest_alg = (
        (ref.find(f"{{{DS}}}DigestMethod").get("Algorithm") or "")
        if ref.find(f"{{{DS}}}DigestMethod") is not None
        else ""
    )
    digest_fn = (
        hashlib.sha256
        if digest_alg.endswith("sha256")
        else hashlib.sha1
        if digest_alg.endswith("sha1")
        else None
    )
    if digest_fn is None:
        return False, f"thuật toán băm không hỗ trợ: {digest_alg}"
    # enveloped-signature transform: the Signature element goes, the text after it stays
    parent = sig.getparent()
    idx = list(parent).index(sig)
    tail, prev = sig.tail, sig.getprevious()
    if prev is not None:
        before = prev.tail
        prev.tail = (before or "") + (tail or "") or None
    else:
        before = parent.text
        parent.text = (before or "") + (tail or "") or None
    parent.remove(sig)
    try:
        canon = etree.tostring(root, method="c14n", exclusive=exclusive)
    finally:
        if prev is not None:
            prev.tail = before
        else:
            parent.text = before
        parent.insert(idx, sig)
        sig.tail = tail
    given = "".join((ref.findtext(f"{{{DS}}}DigestValue") or "").split())
    if base64.b64encode(digest_fn(canon).digest()).decode() != given:
        return False, "giá trị băm của gói tin không khớp (gói tin bị sửa sau khi ký)"
    cert_text = "".join((sig.findtext(f".//{{{DS}}}X509Certificate") or "").split())
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(cert_text))
        key = cert.public_key()
        value = base64.b64decode("".join((sig.findtext(f"{{{DS}}}SignatureValue") or "").split()))
    except (ValueError, binascii.Error):
        return False, "không đọc được chứng thư hoặc giá trị chữ ký"
    if not isinstance(key, rsa.RSAPublicKey):
        return False, "khóa công khai không phải RSA"
    alg = method.get("Algorithm") or ""
    h = hashes.SHA256() if alg.endswith("sha256") else hashes.SHA1() if alg.endswith("sha1") else None
    if h is None:
        return False, f"thuật toán ký không hỗ trợ: {alg}"
    signed = etree.tostring(si, method="c14n", exclusive=exclusive)
    try:
        key.verify(value, signed, padding.PKCS1v15(), h)
    except InvalidSignature:
        return False, "chữ ký XML-DSig không đúng"
    return True, ""


# ----------------------------------------------------------------------------------- writing
def _el(parent: Any, name: str, text: Any = None) -> Any:
    e = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        e.text = str(text)
    return e


def _root() -> tuple[Any, Any, Any]:
    """``edXML`` (default namespace) with the ``edXML:``-prefixed envelope and header, as the SDK writes."""
    root = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    env = etree.SubElement(root, f"{{{NS}}}edXMLEnvelope", nsmap={"edXML": NS})
    header = etree.SubElement(env, f"{{{NS}}}edXMLHeader")
    return root, env, header


def _org(parent: Any, tag: str, organ_id: str, name: str, email: str | None = None) -> None:
    o = _el(parent, tag)
    _el(o, "OrganId", organ_id)
    _el(o, "OrganName", name)
    if email:
        _el(o, "Email", email)


def _staff(parent: Any, staff: dict[str, str]) -> None:
    s = _el(parent, "StaffInfo")
    for k in ("Department", "Staff", "Mobile", "Email"):
        if staff.get(k):
            _el(s, k, staff[k])


def fmt_date(d: dt.date) -> str:
    return d.strftime("%Y/%m/%d")


def fmt_time(t: dt.datetime) -> str:
    return t.strftime("%Y/%m/%d %H:%M:%S")


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_status(
    *,
    from_organ_id: str,
    from_organ_name: str,
    original_organ_id: str,
    original_code: str,
    original_date: dt.date,
    original_document_id: str | None,
    code: str,
    description: str,
    timestamp: dt.datetime,
    staff: dict[str, str] | None,
) -> bytes:
    """A status package (gói tin trạng thái) answering one document."""
    root, _env, header = _root()
    mh = _el(header, "MessageHeader")
    _org(mh, "From", from_organ_id, from_organ_name)
    rf = _el(mh, "ResponseFor")
    _el(rf, "OrganId", original_organ_id)
    _el(rf, "Code", original_code)
    _el(rf, "PromulgationDate", fmt_date(original_date))
    if original_document_id is not None:
        _el(rf, "DocumentId", original_document_id)
    if staff:
        _staff(mh, staff)
    _el(mh, "StatusCode", code)
    _el(mh, "Description", description)
    _el(mh, "Timestamp", fmt_time(timestamp))
    return _serialise(root)


@dataclass
class Outgoing:
    """What the reference writes into a văn bản package it sends."""

    from_organ_id: str
    from_organ_name: str
    to: list[tuple[str, str]]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: dt.date
    type_code: int
    type_detail: int | None
    type_name: str
    subject: str
    signer_competence: str
    signer_position: str
    signer_name: str
    due_date: dt.date | None
    priority: int
    issued_amount: int
    page_amount: int
    document_id: str
    trace_organ_id: str
    timestamp: dt.datetime
    business: int
    business_reason: str
    business_document_id: str | None
    staff: dict[str, str]
    attachments: list[tuple[str, str, str, bytes]]  # content id, name, type, bytes
    business_tag: str = "Bussiness"  # the official spelling (SR-041)


def build_document(o: Outgoing) -> bytes:
    """A văn bản package (edxml.md §2 layout, SDK sample element order)."""
    root, env, header = _root()
    mh = _el(header, "MessageHeader")
    _org(mh, "From", o.from_organ_id, o.from_organ_name)
    for organ_id, name in o.to:
        _org(mh, "To", organ_id, name)
    code = _el(mh, "Code")
    _el(code, "CodeNumber", o.code_number)
    _el(code, "CodeNotation", o.code_notation)
    pi = _el(mh, "PromulgationInfo")
    _el(pi, "Place", o.place)
    _el(pi, "PromulgationDate", fmt_date(o.promulgation_date))
    dtype = _el(mh, "DocumentType")
    _el(dtype, "Type", o.type_code)
    if o.type_detail is not None:
        _el(dtype, "TypeDetail", o.type_detail)
    _el(dtype, "TypeName", o.type_name)
    _el(mh, "Subject", o.subject)
    _el(mh, "Content", o.subject)
    signer = _el(mh, "SignerInfo")
    _el(signer, "Competence", o.signer_competence)
    _el(signer, "Position", o.signer_position)
    _el(signer, "FullName", o.signer_name)
    if o.due_date is not None:
        _el(mh, "DueDate", fmt_date(o.due_date))
    places = _el(mh, "ToPlaces")
    for _organ, name in o.to:
        _el(places, "Place", name)
    _el(places, "Place", "Lưu: VT")
    other = _el(mh, "OtherInfo")
    _el(other, "Priority", o.priority)
    _el(other, "SphereOfPromulgation", "Liên thông văn bản quốc gia")
    _el(other, "TyperNotation", "VT")
    _el(other, "PromulgationAmount", o.issued_amount)
    _el(other, "PageAmount", o.page_amount)
    _el(mh, "SteeringType", 0)
    _el(mh, "DocumentId", o.document_id)
    thl = _el(header, "TraceHeaderList")
    th = _el(thl, "TraceHeader")
    _el(th, "OrganId", o.trace_organ_id)
    _el(th, "Timestamp", fmt_time(o.timestamp))
    bus = _el(thl, o.business_tag)
    _el(bus, f"{o.business_tag}DocType", o.business)
    _el(bus, f"{o.business_tag}DocReason", o.business_reason)
    _el(bus, "Paper", 0)
    if o.business_document_id:
        _el(bus, "DocumentId", o.business_document_id)
    _staff(bus, o.staff)
    body = etree.SubElement(env, f"{{{NS}}}edXMLBody")
    manifest = etree.SubElement(body, f"{{{NS}}}edXMLManifest", version="1.0")
    for cid, name, ctype, _data in o.attachments:
        ref = _el(manifest, "Reference")
        _el(ref, "ContentId", cid)
        _el(ref, "ContentType", ctype)
        _el(ref, "AttachmentName", name)
    if o.attachments:
        enc = etree.SubElement(root, f"{{{NS}}}AttachmentEncoded")
        for cid, name, ctype, data in o.attachments:
            att = etree.SubElement(enc, f"{{{NS}}}Attachment")
            etree.SubElement(att, f"{{{NS}}}ContentId").text = cid
            etree.SubElement(att, f"{{{NS}}}AttachmentName").text = name
            etree.SubElement(att, f"{{{NS}}}ContentType").text = ctype
            cte = etree.SubElement(att, f"{{{NS}}}ContentTransferEncoded", nsmap={"edXML": NS})
            cte.text = base64.encodebytes(data).decode("ascii")
    return _serialise(root)
