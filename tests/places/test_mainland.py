"""Chinese names in mainland form: Japanese and traditional forms converted, Taiwan and Hong Kong
renderings mapped, and the name a place's GeoNames alternates agree on chosen (real rows)."""

import pytest

from amity.places.facts import read_cities
from amity.places.gazetteer import chinese_name
from amity.places.mainland import (
    EXONYMS,
    choose_chinese_name,
    convert,
    is_chinese_name,
    is_japanese_form,
    is_mainland_form,
    mainland_name,
)
from amity.places.names import has_han

# (name as GeoNames has it, country, mainland form, rule)
CONVERSIONS = [
    ("横浜", "JP", "横滨", "japanese"),
    ("広島", "JP", "广岛", "japanese"),
    ("摂津", "JP", "摄津", "japanese"),
    ("所沢", "JP", "所泽", "japanese"),
    ("金沢", "JP", "金泽", "japanese"),
    ("亀尾", "KR", "龟尾", "japanese"),  # Gumi: Japanese shinjitai of the hanja 龜尾
    ("龜尾市", "KR", "龟尾市", "traditional"),
    ("沖縄", "JP", "冲绳", "japanese"),
    ("鹿児島", "JP", "鹿儿岛", "japanese"),
    # What jp2t + t2s leave in Japanese form, fixed after them.
    ("渋谷", "JP", "涩谷", "japanese"),
    ("姫路", "JP", "姬路", "japanese"),
    ("瀬戸", "JP", "濑户", "japanese"),
    ("呉", "JP", "吴", "japanese"),
    # Linking kana dropped as Chinese writing does.
    ("龍ケ崎", "JP", "龙崎", "japanese"),
    ("溫哥華", "CA", "温哥华", "traditional"),
    ("三藩市", "US", "旧金山", "exonym"),
    ("杜拜", "AE", "迪拜", "exonym"),
    ("普利托利亞", "ZA", "比勒陀利亚", "exonym"),
    ("夢比利耶", "FR", "蒙彼利埃", "exonym"),
    ("雪梨", "AU", "悉尼", "exonym"),
    ("海参崴", "RU", "符拉迪沃斯托克", "exonym"),
    ("西安", "CN", "西安", "kept"),
]


@pytest.mark.parametrize(("name", "country", "mainland", "rule"), CONVERSIONS)
def test_conversions(name, country, mainland, rule):
    result = convert(name, country=country)
    assert (result.name, result.rule) == (mainland, rule)
    assert mainland_name(name, country=country) == mainland
    assert is_mainland_form(mainland, country=country)
    assert not is_mainland_form(name, country=country) or rule == "kept"


def test_jp2t_is_not_applied_to_mainland_characters():
    # jp2t alone rewrites 研 → 硏, 郎 → 郞 and 沪 → 滤; only Japanese-only forms go through it.
    for name in ("研究院", "新太郎", "沪", "沙家浜", "上海"):
        assert mainland_name(name, country="CN") == name
    # 浜 is a rare mainland character (沙家浜); in a Japanese name it is always 濱.
    assert mainland_name("浜松", country="JP") == "滨松"
    assert is_japanese_form("浜松", country="JP") and not is_japanese_form("沙家浜", country="CN")
    assert is_japanese_form("広島") and not is_japanese_form("广岛")


def test_exonyms_are_keyed_by_country():
    # 雪梨 is Sydney only in Australia; 圣地牙哥 is San Diego in the US, Santiago in Chile.
    assert mainland_name("雪梨", country="CN") == "雪梨"
    assert mainland_name("聖地牙哥", country="US") == "圣迭戈"
    assert mainland_name("聖地牙哥", country="CL") == "圣地亚哥"
    assert mainland_name("三藩市") == "旧金山"  # one meaning in the table: no country needed
    assert mainland_name("圣地牙哥") == "圣地牙哥"  # two meanings: left alone


def test_exonym_table_is_keyed_by_simplified_forms_and_maps_to_mainland_forms():
    for (country, form), target in EXONYMS.items():
        assert len(country) == 2 and country.isupper()
        assert mainland_name(form) in (form, target)  # keys are already simplified
        assert is_mainland_form(target, country=country), target
        assert form != target


def test_not_chinese_names():
    for text in ("日本語", "南，南苏丹", "よこはま", "Yokohama", "文礼/文禮", ""):
        assert not is_chinese_name(text)
    for text in ("克卢日-纳波卡", "威廉姆·阿兰·雷德", "关ヶ原"):
        assert is_chinese_name(text)


