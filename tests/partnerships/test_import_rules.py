"""Validation rules, reading files and guessing columns: no database needed."""

from datetime import date

import pytest

from amity.core.errors import InvalidInput
from amity.partnerships import rules
from amity.partnerships.columns import guess_columns, parse_mapping
from amity.partnerships.reader import read_table

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985", ("1985", 1985)),
        ("1985-06", ("1985-06", 1985)),
        ("1985-6-14", ("1985-06-14", 1985)),
        ("14/06/1985", ("1985-06-14", 1985)),
        ("1985年6月14日", ("1985-06-14", 1985)),
        ("1985年6月", ("1985-06", 1985)),
        ("1985-06-14 00:00:00", ("1985-06-14", 1985)),
        ("", (None, None)),
    ],
)
def test_partial_dates_are_parsed(text, expected):
    assert rules.parse_partial_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2030", "2025-07-01", "1985-13", "31/02/1985", "soon", "799"])
def test_bad_and_future_dates_are_rejected(text):
    with pytest.raises(InvalidInput):
        rules.parse_partial_date(text, today=TODAY)


def test_pairs_are_ordered_and_self_pairs_rejected():
    assert rules.normalise_pair(9, 3) == (3, 9)
    with pytest.raises(InvalidInput):
        rules.normalise_pair(4, 4)


def test_level_follows_the_kinds_of_the_places():
    assert rules.infer_level("province", "province") == "province_state"
    assert rules.infer_level("city", "city") == "city_city"
    assert rules.infer_level("province", "city") == "province_city"


def test_vocabulary_accepts_wordings_and_rejects_the_unknown():
    assert rules.parse_kind("友好城市") == "friendship_city"
    assert rules.parse_kind("Sister City") == "sister_city"
    assert rules.parse_status("终止") == "terminated"
    assert rules.parse_level("province-state") == "province_state"
    assert rules.parse_kind("") is None
    with pytest.raises(InvalidInput, match="kind"):
        rules.parse_kind("marriage")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed_and_lines_numbered(delimiter):
    text = delimiter.join(["city1", "city2"]) + "\n" + delimiter.join(["Lyon", "Beijing"])
    text += "\n\n" + delimiter.join(["Kyoto", "Xi'an"]) + "\n"
    table = read_table(text.encode(), filename="x.csv")
    assert table.delimiter == delimiter
    assert [line for line, _ in table.rows] == [2, 4]
    assert table.rows[1][1] == {"city1": "Kyoto", "city2": "Xi'an"}


def test_encodings_are_detected():
    text = "城市,友好城市\n杭州,金泽\n"
    assert read_table(text.encode("gb18030"), filename="a.csv").encoding == "gb18030"
    assert read_table(text.encode("utf-8-sig"), filename="a.csv").encoding == "utf-8-bom"
    bom = read_table(text.encode("utf-8-sig"), filename="a.csv")
    assert bom.headers == ["城市", "友好城市"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"city1,city2\n", "no rows"),
        (bytes(range(256)) * 20, "not readable text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not readable text"),
        (b'{"cities": 3}', "JSON must be"),
        (b"[1, 2", "Not valid JSON"),
        (b"PK\x03\x04garbage", "XLSX"),
    ],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(InvalidInput, match=message):
        read_table(data, filename="upload")


def test_json_list_or_object():
    rows = b'{"partnerships": [{"city1": "Lyon", "city2": "Beijing", "year": 1988}]}'
    table = read_table(rows, filename="p.json")
    assert table.rows == [(1, {"city1": "Lyon", "city2": "Beijing", "year": "1988"})]


def test_columns_are_guessed_in_english_and_chinese():
    columns = guess_columns(["City 1", "Country1", "lat1", "lng1", "city2", "签约日期", "备注"])
    assert columns["a_name"] == "City 1"
    assert columns["a_lon"] == "lng1"
    assert columns["established"] == "签约日期"
    assert columns["note"] == "备注"
    chinese = guess_columns(["中方城市", "外方城市", "国家", "结好时间"])
    assert chinese["b_country"] == "国家"  # a lone 国家 beside 中方/外方 is the partner's country
    assert "a_country" not in chinese


def test_explicit_mapping_overrides_and_missing_columns_fail():
    mapping = parse_mapping("home=a_name, b_name=away")
    assert mapping == {"a_name": "home", "b_name": "away"}
    assert guess_columns(["home", "away", "city"], mapping)["a_name"] == "home"
    with pytest.raises(InvalidInput, match="lacks the columns"):
        guess_columns(["town", "year"])
    with pytest.raises(InvalidInput, match="not in the file"):
        guess_columns(["home"], {"a_name": "house", "b_name": "home"})
    with pytest.raises(InvalidInput, match="no known field"):
        parse_mapping("a=b")
