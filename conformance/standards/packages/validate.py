"""Validation of TT 05/2025 SIP/AIP packages: every problem, with its place in the package and its rule.

Why: an archive receiving a package must say, per document, "đạt / không đạt (với lý do)" (TT05 Đ.24.2,
TR-033), and a vendor certifying an export must see all defects at once, not the first one. The
validator therefore never stops at the first finding: it reads the tree (§10.2/§10.3), both METS files
(§10.4), every ``file``/``mdRef`` (§10.5: sizes, MIME types and SHA-256 checksums recomputed by
streaming), the structMaps (§10.6, §10.7), the package ``EAD.xml`` (§4.1, §4.2, §4.5) and each
``EAD_doc`` (§4.3) with types, lengths, code lists (§7.1) and conditional rules, and the PREMIS files of an
AIP. Each finding carries a stable code from ``rules.RULES``, the package-relative file, an XPath where
relevant, and the rule's section and evidence mark.

Reading rules that are not in the consulted texts (all [I], documented here and in the rule registry):
``href`` values are relative to the folder of the METS file that holds them (E-ARK CSIP); the workflow
file of a document with ``process = 1`` is a second file pointer in the document's ``MetadataLink/File``
div; ``totalDoc`` counts the ``EAD_doc``/``EAD_pic``/``EAD_media`` files of the package (error when
RECORDSTATUS is NEW, else warning). XSD validation is not performed: the schemas shipped inside a package
are not trusted and the TT05 XSDs are inconsistent (OQ-34), so everything is checked by rule.

Open-question defaults: OQ-12 arcFileCode/arcDocCode in the U10 reading (``arc_code_grammar="u12"``
selects ``{MãCQLT}.{MãCQHT}.{Năm}.{SốLầnNộp}.{STT}``); OQ-29 U10 code lists (via ``codes.py``); OQ-31 all
elements mandatory except "(nếu có)" ones plus the conditional rules; OQ-33 the text is followed and a
deviation matching the official sample is a ``.sample`` warning; OQ-34 18 elements expected,
``numberOfPaper`` only for digitised paper, ``@USER='Holeyfile'`` accepted with a warning.

A TT05 inconsistency the rules make visible rather than hide: ``docId`` is String(25) but is fileCode + "." +
STT, and fileCode may be 100 characters; with a QCVN 102 organ code (``000.00.00.H49``) or in a
``_tailieu`` package most docIds exceed 25 and are reported (``ead.field.length``).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .. import identifiers
from . import tables
from ._xml import METS_NS, PREMIS_NS, XLINK_NS, XmlRefused, attr_xpath, csip_attr, local, parse_xml, xpath_of
from .reader import Digest, Limits, PackageRefused, PackageSource, open_package
from .report import Finding, Report
from .rules import rule

__all__ = ["Options", "check_arc_code", "validate_package"]

_HREF = f"{{{XLINK_NS}}}href"
_REQUIRED_ATTRS = ("SIZE", "CREATED", "MIMETYPE", "CHECKSUMTYPE", "CHECKSUM")
_SHA256_HEX = re.compile(r"^[0-9A-Fa-f]{64}$")
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_ID_UUID = re.compile(rf"^uuid-{_UUID}$")  # §8.6 internal METS IDs [S]
_FILE_ID = re.compile(rf"^ID-{_UUID}$")  # §8.6 <file> IDs [S]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # URL scheme or drive letter: not a relative href
_DIGITS = re.compile(r"^[0-9]+$")
_MONTH_YEAR = re.compile(r"^(0[1-9]|1[0-2])/([0-9]{4})$")  # §4.2 AIP dates MM/YYYY [S]
_YEAR = re.compile(r"^[0-9]{4}$")  # §4.2 AIP dates YYYY [S]
_LANG_SPLIT = re.compile(r"[,;\s]+")
# §8.6 OQ-12 U12 reading {MãCQLT}.{MãCQHT}.{Năm}.{SốLầnNộp}.{STT} [S, U12; regex I]
_U12_FILE = re.compile(
    r"^(?P<archive>[^.]+)\.(?P<organ>.+)\.(?P<year>[0-9]{4})\.(?P<lan>[0-9]{2})\.(?P<stt>[0-9]{3,7})$"
)
_U12_DOC = re.compile(
    r"^(?P<archive>[^.]+)\.(?P<organ>.+)\.(?P<year>[0-9]{4})\.(?P<lan>[0-9]{2})\.(?P<stt>[0-9]{7})$"
)
_ARCHIVE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # one dot-free group [I]
# §8.6 SIP ZIP name [STT gói trong lần nộp][OBJID] [S; separator tolerated I]; sample: bare lower-case GUID
_ZIP_SAMPLE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.zip$")
_PREMIS_NAME = re.compile(r"(^|/)PREMIS[^/]*\.xml$", re.IGNORECASE)
_TOP_LEVEL = {"METS.xml", "metadata", "representations", "schemas", "documentation"}
_REP = "representations/rep1"
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF8",),
    "tif": (b"II*\x00", b"MM\x00*"),
    "tiff": (b"II*\x00", b"MM\x00*"),
    "docx": (b"PK",),
    "xlsx": (b"PK",),
    "pptx": (b"PK",),
    "odt": (b"PK",),
}


@dataclass(frozen=True)
class Options:
    """Profile parameters (``open-questions.md`` §3).

    ``arc_code_grammar``: ``"u10"`` (default, OQ-12) or ``"u12"``. ``archive_code``: the receiving
    archive's code (mã cơ quan lưu trữ); when None the first group of ``arcFileCode`` is taken.
    ``organ_ids``: known agency codes, to split a QĐ 20 organ prefix of ``fileCode`` (§8.3).
    ``tt05_follow``: ``"text"`` (OQ-33 default: sample-compatible deviations are warnings) or
    ``"sample"`` (they are not reported). ``require_permanent``: a SIP is a submission to a historical
    archive, so ``maintenance`` must be ``01`` (TR-017).
    """

    arc_code_grammar: str = "u10"
    archive_code: str | None = None
    organ_ids: tuple[str, ...] | None = None
    tt05_follow: str = "text"
    require_permanent: bool = True
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.arc_code_grammar not in ("u10", "u12"):
            raise ValueError("arc_code_grammar must be 'u10' or 'u12' (OQ-12)")
        if self.tt05_follow not in ("text", "sample"):
            raise ValueError("tt05_follow must be 'text' or 'sample' (OQ-33)")

    def as_dict(self) -> dict[str, Any]:
        return {
            "arc_code_grammar": self.arc_code_grammar,
            "archive_code": self.archive_code,
            "organ_ids": list(self.organ_ids) if self.organ_ids is not None else None,
            "tt05_follow": self.tt05_follow,
            "require_permanent": self.require_permanent,
            "limits": self.limits.as_dict(),
        }


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_MSG = re.compile(r"^\[(?P<code>[a-z0-9_.]+)\] (?P<vi>.*?)(?: — (?P<en>.*))?$", re.S)


def _grammar_problems(res: Any) -> list[str]:
    """Problems of an ``identifiers`` result, without its length checks: lengths are checked once, against
    the TT05 frame (``ead.field.length``), so a long code is not reported twice."""
    return [p for p in res.problems if not re.match(r"^\[[a-z0-9_.]*length\]", p)]


def _msgs(messages: Iterable[str]) -> dict[str, str]:
    """Split ``identifiers`` messages ("[code] vi — en") into ``en=``/``vi=`` keyword arguments."""
    en, vi = [], []
    for m in messages:
        g = _MSG.match(m)
        if g:
            vi.append(f"{g['vi']} [{g['code']}]")
            en.append(f"{g['en'] or g['vi']} [{g['code']}]")
        else:
            vi.append(m)
            en.append(m)
    return {"en": "; ".join(en), "vi": "; ".join(vi)}


class _Ctx:
    """Collects findings while validating one package."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.findings: list[Finding] = []
        self.refused = False
        self.kind: str | None = None
        self.stats: dict[str, int] = {}

    def add(
        self,
        code: str,
        file: str | None = None,
        xpath: str | None = None,
        *,
        target: str | None = None,
        en: str | None = None,
        vi: str | None = None,
        severity: str | None = None,
        **details: Any,
    ) -> None:
        r = rule(code)
        if code.endswith(".sample") and self.opts.tt05_follow == "sample":
            return
        self.findings.append(
            Finding(
                code=code,
                severity=severity or r.severity,
                message=f"{r.title}: {en}" if en else r.title,
                message_vi=f"{r.title_vi}: {vi}" if vi else r.title_vi,
                file=file,
                xpath=xpath,
                target=target,
                details=details,
            )
        )


