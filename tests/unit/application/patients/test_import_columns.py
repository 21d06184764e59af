"""Import columns: a file's own headers are recognised or mapped, and bad mappings are named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.application.patients.import_columns import (
    TEMPLATE_COLUMNS,
    ColumnMapping,
    suggest_mapping,
)
from clinic.domain.shared.errors import InvalidInputError


def test_the_template_headers_map_to_themselves() -> None:
    assert suggest_mapping(list(TEMPLATE_COLUMNS)) == {c: c for c in TEMPLATE_COLUMNS}


def test_russian_headers_of_other_systems_are_recognised() -> None:
    headers = ["Код пациента", "Фамилия", "Имя", "Отчество", "Дата рождения", "Телефон", "E-mail"]
    assert suggest_mapping(headers) == {
        "Код пациента": "external_id",
        "Фамилия": "surname",
        "Имя": "given_name",
        "Отчество": "patronymic",
        "Дата рождения": "birth_date",
        "Телефон": "phone",
        "E-mail": "email",
    }


def test_unknown_headers_are_left_out_and_the_first_of_two_wins() -> None:
    assert suggest_mapping(["id", "Заметки", "Код"]) == {"id": "external_id"}


@given(st.lists(st.text(max_size=30), max_size=20))
def test_a_suggestion_feeds_each_column_at_most_once(headers: list[str]) -> None:
    mapping = suggest_mapping(headers)
    assert len(set(mapping.values())) == len(mapping)
    assert set(mapping) <= set(headers)


class TestColumnMapping:
    def test_a_given_mapping_is_applied_to_rows(self) -> None:
        mapping = ColumnMapping.parse({"N": "external_id", "Ф": "surname"}, ["N", "Ф", "Прочее"])
        assert mapping.apply({"N": "7", "Ф": "Петров", "Прочее": "x"}) == {
            "external_id": "7",
            "surname": "Петров",
        }

    def test_every_problem_is_named_at_once(self) -> None:
        with pytest.raises(InvalidInputError) as caught:
            ColumnMapping.parse(
                {"Нет": "surname", "A": "colour", "B": "phone", "C": "phone"},
                ["A", "B", "C"],
            )
        assert caught.value.codes == {
            "mapping.Нет": "unknown_header",
            "mapping.A": "unknown_column",
            "mapping.C": "twice",
            "mapping": "no_external_id",
        }

    def test_without_a_mapping_the_headers_are_recognised(self) -> None:
        mapping = ColumnMapping.parse(None, ["external_id", "Фамилия"])
        assert mapping.columns == {"external_id": "external_id", "Фамилия": "surname"}
