"""Each rule of the registry build, pinned on rows of the real sources."""

import pytest

from amity.places.mainland import is_mainland_form
from amity.registry_build.china import chinese_division, homophone_groups
from amity.registry_build.countries import country_code
from amity.registry_build.geonames import GeoNames
from amity.registry_build.levels import pair_level, subdivision_level, subdivision_name_zh
from amity.registry_build.parse import district_key, name_variants, split_name
from amity.registry_build.pipeline import districts_from_wikidata
from amity.registry_build.places import Place, WikidataCities
from amity.registry_build.report import missing_population
from amity.registry_build.sources import italian_label, read_wikidata


@pytest.fixture(scope="module")
def geonames():
    return GeoNames({"CN"}, small=True)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Wales, United Kingdom", "GB"),
        ("Georgia (country)", "GE"),
        ("People's Republic of China", "CN"),
        ("Martinique, France", "MQ"),
        ("Rauma, Norway", "NO"),
        ("in Italy", "IT"),
        ("israel🇮🇱🇮🇱", "IL"),
        ("Taiwan", "TW"),
        ("--", None),
    ],
)
def test_country_code(raw, code):
    assert country_code(raw) == code


def test_district_forms_of_one_district_agree():
    # wp22396 "Seoul – Jongno" (Seoul's page) and wp24721 "Jongno (Seoul)" (Prague's page).
    dash, paren = split_name("Seoul – Jongno"), split_name("Jongno (Seoul)")
    assert (dash.name, dash.parent) == (paren.name, paren.parent) == ("Jongno", "Seoul")
    assert district_key("Jongno-gu") == district_key("Jongno District") == district_key("Jongno")
    # "Vienna 9 – Alsergrund" is Alsergrund of Vienna, as "Alsergrund (Vienna)" says.
    assert split_name("Vienna 9 – Alsergrund").parent == "Vienna"
    assert split_name("Vienna 9 – Alsergrund").name == "Alsergrund"
    assert split_name("Prague 1 (Prague)").numbered
    assert split_name("Taizhou, Jiangsu").qualifier == "Jiangsu"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Hutt", "Lower Hutt", True),
        ("Rotorua", "Rotorua Lakes", True),
        ("Rhône-Alpes", "Auvergne-Rhône-Alpes", True),
        ("Manila", "Metro Manila", True),
        ("Sakuragawa", "Sukagawa", False),
        ("Taizhou", "Suzhou", False),
    ],
)
def test_name_variants(a, b, same):
    assert name_variants(a, b) is same


@pytest.mark.parametrize(
    ("name", "country", "is_town", "level"),
    [
        ("Gyeonggi", "KR", False, ("subdivision1", "KR-41")),
        ("North Jeolla", "KR", False, ("subdivision1", "KR-45")),
        ("Central Denmark Region", "DK", False, ("subdivision1", None)),
        ("Pest County", "HU", False, ("subdivision1", "HU-PE")),
        ("Utah County", "US", False, ("subdivision2", None)),  # not the state of Utah
        ("Pavia Province", "IT", False, ("subdivision2", "IT-PV")),
        ("Chiang Mai Province", "TH", False, ("subdivision1", "TH-50")),
        ("Metro Manila", "PH", False, ("subdivision1", None)),
        ("Chiang Mai", "TH", True, None),  # the city
        ("Osaka", "JP", True, None),
    ],
)
def test_subdivision_level(name, country, is_town, level):
    assert subdivision_level(name, country, is_town) == level


def test_italian_query_labels():
    assert italian_label("Distretto di Wuzhong") == "Wuzhong"
    assert italian_label("città di Lake Macquarie") == "Lake Macquarie"
    assert italian_label("Nord Jeolla") == "North Jeolla"


def test_homophone_groups_come_from_the_gb_codes():
    groups = homophone_groups()
    assert {d.name_zh for d in groups["taizhou"]} == {"台州市", "泰州市"}
    assert {d.name_zh for d in groups["suzhou"]} == {"苏州市", "宿州市"}
    assert {d.name_zh for d in groups["fuzhou"]} == {"福州市", "抚州市"}
    assert {d.name_zh for d in groups["yichun"]} == {"伊春市", "宜春市"}


def test_chinese_homophones_by_qualifier_and_point(geonames):
    # wp05063 "Taizhou, Jiangsu"; wp08004 Kotka's "Taizhou" geocoded in Zhejiang.
    jiangsu = chinese_division(split_name("Taizhou, Jiangsu"), 32.4567, 119.9229, geonames)
    assert (jiangsu.division.adcode, jiangsu.method) == ("321200", "qualifier")
    bare = chinese_division(split_name("Taizhou"), 28.6582, 121.4164, geonames)
    assert (bare.division.adcode, bare.method) == ("331000", "point")
    # wp05399 "Suzhou, Anhui" is 宿州, wp14516 Padang's bare "Suzhou" lies at 苏州.
    anhui = chinese_division(split_name("Suzhou, Anhui"), 33.648, 116.964, geonames)
    assert anhui.division.name_zh == "宿州市"


