"""The demo registry loads onto the gazetteer: one place per city, skipped pairs counted."""

import csv

import pytest
from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.partnerships.registry import load_demo, read_registry
from amity.places.models import Place


def _count(session, *what):
    return session.scalar(select(func.count()).select_from(*what))


def test_slice_loads_with_consistent_counts(gazetteer_engine, data_dir):
    slice_file = data_dir / "registry_slice.csv"
    rows = list(csv.DictReader(slice_file.open(encoding="utf-8")))
    with session_scope(gazetteer_engine) as session:
        places_before = _count(session, Place)
        counts = load_demo(session, path=slice_file)
    assert counts["rows"] == len(rows)
    skipped = sum(v for k, v in counts.items() if k.startswith("skipped_"))
    assert counts["partnerships"] + skipped == len(rows)
    assert counts["skipped_self_pairs"] >= 3  # the file flags three self-pairs
    assert counts["skipped_no_country"] >= 1
    assert counts["skipped_duplicates"] >= 1  # Baoding's county-level cities merge
    with session_scope(gazetteer_engine) as session:
        assert _count(session, Partnership) == counts["partnerships"]
        assert _count(session, Place) == places_before + counts["new_places"]
        doubled_qids = session.execute(
            select(Place.wikidata)
            .where(Place.wikidata.is_not(None))
            .group_by(Place.wikidata)
            .having(func.count() > 1)
        ).all()
        assert doubled_qids == []
        sources = dict(
            session.execute(
                select(Partnership.source, func.count()).group_by(Partnership.source)
            ).all()
        )
        assert set(sources) == {"wikipedia", "wikidata"}


def test_chinese_sides_land_on_their_divisions(gazetteer_engine, data_dir):
    with session_scope(gazetteer_engine) as session:
        load_demo(session, path=data_dir / "registry_slice.csv")
    with session_scope(gazetteer_engine) as session:
        hangzhou = session.scalar(select(Place).where(Place.gb_code == "330100"))
        pairs = session.scalars(
            select(Partnership).where(
                (Partnership.place_a_id == hangzhou.id) | (Partnership.place_b_id == hangzhou.id)
            )
        ).all()
        assert pairs, "Hangzhou's partnerships hang on the GB/T 330100 place"
        assert all(p.source_ref and p.status == "active" for p in pairs)
        assert not session.scalar(
            select(func.count())
            .select_from(Place)
            .where(Place.source == "registry", Place.country_code == "CN", Place.name == "Hangzhou")
        )


def test_loading_twice_adds_nothing(gazetteer_engine, data_dir):
    slice_file = data_dir / "registry_slice.csv"
    with session_scope(gazetteer_engine) as session:
        first = load_demo(session, path=slice_file)
    with session_scope(gazetteer_engine) as session:
        second = load_demo(session, path=slice_file)
    assert second["partnerships"] == 0
    assert second["new_places"] == 0
    assert second["skipped_duplicates"] == first["partnerships"] + first["skipped_duplicates"]


def test_gazetteer_cities_are_reused_not_duplicated(gazetteer_engine, data_dir):
    with session_scope(gazetteer_engine) as session:
        load_demo(session, path=data_dir / "registry_slice.csv")
        berat = session.scalars(
            select(Place).where(Place.name == "Berat", Place.country_code == "AL")
        ).all()
    assert len(berat) == 1
    assert berat[0].source == "geonames"
    assert berat[0].wikidata == "Q170244"  # the registry's Q-id enriches the gazetteer city


@pytest.mark.full_registry
def test_full_registry_loads_about_28_thousand_pairs(gazetteer_engine):
    rows = read_registry()
    assert 27_500 <= len(rows) <= 28_657
    with session_scope(gazetteer_engine) as session:
        counts = load_demo(session)
    # The build already merged places; the loader's 50 km name rule joins a few more (a
    # same-named gazetteer city the build left apart), which makes a handful of repeats.
    skipped = sum(v for k, v in counts.items() if k.startswith("skipped_"))
    assert counts["partnerships"] + skipped == len(rows)
    assert skipped <= 50
    with session_scope(gazetteer_engine) as session:
        assert _count(session, Partnership) == counts["partnerships"]
        china = session.scalar(
            select(func.count())
            .select_from(Partnership)
            .join(Place, Place.id == Partnership.place_a_id)
            .where(Place.country_code == "CN")
        )
        assert china > 500
        # Beijing's district partners hang on its districts, not on Beijing (issue 14).
        beijing = session.scalar(select(Place).where(Place.gb_code == "110000"))
        partners = {
            (p.place_b if p.place_a_id == beijing.id else p.place_a).name
            for p in session.scalars(
                select(Partnership).where(
                    (Partnership.place_a_id == beijing.id) | (Partnership.place_b_id == beijing.id)
                )
            )
        }
        assert not partners & {"Gangnam", "Mapo", "Songpa", "Shinjuku", "Nerima", "Alsergrund"}
        assert "Honchō" not in partners and "Fukayachō" not in partners
