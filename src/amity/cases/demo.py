"""The demo case library: cases told in the project's words from the seed documents.

Every case cites the seed file it comes from (src/amity/data/demo/seeds.json names them).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.cases.models import Case
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core.progress import Progress, silent
from amity.places.resolve import resolve

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


@lru_cache(maxsize=1)
def seed_titles() -> dict[str, str]:
    """The seed documents by file name, with their titles."""
    return json.loads((DEMO_DIR / "seeds.json").read_text(encoding="utf-8"))


def citation(seed: str) -> str:
    """How a demo item cites its seed: the document's title and its file name."""
    return f"{seed_titles()[seed]} [seed {seed}]"


def demo_place(session: Session, spec: dict[str, str]) -> int | None:
    """The id of a place named in the demo data, when the name resolves to one place."""
    result = resolve(session, spec["name"], country=spec.get("country"))
    if result.status == "resolved" or len(result.matches) == 1:
        return result.matches[0].id
    return None


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
