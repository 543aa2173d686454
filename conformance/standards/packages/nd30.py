"""The 2020-regime dossier export (NĐ 30/2020 PL VI Phần II) as XML: its shape, a writer and a validator.

Why: NĐ 30 PL VI gives the fields of a dossier and its documents (types and lengths, [R]) but no file
format, while TR-014/TR-015 need a dossier handed over to the agency archive to be checked by a tool.
This module fixes one XML shape that carries exactly the PL VI fields under their English element
names (the names of the appendix, OCR slips corrected), so that a QLVBĐH can export it and an archive can
validate it. The shape is also published as ``nd30_export.shape.json`` (``nd30_export_shape()``, generated
from ``conformance/standards/data/fields.yaml`` so it cannot drift from the field tables).

Expected XML (UTF-8, NFC text, no namespace)::

    <DossierExport schemaVersion="1">          exactly one <HoSo>, then any number of documents
      <HoSo>                                   PL VI Phần II.III, 11 fields
        <FileCode>000.00.00.H99.2025.01.TCCB</FileCode>   field 1 = OrganId.FileCatalog.FileNotation
        <OrganId/> <FileCatalog/> <FileNotation/>          1.1–1.3
        <Title/> <Maintenance/> <Rights/> <Creator/> <Language/> <StartDate/> <EndDate/>
        <DocTotal/> <PageTotal/> <Description/>
      </HoSo>
      <VanBanDi>                               PL VI Phần II.I, 16 fields (văn bản đi)
        <FileCode/> <OrganId/> <FileCatalog/> <FileNotation/> <DocOrdinal/> <TypeName/> <CodeNumber/>
        <CodeNotation/> <IssuedDate/> <OrganName/> <Subject/> <Language/> <PageAmount/> <Description/>
        <SignerInfo><Position/><FullName/></SignerInfo>
        <To><OrganId/><OrganName/></To>        repeated per recipient
        <Priority/> <IssuedAmount/> <DueDate/>
      </VanBanDi>
      <VanBanDen>                              PL VI Phần II.II, 18 fields (văn bản đến)
        … fields 1–11 as VanBanDi, then <ArrivalDate/> <ArrivalNumber/> <SignerInfo>…</SignerInfo>
        <Priority/> <ToPlaces/> <TraceHeaderList>free XML content</TraceHeaderList> <DueDate/>
      </VanBanDen>
    </DossierExport>

Values: dates ``DD/MM/YYYY`` (``yyyy/MM/dd`` and ``yyyy-MM-dd`` accepted with a warning, OQ-24);
Number fields are non-negative integers; ``Maintenance`` is "Vĩnh viễn" or "<n> năm" (OQ-30); ``TypeName``
an NĐ 30 Điều 7 type name; ``Priority`` 0–4 (OQ-21). Mandatory fields follow the OQ-31 default
(``FieldSpec.mandatory``: Đ.29.2.c fields [R], auto-filled and key fields [I]) plus the dossier's
``FileCode`` and, for every document, fields 1, 1.3 and 2 (a document in a dossier export is filed, so
its link to the dossier is known, PL VI III.4.c). Documents come oldest first (PL VI III.4.g). Lengths
are the limits of ``metadata.field_table`` for the regime asked for (2020 by default; 2025 for a
dossier formed under TT 05/2025: tiêu đề 1000, ghi chú 2000), in NFC characters or digits.
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from .. import identifiers, metadata
from ._xml import XmlRefused, local, parse_xml, xpath_of
from .reader import Limits
from .report import Finding, Report
from .rules import rule

__all__ = [
    "DOC_ELEMENTS",
    "ROOT",
    "example_nd30_export",
    "nd30_export_shape",
    "read_nd30_export",
    "validate_nd30_export",
    "write_nd30_export",
]

ROOT = "DossierExport"
DOSSIER = "HoSo"
#: document element → PL VI table kind
DOC_ELEMENTS: Mapping[str, str] = {"VanBanDi": "van_ban_di", "VanBanDen": "van_ban_den"}
_DATE_LAYOUTS = ("dd/MM/yyyy", "yyyy/MM/dd", "yyyy-MM-dd")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _layout(table: metadata.FieldTable) -> list[tuple[metadata.FieldSpec, list[metadata.FieldSpec]]]:
    """Top-level XML elements of a table: (spec, children) — flatten groups give their own element too."""
    out = []
    for spec in table.fields:
        if spec.parent is not None and table.field(spec.parent).layout == "flatten":
            out.append((spec, []))
        elif spec.parent is None:
            kids = list(table.children(spec.stt)) if spec.layout in ("object", "array") else []
            out.append((spec, kids))
    return out


#: in a dossier export every document is filed, so its link to the dossier (fields 1, 1.3 and 2) is known
_FILED = frozenset({"FileCode", "FileNotation", "DocOrdinal"})


def _mandatory(kind: str, spec: metadata.FieldSpec) -> bool:
    if kind == "ho_so":
        return spec.mandatory or spec.name == "FileCode"
    return spec.mandatory or (spec.parent in (None, "1") and spec.name in _FILED)


def _leaf_shape(kind: str, spec: metadata.FieldSpec) -> dict[str, Any]:
    rule_ = spec.limit
    d: dict[str, Any] = {
        "element": spec.name,
        "stt": spec.stt,
        "name_vi": spec.name_vi,
        "type": "String" if spec.type == "Group" else spec.type,
        "required": _mandatory(kind, spec),
        "auto_filled": spec.auto_filled,
    }
    if rule_.max is not None:
        d["maxDigits" if rule_.unit == "digits" else "maxLength"] = rule_.max
    if rule_.warn_above is not None:
        d["warnAbove"] = rule_.warn_above
    if spec.type == "Date":
        d["format"] = "DD/MM/YYYY"
    if spec.type == "LongText":
        d["content"] = "any"
    return d


@functools.cache
def nd30_export_shape() -> dict[str, Any]:
    """JSON description of the XML shape (generated from the PL VI field tables; shipped as a file)."""
    parts = []
    for element, kind, occurs in (
        (DOSSIER, "ho_so", (1, 1)),
        ("VanBanDi", "van_ban_di", (0, "unbounded")),
        ("VanBanDen", "van_ban_den", (0, "unbounded")),
    ):
        table = metadata.field_table(kind, "2020")
        children = []
        for spec, kids in _layout(table):
            if kids:
                children.append(
                    {
                        "element": spec.name,
                        "stt": spec.stt,
                        "name_vi": spec.name_vi,
                        "maxOccurs": "unbounded" if spec.layout == "array" else 1,
                        "children": [_leaf_shape(kind, k) for k in kids],
                    }
                )
            else:
                children.append(_leaf_shape(kind, spec))
        parts.append(
            {
                "element": element,
                "source": table.source,
                "title_vi": table.title_vi,
                "minOccurs": occurs[0],
                "maxOccurs": occurs[1],
                "children": children,
            }
        )
    return {
        "format": "qlvbdh-nd30-dossier-export",
        "version": "1",
        "description": "XML shape of a 2020-regime dossier export (NĐ 30/2020/NĐ-CP PL VI Phần II). "
        "Element order inside a record is free; unknown elements are warnings. Encoding UTF-8, NFC text, "
        "no namespace. Dates DD/MM/YYYY (yyyy/MM/dd and yyyy-MM-dd accepted with a warning, OQ-24).",
        "root": {"element": ROOT, "attributes": {"schemaVersion": {"required": False, "value": "1"}}},
        "children": parts,
    }


def shipped_shape() -> dict[str, Any]:
    """The committed ``nd30_export.shape.json``."""
    text = resources.files(__package__).joinpath("nd30_export.shape.json").read_text(encoding="utf-8")
    return json.loads(text)


# ---------------------------------------------------------------------------------------------------
# Writer
# ---------------------------------------------------------------------------------------------------


def _append(parent: Any, name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        el = etree.SubElement(parent, name)
        for k, v in value.items():
            _append(el, k, v)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _append(parent, name, item)
    else:
        etree.SubElement(parent, name).text = str(value)


def write_nd30_export(
    path: str | os.PathLike[str],
    dossier: Mapping[str, Any],
    documents: Sequence[tuple[str, Mapping[str, Any]]],
) -> Path:
    """Write an export: ``documents`` are (``"VanBanDi"`` | ``"VanBanDen"``, record) pairs; records map
    English element names to values (``SignerInfo`` a mapping, ``To`` a list of mappings)."""
    root = etree.Element(ROOT, schemaVersion="1")
    _append(root, DOSSIER, dossier)
    for element, rec in documents:
        if element not in DOC_ELEMENTS:
            raise ValueError(f"document element must be one of {list(DOC_ELEMENTS)}")
        _append(root, element, rec)
    p = Path(path)
    p.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return p


def example_nd30_export() -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The §12 fixture dossier (synthetic organ ``000.00.00.H99``) as records for ``write_nd30_export``."""
    organ = "000.00.00.H99"
    common = {
        "FileCode": f"{organ}.2025.01.TCCB",
        "OrganId": organ,
        "FileCatalog": "2025",
        "FileNotation": "01.TCCB",
    }
    dossier = {
        **common,
        "Title": "Hồ sơ tuyển dụng công chức năm 2025",
        "Maintenance": "Vĩnh viễn",
        "Rights": "Công khai",
        "Creator": "Nguyễn Văn A",
        "Language": "Tiếng Việt",
        "StartDate": "05/01/2025",
        "EndDate": "20/11/2025",
        "DocTotal": "3",
        "PageTotal": "7",
        "Description": "Hồ sơ mẫu của bộ kiểm tra",
    }

    def di(
        n: int, typ: str, so: str, kh: str, date: str, subject: str, pages: int
    ) -> tuple[str, dict[str, Any]]:
        return (
            "VanBanDi",
            {
                **common,
                "DocOrdinal": str(n),
                "TypeName": typ,
                "CodeNumber": so,
                "CodeNotation": kh,
                "IssuedDate": date,
                "OrganName": "UBND tỉnh Thử Nghiệm",
                "Subject": subject,
                "Language": "Tiếng Việt",
                "PageAmount": str(pages),
                "SignerInfo": {"Position": "Chủ tịch", "FullName": "Trần Văn B"},
                "To": [{"OrganId": "000.00.12.H99", "OrganName": "Sở KH&CN tỉnh Thử Nghiệm"}],
                "Priority": "0",
                "IssuedAmount": "2",
            },
        )

    docs = [
        di(1, "Kế hoạch", "01", "KH-UBND", "05/01/2025", "Kế hoạch tuyển dụng công chức năm 2025", 4),
        di(2, "Quyết định", "15", "QĐ-UBND", "10/06/2025", "Quyết định phê duyệt kết quả tuyển dụng", 2),
        (
            "VanBanDen",
            {
                **common,
                "DocOrdinal": "3",
                "TypeName": "Công văn",
                "CodeNumber": "125",
                "CodeNotation": "SNV-CCVC",
                "IssuedDate": "20/11/2025",
                "OrganName": "Sở Nội vụ tỉnh Thử Nghiệm",
                "Subject": "Về việc báo cáo kết quả tuyển dụng công chức năm 2025",
                "Language": "Tiếng Việt",
                "PageAmount": "1",
                "ArrivalDate": "21/11/2025",
                "ArrivalNumber": "1024",
                "SignerInfo": {"Position": "Giám đốc", "FullName": "Lê Thị C"},
                "Priority": "1",
                "ToPlaces": "Văn phòng UBND tỉnh",
                "DueDate": "30/11/2025",
            },
        ),
    ]
    return dossier, docs


