"""The patient list writer buffers a batch's additions and changes rows still buffered in
memory: whatever the calls, the tables must end as if every call were written at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from clinic.application.patients.dto import PatientSummary
from clinic.infrastructure.patients.sql_views import SqlPatientListWriter
from clinic.infrastructure.patients.tables import (
    patient_consents,
    patient_list,
    patient_sources,
    patient_tags,
)
from clinic.presentation.bootstrap.containers import ApplicationContainer

PATIENTS = tuple(UUID(int=n) for n in range(1, 4))
REGISTERED_AT = datetime(2025, 1, 1, 9, tzinfo=UTC)
TABLES = (patient_list, patient_tags, patient_consents, patient_sources)

Call = tuple[str, UUID, Any]


def summary(patient_id: UUID) -> PatientSummary:
    return PatientSummary(
        id=patient_id, surname="Иванова", given_name="Мария", patronymic=None, sex="F",
        birth_date=None, phone="+79161234567", email=None, status="active",
        registered_at=REGISTERED_AT, city="Москва",
    )  # fmt: skip


CHANGES = st.sampled_from(
    [
        {"surname": "Петрова"},
        {"given_name": "Анна", "patronymic": "Ивановна"},
        {"phone": "+79031112233", "email": "anna@mail.ru"},
        {"status": "merged", "merged_into": PATIENTS[0]},
        {"city": "Казань"},
    ]
)
CALLS = st.one_of(
    st.tuples(st.just("update"), st.sampled_from(PATIENTS), CHANGES),
    st.tuples(st.just("tag"), st.sampled_from(PATIENTS), st.sampled_from(["vip", "дети"])),
    st.tuples(st.just("untag"), st.sampled_from(PATIENTS), st.sampled_from(["vip", "дети"])),
    st.tuples(st.just("consent"), st.sampled_from(PATIENTS), st.booleans()),
    st.tuples(st.just("record"), st.sampled_from(PATIENTS), st.sampled_from(["A", "B"])),
    st.tuples(st.just("unrecord"), st.sampled_from(PATIENTS), st.sampled_from(["A", "B"])),
    st.tuples(st.just("representative"), st.sampled_from(PATIENTS), st.sampled_from(PATIENTS)),
    st.tuples(st.just("remove"), st.sampled_from(PATIENTS), st.none()),
)


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[Call], list[Call]]:
    """Calls of an earlier batch (written before), then the calls of the batch under test;
    each patient is added once, before any other call names them."""
    calls: list[Call] = []
    added: set[UUID] = set()
    for call in draw(st.lists(CALLS, max_size=30)):
        if call[1] not in added and call[0] != "remove":
            added.add(call[1])
            calls.append(("add", call[1], None))
        calls.append(call)
    split = draw(st.integers(0, len(calls)))
    return calls[:split], calls[split:]


def apply(writer: SqlPatientListWriter, call: Call) -> None:
    name, patient_id, value = call
    match name:
        case "add":
            writer.add_patient(summary(patient_id), source="mis", external_id=str(patient_id))
        case "update":
            writer.update_patient(patient_id, value)
        case "tag":
            writer.add_tag(patient_id, value)
        case "untag":
            writer.remove_tag(patient_id, value)
        case "consent":
            writer.set_consent(patient_id, "sms", "marketing", granted=value)
        case "record":
            writer.add_source_record(patient_id, "crm", value)
        case "unrecord":
            writer.remove_source_record(patient_id, "crm", value)
        case "representative":
            writer.set_representative(patient_id, value)
        case "remove":
            writer.remove_patient(patient_id)


def written(engine: Engine, earlier: list[Call], batch: list[Call], *, at_once: bool) -> object:
    """The tables after `earlier` (one batch) and `batch`, each call written as it comes
    (`at_once`) or the batch buffered and flushed at its end."""
    with engine.begin() as connection:
        writer = SqlPatientListWriter(connection)
        writer.reset()
        for call in earlier:
            apply(writer, call)
        writer.flush()
        writer = SqlPatientListWriter(connection)
        for call in batch:
            apply(writer, call)
            if at_once:
                writer.flush()
        writer.flush()
        return {
            table.name: sorted(map(repr, connection.execute(select(table)).all()))
            for table in TABLES
        }


class TestBufferedBatches:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(calls=batches())
    def test_a_buffered_batch_ends_as_calls_written_one_by_one(
        self, container: ApplicationContainer, calls: tuple[list[Call], list[Call]]
    ) -> None:
        engine = container.core.database().write_engine
        earlier, batch = calls

        buffered = written(engine, earlier, batch, at_once=False)

        assert buffered == written(engine, earlier, batch, at_once=True)

    def test_a_change_to_a_buffered_row_updates_its_search_keys(
        self, container: ApplicationContainer
    ) -> None:
        engine = container.core.database().write_engine
        batch: list[Call] = [
            ("add", PATIENTS[0], None),
            ("update", PATIENTS[0], {"surname": "Петрова", "phone": "+79031112233"}),
        ]
        written(engine, [], batch, at_once=False)
        with engine.connect() as connection:
            row = connection.execute(select(patient_list)).one()
        assert (row.surname, row.name_key, row.phone_key) == (
            "Петрова",
            "петрова мария",
            "79031112233",
        )
