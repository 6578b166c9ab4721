"""The registry build: read the sources, apply the rules in order, write the registry and the
report. `build()` returns everything the report needs; `amity data build` calls `run()`."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from amity.core.progress import Progress, silent
from amity.places.service import DATA_DIR, RULE_SUFFIX
from amity.registry_build import pairs as pair_rules
from amity.registry_build.countries import country_code
from amity.registry_build.geonames import GeoNames
from amity.registry_build.levels import pair_level, subdivision_name_zh
from amity.registry_build.places import (
    Identities,
    Place,
    WikidataCities,
    point_outside_country,
    resolve_side,
    shared_points,
)
from amity.registry_build.sources import (
    SOURCE_LABELS,
    SOURCES_DIR,
    SourceRow,
    read_wikidata,
    read_wikipedia,
)

OUTPUT = DATA_DIR / "registry" / "pairs_combined.csv.gz"
UNDECIDED = DATA_DIR.parents[2] / "data" / "build" / "undecided.csv"
SIDE_COLUMNS = (
    "name", "name_zh", "name_zh_source", "country_iso2", "level", "parent", "lat", "lon",
    "wikidata", "geonames_id", "iso3166_2", "population", "population_source",
    "cn_province_adcode", "cn_prefecture_adcode", "cn_region3", "admin1", "key", "parent_key",
)
COLUMNS = (
    "pair_id", "level",
    *(f"a_{c}" for c in SIDE_COLUMNS), *(f"b_{c}" for c in SIDE_COLUMNS),
    "established", "involves_cn_mainland", "cross_border", "source", "source_rows",
    "quality_flags",
)


@dataclass
class Build:
    """What a build made and what each rule did (step → figures), for the report."""

    places: dict[str, Place]
    pairs: list[pair_rules.Pair]
    steps: list[tuple[str, str, dict[str, int]]] = field(default_factory=list)
    undecided: list[dict[str, str]] = field(default_factory=list)
    gazetteer: str = ""

    def step(self, name: str, rule: str, **figures: int) -> None:
        self.steps.append((name, rule, figures))


def build(
    directory: Path = SOURCES_DIR,
    *,
    limit: int | None = None,
    only: set[str] | None = None,
    small_gazetteer: bool = False,
    progress: Progress = silent,
) -> Build:
    """Run every rule on the sources; a slice: the first `limit` rows of each source, or the
    rows whose ids are in `only` (wp00001 = the Wikipedia scrape's first row, wd00001 the
    query's); small_gazetteer: match against the shipped cities15000 only (fast)."""
    rows = read_wikipedia(directory, limit) + read_wikidata(directory, limit)
    if only is not None:
        rows = [r for r in rows if r.row_id in only]
    progress("Reading sources", 1, 1)
    sides = [s for r in rows for s in (r.a, r.b)]
    for side in sides:
        side.country = country_code(side.country_raw)
    countries = {s.country for s in sides if s.country}
    sliced = limit is not None or only is not None
    geonames = GeoNames(countries | {"CN"} if sliced else None, small=small_gazetteer)
    result = Build({}, [], gazetteer=geonames.source)
    by_point = 0
    for side in sides:
        if side.country is None and side.lat is not None and side.lon is not None:
            side.country = geonames.nearest_country(side.lat, side.lon)
            by_point += side.country is not None
    result.step("countries", "countries.country_code", sides=len(sides),
                by_name=sum(s.country is not None for s in sides) - by_point, by_point=by_point,
                without=sum(s.country is None for s in sides))

    shared = shared_points([s for s in sides if s.country != "CN"])
    outside = {id(s) for s in sides if point_outside_country(s, geonames)}
    result.step("points", "places.shared_points, places.point_outside_country",
                shared_points=len(shared),
                sides_on_shared_points=sum((s.country, s.lat, s.lon) in shared for s in sides),
                bogus_points=len(outside))

    identities = Identities()
    wikidata = WikidataCities([s for s in sides if s.wikidata])
    resolved: list[tuple[SourceRow, Place | None, Place | None]] = []
    places: dict[str, Place] = {}
    methods: Counter[str] = Counter()
    guessed: set[tuple[str, str]] = set()  # (row, place key): a homophone placed by its point
    for done, row in enumerate(rows, start=1):
        out = []
        for side in (row.a, row.b):
            trusted = (side.country, side.lat, side.lon) not in shared and id(side) not in outside
            place = resolve_side(side, geonames, trusted)
            if place is None:
                result.undecided.append(
                    {"row": row.row_id, "name": side.name, "country": side.country_raw,
                     "reason": "no country" if not side.country else "no rule decided"})
                out.append(None)
                continue
            if not trusted:
                place.flags.append("point_distrusted")
            methods[place.method] += 1
            _attach_wikidata(place, side, wikidata)
            if place.method in ("point", "unknown"):
                guessed.add((row.row_id, place.key))
            place = places.setdefault(place.key, place)
            if place.wikidata:
                identities.union(place.key, f"wd:{place.wikidata}")
            if place.geonames_id:
                identities.union(place.key, f"gn:{place.geonames_id}")
            out.append(place)
        resolved.append((row, *out))
        if done % 2000 == 0 or done == len(rows):
            progress("Resolving places", done, len(rows))
    result.step("identity", "places.resolve_side", **{f"by_{k}": v for k, v in methods.items()},
                undecided_sides=len(result.undecided), distinct_keys=len(places))

    canonical = _canonical(places, identities)
    result.step("merge_by_id", "places.Identities (Wikidata and GeoNames ids)",
                before=len(places), after=len(set(canonical.values())))
    # Sorted, here and below: set order follows string hashing, which changes between runs.
    merged = pair_rules.variant_merges({k: places[k] for k in sorted(set(canonical.values()))})
    for key, root in list(canonical.items()):
        while root in merged:
            root = merged[root]
        canonical[key] = root
    result.step("merge_name_variants", "pairs.variant_merges", merged=len(merged),
                after=len(set(canonical.values())))
    twins = pair_rules.district_twins({k: places[k] for k in sorted(set(canonical.values()))})
    for key, root in list(canonical.items()):
        canonical[key] = twins.get(root, root)
    result.step("district_twins", "pairs.district_twins", merged=len(twins),
                after=len(set(canonical.values())))

    raw_pairs = [
        pair_rules.Pair(
            canonical[a.key], canonical[b.key], row.source, [row.row_id],
            guessed={canonical[p.key] for p in (a, b) if (row.row_id, p.key) in guessed},
        )
        for row, a, b in resolved if a is not None and b is not None
    ]
    final = {k: places[k] for k in sorted(set(canonical.values()))}
    _fill(final, places, canonical)
    conflicts_before = len(pair_rules.homophone_conflicts(raw_pairs, final))
    moved = pair_rules.settle_homophones(raw_pairs, final)
    conflicts_after = pair_rules.homophone_conflicts(raw_pairs, final)
    result.step("homophones", "pairs.settle_homophones", conflicts_before=conflicts_before,
                rows_moved=moved, conflicts_after=len(conflicts_after))
    for other, romanisation in conflicts_after:
        result.undecided.append({"row": "", "name": final[other].name,
                                 "country": final[other].country,
                                 "reason": f"partner of two prefectures romanised {romanisation}"})

    deduped, duplicates, selfs = pair_rules.dedupe(raw_pairs)
    result.step("dedupe", "pairs.dedupe", rows=len(raw_pairs), duplicates=duplicates,
                self_pairs=selfs, pairs=len(deduped))
    kept, dropped = pair_rules.level_twins(deduped, final)
    result.step("level_twins", "pairs.level_twins", before=len(deduped), dropped=len(dropped),
                after=len(kept))
    used = {k for p in kept for k in (p.a, p.b)}
    filled = admin_from_neighbours([final[k] for k in used], geonames)
    regions = regions_from_wikidata([final[k] for k in used], wikidata)
    districts = districts_from_wikidata([final[k] for k in used], wikidata)
    named = regions_named_in_chinese([final[k] for k in used])
    result.step("admin_and_population", "pipeline.admin_from_neighbours, "
                "pipeline.regions_from_wikidata, pipeline.districts_from_wikidata, "
                "pipeline.regions_named_in_chinese",
                admin1_from_neighbour=filled, region_populations_from_wikidata=regions,
                district_populations_from_wikidata=districts, region_names_from_iso_codes=named)
    result.places = {k: final[k] for k in sorted(used)}
    result.pairs = sorted(kept, key=lambda p: p.rows[0])
    return result


def admin_from_neighbours(places: list[Place], geonames: GeoNames) -> int:
    """Rule: a place without a GeoNames match takes the admin1 code (state, province) of the
    nearest populated place of its country within 25 km; a district that of its city."""
    filled = 0
    for place in places:
        if place.admin1 or place.iso3166_2 or place.cn_province:
            continue
        if place.parent_key and place.parent_key.startswith("gn:"):
            parent = geonames.by_id.get(int(place.parent_key[3:]))
            if parent is not None and parent.admin1:
                place.admin1 = parent.admin1
                filled += 1
                continue
        if place.lat is None or place.lon is None:
            continue
        near = geonames.nearest(place.lat, place.lon, within_km=25, country=place.country)
        if near is not None and near.admin1:
            place.admin1 = near.admin1
            filled += 1
    return filled


def regions_from_wikidata(places: list[Place], wikidata: WikidataCities) -> int:
    """Rule: a region without a population takes that of the one Wikidata entity of its name
    in its country (regions' points are too rough for the 30 km rule of cities)."""
    filled = 0
    for place in places:
        if place.population or place.level not in ("subdivision1", "subdivision2"):
            continue
        found = wikidata.by_name(place)
        if found is not None and found.population:
            place.wikidata = place.wikidata or found.wikidata
            place.population, place.population_source = found.population, "wikidata"
            filled += 1
    return filled


def districts_from_wikidata(places: list[Place], wikidata: WikidataCities) -> int:
    """Rule: a district (ward, borough, county-level unit) without a population takes that of
    the one Wikidata entity of exactly its name (unit words included) in its country within
    30 km (Prague 8, Charlottenburg-Wilmersdorf, 如东县 Rudong County), unless the entity's
    Q-id already names another partnered place: then it is that place, not this district."""
    taken = {p.wikidata for p in places if p.wikidata}
    filled = 0
    for place in places:
        if place.population or place.level != "district":
            continue
        found = wikidata.find(place, place.name, exact=True)
        if found is None or not found.population or (
                found.wikidata in taken and found.wikidata != place.wikidata):
            continue
        place.wikidata = found.wikidata
        taken.add(found.wikidata)
        place.population, place.population_source = found.population, "wikidata"
        filled += 1
    return filled


def regions_named_in_chinese(places: list[Place]) -> int:
    """Rule: a region with an ISO 3166-2 code and no Chinese name takes the one iso-codes'
    zh_CN catalogue gives (levels.subdivision_name_zh), with its source."""
    named = 0
    for place in places:
        if place.name_zh or place.level not in ("subdivision1", "subdivision2"):
            continue
        found = subdivision_name_zh(place.iso3166_2)
        if found is not None:
            place.name_zh = found.name
            place.name_zh_source = "iso-codes" + RULE_SUFFIX[found.rule]
            named += 1
    return named


def _attach_wikidata(place: Place, side, wikidata: WikidataCities) -> None:
    """Rule: the Q-id and population a Wikidata side carries, or those of a Wikidata city of
    the same name within 30 km (not for Chinese sides: romanisations are too ambiguous)."""
    # Only cities are matched by name: name_key drops unit words, so "Pavia Province" would
    # find the city of Pavia's Q-id.
    found = side if side.wikidata else (
        None if place.country == "CN" or place.level != "city" else wikidata.find(place, side.name))
    if found is None:
        return
    place.wikidata = place.wikidata or found.wikidata
    if found.population and (place.population is None or place.level != "city"):
        place.population, place.population_source = found.population, "wikidata"


def _canonical(places: dict[str, Place], identities: Identities) -> dict[str, str]:
    """Each place key → the key of the place it is one with (a root that is a place key)."""
    roots: dict[str, list[str]] = {}
    for key in places:
        roots.setdefault(identities.find(key), []).append(key)
    canonical = {}
    for members in roots.values():
        best = min(members, key=lambda k: pair_rules._rank(places[k]))
        for key in members:
            canonical[key] = best
    return canonical


def _fill(final: dict[str, Place], places: dict[str, Place], canonical: dict[str, str]) -> None:
    """Give a kept place the ids, population and Chinese name its merged twins knew."""
    for key, root in canonical.items():
        if key == root:
            continue
        kept, twin = final[root], places[key]
        kept.wikidata = kept.wikidata or twin.wikidata
        kept.geonames_id = kept.geonames_id or twin.geonames_id
        if kept.population is None and twin.population:
            kept.population, kept.population_source = twin.population, twin.population_source
        if kept.name_zh is None and twin.name_zh:
            kept.name_zh, kept.name_zh_source = twin.name_zh, twin.name_zh_source


def _side_values(place: Place) -> list[str]:
    values = {
        "name": place.name, "name_zh": place.name_zh, "name_zh_source": place.name_zh_source,
        "country_iso2": place.country, "level": place.level, "parent": place.parent,
        "lat": f"{place.lat:.5f}" if place.lat is not None else "",
        "lon": f"{place.lon:.5f}" if place.lon is not None else "",
        "wikidata": place.wikidata, "geonames_id": place.geonames_id,
        "iso3166_2": place.iso3166_2, "population": place.population,
        "population_source": place.population_source,
        "cn_province_adcode": place.cn_province, "cn_prefecture_adcode": place.cn_prefecture,
        "cn_region3": place.cn_region3, "admin1": place.admin1, "key": place.key,
        "parent_key": place.parent_key,
    }
    return ["" if values[c] is None else str(values[c]) for c in SIDE_COLUMNS]


def registry_rows(result: Build) -> list[list[str]]:
    """The output rows, in COLUMNS order, sorted by their first source row."""
    rows = []
    for pair in result.pairs:
        a, b = result.places[pair.a], result.places[pair.b]
        flags = sorted(set(pair.flags) | {f"a_{f}" for f in a.flags} | {f"b_{f}" for f in b.flags})
        rows.append([
            pair.rows[0],
            pair_level(a.level, b.level, a.cn_municipality, b.cn_municipality),
            *_side_values(a), *_side_values(b), "",
            "1" if "CN" in (a.country, b.country) else "0",
            "1" if a.country != b.country else "0",
            SOURCE_LABELS[pair.source], " ".join(sorted(pair.rows)), " ".join(flags),
        ])
    return rows


def write_registry(result: Build, path: Path = OUTPUT) -> bytes:
    """Write the registry as gzip'd CSV without a timestamp: a rebuild is byte-identical."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(registry_rows(result))
    data = gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def write_undecided(result: Build, path: Path = UNDECIDED) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["row", "name", "country", "reason"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(result.undecided, key=lambda r: (r["reason"], r["row"],
                                                                 r["name"])))
