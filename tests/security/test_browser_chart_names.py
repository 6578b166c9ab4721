"""Hostile place and country names in every chart tooltip, in Chromium: shown as text, never markup.

ECharts tooltips are HTML, and the formatters put names in as they came: a place imported as
`<img src=x onerror=...>` became an element (only the Content-Security-Policy kept it from
running). The demo registry gets partners of Nanjing imported with hostile names, and a ranked
city and a country renamed in the database; every page with charts is opened in English and
Chinese, and every chart's tooltip is shown (ECharts' showTip) for its first items and for every
item, category or node that carries a hostile name. No element may come from a name, nothing may
run, the CSP must have nothing to refuse, and the names must read as text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text
from tests.support.demo import demo_copy
from tests.support.live import SHOTS, serve

from amity.core.db import make_engine, session_scope
from amity.partnerships.importer import import_partnerships

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("demo-browser")]

IMPORTED = ["<img src=x onerror=window.__pwned=1>", '"><svg onload=window.__pwned=2>']
RENAMED_CITY = "<img src=x onerror=window.__pwned=3>城"
RENAMED_COUNTRY = "<svg onload=window.__pwned=4>Land"
HOSTILE = [*IMPORTED, RENAMED_CITY, RENAMED_COUNTRY]

# Shows every chart's tooltip for a few items and each hostile one; returns what was seen.
SHOW_TIPS = """(hostile) => {
  const report = {tips: 0, seen: []};
  const hasHostile = (value) => {
    const s = typeof value === 'string' ? value : JSON.stringify(value || '');
    return hostile.some(h => s.indexOf(h) >= 0) || s.indexOf('<') >= 0;
  };
  for (const box of document.querySelectorAll('[_echarts_instance_]')) {
    const chart = echarts.getInstanceByDom(box);
    if (!chart) continue;
    const option = chart.getOption();
    let last = null;  // the last tooltip that showed a hostile name: left open for the screenshot
    const categories = [];
    for (const axis of [...(option.xAxis || []), ...(option.yAxis || [])]) {
      (axis.data || []).forEach((d, i) => { if (hasHostile(d)) categories.push(i); });
    }
    (option.series || []).forEach((series, si) => {
      const data = series.data || [];
      const picks = new Set(categories);
      data.forEach((d, i) => { if (i < 3 || hasHostile(d)) picks.add(i); });
      for (const i of Array.from(picks).slice(0, 40)) {
        if (i >= data.length) continue;
        chart.dispatchAction({type: 'showTip', seriesIndex: si, dataIndex: i});
        report.tips += 1;
        const shown = box.innerText;
        for (const h of hostile) {
          if (shown.indexOf(h) >= 0) { report.seen.push(h); last = {si: si, i: i}; }
        }
      }
    });
    if (last) chart.dispatchAction({type: 'showTip', seriesIndex: last.si, dataIndex: last.i});
  }
  report.injected = document.querySelectorAll(
    'img[src="x"], svg[onload], [onerror], [onload]').length;
  report.pwned = window.__pwned === undefined ? null : String(window.__pwned);
  return report;
}"""
CHARTS_SETTLED = (
    "document.querySelectorAll('[_echarts_instance_]').length > 0 && document.querySelectorAll("
    "'[data-chart]:not([data-state=drawn]):not([data-state=error])').length === 0"
)


def _prepare(url: str) -> dict:
    engine = make_engine(url)
    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",France,45.{i},4.{i},南京,China,199{i}\n'
                   for i, name in enumerate(IMPORTED))  # fmt: skip
    with session_scope(engine) as session:
        report = import_partnerships(
            session, ("city1,country1,lat1,lon1,city2,country2,date\n" + rows).encode(),
            filename="hostile.csv",
        )  # fmt: skip
        assert report.imported == len(IMPORTED), report.to_dict()
        nanjing = session.execute(text("SELECT id FROM places WHERE name_zh = '南京市'")).scalar()
        hostile_ids = [session.execute(text("SELECT id FROM places WHERE name = :n"), {"n": n})
                       .scalar() for n in IMPORTED]  # fmt: skip
    engine.dispose()
    return {"nanjing": nanjing, "hostile_ids": hostile_ids}


def _rename(url: str, ranked: int) -> None:
    """Stored data: a ranked Chinese city and France renamed straight in the database."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE places SET name = :n, name_zh = :n WHERE id = :id"),
                           {"n": RENAMED_CITY, "id": ranked})  # fmt: skip
        connection.execute(text("UPDATE countries SET name_en = :n, name_zh = :n "
                                "WHERE iso2 = 'FR'"), {"n": RENAMED_COUNTRY})  # fmt: skip
    engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    url = demo_copy(tmp_path_factory, "charts")
    ids = _prepare(url)
    with serve(url, ready="/api/v1/stats") as base:
        # Chinese cities: the renamed one must also be on the pages of Chinese places.
        ranking = httpx.get(f"{base}/api/v1/index", params={"country": "CN"}, timeout=60).json()
    ranked = [row["id"] for row in ranking["places"][:2]]
    _rename(url, ranked[0])  # a new server: its caches start afresh with the names changed
    with serve(url, ready="/api/v1/stats") as base:
        yield {"base": base, **ids, "ranked": ranked}


def _pages(site: dict) -> list[str]:
    nanjing, ranked = site["nanjing"], site["ranked"]
    return [
        "/", f"/places/{nanjing}", f"/places/{site['hostile_ids'][0]}", "/dashboard", "/network",
        f"/reports/{nanjing}/1991", "/index", f"/index/places/{ranked[0]}",
        f"/index/compare?a={ranked[0]}&b={ranked[1]}",
    ]  # fmt: skip


def _wait(tab, expression: str, timeout: float = 60.0) -> bool:
    # Polled from outside: the pages' CSP (no eval) refuses Playwright's wait_for_function.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tab.evaluate(expression):
            return True
        tab.wait_for_timeout(200)
    return False


def _ego_on_nanjing(tab) -> None:
    """The dashboard's ego network starts empty: choose Nanjing in its place field."""
    field = tab.locator("[data-chart=ego] form .place-search")
    field.locator(".place-search-input").fill("南京市")
    field.locator(".place-suggestion", has_text="南京市").first.click()
    assert _wait(tab, "document.querySelector('[data-chart=ego]').dataset.state === 'drawn'")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_names_are_text_in_every_chart_tooltip(site, browser, lang) -> None:
    seen: set[str] = set()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
    for path in _pages(site):
        sep = "&" if "?" in path else "?"
        answer = tab.goto(f"{site['base']}{path}{sep}lang={lang}")
        assert answer.status == 200, path
        assert _wait(tab, CHARTS_SETTLED), f"charts of {path} did not draw"
        if path == "/dashboard":
            _ego_on_nanjing(tab)
        tab.wait_for_timeout(500)
        report = tab.evaluate(SHOW_TIPS, HOSTILE)
        assert report["tips"] > 0, path
        assert report["injected"] == 0, path
        assert report["pwned"] is None, path
        seen |= set(report["seen"])
        if path in ("/dashboard", f"/places/{site['nanjing']}", "/index"):
            name = path.strip("/").replace("/", "-") or "home"
            tab.screenshot(path=str(SHOTS / f"hostile-{name}-{lang}.png"), full_page=True)
    context.close()
    assert [p for p in problems if "Content Security Policy" in p or "pwned" in p] == []
    assert seen == set(HOSTILE), f"names never shown as tooltip text: {set(HOSTILE) - seen}"
