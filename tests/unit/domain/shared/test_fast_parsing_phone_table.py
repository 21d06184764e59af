"""The table behind the phone fast path: every +7 number with a prefix it takes is valid.

The fast path (`phone._russian_national_number`) accepts a national number only when one of its
first 3 to 6 digits is in `_valid_prefixes()`; it never rejects (anything else goes through
phonenumbers). So it is exact if every completion of every prefix taken is valid, which
`test_every_completion_of_a_prefix_taken_is_valid` proves without enumerating completions:

phonenumbers decides validity of a +7 number by its region (RU or KZ, by the leading-digits
pattern, which looks at the first digit only) and by `_number_type_helper`, which full-matches
the national number against the region's patterns. Those patterns are built from digits, digit
classes, `\\d`, groups, alternation and counts: no `.`, no negated class. So a pattern that
matches the prefix followed by Arabic-Indic zeros (U+0660, matched by `\\d` and by nothing else
in it) matches the prefix followed by any ASCII digits, along the same path.

Then the fast and full paths are compared over every 4-digit beginning of a national number
typed in several forms, and a broad sample of completions is checked against is_valid_number.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import phonenumbers
import pytest
from phonenumbers import PhoneMetadata, PhoneNumberType, phonenumberutil

from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import (
    _normalise_phone_fully,
    _russian_national_number,
    _valid_prefixes,
    normalise_phone,
)

WILDCARD = "\u0660"  # ARABIC-INDIC DIGIT ZERO: `\d` matches it, `[0-9]` and `5` do not
DESCS = (
    "general_desc", "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost",
    "personal_number", "voip", "pager", "uan", "voicemail",
)  # fmt: skip
PATTERN_TOKENS = re.compile(r"\\d|[0-9\[\]()|?:{},\-]")
"""What a national number pattern may be made of for the wildcard argument to hold."""


def _regions() -> tuple[str, ...]:
    return tuple(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[7])


def _outcome(parse: Callable[[str], str], typed: str) -> tuple[str, ...]:
    try:
        return ("ok", parse(typed))
    except InvalidFieldError as error:
        return ("error", error.field, error.code, error.message)


def test_the_fast_path_is_on_for_russian_mobiles_and_landlines() -> None:
    prefixes = _valid_prefixes()
    assert {"916", "925", "999", "495", "812", "800"} <= prefixes
    assert "930005" in prefixes


@pytest.mark.parametrize("region", _regions())
def test_the_patterns_of_the_plus_7_regions_admit_the_wildcard_argument(region: str) -> None:
    metadata = PhoneMetadata.metadata_for_region(region)
    assert metadata is not None
    assert metadata.leading_digits is not None
    assert re.fullmatch(r"\[[0-9\-]+\]|[0-9]", metadata.leading_digits), "first digit only"
    for name in DESCS:
        desc = getattr(metadata, name)
        if desc is None or desc.national_number_pattern is None:
            continue
        pattern = desc.national_number_pattern
        assert PATTERN_TOKENS.sub("", pattern) == "", (region, name, pattern)


def test_every_completion_of_a_prefix_taken_is_valid() -> None:
    regions = [(r, PhoneMetadata.metadata_for_region(r)) for r in _regions()]
    for prefix in _valid_prefixes():
        region = next(r for r, m in regions if m and re.match(m.leading_digits or "", prefix))
        metadata = PhoneMetadata.metadata_for_region(region)
        assert metadata is not None
        wild = prefix + WILDCARD * (10 - len(prefix))
        assert phonenumberutil._number_type_helper(wild, metadata) != PhoneNumberType.UNKNOWN, (
            prefix
        )


def test_sampled_completions_of_the_prefixes_taken_are_valid() -> None:
    rng = random.Random(7)
    for prefix in sorted(_valid_prefixes()):
        free = 10 - len(prefix)
        for _ in range(40):
            national = prefix + "".join(rng.choices("0123456789", k=free))
            number = phonenumbers.PhoneNumber(country_code=7, national_number=int(national))
            assert phonenumbers.is_valid_number(number), national


FORMS = ("{n}", "+7 {n}", "8{n}", "7{n}", "8 ({a}) {b}-{c}-{d}", "+7({a}){b}{c}{d}", "+8{n}")


@pytest.mark.parametrize("form", FORMS)
def test_fast_and_full_paths_agree_on_every_4_digit_beginning(form: str) -> None:
    rng = random.Random(form)
    fast_taken = 0
    for start in range(10_000):
        national = f"{start:04d}" + "".join(rng.choices("0123456789", k=6))
        typed = form.format(
            n=national, a=national[:3], b=national[3:6], c=national[6:8], d=national[8:]
        )
        fast_taken += _russian_national_number(typed) is not None
        assert _outcome(normalise_phone, typed) == _outcome(_normalise_phone_fully, typed), typed
    if form.startswith("+8"):
        assert fast_taken == 0  # not a +7 number
    else:
        assert fast_taken > 1000


def test_fast_and_full_paths_agree_on_every_6_digit_beginning_of_930() -> None:
    rng = random.Random(930)
    for rest in range(1000):
        national = f"930{rest:03d}" + "".join(rng.choices("0123456789", k=4))
        for typed in (national, "8 " + national, "+7" + national):
            assert _outcome(normalise_phone, typed) == _outcome(_normalise_phone_fully, typed)


@pytest.mark.parametrize(("prefix", "all_valid"), [("916", True), ("930", False), ("000", False)])
def test_the_wildcard_tells_a_prefix_all_of_whose_completions_are_valid(
    prefix: str, all_valid: bool
) -> None:
    metadata = PhoneMetadata.metadata_for_region("RU")
    assert metadata is not None
    wild = prefix + WILDCARD * (10 - len(prefix))
    helper = phonenumberutil._number_type_helper(wild, metadata)
    assert (helper != PhoneNumberType.UNKNOWN) == all_valid
