"""The domains of Amity, and the rooms (`api`, `cli`) each may have, found by name."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

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
