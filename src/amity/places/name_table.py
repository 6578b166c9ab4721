"""The in-memory name index behind resolution: one per database, built once from place_names.

Building reads every place and name (about 34,000 places, 150,000 names: well under a second);
afterwards a lookup is a dict access. The index is kept in amity.core.cache (concurrent first
requests wait for one build), and follows the database three ways:
- `invalidate_index()` drops it (the gazetteer loader calls it);
- places made by `service.create_place` are visible at once to the session that made them, and to
  everyone once that session commits (they are forgotten if it rolls back);
- every few seconds a cheap `max(place_names.id)` query picks up names other processes added.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from amity.core import cache
from amity.places.models import Country, Place, PlaceName
from amity.places.names import name_key

# Names in these languages are the place's own; "alt" names (old romanisations, exonyms) weigh less.
PRIMARY_LANGS = frozenset({"en", "zh", "zh-Hant", "pinyin"})
REFRESH_SECONDS = 2.0
_PENDING = "amity_places_pending"
_PENDING_ENTRIES = "amity_places_pending_entries"
_LISTENING = "amity_places_listening"
# What the cache keeps the index under, with the database. Names are only ever added, and the
# index takes them in place (every REFRESH_SECONDS), so it has one version: built.
CACHE_NAME = "places:names"
BUILT = "built"


@dataclass(frozen=True)
class IndexedPlace:
    """What resolution needs to know about a place, held in memory."""

    id: int
    name: str
    name_zh: str | None
    country: str
    kind: str
    lat: float | None
    lon: float | None
    population: int | None
    wikidata: str | None
    geonames_id: int | None
    gb_code: str | None


@dataclass
class NameIndex:
    """Lookup key → (place id, primary?) pairs, the places, and country names."""

    places: dict[int, IndexedPlace] = field(default_factory=dict)
    by_key: dict[str, dict[int, bool]] = field(default_factory=lambda: defaultdict(dict))
    countries: dict[str, str] = field(default_factory=dict)
    max_name_id: int = 0
    checked_at: float = 0.0
    _key_lists: dict[str | None, list[str]] = field(default_factory=dict)
    _fuzzy_memo: dict = field(default_factory=dict)

    def add(self, place: IndexedPlace, names: list[tuple[str, str]]) -> None:
        """Add a place and its (key, lang) names."""
        self.places[place.id] = place
        for key, lang in names:
            primary = lang in PRIMARY_LANGS
            ids = self.by_key[key]
            ids[place.id] = ids.get(place.id, False) or primary
        self._key_lists.clear()
        self._fuzzy_memo.clear()

    def keys_for(self, countries: frozenset[str] | None) -> list[str]:
        """All keys, or the keys of places in some countries (the choices for fuzzy matching)."""
        if not self._key_lists:
            by_country: dict[str | None, set[str]] = defaultdict(set)
            for key, ids in self.by_key.items():
                by_country[None].add(key)
                for place_id in ids:
                    by_country[self.places[place_id].country].add(key)
            self._key_lists = {code: sorted(keys) for code, keys in by_country.items()}
        if countries is None:
            return self._key_lists.get(None, [])  # none when no place has a name row yet
        if len(countries) == 1:
            return self._key_lists.get(next(iter(countries)), [])
        return sorted({k for code in countries for k in self._key_lists.get(code, ())})

    def fuzzy_memo(self) -> dict[tuple[str, frozenset[str] | None, int], list[tuple[str, float]]]:
        """Near keys already found for (key, countries, limit), cleared when names change."""
        return self._fuzzy_memo


# Held while names are added to a built index (a refresh, a commit's new places).
_lock = threading.Lock()


def _key(session: Session) -> tuple[str, str]:
    return (cache.database_key(session), CACHE_NAME)


def invalidate_index() -> None:
    """Forget every index; the next resolution rebuilds from the database."""
    cache.CACHE.forget_where(lambda key: isinstance(key, tuple) and key[-1] == CACHE_NAME)


def indexed_place(place: Place) -> IndexedPlace:
    """The in-memory view of a Place row."""
    return IndexedPlace(
        place.id,
        place.name,
        place.name_zh,
        place.country_code,
        place.kind,
        place.lat,
        place.lon,
        place.population,
        place.wikidata,
        place.geonames_id,
        place.gb_code,
    )


_PLACE_COLUMNS = (
    Place.id,
    Place.name,
    Place.name_zh,
    Place.country_code,
    Place.kind,
    Place.lat,
    Place.lon,
    Place.population,
    Place.wikidata,
    Place.geonames_id,
    Place.gb_code,
)


def _load(session: Session, index: NameIndex, after_name_id: int = 0) -> None:
    names = session.execute(
        select(PlaceName.id, PlaceName.place_id, PlaceName.key, PlaceName.lang).where(
            PlaceName.id > after_name_id
        )
    ).all()
    if not names:
        return
    query = select(*_PLACE_COLUMNS)
    if after_name_id:
        query = query.where(Place.id.in_({n.place_id for n in names}))
    for row in session.execute(query):
        index.places[row.id] = IndexedPlace(*row)
    by_place: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for name in names:
        by_place[name.place_id].append((name.key, name.lang))
    for place_id, keys in by_place.items():
        if place_id in index.places:
            index.add(index.places[place_id], keys)
    index.max_name_id = max(index.max_name_id, max(n.id for n in names))


def _load_countries(session: Session, index: NameIndex) -> None:
    columns = (Country.iso2, Country.iso3, Country.name_en, Country.name_zh)
    for country in session.execute(select(*columns)):
        for label in (country.iso3, country.name_en, country.name_zh):
            if label:
                index.countries.setdefault(name_key(label), country.iso2)


def _build(session: Session) -> NameIndex:
    index = NameIndex()
    _load_countries(session, index)
    _load(session, index)
    index.checked_at = time.monotonic()
    return index


def get_index(session: Session) -> NameIndex:
    """The index of the session's database, built or refreshed as needed."""
    index = cache.cached(_key(session), BUILT, lambda: _build(session))
    with _lock:
        now = time.monotonic()
        if now - index.checked_at > REFRESH_SECONDS:
            index.checked_at = now
            latest = session.scalar(select(func.max(PlaceName.id))) or 0
            if latest > index.max_name_id:
                _load(session, index, after_name_id=index.max_name_id)
    return index


def pending_index(session: Session) -> NameIndex | None:
    """Places this session created and has not committed yet, as a small index."""
    return session.info.get(_PENDING)


def register_new_place(session: Session, place: Place, names: list[PlaceName]) -> None:
    """Make a freshly flushed place visible now to this session, to all after commit."""
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _publish)
        event.listen(session, "after_rollback", _discard)
    pending = session.info.setdefault(_PENDING, NameIndex())
    entry = (indexed_place(place), [(n.key, n.lang) for n in names])
    pending.add(*entry)
    pending.max_name_id = max([pending.max_name_id, *(n.id for n in names)])
    # Kept in order too, so that publishing costs one step per place, not a scan of all keys.
    session.info.setdefault(_PENDING_ENTRIES, []).append(entry)


def _publish(session: Session) -> None:
    session.info.pop(_PENDING, None)
    entries = session.info.pop(_PENDING_ENTRIES, None)
    if not entries:
        return
    with _lock:
        index = cache.CACHE.peek(_key(session))
        if index is None:
            return
        for place, names in entries:
            index.add(place, names)


def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_PENDING_ENTRIES, None)