# ---------------------------------------------------------------------------------------------------
# Validator
# ---------------------------------------------------------------------------------------------------


class _Out:
    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def add(
        self, code: str, xpath: str | None, en: str | None = None, vi: str | None = None, **kw: Any
    ) -> None:
        r = rule(code)
        self.findings.append(
            Finding(
                code=code,
                severity=kw.pop("severity", None) or r.severity,
                message=f"{r.title}: {en}" if en else r.title,
                message_vi=f"{r.title_vi}: {vi}" if vi else r.title_vi,
                file=self.file,
                xpath=xpath,
                details=kw,
            )
        )


def _split(messages: Sequence[str]) -> dict[str, str]:
    en, vi = [], []
    for m in messages:
        head, _, tail = m.partition(" — ")
        vi.append(head)
        en.append(tail or head)
    return {"en": "; ".join(en), "vi": "; ".join(vi)}


def _text(el: Any) -> str:
    return _nfc("".join(el.itertext())).strip()


def _check_leaf(
    out: _Out, kind: str, spec: metadata.FieldSpec, el: Any, values: dict[str, str], regime: str = "2020"
) -> None:
    raw = "".join(el.itertext())
    xp = xpath_of(el)
    if not unicodedata.is_normalized("NFC", raw):
        out.add("nd30.field.nfc", xp)
    text = _nfc(raw).strip()
    if spec.type == "LongText":
        return
    if not text:
        if _mandatory(kind, spec):
            out.add("nd30.field.missing", xp, f"{spec.name} is empty", f"{spec.name} rỗng")
        return
    values[spec.path] = text
    if spec.type == "Date":
        res = identifiers.parse_date(text, _DATE_LAYOUTS)
        if not res.ok:
            out.add("nd30.field.date", xp, **_split(res.problems))
        elif res.warnings:
            out.add("nd30.field.date.layout", xp, **_split(res.warnings))
        return
    chk = metadata.check_length(kind, spec.path, text, regime)
    for p in chk.problems:
        code = "nd30.field.length" if p.startswith("[len.max]") else "nd30.field.type"
        out.add(code, xp, **_split([p]))
    for w in chk.warnings:
        out.add("nd30.field.length.warn", xp, **_split([w]))


