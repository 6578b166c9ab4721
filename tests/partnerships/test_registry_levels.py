"""The build's output loads with its levels, parents, populations and one place per identity."""

import pytest
from sqlalchemy import or_, select

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.partnerships.registry import load_demo
from amity.places.models import Place
from amity.registry_build.pipeline import build, write_registry

ROWS = {
    "wp01096",  # Vienna 9 – Alsergrund – Dongcheng (Beijing)
    "wp04908",  # Shanghai – Central Denmark Region
    "wp04351",  # Chongqing – Pest County
    "wp05063", "wp08003",  # Taizhou, Jiangsu – Kotka; Kotka – "Taizhou" (geocoded in Zhejiang)
    "wp05069",  # Taizhou, Zhejiang – Hanau
    "wp22395", "wp24720",  # Seoul – Jongno – Prague 1 (Prague); Prague 1 – Jongno (Seoul)
    "wp15346",  # Fukaya – Fremont
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "slice.csv.gz"
    write_registry(build(only=ROWS, small_gazetteer=True), path)
    return path


def _partners(session, place):
    pairs = session.scalars(
        select(Partnership).where(
            or_(Partnership.place_a_id == place.id, Partnership.place_b_id == place.id)
        )
    ).all()
    return {(p.place_b if p.place_a_id == place.id else p.place_a).name: p.level for p in pairs}


def test_districts_hang_under_their_city(gazetteer_engine, built):
    with session_scope(gazetteer_engine) as session:
        counts = load_demo(session, path=built)
        # Nine rows, two of them the same pair seen from its other side.
        assert counts.get("skipped_no_country", 0) == 0 and counts["partnerships"] == 7
        beijing = session.scalar(select(Place).where(Place.gb_code == "110000"))
        dongcheng = session.scalar(
            select(Place).where(Place.name == "Dongcheng", Place.province_code == "110000")
        )
        assert dongcheng.admin_level == "district" and dongcheng.parent_id == beijing.id
        assert dongcheng.province_code == "110000"
        assert _partners(session, beijing) == {}  # Alsergrund's partner is Dongcheng
        assert _partners(session, dongcheng) == {"Alsergrund": "district"}
        jongno = session.scalars(select(Place).where(Place.name == "Jongno")).all()
        assert len(jongno) == 1 and jongno[0].admin_level == "district"
        assert _partners(session, jongno[0]) == {"Prague 1": "district"}


def test_regions_are_provinces_and_homophones_stay_apart(gazetteer_engine, built):
    with session_scope(gazetteer_engine) as session:
        load_demo(session, path=built)
        region = session.scalar(select(Place).where(Place.name == "Central Denmark Region"))
        assert (region.kind, region.admin_level, region.country_code) == (
            "province", "subdivision1", "DK")
        shanghai = session.scalar(select(Place).where(Place.gb_code == "310000"))
        assert _partners(session, shanghai) == {"Central Denmark Region": "province_state"}
        kotka = session.scalar(select(Place).where(Place.name == "Kotka"))
        taizhou = {
            p.gb_code for p in session.scalars(select(Place).where(Place.gb_code.in_(
                ["321200", "331000"])))
            if "Kotka" in _partners(session, p)
        }
        assert taizhou == {"321200"}
        assert kotka.population and kotka.population_source == "geonames"
