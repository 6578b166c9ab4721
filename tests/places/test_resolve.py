"""Resolution of real names in several scripts and spellings against the shipped gazetteer."""

import statistics
import time

import pytest

from amity.places.name_table import get_index, invalidate_index
from amity.places.resolve import resolve

# (query, country hint, expected best: "gb:<GB/T code>", "gn:<GeoNames id>" or "CC:Name")
NAMES = [
    # Municipalities: English, Chinese, suffix, postal romanisations.
    ("Beijing", None, "gb:110000"), ("北京", None, "gb:110000"), ("北京市", None, "gb:110000"),
    ("Peking", None, "gb:110000"), ("Peiping", None, "gb:110000"),
    ("Shanghai", None, "gb:310000"), ("上海市", None, "gb:310000"),
    ("Tianjin", None, "gb:120000"), ("Tientsin", None, "gb:120000"), ("天津", None, "gb:120000"),
    ("Chongqing", None, "gb:500000"), ("Chungking", None, "gb:500000"),
    ("重慶", None, "gb:500000"),
    # Guangzhou in every spelling.
    ("Guangzhou", None, "gb:440100"), ("Canton", "CN", "gb:440100"), ("Canton", None, "gb:440100"),
    ("广州", None, "gb:440100"), ("廣州市", None, "gb:440100"), ("guang zhou", None, "gb:440100"),
    ("Guǎngzhōu", None, "gb:440100"), ("Guangzhou City", None, "gb:440100"),
    ("Kwangchow", None, "gb:440100"),
    # Xi'an in every spelling.
    ("Xi'an", None, "gb:610100"), ("xian", None, "gb:610100"), ("Xī'ān", None, "gb:610100"),
    ("西安", None, "gb:610100"), ("西安市", None, "gb:610100"), ("Xi An", None, "gb:610100"),
    ("xi1 an1", None, "gb:610100"), ("Sian", "CN", "gb:610100"),
    # Other prefecture-level cities.
    ("Xiamen", None, "gb:350200"), ("Amoy", None, "gb:350200"), ("廈門", None, "gb:350200"),
    ("Nanjing", None, "gb:320100"), ("Nanking", None, "gb:320100"), ("南京市", None, "gb:320100"),
    ("Shenyang", None, "gb:210100"), ("Mukden", None, "gb:210100"),
    ("Foochow", None, "gb:350100"), ("苏州", None, "gb:320500"), ("蘇州市", None, "gb:320500"),
    ("宿州", None, "gb:341300"), ("Hangzhou", None, "gb:330100"), ("Hangchow", None, "gb:330100"),
    ("杭州", None, "gb:330100"), ("Chengdu", None, "gb:510100"), ("Chengtu", None, "gb:510100"),
    ("成都", None, "gb:510100"), ("Wuhan", None, "gb:420100"), ("Harbin", None, "gb:230100"),
    ("哈尔滨", None, "gb:230100"), ("昆明市", None, "gb:530100"), ("Lhasa", None, "gb:540100"),
    ("拉萨", None, "gb:540100"), ("Ürümqi", None, "gb:650100"), ("Urumqi", None, "gb:650100"),
    ("乌鲁木齐", None, "gb:650100"), ("Hohhot", None, "gb:150100"), ("呼和浩特", None, "gb:150100"),
    ("Shenzhen", None, "gb:440300"), ("深圳市", None, "gb:440300"), ("Qingdao", None, "gb:370200"),
    ("Tsingtao", None, "gb:370200"), ("青岛", None, "gb:370200"), ("Dalian", None, "gb:210200"),
    ("大连", None, "gb:210200"), ("Zhuhai", None, "gb:440400"), ("Kashgar", None, "gb:653100"),
    ("桂林", None, "gb:450300"),
    # Autonomous prefectures and leagues.
    ("Yanbian", None, "gb:222400"), ("延边朝鲜族自治州", None, "gb:222400"),
    ("延边州", None, "gb:222400"), ("恩施州", None, "gb:422800"),
    ("Xilingol League", None, "gb:152500"), ("锡林郭勒盟", None, "gb:152500"),
    # Provinces and autonomous regions.
    ("Guangdong", None, "gb:440000"), ("广东省", None, "gb:440000"),
    ("Guangdong Province", None, "gb:440000"), ("廣東省", None, "gb:440000"),
    ("Guangxi", None, "gb:450000"), ("广西壮族自治区", None, "gb:450000"),
    ("新疆维吾尔自治区", None, "gb:650000"), ("Inner Mongolia", None, "gb:150000"),
    ("内蒙古", None, "gb:150000"), ("吉林省", None, "gb:220000"), ("Jilin City", None, "gb:220200"),
    # Hong Kong, Macao, Taiwan.
    ("Hong Kong", None, "gb:810000"), ("香港", None, "gb:810000"),
    ("香港特别行政区", None, "gb:810000"), ("Hong Kong SAR", None, "gb:810000"),
    ("Hong Kong", "China", "gb:810000"), ("Macao", None, "gb:820000"), ("Macau", None, "gb:820000"),
    ("澳門", None, "gb:820000"), ("Taiwan", None, "gb:710000"), ("台灣", None, "gb:710000"),
    ("Taipei", None, "gn:1668341"), ("臺北", None, "gn:1668341"), ("台北市", None, "gn:1668341"),
    ("高雄", None, "gn:1673820"), ("九龍", None, "gn:1819609"),
    # The wider world: exonyms, diacritics, Chinese names.
    ("Paris", None, "gn:2988507"), ("巴黎", None, "gn:2988507"), ("London", None, "gn:2643743"),
    ("伦敦", None, "gn:2643743"), ("Zürich", None, "gn:2657896"), ("Zurich", None, "gn:2657896"),
    ("苏黎世", None, "gn:2657896"), ("São Paulo", None, "gn:3448439"),
    ("Sao Paulo", None, "gn:3448439"), ("Kraków", None, "gn:3094802"),
    ("Krakow", None, "gn:3094802"), ("Cracow", None, "gn:3094802"), ("München", None, "gn:2867714"),
    ("Munich", None, "gn:2867714"), ("Köln", None, "gn:2886242"), ("Cologne", None, "gn:2886242"),
    ("Wien", None, "gn:2761369"), ("维也纳", None, "gn:2761369"), ("Praha", None, "gn:3067696"),
    ("Roma", None, "gn:3169070"), ("罗马", None, "gn:3169070"), ("Moskva", None, "gn:524901"),
    ("莫斯科", None, "gn:524901"), ("東京", None, "gn:1850147"), ("东京", None, "gn:1850147"),
    ("大阪", None, "gn:1853909"), ("首尔", None, "gn:1835848"), ("Pusan", None, "gn:1838524"),
    ("New York", None, "gn:5128581"), ("纽约", None, "gn:5128581"),
    ("旧金山", None, "gn:5391959"), ("Saigon", None, "gn:1566083"),
    ("Ho Chi Minh City", None, "gn:1566083"), ("河内", None, "gn:1581130"),
    ("Bombay", None, "gn:1275339"), ("Madras", None, "gn:1264527"), ("Rangoon", None, "gn:1298824"),
    ("Constantinople", None, "gn:745044"), ("Alma-Ata", None, "gn:1526384"),
    ("Montreal", None, "gn:6077243"), ("Reykjavík", None, "gn:3413829"),
    ("Malmö", None, "gn:2692969"), ("Lodz", None, "gn:3093133"), ("Gdańsk", None, "gn:3099434"),
    ("Dusseldorf", None, "gn:2934246"), ("Lisboa", None, "gn:2267057"),
    ("里斯本", None, "gn:2267057"), ("墨西哥城", None, "gn:3530597"), ("开罗", None, "gn:360630"),
    # Country hints pick between namesakes.
    ("Birmingham", "GB", "gn:2655603"), ("Birmingham", "United Kingdom", "gn:2655603"),
    ("Dublin", "IE", "gn:2964574"), ("Valencia", "ES", "gn:2509954"),
    ("Valencia", "VE", "gn:3625549"), ("Córdoba", "AR", "gn:3860259"),
    ("Cordoba", "Spain", "gn:2519240"), ("Córdoba", "西班牙", "gn:2519240"),
    ("Cambridge", "GB", "gn:2653941"), ("Perth", "AU", "gn:2063523"),
    ("Hyderabad", "IN", "gn:1269843"), ("Hyderabad", "PK", "gn:1176734"),
    ("Paris", "FR", "FR:Paris"), ("Fuzhou", "CN", "gb:350100"),
]  # fmt: skip


