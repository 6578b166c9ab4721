"""Country names in Chinese are CLDR's (Babel, zh_Hans) but for the home-country convention."""

import pytest
from babel import Locale
from sqlalchemy import select

from amity.core.conventions import HOME_COUNTRY_NAMES_ZH, HOME_REGIONS
from amity.places.facts import read_facts
from amity.places.models import Country

CLDR = Locale.parse("zh_Hans").territories
# The overrides are the home-country convention: with China as home, HK, MO and TW are named as
# regions of China, and a country is named as China's government names it where CLDR differs.
OVERRIDES = {
    **{iso2: names[1] for iso2, names in HOME_REGIONS["CN"].items()},
    **HOME_COUNTRY_NAMES_ZH["CN"],
}


def test_every_chinese_country_name_is_cldrs_but_the_home_countrys():
    rows = read_facts("countries")
    assert len(rows) == 250
    differing = {r["iso2"]: r["name_zh"] for r in rows if r["name_zh"] != CLDR.get(r["iso2"])}
    assert differing == OVERRIDES == {
        "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾", "PS": "巴勒斯坦",
    }


def test_palestine_is_named_as_chinas_foreign_ministry_names_it(places_session):
    # CLDR says 巴勒斯坦领土 ("Palestinian territories"); China recognises the State of Palestine.
    assert CLDR["PS"] == "巴勒斯坦领土"
    assert places_session.scalar(select(Country.name_zh).where(Country.iso2 == "PS")) == "巴勒斯坦"


@pytest.mark.parametrize(
    ("iso2", "typo", "name"),
    [
        ("KH", "柬埔塞", "柬埔寨"),
        ("MT", "马尔他", "马耳他"),
        ("GT", "瓜地马拉", "危地马拉"),
        ("KG", "吉尔吉斯坦", "吉尔吉斯斯坦"),
        ("BD", "孟加拉", "孟加拉国"),
        ("TT", "特里尼达和多巴哥", "特立尼达和多巴哥"),
    ],
)
def test_the_misspelt_names_are_gone(iso2, typo, name, places_session):
    assert CLDR[iso2] == name != typo
    assert {r["iso2"]: r["name_zh"] for r in read_facts("countries")}[iso2] == name
    # `amity init` loads these names (the gazetteer fixture runs the same loader).
    assert places_session.scalar(select(Country.name_zh).where(Country.iso2 == iso2)) == name
