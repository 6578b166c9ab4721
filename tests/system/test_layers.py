"""Imports go only downward: core < http < the domains in their layers (amity.core.domains.LAYERS)
< the entry points. Every import is read, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from amity.core.domains import DOMAINS, LAYERS

SRC = Path(__file__).resolve().parents[2] / "src" / "amity"
RANK = {domain: rank for rank, line in enumerate(LAYERS) for domain in line}
# What a domain may import from a lower domain: its service, its tables and its schemas; from
# auth also who is asking (`web`: the actor, CSRF, the page helpers), what each role may do, and
# the audit log every write appends to.
PUBLIC = {"service", "models", "schemas"}
PUBLIC_OF = {"auth": PUBLIC | {"web", "permissions", "audit"}}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `amity…` import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module(path).split(".") if path.is_relative_to(SRC) else []
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from amity.x import service` names a module: count the module itself.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "amity"]


def _layer(module: str) -> tuple[str, str | None]:
    """("core" | "http" | "web" | "domain" | "entry", the domain's name)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top in ("core", "http", "web"):
        return top, None
    if top in RANK:
        return "domain", top
    if top == "migrations":
        return "core", None
    return "entry", None  # amity.cli, amity.__init__, amity.__version__


def _problem(source: str, target: str) -> str | None:
    kind, domain = _layer(source)
    target_kind, target_domain = _layer(target)
    if target_kind == "entry":
        if target in ("amity.__version__", "amity"):
            return None
        # `python -m amity` runs the command: the one module that is an entry point to it.
        return None if (source, target) == ("amity.__main__", "amity.cli.main") else (
            "imports an entry point"
        )
    if kind == "core" and target_kind != "core":
        return "the core imports above itself"
    if kind == "http" and target_kind not in ("core", "http"):
        return "the web layer imports a domain"
    if kind == "domain" and target_kind == "domain" and target_domain != domain:
        if RANK[target_domain] >= RANK[domain]:
            return "imports a domain on its own line or above"
        room = target.split(".")[2] if len(target.split(".")) > 2 else ""
        if room not in PUBLIC_OF.get(target_domain, PUBLIC):
            return f"reaches into {target_domain}.{room} (only its service, models, schemas)"
    return None


def _all_problems() -> list[str]:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        source = _module(path)
        for line, target in _imports(path):
            problem = _problem(source, target)
            if problem:
                problems.append(f"{path.relative_to(SRC)}:{line} {target}: {problem}")
    return problems


def test_every_domain_has_a_layer():
    assert set(DOMAINS) <= set(RANK)
    on_disk = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert on_disk - {"core", "http", "web", "migrations"} == set(RANK)


def test_imports_go_only_downward():
    problems = _all_problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("amity.places.service", "amity.partnerships.service", "above"),
        ("amity.exchanges.service", "amity.sync.service", "own line"),
        ("amity.matching.recommend", "amity.analytics.graph", "reaches into"),
        ("amity.core.i18n", "amity.places.service", "core imports"),
        ("amity.http.app", "amity.partnerships.service", "web layer"),
        ("amity.matching.api", "amity.analytics.service", None),
        ("amity.proposals.pages", "amity.auth.web", None),
    ],
)
def test_the_rule_catches_what_it_should(source, target, expected):
    problem = _problem(source, target)
    assert (problem is None) if expected is None else (expected in problem)


def test_imports_inside_functions_are_read(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from amity.proposals import service\n")
    assert (2, "amity.proposals.service") in _imports(module)
