"""The demo case library: cases told in the project's words from the seed documents.

Every case cites the seed file it comes from (src/amity/data/demo/seeds.json names them).
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.cases.models import Case
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core.demo import DEMO_DIR, citation
from amity.core.progress import Progress, silent
from amity.places.service import demo_place


def load_demo(session: Session, *, progress: Progress = silent) -> dict[str, int]:
    """Add the demo cases (once: nothing is added when cases exist)."""
    if session.scalar(select(func.count()).select_from(Case)):
        return {"cases": 0, "places_unresolved": 0}
    records = json.loads((DEMO_DIR / "cases.json").read_text(encoding="utf-8"))
    unresolved = 0
    for done, record in enumerate(records, start=1):
        place_ids = []
        countries = list(record["countries"])
        for spec in record["places"]:
            place_id = demo_place(session, spec)
            if place_id is None:
                unresolved += 1
                countries.append(spec["country"])  # the country is still known
            else:
                place_ids.append(place_id)
        fields = {k: v for k, v in record.items() if k not in ("seed", "places", "countries")}
        create_case(
            session,
            CaseCreate(
                **fields,
                countries=countries,
                place_ids=place_ids,
                source=citation(record["seed"]),
            ),
        )
        progress("Demo cases", done, len(records))
    return {"cases": len(records), "places_unresolved": unresolved}
