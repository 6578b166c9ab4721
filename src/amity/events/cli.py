"""`amity events list|ical` and `amity awards list|results`: what the /events and /awards pages
show, from the terminal."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError, InvalidInput

if TYPE_CHECKING:
    from amity.events.schemas import EventQuery

# The services and the database are imported inside the commands: `amity events --help` and a
# command's --help need not load them (see amity/cli.py).

events_app = typer.Typer(help="Forums, conferences and other events.", no_args_is_help=True)
awards_app = typer.Typer(help="The friendship-city awards.", no_args_is_help=True)


def _fail(error: AmityError) -> None:
    Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(2)


def _query(year: list[int], kind: list[str], country: list[str]) -> EventQuery:
    from pydantic import ValidationError

    from amity.events.schemas import EventQuery

    try:
        return EventQuery(year=tuple(year), kind=tuple(kind), country=tuple(country))
    except ValidationError as exc:
        _fail(InvalidInput(f"Invalid selection: {exc.errors()[0]['msg']}"))


def _name(item: dict) -> str:
    return " / ".join(n for n in (item["name_en"], item["name_zh"]) if n)


YEARS = typer.Option([], "--year", help="Only events of this year (repeatable).")
KINDS = typer.Option([], "--kind", help="Only events of this kind: forum, conference, ...")
COUNTRIES = typer.Option([], "--country", help="Only events held in this country (ISO2).")


@events_app.command("list")
def list_command(
    year: list[int] = YEARS,
    kind: list[str] = KINDS,
    country: list[str] = COUNTRIES,
    as_json: bool = typer.Option(False, "--json", help="Print the events as JSON."),
) -> None:
    """Events by date, undated ones last (the /events calendar's selection)."""
    from amity.core.db import get_engine, session_scope
    from amity.events import service

    query = _query(year, kind, country)
    with session_scope(get_engine()) as session:
        events = [service.event_dict(e) for e in service.list_events(session, query)]
    if as_json:
        typer.echo(json.dumps({"total": len(events), "items": events}, ensure_ascii=False))
        return
    table = Table("id", "starts", "ends", "kind", "event", "place", title=f"{len(events)} events")
    for e in events:
        place = f"{e['place']['name']} ({e['place']['country']})" if e["place"] else ""
        table.add_row(str(e["id"]), e["starts"] or "", e["ends"] or "", e["kind"], _name(e), place)
    Console().print(table)


@events_app.command("ical")
def ical_command(
    year: list[int] = YEARS,
    kind: list[str] = KINDS,
    country: list[str] = COUNTRIES,
    locale: str = typer.Option("en", "--locale", help="Names in en or zh."),
) -> None:
    """The selected events with a known day as an iCalendar file on standard output (the same
    calendar as /events.ics): `amity events ical > events.ics`."""
    from amity.core.db import get_engine, session_scope
    from amity.events import ical, service

    if locale not in ("en", "zh"):
        _fail(InvalidInput(f"Unknown locale {locale}: en or zh."))
    query = _query(year, kind, country)
    with session_scope(get_engine()) as session:
        body = ical.to_ics(service.list_events(session, query), locale=locale)
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()


@awards_app.command("list")
def awards_list(
    as_json: bool = typer.Option(False, "--json", help="Print the awards as JSON."),
) -> None:
    """The award types and the editions (the /awards page)."""
    from amity.core.db import get_engine, session_scope
    from amity.events import awards

    with session_scope(get_engine()) as session:
        result = {
            "award_types": [awards.award_type_dict(a) for a in awards.list_award_types(session)],
            "editions": [awards.edition_dict(e) for e in awards.list_editions(session)],
        }
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    types = Table("code", "award", title="Award types")
    for award in result["award_types"]:
        types.add_row(award["code"], _name(award))
    editions = Table("year", "winners per award", "held at", title="Editions")
    for edition in result["editions"]:
        event = _name(edition["event"]) if edition["event"] else ""
        editions.add_row(str(edition["year"]), str(edition["winners_per_award"]), event)
    console.print(types)
    console.print(editions)


@awards_app.command("results")
def awards_results(
    year: int = typer.Argument(..., help="The edition's year."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """An edition's nominations per award type, ranked by mean score, winners marked."""
    from amity.core.db import get_engine, session_scope
    from amity.events import awards

    try:
        with session_scope(get_engine()) as session:
            result = awards.results(session, year)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    for award in result["awards"]:
        table = Table("rank", "nominee", "mean score", "scores", "winner", title=_name(award))
        for n in award["nominations"]:
            places = n["nominee"].get("places") or [n["nominee"]["place"]]
            nominee = " – ".join(p["name"] for p in places)
            mean = "" if n["mean_score"] is None else str(n["mean_score"])
            table.add_row(str(n["rank"]), nominee, mean, str(n["scores"]),
                          "yes" if n["winner"] else "")  # fmt: skip
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(events_app, name="events")
    app.add_typer(awards_app, name="awards")
