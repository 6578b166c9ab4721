"""Matchmaking commands: `amity recommend`, `amity recommend-eval` and `amity plan`."""

from __future__ import annotations

import json
import time

import typer
from rich.console import Console
from rich.table import Table

from amity.core.db import get_engine, session_scope
from amity.core.errors import AmityError, InvalidInput, NotFound
from amity.core.i18n import place_name
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
    lang: str = typer.Option("en", "--lang", help="Language of the reasons: en or zh."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Partner candidates for a place, each with its score and every factor's contribution.

    Printed as each candidate's main reasons in plain words, for (+) and against (-), after the
    figure the list is ordered by: the score, less the diversity penalty of a place already
    suggested to many home cities ("3.10 = 3.59 − 0.49 diversity"). --json keeps every factor's
    contribution and details, and each row's score, penalty and rank_score.
    """
    if lang not in ("en", "zh"):
        _fail(InvalidInput(f"Unknown language: {lang} (en or zh)", {"lang": lang}))
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
    # A list, not a table: a reason is a sentence, which a table column would break mid-word.
    console = Console(highlight=False)
    console.print(f"[bold]{place_name(result['place'], lang)}[/bold]")
    for rank, row in enumerate(result["results"], 1):
        console.print(f"{rank:>2}. [bold]{place_name(row, lang)}[/bold] · {row['country_code']}"
                      f"  ({_figure(row, lang)})", soft_wrap=True)  # fmt: skip
        if row["diversity"]:  # why it stands below places of lower score
            console.print(f"    ↓ {row['diversity']['text'][lang]}", soft_wrap=True, markup=False)
        for r in row["reasons"]:
            console.print(f"    {r['sign']} {r['text'][lang]}", soft_wrap=True, markup=False)
    after = {"zh": "条件与规则筛选后余 {:,} 个候选",
             "en": "{:,} candidates after the filters and the rules."}[lang]  # fmt: skip
    console.print(after.format(result["candidates"]), soft_wrap=True)
    for group in result.get("excluded", []):
        names = ", ".join(place_name(e, lang) for e in group["examples"][:5])
        console.print(f"Excluded, {group['text'][lang]}: {group['count']:,} ({names})")


def _figure(row: dict, lang: str) -> str:
    """The figure the list is ordered by; for a penalised place, what it is made of."""
    shown = service.figures(row)
    if not row["penalty"]:
        return shown["rank_score"]
    word = {"en": "diversity", "zh": "多样性扣分"}[lang]
    return f"{shown['rank_score']} = {shown['score']} − {shown['penalty']} {word}"


def recommend_eval(
    seeds: list[int] = typer.Option([0], "--seed", help="Seed of the hold-out draw (repeat it)."),
    splits: list[str] = typer.Option(
        list(service.SPLITS), "--split",
        help="kept (places keep a partner), free (drawn freely) or temporal (repeat it).",
    ),
    min_dated: int = typer.Option(
        service.MIN_DATED, "--min-dated", min=2,
        help="Run the temporal split when at least this many pairs carry a signing year.",
    ),
    every: int = typer.Option(
        1, "--every", min=1,
        help="Rank every n-th query place only (the China slice stays whole): faster.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:  # fmt: skip
    """Hide 10% of the partnerships and rank each hidden partner: Amity against baselines.

    Per split, the pairs with a Chinese end (ranked from it among foreign places, with and
    without the diversity re-ranking) and all pairs; candidates of the hidden partner's kind,
    among the network's places and among all places; the live lists' diversity beside.
    """
    try:
        with session_scope(get_engine()) as session:
            inputs = service.evaluation_inputs(session)
        with rich_progress() as progress:
            report = service.evaluation(inputs, seeds=seeds, splits=splits, progress=progress,
                                        min_dated=min_dated, every=every)  # fmt: skip
        with session_scope(get_engine()) as session:
            report["live_diversity"] = service.live_diversity(session)
    except AmityError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_evaluation(report)


def _print_evaluation(report: dict) -> None:
    console = Console()
    for run in report["runs"]:
        for name, split in run["splits"].items():
            if "skipped" in split:
                console.print(f"[yellow]{name} split: skipped: {split['skipped']}.[/yellow]")
    summary = report["summary"]
    seeds = ", ".join(str(s) for s in summary["seeds"])
    for name, split in summary["splits"].items():
        for slice_name, methods in split["slices"].items():
            table = Table("method", *(f"{key} ({pool})" for pool in service.POOLS
                                      for key in service.METRIC_KEYS),
                          title=f"{name} split, {slice_name}, mean over seeds {seeds}")  # fmt: skip
            for method, pools in methods.items():
                table.add_row(method, *(str(pools[p][key]) for p in service.POOLS
                                        for key in service.METRIC_KEYS))  # fmt: skip
            console.print(table)
        console.print(f"{name} split, targets: {json.dumps(split['targets'])}")
    live = report["live_diversity"]
    if live.get("lists"):
        console.print(
            f"Live top-10 lists of {live['lists']} home prefecture-level cities: a foreign place "
            f"in at most {live['max_share_before']:.1%} of them before the diversity re-ranking, "
            f"{live['max_share_after']:.1%} after."
        )


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
