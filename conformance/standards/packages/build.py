"""Builder of TT 05/2025 packages (SIP_hoso, SIP_tailieu, AIP_hoso) from a dossier description.

Why: fixtures and property tests need packages that follow the TT05 *text* exactly (OQ-33: where the
official sample deviates, the text wins), built deterministically so that committed fixtures are
byte-stable and a single mutation can be named precisely. What the builder writes:

- ``<OBJID>/`` (AIP: OBJID with ``:`` → ``_``) with ``METS.xml``, ``metadata/descriptive/EAD.xml``,
  ``representations/rep1/{METS.xml, metadata/descriptive/EAD_doc_<docId>.xml, data/…}``,
  ``schemas/{METS.xsd, EAD.xsd, EAD_doc.xsd}``; an AIP adds ``metadata/preservation/PREMIS.xml`` and
  ``representations/rep1/metadata/preservation/PREMIS_rep1.xml`` (§10.2, §10.3).
- Data files ``data/<docId>.<ext>``; a document already submitted earlier becomes
  ``data/<docId>.<ext>.fetch.txt`` holding its docId, in ``fileGrp USE="Holeyfile"`` and linked by a
  ``MetadataLink/Holey`` div (§10.7); a document with ``process = 1`` gets a workflow file
  ``data/<docId>.process.txt`` as a second file pointer of its ``MetadataLink/File`` div (TR-028 [I]).
- Every ``file``/``mdRef`` with SIZE, CREATED (+07:00), MIMETYPE (text/xml for metadata), CHECKSUMTYPE
  SHA-256 and CHECKSUM (upper-case hex) (§10.5).
- ``schemas/EAD*.xsd`` generated from the frames in ``data/tt05.yaml``; ``schemas/METS.xsd`` is a small
  stand-in that imports the official METS schema (pass ``mets_xsd`` to ship the official file).

The builder writes what the spec says without judging it, so a spec can describe a defect
(``risk_recovery=True`` without a status, …). ``reseal`` recomputes SIZE/CHECKSUM (and PREMIS fixity)
after a file was edited, so that a test can change one thing and keep everything else consistent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from . import tables
from ._xml import CSIP_NS, METS_NS, PREMIS_NS, XLINK_NS, XSI_NS, XmlRefused, parse_xml
from .reader import hash_stream

__all__ = [
    "DocumentSpec",
    "DossierSpec",
    "build_aip_hoso",
    "build_package",
    "build_sip_hoso",
    "build_sip_tailieu",
    "edit_xml",
    "example_dossier",
    "example_loose_batch",
    "reseal",
    "zip_package",
]

VN = dt.timezone(dt.timedelta(hours=7))
_NS = uuid.UUID("6f1d3c1e-8f2a-5b7e-9c41-2a7d0e5b3c90")  # namespace of the builder's deterministic UUIDs
_M = f"{{{METS_NS}}}"
_X = f"{{{XLINK_NS}}}"
_P = f"{{{PREMIS_NS}}}"
_NSMAP = {None: METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "xsi": XSI_NS}
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_REP = "representations/rep1"


@dataclass(frozen=True, kw_only=True)
class DocumentSpec:
    """One document (văn bản) of a dossier; codes are TT05 codes (§7.1)."""

    ordinal: int
    issued_date: dt.date
    organ_name: str
    subject: str
    type_name: str = "22"
    code_number: str = ""
    code_notation: str = ""
    number_of_page: int = 1
    language: tuple[str, ...] = ("01",)
    mode: str = "01"
    maintenance: str | None = None  # None → the dossier's (§4.3 "lấy mặc định từ hồ sơ")
    confidence_level: str | None = "01"
    risk_recovery: bool = False
    risk_recovery_status: str | None = None
    process: bool | None = None  # None → 1 for born-digital documents (01/03), else 0 (TR-028)
    infor_sign: str = ""
    keyword: str = ""
    autograph: str = ""
    format: str = ""
    description: str = "Văn bản của hồ sơ"
    content: bytes | None = None  # None → a small generated PDF
    extension: str = "pdf"
    already_submitted: bool = False  # → holey file data/<docId>.<ext>.fetch.txt (§10.7)
    workflow: bytes | None = None  # None → generated when process = 1

    def wants_process(self, dossier_level: str | None = None) -> bool:
        """``process``: explicit, else 1 for born-digital documents (own level, else the dossier's)."""
        if self.process is not None:
            return self.process
        return (self.confidence_level or dossier_level) in ("01", "03")


@dataclass(frozen=True, kw_only=True)
class DossierSpec:
    """A dossier (hồ sơ) or, for SIP_tailieu, a batch of loose documents (``source`` set)."""

    file_code: str
    title: str
    start_date: dt.date
    end_date: dt.date
    documents: tuple[DocumentSpec, ...]
    maintenance: str = "01"
    mode: str = "01"
    language: tuple[str, ...] = ("01",)
    keyword: str = ""
    number_of_paper: int | None = None
    format: str = ""
    infor_sign: str = ""
    confidence_level: str | None = "01"
    paper_file_code: str = ""
    risk_recovery: bool = False
    risk_recovery_status: str | None = None
    description: str = "Người lập hồ sơ: Nguyễn Văn A"
    total_doc: int | None = None  # None → number of documents
    number_of_page: int | None = None  # None → sum of the documents' pages
    source: str | None = None  # SIP_tailieu: "0" văn bản đi · "1" văn bản đến (§4.5)
    # package (METS) data
    agency_name: str = "UBND tỉnh Thử Nghiệm"
    fonds_code: str = "P_H99"
    software: str = "conformance.standards.packages"
    software_version: str = "1.0"
    submission_agreement: str = "DKNL-H99-2025-0001"
    record_status: str = "NEW"
    created: dt.datetime = dt.datetime(2025, 12, 1, 9, 0, 0, tzinfo=VN)
    package_uuid: str | None = None  # None → derived from file_code (deterministic)
    archive_code: str = "H99LT"  # AIP: mã cơ quan lưu trữ (arcFileCode prefix, OQ-12 U10)


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NS, "|".join(str(p) for p in parts))).upper()


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def _date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _tiny_pdf(text: str) -> bytes:
    """A minimal one-page PDF 1.4 (ASCII text only) with a correct xref table."""
    safe = "".join(c if 32 <= ord(c) < 127 and c not in "()\\" else "?" for c in text)
    stream = f"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _xml_bytes(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------------------------------------------
