"""Events on each engine: a few places and events with full, partial and missing dates."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from amity.core.db import session_scope
from amity.events import awards
from amity.events.models import AwardType
from amity.events.schemas import EditionCreate, EventCreate, NominationCreate, ScoreCreate
from amity.events.service import create_event
from amity.places.models import Country, Place


def fill_events(engine: Engine) -> dict[str, int]:
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        session.add(Country(iso2="CN", iso3="CHN", name_en="China", name_zh="中国"))
        session.add(Country(iso2="NL", iso3="NLD", name_en="Netherlands", name_zh="荷兰"))
        session.flush()
        for key, name, zh, country in (
            ("beijing", "Beijing", "北京市", "CN"),
            ("hague", "The Hague", "海牙", "NL"),
            ("chengdu", "Chengdu", "成都市", "CN"),
        ):
            place = Place(kind="city", name=name, name_zh=zh, country_code=country, source="test")
            session.add(place)
            session.flush()
            ids[key] = place.id
        events = {
            "ifpd1": EventCreate(
                name_zh="第一届公共外交国际论坛",
                name_en="1st International Forum on Public Diplomacy",
                kind="forum",
                series="ifpd",
                edition=1,
                starts="2012-05-18",
                theme_en="Wisdom of Public Diplomacy: China-US-EU Dialogue",
                organisers=["The Charhar Institute"],
                place_id=ids["beijing"],
                attendance=150,
                source="seed 000",
            ),
            "ifpd2": EventCreate(
                name_en="2nd International Forum on Public Diplomacy",
                kind="forum",
                series="ifpd",
                starts="2012-09-19",
                ends="2012-09-20",
                place_id=ids["hague"],
                venue="Peace Palace; hall 2, east wing",
                source="seed 000",
                sessions=[
                    {
                        "title_en": "Opening",
                        "starts_at": "2012-09-19T09:00",
                        "speakers": ["Lyu Fengding"],
                    }
                ],
            ),
            "cifcc2012": EventCreate(
                name_zh="2012中国国际友好城市大会",
                kind="conference",
                series="cifcc",
                starts="2012",
                place_id=ids["chengdu"],
                source="seed 002",
            ),
            "jeju": EventCreate(
                name_en="Jeju Forum sub-forum",
                kind="forum",
                starts="2013-05",
                source="seed 000",
            ),
            "undated": EventCreate(
                name_en="China-Japan Governors Forum",
                kind="forum",
                source="seed 002",
            ),
        }
        for key, data in events.items():
            ids[key] = create_event(session, data).id
    return ids


@pytest.fixture
def calendar(engine: Engine) -> dict:
    return {"engine": engine, "ids": fill_events(engine)}


@pytest.fixture
def sqlite_calendar(sqlite_engine: Engine) -> dict:
    """The same events on SQLite only, for page tests."""
    return {"engine": sqlite_engine, "ids": fill_events(sqlite_engine)}


SCORES = {  # nominee: [(judge, criterion, score)]
    "beijing": [("A", "impact", 8), ("B", "impact", 9), ("A", "reach", 7)],  # mean 8.0
    "hague": [("A", "impact", 9), ("B", "impact", 9)],  # mean 9.0
    "chengdu": [("A", "impact", 8), ("B", "impact", 8)],  # mean 8.0, fewer scores
}


@pytest.fixture
def edition(calendar) -> dict:
    ids = calendar["ids"]
    with session_scope(calendar["engine"]) as session:
        session.add(AwardType(code="exchange", name_zh="交流合作奖", name_en="Exchange Award",
                              source="seed 002"))  # fmt: skip
        session.flush()
        awards.create_edition(
            session,
            EditionCreate(
                year=2012, event_id=ids["cifcc2012"], source="seed 002", winners_per_award=2
            ),  # fmt: skip
        )
        nominations = {}
        for key, scores in [*SCORES.items(), ("unscored", [])]:
            place = ids.get(key, ids["beijing"])
            nomination = awards.nominate(
                session,
                2012,
                NominationCreate(
                    award="exchange", place_id=place, citation_en=f"{key} citation"
                ),  # fmt: skip
            )
            nominations[key] = nomination.id
            for judge, criterion, score in scores:
                awards.score(session, nomination.id, ScoreCreate(judge=judge, criterion=criterion,
                                                                 score=score))  # fmt: skip
    return {**calendar, "nominations": nominations}
