"""The demo content from the seeds: counts, places resolved, every item citing its seed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from amity.cases import demo as case_demo
from amity.cases.models import Case
from amity.cases.schemas import CaseQuery
from amity.cases.search import search_cases
from amity.core.db import session_scope
from amity.events import demo as event_demo
from amity.events.models import AwardEdition, AwardType, Event
from amity.places.models import Country
from amity.places.service import create_place

SEED = re.compile(r"\[seed \d{3}_[0-9a-f]{16}\.txt\]")
PLACES = [
    ("Shaanxi", "陕西省", "CN", "province"), ("Shandong", "山东省", "CN", "province"),
    ("Gyeonggi", "京畿道", "KR", "province"), ("Shanghai", "上海市", "CN", "city"),
    ("Xining", "西宁市", "CN", "city"), ("Yangzhou", "扬州市", "CN", "city"),
    ("Wenzhou", "温州市", "CN", "city"), ("Beijing", "北京市", "CN", "city"),
    ("Chengdu", "成都市", "CN", "city"), ("Guangzhou", "广州市", "CN", "city"),
    ("The Hague", "海牙", "NL", "city"), ("Jeju", "济州", "KR", "city"),
]  # fmt: skip


@pytest.fixture
def demo(sqlite_engine):
    with session_scope(sqlite_engine) as session:
        for iso2, en in (("CN", "China"), ("KR", "South Korea"), ("NL", "Netherlands"),
                         ("KZ", "Kazakhstan")):  # fmt: skip
            session.add(Country(iso2=iso2, iso3=iso2 + "X", name_en=en))
        session.flush()
        for name, zh, country, kind in PLACES:
            create_place(session, name=name, name_zh=zh, country_code=country, kind=kind)
        reports = (case_demo.load_demo(session), event_demo.load_demo(session))
    return {"engine": sqlite_engine, "reports": reports}


def test_counts_and_places(demo):
    cases, events = demo["reports"]
    assert cases == {"cases": 7, "places_unresolved": 0}
    assert events == {"events": 20, "award_types": 3, "award_editions": 4}
    with session_scope(demo["engine"]) as session:
        apple = session.scalars(select(Case).where(Case.title_en.like("%apple%"))).one()
        assert [p.name for p in apple.places] == ["Shaanxi"]
        hague = session.scalars(select(Event).where(Event.starts == "2012-09-19")).one()
        assert hague.place.name == "The Hague"


def test_every_item_cites_its_seed(demo):
    with session_scope(demo["engine"]) as session:
        sources = [
            *session.scalars(select(Case.source)),
            *session.scalars(select(Event.source)),
            *session.scalars(select(AwardType.source)),
            *session.scalars(select(AwardEdition.source)),
        ]
    assert len(sources) == 7 + 20 + 3 + 4
    assert all(SEED.search(source) for source in sources)


def test_the_conference_editions_and_the_three_awards(demo):
    with session_scope(demo["engine"]) as session:
        editions = session.scalars(select(AwardEdition).order_by(AwardEdition.year)).all()
        assert [(e.year, e.event.place.name) for e in editions] == [
            (2008, "Beijing"), (2010, "Shanghai"), (2012, "Chengdu"), (2014, "Guangzhou"),
        ]  # fmt: skip
        names = set(session.scalars(select(AwardType.name_zh)))
    assert names == {"国际友好城市交流合作奖", "国际友好城市特别贡献奖", "对华友好城市交流合作奖"}


def test_unknown_dates_stay_partial_or_empty(demo):
    with session_scope(demo["engine"]) as session:
        starts = {
            row.name_en: row.starts for row in session.execute(select(Event.name_en, Event.starts))
        }
    assert starts["China International Friendship Cities Conference 2008"] == "2008"
    assert starts["China-U.S. Governors Forum"] is None
    assert starts["1st International Forum on Public Diplomacy"] == "2012-05-18"


def test_loading_twice_adds_nothing_and_the_demo_is_searchable(demo):
    with session_scope(demo["engine"]) as session:
        assert case_demo.load_demo(session)["cases"] == 0
        assert event_demo.load_demo(session)["events"] == 0
        for q in ("苹果", "大学", "摄影展", "犹太", "西宁", "扬州", "温州", "apple"):
            assert search_cases(session, CaseQuery(q=q))["total"] >= 1, q
