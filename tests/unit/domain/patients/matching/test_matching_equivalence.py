"""The fast paths of identity resolution against the straightforward code they replaced.

`compare` and `Scorer.total` were once computed for every candidate pair one field at a time.
`PairScorer` now scores a batch's pairs from columns of ids and memos, several comparators take
shortcuts, and blocking gives each record's partners at once. The reference below is the code
as it was; every fast path must give exactly what it gives, scores to the last bit.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Hamming, Levenshtein

from clinic.domain.patients.matching import comparisons
from clinic.domain.patients.matching.blocking import _sort_key, blocking_keys, candidate_pairs
from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.clusters import refusal_between
from clinic.domain.patients.matching.comparisons import (
    CLOSE,
    DIFFERS,
    EXACT,
    PARTIAL,
    RANK,
    SIMILAR,
    UNKNOWN,
    address_level,
    birth_date_level,
    city_level,
    emails_level,
    equal_level,
    given_level,
    names,
    patronymic_level,
    phones_level,
    postcode_level,
    record_phones_level,
    text_level,
)
from clinic.domain.patients.matching.decisions import (
    DISTINCT_PEOPLE_RULE,
    EMAIL_RULE,
    FAMILY_RULE,
    PHONE_RULE,
    SCORE_RULE,
    SOURCE_RECORD_RULE,
    MatchDecision,
    MatchOutcome,
)
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.frequencies import MIN_RECORDS
from clinic.domain.patients.matching.nicknames import canonical_given_name, given_names
from clinic.domain.patients.matching.pairs import PairScorer
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.resolver import Resolver, _histogram, _prior
from clinic.domain.patients.matching.scoring import Levels, Scorer, Values, compare

# --- the reference: the code before the fast paths ----------------------------------------------

OldBirth = tuple[str, int]


def reference_compare(a: Features, b: Features) -> tuple[Levels, Values]:
    surname, given, surname_value, given_value = _old_names(a.surname, a.given, b.surname, b.given)
    birth = _old_birth_date_level(_old(a), _old(b))
    postcode = postcode_level(a, b)
    city = UNKNOWN if postcode in (EXACT, CLOSE) else city_level(a.city, b.city)
    levels = (
        surname,
        given,
        patronymic_level(a.patronymic, b.patronymic) if a.patronymic else UNKNOWN,
        birth,
        equal_level(a.sex, b.sex),
        _old_phones_level(a.phones, b.phones) if a.phones else UNKNOWN,
        _old_emails_level(a.emails, b.emails) if a.emails else UNKNOWN,
        city,
        address_level(a.address, b.address) if a.address else UNKNOWN,
        postcode,
    )
    values = (
        surname_value,
        given_value,
        a.birth[0] if birth == EXACT and a.birth else None,
        a.city if city == EXACT else None,
        a.postcode if postcode == EXACT else None,
    )
    return levels, values


def reference_rule(a: Features, b: Features, levels: Levels) -> str:
    """`_rule`, then `_family`, as the resolver had them."""
    surname, given, patronymic, birth, sex, phone, email, _, address, postcode = levels
    if a.source_key and a.source_key == b.source_key:
        return SOURCE_RECORD_RULE
    if DIFFERS in (birth, sex, given, patronymic):
        rule = SCORE_RULE
    elif a.phones and not a.phones.isdisjoint(b.phones):
        return PHONE_RULE
    elif a.emails and not a.emails.isdisjoint(b.emails):
        return EMAIL_RULE
    else:
        rule = SCORE_RULE
    if given == DIFFERS and (
        EXACT in (phone, email, address, postcode) or (surname in (EXACT, CLOSE) and birth == EXACT)
    ):
        return FAMILY_RULE
    return rule


def reference_candidate_pairs(
    records: Sequence[Features], max_block: int = 25, window: int = 6
) -> Iterator[tuple[int, int]]:
    order = sorted(range(len(records)), key=lambda index: _sort_key(records[index]))
    blocks: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index in order:
        for key in blocking_keys(records[index]):
            blocks[key].append(index)
    seen: set[int] = set()
    count = len(records)
    for members in blocks.values():
        size = len(members)
        reach = size if size <= max_block else window + 1
        for offset, i in enumerate(members):
            for j in members[offset + 1 : offset + reach]:
                code = i * count + j if i < j else j * count + i
                if code not in seen:
                    seen.add(code)
                    yield (i, j) if i < j else (j, i)


def _old(birth_of: Features) -> OldBirth | None:
    return birth_of.birth[:2] if birth_of.birth else None


@lru_cache(maxsize=1 << 16)
def _old_names(
    a_surname: str | None, a_given: str | None, b_surname: str | None, b_given: str | None
) -> comparisons.NameLevels:
    surname = text_level(a_surname, b_surname)
    given = given_level(a_given, _known(a_given), b_given, _known(b_given))
    if surname == EXACT and given == EXACT:
        return surname, given, a_surname, _given_value(a_given, b_given)
    if (a_surname and b_given) or (a_given and b_surname):
        crossed = _old_crossed(a_surname, a_given, b_surname, b_given)
        if crossed and RANK[crossed[0]] + RANK[crossed[1]] > RANK[surname] + RANK[given]:
            return crossed
    given_value = _given_value(a_given, b_given) if given == EXACT else None
    return surname, given, a_surname if surname == EXACT else None, given_value


def _old_crossed(
    a_surname: str | None, a_given: str | None, b_surname: str | None, b_given: str | None
) -> comparisons.NameLevels | None:
    one, other = text_level(a_surname, b_given), text_level(a_given, b_surname)
    if DIFFERS in (one, other):
        return None
    one_value = a_surname if one == EXACT else None
    other_value = a_given if other == EXACT else None
    if RANK[one] < RANK[other] or (
        RANK[one] == RANK[other] and (one_value or "") > (other_value or "")
    ):
        one, other, one_value, other_value = other, one, other_value, one_value
    if one == UNKNOWN:
        return None
    return one, other, one_value, other_value


def _known(given: str | None) -> frozenset[str]:
    return given_names(given) if given else frozenset()


def _given_value(a: str | None, b: str | None) -> str | None:
    a_full, b_full = canonical_given_name(a or ""), canonical_given_name(b or "")
    if a_full == b_full:
        return a_full or None
    return min(_known(a) & _known(b), default=a_full or None)


def _old_birth_date_level(a: OldBirth | None, b: OldBirth | None) -> str:
    if a is None or b is None:
        return UNKNOWN
    if a[0] == b[0]:
        return EXACT
    return _old_birth(a, b) if a[0] < b[0] else _old_birth(b, a)


def _old_birth(a: OldBirth, b: OldBirth) -> str:
    (a_digits, a_day), (b_digits, b_day) = a, b
    typos = Hamming.distance(a_digits, b_digits)
    if typos == 1 or a_digits == b_digits[:4] + b_digits[6:] + b_digits[4:6]:
        return CLOSE
    apart = abs(a_day - b_day)
    wrong = [i for i in range(8) if a_digits[i] != b_digits[i]]
    swapped = (
        len(wrong) == 2 and wrong[1] == wrong[0] + 1 and a_digits[wrong[0]] == b_digits[wrong[1]]
    )
    if apart <= 366 or swapped:
        return PARTIAL
    if apart <= 3653:
        return PARTIAL if typos == 2 else SIMILAR
    return SIMILAR if _old_year_typo(a_digits, b_digits) else DIFFERS


def _old_year_typo(a: str, b: str) -> bool:
    if Hamming.distance(a[:4], b[:4]) != 1:
        return False
    day_a, day_b = int(a[4:6]) * 31 + int(a[6:]), int(b[4:6]) * 31 + int(b[6:])
    return abs(day_a - day_b) <= 62


def _old_phones_level(a: frozenset[str], b: frozenset[str]) -> str:
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    best = DIFFERS
    for x in a:
        for y in b:
            if len(x) == len(y) and Hamming.distance(x, y) == 1:
                return CLOSE
            if x[-7:] == y[-7:]:
                best = PARTIAL
    return best


def _old_emails_level(a: frozenset[str], b: frozenset[str]) -> str:
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    best = DIFFERS
    for x in a:
        x_mailbox = x.partition("@")[0]
        for y in b:
            y_mailbox = y.partition("@")[0]
            if x_mailbox == y_mailbox:
                best = PARTIAL
            elif (
                Levenshtein.normalized_similarity(x, y) >= 0.8
                and Levenshtein.normalized_similarity(x_mailbox, y_mailbox) >= 0.75
                and Levenshtein.distance(
                    "".join(c for c in x_mailbox if c.isdigit()),
                    "".join(c for c in y_mailbox if c.isdigit()),
                )
                <= 1
            ):
                return CLOSE
    return best


# --- records that agree, nearly agree, cross and collide -----------------------------------------

SURNAMES = ("Иванова", "Ivanova", "Ivanva", "Иванов", "Petrova", "Мария", "Sasha", "Bevan", "Smith")
GIVEN_NAMES = ("Мария", "Maria", "Marya", "Саша", "Александр", "Alexandra", "Ivanova", "M", "Irwin")
PATRONYMICS = ("Петровна", "Petrovna", "Petrovan", "P", "Ивановна")
CITIES = ("Москва", "Moskva", "Moskwa", "Kazan", "North Devon", "Devon")
POSTCODES = ("420111", "420112", "119991", "EX17 5JU", "EX17 5JA")
ADDRESSES = ("ул. Ленина, 5", "Ленина ул 5", "ул. Мира, 7", "1 High Street")
BASE_DAY = date(1950, 1, 1)


@st.composite
def birth_dates(draw: st.DrawFn) -> date:
    """Dates close to each other in every way: typos, swaps, years and decades apart."""
    day = BASE_DAY + timedelta(days=draw(st.integers(0, 365 * 3)))
    years = draw(st.sampled_from((0, 0, 1, 9, 10, 11, 20, 30, 40, 100)))
    month, dom = draw(st.sampled_from(((day.month, day.day), (min(day.day, 12), day.month))))
    try:
        return date(day.year + years, month, dom)
    except ValueError:
        return day


@st.composite
def phones(draw: st.DrawFn) -> str:
    """+7 numbers that share their subscriber number, their codes, or differ in one digit."""
    code = draw(st.sampled_from(("916", "926", "495", "812")))
    number = list(draw(st.sampled_from(("3620417", "3620418", "1620417", "7777771"))))
    if draw(st.booleans()):
        number[draw(st.integers(0, 6))] = str(draw(st.integers(0, 9)))
    return "+7" + code + "".join(number)


EMAILS = st.sampled_from(
    (
        "maria.ivanova@mail.ru", "maria.ivanova@yandex.ru", "maria.ivanva@mail.ru",
        "mivanova@mail.ru", "ivanova1984@mail.ru", "ivanova1948@mail.ru", "ivanova1985@mail.ru",
        "ivanova2001@mail.ru",
    )
)  # fmt: skip


@st.composite
def records(draw: st.DrawFn, record_id: str) -> MatchRecord:
    def maybe(values: st.SearchStrategy[object]) -> object:
        return draw(st.one_of(st.none(), values))

    return MatchRecord(
        record_id=record_id,
        source=draw(st.sampled_from((None, "mis"))),
        external_id=draw(st.sampled_from((None, "1", "2"))),
        surname=maybe(st.sampled_from(SURNAMES)),  # type: ignore[arg-type]
        given_name=maybe(st.sampled_from(GIVEN_NAMES)),  # type: ignore[arg-type]
        patronymic=maybe(st.sampled_from(PATRONYMICS)),  # type: ignore[arg-type]
        sex=maybe(st.sampled_from(("M", "F"))),  # type: ignore[arg-type]
        birth_date=maybe(birth_dates()),  # type: ignore[arg-type]
        phones=tuple(draw(st.lists(phones(), max_size=2, unique=True))),
        emails=tuple(draw(st.lists(EMAILS, max_size=2, unique=True))),
        city=maybe(st.sampled_from(CITIES)),  # type: ignore[arg-type]
        address=maybe(st.sampled_from(ADDRESSES)),  # type: ignore[arg-type]
        postcode=maybe(st.sampled_from(POSTCODES)),  # type: ignore[arg-type]
    )


@st.composite
def batches(draw: st.DrawFn) -> list[Features]:
    size = draw(st.integers(2, 14))
    return [Features.of(draw(records(f"r{n:02d}")), BlockList()) for n in range(size)]


def _scored(features: list[Features], scorer: Scorer) -> dict[tuple[int, int], tuple[float, str]]:
    """Every pair (i < j) of a batch as `PairScorer` scores it."""
    pair_scorer = PairScorer(features, scorer)
    scored = {}
    for i in range(len(features)):
        for j, total, rule in pair_scorer.links(i, range(i + 1, len(features)), float("-inf")):
            scored[i, j] = (total, rule)
    return scored


# --- the properties ------------------------------------------------------------------------------


class TestPairScorer:
    @settings(max_examples=300)
    @given(batches(), st.booleans())
    def test_scores_and_rules_are_the_references_exactly(
        self, features: list[Features], common: bool
    ) -> None:
        # with frequencies too: the batch repeated up to MIN_RECORDS makes them count
        copies = -(-MIN_RECORDS // len(features)) if common else 0
        scorer = Scorer().with_common_values(features * copies) if common else Scorer()
        scored = _scored(features, scorer)
        for (i, j), (total, rule) in scored.items():
            a, b = features[i], features[j]
            levels, values = reference_compare(a, b)
            assert total == scorer.total(levels, values)  # exactly: same floats, same order
            assert rule == reference_rule(a, b, levels)

    @given(batches())
    def test_keeps_the_pairs_worth_a_link(self, features: list[Features]) -> None:
        pair_scorer, scorer = PairScorer(features, Scorer()), Scorer()
        for i in range(len(features)):
            kept = {j for j, _, _ in pair_scorer.links(i, range(i + 1, len(features)), 2.0)}
            for j in range(i + 1, len(features)):
                levels, values = reference_compare(features[i], features[j])
                rule = reference_rule(features[i], features[j], levels)
                worth = scorer.total(levels, values) >= 2.0 or rule not in (SCORE_RULE, FAMILY_RULE)
                assert (j in kept) == worth
        assert len(pair_scorer.scores) == len(features) * (len(features) - 1) // 2


class TestComparators:
    @settings(max_examples=300)
    @given(records("a"), records("b"))
    def test_compare_is_the_reference(self, a: MatchRecord, b: MatchRecord) -> None:
        fa, fb = Features.of(a, BlockList()), Features.of(b, BlockList())
        assert compare(fa, fb) == reference_compare(fa, fb)
        assert names(fa, fb) == _old_names(fa.surname, fa.given, fb.surname, fb.given)

    @settings(max_examples=500)
    @given(birth_dates(), birth_dates())
    def test_birth_dates_compare_as_before(self, a: date, b: date) -> None:
        fa = Features.of(MatchRecord(record_id="a", birth_date=a), BlockList())
        fb = Features.of(MatchRecord(record_id="b", birth_date=b), BlockList())
        assert birth_date_level(fa.birth, fb.birth) == _old_birth_date_level(_old(fa), _old(fb))

    def test_birth_dates_compare_as_before_over_decades(self) -> None:
        rng = random.Random(7)
        days = [BASE_DAY + timedelta(days=rng.randrange(36_500)) for _ in range(400)]
        births = [
            Features.of(MatchRecord(record_id="x", birth_date=d), BlockList()).birth for d in days
        ]
        for a in births:
            for b in births[:60]:
                assert birth_date_level(a, b) == _old_birth_date_level(a[:2], b[:2])  # type: ignore[index]

    @given(st.lists(phones(), max_size=3), st.lists(phones(), max_size=3))
    def test_phones_compare_as_before(self, a: list[str], b: list[str]) -> None:
        fa = Features.of(MatchRecord(record_id="a", phones=tuple(a)), BlockList())
        fb = Features.of(MatchRecord(record_id="b", phones=tuple(b)), BlockList())
        expected = _old_phones_level(fa.phones, fb.phones)
        assert record_phones_level(fa, fb) == phones_level(fa.phones, fb.phones) == expected

    @given(st.lists(EMAILS, max_size=3), st.lists(EMAILS, max_size=3))
    def test_emails_compare_as_before(self, a: list[str], b: list[str]) -> None:
        x, y = frozenset(a), frozenset(b)
        assert emails_level(x, y) == _old_emails_level(x, y)


class TestBlocking:
    @given(batches(), st.integers(2, 6), st.integers(1, 3))
    def test_candidate_pairs_are_the_references(
        self, features: list[Features], max_block: int, window: int
    ) -> None:
        pairs = list(candidate_pairs(features, max_block, window))
        assert pairs == sorted(pairs)
        assert set(pairs) == set(reference_candidate_pairs(features, max_block, window))
        assert len(pairs) == len(set(pairs))


class TestPrior:
    @given(st.dictionaries(st.integers(-400, 400).map(lambda n: n / 10), st.integers(1, 50)))
    def test_does_not_depend_on_the_order_scores_were_counted_in(
        self, counts: dict[float, int]
    ) -> None:
        scores = [score for score, count in counts.items() for _ in range(count)]
        shuffled = scores[:]
        random.Random(1).shuffle(shuffled)
        assert _prior(500, _histogram(scores)) == _prior(500, _histogram(shuffled))


class TestDecide:
    @settings(max_examples=100)
    @given(records("a"), records("b"))
    def test_decides_as_the_reference(self, a: MatchRecord, b: MatchRecord) -> None:
        resolver = Resolver()
        fa, fb = resolver.features(a), resolver.features(b)
        levels, values = reference_compare(fa, fb)
        rule = reference_rule(fa, fb, levels)
        outcome, rule = resolver._outcome(resolver.scorer.total(levels, values), rule)
        if outcome is MatchOutcome.MERGE and refusal_between(fa, fb, by_score=rule == SCORE_RULE):
            outcome, rule = MatchOutcome.SUGGEST, DISTINCT_PEOPLE_RULE
        score = resolver.scorer.explain(levels, values)
        expected = MatchDecision(("a", "b"), outcome, rule, score.total, score.agreements)
        assert resolver.decide(fa, fb) == expected
