"""How the patient screens word and display the values of a profile, in Russian."""

from __future__ import annotations

from datetime import date, datetime

from clinic.application.patients.profile import ProfileChange
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone

MISSING = "—"
SEX_LABELS = {"F": "Ж", "M": "М"}
STATUS_LABELS = {
    "active": "активен",
    "archived": "в архиве",
    "merged": "объединён",
    "erased": "удалён",
}
KIND_LABELS = {"phone": "Телефон", "email": "Email", "telegram": "Telegram", "whatsapp": "WhatsApp"}
CHANNEL_LABELS = {
    "sms": "SMS",
    "email": "Email",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "call": "Звонок",
}
PURPOSE_LABELS = {"service": "сервисные (лечение)", "marketing": "маркетинг"}
SOURCE_LABELS = {
    "manual": "вручную",
    "paper_form": "бумажная анкета",
    "website": "сайт",
    "phone_call": "звонок в клинику",
    "mis": "МИС",
    "import:csv": "импорт CSV",
    "import:xlsx": "импорт XLSX",
    "unknown": "неизвестен",
}
"""Sources a person picks from; any other source is shown as it is named."""
FIELD_LABELS = {
    "surname": "Фамилия",
    "given_name": "Имя",
    "patronymic": "Отчество",
    "sex": "Пол",
    "birth_date": "Дата рождения",
    "phone": "Телефон",
    "email": "Email",
    "city": "Город",
    "address": "Адрес",
    "postcode": "Индекс",
    "time_zone": "Часовой пояс",
    "kind": "Вид",
    "value": "Значение",
    "source": "Источник",
    "external_id": "Код в источнике",
    "primary": "Основной",
    "primary_after": "Основной теперь",
    "channel": "Канал",
    "purpose": "Цель",
    "evidence": "Подтверждение",
    "at": "Когда дано",
    "tag": "Метка",
    "representative_id": "Представитель",
    "comment": "Комментарий",
    "age_from": "Возраст от",
    "age_to": "Возраст до",
    "consent": "Согласие",
    "registered_from": "Зарегистрирован с",
    "registered_to": "Зарегистрирован по",
    "filter": "Фильтр",
}
CHANGE_LABELS = {
    "patient.registered": "Регистрация",
    "personal_data.corrected": "Исправлены личные данные",
    "contact_point.added": "Добавлен контакт",
    "contact_point.removed": "Удалён контакт",
    "consent.granted": "Дано согласие",
    "consent.withdrawn": "Отозвано согласие",
    "tag.added": "Добавлена метка",
    "tag.removed": "Снята метка",
    "representative.linked": "Указан представитель",
    "representative.unlinked": "Представитель убран",
    "source_record.linked": "Связана запись источника",
    "patient.archived": "В архив",
    "patient.restored": "Восстановлен из архива",
    "patient.erased": "Персональные данные удалены",
}
TIME_ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
    "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
    "Asia/Magadan", "Asia/Kamchatka",
)  # fmt: skip
"""Russia's time zones, offered when a patient's is set by hand."""
TEENS = range(11, 20)


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else MISSING


def moment(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M UTC")


def phone(e164: str | None) -> str:
    """`+7 916 123-45-67`; what is stored when it no longer parses (old data)."""
    if not e164:
        return MISSING
    try:
        return Phone(e164).display
    except InvalidFieldError:
        return e164


def contact(kind: str, value: str) -> str:
    return phone(value) if kind in ("phone", "whatsapp") else value


def source(name: str) -> str:
    return SOURCE_LABELS.get(name, name)


def field(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def field_value(name: str, value: str | bool | None) -> str:
    """A value as a change in the history carries it (dates as ISO text)."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "да" if value else "нет"
    if name == "at":
        return moment(datetime.fromisoformat(value))
    labels = {
        "sex": SEX_LABELS,
        "kind": KIND_LABELS,
        "channel": CHANNEL_LABELS,
        "purpose": PURPOSE_LABELS,
        "source": SOURCE_LABELS,
    }.get(name, {})
    return labels.get(value, value)


def change_details(change: ProfileChange) -> str:
    """Each field a change in the history carries; its value too when it is not personal."""
    return ", ".join(
        f"{field(name)}: {field_value(name, change.values[name])}"
        if name in change.values
        else field(name)
        for name in change.fields
    )


def patients_accusative(count: int) -> str:
    """`count` with «пациент» as the object of a verb: 1 пациента, 3 пациентов, 21 пациента."""
    if count % 10 == 1 and count % 100 not in TEENS:
        return f"{count} пациента"
    return f"{count} пациентов"
