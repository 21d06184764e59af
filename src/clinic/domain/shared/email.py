"""E-mail addresses, checked for syntax only (no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import email_validator
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from clinic.domain.shared.errors import InvalidFieldError

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(
    r"(?P<local>[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+(?:\.[A-Za-z0-9_!#$%&'*+\-/=?^`{|}~]+)*)"
    rf"@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,63}})"
)
"""A plain ASCII `local@domain.tld`: a dot-atom local part, hostname labels of at most 63
characters (no leading or trailing hyphen) and a top-level domain of letters."""
_MAX_ADDRESS_LENGTH = 254
_MAX_LOCAL_PART_LENGTH = 64
_CASE_INSENSITIVE_LOCAL_PARTS = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


@dataclass(frozen=True, slots=True)
class Email:
    """A syntactically valid address with the domain lower-cased."""

    address: str

    @classmethod
    def parse(cls, raw: str, field: str = "email") -> Email:
        if isinstance(raw, str):
            plain = _plain_address(raw.strip())
            if plain is not None:
                return cls(plain)
        return cls(_normalise_email_fully(raw, field))

    def __str__(self) -> str:
        return self.address


def _normalise_email_fully(raw: str, field: str) -> str:
    """The address `Email.parse` keeps, by email_validator alone (the reference the fast path
    is tested against)."""
    if not isinstance(raw, str):
        raise InvalidFieldError(field, "must be text", "not_text")
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidFieldError(
            field, f"not a valid e-mail address: {error}", "invalid_email"
        ) from None
    return result.normalized


def _plain_address(text: str) -> str | None:
    """What `validate_email(text, check_deliverability=False)` normalises a plain ASCII
    address to (its domain lower-cased), or None: let email_validator decide.

    For such an address email_validator keeps the dot-atom local part as it is (ASCII needs no
    Unicode normalisation), only lower-cases the domain (UTS-46 mapping of ASCII letters) and
    accepts it, unless it is too long (a local part over 64 characters: in its strict mode),
    its local part is an RFC 2142 mailbox name (lower-cased), a label is an R-LDH or Punycode
    one (`ab--`, `xn--`: both contain `--`) or the domain is a special-use one (`.local`,
    `.test`...); those go to email_validator, as does anything else."""
    if len(text) > _MAX_ADDRESS_LENGTH:
        return None
    match = _PLAIN_ADDRESS.fullmatch(text)
    if match is None:
        return None
    local, domain = match.group("local", "domain")
    domain = domain.lower()
    if (
        len(local) > _MAX_LOCAL_PART_LENGTH
        or "--" in domain
        or local.lower() in _CASE_INSENSITIVE_LOCAL_PARTS
    ):
        return None
    for special in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        if domain == special or domain.endswith("." + special):
            return None
    return f"{local}@{domain}"