# EAD frames
# ---------------------------------------------------------------------------------------------------


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _dossier_values(spec: DossierSpec, kind: str) -> dict[str, str]:
    pages = spec.number_of_page
    if pages is None:
        pages = sum(d.number_of_page for d in spec.documents)
    total = spec.total_doc if spec.total_doc is not None else len(spec.documents)
    base = {
        "fileCode": spec.file_code,
        "arcFileCode": f"{spec.archive_code}.{spec.file_code}",
        "title": spec.title,
        "maintenance": spec.maintenance,
        "mode": spec.mode,
        "language": ", ".join(spec.language),
        "startDate": _date(spec.start_date),
        "endDate": _date(spec.end_date),
        "keyword": spec.keyword,
        "totalDoc": str(total),
        "numberOfPaper": "" if spec.number_of_paper is None else str(spec.number_of_paper),
        "numberOfPage": str(pages),
        "format": spec.format,
        "inforSign": spec.infor_sign,
        "confidenceLevel": spec.confidence_level or "",
        "paperFileCode": spec.paper_file_code,
        "riskRecovery": _flag(spec.risk_recovery),
        "riskRecoveryStatus": spec.risk_recovery_status or "",
        "source": spec.source or "",
        "description": spec.description,
    }
    return {e.name: base[e.name] for e in tables.frame(kind) if not e.extra}


def _doc_values(spec: DossierSpec, doc: DocumentSpec, kind: str) -> dict[str, str]:
    base = {
        "docId": f"{spec.file_code}.{doc.ordinal}",
        "docCode": f"{spec.file_code}.{doc.ordinal:07d}",
        "arcFileCode": f"{spec.archive_code}.{spec.file_code}",
        "docOrdinal": str(doc.ordinal),
        "maintenance": doc.maintenance or spec.maintenance,
        "typeName": doc.type_name,
        "codeNumber": doc.code_number,
        "codeNotation": doc.code_notation,
        "issuedDate": _date(doc.issued_date),
        "organName": doc.organ_name,
        "subject": doc.subject,
        "language": ", ".join(doc.language),
        "numberOfPage": str(doc.number_of_page),
        "inforSign": doc.infor_sign,
        "keyword": doc.keyword,
        "mode": doc.mode,
        "confidenceLevel": doc.confidence_level or "",
        "autograph": doc.autograph,
        "format": doc.format,
        "riskRecovery": _flag(doc.risk_recovery),
        "riskRecoveryStatus": doc.risk_recovery_status or "",
        "process": _flag(doc.wants_process(spec.confidence_level)),
        "description": doc.description,
    }
    return {e.name: base[e.name] for e in tables.frame(kind) if not e.extra}


def _simpledc(values: dict[str, str]) -> bytes:
    root = etree.Element("simpledc")
    for name, value in values.items():
        etree.SubElement(root, name).text = value
    return _xml_bytes(root)