def _identifies(match, expected: str) -> bool:
    scheme, _, value = expected.partition(":")
    if scheme == "gb":
        return match.gb_code == value
    if scheme == "gn":
        return match.geonames_id == int(value)
    return (match.country, match.name) == (scheme, value)


def test_the_table_is_large_enough():
    assert len(NAMES) >= 100


@pytest.mark.parametrize(("query", "country", "expected"), NAMES)
def test_resolves(places_session, query, country, expected):
    result = resolve(places_session, query, country=country)
    assert result.best is not None, f"{query!r} found nothing"
    assert _identifies(result.best, expected), (query, result.matches[:3])
    assert 0 < result.best.score <= 1
    assert result.status in ("resolved", "ambiguous")


@pytest.mark.parametrize(
    ("query", "country"),
    [("Springfield", None), ("Springfield", "US"), ("Springfield", "United States"),
     ("Portland", "US"), ("Suzhou", None), ("Taizhou", None), ("Fuzhou", "CN"), ("吉林", None)],
)  # fmt: skip
def test_namesakes_are_ambiguous(places_session, query, country):
    result = resolve(places_session, query, country=country)
    assert result.status == "ambiguous"
    assert len(result.matches) >= 2
    assert result.matches[0].score >= result.matches[1].score


def test_springfield_candidates_are_all_american(places_session):
    result = resolve(places_session, "Springfield", country="US")
    assert len(result.matches) >= 3
    assert {m.country for m in result.matches} == {"US"}
    # The largest ranks first but does not silently win.
    assert result.matches[0].geonames_id == 4409896


