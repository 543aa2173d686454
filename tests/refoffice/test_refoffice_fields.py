"""NĐ 30 PL VI input fields: lengths counted in NFC characters, required fields, types."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# A Vietnamese text whose characters all carry diacritics, so NFC and NFD lengths differ.
VI = "Quyết định về việc phê duyệt kế hoạch ứng dụng công nghệ thông tin "


def vi_text(n: int) -> str:
    """Exactly n NFC characters of Vietnamese."""
    text = (VI * (n // len(VI) + 1))[:n]
    return text[:-1] + "ệ" if n else text


# field → (max length, extra fields) for văn bản đi (PL VI Phần II.I).
OUTGOING_TEXT = {
    "type_name": 100,
    "subject": 500,
    "organ_name": 200,
    "language": 30,
    "description": 500,
    "signer_position": 100,
    "signer_full_name": 50,
}


@pytest.mark.parametrize("field,limit", sorted(OUTGOING_TEXT.items()))
def test_outgoing_text_length_boundaries(api, field: str, limit: int) -> None:
    ok = api.issue(**{field: vi_text(limit)})
    assert ok.status_code == 201, ok.text
    assert ok.json()[field] == vi_text(limit)
    too_long = api.issue(**{field: vi_text(limit + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["detail"] == "Dữ liệu không hợp lệ"
    assert too_long.json()["errors"] == [
        {"field": field, "message": f"Dài tối đa {limit} ký tự (hiện có {limit + 1} ký tự)"}
    ]


def test_subject_500_ok_501_refused(api) -> None:
    assert api.issue(subject=vi_text(500)).status_code == 201
    response = api.issue(subject=vi_text(501))
    assert response.status_code == 422
    assert api.fields(response) == ["subject"]


def test_code_notation_length_30(api) -> None:
    assert api.issue(code_notation="QĐ-" + "A" * 27).status_code == 201
    response = api.issue(code_notation="QĐ-" + "A" * 28)
    assert response.status_code == 422 and api.fields(response) == ["code_notation"]


def test_lengths_are_counted_after_nfc(api) -> None:
    decomposed = api.nfd(vi_text(500))
    assert len(decomposed) > 500
    response = api.issue(subject=decomposed)
    assert response.status_code == 201
    assert response.json()["subject"] == vi_text(500)
    assert unicodedata.is_normalized("NFC", response.json()["subject"])


@pytest.mark.parametrize("field", ["type_name", "code_notation", "subject", "page_amount"])
@pytest.mark.parametrize("how", ["omit", "null", "blank"])
def test_outgoing_required_fields(api, field: str, how: str) -> None:
    value = {"omit": api.OMIT, "null": None, "blank": "   "}[how]
    response = api.issue(**{field: value})
    assert response.status_code == 422
    assert api.fields(response) == [field]


@pytest.mark.parametrize(
    "field,low,high", [("page_amount", 1, 999), ("priority", 0, 4), ("issued_amount", 0, 999)]
)
def test_outgoing_number_ranges(api, field: str, low: int, high: int) -> None:
    assert api.issue(**{field: low}).status_code == 201
    assert api.issue(**{field: high}).status_code == 201
    for bad in (low - 1, high + 1, "3", 2.5, True):
        response = api.issue(**{field: bad})
        assert response.status_code == 422, bad
        assert api.fields(response) == [field]


def test_recipient_lengths_and_codes(api) -> None:
    assert api.issue(to=[{"organ_id": "H49.64.33", "organ_name": vi_text(200)}]).status_code == 201
    response = api.issue(to=[{"organ_name": vi_text(201)}, {"organ_id": "000.00.00.h99"}, {}, "x"])
    assert response.status_code == 422
    assert api.fields(response) == ["to[0].organ_name", "to[1].organ_id", "to[2]", "to[3]"]
    assert api.fields(api.issue(to={"organ_name": "x"})) == ["to"]


def test_due_date_must_be_a_real_date_not_before_issue(api) -> None:
    api.set_clock("2025-03-14T09:00:00+07:00")
    assert api.issue_ok(due_date="2025-03-28")["due_date"] == "2025-03-28"
    for bad in ("2025/03/28", "2014-02-30", "28-03-2025"):
        response = api.issue(due_date=bad)
        assert response.status_code == 422 and api.fields(response) == ["due_date"], bad
    assert api.fields(api.issue(due_date="2025-03-13")) == ["due_date"]


def test_all_errors_are_reported_at_once(api) -> None:
    response = api.issue(type_name=api.OMIT, subject=vi_text(501), page_amount=0)
    assert api.fields(response) == ["type_name", "subject", "page_amount"]


def test_body_must_be_an_object(api) -> None:
    response = api.call("POST", "/api/documents/outgoing", json=["x"])
    assert response.status_code == 422 and api.fields(response) == ["body"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="aăâeêioôơuưyđAĂÂĐ ̣̀́̃̉", min_size=1, max_size=600))
def test_subject_accepted_iff_at_most_500_nfc_characters(api, text: str) -> None:
    expected = unicodedata.normalize("NFC", text).strip()
    response = api.issue(subject=text)
    if not expected:
        assert response.status_code == 422
    elif len(expected) <= 500:
        assert response.status_code == 201
        assert response.json()["subject"] == expected
    else:
        assert response.status_code == 422 and api.fields(response) == ["subject"]


def test_null_and_blank_mean_not_given(api) -> None:
    doc = api.issue_ok(
        code_number="", series=None, to="", priority="", issued_amount=None, due_date="", language=" "
    )
    assert (doc["code_number"], doc["series"], doc["to"], doc["priority"]) == ("01", "thuong", [], 0)
    assert (doc["issued_amount"], doc["due_date"], doc["language"]) == (None, None, "Tiếng Việt")
    assert api.fields(api.issue(page_amount="")) == ["page_amount"]
