"""A command group that names its commands in a table and imports a command's module only when
that command runs, so that `amity --help` starts in a fraction of a second instead of importing
every domain (their services, SQLAlchemy models, openpyxl, numpy, the web layer).

The table (amity/cli.py) says, for each top-level command, which module registers it (the
module's `register(app)`, as before) and the help a list shows; for a group, also its
sub-commands, so that `amity <group> --help` is printed from the table as well.
tests/system/test_cli_table.py builds the commands eagerly and compares, so the table cannot
drift from the commands it stands for.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

import typer

# Typer ships its own copy of Click; its usage error is not re-exported under a public name.
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

# While set in a context's meta, get_command answers with stand-ins made from the table (their
# name and help): help and completion list commands, they need not import them.
_LISTING = "amity.lazy_cli.listing"


@dataclass(frozen=True)
class Entry:
    """One command in the table.

    help: for a command, the first paragraph of its help (what a list of commands shows); for a
    group, its whole help (`amity <group> --help` prints it).
    commands: a group's sub-commands and the first paragraph of their help, in the order they
    are listed; None for a plain command, or for a group that has options of its own (loaded
    whole, like a command).
    needs: modules to import before the command runs besides its own: those that hand a lower
    domain something when imported (proposals give participation their topic), which the
    command's module may not import itself.
    """

    module: str
    help: str
    commands: Mapping[str, str] | None = None
    needs: tuple[str, ...] = ()


_REGISTERED: dict[str, dict[str, Any]] = {}


def registered(module: str) -> dict[str, Any]:
    """The click commands that `module.register(app)` adds, by name, built as Typer builds them."""
    if module not in _REGISTERED:
        app = typer.Typer(pretty_exceptions_enable=False)
        importlib.import_module(module).register(app)
        commands = dict(typer.main.get_group(app).commands)
        for command in commands.values():
            _models_first(command)
        _REGISTERED[module] = commands
    return _REGISTERED[module]


def _models_first(command: Any) -> None:
    """Have the command (and a group's sub-commands) import every domain's models before it runs.

    Models name each other in relationships (User's place is "Place"): SQLAlchemy resolves the
    names at the first query and fails unless every models module has been imported. Importing
    every cli.py once did that by the way; a command loaded alone does it when it runs (its
    --help does not need the database).
    """
    if command.callback is not None:
        command.callback = _after_models(command.callback)
    for sub in getattr(command, "commands", {}).values():
        _models_first(sub)


def _after_models(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        from amity.core.metadata import load

        load()
        return callback(*args, **kwargs)

    return run


class LazyGroup(TyperGroup):
    """A Typer group whose commands come from a table of `Entry`s and are imported on use.

    A subclass sets `table` (the root passes through `typer.Typer(cls=...)`, which cannot take
    extra arguments); a group's stand-in gets its sub-table and its path from its parent.
    """

    table: Mapping[str, Entry] = {}

    def __init__(
        self, *, table: Mapping[str, Entry] | None = None, path: tuple[str, ...] = (), **attrs: Any
    ) -> None:
        super().__init__(**attrs)
        if table is not None:
            self.table = table
        self.path = path

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.table)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        entry = self.table.get(cmd_name)
        if entry is None:
            return None
        if ctx.meta.get(_LISTING):
            return TyperCommand(cmd_name, help=entry.help)
        if entry.commands is not None:
            # A group without options of its own: a stand-in that lists its sub-commands from
            # the table and imports the module only when one of them runs.
            sub_table = {
                name: Entry(entry.module, text, needs=entry.needs)
                for name, text in entry.commands.items()
            }
            return LazyGroup(
                name=cmd_name, help=entry.help, no_args_is_help=True, table=sub_table,
                path=(*self.path, cmd_name), rich_markup_mode=self.rich_markup_mode,
            )  # fmt: skip
        for module in entry.needs:
            importlib.import_module(module)
        top, *inner = (*self.path, cmd_name)
        command = registered(entry.module)[top]
        for name in inner:
            command = command.commands[name]
        return command

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        with _listing(ctx):
            super().format_help(ctx, formatter)

    def shell_complete(self, ctx: typer.Context, incomplete: str) -> list[Any]:
        with _listing(ctx):
            return super().shell_complete(ctx, incomplete)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        # TyperGroup suggests close names from self.commands, which a lazy group leaves empty.
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as error:
            matches = get_close_matches(args[0], list(self.table)) if args else []
            if matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise


@contextmanager
def _listing(ctx: typer.Context) -> Iterator[None]:
    """Within it, the group's get_command answers from the table (see _LISTING)."""
    ctx.meta[_LISTING] = True
    try:
        yield
    finally:
        ctx.meta.pop(_LISTING, None)
