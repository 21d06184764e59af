"""How patient names, phones and e-mails are keyed for prefix search."""

from __future__ import annotations

from clinic.domain.shared.phone import phone_search_digits

MIN_PHONE_QUERY_DIGITS = 3


def name_key(*parts: str | None) -> str:
    """Lower-case, ё→е, single spaces: `Ёжиков  Пётр` → `ежиков петр`."""
    text = " ".join(p for p in parts if p)
    return " ".join(text.lower().replace("ё", "е").split())


def city_key(city: str | None) -> str | None:
    """The key a city is filtered by: `  Нижний  Новгород` and `нижний новгород` are one city."""
    return name_key(city) or None


def phone_key(phone: str | None) -> str | None:
    """The key of a stored E.164 phone: its digits."""
    return phone.removeprefix("+") if phone else None


def phone_query_key(query: str) -> str:
    """The key prefix a typed (partial) phone searches for."""
    return phone_search_digits(query)


def email_key(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def looks_like_phone(query: str) -> bool:
    digits = sum(ch.isdigit() for ch in query)
    return digits >= MIN_PHONE_QUERY_DIGITS and all(ch.isdigit() or ch in "+-() " for ch in query)
