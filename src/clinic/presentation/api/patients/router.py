"""HTTP endpoints of the patients context."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Body, Depends, Path, Query, status
from fastapi.responses import StreamingResponse

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    GrantConsent,
    LinkRepresentative,
    LinkSourceRecord,
    RegisterPatient,
    RemoveContactPoint,
    WithdrawConsent,
)
from clinic.application.patients.dto import Changed, PatientSummary
from clinic.application.patients.list_filter import PatientSort
from clinic.application.shared.actor import Actor
from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.shared.access import Permission
from clinic.presentation.api.downloads import CSV_RESPONSE, csv_download, every_item
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.patients import schemas
from clinic.presentation.api.security import authorized

NO_NUL = schemas.NO_NUL
Reader = Annotated[Actor, authorized(Permission.PATIENTS_READ)]
Writer = Annotated[Actor, authorized(Permission.PATIENTS_WRITE)]
Filter = Annotated[schemas.PatientFilter, Query()]
router = APIRouter(prefix="/patients", tags=["patients"])
EXPORT_HEADER = tuple(column.name for column in fields(PatientSummary))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Patient,
    responses=problem_responses(401, 403, 422, 503),
)
@inject
def register_patient(
    body: schemas.PatientCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Register a patient; the response is read back from the patient list (read-your-writes)."""
    registered = service.register_patient(RegisterPatient(**body.model_dump()), by=actor)
    return schemas.Patient.of(queries.get_patient(registered.patient_id, after=registered.position))


