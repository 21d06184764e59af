"""Candidate generation: only records that share a blocking key are ever compared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence

from clinic.domain.patients.matching.features import Features, soundex

DEFAULT_MAX_BLOCK = 200
"""Blocks larger than this are skipped: a key that many records share identifies nobody."""


def blocking_keys(record: Features) -> set[Hashable]:
    """The keys of one record; two records sharing any key become a candidate pair."""
    keys = _contact_keys(record)
    born = record.birth[0] if record.birth else None
    if born:
        keys |= _birth_keys(record, born)
    keys |= _name_keys(record)
    if record.postcode:
        keys.add(("postcode", record.postcode))
    return keys


def _contact_keys(record: Features) -> set[Hashable]:
    keys: set[Hashable] = {("phone", phone) for phone in record.phones}
    for email in record.emails:
        mailbox, _, domain = email.partition("@")
        keys.add(("email", email))
        keys.add(("mailbox", mailbox[:4]))  # the start of it: typos are rarer there
        keys.add(("domain", domain))  # a clinic's or a company's own; mail.ru is too big a block
    if record.source_key:
        keys.add(("source", *record.source_key))
    return keys


def _birth_keys(record: Features, born: str) -> set[Hashable]:
    surname, given = record.surname, record.given_canonical
    swap_free = born[:4] + "".join(sorted((born[4:6], born[6:])))  # day and month either way
    keys: set[Hashable] = {("born", born)}
    keys.update(("born_initial", swap_free, part[0]) for part in (surname, given) if part)
    if record.city:
        keys.add(("born_city", born, record.city[:3]))
    if record.postcode_district:
        keys.add(("born_district", born, record.postcode_district))
    if surname and given:
        first, second = sorted((surname, given))
        keys.add(("initials_year", first[:2], second[:2], born[:4]))
    if surname:
        keys.add(("surname_year", soundex(surname), born[:4]))
    if given:
        keys.add(("given_year", given, born[:4]))
    return keys


def _name_keys(record: Features) -> set[Hashable]:
    surname, given, city = record.surname, record.given_canonical, record.city
    keys: set[Hashable] = set()
    if surname and given:
        keys.add(("name", *sorted((surname, given))))  # either order: some sources swap them
        keys.add(("sounds", *sorted((soundex(surname), soundex(given)))))
        if record.postcode_district:
            keys.add(("name_district", soundex(surname), given[:1], record.postcode_district))
        if city:
            keys.add(("sounds_city", soundex(surname), given[:1], city))
    if city:
        keys.update(("name_city", part, city[:3]) for part in (surname, given) if part)
    return keys


def candidate_pairs(
    records: Sequence[Features], max_block: int = DEFAULT_MAX_BLOCK
) -> Iterator[tuple[int, int]]:
    """Each pair of positions (i < j) that share a key in a block of at most `max_block`."""
    blocks: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            blocks[key].append(index)
    seen: set[int] = set()
    size = len(records)
    for members in blocks.values():
        if len(members) < 2 or len(members) > max_block:  # noqa: PLR2004 - a pair needs two
            continue
        for offset, i in enumerate(members):
            for j in members[offset + 1 :]:
                code = i * size + j
                if code not in seen:
                    seen.add(code)
                    yield i, j
