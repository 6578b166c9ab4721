"""On the demo registry (SQLite, built once for the run: tests/support/demo.py): every candidate
recommended to 50 Chinese cities is at the asker's level, and Seoul, whose only Chinese partner is
Beijing, is offered to none of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.support.demo import demo_copy

from amity.core.db import make_engine, session_scope
from amity.matching import levels, recommend
from amity.matching.engine import engine
from amity.matching.settings import matching_settings
from amity.places.models import Place
from amity.places.service import place_level

pytestmark = pytest.mark.xdist_group("demo-levels")  # one worker: one demo copy

CITY_LEVELS = ("prefecture_city", "municipality", "autonomous_prefecture", "prefecture", "league")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator:
    engine = make_engine(demo_copy(tmp_path_factory, "levels"))
    yield engine
    engine.dispose()


def _chinese_cities(session, count: int) -> list[Place]:
    query = (
        select(Place)
        .where(Place.country_code == "CN", Place.admin_level.in_(CITY_LEVELS))
        .order_by(Place.id)
    )
    return session.scalars(query).all()[:count]


def test_fifty_chinese_cities_get_candidates_of_their_level_and_not_seoul(demo):
    with session_scope(demo) as session:
        seoul = session.scalars(select(Place).where(Place.name == "Seoul")).one()
        beijing = session.scalars(select(Place).where(Place.name == "Beijing")).one()
        askers = _chinese_cities(session, 50)
        assert len(askers) == 50 and beijing in askers
        kinds = dict(session.execute(select(Place.id, Place.kind)).all())
        admin = dict(session.execute(select(Place.id, Place.admin_level)).all())
        offered, wrong, with_seoul = 0, [], []
        for asker in askers:
            result = recommend.recommend(session, asker.id, k=10)
            allowed = levels.OFFERED[place_level(asker.kind, asker.admin_level)]
            for row in result["results"]:
                offered += 1
                if place_level(kinds[row["id"]], admin[row["id"]]) not in allowed:
                    wrong.append((asker.name, row["name"]))
                if row["id"] == seoul.id:
                    with_seoul.append(asker.name)
    assert offered >= 450
    assert wrong == []
    assert with_seoul == []


def test_seouls_city_slot_is_filled_by_beijing(demo):
    with session_scope(demo) as session:
        by_name = {name: session.scalars(select(Place).where(Place.name == name)).one()
                   for name in ("Seoul", "Lanzhou", "North Jeolla Province", "South Jeolla")}
        eng = engine(session, wait=True)
        reasons = recommend.constraint_reasons(eng, by_name["Lanzhou"], matching_settings())
        guangdong = recommend.recommend(session, _province(session, "广东省").id, k=10)
        levels_of = {r["id"]: _level(session, r["id"]) for r in guangdong["results"]}
    at = {name: eng.index.pos[place.id] for name, place in by_name.items()}
    assert reasons["home_level_taken"][at["Seoul"]]  # old: Beijing is no prefecture city
    # North and South Jeolla (provinces) were Lanzhou's 2nd and 4th; now they are another level.
    assert reasons["other_level"][at["North Jeolla Province"]]
    assert reasons["other_level"][at["South Jeolla"]]
    # Guangdong gets first-order divisions abroad (it got ten cities, San Francisco first).
    assert len(levels_of) == 10 and set(levels_of.values()) == {"subdivision1"}


def _province(session, name_zh: str) -> Place:
    return session.scalars(select(Place).where(Place.name_zh == name_zh)).one()


def _level(session, place_id: int) -> str:
    place = session.get(Place, place_id)
    return place_level(place.kind, place.admin_level)
