"""The reference's own SIP writer (refoffice.sip) against the harness's validator.

The two are separate implementations of TT 05/2025 PL III; here (tests may import both sides) the
validator must accept what the reference writes, and each package fault of the reference must be
named by exactly the validator rule it breaks.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.standards.packages import validate_package
from refoffice import sip
from refoffice.tt05_codes import language_code, maintenance_code, mode_code, qd20_organ_code, type_code

VN = dt.timezone(dt.timedelta(hours=7))
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _doc(n: int, **kw: object) -> sip.PackDocument:
    base = sip.PackDocument(
        ordinal=n,
        type_name=["Kế hoạch", "Quyết định", "Công văn"][n % 3],
        code_number=f"{n:02d}",
        code_notation="UBND-VP",
        issued_date=dt.date(2026, 3, n),
        organ_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        subject=f"Về việc triển khai công tác văn thư, lần {n}",
        language="Tiếng Việt",
        page_amount=n + 1,
        file_name=f"van-ban-{n}.pdf",
        file=sip.Blob(content=PDF),
        workflow=f"{n:02d}/03/2026\tĐăng ký, cấp số\tVăn thư\n",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _dossier(**kw: object) -> sip.PackDossier:
    base = sip.PackDossier(
        file_code="H49.2026.01.NL12345678",
        title="Hồ sơ tuyển dụng công chức năm 2026",
        maintenance="Vĩnh viễn",
        rights=None,
        language="Tiếng Việt",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 3),
        creator="Nguyễn Văn An",
        description=None,
        organ_name="Ủy ban nhân dân tỉnh Quảng Ninh",
        fonds_code="H49",
        created=dt.datetime(2026, 5, 4, 9, 30, tzinfo=VN),
        documents=(_doc(1), _doc(2), _doc(3)),
        registration_code="DKNL-2026-0001",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _write(tmp_path: Path, d: sip.PackDossier, faults: tuple[str, ...] = ()) -> tuple[Path, sip.SipResult]:
    buf = io.BytesIO()
    res = sip.write_sip(d, "H49", buf, frozenset(faults))
    path = tmp_path / res.zip_name
    path.write_bytes(buf.getvalue())
    return path, res


def test_clean_package_is_valid(tmp_path: Path) -> None:
    path, res = _write(tmp_path, _dossier())
    report = validate_package(path)
    assert report.status == "valid", report.text()
    assert report.kind == "SIP_hoso"
    assert not report.warnings, report.text()
    assert res.files == 1 + 2 + 3 + 3 * 3  # EAD, METS ×2, schemas ×3, per document EAD_doc + file + workflow
    assert res.zip_name == f"1{res.objid}.zip"


def test_same_dossier_same_registration_same_package(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, ra = _write(tmp_path / "a", _dossier())
    b, rb = _write(tmp_path / "b", _dossier())
    assert ra.objid == rb.objid and a.read_bytes() == b.read_bytes()
    _, rc = _write(tmp_path, _dossier(registration_code="DKNL-2026-0002"))
    assert rc.objid != ra.objid


def test_digitised_and_backed_up_dossier(tmp_path: Path) -> None:
    d = _dossier(
        confidence_level="02",
        paper_file_code="H49LT.K2-G05-H012.0345",
        number_of_paper=12,
        risk_recovery=True,
        risk_recovery_status="01",
    )
    path, _ = _write(tmp_path, d)
    report = validate_package(path)
    assert report.status == "valid", report.text()
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if n.endswith(".quy-trinh.txt")], (
        "digitised documents carry no workflow file"
    )


def test_document_of_an_earlier_package_is_a_holey_file(tmp_path: Path) -> None:
    d = _dossier(documents=(_doc(1), _doc(2, earlier_package=True)))
    path, res = _write(tmp_path, d)
    assert validate_package(path).status == "valid"
    assert res.holey_documents == [2]
    names = zipfile.ZipFile(path).namelist()
    fetch = [n for n in names if n.endswith(".fetch.txt")]
    assert len(fetch) == 1
    assert zipfile.ZipFile(path).read(fetch[0]).decode().strip() == "H49.2026.01.NL12345678.2"


def test_large_stored_file_is_streamed(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        rnd = random.Random(7)  # incompressible, so the validator does not take it for a ZIP bomb
        for _ in range(3 * sip.CHUNK // 65536 + 1):
            fh.write(rnd.randbytes(65536))
    d = _dossier(documents=(_doc(1, file=sip.Blob(path=big)),))
    path, _ = _write(tmp_path, d)
    assert validate_package(path).status == "valid"


FAULT_RULES = {
    sip.F_CHECKSUM: {"ref.checksum.mismatch"},
    sip.F_ORPHAN: {"pkg.orphan"},
    sip.F_EAD_MISSING: {"ead.field.missing"},
    sip.F_CODE_BAD: {"ead.code"},
    sip.F_OBJID: {"mets.objid"},
    sip.F_PREMIS: {"pkg.premis.in_sip"},
    sip.F_SMAP: {"smap.dmd.unlinked", "smap.link.missing"},
    sip.F_DOCCODE: {"ead.doccode"},
    sip.F_WORKFLOW: {"ead.process.file"},
    sip.F_ZIPNAME: {"pkg.zip.name"},
}


@pytest.mark.parametrize("fault", sorted(FAULT_RULES))
def test_each_package_fault_breaks_exactly_its_rule(tmp_path: Path, fault: str) -> None:
    path, _ = _write(tmp_path, _dossier(), (fault,))
    report = validate_package(path)
    assert {f.code for f in report.errors} == FAULT_RULES[fault], report.text()


def test_conditional_field_faults(tmp_path: Path) -> None:
    digitised = _dossier(confidence_level="02", paper_file_code="H49LT.K2-G05-H012.0345", number_of_paper=3)
    path, _ = _write(tmp_path, digitised, (sip.F_PAPER,))
    assert {f.code for f in validate_package(path).errors} == {"ead.paperfilecode.missing"}
    backed_up = _dossier(risk_recovery=True, risk_recovery_status="02")
    path, _ = _write(tmp_path, backed_up, (sip.F_RISK,))
    assert {f.code for f in validate_package(path).errors} == {"ead.riskrecoverystatus.missing"}


def test_holey_fault_sends_the_file_again(tmp_path: Path) -> None:
    d = _dossier(documents=(_doc(1), _doc(2, earlier_package=True)))
    path, res = _write(tmp_path, d, (sip.F_HOLEY,))
    assert validate_package(path).status == "valid"  # still a valid package: the judge counts holey files
    assert res.holey_documents == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vĩnh viễn", "01"),
        ("vĩnh viễn", "01"),
        ("70 năm", "02"),
        ("20 năm", "05"),
        ("10 năm", "06"),
        ("5 năm", "07"),
    ],
)
def test_maintenance_codes(text: str, code: str) -> None:
    assert maintenance_code(text) == code


def test_other_codes() -> None:
    assert mode_code(None) == "01" and mode_code("Mật") == "03"
    assert language_code("Tiếng Việt") == "01" and language_code("Tiếng Ba Na") == "11"
    assert type_code("Công văn") == "22" and type_code("Biên bản") == "20" and type_code("Lạ") == "32"
    assert qd20_organ_code("000.00.00.H49") == "H49"
    assert qd20_organ_code("000.01.12.H99") == "H99.12.01"
    assert qd20_organ_code("H49.64.33") == "H49.64.33"
