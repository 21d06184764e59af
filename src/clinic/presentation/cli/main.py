"""The `clinic` command: serve, worker, projections, db, demo, patients, audit."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from clinic.application.audit.dto import AuditRecord
from clinic.application.identity.service import IdentityService
from clinic.application.patients.dto import PatientSummary
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import build_container, close_container

app = typer.Typer(
    help="Clinic CDP: customer data platform for private medical clinics.", no_args_is_help=True
)
db_app = typer.Typer(help="Read-model database.", no_args_is_help=True)
patients_app = typer.Typer(help="Patients: register and search.", no_args_is_help=True)
projections_app = typer.Typer(
    help="Projections: run, catch up, rebuild.", invoke_without_command=True
)
app.add_typer(db_app, name="db")
users_app = typer.Typer(help="Users who sign in, and their roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")
keys_app = typer.Typer(help="Keys of personal data.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
webhooks_app = typer.Typer(help="Signed webhooks.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(patients_app, name="patients")
app.add_typer(projections_app, name="projections")
audit_app = typer.Typer(help="Audit trail: who did what, and when.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _add_import_commands() -> None:
    from clinic.presentation.cli.imports import import_app

    app.add_typer(import_app, name="import")


def _settings() -> Settings:
    from clinic.infrastructure.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Default: CLINIC_HOST")] = None,
    port: Annotated[Optional[int], typer.Option(help="Default: CLINIC_PORT")] = None,
) -> None:
    """Serve the API and UI with projections (and a worker, unless CLINIC_EMBEDDED_WORKER=0)."""
    import uvicorn

    from clinic.infrastructure.migrate import upgrade
    from clinic.presentation.bootstrap.asgi import create_app

    settings = _settings()
    upgrade(settings)
    uvicorn.run(
        create_app(build_container(settings), with_worker=settings.embedded_worker),
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        timeout_graceful_shutdown=5,
    )


@app.command()
def worker(concurrency: Annotated[int, typer.Option(min=1)] = 2) -> None:
    """Run a Celery worker (background jobs) for this installation."""
    from clinic.presentation.worker.main import run_worker

    settings = _settings()
    run_worker(concurrency=concurrency, loglevel=settings.log_level)


@projections_app.callback()
def projections(ctx: typer.Context) -> None:
    """Without a subcommand: follow new events and keep every read model current until stopped."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings()
    container = build_container(settings)
    host = container.projections()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    host.start()
    typer.echo(f"following: {', '.join(sorted(host.runners))}")
    stop.wait()
    close_container(container)


@projections_app.command("catch-up")
def projections_catch_up() -> None:
    """Apply every recorded event not yet in the read models, then exit."""
    container = build_container(_settings())
    try:
        typer.echo(json.dumps({"applied": container.projections().catch_up()}))
    finally:
        close_container(container)


@projections_app.command("rebuild")
def projections_rebuild(name: str) -> None:
    """Empty one read model and replay every event into it."""
    container = build_container(_settings())
    try:
        typer.echo(
            json.dumps({"projection": name, "applied": container.projections().rebuild(name)})
        )
    finally:
        close_container(container)


@keys_app.command("rotate")
def keys_rotate(
    previous_secret: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            help="The previous CLINIC_MASTER_KEY (or CLINIC_SECRET_KEY if none was set)",
        ),
    ],
) -> None:
    """Re-wrap every patient key with the current master key (run after changing it)."""
    from clinic.infrastructure.personal_data_vault import master_key_from

    container = build_container(_settings())
    try:
        rewrapped = container.core.vault().rewrap(master_key_from(previous_secret))
        typer.echo(json.dumps({"rewrapped": rewrapped}))
    finally:
        close_container(container)


