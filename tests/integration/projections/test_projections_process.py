"""`clinic projections` as a process of its own keeps the read models current (scale-out)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from clinic.application.patients.commands import RegisterPatient
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer

STOP_TIMEOUT = 20.0


@pytest.fixture
def projections_process(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "CLINIC_DATABASE_URL": settings.database_url,
        "CLINIC_LOG_FORMAT": "console",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "clinic.presentation.cli.main", "projections"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


class TestProjectionsProcess:
    @pytest.mark.timeout(120)
    def test_a_write_in_this_process_is_read_back_once_the_other_process_applied_it(
        self, container: ApplicationContainer, projections_process: subprocess.Popen[bytes]
    ) -> None:
        registered = container.patients.service().register_patient(
            RegisterPatient(surname="Отдельная", given_name="Вера", phone="+7 916 700-00-01")
        )

        # This container runs no projection: `after=` can only wait on the tracking table.
        patient = container.patients.queries().get_patient(
            registered.patient_id, after=registered.position
        )

        assert (patient.surname, patient.phone) == ("Отдельная", "+79167000001")

    @pytest.mark.timeout(120)
    def test_sigterm_stops_it_cleanly(
        self, container: ApplicationContainer, projections_process: subprocess.Popen[bytes]
    ) -> None:
        registered = container.patients.service().register_patient(
            RegisterPatient(surname="Отдельный", given_name="Пётр")
        )
        container.patients.queries().get_patient(registered.patient_id, after=registered.position)

        projections_process.send_signal(signal.SIGTERM)

        assert projections_process.wait(timeout=STOP_TIMEOUT) == 0
