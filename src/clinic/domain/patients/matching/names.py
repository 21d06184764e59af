"""Names as matching compares them: one Latin key for every spelling of a Russian name.

`normalise_name` casefolds, turns ё into е, drops punctuation and collapses spaces.
`name_key` then transliterates Cyrillic by an ICAO Doc 9303 (GOST R 52535.1) table and folds the
Latin spellings other systems use (GOST 7.79, BGN/PCGN, passports of older years) onto the same
form, so "Иванова", "Ivanova", "Sergey"/"Сергей", "Dmitriy"/"Дмитрий" and "Fyodor"/"Фёдор"
compare equal. A key is for comparison only, never for display.
"""

from __future__ import annotations

import re
from functools import lru_cache

ICAO: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
"""Cyrillic → Latin, ICAO Doc 9303 as in Russian passports since 2014 (ё is folded to е first)."""

_KEY_LETTERS = {**ICAO, "ъ": ""}  # the hard sign is dropped by most schemes, like the soft one

# Latin spellings of the same Cyrillic letters in other schemes, folded in this order.
_LATIN_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"y[eo]", "e"),  # Yelena, Fyodor, Andreyev, Guryev = Elena, Fedor, Andreev, Gurev
        (r"[yj]u", "iu"),  # Yuri, Julia (GOST 7.79 / German) = Iurii
        (r"[yj]a", "ia"),  # Tatyana, Jana = Tatiana
        (r"(?<!s)sch", "shch"),  # Schukin = Shchukin
        (r"tch", "ch"),  # Tchaikovsky = Chaikovsky
        (r"kh", "h"),  # Khrushchev = Hrushchev (x = ks below)
        (r"x", "ks"),  # Alexei = Aleksei
        (r"ck", "k"),
        (r"tz", "ts"),
        (r"w", "v"),  # Wladimir = Vladimir
        (r"ph", "f"),
        (r"(?<=[aeiou])[yj]", "i"),  # Sergey, Andrej, Nikolay = Sergei, Andrei, Nikolai
        (r"(?:iy|yy|ij|yi|ii)\b", "i"),  # Dmitriy, Dmitrij, Dmitrii = Dmitri
        (r"y\b", "i"),  # Dmitry, Dostoevsky = Dmitri, Dostoevski
        (r"'", ""),
    )
)
_NOT_LETTER = re.compile(r"[^\w\s]|[\d_]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65_536)
def normalise_name(raw: str) -> str:
    """Casefolded, ё → е, punctuation (hyphens, dots, apostrophes) turned into single spaces."""
    text = raw.casefold().replace("ё", "е")
    return _SPACES.sub(" ", _NOT_LETTER.sub(" ", text)).strip()


@lru_cache(maxsize=65_536)
def name_key(raw: str) -> str:
    """The Latin comparison key of a name in any script or transliteration scheme."""
    latin = "".join(_KEY_LETTERS.get(ch, ch) for ch in normalise_name(raw))
    for pattern, replacement in _LATIN_FOLDS:
        latin = pattern.sub(replacement, latin)
    return latin


def transliterate(raw: str) -> str:
    """The ICAO Latin spelling of `raw` (Cyrillic letters only; the rest is kept)."""
    return "".join(ICAO.get(ch, ch) for ch in normalise_name(raw))
