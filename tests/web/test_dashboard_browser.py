"""The dashboard and the network page in a real headless Chromium (the server of
tests/web/conftest.py, the page of tests/conftest.py): no console errors, every chart drew,
legends in the chosen language."""

from __future__ import annotations

import time

import pytest
from tests.support.live import SHOTS

pytestmark = pytest.mark.browser
# One server for the module (tests/web/conftest.py's `server`): its tests only read the registry.
READ_ONLY = True

ALL_SETTLED = (
    "document.querySelectorAll('[data-chart]').length > 0 && document.querySelectorAll("
    "'[data-chart]:not([data-state=drawn]):not([data-state=error])').length === 0"
)
# Per chart: whether a canvas is there, how many of its pixels are not white, its legend texts.
CHARTS = """() => Array.from(document.querySelectorAll('[data-chart]')).map(section => {
  const box = section.querySelector('.chart');
  const canvases = Array.from(box.querySelectorAll('canvas'));
  let inked = 0;
  for (const canvas of canvases) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < pixels.length; i += 16) {
      if (pixels[i + 3] > 0 && (pixels[i] < 240 || pixels[i + 1] < 240 || pixels[i + 2] < 240)) {
        inked += 1;
      }
    }
  }
  const option = echarts.getInstanceByDom(box).getOption();
  const legend = (option.legend || []).flatMap(l => (l.data || []).map(d => d.name || d));
  return {kind: section.dataset.chart, state: section.dataset.state, canvas: canvases.length > 0,
          inked: inked, legend: legend};
})"""
FIRST_PAINT = (
    "performance.getEntriesByType('paint')"
    ".filter(e => e.name === 'first-contentful-paint').map(e => e.startTime)[0]"
)


def wait_until(page, expression: str, timeout: float = 20.0) -> None:
    """Poll an expression from outside the page: Playwright's wait_for_function builds its
    predicate with `new Function`, which the pages' Content-Security-Policy (no eval) refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def _charts(page, path: str) -> dict[str, dict]:
    page.goto(f"{page.base}{path}")
    wait_until(page, ALL_SETTLED)
    # ECharts paints on the next animation frames after setOption.
    page.wait_for_timeout(600)
    return {chart["kind"]: chart for chart in page.evaluate(CHARTS)}


@pytest.mark.parametrize(
    ("lang", "legends"),
    [
        ("zh", {"lines": ["友好关系", "地点"], "china": ["东部地区", "中部地区", "西部地区"]}),
        (
            "en",
            {
                "lines": ["Partnerships", "Places"],
                "china": ["East China", "Central China", "West China"],
            },
        ),
    ],
)
def test_dashboard_draws_every_chart(page, lang, legends):
    charts = _charts(page, f"/dashboard?lang={lang}")
    assert set(charts) == {
        "lines",
        "choropleth",
        "china",
        "top_countries",
        "top_provinces",
        "regions",
        "gaps",
        "years",
        "coverage",
        "degree",
        "ego",
    }
    for kind, chart in charts.items():
        assert chart["state"] == "drawn", kind
        assert chart["canvas"], kind
        assert chart["inked"] > 50, kind
    for kind, names in legends.items():
        assert charts[kind]["legend"] == names
    assert (
        page.locator("[data-figures=layout] [data-field='provinces.gini.raw']").inner_text() != "…"
    )
    first_paint = page.evaluate(FIRST_PAINT)
    assert first_paint is not None and first_paint < 5000
    assert page.errors == []
    page.screenshot(path=str(SHOTS / f"dashboard-{lang}.png"), full_page=True)


def test_dashboard_filter_by_province_redraws_the_lines(page):
    _charts(page, "/dashboard?lang=en")
    page.select_option("form[data-filter=lines] select[name=province]", "510000")
    wait_until(
        page,
        "document.querySelector('[data-chart=lines] a.json-twin').href.endsWith('province=510000')"
        " && document.querySelector('[data-chart=lines]').dataset.state === 'drawn'",
    )
    status = page.locator("[data-chart=lines] .chart-status").inner_text()
    assert "2 of 2" in status
    assert page.errors == []


@pytest.mark.parametrize(("lang", "fit"), [("zh", "幂律拟合"), ("en", "Power-law fit")])
def test_network_page_draws_its_charts(page, lang, fit):
    charts = _charts(page, f"/network?lang={lang}")
    assert set(charts) == {"degree", "distance", "ego"}
    for kind, chart in charts.items():
        assert chart["state"] == "drawn" and chart["canvas"] and chart["inked"] > 50, kind
    assert charts["degree"]["legend"][1].startswith(fit)
    assert page.errors == []
    page.screenshot(path=str(SHOTS / f"network-{lang}.png"), full_page=True)