# ---------------------------------------------------------------------------------------------------
# Parsed METS
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Ref:
    """A ``mets:file``/``mets:mdRef`` entry and where its href leads."""

    mets: str
    el: Any
    loc: Any
    kind: str  # "file" | "mdRef"
    group: str | None
    href: str | None = None
    target: str | None = None


@dataclass
class _Mets:
    path: str
    base: str
    root: Any
    ids: dict[str, Any] = field(default_factory=dict)
    files: dict[str, _Ref] = field(default_factory=dict)  # file ID → ref
    dmd: dict[str, Any] = field(default_factory=dict)  # dmdSec ID → element
    dmd_target: dict[str, str] = field(default_factory=dict)  # dmdSec ID → package path of its mdRef
    amd: dict[str, Any] = field(default_factory=dict)  # ID of amdSec or one of its children
    refs: list[_Ref] = field(default_factory=list)

    def m(self, name: str) -> str:
        return f"{{{METS_NS}}}{name}"


def _parse(ctx: _Ctx, pkg: PackageSource, rel: str) -> Any | None:
    """Parse one XML file of the package safely; report and return None when refused."""
    lim = ctx.opts.limits
    try:
        data = pkg.read_bytes(rel, lim.max_xml_bytes)
    except ValueError:
        ctx.add(
            "xml.too_large",
            rel,
            en=f"limit {lim.max_xml_bytes} bytes",
            vi=f"giới hạn {lim.max_xml_bytes} byte",
        )
        return None
    try:
        return parse_xml(data, max_bytes=lim.max_xml_bytes, max_depth=lim.max_xml_depth)
    except XmlRefused as exc:
        ctx.add(exc.code, rel, en=exc.message, vi=exc.message_vi, line=exc.line)
        return None


def _resolve(base: str, href: str) -> str | None:
    """Package path of a relative href seen from folder ``base``; None when it leaves the package."""
    h = unquote(href) if "%" in href else href
    joined = posixpath.normpath(posixpath.join(base, h)) if base else posixpath.normpath(h)
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return _nfc(joined)


def _check_href(ctx: _Ctx, pkg: PackageSource, mets: _Mets, el: Any, href: str | None) -> str | None:
    """Validate one xlink:href (relative, inside the package, existing); return the package path."""
    if href is None or not href.strip():
        ctx.add("ref.href.missing", mets.path, xpath_of(el))
        return None
    href = href.strip()
    xp = attr_xpath(el, _HREF)
    if href.startswith(("/", "\\")) or _SCHEME.match(href) or href.startswith("//"):
        ctx.add("ref.href.absolute", mets.path, xp, en=repr(href), vi=repr(href))
        return None
    target = _resolve(mets.base, href)
    if target is None:
        ctx.add(
            "ref.href.absolute", mets.path, xp, en=f"{href!r} leaves the package", vi=f"{href!r} ra ngoài gói"
        )
        return None
    if pkg.exists(target):
        return target
    if mets.base:
        alt = _resolve("", href)
        if alt is not None and pkg.exists(alt):
            ctx.add("ref.href.base", mets.path, xp, target=alt)
            return alt
    ctx.add("ref.href.dangling", mets.path, xp, target=target, en=repr(href), vi=repr(href))
    return None


def _read_mets(ctx: _Ctx, pkg: PackageSource, rel: str) -> _Mets | None:
    root = _parse(ctx, pkg, rel)
    if root is None:
        return None
    if local(root) != "mets" or root.tag != f"{{{METS_NS}}}mets":
        ctx.add("mets.root", rel, xpath_of(root), en=f"found {root.tag}", vi=f"gặp {root.tag}")
        return None
    mets = _Mets(path=rel, base=posixpath.dirname(rel), root=root)
    ids: Counter[str] = Counter()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        i = el.get("ID")
        if i is not None:
            ids[i] += 1
            mets.ids.setdefault(i, el)
    for i, n in sorted(ids.items()):
        if n > 1:
            ctx.add(
                "mets.id.duplicate", rel, xpath_of(mets.ids[i]), en=f"@ID {i!r} × {n}", vi=f"@ID {i!r} × {n}"
            )
    for dmd in root.iter(mets.m("dmdSec")):
        if dmd.get("ID"):
            mets.dmd[dmd.get("ID")] = dmd
            _id_form(ctx, mets, dmd, _ID_UUID)
        for md in dmd.iter(mets.m("mdRef")):
            ref = _Ref(rel, md, md, "mdRef", None)
            mets.refs.append(ref)
            if dmd.get("ID"):
                ref.href = md.get(_HREF)
    for amd in root.iter(mets.m("amdSec")):
        if amd.get("ID"):
            mets.amd[amd.get("ID")] = amd
        for child in amd:
            if isinstance(child.tag, str) and child.get("ID"):
                mets.amd[child.get("ID")] = child
        for md in amd.iter(mets.m("mdRef")):
            mets.refs.append(_Ref(rel, md, md, "mdRef", None))
    for grp in root.iter(mets.m("fileGrp")):
        use = grp.get("USE")
        if use is None and grp.get("USER") is not None:
            use = grp.get("USER")
            ctx.add("mets.filegrp.user", rel, attr_xpath(grp, "USER"))
        _id_form(ctx, mets, grp, _ID_UUID)
        for f in grp.iter(mets.m("file")):
            loc = f.find(mets.m("FLocat"))
            ref = _Ref(rel, f, loc if loc is not None else f, "file", use)
            mets.refs.append(ref)
            if f.get("ID"):
                mets.files[f.get("ID")] = ref
            _id_form(ctx, mets, f, _FILE_ID)
    return mets


def _id_form(ctx: _Ctx, mets: _Mets, el: Any, pattern: re.Pattern[str]) -> None:
    i = el.get("ID")
    if i is not None and not pattern.fullmatch(i):
        ctx.add("mets.id.form", mets.path, attr_xpath(el, "ID"), en=repr(i), vi=repr(i))


# ---------------------------------------------------------------------------------------------------
# METS root and header (§10.4)
# ---------------------------------------------------------------------------------------------------


def _package_class(mets: _Mets | None) -> str:
    """SIP | AIP | DIP from csip:OAISPACKAGETYPE, else from the OBJID form (urn: → AIP)."""
    if mets is None:
        return "SIP"
    hdr = mets.root.find(mets.m("metsHdr"))
    value = (csip_attr(hdr, "OAISPACKAGETYPE") if hdr is not None else None) or csip_attr(
        mets.root, "OAISPACKAGETYPE"
    )
    if value in ("SIP", "AIP", "DIP"):
        return value
    return "AIP" if (mets.root.get("OBJID") or "").startswith("urn:") else "SIP"


def _check_time(ctx: _Ctx, file: str, el: Any, attr: str, code: str) -> None:
    value = el.get(attr)
    xp = attr_xpath(el, attr)
    if value is None:
        ctx.add(code, file, xp, en="missing", vi="thiếu")
        return
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        ctx.add(code, file, xp, en=f"{value!r} is not ISO 8601", vi=f"{value!r} không theo ISO 8601")
        return
    if when.tzinfo is None:
        ctx.add(code, file, xp, en=f"{value!r} has no time zone", vi=f"{value!r} thiếu múi giờ")
    elif when.utcoffset() != dt.timedelta(hours=7):
        ctx.add("mets.createdate.offset", file, xp, en=repr(value), vi=repr(value))


