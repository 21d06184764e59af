"""The fast paths of the field parsers give exactly what the full parsers give.

Each fast path takes only the common shapes (and for phones and e-mails only accepts, never
rejects); everything else goes to the full parser, kept as the reference (`_normalise_*_fully`,
`_parse_date_fully`). Here generated inputs, common and odd, must come out the same both ways:
the same value, or the same error (field, code and message).
"""

from __future__ import annotations

import string
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import idna
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clinic.domain.shared.dates import _common_form, _parse_date_fully, parse_date
from clinic.domain.shared.email import Email, _normalise_email_fully, _plain_address
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import (
    _normalise_phone_fully,
    _russian_national_number,
    _valid_prefixes,
    normalise_phone,
)
from clinic.domain.shared.text import _has_control_chars, present

MANY = settings(max_examples=1500)


def _outcome(parse: Callable[[Any], Any], raw: Any) -> tuple[Any, ...]:
    try:
        return ("ok", parse(raw))
    except InvalidFieldError as error:
        return ("error", error.field, error.code, error.message)


# --- phones ----------------------------------------------------------------------------------

PHONE_LEADS = (
    "", "+7", "+7 ", "8", "8 ", "7", "+", "+8", "+77", " +7", "(", "8(", "+7(", "00", "810",
    "+ 7", "++7", "-", "tel:", "8-", "(8)",
)  # fmt: skip
PHONE_SEPARATORS = ("", "", "", " ", "-", "(", ")", "--", " - ", "\t", ".", "/", "x", "٣", "+")
PHONE_ENDINGS = ("", "", " ", ")", "-", " доб. 12", "#", " x12", ";", "\n", "\u00a0")


@st.composite
def phone_like(draw: st.DrawFn) -> str:
    """A Russian-looking number: typed the usual ways (half of them), or with odd leads,
    separators, lengths and endings."""
    usual = draw(st.booleans())
    if usual or draw(st.booleans()):
        prefix = draw(st.sampled_from(sorted(_valid_prefixes())))
    else:
        prefix = draw(st.text(alphabet=string.digits, max_size=3))
    length = 10 if usual else draw(st.sampled_from((10, 10, 9, 11, 8, 12)))
    rest = draw(st.text(alphabet=string.digits, min_size=10, max_size=12))
    national = (prefix + rest)[:length]
    leads = ("", "+7", "+7 ", "8", "8 ", "7", " +7", "8(", "+7 (") if usual else PHONE_LEADS
    separators = ("", "", "", " ", "-", "(", ")") if usual else PHONE_SEPARATORS
    typed = draw(st.sampled_from(leads))
    for digit in national:
        typed += digit + (draw(st.sampled_from(separators)) if draw(st.booleans()) else "")
    return typed + draw(st.sampled_from(("", " ") if usual else PHONE_ENDINGS))


@MANY
@given(st.one_of(phone_like(), st.text(alphabet="0123456789 ()-+", max_size=30), st.text()))
@example("8 (916) 123-45-67")
@example("+7 916 1234567")
@example("  8 916 123 45 67  ")
@example("+7 800 555 35 35")
@example("8 800 555 35 35")
@example("78005553535")
@example("88005553535")
@example("8 (930) 005-12-34")
@example("8 (930) 000-12-34")
@example("8 (101) 234-56-78")
@example("+7 (727) 123-45-67")
@example("87271234567")
@example("8" + " " * 60 + "9161234567")
@example("+7 916 123-45-67 доб. 12")
def test_phones_come_out_as_the_full_parser_has_them(typed: str) -> None:
    assert _outcome(normalise_phone, typed) == _outcome(_normalise_phone_fully, typed)


@pytest.mark.parametrize(
    "typed",
    ["8 (916) 123-45-67", "+7 916 1234567", "9161234567", "79161234567", "8-495-123-45-67"],
)
def test_the_common_forms_take_the_fast_path(typed: str) -> None:
    assert _russian_national_number(typed) is not None


# --- e-mail ----------------------------------------------------------------------------------

LOCAL_ALPHABET = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~." + '"@ <>\\äяß\u0301'
DOMAIN_ALPHABET = "abcxyzABCXYZ019-ёß_ \u212a\uff21\uff0e\u3002\u200b"  # Kelvin, full-width A, dots
TLDS = (
    "ru", "RU", "com", "Com", "local", "test", "invalid", "onion", "localhost", "arpa", "example",
    "1", "r1", "1r", "xn--p1ai", "рф", "c0m", "", "a", "museum", "x" * 63, "x" * 64,
)  # fmt: skip
LOCAL_PARTS = (
    "ivan.petrov", "Maria.Ivanova87", "info", "Info", "POSTMASTER", "a..b", ".a", "a.", "a" * 64,
    "a" * 65, '"quoted"', '"a b"', "ivan+tag", "o'brien", "x" * 250,
)  # fmt: skip


PLAIN_LOCAL = st.lists(
    st.text(alphabet=string.ascii_letters + string.digits + "_+-'", min_size=1, max_size=12),
    min_size=1,
    max_size=3,
).map(".".join)
PLAIN_LABEL = st.text(alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=12)


