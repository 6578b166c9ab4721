"""A small case library on each engine: three countries, four places, five cases."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core.db import session_scope
from amity.places.models import Country
from amity.places.service import create_place

COUNTRIES = [("CN", "CHN", "China", "中国"), ("KR", "KOR", "South Korea", "韩国"),
             ("KZ", "KAZ", "Kazakhstan", "哈萨克斯坦")]  # fmt: skip


def fill_library(engine: Engine) -> dict[str, int]:
    """Countries, places and cases; returns ids by key."""
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        for iso2, iso3, en, zh in COUNTRIES:
            session.add(Country(iso2=iso2, iso3=iso3, name_en=en, name_zh=zh))
        session.flush()
        for key, name, zh, country, kind in (
            ("shaanxi", "Shaanxi", "陕西省", "CN", "province"),
            ("shandong", "Shandong", "山东省", "CN", "province"),
            ("gyeonggi", "Gyeonggi", "京畿道", "KR", "province"),
            ("xining", "Xining", "西宁市", "CN", "city"),
        ):
            place = create_place(
                session, name=name, name_zh=zh, country_code=country, kind=kind, source="test"
            )
            ids[key] = place.id
        cases = {
            "apple": CaseCreate(
                title_zh="陕西与哈萨克斯坦共建苹果园",
                title_en="Shaanxi apple orchards in Kazakhstan",
                summary_zh="陕西把苹果树、种植技术和经验带回苹果的故乡哈萨克斯坦。",
                summary_en="Shaanxi took apple trees and growing techniques back to Kazakhstan.",
                year=2015,
                fields=["agriculture"],
                modes=["investment"],
                countries=["KZ"],
                place_ids=[ids["shaanxi"]],
                source="seed 003",
            ),
            "universities": CaseCreate(
                title_zh="山东与京畿道大学联盟",
                title_en="The Shandong–Gyeonggi federation of universities",
                summary_zh="十几所大学共享高等教育资源，学生参加交流项目和夏令营。",
                summary_en="Students join exchange programmes in more than a dozen universities.",
                year=2014,
                fields=["education"],
                modes=["university_federation"],
                place_ids=[ids["shandong"], ids["gyeonggi"]],
                source="seed 003",
            ),
            "seminar": CaseCreate(
                title_zh="西宁生态文明城市研讨会",
                title_en="Xining ecological city seminar",
                summary_zh="研讨会之后，双方签署城市外交案例研究合作协议；友城工作也谈到大学。",
                summary_en="A seminar on the ecological city; the partners also spoke of apples.",
                body_en="Friendship cities (友城) and city diplomacy were discussed at length.",
                year=2014,
                fields=["environment"],
                modes=["seminar"],
                place_ids=[ids["xining"]],
                source="seed 000",
            ),
            "photos": CaseCreate(
                title_zh="“我眼中的你的城市”摄影展",
                title_en='"Your City in My Eyes" photo exhibition',
                summary_zh="国际友城之间的主题摄影展。",
                summary_en="A themed photo exhibition between sister cities; folk art too.",
                fields=["culture"],
                modes=["exhibition"],
                source="seed 003",
            ),
            "english_only": CaseCreate(
                title_en="Universities & apples: a note, with <tags>",
                summary_en="Commas, semicolons; and ampersands & angle brackets <b>.",
                year=2013,
                fields=["education", "agriculture"],
                source="a test",
            ),
        }
        for key, data in cases.items():
            ids[key] = create_case(session, data).id
    return ids


@pytest.fixture
def library(engine: Engine) -> dict:
    return {"engine": engine, "ids": fill_library(engine)}


@pytest.fixture
def sqlite_library(sqlite_engine: Engine) -> dict:
    """The same library on SQLite only, for page tests."""
    return {"engine": sqlite_engine, "ids": fill_library(sqlite_engine)}
