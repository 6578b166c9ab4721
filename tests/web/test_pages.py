"""Pages in both languages over a small real registry, through the real app."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from tests.auth.web import csrf, sign_in

from amity.core import i18n

MAIN_LABELS_EN = ("Partnerships", "About the data", "Export CSV", "Country", "Search")


def text_of(html: str) -> str:
    """The visible text of a page: tags, scripts and attribute values dropped."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "po_path", sorted((i18n.LOCALE_DIR / "zh/LC_MESSAGES").glob("*.po")), ids=lambda p: p.name
)
def test_every_message_has_a_chinese_translation(po_path):
    with po_path.open("rb") as po:
        catalog = read_po(po, locale="zh")
    messages = [m for m in catalog if m.id]
    untranslated = [
        m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    assert messages


@pytest.mark.parametrize("path", ["/", "/partnerships", "/about/data", "/login"])
def test_chinese_pages_have_no_english_main_labels(client, path):
    page = client.get(path, params={"lang": "zh"})
    assert page.status_code == 200
    assert page.headers["content-language"] == "zh"
    visible = text_of(page.text)
    assert "友好关系" in visible
    for label in MAIN_LABELS_EN:
        assert label not in visible, f"{label!r} untranslated on {path}"


def test_english_page_says_it_in_english(client):
    page = client.get("/partnerships", params={"lang": "en"})
    assert "Export CSV" in page.text
    assert "导出" not in text_of(page.text)


def test_language_from_cookie_then_accept_language_then_english(client):
    assert (
        client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"}).headers["content-language"]
        == "zh"
    )
    assert (
        client.get("/", headers={"accept-language": "fr-FR, en;q=0.5"}).headers["content-language"]
        == "en"
    )
    assert client.get("/", headers={"accept-language": "fr"}).headers["content-language"] == "en"
    switched = client.get("/about/data", params={"lang": "zh"})
    assert switched.cookies.get(i18n.COOKIE) == "zh"
    # The cookie now wins over the browser's English.
    again = client.get("/partnerships", headers={"accept-language": "en"})
    assert again.headers["content-language"] == "zh"


def test_language_switch_keeps_the_page_and_its_filters(client):
    page = client.get("/partnerships", params={"country": "FR", "lang": "en"})
    assert 'href="/partnerships?country=FR&amp;lang=zh"' in page.text
    assert 'href="/partnerships?country=FR&amp;lang=en"' in page.text


def test_home_figures_and_map_data_follow_the_convention(client):
    page = client.get("/", params={"lang": "zh"})
    assert '<span class="value">7</span><span class="label">对友好关系' in page.text
    series = re.search(r'data-series="([^"]*)"', page.text).group(1)
    # Taiwan is coloured as China, under China's name, never as a country of its own.
    assert "&#34;name&#34;:&#34;TW&#34;" in series
    tw = re.search(r"\{[^{}]*&#34;TW&#34;[^{}]*\}", series).group(0)
    assert "中国" in tw and "台湾" not in tw
    assert "中国台湾" not in text_of(page.text.split('class="top-countries"')[1])


def test_filter_counts_rows_and_numbers(client):
    everything = client.get("/partnerships", params={"lang": "en"})
    assert 'data-total="7"' in everything.text
    # Each filter value carries its count from the facets.
    assert re.search(r'<option value="FR">France \(4\)</option>', everything.text)
    france = client.get("/partnerships", params={"lang": "en", "country": "FR"})
    assert 'data-total="4"' in france.text
    assert "Chengdu" in france.text and "Taipei" not in france.text
    province = client.get("/partnerships", params={"lang": "zh", "province": "510000"})
    assert 'data-total="2"' in province.text
    assert "成都市" in province.text and "南京市" not in province.text


def test_hong_kong_macao_taiwan_are_regions_of_china(client, registry):
    page = client.get(f"/places/{registry['ids']['taipei']}", params={"lang": "en"})
    assert "Taiwan, China" in page.text
    zh = client.get(f"/places/{registry['ids']['taipei']}", params={"lang": "zh"})
    assert "中国台湾" in zh.text


def test_export_and_json_links_carry_the_selection(client):
    page = client.get("/partnerships", params={"country": "FR", "kind": "sister_city", "page": "1"})
    assert 'href="/api/v1/partnerships/export.csv?country=FR&amp;kind=sister_city"' in page.text
    # The workbook for people speaks the page's language (English without a choice).
    assert (
        'href="/api/v1/partnerships/export.xlsx?country=FR&amp;kind=sister_city&amp;lang=en"'
        in page.text
    )
    assert 'href="/api/v1/partnerships?country=FR&amp;kind=sister_city"' in page.text
    csv = client.get(
        "/api/v1/partnerships/export.csv", params={"country": "FR", "kind": "sister_city"}
    )
    assert csv.status_code == 200


def test_bad_filter_is_explained_not_a_crash(client):
    page = client.get("/partnerships", params={"province": "Jiangsu", "lang": "en"})
    assert page.status_code == 422  # explained on the page, and said in the status
    assert 'class="error"' in page.text
    chinese = text_of(client.get("/partnerships", params={"contry": "FR", "lang": "zh"}).text)
    assert "未知筛选条件“contry”" in chinese and "not understood" not in chinese


def test_place_page_lists_partners_and_map_points(client, registry):
    page = client.get(f"/places/{registry['ids']['nanjing']}", params={"lang": "zh"})
    assert page.status_code == 200
    assert "南京市" in page.text and "巴黎" in page.text and "大阪" in page.text
    assert "2 个友好伙伴" in page.text
    assert page.text.count("&#34;lon&#34;") == 3  # the place and its two partners


def test_unknown_pages_are_html_404_in_both_languages_and_api_stays_json(client):
    zh = client.get("/no/such/page", params={"lang": "zh"})
    assert zh.status_code == 404 and "页面不存在" in zh.text
    en = client.get("/places/999999", params={"lang": "en"})
    assert en.status_code == 404 and "Page not found" in en.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def _count(client) -> int:
    return int(re.search(r'data-total="(\d+)"', client.get("/partnerships").text).group(1))


def test_create_needs_a_signed_in_steward_evidence_and_valid_fields(client, registry):
    ids = registry["ids"]
    form = {
        "place_a_id": ids["jiangsu"],
        "place_b_id": ids["lyon"],
        "kind": "friendship_city",
        "level": "province_city",
        "status": "active",
        "established": "2001",
        "source": "manual",
    }
    refused = client.post(
        "/partnerships/new", data={**form, "csrf_token": csrf(client)}, params={"lang": "zh"},
        follow_redirects=False,
    )
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    token = sign_in(client)  # a national administrator: the registry steward
    no_evidence = client.post(
        "/partnerships/new", data={**form, "csrf_token": token}, params={"lang": "zh"}
    )
    assert no_evidence.status_code == 422 and "名录管理员的登记须附证据" in no_evidence.text
    form |= {"evidence_document": "Agreement 2001-17", "evidence_source": "Provincial archive"}
    invalid = client.post(
        "/partnerships/new",
        data={**form, "place_b_id": "abc", "csrf_token": token},
        params={"lang": "en"},
    )
    # A place is chosen by name; a hidden id that is not one asks for a choice from the list.
    assert invalid.status_code == 422 and "Choose a place from the list." in invalid.text
    assert _count(client) == 7
    created = client.post(
        "/partnerships/new", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert created.status_code == 303
    assert _count(client) == 8
    duplicate = client.post(
        "/partnerships/new", data={**form, "csrf_token": token}, params={"lang": "en"}
    )
    assert duplicate.status_code == 422 and "already recorded" in duplicate.text
    assert _count(client) == 8


def test_edit_and_end_a_partnership(client, registry):
    token = sign_in(client)
    bad = client.post(
        "/partnerships/1",
        data={"action": "end", "ended_on": "someday", "csrf_token": token},
        params={"lang": "en"},
    )
    assert bad.status_code == 422 and "Enter a date as YYYY-MM-DD." in bad.text
    edited = client.post(
        "/partnerships/1",
        data={
            "action": "edit",
            "kind": "sister_city",
            "level": "city_city",
            "status": "dormant",
            "established": "1986",
            "note": "checked",
            "csrf_token": token,
        },
    )
    assert edited.status_code == 200  # followed the redirect to the detail page
    assert "已保存" in client.get("/partnerships/1?saved=1&lang=zh").text
    detail = client.get("/api/v1/partnerships/1").json()
    assert (detail["status"], detail["established"], detail["note"]) == (
        "dormant",
        "1986",
        "checked",
    )
    ended = client.post(
        "/partnerships/1",
        data={"action": "end", "ended_on": "2020-01-02", "csrf_token": token},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert client.get("/api/v1/partnerships/1").json()["status"] == "terminated"


def test_about_page_figures_come_from_the_database(client):
    page = client.get("/about/data", params={"lang": "en"})
    assert "The registry holds 7 partnerships between 8 places in 4 countries." in text_of(
        page.text
    )
    assert "CC BY-SA 4.0" in page.text and "CC0" in page.text and "CC BY 4.0" in page.text
    assert "Natural Earth" in page.text and "GB/T 2260" in page.text


def test_province_filter_is_named_in_the_page_language(client):
    zh = client.get("/partnerships", params={"lang": "zh"})
    assert re.search(r'<option value="320000">[^<]*江苏', zh.text)
    en = client.get("/partnerships", params={"lang": "en"})
    assert re.search(r'<option value="320000">Jiangsu', en.text)


def test_favicon_ico_is_the_site_icon(client):
    # Asked by browsers on pages without the icon link (the API's JSON, /api/docs).
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.content == client.get("/static/favicon.svg").content


def test_country_lists_are_in_pinyin_order_in_chinese(client):
    sort_key = i18n.sort_key
    names = ["中国", "巴西", "阿根廷", "丹麦", "日本"]
    in_order = ["阿根廷", "巴西", "丹麦", "日本", "中国"]
    assert sorted(names, key=lambda n: sort_key(n, "zh")) == in_order
    assert sorted(["France", "brazil"], key=lambda n: sort_key(n, "en")) == ["brazil", "France"]
    html = client.get("/recommend", headers={"Accept-Language": "zh-CN"}).text
    options = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', html)
    assert len(options) > 3 and options == sorted(options, key=lambda n: sort_key(n, "zh"))
