"""Demo exchanges: the activities the seed documents describe, each citing its seed.

An exchange joins two places and starts on a known date (a year at least). The seeds often
name one place only (the other side is a people, an organisation or a delegation) or give no
date; such items stay in exchanges.json with what the seed says, and are not recorded, rather
than given a place or a date the seed does not state.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.core.progress import Progress, silent
from amity.exchanges.models import Exchange
from amity.exchanges.service import record_exchange
from amity.places.service import demo_place

DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo" / "exchanges.json"
RECORDED = ("title", "mode", "fields", "start", "direction", "delegation_size",
            "delegation_level", "participants", "outcome")  # fmt: skip


def demo_records() -> list[dict]:
    """The demo exchanges as written from the seeds."""
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def recordable(record: dict) -> bool:
    """Whether the seed gives what an exchange needs: two places and a start date."""
    return len(record["places"]) == 2 and bool(record.get("start"))


def record_demo(session: Session, records: list[dict], *, progress: Progress = silent) -> dict:
    """Record the recordable items whose two places resolve; count the others."""
    counts = {"exchanges": 0, "not_recorded": 0}
    for done, record in enumerate(records, start=1):
        ids = [demo_place(session, spec) for spec in record["places"]]
        if not recordable(record) or None in ids:
            counts["not_recorded"] += 1
            continue
        values = {k: record[k] for k in RECORDED if record.get(k) is not None}
        record_exchange(session, actor="demo", place_a_id=ids[0], place_b_id=ids[1],
                        source=f"demo: seed {record['seed']}", **values)  # fmt: skip
        counts["exchanges"] += 1
        progress("Demo exchanges", done, len(records))
    return counts


def load_demo(session: Session, *, progress: Progress = silent) -> dict:
    """Add the demo exchanges (once: nothing is added when exchanges exist)."""
    if session.scalar(select(func.count()).select_from(Exchange)):
        return {"exchanges": 0, "not_recorded": 0}
    return record_demo(session, demo_records(), progress=progress)
