"""`amity init` and `amity serve`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer
from rich.console import Console

# The services, the database and the settings are imported inside each command: `amity serve
# --help` (and every other command, see amity/cli.py) need not load them.


def init(
    demo: bool = typer.Option(False, "--demo", help="Also load the global demo registry."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create the database with the gazetteer (and, with --demo, the demo registry)."""
    from amity.core.db import get_engine
    from amity.core.rich_progress import rich_progress
    from amity.core.settings import get_settings
    from amity.system import service

    with rich_progress(enabled=not as_json) as progress:
        report = service.init_database(get_engine(), demo=demo, progress=progress)
    if as_json:
        typer.echo(json.dumps(report.__dict__))
        return
    Console().print(
        f"Database ready: {report.places:,} places, {report.partnerships:,} partnerships"
        f" ({get_settings().database_url.split('@')[-1]})."
    )
    if report.countries_refreshed:
        Console().print(
            f"Country facts updated from this release: {', '.join(report.countries_refreshed)}."
        )


def serve(
    host: str = typer.Option(None, help="Address to listen on (default: AMITY_HOST)."),
    port: int = typer.Option(None, help="Port (default: AMITY_PORT)."),
    workers: int = typer.Option(1, help="Worker processes."),
    trusted_proxies: str | None = typer.Option(
        None, "--trusted-proxies",
        help="Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed (default: AMITY_TRUSTED_PROXIES; none).",
    ),
) -> None:  # fmt: skip
    """Serve the web app and the API."""
    import uvicorn

    from amity.core import logs
    from amity.core.settings import get_settings
    from amity.core.settings import trusted_proxies as trusted_proxies_of

    settings = get_settings()  # a bad AMITY_* value stops here, with its name (amity.cli.main)
    proxies = settings.trusted_proxies
    if trusted_proxies is not None:
        try:
            proxies = trusted_proxies_of(trusted_proxies)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--trusted-proxies") from None
    # Writes, not reads: the worker processes take their settings from the environment
    # (amity.http.app.create_app), so the options given here are handed on through it.
    os.environ["AMITY_TRUSTED_PROXIES"] = ",".join(proxies)
    os.environ.setdefault("AMITY_WARM_START", "1")  # the workers build their indexes at start
    logs.configure()  # this process's lines (uvicorn's supervisor); each worker's: create_app
    uvicorn.run(
        "amity.http.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        # The app itself believes forwarded headers only from AMITY_TRUSTED_PROXIES (see
        # amity.http.app); uvicorn's own default would trust 127.0.0.1 as well.
        proxy_headers=False,
        # No logging set-up of uvicorn's own: its loggers, the access log included, go through
        # Amity's handler (AMITY_LOG_FORMAT, with the request id).
        log_config=None,
        # A worker imports the whole app before it answers uvicorn's health check; on a busy
        # machine that takes longer than the default 5 s, and the worker would be killed and
        # restarted forever.
        timeout_worker_healthcheck=120,
    )


def backup(
    path: Path = typer.Argument(..., help="File to write: one tar file holding the database "
                                "(SQLite file or pg_dump custom format), the attachment files "
                                "and a manifest."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if an attachment's "
                                "file is missing or damaged (the backup is written all the same)."),
) -> None:  # fmt: skip
    """Back up the whole database and its attachment files while the app keeps serving."""
    from amity.core.rich_progress import rich_progress
    from amity.core.settings import get_settings
    from amity.system import backup as backups

    with rich_progress() as progress:
        report = backups.backup(get_settings().database_url, path, progress=progress)
    console = Console()
    console.print(f"Backed up the {report.engine} database and {report.files:,} attachment "
                  f"files ({report.file_bytes:,} bytes) to {report.path} ({report.bytes:,} bytes).")
    _problems(console, report, "is not in this backup", "are not in this backup", strict)


def restore(
    path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="A file from `amity backup`."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if an attachment's "
                                "file is missing or damaged after the restore."),
) -> None:  # fmt: skip
    """Replace the whole database with a backup and put its attachment files back.

    Stop the app's writers first. Files the restored database does not point to are kept and
    listed."""
    from amity.core.rich_progress import rich_progress
    from amity.core.settings import get_settings
    from amity.system import backup as backups

    url = get_settings().database_url
    if not yes:
        typer.confirm(f"Replace {url.split('@')[-1]} with {path}?", abort=True)
    with rich_progress() as progress:
        report = backups.restore(url, path, progress=progress)
    console = Console()
    console.print(f"Restored the {report.engine} database from {report.path}.")
    if report.format == 1:
        console.print(f"[yellow]This backup was made before attachments were backed up: it "
                      f"holds no attachment files.[/] The files in {report.folder} were left as "
                      "they are and checked against the restored database.")
    else:
        console.print(f"Put back {report.files:,} attachment files ({report.file_bytes:,} "
                      f"bytes) in {report.folder}, each matching the restored database's sha256.")
    if report.orphans:
        shown = ", ".join(report.orphans[:10]) + (" …" if len(report.orphans) > 10 else "")
        console.print(f"{len(report.orphans):,} files in {report.folder} belong to no attachment "
                      f"of the restored database; they were left in place: {shown}")
    _problems(console, report, "is missing or damaged", "are missing or damaged", strict)


def _problems(console: Console, report, one: str, many: str, strict: bool) -> None:
    """List the attachments whose files are missing or damaged; with --strict, exit 1."""
    if not report.problems:
        return
    for problem in report.problems:
        console.print(f"  attachment {problem.id} ({problem.stored_name}): {problem.reason}",
                      markup=False, highlight=False, soft_wrap=True)  # one line each, for grep
    count = len(report.problems)
    console.print(f"[bold yellow]Warning:[/] {count:,} attachment "
                  f"{'file ' + one if count == 1 else 'files ' + many} (listed above).")
    if strict:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
    app.command()(backup)
    app.command()(restore)
