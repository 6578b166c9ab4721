"""Display names (English, Chinese) of the registry's coded values, and the home-country rule.

The API returns both languages so that a program, like a page, can pick one; the pages render
their own text through the translation catalogue and use these only for data-driven values.
"""

from __future__ import annotations

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
    "district": ("District level", "区县级"),
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
