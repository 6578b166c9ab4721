"""Recording exchanges: validation, pairs with and without a partnership, lists and facets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from amity.core.db import session_scope
from amity.core.errors import Conflict, InvalidInput, NotFound
from amity.exchanges import service, taxonomy
from amity.exchanges.schemas import ExchangeQuery, ExchangeUpdate
from amity.partnerships import service as partnerships
from amity.partnerships.models import PartnershipStatusChange
from amity.partnerships.schemas import PartnershipCreate, PartnershipUpdate


def record(session, **values):
    values.setdefault("mode", "high_level_visit")
    values.setdefault("start", "2019-05")
    return service.record_exchange(session, actor="test", **values)


def test_exchange_by_partnership_and_by_places(engine, small_registry):
    places, pairs = small_registry["places"], small_registry["pairs"]
    with session_scope(engine) as session:
        by_id = record(session, partnership_id=pairs[0], fields=["education", "culture"])
        by_places = record(
            session, place_a_id=places["paris"], place_b_id=places["nanjing"], direction="a_to_b"
        )
        loose = record(session, place_a_id=places["nanjing"], place_b_id=places["berlin"])
    assert by_id["partnership_id"] == pairs[0]
    assert by_id["fields"] == ["culture", "education"]
    assert by_id["field_labels_zh"] == ["文化", "教育"]
    assert by_id["mode_label_zh"] == "高层互访"
    # Places named the other way round resolve to the same partnership; the direction follows.
    assert by_places["partnership_id"] == pairs[0]
    assert by_places["a"]["id"] == min(places["paris"], places["nanjing"])
    expected = "a_to_b" if places["paris"] < places["nanjing"] else "b_to_a"
    assert by_places["direction"] == expected
    assert loose["partnership_id"] is None and loose["without_partnership"] is True


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"mode": "teleportation"}, "Unknown mode"),
        ({"fields": ["education", "astrology"]}, "Unknown fields"),
        ({"start": "2999"}, "start"),
        ({"start": "2013-13"}, "start"),
        ({"start": "2014-05", "end": "2014-04-30"}, "end is before"),
        ({"delegation_size": 0}, "Invalid exchange"),
        ({"budget_amount": -5, "budget_currency": "CNY"}, "Invalid exchange"),
        ({"budget_amount": 500}, "amount and a currency"),
        ({"direction": "sideways"}, "Invalid exchange"),
    ],
)
def test_invalid_exchanges_are_refused(sqlite_engine, values, message):
    with session_scope(sqlite_engine) as session:
        ids = _two_places(session)
        with pytest.raises(InvalidInput, match=message):
            record(session, place_a_id=ids[0], place_b_id=ids[1], **values)


def _two_places(session) -> tuple[int, int]:
    from amity.places.models import Country, Place

    session.add(Country(iso2="CN", iso3="CHN", name_en="China", name_zh="中国"))
    a = Place(kind="city", name="Xining", name_zh="西宁市", country_code="CN", source="test")
    b = Place(kind="city", name="Lanzhou", name_zh="兰州市", country_code="CN", source="test")
    session.add_all([a, b])
    session.flush()
    return a.id, b.id


def test_unknown_places_and_partnerships(engine, small_registry):
    places, pairs = small_registry["places"], small_registry["pairs"]
    with session_scope(engine) as session:
        with pytest.raises(InvalidInput, match="Unknown places"):
            record(session, place_a_id=places["paris"], place_b_id=99999)
        with pytest.raises(NotFound):
            record(session, partnership_id=99999)
        with pytest.raises(InvalidInput, match="not the partnership's"):
            record(session, partnership_id=pairs[0], place_a_id=places["berlin"])
        with pytest.raises(InvalidInput, match="both places"):
            record(session, place_a_id=places["paris"])
        with pytest.raises(InvalidInput, match="itself"):
            record(session, place_a_id=places["paris"], place_b_id=places["paris"])


def test_update_and_delete(engine, small_registry):
    pair = small_registry["pairs"][1]
    with session_scope(engine) as session:
        created = record(session, partnership_id=pair, start="2015")
        changed = service.update_exchange(
            session,
            created["id"],
            ExchangeUpdate(fields=["health"], end="2015-06", outcome="Two hospitals twinned"),
            actor="test",
        )
        assert changed["fields"] == ["health"] and changed["end"] == "2015-06"
        with pytest.raises(InvalidInput, match="end is before"):
            service.update_exchange(session, created["id"], ExchangeUpdate(end="2014"), actor="t")
        with pytest.raises(InvalidInput, match="cannot be empty"):
            service.update_exchange(session, created["id"], ExchangeUpdate(mode=None), actor="t")
    with session_scope(engine) as session:
        service.delete_exchange(session, created["id"], actor="test")
        with pytest.raises(NotFound):
            service.get_exchange(session, created["id"])


def test_list_filters_and_facets(engine, small_registry):
    places, pairs = small_registry["places"], small_registry["pairs"]
    with session_scope(engine) as session:
        record(session, partnership_id=pairs[0], start="2018", fields=["education"])
        record(session, partnership_id=pairs[0], start="2019", mode="forum", title="Youth forum")
        record(session, partnership_id=pairs[3], start="2019", fields=["education", "health"])
        everything = service.list_exchanges(session, ExchangeQuery())
        assert everything["total"] == 3
        assert [i["start"] for i in everything["items"]] == ["2019", "2019", "2018"]
        only_2019 = service.list_exchanges(session, ExchangeQuery(year=(2019,)))
        assert only_2019["total"] == 2
        # A facet ignores its own filter: the year facet still offers 2018.
        years = {e["value"]: e["count"] for e in only_2019["facets"]["year"]}
        assert years == {"2019": 2, "2018": 1}
        fields = {e["value"]: e["count"] for e in only_2019["facets"]["field"]}
        assert fields == {"education": 1, "health": 1}
        countries = {e["value"]: e["label_zh"] for e in everything["facets"]["country"]}
        assert countries["FR"] == "法国" and "US" in countries
        by_place = service.list_exchanges(session, ExchangeQuery(place=(places["chengdu"],)))
        assert by_place["total"] == 1
        assert service.list_exchanges(session, ExchangeQuery(q="youth"))["total"] == 1
        assert service.list_exchanges(session, ExchangeQuery(q="南京"))["total"] == 2
        paged = service.list_exchanges(session, ExchangeQuery(per_page=2, page=2))
        assert len(paged["items"]) == 1
        timeline = service.partnership_timeline(session, pairs[0])
        assert [i["start"] for i in timeline["items"]] == ["2019", "2018"]
        assert service.place_exchanges(session, places["nanjing"])["total"] == 2


def test_taxonomy_is_seeded_and_extendable(engine):
    with session_scope(engine) as session:
        modes = {t["code"]: t for t in taxonomy.list_terms(session, "mode")}
        assert modes["summer_camp"]["label_zh"] == "夏令营"
        fields = {t["code"] for t in taxonomy.list_terms(session, "field")}
        assert {"economy_trade", "city_construction", "agriculture", "health"} <= fields
        taxonomy.add_term(session, "mode", "sister_school", label_en="Sister schools",
                          label_zh="姐妹学校")  # fmt: skip
        assert "sister_school" in taxonomy.known_codes(session, "mode")
        with pytest.raises(Conflict):
            taxonomy.add_term(session, "mode", "sister_school", label_en="x", label_zh="y")
        with pytest.raises(InvalidInput, match="Bad code"):
            taxonomy.add_term(session, "field", "Bad Code", label_en="x", label_zh="y")
        with pytest.raises(InvalidInput, match="Unknown taxonomy"):
            taxonomy.add_term(session, "colour", "blue", label_en="x", label_zh="y")


def test_partnership_writes_leave_status_history(engine, small_registry):
    places = small_registry["places"]
    with session_scope(engine) as session:
        created = partnerships.create_partnership(
            session,
            PartnershipCreate(place_a_id=places["suzhou"], place_b_id=places["berlin"],
                              established="1994", evidence_document="Agreement 94/3",
                              evidence_source="Suzhou archive"),
            actor="clerk",
        )
        pid = created["id"]
        partnerships.update_partnership(session, pid, PartnershipUpdate(note="x"), actor="clerk")
        partnerships.update_partnership(
            session, pid, PartnershipUpdate(status="suspended"), actor="clerk"
        )
        partnerships.end_partnership(session, pid, date(2020, 1, 1), "merged", actor="clerk")
        rows = session.scalars(
            select(PartnershipStatusChange)
            .where(PartnershipStatusChange.partnership_id == pid)
            .order_by(PartnershipStatusChange.id)
        ).all()
    assert [(r.action, r.old_status, r.new_status) for r in rows] == [
        ("created", None, "active"),
        ("status_changed", "active", "suspended"),
        ("ended", "suspended", "terminated"),
    ]
    assert rows[-1].note == "merged" and rows[0].actor == "clerk"
