"""The registry's facet table patched from the change log says exactly what a table built from
scratch says (counts, facets, orders, text search, pages, statistics), after random sequences of
writes, on both engines; a write to places rebuilds it; a saved table loads and catches up."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from amity.core import cache
from amity.core.db import session_scope
from amity.partnerships import facet_table, table_file, table_patch
from amity.partnerships.models import Partnership, RegistryChange
from amity.partnerships.schemas import PartnershipQuery
from amity.partnerships.service import _count, _stats
from amity.places.models import Place

QUERIES = [
    PartnershipQuery(per_page=100),
    PartnershipQuery(country=["FR"], sort="-established", per_page=3, page=2),
    PartnershipQuery(country=["CN", "JP"], status=["active"], sort="name_a"),
    PartnershipQuery(continent=["Asia"], kind=["sister_city"], sort="country"),
    PartnershipQuery(province=["320000"], sort="-created"),
    PartnershipQuery(region=["east"], level=["city_city"], sort="-name_a"),
    PartnershipQuery(source=["wikidata"], sort="established"),
    PartnershipQuery(q="osa", sort="-id"),
    PartnershipQuery(q="巴", per_page=2, page=2, sort="-country"),
    PartnershipQuery(q="france"),
    PartnershipQuery(established_from=1986, established_to=1999, sort="-established"),
    PartnershipQuery(established_from=1990),
    PartnershipQuery(place=[1, 3, 7], sort="-created"),
]
KINDS = ("sister_city", "friendship_city", "friendly_exchange", "cooperation")
STATUSES = ("proposed", "active", "dormant", "suspended", "terminated")
LEVELS = ("city_city", "province_state", "province_city", "district")
DATES = (None, "1979", "1985-06", "1990", "1995-03-02", "2001", "")


def answers(session, table) -> dict:
    """Everything the lists and statistics say, computed from one table."""
    out = {}
    for n, query in enumerate(QUERIES):
        selection, total, facets = _count(session, table, query)
        page = [p.as_item() for p in table.page(selection, query.sort, query.page, query.per_page)]
        every = [table.pairs[i].id for i in table.ordered(selection, query.sort)]
        out[n] = (total, facets, page, every)
    stats = _stats(session, table)
    out["stats"] = stats
    out["places"] = {
        place: [table.pairs[i].id for i in table.positions_of("place", place)]
        for place in table.places
    }
    out["pairs"] = [pair.as_item() for pair in table.pairs]
    out["labels"] = table.labels
    return out


def check(engine) -> facet_table.RegistryTable:
    """The table the app would use now, compared with one built from scratch."""
    with session_scope(engine) as session:
        current = facet_table.registry_table(session)
        fresh = facet_table.build(session)
        assert current.seq == fresh.seq
        assert answers(session, current) == answers(session, fresh)
    return current


@pytest.fixture
def builds(monkeypatch) -> list:
    """Counts the tables built from scratch (not patched)."""
    built = []
    real = table_patch.build

    def counting(session):
        built.append(1)
        return real(session)

    monkeypatch.setattr(table_patch, "build", counting)
    cache.clear()
    return built


def write(engine, rng: random.Random, places: list[int]) -> str:
    """One random write, as a person or a program would make it; returns what it was."""
    with session_scope(engine) as session:
        ids = session.scalars(select(Partnership.id)).all()
        taken = set(session.execute(select(Partnership.place_a_id, Partnership.place_b_id)).all())
        action = rng.choice(("add", "add", "edit", "edit", "move", "end", "delete", "bulk"))
        if action == "add" or not ids:
            free = [
                (a, b) for a in places for b in places if a < b and (a, b) not in taken
            ]
            a, b = rng.choice(free)
            established = rng.choice(DATES)
            session.add(Partnership(
                place_a_id=a, place_b_id=b, kind=rng.choice(KINDS), level=rng.choice(LEVELS),
                status=rng.choice(STATUSES), established=established, source="manual",
            ))  # fmt: skip
            return "add"
        pair = session.get(Partnership, rng.choice(ids))
        if action == "edit":
            pair.kind, pair.status = rng.choice(KINDS), rng.choice(STATUSES)
            pair.established = rng.choice(DATES)
            pair.source = rng.choice(("manual", "wikidata", "wikipedia"))
        elif action == "move":  # another place on one side
            free = [(a, b) for a in places for b in places if a < b and (a, b) not in taken]
            pair.place_a_id, pair.place_b_id = rng.choice(free)
        elif action == "end":
            pair.status, pair.ended_on = "terminated", date(2020, 1, 1)
        elif action == "delete":
            session.delete(pair)
        else:  # one statement touching several rows, outside the ORM
            statement = text("UPDATE partnerships SET status = :s WHERE id IN :ids")
            session.execute(
                statement.bindparams(bindparam("ids", expanding=True)),
                {"s": rng.choice(STATUSES), "ids": rng.sample(ids, min(3, len(ids)))},
            )
        return action


def test_patched_tables_equal_built_ones_after_random_writes(engine, small_registry, builds):
    rng = random.Random(17)
    places = sorted(small_registry["places"].values())
    check(engine)
    assert len(builds) == 1
    done = []
    for step in range(80):
        done.append(write(engine, rng, places))
        if step % 2:  # sometimes two writes between reads
            check(engine)
    check(engine)
    assert len(builds) == 1, f"rebuilt after {done}"  # every write was patched in
    assert {"add", "edit", "move", "end", "delete", "bulk"} <= set(done)

    # A place renamed: every pair it is on shows the new name, so the table is rebuilt.
    with session_scope(engine) as session:
        session.execute(text("UPDATE places SET name = 'Nouvelle Lyon' WHERE name = 'Lyon'"))
    table = check(engine)
    assert len(builds) == 2
    assert table.text_mask("nouvelle lyon")
    # ... and the next write is patched into the rebuilt table again.
    write(engine, rng, places)
    check(engine)
    assert len(builds) == 2


def test_a_copy_is_patched_and_readers_of_the_old_table_see_it_unchanged(engine, small_registry):
    cache.clear()
    with session_scope(engine) as session:
        before = facet_table.registry_table(session)
        seen = answers(session, before)
    pair = small_registry["pairs"][0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET status = 'dormant' WHERE id = :id"),
                     {"id": pair})  # fmt: skip
        conn.execute(text("DELETE FROM partnerships WHERE id = :id"),
                     {"id": small_registry["pairs"][1]})  # fmt: skip
    after = check(engine)
    assert after is not before
    with session_scope(engine) as session:
        assert answers(session, before) == seen


def test_too_many_changes_or_a_gap_in_the_log_rebuild(engine, small_registry, builds, monkeypatch):
    check(engine)
    monkeypatch.setattr(table_patch, "PATCH_ROWS", 2)
    monkeypatch.setattr(table_patch, "PATCH_SHARE", 0)
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET kind = 'cooperation'"))
    check(engine)
    assert len(builds) == 2
    # The log's older lines pruned past the table's seq: rebuilt.
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET status = 'active' WHERE id = :id"),
                     {"id": small_registry["pairs"][2]})  # fmt: skip
        conn.execute(text("UPDATE partnerships SET status = 'dormant' WHERE id = :id"),
                     {"id": small_registry["pairs"][3]})  # fmt: skip
        last = conn.execute(text("SELECT max(seq) FROM registry_changes")).scalar()
        conn.execute(text("DELETE FROM registry_changes WHERE seq < :last"), {"last": last})
    check(engine)
    assert len(builds) == 3


def test_the_log_has_one_line_per_partnership_row_and_one_marker_per_place_write(engine,
                                                                                 small_registry):
    def lines(after: int) -> list[tuple]:
        with session_scope(engine) as session:
            return session.execute(
                select(RegistryChange.table_name, RegistryChange.row_id)
                .where(RegistryChange.seq > after).order_by(RegistryChange.seq)
            ).all()

    with session_scope(engine) as session:
        start = session.scalar(select(RegistryChange.seq).order_by(RegistryChange.seq.desc()))
    pairs = small_registry["pairs"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET note = 'x' WHERE id IN (:a, :b)"),
                     {"a": pairs[0], "b": pairs[1]})  # fmt: skip
        conn.execute(text("UPDATE places SET lat = 3.0"))  # 14 rows, one marker
        conn.execute(text("UPDATE countries SET name_en = name_en"))
    got = lines(start)
    assert sorted(got[:2]) == [("partnerships", pairs[0]), ("partnerships", pairs[1])]
    markers = got[2:]
    assert all(row_id is None for _t, row_id in markers)
    # PostgreSQL: one per statement; SQLite: the latest marker replaced, so one in a row.
    assert len(markers) == (2 if engine.dialect.name == "postgresql" else 1)
    with engine.begin() as conn:  # a place added changes no partnership: no line
        conn.execute(text("INSERT INTO places (kind, name, country_code, source) "
                          "VALUES ('city', 'New', 'FR', 'test')"))  # fmt: skip
    assert lines(start) == got


def test_a_saved_table_loads_and_replays_the_changes_since(engine, small_registry, builds):
    check(engine)
    assert len(builds) == 1
    with session_scope(engine) as session:
        path = table_file.path_for(session)
    assert path.exists()
    pair = small_registry["pairs"][4]
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET kind = 'cooperation' WHERE id = :id"),
                     {"id": pair})  # fmt: skip
    cache.clear()  # a new process: nothing in memory
    table = check(engine)
    assert len(builds) == 1  # loaded from the file and patched, not built
    assert table.pairs[table.positions_of("place", table.pairs[0].a.id)[0]]


@pytest.mark.parametrize("damage", ["garbage", "foreign", "newer"])
def test_a_damaged_or_foreign_file_is_ignored_and_rebuilt(engine, small_registry, builds, damage):
    check(engine)
    with session_scope(engine) as session:
        path = table_file.path_for(session)
        table = facet_table.registry_table(session)
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not a table")
    elif damage == "foreign":
        table.identity += 1
        table_file.write(path, table)
    else:
        table.seq += 1000
        table_file.write(path, table)
    cache.clear()
    check(engine)
    assert len(builds) == 2
    # ... and saved again, good this time.
    cache.clear()
    check(engine)
    assert len(builds) == 2


def test_a_place_renamed_is_rebuilt_even_from_a_saved_file(engine, small_registry, builds):
    check(engine)
    with session_scope(engine) as session:
        session.execute(text("UPDATE places SET name_zh = '新巴黎' WHERE name = 'Paris'"))
    cache.clear()
    table = check(engine)
    assert len(builds) == 2
    assert table.text_mask("新巴黎")


def test_places_without_pairs_leave_the_table(engine, small_registry):
    cache.clear()
    check(engine)
    osaka = small_registry["places"]["osaka"]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM partnerships WHERE place_a_id = :p OR place_b_id = :p"),
                     {"p": osaka})  # fmt: skip
    table = check(engine)
    assert osaka not in table.places
    with session_scope(engine) as session:
        assert session.get(Place, osaka) is not None


def test_a_table_read_inside_a_write_rolled_back_is_not_kept(engine, small_registry):
    """SQLite hands a rolled-back change log number out again: a table patched with a write
    that was then rolled back must not pass for the next write's state."""
    cache.clear()
    check(engine)
    pairs = small_registry["pairs"]
    with Session(engine) as session:
        session.get(Partnership, pairs[0]).status = "suspended"
        session.flush()
        inside = facet_table.registry_table(session)
        assert inside.masks["status"]["suspended"]
        session.rollback()
    with engine.begin() as conn:
        conn.execute(text("UPDATE partnerships SET kind = 'cooperation' WHERE id = :id"),
                     {"id": pairs[1]})  # fmt: skip
    table = check(engine)
    assert "suspended" not in table.masks["status"]


def test_a_saved_table_of_a_copy_that_went_its_own_way_is_rebuilt(engine, small_registry,
                                                                   builds):
    """Two copies of one database share its identity; a file saved for one and found by the
    other at the same change log number is caught by its count of partnerships."""
    check(engine)
    with engine.begin() as conn:  # a history the log does not show (as in another copy)
        last = conn.execute(text("SELECT max(seq) FROM registry_changes")).scalar()
        conn.execute(text("DELETE FROM partnerships WHERE id = :id"),
                     {"id": small_registry["pairs"][0]})  # fmt: skip
        conn.execute(text("DELETE FROM registry_changes WHERE seq > :last"), {"last": last})
    cache.clear()
    check(engine)
    assert len(builds) == 2
