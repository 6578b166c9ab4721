"""The partnerships export for people: an Excel workbook in the page's language.

Names instead of codes (西安市, 法国, 姐妹城市), headers in the language, and a second sheet saying
what was selected, when, from which version of the data and under which licence. Programs and
researchers keep the coded columns: the CSV export and the workbook with `raw=true`
(amity.partnerships.export).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.spreadsheets import people_workbook
from amity.partnerships.facet_table import registry_table
from amity.partnerships.schemas import FACETS, PartnershipQuery
from amity.partnerships.version import registry_version
from amity.places.models import Place

# The headers' English text is the msgid; zh comes from the catalogue (locale/*/exports.po).
HEADERS = (
    "Place",
    "Place's country or region",
    "Partner",
    "Partner's country or region",
    "Pair level",
    "Kind",
    "Status",
    "Since",
    "Source",
)
_SORTS = {
    "id": "Registry order",
    "name_a": "Place name",
    "country": "Country",
    "name_b": "Partner",
    "country_b": "Partner's country",
    "level": "Pair level",
    "kind": "Kind",
    "status": "Status",
    "established": "Signing date",
    "created": "Date added",
}
_FILTER_NAMES = {
    "country": "Country",
    "continent": "Continent",
    "province": "China province",
    "region": "China region",
    "level": "Level",
    "kind": "Kind",
    "status": "Status",
    "source": "Source",
}
ATTRIBUTION = (
    "Data: Wikipedia (CC BY-SA 4.0), Wikidata (CC0), GeoNames (CC BY 4.0), "
    "Natural Earth (public domain)."
)


def people_xlsx(
    session: Session, query: PartnershipQuery, items: Iterable[dict], *, locale: str
) -> bytes:
    """The selection as a workbook for people, in `locale` ("zh" or "en")."""
    _ = i18n.translations(locale).gettext
    index = registry_table(session)

    def label(facet: str, value: str) -> str:
        english, chinese = index.label(facet, value)
        return (chinese if locale == "zh" and chinese else english) or value

    rows = [_row(item, query, locale, label) for item in items]
    separator = "；" if locale == "zh" else "; "
    about = [
        (_("Table"), _("Partnerships")),
        (_("Selection"), separator.join(selection_words(session, query, locale))),
        (_("Rows"), len(rows)),
        (_("Exported at"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (_("Data version"), str(registry_version(session))),
        (_("Source"), _(ATTRIBUTION)),
        (_("Codes and ids"), _("For programs: the CSV export, or this workbook with raw=true.")),
    ]
    return people_workbook(
        _("Partnerships"), [_(h) for h in HEADERS], rows, _("About this export"), about
    )


def _row(item: dict, query: PartnershipQuery, locale: str, label) -> list:
    place, partner = _oriented(item, query)

    def country(side: dict) -> str:
        # No Chinese name stored: CLDR's (法国), not the English one, on a Chinese sheet.
        english = None if locale == "zh" else side["country_name"]
        return i18n.country_name(
            side["country"], locale, name_en=english, name_zh=side["country_name_zh"]
        )

    return [
        i18n.place_name(place, locale),
        country(place),
        i18n.place_name(partner, locale),
        country(partner),
        label("level", item["level"]),
        label("kind", item["kind"]),
        label("status", item["status"]),
        item["established"] or "",
        label("source", item["source"]),
    ]


def _oriented(item: dict, query: PartnershipQuery) -> tuple[dict, dict]:
    """(place, partner): the side the selection is about first (Xi'an's partners: 西安市 in the
    first column on every row), else the pair as stored."""
    a, b = item["a"], item["b"]
    if query.place:
        return (b, a) if b["id"] in query.place and a["id"] not in query.place else (a, b)
    if query.q:
        needle = query.q.strip().casefold()
        if needle and not _names(a, needle) and _names(b, needle):
            return b, a
    return a, b


def _names(side: dict, needle: str) -> bool:
    return any(needle in (side.get(k) or "").casefold() for k in ("name", "name_zh"))


def selection_words(session: Session, query: PartnershipQuery, locale: str) -> list[str]:
    """The query's filters and sort in words, in `locale`: ["Search: “西安”", "Country: 法国"]."""
    _ = i18n.translations(locale).gettext
    index = registry_table(session)
    comma, colon = ("、", "：") if locale == "zh" else (", ", ": ")
    words = []
    if query.q:
        words.append(f"{_('Search')}{colon}“{query.q}”")
    if query.place:
        places = [session.get(Place, pid) for pid in query.place]
        names = [i18n.place_name(p, locale) for p in places if p is not None]
        words.append(f"{_('Partnerships of:').rstrip(':：')}{colon}{comma.join(names)}")
    for facet in FACETS:
        values = getattr(query, facet)
        if not values:
            continue
        names = []
        for value in values:
            english, chinese = index.label(facet, value)
            if facet == "country":
                english = None if locale == "zh" else english
                names.append(i18n.country_name(value, locale, name_en=english, name_zh=chinese))
            else:
                names.append((chinese if locale == "zh" and chinese else english) or value)
        words.append(f"{_(_FILTER_NAMES[facet])}{colon}{comma.join(names)}")
    if query.established_from is not None:
        words.append(f"{_('Signed from (year)')}{colon}{query.established_from}")
    if query.established_to is not None:
        words.append(f"{_('Signed to (year)')}{colon}{query.established_to}")
    key = query.sort.lstrip("-")
    order = _(_SORTS.get(key, key))
    if query.sort.startswith("-"):
        order = f"{order}（{_('descending')}）" if locale == "zh" else f"{order} (descending)"
    words.append(f"{_('Sort by')}{colon}{order}")
    return words
