"""Settings from the environment (prefix CLINIC_); one URL moves a whole installation."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/clinic.db"
COLUMNAR_RECORDER = "clinic.infrastructure.eventstore:ColumnarPostgresRecorder"


class Settings(BaseSettings):
    """Every setting is documented in the README, section "Configuration"."""

    model_config = SettingsConfigDict(env_prefix="CLINIC_", env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="Read models and event stores: a sqlite:/// file or a postgresql:// URL.",
    )
    broker_url: str | None = Field(
        None, description="Celery broker; default: an embedded SQLite broker beside the database."
    )
    secret_key: SecretStr = Field(
        SecretStr("insecure-development-key-change-me"),
        description="Signs tokens and cookies; set a long random value in production.",
    )
    master_key: SecretStr | None = Field(
        None,
        description="Wraps the per-patient keys of personal data; default: derived from the "
        "secret key. Changing it makes existing personal data unreadable (see key rotation).",
    )
    cookie_secure: bool = Field(
        False,
        description="Mark the session cookie Secure (sent over HTTPS only): turn on behind TLS.",
    )
    webhook_secrets: dict[str, list[SecretStr]] = Field(
        default_factory=dict,
        description="Webhook secrets as JSON, provider → secret or [current, previous]; a "
        "provider not listed gets a secret derived from the secret key.",
    )
    key_cache_seconds: float = Field(
        30.0, ge=0, description="How long a process keeps a patient's key in memory."
    )
    max_upload_bytes: int = Field(
        256 * 1024 * 1024, ge=1024, description="Largest import file the API accepts (413 above)."
    )
    imports_dir: Path | None = Field(
        None,
        description="Uploaded import files wait here for a worker: with several hosts, a "
        "directory every worker reads (a shared volume). Default: `imports/` beside the "
        "SQLite database, or `var/imports`.",
    )
    import_file_retention_hours: float = Field(
        24.0,
        gt=0,
        description="Hours an uploaded import file may wait for its run or a dry run's "
        "confirmation before it is deleted (it holds personal data).",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, description="Largest JSON request body the API accepts (413 above)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    embedded_worker: bool = Field(True, description="`clinic serve` starts a Celery worker.")
    embedded_projections: bool = Field(True, description="`clinic serve` runs the projections.")
    projection_batch_size: int = Field(1000, ge=1, le=100_000)
    projection_poll_interval: float = Field(
        0.05, gt=0, description="Seconds between polls for new events when none arrive by signal."
    )
    postgres_pool_size: int = Field(3, ge=1, description="Connections per event store pool.")
    require_services: bool = Field(
        False, description="Tests: a missing PostgreSQL or Redis fails instead of skipping."
    )

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("use sqlite:///PATH or postgresql://USER@HOST:PORT/DB")
        return url

    @field_validator("webhook_secrets", mode="before")
    @classmethod
    def _one_or_more_secrets(cls, secrets: object) -> object:
        if isinstance(secrets, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in secrets.items()}
        return secrets

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:///")

    @property
    def sqlite_path(self) -> Path:
        """The read-model database file; other embedded files live beside it."""
        return Path(self.database_url.removeprefix("sqlite:///"))

    def sibling_file(self, suffix: str) -> Path:
        """`var/clinic.db` + `patients.events` → `var/clinic.patients.events.db`."""
        path = self.sqlite_path
        return path.with_name(f"{path.stem}.{suffix}{path.suffix or '.db'}")

    @property
    def sqlalchemy_url(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.sqlite_path}"
        return "postgresql+psycopg://" + self.database_url.split("://", 1)[1]

    @property
    def celery_broker_url(self) -> str:
        if self.broker_url:
            return self.broker_url
        if self.is_sqlite:
            return f"sqla+sqlite:///{self.sibling_file('broker')}"
        return f"sqla+{self.sqlalchemy_url}"

    def event_store_env(self, application: str) -> dict[str, str]:
        """The eventsourcing library's environment for one context's Application."""
        if self.is_sqlite:
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sibling_file(f"{application}.events")),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        parts = urlsplit(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": COLUMNAR_RECORDER,
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_pool_size),
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_CONNECT_TIMEOUT": "10",
        }

    @property
    def imports_path(self) -> Path:
        if self.imports_dir is not None:
            return self.imports_dir
        return self.sqlite_path.parent / "imports" if self.is_sqlite else Path("var/imports")

    @property
    def import_file_retention(self) -> timedelta:
        return timedelta(hours=self.import_file_retention_hours)

    def ensure_directories(self) -> None:
        if self.is_sqlite:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)


def signing_secret(settings: Settings) -> bytes:
    """The key sessions, API tokens, form tokens and signed links are derived from."""
    secret = settings.secret_key.get_secret_value().encode()
    return hashlib.sha256(b"clinic-cdp/signing/v1\0" + secret).digest()
