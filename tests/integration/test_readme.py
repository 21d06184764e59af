"""The README documents every setting and starts with the two commands."""

from __future__ import annotations

from pathlib import Path

from clinic.infrastructure.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [
        f"CLINIC_{name.upper()}"
        for name in Settings.model_fields
        if f"`CLINIC_{name.upper()}`" not in text
    ]
    assert missing == []


def test_readme_starts_with_make_run_and_make_test() -> None:
    head = README.read_text(encoding="utf-8")[:400]
    assert "make run" in head
    assert "make test" in head
