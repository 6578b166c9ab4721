"""Compression and caching of what the app sends: gzip for text over 1 KB (echarts.min.js much
smaller), not for small or already compressed answers; fingerprinted static URLs kept a year."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from amity.http.app import create_app
from amity.http.static import IMMUTABLE, SHORT, STATIC_DIR, static_url


def _raw(client: TestClient, url: str, **headers) -> tuple[dict, bytes]:
    with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        return dict(response.headers), b"".join(response.iter_raw())


def test_echarts_is_sent_gzipped_and_much_smaller(sqlite_engine):
    original = (STATIC_DIR / "vendor" / "echarts.min.js").read_bytes()
    with TestClient(create_app(sqlite_engine)) as client:
        zipped_headers, zipped = _raw(client, static_url("vendor/echarts.min.js"),
                                      **{"Accept-Encoding": "gzip"})  # fmt: skip
        plain_headers, plain = _raw(client, "/static/vendor/echarts.min.js",
                                    **{"Accept-Encoding": "identity"})  # fmt: skip
        small_headers, _ = _raw(client, "/healthz", **{"Accept-Encoding": "gzip"})
    assert zipped_headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped_headers["vary"].lower()
    assert len(zipped) < len(original) * 0.4  # 1,034,102 → about 335,000 bytes
    assert "content-encoding" not in plain_headers and plain == original
    assert "content-encoding" not in small_headers  # under 1 KB: not worth it


def test_pages_link_fingerprinted_files_that_are_kept_a_year(sqlite_engine):
    with TestClient(create_app(sqlite_engine)) as client:
        page = client.get("/login")
        links = re.findall(r'"(/static/[^"?]+)\?v=([0-9a-f]+)"', page.text)
        assert ("/static/amity.css", static_url("amity.css").rsplit("=", 1)[1]) in links
        for path, version in links:
            answer = client.get(f"{path}?v={version}")
            assert answer.status_code == 200
            assert answer.headers["cache-control"] == IMMUTABLE
        # No fingerprint, or one of other content (a page of an older release): kept briefly.
        assert client.get("/static/amity.css").headers["cache-control"] == SHORT
        assert client.get("/static/amity.css?v=000000000000").headers["cache-control"] == SHORT
        # A revalidation keeps the rule.
        etag = client.get(static_url("amity.css")).headers["etag"]
        again = client.get(static_url("amity.css"), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE
    assert links and SHORT == "public, max-age=300"