def _read_record(
    out: _Out, kind: str, el: Any, regime: str = "2020"
) -> tuple[dict[str, str], dict[str, Any], list[dict[str, str]]]:
    """Check one record element; returns (values by path, element by path, recipients)."""
    table = metadata.field_table(kind, regime)
    layout = _layout(table)
    known = {spec.name: (spec, kids) for spec, kids in layout}
    values: dict[str, str] = {}
    where: dict[str, Any] = {}
    recipients: list[dict[str, str]] = []
    children: dict[str, list[Any]] = defaultdict(list)
    for c in el:
        if isinstance(c.tag, str):
            children[local(c)].append(c)
    for name, els in children.items():
        if name not in known:
            out.add("nd30.field.unknown", xpath_of(els[0]), name, name)
            continue
        spec, kids = known[name]
        if len(els) > 1 and spec.layout != "array":
            out.add("nd30.field.duplicate", xpath_of(els[1]), name, name)
    for name, (spec, kids) in known.items():
        els = children.get(name, [])
        if not els:
            if _mandatory(kind, spec) and not kids:
                out.add("nd30.field.missing", f"{xpath_of(el)}/{name}", name, name)
            for k in kids:
                if k.mandatory:
                    out.add("nd30.field.missing", f"{xpath_of(el)}/{name}/{k.name}", k.path, k.path)
            continue
        if not kids:
            where[spec.path] = els[0]
            _check_leaf(out, kind, spec, els[0], values, regime)
            continue
        for group in els:
            sub: dict[str, str] = {}
            gchildren = {local(c): c for c in group if isinstance(c.tag, str)}
            for c in gchildren:
                if c not in {k.name for k in kids}:
                    out.add("nd30.field.unknown", xpath_of(gchildren[c]), c, c)
            for k in kids:
                kel = gchildren.get(k.name)
                if kel is None:
                    if k.mandatory:
                        out.add("nd30.field.missing", f"{xpath_of(group)}/{k.name}", k.path, k.path)
                    continue
                leaf: dict[str, str] = {}
                _check_leaf(out, kind, k, kel, leaf, regime)
                if k.path in leaf:
                    sub[k.name] = leaf[k.path]
                    sub["_xpath_" + k.name] = xpath_of(kel)
                    if spec.layout != "array":
                        values[k.path] = leaf[k.path]
                        where.setdefault(k.path, kel)
            if spec.layout == "array":
                recipients.append(sub)
    return values, where, recipients


