"""A realistic patient import file, written a row at a time (memory stays flat at any size).

The rows follow the import template (`TEMPLATE_COLUMNS`, `;`-separated, UTF-8 with a BOM, as
Russian Excel writes it). People come from the demo generator; on top of them:

- near-duplicates (~10%): a person already written, again under another external id, as another
  clinic's database would hold them: a typo in the surname, the phone typed another way, day and
  month swapped, a diminutive given name, a field left out;
- invalid rows (a few %): a phone or e-mail that is not one, an impossible or future birth date,
  no external id, nothing that identifies the person, a consent that is neither yes nor no.

Everything comes from one `random.Random(seed)`: a seed always gives the same file.
"""

from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clinic.application.patients.import_columns import TEMPLATE_COLUMNS
from clinic.infrastructure.demo.contacts import typed_phone
from clinic.infrastructure.demo.generator import DemoPerson, generate_people

DUPLICATE_SHARE = 0.10
INVALID_SHARE = 0.03
RECENT_PEOPLE = 20_000
"""Duplicates repeat one of the last this-many people (some in the same chunk, most before)."""
ADDRESS_SHARE, POSTCODE_SHARE = 0.4, 0.3
TELEGRAM_SHARE, WHATSAPP_SHARE = 0.10, 0.15
TAGS: tuple[str, ...] = (
    "vip", "дмс", "стоматология", "педиатрия", "корпоративный", "семья", "check-up", "онлайн",
)  # fmt: skip
STREETS = ("Ленина", "Мира", "Гагарина", "Садовая", "Советская", "Школьная", "Лесная", "Победы")
DIMINUTIVES = {
    "Александр": "Саша", "Александра": "Саша", "Алексей": "Лёша", "Анастасия": "Настя",
    "Анна": "Аня", "Владимир": "Вова", "Дмитрий": "Дима", "Евгений": "Женя", "Екатерина": "Катя",
    "Елена": "Лена", "Иван": "Ваня", "Ирина": "Ира", "Мария": "Маша", "Михаил": "Миша",
    "Наталья": "Наташа", "Ольга": "Оля", "Сергей": "Серёжа", "Татьяна": "Таня",
}  # fmt: skip
_NOT_DIGITS = re.compile(r"\D")

Row = dict[str, str]


@dataclass(slots=True)
class FileFacts:
    """What was written: rows by kind (the benchmark reports them next to the import's counts)."""

    rows: int = 0
    people: int = 0
    duplicates: int = 0
    invalid: int = 0
    bytes: int = 0
    invalid_kinds: dict[str, int] = field(default_factory=dict)