def test_chinese_districts_are_not_their_city(geonames):
    # wp01096 Vienna 9's "Dongcheng (Beijing)"; wp03200 "Jiaojiang (Taizhou)" at Taizhou ZJ.
    dongcheng = chinese_division(split_name("Dongcheng (Beijing)"), 39.9037, 116.3954, geonames)
    assert (dongcheng.level, dongcheng.division.adcode, dongcheng.name) == (
        "district", "110000", "Dongcheng")
    jiaojiang = chinese_division(split_name("Jiaojiang (Taizhou)"), 28.6667, 121.4333, geonames)
    assert (jiaojiang.level, jiaojiang.division.adcode) == ("district", "331000")
    shanghai = chinese_division(split_name("Shanghai"), 31.2286, 121.4747, geonames)
    assert (shanghai.level, shanghai.division.adcode) == ("city", "310000")


def test_pair_level():
    assert pair_level("city", "subdivision1", a_municipality=True) == "province_state"
    assert pair_level("city", "subdivision1") == "province_city"
    assert pair_level("district", "city") == "district"
    assert pair_level("city", "city") == "city_city"
    assert pair_level("subdivision2", "subdivision1") == "province_state"


def _query_sides(*row_ids):
    # Sides of rows of the Wikidata query (wd05273 = its 5,273rd row), countries from the graph.
    rows = {r.row_id: r for r in read_wikidata() if r.row_id in row_ids}
    sides = [s for row_id in row_ids for s in (rows[row_id].a, rows[row_id].b)]
    for side in sides:
        side.country = country_code(side.country_raw)
    return sides


def test_district_population_from_the_wikidata_entity_of_its_exact_name():
    # wd05273 Terni – Prague 8 (Q2071681, 104,918 people); wd03956 Trento – "Distretto di
    # Charlottenburg-Wilmersdorf" (Q158095). wp00891 and wp10822 name the same borough as a
    # district of Berlin; the query's side made a city place that holds Q158095.
    wikidata = WikidataCities(_query_sides("wd05273", "wd03956"))
    prague8 = Place("d:3067696:prague8", "Prague 8", "CZ", "district", 50.1078, 14.4714)
    borough = Place("d:2950159:charlottenburgwilmersdorf", "Charlottenburg-Wilmersdorf", "DE",
                    "district", 52.5135, 13.2932)
    twin = Place("n:DE:charlottenburgwilmersdorf:52.5:13.3", "Charlottenburg-Wilmersdorf", "DE",
                 "city", 52.5, 13.2833, wikidata="Q158095", population=334351)
    # Not a district, and not of its exact name: the rule leaves them alone.
    city = Place("n:CZ:prague8:50.1:14.5", "Prague 8", "CZ", "city", 50.1078, 14.4714)
    other = Place("d:3067696:prague8north", "Prague 8 North", "CZ", "district", 50.1078, 14.4714)
    assert districts_from_wikidata([prague8, borough, twin, city, other], wikidata) == 1
    assert (prague8.population, prague8.population_source, prague8.wikidata) == (
        104918, "wikidata", "Q2071681")
    # Q158095 is the city place's: the borough is its duplicate, not a second holder.
    assert borough.population is None
    assert city.population is None and other.population is None


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        ({"population": "5000", "level": "city"}, None),
        ({"population": "", "level": "subdivision2"}, "region"),
        ({"population": "", "level": "district", "geonames_id": "1"}, "district"),
        ({"population": "", "level": "city", "geonames_id": "2959513"}, "geonames_zero"),
        ({"population": "", "level": "city", "geonames_id": ""}, "no_geonames"),
    ],
)
def test_why_a_population_is_missing(place, reason):
    assert missing_population(place) == reason


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [
        ("DK-82", "中日德兰大区"),  # Shanghai's Central Denmark Region
        ("AU-QLD", "昆士兰州"),
        ("FR-IDF", "法兰西岛"),  # Beijing's Île-de-France
        ("HU-PE", "佩斯州"),  # Chongqing's Pest County
        ("KR-45", None),  # the catalogue keeps North Jeolla in Latin script: no name is made up
        (None, None),
    ],
)
def test_subdivision_name_zh(code, name_zh):
    found = subdivision_name_zh(code)
    assert (found.name if found else None) == name_zh
    if found:
        assert is_mainland_form(found.name)
