from __future__ import annotations

import pytest

from clinic.domain.shared.email import Email
from clinic.domain.shared.errors import InvalidFieldError


class TestParseEmail:
    def test_a_valid_address_is_kept_with_its_domain_lower_cased(self) -> None:
        assert Email.parse("Maria.Ivanova@Mail.RU").address == "Maria.Ivanova@mail.ru"

    def test_surrounding_whitespace_is_dropped(self) -> None:
        assert str(Email.parse("  maria@mail.ru \n")) == "maria@mail.ru"

    def test_an_internationalised_address_is_accepted(self) -> None:
        assert Email.parse("мария@почта.рф").address == "мария@почта.рф"

    @pytest.mark.parametrize(
        "typed",
        ["", "maria", "maria@", "@mail.ru", "maria@@mail.ru", "maria@mail", "ma ria@mail.ru"],
    )
    def test_an_invalid_address_is_rejected_naming_email(self, typed: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            Email.parse(typed)
        assert raised.value.field == "email"

    def test_parse_names_the_field_it_was_given(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            Email.parse("nobody", field="representative_email")
        assert raised.value.field == "representative_email"
