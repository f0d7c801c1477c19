"""Chinese resident identity numbers (居民身份证号码): checksum validation, masking, and what they encode."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class IdentityInfo:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female": the 17th digit's parity, as the standard defines it


class InvalidIdNumber(ValueError):
    pass


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdentityInfo:
    """Validate an 18-character number (format, check digit, birth date, a known region code) and return what
    it encodes.

    The region only has to be a code that has existed: numbers are issued with the code of the place of
    registration when the card is issued, so someone born in 1970 legitimately carries a district code created
    in 1990 (python-stdnum's stricter birth-year check would reject real people)."""
    number = ric.compact(value or "").upper()
    if len(number) != 18:
        # 15-digit numbers stopped being issued in 2004 and carry no check digit.
        raise InvalidIdNumber("only 18-character numbers are accepted")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("the first 17 characters must be digits and the last a digit or X")
    if number[17] != check_digit(number[:17]):
        raise InvalidIdNumber("the check digit does not match")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError as exc:
        raise InvalidIdNumber("the birth date is not a real date") from exc
    if birth.year < 1900 or birth > (today or dt.date.today()):
        raise InvalidIdNumber("the birth date is out of range")
    region = {key: val for _part, props in numdb.get("cn/loc").info(number[:6]) for key, val in props.items()}
    if "county" not in region:
        raise InvalidIdNumber("the region code is unknown")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdentityInfo(number=number, birth_date=birth, gender=gender)


def make_id_number(region: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """Build a valid number; used by demo data and tests. `sequence` (0-499 give distinct numbers) and the
    gender pick the 3 order digits: odd for men, even for women."""
    parity = 1 if gender == "male" else 0
    order = (sequence % 500) * 2 + parity
    first17 = f"{region}{birth_date.year:04d}{birth_date:%m%d}{order:03d}"
    return first17 + check_digit(first17)


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters, stars between ('110101********1234'), length kept. Characters 7-14
    (the birth date) are never shown, whatever the length of a stored value; short values are all stars."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    tail = max(0, min(4, len(value) - 14))
    return value[:6] + "*" * (len(value) - 6 - tail) + value[len(value) - tail:]
