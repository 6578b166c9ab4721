"""On the Chinese pages a place without a Chinese name shows its local name, marked (never a
made-up transliteration); the same words label it in the charts' data."""

import html
import json
import re

from sqlalchemy import update

from amity.core import i18n
from amity.core.db import session_scope
from amity.places.models import Place
from amity.reports.labels import Words


def _forget_chinese_name(registry, key):
    with session_scope(registry["engine"]) as session:
        session.execute(update(Place).where(Place.id == registry["ids"][key]).values(name_zh=None))


def test_the_helper_marks_a_missing_chinese_name_in_chinese_only():
    assert i18n.place_name({"name": "Yokohama", "name_zh": "横滨"}, "zh") == "横滨"
    assert i18n.place_name({"name": "Lyon", "name_zh": None}, "zh") == "Lyon（无中文名）"
    assert i18n.place_name({"name": "Lyon", "name_zh": None}, "en") == "Lyon"
    marked = i18n.place_html({"name": "<Lyon>", "name_zh": None}, "zh")
    assert marked == '&lt;Lyon&gt;<small class="no-zh">（无中文名）</small>'
    assert i18n.place_html({"name": "Lyon", "name_zh": "里昂"}, "en") == "Lyon"


def test_place_and_partner_pages_mark_the_local_name(client, registry):
    _forget_chinese_name(registry, "lyon")
    chengdu = client.get(f"/places/{registry['ids']['chengdu']}", params={"lang": "zh"})
    assert chengdu.status_code == 200
    assert 'Lyon<small class="no-zh">（无中文名）</small>' in chengdu.text
    assert "休斯敦" in chengdu.text  # partners with a Chinese name show it, unmarked
    # The map's data (drawn by ECharts) carries the same, as plain text.
    partners = re.search(r'data-partners="([^"]*)"', chengdu.text).group(1)
    names = [p["name"] for p in json.loads(html.unescape(partners))]
    assert sorted(names) == ["Lyon（无中文名）", "休斯敦"]
    lyon = client.get(f"/places/{registry['ids']['lyon']}", params={"lang": "zh"})
    assert "<title>Lyon（无中文名） ·" in lyon.text  # plain text in the title, no tags
    assert '<span class="no-zh">无中文名</span>' in lyon.text  # the facts list says so too
    english = client.get(f"/places/{registry['ids']['chengdu']}", params={"lang": "en"})
    assert "无中文名" not in english.text and "Lyon" in english.text


def test_pages_carry_the_marker_for_the_charts_scripts(client):
    page = client.get("/", params={"lang": "zh"})
    assert 'data-no-zh="无中文名"' in page.text


def test_annual_reports_name_places_the_same_way():
    assert Words("zh").place({"name": "Lyon", "name_zh": None}) == "Lyon（无中文名）"
    assert Words("zh").place({"name": "Lyon", "name_zh": "里昂"}) == "里昂"
    assert Words("en").place({"name": "Lyon", "name_zh": "里昂"}) == "Lyon"
