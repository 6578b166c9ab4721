"""name_key folds every spelling of a name to one key; pinyin_of spells Chinese names."""

import pytest

from amity.places.names import name_key, parse_name, pinyin_of

SAME_KEY = [
    ("Xi'an", "xian"),
    ("Xī'ān", "xian"),
    ("XI AN", "xian"),
    ("xi1 an1", "xian"),
    ("Xi-An", "xian"),
    ("西安市", "西安"),
    ("廣州市", "广州"),
    ("廣州", "广州"),
    ("Zürich", "zurich"),
    ("São Paulo", "saopaulo"),
    ("Kraków", "krakow"),
    ("Łódź", "lodz"),
    ("Ōsaka", "osaka"),
    ("Lüliang", "luliang"),
    ("Ｂｅｉｊｉｎｇ", "beijing"),
    ("Guangzhou City", "guangzhou"),
    ("Guangdong Province", "guangdong"),
    ("Qingdao Prefecture-level City", "qingdao"),
    ("Shijiazhuang Shi", "shijiazhuang"),
    ("Guangdong Sheng", "guangdong"),
    ("Chongqing Municipality", "chongqing"),
    ("Hong Kong SAR", "hongkong"),
    ("Hong Kong Special Administrative Region", "hongkong"),
    ("广东省", "广东"),
    ("广西壮族自治区", "广西"),
    ("新疆维吾尔自治区", "新疆"),
    ("内蒙古自治区", "内蒙古"),
    ("香港特别行政区", "香港"),
    ("延边朝鲜族自治州", "延边"),
    ("黔东南苗族侗族自治州", "黔东南"),
    ("博尔塔拉蒙古自治州", "博尔塔拉"),
    ("阿里地区", "阿里"),
    ("锡林郭勒盟", "锡林郭勒"),
    ("St. John's", "stjohns"),
]


@pytest.mark.parametrize(("text", "key"), SAME_KEY)
def test_name_key(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize("text", ["沙市", "Li Shi", "City", "Shi"])
def test_short_stems_keep_their_suffix(text):
    # Stripping would leave one character (沙) or nothing: the suffix is part of the name.
    assert len(name_key(text)) >= 2


def test_suffix_tells_the_kind():
    assert parse_name("吉林省").kind == "province"
    assert parse_name("吉林市").kind == "city"
    assert parse_name("Jilin").kind is None
    assert parse_name("吉林省").key == parse_name("吉林市").key == "吉林"


def test_empty_and_punctuation_only():
    assert name_key("") == ""
    assert name_key(" -'!? ") == ""


def test_pinyin_of():
    assert pinyin_of("西安") == "Xi'an"
    assert pinyin_of("西安", tones=True) == "Xī'ān"
    assert pinyin_of("重庆") == "Chongqing"
    assert pinyin_of("广州", tones=True) == "Guǎngzhōu"
    assert name_key(pinyin_of("廈門", tones=True)) == "xiamen"
