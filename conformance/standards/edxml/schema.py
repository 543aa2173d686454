"""Element tables of the edXML package (edxml.md §4–§9) as data the validator walks.

Why tables: no XSD for QCVN 102 exists (edxml.md §1), so the reconstructed tables *are* the schema.
Keeping them declarative makes each cardinality, length and value check reviewable against its row
in edxml.md, with the row's source and evidence mark next to it. Lengths: ``nd30`` names the row
(STT) of NĐ 30 PL VI Phần II "văn bản đi" checked through ``conformance.standards.metadata``
([R-NĐ30], errors); ``bkav`` is the Bkav ``Checker.java`` length ([S-Bkav], warnings, OQ-20);
``vendor`` another implementation's length (warnings).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ATTACHMENT",
    "EDOC_ROOT",
    "STATUS_ROOT",
    "VBQPPL_TYPES",
    "E",
]


@dataclass(frozen=True)
class E:
    """One element row: name, cardinality, children (None = leaf), value check, lengths, source."""

    name: str
    min: int = 0
    max: int | None = 1
    kids: tuple[E, ...] | None = None
    check: str | None = None
    nd30: str | None = None
    bkav: int | None = None
    vendor: int | None = None
    source: str = ""
    evidence: str = "S"
    tolerated_missing: bool = False  # "obs." rows: missing in a package the VXP axis accepted
    extras: frozenset[str] = frozenset()  # known VNPT elements tolerated silently (OQ-18)
    any_namespace: bool = False  # matched by local name in any namespace (Signature)
    opaque: bool = False  # not walked (Signature: checked by dsig; Attachment: checked while parsing)
    tolerant_after_first: bool = False  # TraceHeader: axis-appended headers are tolerated (§15 #5)


def _org(role: str, organ_row: str, name_row: str) -> tuple[E, ...]:
    src = f"edxml.md §5 Organization ({role})"
    return (
        E("OrganId", 1, 1, check="organ", nd30=organ_row, source=f"{src} OrganId; NĐ 30 PL VI", evidence="R"),
        E("OrganizationInCharge", bkav=200, source=src),
        E("OrganName", 1, 1, nd30=name_row, source=f"{src} OrganName; NĐ 30 PL VI", evidence="R"),
        E("OrganAdd", bkav=250, source=src),
        E("Email", bkav=100, check="email", source=src),
        E("Telephone", bkav=20, source=src),
        E("Fax", bkav=20, source=src),
        E("Website", bkav=20, source=f"{src}; OQ-20"),
    )


_FROM = _org("From", "1.1", "7")
_TO = _org("To", "13.1", "13.2")

_STAFF = (
    E("Department", vendor=250, source="edxml.md §6 StaffInfo (U4)"),
    E("Staff", vendor=100, source="edxml.md §6 StaffInfo (U4)"),
    E("Mobile", vendor=100, source="edxml.md §6 StaffInfo (U4)"),
    E("Email", vendor=100, check="email", source="edxml.md §6 StaffInfo (U4)"),
)


def _response_for(status: bool) -> tuple[E, ...]:
    src = "edxml.md §9.2 ResponseFor" if status else "edxml.md §4 1.12 ResponseFor"
    return (
        E("OrganId", 1, 1, check="organ", source=src),
        E("Code", 1, 1, check="skh", source=f"{src} (G-SKH §11.5)"),
        E("PromulgationDate", 1, 1, check="date", source=f"{src}; §12"),
        E(
            "DocumentId",
            1 if status else 0,
            1,
            check="docid",
            source=f"{src} (SR-099)",
            tolerated_missing=status,
        ),
    )


_MESSAGE_HEADER = (
    E("From", 1, 1, kids=_FROM, source="edxml.md §4 1.1"),
    E("To", 1, None, kids=_TO, source="edxml.md §4 1.2"),
    E(
        "Code",
        1,
        1,
        source="edxml.md §4 1.3",
        kids=(
            E(
                "CodeNumber",
                1,
                1,
                check="code_number",
                nd30="4",
                source="edxml.md §4 1.3; §11.5",
                evidence="R",
            ),
            E(
                "CodeNotation",
                1,
                1,
                check="code_notation",
                nd30="5",
                source="edxml.md §4 1.3; §11.5",
                evidence="R",
            ),
        ),
    ),
    E(
        "PromulgationInfo",
        1,
        1,
        source="edxml.md §4 1.4",
        kids=(
            E("Place", 1, 1, bkav=50, source="edxml.md §4 1.4"),
            E("PromulgationDate", 1, 1, check="date", source="edxml.md §4 1.4; §12"),
        ),
    ),
    E(
        "DocumentType",
        1,
        1,
        source="edxml.md §4 1.5; §10.5",
        kids=(
            E("Type", 1, 1, check="doc_type", source="edxml.md §4 1.5; §10.5"),
            E("TypeDetail", check="int", source="edxml.md §4 1.5; §10.5"),
            E("TypeName", 1, 1, nd30="3", source="edxml.md §4 1.5; NĐ 30 PL VI", evidence="R"),
        ),
    ),
    E("Subject", 1, 1, nd30="8", source="edxml.md §4 1.6; NĐ 30 PL VI", evidence="R"),
    E("Content", 1, 1, bkav=500, tolerated_missing=True, source="edxml.md §4 1.7 (obs.)"),
    E(
        "SignerInfo",
        1,
        1,
        source="edxml.md §4 1.8",
        kids=(
            E("Competence", bkav=100, source="edxml.md §4 1.8"),
            E("Position", nd30="12.1", source="edxml.md §4 1.8; NĐ 30 PL VI", evidence="R"),
            E("FullName", 1, 1, nd30="12.2", source="edxml.md §4 1.8; NĐ 30 PL VI", evidence="R"),
        ),
    ),
    E("DueDate", 1, 1, check="date", tolerated_missing=True, source="edxml.md §4 1.9 (obs. 0); §15 #10"),
    E(
        "ToPlaces",
        source="edxml.md §4 1.10",
        kids=(E("Place", 0, None, bkav=150, source="edxml.md §4 1.10"),),
    ),
    E(
        "OtherInfo",
        1,
        1,
        source="edxml.md §4 1.11",
        extras=frozenset({"Direction", "ReplyFors", "ReferenceCodes"}),
        kids=(
            E("Priority", 1, 1, check="priority", nd30="14", source="edxml.md §4 1.11; §10.1", evidence="R"),
            E("SphereOfPromulgation", 1, 1, bkav=100, source="edxml.md §4 1.11"),
            E("TyperNotation", 1, 1, bkav=10, source="edxml.md §4 1.11"),
            E(
                "PromulgationAmount",
                check="int",
                nd30="15",
                source="edxml.md §4 1.11; NĐ 30 PL VI",
                evidence="R",
            ),
            E("PageAmount", check="int", nd30="10", source="edxml.md §4 1.11; NĐ 30 PL VI", evidence="R"),
            E(
                "Appendixes",
                source="edxml.md §4 1.11",
                kids=(E("Appendix", 0, None, bkav=250, source="edxml.md §4 1.11"),),
            ),
        ),
    ),
    E("ResponseFor", 0, None, kids=_response_for(False), source="edxml.md §4 1.12"),
    E("SteeringType", check="steering", source="edxml.md §4 1.13; §10.2; OQ-15"),
    E("DocumentId", 1, 1, check="docid", source="edxml.md §4 1.14; §11.4"),
)

_BUSSINESS = (
    E("BussinessDocType", 1, 1, check="business_doc_type", source="edxml.md §6; §10.4"),
    E("BussinessDocReason", source="edxml.md §6"),
    E("Paper", check="paper", source="edxml.md §6; §10.4; OQ-17"),
    E("DocumentId", check="docid", source="edxml.md §6"),
    E("StaffInfo", kids=_STAFF, source="edxml.md §6"),
    E(
        "BussinessDocumentInfo",
        source="edxml.md §6",
        kids=(
            E("DocumentInfo", check="flag", source="edxml.md §6; §10.4"),
            E("DocumentReceiver", check="flag", source="edxml.md §6; §10.4"),
            E(
                "ReceiverList",
                source="edxml.md §6",
                kids=(
                    E(
                        "Receiver",
                        0,
                        None,
                        source="edxml.md §6",
                        kids=(
                            E("OrganId", 1, 1, check="organ", source="edxml.md §6 Receiver"),
                            E("ReceiverType", 1, 1, check="flag", source="edxml.md §6; §10.4"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    E(
        "ReplacementInfoList",
        source="edxml.md §6",
        kids=(
            E(
                "ReplacementInfo",
                0,
                None,
                source="edxml.md §6",
                kids=(
                    E("DocumentId", 1, 1, check="docid", source="edxml.md §6 ReplacementInfo"),
                    E(
                        "OrganIdList",
                        source="edxml.md §6",
                        kids=(E("OrganId", 0, None, check="organ", source="edxml.md §6 OrganIdList"),),
                    ),
                ),
            ),
        ),
    ),
)

_TRACE_HEADER_LIST = (
    E(
        "TraceHeader",
        1,
        None,
        tolerant_after_first=True,
        source="edxml.md §6",
        kids=(
            E("OrganId", 1, 1, check="organ", source="edxml.md §6 TraceHeader/OrganId"),
            E("Timestamp", 1, 1, check="timestamp", source="edxml.md §6; §12"),
        ),
    ),
    E("Bussiness", 1, 1, kids=_BUSSINESS, source="edxml.md §6 (official spelling, SR-041)"),
)

_REFERENCE = (
    E("ContentId", 1, 1, check="cid", source="edxml.md §8.1"),
    E("ContentType", 1, 1, source="edxml.md §8.1"),
    E("Description", source="edxml.md §8.1"),
    E("AttachmentName", 1, 1, bkav=200, source="edxml.md §8.1"),
    E("Size", check="int", source="edxml.md §8.1 (declared size, extension [I])", evidence="I"),
    E("Digest", source="edxml.md §8.1 (declared SHA-256, extension [I])", evidence="I"),
)

#: edxml.md §8.1 AttachmentEncoded/Attachment (validated while parsing, then cleared)
ATTACHMENT = (
    E("ContentId", 1, 1, check="cid", source="edxml.md §8.1"),
    E("AttachmentName", 1, 1, bkav=200, source="edxml.md §8.1"),
    E("Description", source="edxml.md §8.1"),
    E("ContentType", 1, 1, source="edxml.md §8.1"),
    E("ContentTransferEncoded", 1, 1, check="base64", source="edxml.md §8.1"),
)
_ATTACHMENT_EXTRAS = frozenset({"FieldName", "MimeType", "Format"})

_SIGNATURE = E("Signature", 0, 1, any_namespace=True, opaque=True, source="edxml.md §7; OQ-19")

#: edxml.md §2 document package, from the root element down
EDOC_ROOT = (
    E(
        "edXMLEnvelope",
        1,
        1,
        source="edxml.md §2",
        kids=(
            E(
                "edXMLHeader",
                1,
                1,
                source="edxml.md §2",
                extras=frozenset({"DigitalSignature"}),
                kids=(
                    E(
                        "MessageHeader",
                        1,
                        1,
                        kids=_MESSAGE_HEADER,
                        source="edxml.md §4",
                        extras=frozenset({"ResponseForTask", "ApplicationType"}),
                    ),
                    E("TraceHeaderList", 1, 1, kids=_TRACE_HEADER_LIST, source="edxml.md §6"),
                    _SIGNATURE,
                ),
            ),
            E(
                "edXMLBody",
                1,
                1,
                source="edxml.md §2",
                kids=(
                    E(
                        "edXMLManifest",
                        1,
                        1,
                        source="edxml.md §8.1",
                        kids=(E("Reference", 0, None, kids=_REFERENCE, source="edxml.md §8.1"),),
                    ),
                ),
            ),
        ),
    ),
    E(
        "AttachmentEncoded",
        source="edxml.md §2, §8.1",
        kids=(E("Attachment", 0, None, opaque=True, source="edxml.md §8.1", extras=_ATTACHMENT_EXTRAS),),
    ),
)

#: edxml.md §9.2 status package (MessageHeader only, no body)
STATUS_ROOT = (
    E(
        "edXMLEnvelope",
        1,
        1,
        source="edxml.md §9.2",
        kids=(
            E(
                "edXMLHeader",
                1,
                1,
                source="edxml.md §9.2",
                kids=(
                    E(
                        "MessageHeader",
                        1,
                        1,
                        source="edxml.md §9.2",
                        kids=(
                            E("From", 1, 1, kids=_FROM, source="edxml.md §9.2 From"),
                            E("ResponseFor", 1, 1, kids=_response_for(True), source="edxml.md §9.2"),
                            E("StaffInfo", 1, 1, kids=_STAFF, source="edxml.md §9.2"),
                            E("StatusCode", 1, 1, check="status", source="edxml.md §9.2; §10.3"),
                            E("Description", 1, 1, source="edxml.md §9.2"),
                            E("Timestamp", 1, 1, check="timestamp", source="edxml.md §9.2; §12"),
                        ),
                    ),
                    _SIGNATURE,
                ),
            ),
            E("edXMLBody", opaque=True, source="edxml.md §9.2 (no body)"),
        ),
    ),
    E("AttachmentEncoded", opaque=True, source="edxml.md §9.2 (no body)"),
)

#: edxml.md §10.5 list A — VBQPPL (Type 1) codes [S]
VBQPPL_TYPES: tuple[tuple[int, str], ...] = (
    (1, "Hiến pháp"),
    (2, "Luật"),
    (3, "Pháp lệnh"),
    (4, "Lệnh"),
    (5, "Nghị quyết"),
    (6, "Nghị quyết liên tịch"),
    (7, "Nghị định"),
    (8, "Quyết định"),
    (9, "Thông tư"),
    (10, "Thông tư liên tịch"),
    (11, "Chỉ thị"),
    (12, "Bộ luật"),
    (13, "Văn bản quy phạm pháp luật của đơn vị hành chính – kinh tế đặc biệt"),
)