def _check_root_attrs(
    ctx: _Ctx, pkg: PackageSource, mets: _Mets, pclass: str, variant: str | None
) -> str | None:
    root = mets.root
    consts = tables.mets_constants()
    objid = root.get("OBJID")
    xp = xpath_of(root)
    if objid is None:
        ctx.add("mets.objid", mets.path, xp + "/@OBJID", en="missing", vi="thiếu")
    elif pclass in ("SIP", "AIP"):
        res = identifiers.parse_mets_objid(objid, pclass)
        if not res.ok:
            ctx.add("mets.objid", mets.path, xp + "/@OBJID", **_msgs(res.problems))
    if variant is not None and pclass != "DIP":
        want = consts["type"][variant]
        if root.get("TYPE") != want:
            ctx.add(
                "mets.type",
                mets.path,
                xp + "/@TYPE",
                en=f"{root.get('TYPE')!r}, expected {want!r}",
                vi=f"{root.get('TYPE')!r}, phải là {want!r}",
            )
    profiles = consts["aip_root_profiles"] if pclass == "AIP" else [consts["profile"]]
    if root.get("PROFILE") not in profiles:
        ctx.add(
            "mets.profile",
            mets.path,
            xp + "/@PROFILE",
            en=repr(root.get("PROFILE")),
            vi=repr(root.get("PROFILE")),
        )
    hdr = root.find(mets.m("metsHdr"))
    if hdr is None:
        ctx.add("mets.hdr", mets.path, xp)
        return objid
    _check_time(ctx, mets.path, hdr, "CREATEDATE", "mets.createdate")
    status = hdr.get("RECORDSTATUS")
    if status is None:
        ctx.add(
            "mets.recordstatus",
            mets.path,
            attr_xpath(hdr, "RECORDSTATUS"),
            en="missing (default NEW)",
            vi="thiếu (mặc định NEW)",
            severity="warning",
        )
    elif status not in tables.list_codes("record_status"):
        ctx.add(
            "mets.recordstatus", mets.path, attr_xpath(hdr, "RECORDSTATUS"), en=repr(status), vi=repr(status)
        )
    oais = csip_attr(hdr, "OAISPACKAGETYPE")
    if oais is None and csip_attr(root, "OAISPACKAGETYPE") is not None:
        oais = csip_attr(root, "OAISPACKAGETYPE")
        ctx.add("mets.oaistype.location", mets.path, xp)
    if oais is None:
        ctx.add(
            "mets.oaistype", mets.path, xpath_of(hdr) + "/@csip:OAISPACKAGETYPE", en="missing", vi="thiếu"
        )
    elif oais not in tables.list_codes("package_type"):
        ctx.add(
            "mets.oaistype", mets.path, xpath_of(hdr) + "/@csip:OAISPACKAGETYPE", en=repr(oais), vi=repr(oais)
        )
    _check_agent(ctx, mets, hdr, rep=False)
    return objid


def _check_agent(ctx: _Ctx, mets: _Mets, hdr: Any, *, rep: bool) -> None:
    agents = [a for a in hdr.findall(mets.m("agent")) if a.get("ROLE") == "CREATOR"]
    named = [a for a in agents if (a.findtext(mets.m("name")) or "").strip()]
    if not named:
        ctx.add(
            "mets.agent",
            mets.path,
            xpath_of(hdr),
            en="no named CREATOR agent",
            vi="không có agent CREATOR có tên",
        )
        return
    agent = named[0]
    atype, other = agent.get("TYPE"), agent.get("OTHERTYPE")
    notes = {csip_attr(n, "NOTETYPE") for n in agent.findall(mets.m("note"))}
    if rep:
        # rep1: TYPE="ORGANIZATION" (text); the sample writes TYPE="INDIVIDUAL" OTHERTYPE="" (U10 §10 #3)
        if atype == "INDIVIDUAL":
            ctx.add(
                "mets.agent.sample", mets.path, attr_xpath(agent, "TYPE"), en="INDIVIDUAL", vi="INDIVIDUAL"
            )
        elif atype != "ORGANIZATION":
            ctx.add(
                "mets.agent",
                mets.path,
                attr_xpath(agent, "TYPE"),
                en=f"rep1 agent TYPE {atype!r}, expected 'ORGANIZATION'",
                vi=f"TYPE {atype!r}, phải là 'ORGANIZATION'",
            )
        return
    if atype != "OTHER" or other != "SOFTWARE":
        ctx.add(
            "mets.agent",
            mets.path,
            xpath_of(agent),
            en=f"TYPE={atype!r} OTHERTYPE={other!r}, expected OTHER/SOFTWARE",
            vi="agent gốc phải là TYPE='OTHER' OTHERTYPE='SOFTWARE'",
        )
    elif "IDENTIFICATIONCODE" in notes and "SOFTWARE VERSION" not in notes:
        ctx.add(
            "mets.agent.sample",
            mets.path,
            xpath_of(agent),
            en="note IDENTIFICATIONCODE instead of SOFTWARE VERSION",
            vi="note IDENTIFICATIONCODE thay cho SOFTWARE VERSION",
        )


def _check_rep_attrs(ctx: _Ctx, mets: _Mets, pclass: str) -> None:
    root = mets.root
    xp = xpath_of(root)
    if csip_attr(root, "CONTENTINFORMATIONTYPE") is None:
        ctx.add("mets.rep.contentinfotype", mets.path, xp)
    objid = root.get("OBJID")
    if objid == "rep1":
        ctx.add("mets.rep.objid.sample", mets.path, xp + "/@OBJID")
    elif objid is None or not (
        identifiers.OBJID_SIP.fullmatch(objid)
        or _ID_UUID.fullmatch(objid)
        or (pclass == "AIP" and identifiers.OBJID_AIP.fullmatch(objid))
    ):
        ctx.add("mets.rep.objid", mets.path, xp + "/@OBJID", en=repr(objid), vi=repr(objid))
    if root.get("PROFILE") != tables.mets_constants()["profile"]:
        ctx.add(
            "mets.profile",
            mets.path,
            xp + "/@PROFILE",
            en=repr(root.get("PROFILE")),
            vi=repr(root.get("PROFILE")),
        )
    hdr = root.find(mets.m("metsHdr"))
    if hdr is None:
        ctx.add("mets.hdr", mets.path, xp)
        return
    _check_time(ctx, mets.path, hdr, "CREATEDATE", "mets.createdate")
    _check_agent(ctx, mets, hdr, rep=True)


def _check_amd(ctx: _Ctx, mets: _Mets, pclass: str, premis_path: str) -> None:
    secs = mets.root.findall(mets.m("amdSec"))
    if pclass == "SIP":
        for sec in secs:
            if any(isinstance(c.tag, str) for c in sec):
                ctx.add(
                    "pkg.premis.in_sip",
                    mets.path,
                    xpath_of(sec),
                    en="amdSec with content",
                    vi="amdSec có nội dung",
                )
            else:
                ctx.add("mets.amdsec.sample", mets.path, xpath_of(sec))
    elif pclass == "AIP":
        hrefs = [_resolve(mets.base, md.get(_HREF) or "") for sec in secs for md in sec.iter(mets.m("mdRef"))]
        if premis_path not in hrefs:
            ctx.add("mets.amdsec.missing", mets.path, xpath_of(mets.root), target=premis_path)


# ---------------------------------------------------------------------------------------------------
# References (§10.5)
# ---------------------------------------------------------------------------------------------------


def _expected_mime(target: str, group: str | None) -> tuple[str, Sequence[str], Sequence[str]]:
    """(class, text-accepted MIME types, sample-accepted) for a package path."""
    t = tables.tt05()
    name = target.rsplit("/", 1)[-1].lower()
    if name.endswith(".fetch.txt"):
        return "data", ("text/plain",), ()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext == "xsd":
        return "xsd", tuple(t["xsd_mimetypes"]), ()
    if ext == "xml" and group not in ("Data", "Holeyfile"):
        return "xml", tuple(t["xml_mimetypes"]["text"]), tuple(t["xml_mimetypes"]["sample"])
    return "data", tables.mimetypes().get(ext, ()), ()


