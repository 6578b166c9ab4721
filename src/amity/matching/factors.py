"""The factors of a recommendation, the facts behind them, and their technical details.

The plain reasons an official reads are worded in `amity.matching.reasons`; what is here (factor
titles, raw index values) is what the pages keep behind their "details" toggle.
"""

from __future__ import annotations

from dataclasses import dataclass

from amity.analytics.service import CountryInfo
from amity.core.conventions import country_labels

FACTORS = (
    "size_rank",
    "distance",
    "climate",
    "coast",
    "profile",
    "shared_partners",
    "country_ties",
    "homophily",
    "name",
    "strategy",
)
TITLES = {
    "size_rank": ("Size and rank", "规模与级别"),
    "distance": ("Distance", "距离"),
    "climate": ("Climate", "气候"),
    "coast": ("Coastal or inland", "沿海或内陆"),
    "profile": ("Declared profiles", "城市自述"),
    "shared_partners": ("Shared partners", "共同友城"),
    "country_ties": ("Ties between the countries", "两国友城往来"),
    "homophily": ("Network position", "网络地位"),
    "name": ("Same name", "同名"),
    "strategy": ("Strategy", "战略布局"),
}
# Chinese names of the continents and UN subregions that strategy reasons name.
REGIONS_ZH = {
    "Africa": "非洲", "Antarctica": "南极洲", "Asia": "亚洲", "Europe": "欧洲",
    "North America": "北美洲", "Oceania": "大洋洲", "South America": "南美洲",
    "Australia and New Zealand": "澳大利亚和新西兰", "Central Asia": "中亚",
    "Eastern Asia": "东亚", "Eastern Europe": "东欧",
    "Latin America and the Caribbean": "拉丁美洲和加勒比", "Melanesia": "美拉尼西亚",
    "Micronesia": "密克罗尼西亚", "Northern Africa": "北非", "Northern America": "北美",
    "Northern Europe": "北欧", "Polynesia": "波利尼西亚", "South-eastern Asia": "东南亚",
    "Southern Asia": "南亚", "Southern Europe": "南欧", "Sub-Saharan Africa": "撒哈拉以南非洲",
    "Western Asia": "西亚", "Western Europe": "西欧",
}  # fmt: skip
BANDS = (
    ("tropical", "热带"),
    ("subtropical", "亚热带"),
    ("temperate", "温带"),
    ("cold", "寒温带"),
    ("polar", "寒带"),
)

Names = tuple[str, str]  # (English, Chinese)


@dataclass(frozen=True)
class Near:
    """A partner of one side and its distance to the other side."""

    name: Names
    km: float


@dataclass(frozen=True)
class Typical:
    """Values of a typical candidate (the means of the training rows of the query's weights):
    what "near", "many" or "well connected" are measured against."""

    km: float
    country_pairs: float
    degree: float
    near_km: float


@dataclass(frozen=True)
class Facts:
    """What the words of one candidate's reasons are made of."""

    distance_km: float | None
    population: tuple[int | None, int | None]
    same_level: bool
    bands: tuple[int, int]
    coastal: tuple[bool, bool]
    common: int
    adamic_adar: float
    country_pairs: int
    partner_in_country: int
    candidate_in_query_country: int
    degrees: tuple[int, int]
    same_name: bool
    countries: tuple[CountryInfo | None, CountryInfo | None]
    profile_matches: tuple[str, ...]
    strategy: tuple[tuple[str, str], ...]
    # L3: paths place - partner - partner's partner - candidate, weighted 1/sqrt(k_a k_b).
    paths_of_three: float = 0.0
    # Partners of either side near the other, each weighted exp(-km / 100).
    partners_near: float = 0.0
    # The two places' names (the place asked about, the candidate).
    names: tuple[Names, Names] = (("", ""), ("", ""))
    # The partners both have (the best-connected first, at most a few).
    common_names: tuple[Names, ...] = ()
    # Ties between the two sides' partners: how many, and the strongest (ours, theirs).
    links: int = 0
    link: tuple[Names, Names] | None = None
    # The candidate's partner nearest the place; the place's partner nearest the candidate.
    theirs_near: Near | None = None
    ours_near: Near | None = None
    typical: Typical | None = None
    # The two countries' names (country_label of `countries`), worked out once.
    country_names: tuple[Names, Names] = (("?", "?"), ("?", "?"))


