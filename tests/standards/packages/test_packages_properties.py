"""Property tests: whatever dossier the builder is given, its package validates; one mutation of a valid
package is reported under exactly its rule code, at the file and element it broke.

Deterministic (derandomize, no deadline, ≤100 examples, no example database) so the suite neither depends
on nor changes global Hypothesis settings.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conformance.standards.packages import RULES, DocumentSpec, DossierSpec, build, validate_package
from conformance.standards.packages.build import edit_xml, reseal
from conformance.standards.packages.tables import frame, list_codes

M = "{http://www.loc.gov/METS/}"
X = "{http://www.w3.org/1999/xlink}"
REP = "representations/rep1"

PROFILE = settings(
    derandomize=True,
    deadline=None,
    max_examples=100,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
WORD = st.text(LETTERS + LETTERS.upper(), min_size=1, max_size=12).map(
    lambda s: unicodedata.normalize("NFC", s)
)
TEXT = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
CODES = {name: sorted(list_codes(name)) for name in ("mode", "language", "type_name", "risk_recovery_status")}


@st.composite
def documents(
    draw: st.DrawFn, n: int, start: dt.date, end: dt.date, level: str | None
) -> tuple[DocumentSpec, ...]:
    docs = []
    for i in range(1, n + 1):
        risk = draw(st.booleans())
        doc_level = draw(st.sampled_from([level, "01", "02", "03", None]))
        docs.append(
            DocumentSpec(
                ordinal=i,
                issued_date=draw(st.dates(start, end)),
                organ_name=draw(TEXT).title()[:200],
                subject=draw(TEXT)[:500],
                type_name=draw(st.sampled_from(CODES["type_name"])),
                code_number=f"{draw(st.integers(1, 9999)):02d}",
                code_notation=draw(st.sampled_from(["QĐ-UBND", "UBND-VP", "KH-UBND", "TTr-SNV", "BC-UBND"])),
                number_of_page=draw(st.integers(1, 300)),
                language=tuple(
                    draw(st.lists(st.sampled_from(CODES["language"]), min_size=1, max_size=3, unique=True))
                ),
                mode=draw(st.sampled_from(CODES["mode"])),
                confidence_level=doc_level,
                risk_recovery=risk,
                risk_recovery_status=draw(st.sampled_from(CODES["risk_recovery_status"])) if risk else None,
                keyword=draw(st.one_of(st.just(""), WORD)),
                description=draw(TEXT)[:500],
                already_submitted=draw(st.booleans()) if i > 1 else False,
            )
        )
    return tuple(docs)


@st.composite
def dossiers(draw: st.DrawFn) -> tuple[str, DossierSpec]:
    kind = draw(st.sampled_from(["SIP_hoso", "SIP_hoso", "AIP_hoso", "SIP_tailieu", "AIP_tailieu"]))
    year = draw(st.integers(2000, 2030))
    start = draw(st.dates(dt.date(year, 1, 1), dt.date(year, 6, 30)))
    end = draw(st.dates(start, dt.date(year, 12, 31)))
    level = draw(st.sampled_from(["01", "02", "03", None]))
    organ = draw(st.sampled_from(["H99", "H99.64.33", "G09.01"]))
    if kind.endswith("_tailieu"):
        # docId (≤25) = fileCode + "." + STT, and a loose fileCode is already organ + 15 characters: only a
        # short organ code fits (a TT05 inconsistency the validator reports, not a builder choice)
        organ = "H99"
        file_code = f"{organ}.{year}.{draw(st.integers(1, 99)):02d}.{draw(st.integers(1, 9999)):07d}"
    else:
        file_code = (
            f"{organ}.{year}.{draw(st.integers(1, 99)):02d}.{draw(st.sampled_from(['TCCB', 'VP', 'KHTC']))}"
        )
    n = draw(st.integers(1, 4))
    risk = draw(st.booleans())
    digitised = level == "02"
    spec = DossierSpec(
        file_code=file_code,
        title=draw(TEXT),
        start_date=start,
        end_date=end,
        documents=draw(documents(n, start, end, level)),
        maintenance="01",
        mode=draw(st.sampled_from(CODES["mode"])),
        language=tuple(
            draw(st.lists(st.sampled_from(CODES["language"]), min_size=1, max_size=2, unique=True))
        ),
        confidence_level=level,
        number_of_paper=draw(st.integers(1, 999)) if digitised else None,
        paper_file_code="H99LT.K2-G05-H012.0345" if digitised else "",
        risk_recovery=risk,
        risk_recovery_status="01" if risk else None,
        format=draw(st.sampled_from(["", "01", "02", "03"])),
        description=draw(TEXT),
        source=draw(st.sampled_from(["0", "1"])) if kind.endswith("_tailieu") else None,
        package_uuid=str(draw(st.uuids())).upper(),
    )
    return kind, spec


@PROFILE
@given(dossiers())
def test_builder_output_always_validates(case: tuple[str, DossierSpec]) -> None:
    kind, spec = case
    with tempfile.TemporaryDirectory() as tmp:
        as_zip = kind == "SIP_hoso" and spec.mode == "02"
        pkg = build.build_package(spec, tmp, kind=kind, as_zip=as_zip)
        report = validate_package(pkg)
        assert report.valid, report.text()
        assert report.kind == kind
        assert report.stats["documents"] == len(spec.documents)


# --- single mutations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    name: str
    code: str
    apply: Callable[[Path, DossierSpec, Any], tuple[str | None, str | None]]  # → (file, element)
    kinds: tuple[str, ...] = ("SIP_hoso", "AIP_hoso")


def _doc_rel(spec: DossierSpec, n: int) -> str:
    return f"{REP}/metadata/descriptive/EAD_doc_{spec.file_code}.{n}.xml"


def _first_data(root: Any) -> Any:
    grp = next(g for g in root.iter(f"{M}fileGrp") if g.get("USE") == "Data")
    return grp.find(f"{M}file")


def m_checksum(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    edit_xml(pkg / REP / "METS.xml", lambda r: _first_data(r).set("CHECKSUM", "F" * 64))
    reseal(pkg, root_only=True)
    return f"{REP}/METS.xml", "@CHECKSUM"


def m_size(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    edit_xml(
        pkg / REP / "METS.xml", lambda r: _first_data(r).set("SIZE", str(int(_first_data(r).get("SIZE")) + 3))
    )
    reseal(pkg, root_only=True)
    return f"{REP}/METS.xml", "@SIZE"


def _remove(name: str) -> Callable[[Any], None]:
    return lambda r: r.remove(r.find(name))


def m_drop_field(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    kind = "AIP_hoso" if (pkg / "metadata/preservation").exists() else "SIP_hoso"
    name = draw(st.sampled_from([e.name for e in frame(kind) if e.need == "required"]))
    edit_xml(pkg / "metadata/descriptive/EAD.xml", _remove(name))
    reseal(pkg)
    return "metadata/descriptive/EAD.xml", name


def m_drop_doc_field(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    kind = "AIP_doc" if (pkg / "metadata/preservation").exists() else "SIP_doc"
    name = draw(st.sampled_from([e.name for e in frame(kind) if e.need == "required"]))
    n = draw(st.integers(1, len(spec.documents)))
    edit_xml(pkg / _doc_rel(spec, n), _remove(name))
    reseal(pkg)
    return _doc_rel(spec, n), name


def m_bad_code(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    name = draw(st.sampled_from(["maintenance", "mode", "language"]))
    edit_xml(pkg / "metadata/descriptive/EAD.xml", lambda r: setattr(r.find(name), "text", "99"))
    reseal(pkg)
    return "metadata/descriptive/EAD.xml", name


def m_bad_type_name(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    n = draw(st.integers(1, len(spec.documents)))
    edit_xml(pkg / _doc_rel(spec, n), lambda r: setattr(r.find("typeName"), "text", "33"))
    reseal(pkg)
    return _doc_rel(spec, n), "typeName"


def m_orphan(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, None]:
    rel = draw(
        st.sampled_from([f"{REP}/data/thua.pdf", "documentation/ghi-chu.txt", "metadata/descriptive/x.xml"])
    )
    (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
    (pkg / rel).write_bytes(b"%PDF-1.4\n")
    return rel, None


def m_delete_data(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    files = sorted(p for p in (pkg / REP / "data").iterdir() if not p.name.endswith(".fetch.txt"))
    assume(len(files) > 1)  # deleting the only data file also empties data/ (pkg.structure.missing)
    draw(st.sampled_from(files)).unlink()
    return f"{REP}/METS.xml", "xlink:href"


def m_title_too_long(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    n = draw(st.integers(1001, 1200))
    edit_xml(pkg / "metadata/descriptive/EAD.xml", lambda r: setattr(r.find("title"), "text", "đ" * n))
    reseal(pkg)
    return "metadata/descriptive/EAD.xml", "title"


def m_dangling_fileid(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    def fn(r: Any) -> None:
        div = next(d for d in r.iter(f"{M}div") if d.get("LABEL", "").startswith("MetadataLink/"))
        div.append(div.makeelement(f"{M}fptr", FILEID="ID-00000000-0000-4000-8000-000000000000"))

    edit_xml(pkg / REP / "METS.xml", fn)
    reseal(pkg)
    return f"{REP}/METS.xml", "@FILEID"


def m_risk_without_status(pkg: Path, spec: DossierSpec, draw: Any) -> tuple[str, str]:
    def fn(r: Any) -> None:
        r.find("riskRecovery").text = "1"
        r.find("riskRecoveryStatus").text = ""

    edit_xml(pkg / "metadata/descriptive/EAD.xml", fn)
    reseal(pkg)
    return "metadata/descriptive/EAD.xml", "riskRecoveryStatus"


MUTATIONS = [
    Mutation("checksum", "ref.checksum.mismatch", m_checksum),
    Mutation("size", "ref.size.mismatch", m_size),
    Mutation("drop_field", "ead.field.missing", m_drop_field),
    Mutation("drop_doc_field", "ead.field.missing", m_drop_doc_field),
    Mutation("bad_code", "ead.code", m_bad_code),
    Mutation("bad_type_name", "ead.code", m_bad_type_name),
    Mutation("orphan", "pkg.orphan", m_orphan),
    Mutation("delete_data", "ref.href.dangling", m_delete_data),
    Mutation("title_too_long", "ead.field.length", m_title_too_long),
    Mutation("dangling_fileid", "smap.fileid.dangling", m_dangling_fileid),
    Mutation("risk_without_status", "ead.riskrecoverystatus.missing", m_risk_without_status),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
@settings(PROFILE, max_examples=8)
@given(case=dossiers().filter(lambda c: c[0].endswith("_hoso")), data=st.data())
def test_single_mutation_is_named_precisely(
    mutation: Mutation, case: tuple[str, DossierSpec], data: Any
) -> None:
    kind, spec = case
    with tempfile.TemporaryDirectory() as tmp:
        pkg = build.build_package(spec, tmp, kind=kind)
        file, element = mutation.apply(pkg, spec, data.draw)
        report = validate_package(pkg)
        hits = [
            f
            for f in report.errors
            if f.code == mutation.code and f.file == file and (element is None or element in (f.xpath or ""))
        ]
        assert hits, f"{mutation.name}: no {mutation.code} at {file} {element}\n{report.text()}"
        assert report.error_codes == {mutation.code}, f"{mutation.name}\n{report.text()}"


# --- robustness: a damaged package is reported, never a crash --------------------------------------------


@settings(PROFILE, max_examples=50)
@given(
    kind=st.sampled_from(["SIP_hoso", "AIP_hoso", "SIP_tailieu", "AIP_tailieu"]),
    pick=st.integers(0, 10_000),
    op=st.sampled_from(["drop", "attr", "text", "dup", "truncate"]),
    value=st.sampled_from(["", "0", "x", "../../x", "/abs", "urn:x", "99/99/9999", "ư" * 3000]),
    seal=st.booleans(),
)
def test_damaged_packages_never_crash(kind: str, pick: int, op: str, value: str, seal: bool) -> None:
    spec = build.example_loose_batch() if kind.endswith("_tailieu") else build.example_dossier(format="01")
    with tempfile.TemporaryDirectory() as tmp:
        pkg = build.build_package(spec, tmp, kind=kind)
        xmls = sorted(pkg.rglob("*.xml"))
        target = xmls[pick % len(xmls)]
        if op == "truncate":
            target.write_bytes(target.read_bytes()[: pick % 300])
        else:

            def fn(root: Any) -> None:
                els = [e for e in root.iter() if isinstance(e.tag, str)]
                el = els[pick % len(els)]
                if op == "drop" and el is not root:
                    el.getparent().remove(el)
                elif op == "attr" and el.attrib:
                    el.set(sorted(el.attrib)[pick % len(el.attrib)], value)
                elif op == "text":
                    el.text = value
                elif op == "dup" and el is not root:
                    el.addnext(copy.deepcopy(el))

            edit_xml(target, fn)
        if seal:
            reseal(pkg)
        report = validate_package(pkg)
        assert report.status in ("valid", "invalid")
        assert all(f.code in RULES for f in report.findings)
