"""Reasons in plain words, in English and Chinese, whose direction always agrees with the model.

A factor (shared partners, ties between the countries, ...) adds up several pieces of evidence:
its features, grouped here as the model weighs them (each piece's contribution is the sum of its
features' weight x (value - training mean), so the pieces add up to the factor). Each piece has
words for the facts as they are, one wording that reads as a plus and one that reads as a minus,
either of which may not exist: "2 partners in common: ..." can only be a plus, "no partners in
common" only a minus; "155 partnerships between China and Korea" is a plus as an established
channel and a minus as saturation. The rule: a piece is given as a reason only in the wording of
the sign the model gave it; when the facts have no wording of that sign (0 partners in common
that the model still counts as a plus, against the training mean), the piece stays in the
details, with its number, and is never shown in words that contradict it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amity.matching.factors import BANDS, Facts, people

Words = tuple[str, str]  # (English, Chinese)
SHOWN = 0.1  # smaller contributions are not worth a reason (they stay in the details)
MOST_FOR, MOST_AGAINST = 4, 2
SIMILAR_RATIO = 5.0  # populations within this factor of each other are "similar"
MANY_PAIRS = 10  # fewer partnerships between two countries are never "many" (however typical)


@dataclass(frozen=True)
class Evidence:
    key: str
    factor: str
    features: tuple[str, ...]
    # words(facts, sign) -> the reason in the wording of that sign (+1 / -1), or None.
    words: Callable[[Facts, int], Words | None]
    # The piece's name in the details (technical names are fine there).
    label: Words


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _joined(names, limit: int = 3) -> Words:
    names = list(names)
    en = ", ".join(n[0] for n in names[:limit]) + (", …" if len(names) > limit else "")
    zh = "、".join(n[1] for n in names[:limit]) + ("等" if len(names) > limit else "")
    return en, zh


def _common(f: Facts, sign: int) -> Words | None:
    if sign > 0 and f.common > 0:
        en, zh = _joined(f.common_names)
        return (f"{_n(f.common, 'partner', 'partners')} in common: {en}",
                f"两地的友城中有 {f.common} 个相同：{zh}")  # fmt: skip
    if sign < 0 and f.common == 0:
        return ("no partners in common", "两地没有共同的友城")
    return None


def _links(f: Facts, sign: int) -> Words | None:
    (q_en, q_zh), (c_en, c_zh) = f.names
    if sign > 0 and f.link is not None:
        (a_en, a_zh), (b_en, b_zh) = f.link
        more_en = f" ({f.links:,} such ties)" if f.links > 1 else ""
        more_zh = f"（共 {f.links} 对这样的关系）" if f.links > 1 else ""
        return (f"linked through partners: {q_en}'s partner {a_en} is twinned with {c_en}'s "
                f"partner {b_en}{more_en}",
                f"双方友城之间有往来：{q_zh}的友城{a_zh}与对方的友城{b_zh}结好"
                f"{more_zh}")  # fmt: skip
    if sign < 0 and f.links == 0:
        return ("no ties between their partners", "双方的友城之间没有结好关系")
    return None


def _theirs_near(f: Facts, sign: int) -> Words | None:
    """The candidate's partners around the place: an interest in its part of the world."""
    (q_en, q_zh), (c_en, c_zh) = f.names
    near, typical = f.theirs_near, f.typical
    if typical is None:
        return None
    if near is None:
        return (f"{c_en} has no partners yet", "对方尚无友城") if sign < 0 else None
    (n_en, n_zh), km = near.name, near.km
    if sign > 0 and km < typical.near_km:
        return (f"{c_en} already has a partner {km:,.0f} km from {q_en}: {n_en}",
                f"对方已有友城距{q_zh} {km:,.0f} 公里：{n_zh}")  # fmt: skip
    if sign < 0 and km >= typical.near_km:
        return (f"{c_en} has no partner near {q_en} (the nearest, {n_en}, is {km:,.0f} km away)",
                f"对方在{q_zh}周边没有友城（最近的{n_zh}相距 {km:,.0f} 公里）")  # fmt: skip
    return None