@st.composite
def email_like(draw: st.DrawFn) -> str:
    """An address-like string: plain ASCII ones (half of them, some with a label starting or
    ending with a hyphen), or with the edge cases of each part."""
    usual = draw(st.booleans())
    if usual:
        local = draw(PLAIN_LOCAL)
    elif draw(st.booleans()):
        local = draw(st.sampled_from(LOCAL_PARTS))
    else:
        local = draw(st.text(alphabet=LOCAL_ALPHABET, min_size=0, max_size=70))
    edge_labels = st.one_of(
        st.text(alphabet=DOMAIN_ALPHABET, min_size=0, max_size=70),
        st.sampled_from(("xn--80ak6aa92e", "ab--cd", "a-b", "-a", "a-", "почта", "x" * 64)),
    )
    label = PLAIN_LABEL if usual else st.one_of(PLAIN_LABEL, edge_labels)
    labels = draw(st.lists(label, min_size=1 if usual else 0, max_size=4))
    domain = ".".join([*labels, draw(st.sampled_from(TLDS))])
    space = draw(st.sampled_from(("", "", " ", "\t", "\n")))
    return f"{space}{local}@{domain}{space}"


@MANY
@given(st.one_of(email_like(), st.text(), st.emails()))
@example("Maria.Ivanova@Mail.RU")
@example("  maria@mail.ru \n")
@example("мария@почта.рф")
@example("Info@mail.ru")
@example("maria@host.local")
@example("maria@mail.test")
@example("maria@xn--80ak6aa92e.com")
@example("maria@ab--cd.ru")
@example("maria@mail.r1")
@example("a" * 65 + "@mail.ru")
@example("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".ru")
@example("a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 60 + ".ru")
@example("maria@" + "b" * 64 + ".ru")
@example("Maria <maria@mail.ru>")
def test_addresses_come_out_as_email_validator_has_them(typed: str) -> None:
    assert _outcome(Email.parse, typed) == _outcome(
        lambda raw: Email(_normalise_email_fully(raw, "email")), typed
    )


def test_a_plain_address_takes_the_fast_path() -> None:
    assert _plain_address("Maria.Ivanova@Mail.RU") == "Maria.Ivanova@mail.ru"


@pytest.mark.parametrize("char", string.ascii_letters + string.digits + ".-")
def test_uts46_only_lower_cases_the_characters_of_a_plain_domain(char: str) -> None:
    assert idna.uts46_remap(char, std3_rules=False, transitional=False) == char.lower()


# --- dates -----------------------------------------------------------------------------------

UNICODE_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def date_like(draw: st.DrawFn) -> str:
    """A date typed with one- to three-digit parts, any order and separator, odd digits."""
    day, month = draw(st.integers(0, 40)), draw(st.integers(0, 14))
    if draw(st.booleans()):  # most likely a real date in a common form
        day, month = draw(st.integers(1, 31)), draw(st.integers(1, 12))
        layout = draw(st.sampled_from(("{d:02d}.{m:02d}.{y:04d}", "{y:04d}-{m:02d}-{d:02d}")))
        return layout.format(d=day, m=month, y=draw(st.integers(0, 9999)))
    year = draw(st.one_of(st.integers(1890, 2100), st.integers(0, 9999)))
    width = draw(st.sampled_from(("{:02d}", "{:02d}", "{}", "{:2d}", "{:03d}")))
    parts = [width.format(day), width.format(month), draw(st.sampled_from(("{:04d}", "{}")))]
    parts[2] = parts[2].format(year)
    if draw(st.booleans()):
        parts.reverse()
    typed = draw(st.sampled_from((".", "-", "/", " ", ". "))).join(parts)
    if draw(st.integers(0, 9)) == 0:
        typed = typed.translate(UNICODE_DIGITS)
    space = draw(st.sampled_from(("", "", " ", "\t", "\u00a0")))
    return space + typed + space


@MANY
@given(st.one_of(date_like(), st.text(alphabet="0123456789.- ", max_size=12), st.text()))
@example("15.03.1985")
@example("1985-03-15")
@example("1.2.1990")
@example("31.02.2020")
@example("29.02.2000")
@example("29.02.1900")
@example("00.01.1990")
@example("01.01.0000")
@example("01.01.0999")
@example("1985-3-15")
@example("١٥.٠٣.١٩٨٥")
def test_dates_come_out_as_strptime_has_them(typed: str) -> None:
    assert _outcome(lambda raw: parse_date(raw, "day"), typed) == _outcome(
        lambda raw: _parse_date_fully(raw, "day"), typed
    )


@given(st.dates(min_value=date(1, 1, 1)))
def test_both_common_forms_of_any_date_take_the_fast_path(day: date) -> None:
    assert _common_form(f"{day.day:02d}.{day.month:02d}.{day.year:04d}") == day
    assert _common_form(f"{day.year:04d}-{day.month:02d}-{day.day:02d}") == day


# --- text ------------------------------------------------------------------------------------


def _present_fully(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _has_control_chars_fully(text: str, allowed: str) -> bool:
    return any(ch not in allowed and unicodedata.category(ch) in {"Cc", "Cf"} for ch in text)


def test_no_printable_character_is_a_control_or_format_one() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert unicodedata.category(char) not in {"Cc", "Cf"}, hex(code)


def test_a_character_is_present_exactly_when_the_full_check_says_so() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert present(char) == _present_fully(char), hex(code)


class _Shouting(str):
    __slots__ = ()

    def __str__(self) -> str:
        return "LOUD"


@given(st.one_of(st.text(), st.none(), st.integers(), st.just(_Shouting("  "))))
def test_present_agrees_with_the_full_check(value: Any) -> None:
    assert present(value) == _present_fully(value)


@given(st.text(), st.sampled_from(("", "\n")))
@example("улица\u200bМира", "")
@example("строка\nстрока", "\n")
@example("строка\nстрока", "")
def test_control_characters_are_found_as_the_full_check_finds_them(text: str, allowed: str) -> None:
    assert _has_control_chars(text, allowed) == _has_control_chars_fully(text, allowed)
