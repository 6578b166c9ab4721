"""The annual report as the API answers it (service.annual_report): the page, the workbook and the
PDF show the same data."""

from __future__ import annotations

from pydantic import BaseModel, Field

from amity.exchanges.schemas import Reason
from amity.partnerships.schemas import Anniversary, PlaceSide


class ReportPlace(PlaceSide):
    kind: str


class Summary(BaseModel):
    partnerships: int
    dated_partnerships: int
    new_partnerships: int | None = Field(description="None when no partnership has a date.")
    dormant: int
    exchanges: int
    partner_countries: int
    continents: int


class ReportPartnership(BaseModel):
    id: int
    home: PlaceSide
    partner: PlaceSide
    partner_continent: str | None
    kind: str
    level: str
    status: str
    established: str | None
    established_year: int | None
    state: str = Field(description="The health state as of the end of the year.")
    dormant: bool
    last_activity: str | None
    reasons: list[Reason]
    exchanges_in_year: int


class ReportExchange(BaseModel):
    id: int
    partnership_id: int | None
    title: str | None
    mode: str
    mode_label: str
    mode_label_zh: str
    fields: list[str]
    field_labels: list[str]
    field_labels_zh: list[str]
    start: str
    end: str | None
    direction: str
    source: str
    home: PlaceSide
    partner: PlaceSide


class Tally(BaseModel):
    code: str
    label: str
    label_zh: str
    count: int


class MonthCount(BaseModel):
    month: int = Field(description="1–12, or 0 for exchanges known only to the year.")
    count: int


class CountryCount(BaseModel):
    country: str
    name: str
    name_zh: str | None
    continent: str | None
    partnerships: int


class ContinentCount(BaseModel):
    continent: str
    partnerships: int


class MapCentre(BaseModel):
    name: str
    name_zh: str | None
    lat: float | None
    lon: float | None


class MapPartner(BaseModel):
    id: int
    name: str
    name_zh: str | None
    lat: float
    lon: float
    dormant: bool


class ReportMap(BaseModel):
    place: MapCentre
    partners: list[MapPartner]


class AnnualReport(BaseModel):
    """A place's year (a province with its cities): partnerships, new and dormant ones,
    exchanges by mode, field and month, partner countries and continents, the map."""

    place: ReportPlace
    year: int
    as_of: str
    places_covered: int
    dormant_years: int
    summary: Summary
    partnerships: list[ReportPartnership]
    new_partnerships: list[ReportPartnership]
    dormant: list[ReportPartnership]
    anniversaries_year: int
    anniversaries: list[Anniversary]
    exchanges: list[ReportExchange]
    by_mode: list[Tally]
    by_field: list[Tally]
    by_month: list[MonthCount]
    countries: list[CountryCount]
    by_continent: list[ContinentCount]
    map: ReportMap
