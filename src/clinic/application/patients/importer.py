"""Imports patient rows of one source into profiles: creates, updates, merges, suggests.

Rows go a chunk at a time (memory stays flat whatever the file): validate; give each row its
patient id, derived from (source, external id), so a re-import finds the same profile and never
duplicates it (the event store refuses a second registration of an id, even from a concurrent
import); update the profiles that exist; register the new ones; resolve the new ones against each
other, then against the profiles already projected (only pairs sharing a blocking key, as within
one batch); save the chunk in one write. The next chunk is validated and applied while the
patient list catches up with this one; it waits for the list only before resolving against it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from clinic.application.patients.import_columns import ColumnMapping
from clinic.application.patients.import_rows import ImportRow, RowProblem, parse_row
from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import ReadModelLagError
from clinic.domain.patients.consents import Consent, Purpose
from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.import_record import ImportCounts
from clinic.domain.patients.matching.blocking import candidate_partners
from clinic.domain.patients.matching.decisions import MatchDecision, MatchOutcome
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.resolver import Resolver
from clinic.domain.patients.merging import choose_survivor, merge
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.registration import RegistrationDetails
from clinic.domain.patients.suggestions import MatchSuggestion, SuggestionStatus, suggestion_id
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.access import Permission
from clinic.domain.shared.collector import collector_paused

DEFAULT_CHUNK_ROWS = 1000
IMPORT_NAMESPACE = uuid5(NAMESPACE_URL, "clinic-cdp:patient-import")
ERASED_REASON = "the patient was erased at their request: not imported again"


class KnownPatients(Protocol):
    def existing(self, patient_ids: Collection[UUID]) -> set[UUID]:
        """Which of these patients are registered and not erased (from the patient list)."""
        ...


class MatchCandidates(Protocol):
    def candidates(self, records: Sequence[MatchRecord]) -> list[MatchRecord]:
        """Listed profiles (active or archived) sharing a phone, an e-mail, or a given name and
        birth date with any of `records`; record ids are patient ids as text."""
        ...

    def listed(self) -> int:
        """How many listed profiles may be candidates (active or archived)."""
        ...


class FileRowLike(Protocol):
    number: int
    values: dict[str, str]


def patient_id_for(source: str, external_id: str) -> UUID:
    """The id of the profile a source record is imported into: the same in every import and
    every installation (a key that could change would break re-imports). It reveals nothing
    the source system does not hold already."""
    return uuid5(IMPORT_NAMESPACE, f"{source}\0{external_id}")


@dataclass(slots=True)
class ImportRun:
    """One run's settings and what it has done so far."""

    source: str
    mapping: ColumnMapping
    actor: Actor
    dry_run: bool = False
    counts: ImportCounts = field(default_factory=ImportCounts)
    on_problems: Callable[[list[RowProblem]], None] = lambda _problems: None
    on_progress: Callable[[ImportCounts], None] = lambda _counts: None


