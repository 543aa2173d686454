"""Field tables, length checks and code lists against NĐ 30 PL VI and metadata-and-packages.md §2, §7."""

from __future__ import annotations

import datetime as dt
import unicodedata
from importlib import resources
from typing import Any

import pytest
import yaml

from conformance.standards import codes, metadata

# --- field tables (metadata-and-packages.md §2.1–2.3) -----------------------------------------------------


@pytest.mark.parametrize(("kind", "count"), [("ho_so", 11), ("van_ban_di", 16), ("van_ban_den", 18)])
@pytest.mark.parametrize("regime", ["2020", "2025"])
def test_field_counts(kind: str, count: int, regime: str) -> None:
    table = metadata.field_table(kind, regime)
    assert len(table.top_level()) == count
    assert [f.stt for f in table.top_level()] == [str(i) for i in range(1, count + 1)]


@pytest.mark.parametrize(
    ("kind", "auto"),
    [
        ("ho_so", {"1.1", "1.2", "9", "10"}),
        ("van_ban_di", {"1.1", "1.2", "2", "4", "6", "10", "13.1"}),
        ("van_ban_den", {"1.1", "1.2", "2", "10", "12", "13"}),
    ],
)
def test_auto_filled_fields(kind: str, auto: set[str]) -> None:
    """NĐ 30 PL VI III.1.g (DS-022, DS-033)."""
    assert {f.stt for f in metadata.field_table(kind).auto_filled()} == auto


HO_SO_2020 = [
    ("OrganId", "String", 13),
    ("FileCatalog", "Number", 4),
    ("FileNotation", "String", 20),
    ("Title", "String", 500),
    ("Maintenance", "String", 30),
    ("Rights", "String", 30),
    ("Creator", "String", 30),
    ("Language", "String", 50),
    ("StartDate", "Date", 10),
    ("EndDate", "Date", 10),
    ("DocTotal", "Number", 4),
    ("PageTotal", "Number", 4),
    ("Description", "String", 500),
]
VAN_BAN_COMMON = [
    ("DocOrdinal", "Number", 3),
    ("TypeName", "String", 100),
    ("CodeNumber", "String", 11),
    ("CodeNotation", "String", 30),
    ("IssuedDate", "Date", 10),
    ("OrganName", "String", 200),
    ("Subject", "String", 500),
    ("Language", "String", 30),
    ("PageAmount", "Number", 3),
    ("Description", "String", 500),
    ("SignerInfo.Position", "String", 100),
    ("SignerInfo.FullName", "String", 50),
    ("Priority", "Number", 1),
    ("DueDate", "Date", 10),
]
VAN_BAN_DI = [
    *VAN_BAN_COMMON,
    ("To.OrganId", "String", 13),
    ("To.OrganName", "String", 200),
    ("IssuedAmount", "Number", 3),
]
VAN_BAN_DEN = [
    *VAN_BAN_COMMON,
    ("ArrivalDate", "Date", 10),
    ("ArrivalNumber", "Number", 10),
    ("ToPlaces", "String", 1000),
    ("TraceHeaderList", "LongText", None),
]


@pytest.mark.parametrize(
    ("kind", "path", "ftype", "length"),
    [("ho_so", *r) for r in HO_SO_2020]
    + [("van_ban_di", *r) for r in VAN_BAN_DI]
    + [("van_ban_den", *r) for r in VAN_BAN_DEN],
)
def test_nd30_types_and_lengths(kind: str, path: str, ftype: str, length: int | None) -> None:
    spec = metadata.field_table(kind).field(path)
    assert (spec.type, spec.length) == (ftype, length)


def test_incoming_fields_one_to_eleven_match_outgoing() -> None:
    """§2.3: fields 1–11 of văn bản đến are those of văn bản đi, identical types and lengths."""
    di, den = metadata.field_table("van_ban_di"), metadata.field_table("van_ban_den")
    top = {str(i) for i in range(1, 12)}

    def rows(t: metadata.FieldTable) -> list[tuple[Any, ...]]:
        return [(f.stt, f.name_vi, f.name, f.type, f.length) for f in t.fields if f.stt.split(".")[0] in top]

    assert rows(di) == rows(den)


@pytest.mark.parametrize(
    ("ref", "stt"),
    [
        ("13.1", "13.1"),
        ("To.OrganId", "13.1"),
        ("to.organ_id", "13.1"),
        ("OrganId", "1.1"),
        ("organ_id", "1.1"),
        ("Subject", "8"),
        ("subject", "8"),
        ("Trích yếu nội dung", "8"),
        ("signer_info.full_name", "12.2"),
    ],
)
def test_field_lookup(ref: str, stt: str) -> None:
    assert metadata.field_table("van_ban_di").field(ref).stt == stt


