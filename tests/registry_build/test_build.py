"""The build on a slice of real source rows: each rule does what it says, deterministically."""

import csv
import gzip
import io
import os
import subprocess
import sys

import pytest

from amity.registry_build.pairs import homophone_conflicts
from amity.registry_build.pipeline import build, write_registry

# Rows of data/sources, by id (wpN = line N of the Wikipedia scrape, wdN = of the query).
ROWS = {
    "wp00487",  # Lake Macquarie – Rotorua Lakes
    "wp15321", "wd09029",  # Beppu – Rotorua Lakes (Wikipedia); Rotorua – Beppu (Wikidata)
    "wp00491",  # Latrobe – "Taizhou" (geocoded in Zhejiang)
    "wp03465",  # Silistra – Sakuragawa (at Sukagawa's point... and Sukagawa at it too)
    "wp04751",  # Luoyang – Sukagawa
    "wp04351",  # Chongqing – Pest County
    # Shanghai – Auvergne-Rhône-Alpes, Central Denmark Region, Chiang Mai Province, Metro Manila
    "wp04899", "wp04908", "wp04912", "wp04934",
    "wp04341",  # Chongqing – Chiang Mai
    "wp04967",  # Shenyang – Florida (Uruguay) geocoded in Florida, USA
    # Taizhou, Jiangsu – Hutt, Kotka, Latrobe; Taizhou, Zhejiang – Hanau
    "wp05062", "wp05063", "wp05064", "wp05069",
    "wp05399", "wp14516",  # Suzhou, Anhui – Padang; Padang – "Suzhou"
    "wp08003",  # Kotka – "Taizhou"
    "wp17882",  # Hutt – "Taizhou"
    "wp01096",  # Vienna 9 – Alsergrund – Dongcheng (Beijing)
    "wp22395", "wp24720",  # Seoul – Jongno – Prague 1 (Prague); Prague 1 – Jongno (Seoul)
    "wd15161",  # Lower Hutt – Taizhou (Wikidata)
    "wd01270",  # Shanghai – "Nord Jeolla" (Italian label)
    "wp05066", "wd00059",  # Taizhou, Jiangsu – Pavia Province; Vilnius – Pavia (Q6259)
}


@pytest.fixture(scope="module")
def result():
    return build(only=ROWS, small_gazetteer=True)


def _pairs(result):
    return [(result.places[p.a], result.places[p.b], p) for p in result.pairs]


def _partners(result, name):
    found = []
    for a, b, pair in _pairs(result):
        if a.name == name:
            found.append((b, pair))
        if b.name == name:
            found.append((a, pair))
    return found


def test_one_source_row_never_gives_two_homophone_places(result):
    assert homophone_conflicts(result.pairs, result.places) == []
    for partner in ("Kotka", "Lower Hutt", "Latrobe"):
        prefectures = {p.cn_prefecture for p, _pair in _partners(result, partner)}
        assert prefectures == {"321200"}, partner  # 泰州, Jiangsu: China's list says so
    assert {p.cn_prefecture for p, _ in _partners(result, "Hanau")} == {"331000"}
    assert {p.cn_prefecture for p, _ in _partners(result, "Padang")} == {"341300"}  # 宿州


def test_duplicates_merge_by_id_and_variant(result):
    hutt = [p for p in result.places.values() if p.country == "NZ" and "Hutt" in p.name]
    assert len(hutt) == 1 and hutt[0].geonames_id  # Hutt = Lower Hutt (GeoNames, Q1015681)
    rotorua = [p for p in result.places.values() if p.country == "NZ" and "Rotorua" in p.name]
    assert len(rotorua) == 1  # Rotorua Lakes (no GeoNames town) = Rotorua (GeoNames)
    beppu = _partners(result, "Beppu")
    assert len(beppu) == 1 and sorted(beppu[0][1].rows) == ["wd09029", "wp15321"]
    kotka = _partners(result, "Kotka")
    assert len(kotka) == 1 and sorted(kotka[0][1].rows) == ["wp05063", "wp08003"]


