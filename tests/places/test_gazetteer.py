"""The shipped gazetteer loads whole, fast, with China's divisions and merged seats."""

from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.places.gazetteer import load_gazetteer
from amity.places.models import Country, Place, PlaceName
from amity.places.resolve import resolve


def test_counts(gazetteer_load):
    engine, counts, seconds = gazetteer_load
    assert counts["countries"] == 250
    assert counts["provincial"] == 34
    assert counts["prefectural"] == 337
    # Seats of prefectures are merged (Guangzhou...), not added twice.
    assert counts["merged"] >= 300
    assert counts["geonames_cities"] + counts["merged"] == 34_006
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Country)) == 250
        provinces = session.scalar(select(func.count()).where(Place.gb_code.like("%0000")))
        assert provinces == 34
        prefectures = session.scalar(
            select(func.count()).where(Place.gb_code.is_not(None), Place.kind == "city")
        )
        assert prefectures == 337
        cities = session.scalar(select(func.count()).where(Place.kind == "city"))
        assert cities >= 34_000
        assert session.scalar(select(func.count()).select_from(PlaceName)) == counts["names"]
    assert seconds < 30


def test_municipalities_are_one_city_each(places_session):
    for code, name in [("110000", "Beijing"), ("120000", "Tianjin"), ("310000", "Shanghai"),
                       ("500000", "Chongqing")]:  # fmt: skip
        place = places_session.scalar(select(Place).where(Place.gb_code == code))
        assert (place.name, place.kind, place.admin_level) == (name, "city", "municipality")
        assert place.province_code == code
        assert place.geonames_id is not None  # merged with the GeoNames city
        same_name = places_session.scalars(select(Place).where(Place.name == name)).all()
        assert [p.id for p in same_name] == [place.id]


def test_prefecture_merged_with_its_seat(places_session):
    guangzhou = places_session.scalar(select(Place).where(Place.gb_code == "440100"))
    assert guangzhou.geonames_id == 1809858
    assert guangzhou.population > 10_000_000
    assert guangzhou.kind == "city" and guangzhou.admin_level == "prefecture_city"
    assert guangzhou.region3 == "east" and guangzhou.province_code == "440000"
    assert guangzhou.pinyin == "Guǎngzhōu"
    parent = places_session.get(Place, guangzhou.parent_id)
    assert parent.gb_code == "440000" and parent.kind == "province"
    keys = {n.key for n in guangzhou.names}
    assert {"guangzhou", "广州", "canton"} <= keys


def test_regions_of_china_keep_their_codes(places_session):
    for code, country in [("810000", "HK"), ("820000", "MO"), ("710000", "TW")]:
        place = places_session.scalar(select(Place).where(Place.gb_code == code))
        assert (place.kind, place.country_code) == ("province", country)
    hong_kong = places_session.scalar(select(Place).where(Place.gb_code == "810000"))
    assert hong_kong.geonames_id == 1819729
    kowloon = places_session.scalar(select(Place).where(Place.geonames_id == 1819609))
    assert kowloon.parent_id == hong_kong.id and kowloon.province_code == "810000"


def test_geonames_cities_of_china_get_their_province(places_session):
    # Kunshan (county-level city in Suzhou, Jiangsu) is not a prefecture seat.
    kunshan = places_session.scalar(select(Place).where(Place.name == "Kunshan"))
    assert kunshan.source == "geonames" and kunshan.gb_code is None
    assert (kunshan.province_code, kunshan.region3, kunshan.region4) == ("320000", "east", "east")


def test_belt_and_road_status(places_session):
    assert places_session.get(Country, "IT").bri_status == "exited"
    assert places_session.get(Country, "PK").bri_status == "active"
    assert places_session.get(Country, "KR").bri_confidence == "medium"
    assert places_session.get(Country, "US").bri_status is None


def test_loads_on_each_engine(engine):
    with session_scope(engine) as session:
        counts = load_gazetteer(session)
    assert counts["places"] > 34_000
    with session_scope(engine) as session:
        assert resolve(session, "廣州市").best.name == "Guangzhou"
        # Ids were given explicitly: the next insert must still get a fresh one.
        session.add(Place(kind="city", name="Nowhere", country_code="FR", source="test"))
        session.flush()
