"""Who signed: read a signer certificate and decide personal vs organisation (NĐ 30 Điều 13.7, SR-050).

Why a rule is needed: NĐ 30 requires the competent person's signature first and the agency's second,
but an X.509 certificate has no standard "this is a person" flag. Vietnamese CAs put the agency in
``O`` for *both* kinds (a leader's certificate names his agency), so ``O`` alone decides nothing.
The rule, first match wins (``SignerIdentity.kind_basis`` records which step decided):

1. **Certificate policy** — an OID listed in ``organisation_policies`` / ``personal_policies``
   (defaults: the two private OIDs of the test CA in ``fixtures/pki``; add the real CA's OIDs in a
   profile, e.g. the Ban Cơ yếu Chính phủ policies, which were not consulted [I]).
2. **UID prefix** — the public-CA convention ``UID=CMND:…``/``CCCD:…``/``HC:…`` for a person and
   ``UID=MST:…``/``MNS:…`` for an organisation [S: vendor certificates; not normative].
3. **Person attributes** — a ``title`` (chức vụ), ``givenName`` or ``surname`` in the subject → personal [I].
4. **CN equals O** (NFC, case-folded) → organisation [I].
5. Otherwise ``unknown`` (a warning, never a silent guess).

Depends only on ``asn1crypto`` (installed with pyHanko), not on pyHanko itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from asn1crypto import x509 as asn1_x509

__all__ = [
    "ORGANISATION_UID_PREFIXES",
    "PERSONAL_UID_PREFIXES",
    "TEST_POLICY_ORGANISATION",
    "TEST_POLICY_PERSONAL",
    "SignerIdentity",
    "SignerKind",
    "identify_signer",
]

SignerKind = Literal["personal", "organisation", "unknown"]

#: private policy OIDs of the test CA (2.25 = UUID arc, RFC 4122 §C; uuid5 of a fixed URN) [I]
TEST_POLICY_PERSONAL = "2.25.91904892300167235001355469105627246176"
TEST_POLICY_ORGANISATION = "2.25.184525734113850924337755444036694970925"

#: UID prefixes of personal certificates: CMND/CCCD (identity card), HC (hộ chiếu, passport) [S]
PERSONAL_UID_PREFIXES = ("CMND:", "CCCD:", "HC:")
#: UID prefixes of organisation certificates: MST (mã số thuế), MNS (mã quan hệ ngân sách) [S]
ORGANISATION_UID_PREFIXES = ("MST:", "MNS:")


def _fold(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold().strip()


def _values(name: asn1_x509.Name, key: str) -> tuple[str, ...]:
    """All values of one attribute (a subject may repeat OU or UID)."""
    out: list[str] = []
    for rdn in name.chosen:
        for atv in rdn:
            if atv["type"].native == key:
                value = atv["value"].native
                out.append(unicodedata.normalize("NFC", str(value)))
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class SignerIdentity:
    """The parts of a signer certificate the NĐ 30 checks need, plus the personal/organisation call."""

    subject: str
    common_name: str | None
    organisation: str | None
    organisational_unit: str | None
    title: str | None
    uid: str | None
    policies: tuple[str, ...]
    serial: int
    issuer: str
    not_before: object
    not_after: object
    kind: SignerKind
    kind_basis: str


def _kind(
    cn: str | None,
    org: str | None,
    title: str | None,
    has_person_names: bool,
    uids: Iterable[str],
    policies: Iterable[str],
    personal_policies: frozenset[str],
    organisation_policies: frozenset[str],
) -> tuple[SignerKind, str]:
    policies = tuple(policies)
    if any(p in organisation_policies for p in policies):
        return "organisation", "policy"
    if any(p in personal_policies for p in policies):
        return "personal", "policy"
    for uid in uids:
        upper = uid.strip().upper()
        if upper.startswith(PERSONAL_UID_PREFIXES):
            return "personal", "uid"
        if upper.startswith(ORGANISATION_UID_PREFIXES):
            return "organisation", "uid"
    if title or has_person_names:
        return "personal", "title"
    if cn and org and _fold(cn) == _fold(org):
        return "organisation", "cn=o"
    return "unknown", "none"


def identify_signer(
    cert: asn1_x509.Certificate,
    *,
    personal_policies: Iterable[str] = (TEST_POLICY_PERSONAL,),
    organisation_policies: Iterable[str] = (TEST_POLICY_ORGANISATION,),
) -> SignerIdentity:
    """Read the subject and policies of ``cert`` and classify it with the rule in the module doc."""
    subject = cert.subject
    cn = next(iter(_values(subject, "common_name")), None)
    org = next(iter(_values(subject, "organization_name")), None)
    ou = next(iter(_values(subject, "organizational_unit_name")), None)
    title = next(iter(_values(subject, "title")), None)
    uids = _values(subject, "user_id")
    person_names = bool(_values(subject, "given_name") or _values(subject, "surname"))
    policies: tuple[str, ...] = ()
    if cert.certificate_policies_value is not None:
        policies = tuple(p["policy_identifier"].dotted for p in cert.certificate_policies_value)
    kind, basis = _kind(
        cn,
        org,
        title,
        person_names,
        uids,
        policies,
        frozenset(personal_policies),
        frozenset(organisation_policies),
    )
    return SignerIdentity(
        subject=unicodedata.normalize("NFC", subject.human_friendly),
        common_name=cn,
        organisation=org,
        organisational_unit=ou,
        title=title,
        uid=uids[0] if uids else None,
        policies=policies,
        serial=cert.serial_number,
        issuer=unicodedata.normalize("NFC", cert.issuer.human_friendly),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        kind=kind,
        kind_basis=basis,
    )
