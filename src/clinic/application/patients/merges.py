"""Merging profiles of one person, splitting them back, and deciding match suggestions.

Each command saves every aggregate it changes in one write: a merge changes both profiles (and
accepts its suggestion), an unmerge changes both and remembers the pair as two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.eventsourced import last_position
from clinic.domain.patients.errors import PatientNotMergedError
from clinic.domain.patients.matching.decisions import MatchDecision
from clinic.domain.patients.merging import MANUAL_RULE, choose_survivor, merge, unmerge
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.suggestions import MatchSuggestion, SuggestionStatus, suggestion_id
from clinic.domain.shared.access import Permission


@dataclass(frozen=True, slots=True)
class Merge:
    """What a merge did: which profile lives on, which was merged into it, and the position of
    its last event (to wait for the read models)."""

    survivor_id: UUID
    absorbed_id: UUID
    position: int | None


class PatientMerges:
    """Merge, unmerge and match-suggestion commands of the patients context."""

    def __init__(self, patients: PatientsService, audit: AuditTrail | None = None) -> None:
        self._patients = patients
        self._audit = audit

    def merge_patients(
        self,
        a: UUID,
        b: UUID,
        by: Actor | None = None,
        *,
        rule: str = MANUAL_RULE,
        score: float = 0.0,
    ) -> Merge:
        """Merges two profiles of one person; the one registered first survives."""
        actor = _acting(by)
        survivor, absorbed = choose_survivor(self._patient(a), self._patient(b))
        now = self._patients.clock.now()
        merge(survivor, absorbed, rule=rule, score=score, by=actor.username, now=now)
        changed: list[Patient | MatchSuggestion] = [survivor, absorbed]
        suggestion = self._suggestion_of(survivor.id, absorbed.id)
        if suggestion is not None and suggestion.status == SuggestionStatus.OPEN:
            suggestion.accept(by=actor.username, now=now)
            changed.append(suggestion)
        position = last_position(self._patients.save(*changed))
        self._record(actor, "patient.merged", absorbed.id, {"into": str(survivor.id)})
        return Merge(survivor.id, absorbed.id, position)

    def unmerge_patient(self, absorbed_id: UUID, by: Actor | None = None) -> Merge:
        """Splits a merged profile back out of its survivor; the pair is then remembered as two
        people, so identity resolution never merges or suggests them again."""
        actor = _acting(by)
        absorbed = self._patient(absorbed_id)
        if absorbed.merged_into is None:
            raise PatientNotMergedError(absorbed_id)
        survivor = self._patient(absorbed.merged_into)
        now = self._patients.clock.now()
        unmerge(survivor, absorbed, by=actor.username, now=now)
        suggestion = self._suggestion_of(survivor.id, absorbed.id)
        if suggestion is None:
            suggestion = MatchSuggestion.rejection(
                survivor.id, absorbed.id, by=actor.username, now=now
            )
        else:
            suggestion.reject(by=actor.username, now=now)
        position = last_position(self._patients.save(survivor, absorbed, suggestion))
        self._record(actor, "patient.unmerged", absorbed.id, {"from": str(survivor.id)})
        return Merge(survivor.id, absorbed.id, position)

    def suggest(self, decision: MatchDecision, by: Actor | None = None) -> int | None:
        """Records a possible match between two profiles (ids as text in `record_ids`) unless
        the pair was suggested before (open, accepted or rejected: decided once)."""
        actor = _acting(by)
        a, b = (UUID(i) for i in decision.record_ids)
        if self._suggestion_of(a, b) is not None:
            return None
        suggestion = MatchSuggestion.suggest(
            a,
            b,
            rule=decision.rule,
            score=decision.score,
            agreements=[[g.field, g.level, g.weight] for g in decision.agreements],
            by=actor.username,
            now=self._patients.clock.now(),
        )
        return last_position(self._patients.save(suggestion))

    def accept_suggestion(self, suggestion_id_: UUID, by: Actor | None = None) -> Merge:
        """Merges the suggested pair (the suggestion is accepted in the same write)."""
        suggestion = self._open_suggestion(suggestion_id_)
        a, b = suggestion.patient_ids
        return self.merge_patients(a, b, by, rule=MANUAL_RULE, score=suggestion.score)

    def reject_suggestion(self, suggestion_id_: UUID, by: Actor | None = None) -> int | None:
        """Remembers the pair as two people."""
        actor = _acting(by)
        suggestion = self._open_suggestion(suggestion_id_)
        suggestion.reject(by=actor.username, now=self._patients.clock.now())
        position = last_position(self._patients.save(suggestion))
        self._record(actor, "match.rejected", suggestion.patient_ids[0], {})
        return position

    def is_rejected(self, a: UUID, b: UUID) -> bool:
        suggestion = self._suggestion_of(a, b)
        return suggestion is not None and suggestion.status == SuggestionStatus.REJECTED

    def _open_suggestion(self, suggestion_id_: UUID) -> MatchSuggestion:
        try:
            suggestion: object = self._patients.repository.get(suggestion_id_)
        except AggregateNotFoundError:
            raise NotFoundError("match suggestion", suggestion_id_) from None
        if not isinstance(suggestion, MatchSuggestion):
            raise NotFoundError("match suggestion", suggestion_id_)
        suggestion.check_open()
        return suggestion

    def _suggestion_of(self, a: UUID, b: UUID) -> MatchSuggestion | None:
        try:
            suggestion: object = self._patients.repository.get(suggestion_id(a, b))
        except AggregateNotFoundError:
            return None
        return suggestion if isinstance(suggestion, MatchSuggestion) else None

    def _patient(self, patient_id: UUID) -> Patient:
        try:
            patient = self._patients.get_patient(patient_id)
        except AggregateNotFoundError:
            raise NotFoundError("patient", patient_id) from None
        if not isinstance(patient, Patient):
            raise NotFoundError("patient", patient_id)
        return patient

    def _record(self, actor: Actor, action: str, subject: UUID, details: dict[str, str]) -> None:
        if self._audit is not None:
            self._audit.record(actor, action, "patient", str(subject), details)


def _acting(by: Actor | None) -> Actor:
    actor = by or Actor.operator()
    actor.demand(Permission.PATIENTS_MERGE)
    return actor