def _frame_xsd(kind: str) -> bytes:
    xs = "http://www.w3.org/2001/XMLSchema"
    schema = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs}, elementFormDefault="qualified")
    schema.append(etree.Comment(f" TT 05/2025 <simpledc> frame {kind}, generated from data/tt05.yaml "))
    el = etree.SubElement(schema, f"{{{xs}}}element", name="simpledc")
    seq = etree.SubElement(etree.SubElement(el, f"{{{xs}}}complexType"), f"{{{xs}}}all")
    for e in (e for e in tables.frame(kind) if not e.extra):
        occurs = "1" if e.need == "required" else "0"
        if e.type == "String" and e.length:
            child = etree.SubElement(seq, f"{{{xs}}}element", name=e.name, minOccurs=occurs)
            st = etree.SubElement(child, f"{{{xs}}}simpleType")
            r = etree.SubElement(st, f"{{{xs}}}restriction", base="xs:string")
            etree.SubElement(r, f"{{{xs}}}maxLength", value=str(e.length))
        else:
            etree.SubElement(seq, f"{{{xs}}}element", name=e.name, type="xs:string", minOccurs=occurs)
    return _xml_bytes(schema)


_METS_XSD_STANDIN = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Stand-in for METS 1.12.1: imports the official schema. Pass mets_xsd= to ship the official file. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.loc.gov/METS/" schemaLocation="https://www.loc.gov/standards/mets/mets.xsd"/>
</xs:schema>
"""


# ---------------------------------------------------------------------------------------------------
# METS
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Tree:
    """Files of the package being built: package-relative path → bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def put(self, rel: str, data: bytes) -> None:
        self.files[rel] = data


def _ref_attrs(el: Any, data: bytes, mime: str, created: str) -> None:
    el.set("MIMETYPE", mime)
    el.set("SIZE", str(len(data)))
    el.set("CREATED", created)
    el.set("CHECKSUMTYPE", "SHA-256")
    el.set("CHECKSUM", hashlib.sha256(data).hexdigest().upper())


def _file(grp: Any, rel_href: str, data: bytes, mime: str, created: str, fid: str) -> Any:
    f = etree.SubElement(grp, f"{_M}file", ID=fid)
    _ref_attrs(f, data, mime, created)
    etree.SubElement(f, f"{_M}FLocat", {"LOCTYPE": "URL", f"{_X}type": "simple", f"{_X}href": rel_href})
    return f


def _mdref(parent: Any, rel_href: str, data: bytes, created: str, mdtype: str, other: str | None) -> Any:
    attrs = {
        "LOCTYPE": "URL",
        "MDTYPE": mdtype,
        "MDTYPEVERSION": "1.0",
        f"{_X}type": "simple",
        f"{_X}href": rel_href,
    }
    if other:
        attrs["OTHERMDTYPE"] = other
    md = etree.SubElement(parent, f"{_M}mdRef", attrs)
    _ref_attrs(md, data, "text/xml", created)
    return md


