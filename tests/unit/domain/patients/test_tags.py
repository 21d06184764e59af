from __future__ import annotations

import pytest

from clinic.domain.patients.tags import parse_tag
from clinic.domain.shared.errors import InvalidFieldError


class TestParseTag:
    def test_a_tag_is_trimmed_and_case_folded(self) -> None:
        assert parse_tag("  VIP  Client ") == "vip client"

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("", "required"),
            ("   ", "required"),
            ("x" * 51, "too_long"),
            ("a\u0000b", "control_chars"),
        ],
    )
    def test_bad_tags_are_refused(self, raw: str, code: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_tag(raw)
        assert (raised.value.field, raised.value.code) == ("tag", code)

    def test_control_characters_are_refused(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_tag("vip\u200b")
        assert raised.value.code == "control_chars"
