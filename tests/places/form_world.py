"""The governance world (tests/auth/world.py) with the places the form tests type by name:
Shaanxi and Xi'an, and the two Taizhous (台州 in Zhejiang, 泰州 in Jiangsu) that only their
Chinese names and provinces tell apart; with an officer for Xi'an and one for Shaanxi."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from tests.auth.world import build_world

from amity.auth import service as auth
from amity.core.db import session_scope
from amity.places.models import Place, PlaceName
from amity.places.names import name_key

# key: (kind, name, name_zh, gb_code, province_code, parent key)
MORE_PLACES = {
    "shaanxi": ("province", "Shaanxi", "陕西省", "610000", "610000", None),
    "zhejiang": ("province", "Zhejiang", "浙江省", "330000", "330000", None),
    "xian": ("city", "Xi'an", "西安市", "610100", "610000", "shaanxi"),
    "taizhou_zj": ("city", "Taizhou", "台州市", "331000", "330000", "zhejiang"),
    "taizhou_js": ("city", "Taizhou", "泰州市", "321200", "320000", None),
}


def build_form_world(engine: Engine) -> dict:
    """build_world's ids, with the places above and the users `xa` (city officer of Xi'an) and
    `sx` (provincial officer of Shaanxi)."""
    world = build_world(engine)
    ids = world["places"]
    with session_scope(engine) as session:
        for key, (kind, name, name_zh, gb, province, parent) in MORE_PLACES.items():
            place = Place(
                kind=kind, name=name, name_zh=name_zh, country_code="CN", gb_code=gb,
                province_code=province, source="test", lat=30.0, lon=110.0,
                parent_id=ids[parent] if parent else None,
                names=[PlaceName(name=text, key=name_key(text), lang=lang)
                       for text, lang in ((name, "en"), (name_zh, "zh"))],
            )  # fmt: skip
            session.add(place)
            session.flush()
            ids[key] = place.id
        for username, role, place in (("xa", "city_officer", "xian"),
                                      ("sx", "provincial_officer", "shaanxi")):  # fmt: skip
            user = auth.create_user(session, username=username, password="correct-horse-1",
                                    role=role, place_id=ids[place])  # fmt: skip
            world["users"][username] = user.id
    return world
