"""The reference's own SIP_hoso writer (TT 05/2025/TT-BNV Phụ lục III, E-ARK CSIP layout), with lxml.

Why its own: the harness judges this output with its validator; if both sides shared code, a mistake
in it would make them agree. This module reads the layout from the domain description
(metadata-and-packages.md §4, §8.6, §10) and writes it in its own way:

    <N><OBJID>.zip
    └─ <OBJID>/METS.xml                                root METS, csip:OAISPACKAGETYPE="SIP"
       metadata/descriptive/EAD.xml                     the dossier (18 elements, §4.1)
       representations/rep1/METS.xml                    documents and their files
       representations/rep1/metadata/descriptive/EAD_doc_<docId>.xml   one per document (21 elements)
       representations/rep1/data/<docId>.<ext>          the document's file
       representations/rep1/data/<docId>.quy-trinh.txt  its processing record (process = 1)
       representations/rep1/data/<docId>.<ext>.fetch.txt  instead of the file, for a document that an
                                                        earlier package already carried (§10.7)
       schemas/METS.xsd, schemas/EAD.xsd, schemas/EAD_doc.xsd

Files are hashed (SHA-256) and written to the ZIP in chunks, so a large stored file never sits in
memory. Fault switches of area 4 change exactly one thing each (``FAULTS`` below).
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from lxml import etree

from refoffice.tt05_codes import language_code, maintenance_code, mode_code, type_code

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SOFTWARE = "refoffice"
CHUNK = 1024 * 1024
# Namespace of the reference's package identifiers: the same dossier in the same registration always
# gets the same OBJID, so a package downloaded twice is the same package.
_UUID_NS = uuid.UUID("0b5e2f0c-6a43-4f3e-9a2d-3c1f7e9d4b21")

# File extensions and their MIME types (TT05 PL III mimetype table, §9): the files the reference stores.
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}

# Fault switches that act inside the package writer (refoffice/faults/nop_luu.py describes each).
F_CHECKSUM = "sip_checksum_wrong"
F_ORPHAN = "sip_orphan_file"
F_EAD_MISSING = "sip_ead_field_missing"
F_CODE_BAD = "sip_code_list_value_bad"
F_OBJID = "sip_objid_lowercase"
F_PREMIS = "sip_premis_included"
F_SMAP = "sip_structmap_link_missing"
F_DOCCODE = "sip_doc_code_unpadded"
F_WORKFLOW = "sip_workflow_file_missing"
F_ZIPNAME = "sip_zip_name_wrong"
F_HOLEY = "sip_holey_sent_in_full"
F_PAPER = "sip_paper_file_code_dropped"
F_RISK = "sip_risk_status_dropped"


@dataclass(frozen=True)
class Blob:
    """A file's content, in memory or on disk (read in chunks)."""

    content: bytes | None = None
    path: Path | None = None

    def chunks(self) -> Iterator[bytes]:
        if self.content is not None:
            yield self.content
            return
        assert self.path is not None
        with open(self.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk


@dataclass(frozen=True)
class PackDocument:
    """One document as the archive description needs it (NĐ 30 values; codes are made here)."""

    ordinal: int
    type_name: str
    code_number: str | None
    code_notation: str | None
    issued_date: date
    organ_name: str
    subject: str
    language: str | None
    page_amount: int
    file_name: str
    file: Blob
    workflow: str = ""
    description: str | None = None
    earlier_package: bool = False  # the document was carried by an earlier package: a holey file


@dataclass(frozen=True)
class PackDossier:
    """A dossier accepted into the agency archive, with its archival description (biên mục)."""

    file_code: str
    title: str
    maintenance: str
    rights: str | None
    language: str | None
    start_date: date
    end_date: date
    creator: str
    description: str | None
    organ_name: str
    fonds_code: str
    created: datetime
    documents: tuple[PackDocument, ...]
    confidence_level: str = "01"
    paper_file_code: str | None = None
    number_of_paper: int | None = None
    risk_recovery: bool = False
    risk_recovery_status: str | None = None
    physical_format: str | None = None
    keyword: str | None = None
    registration_code: str | None = None
    sequence: int = 1
    record_status: str = "NEW"


@dataclass
class SipResult:
    """What was written: the ZIP name TT05 prescribes, the OBJID and the counts the minutes need."""

    zip_name: str
    objid: str
    files: int = 0
    size: int = 0
    sha256: str = ""
    holey_documents: list[int] = field(default_factory=list)


def _ts(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _xml(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _Ids:
    """Identifiers of one package, derived from its OBJID: stable across downloads."""

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def uuid(self, *parts: object) -> str:
        return str(uuid.uuid5(_UUID_NS, "/".join([self.seed, *map(str, parts)]))).upper()

    def sec(self, *parts: object) -> str:
        return f"uuid-{self.uuid(*parts)}"

    def file(self, *parts: object) -> str:
        return f"ID-{self.uuid(*parts)}"


@dataclass
class _Entry:
    """One file of the package: where it goes, its digest, and how to read it again for the ZIP."""

    rel: str
    size: int
    sha256: str
    source: Callable[[], Iterator[bytes]]


def _digest(chunks: Iterator[bytes]) -> tuple[int, str]:
    h, n = hashlib.sha256(), 0
    for c in chunks:
        h.update(c)
        n += len(c)
    return n, h.hexdigest().upper()


class _Package:
    """The files of the package being assembled, in writing order."""

    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}

    def put_bytes(self, rel: str, data: bytes) -> _Entry:
        e = _Entry(rel, len(data), hashlib.sha256(data).hexdigest().upper(), lambda: iter([data]))
        self.entries[rel] = e
        return e

    def put_blob(self, rel: str, blob: Blob) -> _Entry:
        size, sha = _digest(blob.chunks())
        e = _Entry(rel, size, sha, blob.chunks)
        self.entries[rel] = e
        return e


def _checksum(entry: _Entry, faults: Container[str], data_file: bool) -> str:
    if data_file and F_CHECKSUM in faults:
        return hashlib.sha256(b"not the file " + entry.sha256.encode()).hexdigest().upper()
    return entry.sha256


def _mets(objid: str, label: str, kind: str, schema_loc: str) -> Any:
    return etree.Element(
        f"{{{METS}}}mets",
        {
            "OBJID": objid,
            "LABEL": label,
            "TYPE": kind,
            "PROFILE": CSIP_PROFILE,
            f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "MIXED",
            f"{{{XSI}}}schemaLocation": f"{METS} {schema_loc}",
        },
        nsmap={None: METS, "csip": CSIP, "xlink": XLINK, "xsi": XSI},
    )


def _sub(parent: Any, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> Any:
    el = etree.SubElement(parent, f"{{{METS}}}{tag}", attrs or {})
    if text is not None:
        el.text = text
    return el


def _header(root: Any, created: str, *, software: bool, d: PackDossier) -> None:
    hdr = _sub(root, "metsHdr", {"CREATEDATE": created, "RECORDSTATUS": d.record_status})
    hdr.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    if software:
        agent = _sub(hdr, "agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
        _sub(agent, "name", text=SOFTWARE)
        _sub(agent, "note", {f"{{{CSIP}}}NOTETYPE": "SOFTWARE VERSION"}, "0.1.0")
        if d.registration_code:
            _sub(hdr, "altRecordID", {"TYPE": "SUBMISSIONAGREEMENT"}, d.registration_code)
    else:
        agent = _sub(hdr, "agent", {"ROLE": "CREATOR", "TYPE": "ORGANIZATION"})
        _sub(agent, "name", text=d.organ_name)
        _sub(agent, "note", {f"{{{CSIP}}}NOTETYPE": "IDENTIFICATIONCODE"}, d.fonds_code)


def _ref_attrs(el: Any, entry: _Entry, mime: str, created: str, checksum: str) -> None:
    el.set("MIMETYPE", mime)
    el.set("SIZE", str(entry.size))
    el.set("CREATED", created)
    el.set("CHECKSUMTYPE", "SHA-256")
    el.set("CHECKSUM", checksum)


def _md_ref(parent: Any, href: str, entry: _Entry, created: str, other: str) -> None:
    md = _sub(
        parent,
        "mdRef",
        {
            "LOCTYPE": "URL",
            "MDTYPE": "OTHER",
            "OTHERMDTYPE": other,
            f"{{{XLINK}}}type": "simple",
            f"{{{XLINK}}}href": href,
        },
    )
    _ref_attrs(md, entry, "text/xml", created, entry.sha256)


def _file_el(grp: Any, fid: str, href: str, entry: _Entry, mime: str, created: str, checksum: str) -> None:
    f = _sub(grp, "file", {"ID": fid})
    _ref_attrs(f, entry, mime, created, checksum)
    _sub(f, "FLocat", {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": href})


def _simpledc(values: list[tuple[str, str]]) -> bytes:
    root = etree.Element("simpledc")
    for name, value in values:
        etree.SubElement(root, name).text = value
    return _xml(root)


def _dossier_ead(d: PackDossier, faults: Container[str]) -> bytes:
    pages = sum(doc.page_amount for doc in d.documents)
    digitised = d.confidence_level == "02"
    note = f"Người lập hồ sơ: {d.creator}" + (f". {d.description}" if d.description else "")
    paper = d.paper_file_code if digitised and F_PAPER not in faults else ""
    risk_status = d.risk_recovery_status if d.risk_recovery and F_RISK not in faults else ""
    values = [
        ("fileCode", d.file_code),
        ("title", d.title),
        ("maintenance", maintenance_code(d.maintenance)),
        ("mode", "Công khai" if F_CODE_BAD in faults else mode_code(d.rights)),
        ("language", language_code(d.language)),
        ("startDate", _dmy(d.start_date)),
        ("endDate", _dmy(d.end_date)),
        ("keyword", d.keyword or ""),
        ("totalDoc", str(len(d.documents))),
        ("numberOfPaper", str(d.number_of_paper) if digitised and d.number_of_paper else ""),
        ("numberOfPage", str(pages)),
        ("format", d.physical_format or ""),
        ("inforSign", ""),
        ("confidenceLevel", d.confidence_level),
        ("paperFileCode", paper or ""),
        ("riskRecovery", "1" if d.risk_recovery else "0"),
        ("riskRecoveryStatus", risk_status or ""),
        ("description", note),
    ]
    if F_EAD_MISSING in faults:
        values = [(k, v) for k, v in values if k != "title"]
    return _simpledc(values)


def doc_id(file_code: str, ordinal: int) -> str:
    """Mã định danh tài liệu: fileCode + "." + số thứ tự (§8.6)."""
    return f"{file_code}.{ordinal}"


def doc_code(file_code: str, ordinal: int, faults: Container[str] = frozenset()) -> str:
    """Mã lưu trữ tài liệu: fileCode + "." + số thứ tự 7 chữ số (§8.6)."""
    return f"{file_code}.{ordinal}" if F_DOCCODE in faults else f"{file_code}.{ordinal:07d}"


def _doc_ead(d: PackDossier, doc: PackDocument, faults: Container[str]) -> bytes:
    born_digital = d.confidence_level in ("01", "03")
    values = [
        ("docId", doc_id(d.file_code, doc.ordinal)),
        ("docCode", doc_code(d.file_code, doc.ordinal, faults)),
        ("maintenance", maintenance_code(d.maintenance)),
        ("typeName", type_code(doc.type_name)),
        ("codeNumber", doc.code_number or ""),
        ("codeNotation", doc.code_notation or ""),
        ("issuedDate", _dmy(doc.issued_date)),
        ("organName", doc.organ_name),
        ("subject", doc.subject),
        ("language", language_code(doc.language)),
        ("numberOfPage", str(doc.page_amount)),
        ("inforSign", ""),
        ("keyword", ""),
        ("mode", mode_code(d.rights)),
        ("confidenceLevel", d.confidence_level),
        ("autograph", ""),
        ("format", ""),
        ("riskRecovery", "1" if d.risk_recovery else "0"),
        ("riskRecoveryStatus", (d.risk_recovery_status or "") if d.risk_recovery else ""),
        ("process", "1" if born_digital else "0"),
        ("description", doc.description or doc.subject[:500]),
    ]
    return _simpledc(values)


def _schema(frame: list[str]) -> bytes:
    xs = "http://www.w3.org/2001/XMLSchema"
    root = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    el = etree.SubElement(root, f"{{{xs}}}element", name="simpledc")
    seq = etree.SubElement(etree.SubElement(el, f"{{{xs}}}complexType"), f"{{{xs}}}sequence")
    for name in frame:
        etree.SubElement(seq, f"{{{xs}}}element", name=name, type="xs:string", minOccurs="0")
    return _xml(root)


_METS_XSD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
    b'  <xs:import namespace="http://www.loc.gov/METS/" '
    b'schemaLocation="https://www.loc.gov/standards/mets/mets.xsd"/>\n'
    b"</xs:schema>\n"
)
_EAD_FRAME = [
    "fileCode",
    "title",
    "maintenance",
    "mode",
    "language",
    "startDate",
    "endDate",
    "keyword",
    "totalDoc",
    "numberOfPaper",
    "numberOfPage",
    "format",
    "inforSign",
    "confidenceLevel",
    "paperFileCode",
    "riskRecovery",
    "riskRecoveryStatus",
    "description",
]
_DOC_FRAME = [
    "docId",
    "docCode",
    "maintenance",
    "typeName",
    "codeNumber",
    "codeNotation",
    "issuedDate",
    "organName",
    "subject",
    "language",
    "numberOfPage",
    "inforSign",
    "keyword",
    "mode",
    "confidenceLevel",
    "autograph",
    "format",
    "riskRecovery",
    "riskRecoveryStatus",
    "process",
    "description",
]


def package_uuid(organ_code: str, file_code: str, registration: str | None) -> str:
    """The package UUID of a dossier in a registration (stable: a download repeated is the same SIP)."""
    return str(uuid.uuid5(_UUID_NS, f"SIP/{organ_code}/{file_code}/{registration or '-'}")).upper()


def _rep(
    d: PackDossier, pkg: _Package, ids: _Ids, created: str, faults: Container[str], res: SipResult
) -> None:
    rep = "representations/rep1"
    root = _mets(ids.sec("rep1"), "rep1", "Mixed", "../../schemas/METS.xsd")
    _header(root, created, software=False, d=d)
    data: list[tuple[str, str, _Entry, str]] = []  # (file id, href, entry, mime)
    holey: list[tuple[str, str, _Entry, str]] = []
    links: list[tuple[str, str, list[str]]] = []  # (dmd id, label, file ids)
    born_digital = d.confidence_level in ("01", "03")
    for doc in d.documents:
        did = doc_id(d.file_code, doc.ordinal)
        ead_rel = f"metadata/descriptive/EAD_doc_{did}.xml"
        ead = pkg.put_bytes(f"{rep}/{ead_rel}", _doc_ead(d, doc, faults))
        dmd_id = ids.sec("dmd", doc.ordinal)
        dmd = _sub(root, "dmdSec", {"ID": dmd_id, "CREATED": created, "STATUS": "CURRENT"})
        _md_ref(dmd, ead_rel, ead, created, "EAD_doc")
        ext = doc.file_name.rsplit(".", 1)[-1].lower() if "." in doc.file_name else "pdf"
        if doc.earlier_package and F_HOLEY not in faults:
            href = f"data/{did}.{ext}.fetch.txt"
            e = pkg.put_bytes(f"{rep}/{href}", f"{did}\n".encode())
            fid = ids.file("holey", doc.ordinal)
            holey.append((fid, href, e, "text/plain"))
            links.append((dmd_id, "MetadataLink/Holey", [fid]))
            res.holey_documents.append(doc.ordinal)
            continue
        href = f"data/{did}.{ext}"
        e = pkg.put_blob(f"{rep}/{href}", doc.file)
        fid = ids.file("data", doc.ordinal)
        data.append((fid, href, e, MIME.get(ext, "application/octet-stream")))
        fids = [fid]
        if born_digital and F_WORKFLOW not in faults:
            wf_href = f"data/{did}.quy-trinh.txt"
            wf = pkg.put_bytes(f"{rep}/{wf_href}", (doc.workflow or f"Văn bản {did}\n").encode("utf-8"))
            wid = ids.file("workflow", doc.ordinal)
            data.append((wid, wf_href, wf, "text/plain"))
            fids.append(wid)
        links.append((dmd_id, "MetadataLink/File", fids))
    if F_ORPHAN in faults:
        pkg.put_bytes(f"{rep}/data/ghi-chu-noi-bo.txt", "Tệp tạm của hệ thống, không thuộc hồ sơ\n".encode())
    fsec = _sub(root, "fileSec", {"ID": ids.sec("rep-filesec")})
    grp = _sub(fsec, "fileGrp", {"ID": ids.sec("grp-data"), "USE": "Data"})
    first = True
    for fid, href, e, mime in data:
        _file_el(grp, fid, href, e, mime, created, _checksum(e, faults, data_file=first))
        first = False
    if holey:
        hg = _sub(fsec, "fileGrp", {"ID": ids.sec("grp-holey"), "USE": "Holeyfile"})
        for fid, href, e, mime in holey:
            _file_el(hg, fid, href, e, mime, created, e.sha256)
    smap = _sub(root, "structMap", {"ID": ids.sec("rep-smap"), "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    top = _sub(smap, "div", {"ID": ids.sec("rep-div"), "LABEL": "rep1", "TYPE": "ORIGINAL"})
    ddiv = _sub(top, "div", {"ID": ids.sec("rep-div-data"), "LABEL": "Data"})
    for fid, _h, _e, _m in data + holey:
        _sub(ddiv, "fptr", {"FILEID": fid})
    mdiv = _sub(top, "div", {"ID": ids.sec("rep-div-links"), "LABEL": "MetadataLink"})
    for n, (dmd_id, label, fids) in enumerate(links):
        if F_SMAP in faults and n == len(links) - 1:
            continue
        div = _sub(mdiv, "div", {"ID": ids.sec("link", n), "LABEL": label, "DMDID": dmd_id})
        for fid in fids:
            _sub(div, "fptr", {"FILEID": fid})
    pkg.put_bytes(f"{rep}/METS.xml", _xml(root))


def write_sip(
    d: PackDossier, organ_code: str, out: IO[bytes], faults: Container[str] = frozenset()
) -> SipResult:
    """Write the SIP_hoso of ``d`` as a ZIP to ``out``; ``organ_code`` seeds the package identifiers."""
    pu = package_uuid(organ_code, d.file_code, d.registration_code)
    objid = f"uuid-{pu.lower()}" if F_OBJID in faults else f"uuid-{pu}"
    zip_name = "goi-nop-luu.zip" if F_ZIPNAME in faults else f"{d.sequence}{objid}.zip"
    res = SipResult(zip_name=zip_name, objid=objid)
    ids = _Ids(objid)
    created = _ts(d.created)
    pkg = _Package()
    ead = pkg.put_bytes("metadata/descriptive/EAD.xml", _dossier_ead(d, faults))
    schemas = {
        "schemas/METS.xsd": pkg.put_bytes("schemas/METS.xsd", _METS_XSD),
        "schemas/EAD.xsd": pkg.put_bytes("schemas/EAD.xsd", _schema(_EAD_FRAME)),
        "schemas/EAD_doc.xsd": pkg.put_bytes("schemas/EAD_doc.xsd", _schema(_DOC_FRAME)),
    }
    _rep(d, pkg, ids, created, faults, res)
    root = _mets(objid, d.title, "Mixed", "schemas/METS.xsd")
    _header(root, created, software=True, d=d)
    dmd_id = ids.sec("dmd-ead")
    dmd = _sub(root, "dmdSec", {"ID": dmd_id, "CREATED": created, "STATUS": "CURRENT"})
    _md_ref(dmd, "metadata/descriptive/EAD.xml", ead, created, "EAD")
    if F_PREMIS in faults:
        premis = pkg.put_bytes("metadata/preservation/PREMIS.xml", _premis_stub(objid, created))
        amd = _sub(root, "amdSec", {"ID": ids.sec("amd")})
        dp = _sub(amd, "digiprovMD", {"ID": ids.sec("digiprov")})
        md = _sub(
            dp,
            "mdRef",
            {"LOCTYPE": "URL", "MDTYPE": "PREMIS", f"{{{XLINK}}}type": "simple"},
        )
        md.set(f"{{{XLINK}}}href", "metadata/preservation/PREMIS.xml")
        _ref_attrs(md, premis, "text/xml", created, premis.sha256)
    fsec = _sub(root, "fileSec", {"ID": ids.sec("filesec")})
    sgrp = _sub(fsec, "fileGrp", {"ID": ids.sec("grp-schemas"), "USE": "Schemas"})
    schema_ids = []
    for rel, entry in schemas.items():
        fid = ids.file(rel)
        _file_el(sgrp, fid, rel, entry, "application/xml", created, entry.sha256)
        schema_ids.append(fid)
    rgrp_id = ids.sec("grp-rep1")
    rgrp = _sub(fsec, "fileGrp", {"ID": rgrp_id, "USE": "Representations/rep1"})
    rep_mets = pkg.entries["representations/rep1/METS.xml"]
    _file_el(rgrp, ids.file("rep1-mets"), rep_mets.rel, rep_mets, "text/xml", created, rep_mets.sha256)
    smap = _sub(root, "structMap", {"ID": ids.sec("smap"), "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    top = _sub(smap, "div", {"ID": ids.sec("div"), "LABEL": objid})
    _sub(top, "div", {"ID": ids.sec("div-meta"), "LABEL": "Metadata", "DMDID": dmd_id})
    sdiv = _sub(top, "div", {"ID": ids.sec("div-schemas"), "LABEL": "Schemas"})
    for fid in schema_ids:
        _sub(sdiv, "fptr", {"FILEID": fid})
    rdiv = _sub(top, "div", {"ID": ids.sec("div-rep1"), "LABEL": "Representations/rep1"})
    mptr = _sub(rdiv, "mptr", {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple"})
    mptr.set(f"{{{XLINK}}}href", "representations/rep1/METS.xml")
    mptr.set(f"{{{XLINK}}}title", rgrp_id)
    pkg.put_bytes("METS.xml", _xml(root))
    _write_zip(pkg, objid, out, res)
    return res


def _premis_stub(objid: str, created: str) -> bytes:
    """Preservation metadata that belongs in an AIP only (written by the ``sip_premis_included`` fault)."""
    ns = "http://www.loc.gov/premis/v3"
    root = etree.Element(f"{{{ns}}}premis", {"version": "3.0"}, nsmap={"premis": ns})
    ev = etree.SubElement(root, f"{{{ns}}}event")
    etree.SubElement(ev, f"{{{ns}}}eventType").text = "information package creation"
    etree.SubElement(ev, f"{{{ns}}}eventDateTime").text = created
    etree.SubElement(ev, f"{{{ns}}}eventDetail").text = objid
    return _xml(root)


class _Counter:
    """A write-only stream wrapper that hashes and counts what goes through it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, b: bytes) -> int:
        self.h.update(b)
        self.n += len(b)
        return self.out.write(b)

    def flush(self) -> None:
        self.out.flush()


def _write_zip(pkg: _Package, folder: str, out: IO[bytes], res: SipResult) -> None:
    counter = _Counter(out)
    with zipfile.ZipFile(counter, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:  # type: ignore[arg-type]
        for rel in sorted(pkg.entries):
            e = pkg.entries[rel]
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(2025, 7, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=e.size > 2**31) as dst:
                for chunk in e.source():
                    dst.write(chunk)
            res.files += 1
    res.size = counter.n
    res.sha256 = counter.h.hexdigest()
