"""Property tests: the reference, the standards grammars and the judges agree on area 2's values.

For every generated value (valid ones built from the grammar, invalid ones by mutation, mixed):

- the reference accepts it exactly when ``conformance.standards`` says it is valid (201 or 422 on
  that field), for số và ký hiệu hồ sơ, thời hạn bảo quản and the PL VI Phần II.III lengths in both
  regimes (a dossier before 01/7/2025 keeps NĐ 30's 500, after it TT 05/2025's 1000);
- the judges a profile uses (``output_matches`` with the grammar, ``record_conforms``) give the same
  verdict as the grammar on what the reference stored and returned (mã hồ sơ included).

The reference never imports the harness: agreement here comes from both following the law.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.judges.metadata import record_conforms
from conformance.judges.values import output_matches
from conformance.standards import identifiers as ids
from conformance.standards import metadata

settings.register_profile(
    "dossier-properties",
    derandomize=True,
    deadline=None,
    max_examples=120,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROFILE = settings.get_profile("dossier-properties")

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"
DIGITS = "0123456789"
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
BEFORE_2025 = dt.date(2025, 6, 30)
FROM_2025 = dt.date(2025, 7, 1)


def rec(outputs: dict[str, Any]) -> dict[str, Any]:
    return {"save": "hs", "operation": "dossier.open", "outputs": outputs}


def open_dossier(api, **fields: Any):
    api.reset()
    return api.open_dossier(**fields)


# --- số và ký hiệu hồ sơ -------------------------------------------------------------------------------

valid_notation = st.builds(
    lambda n, width, first, rest: f"{n:0{width}d}.{first}{rest}",
    st.integers(1, 99999),
    st.integers(2, 5),
    st.sampled_from(UPPER),
    st.text(UPPER + DIGITS + "-", max_size=16),
).filter(lambda s: len(s) <= 20)


@st.composite
def mutated_notation(draw: st.DrawFn) -> str:
    base = draw(valid_notation)
    number, heading = base.split(".", 1)
    kind = draw(
        st.sampled_from(["unpadded", "zero", "lower", "separator", "chars", "long", "digits", "empty"])
    )
    if kind == "unpadded":
        return f"{draw(st.integers(1, 9))}.{heading}"
    if kind == "zero":
        return f"{'0' * len(number)}.{heading}"
    if kind == "lower":
        return f"{number}.{heading.lower()}" if heading.lower() != heading else f"{number}.a{heading}"
    if kind == "separator":
        return f"{number}{draw(st.sampled_from(['-', '/', '', ' ']))}{heading}"
    if kind == "chars":
        bad = draw(st.sampled_from(["É", "_", "*", "Ư", "a", "ß"]))
        return f"{number}.{heading}{bad}"
    if kind == "long":
        return f"{number}.{heading}{'X' * (21 - len(base))}" if len(base) < 21 else base + "X"
    if kind == "digits":  # Arabic-Indic digits are digits to Python's \d, not to NĐ 30
        return (
            f"{number.replace('0', '٠').replace('1', '١')}.{heading}"
            if set(number) & {"0", "1"}
            else "٠١." + heading
        )
    return f"{number}."


@PROFILE
@given(value=st.one_of(valid_notation, mutated_notation()))
def test_reference_accepts_a_file_notation_exactly_when_the_grammar_does(api, value: str) -> None:
    grammar = ids.parse_file_notation(value)
    response = open_dossier(api, file_notation=value)
    if grammar.ok:
        assert response.status_code == 201, (value, response.text)
        body = response.json()
        assert body["file_notation"] == value
        assert output_matches(rec(body), "file_notation", grammar="file_notation").ok
        assert output_matches(rec(body), "file_code", grammar="file_code").ok, body["file_code"]
        assert ids.parse_file_code(body["file_code"]).file_notation == value
    else:
        assert response.status_code == 422 and api.fields(response) == ["file_notation"], (value, grammar)
    assert (
        output_matches(rec({"file_notation": value}), "file_notation", grammar="file_notation").ok
        == grammar.ok
    )


# --- thời hạn bảo quản --------------------------------------------------------------------------------

valid_maintenance = st.one_of(
    st.sampled_from(["Vĩnh viễn", "vĩnh viễn", "VĨNH VIỄN", "Vĩnh Viễn"]),
    st.builds(
        lambda n, pad, unit: f"{n:0{pad}d} {unit}",
        st.integers(1, 10**9),
        st.integers(1, 4),
        st.sampled_from(["năm", "Năm", "NĂM"]),
    ),
)
invalid_maintenance = st.one_of(
    st.sampled_from(
        ["lâu dài", "0 năm", "00 năm", "-5 năm", "năm", "5năm", "5  năm", "5 years", "Vĩnh viễn 5 năm"]
    ),
    st.builds(lambda n: f"{n} tháng", st.integers(1, 99)),
    st.builds(lambda n: f"{'1' * n} năm", st.integers(27, 40)),  # longer than 30 characters
    st.text(VI + " ", min_size=1, max_size=20).map(str.strip).filter(bool),
)


@PROFILE
@given(value=st.one_of(valid_maintenance, invalid_maintenance))
def test_reference_accepts_a_retention_period_exactly_when_the_grammar_does(api, value: str) -> None:
    grammar = metadata.check_maintenance(value)
    response = open_dossier(api, maintenance=value)
    if grammar.ok:
        assert response.status_code == 201, (value, response.text)
        stored = response.json()["maintenance"]
        assert output_matches(rec({"maintenance": stored}), "maintenance", grammar="maintenance").ok
        assert stored == ("Vĩnh viễn" if grammar.permanent else f"{grammar.years} năm")
    else:
        assert response.status_code == 422 and api.fields(response) == ["maintenance"], (value, grammar)


# --- PL VI Phần II.III lengths per regime ------------------------------------------------------------

FIELDS = {
    "title": "Title",
    "description": "Description",
    "rights": "Rights",
    "creator": "Creator",
    "language": "Language",
}


@st.composite
def length_case(draw: st.DrawFn) -> tuple[str, dt.date, str]:
    field = draw(st.sampled_from(sorted(FIELDS)))
    day = draw(
        st.one_of(
            st.just(BEFORE_2025), st.just(FROM_2025), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
        )
    )
    regime = "2025" if day >= FROM_2025 else "2020"
    limit = metadata.max_length("ho_so", FIELDS[field], regime)
    assert limit is not None
    n = draw(st.one_of(st.sampled_from([limit - 1, limit, limit + 1]), st.integers(1, limit + 40)))
    text = "".join(draw(st.lists(st.sampled_from(VI.upper() + VI + " "), min_size=n, max_size=n)))
    text = text.replace(" ", "x")  # the reference trims: keep every character significant
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)  # a decomposed input counts in NFC characters
    return field, day, text


@PROFILE
@given(case=length_case())
def test_lengths_agree_with_the_field_tables_of_the_dossiers_regime(
    api, case: tuple[str, dt.date, str]
) -> None:
    field, day, text = case
    regime = "2025" if day >= FROM_2025 else "2020"
    table_ok = metadata.check_length("ho_so", FIELDS[field], text, regime).ok
    response = open_dossier(api, start_date=day.isoformat(), **{field: text})
    if table_ok:
        assert response.status_code == 201, (
            field,
            regime,
            len(unicodedata.normalize("NFC", text)),
            response.text,
        )
        body = response.json()
        assert body["regime"] == regime
        assert body[field] == unicodedata.normalize("NFC", text)
        verdict = record_conforms(rec({"record": body}), kind="ho_so", regime=regime, mandatory=True)
        assert verdict.ok, verdict.message
    else:
        assert response.status_code == 422 and api.fields(response) == [field], (field, regime, len(text))
        too_long = {**rec({}), "outputs": {"record": {FIELDS[field]: unicodedata.normalize("NFC", text)}}}
        assert not record_conforms(too_long, kind="ho_so", regime=regime).ok


def test_the_boundaries_themselves() -> None:
    """The exact limits the properties circle around: 500/501 under NĐ 30, 1000/1001 under TT 05/2025."""
    assert metadata.max_length("ho_so", "Title", "2020") == 500
    assert metadata.max_length("ho_so", "Title", "2025") == 1000
    assert metadata.max_length("ho_so", "Description", "2025") == 2000
    for regime, limit in (("2020", 500), ("2025", 1000)):
        assert metadata.check_length("ho_so", "Title", "ê" * limit, regime).ok
        assert not metadata.check_length("ho_so", "Title", "ê" * (limit + 1), regime).ok


# --- đề mục lớn abbreviations give notations the grammar accepts ---------------------------------------


@PROFILE
@given(
    abbreviation=st.builds(
        lambda a, b: a + b, st.sampled_from(UPPER), st.text(UPPER + DIGITS + "-", max_size=16)
    )
)
def test_every_planned_notation_fits_the_grammar(api, abbreviation: str) -> None:
    api.reset()
    plan = api.call("POST", "/api/file-plans", json={"year": 2026, "scope": "Văn phòng"}).json()
    heading = api.call(
        "POST",
        f"/api/file-plans/{plan['id']}/headings",
        json={"title": "Đề mục", "abbreviation": abbreviation},
    )
    assert heading.status_code == 201, heading.text
    me = api.call("GET", "/api/me", user="chuyenvien").json()["id"]
    entry = api.call(
        "POST",
        f"/api/file-plans/{plan['id']}/entries",
        json={
            "heading_id": heading.json()["id"],
            "title": "Hồ sơ",
            "maintenance": "5 năm",
            "assignee_id": me,
        },
    ).json()
    assert entry["file_notation"] == f"01.{abbreviation}"
    assert output_matches(rec(entry), "file_notation", grammar="file_notation").ok
