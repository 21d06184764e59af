"""The largest bulk change the API allows, written for real: MAX_BULK_PATIENTS profiles archived
with the longest comment in one write (on PostgreSQL ~60 MB of events, once a write that never
returned), on both backends."""

from __future__ import annotations

import threading

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import Changed
from clinic.application.patients.queries import MAX_BULK_PATIENTS
from clinic.application.shared.actor import Actor
from clinic.domain.patients.values import MAX_COMMENT_LENGTH, PatientStatus
from clinic.presentation.bootstrap.containers import ApplicationContainer

WRITE_TIMEOUT = 300.0


def test_the_most_patients_with_the_longest_comment_are_archived_in_one_write(
    container: ApplicationContainer,
) -> None:
    service = container.patients.service()
    actor = Actor.operator()
    registered = []
    for _ in range(0, MAX_BULK_PATIENTS, 1000):
        registered += service.register_patients(
            [RegisterPatient(surname="Иванова", given_name="Мария")] * 1000,
            actor,
        )
    ids = [r.patient_id for r in registered]
    comment = "Переехала в другой город, наблюдается в другой клинике. " * 18
    comment = comment[:MAX_COMMENT_LENGTH]

    done: list[Changed] = []
    writer = threading.Thread(
        target=lambda: done.append(service.archive_patients(ids, comment, actor)), daemon=True
    )
    writer.start()
    writer.join(WRITE_TIMEOUT)
    assert not writer.is_alive(), "the write hangs"

    [changed] = done
    assert changed.count == MAX_BULK_PATIENTS
    for patient_id in (ids[0], ids[len(ids) // 2], ids[-1]):
        patient = service.get_patient(patient_id)
        assert patient.status == PatientStatus.ARCHIVED
        assert patient.archive_comment == comment
