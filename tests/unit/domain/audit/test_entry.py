"""Audit entries: flat, short, attributable; nothing nested, nothing unbounded."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

import pytest

from clinic.domain.audit.entry import MAX_DETAILS, AuditEntry
from clinic.domain.audit.errors import InvalidAuditEntryError

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def entry(**fields: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "actor": "ivanova",
        "role": "admin",
        "action": "user.added",
        "subject_type": "user",
        "subject_id": "petrov",
        "details": {"role": "marketer"},
        "at": NOW,
    }
    return AuditEntry.record(uuid4(), **(values | fields))


class Colour(StrEnum):
    RED = "red"


class TestRecord:
    def test_an_entry_keeps_who_what_when_and_the_subject(self) -> None:
        recorded = entry()
        [event] = recorded.collect_events()
        assert isinstance(event, AuditEntry.Recorded)
        assert (event.actor, event.role, event.action) == ("ivanova", "admin", "user.added")
        assert (event.subject_type, event.subject_id) == ("user", "petrov")
        assert (event.details, event.at) == ({"role": "marketer"}, NOW)

    def test_a_subject_and_details_are_optional(self) -> None:
        recorded = entry(subject_type=None, subject_id=None, details=None, role=None)
        assert (recorded.subject_type, recorded.subject_id, recorded.details) == (None, None, {})

    def test_details_take_strings_numbers_flags_and_none_and_unwrap_str_enums(self) -> None:
        details = {"a": "x", "b": 3, "c": True, "d": None, "e": Colour.RED}
        recorded = entry(details=details)
        assert recorded.details == {"a": "x", "b": 3, "c": True, "d": None, "e": "red"}
        assert type(recorded.details["e"]) is str

    def test_control_characters_in_free_text_are_replaced(self) -> None:
        recorded = entry(subject_id="eve\x00\nadmin", details={"client": "1.2.3.4\r"})
        assert recorded.subject_id == "eve\ufffd\ufffdadmin"
        assert recorded.details == {"client": "1.2.3.4\ufffd"}


class TestInvalidEntries:
    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"actor": ""}, "actor"),
            ({"actor": "x" * 101}, "actor"),
            ({"action": "added"}, "action"),
            ({"action": "User.Added"}, "action"),
            ({"action": "user.added; drop"}, "action"),
            ({"subject_type": "Patient card"}, "subject_type"),
            ({"subject_id": "1" * 101}, "subject_id"),
            ({"details": {"Bad Key": 1}}, "details"),
            ({"details": {"nested": {"a": 1}}}, "details.nested"),
            ({"details": {"listed": [1, 2]}}, "details.listed"),
            ({"details": {"text": "x" * 201}}, "details.text"),
            ({"details": {"big": 2**60}}, "details.big"),
            ({"details": {f"k{i}": i for i in range(MAX_DETAILS + 1)}}, "details"),
            ({"at": datetime(2026, 11, 29, 10, 0)}, "at"),  # noqa: DTZ001 - the point
        ],
    )
    def test_a_bad_field_is_named(self, fields: dict[str, Any], field: str) -> None:
        with pytest.raises(InvalidAuditEntryError) as caught:
            entry(**fields)
        assert caught.value.field == field