def _hdr(root: Any, spec: DossierSpec, pclass: str, *, rep: bool) -> None:
    hdr = etree.SubElement(
        root,
        f"{_M}metsHdr",
        {
            "CREATEDATE": _iso(spec.created),
            "RECORDSTATUS": spec.record_status,
            f"{{{CSIP_NS}}}OAISPACKAGETYPE": pclass,
        },
    )
    if rep:
        agent = etree.SubElement(hdr, f"{_M}agent", ROLE="CREATOR", TYPE="ORGANIZATION")
        etree.SubElement(agent, f"{_M}name").text = spec.agency_name
        etree.SubElement(
            agent, f"{_M}note", {f"{{{CSIP_NS}}}NOTETYPE": "IDENTIFICATIONCODE"}
        ).text = spec.fonds_code
        return
    agent = etree.SubElement(hdr, f"{_M}agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    etree.SubElement(agent, f"{_M}name").text = spec.software
    etree.SubElement(
        agent, f"{_M}note", {f"{{{CSIP_NS}}}NOTETYPE": "SOFTWARE VERSION"}
    ).text = spec.software_version
    if pclass == "SIP":
        etree.SubElement(hdr, f"{_M}altRecordID", TYPE="SUBMISSIONAGREEMENT").text = spec.submission_agreement


def _mets_root(objid: str, label: str, mets_type: str, profile: str) -> Any:
    return etree.Element(
        f"{_M}mets",
        {
            "OBJID": objid,
            "LABEL": label,
            "TYPE": mets_type,
            f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "MIXED",
            "PROFILE": profile,
            f"{{{XSI_NS}}}schemaLocation": "http://www.loc.gov/METS/ schemas/METS.xsd",
        },
        nsmap=_NSMAP,
    )


def _rep_mets(
    spec: DossierSpec, tree: _Tree, pclass: str, variant: str, kind_doc: str, rep_objid: str
) -> None:
    rep = "representations/rep1"
    created = _iso(spec.created)
    consts = tables.mets_constants()
    root = _mets_root(rep_objid, "rep1", consts["type"][variant], consts["profile"])
    root.set(f"{{{XSI_NS}}}schemaLocation", "http://www.loc.gov/METS/ ../../schemas/METS.xsd")
    _hdr(root, spec, pclass, rep=True)
    links: list[tuple[str, list[str], str]] = []  # (dmd id, file ids, label)
    data_grp: list[tuple[str, bytes, str, str]] = []  # (href, data, mime, id)
    holey_grp: list[tuple[str, bytes, str, str]] = []
    for doc in spec.documents:
        doc_id = f"{spec.file_code}.{doc.ordinal}"
        ead = _simpledc(_doc_values(spec, doc, kind_doc))
        ead_rel = f"metadata/descriptive/EAD_doc_{doc_id}.xml"
        tree.put(f"{rep}/{ead_rel}", ead)
        dmd_id = f"uuid-{_uuid(spec.file_code, 'dmd', doc.ordinal)}"
        dmd = etree.SubElement(root, f"{_M}dmdSec", ID=dmd_id, CREATED=created, STATUS="CURRENT")
        _mdref(dmd, ead_rel, ead, created, "OTHER", "EAD_doc")
        ext = doc.extension.lower()
        mime = tables.mimetypes().get(ext, ("application/octet-stream",))[0]
        fids: list[str] = []
        if doc.already_submitted:
            href = f"data/{doc_id}.{ext}.fetch.txt"
            if pclass == "AIP":
                # PL I: urn_{mã phông}_{uuid of AIP_hoso_1}_{path} {size} {path in this AIP} {ID} (§10.7)
                src = f"{_REP}/data/{doc_id}.{ext}"
                size = len(doc.content) if doc.content is not None else 0
                data = (
                    f"urn_{spec.fonds_code}_uuid-{_uuid(spec.file_code, 'earlier-aip')}_{src} {size} "
                    f"{_REP}/{href} {spec.file_code}.{doc.ordinal:07d}\n"
                ).encode()
            else:
                data = (doc_id + "\n").encode()  # PL III: {Định danh tài liệu} = docId (§10.7)
            fid = f"ID-{_uuid(spec.file_code, 'holey', doc.ordinal)}"
            holey_grp.append((href, data, "text/plain", fid))
            fids.append(fid)
            label = "MetadataLink/Holey"
        else:
            href = f"data/{doc_id}.{ext}"
            data = (
                doc.content
                if doc.content is not None
                else _tiny_pdf(f"{doc_id} {doc.code_number}/{doc.code_notation}")
            )
            fid = f"ID-{_uuid(spec.file_code, 'file', doc.ordinal)}"
            data_grp.append((href, data, mime, fid))
            fids.append(fid)
            label = "MetadataLink/File"
            if doc.wants_process(spec.confidence_level):
                wf = doc.workflow
                if wf is None:
                    wf = (
                        f"Quy trình xử lý văn bản {doc_id}\n"
                        f"{_date(doc.issued_date)}\tTiếp nhận, đăng ký\tVăn thư\n"
                        f"{_date(doc.issued_date)}\tPhân công xử lý\tLãnh đạo\n"
                        f"{_date(doc.issued_date)}\tHoàn thành\tChuyên viên\n"
                    ).encode()
                wid = f"ID-{_uuid(spec.file_code, 'workflow', doc.ordinal)}"
                data_grp.append((f"data/{doc_id}.process.txt", wf, "text/plain", wid))
                fids.append(wid)
        links.append((dmd_id, fids, label))
    for href, data, _mime, _fid in data_grp + holey_grp:
        tree.put(f"{rep}/{href}", data)
    if pclass == "AIP":
        premis = _premis_rep(spec, data_grp + holey_grp)
        tree.put(f"{rep}/metadata/preservation/PREMIS_rep1.xml", premis)
        amd = etree.SubElement(root, f"{_M}amdSec", ID=f"uuid-{_uuid(spec.file_code, 'amd-rep')}")
        dp = etree.SubElement(amd, f"{_M}digiprovMD", ID=f"uuid-{_uuid(spec.file_code, 'digiprov-rep')}")
        _mdref(dp, "metadata/preservation/PREMIS_rep1.xml", premis, created, "PREMIS", None)
    fsec = etree.SubElement(root, f"{_M}fileSec", ID=f"uuid-{_uuid(spec.file_code, 'filesec-rep')}")
    grp = etree.SubElement(fsec, f"{_M}fileGrp", ID=f"uuid-{_uuid(spec.file_code, 'grp-data')}", USE="Data")
    for href, data, mime, fid in data_grp:
        _file(grp, href, data, mime, created, fid)
    if holey_grp:
        hg = etree.SubElement(
            fsec, f"{_M}fileGrp", ID=f"uuid-{_uuid(spec.file_code, 'grp-holey')}", USE="Holeyfile"
        )
        for href, data, mime, fid in holey_grp:
            _file(hg, href, data, mime, created, fid)
    sm = etree.SubElement(
        root, f"{_M}structMap", ID=f"uuid-{_uuid(spec.file_code, 'sm-rep')}", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(
        sm, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-rep')}", LABEL="rep1", TYPE="ORIGINAL"
    )
    data_div = etree.SubElement(top, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-data')}", LABEL="Data")
    for _h, _d, _m, fid in data_grp + holey_grp:
        etree.SubElement(data_div, f"{_M}fptr", FILEID=fid)
    ml = etree.SubElement(top, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-ml')}", LABEL="MetadataLink")
    for i, (dmd_id, fids, label) in enumerate(links, 1):
        d = etree.SubElement(
            ml, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-link', i)}", LABEL=label, DMDID=dmd_id
        )
        for fid in fids:
            etree.SubElement(d, f"{_M}fptr", FILEID=fid)
    tree.put(f"{rep}/METS.xml", _xml_bytes(root))


def _premis_el(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, f"{_P}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def _premis_event(
    root: Any, spec: DossierSpec, event_type: str, source: str | None, outcome: str | None
) -> None:
    ev = _premis_el(root, "event")
    ident = _premis_el(ev, "eventIdentifier")
    _premis_el(ident, "eventIdentifierType", "UUID")
    _premis_el(ident, "eventIdentifierValue", f"uuid-{_uuid(spec.file_code, 'event', event_type)}")
    _premis_el(ev, "eventType", event_type)
    _premis_el(ev, "eventDateTime", _iso(spec.created))
    out = _premis_el(ev, "eventOutcomeInformation")
    _premis_el(out, "eventOutcome", "success")
    la = _premis_el(ev, "linkingAgentIdentifier")
    _premis_el(la, "linkingAgentIdentifierType", "software")
    _premis_el(la, "linkingAgentIdentifierValue", f"{spec.software} {spec.software_version}")
    _premis_el(la, "linkingAgentRole", "implementer")
    for value, role in ((source, "source"), (outcome, "outcome")):
        if value:
            lo = _premis_el(ev, "linkingObjectIdentifier")
            _premis_el(lo, "linkingObjectIdentifierType", "local")
            _premis_el(lo, "linkingObjectIdentifierValue", value)
            _premis_el(lo, "linkingObjectRole", role)


def _premis_agent(root: Any, spec: DossierSpec) -> None:
    ag = _premis_el(root, "agent")
    ident = _premis_el(ag, "agentIdentifier")
    _premis_el(ident, "agentIdentifierType", "software")
    _premis_el(ident, "agentIdentifierValue", f"{spec.software} {spec.software_version}")
    _premis_el(ag, "agentName", spec.software)
    _premis_el(ag, "agentType", "software")


def _premis_root() -> Any:
    return etree.Element(f"{_P}premis", {"version": "3.0"}, nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})


def _premis_rep(spec: DossierSpec, files: Iterable[tuple[str, bytes, str, str]]) -> bytes:
    root = _premis_root()
    for href, data, mime, fid in files:
        obj = _premis_el(root, "object", **{f"{{{XSI_NS}}}type": "premis:file"})
        ident = _premis_el(obj, "objectIdentifier")
        _premis_el(ident, "objectIdentifierType", "File")
        _premis_el(ident, "objectIdentifierValue", fid)
        ch = _premis_el(obj, "objectCharacteristics")
        _premis_el(ch, "compositionLevel", "0")
        fx = _premis_el(ch, "fixity")
        _premis_el(fx, "messageDigestAlgorithm", "SHA-256")
        _premis_el(fx, "messageDigest", hashlib.sha256(data).hexdigest().upper())
        _premis_el(ch, "size", str(len(data)))
        fmt = _premis_el(_premis_el(ch, "format"), "formatDesignation")
        _premis_el(fmt, "formatName", mime)
        st = _premis_el(_premis_el(obj, "storage"), "contentLocation")
        _premis_el(st, "contentLocationType", "URL")
        _premis_el(st, "contentLocationValue", href)
    _premis_event(root, spec, "information package creation", None, None)
    _premis_agent(root, spec)
    return _xml_bytes(root)


def _premis_package(spec: DossierSpec, aip_objid: str, sip_objid: str) -> bytes:
    root = _premis_root()
    obj = _premis_el(root, "object", **{f"{{{XSI_NS}}}type": "premis:intellectualEntity"})
    ident = _premis_el(obj, "objectIdentifier")
    _premis_el(ident, "objectIdentifierType", "local")
    _premis_el(ident, "objectIdentifierValue", aip_objid)
    _premis_event(root, spec, "information package creation", sip_objid, aip_objid)
    _premis_agent(root, spec)
    return _xml_bytes(root)


def _objids(spec: DossierSpec, pclass: str) -> tuple[str, str, str]:
    """(package OBJID, rep1 OBJID, folder name)."""
    u = (spec.package_uuid or _uuid(spec.file_code, "package")).upper()
    rep = f"uuid-{_uuid(spec.file_code, 'rep1')}"
    if pclass == "AIP":
        objid = f"urn:{spec.fonds_code}:uuid-{u}" if spec.fonds_code else f"urn:uuid:{u}"
        return objid, rep, objid.replace(":", "_")
    return f"uuid-{u}", rep, f"uuid-{u}"


def _assemble(spec: DossierSpec, pclass: str, variant: str, mets_xsd: bytes | None) -> tuple[str, _Tree]:
    kind = f"{pclass}_{variant}"
    kind_doc = f"{pclass}_doc"
    tree = _Tree()
    objid, rep_objid, folder = _objids(spec, pclass)
    created = _iso(spec.created)
    consts = tables.mets_constants()
    ead = _simpledc(_dossier_values(spec, kind))
    tree.put("metadata/descriptive/EAD.xml", ead)
    schemas = {
        "schemas/METS.xsd": mets_xsd or _METS_XSD_STANDIN,
        "schemas/EAD.xsd": _frame_xsd(kind),
        "schemas/EAD_doc.xsd": _frame_xsd(kind_doc),
    }
    for rel, data in schemas.items():
        tree.put(rel, data)
    _rep_mets(spec, tree, pclass, variant, kind_doc, rep_objid)
    root = _mets_root(objid, spec.title, consts["type"][variant], consts["profile"])
    _hdr(root, spec, pclass, rep=False)
    dmd_id = f"uuid-{_uuid(spec.file_code, 'dmd-ead')}"
    dmd = etree.SubElement(root, f"{_M}dmdSec", ID=dmd_id, CREATED=created, STATUS="CURRENT")
    _mdref(dmd, "metadata/descriptive/EAD.xml", ead, created, "OTHER", "EAD")
    adm_id = None
    if pclass == "AIP":
        sip_objid = f"uuid-{(spec.package_uuid or _uuid(spec.file_code, 'package')).upper()}"
        premis = _premis_package(spec, objid, sip_objid)
        tree.put("metadata/preservation/PREMIS.xml", premis)
        amd = etree.SubElement(root, f"{_M}amdSec", ID=f"uuid-{_uuid(spec.file_code, 'amd')}")
        adm_id = f"uuid-{_uuid(spec.file_code, 'digiprov')}"
        dp = etree.SubElement(amd, f"{_M}digiprovMD", ID=adm_id)
        _mdref(dp, "metadata/preservation/PREMIS.xml", premis, created, "PREMIS", None)
    fsec = etree.SubElement(root, f"{_M}fileSec", ID=f"uuid-{_uuid(spec.file_code, 'filesec')}")
    g_schema = etree.SubElement(
        fsec, f"{_M}fileGrp", ID=f"uuid-{_uuid(spec.file_code, 'grp-schemas')}", USE="Schemas"
    )
    schema_ids = []
    for rel, data in schemas.items():
        fid = f"ID-{_uuid(spec.file_code, rel)}"
        _file(g_schema, rel, data, "application/xml", created, fid)
        schema_ids.append(fid)
    rep_grp_id = f"uuid-{_uuid(spec.file_code, 'grp-rep1')}"
    g_rep = etree.SubElement(fsec, f"{_M}fileGrp", ID=rep_grp_id, USE="Representations/rep1")
    rep_fid = f"ID-{_uuid(spec.file_code, 'rep1-mets')}"
    _file(
        g_rep,
        "representations/rep1/METS.xml",
        tree.files["representations/rep1/METS.xml"],
        "text/xml",
        created,
        rep_fid,
    )
    sm = etree.SubElement(
        root, f"{_M}structMap", ID=f"uuid-{_uuid(spec.file_code, 'sm')}", TYPE="PHYSICAL", LABEL="CSIP"
    )
    top = etree.SubElement(sm, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-top')}", LABEL=objid)
    meta = etree.SubElement(
        top, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-meta')}", LABEL="Metadata", DMDID=dmd_id
    )
    if adm_id:
        meta.set("ADMID", adm_id)
    sdiv = etree.SubElement(
        top, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-schemas')}", LABEL="Schemas"
    )
    for fid in schema_ids:
        etree.SubElement(sdiv, f"{_M}fptr", FILEID=fid)
    rdiv = etree.SubElement(
        top, f"{_M}div", ID=f"uuid-{_uuid(spec.file_code, 'div-rep1')}", LABEL="Representations/rep1"
    )
    etree.SubElement(
        rdiv,
        f"{_M}mptr",
        {
            "LOCTYPE": "URL",
            f"{_X}type": "simple",
            f"{_X}href": "representations/rep1/METS.xml",
            f"{_X}title": rep_grp_id,
        },
    )
    tree.put("METS.xml", _xml_bytes(root))
    return folder, tree


def build_package(
    spec: DossierSpec,
    dest: str | Path,
    *,
    kind: str = "SIP_hoso",
    as_zip: bool = False,
    zip_ordinal: int = 1,
    mets_xsd: bytes | None = None,
) -> Path:
    """Write the package of ``spec`` under ``dest`` and return its path.

    ``kind``: ``SIP_hoso`` | ``SIP_tailieu`` | ``AIP_hoso`` | ``AIP_tailieu``. With ``as_zip`` the result is
    ``dest/<zip_ordinal><OBJID>.zip`` (TT05 ZIP name, §8.6) holding the ``<OBJID>/`` folder; no folder is
    left behind. An existing package folder of the same name is replaced.
    """
    if kind not in ("SIP_hoso", "SIP_tailieu", "AIP_hoso", "AIP_tailieu"):
        raise ValueError(f"unsupported kind {kind!r}")
    pclass, variant = kind.split("_")
    folder, tree = _assemble(spec, pclass, variant, mets_xsd)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if as_zip:
        zpath = dest / f"{zip_ordinal}{folder}.zip"
        _write_zip(zpath, folder, tree.files)
        return zpath
    out = dest / folder
    if out.exists():
        shutil.rmtree(out)
    for rel, data in sorted(tree.files.items()):
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return out


def build_sip_hoso(spec: DossierSpec, dest: str | Path, **kw: Any) -> Path:
    """A SIP_hoso (TT05 PL III) for ``spec``; see ``build_package``."""
    return build_package(spec, dest, kind="SIP_hoso", **kw)


def build_sip_tailieu(spec: DossierSpec, dest: str | Path, **kw: Any) -> Path:
    """A SIP_tailieu (TT05 PL IV): ``spec.file_code`` in the loose-batch grammar, ``spec.source`` set."""
    return build_package(spec, dest, kind="SIP_tailieu", **kw)


def build_aip_hoso(spec: DossierSpec, dest: str | Path, **kw: Any) -> Path:
    """An AIP_hoso (TT05 PL I) with PREMIS; arcFileCode = ``spec.archive_code`` + "." + fileCode (OQ-12)."""
    return build_package(spec, dest, kind="AIP_hoso", **kw)


def _write_zip(zpath: Path, folder: str, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for rel, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)


def zip_package(folder: str | Path, zpath: str | Path, *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """ZIP a package folder as ``<folder name>/…`` with fixed timestamps (deterministic), streaming files."""
    folder, zpath = Path(folder), Path(zpath)
    with zipfile.ZipFile(zpath, "w", compression=compression, allowZip64=True) as zf:
        for p in sorted(x for x in folder.rglob("*") if x.is_file()):
            rel = p.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(f"{folder.name}/{rel}", date_time=_ZIP_TIME)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            info.create_system = 3
            with open(p, "rb") as src, zf.open(info, "w", force_zip64=p.stat().st_size > 2**31) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
    return zpath


# ---------------------------------------------------------------------------------------------------
# Editing built packages (fixtures, tests, benchmarks)
# ---------------------------------------------------------------------------------------------------


def edit_xml(path: str | Path, fn: Callable[[Any], None]) -> None:
    """Parse an XML file of a package (hardened parser), apply ``fn(root)``, write it back."""
    p = Path(path)
    root = parse_xml(p.read_bytes())
    fn(root)
    p.write_bytes(_xml_bytes(root))


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as fh:
        d = hash_stream(fh)
    return d.size, d.sha256


def _reseal_mets(mets_path: Path) -> None:
    base = mets_path.parent

    def fix(root: Any) -> None:
        for el in root.iter(f"{_M}file", f"{_M}mdRef"):
            loc = el if el.tag == f"{_M}mdRef" else el.find(f"{_M}FLocat")
            href = loc.get(f"{_X}href") if loc is not None else None
            if not href or href.startswith(("/", "\\")) or ":" in href or ".." in href.split("/"):
                continue  # only relative paths inside the package are resealed
            target = base / href
            if target.is_file():
                size, sha = _digest(target)
                el.set("SIZE", str(size))
                el.set("CHECKSUM", sha)

    edit_xml(mets_path, fix)


def _reseal_premis(premis_path: Path, base: Path) -> None:
    def fix(root: Any) -> None:
        for obj in root.iter(f"{_P}object"):
            loc = obj.findtext(f".//{_P}contentLocationValue")
            if not loc or not (base / loc).is_file():
                continue
            size, sha = _digest(base / loc)
            for fx in obj.iter(f"{_P}fixity"):
                md = fx.find(f"{_P}messageDigest")
                if md is not None:
                    md.text = sha
            for s in obj.iter(f"{_P}size"):
                s.text = str(size)

    edit_xml(premis_path, fix)


def reseal(package: str | Path, *, root_only: bool = False) -> None:
    """Recompute SIZE/CHECKSUM of every METS entry (and PREMIS fixity) from the files on disk.

    Order matters: rep1 PREMIS → rep1 METS → root METS (the root METS lists rep1/METS.xml). With
    ``root_only`` only the root METS is updated (to keep a deliberate defect in rep1/METS.xml). Files that do
    not parse are left unchanged.
    """
    pkg = Path(package)
    rep = pkg / "representations" / "rep1"
    premis_rep = rep / "metadata" / "preservation" / "PREMIS_rep1.xml"
    steps: list[Callable[[], None]] = []
    if not root_only:
        if premis_rep.is_file():
            steps.append(lambda: _reseal_premis(premis_rep, rep))
        if (rep / "METS.xml").is_file():
            steps.append(lambda: _reseal_mets(rep / "METS.xml"))
    if (pkg / "METS.xml").is_file():
        steps.append(lambda: _reseal_mets(pkg / "METS.xml"))
    for step in steps:
        try:
            step()
        except XmlRefused:
            continue  # a file that does not parse is left as it is (the validator will say why)


# ---------------------------------------------------------------------------------------------------
# Example specs (metadata-and-packages.md §12, synthetic province H99 of edxml.md §14.1)
# ---------------------------------------------------------------------------------------------------


def example_dossier(**overrides: Any) -> DossierSpec:
    """The §12 fixture dossier with the synthetic organ ``H99`` (QĐ 20 form, so docId stays ≤25)."""
    docs = (
        DocumentSpec(
            ordinal=1,
            type_name="10",
            code_number="01",
            code_notation="KH-UBND",
            issued_date=dt.date(2025, 1, 5),
            organ_name="UBND tỉnh Thử Nghiệm",
            subject="Kế hoạch tuyển dụng công chức năm 2025",
            number_of_page=4,
        ),
        DocumentSpec(
            ordinal=2,
            type_name="02",
            code_number="15",
            code_notation="QĐ-UBND",
            issued_date=dt.date(2025, 6, 10),
            organ_name="UBND tỉnh Thử Nghiệm",
            subject="Quyết định phê duyệt kết quả tuyển dụng công chức",
            number_of_page=2,
        ),
        DocumentSpec(
            ordinal=3,
            type_name="22",
            code_number="125",
            code_notation="UBND-NV",
            issued_date=dt.date(2025, 11, 20),
            organ_name="UBND tỉnh Thử Nghiệm",
            subject="Về việc báo cáo kết quả tuyển dụng công chức năm 2025",
            number_of_page=1,
        ),
    )
    base = DossierSpec(
        file_code="H99.2025.01.TCCB",
        title="Hồ sơ tuyển dụng công chức năm 2025",
        start_date=dt.date(2025, 1, 5),
        end_date=dt.date(2025, 11, 20),
        documents=docs,
        keyword="tuyển dụng; công chức",
    )
    return replace(base, **overrides)


def example_loose_batch(**overrides: Any) -> DossierSpec:
    """A SIP_tailieu batch: fileCode ``H99.2025.01.0000001`` (organ.year.lần nộp.STT, §8.6), outgoing."""
    d = example_dossier()
    base = replace(
        d,
        file_code="H99.2025.01.0000001",
        title="Văn bản đi rời lẻ năm 2025 của UBND tỉnh Thử Nghiệm",
        source="0",
        documents=d.documents[:2],
        description="Lô văn bản đi chưa lập hồ sơ",
    )
    return replace(base, **overrides)
