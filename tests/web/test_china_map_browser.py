"""The dashboard's map of China and its coverage chart in a real Chromium, in Chinese: Taiwan is
coloured as a province from the visual map and labelled outside the official count, the South
China Sea islands inset is drawn at a readable size in the lower right, the coverage chart's
years are spaced by time and shown once each; the city filters use the shared place field."""

from __future__ import annotations

import pytest
from tests.support.live import SHOTS
from tests.web.test_dashboard_browser import _charts, wait_until

from amity.core.db import session_scope
from amity.places.models import PlaceName
from amity.places.names import name_key

pytestmark = pytest.mark.browser
# One server for the module (tests/web/conftest.py's `server`): its tests only read the registry.
READ_ONLY = True


def add_to_registry(engine, ids: dict) -> None:
    """The names the place field looks up (added to tests/web/conftest.py's registry)."""
    names = [("nanjing", "Nanjing", "en"), ("nanjing", "南京市", "zh"),
             ("chengdu", "Chengdu", "en"), ("chengdu", "成都市", "zh")]  # fmt: skip
    with session_scope(engine) as session:
        for key, text, lang in names:
            session.add(PlaceName(place_id=ids[key], name=text, key=name_key(text), lang=lang))


# What ECharts made of the China card: the colour it gave each division, the tooltip text of
# Taiwan, the visual map's colours and range, and where the inset sits in the chart.
CHINA = """() => {
  const box = document.querySelector('[data-chart=china] .chart');
  const chart = echarts.getInstanceByDom(box);
  const option = chart.getOption();
  const series = chart.getModel().getSeriesByType('map')[0];
  const data = series.getData();
  const fill = code => {
    const i = data.indexOfName(code);
    return i < 0 ? null : data.getItemVisual(i, 'style').fill;
  };
  const taiwan = option.series.find(s => s.type === 'map').data.find(d => d.name === '710000');
  const tooltip = option.tooltip[0].formatter({seriesType: 'map', name: '710000', data: taiwan});
  const inset = chart.getModel().getComponent('geo', 1);
  const rect = inset.coordinateSystem.getViewRect();
  return {
    maps: option.geo.map(g => g.map), taiwan: taiwan, tooltip: tooltip,
    fills: {taiwan: fill('710000'), jiangsu: fill('320000'), hongkong: fill('810000'),
            yunnan: fill('530000')},
    noData: option.geo[0].itemStyle.areaColor, inRange: option.visualMap[0].inRange.color,
    max: option.visualMap[0].max, width: box.clientWidth, height: box.clientHeight,
    inset: {x: rect.x, y: rect.y, width: rect.width, height: rect.height},
    insetRegions: option.geo[1].regions.map(r => r.name),
    insetLabel: option.graphic[0].elements[0].style.text,
  };
}"""

COVERAGE = """() => {
  const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=coverage] .chart'));
  const axis = chart.getModel().getComponent('xAxis', 0).axis;
  const labels = axis.getViewLabels().map(l => ({text: l.formattedLabel, value: l.tickValue}))
    .filter(l => l.text !== '');
  return {type: chart.getOption().xAxis[0].type, labels: labels,
          at: labels.map(l => axis.dataToCoord(l.value))};
}"""


def rgb(colour: str) -> tuple[int, int, int]:
    """'#4f96cf' or 'rgba(79,150,207,1)' as (r, g, b)."""
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(round(float(v)) for v in colour[colour.index("(") + 1 : -1].split(",")[:3])