def _check_codes(out: _Out, kind: str, values: dict[str, str], where: dict[str, Any]) -> None:
    def xp(path: str) -> str | None:
        return xpath_of(where[path]) if path in where else None

    if "OrganId" in values:
        res = identifiers.parse_organ_id(values["OrganId"])
        if not res.ok:
            out.add("nd30.organid", xp("OrganId"), **_split(res.problems))
    if "FileNotation" in values:
        res = identifiers.parse_file_notation(values["FileNotation"])
        if not res.ok:
            out.add("nd30.filenotation", xp("FileNotation"), **_split(res.problems))
    if kind == "ho_so" and "Maintenance" in values:
        res = metadata.check_maintenance(values["Maintenance"])
        if not res.ok:
            out.add("nd30.maintenance", xp("Maintenance"), **_split(res.problems))
    if kind != "ho_so":
        if "CodeNumber" in values:
            res = identifiers.check_code_number(values["CodeNumber"])
            if not res.ok:
                out.add("nd30.doc.codenumber", xp("CodeNumber"), **_split(res.problems))
        if "CodeNotation" in values:
            res = identifiers.check_code_notation(values["CodeNotation"])
            if not res.ok:
                out.add("nd30.doc.codenotation", xp("CodeNotation"), **_split(res.problems))
        if "TypeName" in values and metadata.document_type_by_name(values["TypeName"]) is None:
            out.add("nd30.doc.typename", xp("TypeName"), values["TypeName"], values["TypeName"])
        if "Priority" in values:
            res = metadata.check_priority(values["Priority"])
            if not res.ok:
                out.add("nd30.doc.priority", xp("Priority"), **_split(res.problems))


