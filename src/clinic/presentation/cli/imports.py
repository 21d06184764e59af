"""`clinic import patients FILE --source NAME`: a patient file imported at the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from clinic.application.patients.import_rows import RowProblem
from clinic.domain.patients.import_record import ImportCounts
from clinic.presentation.bootstrap.containers import build_container, close_container

import_app = typer.Typer(help="Import data files.", no_args_is_help=True)
SHOWN_PROBLEMS = 20


@import_app.command("patients")
def import_patients(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX")],
    source: Annotated[str, typer.Option(help="The system the rows come from, e.g. mis")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and write nothing")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object of counts, nothing else")
    ] = False,
    column: Annotated[
        Optional[list[str]],
        typer.Option(
            "--map",
            help="HEADER=COLUMN for a file that does not follow the template (repeatable); "
            "without it the headers are recognised",
        ),
    ] = None,
    rejected: Annotated[
        Optional[Path], typer.Option(help="Write the rejected rows' report (CSV) here")
    ] = None,
) -> None:
    """Import patients of one source; re-importing the same rows changes nothing.

    Exit code 0 when every row was imported (or would be), 1 when some were rejected, 2 when
    the file or the options cannot be used at all."""
    from clinic.application.patients.import_columns import ImportFileError
    from clinic.application.shared.actor import Actor
    from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError
    from clinic.presentation.cli.main import _settings

    container = build_container(_settings())
    try:
        container.projections().start()  # each chunk resolves against the ones before it
        imports = container.patients.imports()
        try:
            with file.open("rb") as data:
                summary = imports.request(
                    data,
                    source=source,
                    by=Actor.operator(),
                    file_name=file.name,
                    mapping=_mapping(column),
                    dry_run=dry_run,
                    enqueue=False,
                )
        except (ImportFileError, InvalidInputError, InvalidFieldError) as error:
            typer.echo(f"cannot import {file.name}: {error}", err=True)
            raise typer.Exit(2) from None
        summary = imports.run(summary.id)
        problems = list(imports.rejected_rows(summary.id, Actor.operator()))
        if rejected is not None:
            _write_report(rejected, problems)
        counts = ImportCounts.of(summary.counts)
        if as_json:
            typer.echo(json.dumps(_public_counts(counts)))
        else:
            _print_report(summary.id, summary.status, counts, problems, dry_run)
        if summary.status == "failed":
            typer.echo(f"import failed: {summary.reason}", err=True)
            raise typer.Exit(2)
        if counts.rejected:
            raise typer.Exit(1)
    finally:
        close_container(container)


def _mapping(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r}: expected HEADER=COLUMN", param_hint="--map")
        mapping[header.strip()] = column.strip()
    return mapping


def _public_counts(counts: ImportCounts) -> dict[str, int]:
    """The counts the issue names, plus `unchanged` (rows the profiles already matched)."""
    return counts.as_dict()


def _print_report(
    import_id: object, status: str, counts: ImportCounts, problems: list[RowProblem], dry: bool
) -> None:
    title = "dry run (nothing written)" if dry else "import"
    typer.echo(f"{title} {import_id}: {status}")
    for name, value in counts.as_dict().items():
        typer.echo(f"  {name:<10} {value}")
    for problem in problems[:SHOWN_PROBLEMS]:
        typer.echo(f"  row {problem.row}, {problem.column}: {problem.reason}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        typer.echo(f"  … and {len(problems) - SHOWN_PROBLEMS} more (--rejected FILE)", err=True)


def _write_report(path: Path, problems: list[RowProblem]) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["row", "column", "reason"])
        writer.writerows([p.row, p.column, p.reason] for p in problems)
    typer.echo(f"rejected rows: {path}", err=True)
