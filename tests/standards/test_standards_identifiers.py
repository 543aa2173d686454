"""Table-driven positives and negatives for the identifier grammars, from the domain docs' examples."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest

from conformance.standards import identifiers as ids

# --- mã định danh cơ quan (edxml.md §11.1–11.3, §14.1; metadata-and-packages.md §8.2) -----------------


@pytest.mark.parametrize(
    ("value", "form", "level1"),
    [
        ("000.00.00.H41", "qcvn102", "H41"),
        ("000.00.04.G14", "qcvn102", "G14"),
        ("000.00.00.G09", "qcvn102", "G09"),
        ("000.00.13.H53", "qcvn102", "H53"),
        ("000.01.12.H99", "qcvn102", "H99"),
        ("000.00.00.K54", "qcvn102", "K54"),
        ("G09", "qd20", "G09"),
        ("H49", "qd20", "H49"),
        ("G09.01", "qd20", "G09"),
        ("H49.64.33", "qd20", "H49"),
        ("H57", "qd20", "H57"),
    ],
)
def test_organ_id_positive(value: str, form: str, level1: str) -> None:
    res = ids.parse_organ_id(value)
    assert res.ok, res.problems
    assert res.warnings == ()
    assert res.form == form
    assert res.level1 == level1
    assert ids.classify_organ_id(value) == form
    assert ids.classify_organ_id(value, strict=True) == form


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "organ.empty"),
        ("000.00.00.h41", "organ.case"),
        ("000-00-00-H41", "organ.chars"),
        ("000.00.00 H41", "organ.chars"),
        ("000..00.H41", "organ.dots"),
        (".H49", "organ.dots"),
        ("H49.", "organ.dots"),
        ("G09." + "1" * 32, "organ.length"),
    ],
)
def test_organ_id_negative(value: str, code: str) -> None:
    res = ids.parse_organ_id(value)
    assert not res.ok
    assert code in res.problem_codes
    assert ids.classify_organ_id(value) is None


@pytest.mark.parametrize("value", ["28.22.H17", "01.02.G22", "00.00.00.H41", "0000.00.00.H41"])
def test_organ_id_sdk_misfits_fit_only_permissive_grammar(value: str) -> None:
    """edxml.md §15 pitfall 5: these fit the permissive G-QD20 regex only, so they always carry warnings."""
    res = ids.parse_organ_id(value)
    assert res.ok and res.form == "qd20"
    assert "organ.qd20.level1" in res.codes and "organ.qd20.strict" in res.codes
    assert not ids.parse_organ_id(value, strict=True).ok
    assert ids.classify_organ_id(value, strict=True) is None
    assert not ids.parse_organ_id(value, accept=("qcvn102",)).ok


def test_organ_id_letter_outside_a_to_k_is_a_warning_unless_strict() -> None:
    res = ids.parse_organ_id("000.00.00.Z41")
    assert res.ok and res.form == "qcvn102" and res.codes == ("organ.102.letter",)
    assert not ids.parse_organ_id("000.00.00.Z41", strict=True).ok


def test_organ_id_accept_parameter() -> None:
    assert not ids.parse_organ_id("H49", accept=("qcvn102",)).ok
    assert "organ.form" in ids.parse_organ_id("000.00.00.H49", accept=("qd20",)).problem_codes


def test_organ_levels_read_from_level_one() -> None:
    assert ids.parse_organ_id("000.01.12.H99").levels == ("H99", "12", "01", "000")
    assert ids.parse_organ_id("H49.64.33").levels == ("H49", "64", "33")


# --- số, ký hiệu văn bản (edxml.md §11.5, §14.2; metadata-and-packages.md §8.5) ------------------------


@pytest.mark.parametrize(
    ("value", "number", "notation", "abbr"),
    [
        ("15/QĐ-BNV", 15, "QĐ-BNV", "QĐ"),
        ("05/BNV-VP", 5, "BNV-VP", None),
        ("12/UBND-VX", 12, "UBND-VX", None),
        ("45/TTr-SKHCN", 45, "TTr-SKHCN", "TTr"),
        ("123/UBND-KGVX", 123, "UBND-KGVX", None),
        ("7816/VPCP-TTĐT", 7816, "VPCP-TTĐT", None),
        ("01/KH-UBND", 1, "KH-UBND", "KH"),
        ("09/BC-UBND", 9, "BC-UBND", "BC"),
        ("128/QĐ-UBND", 128, "QĐ-UBND", "QĐ"),
        ("03/CĐ-UBND", 3, "CĐ-UBND", "CĐ"),
        ("02/GM-UBND", 2, "GM-UBND", "GM"),
        ("1000/UBND-VP", 1000, "UBND-VP", None),
        ("07/QyĐ-UBND", 7, "QyĐ-UBND", "QyĐ"),
        ("10/CTr-UBND", 10, "CTr-UBND", "CTr"),
        ("11/TrS-VP", 11, "TrS-VP", "TrS"),
        ("04/SY-VP", 4, "SY-VP", "SY"),
    ],
)
def test_so_ky_hieu_positive(value: str, number: int, notation: str, abbr: str | None) -> None:
    res = ids.parse_so_ky_hieu(value)
    assert res.ok, res.problems
    assert res.number == number
    assert res.code_notation == notation
    assert res.type_abbreviation == abbr
    assert ids.SO_KY_HIEU.fullmatch(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("5/QĐ-BNV", "so.padding"),
        ("5/UBND-VX", "so.padding"),
        ("00/QĐ-BNV", "so.zero"),
        ("005/QĐ-BNV", "so.leading_zero"),
        ("٠٥/QĐ-BNV", "so.digits"),  # Arabic-Indic digits are not "chữ số Ả Rập" 0-9
        ("05/qđ-bnv", "kh.case"),
        ("05/Qđ-BNV", "kh.case"),
        ("05/QĐ-Bnv", "kh.case"),
        ("05-QĐ-BNV", "skh.separator"),
        ("05 QĐ-BNV", "skh.separator"),
        ("05/QĐ/BNV", "kh.chars"),
        ("05/QĐ_BNV", "kh.chars"),
        ("05/QĐ-BNV-", "kh.hyphen"),
        ("05/QĐ--BNV", "kh.hyphen"),
        ("05/QĐ BNV", "kh.space"),
        ("05/", "kh.empty"),
        ("/QĐ-BNV", "so.empty"),
        ("05/QĐ-" + "A" * 30, "kh.length"),
        ("123456789012/QĐ-BNV", "so.length"),
        ("05/Ư-BNV", "kh.chars"),
        ("05/1QĐ-BNV", "kh.chars"),
    ],
)
def test_so_ky_hieu_negative(value: str, code: str) -> None:
    res = ids.parse_so_ky_hieu(value)
    assert not res.ok
    assert code in res.problem_codes, res.problems
    assert not ids.SO_KY_HIEU.fullmatch(value) or code in {"kh.case", "kh.length", "so.length"}


@pytest.mark.parametrize(
    ("value", "ok"), [("05", True), ("15", True), ("1000", True), ("5", False), ("0", False)]
)
def test_check_code_number(value: str, ok: bool) -> None:
    assert ids.check_code_number(value).ok is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("QĐ-UBND", True), ("TTr-SKHCN", True), ("qđ-ubnd", False), ("QĐ UBND", False)]
)
def test_check_code_notation(value: str, ok: bool) -> None:
    assert ids.check_code_notation(value).ok is ok


def test_single_group_notation_warns() -> None:
    res = ids.check_code_notation("UBND")
    assert res.ok and res.codes == ("kh.single_group",)


def test_mixed_case_abbreviations_come_from_pl_iii() -> None:
    assert ids.mixed_case_abbreviations() == {"QyĐ", "CTr", "TTr", "TrS"}


def test_decomposed_input_is_normalised_with_a_warning() -> None:
    res = ids.check_grammar("maintenance", unicodedata.normalize("NFD", "Vĩnh viễn"))
    assert res.ok and res.codes == ("nfc",)
    assert res.value == "Vĩnh viễn"


def test_non_string_input_is_a_problem_not_an_exception() -> None:
    for fn in (ids.parse_organ_id, ids.parse_so_ky_hieu, ids.parse_document_id, ids.parse_file_notation):
        res = fn(None)
        assert not res.ok and res.problem_codes == ("type",)


# --- mã định danh văn bản (edxml.md §11.4, §12, §14.2) --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "organ", "day"),
    [
        ("000.00.00.H41,2025/03/14,123/UBND-KGVX", "000.00.00.H41", dt.date(2025, 3, 14)),
        ("000.00.04.G14,2012/08/06,267/VPCP-TTĐT", "000.00.04.G14", dt.date(2012, 8, 6)),
        ("000.00.00.H99,2025/03/14,123/UBND-KGVX", "000.00.00.H99", dt.date(2025, 3, 14)),
        ("H49.64.33,2024/02/29,01/QĐ-UBND", "H49.64.33", dt.date(2024, 2, 29)),
    ],
)
def test_document_id_business_key(value: str, organ: str, day: dt.date) -> None:
    res = ids.parse_document_id(value)
    assert res.ok, res.problems
    assert (res.form, res.organ_id, res.issued_date) == ("business_key", organ, day)


def test_document_id_uuid() -> None:
    res = ids.parse_document_id("9fbfbad2-f1f8-4256-a2eb-50fb1061cddb")
    assert res.ok and res.form == "uuid"
    assert not ids.parse_document_id("9fbfbad2-f1f8-4256-a2eb-50fb1061cddb", accept=("business_key",)).ok


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("000.00.00.H41,2014/02/30,123/UBND-KGVX", "date.invalid"),  # SDK sample defect (edxml.md §15)
        ("000.00.00.H41,2025/02/29,123/UBND-KGVX", "date.invalid"),
        ("000.00.00.H41,2025/13/01,123/UBND-KGVX", "date.invalid"),
        ("000.00.00.H41,14/03/2025,123/UBND-KGVX", "date.format"),
        ("000.00.00.H41,2025-03-14,123/UBND-KGVX", "date.format"),
        ("000.00.00.H41,2025/03/14,5/UBND-KGVX", "so.padding"),
        ("000.00.00.H41,2025/03/14,123-UBND-KGVX", "skh.separator"),
        ("000.00.00.h41,2025/03/14,123/UBND-KGVX", "organ.case"),
        ("000.00.00.H41;2025/03/14;123/UBND-KGVX", "docid.shape"),
        ("000.00.00.H41,2025/03/14", "docid.shape"),
        ("000.00.00.H41.2025.123/UBND-KGVX", "docid.shape"),
        ("000.00.00.H41, 2025/03/14,123/UBND-KGVX", "date.format"),
    ],
)
def test_document_id_negative(value: str, code: str) -> None:
    res = ids.parse_document_id(value)
    assert not res.ok
    assert code in res.problem_codes, res.problems


def test_doc_code_q395() -> None:
    res = ids.parse_doc_code_q395("000.00.00.H49.2025.125/QĐ-UBND")
    assert res.ok and res.organ_id == "000.00.00.H49" and res.year == 2025 and res.code_number == "125"
    assert not ids.parse_doc_code_q395("000.00.00.H49.2025.5/QĐ-UBND").ok


# --- dates -------------------------------------------------------------------------------------------


def test_parse_date_layouts() -> None:
    assert ids.parse_date("2024/02/29").date == dt.date(2024, 2, 29)
    assert ids.parse_date("05/01/2025", "dd/MM/yyyy").date == dt.date(2025, 1, 5)
    alt = ids.parse_date("2025-03-14", ("yyyy/MM/dd", "yyyy-MM-dd"))
    assert alt.ok and alt.codes == ("date.layout",)
    with pytest.raises(ValueError):
        ids.parse_date("2025/03/14", "MM/dd/yyyy")


# --- số và ký hiệu hồ sơ (metadata-and-packages.md §8.1) ------------------------------------------------


@pytest.mark.parametrize("value", ["01.TCCB", "02.TCCB", "15.VP", "03.KHTC", "125.TCCB", "01.TH", "12.VP"])
def test_file_notation_positive(value: str) -> None:
    res = ids.parse_file_notation(value)
    assert res.ok, res.problems
    assert res.ordinal == int(value.split(".")[0])


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.TCCB", "hs.padding"),
        ("01-TCCB", "hs.separator"),
        ("01.tccb", "hs.case"),
        ("00.TCCB", "hs.zero"),
        ("01.", "hs.heading"),
        ("01.-TCCB", "hs.heading"),
        ("A1.TCCB", "hs.ordinal"),
        ("01.TC CB", "hs.chars"),
        ("01.TCCB.VP", "hs.chars"),
        ("01.TCCB-VP-KHTC-ABCDE", "hs.length"),
    ],
)
def test_file_notation_negative(value: str, code: str) -> None:
    res = ids.parse_file_notation(value)
    assert not res.ok
    assert code in res.problem_codes, res.problems


# --- mã hồ sơ (metadata-and-packages.md §8.3, §12) -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "organ", "year", "notation"),
    [
        ("000.00.00.H49.2025.01.TCCB", "000.00.00.H49", 2025, "01.TCCB"),
        ("000.00.00.G09.2024.12.VP", "000.00.00.G09", 2024, "12.VP"),
        ("000.00.00.G09.2010.01.TH", "000.00.00.G09", 2010, "01.TH"),
    ],
)
def test_file_code_qcvn102(value: str, organ: str, year: int, notation: str) -> None:
    res = ids.parse_file_code(value)
    assert res.ok and res.warnings == (), res.problems
    assert (res.organ_id, res.organ_form, res.year, res.file_notation) == (organ, "qcvn102", year, notation)


def test_file_code_qd20_with_directory() -> None:
    res = ids.parse_file_code("H49.64.33.2025.01.TCCB", organ_ids=["H49", "H49.64", "H49.64.33"])
    assert res.ok and res.warnings == ()
    assert (res.organ_id, res.organ_form, res.year, res.file_notation) == (
        "H49.64.33",
        "qd20",
        2025,
        "01.TCCB",
    )


def test_file_code_qd20_without_directory_warns() -> None:
    res = ids.parse_file_code("H49.64.33.2025.01.TCCB")
    assert res.ok and res.organ_id == "H49.64.33" and res.codes == ("filecode.organ_split",)


def test_file_code_unknown_organ_with_directory() -> None:
    res = ids.parse_file_code("H49.64.33.2025.01.TCCB", organ_ids=["G09"])
    assert "filecode.organ_unknown" in res.problem_codes


def test_file_code_tt05_sample_bare_notation() -> None:
    """Official TT05 sample ``H49.64.33.2001.160`` has no đề mục suffix: warning in 2025, problem in 2020."""
    tt05 = ids.parse_file_code("H49.64.33.2001.160", organ_ids=["H49.64.33"], regime="2025")
    assert tt05.ok and tt05.codes == ("filecode.notation_bare",)
    nd30 = ids.parse_file_code("H49.64.33.2001.160", organ_ids=["H49.64.33"], regime="2020")
    assert nd30.problem_codes == ("filecode.notation_bare",)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("000.00.00.H49.2025.1.TCCB", "hs.padding"),
        ("000.00.00.H49.2025.01.tccb", "hs.case"),
        ("000.00.00.H49-2025-01.TCCB", "filecode.shape"),
        ("000.00.00.H49.25.01.TCCB", "filecode.shape"),
        ("000.00.00.H49.2025.01-TCCB", "hs.separator"),
    ],
)
def test_file_code_negative(value: str, code: str) -> None:
    res = ids.parse_file_code(value)
    assert not res.ok
    assert code in res.problem_codes, res.problems


# --- TT 05/2025 codes (metadata-and-packages.md §8.6) ---------------------------------------------------


def test_tt05_doc_id() -> None:
    res = ids.parse_tt05_doc_id("H49.64.33.2001.160.1", file_code="H49.64.33.2001.160")
    assert res.ok and res.ordinal == 1 and res.file_code == "H49.64.33.2001.160"
    assert (
        "tt05.prefix" in ids.parse_tt05_doc_id("H49.64.33.2001.161.1", file_code="H49.64.33.2001.160").codes
    )
    assert "tt05.docid.length" in ids.parse_tt05_doc_id("000.00.00.H49.2025.01.TCCB.1").problem_codes
    assert not ids.parse_tt05_doc_id("H49.64.33.2001.160.0").ok


@pytest.mark.parametrize(
    ("value", "kw", "ok"),
    [
        ("H49.64.33.2001.160.0000001", {"file_code": "H49.64.33.2001.160"}, True),
        ("H49.64.33.2024.01.0000001", {}, True),
        ("H49.64.33.2001.160.000001", {}, False),
        ("H49.64.33.2001.160.0000000", {}, False),
        ("H49.64.33.2001.161.0000001", {"file_code": "H49.64.33.2001.160"}, False),
        (
            "H49LT.H49.64.33.2001.160.0000001",
            {"file_code": "H49.64.33.2001.160", "archive_code": "H49LT"},
            True,
        ),
        (
            "H48LT.H49.64.33.2001.160.0000001",
            {"file_code": "H49.64.33.2001.160", "archive_code": "H49LT"},
            False,
        ),
    ],
)
def test_tt05_doc_code(value: str, kw: dict[str, str], ok: bool) -> None:
    assert ids.parse_tt05_doc_code(value, **kw).ok is ok


def test_tt05_loose_file_code() -> None:
    res = ids.parse_tt05_loose_file_code("H49.64.33.2024.01.0000001")
    assert res.ok and (res.organ_id, res.year, res.submission, res.ordinal) == ("H49.64.33", 2024, 1, 1)
    assert not ids.parse_tt05_loose_file_code("H49.64.33.2024.1.0000001").ok


@pytest.mark.parametrize(
    ("value", "package", "ok"),
    [
        ("uuid-7D0D1987-0F1C-47A7-8FD6-CC5C7DE4064F", "SIP", True),
        ("uuid-7d0d1987-0f1c-47a7-8fd6-cc5c7de4064f", "SIP", False),
        ("7D0D1987-0F1C-47A7-8FD6-CC5C7DE4064F", "SIP", False),
        ("uuid:7D0D1987-0F1C-47A7-8FD6-CC5C7DE4064F", "SIP", False),
        ("urn:uuid:9c13e70e-08b2-4c54-8baf-979b35d01b4d", "AIP", True),
        ("urn:G09:uuid-9C13E70E-08B2-4C54-8BAF-979B35D01B4D", "AIP", True),
        ("urn_G09_uuid_9C13E70E-08B2-4C54-8BAF-979B35D01B4D", "AIP", False),
        ("urn:uuid:9c13e70e-08b2-4c54-8baf", "AIP", False),
    ],
)
def test_mets_objid(value: str, package: str, ok: bool) -> None:
    assert ids.parse_mets_objid(value, package).ok is ok


def test_mets_objid_case_problem() -> None:
    assert ids.parse_mets_objid("uuid-7d0d1987-0f1c-47a7-8fd6-cc5c7de4064f").problem_codes == ("objid.case",)


# --- signature appearance time (edxml.md §11.6; OQ-25) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lenient", "strict"),
    [
        ("2025-03-14T09:30:15+07:00", True, True),
        ("UBND tỉnh Thử Nghiệm\n123/UBND-KGVX\n2025-03-14T09:30:15+07:00", True, True),
        ("2025-03-14T09:30:15.690+07:00", True, True),
        ("2025-03-14 09:30:15+07:00", True, False),
        ("2025-03-14T09:30:15+0700", True, False),
        ("14/03/2025 09:30:15 +07:00", True, False),
        ("2025-03-14T09:30:15Z", False, False),
        ("2025-03-14T09:30:15+00:00", False, False),
        ("2025-03-14T09:30+07:00", False, False),
        ("2025-03-14", False, False),
        ("2025-02-30T09:30:15+07:00", False, False),
        ("2025-03-14T24:30:15+07:00", False, False),
        ("", False, False),
    ],
)
def test_signature_time(text: str, lenient: bool, strict: bool) -> None:
    assert ids.check_signature_time(text).ok is lenient
    assert ids.check_signature_time(text, strict_iso=True).ok is strict


def test_signature_time_parts() -> None:
    res = ids.check_signature_time("Ký số: 2025-03-14T09:30:15+07:00")
    assert res.when == dt.datetime(2025, 3, 14, 9, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert res.layout == "iso" and res.matched == "2025-03-14T09:30:15+07:00"


# --- registry and result shape ----------------------------------------------------------------------------


def test_grammar_registry() -> None:
    assert ids.check_grammar("so_ky_hieu", "15/QĐ-BNV").ok
    assert not ids.check_grammar("file_notation", "1.TCCB").ok
    assert ids.check_grammar("file_code_tt05", "H49.64.33.2001.160").ok
    with pytest.raises(KeyError):
        ids.check_grammar("nope", "x")


def test_results_are_frozen_and_messages_are_bilingual() -> None:
    res = ids.parse_so_ky_hieu("5/QĐ-BNV")
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.ok = True  # type: ignore[misc]
    assert isinstance(res.problems, tuple)
    msg = res.problems[0]
    assert msg.startswith("[so.padding] ") and " — " in msg
    assert unicodedata.is_normalized("NFC", msg)
