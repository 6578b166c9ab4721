"""The query service: filters, facets that ignore their own filter, sorting, stats, partners."""

from __future__ import annotations

import json

import pytest
import typer
from sqlalchemy import update
from typer.testing import CliRunner

from amity.analytics import stats_cli
from amity.core.db import clear_engines, session_scope
from amity.core.errors import InvalidInput, NotFound
from amity.partnerships.models import Partnership
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import list_partnerships, place_partners, registry_stats
from amity.places.models import Place


def run(engine, **filters) -> dict:
    with session_scope(engine) as session:
        return list_partnerships(session, PartnershipQuery(**filters))


def counts(result: dict, facet: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in result["facets"][facet]}


def test_no_filter_lists_everything_with_facets(engine, small_registry):
    result = run(engine)
    assert result["total"] == 9
    assert [item["id"] for item in result["items"]] == sorted(small_registry["pairs"])
    assert counts(result, "country") == {
        "CN": 6, "FR": 4, "JP": 3, "DE": 2, "US": 1, "KE": 1, "HK": 1
    }
    assert counts(result, "continent") == {
        "Asia": 8, "Europe": 5, "Africa": 1, "North America": 1
    }
    assert counts(result, "region") == {"east": 4, "west": 2}
    assert counts(result, "province") == {"320000": 4, "510000": 2}
    assert counts(result, "status")["active"] == 6


def test_country_matches_either_side(engine, small_registry):
    result = run(engine, country=["FR"])
    assert result["total"] == 4
    for item in result["items"]:
        assert "FR" in (item["a"]["country"], item["b"]["country"])


def test_facets_ignore_their_own_filter_but_apply_the_others(engine, small_registry):
    result = run(engine, country=["CN"], kind=["sister_city"])
    assert result["total"] == 1
    # Country counts use kind=sister_city only: widening the country is visible.
    assert counts(result, "country") == {"CN": 1, "JP": 2, "FR": 1, "DE": 1, "HK": 1}
    # Kind counts use country=CN only.
    assert counts(result, "kind") == {
        "friendship_city": 4, "sister_city": 1, "friendly_exchange": 1
    }
    # Other facets apply both filters.
    assert counts(result, "status") == {"active": 1}


def test_several_values_of_one_filter_mean_any(engine, small_registry):
    assert run(engine, country=["US", "KE"])["total"] == 2
    assert run(engine, status=["dormant", "proposed"])["total"] == 2


def test_chosen_value_without_matches_stays_in_its_facet(engine, small_registry):
    result = run(engine, kind=["cooperation"], status=["active"])
    assert result["total"] == 0
    assert counts(result, "status") == {"terminated": 1, "active": 0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("paris", 2), ("PARIS", 2), ("南京", 2), ("中国香港", 1), ("hong kong, china", 1),
     ("zzz", 0)],
)
def test_text_search_covers_both_languages_and_countries(engine, small_registry, text, expected):
    assert run(engine, q=text)["total"] == expected


def test_region_province_and_place_filters(engine, small_registry):
    assert run(engine, region=["west"])["total"] == 2
    assert run(engine, province=["320000"], continent=["Europe"])["total"] == 3
    osaka = small_registry["places"]["osaka"]
    result = run(engine, place=[osaka])
    assert result["total"] == 3
    assert all(osaka in (i["a"]["id"], i["b"]["id"]) for i in result["items"])


def test_unknown_country_or_place_is_invalid(engine, small_registry):
    with pytest.raises(InvalidInput):
        run(engine, country=["ZZ"])
    with pytest.raises(InvalidInput):
        run(engine, place=[999_999])


def test_home_country_convention_in_labels(engine, small_registry):
    hk = next(r for r in run(engine)["facets"]["country"] if r["value"] == "HK")
    assert (hk["label"], hk["label_zh"]) == ("Hong Kong, China", "中国香港")
    jiangsu = next(r for r in run(engine)["facets"]["province"] if r["value"] == "320000")
    assert (jiangsu["label"], jiangsu["label_zh"]) == ("Jiangsu", "江苏省")


def test_sorting_and_undated_last(engine, small_registry):
    ascending = [i["established"] for i in run(engine, sort="established")["items"]]
    assert ascending == ["1985", "1987", "1987", "1990-05", "1995", "2000", None, None, None]
    descending = [i["established"] for i in run(engine, sort="-established")["items"]]
    assert descending[:2] == ["2000", "1995"] and descending[-1] is None
    names = [i["a"]["name"] for i in run(engine, sort="name_a")["items"]]
    assert names == sorted(names, key=str.casefold)
    ids = [i["id"] for i in run(engine, sort="-id")["items"]]
    assert ids == sorted(ids, reverse=True)


def test_pages_cover_the_selection_once(engine, small_registry):
    seen = [
        item["id"]
        for page in (1, 2, 3)
        for item in run(engine, sort="country", page=page, per_page=4)["items"]
    ]
    assert sorted(seen) == sorted(small_registry["pairs"])
    assert run(engine, page=4, per_page=4)["items"] == []


def test_writes_elsewhere_are_seen(engine, small_registry):
    assert run(engine, status=["dormant"])["total"] == 1
    with session_scope(engine) as session:
        # A bulk statement, as an import might issue, still refreshes the index.
        session.execute(update(Partnership).values(status="dormant"))
    assert run(engine, status=["dormant"])["total"] == 9


def test_a_renamed_place_is_found_by_its_new_name(engine, small_registry):
    assert run(engine, q="Lutetia")["total"] == 0
    with session_scope(engine) as session:
        session.get(Place, small_registry["places"]["paris"]).name = "Lutetia"
    assert run(engine, q="Lutetia")["total"] == 2


def test_registry_stats(engine, small_registry):
    with session_scope(engine) as session:
        stats = registry_stats(session)
    assert stats["partnerships"] == 9
    assert stats["places"] == 14
    assert stats["places_with_partnerships"] == 12
    assert stats["countries"] == 6  # HK counts under China
    assert stats["china_partnerships"] == 6  # mainland only
    assert stats["china_partner_countries"] == 5
    # The six China pairs by level: the statistics say which levels they count.
    assert sum(stats["china_partnerships_by_level"].values()) == 6
    assert set(stats["china_partnerships_by_level"]) <= {
        "city_city", "province_city", "province_state", "district"}
    asia = next(r for r in stats["by_continent"] if r["value"] == "Asia")
    assert (asia["partnerships"], asia["label_zh"]) == (8, "亚洲")


def test_place_partners_show_the_other_side(engine, small_registry):
    with session_scope(engine) as session:
        result = place_partners(session, small_registry["places"]["osaka"])
        lonely = place_partners(session, small_registry["places"]["lonely"])
        with pytest.raises(NotFound):
            place_partners(session, 999_999)
    assert result["place"]["name"] == "Osaka"
    assert result["total"] == 3
    assert {p["partner"]["name"] for p in result["partners"]} == {"Nanjing", "Hong Kong", "Lyon"}
    assert lonely["total"] == 0


def test_stats_command_prints_the_service_figures(sqlite_engine, monkeypatch):
    monkeypatch.setenv("AMITY_DATABASE_URL", sqlite_engine.url.render_as_string())
    clear_engines()
    cli = typer.Typer()
    stats_cli.register(cli)
    try:
        empty = json.loads(CliRunner().invoke(cli, ["--json"]).output)
        table = CliRunner().invoke(cli, [])
    finally:
        clear_engines()
    assert (empty["partnerships"], empty["places"], empty["countries"]) == (0, 0, 0)
    assert table.exit_code == 0 and "partnerships" in table.output