def test_unknown_field_kind_and_regime() -> None:
    with pytest.raises(KeyError):
        metadata.field_table("ho_so").field("ArrivalDate")
    with pytest.raises(KeyError):
        metadata.field_table("công văn")
    with pytest.raises(ValueError):
        metadata.field_table("ho_so", "2019")
    assert metadata.field_table("hồ sơ") is metadata.field_table("ho_so", 2020)


def test_mandatory_follow_oq31() -> None:
    table = metadata.field_table("ho_so")
    r_mandatory = {f.stt for f in table.fields if f.mandatory and f.mandatory_evidence == "R"}
    assert r_mandatory == {"1.3", "2", "3", "5", "7"}  # Đ.29.2.c
    assert {f.stt for f in table.auto_filled()} <= {f.stt for f in table.fields if f.mandatory}


# --- lengths per regime (DS-006, DS-024, DS-034, TR-024) --------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "regime", "limit"),
    [
        ("ho_so", "Title", "2020", 500),
        ("ho_so", "Title", "2025", 1000),
        ("ho_so", "Description", "2025", 2000),
        ("ho_so", "DocTotal", "2025", 10),
        ("ho_so", "Maintenance", "2025", 30),  # TT05 maintenance holds a code: NĐ 30 label length kept
        ("ho_so", "FileCode", "2020", None),
        ("ho_so", "FileCode", "2025", 100),
        ("ho_so", "OrganId", "2020", 35),
        ("ho_so", "OrganId", "2025", 35),
        ("van_ban_di", "Subject", "2025", 500),
        ("van_ban_di", "PageAmount", "2025", 4),
        ("van_ban_di", "TypeName", "2025", 100),
        ("van_ban_di", "DocOrdinal", "2020", 7),
        ("van_ban_den", "TraceHeaderList", "2020", None),
    ],
)
def test_max_length(kind: str, field: str, regime: str, limit: int | None) -> None:
    assert metadata.max_length(kind, field, regime) == limit


@pytest.mark.parametrize(("regime", "ok_len", "bad_len"), [("2020", 500, 501), ("2025", 1000, 1001)])
def test_title_boundary(regime: str, ok_len: int, bad_len: int) -> None:
    assert metadata.check_length("ho_so", "Title", "ô" * ok_len, regime).ok
    res = metadata.check_length("ho_so", "Title", "ô" * bad_len, regime)
    assert not res.ok and res.problem_codes == ("len.max",) and res.length == bad_len


def test_length_counts_nfc_characters() -> None:
    title = "Hồ sơ tuyển dụng công chức năm 2025 " * 14  # 504 characters
    title = title[:500]
    decomposed = unicodedata.normalize("NFD", title)
    assert len(decomposed) > 500
    res = metadata.check_length("ho_so", "Title", decomposed, "2020")
    assert res.ok and res.length == 500


def test_organ_id_and_doc_ordinal_warnings_under_2020() -> None:
    warn = metadata.check_length("van_ban_di", "To.OrganId", "H49.64.33.01.02", "2020")
    assert warn.ok and warn.codes == ("len.warn",)
    assert metadata.check_length("van_ban_di", "To.OrganId", "H49.64.33.01.02", "2025").codes == ()
    assert not metadata.check_length("ho_so", "OrganId", "H" + "1" * 35).ok
    assert metadata.check_length("van_ban_di", "DocOrdinal", 999).codes == ()
    assert metadata.check_length("van_ban_di", "DocOrdinal", 1000).codes == ("len.warn",)
    assert not metadata.check_length("van_ban_di", "DocOrdinal", 10_000_000).ok


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("DocTotal", 9999, True),
        ("DocTotal", 10000, False),
        ("DocTotal", "0007", True),
        ("DocTotal", -1, False),
        ("DocTotal", "3 văn bản", False),
        ("DocTotal", True, False),
        ("DocTotal", 2.5, False),
        ("StartDate", "05/01/2025", True),
        ("StartDate", dt.date(2025, 1, 5), True),
        ("StartDate", "2025-01-05T00:00", False),
        ("Title", None, True),
        ("Title", 42, False),
    ],
)
def test_check_length_types(field: str, value: object, ok: bool) -> None:
    assert metadata.check_length("ho_so", field, value).ok is ok


