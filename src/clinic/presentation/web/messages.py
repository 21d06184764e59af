"""Russian wording of validation errors, keyed by the domain's stable error codes."""

from __future__ import annotations

from clinic.domain.shared.errors import InvalidInputError

FIELD_ERRORS = {
    "required": "Обязательное поле",
    "not_text": "Ожидается текст",
    "too_long": "Слишком длинное значение",
    "not_a_name": "Только буквы, пробелы, дефисы и апострофы",
    "invalid_sex": "Укажите Ж или М",
    "invalid_date": "Дата в формате ДД.ММ.ГГГГ",
    "in_future": "Дата не может быть в будущем",
    "too_early": "Дата не может быть раньше 01.01.1900",
    "invalid_phone": "Неверный номер телефона",
    "invalid_email": "Неверный адрес электронной почты",
    "unknown_field": "Неизвестное поле",
}


def field_errors(error: InvalidInputError) -> dict[str, str]:
    """Each invalid field's message in Russian; the English detail when a code is not known."""
    return {
        field: FIELD_ERRORS.get(error.codes[field], message)
        for field, message in error.errors.items()
    }