@router.get("", response_model=schemas.PatientPage, responses=problem_responses(401, 403, 422))
@inject
def search_patients(
    actor: Reader,
    selection: Filter,
    sort: Annotated[
        PatientSort, Query(description="`-` first: newest or youngest first; no birth date last")
    ] = PatientSort.NAME,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=1000, description="A page's next_cursor, of the same sort")
    ] = None,
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.PatientPage:
    """Search patients by name prefix, phone (any form) or e-mail, filtered and sorted, a page
    at a time."""
    query, filters = selection.criteria()
    page = queries.search_patients(query, filters=filters, sort=sort, limit=limit, cursor=cursor)
    return schemas.PatientPage(
        items=[schemas.Patient.of(p) for p in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/count", response_model=schemas.PatientCount, responses=problem_responses(401, 403, 422)
)
@inject
def count_patients(
    actor: Reader, selection: Filter, queries: Any = Depends(Provide["patients.queries"])
) -> schemas.PatientCount:
    """How many patients a search with these filters finds: the count to confirm before a
    bulk change of everyone matching."""
    query, filters = selection.criteria()
    return schemas.PatientCount(count=queries.count_patients(query, filters))


@router.get(
    "/by-source/{source}/{external_id:path}",
    response_model=schemas.Patient,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def get_patient_by_source(
    source: Annotated[str, Path(min_length=1, max_length=50)],
    external_id: Annotated[str, Path(min_length=1, max_length=100)],
    actor: Reader,
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """The current profile of the patient with this record in another system (a merged one's
    survivor); every view is recorded in the audit trail."""
    return schemas.Patient.of(queries.view_patient_by_source(source, external_id, actor))


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSE | problem_responses(401, 403, 422),
)
@inject
def export_patients(
    actor: Annotated[Actor, authorized(Permission.PATIENTS_EXPORT)],
    queries: Any = Depends(Provide["patients.queries"]),
    audit: Any = Depends(Provide["audit.service"]),
) -> StreamingResponse:
    """The patient list with personal data as CSV (UTF-8 with BOM, `;`-separated); audited."""
    audit.record(actor, "patients.exported", details={"rows": queries.count_patients()})
    patients = every_item(lambda cursor: queries.search_patients("", limit=200, cursor=cursor))
    return csv_download("patients.csv", EXPORT_HEADER, (_export_row(p) for p in patients))


def _export_row(patient: PatientSummary) -> tuple[object, ...]:
    return tuple(getattr(patient, column) for column in EXPORT_HEADER)


@router.get(
    "/{patient_id}",
    response_model=schemas.Patient,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def get_patient(
    patient_id: UUID, actor: Reader, queries: Any = Depends(Provide["patients.queries"])
) -> schemas.Patient:
    """One patient's profile; every view is recorded in the audit trail."""
    return schemas.Patient.of(queries.view_patient(patient_id, actor))


@router.delete(
    "/{patient_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def erase_patient(
    patient_id: UUID,
    actor: Annotated[Actor, authorized(Permission.PATIENTS_ERASE)],
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Erase a patient (the right to erasure): their key is shredded, so their personal data is
    unreadable in every past event, and the read models drop it. Repeating it is harmless."""
    service.erase_patient(patient_id, by=actor)


# --- changes to many patients: all or nothing (declared before /{patient_id}/… paths) --------

BULK: dict[str, Any] = {
    "response_model": schemas.BulkChange,
    "responses": problem_responses(401, 403, 404, 409, 422, 503),
}


@router.post("/bulk/archive", **BULK)
@inject
def archive_patients(
    body: schemas.BulkArchival,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.BulkChange:
    """Archive every patient listed, or everyone a filter selects if as many as confirmed still
    match (409 otherwise), saying why; 409 naming the refused ids changes nobody."""
    return _bulk(
        service.archive_patients(_selected(body, queries), body.comment, by=actor), queries
    )


@router.post("/bulk/restore", **BULK)
@inject
def restore_patients(
    body: schemas.BulkRestoration,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.BulkChange:
    """Make every archived patient listed (or everyone a filter selects, if as many as confirmed
    still match) active again, or nobody (409 naming who stopped it)."""
    return _bulk(
        service.restore_patients(_selected(body, queries), body.comment, by=actor), queries
    )


@router.post("/bulk/tag", **BULK)
@inject
def tag_patients(
    body: schemas.BulkTagging,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.BulkChange:
    """Tag every patient listed, or nobody (409 naming who stopped it)."""
    return _bulk(service.tag_patients(body.ids, body.tag, by=actor), queries)


@router.post("/bulk/untag", **BULK)
@inject
def untag_patients(
    body: schemas.BulkTagging,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.BulkChange:
    """Remove a tag from every patient listed, or from nobody (409 naming who stopped it)."""
    return _bulk(service.untag_patients(body.ids, body.tag, by=actor), queries)


@router.post("/bulk/consents", **BULK)
@inject
def set_consents(
    body: schemas.BulkConsentUpdate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.BulkChange:
    """Record one consent (granted or withdrawn) for every patient listed, or for nobody."""
    command = _consent(body, body.ids[0], body.channel, body.purpose)
    change = service.grant_consents if body.granted else service.withdraw_consents
    return _bulk(change(body.ids, command, by=actor), queries)


def _selected(body: schemas.BulkSelection, queries: Any) -> list[UUID]:
    """The ids listed, or those of everyone the filter selects (as many as confirmed)."""
    if body.filter is None:
        return body.ids or []
    query, filters = body.filter.criteria()
    selected: list[UUID] = queries.select_patients(
        query, filters, expected_count=body.expected_count
    )
    return selected


def _bulk(changed: Changed, queries: Any) -> schemas.BulkChange:
    """The count, once the patient list shows the change (read-your-writes, as everywhere)."""
    if changed.position is not None:
        queries.wait_for(changed.position)
    return schemas.BulkChange(changed=changed.count)


# --- changes to one patient ------------------------------------------------------------------

READ_BACK: dict[str, Any] = {
    "response_model": schemas.Patient,
    "responses": problem_responses(401, 403, 404, 409, 422, 503),
}
NO_CONTENT: dict[str, Any] = {
    "status_code": status.HTTP_204_NO_CONTENT,
    "responses": problem_responses(401, 403, 404, 409, 422),
}


@router.patch("/{patient_id}", **READ_BACK)
@inject
def correct_personal_data(
    patient_id: UUID,
    body: schemas.PatientUpdate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Correct personal data: only the fields sent change, `null` clears an optional one."""
    changes = body.model_dump(exclude_unset=True)
    position = service.correct_personal_data(CorrectPersonalData(patient_id, changes), by=actor)
    return _read_back(queries, patient_id, position)


@router.post("/{patient_id}/contact-points", **READ_BACK)
@inject
def add_contact_point(
    patient_id: UUID,
    body: schemas.ContactPointCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Add a phone, e-mail, Telegram chat or WhatsApp number; one the patient has is a no-op."""
    command = AddContactPoint(patient_id, body.kind, body.value, body.source)
    return _read_back(queries, patient_id, service.add_contact_point(command, by=actor))


@router.post("/{patient_id}/contact-points/remove", **READ_BACK)
@inject
def remove_contact_point(
    patient_id: UUID,
    body: schemas.ContactPointRemoval,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Remove a contact point (a POST: the value is personal data, kept out of the URL)."""
    command = RemoveContactPoint(patient_id, body.kind, body.value)
    return _read_back(queries, patient_id, service.remove_contact_point(command, by=actor))


@router.put("/{patient_id}/consents/{channel}/{purpose}", **NO_CONTENT)
@inject
def set_consent(
    patient_id: UUID,
    channel: Channel,
    purpose: Purpose,
    body: schemas.ConsentUpdate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Record the patient's consent on a channel for a purpose, granted or withdrawn."""
    command = _consent(body, patient_id, channel, purpose)
    if body.granted:
        service.grant_consent(command, by=actor)
    else:
        service.withdraw_consent(command, by=actor)


@router.post("/{patient_id}/tags", **NO_CONTENT)
@inject
def tag_patient(
    patient_id: UUID,
    body: schemas.TagCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Tag the patient (trimmed, case-folded); a tag they have is a no-op."""
    service.tag_patient(patient_id, body.tag, by=actor)


@router.post("/{patient_id}/tags/remove", **NO_CONTENT)
@inject
def untag_patient(
    patient_id: UUID,
    body: schemas.TagCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Remove a tag (a POST: tags may say something about health, kept out of the URL)."""
    service.untag_patient(patient_id, body.tag, by=actor)


@router.put("/{patient_id}/representative", **NO_CONTENT)
@inject
def link_representative(
    patient_id: UUID,
    body: schemas.Representative,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Link a parent or guardian (another patient who can be reached), replacing any other."""
    command = LinkRepresentative(patient_id, body.representative_id)
    service.link_representative(command, by=actor)


@router.delete("/{patient_id}/representative", **NO_CONTENT)
@inject
def unlink_representative(
    patient_id: UUID, actor: Writer, service: Any = Depends(Provide["patients.service"])
) -> None:
    """Unlink the patient's representative; none linked is a no-op."""
    service.unlink_representative(patient_id, by=actor)


@router.post("/{patient_id}/source-records", **NO_CONTENT)
@inject
def link_source_record(
    patient_id: UUID,
    body: schemas.SourceRecordCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Link the patient's record in another system (its name and id there)."""
    command = LinkSourceRecord(patient_id, body.source, body.external_id)
    service.link_source_record(command, by=actor)


@router.post("/{patient_id}/archive", **READ_BACK)
@inject
def archive_patient(
    patient_id: UUID,
    body: schemas.Archival,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Archive the patient, saying why; an archived one stays as it is."""
    position = service.archive_patient(patient_id, body.comment, by=actor)
    return _read_back(queries, patient_id, position)


@router.post("/{patient_id}/restore", **READ_BACK)
@inject
def restore_patient(
    patient_id: UUID,
    actor: Writer,
    body: Annotated[schemas.Restoration | None, Body()] = None,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Make an archived patient active again; an active one stays as it is."""
    comment = body.comment if body else None
    position = service.restore_patient(patient_id, comment, by=actor)
    return _read_back(queries, patient_id, position)


def _read_back(queries: Any, patient_id: UUID, position: int | None) -> schemas.Patient:
    """The patient as the list shows them once it has applied `position` (None: unchanged)."""
    return schemas.Patient.of(queries.get_patient(patient_id, after=position))


def _consent(
    body: schemas.ConsentUpdate, patient_id: UUID, channel: Channel, purpose: Purpose
) -> GrantConsent | WithdrawConsent:
    kind = GrantConsent if body.granted else WithdrawConsent
    return kind(patient_id, channel, purpose, body.source, body.evidence, body.at)
