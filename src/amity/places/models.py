"""Tables for countries, places and the names a place is known by."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from amity.core.db import Base


class Country(Base):
    """An ISO 3166-1 country or territory (HK, MO and TW keep their codes; see DESIGN)."""

    __tablename__ = "countries"

    iso2: Mapped[str] = mapped_column(String(2), primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3))
    m49: Mapped[str | None] = mapped_column(String(3))
    name_en: Mapped[str] = mapped_column(String(100))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    continent: Mapped[str | None] = mapped_column(String(20))
    continent_code: Mapped[str | None] = mapped_column(String(2))
    un_region: Mapped[str | None] = mapped_column(String(40))
    un_subregion: Mapped[str | None] = mapped_column(String(60))
    un_intermediate_region: Mapped[str | None] = mapped_column(String(60))
    # Belt and Road: None (never signed), "active" or "exited"; confidence as compiled.
    bri_status: Mapped[str | None] = mapped_column(String(10))
    bri_confidence: Mapped[str | None] = mapped_column(String(10))


class Place(Base):
    """A party to a partnership: a first-level division ("province") or a city."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # "province" | "city"
    # Finer level. Chinese divisions: GB/T 2260 (province, municipality, sar, prefecture_city,
    # autonomous_prefecture, league, region...). From the registry build: subdivision1,
    # subdivision2 (kind "province"), city, district (a district, ward or county-level unit,
    # kind "city", with parent_id its city or prefecture). None for gazetteer cities.
    admin_level: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    # Where name_zh came from and the rule that made it mainland form (see places.mainland):
    # cn-divisions, geonames, geonames+opencc-jp, geonames+opencc-t2s, geonames+exonym-table,
    # iso-codes (a region's name from the ISO 3166-2 zh_CN catalogue)...
    name_zh_source: Mapped[str | None] = mapped_column(String(40))
    pinyin: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.iso2"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    gb_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    # GB/T 2260 code of the Chinese provincial-level division the place is in.
    province_code: Mapped[str | None] = mapped_column(String(6), index=True)
    region3: Mapped[str | None] = mapped_column(String(10))  # east | central | west
    region4: Mapped[str | None] = mapped_column(String(10))  # + northeast
    geonames_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    wikidata: Mapped[str | None] = mapped_column(String(16), index=True)
    admin1: Mapped[str | None] = mapped_column(String(20))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    # Where the population comes from: geonames, wikidata, nbs-2020; NULL when unknown.
    population_source: Mapped[str | None] = mapped_column(String(20))
    # Where the record came from: cn-divisions, geonames, registry, import.
    source: Mapped[str] = mapped_column(String(20))

    country: Mapped[Country] = relationship(lazy="joined")
    names: Mapped[list[PlaceName]] = relationship(
        back_populates="place", cascade="all, delete-orphan"
    )


class PlaceName(Base):
    """One name of a place with its normalised lookup key (see places.names.name_key)."""

    __tablename__ = "place_names"
    __table_args__ = (Index("ix_place_names_key", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    # en | zh (simplified) | zh-Hant | pinyin | alt (other romanisations)
    lang: Mapped[str] = mapped_column(String(8))

    place: Mapped[Place] = relationship(back_populates="names")
