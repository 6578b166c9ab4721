"""The stored network report, read without the graph library: a command that only prints the
report of the registry as it is (`amity network --json`) needs the database and nothing else."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.core import warm
from amity.partnerships.models import RegistryVersion

# Its name among the stored results (amity.core.warm).
NETWORK_REPORT = "network:report"


def current_report(session: Session) -> dict[str, Any] | None:
    """The stored report if it describes the registry's current version, else None (then the
    caller builds it through analytics.network)."""
    version = session.scalar(select(RegistryVersion.version).where(RegistryVersion.id == 1))
    row = warm.stored(session, NETWORK_REPORT)
    if version is None or row is None or row.version != warm.version_text(version):
        return None
    stamp = warm.Stamp(row.version, row.built_at, True)
    return {**json.loads(row.payload.decode("utf-8")), "as_of": stamp.as_dict()}