def _ours_near(f: Facts, sign: int) -> Words | None:
    """The place's partners around the candidate: a foothold in its area."""
    (q_en, q_zh), (c_en, c_zh) = f.names
    near, typical = f.ours_near, f.typical
    if typical is None or near is None:
        return None
    (n_en, n_zh), km = near.name, near.km
    if sign > 0 and km < typical.near_km:
        return (f"{q_en} already has a partner {km:,.0f} km from {c_en}: {n_en}",
                f"{q_zh}已有友城距对方 {km:,.0f} 公里：{n_zh}")  # fmt: skip
    if sign < 0 and km >= typical.near_km:
        return (f"{q_en} has no partner near {c_en} (the nearest, {n_en}, is {km:,.0f} km away)",
                f"{q_zh}在对方周边没有友城（最近的{n_zh}相距 {km:,.0f} 公里）")  # fmt: skip
    return None


def _countries(f: Facts, sign: int) -> Words | None:
    (q_en, q_zh), (c_en, c_zh) = f.country_names
    if f.typical is None or f.countries[0] is None or f.countries[1] is None or q_en == c_en:
        return None
    n = f.country_pairs
    many = n >= MANY_PAIRS and n > f.typical.country_pairs
    if sign > 0 and many:
        return (f"{q_en} and {c_en} already have {_n(n, 'partnership', 'partnerships')}: "
                "common ground",
                f"{q_zh}与{c_zh}间已有 {n:,} 对友城，交往基础较好")  # fmt: skip
    if sign > 0 and n == 0:
        return (f"room to grow: no partnerships yet between {q_en} and {c_en}",
                f"{q_zh}与{c_zh}间尚无友城，有拓展空间")  # fmt: skip
    if sign > 0:
        return (f"room to grow: {_n(n, 'partnership', 'partnerships')} between {q_en} and {c_en} "
                "so far",
                f"{q_zh}与{c_zh}间友城尚少（{n:,} 对），有拓展空间")  # fmt: skip
    if many:
        return (f"{q_en} and {c_en} already have {_n(n, 'partnership', 'partnerships')}: "
                "one more adds little",
                f"{q_zh}与{c_zh}间已有 {n:,} 对友城，新增一对的边际意义较小")  # fmt: skip
    if n == 0:
        return (f"no partnerships yet between {q_en} and {c_en}: little common ground",
                f"{q_zh}与{c_zh}间尚无友城，交往基础较弱")  # fmt: skip
    return (f"few partnerships between {q_en} and {c_en} ({n:,}): little common ground yet",
            f"{q_zh}与{c_zh}间友城较少（{n:,} 对），交往基础较弱")  # fmt: skip


def _own_ties(f: Facts, sign: int) -> Words | None:
    """The two places' own partners in each other's country."""
    (q_en, q_zh), (c_en, c_zh) = f.names
    (qc_en, qc_zh), (cc_en, cc_zh) = f.country_names
    if qc_en == cc_en:
        return None
    ours, theirs = f.partner_in_country, f.candidate_in_query_country
    if sign > 0 and theirs:
        return (f"{c_en} already has {_n(theirs, 'partner', 'partners')} in {qc_en}: "
                f"used to working with cities in {qc_en}",
                f"对方在{qc_zh}已有 {theirs} 个友城，有与{qc_zh}城市交往的经验")  # fmt: skip
    if sign > 0 and ours:
        return (f"{q_en} already has {_n(ours, 'partner', 'partners')} in {cc_en}: a foothold",
                f"{q_zh}在{cc_zh}已有 {ours} 个友城，有合作基础")  # fmt: skip
    if sign > 0:
        return (f"{q_en}'s first partner in {cc_en}: new ground",
                f"{q_zh}在{cc_zh}尚无友城，可开拓新方向")  # fmt: skip
    if theirs:
        return (f"{c_en} already has {_n(theirs, 'partner', 'partners')} in {qc_en}",
                f"对方在{qc_zh}已有 {theirs} 个友城，再结一对的意义较小")  # fmt: skip
    if ours:
        return (f"{q_en} already has {_n(ours, 'partner', 'partners')} in {cc_en}",
                f"{q_zh}在{cc_zh}已有 {ours} 个友城，再结一对的意义较小")  # fmt: skip
    return None


