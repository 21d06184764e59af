"""E-mail addresses, checked for syntax only (no network)."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from clinic.domain.shared.errors import InvalidFieldError


@dataclass(frozen=True, slots=True)
class Email:
    """A syntactically valid address with the domain lower-cased."""

    address: str

    @classmethod
    def parse(cls, raw: str, field: str = "email") -> Email:
        if not isinstance(raw, str):
            raise InvalidFieldError(field, "must be text", "not_text")
        try:
            result = validate_email(raw.strip(), check_deliverability=False)
        except EmailNotValidError as error:
            raise InvalidFieldError(
                field, f"not a valid e-mail address: {error}", "invalid_email"
            ) from None
        return cls(result.normalized)

    def __str__(self) -> str:
        return self.address
