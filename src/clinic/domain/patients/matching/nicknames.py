"""Diminutives that stand for a full given name (Russian and English), compared by `name_key`."""

from __future__ import annotations

from clinic.domain.patients.matching.names import name_key

_FULL_NAMES: dict[str, tuple[str, ...]] = {
    "Александр": ("Саша", "Шура", "Саня", "Алекс"),
    "Александра": ("Саша", "Шура"),
    "Алексей": ("Алёша", "Лёша", "Лёха"),
    "Анастасия": ("Настя",),
    "Анатолий": ("Толя",),
    "Андрей": ("Андрюша",),
    "Анна": ("Аня", "Анюта"),
    "Валентина": ("Валя",),
    "Владимир": ("Вова", "Володя"),
    "Вячеслав": ("Слава",),
    "Галина": ("Галя",),
    "Георгий": ("Гоша", "Жора"),
    "Дмитрий": ("Дима", "Митя"),
    "Евгений": ("Женя",),
    "Евгения": ("Женя",),
    "Екатерина": ("Катя",),
    "Елена": ("Лена",),
    "Иван": ("Ваня",),
    "Ирина": ("Ира",),
    "Константин": ("Костя",),
    "Ксения": ("Ксюша",),
    "Любовь": ("Люба",),
    "Мария": ("Маша",),
    "Михаил": ("Миша",),
    "Надежда": ("Надя",),
    "Наталья": ("Наташа", "Наталия"),
    "Николай": ("Коля",),
    "Ольга": ("Оля",),
    "Павел": ("Паша",),
    "Пётр": ("Петя",),
    "Сергей": ("Серёжа",),
    "Светлана": ("Света",),
    "Татьяна": ("Таня",),
    "Юлия": ("Юля",),
    "Виктор": ("Витя",),
    "Charles": ("Charlie", "Chas"),
    "Edward": ("Ed", "Eddie", "Ned", "Ted"),
    "Elizabeth": ("Liz", "Lizzie", "Beth", "Betty", "Eliza"),
    "Henry": ("Harry", "Hal"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Jack", "Johnny"),
    "Katherine": ("Kate", "Kathy", "Catherine", "Kitty"),
    "Margaret": ("Maggie", "Meg", "Peggy"),
    "Richard": ("Dick", "Rick", "Richie"),
    "Robert": ("Bob", "Bobby", "Rob", "Robbie", "Bert"),
    "Thomas": ("Tom", "Tommy"),
    "William": ("Will", "Bill", "Billy", "Willie"),
    "Joseph": ("Joe",),
    "Samuel": ("Sam",),
    "Benjamin": ("Ben",),
    "Frederick": ("Fred", "Freddie"),
    "Alfred": ("Alf", "Alfie"),
    "Arthur": ("Art",),
    "Daniel": ("Dan", "Danny"),
    "David": ("Dave", "Davy"),
    "Michael": ("Mike", "Mick"),
    "Nicholas": ("Nick",),
    "Patrick": ("Pat", "Paddy"),
    "Peter": ("Pete",),
    "Anthony": ("Tony",),
    "Christopher": ("Chris", "Kit"),
    "Mary": ("Molly", "Polly", "Mae"),
    "Sarah": ("Sally", "Sadie"),
    "Ann": ("Anne", "Annie", "Nancy"),
    "Eleanor": ("Ellie", "Nell", "Nora"),
    "Harriet": ("Hattie",),
    "Alexander": ("Alex", "Sandy"),
}


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for full, diminutives in _FULL_NAMES.items():
        for diminutive in diminutives:
            table.setdefault(name_key(diminutive), name_key(full))
    return table


CANONICAL = _table()
"""Key of a diminutive → key of the full name it stands for (the first listed wins)."""


def canonical_given_name(key: str) -> str:
    """The key of the full name a diminutive key stands for, or `key` itself."""
    return CANONICAL.get(key, key)
