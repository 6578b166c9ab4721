"""/api/docs in a real Chromium: the vendored Swagger UI renders every tag of /openapi.json with
no console error, no script error, no Content-Security-Policy violation and no request leaving
the server (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tests.support.live import SHOTS, serve

pytestmark = pytest.mark.browser

# Chromium reports a blocked script, style or image as a `securitypolicyviolation` event (and a
# console error); the page's own listener keeps them, added before any of its scripts runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def server(sqlite_engine) -> Iterator[str]:
    # Ready once the document is built (seconds on a busy machine; then it is kept).
    with serve(sqlite_engine, ready="/openapi.json") as base:
        yield base


def test_the_docs_render_every_tag_without_errors(page):
    document = httpx.get(f"{page.base}/openapi.json", timeout=60).json()
    tags = [tag["name"] for tag in document["tags"]]
    page.add_init_script(WATCH_CSP)
    page.goto(f"{page.base}/api/docs")
    page.locator(".opblock-tag").nth(len(tags) - 1).wait_for(timeout=60_000)
    shown = page.locator(".opblock-tag").evaluate_all("els => els.map(e => e.dataset.tag)")
    assert sorted(shown) == sorted(tags)
    # Operation ids are shown, and an operation opens on its example.
    assert page.locator(".opblock-summary-operation-id", has_text="list_partnerships").count() == 1
    page.locator("#operations-partnerships-create_partnership .opblock-summary").click()
    body = page.locator("#operations-partnerships-create_partnership .opblock-section-request-body")
    body.get_by_text("Signed during the mayor's visit.").wait_for()  # the model's example
    page.evaluate("document.getElementById('operations-tag-partnerships').scrollIntoView()")
    page.screenshot(path=str(SHOTS / "api-docs.png"))
    assert page.evaluate("window.__cspViolations") == []
    assert page.errors == []  # console errors, script errors, requests to other sites

