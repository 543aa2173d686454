"""Vietnamese number words: the harness's reader against known spellings and the reference's writer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.standards.vi_numbers import parse_vi_number
from refoffice.vi_words import in_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("không", 0),
        ("một", 1),
        ("mười", 10),
        ("mười một", 11),
        ("mười lăm", 15),
        ("hai mươi", 20),
        ("hai mươi mốt", 21),
        ("hai mươi tư", 24),
        ("hai mươi bốn", 24),
        ("ba mươi lăm", 35),
        ("ba mươi nhăm", 35),
        ("một trăm", 100),
        ("một trăm linh năm", 105),
        ("một trăm lẻ năm", 105),
        ("một trăm mười", 110),
        ("chín trăm chín mươi chín", 999),
        ("một nghìn", 1000),
        ("một ngàn không trăm linh một", 1001),
        ("Hai mươi bẩy (hồ sơ)", None),
        ("Hai mươi bẩy", 27),
        ("một triệu không trăm linh năm", 1_000_005),
        ("mười hai nghìn ba trăm bốn mươi lăm", 12_345),
    ],
)
def test_known_spellings(text: str, value: int | None) -> None:
    assert parse_vi_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "ba ba", "mươi", "một mươi", "trăm", "hai nghìn một nghìn", "three", "3"]
)
def test_not_numbers(text: str) -> None:
    assert parse_vi_number(text) is None


@given(st.integers(min_value=0, max_value=999_999_999))
def test_reference_words_read_back(n: int) -> None:
    assert parse_vi_number(in_words(n)) == n
