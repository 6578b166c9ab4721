"""Case search on SQLite and PostgreSQL: Chinese and English words, ranking, highlights, facets."""

from __future__ import annotations

import pytest

from amity.cases.schemas import CaseQuery, CaseUpdate
from amity.cases.search import search_cases
from amity.cases.service import delete_case, update_case
from amity.core.db import session_scope


def search(library: dict, **params) -> dict:
    with session_scope(library["engine"]) as session:
        return search_cases(session, CaseQuery(**params))


def ids_of(result: dict) -> list[int]:
    return [item["id"] for item in result["items"]]


@pytest.mark.parametrize(
    ("q", "keys"),
    [
        ("苹果", {"apple"}),
        ("大学", {"universities", "seminar"}),
        ("友城", {"seminar", "photos"}),
        ("哈萨克斯坦", {"apple"}),
        ("苹果园", {"apple"}),
        ("西宁", {"seminar"}),
        ("university", {"universities", "english_only"}),
        ("universities", {"universities", "english_only"}),
        ("apple", {"apple", "seminar", "english_only"}),
        ("Gyeonggi", {"universities"}),
        ("國際友城", {"photos"}),  # traditional script finds simplified text
    ],
)
def test_words_in_either_language_are_found(library, q, keys):
    expected = {library["ids"][k] for k in keys}
    result = search(library, q=q)
    assert set(ids_of(result)) == expected
    assert result["total"] == len(expected)


def test_two_character_word_does_not_match_its_characters_apart(library):
    # 大学 is a word; a text with 大 and 学 in other words must not match (trigrams cannot do this).
    assert search(library, q="学大")["total"] == 0


def test_all_words_must_occur(library):
    assert ids_of(search(library, q="苹果 陕西")) == [library["ids"]["apple"]]
    assert search(library, q="苹果 夏令营")["total"] == 0


def test_phrase_needs_the_words_in_order(library):
    assert ids_of(search(library, q='"apple orchards"')) == [library["ids"]["apple"]]
    assert search(library, q='"orchards apple"')["total"] == 0


def test_title_matches_rank_above_body_matches(library):
    ids = library["ids"]
    ranked = ids_of(search(library, q="apple"))
    assert set(ranked[:2]) == {ids["apple"], ids["english_only"]}  # in their titles
    assert ranked[-1] == ids["seminar"]  # only once, in the summary


def test_highlights_mark_the_words_in_the_original_text(library):
    item = search(library, q="苹果")["items"][0]
    assert item["highlight"]["title_zh"] == "陕西与哈萨克斯坦共建<mark>苹果</mark>园"
    assert "<mark>苹果</mark>树" in item["highlight"]["snippet_zh"]
    english = search(library, q="orchard")["items"][0]["highlight"]
    assert english["title_en"] == "Shaanxi apple <mark>orchards</mark> in Kazakhstan"


def test_highlights_escape_html(library):
    item = search(library, q="apples")["items"]
    note = next(i for i in item if i["id"] == library["ids"]["english_only"])
    assert note["highlight"]["title_en"] == (
        "Universities &amp; <mark>apples</mark>: a note, with &lt;tags&gt;"
    )


def test_facets_count_matches_and_ignore_their_own_filter(library):
    result = search(library, q="大学", field=("education",))
    assert ids_of(result) == [library["ids"]["universities"]]
    fields = {f["value"]: f["count"] for f in result["facets"]["field"]}
    assert fields == {"education": 1, "environment": 1}  # both 大学 cases, field filter ignored
    countries = {f["value"]: f["count"] for f in result["facets"]["country"]}
    assert countries == {"CN": 1, "KR": 1}
    places = {f["name"]: f["count"] for f in result["facets"]["place"]}
    assert places == {"Shandong": 1, "Gyeonggi": 1}


def test_filters_without_words(library):
    result = search(library, country=("KZ",))
    assert ids_of(result) == [library["ids"]["apple"]]
    years = {f["value"]: f["count"] for f in search(library)["facets"]["year"]}
    assert years == {2015: 1, 2014: 2, 2013: 1}
    both = search(library, year=(2014,), mode=("seminar",))
    assert ids_of(both) == [library["ids"]["seminar"]]
    assert search(library, place=(library["ids"]["gyeonggi"],))["total"] == 1


def test_punctuation_alone_matches_nothing(library):
    result = search(library, q="，。!")
    assert result["total"] == 0 and result["items"] == []


def test_index_follows_updates_and_deletes(library):
    ids = library["ids"]
    with session_scope(library["engine"]) as session:
        update_case(session, ids["photos"], CaseUpdate(title_zh="友城摄影展：熊猫"))
    assert ids_of(search(library, q="熊猫")) == [ids["photos"]]
    with session_scope(library["engine"]) as session:
        delete_case(session, ids["photos"])
    assert search(library, q="熊猫")["total"] == 0
    assert search(library, q="友城")["total"] == 1


def test_pages_of_results(library):
    first = search(library, q="apple", per_page=2)
    second = search(library, q="apple", per_page=2, page=2)
    assert first["total"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 1
    assert not set(ids_of(first)) & set(ids_of(second))
