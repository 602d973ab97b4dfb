from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.numbers import NumberError, normalize, parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3134", 3134),
        ("7,000", 7000),
        ("32.3万", 323000),
        ("1.1万", 11000),
        ("两万", 20000),
        ("百", 100),
        ("十", 10),
        ("一千二百零五", 1205),
        ("三万五千", 35000),
        ("1.5亿", 150000000),
        ("3千万", 30000000),
        ("百分之九十五", 95),
        ("0.5", Decimal("0.5")),
        ("三十二点五", Decimal("32.5")),
    ],
)
def test_known_forms(text, value):
    assert parse(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "12a", "万万万x", "1..2"])
def test_junk_is_refused(text):
    with pytest.raises(NumberError):
        parse(text)


@pytest.mark.parametrize("text", ["一一", "三五", "二〇二二", "七八点五"])
def test_numerals_side_by_side_are_not_a_count(text):
    # "全市唯一一套平台": cn2an reads 一一 digit by digit as 11.
    with pytest.raises(NumberError):
        parse(text)


def test_the_only_set_is_not_eleven_sets():
    from tests.conftest import analyze_text

    doc = analyze_text("搭建全市唯一一套覆盖至村(社区)的综合治理视联网平台。")
    assert [f.value for f in doc.facts if f.unit == "套"] in ([], [1])


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_integers_round_trip(n):
    assert parse(str(n)) == n
    assert parse(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=10**11))
def test_chinese_integers_round_trip(n):
    assert parse(cn2an.an2cn(n)) == n


@given(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False))
def test_wan_multiplier_is_exact(d):
    # Floats would turn 32.3万 into 322999.99999999994.
    assert parse(f"{d}万") == d * 10000


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=6))
def test_normalize_never_uses_exponents(n, shift):
    value = normalize(Decimal(n).scaleb(-shift))
    assert "E" not in str(value)
    assert value == Decimal(n).scaleb(-shift)


def test_digit_runs_longer_than_any_count_are_not_numbers():
    with pytest.raises(NumberError):
        parse("138123456781381234567813812345678")
    assert normalize(Decimal("1" * 40)) == Decimal("1" * 40)
