"""The candidate pairs of one batch, scored at once: `compare` and `Scorer.total`, exactly.

A record meets a few dozen others scattered over the batch, so the time goes less into comparing
than into fetching the other record's values from memory. A batch therefore keeps each field as
a column of ids (equal values, equal ids; 0 when missing), and a pair mostly reads ids: most
fields agree or differ by their ids alone. What needs the values themselves (names, towns,
typos) is compared once per pair of values and kept for the batch, and what a pattern of levels
makes of a pair (the weights, the rule) once per pattern.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Generic, TypeVar

from clinic.domain.patients.matching.comparisons import (
    CLOSE,
    DIFFERS,
    EXACT,
    UNKNOWN,
    NameParts,
    address_level,
    birth_date_level,
    city_level,
    dates_far_apart,
    email_level,
    emails_level,
    given_match,
    mailbox,
    patronymic_level,
    phone_level,
    phones_level,
    read_names,
    text_level,
)
from clinic.domain.patients.matching.decisions import (
    EMAIL_RULE,
    FAMILY_RULE,
    PHONE_RULE,
    SCORE_RULE,
    SOURCE_RECORD_RULE,
)
from clinic.domain.patients.matching.features import PHONE_TAIL, Features
from clinic.domain.patients.matching.scoring import Levels, Scorer

ScoredPair = tuple[int, float, str]
"""A partner's position, the pair's score (`Scorer.total`) and the rule that decides it:
SOURCE_RECORD_RULE, PHONE_RULE, EMAIL_RULE, SCORE_RULE, or FAMILY_RULE (a score pair of
relatives)."""
NameMatch = tuple[str, str, float]
"""Surname level, given-name level, and the frequency adjustment of the names agreed on."""

_Value = TypeVar("_Value", bound=Hashable)
_Result = TypeVar("_Result")
_SEVERAL = -1
"""The id of several phones or e-mails, which are compared as sets."""
_SEVERAL_VALUES = "several"
"""Stands for several values of a set (`_single`) until a column gives it `_SEVERAL`."""


class PairScorer:
    """Scores pairs of `features` as `scorer` would (`compare`, `Scorer.total`, the rules)."""

    def __init__(self, features: Sequence[Features], scorer: Scorer) -> None:
        self._features = features
        self._names = _Names(features, scorer.frequencies.names)
        self._births = _Births(features, scorer.frequencies.births)
        self._sexes = _Column(f.sex for f in features)
        self._places = _Places(features, scorer)
        self._patronymics = _Column(f.patronymic for f in features)
        self._patronymic_levels = _Rows(self._patronymics.values, patronymic_level)
        self._addresses = _Column(f.address for f in features)
        self._address_levels = _Rows(self._addresses.values, address_level)
        self._contacts = _Contacts(features)
        self._sources = _Column(f.source_key for f in features)
        self._patterns = _Patterns(scorer)
        self.scores: list[float] = []
        """The score of every pair scored, in order."""

    def links(self, i: int, partners: Iterable[int], lowest: float) -> list[ScoredPair]:
        """The partners j of record i (as if i < j) that a rule other than the score decides or
        that score at least `lowest`, with the pair's score and rule. Every pair's score is
        added to `scores`."""
        found: list[ScoredPair] = []
        scores = self.scores.append
        names, births, places, contacts = self._names, self._births, self._places, self._contacts
        surnames, givens = names.surnames, names.givens
        a_surnames, a_given_texts = names.texts[surnames[i]], names.texts[givens[i]]
        a_givens, a_surname_bonus = names.given_matches[givens[i]], names.surname_bonus(i)
        days, a_day, birth_bonus = births.days, births.days[i], births.bonus(i)
        sexes, a_sex = self._sexes.ids, self._sexes.ids[i]
        postcodes, districts, cities = places.postcodes, places.districts, places.cities
        a_postcode, a_district = postcodes[i], districts[i]
        a_cities, (city_bonus, postcode_bonus) = places.city_levels[cities[i]], places.bonuses(i)
        patronymics, addresses = self._patronymics.ids, self._addresses.ids
        a_patronymics = self._patronymic_levels[patronymics[i]]
        a_addresses = self._address_levels[addresses[i]]
        phones, emails, a_phone, a_email = (
            contacts.phones, contacts.emails, contacts.phones[i], contacts.emails[i],
        )  # fmt: skip
        sources, a_source = self._sources.ids, self._sources.ids[i]
        patterns = self._patterns
        for j in partners:
            b_surname, b_given = surnames[j], givens[j]
            surname, (given, _, adjustment) = a_surnames[b_surname], a_givens[b_given]
            # Crosswise, a's surname and b's given name, a's given name and b's surname:
            one = a_surnames[b_given]
            if (
                one is not DIFFERS
                and (other := a_given_texts[b_surname]) is not DIFFERS
                and (one is not UNKNOWN or other is not UNKNOWN)
            ):  # the names might be read crosswise (see `read_names`)
                surname, given, adjustment = names.crosswise(
                    i, (surname, a_givens[b_given][:2], one, other)
                )
            elif surname is EXACT:
                adjustment = a_surname_bonus + adjustment
            b_day, b_sex, b_postcode = days[j], sexes[j], postcodes[j]
            birth = (
                UNKNOWN if not a_day or not b_day
                else EXACT if a_day == b_day
                else births.level(i, j)
            )  # fmt: skip
            postcode = (
                UNKNOWN if not a_postcode or not b_postcode
                else EXACT if a_postcode == b_postcode
                else CLOSE if a_district == districts[j]
                else DIFFERS
            )  # fmt: skip
            # A postcode names its town: when postcodes agree, the city would count it twice.
            city = UNKNOWN if postcode is EXACT or postcode is CLOSE else a_cities[cities[j]]
            if birth is EXACT:
                adjustment += birth_bonus
            if city is EXACT:
                adjustment += city_bonus
            elif postcode is EXACT:
                adjustment += postcode_bonus
            weight, rule = patterns[
                surname,
                given,
                a_patronymics[patronymics[j]],
                birth,
                UNKNOWN if not a_sex or not b_sex else EXACT if a_sex == b_sex else DIFFERS,
                UNKNOWN if not a_phone or not phones[j] else contacts.phone_level(i, j),
                UNKNOWN if not a_email or not emails[j] else contacts.email_level(i, j),
                city,
                a_addresses[addresses[j]],
                postcode,
            ]
            if a_source and a_source == sources[j]:
                rule = SOURCE_RECORD_RULE
            total = weight + adjustment
            scores(total)
            if total >= lowest or (rule is not SCORE_RULE and rule is not FAMILY_RULE):
                found.append((j, total, rule))
        return found


class _Names:
    """The name parts of a batch as ids (surnames and given names alike, as names are read
    crosswise too), and how they compare."""

    def __init__(self, features: Sequence[Features], bonuses: Mapping[str, float]) -> None:
        parts: _Column[str] = _Column(())
        self.surnames = array("l", (parts.id(f.surname) for f in features))
        self.givens = array("l", (parts.id(f.given) for f in features))
        self.parts = parts.values
        self.bonuses = bonuses
        self.texts = _Rows(parts.values, text_level)
        self.given_matches = _Rows(parts.values, self._given_match)
        self._readings: dict[tuple[int, int], _Readings] = {}

    def surname_bonus(self, i: int) -> float:
        """The frequency adjustment of record i's surname."""
        return self.bonuses.get(self.parts[self.surnames[i]] or "", 0.0)

    def crosswise(self, i: int, levels: _PartLevels) -> NameMatch:
        """What the levels of record i's name parts against another's make of the names, when
        they might be read crosswise."""
        a = self.surnames[i], self.givens[i]
        readings = self._readings.get(a)
        if readings is None:
            readings = self._readings[a] = _Readings((self.parts[a[0]], self.parts[a[1]]), self)
        return readings[levels]

    def _given_match(self, a: str | None, b: str | None) -> tuple[str, str | None, float]:
        """`given_match`, and the frequency adjustment of the name agreed on."""
        level, value = given_match(a, b)
        return level, value, self.bonuses.get(value, 0.0) if value else 0.0