def _city(geonames_id):
    return next(c for c in read_cities() if c.geonames_id == geonames_id)


# Real GeoNames rows: (id, local name, Han alternates, chosen name, source)
CHOSEN = [
    (1848354, "Yokohama", "横浜|横滨市", "横滨", "geonames+opencc-jp"),
    (1862415, "Hiroshima", "広島|廣島市", "广岛", "geonames+opencc-jp"),
    (1852643, "Settsu", "摂津|攝津", "摄津", "geonames+opencc-t2s"),
    (1850181, "Tokorozawa", "所沢|所澤市", "所泽", "geonames+opencc-jp"),
    (1860243, "Kanazawa", "金沢|金澤市", "金泽", "geonames+opencc-jp"),
    (1842225, "Gumi", "亀尾市|龜尾市", "龟尾市", "geonames+opencc-t2s"),
    (5391959, "San Francisco", "三藩市|旧金山", "旧金山", "geonames"),
    (292223, "Dubai", "杜拜|迪拜", "迪拜", "geonames"),
    (964137, "Pretoria", "普利托利亞|普利托里亞|比勒陀利亚", "比勒陀利亚", "geonames"),
    (2992166, "Montpellier", "夢比利耶|蒙庇利埃|蒙彼利埃", "蒙彼利埃", "geonames"),
    (2147714, "Sydney", "悉尼|雪梨", "悉尼", "geonames"),
    (6173331, "Vancouver", "溫哥華", "温哥华", "geonames+opencc-t2s"),
    (5391811, "San Diego", "聖地牙哥", "圣迭戈", "geonames+exonym-table"),
    (1642911, "Jakarta", "勿礁維|巴达威亚|耶加達|雅加达", "雅加达", "geonames"),
    (2013348, "Vladivostok", "海参崴|符拉迪沃斯托克", "符拉迪沃斯托克", "geonames"),
    (2800866, "Brussels", "布魯塞爾|比律悉", "布鲁塞尔", "geonames+opencc-t2s"),
    (3191281, "Sarajevo", "塞拉耶佛|薩拉熱窩", "萨拉热窝", "geonames+opencc-t2s"),
    (3369157, "Cape Town", "好望角鎮|開普敦", "开普敦", "geonames+opencc-t2s"),
    (2886242, "Köln", "古龍|科隆", "科隆", "geonames"),
    (2026609, "Blagoveshchensk", "海兰泡", "布拉戈维申斯克", "geonames+exonym-table"),
    (5037649, "Minneapolis", "明尼亞波利斯|明尼阿波利斯", "明尼阿波利斯", "geonames"),
    # In China the pinyin of the local name decides between a city and a town or old name in it.
    (1797658, "Jinjiang", "晉江|青阳|青阳镇", "晋江", "geonames+opencc-t2s"),
    (1796989, "Changsha", "开平|长沙|长沙街道", "长沙", "geonames"),
    (1790587, "Xiangyang", "樊城|樊城镇|襄樊|襄阳|襄阳府", "襄阳", "geonames"),
]


@pytest.mark.parametrize(("gid", "local", "alternates", "chosen", "source"), CHOSEN)
def test_chinese_name_of_real_geonames_rows(gid, local, alternates, chosen, source):
    city = _city(gid)
    assert city.name == local
    assert "|".join(a for a in city.alternates if has_han(a)) == alternates
    assert chinese_name(city) == (chosen, source)


def test_kunshan_is_chosen_by_its_pinyin():
    city = _city(1785623)
    assert city.alternates[-2:] == ("崑山", "玉山") and chinese_name(city)[0] == "昆山"
    # In China the local name is pinyin: 昆山 (Kunshan) wins the tie over 玉山, a town in it.
    assert choose_chinese_name(["崑山", "玉山"], country="CN", local_name="Kunshan").name == "昆山"
    assert choose_chinese_name(["崑山", "玉山"], country="CN").name == "昆山"  # GeoNames order
    assert choose_chinese_name(["玉山", "崑山"], country="CN", local_name="Kunshan").name == "昆山"


def test_no_chinese_name_is_invented():
    assert choose_chinese_name([], country="FR") is None
    assert choose_chinese_name(["Yokohama", "よこはま", "日本語"], country="JP") is None
