"""The loaded gazetteer gives places their Chinese name in mainland form, with its source."""

from sqlalchemy import select

from amity.places.models import Place
from amity.places.resolve import resolve
from amity.places.service import create_place, place_summary


def _by_geonames(session, gid):
    return session.scalar(select(Place).where(Place.geonames_id == gid))


def test_japanese_korean_and_taiwan_forms_are_mainland_forms_after_loading(places_session):
    expected = {
        1848354: ("Yokohama", "横滨", "geonames+opencc-jp"),
        1862415: ("Hiroshima", "广岛", "geonames+opencc-jp"),
        1852643: ("Settsu", "摄津", "geonames+opencc-t2s"),  # 攝津 is there too
        1850181: ("Tokorozawa", "所泽", "geonames+opencc-jp"),
        1860243: ("Kanazawa", "金泽", "geonames+opencc-jp"),
        1842225: ("Gumi", "龟尾市", "geonames+opencc-t2s"),  # and 亀尾市
        5391959: ("San Francisco", "旧金山", "geonames"),
        292223: ("Dubai", "迪拜", "geonames"),
        964137: ("Pretoria", "比勒陀利亚", "geonames"),
        2992166: ("Montpellier", "蒙彼利埃", "geonames"),
        6173331: ("Vancouver", "温哥华", "geonames+opencc-t2s"),
        5391811: ("San Diego", "圣迭戈", "geonames+exonym-table"),
    }
    for gid, want in expected.items():
        place = _by_geonames(places_session, gid)
        assert (place.name, place.name_zh, place.name_zh_source) == want


def test_chinese_divisions_keep_their_names_and_say_so(places_session):
    guangzhou = places_session.scalar(select(Place).where(Place.gb_code == "440100"))
    assert (guangzhou.name_zh, guangzhou.name_zh_source) == ("广州市", "cn-divisions")


def test_no_chinese_name_means_no_source(places_session):
    rows = places_session.execute(
        select(Place.name_zh, Place.name_zh_source).where(Place.geonames_id.is_not(None))
    ).all()
    assert rows and all((zh is None) == (source is None) for zh, source in rows)
    assert any(zh is None for zh, _s in rows)  # many GeoNames cities have no Han name


def test_the_mainland_form_resolves_to_the_place(places_session):
    for text, gid in (("横滨", 1848354), ("広島", 1862415), ("金泽", 1860243), ("迪拜", 292223)):
        matches = resolve(places_session, text).matches
        assert matches and matches[0].geonames_id == gid, text


def test_a_created_place_keeps_its_chinese_name_in_mainland_form(places_session):
    place = create_place(places_session, name="所沢", country_code="JP", source="import")
    assert (place.name, place.name_zh, place.name_zh_source) == ("所沢", "所泽", "import+opencc-jp")
    given = create_place(
        places_session, name="Pretoria", name_zh="普利托利亞", country_code="ZA", source="import"
    )
    assert (given.name_zh, given.name_zh_source) == ("比勒陀利亚", "import+exonym-table")
    assert place_summary(given)["name_zh_source"] == "import+exonym-table"
    latin = create_place(places_session, name="Nowhere Town", country_code="FR")
    assert (latin.name_zh, latin.name_zh_source) == (None, None)
