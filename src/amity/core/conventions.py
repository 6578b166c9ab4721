"""The home country's naming conventions (see DESIGN, "Conventions of the field").

With China as home (the default), Hong Kong, Macao and Taiwan keep their ISO codes in the data
but are shown and counted as regions of China (中国香港, 中国澳门, 中国台湾), never as countries.
Every layer asks this module, so the API, the pages and the statistics say the same thing.
"""

from __future__ import annotations

from amity.core.settings import get_settings

# home country → {ISO code shown as its region: (English name, Chinese name)}
HOME_REGIONS: dict[str, dict[str, tuple[str, str]]] = {
    "CN": {
        "HK": ("Hong Kong, China", "中国香港"),
        "MO": ("Macao, China", "中国澳门"),
        "TW": ("Taiwan, China", "中国台湾"),
    }
}

# home country → {ISO code: the Chinese name its government uses, where CLDR's differs}. China
# recognises the State of Palestine and its foreign ministry names it 巴勒斯坦; CLDR's zh_Hans
# "巴勒斯坦领土" (Palestinian territories) would contradict the home country's own usage. The
# shipped countries.csv is written for China as home (scripts/vendor_countries.py).
HOME_COUNTRY_NAMES_ZH: dict[str, dict[str, str]] = {
    "CN": {"PS": "巴勒斯坦"},
}


def home_country(home: str | None = None) -> str:
    """The home country's ISO code: the argument, else AMITY_HOME_COUNTRY."""
    return (home or get_settings().home_country).upper()


def home_regions(home: str | None = None) -> dict[str, tuple[str, str]]:
    """Codes shown as regions of the home country, with their (English, Chinese) names."""
    return HOME_REGIONS.get(home_country(home), {})


def home_members(home: str | None = None) -> frozenset[str]:
    """The home country's code with its regions' codes."""
    code = home_country(home)
    return frozenset({code, *home_regions(code)})


def country_labels(
    iso2: str, name_en: str | None, name_zh: str | None, *, home: str | None = None
) -> tuple[str | None, str | None]:
    """A country's (English, Chinese) display names under the convention."""
    regions = home_regions(home)
    if iso2 in regions:
        return regions[iso2]
    return name_en, name_zh


def fold_country(iso2: str, *, home: str | None = None) -> str:
    """The country a code counts as in totals: a home region counts as the home country."""
    code = home_country(home)
    return code if iso2 in home_regions(code) else iso2
