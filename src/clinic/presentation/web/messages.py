"""Russian wording of validation errors, keyed by the domain's stable error codes."""

from __future__ import annotations

from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError

FIELD_ERRORS = {
    "required": "Обязательное поле",
    "unidentifiable": "Укажите фамилию или имя, телефон или email",
    "not_text": "Ожидается текст",
    "too_long": "Слишком длинное значение",
    "control_chars": "Недопустимые символы",
    "not_a_name": "Только буквы, пробелы, дефисы и апострофы",
    "invalid_sex": "Укажите Ж или М",
    "invalid_date": "Дата в формате ДД.ММ.ГГГГ",
    "in_future": "Дата не может быть в будущем",
    "too_early": "Дата не может быть раньше 01.01.1900",
    "invalid_phone": "Неверный номер телефона",
    "invalid_email": "Неверный адрес электронной почты",
    "invalid_postcode": "Индекс — шесть цифр",
    "invalid_time_zone": "Часовой пояс из списка, например Europe/Moscow",
    "invalid_kind": "Выберите вид контакта",
    "invalid_telegram": "Telegram chat id — только цифры, возможно после «-»",
    "invalid_source": "Латинские буквы, цифры и _ . : -, например paper_form",
    "invalid_channel": "Выберите канал",
    "invalid_purpose": "Выберите цель",
    "not_correctable": "Это поле здесь не исправляется",
    "invalid_status": "Выберите статус",
    "invalid_consent": "Выберите согласие",
    "invalid_age": "Целое число лет от 0 до 150",
    "reversed_range": "Конец диапазона раньше его начала",
    "too_many": "Слишком много пациентов за один раз: сузьте фильтр",
    "unknown_field": "Неизвестное поле",
}


def field_errors(error: InvalidInputError | InvalidFieldError) -> dict[str, str]:
    """Each invalid field's message in Russian; the English detail when a code is not known."""
    problems = error.problems() if isinstance(error, InvalidInputError) else [error]
    return {p.field: FIELD_ERRORS.get(p.code, p.message) for p in problems}
