from __future__ import annotations

import pytest

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.sources import SourceRecord, parse_source
from clinic.domain.shared.errors import InvalidFieldError


class TestParseSource:
    def test_a_source_is_lower_cased(self) -> None:
        assert parse_source(" Import:XLSX ") == "import:xlsx"

    @pytest.mark.parametrize("raw", ["", "with space", "кириллица", "x" * 51, None])
    def test_bad_sources_are_refused(self, raw: object) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_source(raw)
        assert raised.value.field == "source"


class TestParseSourceRecord:
    def test_an_external_id_is_kept_as_written_but_trimmed(self) -> None:
        assert SourceRecord.parse("MIS", " A-17 ") == SourceRecord("mis", "A-17")

    def test_a_number_from_a_spreadsheet_is_its_digits(self) -> None:
        assert SourceRecord.parse("mis", 1017).external_id == "1017"

    def test_both_fields_are_checked(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            SourceRecord.parse("", "")
        assert set(raised.value.errors) == {"source", "external_id"}
