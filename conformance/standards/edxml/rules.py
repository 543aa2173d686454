"""Rule registry, problem and report types of the edXML validator.

Why a registry: every finding must carry a stable code, a default severity, the section of
``edxml.md`` (or ``open-questions.md``) it rests on and the evidence mark of that source (R = legal
text, S = secondary or implementation, I = inference). Judges and the CLI key on the code; reviewers
trace the code back to its source here. Severities follow the OQ defaults: NĐ 30 lengths and the
reconstructed structure are errors (OQ-03), vendor lengths are warnings (OQ-20), package-signature
failures are warnings unless the profile requires a signature (OQ-19).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "RULES",
    "Problem",
    "Report",
    "Rule",
    "Severity",
    "problem",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """A stable rule: code, default severity, source section, evidence mark, short title (vi / en)."""

    code: str
    severity: Severity
    source: str
    evidence: str
    title_vi: str
    title_en: str


def _r(code: str, severity: Severity, source: str, evidence: str, vi: str, en: str) -> Rule:
    return Rule(code, severity, source, evidence, vi, en)


_E: Severity = "error"
_W: Severity = "warning"

_RULE_LIST: tuple[Rule, ...] = (
    # --- reading the package (fatal: the package is not parsed further) ---------------------------
    _r("io.unreadable", _E, "harness", "I", "Không đọc được tệp", "file cannot be read"),
    _r(
        "xml.doctype",
        _E,
        "edxml.md §3; harness hardening (XXE, billion laughs)",
        "I",
        "Gói tin chứa khai báo DOCTYPE/ENTITY",
        "DOCTYPE/ENTITY declarations are refused",
    ),
    _r(
        "xml.malformed",
        _E,
        "edxml.md §3, §15 #3 (SR-011)",
        "S",
        "XML không hợp lệ (not well-formed)",
        "XML is not well-formed",
    ),
    _r(
        "xml.encoding",
        _E,
        "edxml.md §3 Encoding UTF-8 [S19]",
        "S",
        "Gói tin phải mã hoá UTF-8",
        "package must be UTF-8",
    ),
    _r(
        "xml.prolog",
        _E,
        "edxml.md §3 'no bytes before <?xml'; §15 #1",
        "S",
        "Có dữ liệu lạ trước khai báo XML",
        "stray bytes before the XML declaration",
    ),
    _r(
        "xml.bom",
        _W,
        "edxml.md §3 'no bytes before <?xml'",
        "I",
        "Có BOM UTF-8 ở đầu tệp",
        "UTF-8 byte-order mark before the XML declaration",
    ),
    _r(
        "xml.declaration",
        _W,
        "edxml.md §3; §14.5 skeleton",
        "I",
        "Thiếu khai báo <?xml …?>",
        "XML declaration missing",
    ),
    _r(
        "xml.too_large",
        _E,
        "harness limit (Limits)",
        "I",
        "Gói tin vượt giới hạn kích thước",
        "package exceeds a size limit",
    ),
    _r("xml.too_deep", _E, "harness limit (Limits)", "I", "Cây XML quá sâu", "element nesting too deep"),
    _r(
        "zip.invalid",
        _E,
        "edxml.md §8.1 (zipped packages); harness",
        "I",
        "Tệp nén không hợp lệ",
        "invalid zip archive",
    ),
    _r(
        "zip.traversal",
        _E,
        "harness hardening (zip slip)",
        "I",
        "Tên tệp trong gói nén vượt thư mục",
        "zip entry name escapes the extraction directory",
    ),
    _r(
        "zip.bomb",
        _E,
        "harness hardening (zip bomb)",
        "I",
        "Tỷ lệ nén hoặc tổng dung lượng vượt giới hạn",
        "compression ratio or total size over the limit",
    ),
    _r(
        "zip.entries",
        _E,
        "harness",
        "I",
        "Không xác định được tệp edXML trong gói nén",
        "no single edXML entry in the zip",
    ),
    # --- structure -------------------------------------------------------------------------------
    _r(
        "pkg.root",
        _E,
        "edxml.md §2, §3",
        "S",
        "Phần tử gốc phải là edXML (QCVN 102)",
        "root must be edXML in the QCVN 102 namespace",
    ),
    _r(
        "pkg.kind",
        _E,
        "edxml.md §2, §9.2",
        "S",
        "Không xác định được loại gói tin",
        "neither a document nor a status package",
    ),
    _r(
        "pkg.namespace",
        _E,
        "edxml.md §3",
        "S",
        "Phần tử không thuộc namespace QCVN 102",
        "element outside the QCVN 102 namespace",
    ),
    _r(
        "pkg.no_namespace",
        _W,
        "edxml.md §2 variants (prefix variants)",
        "S",
        "Phần tử không có namespace, chấp nhận như QCVN 102",
        "element without namespace, accepted",
    ),
    _r(
        "pkg.unknown_element",
        _W,
        "edxml.md §4; OQ-18",
        "I",
        "Phần tử không có trong bảng edXML",
        "element not in the edXML tables",
    ),
    _r(
        "card.missing",
        _E,
        "edxml.md §4–§9 (Card.)",
        "S",
        "Thiếu phần tử bắt buộc",
        "required element missing",
    ),
    _r(
        "card.missing_tolerated",
        _W,
        "edxml.md §4 'obs.', §15 #10",
        "S",
        "Thiếu phần tử (trục VXP vẫn chấp nhận)",
        "element missing; the VXP axis accepts this",
    ),
    _r(
        "card.too_many",
        _E,
        "edxml.md §4–§9 (Card.)",
        "S",
        "Phần tử xuất hiện quá số lần cho phép",
        "element repeated beyond its cardinality",
    ),
    _r("value.empty", _E, "edxml.md §4–§9", "S", "Phần tử bắt buộc để trống", "required element is empty"),
    _r(
        "value.integer",
        _E,
        "edxml.md §4–§10 (int types)",
        "S",
        "Giá trị phải là số nguyên không âm",
        "value must be a non-negative integer",
    ),
    _r(
        "value.email",
        _W,
        "edxml.md §5 Email [S-Bkav]",
        "S",
        "Địa chỉ thư điện tử không hợp lệ",
        "invalid e-mail address",
    ),
    _r(
        "text.nfc",
        _W,
        "brief: Vietnamese text UTF-8 NFC (TCVN 6909)",
        "I",
        "Văn bản chưa ở dạng NFC",
        "text is not NFC-normalised",
    ),
    _r(
        "len.nd30",
        _E,
        "NĐ 30/2020 PL VI Phần II (edxml.md §4 [R-NĐ30]); OQ-03",
        "R",
        "Vượt độ dài theo NĐ 30",
        "longer than the NĐ 30 PL VI length",
    ),
    _r(
        "len.nd30_soft",
        _W,
        "NĐ 30 PL VI String(13); QĐ 20/2020 ≤35 accepted (OQ-03, OQ-10)",
        "R",
        "Dài hơn độ dài NĐ 30 nhưng được chấp nhận",
        "above the NĐ 30 length, accepted",
    ),
    _r(
        "len.bkav",
        _W,
        "edxml.md §4–§8 [S-Bkav]; OQ-20",
        "S",
        "Vượt độ dài của Bkav Checker",
        "longer than the Bkav Checker.java length",
    ),
    _r(
        "len.vendor",
        _W,
        "edxml.md §6 StaffInfo (C# entity U4)",
        "S",
        "Vượt độ dài của phần mềm tham chiếu",
        "longer than a vendor implementation length",
    ),
    # --- identifiers -----------------------------------------------------------------------------
    _r(
        "organ.grammar",
        _E,
        "edxml.md §11.1 G-102 / §11.2 G-QD20; OQ-10",
        "R",
        "Mã định danh cơ quan sai cú pháp",
        "agency identifier fits neither grammar",
    ),
    _r(
        "organ.strict",
        _W,
        "edxml.md §11.1–§11.2 strict variants; OQ-10",
        "I",
        "Mã định danh không khớp dạng chặt",
        "agency identifier fails the strict variant",
    ),
    _r(
        "skh.grammar",
        _E,
        "edxml.md §11.5 G-SKH (NĐ 30 PL I II.3)",
        "R",
        "Số, ký hiệu văn bản sai quy định",
        "number/notation breaks G-SKH",
    ),
    _r(
        "skh.style",
        _W,
        "edxml.md §11.5",
        "I",
        "Ký hiệu văn bản khác dạng thường gặp",
        "notation has an unusual form",
    ),
    _r(
        "docid.grammar",
        _E,
        "edxml.md §11.4 (NĐ 30 PL VI III.1.c)",
        "S",
        "Mã định danh văn bản sai cú pháp",
        "DocumentId does not fit the business key",
    ),
    _r(
        "docid.uuid",
        _W,
        "edxml.md §11.4; OQ-11",
        "S",
        "Mã định danh văn bản dạng UUID (chấp nhận khi nhận)",
        "UUID DocumentId: accepted on receipt, business key expected on emission",
    ),
    _r(
        "docid.mismatch",
        _E,
        "edxml.md §11.4 (OrganId,yyyy/MM/dd,Số/Ký hiệu)",
        "S",
        "Mã định danh văn bản không khớp thông tin văn bản",
        "DocumentId disagrees with the header",
    ),
    # --- dates -----------------------------------------------------------------------------------
    _r(
        "date.invalid",
        _E,
        "edxml.md §12; OQ-24 (impossible dates rejected)",
        "S",
        "Ngày không có thật",
        "no such calendar date",
    ),
    _r("date.format", _E, "edxml.md §12 yyyy/MM/dd", "S", "Ngày sai định dạng", "date in an unknown layout"),
    _r(
        "date.layout",
        _W,
        "OQ-24 (dd/MM/yyyy, ISO accepted with warning)",
        "I",
        "Ngày theo định dạng thay thế",
        "date in an alternative layout",
    ),
    _r(
        "date.future",
        _W,
        "edxml.md §4 1.4 (Bkav rejects future dates; SR-023)",
        "S",
        "Ngày ban hành ở tương lai",
        "promulgation date in the future",
    ),
    _r(
        "date.order",
        _W,
        "edxml.md §4 1.9",
        "I",
        "Hạn xử lý trước ngày ban hành",
        "due date before promulgation",
    ),
    _r(
        "time.format",
        _E,
        "edxml.md §12 yyyy/MM/dd HH:mm:ss",
        "S",
        "Thời gian sai định dạng",
        "timestamp in an unknown layout",
    ),
    _r("time.invalid", _E, "edxml.md §12; OQ-24", "S", "Thời điểm không có thật", "no such date or time"),
    _r(
        "time.layout",
        _W,
        "OQ-24 (ISO 8601 accepted with warning)",
        "I",
        "Thời gian theo định dạng thay thế",
        "timestamp in an alternative layout",
    ),
    # --- code lists ------------------------------------------------------------------------------
    _r(
        "code.priority",
        _E,
        "edxml.md §10.1 (0–4) [S21, S22]",
        "S",
        "Độ khẩn ngoài danh mục 0–4",
        "priority outside 0–4",
    ),
    _r(
        "code.priority_legacy",
        _W,
        "OQ-21",
        "I",
        "Độ khẩn 4 (hỏa tốc hẹn giờ) xử lý như hỏa tốc",
        "priority 4 treated as hỏa tốc",
    ),
    _r(
        "code.steering_type",
        _E,
        "edxml.md §10.2; OQ-15 (accept 0–3)",
        "S",
        "Loại chỉ đạo ngoài 0–3",
        "SteeringType outside 0–3",
    ),
    _r(
        "code.document_type",
        _E,
        "edxml.md §10.5 (Type 1 or 2) [S22]",
        "S",
        "DocumentType/Type phải là 1 hoặc 2",
        "DocumentType/Type must be 1 or 2",
    ),
    _r(
        "code.type_name",
        _E,
        "OQ-16; NĐ 30/2020 Điều 7; edxml.md §10.5 list A",
        "R",
        "Tên loại văn bản không có trong danh mục",
        "TypeName is not a known document type",
    ),
    _r(
        "code.type_detail",
        _W,
        "OQ-16 (Type/TypeDetail mismatches are warnings)",
        "S",
        "Type/TypeDetail không khớp tên loại",
        "Type/TypeDetail disagrees with TypeName",
    ),
    _r(
        "code.status",
        _E,
        "edxml.md §10.3",
        "S",
        "Mã trạng thái không có trong danh mục",
        "unknown StatusCode",
    ),
    _r(
        "code.status_unseen",
        _W,
        "edxml.md §10.3; OQ-14 (07–12, 14 tolerated)",
        "I",
        "Mã trạng thái chưa thấy trong SDK, được chấp nhận",
        "StatusCode not seen in the SDK; tolerated",
    ),
    _r(
        "code.business_doc_type",
        _E,
        "edxml.md §10.4 (0–3)",
        "S",
        "BussinessDocType ngoài 0–3",
        "BussinessDocType outside 0–3",
    ),
    _r(
        "code.paper",
        _W,
        "edxml.md §10.4; OQ-17 (0/1; >1 accepted with warning)",
        "I",
        "Paper lớn hơn 1, xử lý như có bản giấy",
        "Paper above 1, read as 'paper copy expected'",
    ),
    _r(
        "code.flag",
        _E,
        "edxml.md §10.4 (0/1 flags)",
        "S",
        "Giá trị cờ phải là 0 hoặc 1",
        "flag must be 0 or 1",
    ),
    # --- semantics -------------------------------------------------------------------------------
    _r(
        "to.duplicate",
        _W,
        "edxml.md §4 1.2 (duplicates flagged) [S22]",
        "S",
        "Nơi nhận bị trùng",
        "duplicate recipient",
    ),
    _r(
        "trace.sender",
        _W,
        "edxml.md §6 TraceHeader/OrganId (sender's OrganId)",
        "S",
        "TraceHeader đầu tiên không phải cơ quan gửi",
        "first TraceHeader is not the sender",
    ),
    _r(
        "trace.tolerated",
        _W,
        "edxml.md §15 #5 (SR-040)",
        "S",
        "TraceHeader do trục thêm có mã lạ, chấp nhận",
        "axis-appended TraceHeader with an odd OrganId; tolerated",
    ),
    _r(
        "business.target",
        _W,
        "edxml.md §6 Bussiness (DocumentId, ReplacementInfoList)",
        "S",
        "Gói thu hồi/cập nhật/thay thế thiếu văn bản đích",
        "revoke/update/replace without its target",
    ),
    _r(
        "status.reason",
        _W,
        "edxml.md §9.2 Description (reason for 02, 13, 16)",
        "I",
        "Trạng thái cần nêu lý do",
        "this status needs a reason",
    ),
    _r(
        "status.body",
        _W,
        "edxml.md §9.2 (no body)",
        "S",
        "Gói tin trạng thái không có phần thân",
        "a status package has no body",
    ),
    # --- manifest and attachments ----------------------------------------------------------------
    _r(
        "manifest.version",
        _E,
        "edxml.md §8.1 edXMLManifest@version='1.0'",
        "S",
        "Sai phiên bản manifest",
        "manifest version must be 1.0",
    ),
    _r(
        "att.missing",
        _E,
        "edxml.md §8.1 (SR-013)",
        "S",
        "Tham chiếu trong manifest không có tệp đính kèm",
        "manifest reference without an attachment",
    ),
    _r(
        "att.unlisted",
        _E,
        "edxml.md §8.1 (SR-013)",
        "S",
        "Tệp đính kèm không có trong manifest",
        "attachment missing from the manifest",
    ),
    _r("att.duplicate_id", _E, "edxml.md §8.1 (SR-015)", "S", "ContentId bị trùng", "duplicate ContentId"),
    _r(
        "att.cid_prefix",
        _W,
        "edxml.md §8.1; §15 #11",
        "S",
        "ContentId thiếu tiền tố cid:",
        "ContentId without the cid: prefix",
    ),
    _r(
        "att.name_mismatch",
        _W,
        "edxml.md §8.1",
        "I",
        "Tên tệp trong manifest và đính kèm khác nhau",
        "attachment name differs from the manifest",
    ),
    _r(
        "att.type_mismatch",
        _W,
        "edxml.md §8.1 ContentType",
        "I",
        "ContentType không khớp nội dung",
        "ContentType disagrees with the manifest or the content",
    ),
    _r(
        "att.base64",
        _E,
        "edxml.md §8.1 ContentTransferEncoded = base64",
        "S",
        "Nội dung base64 không hợp lệ",
        "malformed base64",
    ),
    _r("att.empty", _E, "edxml.md §8.1", "I", "Tệp đính kèm rỗng", "empty attachment"),
    _r(
        "att.size",
        _E,
        "edxml.md §8.1 (declared size, extension)",
        "I",
        "Kích thước khai báo khác thực tế",
        "declared size differs from the content",
    ),
    _r(
        "att.digest",
        _E,
        "edxml.md §8.1 (declared digest, extension)",
        "I",
        "Giá trị băm khai báo khác thực tế",
        "declared digest differs from the content",
    ),
    _r(
        "att.none",
        _W,
        "edxml.md §8.1 (SR-017)",
        "I",
        "Gói văn bản không có tệp đính kèm",
        "document package without attachments",
    ),
    # --- package signature (OQ-19: optional; verify when present) --------------------------------
    _r(
        "dsig.absent",
        _E,
        "OQ-19 (package_signature_required)",
        "I",
        "Thiếu chữ ký gói tin",
        "package signature required but absent",
    ),
    _r(
        "dsig.namespace",
        _W,
        "edxml.md §7; §15 #4",
        "S",
        "Signature không thuộc namespace XML-DSig",
        "Signature outside the XML-DSig namespace",
    ),
    _r(
        "dsig.position",
        _W,
        "edxml.md §2 (Signature in edXMLHeader)",
        "S",
        "Chữ ký không nằm trong edXMLHeader",
        "Signature outside edXMLHeader; not verified",
    ),
    _r(
        "dsig.placeholder",
        _W,
        "edxml.md §7, §15 #4; OQ-19",
        "S",
        "Chữ ký là giá trị giữ chỗ",
        "placeholder signature",
    ),
    _r(
        "dsig.structure", _W, "edxml.md §7", "I", "Cấu trúc chữ ký không đầy đủ", "incomplete Signature block"
    ),
    _r(
        "dsig.algorithm",
        _W,
        "edxml.md §7; OQ-19",
        "I",
        "Thuật toán chữ ký không được hỗ trợ",
        "unsupported signature algorithm",
    ),
    _r(
        "dsig.sha1",
        _W,
        "edxml.md §7, §15 #16; OQ-19 (accepted, obsolete)",
        "S",
        "Chữ ký dùng SHA-1 (lỗi thời, vẫn chấp nhận)",
        "SHA-1 signature: obsolete, accepted",
    ),
    _r(
        "dsig.digest",
        _W,
        "edxml.md §7; OQ-19",
        "I",
        "Giá trị băm của chữ ký không khớp",
        "signature reference digest does not match",
    ),
    _r(
        "dsig.signature",
        _W,
        "edxml.md §7; OQ-19",
        "I",
        "Giá trị chữ ký không hợp lệ",
        "SignatureValue does not verify",
    ),
)

#: every rule by code
RULES: Mapping[str, Rule] = MappingProxyType({r.code: r for r in _RULE_LIST})


@dataclass(frozen=True)
class Problem:
    """One finding: where (XPath), which rule, how bad, and why (Vietnamese with English gloss).

    ``source`` and ``evidence`` default to the rule's and are refined per element (e.g. the table row
    of the element that is missing). ``order`` keeps document order and is not part of equality.
    """

    code: str
    severity: Severity
    xpath: str
    message_vi: str
    message_en: str
    source: str
    evidence: str
    value: str | None = None
    order: int = field(default=0, compare=False)

    @property
    def message(self) -> str:
        """Vietnamese message with its English gloss."""
        return f"{self.message_vi} — {self.message_en}"

    def line(self, file: str) -> str:
        """The CLI line ``FILE: XPATH: [code] severity: message``."""
        return f"{file}: {self.xpath}: [{self.code}] {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {
            "code": self.code,
            "severity": self.severity,
            "xpath": self.xpath,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "source": self.source,
            "evidence": self.evidence,
            "value": self.value,
        }


def problem(
    code: str,
    xpath: str,
    vi: str = "",
    en: str = "",
    *,
    value: str | None = None,
    source: str | None = None,
    evidence: str | None = None,
    severity: Severity | None = None,
    order: int = 0,
) -> Problem:
    """Make a ``Problem`` from the registry (``KeyError`` for an unknown code: codes are a closed set)."""
    rule = RULES[code]
    return Problem(
        code=code,
        severity=severity or rule.severity,
        xpath=xpath,
        message_vi=vi or rule.title_vi,
        message_en=en or rule.title_en,
        source=source or rule.source,
        evidence=evidence or rule.evidence,
        value=value if value is None or len(value) <= 200 else value[:197] + "…",
        order=order,
    )


@dataclass(frozen=True)
class Report:
    """Outcome of ``validate_package``: every problem found, in document order.

    ``readable`` is False when the package could not be parsed at all (fatal problem; CLI exit 2).
    ``kind`` is ``"edoc"`` or ``"status"`` once known. ``attachments`` lists what was measured per
    attachment (decoded size, SHA-256) and ``signature`` the outcome of the XML-DSig check.
    """

    source: str
    readable: bool
    kind: str | None
    problems: tuple[Problem, ...]
    attachments: tuple[Mapping[str, Any], ...] = ()
    signature: Mapping[str, Any] | None = None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when the package was read and no error was found (warnings allowed)."""
        return self.readable and not self.errors

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of all problems, in order."""
        return tuple(p.code for p in self.problems)

    def counts(self) -> Mapping[str, int]:
        """Number of problems per code."""
        return MappingProxyType(Counter(self.codes))

    def has(self, code: str, xpath: str | None = None) -> bool:
        """True when a problem with ``code`` (and, if given, exactly this ``xpath``) was reported."""
        return any(p.code == code and (xpath is None or p.xpath == xpath) for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (``--json`` output)."""
        return {
            "source": self.source,
            "readable": self.readable,
            "ok": self.ok,
            "kind": self.kind,
            "problems": [p.to_dict() for p in self.problems],
            "attachments": [dict(a) for a in self.attachments],
            "signature": dict(self.signature) if self.signature is not None else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