class PatientImporter:
    def __init__(
        self,
        patients: PatientsService,
        known: KnownPatients,
        candidates: MatchCandidates,
        wait_for: Callable[[int | None], None],
        resolver: Resolver | None = None,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
    ) -> None:
        self._patients = patients
        self._known = known
        self._candidates = candidates
        self._wait_for = wait_for
        self._resolver = resolver or Resolver()
        self._chunk_rows = chunk_rows

    def run(self, rows: Iterable[FileRowLike], run: ImportRun) -> ImportCounts:
        """Imports every row (a dry run only validates); returns the counts once the patient
        list shows every row imported."""
        run.actor.demand(Permission.PATIENTS_MERGE)
        seen: dict[str, int] = {}
        saved: int | None = None
        listed = 0 if run.dry_run else self._candidates.listed()
        chunks = _chunks(iter(rows), self._chunk_rows)
        while True:
            with collector_paused():  # reading the file as well
                chunk = next(chunks, None)
                if chunk is None:
                    break
                valid = self._validated(chunk, run, seen)
                if run.dry_run:
                    self._count_dry(valid, run.counts)
                elif valid:
                    # The list catches up with the chunk before while this one is validated
                    # and applied to its profiles: only resolving it needs the list up to date.
                    caught_up = partial(self._caught_up, saved)
                    prior = self._resolver.list_prior(listed + run.counts.created)
                    saved = self._import(valid, run, caught_up, prior) or saved
            run.on_progress(run.counts)
        self._caught_up(saved)
        return run.counts

    def _caught_up(self, position: int | None) -> None:
        """Waits for the list to reach `position` for as long as it keeps moving (a large
        chunk can take longer than one read-your-writes wait)."""
        reached = -1
        while True:
            try:
                self._wait_for(position)
            except ReadModelLagError as lag:
                if lag.reached <= reached:
                    raise
                reached = lag.reached
                continue
            return

    def _validated(
        self, chunk: list[FileRowLike], run: ImportRun, seen: dict[str, int]
    ) -> list[ImportRow]:
        """The chunk's valid rows; a record's second row is rejected (which of two rows would
        be the truth? and importing the file again must change nothing)."""
        today = self._patients.clock.now().date()
        valid: list[ImportRow] = []
        problems: list[RowProblem] = []
        for row in chunk:
            run.counts.read += 1
            parsed = parse_row(row.number, run.mapping.apply(row.values), run.source, today)
            if isinstance(parsed, ImportRow) and parsed.record.external_id in seen:
                first = seen[parsed.record.external_id]
                parsed = [RowProblem(row.number, "external_id", f"repeats row {first}", "repeated")]
            if isinstance(parsed, ImportRow):
                seen[parsed.record.external_id] = row.number
                valid.append(parsed)
            else:
                problems += parsed
                run.counts.rejected += 1
        if problems:
            run.on_problems(problems)
        return valid

    def _count_dry(self, rows: list[ImportRow], counts: ImportCounts) -> None:
        ids = [self._id_of(row) for row in rows]
        known = self._known.existing(ids)
        counts.updated += sum(1 for i in set(ids) if i in known)
        counts.created += len(set(ids) - known)
        counts.unchanged += len(ids) - len(set(ids))  # repeated rows of one record

    def _import(
        self, rows: list[ImportRow], run: ImportRun, caught_up: Callable[[], None], prior: float
    ) -> int | None:
        try:
            return _Chunk(self, run, prior).prepare(rows, self._known.existing, caught_up).save()
        except IntegrityError:
            # Ids the list did not show: erased patients, or another import's new rows.
            return _Chunk(self, run, prior).prepare(rows, self._registered, caught_up).save()

    def _registered(self, patient_ids: Collection[UUID]) -> set[UUID]:
        """Like KnownPatients.existing, from the event store itself (erased ones included)."""
        found = set()
        for patient_id in patient_ids:
            try:
                self._patients.get_patient(patient_id)
            except AggregateNotFoundError:
                continue
            found.add(patient_id)
        return found

    def _id_of(self, row: ImportRow) -> UUID:
        return patient_id_for(row.record.source, row.record.external_id)


