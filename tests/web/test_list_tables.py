"""The partnership list as a table people use (issue 19): headers that sort, their direction said
(aria-sort), the filters kept; numbered pages and a "go to page" field; a page past the end or an
unknown sort said plainly, in Chinese too."""

from __future__ import annotations

import html
import re

from amity.core.db import session_scope
from amity.exchanges.service import record_exchange
from amity.partnerships.schemas import SORT_KEYS

COLUMNS = ("name_a", "country", "name_b", "country_b", "level", "kind", "status", "established")


def headers(page: str) -> dict[str, tuple[str | None, str]]:
    """Each sortable header's key: (its aria-sort, the address its link goes to)."""
    found = {}
    for attributes, href, key in re.findall(
        r'<th([^>]*) class="sortable"><a href="([^"]+)" data-sort="([^"]+)"', page
    ):
        sort = re.search(r'aria-sort="(\w+)"', attributes)
        found[key] = (sort.group(1) if sort else None, html.unescape(href))
    return found


def test_every_column_header_sorts_and_keeps_the_filters(client):
    page = client.get("/partnerships", params={"country": "FR", "page": "1", "lang": "en"}).text
    found = headers(page)
    assert tuple(found) == COLUMNS and set(COLUMNS) <= set(SORT_KEYS)
    assert all(direction is None for direction, _href in found.values())
    for key, (_direction, href) in found.items():
        # The filter kept, the page dropped (a new order starts at its first page).
        assert href == f"/partnerships?country=FR&sort={key}"


def test_the_sorted_column_says_its_direction_and_reverses(client):
    found = headers(client.get("/partnerships?sort=established&q=a").text)
    assert found["established"] == ("ascending", "/partnerships?q=a&sort=-established")
    assert found["kind"] == (None, "/partnerships?q=a&sort=kind")
    found = headers(client.get("/partnerships?sort=-established&q=a").text)
    assert found["established"] == ("descending", "/partnerships?q=a&sort=established")


def test_a_column_sort_stays_chosen_in_the_sort_menu(client):
    # The filter form carries the sort: a header's order must be among its options, chosen,
    # or changing a filter would drop it.
    page = client.get("/partnerships?sort=-kind&lang=zh").text
    menu = re.search(r'<select name="sort">(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="-kind" selected>类型 ↓</option>', menu)
    page = client.get("/partnerships?sort=country_b&lang=zh").text
    assert '<option value="country_b" selected>友好伙伴所在国家 ↑</option>' in page


def test_signing_date_order_in_the_page(client):
    page = client.get("/partnerships?sort=-established").text
    dates = re.findall(r"<td>(\d{4}|—)</td>", page)
    assert dates == ["2000", "1990", "1985", "1958", "—", "—", "—"]


def test_numbered_pages_and_a_go_to_field(client):
    page = client.get("/partnerships", params={"per_page": "1", "page": "4"}).text
    bar = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    assert re.findall(r'>(\d+|…)</(?:a|span)>', bar) == ["1", "2", "3", "4", "5", "6", "7"]
    assert 'aria-current="page">4</span>' in bar
    page = client.get("/partnerships", params={"per_page": "1", "page": "1"}).text
    bar = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    assert re.findall(r'>(\d+|…)</(?:a|span)>', bar) == ["1", "2", "3", "…", "7"]
    form = re.search(r'<form class="page-jump".*?</form>', bar, re.S).group(0)
    assert 'action="/partnerships"' in form
    assert '<input type="hidden" name="per_page" value="1">' in form
    assert 'name="page" min="1" max="7"' in form
    assert 'name="page"' not in form.replace('type="number" name="page"', "")


def test_a_page_past_the_end_is_said_not_a_500(client):
    response = client.get("/partnerships", params={"page": "999", "country": "FR", "lang": "zh"})
    assert response.status_code == 404
    text = response.text
    assert "没有第 999 页：此列表共 1 页。" in text
    assert 'href="/partnerships?country=FR&amp;page=1">前往最后一页</a>' in text
    assert "此页没有友好关系。" in text
    params = {"page": "999", "per_page": "2", "lang": "en"}
    english = client.get("/partnerships", params=params).text
    assert "There is no page 999: this list has 4 pages." in english


def test_an_unknown_sort_on_the_page_lists_the_allowed_ones(client):
    response = client.get("/partnerships", params={"sort": "population", "lang": "zh"})
    assert response.status_code == 422
    message = re.search(r'<p class="error" role="alert">(.*?)</p>', response.text, re.S).group(1)
    assert "population" in message and "可选值：" in message
    assert "-established" in message and "name_b" in message


def test_the_exchange_list_sorts_by_date_and_says_a_page_past_the_end(client, registry):
    ids = registry["ids"]
    with session_scope(registry["engine"]) as session:
        for start, b in (("2019", "lyon"), ("2023-04", "paris")):
            record_exchange(
                session, place_a_id=ids["nanjing"], place_b_id=ids[b], mode="exhibition",
                start=start, title=f"Show {start}",
            )  # fmt: skip
    page = client.get("/exchanges", params={"lang": "en", "mode": "exhibition"}).text
    found = headers(page)
    # Newest first by default: said on the Date header, whose link turns it round.
    assert found == {"start": ("descending", "/exchanges?mode=exhibition&sort=start")}
    assert page.index("Show 2023-04") < page.index("Show 2019")
    oldest = client.get("/exchanges", params={"mode": "exhibition", "sort": "start"}).text
    assert headers(oldest)["start"] == ("ascending", "/exchanges?mode=exhibition&sort=-start")
    assert oldest.index("Show 2019") < oldest.index("Show 2023-04")
    past = client.get("/exchanges", params={"page": "3", "lang": "zh"})
    assert past.status_code == 404
    assert "没有第 3 页：此列表共 1 页。" in past.text
