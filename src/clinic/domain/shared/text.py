"""Free text typed by people: trimmed, length-limited, without control characters."""

from __future__ import annotations

import unicodedata
from typing import Any

from clinic.domain.shared.errors import InvalidFieldError


def single_line(raw: Any, field: str, max_length: int) -> str:
    """`raw` with its whitespace collapsed to single spaces; required, at most `max_length`."""
    if not isinstance(raw, str):
        raise InvalidFieldError(field, "must be text", "not_text")
    return _checked(" ".join(raw.split()), field, max_length)


def multi_line(raw: Any, field: str, max_length: int) -> str:
    """`raw` trimmed, its line breaks kept; required, at most `max_length`."""
    if not isinstance(raw, str):
        raise InvalidFieldError(field, "must be text", "not_text")
    text = "\n".join(line.rstrip() for line in raw.strip().splitlines())
    return _checked(text, field, max_length, allowed="\n")


def present(value: Any) -> bool:
    if type(value) is str:  # most values: no str() call (a subclass may override __str__)
        return value != "" and not value.isspace()
    return value is not None and str(value).strip() != ""


def _checked(text: str, field: str, max_length: int, allowed: str = "") -> str:
    if not text:
        raise InvalidFieldError(field, "is required", "required")
    if len(text) > max_length:
        raise InvalidFieldError(field, f"at most {max_length} characters", "too_long")
    if _has_control_chars(text, allowed):
        raise InvalidFieldError(field, "must not contain control characters", "control_chars")
    return text


def _has_control_chars(text: str, allowed: str) -> bool:
    """Whether `text` has a character of category Cc or Cf that is not `allowed`. Printable text
    has none (`str.isprintable` is false for every Cc and Cf character), so only other text is
    looked at character by character."""
    rest = text.translate(dict.fromkeys(map(ord, allowed))) if allowed else text
    if rest.isprintable():
        return False
    return any(ch not in allowed and unicodedata.category(ch) in {"Cc", "Cf"} for ch in text)
