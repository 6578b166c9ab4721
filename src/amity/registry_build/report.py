"""docs/data-quality.md, written by `amity data build`: what each rule did, before and after.

"Before" is the registry as it was built outside the project (kept for this comparison in
data/sources/previous/); "after" is this build's output. Both are measured by the same functions
on the registry file's rows, so the two columns count the same things.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter, defaultdict
from pathlib import Path

from amity.places.service import DATA_DIR, distance_km, is_mainland_form, name_key, read_cities
from amity.registry_build import origin as origin_rules
from amity.registry_build.china import homophone_groups
from amity.registry_build.levels import pair_level
from amity.registry_build.parse import name_variants, significant_words
from amity.registry_build.sources import SOURCES_DIR

PREVIOUS = SOURCES_DIR / "previous" / "pairs_combined_outside.csv.gz"
REPORT = DATA_DIR.parents[2] / "docs" / "data-quality.md"
LEVEL_ORDER = ("subdivision1", "subdivision2", "city", "district", "(none)")


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))


def _places(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Partnered places by identity: the build's key; in the previous file (which has none) the
    Chinese division, else the Wikidata id, else country and name, as its loader merged them."""
    places = {}
    for row in rows:
        for s in ("a", "b"):
            side = {k[2:]: v for k, v in row.items() if k.startswith(f"{s}_")}
            key = side.get("key") or (
                f"cn:{side['cn_prefecture_adcode'] or side['cn_province_adcode']}"
                if side["cn_province_adcode"] else
                f"wd:{side['wikidata']}" if side["wikidata"]
                else f"{side['country_iso2']}:{name_key(side['name'])}")
            side["_pairs"] = str(int(places.get(key, {}).get("_pairs", "0")) + 1)
            places.setdefault(key, side)
    return places


def _point(place: dict[str, str]) -> tuple[float, float] | None:
    try:
        return float(place["lat"]), float(place["lon"])
    except (KeyError, ValueError):
        return None


def variant_duplicates(places: dict[str, dict[str, str]]) -> int:
    """Pairs of partnered places of one country and one level whose names are variants and
    that lie within 15 km (Hutt / Lower Hutt): the duplicates the merge rules remove."""
    by_word = defaultdict(list)
    for key, p in places.items():
        for word in set(significant_words(p["name"])):
            by_word[(p["country_iso2"], word)].append(key)
    found = set()
    for keys in by_word.values():
        if len(keys) > 200:
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pa, pb = places[a], places[b]
                if pa.get("level", "") != pb.get("level", "") or pa.get("parent", "") != pb.get(
                        "parent", ""):
                    continue
                qa, qb = _point(pa), _point(pb)
                if qa and qb and distance_km(*qa, *qb) <= 15 and name_variants(pa["name"],
                                                                              pb["name"]):
                    found.add((min(a, b), max(a, b)))
    return len(found)


def shared_points(places: dict[str, dict[str, str]]) -> int:
    """Partnered places that share their exact point with a differently named place."""
    names = defaultdict(set)
    for p in places.values():
        if p["lat"]:
            names[(p["lat"], p["lon"])].add(name_key(p["name"]))
    return sum(len(v) for v in names.values() if len(v) > 1)


def homophone_conflicts(rows: list[dict[str, str]]) -> int:
    """Foreign places with pairs to two prefectures of one romanisation (台州 and 泰州)."""
    groups = {d.adcode: key for key, ds in homophone_groups().items() for d in ds}
    seen = defaultdict(set)
    for row in rows:
        for cn, other in (("a", "b"), ("b", "a")):
            code = row[f"{cn}_cn_prefecture_adcode"]
            if code in groups and row.get(f"{cn}_level", "city") == "city":
                seen[(row[f"{other}_country_iso2"], name_key(row[f"{other}_name"]),
                      groups[code])].add(code)
    return sum(len(v) > 1 for v in seen.values())


