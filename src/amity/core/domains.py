"""The domains of Amity, and the rooms (`models`, `api`, `cli`, `pages`) each may have, found by
name: the core and the web layer never import a domain, they ask for its rooms here."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# The layers, lowest first (see docs/architecture.md): a domain imports only from domains on a
# lower line, never from its own line or above (tests/system/test_layers.py reads every import).
LAYERS = (
    ("places",),
    ("auth", "registry_build"),
    # Files attached to the records of the domains above (cases, events, exchanges): they hand
    # it their records' places and write permission (amity.attachments.service.register_owner).
    ("attachments",),
    ("partnerships",),
    ("exchanges", "sync"),
    ("analytics",),
    ("cases", "events"),
    ("matching", "indices"),
    # The public speaks on proposals (reviewers read it): proposals hand participation their
    # topic (amity.participation.service.topic), so participation sits below them.
    ("participation",),
    ("proposals",),
    ("reports",),
    ("system",),
)

# In this order their routes are mounted and their commands listed.
DOMAINS = (
    "places",
    "partnerships",
    "analytics",
    "exchanges",
    "cases",
    "events",
    "reports",
    "matching",
    "indices",
    "proposals",
    "participation",
    "auth",
    "sync",
    "attachments",
)


def rooms(room: str) -> list[ModuleType]:
    """The `amity.<domain>.<room>` modules that exist, e.g. rooms("api")."""
    found = []
    for domain in DOMAINS:
        if importlib.util.find_spec(f"amity.{domain}") is None:
            continue
        name = f"amity.{domain}.{room}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found
