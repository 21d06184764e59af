"""Uploaded import files, kept on disk until their import has run.

With several hosts, `CLINIC_IMPORTS_DIR` must be a directory every worker can read (a shared
volume). Files are written owner-only: they hold personal data, so none outlives its use: a
real import's file goes once it has run, and `expire` removes what was kept too long (a dry
run's file nobody confirmed, a job that never ran).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from uuid import UUID

from celery import Celery

CHUNK_BYTES = 1024 * 1024
SUFFIX = ".upload"


class DirectoryImportStore:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def put(self, import_id: UUID, file: IO[bytes]) -> str:
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        path = self._path(import_id)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stored:
            while chunk := file.read(CHUNK_BYTES):
                digest.update(chunk)
                stored.write(chunk)
        return digest.hexdigest()

    def open(self, import_id: UUID) -> IO[bytes]:
        return self._path(import_id).open("rb")

    def copy(self, from_id: UUID, to_id: UUID) -> None:
        shutil.copyfile(self._path(from_id), self._path(to_id))
        self._path(to_id).chmod(0o600)

    def remove(self, import_id: UUID) -> None:
        self._path(import_id).unlink(missing_ok=True)

    def expire(self, before: datetime) -> int:
        if not self._directory.is_dir():
            return 0
        removed = 0
        for path in self._directory.glob(f"*{SUFFIX}"):
            try:
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                if written < before:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # another process removed it first
        return removed

    def _path(self, import_id: UUID) -> Path:
        return self._directory / f"{import_id}{SUFFIX}"


class CeleryImportJobs:
    """Hands imports to the workers (task `patients.run_import`)."""

    def __init__(self, celery: Celery) -> None:
        self._celery = celery

    def enqueue(self, import_id: UUID) -> None:
        self._celery.send_task("patients.run_import", args=[str(import_id)])
