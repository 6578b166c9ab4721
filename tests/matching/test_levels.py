"""Level-true recommendations, the one-partner rule by slot and the office's filters, on the
hand-built network with places of every level added (both engines)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from amity.core.db import session_scope
from amity.core.errors import InvalidInput
from amity.http.app import create_app
from amity.matching import levels, recommend
from amity.matching.settings import MatchingSettings
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

RULE_OFF = MatchingSettings(one_home_partner_per_level=False)
# key: (kind, admin_level, name, name_zh, country, lat, lon)
MORE = {
    "beijing": ("city", "municipality", "Beijing", "北京市", "CN", 39.9, 116.4),
    "yanta": ("city", "district", "Yanta", "雁塔区", "CN", 34.2, 108.95),
    "seoul": ("city", "city", "Seoul", "首尔", "KR", 37.57, 126.98),
    "bavaria": ("province", "subdivision1", "Bavaria", "巴伐利亚州", "DE", 48.8, 11.5),
    "hokkaido": ("province", "subdivision1", "Hokkaido", "北海道", "JP", 43.06, 141.35),
    "rhone": ("province", "subdivision2", "Rhône", "罗讷省", "FR", 45.9, 4.6),
    "lyon1": ("city", "district", "Lyon 1st", "里昂第一区", "FR", 45.77, 4.83),
}  # fmt: skip
MORE_EDGES = [("beijing", "seoul"), ("beijing", "bavaria"), ("seoul", "kyoto")]


@pytest.fixture
def world(network: dict) -> dict:
    """The network with a municipality, a district, a province and a county abroad, Seoul."""
    ids = dict(network["ids"])
    with session_scope(network["engine"]) as session:
        session.add(Country(iso2="KR", iso3="KOR", name_en="South Korea", name_zh="韩国",
                            continent="Asia", un_subregion="Eastern Asia",
                            bri_status="active"))  # fmt: skip
        session.flush()
        for key, (kind, level, name, zh, country, lat, lon) in MORE.items():
            place = Place(kind=kind, admin_level=level, name=name, name_zh=zh, lat=lat, lon=lon,
                          country_code=country, source="test")  # fmt: skip
            session.add(place)
            session.flush()
            ids[key] = place.id
        for a, b in MORE_EDGES:
            low, high = sorted((ids[a], ids[b]))
            session.add(Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                                    level="city_city", status="active", source="test"))  # fmt: skip
    return {**network, "ids": ids}


def _names(result) -> set[str]:
    return {row["name"] for row in result["results"]}


def _offered(world, key, **kwargs) -> set[str]:
    with session_scope(world["engine"]) as session:
        return _names(recommend.recommend(session, world["ids"][key], k=50, **kwargs))


CITIES_ABROAD = {"Paris", "Lyon", "Berlin", "Osaka", "Kyoto", "Nairobi", "Seoul"}


@pytest.mark.parametrize(
    ("asker", "expected"),
    [
        # A city is offered cities only: not Bavaria, Hokkaido, the Rhône or Lyon's district.
        ("xian", CITIES_ABROAD - {"Paris", "Osaka"}),
        # A province is offered provinces and states.
        ("shaanxi", {"Bavaria", "Hokkaido"}),
        # A municipality is a city and a province at once.
        ("beijing", CITIES_ABROAD - {"Seoul"} | {"Hokkaido"}),
        # A district is offered districts and cities.
        ("yanta", CITIES_ABROAD | {"Lyon 1st"}),
        # Abroad: a province gets provinces and the municipalities; a county gets cities.
        ("bavaria", {"Shaanxi"}),
        ("rhone", {"Xi'an", "Baoji", "Chengdu", "Beijing"}),
        ("lyon1", {"Yanta", "Xi'an", "Baoji", "Chengdu"}),
    ],
)
def test_a_place_is_offered_places_of_its_level(world, asker, expected):
    assert _offered(world, asker, settings=RULE_OFF) == expected


def test_the_other_levels_are_explained(world):
    with session_scope(world["engine"]) as session:
        result = recommend.recommend(session, world["ids"]["xian"], explain_excluded=True)
    groups = {g["reason"]: g for g in result["excluded"]}
    other = groups["other_level"]
    assert {e["name"] for e in other["examples"]} == {"Bavaria", "Hokkaido", "Rhône", "Lyon 1st"}
    assert other["text"]["zh"] == "行政级别不对等（城市对城市，省对省、州）"


def test_a_municipalitys_pair_with_a_city_fills_the_city_slot(world):
    """Seoul's only Chinese partner is Beijing, a municipality: no other Chinese city gets it."""
    ids = world["ids"]
    with session_scope(world["engine"]) as session:
        xian = recommend.recommend(session, ids["xian"], k=50, explain_excluded=True)
        seoul = recommend.recommend(session, ids["seoul"], k=50, explain_excluded=True)
        shaanxi = recommend.recommend(session, ids["shaanxi"], k=50, explain_excluded=True)
    assert "Seoul" not in _names(xian)
    taken = {g["reason"]: g for g in xian["excluded"]}["home_level_taken"]
    assert "Seoul" in {e["name"] for e in taken["examples"]}
    # From Seoul's side: every Chinese city is taken (Beijing is its partner already).
    assert _names(seoul) == set()
    groups = {g["reason"]: g for g in seoul["excluded"]}
    assert {e["name"] for e in groups["home_level_taken"]["examples"]} == {
        "Xi'an", "Baoji", "Chengdu", "Beijing"
    }  # fmt: skip
    # Beijing's pair with Bavaria, a state, fills Bavaria's province slot; Hokkaido's is free
    # (Nairobi's is filled by Shaanxi itself).
    assert _names(shaanxi) == {"Hokkaido"}
    groups = {g["reason"]: g for g in shaanxi["excluded"]}
    assert {e["name"] for e in groups["home_level_taken"]["examples"]} == {"Bavaria", "Nairobi"}


