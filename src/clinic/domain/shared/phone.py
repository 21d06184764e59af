"""Phone numbers normalised to E.164 (default region RU)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from clinic.domain.shared.errors import InvalidFieldError

DEFAULT_REGION = "RU"
NATIONAL_NUMBER_LENGTH = 10
_E164 = re.compile(r"\+[1-9]\d{6,14}")


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
    """Returns the E.164 form of `raw` or raises InvalidFieldError."""
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
