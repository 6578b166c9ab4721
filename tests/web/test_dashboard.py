"""The dashboard and network pages in both languages, through the real app."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from tests.web.test_pages import text_of

from amity.analytics.network import network_report
from amity.core import cache
from amity.core.db import session_scope


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _attr(html: str, name: str) -> dict:
    match = re.search(rf'{name}="([^"]*)"', html)
    assert match, name
    return json.loads(unescape(match.group(1)))


@pytest.mark.parametrize(
    ("lang", "title", "label"),
    [("zh", "数据看板", "友好关系连线"), ("en", "Dashboard", "Partnership lines")],
)
def test_dashboard_in_both_languages(client, lang, title, label):
    page = client.get("/dashboard", params={"lang": lang})
    assert page.status_code == 200
    assert page.headers["content-language"] == lang
    visible = text_of(page.text)
    assert title in visible and label in visible
    text = _attr(page.text, "data-text")
    assert text["loading"] == ("加载中…" if lang == "zh" else "Loading…")
    names = _attr(page.text, "data-names")
    assert names["provinces"]["320000"]["name"] == ("江苏省" if lang == "zh" else "Jiangsu")
    assert names["provinces"]["320000"]["region3"] == "east"
    assert names["china_regions"]["TW"] == ("中国台湾" if lang == "zh" else "Taiwan, China")
    # Every chart names its JSON twin, and every twin answers.
    twins = set(re.findall(r'data-src="([^"]+)"', page.text))
    assert {"/api/v1/lines?country=CN", "/api/v1/statistics", "/api/v1/layout"} <= twins
    assert "/api/v1/network" in twins
    for url in twins - {"/api/v1/network/ego/0"}:
        assert client.get(url).status_code == 200, url
    assert '<a href="/dashboard">' in page.text


def test_dashboard_filter_shows_taiwan_as_a_region_of_china(client):
    page = client.get("/dashboard", params={"lang": "zh"})
    options = dict(re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', page.text))
    assert options["TW"] == "中国台湾"
    assert options["FR"] == "法国"
    provinces = re.findall(r'<option value="(\d{6})">', page.text)
    assert "320000" in provinces and len(provinces) == 34


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_network_page_shows_the_report(client, registry, lang):
    page = client.get("/network", params={"lang": lang})
    assert page.status_code == 200
    with session_scope(registry["engine"]) as session:
        report = network_report(session)
    visible = " ".join(text_of(page.text).split())
    heading = "友好城市网络" if lang == "zh" else "The partnership network"
    assert heading in visible
    assert f"{report['nodes']}" in visible and f"{report['edges']}" in visible
    # The method in the page's words (the JSON keeps its code, "exact").
    assert report["distances"]["mean_distance_method"] == "exact"
    assert ("精确计算" if lang == "zh" else "computed exactly") in visible
    assert report["communities"]["method"] in visible
    assert f"{report['clustering']['transitivity']:.4f}" in visible
    top = report["centrality"]["degree"][0]
    assert f'href="/places/{top["id"]}"' in page.text
    for fmt in ("csv", "geojson", "graphml", "gexf"):
        assert f'href="/api/v1/export/{fmt}"' in page.text
    assert f'href="/api/v1/export/xlsx?lang={lang}"' in page.text  # the workbook speaks it
    assert ("度分布" if lang == "zh" else "Degree distribution") in visible
