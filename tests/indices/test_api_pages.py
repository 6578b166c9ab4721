"""The index API, pages in both languages and the command, on the fixture registry."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.cli import app as cli_app
from amity.http.app import create_app


@pytest.fixture
def client(registry):
    return TestClient(create_app(registry))


def test_ranking_api_and_filters(client):
    body = client.get("/api/v1/index").json()
    # Cities only (the fixture's two provinces, Hong Kong and Bavaria, are ranked apart).
    assert body["framework"] == "prr" and body["total"] == 15 and body["runs"] == 1000
    assert body["level"] == "city" and {p["level"] for p in body["places"]} == {"city"}
    places = body["places"]
    assert all(p["coverage"] == 1 and p["indicators_entering"] == 5 for p in places)
    assert body["coverage"] | {"indicators": None} == {
        "indicator_threshold": 0.5, "unit_threshold": 0.66, "indicators_entering": 5,
        "indicators": None, "places_ranked": 15, "places_not_ranked": 0,
    }  # fmt: skip
    left_out = {i["code"]: i["excluded"] for i in body["indicators"] if not i["available"]}
    assert left_out["gdp_per_capita"] == "no_data" and "partners" not in left_out
    provinces = client.get("/api/v1/index", params={"level": "subdivision1"}).json()
    assert {p["name"] for p in provinces["places"]} == {"Hong Kong", "Bavaria"}
    assert client.get("/api/v1/index", params={"level": "town"}).status_code == 422
    assert [p["rank"] for p in places] == sorted(p["rank"] for p in places)
    assert all(p["rank_low"] <= p["median_rank"] <= p["rank_high"] for p in places)
    assert places[0]["score"] == 100.0
    assert {p["code"]: p["available"] for p in body["pillars"]} == {
        "popularity": True, "reputation": False, "recognition": True,
    }  # fmt: skip
    china = client.get("/api/v1/index", params={"country": "cn"}).json()
    assert {p["country"] for p in china["places"]} == {"CN"} and china["total"] == 4
    assert sorted(p["country_rank"] for p in china["places"]) == [1, 2, 3, 4]
    jiangsu = client.get("/api/v1/index", params={"province": "320000"}).json()
    assert {p["name"] for p in jiangsu["places"]} == {"Nanjing", "Suzhou"}
    west = client.get("/api/v1/index", params={"region": "west"}).json()
    assert [p["name"] for p in west["places"]] == ["Chengdu"]
    big = client.get("/api/v1/index", params={"population_band": "5m_plus"}).json()
    assert all(p["population"] >= 5_000_000 for p in big["places"])
    assert client.get("/api/v1/index", params={"population_band": "huge"}).status_code == 422
    assert client.get("/api/v1/index", params={"page": 9}).status_code == 422
    assert client.get("/api/v1/index", params={"framework": "nope"}).status_code == 404
    five = client.get("/api/v1/index", params={"framework": "friendly_exchange"}).json()
    assert [p["code"] for p in five["pillars"] if p["available"]] == ["length", "breadth", "heat"]
    # Length rests on signing years, which 9 of the 15 cities have (60 %, so it enters): the six
    # without one have no record in that pillar and are not ranked, their coverage shown.
    assert five["total"] == 9 and five["unranked_total"] == 6
    assert {p["name"] for p in five["unranked"]} == {
        "Rio de Janeiro", "Mumbai", "Harbin", "Osaka", "Munich", "Bologna",
    }  # fmt: skip
    assert all(p["coverage"] == 0.8 and p["rank"] is None for p in five["unranked"])


def test_place_compare_and_framework_api(client):
    nanjing = client.get("/api/v1/index/places/10").json()
    assert nanjing["name"] == "Nanjing" and nanjing["degree"] == 4
    assert nanjing["peers"] | {"pillars": None} == {
        "basis": "country_and_band",
        "count": 3,
        "pillars": None,
    }
    partners = next(i for i in nanjing["indicators"] if i["code"] == "partners")
    assert partners["value"] == 4
    assert client.get("/api/v1/index/places/999").status_code == 404
    pair = client.get("/api/v1/index/compare", params={"a": 10, "b": 30}).json()
    assert (pair["a"]["name"], pair["b"]["name"]) == ("Nanjing", "Berlin")
    assert client.get("/api/v1/index/compare", params={"a": 10, "b": 10}).status_code == 422
    # A city and a province are not compared (not ranked together either).
    assert client.get("/api/v1/index/compare", params={"a": 10, "b": 32}).status_code == 422
    method = client.get("/api/v1/index/frameworks/prr").json()
    shares = method["sensitivity"]
    assert set(shares) == {"imputation", "normalisation", "weighting", "aggregation",
                           "interactions_and_weights"}  # fmt: skip
    assert sum(v for k, v in shares.items() if k != "interactions_and_weights") <= 1
    assert {r["factor"] for r in method["robustness"]} == {
        "imputation", "normalisation", "weighting", "aggregation",
    }  # fmt: skip
    index_row = method["validation"]["correlations"][0]
    assert index_row["measure"] == "index" and index_row["degree_spearman"] > 0.5
    assert client.get("/api/v1/index/frameworks/nope").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["城市外交指数", "知名度", "排名中位数", "数据覆盖", "覆盖规则", "未纳入的指标"]),
        ("en", ["City-diplomacy index", "Popularity", "Data coverage", "Indicators left out"]),
    ],
)
def test_pages_in_both_languages(client, lang, words):
    ranking = client.get("/index", params={"lang": lang})
    assert ranking.status_code == 200
    assert all(word in ranking.text for word in words)
    assert 'id="index-intervals"' in ranking.text and "/static/js/indices.js" in ranking.text
    assert "<script>" not in ranking.text
    profile = client.get("/index/places/10", params={"lang": lang})
    assert profile.status_code == 200 and 'data-radar="' in profile.text
    compare = client.get("/index/compare", params={"a": 10, "b": 30, "lang": lang})
    assert compare.status_code == 200
    method = client.get("/index/methodology", params={"lang": lang})
    assert method.status_code == 200
    assert ("稳健性" if lang == "zh" else "Robustness") in method.text
    assert ("美誉度" if lang == "zh" else "Reputation") in method.text
    assert client.get("/index/places/999", params={"lang": lang}).status_code == 404
    filtered = client.get("/index", params={"lang": lang, "country": "JP"})
    assert "Tokyo" in filtered.text and "Nanjing" not in filtered.text


def test_command(registry, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", registry.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(cli_app, ["index", "--json", "--runs", "50", "--seed", "3",
                                          "--top", "3"])  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["runs"] == 50 and body["seed"] == 3 and len(body["top"]) == 3
    again = CliRunner().invoke(cli_app, ["index", "--json", "--runs", "50", "--seed", "3"])
    assert json.loads(again.stdout)["top"][:3] == body["top"]
    table = CliRunner().invoke(cli_app, ["index", "--framework", "friendly_exchange"])
    assert table.exit_code == 0 and "Pillars without an indicator" in table.output
    assert "Not ranked, too little data" in table.output and "coverage" in table.output


def test_import_command(registry, monkeypatch, tmp_path):
    monkeypatch.setenv("AMITY_DATABASE_URL", registry.url.render_as_string(hide_password=False))
    good = tmp_path / "figures.csv"
    good.write_text("place_id,indicator,value,year,source\n10,pm25,30,2022,x\n", encoding="gb18030")
    dry = CliRunner().invoke(cli_app, ["index", "import", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output
    bad = tmp_path / "bad.csv"
    bad.write_text("place_id,indicator,value,year\n999,pm25,30,2022\n", encoding="utf-8")
    refused = CliRunner().invoke(cli_app, ["index", "import", str(bad)])
    assert refused.exit_code == 1 and "line 2" in refused.output