class _Chunk:
    """One chunk's work: every aggregate it changes, saved together. `prior`: the list's, for
    its pairs with listed profiles (`Resolver.list_prior`)."""

    def __init__(self, importer: PatientImporter, run: ImportRun, prior: float) -> None:
        self.importer = importer
        self.run = run
        self.prior = prior
        self.now = importer._patients.clock.now()
        self.by = run.actor.username
        self.counts = ImportCounts()
        self.loaded: dict[UUID, Patient] = {}
        self.changed: dict[UUID, Patient | MatchSuggestion] = {}
        self.created: set[UUID] = set()
        self.problems: list[RowProblem] = []

    def prepare(
        self,
        rows: list[ImportRow],
        existing: Callable[[Collection[UUID]], set[UUID]],
        caught_up: Callable[[], None],
    ) -> _Chunk:
        """Applies every row to its profile and resolves the new profiles; nothing saved yet.
        `caught_up` returns once the list shows the chunks before: only the new profiles'
        candidates are read from it, so everything else is done first."""
        ids = [self.importer._id_of(row) for row in rows]
        known = existing(ids)
        created: list[Patient] = []
        for row, patient_id in zip(rows, ids, strict=True):
            if patient_id in known or patient_id in self.loaded:
                self._update(patient_id, row)
            else:
                created.append(self._create(patient_id, row))
        if created:
            records = [match_record(p) for p in created]
            among_new = self.importer._resolver.resolve(records)
            caught_up()
            decisions = [*among_new.merges, *among_new.suggestions, *self._against_list(records)]
            decisions.sort(key=lambda d: (d.outcome is not MatchOutcome.MERGE, -d.score))
            for decision in decisions:
                self._decide(decision)
        return self

    def save(self) -> int | None:
        patients = self.importer._patients
        aggregates = [a for a in self.changed.values() if a.pending_events]
        position = None
        if aggregates:
            recordings = patients.save(*aggregates)
            ids = [r.notification.id for r in recordings if r.notification.id is not None]
            position = max(ids, default=None)
        self._add_counts()
        if self.problems:
            self.run.on_problems(self.problems)
        return position

    def _add_counts(self) -> None:
        total, mine = self.run.counts, self.counts
        for name in ("created", "updated", "unchanged", "merged", "suggested", "rejected"):
            setattr(total, name, getattr(total, name) + getattr(mine, name))

    # --- rows -------------------------------------------------------------------------------

    def _create(self, patient_id: UUID, row: ImportRow) -> Patient:
        """A new profile, in one event with everything the row gives."""
        patient = Patient.register(
            patient_id,
            row.data,
            self.now,
            source=row.record.source,
            external_id=row.record.external_id,
            by=self.by,
            details=RegistrationDetails(row.contact_points, self._consents(row), row.tags),
        )
        self.loaded[patient_id] = self.changed[patient_id] = patient
        self.created.add(patient_id)
        self.counts.created += 1
        return patient

    def _update(self, patient_id: UUID, row: ImportRow) -> None:
        patient = self._live(patient_id)
        if patient is None:
            self.problems.append(RowProblem(row.number, "external_id", ERASED_REASON, "erased"))
            self.counts.rejected += 1
            return
        before = len(patient.pending_events)
        given = row.given_fields
        if patient.id != patient_id:
            # The row's profile was merged into `patient`, whose own values win (survivorship):
            # the row only fills its gaps, or two sources would overwrite each other forever.
            given = {f: v for f, v in given.items() if getattr(patient, f) is None}
        changes = {f: v for f, v in given.items() if getattr(patient, f) != v}
        if changes:
            patient.correct(changes, by=self.by, now=self.now)
        for point in _primary_contacts(row):
            patient.add_contact_point(point, by=self.by, now=self.now)
        patient.link_source_record(row.record, by=self.by, now=self.now)
        self._apply_extras(patient, row)
        self.changed[patient.id] = patient
        if len(patient.pending_events) > before:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    def _apply_extras(self, patient: Patient, row: ImportRow) -> None:
        for point in row.contact_points:
            patient.add_contact_point(point, by=self.by, now=self.now)
        for consent in self._consents(row):
            if consent.granted:
                patient.grant_consent(consent, by=self.by, now=self.now)
            else:
                patient.withdraw_consent(consent, by=self.by, now=self.now)
        for tag in row.tags:
            patient.add_tag(tag, by=self.by, now=self.now)

    def _consents(self, row: ImportRow) -> tuple[Consent, ...]:
        """The row's consents: for marketing (a source system's yes or no is about promotions;
        service messages rest on the care itself), given now."""
        source = row.record.source
        return tuple(
            Consent(channel, Purpose.MARKETING, granted, source, self.now, None)
            for channel, granted in row.consents.items()
        )

    # --- identity resolution ----------------------------------------------------------------

    def _against_list(self, records: list[MatchRecord]) -> Iterator[MatchDecision]:
        """Decisions on the new profiles and the listed ones that may be the same people
        (those sharing a blocking key)."""
        resolver = self.importer._resolver
        new_ids = {r.record_id for r in records}
        others = [
            c for c in self.importer._candidates.candidates(records) if c.record_id not in new_ids
        ]
        features = [resolver.features(r) for r in records]
        theirs = [resolver.features(c) for c in others]
        for j, i in _cross_pairs(features, theirs, resolver):
            decision = resolver.decide(features[i], theirs[j], prior=self.prior)
            if decision.outcome is not MatchOutcome.NO_MATCH:
                yield decision

    def _decide(self, decision: MatchDecision) -> None:
        a, b = (UUID(i) for i in decision.record_ids)
        first, second = self._live(a), self._live(b)
        if first is None or second is None or first.id == second.id:
            return
        pair = suggestion_id(first.id, second.id)
        earlier = self._suggestion(pair, first.id, second.id)
        if earlier is not None and earlier.status == SuggestionStatus.REJECTED:
            return
        if decision.outcome is MatchOutcome.MERGE:
            survivor, absorbed = choose_survivor(first, second)
            merge(
                survivor, absorbed, rule=decision.rule, score=decision.score, by=self.by,
                now=self.now,
            )  # fmt: skip
            if earlier is not None and earlier.status == SuggestionStatus.OPEN:
                earlier.accept(by=self.by, now=self.now)
            self.changed[survivor.id], self.changed[absorbed.id] = survivor, absorbed
            self.counts.merged += 1
        elif earlier is None and pair not in self.changed:
            self.changed[pair] = MatchSuggestion.suggest(
                first.id,
                second.id,
                rule=decision.rule,
                score=decision.score,
                agreements=[[g.field, g.level, g.weight] for g in decision.agreements],
                by=self.by,
                now=self.now,
            )
            self.counts.suggested += 1

    def _suggestion(self, pair: UUID, *patient_ids: UUID) -> MatchSuggestion | None:
        """The pair's suggestion, if one was made; none names a profile registered now."""
        pending = self.changed.get(pair)
        if isinstance(pending, MatchSuggestion):
            return pending
        if not self.created.isdisjoint(patient_ids):
            return None
        try:
            found: object = self.importer._patients.repository.get(pair)
        except AggregateNotFoundError:
            return None
        if isinstance(found, MatchSuggestion):
            self.changed[pair] = found
            return found
        return None

    def _live(self, patient_id: UUID) -> Patient | None:
        """The profile that carries `patient_id` on: itself, or the one it was merged into;
        None when erased."""
        seen: set[UUID] = set()
        while patient_id not in seen:
            seen.add(patient_id)
            patient = self.loaded.get(patient_id)
            if patient is None:
                try:
                    patient = self.importer._patients.get_patient(patient_id)
                except AggregateNotFoundError:
                    return None
                self.loaded[patient_id] = patient
            if patient.status == PatientStatus.ERASED:
                return None
            if patient.merged_into is None:
                return patient
            patient_id = patient.merged_into
        return None


