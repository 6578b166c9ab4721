"""The recommendations as files for people: CSV and an Excel workbook in the page's language.

The plain table is what the page's cards show: rank, name, country, level, the score, the
diversity penalty and the rank score the list is ordered by (score − penalty), and the main
reasons in words (first, for a penalised place, why it is ranked lower), with no index names
(Adamic-Adar, L3...). The factors' contributions, which
do name them, go to a sheet of their own ("Details"), as on the page they sit under “Details”.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.conventions import home_country
from amity.core.spreadsheets import csv_text, tables_workbook
from amity.matching.engine import engine
from amity.matching.factors import REGIONS_ZH, TITLES
from amity.places.models import Place
from amity.places.service import place_level

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _level_names(_) -> dict[str, str]:
    # The same words as the pages' place_level label (web/templates/labels.html).
    return {
        "subdivision1": _("Province or state"),
        "municipality": _("Municipality (province level)"),
        "subdivision2": _("County or second-order region"),
        "city": _("City"),
        "district": _("District or county-level unit"),
    }


def headers(locale: str) -> list[str]:
    _ = i18n.translations(locale).gettext
    return [_("Rank"), _("Candidate"), _("Country or region"), _("Level"), _("Score"),
            _("Diversity penalty"), _("Rank score"), _("Main reasons")]  # fmt: skip


def rows(session: Session, result: dict[str, Any], locale: str) -> list[list[object]]:
    """One row per candidate, in the answer's order, everything in `locale`."""
    _ = i18n.translations(locale).gettext
    names = _level_names(_)
    ids = [row["id"] for row in result["results"]]
    levels = {
        pid: place_level(kind, admin_level)
        for pid, kind, admin_level in session.execute(
            select(Place.id, Place.kind, Place.admin_level).where(Place.id.in_(ids))
        )
    }  # fmt: skip
    separator = "；" if locale == "zh" else "; "
    table = []
    for rank, row in enumerate(result["results"], start=1):
        # The page's signs: full-width plus and the minus sign (no cell reads as a formula).
        said = [f"{'＋' if r['sign'] == '+' else '−'} {r['text'][locale]}" for r in row["reasons"]]
        if row["diversity"]:  # first: why it stands below places of lower score
            said.insert(0, f"↓ {row['diversity']['text'][locale]}")
        level = levels.get(row["id"])
        table.append([
            rank, i18n.place_name(row, locale), i18n.country_name(row["country_code"], locale),
            names.get(level, level or ""), row["score"], row["penalty"], row["rank_score"],
            separator.join(said),
        ])  # fmt: skip
    return table


def detail_rows(result: dict[str, Any], locale: str) -> list[list[object]]:
    """Each candidate's factors with their contributions and technical details."""
    zh = locale == "zh"
    return [
        [rank, i18n.place_name(row, locale), TITLES[f["factor"]][1 if zh else 0],
         f["contribution"], f["detail"][locale]]
        for rank, row in enumerate(result["results"], start=1)
        for f in row["factors"]
    ]  # fmt: skip


def csv_chunks(session: Session, result: dict[str, Any], locale: str) -> Iterator[str]:
    """The plain table as CSV text (spreadsheets.encode_csv adds the BOM or encodes GB18030)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(locale))
    for row in rows(session, result, locale):
        writer.writerow([csv_text(value) for value in row])
    yield out.getvalue()


def filter_words(result: dict[str, Any], locale: str) -> list[str]:
    """The query's filters in words: ["Continent: 非洲", "Belt and Road countries only"]."""
    _ = i18n.translations(locale).gettext
    zh = locale == "zh"
    colon = "：" if zh else ": "

    def region(name: str) -> str:
        return REGIONS_ZH.get(name, name) if zh else name

    chosen = result["filter"]
    words = []
    if chosen.get("country"):
        words.append(f"{_('Country')}{colon}{i18n.country_name(chosen['country'].upper(), locale)}")
    if chosen.get("continent"):
        words.append(f"{_('Continent')}{colon}{region(chosen['continent'])}")
    if chosen.get("region"):
        words.append(f"{_('Region')}{colon}{region(chosen['region'])}")
    if chosen.get("belt_and_road"):
        words.append(_("Belt and Road countries only"))
    if chosen.get("under_represented"):
        words.append(
            _("Under-represented countries only (fewer than %(n)s pairs with the home country)")
            % {"n": chosen["under_represented_below"]}
        )
    if result.get("scope") == "world":
        words.append(_("Candidates from anywhere (scope: world)"))
    return words or [_("No filter")]


def about(session: Session, result: dict[str, Any], locale: str, diverse: bool) -> list:
    """The about sheet's (label, value) rows: for which place, when, with which filters and
    which weights (the time they were learned)."""
    _ = i18n.translations(locale).gettext
    place = result["place"]
    learned = engine(session).learned  # its time is naive UTC, as stored
    stamp = "%Y-%m-%d %H:%M UTC"
    return [
        (_("Table"), _("Partner recommendations")),
        (_("Place"), f"{i18n.place_name(place, locale)} · "
                     f"{i18n.country_name(place['country_code'], locale)}"),
        (_("Filters"), ("；" if locale == "zh" else "; ").join(filter_words(result, locale))),
        (_("Candidates shown"), len(result["results"])),
        (_("Candidates after the constraints"), result["candidates"]),
        (_("Diversity re-ranking"), _("Applied") if diverse else _("Not applied")),
        (_("Score"), _("The model's score: the sum of the factors' contributions.")),
        (_("Diversity penalty"),
         _("Subtracted from the score of a place already suggested to many cities in "
           "%(home)s, so that the cities' lists differ (0 for most places).")
         % {"home": i18n.country_name(home_country(), locale)}),
        (_("Rank score"), _("Score − diversity penalty: the list is ordered by it.")),
        (_("Exported at"), datetime.now(UTC).strftime(stamp)),
        (_("Weights learned at"),
         learned.learned_at.strftime(stamp) if learned else "—"),
        (_("Weights"), result["weights"][locale]),
        (_("Details"), _("Each factor's contribution to the score is on the sheet “Details”.")),
    ]  # fmt: skip


def xlsx(session: Session, result: dict[str, Any], locale: str, *, diverse: bool = True) -> bytes:
    """The workbook: the plain table, the factors' details, then the sheet about the export."""
    _ = i18n.translations(locale).gettext
    detail_headers = [_("Rank"), _("Candidate"), _("Factor"), _("Contribution"), _("Details")]
    return tables_workbook(
        [
            (_("Recommendations"), headers(locale), rows(session, result, locale)),
            (_("Details"), detail_headers, detail_rows(result, locale)),
        ],
        _("About this export"),
        about(session, result, locale, diverse),
    )
