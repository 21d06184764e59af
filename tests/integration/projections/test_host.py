"""The projection host follows new events live: saves here, NOTIFY on PostgreSQL, else polling."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text

from clinic.application.patients.commands import RegisterPatient
from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.integration.projections.support import (
    ContainerFactory,
    event_store_head,
    read_model,
    register,
    registrations,
    tracked_position,
)

ARRIVAL_TIMEOUT = 10.0


def eventually(condition: Callable[[], bool], timeout: float = ARRIVAL_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def projection_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t.is_alive() and t.name.startswith(("projection-", "listen-"))
    ]


@pytest.mark.timeout(60)
class TestLiveFollowingInTheSameProcess:
    def test_a_registered_patient_can_be_read_after_its_position(
        self, container: ApplicationContainer
    ) -> None:
        container.projections().start()

        registered = container.patients.service().register_patient(
            RegisterPatient(surname="Соколова", given_name="Анна")
        )
        patient = container.patients.queries().get_patient(
            registered.patient_id, after=registered.position
        )

        assert patient.surname == "Соколова"

    def test_events_recorded_before_the_start_are_caught_up(
        self, container: ApplicationContainer
    ) -> None:
        registered = register(container, 1500)

        container.projections().start()
        container.patients.queries().get_patient(
            registered[-1].patient_id, after=registered[-1].position
        )

        assert set(read_model(container)) == {r.patient_id for r in registered}


@pytest.mark.timeout(60)
class TestLiveFollowingAcrossProcesses:
    def test_a_patient_registered_elsewhere_reaches_this_read_model(
        self, container: ApplicationContainer, make_container: ContainerFactory
    ) -> None:
        container.projections().start()
        elsewhere = make_container()

        [registered] = register(elsewhere, 1)

        assert eventually(lambda: registered.patient_id in read_model(container))
        assert eventually(lambda: tracked_position(container) == event_store_head(container))


def listening_connections(container: ApplicationContainer) -> int:
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query ILIKE 'LISTEN %'"
    )
    with container.core.database().read_engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


@pytest.mark.postgres
@pytest.mark.timeout(60)
@pytest.mark.parametrize("backend", ["postgres"])
class TestNotifyWakesProjections:
    def test_without_waiting_for_the_next_poll(self, make_container: ContainerFactory) -> None:
        here = make_container(projection_poll_interval=300.0)  # a poll would come far too late
        here.projections().start()
        assert eventually(lambda: listening_connections(here) >= 1)
        elsewhere = make_container()

        [registered] = register(elsewhere, 1)

        assert eventually(lambda: registered.patient_id in read_model(here))


@pytest.mark.timeout(60)
class TestStop:
    def test_ends_every_projection_and_listener_thread(
        self, container: ApplicationContainer
    ) -> None:
        host = container.projections()
        before = set(threading.enumerate())
        host.start()
        register(container, 5)
        started = [t for t in projection_threads() if t not in before]
        names = {t.name.split("-")[0] for t in started}
        assert names == (
            {"projection"} if container.core.settings().is_sqlite else {"projection", "listen"}
        )

        host.stop()

        assert [t.name for t in started if t.is_alive()] == []

    def test_nothing_is_applied_after_it(self, container: ApplicationContainer) -> None:
        host = container.projections()
        host.start()
        host.stop()
        position = tracked_position(container)

        register(container, 5)
        time.sleep(0.3)

        assert tracked_position(container) == position
        assert read_model(container) == {}

    def test_a_host_started_again_follows_again(self, container: ApplicationContainer) -> None:
        host = container.projections()
        host.start()
        host.stop()
        host.start()

        registered = container.patients.service().register_patients(registrations(1))[0]

        assert eventually(lambda: registered.patient_id in read_model(container), timeout=3)