def country_label(info: CountryInfo | None) -> tuple[str, str]:
    if info is None:
        return ("?", "?")
    en, zh = country_labels(info.iso2, info.name_en, info.name_zh)
    return (en or info.iso2, zh or en or info.iso2)


def people(n: int | None) -> tuple[str, str]:
    """A population in words: millions with one decimal in English, 万 in Chinese."""
    if not n:
        return ("unknown", "不详")
    en = f"{n / 1e6:.1f} million" if n >= 1_000_000 else f"{n:,}"
    if n >= 1_000_000:
        zh = f"{n / 1e4:,.0f} 万"
    else:
        zh = f"{n / 1e4:.1f} 万" if n >= 10_000 else f"{n:,}"
    return (en, zh)


def detail(factor: str, f: Facts) -> tuple[str, str]:
    """The technical values behind one factor (English, Chinese), for the details toggle."""
    if factor == "size_rank":
        (pa_en, pa_zh), (pb_en, pb_zh) = people(f.population[0]), people(f.population[1])
        level_en = "same level" if f.same_level else "different levels"
        level_zh = "行政级别相同" if f.same_level else "行政级别不同"
        return (f"population {pa_en} and {pb_en}; {level_en}",
                f"人口 {pa_zh} 与 {pb_zh}；{level_zh}")  # fmt: skip
    if factor == "distance":
        if f.distance_km is None:
            return ("distance unknown", "距离不详")
        return (f"{f.distance_km:,.0f} km apart", f"相距 {f.distance_km:,.0f} 公里")
    if factor == "climate":
        a, b = f.bands
        if a < 0 or b < 0:
            return ("climate unknown", "气候带不详")
        if a == b:
            return (f"same latitude band ({BANDS[a][0]})", f"同属{BANDS[a][1]}")
        return (f"{BANDS[a][0]} and {BANDS[b][0]} latitude bands",
                f"分属{BANDS[a][1]}与{BANDS[b][1]}")  # fmt: skip
    if factor == "coast":
        words = {(True, True): ("both coastal", "都在沿海"),
                 (False, False): ("both inland", "都在内陆"),
                 (True, False): ("coastal and inland", "一方沿海、一方内陆"),
                 (False, True): ("inland and coastal", "一方内陆、一方沿海")}  # fmt: skip
        return words[f.coastal]
    if factor == "profile":
        if not f.profile_matches:
            return ("no declared needs, offers or fields in common", "自述的需求、优势与领域无交集")
        joined = ", ".join(f.profile_matches)
        return (f"declared in common: {joined}", f"自述相合：{joined}")
    if factor == "shared_partners":
        return (
            f"{f.common} partners in common (Adamic–Adar {f.adamic_adar:.2f}); linked through "
            f"partners' partners (L3 {f.paths_of_three:.2f}); partners near the other side "
            f"{f.partners_near:.1f}",
            f"共同友城 {f.common} 个（Adamic–Adar 指数 {f.adamic_adar:.2f}）；经友城的友城相连"
            f"（L3 指数 {f.paths_of_three:.2f}）；靠近对方的友城 {f.partners_near:.1f}",
        )
    if factor == "country_ties":
        (qa_en, qa_zh), (ca_en, ca_zh) = f.country_names
        return (
            f"{f.country_pairs:,} partnerships between {qa_en} and {ca_en}; the place has "
            f"{f.partner_in_country} partners in {ca_en}, the candidate "
            f"{f.candidate_in_query_country} in {qa_en}",
            f"{qa_zh}与{ca_zh}之间已有 {f.country_pairs:,} 对友城；本地在{ca_zh}有 "
            f"{f.partner_in_country} 个友城，对方在{qa_zh}有 {f.candidate_in_query_country} 个",
        )
    if factor == "homophily":
        a, b = f.degrees
        return (f"the candidate has {b} partners, the place {a}",
                f"对方有 {b} 个友城，本地有 {a} 个")  # fmt: skip
    if factor == "name":
        return ("same name", "同名") if f.same_name else ("different names", "名称不同")
    if factor == "strategy":
        if not f.strategy:
            return ("no strategic priority", "不在重点布局方向")
        return ("; ".join(en for en, _ in f.strategy), "；".join(zh for _, zh in f.strategy))
    raise ValueError(factor)
