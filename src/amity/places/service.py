"""Places: look up, describe, search and create (creation keeps the name index current)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.conventions import country_labels
from amity.core.errors import N_, InvalidInput, NotFound
from amity.core.lengths import limit, too_long
from amity.places.mainland import RULE_SUFFIX, convert, is_chinese_name
from amity.places.models import Country, Place, PlaceName
from amity.places.name_table import register_new_place
from amity.places.names import has_han, name_key, pinyin_of
from amity.places.resolve import Match, resolve

KINDS = ("province", "city")
CHINESE_COUNTRIES = ("CN", "HK", "MO", "TW")


def get_place(session: Session, place_id: int) -> Place:
    """The place with this id, or NotFound."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"No place with id {place_id}.", {"place_id": place_id})
    return place


def place_summary(place: Place) -> dict[str, Any]:
    """The JSON description of a place shared by the API, the CLI and the pages."""
    country_en, country_zh = country_labels(
        place.country_code,
        place.country.name_en if place.country else None,
        place.country.name_zh if place.country else None,
    )
    return {
        "id": place.id,
        "name": place.name,
        "name_zh": place.name_zh,
        "name_zh_source": place.name_zh_source,
        "country": place.country_code,
        "country_name": country_en,
        "country_name_zh": country_zh,
        "kind": place.kind,
        "admin_level": place.admin_level,
        "lat": place.lat,
        "lon": place.lon,
        "population": place.population,
        "wikidata": place.wikidata,
        "geonames_id": place.geonames_id,
        "gb_code": place.gb_code,
        "province_code": place.province_code,
        "region3": place.region3,
    }


def search_places(session: Session, q: str, limit: int = 10) -> list[Match]:
    """Places whose names match q (exactly or nearly), best first."""
    return resolve(session, q, limit=limit).matches


def place_name_problems(name: str) -> list[str]:
    """What is too long in a new place's name for its columns (a Han name is also its name_zh)."""
    name = (name or "").strip()
    name_zh = convert(name).name if is_chinese_name(name) else None
    return too_long(Place, {"name": name, "name_zh": name_zh})


def create_place(
    session: Session,
    *,
    name: str,
    country_code: str,
    kind: str = "city",
    lat: float | None = None,
    lon: float | None = None,
    name_zh: str | None = None,
    wikidata: str | None = None,
    population: int | None = None,
    source: str = "import",
) -> Place:
    """Add a place outside the gazetteer with its names; resolution sees it at once."""
    name = (name or "").strip()
    if not name_key(name):
        raise InvalidInput("A place needs a name.", {"name": name})
    if problems := place_name_problems(name):
        raise InvalidInput(f"The place's {'; '.join(problems)}.", {"problems": problems})
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind of place: {kind!r}.", {"kind": kind, "allowed": KINDS})
    country_code = (country_code or "").strip().upper()
    if session.get(Country, country_code) is None:
        raise InvalidInput(N_("Unknown country code %(code)r."), {"country": country_code},
                           params={"code": country_code})  # fmt: skip
    name_zh_source = None
    if name_zh is None and is_chinese_name(name):
        name_zh = name
    if name_zh:
        # A Chinese name is kept in mainland form, saying which rule converted it (横浜 → 横滨).
        converted = convert(name_zh, country=country_code)
        name_zh = converted.name
        name_zh_source = source + RULE_SUFFIX[converted.rule]
    pinyin = None
    if name_zh and country_code in CHINESE_COUNTRIES:
        # A sort and search key derived from the name: cut to its column rather than refused.
        pinyin = pinyin_of(name_key(name_zh), tones=True)[: limit(Place.pinyin)]
    place = Place(
        kind=kind,
        name=name,
        name_zh=name_zh,
        name_zh_source=name_zh_source,
        pinyin=pinyin,
        country_code=country_code,
        lat=lat,
        lon=lon,
        wikidata=wikidata,
        population=population,
        source=source,
    )
    names: list[PlaceName] = []
    own_lang = "zh" if has_han(name) else "en"
    for text, lang in ((name, own_lang), (name_zh, "zh"), (pinyin, "pinyin")):
        key = name_key(text) if text else ""
        if key and key not in {n.key for n in names}:
            names.append(PlaceName(name=text, key=key, lang=lang))
    place.names = names
    session.add(place)
    session.flush()
    register_new_place(session, place, names)
    return place


def find_place_by_wikidata(session: Session, wikidata: str) -> Place | None:
    """The place carrying this Wikidata Q-id, if any."""
    return session.scalars(select(Place).where(Place.wikidata == wikidata).limit(1)).first()


def office_places(session: Session, office_id: int) -> tuple[Place, list[int]]:
    """The office's place and the ids of the places whose partnerships it looks after."""
    office = session.get(Place, office_id)
    if office is None:
        raise NotFound(f"No place {office_id}.", {"office": office_id})
    within = [Place.id == office.id]
    if office.kind == "province":
        within.append(Place.parent_id == office.id)
        if office.province_code:
            within.append(Place.province_code == office.province_code)
    return office, list(session.scalars(select(Place.id).where(or_(*within))))


def demo_place(session: Session, spec: dict[str, str]) -> int | None:
    """The id of a place named in the demo data, when the name resolves to one place."""
    result = resolve(session, spec["name"], country=spec.get("country"))
    if result.status == "resolved" or len(result.matches) == 1:
        return result.matches[0].id
    return None


def country_choices(session: Session, locale: str, home: str) -> list[dict[str, str]]:
    """Countries for the map filter, named in the locale; HK/MO/TW as regions of China."""
    rows = session.execute(select(Country.iso2, Country.name_en, Country.name_zh)).all()
    choices = [
        {
            "value": iso2,
            "label": i18n.country_name(iso2, locale, name_en=en, name_zh=zh, home=home),
        }
        for iso2, en, zh in rows
    ]
    return sorted(choices, key=lambda c: i18n.sort_key(c["label"], locale))


# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.places.choice import describe as describe
from amity.places.choice import fill_place_names as fill_place_names
from amity.places.choice import name_field as name_field
from amity.places.choice import read_place_fields as read_place_fields
from amity.places.choice import suggest as suggest
from amity.places.facts import DATA_DIR as DATA_DIR
from amity.places.facts import read_cities as read_cities
from amity.places.facts import read_facts as read_facts
from amity.places.gazetteer import load_gazetteer as load_gazetteer
from amity.places.gazetteer import refresh_countries as refresh_countries
from amity.places.geo import distance_km as distance_km
from amity.places.levels import place_level as place_level
from amity.places.mainland import MainlandName as MainlandName
from amity.places.mainland import choose_chinese_name as choose_chinese_name
from amity.places.mainland import is_mainland_form as is_mainland_form
from amity.places.resolve import invalidate_index as invalidate_index
