"""China's own lists on the demo registry, in Chromium in Chinese (issue 14).

`amity init --demo` loads the shipped registry as a user would; the pages of Beijing, Shanghai,
台州 (Zhejiang) and 泰州 (Jiangsu), 苏州 (Jiangsu) and 宿州 (Anhui) must show district partners at
district level under the district that holds them (never counted as the city's own), region
partners as provinces or states, each homophone city with its own partners, and every name in
mainland Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from tests.support.demo import demo_copy
from tests.support.live import SHOTS, serve, watched_page

from amity.core.conventions import country_labels
from amity.core.db import make_engine, session_scope
from amity.places.mainland import is_mainland_form
from amity.places.models import Country, Place

# One worker takes the whole module: its demo copy and server are set up once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("demo-registry")]

CITIES = {
    "beijing": "110000",
    "shanghai": "310000",
    "taizhou_js": "321200",  # 泰州
    "taizhou_zj": "331000",  # 台州
    "suzhou_js": "320500",  # 苏州
    "suzhou_ah": "341300",  # 宿州
}
# Names a mainland reader rejects: Japanese forms, Taiwan / Hong Kong usage, old country typos.
REJECTED = (
    "横浜", "広島", "摂津", "所沢", "金沢", "亀尾", "三藩市", "杜拜", "普利托利亚", "梦比利耶",
    "柬埔塞", "马尔他", "瓜地马拉", "吉尔吉斯坦", "巴勒斯坦领土",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[dict]:
    """The demo registry loaded by the command line, and the ids of the places the tests name."""
    url = demo_copy(tmp_path_factory, "registry")
    engine = make_engine(url)
    with session_scope(engine) as session:
        ids = {key: _by_gb(session, code) for key, code in CITIES.items()}
        named = {
            name: session.scalars(select(Place.id).where(Place.name == name)).all()
            for name in (
                "Gangnam", "Mapo", "Songpa", "Shinjuku", "Nerima", "Alsergrund", "Simmering",
                "Prague 1", "Donaustadt", "Central Denmark Region", "North Jeolla Province",
                "Queensland", "Nagasaki Prefecture",
                "Île-de-France", "Kotka", "Zaragoza", "Newport News", "Latrobe", "Lower Hutt",
                "Hanau am Main", "Fort Wayne", "Tsuruga", "Iquique", "Padang", "Pavia Province",
                "Tulcea County", "Chaoyang", "Huangpu",
            )
        }  # fmt: skip
        countries = {
            label
            for c in session.scalars(select(Country))
            for label in [country_labels(c.iso2, c.name_en, c.name_zh)[1]]
        }
    engine.dispose()
    yield {"url": url, "ids": ids, "named": named, "countries": countries}


def _by_gb(session, code: str) -> int:
    return session.scalar(select(Place.id).where(Place.gb_code == code))


@pytest.fixture(scope="module")
def server(demo) -> Iterator[str]:
    with serve(demo["url"], ready="/partnerships") as base:
        yield base


@pytest.fixture
def page(browser, server):
    with watched_page(browser, server, locale="zh-CN") as opened:
        yield opened


# Each row of a place page's tables as the reader sees it: who, at what level, in which country.
_ROWS = """(table) => [...document.querySelectorAll(table + ' tbody tr[data-level]')].map(tr => {
    const links = [...tr.querySelectorAll('a[href^="/places/"]')];
    const partner = links[links.length - 1];
    const marked = partner.querySelector('.no-zh') !== null;
    return {
        level: tr.dataset.level,
        partnerLevel: tr.dataset.partnerLevel,
        under: links.length > 1 ? Number(links[0].getAttribute('href').split('/').pop()) : null,
        partner: Number(partner.getAttribute('href').split('/').pop()),
        name: marked ? null : partner.textContent.trim(),
        levelText: tr.querySelector('td.pair-level').textContent.trim(),
        partnerLevelText: tr.querySelector('td.partner-level').textContent.trim(),
        country: tr.querySelector('td.partner-level').nextElementSibling.textContent.trim(),
    };
})"""


def open_place(page, place_id: int, shot: str) -> dict:
    page.goto(f"{page.base}/places/{place_id}?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.screenshot(path=str(SHOTS / f"registry-{shot}-zh.png"), full_page=True)
    own = page.evaluate(_ROWS, "table.partners")
    below = page.evaluate(_ROWS, "table.partners-below")
    # The heading counts the place's own partners only, and the counts by level add up to them.
    title = page.locator("#partners-title").inner_text()
    assert title == f"{len(own)} 个友好伙伴"
    if own:
        levels = page.locator("#partner-levels .level-count b").all_inner_texts()
        assert sum(int(n.replace(",", "")) for n in levels) == len(own)
    text = page.locator("main").inner_text()
    return {"own": own, "below": below, "text": text}


def assert_mainland(seen: dict, countries: set[str]) -> None:
    for row in seen["own"] + seen["below"]:
        if row["name"] is not None:
            assert is_mainland_form(row["name"]), row
        assert row["country"] in countries, row
    for word in REJECTED:
        assert word not in seen["text"]


def partner_ids(rows: list[dict]) -> list[int]:
    return [row["partner"] for row in rows]


def one_of(named: dict, name: str) -> set[int]:
    assert named[name], f"no place named {name} in the demo registry"
    return set(named[name])


def test_beijing_district_partners_sit_under_its_districts(page, demo):
    named = demo["named"]
    seen = open_place(page, demo["ids"]["beijing"], "beijing")
    assert page.locator("h1").inner_text().startswith("北京市")
    assert page.locator("#place-level").get_attribute("data-level") == "municipality"
    assert page.locator("#place-level").inner_text() == "直辖市"
    districts = ("Gangnam", "Mapo", "Songpa", "Shinjuku", "Nerima", "Alsergrund", "Prague 1")
    district_ids = set().union(*(one_of(named, n) for n in districts))
    # None of them is Beijing's own partner, and Beijing's own list has no district-level pair.
    assert not district_ids & set(partner_ids(seen["own"]))
    assert {row["level"] for row in seen["own"]} <= {"province_state", "province_city", "city_city"}
    # They are listed apart, each under the district that holds it, at district level.
    below = {row["partner"]: row for row in seen["below"]}
    for name in districts:
        rows = [below[i] for i in one_of(named, name) if i in below]
        assert rows, f"{name} is not among the partners of Beijing's districts"
        for row in rows:
            assert row["level"] == "district" and row["levelText"] == "区县级"
            assert row["under"] != demo["ids"]["beijing"]
    gangnam = next(below[i] for i in one_of(named, "Gangnam") if i in below)
    assert gangnam["under"] in one_of(named, "Chaoyang")
    assert gangnam["partnerLevel"] == "district" and gangnam["partnerLevelText"] == "区县级"
    assert "不计入" in page.locator("#below-levels").inner_text()
    # A region partner is a province or state, in a province-state pair.
    idf = next(r for r in seen["own"] if r["partner"] in one_of(named, "Île-de-France"))
    assert (idf["level"], idf["partnerLevel"]) == ("province_state", "subdivision1")
    assert (idf["levelText"], idf["partnerLevelText"]) == ("省州与省州", "一级行政区（省、州）")
    assert_mainland(seen, demo["countries"])
    assert page.errors == []


def test_shanghai_regions_are_provinces_and_districts_apart(page, demo):
    named = demo["named"]
    seen = open_place(page, demo["ids"]["shanghai"], "shanghai")
    own = {row["partner"]: row for row in seen["own"]}
    for name in ("Central Denmark Region", "North Jeolla Province"):
        (row,) = [own[i] for i in one_of(named, name) if i in own]
        assert (row["level"], row["partnerLevel"]) == ("province_state", "subdivision1")
        assert row["partnerLevelText"] == "一级行政区（省、州）"
    # Regions with an ISO 3166-2 code are named from its simplified-Chinese catalogue; one it
    # names only in Latin script (North Jeolla) shows its local name, marked, never a made-up one.
    names = {
        own[i]["name"]
        for name in ("Queensland", "Nagasaki Prefecture", "North Jeolla Province")
        for i in one_of(named, name)
        if i in own
    }
    assert names == {"昆士兰州", "长崎县", None}
    assert all(row["partnerLevel"] != "district" for row in seen["own"])
    below = {row["partner"]: row for row in seen["below"]}
    (vienna_22,) = [below[i] for i in one_of(named, "Donaustadt") if i in below]
    assert vienna_22["level"] == "district" and vienna_22["under"] in one_of(named, "Huangpu")
    assert_mainland(seen, demo["countries"])
    assert page.errors == []


def test_the_two_taizhous_have_their_own_partners(page, demo):
    named = demo["named"]
    jiangsu = open_place(page, demo["ids"]["taizhou_js"], "taizhou-jiangsu")
    assert page.locator("h1").inner_text().startswith("泰州市")
    assert page.locator("#place-parent").inner_text() == "江苏省"
    zhejiang = open_place(page, demo["ids"]["taizhou_zj"], "taizhou-zhejiang")
    assert page.locator("h1").inner_text().startswith("台州市")
    assert page.locator("#place-parent").inner_text() == "浙江省"
    js, zj = partner_ids(jiangsu["own"]), partner_ids(zhejiang["own"])
    # The five partners once attached to both are 泰州's (Jiangsu), once each.
    for name in ("Kotka", "Zaragoza", "Newport News", "Latrobe", "Lower Hutt"):
        ids = one_of(named, name)
        assert sum(i in ids for i in js) == 1, name
        assert not ids & set(zj), name
    for name in ("Hanau am Main", "Fort Wayne", "Tsuruga", "Iquique"):
        ids = one_of(named, name)
        assert sum(i in ids for i in zj) == 1 and not ids & set(js), name
    (pavia,) = [r for r in jiangsu["own"] if r["partner"] in one_of(named, "Pavia Province")]
    assert (pavia["level"], pavia["partnerLevel"]) == ("province_city", "subdivision2")
    assert pavia["partnerLevelText"] == "二级行政区（县、郡）"
    for seen in (jiangsu, zhejiang):
        assert_mainland(seen, demo["countries"])
    assert page.errors == []


def test_padang_is_suzhou_anhuis_alone(page, demo):
    named = demo["named"]
    anhui = open_place(page, demo["ids"]["suzhou_ah"], "suzhou-anhui")
    assert page.locator("h1").inner_text().startswith("宿州市")
    assert page.locator("#place-parent").inner_text() == "安徽省"
    jiangsu = open_place(page, demo["ids"]["suzhou_js"], "suzhou-jiangsu")
    assert page.locator("h1").inner_text().startswith("苏州市")
    padang = one_of(named, "Padang")
    assert sum(i in padang for i in partner_ids(anhui["own"])) == 1
    assert not padang & set(partner_ids(jiangsu["own"]))
    assert next(r for r in anhui["own"] if r["partner"] in padang)["name"] == "巴东"
    (tulcea,) = [r for r in jiangsu["own"] if r["partner"] in one_of(named, "Tulcea County")]
    assert tulcea["partnerLevel"] == "subdivision2" and tulcea["level"] == "province_city"
    for seen in (anhui, jiangsu):
        assert_mainland(seen, demo["countries"])
    assert page.errors == []


def test_partnership_list_narrowed_to_a_city_says_each_level(page, demo):
    beijing = demo["ids"]["beijing"]
    page.goto(f"{page.base}/partnerships?place={beijing}&lang=zh")
    page.screenshot(path=str(SHOTS / "registry-beijing-list-zh.png"), full_page=True)
    assert page.locator("#chosen-places").inner_text().endswith("北京市")
    rows = page.locator("table.partnerships tbody tr[data-level]")
    total = int(page.locator("#result-count").get_attribute("data-total"))
    assert rows.count() == min(total, 50)
    levels = set(rows.evaluate_all("rows => rows.map(r => r.dataset.level)"))
    assert "district" not in levels and "province_state" in levels
    region = page.locator("table.partnerships tr[data-level=province_state]").first
    assert region.locator("td.pair-level").inner_text() == "省州与省州"
    tag = region.locator(".level-tag[data-level=subdivision1]")
    assert tag.inner_text() == "一级行政区（省、州）"
    # Another filter keeps the place: the list stays Beijing's.
    with page.expect_navigation():
        page.select_option("select[name=level]", "province_state")
    assert f"place={beijing}" in page.url and "level=province_state" in page.url
    assert page.locator("#chosen-places").inner_text().endswith("北京市")
    assert set(rows.evaluate_all("rows => rows.map(r => r.dataset.level)")) == {"province_state"}
    assert page.errors == []