_PartLevels = tuple[str, tuple[str, str | None], str, str]
"""Surnames, given names (`given_match`), and crosswise: one surname against the other's given
name, one given name against the other's surname (see `read_names`)."""


class _Readings(dict[_PartLevels, NameMatch]):
    """`read_names` of one record's names and the frequency adjustment of what it agrees on,
    by the levels of the parts."""

    def __init__(self, a: NameParts, names: _Names) -> None:
        super().__init__()
        self._a, self._bonuses = a, names.bonuses

    def __missing__(self, levels: _PartLevels) -> NameMatch:
        surname, givens, one, other = levels
        surname, given, surname_value, given_value = read_names(
            self._a, surname, givens, (one, other)
        )
        adjustment = 0.0
        if surname_value:
            adjustment += self._bonuses.get(surname_value, 0.0)
        if given_value:
            adjustment += self._bonuses.get(given_value, 0.0)
        match = self[levels] = surname, given, adjustment
        return match


class _Births:
    """The birth dates of a batch: ordinal days (0 when missing) and days of the year."""

    def __init__(self, features: Sequence[Features], bonuses: Mapping[str, float]) -> None:
        self._births = [f.birth for f in features]
        self.days = array("l", (birth[1] if birth else 0 for birth in self._births))
        self._days_of_year = array("l", (birth[2] if birth else 0 for birth in self._births))
        self._bonuses = bonuses

    def bonus(self, i: int) -> float:
        """The frequency adjustment of record i's birth date."""
        birth = self._births[i]
        return self._bonuses.get(birth[0], 0.0) if birth else 0.0

    def level(self, i: int, j: int) -> str:
        """`birth_date_level` of two different birth dates."""
        days, days_of_year = self.days, self._days_of_year
        if dates_far_apart(days[i], days_of_year[i], days[j], days_of_year[j]):
            return DIFFERS
        return birth_date_level(self._births[i], self._births[j])


