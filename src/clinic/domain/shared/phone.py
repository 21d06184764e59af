"""Phone numbers normalised to E.164 (default region RU)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers

from clinic.domain.shared.errors import InvalidFieldError

DEFAULT_REGION = "RU"
NATIONAL_NUMBER_LENGTH = 10
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_TYPED_RUSSIAN = re.compile(r"\+?[0-9 ()\-]{10,40}")
"""The usual ways of typing a +7 number: ASCII digits, spaces, dashes, brackets, a leading '+'."""
_PUNCTUATION = str.maketrans("", "", " ()-+")
_RU_METADATA_READ = (7, "8", "810", r"8\d{13}|[347-9]\d{9}")
"""Country code, national prefix, international prefix and general pattern of RU as
`_russian_national_number` reads numbers; other metadata turns the fast path off."""
_FIRST_DIGITS = "34789"
"""First digits of a 10-digit national number that RU's general pattern takes (RU and KZ)."""
_PROBE_SUFFIXES = (*(str(d) * 7 for d in range(10)), "0123456", "9876543", "5096871")
_MAX_PREFIX_LENGTH = 6
"""Validity of a +7 national number is decided by its first 6 digits at most (RU mobile
`930 0 05`); tests/unit/domain/shared/test_fast_parsing_phone_table.py proves it for every
prefix taken."""


@dataclass(frozen=True, slots=True)
class Phone:
    """A valid phone number in E.164 form, e.g. ``+79161234567``."""

    e164: str

    def __post_init__(self) -> None:
        if not _E164.fullmatch(self.e164):
            raise InvalidFieldError(
                "phone", f"not an E.164 phone number: {self.e164!r}", "invalid_phone"
            )

    @classmethod
    def parse(cls, raw: str | int, field: str = "phone") -> Phone:
        """Accepts `8 (916) 123-45-67`, `+7 916 1234567`, `9161234567` and other common forms.

        A whole number (a spreadsheet cell) is read as its digits.
        """
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            raise InvalidFieldError(field, "must be text", "not_text")
        try:
            return cls(normalise_phone(raw))
        except InvalidFieldError as error:
            raise InvalidFieldError(field, error.message, error.code) from None

    def __str__(self) -> str:
        return self.e164

    @property
    def display(self) -> str:
        """The international form people read: `+7 916 123-45-67`."""
        number = phonenumbers.parse(self.e164)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_phone(raw: str) -> str:
    """Returns the E.164 form of `raw` or raises InvalidFieldError.

    A common form of a valid +7 number is read directly (~1 µs); anything else, and every
    number rejected, goes through phonenumbers, with the same result."""
    national = _russian_national_number(raw)
    if national is not None:
        return "+7" + national
    return _normalise_phone_fully(raw)


def _normalise_phone_fully(raw: str) -> str:
    """`normalise_phone` by phonenumbers alone (the reference the fast path is tested against)."""
    text = raw.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidFieldError("phone", "a phone number needs digits", "invalid_phone")
    if len(digits) == NATIONAL_NUMBER_LENGTH and not text.startswith("+"):
        text = "+7" + digits  # a bare Russian number without the trunk prefix: 9161234567
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidFieldError("phone", f"not a phone number: {raw!r}", "invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidFieldError("phone", f"not a valid phone number: {raw!r}", "invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _russian_national_number(raw: str) -> str | None:
    """The national number of `raw` if it is typed as a valid +7 number in one of the usual
    forms, exactly as phonenumbers would read it: `9161234567` (ten digits: `+7` is prepended),
    `+7 916 …` (the country code), `8 (916) …` (the trunk prefix) or `7916…` (the country code
    without '+'). None: not such a number, or not valid; phonenumbers decides.

    Why phonenumbers reads these the same way (RU metadata as in `_RU_METADATA_READ`): the
    national number starts with 3, 4, 7, 8 or 9 and has ten digits, so it matches the general
    pattern, is never taken for `810…` (international prefix), and stripping a trunk prefix `8`
    from it would leave nine digits, which no pattern takes, so it is kept whole."""
    text = raw.strip()
    if not _TYPED_RUSSIAN.fullmatch(text):
        return None
    digits = text.translate(_PUNCTUATION)
    if len(digits) == NATIONAL_NUMBER_LENGTH and text[0] != "+":
        national = digits
    elif len(digits) == NATIONAL_NUMBER_LENGTH + 1 and digits[0] in (
        "7" if text[0] == "+" else "78"
    ):
        national = digits[1:]
    else:
        return None
    prefixes = _valid_prefixes()
    if (
        national[:3] in prefixes
        or national[:4] in prefixes
        or national[:5] in prefixes
        or national[:_MAX_PREFIX_LENGTH] in prefixes
    ):
        return national
    return None


@cache
def _valid_prefixes() -> frozenset[str]:
    """Beginnings (3 to 6 digits) of national numbers every +7 number with which is valid, as
    phonenumbers says (~0.1 s, once). Empty when the RU metadata is not the one reasoned about.

    A prefix is taken when every probe completing it is valid; one with valid and invalid
    probes is split into its ten longer prefixes; one with no valid probe is left out. Left out
    means only "ask phonenumbers", so a prefix missed costs time, never a different result."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(DEFAULT_REGION)
    if metadata is None or metadata.general_desc is None:
        return frozenset()
    read = (
        metadata.country_code,
        metadata.national_prefix_for_parsing,
        metadata.international_prefix,
        metadata.general_desc.national_number_pattern,
    )
    if read != _RU_METADATA_READ:
        return frozenset()
    taken: set[str] = set()
    pending = [f"{first}{rest:02d}" for first in _FIRST_DIGITS for rest in range(100)]
    while pending:
        prefix = pending.pop()
        free = NATIONAL_NUMBER_LENGTH - len(prefix)
        probes = {_is_valid_national(prefix + suffix[:free]) for suffix in _PROBE_SUFFIXES}
        if probes == {True}:
            taken.add(prefix)
        elif True in probes and len(prefix) < _MAX_PREFIX_LENGTH:
            pending += [prefix + str(digit) for digit in range(10)]
    return frozenset(taken)


def _is_valid_national(national: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
    return phonenumbers.is_valid_number(number)


def phone_search_digits(raw: str) -> str:
    """Digits of a (possibly partial) phone as stored in E.164 without '+', for prefix search.

    `8916...` and `916...` both become `7916...`, so any common form of the start of a Russian
    number finds it.
    """
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("8") and len(digits) > 1 and not raw.strip().startswith("+"):
        return "7" + digits[1:]
    if digits.startswith("9") and not raw.strip().startswith("+"):
        return "7" + digits
    return digits
