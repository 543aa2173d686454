"""JSON Schemas generated from the field tables, validated with jsonschema (draft 2020-12)."""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

import jsonschema
import pytest

from conformance.standards import metadata

# metadata-and-packages.md §12 suggested fixture dossier
DOSSIER: dict[str, Any] = {
    "OrganId": "000.00.00.H49",
    "FileCatalog": 2025,
    "FileNotation": "01.TCCB",
    "FileCode": "000.00.00.H49.2025.01.TCCB",
    "Title": "Hồ sơ tuyển dụng công chức năm 2025",
    "Maintenance": "Vĩnh viễn",
    "Rights": "01",
    "Creator": "Nguyễn Văn A",
    "Language": "Tiếng Việt",
    "StartDate": "05/01/2025",
    "EndDate": "20/11/2025",
    "DocTotal": 3,
    "PageTotal": 7,
}

OUTGOING_SNAKE: dict[str, Any] = {
    "organ_id": "000.00.00.H99",
    "file_catalog": 2025,
    "type_name": "Công văn",
    "code_number": "125",
    "code_notation": "UBND-NV",
    "issued_date": "2025/11/20",
    "organ_name": "Ủy ban nhân dân tỉnh Thử Nghiệm",
    "subject": "V/v kết nối, liên thông phần mềm quản lý văn bản",
    "language": "Tiếng Việt",
    "page_amount": 1,
    "signer_info": {"position": "PHÓ CHỦ TỊCH", "full_name": "Nguyễn Văn A"},
    "to": [
        {"organ_id": "000.00.12.H99", "organ_name": "Sở KH&CN tỉnh Thử Nghiệm"},
        {"organ_id": "H49.64.33"},
    ],
    "priority": 0,
    "issued_amount": 2,
    "due_date": None,
}


def _errors(schema: dict[str, Any], record: dict[str, Any]) -> list[str]:
    v = jsonschema.Draft202012Validator(schema)
    return [e.message for e in v.iter_errors(metadata.normalise_record(record))]


@pytest.mark.parametrize("kind", metadata.KINDS)
@pytest.mark.parametrize("regime", metadata.REGIMES)
@pytest.mark.parametrize("keys", ["both", "english", "snake"])
@pytest.mark.parametrize("flags", [{}, {"mandatory": True, "grammars": True}])
def test_schemas_are_valid_draft_2020_12(kind: str, regime: str, keys: str, flags: dict[str, bool]) -> None:
    schema = metadata.schema_for(kind, regime, keys=keys, **flags)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_fixture_dossier_validates() -> None:
    assert _errors(metadata.schema_for("ho_so", "2020", mandatory=True, grammars=True), DOSSIER) == []


def test_title_boundary_in_schema() -> None:
    rec = copy.deepcopy(DOSSIER)
    rec["Title"] = "ô" * 500
    assert _errors(metadata.schema_for("ho_so", "2020"), rec) == []
    rec["Title"] = "ô" * 501
    assert len(_errors(metadata.schema_for("ho_so", "2020"), rec)) == 1
    assert _errors(metadata.schema_for("ho_so", "2025"), rec) == []
    rec["Title"] = "ô" * 1001
    assert len(_errors(metadata.schema_for("ho_so", "2025"), rec)) == 1


def test_snake_and_english_keys() -> None:
    rec = {"subject": "x" * 501}
    assert _errors(metadata.schema_for("van_ban_di"), rec)
    assert _errors(metadata.schema_for("van_ban_di", keys="snake"), rec)
    assert _errors(metadata.schema_for("van_ban_di", keys="english"), rec) == []
    assert _errors(metadata.schema_for("van_ban_di"), {"Subject": "x" * 501})


def test_outgoing_snake_record() -> None:
    schema = metadata.schema_for("van_ban_di", "2020", keys="snake", mandatory=True, grammars=True)
    assert _errors(schema, OUTGOING_SNAKE) == []
    bad = copy.deepcopy(OUTGOING_SNAKE)
    bad["to"][0]["organ_name"] = "x" * 201
    bad["signer_info"]["full_name"] = "y" * 51
    bad["priority"] = 7
    bad["code_number"] = "5"
    assert len(_errors(schema, bad)) == 4


def test_nested_groups_accept_single_object_and_null() -> None:
    schema = metadata.schema_for("van_ban_di")
    assert _errors(schema, {"To": {"OrganId": "000.00.00.H41"}, "SignerInfo": None}) == []
    assert _errors(schema, {"To": [{"OrganId": "x" * 36}]})


def test_mandatory_fields() -> None:
    schema = metadata.schema_for("ho_so", mandatory=True)
    for key in ("Title", "FileNotation", "Maintenance", "Creator", "StartDate"):
        rec = {k: v for k, v in DOSSIER.items() if k != key}
        assert _errors(schema, rec), key
    rec = {k: v for k, v in DOSSIER.items() if k != "Title"}
    rec["title"] = "Hồ sơ"
    assert _errors(schema, rec) == []  # either spelling satisfies the requirement
    assert _errors(metadata.schema_for("ho_so"), {}) == []


def test_grammar_patterns_reject_trailing_newline() -> None:
    schema = metadata.schema_for("ho_so", grammars=True)
    assert _errors(schema, {"Maintenance": "20 năm"}) == []
    assert _errors(schema, {"Maintenance": "20 năm\n"})
    assert _errors(schema, {"FileNotation": "01.TCCB\n"})
    assert _errors(schema, {"Maintenance": "0 năm"})


def test_numbers_as_digit_strings() -> None:
    schema = metadata.schema_for("ho_so")
    assert _errors(schema, {"DocTotal": "9999", "FileCatalog": "2025"}) == []
    assert _errors(schema, {"DocTotal": "10000"})
    assert _errors(schema, {"DocTotal": -1})


def test_nfc_normalisation_before_validation() -> None:
    title = unicodedata.normalize("NFD", "ế" * 500)
    assert len(title) > 500
    assert _errors(metadata.schema_for("ho_so"), {"Title": title}) == []


def test_key_map() -> None:
    km = metadata.key_map("van_ban_di")
    assert km["subject"] == "Subject"
    assert km["signer_info.full_name"] == "SignerInfo.FullName"
    assert km["to.organ_id"] == "To.OrganId"
    assert km["organ_id"] == "OrganId"
    assert metadata.snake_case("TraceHeaderList") == "trace_header_list"
