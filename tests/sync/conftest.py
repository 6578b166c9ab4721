"""A real local SPARQL endpoint (a threaded http.server) answering with recorded responses,
and a small registry whose places carry Wikidata Q-ids.

The responses in data/ are hand-written sample data in the SPARQL 1.1 Query Results JSON
format (https://www.w3.org/TR/sparql11-results-json/), not real Wikidata answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from amity.core.db import session_scope
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place

DATA = Path(__file__).parent / "data"
ENTITY = "http://www.wikidata.org/entity/"

COUNTRIES = [
    ("CN", "CHN", "China", "中国"), ("FR", "FRA", "France", "法国"), ("JP", "JPN", "Japan", "日本"),
    ("US", "USA", "United States", "美国"), ("IT", "ITA", "Italy", "意大利"),
    ("AT", "AUT", "Austria", "奥地利"), ("MX", "MEX", "Mexico", "墨西哥"),
]  # fmt: skip
# key: (name, name_zh, country, wikidata, lat, lon, population); CODES: (GB/T 2260, GeoNames)
PLACES = {
    "nanjing": ("Nanjing", "南京市", "CN", "Q16666", 32.06, 118.78, 9_314_685),
    "suzhou": ("Suzhou", "苏州市", "CN", None, 31.3, 120.6, 12_748_262),
    "venice": ("Venice", "威尼斯", "IT", None, 45.44, 12.33, 250_000),
    "lyon": ("Lyon", "里昂", "FR", None, 45.76, 4.84, 520_000),
    "chengdu": ("Chengdu", "成都市", "CN", "Q30002", 30.66, 104.06, 20_937_757),
    "paris": ("Paris", "巴黎", "FR", "Q90", 48.85, 2.35, 2_100_000),
    "osaka": ("Osaka", "大阪", "JP", "Q35765", 34.69, 135.5, 1_000_000),
    "houston": ("Houston", None, "US", "Q16555", None, None, None),
    "tuscany": ("Tuscany", "托斯卡纳", "IT", "Q1280", 43.35, 11.02, 3_700_000),
}
CODES = {"suzhou": ("320500", None), "venice": (None, 3164603)}
# (place, place, established, source)
PAIRS = [
    ("nanjing", "paris", None, "test"),
    ("nanjing", "osaka", "1990", "test"),
    ("chengdu", "houston", None, "test"),
]


def build_world(engine) -> dict[str, int]:
    """The registry the recorded responses talk about; returns place ids by key."""
    with session_scope(engine) as session:
        for iso2, iso3, en, zh in COUNTRIES:
            session.add(Country(iso2=iso2, iso3=iso3, name_en=en, name_zh=zh))
        session.flush()
        ids = {}
        for key, (name, zh, country, qid, lat, lon, population) in PLACES.items():
            kind = "province" if key == "tuscany" else "city"
            gb, gn = CODES.get(key, (None, None))
            place = Place(kind=kind, name=name, name_zh=zh, country_code=country, wikidata=qid,
                          gb_code=gb, geonames_id=gn, lat=lat, lon=lon, population=population,
                          source="test")  # fmt: skip
            session.add(place)
            session.flush()
            ids[key] = place.id
        for a, b, established, source in PAIRS:
            low, high = sorted((ids[a], ids[b]))
            session.add(Partnership(
                place_a_id=low, place_b_id=high, kind="sister_city", level="city_city",
                status="active", established=established,
                established_year=int(established) if established else None, source=source,
            ))  # fmt: skip
    return ids


@pytest.fixture
def world(engine) -> dict[str, int]:
    return build_world(engine)


class Endpoint(ThreadingHTTPServer):
    """Answers POSTed SPARQL queries. `script` holds what the next requests get ("ok", "429",
    "503", "slow", "malformed", "empty", "refused"), then `default` for the rest. "ok" answers
    with the recorded rows whose ?item is in the query's VALUES, as the real endpoint would."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[str] = []
        self.default = "ok"
        self.requests: list[dict] = []
        self.recorded = json.loads((DATA / "p190.json").read_text("utf-8"))
        self.slow_seconds = 2.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"

    def next_behaviour(self) -> str:
        return self.script.pop(0) if self.script else self.default

    def answer_for(self, query: str) -> bytes:
        """The rows whose item the query names: by Q-id, GB/T code (P442) or GeoNames id."""

        def values(var: str) -> set[str]:
            block = re.search(rf"VALUES \?{var} \{{([^}}]*)\}}", query)
            return set(re.findall(r'wd:(Q\d+)|"(\d+)"', block.group(1))) if block else set()

        qids = {q for q, _ in values("item")}
        codes = {c for _, c in values("code")}
        geonames = {g for _, g in values("gn")}
        rows = [
            b for b in self.recorded["results"]["bindings"]
            if b["item"]["value"].removeprefix(ENTITY) in qids
            or b.get("itemGb", {}).get("value") in codes
            or b.get("itemGn", {}).get("value") in geonames
        ]  # fmt: skip
        return json.dumps({"head": self.recorded["head"], "results": {"bindings": rows}},
                          ensure_ascii=False).encode()  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    server: Endpoint

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        query = form.get("query", [""])[0]
        self.server.requests.append({"query": query, "user_agent": self.headers["user-agent"],
                                     "accept": self.headers["accept"]})  # fmt: skip
        behaviour = self.server.next_behaviour()
        if behaviour in ("429", "503"):
            self._send(int(behaviour), b"Too Many Requests", "text/plain", {"Retry-After": "0"})
        elif behaviour == "refused":
            self._send(400, b"MalformedQueryException", "text/plain")
        elif behaviour == "slow":
            time.sleep(self.server.slow_seconds)
            self._send(200, self.server.answer_for(query))
        elif behaviour == "malformed":
            self._send(200, (DATA / "malformed.json").read_bytes())
        elif behaviour == "empty":
            self._send(200, (DATA / "empty.json").read_bytes())
        else:
            self._send(200, self.server.answer_for(query))

    def _send(self, status: int, body: bytes, kind: str = "application/sparql-results+json",
              headers: dict | None = None) -> None:  # fmt: skip
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def client_settings(endpoint, tmp_path):
    """Settings pointing at the local endpoint: short waits, a cache of the test's own."""
    from amity.sync.wikidata import ClientSettings

    return ClientSettings(endpoint=endpoint.url, timeout=0.5, tries=3, backoff=0.01,
                          cache_dir=tmp_path / "cache", contact="fao@example.org")  # fmt: skip