class _Places:
    """Postcodes (and their districts) and cities of a batch as ids."""

    def __init__(self, features: Sequence[Features], scorer: Scorer) -> None:
        postcodes = _Column(f.postcode for f in features)
        cities = _Column(f.city for f in features)
        self.postcodes, self.cities = postcodes.ids, cities.ids
        self.districts = _Column(f.postcode_district for f in features).ids
        self.city_levels = _Rows(cities.values, city_level)
        frequencies = scorer.frequencies
        self._bonuses = [
            (
                frequencies.cities.get(f.city or "", 0.0),
                frequencies.postcodes.get(f.postcode or "", 0.0),
            )
            for f in features
        ]

    def bonuses(self, i: int) -> tuple[float, float]:
        """The frequency adjustments of record i's city and postcode."""
        return self._bonuses[i]


class _Contacts:
    """Phones and e-mails of a batch: ids of a record's only one, `_SEVERAL` of several."""

    def __init__(self, features: Sequence[Features]) -> None:
        self._features = features
        phones = [_single(f.phones) for f in features]
        emails = [_single(f.emails) for f in features]
        self.phones, self._phones = _Column(phones).ids, phones
        self._heads = _Column(p[:-PHONE_TAIL] if p else None for p in phones).ids
        self._tails = _Column(p[-PHONE_TAIL:] if p else None for p in phones).ids
        self.emails, self._emails = _Column(emails).ids, emails
        self._mailboxes = [mailbox(email) if email else "" for email in emails]

    def phone_level(self, i: int, j: int) -> str:
        """`phones_level` of two records with phones."""
        a, b = self.phones[i], self.phones[j]
        if a == b != _SEVERAL:
            return EXACT
        if _SEVERAL in (a, b):
            return phones_level(self._features[i].phones, self._features[j].phones)
        if self._heads[i] != self._heads[j] and self._tails[i] != self._tails[j]:
            return DIFFERS  # (see `record_phones_level`)
        return phone_level(self._phones[i] or "", self._phones[j] or "")

    def email_level(self, i: int, j: int) -> str:
        """`emails_level` of two records with e-mails."""
        a, b = self.emails[i], self.emails[j]
        if a == b != _SEVERAL:
            return EXACT
        if _SEVERAL in (a, b):
            return emails_level(self._features[i].emails, self._features[j].emails)
        mailboxes, emails = self._mailboxes, self._emails
        return email_level(emails[i] or "", mailboxes[i], emails[j] or "", mailboxes[j])