def validate_nd30_export(
    path: str | os.PathLike[str], *, limits: Limits | None = None, regime: str = "2020"
) -> Report:
    """Validate a dossier export (the shape in this module's docstring); every problem listed.

    ``regime="2025"`` applies the lengths of a dossier formed under TT 05/2025 where the field tables
    give one (tiêu đề 1000, ghi chú 2000; ``metadata.field_table``); the shape is the same. Documents
    must come in the chronological order of their formation (PL VI III.4.g): IssuedDate, or
    ArrivalDate for an incoming document.
    """
    if regime not in metadata.REGIMES:
        raise ValueError(f"unknown regime {regime!r}; known: {list(metadata.REGIMES)}")
    limits = limits or Limits()
    p = Path(path)
    out = _Out(p.name)
    params = {"regime": regime, "shape": "qlvbdh-nd30-dossier-export/1"}
    if not p.is_file():
        out.add("read.not_found", None, f"{p} is not a file", f"{p} không phải tệp")
        return Report(str(path), "ND30_export", "refused", tuple(out.findings), params, {})
    size = p.stat().st_size
    if size > limits.max_xml_bytes:
        out.add("xml.too_large", None, f"{size} bytes", f"{size} byte")
        return Report(str(path), "ND30_export", "invalid", tuple(out.findings), params, {"files": 1})
    try:
        root = parse_xml(p.read_bytes(), max_bytes=limits.max_xml_bytes, max_depth=limits.max_xml_depth)
    except XmlRefused as exc:
        out.add(exc.code, None, exc.message, exc.message_vi, line=exc.line)
        return Report(str(path), "ND30_export", "invalid", tuple(out.findings), params, {"files": 1})
    dossiers = [c for c in root if isinstance(c.tag, str) and local(c) == DOSSIER]
    if local(root) != ROOT or len(dossiers) != 1:
        out.add(
            "nd30.root", xpath_of(root), f"<{local(root)}> with {len(dossiers)} <HoSo>", f"<{local(root)}>"
        )
    for c in root:
        if isinstance(c.tag, str) and local(c) not in (DOSSIER, *DOC_ELEMENTS):
            out.add("nd30.field.unknown", xpath_of(c), local(c), local(c))
    docs = [(c, DOC_ELEMENTS[local(c)]) for c in root if isinstance(c.tag, str) and local(c) in DOC_ELEMENTS]
    dvals: dict[str, str] = {}
    dwhere: dict[str, Any] = {}
    if dossiers:
        dvals, dwhere, _ = _read_record(out, "ho_so", dossiers[0], regime)
        _check_codes(out, "ho_so", dvals, dwhere)
        _check_file_code(out, dvals, dwhere)
        a, b = dvals.get("StartDate"), dvals.get("EndDate")
        if a and b:
            da, db = identifiers.parse_date(a, _DATE_LAYOUTS), identifiers.parse_date(b, _DATE_LAYOUTS)
            if da.date and db.date and da.date > db.date:
                out.add("nd30.date.order", xpath_of(dwhere["StartDate"]), f"{a} > {b}", f"{a} > {b}")
    ordinals: Counter[int] = Counter()
    ord_el: dict[int, Any] = {}
    pages = 0
    pages_ok = True
    previous: tuple[Any, str] | None = None
    for el, kind in docs:
        vals, where, recips = _read_record(out, kind, el, regime)
        previous = _check_order(out, kind, vals, where, previous)
        _check_codes(out, kind, vals, where)
        for r in recips:
            if "OrganId" in r:
                res = identifiers.parse_organ_id(r["OrganId"])
                if not res.ok:
                    out.add("nd30.doc.organid", r.get("_xpath_OrganId"), **_split(res.problems))
        for key in ("FileCode", "OrganId", "FileCatalog", "FileNotation"):
            if key in vals and key in dvals and vals[key] != dvals[key]:
                out.add(
                    "nd30.doc.filecode", xpath_of(where[key]), f"{vals[key]!r} ≠ {dvals[key]!r}", vals[key]
                )
        o = vals.get("DocOrdinal")
        if o and o.isdigit():
            ordinals[int(o)] += 1
            if ordinals[int(o)] > 1:
                out.add(
                    "nd30.doc.ordinal",
                    xpath_of(where["DocOrdinal"]),
                    f"DocOrdinal {o} repeated",
                    f"trùng {o}",
                )
            ord_el.setdefault(int(o), where["DocOrdinal"])
        pa = vals.get("PageAmount")
        if pa and pa.isdigit():
            pages += int(pa)
        else:
            pages_ok = False
    if ordinals and sorted(ordinals) != list(range(1, len(ordinals) + 1)):
        out.add("nd30.doc.ordinal.gap", None, str(sorted(ordinals)), str(sorted(ordinals)))
    total = dvals.get("DocTotal")
    if total and total.isdigit() and int(total) != len(docs):
        out.add(
            "nd30.doctotal", xpath_of(dwhere["DocTotal"]), f"{total} ≠ {len(docs)}", f"{total} ≠ {len(docs)}"
        )
    ptotal = dvals.get("PageTotal")
    if ptotal and ptotal.isdigit() and pages_ok and int(ptotal) != pages:
        out.add(
            "nd30.pagetotal", xpath_of(dwhere["PageTotal"]), f"{ptotal} ≠ Σ {pages}", f"{ptotal} ≠ Σ {pages}"
        )
    status = "invalid" if any(f.severity == "error" for f in out.findings) else "valid"
    return Report(
        str(path), "ND30_export", status, tuple(out.findings), params, {"files": 1, "documents": len(docs)}
    )


