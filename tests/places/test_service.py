"""Places added after the gazetteer are found at once; summaries, search, CLI and API."""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.cli import app as cli_app
from amity.core import db
from amity.core.db import session_factory
from amity.core.errors import InvalidInput, NotFound
from amity.http.app import create_app
from amity.places.resolve import resolve
from amity.places.service import create_place, get_place, place_summary, search_places


def test_created_place_is_resolvable_in_the_same_session(places_session):
    assert resolve(places_session, "Ploxhaven Minor").matches == []
    place = create_place(
        places_session, name="Ploxhaven Minor", country_code="de", lat=50.87, lon=9.7,
        wikidata="Q999999999",
    )  # fmt: skip
    result = resolve(places_session, "ploxhaven-minor", country="DE")
    assert result.status == "resolved" and result.best.id == place.id
    assert result.best.wikidata == "Q999999999"


def test_created_place_is_seen_by_others_after_commit_only(gazetteer_copy):
    make = session_factory(gazetteer_copy)
    with make() as writer:
        place = create_place(writer, name="温宿测试镇", country_code="CN")
        with make() as reader:
            assert resolve(reader, "温宿测试镇").matches == []
        writer.commit()
    with make() as reader:
        best = resolve(reader, "溫宿測試鎮").best
        assert best.id == place.id and best.name_zh == "温宿测试镇"


def test_rolled_back_place_is_forgotten(gazetteer_engine):
    make = session_factory(gazetteer_engine)
    with make() as writer:
        create_place(writer, name="Atlantis Minor", country_code="GR")
        writer.rollback()
        assert resolve(writer, "Atlantis Minor").matches == []


def test_create_place_rejects_bad_input(places_session):
    with pytest.raises(InvalidInput):
        create_place(places_session, name="  ", country_code="FR")
    with pytest.raises(InvalidInput):
        create_place(places_session, name="Somewhere", country_code="XX")
    with pytest.raises(InvalidInput):
        create_place(places_session, name="Somewhere", country_code="FR", kind="planet")


def test_get_place_and_summary(places_session):
    guangzhou = resolve(places_session, "广州").best
    summary = place_summary(get_place(places_session, guangzhou.id))
    assert summary["gb_code"] == "440100" and summary["province_code"] == "440000"
    assert summary["country_name_zh"] == "中国" and summary["region3"] == "east"
    assert summary["admin_level"] == "prefecture_city" and summary["geonames_id"] == 1809858
    with pytest.raises(NotFound):
        get_place(places_session, 10**9)


def test_search_places(places_session):
    assert [m.gb_code for m in search_places(places_session, "Amoy", 5)][:1] == ["350200"]
    assert search_places(places_session, "xyzzyqwerty", 5) == []


@pytest.fixture
def cli_database(gazetteer_engine, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", str(gazetteer_engine.url))
    db.clear_engines()
    yield
    db.clear_engines()


def test_cli_resolve_json(cli_database):
    out = CliRunner().invoke(cli_app, ["resolve", "廣州市", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["query"] == "廣州市" and data["matches"][0]["name"] == "Guangzhou"
    out = CliRunner().invoke(cli_app, ["resolve", "xyzzyqwerty", "--json"])
    nothing = {"query": "xyzzyqwerty", "status": "unresolved", "matches": []}
    assert json.loads(out.output) == nothing


def test_cli_resolve_table(cli_database):
    out = CliRunner().invoke(cli_app, ["resolve", "Springfield", "--country", "US"])
    assert out.exit_code == 0 and "ambiguous" in out.output and "US" in out.output


def test_api(gazetteer_engine):
    client = TestClient(create_app(gazetteer_engine))
    data = client.get("/api/v1/resolve", params={"q": "Amoy"}).json()
    assert data["matches"][0]["name"] == "Xiamen"
    data = client.get("/api/v1/resolve", params={"q": "Paris", "country": "DE"}).json()
    assert data == {"query": "Paris", "status": "unresolved", "matches": []}
    assert client.get("/api/v1/resolve", params={"q": ""}).status_code == 422
    place_id = client.get("/api/v1/resolve", params={"q": "西安"}).json()["matches"][0]["id"]
    summary = client.get(f"/api/v1/places/{place_id}").json()
    assert summary["gb_code"] == "610100" and summary["name_zh"] == "西安市"
    missing = client.get("/api/v1/places/999999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_summary_names_taiwan_as_a_region_of_china(places_session):
    taipei = resolve(places_session, "臺北").best
    summary = place_summary(get_place(places_session, taipei.id))
    assert summary["country"] == "TW"
    assert (summary["country_name"], summary["country_name_zh"]) == ("Taiwan, China", "中国台湾")
