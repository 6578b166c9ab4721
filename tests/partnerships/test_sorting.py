"""Sorting the partnership list by any of its columns, both ways, on the facet table (issue 19):
rows without a value last either way, rows with equal values by id either way, pages that cover
a filtered selection once, the orders of a patched table, and a 422 that lists the sorts."""

from __future__ import annotations

import pytest
from tests.partnerships.conftest import PAIRS

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.partnerships.schemas import SORT_KEYS, PartnershipQuery
from amity.partnerships.service import list_partnerships

# The pair's own values in the order people read them in (not the codes' alphabet).
LEVELS = ("province_state", "province_city", "city_city", "district")
KINDS = ("sister_city", "friendship_city", "friendly_exchange", "cooperation")
STATUSES = ("proposed", "active", "dormant", "suspended", "terminated")

# What each sort key orders by, read from a listed item (None: no value, listed last).
KEYS = {
    "id": lambda i: i["id"],
    "name_a": lambda i: i["a"]["name"].casefold(),
    "name_b": lambda i: i["b"]["name"].casefold(),
    "country": lambda i: (i["a"]["country_name"].casefold(), i["a"]["name"].casefold()),
    "country_b": lambda i: (i["b"]["country_name"].casefold(), i["b"]["name"].casefold()),
    "level": lambda i: LEVELS.index(i["level"]),
    "kind": lambda i: KINDS.index(i["kind"]),
    "status": lambda i: STATUSES.index(i["status"]),
    "established": lambda i: i["established"],
}


def run(engine, **fields) -> dict:
    with session_scope(engine) as session:
        return list_partnerships(session, PartnershipQuery(**fields))


def expected(items: list[dict], sort: str) -> list[int]:
    """The ids in the order a sort promises: by the key (reversed for "-key"), equal keys by id
    ascending either way, rows without a value after the others, by id."""
    key = KEYS[sort.removeprefix("-")]
    by_id = sorted(items, key=lambda i: i["id"])
    with_value = [i for i in by_id if key(i) is not None]
    # Python's sort is stable, reverse=True too: equal keys keep their id order.
    with_value.sort(key=key, reverse=sort.startswith("-"))
    return [i["id"] for i in with_value] + [i["id"] for i in by_id if key(i) is None]


def test_every_sort_key_is_covered():
    assert set(KEYS) == set(SORT_KEYS) - {"created"}


@pytest.mark.parametrize("sort", [s for key in KEYS for s in (key, f"-{key}")])
def test_each_column_sorts_both_ways(engine, small_registry, sort):
    everything = run(engine, per_page=50)["items"]
    assert len(everything) == len(PAIRS)
    ids = [i["id"] for i in run(engine, sort=sort, per_page=50)["items"]]
    assert ids == expected(everything, sort)


def test_signing_dates_partial_ones_undated_last_ties_by_id(engine, small_registry):
    pairs = small_registry["pairs"]  # ids by position in PAIRS
    ascending = run(engine, sort="established")["items"]
    assert [i["established"] for i in ascending] == [
        "1985", "1987", "1987", "1990-05", "1995", "2000", None, None, None,
    ]  # fmt: skip
    descending = run(engine, sort="-established")["items"]
    assert [i["established"] for i in descending] == [
        "2000", "1995", "1990-05", "1987", "1987", "1985", None, None, None,
    ]  # fmt: skip
    # The two of 1987 (Jiangsu–Bavaria, then Paris–Berlin) and the undated ones in id order,
    # whichever way the dates go.
    for items in (ascending, descending):
        assert [i["id"] for i in items if i["established"] == "1987"] == [pairs[5], pairs[6]]
        assert [i["id"] for i in items if i["established"] is None] == [
            pairs[2], pairs[4], pairs[7],
        ]  # fmt: skip


def test_values_in_reading_order(engine, small_registry):
    pairs = small_registry["pairs"]
    assert run(engine, sort="level")["items"][0]["id"] == pairs[5]  # the province–state pair
    assert run(engine, sort="status")["items"][0]["status"] == "proposed"
    assert run(engine, sort="-status")["items"][0]["status"] == "terminated"
    assert [i["kind"] for i in run(engine, sort="kind")["items"]][:3] == ["sister_city"] * 3


@pytest.mark.parametrize("sort", ["-established", "name_b", "-country_b", "kind", "-status"])
def test_pages_of_a_filtered_selection_cover_it_once_in_order(engine, small_registry, sort):
    whole = run(engine, sort=sort, country=["FR", "JP"], per_page=50)
    assert whole["total"] == 6
    paged = [
        i["id"]
        for page in (1, 2, 3)
        for i in run(engine, sort=sort, country=["FR", "JP"], page=page, per_page=2)["items"]
    ]
    assert paged == [i["id"] for i in whole["items"]] == expected(whole["items"], sort)


def test_a_write_reaches_the_orders_made_when_asked(engine, small_registry):
    # Asked once, the order of this table is kept; a new partnership patches a new table,
    # whose orders must hold it in its place.
    before = [i["id"] for i in run(engine, sort="-established")["items"]]
    places = small_registry["places"]
    with session_scope(engine) as session:
        low, high = sorted((places["suzhou"], places["berlin"]))
        pair = Partnership(
            place_a_id=low, place_b_id=high, kind="cooperation", level="city_city",
            status="suspended", established="1987-03", established_year=1987, source="manual",
        )  # fmt: skip
        session.add(pair)
        session.flush()
        new_id = pair.id
    after = run(engine, sort="-established")["items"]
    assert [i["id"] for i in after] == expected(after, "-established")
    assert [i["id"] for i in after if i["id"] != new_id] == before
    assert [i["established"] for i in after][3:6] == ["1987-03", "1987", "1987"]
    statuses = [i["status"] for i in run(engine, sort="status")["items"]]
    assert statuses.index("suspended") == len(statuses) - 2  # before terminated


def test_unknown_sort_is_a_422_listing_the_allowed_values(api_client):
    response = api_client.get("/api/v1/partnerships", params={"sort": "population"})
    assert response.status_code == 422
    (problem,) = response.json()["error"]["details"]["problems"]
    assert problem["field"] == "query.sort"
    assert "name_b" in problem["allowed"] and "-established" in problem["allowed"]
    assert set(problem["allowed"]) == {s for k in SORT_KEYS for s in (k, f"-{k}")}
    assert "'population'" in problem["problem"]


def test_the_api_sorts_by_a_column_descending(api_client, small_registry):
    body = api_client.get("/api/v1/partnerships", params={"sort": "-established"}).json()
    assert [i["established"] for i in body["items"]][:2] == ["2000", "1995"]
    assert body["items"][-1]["established"] is None
    pairs = small_registry["pairs"]
    body = api_client.get("/api/v1/partnerships", params={"sort": "-level"}).json()
    assert body["items"][-1]["id"] == pairs[5]  # province–state: the highest level, last
