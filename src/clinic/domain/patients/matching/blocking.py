"""Candidate generation: only records that share a blocking key are ever compared.

Records are put in one order (by their name parts, then birth date) and every key's block keeps
it. A block of at most `max_block` records compares all its pairs; a larger one (a common name,
a big city) compares each record with the next `window` ones only, the sorted-neighbourhood
method, so its cost grows with its size and not with its square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence

from clinic.domain.patients.matching.features import PHONE_TAIL, Features, soundex

DEFAULT_MAX_BLOCK = 25
"""Blocks up to this size compare every pair (the importer skips larger cross blocks)."""
DEFAULT_WINDOW = 6
"""How many following records a record meets in a larger block."""


def blocking_keys(record: Features) -> set[Hashable]:
    """The keys of one record; two records sharing any key become a candidate pair."""
    keys = _contact_keys(record)
    keys |= _name_keys(record)
    if record.birth:
        keys |= _birth_keys(record, record.birth[0])
    if record.postcode:
        keys.add(("postcode", record.postcode))
    if record.city:
        keys.add(("city", record.city))
    return keys


def _sort_key(record: Features) -> tuple[str, str, str]:
    """The order blocks are kept in: name parts alphabetically (so that swapped names and a
    missing part stay near), then birth date, then id."""
    parts = sorted(part for part in (record.surname, record.given_canonical) if part)
    return " ".join(parts), record.birth[0] if record.birth else "", record.record_id


def candidate_pairs(
    records: Sequence[Features],
    max_block: int = DEFAULT_MAX_BLOCK,
    window: int = DEFAULT_WINDOW,
) -> Iterator[tuple[int, int]]:
    """Each pair of positions (i < j) sharing a key: all pairs of a block of at most
    `max_block` records, neighbours within `window` in larger ones; each pair once, in order."""
    for i, partners in enumerate(candidate_partners(records, max_block, window)):
        for j in partners:
            yield i, j


def candidate_partners(
    records: Sequence[Features],
    max_block: int = DEFAULT_MAX_BLOCK,
    window: int = DEFAULT_WINDOW,
) -> list[list[int]]:
    """`candidate_pairs` by their first position: the ascending partners j > i of each i."""
    partners: list[set[int]] = [set() for _ in records]
    for members in _blocks(records).values():
        size = len(members)
        if size == 1:
            continue
        if size <= max_block:
            members.sort()  # every pair: the order does not matter, only who comes first
            for offset in range(1, size):
                partners[members[offset - 1]].update(members[offset:])
        else:
            for offset, i in enumerate(members, start=1):
                for j in members[offset : offset + window]:
                    if i < j:
                        partners[i].add(j)
                    else:
                        partners[j].add(i)
    return [sorted(later) for later in partners]


def _blocks(records: Sequence[Features]) -> dict[Hashable, list[int]]:
    """The positions of the records of each key, in the blocks' order (`_sort_key`)."""
    order = sorted(range(len(records)), key=lambda index: _sort_key(records[index]))
    blocks: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index in order:
        for key in blocking_keys(records[index]):
            blocks[key].append(index)
    return blocks


def _contact_keys(record: Features) -> set[Hashable]:
    keys: set[Hashable] = set()
    for phone in record.phones:
        keys.add(("phone", phone))
        keys.add(("phone_tail", phone[-PHONE_TAIL:]))  # another area code, the same number
    for email in record.emails:
        mailbox, _, domain = email.partition("@")
        keys.add(("email", email))
        keys.add(("mailbox", mailbox))  # the same name at another provider
        keys.add(("mailbox_start", mailbox[:4], domain))  # a typo later in the mailbox
    if record.source_key:
        keys.add(("source", *record.source_key))
    return keys


def _name_keys(record: Features) -> set[Hashable]:
    """Each name part by its sound, alone and with the place; the two parts together."""
    surname, given = record.surname, record.given_canonical
    sounds = {soundex(part) for part in (surname, given, record.given) if part}
    keys: set[Hashable] = {("sounds_like", sound) for sound in sounds}
    if record.city:
        keys.update(("sounds_city", sound, record.city) for sound in sounds)
    if record.postcode_district:
        keys.update(("sounds_district", sound, record.postcode_district) for sound in sounds)
    if record.birth:
        keys.update(("sounds_year", sound, record.birth[0][:4]) for sound in sounds)
    if surname and given:
        keys.add(("name", *sorted((soundex(surname), soundex(given)))))  # either order
    if surname and record.patronymic:
        keys.add(("surname_patronymic", soundex(surname), soundex(record.patronymic)))
    return keys


def _birth_keys(record: Features, born: str) -> set[Hashable]:
    keys: set[Hashable] = {("born", born)}
    if record.given_canonical:
        keys.add(("given_born", record.given_canonical, born))
    return keys