def test_taiwan_is_coloured_as_a_province_and_the_inset_is_legible(page):
    _charts(page, "/dashboard?lang=zh")
    china = page.evaluate(CHINA)
    # Not the map ECharts calls "china", to which it adds its own tiny schematic of the islands.
    assert china["maps"] == ["amity-china", "amity-nanhai"]
    # Taiwan's own pair (Taipei–Houston) is shown, labelled as outside the official count.
    assert china["taiwan"]["value"] == 1
    assert china["tooltip"] == "台湾省 · 不计入官方统计: 1 对"
    # Its colour comes from the visual map: half way (1 of 2) is the middle of the five colours.
    assert china["max"] == 2
    assert rgb(china["fills"]["taiwan"]) == rgb(china["inRange"][2])
    assert rgb(china["fills"]["taiwan"]) != rgb(china["noData"])
    assert rgb(china["fills"]["jiangsu"]) == rgb(china["inRange"][-1])
    # Hong Kong has no pair of its own here: the lowest colour of the scale, not no-data grey.
    assert rgb(china["fills"]["hongkong"]) == rgb(china["inRange"][0])
    # So has Yunnan, a mainland province without a pair in this registry.
    assert rgb(china["fills"]["yunnan"]) == rgb(china["inRange"][0])
    # The inset: a box of readable size in the lower right, with the islands and the dashes.
    inset = china["inset"]
    assert inset["height"] >= 150 and inset["width"] >= 90
    assert china["width"] - (inset["x"] + inset["width"]) < 30
    assert china["height"] - (inset["y"] + inset["height"]) < 30
    assert {"frame", "islands", "dashes"} <= set(china["insetRegions"])
    assert china["insetLabel"] == "南海诸岛"
    assert page.errors == []
    page.locator("[data-chart=china]").screenshot(path=str(SHOTS / "china-map-zh.png"))


def test_coverage_chart_spaces_years_by_time(page):
    _charts(page, "/dashboard?lang=zh")
    coverage = page.evaluate(COVERAGE)
    assert coverage["type"] in ("value", "time")
    texts = [label["text"] for label in coverage["labels"]]
    assert len(texts) >= 3
    assert len(texts) == len(set(texts)), texts  # no year shown twice
    assert all(text.isdigit() and len(text) == 4 for text in texts), texts
    # Equal steps in years are equal steps on the screen.
    years = [int(text) for text in texts]
    at = coverage["at"]
    per_year = [(at[i + 1] - at[i]) / (years[i + 1] - years[i]) for i in range(len(years) - 1)]
    assert max(per_year) - min(per_year) < 0.5, per_year


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_screenshots(page, lang):
    _charts(page, f"/dashboard?lang={lang}")
    assert page.errors == []
    page.screenshot(path=str(SHOTS / f"dashboard-map-{lang}.png"), full_page=True)


def test_lines_filter_takes_a_city_from_the_shared_place_field(page):
    _charts(page, "/dashboard?lang=zh")
    field = page.locator("form[data-filter=lines] .place-search[data-suggest]")
    field.locator(".place-search-input").fill("南京")
    field.locator(".place-suggestion").first.click()
    wait_until(
        page,
        "document.querySelector('[data-chart=lines] a.json-twin').href.includes('place=')"
        " && document.querySelector('[data-chart=lines]').dataset.state === 'drawn'",
    )
    href = page.locator("[data-chart=lines] a.json-twin").get_attribute("href")
    place = field.locator(".place-search-id").input_value()
    assert href.endswith(f"place={place}")
    assert "2" in page.locator("[data-chart=lines] .chart-status").inner_text()
    # The old autocomplete of its own is gone from both pages.
    assert page.locator("form[data-filter] input[name=q]").count() == 0
    assert page.errors == []


def test_ego_filter_on_the_network_page_uses_the_shared_place_field(page):
    _charts(page, "/network?lang=en")
    field = page.locator("form[data-filter=ego] .place-search[data-suggest]")
    field.locator(".place-search-input").fill("Chengdu")
    field.locator(".place-suggestion").first.click()
    wait_until(
        page,
        "document.querySelector('[data-chart=ego] .chart-status').textContent.startsWith('Chengdu')"
        " && document.querySelector('[data-chart=ego]').dataset.state === 'drawn'",
    )
    assert page.locator("form[data-filter] input[name=q]").count() == 0
    assert page.errors == []