def _as_loaded_before(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The previous file has no levels: give its rows the levels its loader gave them (a side
    with only a Chinese province code was a province, everything else a city)."""
    if not rows or "level" in rows[0]:
        return rows
    out = []
    for row in rows:
        row = dict(row)
        for s in ("a", "b"):
            province_only = row[f"{s}_cn_province_adcode"] and not row[f"{s}_cn_prefecture_adcode"]
            row[f"{s}_level"] = "subdivision1" if province_only else "city"
        row["level"] = pair_level(row["a_level"], row["b_level"])
        out.append(row)
    return out


def origin_markers(places: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """Per origin — in the shipped gazetteer (a Chinese division or a cities15000 GeoNames id)
    or created by the demo load — how many partnered places lack a population, an admin code
    (GeoNames admin1, ISO 3166-2 or a Chinese province code) or any id, and how many are
    below the gazetteer's 15,000 threshold. An attribute whose rate differs between the two
    tells a model which places exist only because of a pair."""
    gazetteer = {c.geonames_id for c in read_cities()}
    out: dict[str, Counter] = {"gazetteer": Counter(), "created": Counter()}
    for key, p in places.items():
        in_gazetteer = (key.startswith("cn:") and key.count(":") == 1) or (
            p.get("geonames_id", "").isdigit() and int(p["geonames_id"]) in gazetteer)
        c = out["gazetteer" if in_gazetteer else "created"]
        c["places"] += 1
        c["no_population"] += not p.get("population")
        c["no_admin_code"] += not (p.get("admin1") or p.get("iso3166_2")
                                   or p.get("cn_province_adcode"))
        c["no_id"] += not (p.get("geonames_id") or p.get("wikidata") or p.get("iso3166_2")
                           or p.get("cn_province_adcode"))
        c["below_15000"] += bool(p.get("population")) and int(p["population"]) < 15000
    return {k: dict(v) for k, v in out.items()}


MISSING_REASONS = {
    "geonames_zero": "GeoNames knows the place (its id is kept) but gives no population",
    "no_geonames": "no GeoNames place of its name near its point, no Wikidata entity of its name "
                   "within 30 km",
    "district": "a district/ward/county-level unit: not a GeoNames populated place, no Wikidata "
                "entity of exactly its name within 30 km",
    "region": "a region: GeoNames' city files hold no regions, no Wikidata entity of exactly "
              "its name in its country",
}


def missing_population(place: dict[str, str]) -> str | None:
    """Why a partnered place has no population (a MISSING_REASONS key), None if it has one."""
    if place.get("population"):
        return None
    level = place.get("level") or "city"
    if level.startswith("subdivision"):
        return "region"
    if level == "district":
        return "district"
    return "geonames_zero" if place.get("geonames_id") else "no_geonames"


def measure(rows: list[dict[str, str]]) -> dict[str, object]:
    rows = _as_loaded_before(rows)
    places = _places(rows)
    china = [r for r in rows if "CN" in (r["a_country_iso2"], r["b_country_iso2"])]
    foreign_levels = Counter()
    for r in china:
        other = "b" if r["a_country_iso2"] == "CN" else "a"
        foreign_levels[r.get(f"{other}_level") or "(none)"] += 1
    zh = sum(is_mainland_form(p["name_zh"], country=p["country_iso2"])
             for p in places.values() if p.get("name_zh"))
    return {
        "pairs": len(rows),
        "places": len(places),
        "variant_duplicates": variant_duplicates(places),
        "shared_points": shared_points(places),
        "homophone_conflicts": homophone_conflicts(rows),
        "levels": Counter(p.get("level") or "(none)" for p in places.values()),
        "pair_levels": Counter(r.get("level") or "(none)" for r in rows),
        "china_pairs": len(china),
        "china_pair_levels": Counter(r.get("level") or "(none)" for r in china),
        "china_foreign_levels": foreign_levels,
        "with_zh": zh,
        "has_zh_column": bool(rows) and "a_name_zh" in rows[0],
        "with_population": sum(bool(p.get("population")) for p in places.values()),
        "origin": origin_markers(places),
        "missing_population": Counter(
            (reason, p.get("level") or "city") for p in places.values()
            if (reason := missing_population(p))),
        "population_sources": Counter(p.get("population_source") or "(none)"
                                      for p in places.values() if p.get("population")),
    }


def _share(part: int, whole: int) -> str:
    return f"{part:,} ({100 * part / whole:.1f}%)" if whole else "0"


def _official() -> dict[str, str]:
    rows = list(csv.DictReader((DATA_DIR / "official" / "cn_friendship_totals.csv").open(
        encoding="utf-8")))
    latest = rows[-1]
    levels = next(r for r in reversed(rows) if r["foreign_provinces"])
    return {"latest": latest, "levels": levels}


def render(build, after_rows: list[dict[str, str]], before_rows: list[dict[str, str]] | None,
           command: str) -> str:
    after = measure(after_rows)
    before = measure(before_rows) if before_rows is not None else None
    out = [
        "# Data quality of the registry",
        "",
        f"Written by `{command}` (do not edit by hand). Sources: `data/sources/` (see its "
        f"README); gazetteer for matching: {build.gazetteer}. Output: "
        "`src/amity/data/registry/pairs_combined.csv.gz`; sides no rule could decide: "
        "`data/build/undecided.csv`.",
        "",
        "## What each rule did",
        "",
        "| step | rule (function) | figures |",
        "|---|---|---|",
    ]
    for name, rule, figures in build.steps:
        text = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in figures.items())
        out.append(f"| {name} | `{rule}` | {text} |")
    out += ["", "## Before and after", ""]
    before_label = "before (built outside the project)" if before else "before"
    out += [f"| figure | {before_label} | after (this build) |", "|---|---:|---:|"]

    def line(label, key, fmt=lambda v: f"{v:,}"):
        b = fmt(before[key]) if before else "—"
        out.append(f"| {label} | {b} | {fmt(after[key])} |")

    line("pairs", "pairs")
    line("partnered places", "places")
    line("duplicate places left (variant names within 15 km, same level)", "variant_duplicates")
    line("partnered places sharing their point with a differently named place", "shared_points")
    line("homophone conflicts (a foreign place with pairs to 台州 and 泰州, ...)",
         "homophone_conflicts")
    for key, label in (("with_zh", "with a Chinese name in mainland form"),
                       ("with_population", "with a population")):
        b = _share(before[key], before["places"]) if before else "—"
        if before and key == "with_zh" and not before["has_zh_column"]:
            b = "not in the file"
        out.append(f"| partnered places {label} | {b} | {_share(after[key], after['places'])} |")
    out += ["", "### Places by level", "", "| level | before | after |", "|---|---:|---:|"]
    for level in LEVEL_ORDER:
        b = before["levels"].get(level, 0) if before else 0
        if b or after["levels"].get(level):
            out.append(f"| {level} | {b:,} | {after['levels'].get(level, 0):,} |")
    out += ["", "The previous file had no level column: \"before\" counts the levels its loader "
            "gave (a side with only a Chinese province code was a province, all else a city).",
            ""]
    out += ["### Pairs by level", "", "| level | before | after |", "|---|---:|---:|"]
    for level in ("province_state", "province_city", "city_city", "district", "(none)"):
        b = before["pair_levels"].get(level, 0) if before else 0
        if b or after["pair_levels"].get(level):
            out.append(f"| {level} | {b:,} | {after['pair_levels'].get(level, 0):,} |")
    official = _official()
    o, lv = official["latest"], official["levels"]
    out += [
        "", "### China's pairs by level against the official figures", "",
        "Pairs with a side in mainland China, by pair level and by the level of the foreign "
        "side. Official totals (mainland only): "
        f"{int(o['pairs']):,} pairs with {o['partner_countries']} countries ({o['as_of']}); "
        f"by foreign level, last published {lv['as_of']}: {int(lv['foreign_provinces']):,} "
        f"foreign provinces/states and {int(lv['foreign_cities']):,} foreign cities "
        f"(of {int(lv['pairs']):,} pairs).", "",
        "| level | before | after |", "|---|---:|---:|",
    ]
    for level in ("province_state", "province_city", "city_city", "district", "(none)"):
        b = before["china_pair_levels"].get(level, 0) if before else 0
        if b or after["china_pair_levels"].get(level):
            out.append(f"| pair level {level} | {b:,} | "
                       f"{after['china_pair_levels'].get(level, 0):,} |")
    for level in LEVEL_ORDER:
        b = before["china_foreign_levels"].get(level, 0) if before else 0
        if b or after["china_foreign_levels"].get(level):
            out.append(f"| foreign side {level} | {b:,} | "
                       f"{after['china_foreign_levels'].get(level, 0):,} |")
    out.append(f"| all China pairs | {before['china_pairs'] if before else 0:,} | "
               f"{after['china_pairs']:,} |")
    out += ["", "### Where populations come from (after)", "", "| source | places |",
            "|---|---:|"]
    for source, n in sorted(after["population_sources"].items()):
        out.append(f"| {source} | {n:,} |")
    missing = after["missing_population"]
    out += ["", "### Partnered places without a population (after), and why", "",
            f"{sum(missing.values()):,} places. The build's population sources are GeoNames "
            "cities500 (matched by id, else by name near the point) and the population each "
            "Wikidata P190 file gives its entities (by Q-id, else by name within 30 km); these "
            "places are in neither.", "",
            "| why | level | places |", "|---|---|---:|"]
    for (reason, level), n in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {MISSING_REASONS[reason]} | {level} | {n:,} |")
    origin = after["origin"]
    out += ["", "### Origin markers (after)", "",
            "Partnered places already in the shipped gazetteer against those the demo load "
            "creates. Missing values that only created places have let a model tell them apart "
            "(see `origin_markers`).", "",
            "| attribute | in the gazetteer | created by the load |", "|---|---:|---:|"]
    for key, label in (("places", "places"), ("no_population", "no population"),
                       ("no_admin_code", "no admin code"), ("no_id", "no GeoNames/Wikidata/ISO id"),
                       ("below_15000", "population below 15,000")):
        g, c = origin["gazetteer"].get(key, 0), origin["created"].get(key, 0)
        if key == "places":
            out.append(f"| {label} | {g:,} | {c:,} |")
        else:
            out.append(f"| {label} | {_share(g, origin['gazetteer']['places'])} | "
                       f"{_share(c, origin['created']['places'])} |")
    labelled = origin_rules.labelled_places(_places(_as_loaded_before(after_rows)),
                                            {c.geonames_id for c in read_cities()})
    out += ["", "How well each attribute the recommender reads tells the two apart "
            "(`origin.origin_gain`: a classifier fitted on half the partnered places, its AUC "
            "on the other half, against the mean AUC of the same fitted on 50 shufflings of "
            "the origins; a gain above 0.02 is a marker, see tests/registry_build/"
            "test_origin.py):", "",
            "| attribute | AUC | AUC on shuffled origins | gain |", "|---|---:|---:|---:|"]
    combos = [(name, [f]) for name, f in origin_rules.FEATURES.items()]
    combos.append(("all together", list(origin_rules.FEATURES.values())))
    for name, features in combos:
        fitted, noise = origin_rules.origin_gain(labelled, features)
        out.append(f"| {name.replace('_', ' ')} | {fitted:.3f} | {noise:.3f} | "
                   f"{fitted - noise:+.3f} |")
    reasons = Counter(u["reason"] for u in build.undecided)
    out += ["", "## What the rules could not decide", "",
            f"{len(build.undecided):,} sides (their rows give no pair), listed in "
            "`data/build/undecided.csv`:", "", "| reason | sides |", "|---|---:|"]
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {reason} | {n:,} |")
    out.append("")
    return "\n".join(out)
