"""The statistics workbook for people: the tables of amity.analytics.export, in a language.

Each sheet keeps its rows but is named and headed in the language, a row's names come first
(the country, province or place in the language; ids are left out), coded values are shown as
names (Europe → 欧洲, sister_city → 姐妹城市), and a last sheet says what the workbook counts,
when and from which data. `amity export --format xlsx --raw` keeps the coded sheets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.spreadsheets import tables_workbook
from amity.partnerships.service import labels, registry_version

# Sheet titles of statistics_tables() as msgids (Excel refuses ":" in a title, hence " · ").
SHEETS = {
    "summary": "Summary",
    "partner countries": "Partner countries",
    "partner continents": "Partner continents",
    "partner UN regions": "Partner UN regions",
    "partner UN subregions": "Partner UN subregions",
    "home provinces": "Home provinces",
    "home regions (3)": "Three belts",
    "home regions (4)": "Four regions",
    "home levels": "Pair levels",
    "home kinds": "Kinds",
    "home status": "Status",
    "home decades": "Decades",
    "belt and road": "Belt and Road partners",
    "top home places": "Top home places",
    "top partner places": "Top partner places",
    "world countries": "World · countries",
    "world continents": "World · continents",
    "world kinds": "World · kinds",
    "world levels": "World · levels",
    "world status": "World · status",
    "world decades": "World · decades",
    "world top places": "World · top places",
    "layout provinces": "Layout · provinces",
    "layout regions (3)": "Layout · three belts",
    "layout regions (4)": "Layout · four regions",
    "layout partner groups": "Layout · partner groups",
    "coverage": "Coverage",
}
HEADERS = {
    "measure": "Measure",
    "value": "Value",
    "iso2": "ISO code",
    "code": "GB/T 2260 code",
    "continent": "Continent",
    "bri_status": "Belt and Road",
    "pairs": "Partnerships",
    "share": "Share",
    "un_region": "UN region",
    "un_subregion": "UN subregion",
    "region": "Region",
    "region3": "Three belts",
    "region4": "Four regions",
    "places": "Places",
    "level": "Pair level",
    "kind": "Kind",
    "status": "Status",
    "decade": "Decade",
    "country": "Country",
    "partners": "Partners",
    "population": "Population",
    "population_source": "Population source",
    "per_million": "Per million inhabitants",
    "pairs_share": "Share of partnerships",
    "population_share": "Share of population",
    "expected_pairs": "Expected partnerships",
    "gap": "Gap",
    "ratio": "Ratio",
    "group": "Group",
    "partner_countries": "Partner countries",
    "as_of": "As of",
    "cn_provinces": "Provinces of China (number)",
    "cn_cities": "Cities of China (number)",
    "countries_share": "Share of countries",
    "source": "Source",
}
MEASURES = {
    "home_country": "Home country",
    "home_pairs": "Partnerships of the home country",
    "home_partner_countries": "Partner countries",
    "home_domestic_pairs": "Domestic partnerships",
    "home_regions_foreign_pairs": "Foreign partnerships of Hong Kong, Macao and Taiwan",
    "home_undated_pairs": "Partnerships without a date",
    "world_pairs": "Partnerships worldwide",
    "world_places": "Places worldwide",
    "world_countries": "Countries worldwide",
    "province_gini_raw": "Gini coefficient of provinces",
    "province_gini_per_million": "Gini, per million inhabitants",
    "province_theil_raw": "Theil index of provinces",
    "province_theil_per_million": "Theil, per million inhabitants",
    "partner_hhi": "Herfindahl–Hirschman index of partner countries",
}
_REGIONS = {**labels.REGION_LABELS, "northeast": ("Northeast China", "东北地区")}
_CODED = {
    "continent": labels.CONTINENT_LABELS,
    "kind": labels.KIND_LABELS,
    "level": labels.LEVEL_LABELS,
    "status": labels.STATUS_LABELS,
    "region": _REGIONS,
    "region3": _REGIONS,
    "region4": _REGIONS,
}
_GROUPS = {
    "africa": "Africa",
    "latin_america": "Latin America",
    "south_asia": "South Asia",
    "southeast_europe": "Southeast Europe",
    "belt_and_road": "Belt and Road countries",
}
_BRI = {"active": "Signed", "exited": "Exited"}
# The keys that name a row: folded into one first column, in the language.
_NAME_KEYS = ("name", "name_en", "name_zh")
ATTRIBUTION = (
    "Data: Wikipedia (CC BY-SA 4.0), Wikidata (CC0), GeoNames (CC BY 4.0), "
    "Natural Earth (public domain)."
)


def statistics_workbook_for_people(
    session: Session, tables: list[tuple[str, list[dict]]], *, home: str, locale: str
) -> bytes:
    """The statistics tables as a workbook in `locale`, with a sheet about it."""
    _ = i18n.translations(locale).gettext
    sheets = [_sheet(title, rows, locale, home) for title, rows in tables]
    about = [
        (_("Table"), _("Statistics")),
        (_("Home country"), i18n.country_name(home, locale, home=home)),
        (_("Exported at"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (_("Data version"), str(registry_version(session))),
        (_("Source"), _(ATTRIBUTION)),
        (_("Codes and ids"), _("For programs: amity export --format xlsx --raw, or the JSON of "
                               "GET /api/v1/statistics.")),  # fmt: skip
    ]
    return tables_workbook(sheets, _("About this export"), about)


def _sheet(title: str, rows: list[dict], locale: str, home: str) -> tuple:
    _ = i18n.translations(locale).gettext
    keys = [k for k in dict.fromkeys(k for row in rows for k in row) if k not in ("id",)]
    named = any(k in keys for k in _NAME_KEYS)
    columns = [k for k in keys if k not in _NAME_KEYS]
    headers = ([_(_name_header(keys))] if named else []) + [_(HEADERS.get(k, k)) for k in columns]
    body = [
        ([_row_name(row, locale, home)] if named else [])
        + [_value(k, row.get(k), locale, home) for k in columns]
        for row in rows
    ]
    return _(SHEETS.get(title, title)), headers, body


def _name_header(keys: list[str]) -> str:
    if "iso2" in keys:
        return "Country"
    return "China province" if "code" in keys else "Place"


def _row_name(row: dict, locale: str, home: str) -> str:
    if "iso2" in row:
        # No Chinese name stored: CLDR's (日本), not the English one, on a Chinese sheet.
        english = None if locale == "zh" else row.get("name_en")
        return i18n.country_name(
            row["iso2"], locale, name_en=english, name_zh=row.get("name_zh"), home=home
        )
    if "name" in row:
        return i18n.place_name(row, locale)
    return (row.get("name_zh") if locale == "zh" else None) or row.get("name_en") or "—"


def _value(key: str, value: Any, locale: str, home: str) -> Any:
    _ = i18n.translations(locale).gettext
    if value is None:
        return None
    if key in _CODED:
        english, chinese = _CODED[key].get(value, (value, None))
        return chinese if locale == "zh" and chinese else english
    if key == "country":
        return i18n.country_name(value, locale, home=home)
    if key == "measure":
        return _(MEASURES.get(value, value))
    if key == "group":
        return _(_GROUPS.get(value, value))
    if key == "bri_status":
        return _(_BRI.get(value, value))
    if key == "value" and isinstance(value, str) and len(value) == 2 and value.isupper():
        return i18n.country_name(value, locale, home=home)  # the summary's home country
    return value
