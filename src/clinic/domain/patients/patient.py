"""The Patient aggregate: one person's unified profile.

Every change is an event that says who made it (`by`, a username) and when, so the profile's
history is read straight from its events. Personal fields of each event are listed in its
`personal_fields`: they are sealed with the patient's own key and read back as None after an
erasure, which is why the mutators below accept None where a value was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.contacts import ContactKind, ContactPoint, contact_key
from clinic.domain.patients.errors import PatientNotChangeableError, PatientNotMergedError
from clinic.domain.patients.merging import (
    Absorption,
    Release,
    consent_from_dict,
    consent_to_dict,
    point_from_dict,
    point_to_dict,
)
from clinic.domain.patients.registration import RegistrationDetails
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.patients.values import PatientStatus, PersonalData, parse_comment
from clinic.domain.shared.errors import InvalidFieldError

CORRECTABLE = (
    "surname", "given_name", "patronymic", "sex", "birth_date",
    "city", "address", "postcode", "time_zone",
)  # fmt: skip
UNKNOWN_SOURCE = "unknown"
"""The source of registrations stored before registrations named theirs."""


class Patient(Aggregate):
    """A patient of the clinic, registered with validated personal data."""

    class Registered(Aggregate.Created):
        """Version 2 added the place (city, address, postcode, time zone), the registration's
        source and its first source record, and who registered. Version 3 added what else the
        source knew (an import registers a patient in one event): more contact points, consents
        (their evidence sealed apart, so an erased profile keeps the bare consents, as
        `erase` leaves them) and tags."""

        class_version = 3
        personal_fields: ClassVar[tuple[str, ...]] = (
            "surname", "given_name", "patronymic", "birth_date", "phone", "email",
            "address", "postcode", "external_id", "contact_points", "consent_evidence",
        )  # fmt: skip

        surname: str | None
        given_name: str | None
        patronymic: str | None
        sex: str | None
        birth_date: date | None
        phone: str | None
        email: str | None
        registered_at: datetime
        city: str | None
        address: str | None
        postcode: str | None
        time_zone: str | None
        source: str
        external_id: str | None
        by: str | None
        contact_points: list[dict[str, str]] | None
        consents: list[dict[str, Any]]
        consent_evidence: list[str | None] | None
        tags: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            fields = ("city", "address", "postcode", "time_zone", "external_id", "by")
            state.update(dict.fromkeys(fields), source=UNKNOWN_SOURCE)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.update(contact_points=[], consents=[], consent_evidence=[], tags=[])

    @event(Registered)
    def __init__(
        self,
        id: UUID,  # noqa: A002 - the library takes the aggregate id from this parameter
        surname: str | None,
        given_name: str | None,
        patronymic: str | None,
        sex: str | None,
        birth_date: date | None,
        phone: str | None,
        email: str | None,
        registered_at: datetime,
        city: str | None,
        address: str | None,
        postcode: str | None,
        time_zone: str | None,
        source: str,
        external_id: str | None,
        by: str | None,
        contact_points: list[dict[str, str]] | None,
        consents: list[dict[str, Any]],
        consent_evidence: list[str | None] | None,
        tags: list[str],
    ) -> None:
        self.surname = surname
        self.given_name = given_name
        self.patronymic = patronymic
        self.sex = sex
        self.birth_date = birth_date
        self.city = city
        self.address = address
        self.postcode = postcode
        self.time_zone = time_zone
        self.registered_at = registered_at
        self.registered_by = by
        self.status = PatientStatus.ACTIVE
        self.archive_comment: str | None = None
        self.contact_points = [
            ContactPoint(kind, value, source)
            for kind, value in ((ContactKind.PHONE, phone), (ContactKind.EMAIL, email))
            if value is not None
        ] + [point_from_dict(p) for p in contact_points or ()]  # None: read after an erasure
        evidence = consent_evidence or [None] * len(consents)
        self.consents: dict[tuple[Channel, Purpose], Consent] = {
            (c.channel, c.purpose): c
            for c in (
                consent_from_dict(d | {"evidence": e})
                for d, e in zip(consents, evidence, strict=True)
            )
        }
        self.tags: set[str] = set(tags)
        self.representative_id: UUID | None = None
        self.source_records = [] if external_id is None else [SourceRecord(source, external_id)]
        self.merged_into: UUID | None = None
        self.status_before_merge: PatientStatus | None = None
        self.absorptions: dict[UUID, Absorption] = {}

    @classmethod
    def register(
        cls,
        patient_id: UUID,
        data: PersonalData,
        now: datetime,
        *,
        source: str = "manual",
        external_id: str | None = None,
        by: str | None = None,
        details: RegistrationDetails | None = None,
    ) -> Patient:
        """`details`: what else the source knows of the patient, recorded in the same event."""
        details = (details or RegistrationDetails()).checked(data, now)
        return cls(
            id=patient_id,
            surname=data.surname,
            given_name=data.given_name,
            patronymic=data.patronymic,
            sex=data.sex.value if data.sex else None,
            birth_date=data.birth_date,
            phone=data.phone.e164 if data.phone else None,
            email=data.email.address if data.email else None,
            registered_at=now,
            city=data.city,
            address=data.address,
            postcode=data.postcode,
            time_zone=data.time_zone,
            source=source,
            external_id=external_id,
            by=by,
            contact_points=[point_to_dict(p) for p in details.contact_points],
            consents=[_bare(c) for c in details.consents],
            consent_evidence=[c.evidence for c in details.consents],
            tags=list(details.tags),
        )

    # --- state read by commands, queries and tests ------------------------------------------

    @property
    def phone(self) -> str | None:
        """The primary phone: the first phone contact point."""
        return self.primary(ContactKind.PHONE)

    @property
    def email(self) -> str | None:
        """The primary e-mail: the first e-mail contact point."""
        return self.primary(ContactKind.EMAIL)

    def primary(self, kind: ContactKind) -> str | None:
        return next((p.value for p in self.contact_points if p.kind == kind), None)

    @property
    def is_erased(self) -> bool:
        return self.status == PatientStatus.ERASED

    def check_changeable(self) -> None:
        """Erased and merged profiles take no more changes."""
        if self.status in (PatientStatus.ERASED, PatientStatus.MERGED):
            raise PatientNotChangeableError(self.id, self.status)

    # --- personal data -----------------------------------------------------------------------

    class PersonalDataCorrected(Aggregate.Event):
        """The fields named in `corrected` took the values given (None clears one); the other
        value fields are None and mean nothing."""

        personal_fields: ClassVar[tuple[str, ...]] = (
            "surname", "given_name", "patronymic", "birth_date", "address", "postcode",
        )  # fmt: skip

        corrected: list[str]
        surname: str | None
        given_name: str | None
        patronymic: str | None
        sex: str | None
        birth_date: date | None
        city: str | None
        address: str | None
        postcode: str | None
        time_zone: str | None
        by: str
        corrected_at: datetime

    def correct(self, changes: Mapping[str, Any], *, by: str, now: datetime) -> None:
        """Corrects personal data with values from `parse_correction`; values equal to the
        current ones are left out, and nothing at all is recorded when none differs."""
        self.check_changeable()
        unknown = sorted(set(changes) - set(CORRECTABLE))
        if unknown:
            raise InvalidFieldError(unknown[0], "cannot be corrected", "not_correctable")
        changed = {f: v for f, v in changes.items() if getattr(self, f) != v}
        if changed:
            values = {field: changed.get(field) for field in CORRECTABLE}
            self._correct(corrected=sorted(changed), **values, by=by, corrected_at=now)

    @event(PersonalDataCorrected)
    def _correct(
        self,
        corrected: list[str],
        surname: str | None,
        given_name: str | None,
        patronymic: str | None,
        sex: str | None,
        birth_date: date | None,
        city: str | None,
        address: str | None,
        postcode: str | None,
        time_zone: str | None,
        by: str,
        corrected_at: datetime,
    ) -> None:
        values = {
            "surname": surname, "given_name": given_name, "patronymic": patronymic,
            "sex": sex, "birth_date": birth_date, "city": city, "address": address,
            "postcode": postcode, "time_zone": time_zone,
        }  # fmt: skip
        for field in corrected:
            setattr(self, field, values[field])

    # --- contact points ----------------------------------------------------------------------

    class ContactPointAdded(Aggregate.Event):
        """`primary`: it is the first of its kind, the one used by default."""

        personal_fields: ClassVar[tuple[str, ...]] = ("value",)

        kind: str
        value: str | None
        source: str
        primary: bool
        by: str
        added_at: datetime

    class ContactPointRemoved(Aggregate.Event):
        """`primary_after`: the patient's primary contact of this kind once this one is gone."""

        personal_fields: ClassVar[tuple[str, ...]] = ("value", "primary_after")

        kind: str
        value: str | None
        primary_after: str | None
        by: str
        removed_at: datetime

    def add_contact_point(self, point: ContactPoint, *, by: str, now: datetime) -> None:
        """Adds a contact point; one the patient has already (same kind and value) is a no-op."""
        self.check_changeable()
        if point.key not in {p.key for p in self.contact_points}:
            self._add_contact_point(
                kind=point.kind.value,
                value=point.value,
                source=point.source,
                primary=self.primary(point.kind) is None,
                by=by,
                added_at=now,
            )

    @event(ContactPointAdded)
    def _add_contact_point(
        self, kind: str, value: str | None, source: str, primary: bool, by: str, added_at: datetime
    ) -> None:
        if value is not None:  # None: read back after an erasure
            self.contact_points.append(ContactPoint(ContactKind(kind), value, source))

    def remove_contact_point(
        self, kind: ContactKind, value: str, *, by: str, now: datetime
    ) -> None:
        """Removes a contact point (normalised `value`); one the patient lacks is a no-op."""
        self.check_changeable()
        key = contact_key(kind, value)
        removed = [p for p in self.contact_points if p.key == key]
        if removed:
            rest = (p.value for p in self.contact_points if p.kind == kind and p.key != key)
            self._remove_contact_point(
                kind=kind.value,
                value=removed[0].value,
                primary_after=next(rest, None),
                by=by,
                removed_at=now,
            )

    @event(ContactPointRemoved)
    def _remove_contact_point(
        self, kind: str, value: str | None, primary_after: str | None, by: str, removed_at: datetime
    ) -> None:
        if value is not None:
            key = contact_key(ContactKind(kind), value)
            self.contact_points = [p for p in self.contact_points if p.key != key]

    # --- consents ----------------------------------------------------------------------------

    class ConsentGranted(Aggregate.Event):
        """`at`: when the patient gave it (an import may record an earlier form)."""

        personal_fields: ClassVar[tuple[str, ...]] = ("evidence",)

        channel: str
        purpose: str
        source: str
        evidence: str | None
        at: datetime
        by: str

    class ConsentWithdrawn(Aggregate.Event):
        personal_fields: ClassVar[tuple[str, ...]] = ("evidence",)

        channel: str
        purpose: str
        source: str
        evidence: str | None
        at: datetime
        by: str

    def grant_consent(self, consent: Consent, *, by: str, now: datetime) -> None:
        """Records a consent; the same consent again (source and evidence too) is a no-op."""
        self._check_consent(consent, granted=True, now=now)
        if not consent.same_as(self.consents.get(consent.key)):
            self._grant_consent(**_consent_fields(consent), by=by)

    def withdraw_consent(self, consent: Consent, *, by: str, now: datetime) -> None:
        """Records a withdrawal (also without an earlier grant: an explicit refusal); one
        already withdrawn is a no-op."""
        self._check_consent(consent, granted=False, now=now)
        current = self.consents.get(consent.key)
        if current is None or current.granted:
            self._withdraw_consent(**_consent_fields(consent), by=by)

    def has_consent(self, channel: Channel, purpose: Purpose) -> bool:
        consent = self.consents.get((channel, purpose))
        return consent is not None and consent.granted

    def _check_consent(self, consent: Consent, *, granted: bool, now: datetime) -> None:
        self.check_changeable()
        if consent.granted != granted:
            raise InvalidFieldError("granted", f"expected {granted}", "invalid")
        if consent.at > now:
            raise InvalidFieldError("at", "cannot be in the future", "in_future")

    @event(ConsentGranted)
    def _grant_consent(
        self, channel: str, purpose: str, source: str, evidence: str | None, at: datetime, by: str
    ) -> None:
        self._set_consent(Consent(Channel(channel), Purpose(purpose), True, source, at, evidence))

    @event(ConsentWithdrawn)
    def _withdraw_consent(
        self, channel: str, purpose: str, source: str, evidence: str | None, at: datetime, by: str
    ) -> None:
        self._set_consent(Consent(Channel(channel), Purpose(purpose), False, source, at, evidence))

    def _set_consent(self, consent: Consent) -> None:
        self.consents[consent.key] = consent

    # --- tags --------------------------------------------------------------------------------

    class Tagged(Aggregate.Event):
        tag: str
        by: str
        tagged_at: datetime

    class Untagged(Aggregate.Event):
        tag: str
        by: str
        untagged_at: datetime

    def add_tag(self, tag: str, *, by: str, now: datetime) -> None:
        """Adds a tag (normalised by `parse_tag`); a tag the patient has is a no-op."""
        self.check_changeable()
        if tag not in self.tags:
            self._tag(tag=tag, by=by, tagged_at=now)

    def remove_tag(self, tag: str, *, by: str, now: datetime) -> None:
        self.check_changeable()
        if tag in self.tags:
            self._untag(tag=tag, by=by, untagged_at=now)

    @event(Tagged)
    def _tag(self, tag: str, by: str, tagged_at: datetime) -> None:
        self.tags.add(tag)

    @event(Untagged)
    def _untag(self, tag: str, by: str, untagged_at: datetime) -> None:
        self.tags.discard(tag)

    # --- representative ----------------------------------------------------------------------

    class RepresentativeLinked(Aggregate.Event):
        """A parent or guardian (another patient) now receives this patient's messages."""

        representative_id: UUID
        by: str
        linked_at: datetime

    class RepresentativeUnlinked(Aggregate.Event):
        representative_id: UUID
        by: str
        unlinked_at: datetime

    def link_representative(self, representative_id: UUID, *, by: str, now: datetime) -> None:
        """Links (or replaces) the representative; the same one again is a no-op."""
        self.check_changeable()
        if representative_id == self.id:
            raise InvalidFieldError(
                "representative_id", "a patient cannot represent themself", "self_representative"
            )
        if representative_id != self.representative_id:
            self._link_representative(representative_id=representative_id, by=by, linked_at=now)

    def unlink_representative(self, *, by: str, now: datetime) -> None:
        self.check_changeable()
        if self.representative_id is not None:
            self._unlink_representative(
                representative_id=self.representative_id, by=by, unlinked_at=now
            )

    @event(RepresentativeLinked)
    def _link_representative(self, representative_id: UUID, by: str, linked_at: datetime) -> None:
        self.representative_id = representative_id

    @event(RepresentativeUnlinked)
    def _unlink_representative(
        self, representative_id: UUID, by: str, unlinked_at: datetime
    ) -> None:
        self.representative_id = None

    # --- source records ----------------------------------------------------------------------

    class SourceRecordLinked(Aggregate.Event):
        personal_fields: ClassVar[tuple[str, ...]] = ("external_id",)

        source: str
        external_id: str | None
        by: str
        linked_at: datetime

    def link_source_record(self, record: SourceRecord, *, by: str, now: datetime) -> None:
        """Links a record in another system; one linked already is a no-op."""
        self.check_changeable()
        if record not in self.source_records:
            self._link_source_record(
                source=record.source, external_id=record.external_id, by=by, linked_at=now
            )

    @event(SourceRecordLinked)
    def _link_source_record(
        self, source: str, external_id: str | None, by: str, linked_at: datetime
    ) -> None:
        if external_id is not None:
            self.source_records.append(SourceRecord(source, external_id))

    # --- archive and restore -----------------------------------------------------------------

    class Archived(Aggregate.Event):
        personal_fields: ClassVar[tuple[str, ...]] = ("comment",)

        comment: str | None
        by: str
        archived_at: datetime

    class Restored(Aggregate.Event):
        personal_fields: ClassVar[tuple[str, ...]] = ("comment",)

        comment: str | None
        by: str
        restored_at: datetime

    def archive(self, comment: str, *, by: str, now: datetime) -> None:
        """Archives the profile, saying why (required); an archived one stays as it is."""
        self.check_changeable()
        text = parse_comment(comment)
        if self.status != PatientStatus.ARCHIVED:
            self._archive(comment=text, by=by, archived_at=now)

    def restore(self, comment: str | None = None, *, by: str, now: datetime) -> None:
        """Makes an archived profile active again; an active one stays as it is."""
        self.check_changeable()
        text = None if comment is None or not comment.strip() else parse_comment(comment)
        if self.status == PatientStatus.ARCHIVED:
            self._restore(comment=text, by=by, restored_at=now)

    @event(Archived)
    def _archive(self, comment: str | None, by: str, archived_at: datetime) -> None:
        self.status = PatientStatus.ARCHIVED
        self.archive_comment = comment

    @event(Restored)
    def _restore(self, comment: str | None, by: str, restored_at: datetime) -> None:
        self.status = PatientStatus.ACTIVE
        self.archive_comment = None

    # --- merging (see merging.py for what a merge takes and an unmerge gives back) -----------

    class Absorbed(Aggregate.Event):
        """This profile (the survivor) took in another one's data; what it took is listed so an
        unmerge can give it back. `filled`: its empty fields that took the other's values.
        `phone`/`email`: its primary contacts afterwards (for read models)."""

        personal_fields: ClassVar[tuple[str, ...]] = (
            "filled", "contact_points", "source_records", "consents", "replaced_consents",
            "phone", "email",
        )  # fmt: skip

        absorbed_id: UUID
        rule: str
        score: float
        filled: dict[str, Any] | None
        contact_points: list[dict[str, str]] | None
        source_records: list[list[str]] | None
        tags: list[str]
        consents: list[dict[str, Any]] | None
        replaced_consents: list[dict[str, Any]] | None
        phone: str | None
        email: str | None
        by: str
        merged_at: datetime

    class MergedInto(Aggregate.Event):
        """This profile was the same person as `survivor_id`'s and lives on there."""

        survivor_id: UUID
        rule: str
        score: float
        status_before: str
        by: str
        merged_at: datetime

    class Released(Aggregate.Event):
        """An unmerge: the survivor gave back what it took from `absorbed_id` and still had."""

        personal_fields: ClassVar[tuple[str, ...]] = (
            "contact_points", "source_records", "restored_consents", "phone", "email",
        )  # fmt: skip

        absorbed_id: UUID
        cleared: list[str]
        contact_points: list[dict[str, str]] | None
        source_records: list[list[str]] | None
        tags: list[str]
        restored_consents: list[dict[str, Any]] | None
        removed_consents: list[list[str]]
        phone: str | None
        email: str | None
        by: str
        unmerged_at: datetime

    class Unmerged(Aggregate.Event):
        """This profile is its own again, with the status it had before the merge."""

        survivor_id: UUID
        status: str
        by: str
        unmerged_at: datetime

    def absorb(
        self, absorption: Absorption, *, rule: str, score: float, by: str, now: datetime
    ) -> None:
        self.check_changeable()
        taken = absorption.contact_points
        self._absorb(
            **absorption.event_fields(),
            phone=self.phone or _first(taken, ContactKind.PHONE),
            email=self.email or _first(taken, ContactKind.EMAIL),
            rule=rule,
            score=score,
            by=by,
            merged_at=now,
        )

    def merge_into(
        self, survivor_id: UUID, *, rule: str, score: float, by: str, now: datetime
    ) -> None:
        self.check_changeable()
        self._merge_into(
            survivor_id=survivor_id,
            rule=rule,
            score=score,
            status_before=self.status.value,
            by=by,
            merged_at=now,
        )

    def release(self, release: Release, *, by: str, now: datetime) -> None:
        self.check_changeable()
        gone = {p.key for p in release.contact_points}
        kept = [p for p in self.contact_points if p.key not in gone]
        self._release(
            **release.event_fields(),
            phone=_first(kept, ContactKind.PHONE),
            email=_first(kept, ContactKind.EMAIL),
            by=by,
            unmerged_at=now,
        )

    def unmerge(self, *, by: str, now: datetime) -> None:
        """Makes a merged profile its own again (the survivor releases it in the same write)."""
        if self.status != PatientStatus.MERGED or self.merged_into is None:
            raise PatientNotMergedError(self.id)
        status = self.status_before_merge or PatientStatus.ACTIVE
        self._unmerge(survivor_id=self.merged_into, status=status.value, by=by, unmerged_at=now)

    @event(Absorbed)
    def _absorb(
        self,
        absorbed_id: UUID,
        rule: str,
        score: float,
        filled: dict[str, Any] | None,
        contact_points: list[dict[str, str]] | None,
        source_records: list[list[str]] | None,
        tags: list[str],
        consents: list[dict[str, Any]] | None,
        replaced_consents: list[dict[str, Any]] | None,
        phone: str | None,
        email: str | None,
        by: str,
        merged_at: datetime,
    ) -> None:
        absorption = Absorption.of_event(
            absorbed_id, filled, contact_points, source_records, tags, consents, replaced_consents
        )
        for field, value in absorption.filled.items():
            setattr(self, field, value)
        self.contact_points += absorption.contact_points
        self.source_records += absorption.source_records
        self.tags |= set(absorption.tags)
        for consent in absorption.consents:
            self._set_consent(consent)
        self.absorptions[absorbed_id] = absorption

    @event(MergedInto)
    def _merge_into(
        self, survivor_id: UUID, rule: str, score: float, status_before: str, by: str,
        merged_at: datetime,
    ) -> None:  # fmt: skip
        self.status_before_merge = PatientStatus(status_before)
        self.status = PatientStatus.MERGED
        self.merged_into = survivor_id

    @event(Released)
    def _release(
        self,
        absorbed_id: UUID,
        cleared: list[str],
        contact_points: list[dict[str, str]] | None,
        source_records: list[list[str]] | None,
        tags: list[str],
        restored_consents: list[dict[str, Any]] | None,
        removed_consents: list[list[str]],
        phone: str | None,
        email: str | None,
        by: str,
        unmerged_at: datetime,
    ) -> None:
        for field in cleared:
            setattr(self, field, None)
        gone = {point_from_dict(p).key for p in contact_points or ()}
        self.contact_points = [p for p in self.contact_points if p.key not in gone]
        records = {SourceRecord(*r) for r in source_records or ()}
        self.source_records = [r for r in self.source_records if r not in records]
        self.tags -= set(tags)
        for channel, purpose in removed_consents:
            self.consents.pop((Channel(channel), Purpose(purpose)), None)
        for consent in restored_consents or ():
            self._set_consent(consent_from_dict(consent))
        self.absorptions.pop(absorbed_id, None)

    @event(Unmerged)
    def _unmerge(self, survivor_id: UUID, status: str, by: str, unmerged_at: datetime) -> None:
        self.status = PatientStatus(status)
        self.status_before_merge = None
        self.merged_into = None

    # --- erasure -----------------------------------------------------------------------------

    class Erased(Aggregate.Event):
        """Version 2 added who erased."""

        class_version = 2

        erased_at: datetime
        by: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["by"] = None

    @event(Erased)
    def erase(self, erased_at: datetime, by: str | None = None) -> None:
        """The right to erasure: personal data gone for good (its key is shredded). Leaves the
        profile as it loads from its events once their personal fields read back as None."""
        self.status = PatientStatus.ERASED
        for field in ("surname", "given_name", "patronymic", "birth_date", "address", "postcode"):
            setattr(self, field, None)
        self.contact_points = []
        self.source_records = []
        self.archive_comment = None
        self.absorptions = {i: Absorption(i) for i in self.absorptions}  # ids only: no data
        self.consents = {
            key: Consent(c.channel, c.purpose, c.granted, c.source, c.at, None)
            for key, c in self.consents.items()
        }


def _bare(consent: Consent) -> dict[str, Any]:
    """A consent as a registration records it in the clear: without its evidence."""
    bare = consent_to_dict(consent)
    del bare["evidence"]
    return bare


def _first(points: Iterable[ContactPoint], kind: ContactKind) -> str | None:
    return next((p.value for p in points if p.kind == kind), None)


def _consent_fields(consent: Consent) -> dict[str, Any]:
    return {
        "channel": consent.channel.value,
        "purpose": consent.purpose.value,
        "source": consent.source,
        "evidence": consent.evidence,
        "at": consent.at,
    }
