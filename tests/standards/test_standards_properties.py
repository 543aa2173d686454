"""Property tests: strings generated from each grammar are accepted; mutations are rejected.

Deterministic: a fixed profile (derandomize, no deadline, no example database) applied per test, so
the suite neither depends on nor changes global Hypothesis settings.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.standards import identifiers as ids
from conformance.standards import metadata

settings.register_profile(
    "conformance-standards",
    derandomize=True,
    deadline=None,
    max_examples=200,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("conformance-standards")

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"
DIGITS = "0123456789"
VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"

# --- strategies built from the grammars ----------------------------------------------------------------

organ_102 = st.builds(
    lambda a, b, c, letter, d: f"{a:03d}.{b:02d}.{c:02d}.{letter}{d:02d}",
    st.integers(0, 999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from("ABCDEFGHIJK"),
    st.integers(0, 99),
)
organ_qd20 = st.builds(
    lambda letter, d, rest: ".".join([f"{letter}{d:02d}", *rest]),
    st.sampled_from("ABCDEFGHIJK"),
    st.integers(0, 99),
    st.lists(st.text(DIGITS, min_size=2, max_size=3), max_size=4),
)
organ_any = st.one_of(organ_102, organ_qd20)

code_number = st.integers(1, 10**11 - 1).map(lambda n: f"{n:02d}")
_group = st.builds(lambda a, b: a + b, st.sampled_from(UPPER), st.text(UPPER + DIGITS, max_size=6))
_first_group = st.one_of(_group, st.sampled_from(sorted(metadata.type_abbreviations())))
code_notation = st.builds(
    lambda first, rest: "-".join([first, *rest]), _first_group, st.lists(_group, min_size=1, max_size=3)
).filter(lambda s: len(s) <= 30)
so_ky_hieu = st.builds(lambda n, k: f"{n}/{k}", code_number, code_notation)
real_dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
document_id = st.builds(lambda o, d, s: f"{o},{d:%Y/%m/%d},{s}", organ_any, real_dates, so_ky_hieu)

file_notation = st.builds(
    lambda n, first, rest: f"{n:02d}.{first}{rest}",
    st.integers(1, 9999),
    st.sampled_from(UPPER),
    st.text(UPPER + DIGITS + "-", max_size=10),
).filter(lambda s: len(s) <= 20)
file_code_102 = st.builds(lambda o, y, n: f"{o}.{y}.{n}", organ_102, st.integers(1900, 2099), file_notation)


# --- generated strings are accepted ------------------------------------------------------------------------


@PROFILE
@given(organ_102)
def test_g102_generated_accepted(value: str) -> None:
    res = ids.parse_organ_id(value, strict=True)
    assert res.ok and res.form == "qcvn102" and len(value) == 13


@PROFILE
@given(organ_qd20)
def test_qd20_generated_accepted(value: str) -> None:
    res = ids.parse_organ_id(value, strict=True)
    assert res.ok and res.form == "qd20" and res.level1 == value[:3]


@PROFILE
@given(so_ky_hieu)
def test_so_ky_hieu_generated_accepted(value: str) -> None:
    res = ids.parse_so_ky_hieu(value)
    assert res.ok, res.problems
    assert f"{res.code_number}/{res.code_notation}" == value


@PROFILE
@given(document_id)
def test_document_id_generated_accepted(value: str) -> None:
    res = ids.parse_document_id(value)
    assert res.ok, res.problems
    assert res.issued_date is not None and f"{res.issued_date:%Y/%m/%d}" in value


@PROFILE
@given(st.uuids())
def test_uuid_document_id_and_objids(u: object) -> None:
    text = str(u)
    assert ids.parse_document_id(text).form == "uuid"
    assert ids.parse_mets_objid(f"uuid-{text.upper()}", "SIP").ok
    assert not ids.parse_mets_objid(f"uuid-{text.lower()}", "SIP").ok or text.upper() == text.lower()
    assert ids.parse_mets_objid(f"urn:uuid:{text}", "AIP").ok
    assert ids.parse_mets_objid(f"urn:G09:uuid-{text.upper()}", "AIP").ok


@PROFILE
@given(file_notation)
def test_file_notation_generated_accepted(value: str) -> None:
    assert ids.parse_file_notation(value).ok


@PROFILE
@given(file_code_102)
def test_file_code_generated_accepted(value: str) -> None:
    res = ids.parse_file_code(value)
    assert res.ok and f"{res.organ_id}.{res.year}.{res.file_notation}" == value


@PROFILE
@given(organ_qd20, st.integers(1900, 2099), file_notation)
def test_file_code_qd20_with_directory(organ: str, year: int, notation: str) -> None:
    res = ids.parse_file_code(f"{organ}.{year}.{notation}", organ_ids=[organ, organ.split(".")[0]])
    assert res.ok and res.organ_id == organ and res.year == year and res.file_notation == notation


@PROFILE
@given(file_code_102, st.integers(1, 9_999_999))
def test_tt05_doc_code_generated(file_code: str, n: int) -> None:
    res = ids.parse_tt05_doc_code(f"{file_code}.{n:07d}", file_code=file_code)
    assert res.ok and res.ordinal == n
    assert not ids.parse_tt05_doc_code(f"{file_code}.{n}", file_code=file_code).ok or len(str(n)) == 7


@PROFILE
@given(st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2099, 12, 31)), st.sampled_from(["T", " "]))
def test_signature_time_generated(moment: dt.datetime, sep: str) -> None:
    moment = moment.replace(microsecond=0)
    text = f"Ký số bởi UBND tỉnh Thử Nghiệm — {moment:%Y-%m-%d}{sep}{moment:%H:%M:%S}+07:00"
    res = ids.check_signature_time(text)
    assert res.ok and res.when is not None and res.when.replace(tzinfo=None) == moment
    assert ids.check_signature_time(text, strict_iso=True).ok is (sep == "T")
    assert not ids.check_signature_time(text.replace("+07:00", "Z")).ok


@PROFILE
@given(st.one_of(st.just("Vĩnh viễn"), st.integers(1, 999).map(lambda n: f"{n} năm")))
def test_maintenance_generated(value: str) -> None:
    res = metadata.check_maintenance(value)
    assert res.ok and res.tt05_code in {e.code for e in metadata.code_list("maintenance")}


# --- mutations are rejected ------------------------------------------------------------------------------


@PROFILE
@given(st.integers(1, 9), code_notation)
def test_mutation_drop_padding(n: int, notation: str) -> None:
    assert "so.padding" in ids.parse_so_ky_hieu(f"{n}/{notation}").problem_codes
    assert "hs.padding" in ids.parse_file_notation(f"{n}.{notation.replace('-', '')[:15]}").problem_codes


@PROFILE
@given(so_ky_hieu)
def test_mutation_lower_case_ky_hieu(value: str) -> None:
    number, notation = value.split("/", 1)
    assert not ids.parse_so_ky_hieu(f"{number}/{notation.lower()}").ok
    assert not ids.check_code_notation(notation.lower()).ok


@PROFILE
@given(file_notation)
def test_mutation_lower_case_file_notation(value: str) -> None:
    assert "hs.case" in ids.parse_file_notation(value.lower()).problem_codes


@PROFILE
@given(so_ky_hieu, st.sampled_from(["-", ".", " ", "\\", "|", "_", ""]))
def test_mutation_wrong_separator_so_ky_hieu(value: str, sep: str) -> None:
    assert not ids.parse_so_ky_hieu(value.replace("/", sep, 1)).ok


@PROFILE
@given(file_notation, st.sampled_from(["-", "/", " ", "_", ""]))
def test_mutation_wrong_separator_file_notation(value: str, sep: str) -> None:
    assert not ids.parse_file_notation(value.replace(".", sep, 1)).ok


@PROFILE
@given(document_id, st.sampled_from([";", ".", " ", "|"]))
def test_mutation_wrong_separator_document_id(value: str, sep: str) -> None:
    assert not ids.parse_document_id(value.replace(",", sep)).ok


@PROFILE
@given(organ_102, st.sampled_from(["-", "/", " ", "_", ","]))
def test_mutation_wrong_separator_organ(value: str, sep: str) -> None:
    assert not ids.parse_organ_id(value.replace(".", sep)).ok


@PROFILE
@given(organ_102, st.sampled_from(DIGITS), st.integers(0, 2))
def test_mutation_overlong_g102_never_passes_clean(value: str, extra: str, group: int) -> None:
    parts = value.split(".")
    parts[group] = extra + parts[group]
    mutated = ".".join(parts)
    assert not ids.parse_organ_id(mutated, accept=("qcvn102",)).ok
    assert not ids.parse_organ_id(mutated, strict=True).ok
    lenient = ids.parse_organ_id(mutated)
    assert (
        not lenient.ok or lenient.warnings
    )  # the permissive QĐ 20 grammar only ever accepts it with warnings


@PROFILE
@given(organ_qd20, st.text(DIGITS, min_size=1, max_size=3))
def test_mutation_overlong_qd20(value: str, filler: str) -> None:
    mutated = value
    while len(mutated) <= 35:
        mutated += "." + filler.rjust(2, "0")
    assert "organ.length" in ids.parse_organ_id(mutated).problem_codes


@PROFILE
@given(so_ky_hieu, st.text(UPPER, min_size=31, max_size=40))
def test_mutation_overlong_ky_hieu(value: str, tail: str) -> None:
    notation = f"{value.split('/', 1)[1]}-{tail}"
    assert "kh.length" in ids.check_code_notation(notation).problem_codes


@PROFILE
@given(st.integers(1, 99), st.text(UPPER, min_size=18, max_size=25))
def test_mutation_overlong_file_notation(n: int, heading: str) -> None:
    assert "hs.length" in ids.parse_file_notation(f"{n:02d}.{heading}").problem_codes


@PROFILE
@given(organ_any, st.integers(1990, 2099), st.integers(1, 12), st.integers(29, 31), so_ky_hieu)
def test_mutation_impossible_date(organ: str, year: int, month: int, day: int, skh: str) -> None:
    try:
        dt.date(year, month, day)
    except ValueError:
        res = ids.parse_document_id(f"{organ},{year:04d}/{month:02d}/{day:02d},{skh}")
        assert res.problem_codes == ("date.invalid",)
    else:
        assert ids.parse_document_id(f"{organ},{year:04d}/{month:02d}/{day:02d},{skh}").ok


# --- length checks are exact at the boundary ----------------------------------------------------------------

_STRING_FIELDS = [
    (kind, spec.stt)
    for kind in metadata.KINDS
    for spec in metadata.field_table(kind).fields
    if spec.type == "String"
]


@PROFILE
@given(st.sampled_from(_STRING_FIELDS), st.sampled_from(metadata.REGIMES), st.data())
def test_length_boundary_exact(field: tuple[str, str], regime: str, data: st.DataObject) -> None:
    kind, stt = field
    spec = metadata.field_table(kind, regime).field(stt)
    limit = spec.limit.max
    assert limit is not None
    text = data.draw(st.text(VI_LETTERS + UPPER.lower() + " ", min_size=limit, max_size=limit))
    decomposed = data.draw(st.booleans())
    value = unicodedata.normalize("NFD", text) if decomposed else text
    at = metadata.check_length(kind, stt, value, regime)
    assert at.ok and at.length == limit
    over = metadata.check_length(kind, stt, value + "a", regime)
    assert not over.ok and over.problem_codes == ("len.max",)


@PROFILE
@given(
    st.sampled_from(
        [(k, s.stt) for k in metadata.KINDS for s in metadata.field_table(k).fields if s.type == "Number"]
    ),
    st.sampled_from(metadata.REGIMES),
)
def test_number_boundary_exact(field: tuple[str, str], regime: str) -> None:
    kind, stt = field
    limit = metadata.max_length(kind, stt, regime)
    assert limit is not None
    assert metadata.check_length(kind, stt, 10**limit - 1, regime).ok
    assert not metadata.check_length(kind, stt, 10**limit, regime).ok


@PROFILE
@given(st.text(VI_LETTERS, min_size=500, max_size=501))
def test_title_500_501_under_2020_and_1000_1001_under_2025(text: str) -> None:
    assert metadata.check_length("ho_so", "Title", text, "2020").ok is (len(text) == 500)
    assert metadata.check_length("ho_so", "Title", text * 2, "2025").ok is (len(text) == 500)
