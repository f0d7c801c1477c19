"""Chinese resident ID numbers: checksum, what they encode, how they are built for tests and masked."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from talentloop.org.identity import (
    IdentityInfo,
    InvalidIdNumber,
    check_digit,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

# Regions that stdnum's place table knows for every birth year the strategies below draw.
REGIONS = ("110101", "110105", "310101")
VALID = "11010119900307002X"  # a woman born 1990-03-07 in Dongcheng, Beijing; check character X

# No per-example deadline: the first parse loads stdnum's region table, which may be slow on a busy machine.
no_deadline = settings(deadline=None)
regions = st.sampled_from(REGIONS)
# Numbers are issued to living people: birth dates from 1900 up to today.
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())
sequences = st.integers(min_value=0, max_value=10_000)
genders = st.sampled_from(["male", "female"])


def test_the_documented_example_parses() -> None:
    assert parse_id_number(VALID) == IdentityInfo(
        number=VALID, birth_date=dt.date(1990, 3, 7), gender="female"
    )


def test_input_is_trimmed_and_upper_cased() -> None:
    assert parse_id_number("  11010119900307002x ").number == VALID


def test_the_seventeenth_digit_decides_the_gender() -> None:
    male = make_id_number("110101", dt.date(1985, 12, 31), 7, "male")
    assert male[16] in "13579"
    assert parse_id_number(male).gender == "male"
    female = make_id_number("110101", dt.date(1985, 12, 31), 7, "female")
    assert female[16] in "02468"
    assert parse_id_number(female).gender == "female"


def test_check_digit_uses_x_for_ten() -> None:
    assert check_digit("11010519491231002") == "X"  # the number printed in GB 11643 as its example
    assert check_digit("11010119900307002") == "X"


@no_deadline
@given(first17=st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_agrees_with_python_stdnum(first17: str) -> None:
    assert check_digit(first17) == ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("110101199003070021", "wrong check digit"),
        ("11010119900307002", "17 characters"),
        ("11010119900307002X1", "19 characters"),
        ("110101900307002", "15-digit numbers are no longer accepted"),
        ("1101011990030700AX", "letters among the first 17"),
        ("110101199002300026", "30 February"),
        ("999999199003070026", "unknown region"),
    ],
)
def test_invalid_numbers_are_rejected(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber):
        parse_id_number(value)


def test_make_id_number_gives_distinct_numbers_for_500_sequences() -> None:
    numbers = {make_id_number("110101", dt.date(1990, 1, 1), n, "female") for n in range(500)}
    assert len(numbers) == 500


@no_deadline
@given(region=regions, birth_date=birth_dates, sequence=sequences, gender=genders)
def test_make_id_number_parses_back_to_the_same_birth_date_and_gender(
    region: str, birth_date: dt.date, sequence: int, gender: str
) -> None:
    number = make_id_number(region, birth_date, sequence, gender)
    info = parse_id_number(number)
    assert len(number) == 18
    assert info.number == number
    assert info.birth_date == birth_date
    assert info.gender == gender


@no_deadline
@given(
    region=regions,
    birth_date=birth_dates,
    sequence=sequences,
    gender=genders,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from("0123456789X"),
)
def test_any_single_character_change_is_rejected(
    region: str, birth_date: dt.date, sequence: int, gender: str, position: int, replacement: str
) -> None:
    number = make_id_number(region, birth_date, sequence, gender)
    if position < 17 and replacement == "X":
        replacement = "0" if number[position] != "0" else "1"
    if replacement == number[position]:
        replacement = "1" if number[position] == "0" else "0"
    changed = number[:position] + replacement + number[position + 1 :]
    assert changed != number
    with pytest.raises(InvalidIdNumber):
        parse_id_number(changed)


@no_deadline
@given(value=st.text(max_size=40))
def test_any_text_either_parses_or_raises_invalid_id_number(value: str) -> None:
    try:
        info = parse_id_number(value)
    except InvalidIdNumber:
        return
    assert len(info.number) == 18
    assert info.gender in {"male", "female"}


def test_an_18_character_number_is_masked_as_first_6_stars_and_last_4() -> None:
    assert mask_id_number(VALID) == "110101********002X"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("", ""),
        ("1234", "****"),
        ("1234567890", "**********"),
        ("12345678901", "123456*****"),
        ("110101900307002", "110101********2"),
        ("123456789012345678", "123456********5678"),
    ],
)
def test_masking_of_stored_values_of_other_lengths(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@no_deadline
@given(value=st.text(alphabet="0123456789X", max_size=30))
def test_masking_keeps_the_length_and_never_shows_characters_7_to_14(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert set(masked[6:14]) <= {"*"}
    assert all(m in ("*", v) for m, v in zip(masked, value, strict=True))


@no_deadline
@given(region=regions, birth_date=birth_dates, sequence=sequences, gender=genders)
def test_masking_a_valid_number_hides_exactly_the_birth_date(
    region: str, birth_date: dt.date, sequence: int, gender: str
) -> None:
    number = make_id_number(region, birth_date, sequence, gender)
    assert mask_id_number(number) == number[:6] + "********" + number[14:]


def test_a_district_code_younger_than_its_holder_is_accepted() -> None:
    # 320508 (Suzhou Gusu) was created in 2012; people born long before carry it after re-registration.
    info = parse_id_number(make_id_number("320508", dt.date(1965, 6, 1), 1, "male"))
    assert (info.birth_date, info.gender) == (dt.date(1965, 6, 1), "male")


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (make_id_number("110199", dt.date(1965, 6, 1), 1, "male"), "the region code is unknown"),
        (make_id_number("110101", dt.date(1899, 12, 31), 1, "male"), "the birth date is out of range"),
        (make_id_number("110101", dt.date.today() + dt.timedelta(days=1), 1, "male"), "the birth date is out of range"),
        ("11010119650601003", "only 18-character numbers are accepted"),
    ],
)
def test_numbers_refused_with_a_reason(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(number)
