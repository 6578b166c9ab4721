"""Demo exchanges: each cites a seed and names places that resolve; only what a seed states."""

from __future__ import annotations

import json

from sqlalchemy import select

from amity.core.db import session_scope
from amity.core.demo import seed_titles
from amity.exchanges.demo import demo_records, record_demo, recordable
from amity.exchanges.models import Exchange
from amity.partnerships.rules import parse_partial_date
from amity.places.service import demo_place


def test_every_item_cites_a_seed_and_keeps_partial_dates():
    records = demo_records()
    assert len(records) >= 5
    for record in records:
        assert record["seed"] in seed_titles()
        assert record["places"] and record["title"]
        if record["start"]:
            parse_partial_date(record["start"])  # raises on a malformed date
        # One named place needs the other side said in words, never an invented place.
        assert len(record["places"]) == 2 or record["counterpart"]


def test_places_resolve_and_the_loader_records_only_what_it_can(gazetteer_engine):
    with session_scope(gazetteer_engine) as session:
        for record in demo_records():
            for spec in record["places"]:
                assert demo_place(session, spec) is not None, spec
        dated = {**demo_records()[0], "start": "2014"}  # a hand-made copy with a date
        counts = record_demo(session, [*demo_records(), dated])
        assert counts["exchanges"] == 1 + sum(map(recordable, demo_records()))
        assert counts["not_recorded"] == len(demo_records()) - sum(map(recordable, demo_records()))
        stored = session.scalars(select(Exchange)).all()
        assert {e.source for e in stored} == {f"demo: seed {dated['seed']}"}
        assert stored[0].mode == "university_federation" and stored[0].start == "2014"


def test_the_file_is_json_with_known_keys():
    allowed = {
        "seed",
        "title",
        "places",
        "counterpart",
        "mode",
        "fields",
        "start",
        "direction",
        "delegation_size",
        "delegation_level",
        "participants",
        "outcome",
    }
    for record in json.loads(demo_records.__globals__["DEMO_FILE"].read_text(encoding="utf-8")):
        assert set(record) <= allowed