def test_coordinates_break_a_tie(places_session):
    # Springfield, Illinois: the state capital, third by population.
    result = resolve(places_session, "Springfield", country="US", lat=39.80, lon=-89.64)
    assert result.status == "resolved"
    assert result.best.geonames_id == 4250542


@pytest.mark.parametrize("query", ["Paris", "London", "Beijing", "西安", "Peking", "Hong Kong"])
def test_clear_winners_are_resolved(places_session, query):
    assert resolve(places_session, query).status == "resolved"


@pytest.mark.parametrize("query", ["xyzzyqwerty", "Qwertzuiop", "!!!", "", "   "])
def test_nonsense_finds_nothing(places_session, query):
    result = resolve(places_session, query)
    assert (result.matches, result.status, result.best) == ([], "unresolved", None)


def test_country_hint_excludes_other_countries(places_session):
    assert resolve(places_session, "Paris", country="DE").matches == []
    assert resolve(places_session, "Guangzhou", country="JP").best is None


def test_typos_are_suggestions_not_answers(places_session):
    result = resolve(places_session, "Guangzhuo")
    assert result.best.gb_code == "440100"
    assert result.status == "ambiguous"
    assert result.best.score < 0.9
    assert resolve(places_session, "Shanghia").best.gb_code == "310000"


def test_result_json_shape(places_session):
    data = resolve(places_session, "Xi'an").to_dict()
    assert data["query"] == "Xi'an"
    keys = {"id", "name", "name_zh", "country", "kind", "lat", "lon", "score", "wikidata"}
    assert set(data["matches"][0]) == keys
    assert data["matches"][0]["name_zh"] == "西安市"


def test_index_is_fast(gazetteer_engine, places_session):
    invalidate_index()
    started = time.perf_counter()
    get_index(places_session)
    assert time.perf_counter() - started < 10
    queries = [q for q, _, _ in NAMES] * 5
    timings = []
    for query in queries:
        started = time.perf_counter()
        resolve(places_session, query)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.002


def test_a_typo_ranks_the_nearest_spelling_first(places_session):
    result = resolve(places_session, "Xiamn")
    assert result.status == "ambiguous"
    assert result.matches[0].name == "Xiamen"
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)


def test_an_empty_name_index_has_no_keys_to_match_fuzzily():
    """A database whose places have no name rows yet: an unknown name finds nothing, no error
    (it was a KeyError, a 500 in every place field)."""
    from amity.places.name_table import NameIndex

    empty = NameIndex()
    assert empty.keys_for(None) == []
    assert empty.keys_for(frozenset({"FR"})) == []
    assert empty.keys_for(frozenset({"FR", "DE"})) == []