def _check_refs(ctx: _Ctx, pkg: PackageSource, mets: _Mets) -> None:
    for ref in mets.refs:
        el = ref.el
        ref.target = _check_href(ctx, pkg, mets, ref.loc, ref.loc.get(_HREF) if ref.loc is not None else None)
        if ref.kind == "mdRef" and not el.get("MDTYPE"):
            ctx.add("ref.mdtype", mets.path, xpath_of(el))
        missing = [a for a in _REQUIRED_ATTRS if not (el.get(a) or "").strip()]
        if missing:
            ctx.add(
                "ref.attr.missing",
                mets.path,
                xpath_of(el),
                target=ref.target,
                en=", ".join(missing),
                vi=", ".join(missing),
                missing=missing,
            )
        ctype = el.get("CHECKSUMTYPE")
        if ctype is not None and ctype.strip() != "SHA-256":
            ctx.add(
                "ref.checksumtype",
                mets.path,
                attr_xpath(el, "CHECKSUMTYPE"),
                target=ref.target,
                en=repr(ctype),
                vi=repr(ctype),
            )
        checksum = (el.get("CHECKSUM") or "").strip()
        if checksum and not _SHA256_HEX.fullmatch(checksum):
            ctx.add("ref.checksum.format", mets.path, attr_xpath(el, "CHECKSUM"), target=ref.target)
            checksum = ""
        size = (el.get("SIZE") or "").strip()
        if size and not _DIGITS.fullmatch(size):
            ctx.add(
                "ref.size.format",
                mets.path,
                attr_xpath(el, "SIZE"),
                target=ref.target,
                en=repr(size),
                vi=repr(size),
            )
            size = ""
        if el.get("CREATED") is not None:
            _check_time(ctx, mets.path, el, "CREATED", "ref.created")
        mime = el.get("MIMETYPE")
        if ref.target is not None and mime:
            _check_mime(ctx, mets, ref, mime.strip())
        if ref.target is None:
            continue
        d: Digest = pkg.digest(ref.target)
        if size and int(size) != d.size:
            ctx.add(
                "ref.size.mismatch",
                mets.path,
                attr_xpath(el, "SIZE"),
                target=ref.target,
                en=f"@SIZE {size}, file has {d.size} bytes",
                vi=f"@SIZE {size}, tệp có {d.size} byte",
                declared=int(size),
                actual=d.size,
            )
        if checksum and (ctype or "").strip() == "SHA-256" and checksum.upper() != d.sha256:
            ctx.add(
                "ref.checksum.mismatch",
                mets.path,
                attr_xpath(el, "CHECKSUM"),
                target=ref.target,
                en=f"declared {checksum}, computed {d.sha256}",
                vi=f"khai {checksum}, tính lại {d.sha256}",
                declared=checksum.upper(),
                actual=d.sha256,
            )
        ext = ref.target.rsplit(".", 1)[-1].lower() if "." in ref.target else ""
        magic = _MAGIC.get(ext)
        if magic and d.size and not d.head.startswith(magic):
            ctx.add(
                "ref.magic", ref.target, None, en=f"does not start like .{ext}", vi=f"không giống tệp .{ext}"
            )


def _check_mime(ctx: _Ctx, mets: _Mets, ref: _Ref, mime: str) -> None:
    assert ref.target is not None
    cls, ok, sample = _expected_mime(ref.target, ref.group)
    xp = attr_xpath(ref.el, "MIMETYPE")
    if mime in ok:
        return
    if mime in sample:
        ctx.add("ref.mimetype.sample", mets.path, xp, target=ref.target, en=mime, vi=mime)
    elif cls == "data" and not ok:
        ctx.add(
            "ref.format",
            mets.path,
            xp,
            target=ref.target,
            en=ref.target.rsplit("/", 1)[-1],
            vi=ref.target.rsplit("/", 1)[-1],
        )
    else:
        ctx.add(
            "ref.mimetype",
            mets.path,
            xp,
            target=ref.target,
            en=f"{mime!r}, expected {' | '.join(ok)}",
            vi=f"{mime!r}, phải là {' | '.join(ok)}",
        )


# ---------------------------------------------------------------------------------------------------
# structMap (§10.6, §10.7)
# ---------------------------------------------------------------------------------------------------


def _csip_map(ctx: _Ctx, mets: _Mets) -> Any | None:
    maps = mets.root.findall(mets.m("structMap"))
    for sm in maps:
        if sm.get("LABEL") == "CSIP":
            return sm
    ctx.add("smap.missing", mets.path, xpath_of(maps[0]) if maps else xpath_of(mets.root))
    return None


def _check_pointers(ctx: _Ctx, mets: _Mets, sm: Any) -> None:
    """Every DMDID/ADMID and FILEID in the structMap resolves."""
    for div in sm.iter(mets.m("div")):
        for attr, pool in (("DMDID", mets.dmd), ("ADMID", mets.amd)):
            for i in (div.get(attr) or "").split():
                if i not in pool:
                    ctx.add("smap.dmdid.dangling", mets.path, attr_xpath(div, attr), en=repr(i), vi=repr(i))
    for fptr in sm.iter(mets.m("fptr")):
        i = fptr.get("FILEID")
        if i is None or i not in mets.files:
            ctx.add("smap.fileid.dangling", mets.path, attr_xpath(fptr, "FILEID"), en=repr(i), vi=repr(i))


def _check_root_map(ctx: _Ctx, mets: _Mets) -> None:
    sm = _csip_map(ctx, mets)
    if sm is None:
        return
    _check_pointers(ctx, mets, sm)
    divs = {d.get("LABEL"): d for d in sm.iter(mets.m("div"))}
    meta = divs.get("Metadata")
    if meta is None or not (meta.get("DMDID") or "").strip():
        ctx.add(
            "smap.root.div",
            mets.path,
            xpath_of(sm),
            en="div Metadata with @DMDID",
            vi="div Metadata có @DMDID",
        )
    if divs.get("Schemas") is None:
        ctx.add("smap.root.div", mets.path, xpath_of(sm), en="div Schemas", vi="div Schemas")
    rep = divs.get("Representations/rep1")
    mptr = rep.find(mets.m("mptr")) if rep is not None else None
    if mptr is None:
        ctx.add(
            "smap.root.div",
            mets.path,
            xpath_of(sm),
            en="div Representations/rep1 with mptr",
            vi="div Representations/rep1 có mptr",
        )
    elif _resolve(mets.base, (mptr.get(_HREF) or "").strip()) != f"{_REP}/METS.xml":
        ctx.add(
            "smap.mptr",
            mets.path,
            attr_xpath(mptr, _HREF),
            en=repr(mptr.get(_HREF)),
            vi=repr(mptr.get(_HREF)),
        )


@dataclass
class _Link:
    div: Any
    label: str
    dmdid: str | None
    files: list[str]  # package paths of the linked files that exist
    pointers: int = 0  # file pointers resolving to a fileSec entry (existing or not)


def _rep_links(ctx: _Ctx, mets: _Mets) -> list[_Link]:
    sm = _csip_map(ctx, mets)
    if sm is None:
        return []
    _check_pointers(ctx, mets, sm)
    links = []
    for div in sm.iter(mets.m("div")):
        label = div.get("LABEL") or ""
        if label not in ("MetadataLink/File", "MetadataLink/Holey"):
            continue
        files = []
        pointers = 0
        for fptr in div.iter(mets.m("fptr")):
            ref = mets.files.get(fptr.get("FILEID") or "")
            if ref is not None:
                pointers += 1
                if ref.target is not None:
                    files.append(ref.target)
        if not div.findall(f".//{mets.m('fptr')}"):
            ctx.add("smap.link.fileid", mets.path, xpath_of(div))
        dmdid = (div.get("DMDID") or "").split()
        links.append(_Link(div, label, dmdid[0] if dmdid else None, files, pointers))
    return links


# ---------------------------------------------------------------------------------------------------
# EAD frames (§4)
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Record:
    """Values of one EAD/EAD_doc file (NFC, stripped) and where each element is."""

    file: str
    root: Any
    values: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def xp(self, name: str) -> str:
        return self.where.get(name) or f"{xpath_of(self.root)}/{name}"


def _check_date(text: str, aip: bool) -> str | None:
    """Why ``text`` is not a TT05 EAD date, or None."""
    res = identifiers.parse_date(text, "dd/MM/yyyy")
    if res.ok:
        return None
    if aip:
        m = _MONTH_YEAR.fullmatch(text)
        if m or _YEAR.fullmatch(text):
            return None
    return "; ".join(res.problems)


def _read_frame(ctx: _Ctx, pkg: PackageSource, rel: str, frame_name: str) -> _Record | None:
    root = _parse(ctx, pkg, rel)
    if root is None:
        return None
    rec = _Record(rel, root)
    if local(root) != "simpledc":
        ctx.add("ead.root", rel, xpath_of(root), en=f"found <{local(root)}>", vi=f"gặp <{local(root)}>")
    frame = tables.frame(frame_name)
    known = {e.name for e in frame}
    children: dict[str, list[Any]] = defaultdict(list)
    for child in root:
        if isinstance(child.tag, str):
            children[local(child)].append(child)
    for name, els in children.items():
        if name not in known:
            ctx.add("ead.field.unknown", rel, xpath_of(els[0]), en=name, vi=name)
        elif len(els) > 1 and name != "language":
            ctx.add(
                "ead.field.duplicate",
                rel,
                xpath_of(els[1]),
                en=f"{name} × {len(els)}",
                vi=f"{name} × {len(els)}",
            )
    aip = frame_name.startswith("AIP")
    for spec in frame:
        els = children.get(spec.name)
        if not els:
            if spec.need == "required":
                ctx.add("ead.field.missing", rel, f"{xpath_of(root)}/{spec.name}", en=spec.name, vi=spec.name)
            continue
        el = els[0]
        xp = xpath_of(el)
        rec.where[spec.name] = xp
        raw = (
            " ".join("".join(e.itertext()) for e in els)
            if spec.name == "language"
            else "".join(el.itertext())
        )
        if not unicodedata.is_normalized("NFC", raw):
            ctx.add("ead.field.nfc", rel, xp)
        text = _nfc(raw).strip()
        rec.values[spec.name] = text
        if not text:
            if spec.need == "required":
                if spec.empty == "sample":
                    ctx.add("ead.field.empty.sample", rel, xp, en=spec.name, vi=spec.name)
                else:
                    ctx.add("ead.field.missing", rel, xp, en=f"{spec.name} is empty", vi=f"{spec.name} rỗng")
            continue
        _check_value(ctx, rel, xp, spec, text, aip)
    return rec


