"""`amity cases search|show`: the case library from the terminal, as the /cases pages show it."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from amity.core.errors import AmityError, InvalidInput

# The services and the database are imported inside the commands: `amity cases --help` and
# `amity cases show --help` need not load them (see amity/cli.py).

cases_app = typer.Typer(help="The case library: search it, show a case.", no_args_is_help=True)


def _fail(error: AmityError) -> None:
    Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(2)


def _title(case: dict) -> str:
    return " / ".join(t for t in (case["title_en"], case["title_zh"]) if t)


@cases_app.command("search")
def search(
    text: str = typer.Argument("", help="Words, Chinese or English (\"quoted phrases\")."),
    field: list[str] = typer.Option([], "--field", help="Only cases of this field (repeatable)."),
    mode: list[str] = typer.Option([], "--mode", help="Only cases of this mode (repeatable)."),
    country: list[str] = typer.Option([], "--country", help="Only cases with this country."),
    year: list[int] = typer.Option([], "--year", help="Only cases of this year (repeatable)."),
    page: int = typer.Option(1, "--page", help="Which page of 20."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Cases matching the words and filters, best first (the /cases page's search)."""
    from pydantic import ValidationError

    from amity.cases.schemas import CaseQuery
    from amity.cases.search import search_cases
    from amity.core.db import get_engine, session_scope

    try:
        query = CaseQuery(q=text or None, field=tuple(field), mode=tuple(mode),
                          country=tuple(country), year=tuple(year), page=page)  # fmt: skip
    except ValidationError as exc:
        _fail(InvalidInput(f"Invalid search: {exc.errors()[0]['msg']}"))
    with session_scope(get_engine()) as session:
        result = search_cases(session, query)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table("id", "year", "case", "countries", "fields",
                  title=f"{result['total']:,} cases (page {result['page']})")  # fmt: skip
    for case in result["items"]:
        table.add_row(str(case["id"]), str(case["year"] or ""), _title(case),
                      ", ".join(case["countries"]), ", ".join(case["fields"]))  # fmt: skip
    Console().print(table)


@cases_app.command("show")
def show(
    case_id: int = typer.Argument(..., help="The case's id."),
    as_json: bool = typer.Option(False, "--json", help="Print the case as JSON."),
) -> None:
    """One case in both languages, with its places, countries, fields and source."""
    from amity.cases import service
    from amity.core.db import get_engine, session_scope

    try:
        with session_scope(get_engine()) as session:
            case = service.case_dict(service.get_case(session, case_id))
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(case, ensure_ascii=False))
        return
    console = Console()
    console.print(f"[bold]{_title(case)}[/bold] ({case['year'] or 'year unknown'})")
    places = ", ".join(f"{p['name']} ({p['country']})" for p in case["places"])
    facts = Table(show_header=False, box=None)
    for label, value in (
        ("places", places), ("countries", ", ".join(case["countries"])),
        ("fields", ", ".join(case["fields"])), ("modes", ", ".join(case["modes"])),
        ("source", " ".join(v for v in (case["source"], case["source_url"]) if v)),
    ):  # fmt: skip
        facts.add_row(label, value)
    console.print(facts)
    for name in ("summary_en", "summary_zh", "lessons_en", "lessons_zh"):
        if case[name]:
            console.print(f"\n[bold]{name.replace('_', ' ')}[/bold]\n{case[name]}")


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.add_typer(cases_app, name="cases")