def write_import_file(path: Path, rows: int, seed: int, truth: Path | None = None) -> FileFacts:
    """Writes `rows` data rows (and the header) to `path`; with `truth`, also a CSV of each
    near-duplicate's external id and the external id of the row it repeats."""
    rng = random.Random(seed)
    people = generate_people(rows, seed)
    recent: list[Row] = []
    facts = FileFacts()
    with (
        path.open("w", encoding="utf-8-sig", newline="") as file,
        open(truth or os.devnull, "w", encoding="utf-8", newline="") as truth_file,
    ):
        writer = csv.DictWriter(file, TEMPLATE_COLUMNS, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        repeats = csv.writer(truth_file)
        for number in range(1, rows + 1):
            draw = rng.random()
            if draw < INVALID_SHARE:
                row, kind = _invalid(rng, _row(rng, next(people), f"MIS-{number:08d}"))
                facts.invalid += 1
                facts.invalid_kinds[kind] = facts.invalid_kinds.get(kind, 0) + 1
            elif draw < INVALID_SHARE + DUPLICATE_SHARE and recent:
                original = rng.choice(recent)
                row = _near_duplicate(rng, original, f"EMC-{number:08d}")
                repeats.writerow((row["external_id"], original["external_id"]))
                facts.duplicates += 1
            else:
                row = _row(rng, next(people), f"MIS-{number:08d}")
                _remember(recent, row, facts.people)
                facts.people += 1
            writer.writerow(row)
            facts.rows += 1
    facts.bytes = path.stat().st_size
    return facts


def _remember(recent: list[Row], row: Row, index: int) -> None:
    if len(recent) < RECENT_PEOPLE:
        recent.append(row)
    else:
        recent[index % RECENT_PEOPLE] = row


def _row(rng: random.Random, person: DemoPerson, external_id: str) -> Row:
    phone = person.phone or ""
    has_address = rng.random() < ADDRESS_SHARE
    return {
        "external_id": external_id,
        "surname": person.surname,
        "given_name": person.given_name,
        "patronymic": person.patronymic or "",
        "sex": person.sex if rng.random() < 0.9 else {"F": "Ж", "M": "М"}[person.sex],
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
        "phone": phone,
        "email": person.email or "",
        "city": person.city,
        "address": _address(rng) if has_address else "",
        "postcode": f"{rng.randrange(100000, 700000)}" if rng.random() < POSTCODE_SHARE else "",
        "telegram_chat_id": _telegram(rng) if rng.random() < TELEGRAM_SHARE else "",
        "whatsapp": _retyped(rng, phone) if phone and rng.random() < WHATSAPP_SHARE else "",
        "consent_sms": _consent(rng, 0.5, 0.1),
        "consent_email": _consent(rng, 0.4, 0.1) if person.email else "",
        "consent_messengers": _consent(rng, 0.2, 0.05),
        "tags": ";".join(rng.sample(TAGS, rng.choice((1, 1, 2)))) if rng.random() < 0.25 else "",
    }  # fmt: skip


def _telegram(rng: random.Random) -> str:
    return str(rng.randrange(10**8, 10**10))


def _address(rng: random.Random) -> str:
    street = rng.choice(STREETS)
    return f"ул. {street}, д. {rng.randrange(1, 120)}, кв. {rng.randrange(1, 300)}"


def _consent(rng: random.Random, yes: float, no: float) -> str:
    draw = rng.random()
    return "да" if draw < yes else "нет" if draw < yes + no else ""


def _retyped(rng: random.Random, phone: str) -> str:
    """The same number typed another way (or the same way, by chance)."""
    return typed_phone(rng, _NOT_DIGITS.sub("", phone)[-10:])


# --- near-duplicates -------------------------------------------------------------------------


def _near_duplicate(rng: random.Random, original: Row, external_id: str) -> Row:
    """The same person as another clinic holds them: one or two differences, fewer extras."""
    row = dict(original, external_id=external_id, tags="", telegram_chat_id="", whatsapp="")
    changes = rng.sample(_CHANGES, rng.choice((1, 1, 2)))
    for change in changes:
        change(rng, row)
    return row


def _surname_typo(rng: random.Random, row: Row) -> None:
    name = row["surname"]
    if len(name) < 4:
        return
    at = rng.randrange(1, len(name) - 1)
    row["surname"] = rng.choice(
        (
            name[:at] + name[at + 1] + name[at] + name[at + 2 :],  # two letters swapped
            name[:at] + name[at + 1 :],  # one left out
            name[:at] + name[at] + name[at:],  # one doubled
        )
    )


def _phone_retyped(rng: random.Random, row: Row) -> None:
    if row["phone"]:
        row["phone"] = _retyped(rng, row["phone"])


def _day_month_swapped(rng: random.Random, row: Row) -> None:
    if not row["birth_date"]:
        return
    day, month, year = row["birth_date"].split(".")
    if int(day) <= 12 and day != month:
        row["birth_date"] = f"{month}.{day}.{year}"
    else:
        row["birth_date"] = f"{int(day) % 28 + 1:02d}.{month}.{year}"  # a typo in the day


def _diminutive(rng: random.Random, row: Row) -> None:
    row["given_name"] = DIMINUTIVES.get(row["given_name"], row["given_name"])


def _field_missing(rng: random.Random, row: Row) -> None:
    row[rng.choice(("email", "phone", "patronymic", "birth_date", "city"))] = ""


_CHANGES: tuple[Callable[[random.Random, Row], None], ...] = (
    _surname_typo, _surname_typo, _phone_retyped, _day_month_swapped, _diminutive,
    _field_missing, _field_missing,
)  # fmt: skip


# --- invalid rows ----------------------------------------------------------------------------

_DEFECTS: tuple[tuple[str, str, str], ...] = (
    ("bad_phone", "phone", "12-34-56"),
    ("bad_email", "email", "ivanov@@mail.ru"),
    ("impossible_date", "birth_date", "31.02.1990"),
    ("future_date", "birth_date", "01.01.2091"),
    ("no_external_id", "external_id", ""),
    ("bad_consent", "consent_sms", "может быть"),
    ("bad_sex", "sex", "X"),
)


def _invalid(rng: random.Random, row: Row) -> tuple[Row, str]:
    if rng.random() < 1 / (len(_DEFECTS) + 1):
        for column in ("surname", "given_name", "patronymic", "phone", "email"):
            row[column] = ""  # nothing tells who it is
        return row, "unidentifiable"
    kind, column, value = rng.choice(_DEFECTS)
    row[column] = value
    return row, kind
