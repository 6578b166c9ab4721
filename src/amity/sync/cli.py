"""`amity sync wikidata`: the diff first, then (on confirmation) the write, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from amity.auth.permissions import LOCAL_ADMIN
from amity.core.errors import AmityError

if TYPE_CHECKING:
    from amity.sync.plan import SyncPlan

ROWS_SHOWN = 30
sync_app = typer.Typer(help="Bring in fresh data from outside (Wikidata).", no_args_is_help=True)


@sync_app.command("wikidata")
def wikidata(
    country: str = typer.Option(None, "--country", help="Only places of this country (ISO code)."),
    place: list[str] = typer.Option(
        None, "--place", help="Only this place (id or Q-id); repeat for more."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the diff; change nothing."),
    yes: bool = typer.Option(False, "--yes", help="Write without asking (after the diff)."),
    fresh: bool = typer.Option(
        False, "--fresh", help="Ask Wikidata again even for batches fetched in the last day."
    ),
    batch_size: int = typer.Option(50, "--batch-size", min=1, max=500, help="Places per query."),
    as_json: bool = typer.Option(False, "--json", help="Print the diff (and result) as JSON."),
    out: Path = typer.Option(None, "--out", help="Also save the whole diff as JSON here."),
) -> None:
    """Twinning statements (P190) with start and end dates, names, population and coordinates
    from the Wikidata SPARQL endpoint (AMITY_WIKIDATA_ENDPOINT), for the places in scope.

    Shows the diff (new pairs, new dates, names, conflicts) and asks before writing. Writing is
    the registry steward's act: new pairs get a steward record with the statement as evidence.
    Fields a person entered, or changed since the last sync, are never overwritten.
    """
    # Imported here: `amity sync --help` need not load the database (see amity/cli.py).
    from amity.core.db import get_engine, session_scope
    from amity.core.rich_progress import rich_progress
    from amity.sync.service import Scope, apply_sync, plan_sync
    from amity.sync.wikidata import Client

    if as_json and not (dry_run or yes):
        raise typer.BadParameter("--json needs --dry-run or --yes (there is no prompt).")
    console = Console()
    scope = Scope(country=country, places=tuple(place or ()))
    client = Client(fresh=fresh)
    if not client.settings.contact and not as_json:
        console.print("[yellow]Tip: set AMITY_WIKIDATA_CONTACT (an e-mail or web page) so that "
                      "Wikidata's operators can reach you.[/yellow]")  # fmt: skip
    try:
        with session_scope(get_engine()) as session:
            with rich_progress(enabled=not as_json) as bar:
                plan = plan_sync(session, scope, client, batch_size=batch_size,
                                 progress=bar)  # fmt: skip
            if out:
                out.write_text(json.dumps(plan.to_dict(), ensure_ascii=False, indent=1), "utf-8")
            if not as_json:
                render_plan(console, plan)
            write = not dry_run and not plan.empty and (
                yes or typer.confirm("Write these changes?", default=False)
            )
            if write:
                with rich_progress(enabled=not as_json) as bar:
                    apply_sync(session, plan, actor=LOCAL_ADMIN,
                               progress=bar)  # fmt: skip
    except AmityError as error:
        if as_json:
            typer.echo(json.dumps({"error": {"code": error.code, "message": error.message}},
                                  ensure_ascii=False))  # fmt: skip
        else:
            console.print(f"[red]Sync failed:[/red] {error.message}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(plan.to_dict(), ensure_ascii=False))
    else:
        console.print(_verdict(plan, dry_run))


def _verdict(plan: SyncPlan, dry_run: bool) -> str:
    if plan.written:
        return (f"[green]Written (batch {plan.batch_id}): {len(plan.new_pairs):,} new pairs, "
                f"{len(plan.changes):,} fields, each with its provenance.[/green]")  # fmt: skip
    if plan.empty and plan.conflicts:
        return ("[yellow]Nothing to write: the conflicts above are kept as stored; review them "
                "by hand.[/yellow]")  # fmt: skip
    if plan.empty:
        return "[green]Nothing to change: the registry already agrees with Wikidata.[/green]"
    if dry_run:
        return "[yellow]Dry run: nothing was changed.[/yellow]"
    return "[yellow]Not written: nothing was changed.[/yellow]"


def render_plan(console: Console, plan: SyncPlan) -> None:
    """Counts, then the first rows of each part of the diff."""
    when = f", retrieved {plan.retrieved_at} UTC" if plan.retrieved_at else ""
    console.print(f"[bold]Wikidata[/bold] {plan.endpoint}{when}")
    counts = Table(show_header=False, box=None)
    for key, value in plan.counts().items():
        counts.add_row(key.replace("_", " "), f"{value:,}")
    console.print(counts)
    parts = (
        ("New pairs (recorded as the registry steward's act)", ("pair", "signed", "statement"),
         [(n.label, n.established, n.statement) for n in plan.new_pairs]),
        ("New dates", ("pair", "established", "statement"),
         [(c.label, c.new, c.statement) for c in plan.dates]),
        ("Names", ("place", "field", "stored", "Wikidata"),
         [(c.label, c.field, c.old or "", c.new) for c in plan.names]),
        ("Population, coordinates, Q-ids", ("place", "field", "stored", "Wikidata"),
         [(c.label, c.field, c.old or "", c.new) for c in plan.others]),
        ("Conflicts (kept as stored; review by hand)", ("record", "field", "stored", "Wikidata",
                                                        "why"),
         [(c.label, c.field, c.stored or "", c.wikidata or "", c.reason) for c in plan.conflicts]),
        ("Skipped statements", ("pair", "why", "statement"),
         [(s.label, f"{s.reason} ({s.detail})" if s.detail else s.reason, s.statement)
          for s in plan.skipped]),
    )  # fmt: skip
    for title, headers, rows in parts:
        if not rows:
            continue
        table = Table(*headers, title=f"{title}: {len(rows):,}")
        for row in rows[:ROWS_SHOWN]:
            table.add_row(*(str(v) for v in row))
        console.print(table)
        if len(rows) > ROWS_SHOWN:
            console.print(f"… and {len(rows) - ROWS_SHOWN:,} more (--json or --out lists all).")


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(sync_app, name="sync")
