"""The facet engine on rows a test declares: it knows nothing of any domain."""

from __future__ import annotations

from dataclasses import dataclass

from amity.core.facets import Facet, FacetTable, Sort


@dataclass
class Row:
    id: int
    colour: str
    tags: tuple[str, ...]
    year: int | None
    owner: int
    words: str


ROWS = [
    Row(1, "red", ("a", "b"), 2001, 10, "Nanjing and Paris"),
    Row(2, "blue", ("b", "b"), None, 11, "Jiangsu"),
    Row(3, "red", (), 1999, 10, "南京"),
    Row(4, "green", ("a",), 2005, 12, "Paris"),
]


def table() -> FacetTable[Row]:
    return FacetTable(
        ROWS,
        [
            Facet("colour", lambda r: r.colour),
            Facet("tag", lambda r: r.tags, many=True),
            Facet("year", lambda r: r.year),
            Facet("owner", lambda r: r.owner, sparse=True),
        ],
        {"id": Sort(), "year": Sort(lambda r: (r.year, r.id), has=lambda r: r.year is not None)},
        text=lambda r: r.words,
        labels={"colour": {"red": ("Red", "红")}},
    )


def ids(t: FacetTable[Row], positions) -> list[int]:
    return [t.rows[i].id for i in positions]


def test_each_facet_is_counted_without_its_own_filter():
    t = table()
    filters = {"colour": t.facet_mask("colour", ["red"]), "tag": t.facet_mask("tag", ["a"])}
    assert ids(t, t.ordered(t.within(filters), "id")) == [1]
    counts = t.facet_counts(filters, ["colour", "tag", "year"])
    assert counts["colour"] == {"red": 1, "green": 1}  # rows with tag a, by colour
    assert counts["tag"] == {"a": 1, "b": 1}  # red rows, by tag; row 3 has none
    assert counts["year"] == {2001: 1}
    # A row counts once for a value it has twice; rows without a value have none.
    assert t.counts("tag", t.full) == {"a": 2, "b": 2}
    assert t.counts("year", t.full) == {2001: 1, 1999: 1, 2005: 1}


def test_labels_keep_chosen_values_and_sort_by_count_then_label():
    t = table()
    rows = t.labelled_counts("colour", t.facet_mask("tag", ["a"]), chosen=["blue", "purple"])
    assert [(r["value"], r["label"], r["label_zh"], r["count"]) for r in rows] == [
        ("green", "green", None, 1),
        ("red", "Red", "红", 1),
        ("blue", "blue", None, 0),
        ("purple", "purple", None, 0),
    ]


def test_orders_put_rows_without_a_value_last_both_ways_and_pages_slice_them():
    t = table()
    assert ids(t, t.ordered(t.full, "year")) == [3, 1, 4, 2]
    assert ids(t, t.ordered(t.full, "-year")) == [4, 1, 3, 2]
    assert [r.id for r in t.page(t.full, "-id", 2, 3)] == [1]
    assert ids(t, t.among(t.facet_mask("colour", ["red"]), [2, 1, 0])) == [3, 1]


def test_sparse_facets_text_and_ranges():
    t = table()
    assert ids(t, t.ordered(t.facet_mask("owner", [10, 12, 99]), "id")) == [1, 3, 4]
    assert t.positions_of("owner", 11) == [1]
    assert ids(t, t.ordered(t.text_mask("PARIS"), "id")) == [1, 4]
    assert ids(t, t.ordered(t.text_mask("南京"), "id")) == [3]
    assert ids(t, t.ordered(t.range_mask("year", 2000, 2006, key=lambda r: r.year), "id")) == [1, 4]


def test_an_empty_table_answers_with_nothing():
    t = FacetTable([], [Facet("colour", lambda r: r.colour)], {"id": Sort()})
    assert t.full == 0
    assert t.counts("colour", t.full) == {}
    assert t.page(t.full, "id", 1, 10) == []
