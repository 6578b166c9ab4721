"""A small world for the governance tests: two provinces, three of their cities, four places
abroad, two pairs, and one account per role (password PASSWORD)."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from amity.auth import service
from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place, PlaceName
from amity.places.names import name_key

PASSWORD = "correct-horse-1"
# Cheap argon2 parameters for the tests' many accounts (a hash carries its own parameters, so
# verifying works the same); the application keeps argon2-cffi's defaults.
service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
COUNTRIES = [("CN", "China", "中国", "Asia"), ("FR", "France", "法国", "Europe"),
             ("JP", "Japan", "日本", "Asia"), ("KE", "Kenya", "肯尼亚", "Africa")]  # fmt: skip
# key: (kind, name, name_zh, country, gb_code, province_code, parent key)
PLACES = {
    "jiangsu": ("province", "Jiangsu", "江苏省", "CN", "320000", "320000", None),
    "sichuan": ("province", "Sichuan", "四川省", "CN", "510000", "510000", None),
    "nanjing": ("city", "Nanjing", "南京市", "CN", "320100", "320000", "jiangsu"),
    "suzhou": ("city", "Suzhou", "苏州市", "CN", "320500", "320000", "jiangsu"),
    "chengdu": ("city", "Chengdu", "成都市", "CN", "510100", "510000", "sichuan"),
    "paris": ("city", "Paris", "巴黎", "FR", None, None, None),
    "lyon": ("city", "Lyon", "里昂", "FR", None, None, None),
    "osaka": ("city", "Osaka", "大阪", "JP", None, None, None),
    "nairobi": ("city", "Nairobi", "内罗毕", "KE", None, None, None),
}
PAIRS = [("nanjing", "paris"), ("suzhou", "osaka")]
# username: (role, place key)
USERS = {
    "admin": ("national_admin", None),
    "js": ("provincial_officer", "jiangsu"),
    "sc": ("provincial_officer", "sichuan"),
    "nj": ("city_officer", "nanjing"),
    "sz": ("city_officer", "suzhou"),
    "cd": ("city_officer", "chengdu"),
    "res": ("researcher", None),
}


def build_world(engine: Engine) -> dict:
    """Place ids, pair ids and user ids by key."""
    with session_scope(engine) as session:
        for iso2, en, zh, continent in COUNTRIES:
            session.add(
                Country(iso2=iso2, iso3=iso2 + "X", name_en=en, name_zh=zh, continent=continent)
            )
        places: dict[str, Place] = {}
        for key, (kind, name, name_zh, cc, gb, province, parent) in PLACES.items():
            places[key] = Place(
                kind=kind, name=name, name_zh=name_zh, country_code=cc, gb_code=gb,
                province_code=province, source="test", lat=30.0, lon=110.0,
                parent_id=places[parent].id if parent else None,
            )  # fmt: skip
            # Their names, so that the forms find them as people type them (西安, Lyon).
            places[key].names = [PlaceName(name=text, key=name_key(text), lang=lang)
                                 for text, lang in ((name, "en"), (name_zh, "zh"))]  # fmt: skip
            session.add(places[key])
            session.flush()
        pairs = []
        for a, b in PAIRS:
            low, high = sorted((places[a].id, places[b].id))
            pair = Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                               level="city_city", status="active", source="test")  # fmt: skip
            session.add(pair)
            session.flush()
            pairs.append(pair.id)
        users = {}
        for username, (role, place) in USERS.items():
            user = service.create_user(
                session, username=username, password=PASSWORD, role=role,
                place_id=places[place].id if place else None,
            )  # fmt: skip
            users[username] = user.id
        return {"places": {k: p.id for k, p in places.items()}, "pairs": pairs, "users": users}


def actor(engine: Engine, username: str):
    """The Actor of a world user."""
    from amity.auth.permissions import actor_for

    with session_scope(engine) as session:
        return actor_for(service.find_user(session, username))
