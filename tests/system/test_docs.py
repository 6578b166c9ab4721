"""The documentation stays true: the CLI reference matches the commands, and links resolve."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)


def _cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_anchor(h) for h in _HEADING.findall(_FENCE.sub("", page.read_text("utf-8")))}


def _links(page: Path) -> list[str]:
    return _LINK.findall(_FENCE.sub("", page.read_text("utf-8")))


def test_cli_reference_is_up_to_date():
    expected = _cli_docs().render()
    current = (DOCS / "cli.md").read_text("utf-8")
    assert current == expected, "docs/cli.md is stale: run .venv/bin/python scripts/cli_docs.py"


def test_cli_reference_covers_every_command():
    text = (DOCS / "cli.md").read_text("utf-8")
    for command in ("init", "serve", "resolve", "import", "stats", "token create", "token revoke"):
        assert f"## amity {command}\n" in text
        assert f"Usage: amity {command} " in text


def test_anchor_rule():
    assert _anchor("amity token create") == "amity-token-create"
    assert _anchor('Errors: `{"error": …}`') == "errors-error-"
    assert _anchor("地名 Names") == "地名-names"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_relative_links_point_to_existing_files(page: Path):
    broken = []
    for target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif fragment and file.suffix == ".md" and fragment not in _anchors(file):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.name}: {broken}"


def test_link_checker_sees_links():
    # Guards the checks above against a regex that silently matches nothing.
    assert "setup.md" in _links(DOCS / "cli.md")
    assert "#amity-init" in _links(DOCS / "cli.md")


def test_configuration_table_matches_the_settings_model():
    spec = importlib.util.spec_from_file_location(
        "settings_docs", ROOT / "scripts" / "settings_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (DOCS / "configuration.md").read_text("utf-8")
    assert current == module.render(), (
        "docs/configuration.md is stale: run .venv/bin/python scripts/settings_docs.py"
    )