def _check_value(ctx: _Ctx, rel: str, xp: str, spec: tables.Element, text: str, aip: bool) -> None:
    if spec.type == "Number":
        if not _DIGITS.fullmatch(text):
            ctx.add(
                "ead.field.type",
                rel,
                xp,
                en=f"{spec.name} {text!r} is not a number",
                vi=f"{spec.name} {text!r} không phải số",
            )
            return
        digits = len(text.lstrip("0") or "0")
        if spec.length is not None and digits > spec.length:
            ctx.add(
                "ead.field.length",
                rel,
                xp,
                en=f"{spec.name}: {digits} digits > {spec.length}",
                vi=f"{spec.name}: {digits} chữ số > {spec.length}",
            )
        return
    if spec.type == "Boolean":
        if text not in ("0", "1"):
            ctx.add(
                "ead.field.type",
                rel,
                xp,
                en=f"{spec.name} {text!r} is not 0/1",
                vi=f"{spec.name} {text!r} không phải 0/1",
            )
        return
    if spec.type == "Date":
        why = _check_date(text, aip)
        if why:
            ctx.add("ead.field.date", rel, xp, en=f"{spec.name} {text!r}: {why}", vi=f"{spec.name} {text!r}")
        return
    if spec.length is not None and len(text) > spec.length:
        ctx.add(
            "ead.field.length",
            rel,
            xp,
            en=f"{spec.name}: {len(text)} characters > {spec.length}",
            vi=f"{spec.name}: {len(text)} ký tự > {spec.length}",
            length=len(text),
            limit=spec.length,
        )
    if spec.code:
        values = [v for v in _LANG_SPLIT.split(text) if v] if spec.code == "language" else [text]
        bad = tables.check_list_code(spec.code, values)
        if bad:
            ctx.add(
                "ead.code",
                rel,
                xp,
                en=f"{spec.name} {', '.join(bad)} not in list {spec.code}",
                vi=f"{spec.name} {', '.join(bad)} không có trong bảng mã {spec.code}",
                values=bad,
            )


def check_arc_code(
    value: str,
    *,
    grammar: str = "u10",
    archive_code: str | None = None,
    doc: bool = False,
    organ_ids: Iterable[str] | None = None,
) -> tuple[list[str], str | None]:
    """Check an ``arcFileCode`` (``doc=False``) or ``arcDocCode`` (OQ-12). Returns (problems, fileCode part).

    U10 (default): ``Mã cơ quan lưu trữ`` + "." + ``Mã hồ sơ`` (+ "." + Mục lục số), the dossier code must
    parse as a TT05 fileCode; an arcDocCode adds "." + a 7-digit ordinal. U12: ``{MãCQLT}.{MãCQHT}.{Năm}.
    {SốLầnNộp}.{STT}`` (STT 7 digits in an arcDocCode).
    """
    problems: list[str] = []
    if grammar == "u12":
        m = (_U12_DOC if doc else _U12_FILE).fullmatch(value)
        if not m:
            problems.append("expected {MãCQLT}.{MãCQHT}.{Năm}.{SốLầnNộp}.{STT} (U12)")
        elif archive_code and m["archive"] != archive_code:
            problems.append(f"archive code {m['archive']!r} ≠ {archive_code!r}")
        return problems, None
    rest = value
    if doc:
        m = identifiers.TT05_DOC_CODE.fullmatch(value)
        if not m:
            return ["must end with '.' + a 7-digit ordinal"], None
        rest = m["prefix"]
    if archive_code:
        if not rest.startswith(archive_code + "."):
            return [f"does not start with the archive code {archive_code!r}"], None
        arch, rest = archive_code, rest[len(archive_code) + 1 :]
    else:
        arch, _, rest = rest.partition(".")
    if not arch or not _ARCHIVE_CODE.fullmatch(arch):
        problems.append(f"archive code {arch!r} is not one code group")
    candidates = [rest]
    if "." in rest and rest.rsplit(".", 1)[1].isdigit():
        candidates.append(rest.rsplit(".", 1)[0])  # a trailing Mục lục số
    for cand in candidates:
        res = identifiers.parse_file_code(cand, regime="2025", organ_ids=organ_ids)
        if res.ok:
            return problems, cand
    res = identifiers.parse_file_code(rest, regime="2025", organ_ids=organ_ids)
    problems.extend(res.problems or [f"{rest!r} is not a dossier code"])
    return problems, None


def _check_codes_hoso(ctx: _Ctx, rec: _Record, frame_name: str) -> str | None:
    """Grammar of the package code (fileCode / arcFileCode / loose fileCode); returns the dossier fileCode."""
    opts = ctx.opts
    v = rec.values
    if frame_name in ("SIP_hoso",) and v.get("fileCode"):
        res = identifiers.parse_file_code(v["fileCode"], regime="2025", organ_ids=opts.organ_ids)
        for w in res.warnings:
            if not w.startswith("[filecode.organ_split]"):  # QĐ 20 split without a directory: noise here
                ctx.add("ead.filecode", rec.file, rec.xp("fileCode"), severity="warning", **_msgs([w]))
        if _grammar_problems(res):
            ctx.add(
                "ead.filecode",
                rec.file,
                rec.xp("fileCode"),
                **_msgs(_grammar_problems(res)),
            )
            return None
        return v["fileCode"]
    if frame_name == "SIP_tailieu" and v.get("fileCode"):
        res = identifiers.parse_tt05_loose_file_code(v["fileCode"])
        if _grammar_problems(res):
            ctx.add(
                "ead.filecode",
                rec.file,
                rec.xp("fileCode"),
                **_msgs(_grammar_problems(res)),
            )
            return None
        return v["fileCode"]
    if frame_name.startswith("AIP") and v.get("arcFileCode"):
        if frame_name == "AIP_tailieu":
            archive = opts.archive_code or v["arcFileCode"].split(".", 1)[0]
            rest = v["arcFileCode"][len(archive) + 1 :] if v["arcFileCode"].startswith(archive + ".") else ""
            res = identifiers.parse_tt05_loose_file_code(rest) if opts.arc_code_grammar == "u10" else None
            if res is not None and not res.ok:
                ctx.add(
                    "ead.arcfilecode",
                    rec.file,
                    rec.xp("arcFileCode"),
                    **_msgs(res.problems),
                )
                return None
            return rest or None
        problems, code = check_arc_code(
            v["arcFileCode"],
            grammar=opts.arc_code_grammar,
            archive_code=opts.archive_code,
            organ_ids=opts.organ_ids,
        )
        if problems:
            ctx.add(
                "ead.arcfilecode",
                rec.file,
                rec.xp("arcFileCode"),
                **_msgs(problems),
            )
            return None
        return code
    return None


def _check_conditionals(
    ctx: _Ctx, rec: _Record, *, dossier_confidence: str | None, doc: bool, pclass: str
) -> None:
    v = rec.values
    if v.get("riskRecovery") == "1" and not v.get("riskRecoveryStatus"):
        ctx.add("ead.riskrecoverystatus.missing", rec.file, rec.xp("riskRecoveryStatus"))
    elif v.get("riskRecovery") == "0" and v.get("riskRecoveryStatus"):
        ctx.add("ead.riskrecoverystatus.unexpected", rec.file, rec.xp("riskRecoveryStatus"))
    if not doc:
        if v.get("confidenceLevel") == "02":
            if not v.get("paperFileCode"):
                ctx.add("ead.paperfilecode.missing", rec.file, rec.xp("paperFileCode"))
            if not v.get("numberOfPaper"):
                ctx.add("ead.numberofpaper.missing", rec.file, rec.xp("numberOfPaper"))
        pfc = v.get("paperFileCode")
        if pfc and (len(pfc.split(".")) < 3 or "" in pfc.split(".")):
            ctx.add("ead.paperfilecode", rec.file, rec.xp("paperFileCode"), en=repr(pfc), vi=repr(pfc))
        return
    level = v.get("confidenceLevel") or dossier_confidence
    if level in ("01", "03") and v.get("process") != "1":
        ctx.add(
            "ead.process.missing",
            rec.file,
            rec.xp("process"),
            en=f"confidenceLevel {level}, process {v.get('process')!r}",
            vi=f"confidenceLevel {level}, process {v.get('process')!r}",
        )


