"""Hypothesis strategies for domain values as people type them, with the canonical form expected.

Each strategy draws a `Written` pair: `canonical` is what the domain must produce, `typed` is one
of the ways a receptionist or an import file writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hypothesis import strategies as st

# Russian mobile operator codes whose every number is valid (in the phonenumbers metadata).
MOBILE_CODES = (903, 905, 909, 910, 915, 916, 917, 925, 926, 929, 950, 977, 985, 999)
PHONE_FORMATS = (
    "8 ({code}) {a}-{b}-{c}",
    "+7 {code} {a}{b}{c}",
    "{code}{a}{b}{c}",
    "+7({code}){a}-{b}-{c}",
    "8-{code}-{a}-{b}-{c}",
    "+7{code}{a}{b}{c}",
    "8{code}{a}{b}{c}",
    "  +7 ({code}) {a} {b} {c} ",
)
CYRILLIC_LOWER = "абвгдежзийклмнопрстуфхцчшщыэюя"


@dataclass(frozen=True)
class Written:
    canonical: Any
    typed: Any


@st.composite
def mobile_phones(draw: st.DrawFn) -> Written:
    """A valid Russian mobile number: E.164 and one common way of writing it."""
    code = draw(st.sampled_from(MOBILE_CODES))
    subscriber = draw(st.integers(min_value=0, max_value=9_999_999))
    digits = f"{subscriber:07d}"
    layout = draw(st.sampled_from(PHONE_FORMATS))
    typed = layout.format(code=code, a=digits[:3], b=digits[3:5], c=digits[5:])
    return Written(canonical=f"+7{code}{digits}", typed=typed)


@st.composite
def names(draw: st.DrawFn) -> Written:
    """A one-word Cyrillic name, capitalised, typed as is, all lower or all upper."""
    word = draw(st.text(alphabet=CYRILLIC_LOWER, min_size=2, max_size=15))
    canonical = word[0].upper() + word[1:]
    typed = draw(st.sampled_from((canonical, canonical.lower(), canonical.upper())))
    return Written(canonical=canonical, typed=typed)


@st.composite
def birth_dates(draw: st.DrawFn, today: date) -> Written:
    """A birth date between 1900 and `today`, typed DD.MM.YYYY, ISO, or as a date."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=today))
    typed = draw(st.sampled_from((born.strftime("%d.%m.%Y"), born.isoformat(), born)))
    return Written(canonical=born, typed=typed)


@st.composite
def sexes(draw: st.DrawFn) -> Written:
    canonical, typed = draw(
        st.sampled_from((("F", "F"), ("F", "ж"), ("F", "Ж"), ("M", "m"), ("M", "М"), ("M", "M")))
    )
    return Written(canonical=canonical, typed=typed)


@st.composite
def emails(draw: st.DrawFn) -> Written:
    local = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
    domain = draw(st.sampled_from(("mail.ru", "yandex.ru", "clinic.example.org")))
    typed_domain = draw(st.sampled_from((domain, domain.upper())))
    return Written(canonical=f"{local}@{domain}", typed=f"{local}@{typed_domain}")


@st.composite
def registrations(draw: st.DrawFn, today: date) -> Written:
    """Raw fields of a valid registration (`typed`) and the normalised fields (`canonical`)."""
    required = {"surname": draw(names()), "given_name": draw(names())}
    optional = {
        "patronymic": names(),
        "sex": sexes(),
        "birth_date": birth_dates(today),
        "phone": mobile_phones(),
        "email": emails(),
    }
    chosen = {field: draw(st.none() | strategy) for field, strategy in optional.items()}
    fields = required | chosen
    return Written(
        canonical={f: w.canonical if w else None for f, w in fields.items()},
        typed={f: w.typed if w else None for f, w in fields.items()},
    )
