"""Every page in a real Chromium, in Chinese, after its scripts have run (issue 19): the words a
person sees — including those the scripts add (place suggestions' hints, spinners, chart
captions written into the page) — hold no English word that is not a name or a code.

The server-rendered check (test_page_language.py) reads the HTML the app sends; this one reads
the page as drawn, with the same rules, signed in as the national administrator (who sees every
page). Text inside a chart's canvas is not in the document and is checked by the chart tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from tests.support import wording
from tests.support.live import serve, sign_in_page, watched_page
from tests.system.test_page_language import PHRASES, _report, english_words, name_pattern

from amity.core import schema
from amity.core.db import make_engine
from amity.http.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("page-language-browser")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    url = f"sqlite:///{tmp_path_factory.mktemp('words-browser') / 'amity.db'}"
    engine = make_engine(url)
    schema.upgrade(engine)
    ids = wording.seed(engine)
    names = name_pattern(wording.stored_names(engine) | set(PHRASES))
    pages = wording.html_pages(create_app(engine))
    engine.dispose()
    with serve(url) as base:
        yield {"base": base, "ids": ids, "names": names, "pages": pages}


def test_no_english_on_the_chinese_pages_as_drawn(browser, site):
    found: dict[str, set[str]] = defaultdict(set)
    failed = []
    with watched_page(browser, site["base"], locale="zh-CN") as tab:
        sign_in_page(tab, tab.base, "admin")
        for path in site["pages"]:
            url = wording.fill(path, site["ids"])
            answer = tab.goto(f"{tab.base}{url}?lang=zh", wait_until="load")
            if answer is None or answer.status >= 500:
                failed.append(url)
                continue
            tab.wait_for_timeout(150)  # scripts that fill a part after load (suggestions, counts)
            for segment in wording.visible_text(tab.content()):
                if not segment.code and english_words(segment.text, site["names"]):
                    found[segment.text].add(f"GET {url}")
    assert len(site["pages"]) > 40  # the walk found the pages
    assert failed == []
    assert not found, f"English on the Chinese pages, as drawn:\n{_report(found)}"