def _distance(f: Facts, sign: int) -> Words | None:
    km = f.distance_km
    if km is None or f.typical is None:
        return None
    if sign > 0 and km < f.typical.km:
        return (f"{km:,.0f} km apart, nearer than most candidates",
                f"相距 {km:,.0f} 公里，相对较近")  # fmt: skip
    if sign < 0 and km > f.typical.km:
        return (f"{km:,.0f} km apart, a long way to travel", f"相距 {km:,.0f} 公里，路途较远")
    return None


def _population(f: Facts, sign: int) -> Words | None:
    a, b = f.population
    if not a or not b:
        return None
    (a_en, a_zh), (b_en, b_zh) = people(a), people(b)
    similar = max(a, b) / min(a, b) <= SIMILAR_RATIO
    if sign > 0 and similar:
        return (f"similar populations ({a_en} / {b_en})", f"人口相近（{a_zh} / {b_zh}）")
    if sign > 0 and b < a:
        # The size features learn which ratios partnerships have (half of China's partners
        # abroad on the demo registry are 4.5 to 32 times smaller than the Chinese place), not
        # only "the closer the better".
        return (f"a smaller partner, a common match in existing partnerships ({a_en} / {b_en})",
                f"对方规模较小，与现有友城常见的规模搭配相符（{a_zh} / {b_zh}）")  # fmt: skip
    if sign < 0 and not similar:
        return (f"populations far apart ({a_en} / {b_en})", f"人口规模相差较大（{a_zh} / {b_zh}）")
    return None


def _level(f: Facts, sign: int) -> Words | None:
    if sign > 0 and f.same_level:
        return ("same administrative level", "行政级别相同")
    if sign < 0 and not f.same_level:
        return ("different administrative levels", "行政级别不同")
    return None


def _partners(f: Facts, sign: int) -> Words | None:
    (_, _), (c_en, c_zh) = f.names
    b = f.degrees[1]
    if f.typical is None:
        return None
    if sign > 0 and b > f.typical.degree:
        return (f"{c_en} is well connected ({_n(b, 'partner', 'partners')})",
                f"对方对外交往广泛（{b} 个友城）")  # fmt: skip
    if sign < 0 and b <= f.typical.degree:
        if b == 0:
            return (f"{c_en} has no partners yet", "对方尚无友城")
        return (f"{c_en} has few partners ({b:,})", f"对方的友城较少（{b} 个）")
    return None


def _climate(f: Facts, sign: int) -> Words | None:
    a, b = f.bands
    if a < 0 or b < 0:
        return None
    if sign > 0 and a == b:
        return (f"same climate zone ({BANDS[a][0]})", f"同属{BANDS[a][1]}")
    if sign < 0 and a != b:
        return (f"different climate zones ({BANDS[a][0]} / {BANDS[b][0]})",
                f"气候带不同（{BANDS[a][1]} / {BANDS[b][1]}）")  # fmt: skip
    return None


def _coast(f: Facts, sign: int) -> Words | None:
    a, b = f.coastal
    if sign > 0 and a and b:
        return ("both coastal", "同为沿海城市")
    if sign > 0 and not a and not b:
        return ("both inland", "同为内陆城市")
    if sign < 0 and a != b:
        return ("one coastal, one inland", "一方沿海、一方内陆")
    return None


def _name(f: Facts, sign: int) -> Words | None:
    return ("the same name", "同名城市") if sign > 0 and f.same_name else None


def _profile(f: Facts, sign: int) -> Words | None:
    if sign > 0 and f.profile_matches:
        joined = ", ".join(f.profile_matches)
        return (f"declared in common: {joined}", f"自述相合：{joined}")
    return None


def _strategy(f: Facts, sign: int) -> Words | None:
    if sign > 0 and f.strategy:
        return ("; ".join(en for en, _ in f.strategy), "；".join(zh for _, zh in f.strategy))
    return None


