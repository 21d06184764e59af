from __future__ import annotations

import pytest

from clinic.domain.patients.matching.blocklist import BlockList


class TestBlockList:
    @pytest.mark.parametrize(
        "phone", ["+70000000000", "+79160000000", "+71111111111", "+79161234567"]
    )
    def test_placeholder_phones_are_blocked(self, phone: str) -> None:
        assert BlockList().blocks_phone(phone)

    def test_an_ordinary_phone_is_not(self) -> None:
        assert not BlockList().blocks_phone("+79163620417")

    @pytest.mark.parametrize(
        "email", ["test@mail.ru", "Test1@yandex.ru", "test+x@gmail.com", "anna@example.com"]
    )
    def test_placeholder_emails_are_blocked(self, email: str) -> None:
        assert BlockList().blocks_email(email)

    def test_an_ordinary_email_is_not(self) -> None:
        assert not BlockList().blocks_email("anna.petrova@mail.ru")

    def test_a_clinic_adds_its_own_numbers(self) -> None:
        blocklist = BlockList().with_extra(
            phones=frozenset({"+74951234500"}), emails=frozenset({"Reception@Clinic.ru"})
        )
        assert blocklist.blocks_phone("+74951234500")
        assert blocklist.blocks_email("reception@clinic.ru")
        assert blocklist.blocks_phone("+70000000000")
