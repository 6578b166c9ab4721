"""The `amity` command's table (amity.cli.COMMANDS) says what eager registration says, help reads
only the table, and a command loads only its own module."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from amity.cli import COMMANDS, _root, app
from amity.core.domains import LAYERS, rooms
from amity.core.lazy_cli import registered
from amity.registry_build import cli as data_cli
from amity.system import cli as system_cli

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
HEAVY = ("sqlalchemy", "numpy", "openpyxl", "fastapi", "jinja2", "starlette", "scipy")
DOMAINS = {domain for line in LAYERS for domain in line}


def _eager() -> typer.Typer:
    """The command as it was built before the table: every domain's cli.py registers at once."""
    eager = typer.Typer(
        help="Amity: the friendship-city registry, its analysis and its workflows.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    eager.callback()(_root)  # the root's own option (--version)
    for module in (system_cli, data_cli, *rooms("cli")):
        module.register(eager)
    return eager


def _first_paragraph(help_text: str | None) -> str:
    """What a list of commands shows of a command's help (Typer's rich mode keeps line breaks)."""
    return inspect.cleandoc(help_text or "").split("\n\n")[0].strip()


def _is_plain_group(command) -> bool:
    """A group without options or a callback of its own: the table lists its sub-commands."""
    return hasattr(command, "commands") and not command.params and command.callback is None


def _as_table(commands: dict) -> dict:
    """The eager commands in the table's terms (module left out), to print beside it."""
    return {
        name: (
            command.help if _is_plain_group(command) else _first_paragraph(command.help),
            {n: _first_paragraph(s.help) for n, s in command.commands.items()}
            if _is_plain_group(command)
            else None,
        )
        for name, command in commands.items()
    }


EAGER = typer.main.get_group(_eager()).commands


def test_the_table_says_what_eager_registration_says():
    table = {name: (entry.help, entry.commands) for name, entry in COMMANDS.items()}
    expected = _as_table(EAGER)
    # Same names in the same order, same help, same sub-commands in the same order.
    assert list(table) == list(expected), f"the commands, in order: {list(expected)}"
    for name in expected:
        assert table[name][0] == expected[name][0], f"help of {name!r}: {expected[name][0]!r}"
        subs = table[name][1]
        assert (list(subs.items()) if subs else None) == (
            list(expected[name][1].items()) if expected[name][1] else None
        ), f"sub-commands of {name!r}: {expected[name][1]!r}"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_entry_names_a_module_that_registers_its_command(name):
    entry = COMMANDS[name]
    command = registered(entry.module)[name]
    assert command.help == EAGER[name].help
    assert [p.name for p in command.params] == [p.name for p in EAGER[name].params]
    if entry.commands is not None:
        # The stand-in group has no options and shows help when called bare: so must the real.
        assert _is_plain_group(command) and command.no_args_is_help
        assert not command.invoke_without_command


@pytest.mark.parametrize(
    "path", [(), *[(name,) for name, entry in COMMANDS.items() if entry.commands is not None]]
)
def test_help_prints_as_eager_registration_prints_it(path):
    lazy = CliRunner().invoke(app, [*path, "--help"], env=ENV, prog_name="amity")
    eager = CliRunner().invoke(_eager(), [*path, "--help"], env=ENV, prog_name="amity")
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.output == eager.output


@pytest.mark.parametrize(
    "args, code",
    [
        ([], 2),
        (["events"], 2),
        (["stat"], 2),
        (["events", "lst"], 2),
        (["exchanges", "taxonomy"], 2),
    ],
)
def test_bare_groups_and_typos_answer_as_before(args, code):
    lazy = CliRunner().invoke(app, args, env=ENV, prog_name="amity")
    eager = CliRunner().invoke(_eager(), args, env=ENV, prog_name="amity")
    assert lazy.exit_code == eager.exit_code == code
    assert lazy.output == eager.output


def test_a_typo_gets_a_suggestion():
    result = CliRunner().invoke(app, ["stat"], env=ENV, prog_name="amity")
    assert "Did you mean 'stats'?" in result.output


def _modules_after(*args: str, database_url: str | None = None) -> list[str]:
    """The modules a fresh `amity <args>` has imported when it exits."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['amity', *{list(args)!r}]\n"
        "from amity.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\nMODULES' + json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, **({"AMITY_DATABASE_URL": database_url} if database_url else {})}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300,
        env=env,
    )  # fmt: skip
    return json.loads(done.stdout.rsplit("\nMODULES", 1)[1])


def _domain_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[:2][-1] in DOMAINS and m.startswith("amity.")]


@pytest.mark.parametrize("args", [("--help",), ("events", "--help"), ()])
def test_help_imports_no_domain_and_no_heavy_library(args):
    modules = _modules_after(*args)
    assert "typer" in modules  # the probe saw the command run
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []
    assert _domain_modules(modules) == []


def test_a_command_loads_only_its_own_module():
    modules = _modules_after("stats", "--help")
    assert "amity.analytics.stats_cli" in modules
    # Not the rest of analytics (the network report, exports), nor other domains' commands.
    assert "amity.analytics.cli" not in modules
    assert "amity.analytics.network" not in modules
    assert [m for m in modules if m.startswith("amity.") and m.endswith(".cli")] == ["amity.cli"]


@pytest.mark.parametrize(
    "args", [("stats", "--json"), ("cases", "search", "--json"), ("events", "list", "--json")]
)
def test_a_light_command_loads_no_workbook_web_or_analysis_library(args, sqlite_engine):
    url = sqlite_engine.url.render_as_string(hide_password=False)
    modules = _modules_after(*args, database_url=url)
    assert "sqlalchemy" in modules  # it did read the database
    # numpy is allowed: the facet engine's columns and selections are numpy arrays.
    heavy = ("openpyxl", "scipy", "igraph", "fastapi", "jinja2")
    assert [m for m in modules if m.split(".")[0] in heavy] == []


@pytest.mark.parametrize(
    "args", [("audit", "checkpoint"), ("user", "list", "--json"), ("token", "list", "--json")]
)
def test_a_command_loaded_alone_finds_every_model(args, sqlite_engine):
    # User's relationship names "Place": SQLAlchemy needs the places models imported too, which
    # a command loaded alone (not beside every other domain's cli.py) must see to.
    url = sqlite_engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", "from amity.cli import main; main()", *args],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "AMITY_DATABASE_URL": url},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    json.loads(done.stdout)


def test_the_voice_commands_know_every_topic():
    # Proposals hand participation their topic when imported (@participation.topic): the voice
    # commands, loaded alone, must still know "proposal" (the entry's `needs`).
    code = (
        "import sys\n"
        "from amity.cli import app\n"
        "from typer.main import get_command\n"
        "root = get_command(app)\n"
        "ctx = root.make_context('amity', ['voice'], resilient_parsing=True)\n"
        "voice = root.get_command(ctx, 'voice')\n"
        "voice.get_command(voice.make_context('voice', ['list'], parent=ctx,"
        " resilient_parsing=True), 'summary')\n"
        "from amity.participation.models import TOPICS\n"
        "from amity.participation.service import TOPIC_PLACES\n"
        "print(sorted(set(TOPICS) - set(TOPIC_PLACES)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == "[]"