# ---------------------------------------------------------------------------------------------------
# The whole package
# ---------------------------------------------------------------------------------------------------


def _structure(ctx: _Ctx, pkg: PackageSource, pclass: str) -> set[str]:
    """Tree checks (§10.2/§10.3). Returns paths already reported (PREMIS in a SIP) to keep out of orphans."""
    reported: set[str] = set()
    for req in ("METS.xml", "metadata/descriptive/EAD.xml", f"{_REP}/METS.xml"):
        if not pkg.exists(req):
            ctx.add("pkg.structure.missing", req)
    data = [f for f in pkg.files if f.startswith(f"{_REP}/data/")]
    if not data:
        ctx.add("pkg.structure.missing", f"{_REP}/data/", en="no data file", vi="không có tệp dữ liệu")
    descr = [f for f in pkg.files if f.startswith(f"{_REP}/metadata/descriptive/")]
    if not descr:
        ctx.add(
            "pkg.structure.missing", f"{_REP}/metadata/descriptive/", en="no EAD_doc", vi="không có EAD_doc"
        )
    schemas = [f for f in pkg.files if f.startswith("schemas/") and "/" not in f[8:]]
    names = [s[8:] for s in schemas]
    for want, pat in (
        ("METS.xsd", re.compile(r"^mets.*\.xsd$", re.I)),
        ("EAD", re.compile(r"^ead.*\.xsd$", re.I)),
    ):
        exact = (
            "METS.xsd" in names
            if want == "METS.xsd"
            else any(n.startswith("EAD") and n.endswith(".xsd") for n in names)
        )
        if exact:
            continue
        loose = [n for n in names if pat.fullmatch(n)]
        if loose:
            ctx.add(
                "pkg.structure.schema_name.sample",
                f"schemas/{loose[0]}",
                en=f"expected {want}*.xsd",
                vi=f"phải là {want}*.xsd",
            )
        else:
            ctx.add("pkg.structure.missing", f"schemas/{want if want == 'METS.xsd' else 'EAD.xsd'}")
    premis = [f for f in pkg.files if "/preservation/" in f"/{f}" or _PREMIS_NAME.search(f)]
    if pclass == "SIP":
        for f in sorted(premis):
            ctx.add("pkg.premis.in_sip", f)
            reported.add(f)
    elif pclass == "AIP":
        for req in ("metadata/preservation/PREMIS.xml", f"{_REP}/metadata/preservation/PREMIS_rep1.xml"):
            if not pkg.exists(req):
                ctx.add("pkg.premis.missing", req)
    for d in sorted(pkg.dirs):
        top = d.split("/", 1)[0]
        if top not in _TOP_LEVEL or (d.startswith("representations/") and d.split("/")[1] != "rep1"):
            if "/" not in d or (d.count("/") == 1 and d.startswith("representations/")):
                ctx.add("pkg.structure.unexpected", d + "/")
    for f in sorted(pkg.non_nfc):
        ctx.add("pkg.name.nfc", f)
    return reported


def _check_names(ctx: _Ctx, pkg: PackageSource, objid: str | None, pclass: str) -> None:
    if objid is None:
        return
    if pkg.root_name is not None:
        want = objid.replace(":", "_") if pclass == "AIP" else objid
        alt = want.replace("_uuid-", "_uuid_")  # the TT05 PL I example writes urn_G09_uuid_… (§8.6)
        if _nfc(pkg.root_name) not in (want, alt):
            ctx.add(
                "pkg.folder_name",
                None,
                None,
                en=f"{pkg.root_name!r}, expected {want!r}",
                vi=f"{pkg.root_name!r}, phải là {want!r}",
            )
    elif pkg.is_zip:
        ctx.add("pkg.zip.layout", None)
    if pkg.is_zip and pclass == "SIP":
        name = pkg.name
        if re.fullmatch(rf"[0-9]+[._-]?{re.escape(objid)}\.zip", name):
            return
        if _ZIP_SAMPLE.fullmatch(name):
            ctx.add("pkg.zip.name.sample", None, en=name, vi=name)
        else:
            ctx.add(
                "pkg.zip.name",
                None,
                en=f"{name!r}, expected e.g. '1{objid}.zip'",
                vi=f"{name!r}, ví dụ '1{objid}.zip'",
            )


def _check_premis(ctx: _Ctx, pkg: PackageSource) -> None:
    p = "metadata/preservation/PREMIS.xml"
    if pkg.exists(p):
        root = _parse(ctx, pkg, p)
        if root is not None:
            wanted = tables.mets_constants()["premis_event_types"]
            events = [e for e in root.iter(f"{{{PREMIS_NS}}}event")]
            hits = [e for e in events if (e.findtext(f"{{{PREMIS_NS}}}eventType") or "").strip() in wanted]
            if not hits:
                ctx.add(
                    "pkg.premis.event",
                    p,
                    xpath_of(events[0]) if events else xpath_of(root),
                    en=f"expected eventType in {wanted}",
                    vi=f"eventType phải thuộc {wanted}",
                )
            else:
                roles = {
                    (r.text or "").strip() for e in hits for r in e.iter(f"{{{PREMIS_NS}}}linkingObjectRole")
                }
                if not {"source", "outcome"} <= roles:
                    ctx.add("pkg.premis.link", p, xpath_of(hits[0]))
    p = f"{_REP}/metadata/preservation/PREMIS_rep1.xml"
    if not pkg.exists(p):
        return
    root = _parse(ctx, pkg, p)
    if root is None:
        return
    q = f"{{{PREMIS_NS}}}"
    for obj in root.iter(f"{q}object"):
        for fix in obj.iter(f"{q}fixity"):
            alg = (fix.findtext(f"{q}messageDigestAlgorithm") or "").strip()
            dig = (fix.findtext(f"{q}messageDigest") or "").strip()
            if alg.upper().replace("-", "") != "SHA256":
                ctx.add(
                    "pkg.premis.fixity", p, xpath_of(fix), en=f"algorithm {alg!r}", vi=f"thuật toán {alg!r}"
                )
                continue
            loc = (
                obj.findtext(f".//{q}contentLocationValue") or obj.findtext(f"{q}originalName") or ""
            ).strip()
            target = None
            for base in (_REP, ""):
                t = _resolve(base, loc) if loc and not _SCHEME.match(loc) else None
                if t is not None and pkg.exists(t):
                    target = t
                    break
            if target is None:
                continue
            if dig.upper() != pkg.digest(target).sha256:
                ctx.add(
                    "pkg.premis.fixity",
                    p,
                    xpath_of(fix),
                    target=target,
                    en="digest differs from the file",
                    vi="giá trị băm khác tệp",
                )


