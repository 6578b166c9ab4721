"""Words of the report in one language, for the workbook and the PDF (the page uses its macros).

Coded values are translated through the same catalogue as the pages, so all three outputs say
the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from amity.core import i18n
from amity.exchanges.service import HEALTH_STATES

KINDS = {
    "sister_city": "Sister city",
    "friendship_city": "Friendship city",
    "friendly_exchange": "Friendly-exchange city",
    "cooperation": "Cooperation",
}
LEVELS = {
    "city_city": "City – city",
    "province_state": "Province – state",
    "province_city": "Province – city",
    "district": "District level",
}
STATUSES = {
    "proposed": "Proposed",
    "active": "Active",
    "dormant": "Dormant",
    "suspended": "Suspended",
    "terminated": "Terminated",
}
STATES = HEALTH_STATES  # the health states, as the pages name them
CONTINENTS = {c: c for c in ("Africa", "Asia", "Europe", "North America", "South America",
                             "Oceania", "Antarctica")}  # fmt: skip


@dataclass(frozen=True)
class Words:
    """Translations for one locale ("zh" or "en")."""

    locale: str

    @property
    def zh(self) -> bool:
        return self.locale == "zh"

    def __call__(self, message: str, **values) -> str:
        text = i18n.translations(self.locale).gettext(message)
        return text % values if values else text

    def coded(self, table: dict[str, str], value: str | None) -> str:
        return self(table[value]) if value in table else (value or "—")

    def place(self, side: dict) -> str:
        # As on the pages: no Chinese name known → the local name, marked （无中文名）.
        return i18n.place_name(side, self.locale)

    def country(self, side: dict, key: str = "country_name") -> str:
        return side.get(f"{key}_zh") or side[key] or "" if self.zh else side[key] or ""

    def label(self, item: dict) -> str:
        return item["label_zh"] if self.zh else item["label"]

    def month(self, month: int) -> str:
        if month == 0:
            return self("Month not known")
        return (
            f"{month}月"
            if self.zh
            else i18n.babel_locale("en").months["format"]["abbreviated"][month]
        )

    def title(self, report: dict) -> str:
        return self("%(place)s: annual report %(year)s", place=self.place(report["place"]),
                    year=report["year"])  # fmt: skip
