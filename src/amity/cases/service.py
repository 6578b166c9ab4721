"""Cases: create, change, delete, read, and search with ranking, highlights and facets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.attachments import service as attachments
from amity.auth import audit
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.cases import facets, fulltext
from amity.cases.models import Case, CaseTag
from amity.cases.schemas import CaseCreate, CaseUpdate
from amity.core.errors import InvalidInput, NotFound
from amity.core.progress import Progress, silent
from amity.places.models import Place

FACET_LIMIT = 30
_TEXT_FIELDS = (
    "title_zh", "title_en", "summary_zh", "summary_en", "body_zh", "body_en",
    "lessons_zh", "lessons_en", "year", "source", "source_url",
)  # fmt: skip


def get_case(session: Session, case_id: int) -> Case:
    """The case with this id, or NotFound."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No case with id {case_id}.", {"case_id": case_id})
    return case


def create_case(session: Session, data: CaseCreate, *, actor: Actor | str = LOCAL_ADMIN) -> Case:
    """Store a new case and index it (officers: a case about one of their places)."""
    who = guard(actor, "case.write", _places(session, data.place_ids))
    case = Case(**{name: getattr(data, name) for name in _TEXT_FIELDS})
    session.add(case)
    _set_links(session, case, data.fields, data.modes, data.countries, data.place_ids)
    _written(session, case)
    audit.record(session, actor=who, action="create", entity="case", entity_id=case.id,
                 after=case_dict(case))  # fmt: skip
    return case


def _places(session: Session, place_ids: list[int]) -> list[Place]:
    return [p for p in (session.get(Place, i) for i in place_ids) if p is not None]


def update_case(
    session: Session, case_id: int, changes: CaseUpdate, *, actor: Actor | str = LOCAL_ADMIN
) -> Case:
    """Change the fields sent; the index follows (officers: cases of their places, both before
    and after a change of places)."""
    case = get_case(session, case_id)
    sent = changes.model_dump(exclude_unset=True)
    who = guard(actor, "case.write", case.places)
    if "place_ids" in sent:
        guard(who, "case.write", _places(session, sent["place_ids"] or []))
    before = case_dict(case)
    for name in _TEXT_FIELDS:
        if name in sent:
            setattr(case, name, sent[name])
    if not (case.title_zh or case.title_en) or not case.source:
        raise InvalidInput("A case keeps a title and its source.", {"case_id": case_id})
    links = {"field": "fields", "mode": "modes"}
    if any(key in sent for key in (*links.values(), "countries", "place_ids")):
        current = {kind: [t.code for t in case.tags if t.kind == kind] for kind in links}
        _set_links(
            session,
            case,
            sent.get("fields", current["field"]),
            sent.get("modes", current["mode"]),
            sent.get("countries", _explicit_countries(case)),
            sent.get("place_ids", [p.id for p in case.places]),
        )
    _written(session, case)
    audit.record(session, actor=who, action="update", entity="case", entity_id=case.id,
                 before=before, after=case_dict(case))  # fmt: skip
    return case


def delete_case(session: Session, case_id: int, *, actor: Actor | str = LOCAL_ADMIN) -> None:
    """Remove a case and its index entry."""
    case = get_case(session, case_id)
    who = guard(actor, "case.write", case.places)
    audit.record(session, actor=who, action="delete", entity="case", entity_id=case.id,
                 before=case_dict(case))  # fmt: skip
    attachments.forget_owner(session, "case", case.id, actor=who)
    fulltext.remove_case(session, case.id)
    session.delete(case)
    session.flush()
    facets.forget(session)


def _written(session: Session, case: Case) -> None:
    """Flush a new or changed case, index its words, and let the facet bitsets be rebuilt."""
    # Set here, to the microsecond: a change of links alone must also change the facets' stamp.
    case.updated_at = datetime.now()
    session.flush()
    fulltext.write_case(session, case)
    facets.forget(session)


def _explicit_countries(case: Case) -> list[str]:
    from_places = {p.country_code for p in case.places}
    return [t.code for t in case.tags if t.kind == "country" and t.code not in from_places]


def _set_links(
    session: Session,
    case: Case,
    fields: list[str],
    modes: list[str],
    countries: list[str],
    place_ids: list[int],
) -> None:
    places = []
    for place_id in dict.fromkeys(place_ids):
        place = session.get(Place, place_id)
        if place is None:
            raise NotFound(f"No place with id {place_id}.", {"place_id": place_id})
        places.append(place)
    case.places = places
    # A case's countries are its places' countries and any it names without a place.
    every_country = dict.fromkeys([*(p.country_code for p in places), *countries])
    case.tags = [
        *(CaseTag(kind="field", code=code) for code in dict.fromkeys(fields)),
        *(CaseTag(kind="mode", code=code) for code in dict.fromkeys(modes)),
        *(CaseTag(kind="country", code=code) for code in every_country),
    ]


def case_dict(case: Case) -> dict[str, Any]:
    """The JSON description of a case shared by the API, the CLI and the pages."""
    tags = {kind: [t.code for t in case.tags if t.kind == kind] for kind in ("field", "mode")}
    return {
        "id": case.id,
        **{name: getattr(case, name) for name in _TEXT_FIELDS},
        "fields": tags["field"],
        "modes": tags["mode"],
        "countries": sorted(t.code for t in case.tags if t.kind == "country"),
        "places": [
            {"id": p.id, "name": p.name, "name_zh": p.name_zh, "country": p.country_code}
            for p in case.places
        ],
    }


def reindex(session: Session, *, progress: Progress = silent) -> int:
    """Rewrite every case's index entry (after a change to the dictionary, say)."""
    ids = list(session.scalars(select(Case.id).order_by(Case.id)))
    for done, case_id in enumerate(ids, start=1):
        fulltext.write_case(session, session.get(Case, case_id))
        if done % 500 == 0 or done == len(ids):
            progress("Indexing cases", done, len(ids))
    return len(ids)


def _attachment_owner(session: Session, case_id: int) -> attachments.Owner:
    """A case as the attachments domain sees it: its officers' places may attach files."""
    case = get_case(session, case_id)
    return attachments.Owner("case", case.id, tuple(case.places), "case.write", f"/cases/{case.id}")


attachments.register_owner("case", _attachment_owner)


# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.cases.text import tokenizer as tokenizer
