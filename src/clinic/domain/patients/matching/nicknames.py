"""Diminutives that stand for a full given name (Russian and English), compared by `name_key`.

A diminutive may stand for several names (Саша for Александр and Александра, Слава for Вячеслав
and Ярослав, Harry for Henry and Harold): two given names agree when the names they may stand
for overlap. Spellings that differ only in a final -ie/-y/-i (Eddie, Eddy) are one diminutive.
"""

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
    "Артём": ("Тёма",),
    "Борис": ("Боря",),
    "Валентина": ("Валя",),
    "Василий": ("Вася",),
    "Виктор": ("Витя",),
    "Виктория": ("Вика",),
    "Владимир": ("Вова", "Володя"),
    "Владислав": ("Влад", "Слава"),
    "Вячеслав": ("Слава",),
    "Галина": ("Галя",),
    "Георгий": ("Гоша", "Жора"),
    "Григорий": ("Гриша",),
    "Дарья": ("Даша",),
    "Дмитрий": ("Дима", "Митя"),
    "Евгений": ("Женя",),
    "Евгения": ("Женя",),
    "Екатерина": ("Катя",),
    "Елена": ("Лена",),
    "Иван": ("Ваня",),
    "Илья": ("Илюша",),
    "Ирина": ("Ира",),
    "Константин": ("Костя",),
    "Ксения": ("Ксюша",),
    "Леонид": ("Лёня",),
    "Любовь": ("Люба",),
    "Людмила": ("Люда", "Мила"),
    "Маргарита": ("Рита",),
    "Мария": ("Маша",),
    "Максим": ("Макс",),
    "Михаил": ("Миша",),
    "Надежда": ("Надя",),
    "Наталья": ("Наташа", "Наталия"),
    "Николай": ("Коля",),
    "Ольга": ("Оля",),
    "Павел": ("Паша",),
    "Пётр": ("Петя",),
    "Полина": ("Поля",),
    "Роман": ("Рома",),
    "Светлана": ("Света",),
    "Семён": ("Сёма",),
    "Сергей": ("Серёжа",),
    "Софья": ("Соня", "София"),
    "Станислав": ("Стас",),
    "Степан": ("Стёпа",),
    "Татьяна": ("Таня",),
    "Фёдор": ("Федя",),
    "Юлия": ("Юля",),
    "Юрий": ("Юра",),
    "Яков": ("Яша",),
    "Ярослав": ("Слава", "Ярик"),
    "Albert": ("Al", "Bert", "Bertie"),
    "Alexander": ("Alex", "Alec", "Sandy"),
    "Alfred": ("Alf", "Alfie", "Fred"),
    "Ann": ("Anne", "Annie", "Nancy"),
    "Anthony": ("Tony",),
    "Archibald": ("Archie",),
    "Arthur": ("Art", "Artie"),
    "Augustus": ("Gus",),
    "Benjamin": ("Ben", "Benny"),
    "Charles": ("Charlie", "Chas", "Chuck"),
    "Christopher": ("Chris", "Kit"),
    "Daniel": ("Dan", "Danny"),
    "David": ("Dave", "Davy"),
    "Dorothy": ("Dolly", "Dot"),
    "Edmund": ("Ed", "Eddie", "Ned"),
    "Edward": ("Ed", "Eddie", "Ned", "Ted", "Teddy"),
    "Edwin": ("Ed", "Eddie"),
    "Eleanor": ("Ellie", "Nell", "Nellie", "Nora"),
    "Elizabeth": ("Liz", "Lizzie", "Beth", "Betty", "Betsy", "Bess", "Bessie", "Eliza", "Elsie"),
    "Ernest": ("Ernie",),
    "Frances": ("Fanny", "Frankie"),
    "Francis": ("Frank", "Frankie"),
    "Frederick": ("Fred", "Freddie"),
    "Gerald": ("Gerry", "Jerry"),
    "Harold": ("Harry", "Hal"),
    "Harriet": ("Hattie",),
    "Helen": ("Nell", "Nellie", "Ellie"),
    "Henrietta": ("Hetty", "Etta", "Hattie"),
    "Henry": ("Harry", "Hal", "Hank"),
    "Herbert": ("Herb", "Herbie", "Bert"),
    "Hugh": ("Hughie",),
    "Isaac": ("Ike",),
    "Jacob": ("Jake",),
    "James": ("Jim", "Jimmy", "Jamie", "Jem"),
    "John": ("Jack", "Johnny"),
    "Joseph": ("Joe", "Joey"),
    "Katherine": ("Kate", "Kathy", "Catherine", "Kitty", "Katie"),
    "Laurence": ("Larry", "Laurie", "Lawrence"),
    "Leonard": ("Len", "Lenny"),
    "Margaret": ("Maggie", "Meg", "Peggy", "Madge", "May"),
    "Mary": ("Molly", "Polly", "Mae", "May"),
    "Matthew": ("Matt",),
    "Michael": ("Mike", "Mick"),
    "Nicholas": ("Nick",),
    "Norman": ("Norm", "Norrie"),
    "Patrick": ("Pat", "Paddy"),
    "Peter": ("Pete",),
    "Reginald": ("Reg", "Reggie"),
    "Richard": ("Dick", "Rick", "Richie", "Ricky"),
    "Robert": ("Bob", "Bobby", "Rob", "Robbie", "Bert"),
    "Samuel": ("Sam", "Sammy"),
    "Sarah": ("Sally", "Sadie"),
    "Stephen": ("Steve", "Steven"),
    "Theodore": ("Ted", "Teddy", "Theo"),
    "Thomas": ("Tom", "Tommy"),
    "Timothy": ("Tim",),
    "Walter": ("Walt", "Wally"),
    "William": ("Will", "Bill", "Billy", "Willie", "Liam"),
}


def _spellings(key: str) -> tuple[str, ...]:
    """A diminutive's key and its other endings: `eddie`, `eddi` (Eddy)."""
    if key.endswith("ie"):
        return key, key[:-1]
    if key.endswith("i"):
        return key, key + "e"
    return (key,)


def _tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    first: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for full, diminutives in _FULL_NAMES.items():
        full_key = name_key(full)
        names.setdefault(full_key, set()).add(full_key)
        for diminutive in diminutives:
            for key in _spellings(name_key(diminutive)):
                first.setdefault(key, full_key)
                names.setdefault(key, {key}).add(full_key)
    return first, {key: frozenset(full) for key, full in names.items()}


CANONICAL, NAMES = _tables()
"""Key of a diminutive → key of the first full name it stands for; key of any listed name → keys
of every full name it may stand for (itself included)."""


def canonical_given_name(key: str) -> str:
    """The key of the (first) full name a diminutive key stands for, or `key` itself."""
    return CANONICAL.get(key, key)


def given_names(key: str) -> frozenset[str]:
    """The keys of every name `key` may stand for, itself included."""
    return NAMES.get(key) or frozenset((key,))
