"""The whole path without network, as an office would walk it: `amity import` of a sample
official table (GB18030, Chinese headers and dates; tests/data, sample data only), then the
year chart, the anniversary list and the .ics feed, in Chinese, in a real headless Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar
from tests.support.live import SHOTS
from tests.web.conftest import server  # noqa: F401 (the fixture, on this module's registry)
from tests.web.test_dashboard_browser import CHARTS, wait_until

SAMPLE = Path(__file__).parents[1] / "data" / "sample_official_table_gb18030.csv"
FROM = "2027-01-01"  # a fixed window, so that the demo does not change with the calendar

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(gazetteer_engine) -> dict:
    """The gazetteer database after a steward's `amity import` of the sample table."""
    url = gazetteer_engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", "from amity.cli import app; app()", "import", str(SAMPLE),
         "--as-steward", "--json"],
        env={**os.environ, "AMITY_DATABASE_URL": url}, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["imported"], report["encoding"], report["rejected_rows"]) == (10, "gb18030", 0)
    return {"url": url}


def test_the_sample_table_in_chinese_year_chart_anniversaries_and_ics(page):
    # The year chart on the dashboard, in Chinese.
    page.goto(f"{page.base}/dashboard?lang=zh")
    years = "document.querySelector('[data-chart=years]')"
    wait_until(page, f"{years} && {years}.dataset.state === 'drawn'")
    page.wait_for_timeout(600)
    charts = {c["kind"]: c for c in page.evaluate(CHARTS)}
    assert charts["years"]["inked"] > 50 and charts["years"]["legend"] == ["当年结好", "累计"]
    status = page.locator("[data-chart=years] .chart-status").inner_text()
    assert status == "10 对友好关系中有 10 对有签约日期。"
    assert charts["coverage"]["legend"] == [
        "官方总数", "本登记库", "本登记库中有签约日期的友好关系"
    ]  # fmt: skip
    page.locator("[data-chart=years]").screenshot(path=str(SHOTS / "official-years-zh.png"))
    page.locator("[data-chart=coverage]").screenshot(path=str(SHOTS / "official-coverage-zh.png"))
    # The year filter of the list.
    page.goto(f"{page.base}/partnerships?lang=zh&established_from=1973&established_to=1978"
              "&sort=established")  # fmt: skip
    assert page.locator("#result-count").get_attribute("data-total") == "5"
    assert "天津" in page.locator("table").first.inner_text()
    page.screenshot(path=str(SHOTS / "official-list-zh.png"), full_page=True)
    # The anniversaries of 2027: Qingdao–Shimonoseki 50 (day), Chongqing–Seattle 40 (month),
    # Suzhou–Venice 30 (year only), Shenyang–Sapporo 10 (day).
    page.goto(f"{page.base}/anniversaries?lang=zh&from={FROM}")
    assert page.locator("#anniversary-count").get_attribute("data-total") == "4"
    rows = page.locator("table.anniversaries tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert texts[0].startswith("2027") and "苏州" in texts[0] and "30年" in texts[0]
    assert "不知道具体日期" in texts[0] and "否" in texts[0]
    assert "2027-06" in texts[1] and "重庆" in texts[1] and "40年" in texts[1]
    assert "2027-10-03" in texts[2] and "青岛" in texts[2] and "50年" in texts[2]
    assert "2027-11-18" in texts[3] and "沈阳" in texts[3] and "10年" in texts[3]
    assert page.errors == []
    page.screenshot(path=str(SHOTS / "official-anniversaries-zh.png"), full_page=True)
    # The .ics link of the page: only the two anniversaries known to the day.
    link = page.locator("#ics-link").get_attribute("href")
    ics = httpx.get(f"{page.base}{link}", cookies={"amity_lang": "zh"})
    events = list(Calendar.from_ical(ics.content).walk("VEVENT"))
    assert sorted(str(e["summary"]) for e in events) == [
        "沈阳市 – 札幌：结好10周年", "青岛市 – 下关市：结好50周年"
    ]  # fmt: skip
    # The same pages in English.
    page.goto(f"{page.base}/anniversaries?lang=en&from={FROM}")
    assert "Anniversaries" in page.locator("h1").inner_text()
    assert "day not known" in page.locator("table.anniversaries").inner_text()
    page.screenshot(path=str(SHOTS / "official-anniversaries-en.png"), full_page=True)
    page.goto(f"{page.base}/import?lang=en")
    link = page.locator("#template-en-xlsx").get_attribute("href")
    assert link == "/import/template.xlsx?lang=en"
    page.screenshot(path=str(SHOTS / "official-import-en.png"), full_page=True)
    page.goto(f"{page.base}/import?lang=zh")
    page.screenshot(path=str(SHOTS / "official-import-zh.png"), full_page=True)
    assert page.errors == []