def _validate(ctx: _Ctx, pkg: PackageSource) -> None:
    opts = ctx.opts
    root_mets = _read_mets(ctx, pkg, "METS.xml") if pkg.exists("METS.xml") else None
    pclass = _package_class(root_mets)
    reported = _structure(ctx, pkg, pclass)

    # package EAD first: the variant (hồ sơ / tài liệu rời lẻ) decides TYPE and the frames
    ead_rel = "metadata/descriptive/EAD.xml"
    ead_root_peek = None
    variant: str | None = None
    if pkg.exists(ead_rel):
        ead_root_peek = _parse(ctx, pkg, ead_rel)
        if ead_root_peek is not None:
            names = {local(c) for c in ead_root_peek if isinstance(c.tag, str)}
            variant = "tailieu" if "source" in names else "hoso"
    if variant is None and root_mets is not None:
        variant = "tailieu" if root_mets.root.get("TYPE") == "Collection" else "hoso"
    ctx.kind = "DIP" if pclass == "DIP" else f"{pclass}_{variant or 'hoso'}"
    if pclass == "DIP":
        ctx.add("pkg.dip.unsupported", None)

    objid = None
    if root_mets is not None:
        objid = _check_root_attrs(ctx, pkg, root_mets, pclass, variant)
        _check_amd(ctx, root_mets, pclass, "metadata/preservation/PREMIS.xml")
        for grp in root_mets.root.iter(root_mets.m("fileGrp")):
            use = grp.get("USE") or grp.get("USER")
            if use not in tables.mets_constants()["root_file_groups"]:
                ctx.add("mets.filegrp.use", root_mets.path, xpath_of(grp), en=repr(use), vi=repr(use))
        _check_refs(ctx, pkg, root_mets)
        _check_root_map(ctx, root_mets)
    _check_names(ctx, pkg, objid, pclass)

    rep_mets = _read_mets(ctx, pkg, f"{_REP}/METS.xml") if pkg.exists(f"{_REP}/METS.xml") else None
    links: list[_Link] = []
    if rep_mets is not None:
        _check_rep_attrs(ctx, rep_mets, pclass)
        _check_amd(ctx, rep_mets, pclass, f"{_REP}/metadata/preservation/PREMIS_rep1.xml")
        for grp in rep_mets.root.iter(rep_mets.m("fileGrp")):
            use = grp.get("USE") or grp.get("USER")
            if use not in tables.mets_constants()["rep_file_groups"]:
                ctx.add("mets.filegrp.use", rep_mets.path, xpath_of(grp), en=repr(use), vi=repr(use))
        _check_refs(ctx, pkg, rep_mets)
        links = _rep_links(ctx, rep_mets)

    # orphans: every file must be referenced by a METS (TR-022)
    referenced = {"METS.xml"}
    for m in (root_mets, rep_mets):
        if m is not None:
            referenced.update(r.target for r in m.refs if r.target)
    if root_mets is not None:
        targets = Counter(r.target for r in root_mets.refs + (rep_mets.refs if rep_mets else []) if r.target)
        for t, n in sorted(targets.items()):
            if n > 1:
                ctx.add("ref.duplicate", t, en=f"referenced {n} times", vi=f"được khai {n} lần")
    for f in sorted(pkg.files):
        if f in referenced or f in reported:
            continue
        # a METS that could not be read references nothing: do not bury its own finding under orphans
        if root_mets is None or (rep_mets is None and f.startswith(f"{_REP}/")):
            continue
        ctx.add("pkg.orphan", f)

    if pclass == "AIP":
        _check_premis(ctx, pkg)

    # EAD.xml and the EAD_doc files
    if pclass == "DIP" or ead_root_peek is None:
        ctx.stats["documents"] = 0
        return
    frame_name = f"{pclass}_{variant}"
    rec = _read_frame(ctx, pkg, ead_rel, frame_name)
    if rec is None:
        return
    file_code = _check_codes_hoso(ctx, rec, frame_name)
    v = rec.values
    if variant == "hoso":
        _check_conditionals(ctx, rec, dossier_confidence=None, doc=False, pclass=pclass)
        m = v.get("maintenance")
        if pclass == "SIP" and opts.require_permanent and m in tables.list_codes("maintenance") and m != "01":
            ctx.add(
                "ead.maintenance.permanent",
                rec.file,
                rec.xp("maintenance"),
                en=repr(v["maintenance"]),
                vi=repr(v["maintenance"]),
            )
        _date_order(ctx, rec)
    if root_mets is not None and file_code:
        hdr = root_mets.root.find(root_mets.m("metsHdr"))
        for alt in hdr.findall(root_mets.m("altRecordID")) if hdr is not None else []:
            if alt.get("TYPE") == "SUBMISSIONAGREEMENT" and (alt.text or "").strip() == file_code:
                ctx.add("mets.altrecordid.sample", root_mets.path, xpath_of(alt))
    _check_documents(ctx, pkg, rec, rep_mets, links, pclass, variant or "hoso", file_code, root_mets)


def _date_order(ctx: _Ctx, rec: _Record) -> None:
    a, b = rec.values.get("startDate"), rec.values.get("endDate")
    if not a or not b:
        return
    da, db = identifiers.parse_date(a, "dd/MM/yyyy"), identifiers.parse_date(b, "dd/MM/yyyy")
    if da.date and db.date and da.date > db.date:
        ctx.add("ead.date.order", rec.file, rec.xp("startDate"), en=f"{a} > {b}", vi=f"{a} > {b}")


def _doc_frame_name(pclass: str) -> str:
    return "AIP_doc" if pclass == "AIP" else "SIP_doc"


def _check_documents(
    ctx: _Ctx,
    pkg: PackageSource,
    dossier: _Record,
    rep_mets: _Mets | None,
    links: list[_Link],
    pclass: str,
    variant: str,
    file_code: str | None,
    root_mets: _Mets | None,
) -> None:
    opts = ctx.opts
    prefix = f"{_REP}/metadata/descriptive/"
    doc_files = sorted(f for f in pkg.files if f.startswith(prefix) and "/" not in f[len(prefix) :])
    frame_name = _doc_frame_name(pclass)
    records: list[_Record] = []
    counted = 0
    for rel in doc_files:
        name = rel[len(prefix) :]
        if name.startswith("EAD_doc_") and name.endswith(".xml"):
            pass
        elif name.upper().startswith("EAD_DOC_") and name.endswith(".xml"):
            ctx.add("ead.doc.filename.sample", rel)
        elif re.match(r"^EAD_(pic|media)_.+\.xml$", name, re.I):
            counted += 1  # photo / audio-video metadata: counted, frame not checked here (§4.6)
            continue
        else:
            ctx.add("ead.doc.filename", rel, en=name, vi=name)
            continue
        counted += 1
        rec = _read_frame(ctx, pkg, rel, frame_name)
        if rec is not None:
            records.append(rec)
    ctx.stats["documents"] = counted

    dossier_level = dossier.values.get("confidenceLevel")
    ids: dict[str, list[_Record]] = defaultdict(list)
    codes_: dict[str, list[_Record]] = defaultdict(list)
    ordinals: list[int] = []
    for rec in records:
        v = rec.values
        _check_conditionals(ctx, rec, dossier_confidence=dossier_level, doc=True, pclass=pclass)
        if pclass == "SIP":
            if v.get("docId"):
                res = identifiers.parse_tt05_doc_id(v["docId"], file_code=file_code)
                if _grammar_problems(res):
                    ctx.add(
                        "ead.docid",
                        rec.file,
                        rec.xp("docId"),
                        **_msgs(_grammar_problems(res)),
                    )
                ids[v["docId"]].append(rec)
            if v.get("docCode"):
                res = identifiers.parse_tt05_doc_code(v["docCode"], file_code=file_code)
                if _grammar_problems(res):
                    ctx.add(
                        "ead.doccode",
                        rec.file,
                        rec.xp("docCode"),
                        **_msgs(_grammar_problems(res)),
                    )
                elif res.ordinal:
                    ordinals.append(res.ordinal)
                codes_[v["docCode"]].append(rec)
        else:
            if v.get("arcDocCode"):
                problems, embedded = check_arc_code(
                    v["arcDocCode"],
                    grammar=opts.arc_code_grammar,
                    archive_code=opts.archive_code,
                    doc=True,
                    organ_ids=opts.organ_ids,
                )
                if not problems and file_code and embedded and embedded != file_code:
                    problems = [f"embedded dossier code {embedded!r} ≠ {file_code!r}"]
                if problems:
                    ctx.add("ead.arcfilecode", rec.file, rec.xp("arcDocCode"), **_msgs(problems))
            if (
                v.get("arcFileCode")
                and dossier.values.get("arcFileCode")
                and v["arcFileCode"] != dossier.values["arcFileCode"]
            ):
                ctx.add(
                    "ead.doc.arcfilecode",
                    rec.file,
                    rec.xp("arcFileCode"),
                    en=f"{v['arcFileCode']!r} ≠ {dossier.values['arcFileCode']!r}",
                    vi=v["arcFileCode"],
                )
            if v.get("docCode"):
                res = identifiers.parse_tt05_doc_code(v["docCode"], file_code=file_code)
                if _grammar_problems(res):
                    ctx.add(
                        "ead.doccode",
                        rec.file,
                        rec.xp("docCode"),
                        **_msgs(_grammar_problems(res)),
                    )
                else:
                    if res.ordinal:
                        ordinals.append(res.ordinal)
                    o = v.get("docOrdinal")
                    if o and _DIGITS.fullmatch(o) and res.ordinal is not None and int(o) != res.ordinal:
                        ctx.add(
                            "ead.doccode",
                            rec.file,
                            rec.xp("docOrdinal"),
                            en=f"docOrdinal {o} ≠ ordinal {res.ordinal} of docCode",
                            vi=f"docOrdinal {o}",
                        )
                codes_[v["docCode"]].append(rec)
    for table in (ids, codes_):
        for code, recs in sorted(table.items()):
            for rec in recs[1:]:
                ctx.add(
                    "ead.doc.duplicate",
                    rec.file,
                    rec.xp("docId" if table is ids else "docCode"),
                    en=f"{code!r} also in {recs[0].file}",
                    vi=f"{code!r} trùng {recs[0].file}",
                )
    if (
        ordinals
        and sorted(ordinals) != list(range(1, len(ordinals) + 1))
        and len(set(ordinals)) == len(ordinals)
    ):
        ctx.add(
            "ead.doc.ordinal",
            f"{_REP}/metadata/descriptive/",
            en=str(sorted(ordinals)),
            vi=str(sorted(ordinals)),
        )

    # totals (§4.1 [I])
    total = dossier.values.get("totalDoc")
    if total and _DIGITS.fullmatch(total) and int(total) != counted:
        status = None
        if root_mets is not None:
            hdr = root_mets.root.find(root_mets.m("metsHdr"))
            status = hdr.get("RECORDSTATUS") if hdr is not None else None
        ctx.add(
            "ead.totaldoc",
            dossier.file,
            dossier.xp("totalDoc"),
            en=f"totalDoc {total}, package has {counted}",
            vi=f"totalDoc {total}, gói có {counted}",
            severity=None if status in (None, "NEW") else "warning",
        )
    pages = [r.values.get("numberOfPage") for r in records]
    dossier_pages = dossier.values.get("numberOfPage")
    if (
        variant == "hoso"
        and dossier_pages
        and _DIGITS.fullmatch(dossier_pages)
        and records
        and all(p and _DIGITS.fullmatch(p) for p in pages)
    ):
        s = sum(int(p) for p in pages if p)
        if s != int(dossier_pages):
            ctx.add(
                "ead.numberofpage",
                dossier.file,
                dossier.xp("numberOfPage"),
                en=f"{dossier_pages} ≠ Σ {s}",
                vi=f"{dossier_pages} ≠ Σ {s}",
            )

    if rep_mets is None:
        return
    _check_links(ctx, pkg, rep_mets, links, records, pclass, variant)


