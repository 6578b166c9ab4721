"""An officer in Chinese finds Xi'an's partners in the list, clicks 导出 Excel, and the workbook
that Chromium downloads reads back with Chinese headers and names (no codes); then the
statistics page for a continent, chosen in its form."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from tests.support.live import SHOTS

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.places.models import Place

pytestmark = pytest.mark.browser
# One server for the module (tests/web/conftest.py's `server`): its tests only read the registry.
READ_ONLY = True


def add_to_registry(engine, ids: dict) -> None:
    """Xi'an with two partners (test data, not the registry's), added to tests/web/conftest.py's
    registry."""
    with session_scope(engine) as session:
        xian = Place(kind="city", name="Xi'an", name_zh="西安市", country_code="CN",
                     gb_code="610100", province_code="610000", region3="west", lat=34.26,
                     lon=108.94, population=13_000_000, source="test")  # fmt: skip
        session.add(xian)
        session.flush()
        for partner, kind, established in (("osaka", "sister_city", "1974"),
                                           ("lyon", "friendship_city", "1986")):  # fmt: skip
            low, high = sorted((xian.id, ids[partner]))
            session.add(
                Partnership(place_a_id=low, place_b_id=high, kind=kind, level="city_city",
                            status="active", established=established,
                            established_year=int(established), source="wikipedia")
            )  # fmt: skip


def test_xian_partners_to_excel_in_chinese(page, tmp_path):
    page.goto(f"{page.base}/partnerships?lang=zh")
    page.fill("#q", "西安")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_selector("#result-count[data-total='2']")
    page.screenshot(path=str(SHOTS / "export-xian-list-zh.png"))
    link = page.locator("#export-xlsx")
    assert link.inner_text() == "导出 Excel"
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "partnerships.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = load_workbook(target)
    assert book.sheetnames == ["友好关系", "导出说明"]
    table = book["友好关系"]
    rows = list(table.iter_rows(values_only=True))
    assert rows[0] == ("地点", "地点所属国家或地区", "友好伙伴", "伙伴所属国家或地区", "关系层级",
                       "类型", "状态", "建立时间", "来源")  # fmt: skip
    # Xi'an first on every row although it is stored as the second side; names, not codes.
    assert sorted(rows[1:]) == [
        ("西安市", "中国", "大阪", "日本", "城市与城市", "姐妹城市", "有效", "1974", "维基百科"),
        ("西安市", "中国", "里昂", "法国", "城市与城市", "友好城市", "有效", "1986", "维基百科"),
    ]
    assert table.freeze_panes == "A2" and table.auto_filter.ref == "A1:I3"
    notes = dict(book["导出说明"].iter_rows(values_only=True))
    assert notes["筛选条件"].startswith("搜索：“西安”")
    assert page.errors == []


def test_statistics_for_a_continent_chosen_in_the_form(page):
    page.goto(f"{page.base}/statistics?lang=zh")
    assert page.locator("#scope-title").inner_text() == "中国的全部友好关系"
    page.select_option("select[name=continent]", "Europe")
    page.locator("#scope-form button[type=submit]").click()
    page.wait_for_url("**/statistics?continent=Europe*")
    assert page.locator("#scope-title").inner_text() == "中国与欧洲的友好关系"
    # Nanjing–Paris, Chengdu–Lyon, Xi'an–Lyon: China's European partnerships in the fixture.
    assert page.locator("[data-field='home.pairs']").inner_text() == "3"
    assert "法国" in page.locator("#partner-countries").inner_text()
    assert page.locator("#json-twin").get_attribute("href") == (
        "/api/v1/statistics?continent=Europe"
    )
    page.screenshot(path=str(SHOTS / "statistics-europe-zh.png"), full_page=True)
    assert page.errors == []
    response = page.goto(f"{page.base}/statistics?continent=EU&lang=en")
    assert response.status == 422
    problem = page.locator("#scope-problem").inner_text()
    assert "Unknown continent “EU”. Choose one of: Africa, Asia, Europe" in problem
    page.screenshot(path=str(SHOTS / "statistics-refused-en.png"))
    assert all("422" in error for error in page.errors)  # the page's own status, nothing else