def read_nd30_export(
    path: str | os.PathLike[str], *, limits: Limits | None = None
) -> tuple[dict[str, str], list[tuple[str, dict[str, str]]]]:
    """The values of an export, for checks beyond the shape (a judge comparing what a system exported
    with what it was given): the dossier's leaf fields, then each document as (element, leaf fields),
    in file order. Text is NFC and trimmed; groups (``SignerInfo``, ``To``) are left out. Parsing is
    hardened as in ``validate_nd30_export``; a refused file raises ``XmlRefused``."""
    limits = limits or Limits()
    data = Path(path).read_bytes()
    root = parse_xml(data, max_bytes=limits.max_xml_bytes, max_depth=limits.max_xml_depth)

    def leaves(el: Any) -> dict[str, str]:
        return {local(c): _text(c) for c in el if isinstance(c.tag, str) and len(c) == 0}

    dossier: dict[str, str] = {}
    docs: list[tuple[str, dict[str, str]]] = []
    for c in root:
        if not isinstance(c.tag, str):
            continue
        if local(c) == DOSSIER and not dossier:
            dossier = leaves(c)
        elif local(c) in DOC_ELEMENTS:
            docs.append((local(c), leaves(c)))
    return dossier, docs


def _check_order(
    out: _Out, kind: str, vals: dict[str, str], where: dict[str, Any], previous: tuple[Any, str] | None
) -> tuple[Any, str] | None:
    """Documents oldest first (PL VI III.4.g): each formation date not before the previous one."""
    key = "ArrivalDate" if kind == "van_ban_den" and vals.get("ArrivalDate") else "IssuedDate"
    text = vals.get(key)
    day = identifiers.parse_date(text, _DATE_LAYOUTS).date if text else None
    if day is None:
        return previous
    if previous is not None and day < previous[0]:
        out.add(
            "nd30.doc.order",
            xpath_of(where[key]),
            f"{key} {text} before the previous document's {previous[1]}",
            f"{key} {text} trước văn bản đứng trước ({previous[1]})",
        )
    return day, text or ""


def _check_file_code(out: _Out, v: dict[str, str], where: dict[str, Any]) -> None:
    fc = v.get("FileCode")
    if not fc:
        return
    xp = xpath_of(where["FileCode"])
    organ = v.get("OrganId")
    res = identifiers.parse_file_code(fc, organ_ids=[organ] if organ else None)
    if not res.ok:
        out.add("nd30.filecode", xp, **_split(res.problems))
        return
    parts = [v.get("OrganId"), v.get("FileCatalog"), v.get("FileNotation")]
    if all(parts) and fc != ".".join(str(p) for p in parts):
        out.add("nd30.filecode", xp, f"{fc!r} ≠ {'.'.join(str(p) for p in parts)!r}", fc)
