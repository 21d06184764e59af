from __future__ import annotations

import re
from functools import cache
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from clinic.infrastructure.pseudonyms import HmacPseudonymiser, pseudonym_key
from clinic.infrastructure.settings import Settings

SHAPE = re.compile(r"p_[a-z2-7]{20}")
PINNED = "p_fngzlvhelueeihhmxvnt"


SECRET = "a secret of the installation"


def fresh(secret: str = SECRET) -> HmacPseudonymiser:
    """A pseudonymiser built from settings, as at start-up."""
    return HmacPseudonymiser(pseudonym_key(Settings(secret_key=secret)))  # type: ignore[arg-type]


pseudonymiser = cache(fresh)


class TestPseudonym:
    @given(st.uuids())
    def test_is_short_lower_case_base32_after_a_prefix(self, patient_id: UUID) -> None:
        assert SHAPE.fullmatch(pseudonymiser().pseudonym(patient_id))

    def test_the_same_patient_gets_the_same_one_every_time_and_after_a_restart(self) -> None:
        patient_id = uuid4()
        first = pseudonymiser().pseudonym(patient_id)
        assert pseudonymiser().pseudonym(patient_id) == first
        assert fresh().pseudonym(patient_id) == first

    def test_is_fixed_for_a_given_secret_and_id(self) -> None:
        """Pinned: changing the derivation would break every export analysts already hold."""
        patient_id = UUID("00000000-0000-4000-8000-000000000000")
        assert pseudonymiser().pseudonym(patient_id) == PINNED

    def test_different_patients_get_different_ones(self) -> None:
        ids = [uuid4() for _ in range(10_000)]
        assert len({pseudonymiser().pseudonym(i) for i in ids}) == len(ids)

    @given(st.uuids())
    def test_another_secret_key_gives_another_one(self, patient_id: UUID) -> None:
        assert pseudonymiser("one").pseudonym(patient_id) != pseudonymiser("two").pseudonym(
            patient_id
        )

    @given(st.uuids())
    def test_holds_no_part_of_the_patient_id(self, patient_id: UUID) -> None:
        pseudonym = pseudonymiser().pseudonym(patient_id)
        assert patient_id.hex[:8] not in pseudonym
        assert str(patient_id) not in pseudonym


class TestPseudonymKey:
    def test_is_not_the_key_of_cursors_or_signatures(self) -> None:
        from clinic.infrastructure.cursors import cursor_key
        from clinic.infrastructure.settings import signing_secret

        settings = Settings(secret_key=SECRET)  # type: ignore[arg-type]
        assert pseudonym_key(settings) not in {cursor_key(settings), signing_secret(settings)}