def match_record(patient: Patient) -> MatchRecord:
    """What identity resolution compares of a profile."""
    return MatchRecord(
        record_id=str(patient.id),
        surname=patient.surname,
        given_name=patient.given_name,
        patronymic=patient.patronymic,
        sex=patient.sex,
        birth_date=patient.birth_date,
        phones=tuple(p.value for p in patient.contact_points if p.kind == ContactKind.PHONE),
        emails=tuple(p.value for p in patient.contact_points if p.kind == ContactKind.EMAIL),
        city=patient.city,
        address=patient.address,
        postcode=patient.postcode,
    )


def _primary_contacts(row: ImportRow) -> Iterator[ContactPoint]:
    """The row's phone and e-mail as contact points (a registration takes them directly)."""
    source = row.record.source
    if row.data.phone is not None:
        yield ContactPoint(ContactKind.PHONE, row.data.phone.e164, source)
    if row.data.email is not None:
        yield ContactPoint(ContactKind.EMAIL, row.data.email.address, source)


def _cross_pairs(
    new: Sequence[Features], old: Sequence[Features], resolver: Resolver
) -> list[tuple[int, int]]:
    """Positions (j in `old`, i in `new`) of the pairs the Resolver would compare were the two
    one batch (those sharing a blocking key), ordered by j, then i."""
    count = len(new)
    partners = candidate_partners([*new, *old], resolver.max_block, resolver.window)
    return sorted(
        (j - count, i)
        for i in range(count)
        for j in islice(partners[i], bisect_left(partners[i], count), None)
    )


def _chunks(rows: Iterator[FileRowLike], size: int) -> Iterator[list[FileRowLike]]:
    while chunk := list(islice(rows, size)):
        yield chunk