class _Patterns(dict[Levels, tuple[float, str]]):
    """The weight and the rule (but the source record's) of each pattern of levels."""

    def __init__(self, scorer: Scorer) -> None:
        super().__init__()
        self._scorer = scorer

    def __missing__(self, levels: Levels) -> tuple[float, str]:
        found = self[levels] = self._scorer.weights_of(levels), rule_of(levels)
        return found


@lru_cache(maxsize=1 << 12)
def rule_of(levels: Levels) -> str:
    """The rule that decides a pair of records from different source records. A shared phone
    or e-mail merges outright (PHONE_RULE, EMAIL_RULE) only if birth date, sex, given name and
    patronymic do not differ: families share them, and two namesakes may have been given one.
    Otherwise the score decides (SCORE_RULE), and relatives are only suggested (FAMILY_RULE):
    different given names and a shared phone, e-mail, address or postcode, or the same surname
    and birth date."""
    surname, given, patronymic, birth, sex, phone, email, _, address, postcode = levels
    if given == DIFFERS:
        if EXACT in (phone, email, address, postcode) or (
            birth == EXACT and surname in (EXACT, CLOSE)
        ):
            return FAMILY_RULE
        return SCORE_RULE
    if DIFFERS in (birth, sex, patronymic):
        return SCORE_RULE
    if phone == EXACT:
        return PHONE_RULE
    if email == EXACT:
        return EMAIL_RULE
    return SCORE_RULE


class _Column(Generic[_Value]):
    """One field of a batch by position: the ids of its values (0 when missing)."""

    def __init__(self, values: Iterable[_Value | None]) -> None:
        self.values: list[_Value | None] = [None]
        self._index: dict[_Value, int] = {}
        self.ids = array("l", (self.id(value) for value in values))

    def id(self, value: _Value | None) -> int:
        if not value:
            return 0
        if value is _SEVERAL_VALUES:
            return _SEVERAL
        known = self._index.get(value)
        if known is None:
            known = self._index[value] = len(self.values)
            self.values.append(value)
        return known


class _Rows(dict[int, "_Row[_Value, _Result]"], Generic[_Value, _Result]):
    """A function of two values, by their ids: rows[a][b], computed on first use."""

    def __init__(self, values: list[_Value], function: Callable[[_Value, _Value], _Result]) -> None:
        super().__init__()
        self._values = values
        self._function = function

    def __missing__(self, a: int) -> _Row[_Value, _Result]:
        row = self[a] = _Row(self._values[a], self._values, self._function)
        return row


class _Row(dict[int, _Result], Generic[_Value, _Result]):
    """The function of one value and others, by their ids."""

    def __init__(
        self, a: _Value, values: list[_Value], function: Callable[[_Value, _Value], _Result]
    ) -> None:
        super().__init__()
        self._a, self._values, self._function = a, values, function

    def __missing__(self, b: int) -> _Result:
        result = self[b] = self._function(self._a, self._values[b])
        return result


def _single(values: frozenset[str]) -> str | None:
    """The one value of a set, None for none, `_SEVERAL_VALUES` for several."""
    if len(values) == 1:
        return next(iter(values))
    return _SEVERAL_VALUES if values else None