def _check_links(
    ctx: _Ctx,
    pkg: PackageSource,
    mets: _Mets,
    links: list[_Link],
    records: list[_Record],
    pclass: str,
    variant: str,
) -> None:
    """MetadataLink ↔ EAD_doc ↔ data files (§10.6), workflow files (TR-028), holey files (§10.7)."""
    by_target = {r.file: r for r in records}
    dmd_doc: dict[str, str] = {}
    for dmd_id, sec in mets.dmd.items():
        for md in sec.iter(mets.m("mdRef")):
            t = _resolve(mets.base, (md.get(_HREF) or "").strip())
            if t is not None:
                dmd_doc[dmd_id] = t
    doc_links: dict[str, list[_Link]] = defaultdict(list)
    file_links: dict[str, list[_Link]] = defaultdict(list)
    for link in links:
        target = dmd_doc.get(link.dmdid or "")
        if link.dmdid is None or link.dmdid not in mets.dmd:
            if link.dmdid is None:
                ctx.add("smap.link.ead", mets.path, xpath_of(link.div), en="no @DMDID", vi="thiếu @DMDID")
        elif target is None or "/metadata/descriptive/" not in f"/{target}":
            ctx.add("smap.link.ead", mets.path, attr_xpath(link.div, "DMDID"), target=target)
        else:
            doc_links[target].append(link)
        for f in link.files:
            file_links[f].append(link)
    # every EAD_doc linked exactly once
    descr = sorted(r.file for r in records)
    for t in descr:
        n = len(doc_links.get(t, []))
        if n == 0:
            ctx.add("smap.dmd.unlinked", t)
        elif n > 1:
            ctx.add("smap.dmd.multiple", mets.path, xpath_of(doc_links[t][1].div), target=t)
    # every data file linked exactly once; holey files in the Holeyfile group and a Holey div
    groups = {r.target: r.group for r in mets.refs if r.kind == "file" and r.target}
    for f in sorted(x for x in pkg.files if x.startswith(f"{_REP}/data/")):
        lk = file_links.get(f, [])
        holey = f.lower().endswith(".fetch.txt")
        if f not in groups:
            continue  # orphan, reported already
        if not lk:
            ctx.add("smap.link.missing", f)
            continue
        if len(lk) > 1:
            ctx.add("smap.link.multiple", mets.path, xpath_of(lk[1].div), target=f)
        if holey:
            if variant == "tailieu":
                ctx.add("holey.tailieu", f)
            if groups.get(f) != "Holeyfile" or lk[0].label != "MetadataLink/Holey":
                ctx.add(
                    "holey.group",
                    f,
                    en=f"group {groups.get(f)!r}, div {lk[0].label!r}",
                    vi=f"nhóm {groups.get(f)!r}, div {lk[0].label!r}",
                )
            _check_fetch(ctx, pkg, f, lk[0], dmd_doc, by_target, pclass)
        elif groups.get(f) == "Holeyfile":
            ctx.add(
                "holey.group",
                f,
                en="not a .fetch.txt file in group Holeyfile",
                vi="không phải tệp .fetch.txt",
            )
    # workflow files of process = 1 documents (TR-028 [I]: a second file pointer in the document's div)
    for t, lks in doc_links.items():
        rec = by_target.get(t)
        if rec is None or rec.values.get("process") != "1" or lks[0].label != "MetadataLink/File":
            continue  # a document submitted earlier (holey) had its workflow file submitted with it
        if lks[0].pointers < 2:
            ctx.add(
                "ead.process.file",
                rec.file,
                rec.xp("process"),
                en="the MetadataLink div links one file",
                vi="div MetadataLink chỉ liên kết một tệp",
            )


def _check_fetch(
    ctx: _Ctx,
    pkg: PackageSource,
    f: str,
    link: _Link,
    dmd_doc: dict[str, str],
    by_target: dict[str, _Record],
    pclass: str,
) -> None:
    try:
        text = pkg.read_bytes(f, 64 * 1024).decode("utf-8-sig").strip()
    except (ValueError, UnicodeDecodeError):
        ctx.add("holey.content", f, en="not UTF-8 text ≤ 64 KiB", vi="không phải văn bản UTF-8 ≤ 64 KiB")
        return
    rec = by_target.get(dmd_doc.get(link.dmdid or "", ""))
    if pclass == "AIP":
        if len(text.split()) != 4:
            ctx.add("holey.content", f, en="expected 'urn_… {size} {path} {ID}'", vi="phải gồm 4 thành phần")
        return
    want = rec.values.get("docId") if rec is not None else None
    if not text or (want and _nfc(text) != want):
        ctx.add(
            "holey.content",
            f,
            target=rec.file if rec else None,
            en=f"{text[:60]!r} ≠ docId {want!r}",
            vi=f"{text[:60]!r} ≠ docId {want!r}",
        )


def validate_package(path: str | os.PathLike[str], options: Options | None = None, **kw: Any) -> Report:
    """Validate a TT05 package (folder or ZIP) and list every problem (``Report.findings``).

    Keyword arguments are ``Options`` fields (``arc_code_grammar``, ``archive_code``, ``organ_ids``,
    ``tt05_follow``, ``require_permanent``, ``limits``). Never raises for a bad package: unreadable or
    refused packages give ``status == "refused"``.
    """
    opts = options or Options(**kw)
    if options is not None and kw:
        raise TypeError("pass either options or keyword arguments")
    ctx = _Ctx(opts)
    stats: dict[str, int] = {}
    try:
        pkg = open_package(path, opts.limits)
    except PackageRefused as exc:
        ctx.add(exc.code, exc.file, en=exc.message, vi=exc.message_vi)
        return Report(str(path), None, "refused", tuple(ctx.findings), opts.as_dict(), stats)
    refused = False
    try:
        with pkg:
            try:
                _validate(ctx, pkg)
            except PackageRefused as exc:
                ctx.add(exc.code, exc.file, en=exc.message, vi=exc.message_vi)
                refused = True
            stats = {"files": len(pkg.files), "bytes_hashed": pkg.bytes_hashed, **ctx.stats}
    except OSError as exc:
        ctx.add("read.corrupt", None, en=str(exc), vi=str(exc))
        refused = True
    status = (
        "refused" if refused else ("invalid" if any(f.severity == "error" for f in ctx.findings) else "valid")
    )
    return Report(str(path), ctx.kind, status, tuple(ctx.findings), opts.as_dict(), stats)
