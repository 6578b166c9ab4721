"""`amity init` on an existing database brings the shipped country facts in (a corrected name
arrives), and a second run changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from amity.core.db import session_scope
from amity.places.models import Country, Place
from amity.system.service import init_database


def test_init_corrects_country_names_of_an_existing_database(engine):
    with session_scope(engine) as session:
        # As a database made from an earlier release: CLDR's name for PS, one place using it.
        session.add(Country(iso2="PS", iso3="PSE", name_en="Palestine", name_zh="巴勒斯坦领土"))
        session.add(Place(kind="city", name="Bethlehem", country_code="PS", source="import"))

    report = init_database(engine)

    assert not report.gazetteer_loaded  # the places stay as they are
    assert "PS" in report.countries_refreshed and "CN" in report.countries_refreshed
    with session_scope(engine) as session:
        assert session.get(Country, "PS").name_zh == "巴勒斯坦"
        assert session.get(Country, "CN").name_zh == "中国"
        assert session.scalars(select(Place.name)).all() == ["Bethlehem"]
    assert init_database(engine).countries_refreshed == []
