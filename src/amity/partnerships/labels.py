"""Display names (English, Chinese) of the registry's coded values, and the home-country rule.

The API returns both languages so that a program, like a page, can pick one; the pages render
their own text through the translation catalogue and use these only for data-driven values.
"""

from __future__ import annotations

from amity.config import get_settings

# With China as the home country, these keep their ISO codes in the data but are shown as
# regions of China, never as countries (see DESIGN, conventions of the field).
HOME_REGIONS = {"CN": {"HK": "Hong Kong", "MO": "Macao", "TW": "Taiwan"}}
HOME_REGIONS_ZH = {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾"}

KIND_LABELS = {
    "sister_city": ("Sister city", "姐妹城市"),
    "friendship_city": ("Friendship city", "友好城市"),
    "friendly_exchange": ("Friendly-exchange city", "友好交流城市"),
    "cooperation": ("Cooperation", "合作关系"),
}
LEVEL_LABELS = {
    "city_city": ("City – city", "城市与城市"),
    "province_state": ("Province – state", "省州与省州"),
    "province_city": ("Province – city", "省州与城市"),
}
STATUS_LABELS = {
    "proposed": ("Proposed", "拟建"),
    "active": ("Active", "有效"),
    "dormant": ("Dormant", "休眠"),
    "suspended": ("Suspended", "暂停"),
    "terminated": ("Terminated", "已终止"),
}
REGION_LABELS = {
    "east": ("East China", "东部地区"),
    "central": ("Central China", "中部地区"),
    "west": ("West China", "西部地区"),
}
CONTINENT_LABELS = {
    "Africa": ("Africa", "非洲"),
    "Asia": ("Asia", "亚洲"),
    "Europe": ("Europe", "欧洲"),
    "North America": ("North America", "北美洲"),
    "South America": ("South America", "南美洲"),
    "Oceania": ("Oceania", "大洋洲"),
    "Antarctica": ("Antarctica", "南极洲"),
}
SOURCE_LABELS = {
    "wikipedia": ("Wikipedia", "维基百科"),
    "wikidata": ("Wikidata", "维基数据"),
    "wikipedia+wikidata": ("Wikipedia and Wikidata", "维基百科与维基数据"),
    "manual": ("Entered by hand", "手工录入"),
    "import": ("Import", "导入"),
}


def home_regions(home_country: str | None = None) -> dict[str, str]:
    """ISO codes shown as regions of the home country, with their English names."""
    return HOME_REGIONS.get(home_country or get_settings().home_country, {})


def country_labels(
    iso2: str, name_en: str, name_zh: str | None, *, home_country: str | None = None
) -> tuple[str, str | None]:
    """A country's (English, Chinese) display names under the home-country convention."""
    regions = home_regions(home_country)
    if iso2 in regions:
        return f"{regions[iso2]} (China)", HOME_REGIONS_ZH[iso2]
    return name_en, name_zh


def fold_country(iso2: str, *, home_country: str | None = None) -> str:
    """The country a code counts as in totals: HK/MO/TW count as China when China is home."""
    home = home_country or get_settings().home_country
    return home if iso2 in home_regions(home) else iso2
