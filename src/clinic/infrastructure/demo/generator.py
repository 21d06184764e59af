"""Placeholder generator."""

from __future__ import annotations

from collections.abc import Iterator

from clinic.application.patients.commands import RegisterPatient


def demo_registrations(
    count: int, *, seed: int = 2026, batch_size: int = 1000
) -> Iterator[list[RegisterPatient]]:
    from faker import Faker

    fake = Faker("ru_RU")
    fake.seed_instance(seed)
    batch = []
    for i in range(count):
        batch.append(
            RegisterPatient(
                surname=fake.last_name_female(),
                given_name=fake.first_name_female(),
                sex="F",
                phone=f"+7916{i:07d}",
            )
        )
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