# --- code lists (metadata-and-packages.md §7; edxml.md §10) -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Vĩnh viễn", "01"),
        ("70 năm", "02"),
        ("50 năm", "03"),
        ("30 năm", "04"),
        ("20 năm", "05"),
        ("10 năm", "06"),
        ("05 năm", "07"),
        ("15 năm", "07"),
        ("100 năm", "07"),
    ],
)
def test_maintenance_accepted_and_mapped(value: str, code: str) -> None:
    res = metadata.check_maintenance(value)
    assert res.ok and res.warnings == ()
    assert res.tt05_code == code == metadata.maintenance_to_tt05_code(value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "thbq.empty"),
        ("lâu dài", "thbq.format"),
        ("0 năm", "thbq.zero"),
        ("20", "thbq.format"),
        ("-5 năm", "thbq.format"),
        ("20  năm", "thbq.format"),
        ("hai mươi năm", "thbq.format"),
        ("20 năm ", "thbq.format"),
        ("01", "thbq.format"),
        ("1" * 30 + " năm", "thbq.length"),
        (None, "type"),
    ],
)
def test_maintenance_rejected(value: Any, problem: str) -> None:
    res = metadata.check_maintenance(value)
    assert not res.ok and problem in res.problem_codes
    with pytest.raises(ValueError):
        metadata.maintenance_to_tt05_code(value)


def test_maintenance_case_variant_warns() -> None:
    res = metadata.check_maintenance("vĩnh viễn")
    assert res.ok and res.codes == ("thbq.case",) and res.tt05_code == "01"


@pytest.mark.parametrize(
    ("value", "ok", "warn"),
    [
        (0, True, False),
        ("3", True, False),
        (4, True, True),
        (5, False, False),
        ("01", False, False),
        (True, False, False),
    ],
)
def test_priority(value: Any, ok: bool, warn: bool) -> None:
    res = metadata.check_priority(value)
    assert res.ok is ok
    assert ("priority.legacy" in res.codes) is warn


@pytest.mark.parametrize(
    ("value", "ok", "warn"),
    [
        ("01", True, False),
        ("06", True, False),
        ("13", True, False),
        ("15", True, False),
        ("16", True, False),
        ("07", True, True),
        ("14", True, True),
        ("17", False, False),
        ("1", False, False),
    ],
)
def test_status_codes(value: str, ok: bool, warn: bool) -> None:
    res = metadata.check_status_code(value)
    assert res.ok is ok
    assert ("status.unseen" in res.codes) is warn


def test_status_code_meanings() -> None:
    entries = {e.code: e for e in metadata.code_list("status")}
    assert list(entries) == ["01", "02", "03", "04", "05", "06", "13", "15", "16"]
    assert entries["13"].extra["sent_by"] == "sender"
    assert {c for c, e in entries.items() if e.extra["requires_reason"]} == {"02", "13", "16"}


def test_code_list_sizes() -> None:
    assert [e.code for e in metadata.code_list("maintenance")] == [f"{i:02d}" for i in range(1, 8)]
    assert [e.label for e in metadata.code_list("mode")] == ["Công khai", "Sử dụng có điều kiện", "Mật"]
    assert len(metadata.code_list("language")) == 11
    assert [e.code for e in metadata.code_list("priority")] == ["0", "1", "2", "3", "4"]
    assert [e.code for e in metadata.code_list("type_name")] == [f"{i:02d}" for i in range(1, 33)]
    with pytest.raises(KeyError):
        metadata.code_list("nope")


def test_check_code_language_multiple() -> None:
    assert metadata.check_code("language", ["01", "02"]).ok
    assert not metadata.check_code("mode", ["01", "02"]).ok
    assert not metadata.check_code("language", "12").ok
    assert metadata.lookup_code("mode", "03").label == "Mật"  # type: ignore[union-attr]


def test_document_types_nd30_article_7() -> None:
    nd30 = [t for t in metadata.document_types() if t.nd30_order]
    assert [t.nd30_order for t in nd30] == list(range(1, 30))
    assert metadata.document_type_by_abbreviation("TTr").name == "Tờ trình"  # type: ignore[union-attr]
    assert metadata.document_type_by_abbreviation("TTR") is None
    assert metadata.document_type_by_name("quyết định").tt05_code == "02"  # type: ignore[union-attr]
    assert metadata.document_type_by_name("Công văn").abbreviation is None  # type: ignore[union-attr]
    abbr = metadata.type_abbreviations()
    assert abbr["QĐ"] == "Quyết định (cá biệt)" and abbr["SY"] == "Bản sao y" and len(abbr) == 30


# --- data files ---------------------------------------------------------------------------------------------


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


DATA_FILES = sorted(
    p.name
    for p in resources.files("conformance.standards").joinpath("data").iterdir()
    if p.name.endswith(".yaml")
)


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_files_are_nfc_and_versioned(name: str) -> None:
    data = yaml.safe_load(resources.files("conformance.standards").joinpath("data", name).read_text("utf-8"))
    assert data["schema_version"] == 1
    bad = [s for s in _strings(data) if not unicodedata.is_normalized("NFC", s)]
    assert bad == []


def test_code_entries_quoted_as_strings() -> None:
    for name in codes.CODE_LISTS:
        for e in metadata.code_list(name):
            assert isinstance(e.code, str) and e.code
            assert e.evidence in {"R", "S", "I"}
