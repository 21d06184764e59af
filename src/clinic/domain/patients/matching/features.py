"""A record's values normalised once, in the forms comparison and blocking use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.names import name_key, normalise_name
from clinic.domain.patients.matching.nicknames import canonical_given_name, given_names
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import normalise_phone

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_INWARD_CODE = 3  # the last three characters of a UK postcode: `5ju` of `ex17 5ju`
PHONE_TAIL = 7
"""The digits of the subscriber number, without the area code."""
_SEXES = {"m": "M", "male": "M", "м": "M", "f": "F", "female": "F", "ж": "F"}
_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556", "aeiouyhw")
_NONE: frozenset[str] = frozenset()
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "rev", "bt", "baronet"}
)
"""Titles some systems put in a name field; they name nobody, so they count as missing."""


Birth = tuple[str, int, int]
"""A birth date as digits `YYYYMMDD` (for typos), its ordinal day (for distances) and month × 31
+ day (for the day of the year, whatever the year)."""


@dataclass(frozen=True, slots=True)
class Features:
    """Normalised values of one record; `None` or empty means unknown. `given_canonical` is the
    full name a diminutive stands for, `given_names` every name it may stand for; `phone_parts`
    the two parts of each phone (`_phone_parts`)."""

    record_id: str
    source_key: tuple[str, str] | None
    surname: str | None
    given: str | None
    given_canonical: str | None
    given_names: frozenset[str]
    patronymic: str | None
    sex: str | None
    birth: Birth | None
    phones: frozenset[str]
    phone_parts: frozenset[str]
    emails: frozenset[str]
    city: str | None
    address: str | None
    postcode: str | None
    postcode_district: str | None

    @classmethod
    def of(cls, record: MatchRecord, blocklist: BlockList) -> Features:
        given = _name(record.given_name)
        postcode = _postcode(record.postcode)
        phones = _phones(record.phones, blocklist) if record.phones else _NONE
        return cls(
            record_id=record.record_id,
            source_key=(
                (record.source, record.external_id)
                if record.source and record.external_id
                else None
            ),
            surname=_name(record.surname),
            given=given,
            given_canonical=canonical_given_name(given) if given else None,
            given_names=given_names(given) if given else frozenset(),
            patronymic=_name(record.patronymic),
            sex=_SEXES.get(record.sex.strip().casefold()) if record.sex else None,
            birth=_birth(record.birth_date) if record.birth_date else None,
            phones=phones,
            phone_parts=_phone_parts(phones) if phones else _NONE,
            emails=_emails(record.emails, blocklist) if record.emails else _NONE,
            city=(name_key(record.city) or None) if record.city else None,
            address=normalise_name(record.address) or None if record.address else None,
            postcode=postcode,
            postcode_district=_district(postcode) if postcode else None,
        )


def phone_key(raw: str) -> str | None:
    """The E.164 form of `raw`, or None when it is not a phone number."""
    text = raw.strip()
    if _E164.fullmatch(text):
        return text
    try:
        return normalise_phone(text)
    except InvalidFieldError:
        return None


def _phones(raws: tuple[str, ...], blocklist: BlockList) -> frozenset[str]:
    return frozenset(
        phone for raw in raws if (phone := phone_key(raw)) and not blocklist.blocks_phone(phone)
    )


def _phone_parts(phones: frozenset[str]) -> frozenset[str]:
    """The codes before the subscriber number (`+7916`) and the subscriber number, of each."""
    return frozenset(
        part for phone in phones for part in (phone[:-PHONE_TAIL], phone[-PHONE_TAIL:])
    )


def _emails(raws: tuple[str, ...], blocklist: BlockList) -> frozenset[str]:
    return frozenset(
        email
        for raw in raws
        if (email := raw.strip().casefold()) and not blocklist.blocks_email(email)
    )


@lru_cache(maxsize=65_536)
def soundex(key: str) -> str:
    """American Soundex of a Latin name key (first letter and three digits)."""
    letters = key.replace(" ", "")
    if not letters:
        return ""
    codes = letters.translate(_SOUNDEX)
    collapsed = [
        ch for i, ch in enumerate(codes) if ch.isdigit() and (i == 0 or ch != codes[i - 1])
    ]
    first_code = letters[0].translate(_SOUNDEX)
    if collapsed and first_code and collapsed[0] == first_code:
        collapsed = collapsed[1:]
    return (letters[0] + "".join(collapsed) + "000")[:4]


def _birth(born: date) -> Birth:
    digits = f"{born.year:04d}{born.month:02d}{born.day:02d}"
    return digits, born.toordinal(), born.month * 31 + born.day


def _name(raw: str | None) -> str | None:
    """The comparison key of a name part without titles: `Sir John` → `john`, `Bt.` → None."""
    if not raw:
        return None
    words = [word for word in name_key(raw).split() if word not in HONORIFICS]
    return " ".join(words) or None


def _postcode(raw: str | None) -> str | None:
    if not raw:
        return None
    return "".join(raw.split()).casefold() or None


def _district(postcode: str) -> str:
    """The outward code of a UK postcode (`ex17` of `ex175ju`), the first 3 digits of others."""
    if postcode.isdigit():
        return postcode[:3]
    return postcode[:-_INWARD_CODE] if len(postcode) > _INWARD_CODE + 1 else postcode