def test_slots_of_pairs():
    L = levels.CODE
    assert levels.slots(L["municipality"], L["city"]) == levels.CITY_SLOT
    assert levels.slots(L["municipality"], L["subdivision1"]) == levels.PROVINCE_SLOT
    assert levels.slots(L["subdivision1"], L["city"]) == levels.PROVINCE_SLOT
    assert levels.slots(L["city"], L["city"]) == levels.CITY_SLOT
    assert levels.slots(L["district"], L["city"]) == levels.DISTRICT_SLOT
    # Every level has its offer, and the offers are levels.
    assert set(levels.OFFERED) == set(levels.LEVELS)
    assert all(set(v) <= set(levels.LEVELS) for v in levels.OFFERED.values())


def test_filters_of_the_offices_priorities(world, monkeypatch):
    ids = world["ids"]
    with session_scope(world["engine"]) as session:
        bri = recommend.recommend(session, ids["chengdu"], belt_and_road=True, settings=RULE_OFF)
        east = recommend.recommend(session, ids["chengdu"], region="Eastern Asia",
                                   settings=RULE_OFF)  # fmt: skip
        both = recommend.recommend(session, ids["chengdu"], region="Eastern Asia",
                                   belt_and_road=True, settings=RULE_OFF)  # fmt: skip
        # Pairs with China: France 3, Japan 1, Germany 2, Kenya 1, South Korea 1.
        monkeypatch.setattr(recommend, "UNDER_REPRESENTED_BELOW", 2)
        few = recommend.recommend(session, ids["chengdu"], under_represented=True,
                                  settings=RULE_OFF)  # fmt: skip
    assert _names(bri) == {"Nairobi", "Seoul"}  # Kenya and South Korea signed
    assert _names(east) == {"Osaka", "Kyoto", "Seoul"}
    assert _names(both) == {"Seoul"}
    assert _names(few) == {"Osaka", "Kyoto", "Nairobi", "Seoul"}
    assert few["filter"] == {
        "country": None, "continent": None, "region": None, "belt_and_road": False,
        "under_represented": True, "under_represented_below": 2,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "South Asia"}, "Unknown region. Allowed (UN M49 sub-regions): Australia"),
        ({"continent": "Atlantis"}, "Unknown continent. Allowed: Africa, Antarctica, Asia"),
        ({"country": "ZZ"}, "Unknown country: give the ISO 3166-1 alpha-2 code"),
    ],
)
def test_unknown_filter_values_are_refused_with_the_allowed_ones(world, kwargs, message):
    with session_scope(world["engine"]) as session, pytest.raises(InvalidInput) as refused:
        recommend.recommend(session, world["ids"]["xian"], **kwargs)
    assert refused.value.message.startswith(message)


def test_the_api_takes_the_filters_and_refuses_in_chinese(world):
    api = TestClient(create_app(world["engine"]))
    xian = world["ids"]["xian"]
    found = api.get("/api/v1/recommend", params={"place": xian, "region": "Eastern Asia",
                                                 "belt_and_road": "true"})  # fmt: skip
    assert found.status_code == 200
    assert [r["name"] for r in found.json()["results"]] == []  # Seoul: city slot filled
    assert found.json()["filter"]["region"] == "Eastern Asia"
    bad = api.get("/api/v1/recommend", params={"place": xian, "region": "Mars"},
                  headers={"Accept-Language": "zh-CN"})  # fmt: skip
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["message"].startswith("未知的地区。可选（联合国 M49 次区域）：")
    assert "Southern Asia（南亚）" in error["message"]
    assert "Southern Asia" in error["details"]["allowed"]
    english = api.get("/api/v1/recommend", params={"place": xian, "continent": "Mars"})
    assert english.json()["error"]["message"].startswith("Unknown continent. Allowed: Africa")


def test_the_allowed_values_are_those_of_the_countries_facts():
    import csv

    from amity.places.service import DATA_DIR

    with (DATA_DIR / "facts" / "countries.csv").open(encoding="utf-8") as rows:
        countries = list(csv.DictReader(rows))
    assert {c["continent"] for c in countries if c["continent"]} == set(recommend.CONTINENTS)
    assert {c["un_subregion"] for c in countries if c["un_subregion"]} == set(recommend.REGIONS)


def test_the_command_takes_the_filters_and_refuses_unknown_values(world, monkeypatch):
    import json

    import typer
    from typer.testing import CliRunner

    from amity.matching import cli

    url = world["engine"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("AMITY_DATABASE_URL", url)
    app = typer.Typer()
    cli.register(app)
    runner = CliRunner()
    xian = str(world["ids"]["xian"])
    found = runner.invoke(app, ["recommend", xian, "--belt-and-road", "--under-represented",
                                "--region", "Sub-Saharan Africa", "--json"])  # fmt: skip
    assert found.exit_code == 0, found.output
    answer = json.loads(found.output)
    assert [r["name"] for r in answer["results"]] == ["Nairobi"]
    assert answer["filter"]["region"] == "Sub-Saharan Africa"
    assert answer["filter"]["under_represented_below"] == recommend.UNDER_REPRESENTED_BELOW
    table = runner.invoke(app, ["recommend", xian, "--continent", "Africa"])
    assert table.exit_code == 0 and "candidates after the filters and the rules" in table.output
    refused = runner.invoke(app, ["recommend", xian, "--region", "Mars"])
    assert refused.exit_code == 2
    assert "Unknown region. Allowed (UN M49 sub-regions)" in refused.output
