"""Dataclasses of the two edXML package kinds: the document package and the status package.

Why plain dataclasses: fixtures, property tests and judges build packages from values, and the parser
gives the same values back, so ``read_package(build_package(p)) == p`` is a checkable contract.
Element names follow edxml.md §4–§9 (including the official misspelling ``Bussiness``, SR-041);
attribute names are their snake_case forms. Dates are ``datetime.date``; timestamps are naive
``datetime`` in Vietnam time (UTC+7), as the SDK writes them (edxml.md §12, OQ-24).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Attachment",
    "Bussiness",
    "BussinessDocType",
    "BussinessDocumentInfo",
    "Code",
    "DocumentPackage",
    "DocumentType",
    "MessageHeader",
    "Organization",
    "OtherInfo",
    "PromulgationInfo",
    "Receiver",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "StatusPackage",
    "TraceHeader",
    "TraceHeaderList",
]


class BussinessDocType(enum.IntEnum):
    """edxml.md §10.4 ``BussinessDocType``: 0 new · 1 revoke · 2 update · 3 replace [S19, S21, S22]."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


@dataclass
class Organization:
    """edxml.md §5 Organization (From, To, status From)."""

    organ_id: str
    organ_name: str
    organization_in_charge: str | None = None
    organ_add: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None


@dataclass
class Code:
    """edxml.md §4 1.3: số (CodeNumber) and ký hiệu (CodeNotation)."""

    code_number: str
    code_notation: str

    @property
    def so_ky_hieu(self) -> str:
        """``123/UBND-KGVX`` — the G-SKH form used in DocumentId and ResponseFor/Code."""
        return f"{self.code_number}/{self.code_notation}"


@dataclass
class PromulgationInfo:
    """edxml.md §4 1.4: địa danh and ngày ban hành."""

    place: str
    promulgation_date: dt.date


@dataclass
class DocumentType:
    """edxml.md §4 1.5 / §10.5: Type (1 VBQPPL, 2 hành chính), TypeDetail, TypeName."""

    type: int
    type_name: str
    type_detail: int | None = None


@dataclass
class SignerInfo:
    """edxml.md §4 1.8."""

    full_name: str
    position: str | None = None
    competence: str | None = None


@dataclass
class OtherInfo:
    """edxml.md §4 1.11 (the brief's "TyperNumber" is ``TyperNotation`` in edxml.md)."""

    priority: int
    sphere_of_promulgation: str
    typer_notation: str
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)


@dataclass
class ResponseFor:
    """edxml.md §4 1.12 and §9.2: the document this one answers (``code`` in G-SKH form)."""

    organ_id: str
    code: str
    promulgation_date: dt.date
    document_id: str | None = None


@dataclass
class MessageHeader:
    """edxml.md §4 MessageHeader of a document package, in the order of the VPCP sample."""

    from_: Organization
    to: list[Organization]
    code: Code
    promulgation_info: PromulgationInfo
    document_type: DocumentType
    subject: str
    content: str | None
    signer_info: SignerInfo
    document_id: str
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    other_info: OtherInfo | None = None
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: int | None = None


@dataclass
class TraceHeader:
    """edxml.md §6 TraceHeader (``timestamp`` naive, Vietnam time)."""

    organ_id: str
    timestamp: dt.datetime


@dataclass
class StaffInfo:
    """edxml.md §6 / §9.2 StaffInfo (handling văn thư)."""

    department: str | None = None
    staff: str | None = None
    mobile: str | None = None
    email: str | None = None


@dataclass
class Receiver:
    """edxml.md §6 ReceiverList/Receiver: ReceiverType 0 removed · 1 added."""

    organ_id: str
    receiver_type: int


@dataclass
class BussinessDocumentInfo:
    """edxml.md §6: DocumentInfo (metadata changed), DocumentReceiver (recipients changed), ReceiverList."""

    document_info: int = 0
    document_receiver: int = 0
    receivers: list[Receiver] = field(default_factory=list)


@dataclass
class ReplacementInfo:
    """edxml.md §6 ReplacementInfoList/ReplacementInfo: replaced document and where it went."""

    document_id: str
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class Bussiness:
    """edxml.md §6 Bussiness (official spelling, SR-041)."""

    bussiness_doc_type: BussinessDocType = BussinessDocType.NEW
    bussiness_doc_reason: str | None = None
    paper: int | None = None
    document_id: str | None = None
    staff_info: StaffInfo | None = None
    document_info: BussinessDocumentInfo | None = None
    replacement_info: list[ReplacementInfo] = field(default_factory=list)


@dataclass
class TraceHeaderList:
    """edxml.md §6 TraceHeaderList: TraceHeader+ and Bussiness."""

    trace_headers: list[TraceHeader]
    bussiness: Bussiness
    id: str | None = None
    version: str | None = None


@dataclass
class Attachment:
    """edxml.md §8 one manifest Reference plus its AttachmentEncoded/Attachment.

    Exactly one of ``data`` (bytes) and ``path`` (a file streamed by the builder) gives the content.
    ``size`` and ``sha256`` are filled by the parser; they do not take part in equality.
    """

    content_id: str
    attachment_name: str
    content_type: str
    data: bytes | None = None
    description: str | None = None
    path: Path | None = field(default=None, compare=False)
    size: int | None = field(default=None, compare=False)
    sha256: str | None = field(default=None, compare=False)


@dataclass
class DocumentPackage:
    """edxml.md §2 edoc package: header, trace list, manifest + attachments."""

    message_header: MessageHeader
    trace_header_list: TraceHeaderList
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class StatusPackage:
    """edxml.md §9.2 status package (MessageHeader only, no body)."""

    from_: Organization
    response_for: ResponseFor
    staff_info: StaffInfo
    status_code: str
    description: str
    timestamp: dt.datetime
