"""Identifier grammars of the QLVBĐH domain, with parse/validate functions.

Why: every judge that checks a code a system produced (mã định danh cơ quan, số và ký hiệu văn
bản, mã định danh văn bản, số và ký hiệu hồ sơ, mã hồ sơ, TT 05/2025 package codes, the time on a
signature appearance) must read the rule the same way. Each function returns a small frozen result:
``ok`` (no problems), ``problems`` (hard findings), ``warnings`` (advisory: S/I-marked details and
tolerated deviations), and the parsed parts. Messages are Vietnamese with an English gloss and start
with a stable code, e.g. ``[skh.padding]``.

Sources: ``edxml.md`` §11 (G-102, G-QD20, DocumentId, G-SKH, §11.6 time) and
``metadata-and-packages.md`` §8 (FileNotation, FileCode, TT05 codes). Evidence marks: R (legal
text), S (secondary or implementation), I (inference). Regexes are I unless marked otherwise; a
rule that is only I never fails on its own where the domain docs say so (then it is a warning).

All inputs are NFC-normalised first (a decomposed input is a warning). Digits are ASCII ``[0-9]``
on purpose: Python's ``\\d`` also matches other scripts' digits, which NĐ 30 does not allow.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ._common import Findings, Result, nfc, prepare
from .codes import check_maintenance, type_abbreviations

__all__ = [
    "CODE_NOTATION",
    "CODE_NUMBER",
    "DOCUMENT_ID",
    "DOCUMENT_ID_FORMS",
    "DOC_CODE_Q395",
    "FILE_CODE_102",
    "FILE_NOTATION",
    "G102",
    "G102_STRICT",
    "GQD20",
    "GQD20_STRICT",
    "GRAMMARS",
    "OBJID_AIP",
    "OBJID_SIP",
    "ORGAN_FORMS",
    "SIG_TIME_ISO",
    "SIG_TIME_VN",
    "SO_KY_HIEU",
    "TT05_DOC_CODE",
    "TT05_DOC_ID",
    "TT05_LOOSE_FILE_CODE",
    "UUID_ANY",
    "CodeNotationResult",
    "CodeNumberResult",
    "DateResult",
    "DocCodeQ395Result",
    "DocumentIdResult",
    "FileCodeResult",
    "FileNotationResult",
    "OrganIdResult",
    "SignatureTimeResult",
    "SoKyHieuResult",
    "Tt05CodeResult",
    "check_code_notation",
    "check_code_number",
    "check_grammar",
    "check_signature_time",
    "classify_organ_id",
    "mixed_case_abbreviations",
    "parse_date",
    "parse_doc_code_q395",
    "parse_document_id",
    "parse_file_code",
    "parse_file_notation",
    "parse_mets_objid",
    "parse_organ_id",
    "parse_so_ky_hieu",
    "parse_tt05_doc_code",
    "parse_tt05_doc_id",
    "parse_tt05_loose_file_code",
]

# ---------------------------------------------------------------------------------------------------
# Mã định danh cơ quan (agency identifier) — two coexisting forms, both accepted (OQ-10)
# ---------------------------------------------------------------------------------------------------

#: the agency-identifier forms, in classification order (profile parameter ``agency_id_accept``, OQ-10)
ORGAN_FORMS: tuple[str, ...] = ("qcvn102", "qd20")

# edxml.md §11.1 G-102, QCVN 102:2016: 13 chars, level 1 right-most [R: S6, S7, NĐ 30 length 13; regex I]
G102 = re.compile(r"^(?P<l4>[0-9]{3})\.(?P<l3>[0-9]{2})\.(?P<l2>[0-9]{2})\.(?P<l1>[A-Z][0-9]{2})$")
# edxml.md §11.1 G-102 strict variant: level-1 letters A–K only (§11.3 letter table) [I]
G102_STRICT = re.compile(r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-K][0-9]{2}$")
# edxml.md §11.2 G-QD20 permissive: ≤35 chars of [0-9A-Z.], dot groups (QĐ 20/2020 Điều 4.1) [R: S8; regex I]
GQD20 = re.compile(r"^(?=.{1,35}$)[A-Z0-9]+(?:\.[A-Z0-9]+)*$")
# edxml.md §11.2 G-QD20 strict variant, from the U12 examples G09, G09.01, H49.64.33 [I]
GQD20_STRICT = re.compile(r"^[A-K][0-9]{2}(?:\.[0-9]{2,3})*$")
# edxml.md §11.2/§11.3 level-1 group = letter + 2 digits, and in QĐ 20 it is the LEFT-most group [S]
_LEVEL1 = re.compile(r"^[A-Z][0-9]{2}$")
# edxml.md §11.2 allowed characters of G-QD20 [R: S8]
_QD20_CHARS = re.compile(r"^[A-Z0-9.]*$")
_ORGAN_MAX = 35  # QĐ 20/2020 Điều 4.1 via SĐ1:2022 [R, S8]


@dataclass(frozen=True, kw_only=True)
class OrganIdResult(Result):
    """Parsed agency identifier: ``form`` is ``"qcvn102"``, ``"qd20"`` or None when unparsable.

    ``levels`` lists the groups from level 1 downwards (QCVN 102 is written right-to-left,
    QĐ 20 left-to-right); ``groups`` keeps the written order.
    """

    form: str | None = None
    groups: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    @property
    def level1(self) -> str | None:
        """The level-1 code (``H49``, ``G09``) or None."""
        return self.levels[0] if self.levels else None


def _organ_form(text: str) -> str | None:
    """G-102 first: a 13-character QCVN 102 code also fits the permissive G-QD20 grammar."""
    if G102.fullmatch(text):
        return "qcvn102"
    if GQD20.fullmatch(text):
        return "qd20"
    return None


def parse_organ_id(
    value: object, *, accept: Iterable[str] = ORGAN_FORMS, strict: bool = False
) -> OrganIdResult:
    """Parse a mã định danh cơ quan in either form (OQ-10 default: accept both).

    Hard checks: G-102, or the permissive G-QD20 regex. The strict variants (letters A–K, QĐ 20
    groups of 2–3 digits, level-1 group left-most) give warnings, or problems when ``strict``.
    """
    f = Findings()
    accepted = tuple(accept)
    text = prepare(value, f, "Mã định danh cơ quan")
    if text is None:
        return OrganIdResult(value=repr(value), **f.frozen())
    form = _organ_form(text)
    strict_issue = f.problem if strict else f.warn
    groups: tuple[str, ...] = tuple(text.split("."))
    levels: tuple[str, ...] = ()
    if form is None:
        _explain_organ(text, f)
        groups = ()
    elif form not in accepted:
        f.problem(
            "organ.form",
            f"Mã định danh dạng {form} không được chấp nhận theo hồ sơ tiêu chí ({accepted})",
            f"identifier form {form} is not accepted by the profile",
        )
    if form == "qcvn102":
        levels = tuple(reversed(groups))
        if not G102_STRICT.fullmatch(text):
            strict_issue(
                "organ.102.letter",
                f"Chữ cái cấp 1 {levels[0][0]!r} ngoài nhóm A–K",
                "level-1 letter outside A–K (§11.3)",
            )
    elif form == "qd20":
        levels = groups
        if not _LEVEL1.fullmatch(groups[0]):
            strict_issue(
                "organ.qd20.level1",
                f"Nhóm đầu tiên {groups[0]!r} không phải mã cấp 1 (chữ cái + 2 chữ số)",
                "QĐ 20 codes start with the level-1 group (letter + 2 digits) [S]",
            )
            if len(groups) > 1 and _LEVEL1.fullmatch(groups[-1]) and all(g.isdigit() for g in groups[:-1]):
                strict_issue(
                    "organ.qd20.looks_102",
                    "Có vẻ là mã QCVN 102 sai độ dài nhóm (000.00.00.H41)",
                    "looks like a QCVN 102 code with wrong group widths",
                )
        if not GQD20_STRICT.fullmatch(text):
            strict_issue(
                "organ.qd20.strict",
                "Không khớp dạng chặt của QĐ 20 (H49, H49.64.33)",
                "does not fit the strict QĐ 20 variant [I]",
            )
    return OrganIdResult(
        value=text, form=form if form in accepted else None, groups=groups, levels=levels, **f.frozen()
    )


def _explain_organ(text: str, f: Findings) -> None:
    """Say why a string fits neither agency grammar."""
    if not text:
        f.problem("organ.empty", "Mã định danh cơ quan trống", "agency identifier is empty")
    elif len(text) > _ORGAN_MAX:
        f.problem(
            "organ.length",
            f"Dài {len(text)} ký tự, tối đa {_ORGAN_MAX}",
            f"longer than {_ORGAN_MAX} characters (QĐ 20/2020)",
        )
    elif any(c.islower() for c in text):
        f.problem("organ.case", "Mã định danh chỉ dùng chữ in hoa", "letters must be upper case")
    elif not _QD20_CHARS.fullmatch(text):
        f.problem("organ.chars", "Chỉ dùng chữ số, chữ in hoa A–Z và dấu chấm", "only [0-9A-Z.] allowed")
    else:
        f.problem("organ.dots", "Dấu chấm đặt sai (đầu, cuối hoặc liền nhau)", "misplaced dot separator")


def classify_organ_id(value: object, *, strict: bool = False) -> str | None:
    """``"qcvn102"`` | ``"qd20"`` | None — which agency grammar ``value`` fits (both accepted, OQ-10)."""
    res = parse_organ_id(value, strict=strict)
    return res.form if res.ok else None


# ---------------------------------------------------------------------------------------------------
# Số, ký hiệu văn bản — G-SKH (NĐ 30 PL I Phần I II.3)
# ---------------------------------------------------------------------------------------------------

# edxml.md §11.5 G-SKH "<số>/<ký hiệu>" (NĐ 30 PL I Phần I II.3) [R rule; regex I]
SO_KY_HIEU = re.compile(
    r"^(?P<so>0[1-9]|[1-9][0-9]+)/(?P<kyhieu>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*)$"
)
# edxml.md §11.5 số: Arabic digits, zero-padded below 10 ("05") [R rule; regex I]
CODE_NUMBER = re.compile(r"^(?:0[1-9]|[1-9][0-9]+)$")
# edxml.md §11.5 ký hiệu: abbreviation groups joined by "-", no spaces [R rule; regex I]
CODE_NOTATION = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*$")
# edxml.md §11.5 one group of the ký hiệu [I]
_KH_GROUP = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*$")
_CODE_NUMBER_MAX = 11  # NĐ 30 PL VI CodeNumber String(11) [R]
_CODE_NOTATION_MAX = 30  # NĐ 30 PL VI CodeNotation String(30) [R]


@dataclass(frozen=True, kw_only=True)
class CodeNumberResult(Result):
    """Parsed số văn bản (CodeNumber)."""

    number: int | None = None


@dataclass(frozen=True, kw_only=True)
class CodeNotationResult(Result):
    """Parsed ký hiệu văn bản (CodeNotation); ``type_abbreviation`` when the first group is a PL III one."""

    groups: tuple[str, ...] = ()
    type_abbreviation: str | None = None
    type_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class SoKyHieuResult(Result):
    """Parsed "số, ký hiệu" (``05/QĐ-UBND``): CodeNumber and CodeNotation parts."""

    code_number: str | None = None
    code_notation: str | None = None
    number: int | None = None
    groups: tuple[str, ...] = ()
    type_abbreviation: str | None = None
    type_name: str | None = None


@functools.cache
def mixed_case_abbreviations() -> frozenset[str]:
    """PL III abbreviations written in mixed case (QyĐ, CTr, TTr, TrS): the only lower-case allowed [R]."""
    return frozenset(a for a in type_abbreviations() if a != a.upper())


def check_code_number(value: object) -> CodeNumberResult:
    """Số văn bản: Arabic digits, at least two ("05"), no leading zero above 9, ≤11 characters."""
    f = Findings()
    text = prepare(value, f, "Số văn bản")
    if text is None:
        return CodeNumberResult(value=repr(value), **f.frozen())
    number = None
    if not text:
        f.problem("so.empty", "Thiếu số văn bản", "number is empty")
    elif not all(c in "0123456789" for c in text):
        f.problem(
            "so.digits",
            f"Số văn bản phải viết bằng chữ số Ả Rập 0–9, nhận {text!r}",
            "number must use Arabic digits 0-9 only",
        )
    else:
        number = int(text)
        if number == 0:
            f.problem("so.zero", "Số văn bản bắt đầu từ 01", "numbering starts at 01")
        elif len(text) == 1:
            f.problem(
                "so.padding",
                f"Số nhỏ hơn 10 phải thêm số 0 ở trước ({number:02d})",
                "a number below 10 must be zero-padded to two digits",
            )
        elif text[0] == "0" and len(text) > 2:
            f.problem(
                "so.leading_zero",
                f"Thừa số 0 ở đầu ({number:02d})",
                "only numbers below 10 take a leading zero",
            )
    if len(text) > _CODE_NUMBER_MAX:
        f.problem(
            "so.length",
            f"Số văn bản dài {len(text)} ký tự, tối đa {_CODE_NUMBER_MAX}",
            f"CodeNumber longer than {_CODE_NUMBER_MAX} characters (NĐ 30 PL VI)",
        )
    res = f.frozen()
    if res["ok"] and not CODE_NUMBER.fullmatch(text):
        f.problem("so.grammar", "Số văn bản sai cú pháp", "number does not fit G-SKH")
        res = f.frozen()
    return CodeNumberResult(value=text, number=number if res["ok"] else None, **res)


def check_code_notation(value: object) -> CodeNotationResult:
    """Ký hiệu văn bản: groups of A–Z/Đ/digits joined by "-", upper case except QyĐ, CTr, TTr, TrS; ≤30."""
    f = Findings()
    text = prepare(value, f, "Ký hiệu văn bản")
    if text is None:
        return CodeNotationResult(value=repr(value), **f.frozen())
    groups = tuple(text.split("-")) if text else ()
    if not text:
        f.problem("kh.empty", "Thiếu ký hiệu văn bản", "notation is empty")
    elif any(c.isspace() for c in text):
        f.problem("kh.space", "Ký hiệu không được chứa khoảng trắng", "no spaces allowed in the notation")
    if "" in groups:
        f.problem(
            "kh.hyphen",
            "Dấu gạch nối đặt sai (đầu, cuối hoặc liền nhau)",
            "misplaced hyphen between abbreviation groups",
        )
    flags: set[str] = set()
    for g in groups:
        if not g or any(c.isspace() for c in g):
            continue
        if not _KH_GROUP.fullmatch(g):
            flags.add("kh.case" if _KH_GROUP.fullmatch(g.upper()) else "kh.chars")
        elif g != g.upper() and g not in mixed_case_abbreviations():
            flags.add("kh.case")
    if "kh.case" in flags:
        f.problem(
            "kh.case",
            "Ký hiệu viết chữ in hoa, trừ chữ viết tắt QyĐ, CTr, TTr, TrS",
            "notation is upper case except the PL III abbreviations QyĐ, CTr, TTr, TrS",
        )
    if "kh.chars" in flags:
        f.problem(
            "kh.chars",
            "Mỗi nhóm ký hiệu bắt đầu bằng chữ cái và chỉ gồm chữ cái A–Z, Đ, chữ số",
            "each group starts with a letter and uses only A-Z, Đ and digits",
        )
    if len(text) > _CODE_NOTATION_MAX:
        f.problem(
            "kh.length",
            f"Ký hiệu dài {len(text)} ký tự, tối đa {_CODE_NOTATION_MAX}",
            f"CodeNotation longer than {_CODE_NOTATION_MAX} characters (NĐ 30 PL VI)",
        )
    if not f.problems and not CODE_NOTATION.fullmatch(text):
        f.problem("kh.grammar", "Ký hiệu sai cú pháp", "notation does not fit G-SKH")
    if not f.problems and len(groups) == 1:
        f.warn(
            "kh.single_group",
            "Ký hiệu thường gồm ít nhất hai nhóm (QĐ-BNV, UBND-VX)",
            "a notation usually has two or more groups [I]",
        )
    abbr = groups[0] if groups and groups[0] in type_abbreviations() else None
    return CodeNotationResult(
        value=text,
        groups=groups,
        type_abbreviation=abbr,
        type_name=type_abbreviations().get(abbr) if abbr else None,
        **f.frozen(),
    )


def parse_so_ky_hieu(value: object) -> SoKyHieuResult:
    """Parse "số, ký hiệu" (``05/QĐ-UBND``): "/" between số and ký hiệu, G-SKH on both parts."""
    f = Findings()
    text = prepare(value, f, "Số, ký hiệu văn bản")
    if text is None:
        return SoKyHieuResult(value=repr(value), **f.frozen())
    if "/" not in text:
        f.problem(
            "skh.separator",
            'Thiếu dấu "/" giữa số và ký hiệu (05/QĐ-UBND)',
            "missing '/' between number and notation",
        )
        return SoKyHieuResult(value=text, **f.frozen())
    so, kh = text.split("/", 1)
    n, k = check_code_number(so), check_code_notation(kh)
    f.merge(n)
    f.merge(k)
    if not f.problems and not SO_KY_HIEU.fullmatch(text):
        f.problem("skh.grammar", "Số, ký hiệu sai cú pháp", "does not fit G-SKH")
    return SoKyHieuResult(
        value=text,
        code_number=so,
        code_notation=kh,
        number=n.number,
        groups=k.groups,
        type_abbreviation=k.type_abbreviation,
        type_name=k.type_name,
        **f.frozen(),
    )


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------

# edxml.md §12 / OQ-24 date layouts: yyyy/MM/dd edXML [S], dd/MM/yyyy TT05 EAD and Bkav [S], ISO 8601 [I]
_DATE_LAYOUTS: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        "yyyy/MM/dd": re.compile(r"^(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/(?P<d>[0-9]{2})$"),
        "dd/MM/yyyy": re.compile(r"^(?P<d>[0-9]{2})/(?P<m>[0-9]{2})/(?P<y>[0-9]{4})$"),
        "yyyy-MM-dd": re.compile(r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})$"),
    }
)


@dataclass(frozen=True, kw_only=True)
class DateResult(Result):
    """Parsed calendar date; ``layout`` is the layout that matched."""

    date: dt.date | None = None
    layout: str | None = None


def parse_date(value: object, layout: str | Sequence[str] = "yyyy/MM/dd") -> DateResult:
    """Parse a date in one layout, or in several (the first is preferred, others warn — OQ-24).

    The date must exist: ``2014/02/30`` (an SDK sample defect) is rejected.
    """
    f = Findings()
    layouts = (layout,) if isinstance(layout, str) else tuple(layout)
    unknown = [x for x in layouts if x not in _DATE_LAYOUTS]
    if unknown:
        raise ValueError(f"unknown date layout(s) {unknown}; known: {list(_DATE_LAYOUTS)}")
    text = prepare(value, f, "Ngày")
    if text is None:
        return DateResult(value=repr(value), **f.frozen())
    for i, name in enumerate(layouts):
        m = _DATE_LAYOUTS[name].fullmatch(text)
        if not m:
            continue
        if i:
            f.warn(
                "date.layout",
                f"Ngày theo dạng {name}, nên dùng {layouts[0]}",
                f"date in layout {name}; {layouts[0]} preferred (OQ-24)",
            )
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            f.problem("date.invalid", f"Ngày {text!r} không có thật", "no such calendar date")
            return DateResult(value=text, layout=name, **f.frozen())
        return DateResult(value=text, date=day, layout=name, **f.frozen())
    f.problem(
        "date.format",
        f"Ngày {text!r} không theo dạng {' hoặc '.join(layouts)}",
        f"date not in layout {' or '.join(layouts)}",
    )
    return DateResult(value=text, **f.frozen())


# ---------------------------------------------------------------------------------------------------
# Mã định danh văn bản (DocumentId) and the provisional QĐ 395 DocCode
# ---------------------------------------------------------------------------------------------------

#: DocumentId forms accepted on receipt (profile parameter ``document_id_accept``, OQ-11)
DOCUMENT_ID_FORMS: tuple[str, ...] = ("business_key", "uuid")

# edxml.md §11.4 DocumentId business key "OrganId,yyyy/MM/dd,Số/Ký hiệu" [S: S19, S23, U2; regex I]
DOCUMENT_ID = re.compile(
    r"^(?P<organ>[^,]+),(?P<date>[0-9]{4}/[0-9]{2}/[0-9]{2}),(?P<so>[0-9]+)/(?P<kyhieu>[^,]+)$"
)
# edxml.md §11.4 bare UUID DocumentId in VXP-delivered packages [S]
UUID_ANY = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
# metadata-and-packages.md §8.4 provisional QĐ 395 DocCode "OrganId.yyyy.Số/Ký hiệu" ("." per OQ-11) [I]
DOC_CODE_Q395 = re.compile(r"^(?P<organ>.+)\.(?P<year>[0-9]{4})\.(?P<skh>[^./]+/[^./]+)$")


@dataclass(frozen=True, kw_only=True)
class DocumentIdResult(Result):
    """Parsed DocumentId: ``form`` is ``"business_key"`` or ``"uuid"``."""

    form: str | None = None
    organ_id: str | None = None
    organ_form: str | None = None
    issued_date: dt.date | None = None
    code_number: str | None = None
    code_notation: str | None = None
    uuid: str | None = None


def parse_document_id(
    value: object,
    *,
    accept: Iterable[str] = DOCUMENT_ID_FORMS,
    organ_accept: Iterable[str] = ORGAN_FORMS,
    strict_organ: bool = False,
) -> DocumentIdResult:
    """Parse a mã định danh văn bản: the business key (organ, real date, G-SKH) or a bare UUID (OQ-11)."""
    f = Findings()
    accepted = tuple(accept)
    text = prepare(value, f, "Mã định danh văn bản")
    if text is None:
        return DocumentIdResult(value=repr(value), **f.frozen())
    if UUID_ANY.fullmatch(text):
        if "uuid" not in accepted:
            f.problem("docid.form", "Mã định danh dạng UUID không được chấp nhận", "UUID form not accepted")
        return DocumentIdResult(value=text, form="uuid", uuid=text.lower(), **f.frozen())
    parts = text.split(",")
    if len(parts) != 3:
        f.problem(
            "docid.shape",
            'Mã định danh văn bản phải có dạng "Mã cơ quan,yyyy/MM/dd,Số/Ký hiệu" hoặc UUID',
            "expected 'OrganId,yyyy/MM/dd,Number/Notation' or a UUID",
        )
        return DocumentIdResult(value=text, **f.frozen())
    if "business_key" not in accepted:
        f.problem(
            "docid.form",
            "Mã định danh dạng khóa nghiệp vụ không được chấp nhận",
            "business-key form not accepted",
        )
    organ = parse_organ_id(parts[0], accept=organ_accept, strict=strict_organ)
    day = parse_date(parts[1], "yyyy/MM/dd")
    skh = parse_so_ky_hieu(parts[2])
    for sub in (organ, day, skh):
        f.merge(sub)
    if not f.problems and not DOCUMENT_ID.fullmatch(text):
        f.problem("docid.grammar", "Mã định danh văn bản sai cú pháp", "does not fit the DocumentId grammar")
    return DocumentIdResult(
        value=text,
        form="business_key",
        organ_id=parts[0],
        organ_form=organ.form,
        issued_date=day.date,
        code_number=skh.code_number,
        code_notation=skh.code_notation,
        **f.frozen(),
    )


@dataclass(frozen=True, kw_only=True)
class DocCodeQ395Result(Result):
    """Parsed provisional QĐ 395 document code (organ + year + số/ký hiệu)."""

    organ_id: str | None = None
    year: int | None = None
    code_number: str | None = None
    code_notation: str | None = None


def parse_doc_code_q395(
    value: object, *, organ_accept: Iterable[str] = ORGAN_FORMS, strict_organ: bool = False
) -> DocCodeQ395Result:
    """Parse ``000.00.00.H49.2025.125/QĐ-UBND`` (separator "." assumed, OQ-11; profile ``q395_dot``) [I]."""
    f = Findings()
    text = prepare(value, f, "Mã định danh văn bản (QĐ 395)")
    if text is None:
        return DocCodeQ395Result(value=repr(value), **f.frozen())
    m = DOC_CODE_Q395.fullmatch(text)
    if not m:
        f.problem(
            "q395.shape",
            'Phải có dạng "Mã cơ quan.yyyy.Số/Ký hiệu"',
            "expected 'OrganId.yyyy.Number/Notation'",
        )
        return DocCodeQ395Result(value=text, **f.frozen())
    organ = parse_organ_id(m["organ"], accept=organ_accept, strict=strict_organ)
    skh = parse_so_ky_hieu(m["skh"])
    f.merge(organ)
    f.merge(skh)
    return DocCodeQ395Result(
        value=text,
        organ_id=m["organ"],
        year=int(m["year"]),
        code_number=skh.code_number,
        code_notation=skh.code_notation,
        **f.frozen(),
    )


# ---------------------------------------------------------------------------------------------------
# Số và ký hiệu hồ sơ (FileNotation) and Mã hồ sơ (FileCode)
# ---------------------------------------------------------------------------------------------------

# metadata-and-packages.md §8.1 FileNotation "<số thứ tự from 01>.<ký hiệu đề mục lớn>"
# (NĐ 30 PL V I.2) [R rule; regex I]
FILE_NOTATION = re.compile(r"^(?P<ordinal>[0-9]{2,})\.(?P<heading>[A-ZĐ][A-ZĐ0-9\-]*)$")
# metadata-and-packages.md §8.1 allowed characters of the đề mục abbreviation [I]
_HEADING_CHARS = re.compile(r"^[A-ZĐ0-9\-]*$")
_FILE_NOTATION_MAX = 20  # NĐ 30 PL VI FileNotation String(20) [R]


@dataclass(frozen=True, kw_only=True)
class FileNotationResult(Result):
    """Parsed số và ký hiệu hồ sơ (``01.TCCB``)."""

    ordinal: int | None = None
    heading: str | None = None


def parse_file_notation(value: object) -> FileNotationResult:
    """Số và ký hiệu hồ sơ: zero-padded ordinal from 01, ".", upper-case đề mục abbreviation; ≤20."""
    f = Findings()
    text = prepare(value, f, "Số và ký hiệu hồ sơ")
    if text is None:
        return FileNotationResult(value=repr(value), **f.frozen())
    ordinal, heading = None, None
    if not text:
        f.problem("hs.empty", "Thiếu số và ký hiệu hồ sơ", "file notation is empty")
    elif "." not in text:
        f.problem(
            "hs.separator",
            'Thiếu dấu "." giữa số thứ tự và ký hiệu (01.TCCB)',
            "missing '.' between ordinal and heading abbreviation",
        )
    else:
        num, heading = text.split(".", 1)
        if not num or not all(c in "0123456789" for c in num):
            f.problem("hs.ordinal", f"Số thứ tự hồ sơ phải là chữ số, nhận {num!r}", "ordinal must be digits")
        else:
            ordinal = int(num)
            if ordinal == 0:
                f.problem("hs.zero", "Số thứ tự hồ sơ bắt đầu từ 01", "ordinal starts at 01")
            elif len(num) == 1:
                f.problem(
                    "hs.padding",
                    f"Số thứ tự nhỏ hơn 10 phải thêm số 0 ở trước ({ordinal:02d})",
                    "ordinal below 10 must be zero-padded",
                )
        if not heading:
            f.problem("hs.heading", "Thiếu ký hiệu đề mục", "heading abbreviation missing")
        elif any(c.islower() for c in heading):
            f.problem("hs.case", "Ký hiệu đề mục viết chữ in hoa", "heading abbreviation must be upper case")
        elif not _HEADING_CHARS.fullmatch(heading):
            f.problem(
                "hs.chars",
                'Ký hiệu đề mục chỉ gồm chữ in hoa A–Z, Đ, chữ số và "-"',
                "heading uses only A-Z, Đ, digits and '-'",
            )
        elif not heading[0].isalpha():
            f.problem("hs.heading", "Ký hiệu đề mục bắt đầu bằng chữ cái", "heading starts with a letter")
    if len(text) > _FILE_NOTATION_MAX:
        f.problem(
            "hs.length",
            f"Dài {len(text)} ký tự, tối đa {_FILE_NOTATION_MAX}",
            f"FileNotation longer than {_FILE_NOTATION_MAX} characters (NĐ 30 PL VI)",
        )
    if not f.problems and not FILE_NOTATION.fullmatch(text):
        f.problem("hs.grammar", "Số và ký hiệu hồ sơ sai cú pháp", "does not fit the FileNotation grammar")
    ok = not f.problems
    return FileNotationResult(
        value=text, ordinal=ordinal if ok else None, heading=heading if ok else None, **f.frozen()
    )


# metadata-and-packages.md §8.3 FileCode with a QCVN 102 organ "OrganId.yyyy.FileNotation"
# [R composition (NĐ 30 PL VI Phần II.III #1); regex I]
FILE_CODE_102 = re.compile(
    r"^(?P<organ>[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})\.(?P<year>[0-9]{4})\.(?P<notation>.+)$"
)
# metadata-and-packages.md §8.3 QĐ 20 organ split without a directory: strict groups of 2–3 digits cannot
# hold the 4-digit year, so the first 4-digit group is the year [I]
_FILE_CODE_QD20_SPLIT = re.compile(
    r"^(?P<organ>[A-Z][0-9]{2}(?:\.[0-9]{2,3})*)\.(?P<year>[0-9]{4})\.(?P<notation>.+)$"
)
# metadata-and-packages.md §8.3 the rest after a known organ prefix: ".yyyy.notation" [I]
_YEAR_NOTATION = re.compile(r"^(?P<year>[0-9]{4})\.(?P<notation>.+)$")
# metadata-and-packages.md §8.3 TT05 official sample notation without đề mục suffix ("…2001.160") [S]
_BARE_NOTATION = re.compile(r"^[0-9]+$")
_FILE_CODE_TT05_MAX = 100  # TT05 fileCode String(100) [S, §4.1]


@dataclass(frozen=True, kw_only=True)
class FileCodeResult(Result):
    """Parsed mã hồ sơ: organ id, year of formation (FileCatalog) and FileNotation."""

    organ_id: str | None = None
    organ_form: str | None = None
    year: int | None = None
    file_notation: str | None = None


def parse_file_code(
    value: object,
    *,
    organ_ids: Iterable[str] | None = None,
    regime: str = "2020",
    organ_accept: Iterable[str] = ORGAN_FORMS,
    strict_organ: bool = False,
) -> FileCodeResult:
    """Parse a mã hồ sơ = OrganId + "." + năm hình thành + "." + FileNotation (NĐ 30 PL VI; OQ-11 ".").

    A QĐ 20 organ code is itself dotted, so pass ``organ_ids`` (the agency directory): the longest
    known prefix wins. Without it a QCVN 102 prefix is unambiguous and a QĐ 20 prefix is split by
    the strict group widths, with a warning. Under ``regime="2025"`` (TT05 fileCode, ≤100) a bare
    numeric notation as in the official TT05 sample (``H49.64.33.2001.160``) is a warning; under
    ``"2020"`` it breaks NĐ 30 PL V I.2 and is a problem.
    """
    f = Findings()
    text = prepare(value, f, "Mã hồ sơ")
    if text is None:
        return FileCodeResult(value=repr(value), **f.frozen())
    organ = year = notation = None
    if organ_ids is not None:
        for oid in sorted({nfc(o) for o in organ_ids}, key=len, reverse=True):
            if text.startswith(oid + ".") and (m := _YEAR_NOTATION.fullmatch(text[len(oid) + 1 :])):
                organ, year, notation = oid, m["year"], m["notation"]
                break
        else:
            f.problem(
                "filecode.organ_unknown",
                "Mã hồ sơ không bắt đầu bằng mã cơ quan đã biết, theo sau là năm",
                "no known agency code followed by a year at the start",
            )
    elif m := FILE_CODE_102.fullmatch(text):
        organ, year, notation = m["organ"], m["year"], m["notation"]
    elif m := _FILE_CODE_QD20_SPLIT.fullmatch(text):
        organ, year, notation = m["organ"], m["year"], m["notation"]
        f.warn(
            "filecode.organ_split",
            f"Tách mã cơ quan {organ!r} theo độ dài nhóm QĐ 20, nên cung cấp danh bạ",
            "QĐ 20 organ split by group widths; pass organ_ids for a definite split",
        )
    else:
        f.problem(
            "filecode.shape",
            'Mã hồ sơ phải có dạng "Mã cơ quan.yyyy.Số và ký hiệu hồ sơ"',
            "expected 'OrganId.yyyy.FileNotation'",
        )
    organ_form = None
    if organ is not None and notation is not None:
        o = parse_organ_id(organ, accept=organ_accept, strict=strict_organ)
        f.merge(o)
        organ_form = o.form
        if _BARE_NOTATION.fullmatch(notation):
            (f.warn if regime == "2025" else f.problem)(
                "filecode.notation_bare",
                f"Số và ký hiệu hồ sơ {notation!r} thiếu ký hiệu đề mục",
                "file notation without heading abbreviation (TT05 sample form)",
            )
        else:
            f.merge(parse_file_notation(notation))
    if regime == "2025" and len(text) > _FILE_CODE_TT05_MAX:
        f.problem(
            "filecode.length",
            f"Mã hồ sơ dài {len(text)} ký tự, tối đa {_FILE_CODE_TT05_MAX}",
            f"fileCode longer than {_FILE_CODE_TT05_MAX} characters (TT05)",
        )
    return FileCodeResult(
        value=text,
        organ_id=organ,
        organ_form=organ_form,
        year=int(year) if year else None,
        file_notation=notation,
        **f.frozen(),
    )


# ---------------------------------------------------------------------------------------------------
# TT 05/2025 package codes (metadata-and-packages.md §8.6)
# ---------------------------------------------------------------------------------------------------

# metadata-and-packages.md §8.6 docId = fileCode + "." + STT, ≤25 [S; regex I]
TT05_DOC_ID = re.compile(r"^(?P<file_code>.+)\.(?P<stt>[0-9]+)$")
# metadata-and-packages.md §8.6 docCode/arcDocCode = prefix + "." + 7-digit STT [S; regex I]
TT05_DOC_CODE = re.compile(r"^(?P<prefix>.+)\.(?P<stt>[0-9]{7})$")
# metadata-and-packages.md §8.6 SIP_tailieu fileCode = organ + year + lần nộp (2) + STT (7) [S; regex I]
TT05_LOOSE_FILE_CODE = re.compile(
    r"^(?P<organ>.+)\.(?P<year>[0-9]{4})\.(?P<lan>[0-9]{2})\.(?P<stt>[0-9]{7})$"
)
_UUID_UPPER = r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"
_UUID_MIXED = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
# metadata-and-packages.md §8.6 METS OBJID (SIP) "uuid-{UUID}", upper-case hex [S; regex I]
OBJID_SIP = re.compile(rf"^uuid-(?P<uuid>{_UUID_UPPER})$")
# metadata-and-packages.md §8.6 METS OBJID (AIP) "urn:uuid:{UUID}" | "urn:{mã phông}:uuid-{UUID}"
# [S; regex I — the documented [0-9A-Fa-f-]{36} tightened to the 8-4-4-4-12 UUID layout]
OBJID_AIP = re.compile(
    rf"^urn:(?:uuid:(?P<uuid1>{_UUID_MIXED})|(?P<fonds>[^:]+):uuid-(?P<uuid2>{_UUID_MIXED}))$"
)
_DOC_ID_MAX = 25  # TT05 EAD_doc docId (25) [S, §4.3]
_DOC_CODE_MAX = 100  # TT05 EAD_doc docCode (100) [S, §4.3]


@dataclass(frozen=True, kw_only=True)
class Tt05CodeResult(Result):
    """Parsed TT05 code; which attributes are set depends on ``kind``."""

    kind: str
    file_code: str | None = None
    ordinal: int | None = None
    archive_code: str | None = None
    organ_id: str | None = None
    year: int | None = None
    submission: int | None = None
    uuid: str | None = None
    fonds: str | None = None


def parse_tt05_doc_id(value: object, *, file_code: str | None = None) -> Tt05CodeResult:
    """TT05 docId = fileCode + "." + STT (≤25); with ``file_code`` the prefix must equal it."""
    f = Findings()
    text = prepare(value, f, "docId")
    if text is None:
        return Tt05CodeResult(kind="docId", value=repr(value), **f.frozen())
    m = TT05_DOC_ID.fullmatch(text)
    prefix, ordinal = (m["file_code"], int(m["stt"])) if m else (None, None)
    if not m:
        f.problem(
            "tt05.docid.shape",
            'docId phải là mã hồ sơ + "." + số thứ tự',
            "expected fileCode + '.' + ordinal",
        )
    elif ordinal == 0:
        f.problem("tt05.ordinal", "Số thứ tự tài liệu bắt đầu từ 1", "ordinal starts at 1")
    if prefix is not None and file_code is not None and prefix != nfc(file_code):
        f.problem(
            "tt05.prefix", f"Tiền tố {prefix!r} khác mã hồ sơ {file_code!r}", "prefix differs from fileCode"
        )
    if len(text) > _DOC_ID_MAX:
        f.problem(
            "tt05.docid.length",
            f"docId dài {len(text)} ký tự, tối đa {_DOC_ID_MAX}",
            f"docId longer than {_DOC_ID_MAX} characters",
        )
    return Tt05CodeResult(kind="docId", value=text, file_code=prefix, ordinal=ordinal, **f.frozen())


def parse_tt05_doc_code(
    value: object, *, file_code: str | None = None, archive_code: str | None = None
) -> Tt05CodeResult:
    """TT05 docCode = fileCode + "." + 7-digit STT; arcDocCode when ``archive_code`` is given (U10, OQ-12)."""
    kind = "arcDocCode" if archive_code else "docCode"
    f = Findings()
    text = prepare(value, f, kind)
    if text is None:
        return Tt05CodeResult(kind=kind, value=repr(value), **f.frozen())
    m = TT05_DOC_CODE.fullmatch(text)
    prefix, ordinal = (m["prefix"], int(m["stt"])) if m else (None, None)
    if not m:
        f.problem(
            "tt05.doccode.shape",
            f'{kind} phải kết thúc bằng "." + số thứ tự 7 chữ số (0000001)',
            "must end with '.' + a 7-digit ordinal",
        )
    elif ordinal == 0:
        f.problem("tt05.ordinal", "Số thứ tự tài liệu bắt đầu từ 0000001", "ordinal starts at 0000001")
    code = prefix
    if prefix is not None and archive_code is not None:
        if prefix.startswith(nfc(archive_code) + "."):
            code = prefix[len(nfc(archive_code)) + 1 :]
        else:
            f.problem(
                "tt05.archive",
                f"arcDocCode không bắt đầu bằng mã cơ quan lưu trữ {archive_code!r}",
                "arcDocCode does not start with the archive code",
            )
            code = None
    if code is not None and file_code is not None and code != nfc(file_code):
        f.problem(
            "tt05.prefix",
            f"Mã hồ sơ trong {kind} ({code!r}) khác {file_code!r}",
            "embedded fileCode differs from the dossier's",
        )
    if len(text) > _DOC_CODE_MAX:
        f.problem(
            "tt05.doccode.length",
            f"{kind} dài {len(text)} ký tự, tối đa {_DOC_CODE_MAX}",
            f"{kind} longer than {_DOC_CODE_MAX} characters",
        )
    return Tt05CodeResult(
        kind=kind, value=text, file_code=code, ordinal=ordinal, archive_code=archive_code, **f.frozen()
    )


def parse_tt05_loose_file_code(value: object, *, organ_accept: Iterable[str] = ORGAN_FORMS) -> Tt05CodeResult:
    """SIP_tailieu fileCode = mã cơ quan + năm + lần nộp (2 digits) + STT (7 digits), "." separated."""
    f = Findings()
    text = prepare(value, f, "fileCode (tài liệu rời lẻ)")
    if text is None:
        return Tt05CodeResult(kind="looseFileCode", value=repr(value), **f.frozen())
    m = TT05_LOOSE_FILE_CODE.fullmatch(text)
    if not m:
        f.problem(
            "tt05.loose.shape",
            'Phải có dạng "Mã cơ quan.yyyy.NN.NNNNNNN"',
            "expected 'OrganId.yyyy.NN.NNNNNNN'",
        )
        return Tt05CodeResult(kind="looseFileCode", value=text, **f.frozen())
    f.merge(parse_organ_id(m["organ"], accept=organ_accept))
    if int(m["lan"]) == 0 or int(m["stt"]) == 0:
        f.problem("tt05.ordinal", "Lần nộp và số thứ tự bắt đầu từ 1", "submission and ordinal start at 1")
    return Tt05CodeResult(
        kind="looseFileCode",
        value=text,
        organ_id=m["organ"],
        year=int(m["year"]),
        submission=int(m["lan"]),
        ordinal=int(m["stt"]),
        **f.frozen(),
    )


def parse_mets_objid(value: object, package: str = "SIP") -> Tt05CodeResult:
    """METS ``OBJID``: SIP ``uuid-{UUID}`` (upper-case hex); AIP ``urn:uuid:{UUID}`` or
    ``urn:{mã phông}:uuid-{UUID}`` (TT05 §8.6 [S])."""
    if package not in ("SIP", "AIP"):
        raise ValueError("package must be 'SIP' or 'AIP'")
    f = Findings()
    text = prepare(value, f, "OBJID")
    if text is None:
        return Tt05CodeResult(kind=f"OBJID/{package}", value=repr(value), **f.frozen())
    uuid = fonds = None
    if package == "SIP":
        m = OBJID_SIP.fullmatch(text)
        if m:
            uuid = m["uuid"]
        elif OBJID_SIP.fullmatch(text[:5] + text[5:].upper()) and text.startswith("uuid-"):
            f.problem(
                "objid.case",
                "UUID trong OBJID của SIP viết chữ hoa (A–F)",
                "SIP OBJID hex must be upper case",
            )
        else:
            f.problem("objid.shape", 'OBJID của SIP phải có dạng "uuid-{UUID}"', "expected 'uuid-{UUID}'")
    else:
        m = OBJID_AIP.fullmatch(text)
        if m:
            uuid, fonds = m["uuid1"] or m["uuid2"], m["fonds"]
        else:
            f.problem(
                "objid.shape",
                'OBJID của AIP phải là "urn:uuid:{UUID}" hoặc "urn:{mã phông}:uuid-{UUID}"',
                "expected 'urn:uuid:{UUID}' or 'urn:{fonds}:uuid-{UUID}'",
            )
    return Tt05CodeResult(kind=f"OBJID/{package}", value=text, uuid=uuid, fonds=fonds, **f.frozen())


# ---------------------------------------------------------------------------------------------------
# Time on the signature appearance (NĐ 30 PL I; edxml.md §11.6; OQ-25)
# ---------------------------------------------------------------------------------------------------

# edxml.md §11.6 "ngày tháng năm; giờ phút giây; múi giờ Việt Nam theo ISO 8601" [R rule; regex I;
# optional fraction of a second I]
SIG_TIME_ISO = re.compile(
    r"(?<![0-9])(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})(?P<sep>[T ])(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})"
    r":(?P<s>[0-9]{2})(?P<frac>[.,][0-9]+)?(?P<tz>\+07:00|\+0700)(?![0-9])"
)
# OQ-25 lenient alternative layout "dd/MM/yyyy HH:mm:ss +07:00" [I]
SIG_TIME_VN = re.compile(
    r"(?<![0-9])(?P<d>[0-9]{2})/(?P<mo>[0-9]{2})/(?P<y>[0-9]{4})"
    r" (?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})"
    r" ?(?P<tz>\+07:00|\+0700)(?![0-9])"
)
# edxml.md §11.6 any ISO-like date-time, to explain a failure (missing seconds or another zone) [I]
_SIG_TIME_ANY = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}"
)
_VN_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True, kw_only=True)
class SignatureTimeResult(Result):
    """The signing time found in the visible text of a signature appearance."""

    when: dt.datetime | None = None
    layout: str | None = None
    matched: str | None = None


def check_signature_time(text: object, *, strict_iso: bool = False) -> SignatureTimeResult:
    """Find the signing time in appearance text: date, time to the second, +07:00 (OQ-25, lenient default).

    ``strict_iso`` (profile ``sig_time_strict_iso``) accepts only ``YYYY-MM-DDTHH:MM:SS[.f]+07:00``.
    """
    f = Findings()
    s = prepare(text, f, "Thời gian ký")
    if s is None:
        return SignatureTimeResult(value=repr(text), **f.frozen())
    candidates = [("iso", m) for m in SIG_TIME_ISO.finditer(s)] + [("vn", m) for m in SIG_TIME_VN.finditer(s)]
    if not candidates:
        if _SIG_TIME_ANY.search(s):
            f.problem(
                "sigtime.incomplete",
                "Thời gian ký thiếu giây hoặc múi giờ Việt Nam (+07:00)",
                "signing time lacks seconds or the +07:00 zone",
            )
        else:
            f.problem(
                "sigtime.missing",
                "Không thấy thời gian ký (ngày, giờ phút giây, +07:00)",
                "no signing time found",
            )
        return SignatureTimeResult(value=s, **f.frozen())
    layout, m = candidates[0]
    if strict_iso:
        strict = [c for c in candidates if c[0] == "iso" and c[1]["sep"] == "T" and c[1]["tz"] == "+07:00"]
        if strict:
            layout, m = strict[0]
        else:
            f.problem(
                "sigtime.layout",
                "Thời gian ký phải theo đúng ISO 8601 (2025-03-14T09:30:15+07:00)",
                "strict ISO 8601 layout required",
            )
    frac = m.groupdict().get("frac")
    micro = int((frac[1:] + "000000")[:6]) if frac else 0
    try:
        when = dt.datetime(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"]),
            int(m["mi"]),
            int(m["s"]),
            micro,
            tzinfo=_VN_TZ,
        )
    except ValueError:
        f.problem("sigtime.invalid", f"Thời gian ký {m.group(0)!r} không có thật", "no such date or time")
        when = None
    return SignatureTimeResult(value=s, when=when, layout=layout, matched=m.group(0), **f.frozen())


# ---------------------------------------------------------------------------------------------------
# Registry of named grammars (for judges that name a grammar in a profile)
# ---------------------------------------------------------------------------------------------------

GRAMMARS: Mapping[str, Callable[[object], Result]] = MappingProxyType(
    {
        "organ_id": parse_organ_id,
        "organ_id_qcvn102": functools.partial(parse_organ_id, accept=("qcvn102",)),
        "organ_id_qd20": functools.partial(parse_organ_id, accept=("qd20",)),
        "so_ky_hieu": parse_so_ky_hieu,
        "code_number": check_code_number,
        "code_notation": check_code_notation,
        "document_id": parse_document_id,
        "doc_code_q395": parse_doc_code_q395,
        "file_notation": parse_file_notation,
        "file_code": parse_file_code,
        "file_code_tt05": functools.partial(parse_file_code, regime="2025"),
        "tt05_doc_id": parse_tt05_doc_id,
        "tt05_doc_code": parse_tt05_doc_code,
        "tt05_loose_file_code": parse_tt05_loose_file_code,
        "mets_objid_sip": functools.partial(parse_mets_objid, package="SIP"),
        "mets_objid_aip": functools.partial(parse_mets_objid, package="AIP"),
        "signature_time": check_signature_time,
        "date_edxml": functools.partial(parse_date, layout="yyyy/MM/dd"),
        "date_ead": functools.partial(parse_date, layout="dd/MM/yyyy"),
        "maintenance": check_maintenance,
    }
)


def check_grammar(name: str, value: object) -> Result:
    """Check ``value`` against the grammar registered as ``name`` (``KeyError`` if unknown)."""
    try:
        fn = GRAMMARS[name]
    except KeyError:
        raise KeyError(f"unknown grammar {name!r}; known: {sorted(GRAMMARS)}") from None
    return fn(value)
