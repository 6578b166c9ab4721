"""Matchmaking commands: `amity recommend`, `amity recommend-eval` and `amity plan`."""

from __future__ import annotations

import json
import time

import typer
from rich.console import Console
from rich.table import Table

from amity.core.db import get_engine, session_scope
from amity.core.errors import AmityError, NotFound
from amity.core.rich_progress import rich_progress
from amity.matching import service
from amity.places.service import resolve


def _place_id(session, place: str) -> int:
    if place.isdigit():
        return int(place)
    best = resolve(session, place).best
    if best is None:
        raise NotFound(f"No place called {place}", {"place": place})
    return best.id


def _fail(error: AmityError) -> None:
    Console(stderr=True).print(f"[red]{error.message}[/red]")
    raise typer.Exit(2)


def recommend(
    place: str = typer.Argument(..., help="A place id or name."),
    k: int = typer.Option(10, "--k", help="How many candidates."),
    country: str = typer.Option(None, "--country", help="Only candidates of this country (ISO2)."),
    continent: str = typer.Option(
        None, "--continent",
        help=f"Only candidates of this continent: {', '.join(service.CONTINENTS)}.",
    ),
    region: str = typer.Option(
        None, "--region",
        help="Only candidates of this UN M49 sub-region, e.g. 'Southern Asia' or "
        "'Latin America and the Caribbean'.",
    ),
    belt_and_road: bool = typer.Option(
        False, "--belt-and-road",
        help="Only countries that signed Belt and Road cooperation documents.",
    ),
    under_represented: bool = typer.Option(
        False, "--under-represented",
        help=f"Only countries with fewer than {service.UNDER_REPRESENTED_BELOW} partnerships with "
        "the home country.",
    ),
    scope: str = typer.Option("home", "--scope", help="home (across the border) or world."),
    explain_excluded: bool = typer.Option(
        False, "--explain-excluded", help="Say which candidates the constraints rule out, and why."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Partner candidates for a place, each with its score and every factor's contribution."""
    try:
        with session_scope(get_engine()) as session:
            result = service.recommend(
                session, _place_id(session, place), k=k, country=country, continent=continent,
                region=region, belt_and_road=belt_and_road, under_represented=under_represented,
                scope=scope, explain_excluded=explain_excluded,
            )  # fmt: skip
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(
        "#", "candidate", "country", "score", "main reasons", title=result["place"]["name"]
    )
    for rank, row in enumerate(result["results"], 1):
        reasons = "; ".join(
            f"{f['title']['en']} {f['contribution']:+.2f}: {f['reason']['en']}"
            for f in row["factors"][:3]
        )
        table.add_row(str(rank), row["name"], row["country_code"], f"{row['score']:.2f}", reasons)
    console = Console()
    console.print(table)
    console.print(f"{result['candidates']:,} candidates after the filters and the rules.")
    for group in result.get("excluded", []):
        names = ", ".join(e["name"] for e in group["examples"][:5])
        console.print(f"Excluded, {group['text']['en']}: {group['count']:,} ({names})")


def recommend_eval(
    seed: int = typer.Option(0, "--seed", help="Seed of the hold-out draw."),
    free: bool = typer.Option(
        False,
        "--free-split",
        help="Draw the hidden pairs freely: some leave a place with no partner (cold starts).",
    ),
    min_dated: int = typer.Option(
        service.MIN_DATED, "--min-dated", min=2,
        help="Run the temporal split when at least this many pairs carry a signing year.",
    ),  # fmt: skip
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Hide 10% of the partnerships and rank each hidden partner: Amity against baselines.

    With signing dates, also train on the pairs signed up to a year and rank the later ones.
    """
    with session_scope(get_engine()) as session:
        inputs = service.evaluation_inputs(session)
    with rich_progress() as progress:
        report = service.evaluation(
            inputs, seed=seed, progress=progress, keep_places=not free, min_dated=min_dated
        )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    console = Console()
    for name in ("random_split", "temporal_split"):
        split = report[name]
        if "skipped" in split:
            console.print(f"[yellow]{name}: skipped: {split['skipped']}.[/yellow]")
            continue
        if name == "temporal_split":
            console.print(f"{split['dated_pairs']:,} of {split['pairs']:,} pairs carry a "
                          "signing year; undated pairs stay out of this split.")  # fmt: skip
        table = Table("method", "AUC", "global AUC", "P@10", "R@10", "hits@10", "MRR",
                      title=f"{split['split']} ({split['seconds']} s)")  # fmt: skip
        for method, m in split["metrics"].items():
            table.add_row(method, *(str(m[key]) for key in service.METRIC_KEYS))
        console.print(table)
        ends = Table("method", *(f"{group} (hits@10 / AUC)" for group in service.ENDS),
                     title="by the ends of the hidden pair")  # fmt: skip
        for method, groups in split["by_ends"].items():
            ends.add_row(method, *(
                f"{groups[g]['hits_at_10']} / {groups[g]['auc']} ({groups[g]['pairs']:,} pairs)"
                for g in service.ENDS
            ))  # fmt: skip
        console.print(ends)


def plan(
    new: int = typer.Option(..., "--new", help="How many new pairings."),
    province: str = typer.Option(None, "--province", help="GB/T code of a Chinese province."),
    home: str = typer.Option(None, "--home", help="Home country (AMITY_HOME_COUNTRY)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """N new pairings that fit well and even out the layout, with the measures before and after."""
    try:
        with session_scope(get_engine()) as session:
            result = service.plan(session, new=new, province=province, home=home)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    console = Console()
    table = Table("place", "partner", "country", "suitability", "balance gain",
                  title=f"{result['method']} in {result['seconds']} s")  # fmt: skip
    for row in result["pairs"]:
        table.add_row(row["place"]["name"], row["partner"]["name"], row["partner"]["country_code"],
                      f"{row['suitability']:.2f}", f"{row['balance_gain']:.6f}")  # fmt: skip
    console.print(table)
    for moment in ("before", "after"):
        m = result["balance"][moment]
        console.print(f"{moment}: Gini {m['province_gini']}, HHI {m['partner_hhi']}, {m['shares']}")


def recommend_learn() -> None:
    """Learn the recommender's weights again now, from the registry as it is, and store them.

    Servers take them up at their next build; otherwise they are learned again on a schedule
    (AMITY_MODEL_MAX_AGE_DAYS, AMITY_MODEL_DRIFT), never on every write.
    """
    started = time.perf_counter()
    status = Console(stderr=True).status("Learning the recommender's weights…")
    with status, session_scope(get_engine()) as session:
        learned = service.learn(session)
    Console().print(
        f"Learned from {learned.ties:,} partnerships in {time.perf_counter() - started:.1f} s; "
        f"stored at {learned.learned_at:%Y-%m-%d %H:%M} UTC."
    )


def register(app: typer.Typer) -> None:
    """Add this domain's commands to the root app."""
    app.command("recommend")(recommend)
    app.command("recommend-learn")(recommend_learn)
    app.command("recommend-eval")(recommend_eval)
    app.command("plan")(plan)
