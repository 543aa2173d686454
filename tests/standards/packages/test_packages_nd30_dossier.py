"""The NĐ 30 dossier export as area 2 uses it: chronological order, every document linked to its dossier,
lengths per regime, and reading the exported values back."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conformance.standards.packages import (
    example_nd30_export,
    read_nd30_export,
    validate_nd30_export,
    write_nd30_export,
)
from conformance.standards.packages._xml import XmlRefused

Edit = Callable[[dict[str, Any], list[tuple[str, dict[str, Any]]]], None]


def export(tmp_path: Path, edit: Edit | None = None, name: str = "hs.xml") -> Path:
    dossier, docs = copy.deepcopy(example_nd30_export())
    if edit:
        edit(dossier, docs)
    return write_nd30_export(tmp_path / name, dossier, docs)


def codes(path: Path, **kw: Any) -> set[str]:
    return set(validate_nd30_export(path, **kw).error_codes)


def test_the_example_is_valid_in_both_regimes(tmp_path: Path) -> None:
    path = export(tmp_path)
    for regime in ("2020", "2025"):
        report = validate_nd30_export(path, regime=regime)
        assert report.valid, [str(f) for f in report.findings]
        assert report.parameters["regime"] == regime


def test_documents_out_of_chronological_order_are_an_error(tmp_path: Path) -> None:
    path = export(tmp_path, lambda d, docs: docs.insert(0, docs.pop(1)))
    report = validate_nd30_export(path)
    assert report.error_codes == {"nd30.doc.order"}
    (finding,) = report.by_code("nd30.doc.order")
    assert finding.xpath == "/DossierExport/VanBanDi[2]/IssuedDate"
    assert "05/01/2025" in finding.message


def test_an_incoming_document_is_placed_by_its_arrival_date(tmp_path: Path) -> None:
    def arrival_before_second(d: dict[str, Any], docs: list[tuple[str, dict[str, Any]]]) -> None:
        docs[2][1].update(IssuedDate="01/01/2025", ArrivalDate="21/11/2025")

    assert codes(export(tmp_path, arrival_before_second)) == set()

    def arrival_too_early(d: dict[str, Any], docs: list[tuple[str, dict[str, Any]]]) -> None:
        docs[2][1].update(IssuedDate="01/01/2025", ArrivalDate="02/01/2025")

    assert codes(export(tmp_path, arrival_too_early, "den.xml")) == {"nd30.doc.order"}


def test_same_day_documents_keep_their_order(tmp_path: Path) -> None:
    def same_day(d: dict[str, Any], docs: list[tuple[str, dict[str, Any]]]) -> None:
        docs[0][1]["IssuedDate"] = docs[1][1]["IssuedDate"] = "10/06/2025"

    assert codes(export(tmp_path, same_day)) == set()


@pytest.mark.parametrize("field", ["FileCode", "FileNotation", "DocOrdinal"])
def test_every_exported_document_carries_its_link_to_the_dossier(tmp_path: Path, field: str) -> None:
    report = validate_nd30_export(export(tmp_path, lambda d, docs: docs[1][1].pop(field)))
    assert report.error_codes == {"nd30.field.missing"}
    assert report.by_code("nd30.field.missing")[0].xpath == f"/DossierExport/VanBanDi[2]/{field}"


def test_the_dossier_code_on_a_document_must_be_the_dossiers(tmp_path: Path) -> None:
    path = export(tmp_path, lambda d, docs: docs[0][1].update(FileCode="000.00.00.H99.2025.02.TCCB"))
    assert codes(path) == {"nd30.doc.filecode"}


def test_lengths_follow_the_regime(tmp_path: Path) -> None:
    long = export(tmp_path, lambda d, docs: d.update(Title="ê" * 1000, Description="ô" * 2000))
    assert codes(long) == {"nd30.field.length"}
    assert codes(long, regime="2025") == set()
    longer = export(tmp_path, lambda d, docs: d.update(Title="ê" * 1001), "dai.xml")
    assert codes(longer, regime="2025") == {"nd30.field.length"}
    with pytest.raises(ValueError):
        validate_nd30_export(long, regime="2030")


def test_read_back_values_in_file_order(tmp_path: Path) -> None:
    dossier, docs = read_nd30_export(export(tmp_path))
    assert dossier["FileCode"] == "000.00.00.H99.2025.01.TCCB" and dossier["Title"].startswith(
        "Hồ sơ tuyển dụng"
    )
    assert [(el, d["CodeNumber"]) for el, d in docs] == [
        ("VanBanDi", "01"),
        ("VanBanDi", "15"),
        ("VanBanDen", "125"),
    ]
    assert "SignerInfo" not in docs[0][1]  # groups are left out
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><DossierExport/>')
    with pytest.raises(XmlRefused):
        read_nd30_export(bomb)