@webhooks_app.command("secret")
def webhooks_secret(provider: Annotated[str, typer.Argument(help="e.g. sms")]) -> None:
    """Print the secret a provider signs its webhooks with (configured or derived)."""
    from clinic.infrastructure.webhooks import webhook_keyring

    typer.echo(webhook_keyring(_settings()).secrets(provider)[0])


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="admin, marketer, analyst or call_centre")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Add a user who can sign in with a role."""
    _identity_command(lambda identity: identity.add_user(username, password, role), "added")


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Option()]) -> None:
    """Stop a user from signing in (their history stays)."""
    _identity_command(lambda identity: identity.disable_user(username), "disabled")


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Option()]) -> None:
    """Let a disabled user sign in again."""
    _identity_command(lambda identity: identity.enable_user(username), "enabled")


@users_app.command("grant")
def users_grant(
    username: Annotated[str, typer.Option()],
    permission: Annotated[str, typer.Option(help="patients:export or analytics:export")],
) -> None:
    """Give a user a permission beyond their role (e.g. bulk export of personal data)."""
    _identity_command(lambda identity: identity.grant_permission(username, permission), "granted")


@users_app.command("revoke")
def users_revoke(
    username: Annotated[str, typer.Option()],
    permission: Annotated[str, typer.Option(help="patients:export or analytics:export")],
) -> None:
    """Take back a permission granted with `clinic users grant`."""
    _identity_command(lambda identity: identity.revoke_permission(username, permission), "revoked")


@users_app.command("reset-password")
def users_reset_password(
    username: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set a new password for a user."""
    _identity_command(lambda identity: identity.reset_password(username, password), "reset")


def _identity_command(action: Callable[[IdentityService], object], done: str) -> None:
    from clinic.domain.identity.errors import UnknownUserError, UsernameTakenError
    from clinic.domain.shared.errors import InvalidFieldError

    container = build_container(_settings())
    try:
        action(container.identity.service())
    except InvalidFieldError as error:
        typer.echo(f"{error.field}: {error.message}", err=True)
        raise typer.Exit(2) from None
    except (UnknownUserError, UsernameTakenError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    finally:
        close_container(container)
    typer.echo(done)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Create or migrate the read-model tables (Alembic)."""
    from clinic.infrastructure.migrate import upgrade

    upgrade(_settings(), revision)
    typer.echo(f"read-model database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Migrate the read-model tables down to REVISION (`base` drops them)."""
    from clinic.infrastructure.migrate import downgrade

    downgrade(_settings(), revision)
    typer.echo(f"read-model database at {revision}")


@app.command()
def demo(
    patients: Annotated[int, typer.Option(min=0, help="How many demo patients to register")] = 5000,
    if_empty: Annotated[bool, typer.Option(help="Do nothing when patients already exist")] = False,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same people")
    ] = 2026,
    users: Annotated[
        bool, typer.Option(help="Add a demo user per role and print their credentials")
    ] = True,
    credentials_file: Annotated[
        Path, typer.Option(help="Where the demo users' generated passwords are kept (0600)")
    ] = Path("var/demo-users.txt"),
) -> None:
    """Load realistic demo data through the same commands real users use."""
    from clinic.infrastructure.demo.generator import demo_registrations
    from clinic.infrastructure.migrate import upgrade

    settings = _settings()
    upgrade(settings)
    container = build_container(settings)
    try:
        service = container.patients.service()
        if if_empty and (service.recorder.max_notification_id() or 0) > 0:
            typer.echo("demo data: the database already has patients; none loaded")
        else:
            registered = 0
            for batch in demo_registrations(patients, seed=seed, batch_size=1000):
                registered += len(service.register_patients(batch))
            container.projections().catch_up()
            typer.echo(f"demo data: registered {registered} patients")
        if users:
            _print_demo_users(container.identity.service(), credentials_file)
    finally:
        close_container(container)


def _print_demo_users(identity: IdentityService, credentials_file: Path) -> None:
    from clinic.presentation.cli.demo_users import ensure_demo_users

    typer.echo("demo users (sign in at http://127.0.0.1:8000/login):")
    for username, role, password in ensure_demo_users(identity, credentials_file):
        typer.echo(f"  {role:<12} {username:<18} {password}")