def test_districts_keep_their_level(result):
    jongno = [p for p in result.places.values() if p.name == "Jongno"]
    assert len(jongno) == 1 and jongno[0].level == "district" and jongno[0].parent == "Seoul"
    dongcheng = next(p for p in result.places.values() if p.name == "Dongcheng")
    assert (dongcheng.level, dongcheng.cn_prefecture) == ("district", "110000")
    assert all(p.level == "district" for p, _ in _partners(result, "Dongcheng"))


def test_a_district_and_its_bare_twin_are_one_place():
    # wp00891 Linz – "Charlottenburg-Wilmersdorf (Berlin)", a district of Berlin; wd03956
    # Trento – Q158095 "Charlottenburg-Wilmersdorf", which GeoNames does not know as a town.
    built = build(only={"wp00891", "wd03956"}, small_gazetteer=True)
    borough = [p for p in built.places.values() if p.name == "Charlottenburg-Wilmersdorf"]
    assert len(borough) == 1
    assert (borough[0].level, borough[0].parent) == ("district", "Berlin")
    assert (borough[0].wikidata, borough[0].population_source) == ("Q158095", "wikidata")
    assert next(f for n, _r, f in built.steps if n == "district_twins")["merged"] == 1


def test_regions_are_regions_and_level_twins_resolve(result):
    levels = {p.name: p.level for p in result.places.values()}
    assert levels["Pest County"] == "subdivision1"
    assert levels["Central Denmark Region"] == "subdivision1"
    assert result.places["iso:KR-45"].level == "subdivision1"  # North Jeolla Province
    shanghai = {p.name for p, _ in _partners(result, "Shanghai")}
    assert {"Chiang Mai Province", "Metro Manila", "Auvergne-Rhône-Alpes"} <= shanghai
    assert "Chiang Mai" in {p.name for p, _ in _partners(result, "Chongqing")}
    # The province of Pavia is not the city: it does not take the city's Wikidata id.
    province = next(p for p in result.places.values() if p.name == "Pavia Province")
    assert province.level == "subdivision2" and province.wikidata != "Q6259"


def test_bogus_and_shared_points_are_not_trusted(result):
    florida = next(p for p, _ in _partners(result, "Shenyang"))
    assert florida.country == "UY" and florida.lat < -30  # Florida, Uruguay; not Florida, USA
    sakuragawa = next(p for p in result.places.values() if p.name == "Sakuragawa")
    sukagawa = next(p for p in result.places.values() if p.name == "Sukagawa")
    assert sakuragawa.geonames_id != sukagawa.geonames_id
    assert (sakuragawa.lat, sakuragawa.lon) != (sukagawa.lat, sukagawa.lon)


def test_slice_builds_byte_identically(result, tmp_path):
    first = write_registry(result, tmp_path / "a.csv.gz")
    second = write_registry(build(only=ROWS, small_gazetteer=True), tmp_path / "b.csv.gz")
    assert first == second
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(first).decode("utf-8"))))
    assert len(rows) == len(result.pairs)
    assert {r["level"] for r in rows} >= {"district", "province_state", "city_city"}


def test_slice_builds_the_same_under_another_hash_seed(tmp_path):
    # Set iteration order follows string hashing, which Python varies between processes: a
    # rule that depended on it would make a rebuild differ from the committed file.
    script = (
        "import sys; from pathlib import Path; "
        "from amity.registry_build.pipeline import build, write_registry; "
        "write_registry(build(limit=1500, small_gazetteer=True), Path(sys.argv[1]))"
    )
    outputs = []
    for seed in ("1", "2"):
        path = tmp_path / f"seed{seed}.csv.gz"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(path)], check=True, env=env)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_build_outside_a_checkout_says_what_it_needs(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from amity.cli import app
    from amity.registry_build import sources

    monkeypatch.setattr(sources, "SOURCES_DIR", tmp_path / "no-sources")
    result = CliRunner().invoke(app, ["data", "build", "--quiet"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "needs the raw sources" in result.output and "clone of the repository" in result.output
