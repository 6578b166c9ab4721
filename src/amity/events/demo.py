"""The demo events and awards: forums and conferences the seed documents name, in our words.

Dates the seeds do not give stay partial ("2013-05") or empty; every item cites its seed.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.core.demo import DEMO_DIR, citation
from amity.core.progress import Progress, silent
from amity.events.models import AwardEdition, AwardType, Event
from amity.events.schemas import EventCreate
from amity.events.service import create_event
from amity.places.service import demo_place

NO_WINNERS = "the awards are presented at the biennial conference; the source names no winners"


def load_demo(session: Session, *, progress: Progress = silent) -> dict[str, int]:
    """Add the demo events, award types and editions (once: nothing when events exist)."""
    if session.scalar(select(func.count()).select_from(Event)):
        return {"events": 0, "award_types": 0, "award_editions": 0}
    data = json.loads((DEMO_DIR / "events.json").read_text(encoding="utf-8"))
    by_key: dict[str, int] = {}
    for done, record in enumerate(data["events"], start=1):
        fields = {k: v for k, v in record.items() if k not in ("seed", "key", "place")}
        place_id = demo_place(session, record["place"]) if record.get("place") else None
        event = create_event(
            session,
            EventCreate(**fields, place_id=place_id, source=citation(record["seed"])),
        )
        by_key[record["key"]] = event.id
        progress("Demo events", done, len(data["events"]))
    for record in data["award_types"]:
        fields = {k: v for k, v in record.items() if k != "seed"}
        session.add(AwardType(**fields, source=citation(record["seed"])))
    for record in data["award_editions"]:
        session.add(
            AwardEdition(
                year=record["year"],
                event_id=by_key[record["event"]],
                source=f"{citation(record['seed'])}: {NO_WINNERS}",
            )
        )
    session.flush()
    return {
        "events": len(data["events"]),
        "award_types": len(data["award_types"]),
        "award_editions": len(data["award_editions"]),
    }