@patients_app.command("register")
def patients_register(
    surname: Annotated[str, typer.Option()],
    given_name: Annotated[str, typer.Option()],
    patronymic: Annotated[Optional[str], typer.Option()] = None,
    sex: Annotated[Optional[str], typer.Option(help="F or M")] = None,
    birth_date: Annotated[Optional[str], typer.Option(help="DD.MM.YYYY or YYYY-MM-DD")] = None,
    phone: Annotated[Optional[str], typer.Option()] = None,
    email: Annotated[Optional[str], typer.Option()] = None,
) -> None:
    """Register one patient; prints the patient as JSON, or the invalid fields (exit code 2)."""
    from clinic.application.patients.commands import RegisterPatient
    from clinic.domain.shared.errors import InvalidInputError

    container = build_container(_settings())
    try:
        command = RegisterPatient(surname, given_name, patronymic, sex, birth_date, phone, email)
        try:
            registered = container.patients.service().register_patient(command)
        except InvalidInputError as error:
            for field, message in error.errors.items():
                typer.echo(f"{field}: {message}", err=True)
            raise typer.Exit(2) from None
        container.projections().catch_up()
        patient = container.patients.queries().get_patient(registered.patient_id)
        typer.echo(json.dumps(_patient_json(patient), ensure_ascii=False))
    finally:
        close_container(container)


@patients_app.command("erase")
def patients_erase(
    patient_id: Annotated[str, typer.Argument(help="The patient's id")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone")] = False,
) -> None:
    """Erase a patient's personal data for good (right to erasure; crypto-shredding)."""
    from uuid import UUID

    from clinic.application.shared.errors import NotFoundError

    if not yes:
        typer.echo("erasure cannot be undone: repeat with --yes", err=True)
        raise typer.Exit(2)
    container = build_container(_settings())
    try:
        try:
            position = container.patients.service().erase_patient(UUID(patient_id))
        except (ValueError, NotFoundError):
            typer.echo(f"no patient {patient_id}", err=True)
            raise typer.Exit(1) from None
        container.projections().catch_up()
        state = "erased" if position is not None else "already erased"
        typer.echo(json.dumps({"id": patient_id, "status": state}))
    finally:
        close_container(container)


@patients_app.command("search")
def patients_search(
    query: Annotated[str, typer.Argument(help="Name prefix, phone or e-mail")] = "",
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
) -> None:
    """Search the patient list; prints one JSON object per line."""
    container = build_container(_settings())
    try:
        for patient in container.patients.queries().search_patients(query, limit=limit).items:
            typer.echo(json.dumps(_patient_json(patient), ensure_ascii=False))
    finally:
        close_container(container)


def _patient_json(patient: PatientSummary) -> dict[str, object]:
    return {
        "id": str(patient.id),
        "full_name": patient.full_name,
        "sex": patient.sex,
        "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
        "phone": patient.phone,
        "email": patient.email,
        "status": patient.status,
    }


@audit_app.command("list")
def audit_list(
    actor: Annotated[Optional[str], typer.Option(help="Who acted: a username")] = None,
    action: Annotated[Optional[str], typer.Option(help="What was done, e.g. user.added")] = None,
    subject_type: Annotated[Optional[str], typer.Option(help="e.g. user, patient")] = None,
    subject_id: Annotated[Optional[str], typer.Option(help="The subject's id or username")] = None,
    since: Annotated[Optional[datetime], typer.Option(help="From this ISO moment (UTC)")] = None,
    until: Annotated[Optional[datetime], typer.Option(help="Before this ISO moment (UTC)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """Show audit entries, newest first (after applying every recorded event)."""
    container = build_container(_settings())
    try:
        container.projections().catch_up()
        page = container.audit.queries().search(
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            since=since,
            until=until,
            limit=limit,
        )
        for record in page.items:
            typer.echo(_audit_json(record) if as_json else _audit_line(record))
    finally:
        close_container(container)


def _audit_json(record: AuditRecord) -> str:
    return json.dumps(
        {
            "id": str(record.id),
            "at": record.at.isoformat(),
            "actor": record.actor,
            "role": record.role,
            "action": record.action,
            "subject_type": record.subject_type,
            "subject_id": record.subject_id,
            "details": record.details,
        },
        ensure_ascii=False,
    )


def _audit_line(record: AuditRecord) -> str:
    subject = f"{record.subject_type}:{record.subject_id}" if record.subject_type else "-"
    details = " ".join(f"{key}={value}" for key, value in record.details.items())
    moment = record.at.strftime("%Y-%m-%d %H:%M:%S")
    return f"{moment}  {record.actor}  {record.action}  {subject}  {details}".rstrip()


_add_import_commands()

if __name__ == "__main__":
    app()