EVIDENCE = (
    Evidence("common", "shared_partners", ("common_neighbours", "adamic_adar"), _common,
             ("partners in common (count, Adamic–Adar)", "共同友城（个数、Adamic–Adar 指数）")),
    Evidence("links", "shared_partners", ("paths_of_three",), _links,
             ("ties between the partners (L3)", "友城之间的结好（L3 指数）")),
    Evidence("theirs_near", "shared_partners", ("near_partner_back", "partners_near_back"),
             _theirs_near, ("the candidate's partners near the place", "对方友城距本地的远近")),
    Evidence("ours_near", "shared_partners", ("near_partner", "partners_near"), _ours_near,
             ("the place's partners near the candidate", "本地友城距对方的远近")),
    Evidence("countries", "country_ties",
             ("country_pairs", "country_share", "country_neighbours", "region_pairs"), _countries,
             ("partnerships between the countries and regions", "两国、两地区间的友城")),
    Evidence("own_ties", "country_ties",
             ("partner_in_country", "candidate_in_country", "candidate_share_in_country",
              "partner_in_region", "candidate_in_region"), _own_ties,
             ("each side's partners in the other's country", "双方在对方国家的友城")),
    Evidence("distance", "distance",
             ("same_country", "log_distance", "distance_unknown", "log_distance_squared",
              "domestic_distance"), _distance, ("distance", "距离")),
    Evidence("population", "size_rank",
             ("population_gap", "population_unknown", "smaller_beyond_3x", "smaller_beyond_10x",
              "smaller_beyond_30x", "candidate_population"), _population,
             ("population", "人口")),
    Evidence("level", "size_rank", ("same_level",), _level, ("administrative level", "行政级别")),
    Evidence("partners", "homophily", ("candidate_degree", "degree_gap"), _partners,
             ("number of partners", "友城数量")),
    Evidence("climate", "climate", ("band_gap",), _climate, ("climate zone", "气候带")),
    Evidence("coast", "coast", ("both_coastal", "coast_mismatch"), _coast, ("coast", "沿海")),
    Evidence("name", "name", ("same_name",), _name, ("name", "名称")),
    Evidence("profile", "profile", (), _profile, ("declared profiles", "城市自述")),
    Evidence("strategy", "strategy", (), _strategy, ("strategy", "战略布局")),
)  # fmt: skip


def pieces(
    f: Facts, by_feature: dict[str, float], by_factor: dict[str, float]
) -> list[dict]:
    """Every piece of evidence with its contribution and its words (None: none of its sign).

    by_feature: each model feature's contribution; by_factor: each factor's, for the factors
    without features (profile, strategy), whose piece is the whole factor.
    """
    out = []
    for e in EVIDENCE:
        value = sum(by_feature[n] for n in e.features) if e.features else by_factor[e.factor]
        sign = 1 if value > 0 else -1 if value < 0 else 0
        words = e.words(f, sign) if sign else None
        out.append({"evidence": e.key, "factor": e.factor, "contribution": value,
                    "words": words, "label": e.label})  # fmt: skip
    return out


def shown(all_pieces: list[dict]) -> list[dict]:
    """The reasons to show: the strongest pieces with words of their sign, pluses first."""
    worded = [p for p in all_pieces if p["words"] and abs(p["contribution"]) >= SHOWN]
    worded.sort(key=lambda p: -abs(p["contribution"]))
    plus = [p for p in worded if p["contribution"] > 0][:MOST_FOR]
    minus = [p for p in worded if p["contribution"] < 0][:MOST_AGAINST]
    return [
        {"factor": p["factor"], "evidence": p["evidence"],
         "sign": "+" if p["contribution"] > 0 else "-",
         "contribution": round(p["contribution"], 4),
         "text": {"en": p["words"][0][:1].upper() + p["words"][0][1:], "zh": p["words"][1]}}
        for p in plus + minus
    ]  # fmt: skip


def factor_words(all_pieces: list[dict], factor: str, total: float) -> Words:
    """A factor's reason: its pieces that have words and push the way the factor does ("" when
    none does: the factor's number is then explained in the details only)."""
    mine = [p for p in all_pieces if p["factor"] == factor and p["words"]
            and p["contribution"] * total > 0]  # fmt: skip
    mine.sort(key=lambda p: -abs(p["contribution"]))
    return ("; ".join(p["words"][0] for p in mine), "；".join(p["words"][1] for p in mine))


def breakdown(all_pieces: list[dict], factor: str) -> Words:
    """The pieces of a factor with their numbers (for the details)."""
    mine = [p for p in all_pieces if p["factor"] == factor]
    if len(mine) < 2:
        return ("", "")
    en = "; ".join(f"{p['label'][0]} {p['contribution']:+.2f}" for p in mine)
    zh = "；".join(f"{p['label'][1]} {p['contribution']:+.2f}" for p in mine)
    return (en, zh)
