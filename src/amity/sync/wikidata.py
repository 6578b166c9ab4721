"""A polite client for the Wikidata SPARQL endpoint, and the twinning statements it returns.

Polite: it says who it is (a descriptive User-Agent with a contact URL), asks for small batches
of places, waits and retries on 429 and 5xx answers (as long as Retry-After says, else with a
growing backoff) and on timeouts, and gives up with a clear message. Each batch's answer is kept
in a cache directory, so an interrupted sync resumes where it stopped, and the run that writes
uses the very answers its dry run showed.

Answers are SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/):
{"head": {"vars": [...]}, "results": {"bindings": [{"var": {"type", "value", ...}}, ...]}}.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from amity import __version__
from amity.core.errors import AmityError
from amity.core.settings import get_settings


def user_agent(contact: str) -> str:
    """Who is asking, as the Wikimedia User-Agent policy wants it: the tool, its version, what
    it does, and how to reach whoever runs it (AMITY_WIKIDATA_CONTACT: an e-mail or a URL)."""
    reach = f"contact: {contact}" if contact else "contact: not set (AMITY_WIKIDATA_CONTACT)"
    return (f"Amity/{__version__} (friendship-city registry sync of signing dates; {reach}) "
            f"httpx/{httpx.__version__}")  # fmt: skip


ENTITY = "http://www.wikidata.org/entity/"
STATEMENT = ENTITY + "statement/"
# Wikidata time precision: 9 year, 10 month, 11 day (coarser ones say nothing about a year).
YEAR, MONTH, DAY = 9, 10, 11


class SyncError(AmityError):
    """The endpoint could not be used; nothing was written. The message is built from a
    template and its values so that pages can translate the template (gettext) first."""

    code = "sync_unavailable"
    status = 502

    def __init__(self, template: str, **values):
        super().__init__(template, {"reason": template, **values}, params=values)
        self.values = values


OFFLINE = (
    "Cannot reach the Wikidata endpoint %(endpoint)s (%(reason)s). This machine seems to be "
    "offline: run the sync where there is internet (see docs/sync.md). Nothing was written."
)
BUSY = (
    "Wikidata is busy: HTTP %(status)s after %(tries)s tries. Try again later: batches already "
    "fetched are kept and will not be asked for again. Nothing was written."
)
TIMEOUT = (
    "Wikidata did not answer within %(seconds)s seconds (%(tries)s tries). Try again later, or "
    "with a smaller --batch-size. Nothing was written."
)
REFUSED = "Wikidata refused the query: HTTP %(status)s. Nothing was written."
MALFORMED = (
    "Wikidata's answer is not SPARQL JSON results (batch %(batch)s): %(reason)s. "
    "Nothing was written."
)


@dataclass(frozen=True)
class ClientSettings:
    """Where and how to ask: by default the AMITY_WIKIDATA_* and AMITY_SYNC_* settings (the
    real endpoint unless configured otherwise); tests pass their own."""

    endpoint: str = field(default_factory=lambda: get_settings().wikidata_endpoint)
    timeout: float = field(default_factory=lambda: get_settings().wikidata_timeout)
    tries: int = field(default_factory=lambda: get_settings().wikidata_tries)
    backoff: float = field(default_factory=lambda: get_settings().wikidata_backoff)
    cache_dir: Path = field(default_factory=lambda: get_settings().sync_cache)
    # How the endpoint's operators can reach whoever runs this installation.
    contact: str = field(default_factory=lambda: get_settings().wikidata_contact)
    # A cached answer older than this is asked for again.
    max_age_hours: float = field(default_factory=lambda: get_settings().sync_max_age_hours)


@dataclass(frozen=True)
class Answer:
    """One batch's answer: the bindings, when they were retrieved, and whether from cache."""

    bindings: list[dict]
    retrieved_at: datetime
    cached: bool
    digest: str


def twinning_query(qids: list[str], gb_codes: list[str] = (), geonames: list[str] = ()) -> str:
    """The SPARQL query for the twinning statements (P190) of some items, with their start and
    end qualifiers (value and precision), and about each partner: labels (zh-cn, zh-hans, zh,
    en), population, coordinates, instance of, parent and country's ISO code.

    Items are named by Q-id, or, for places stored without one, by their GB/T 2260 code (P442,
    asked in its 6- and 12-digit forms) or GeoNames id (P1566). Both sides' codes come back so
    that items and partners are matched to stored places by Q-id, then GeoNames id, then code.
    Every value put into the query has been checked to be a Q-id or digits.
    """
    blocks = []
    if qids:
        values = " ".join(f"wd:{q}" for q in qids)
        blocks.append(f"{{ VALUES ?item {{ {values} }} }}")
    if gb_codes:
        codes = " ".join(f'"{c}" "{c}000000"' for c in gb_codes)
        blocks.append(f"{{ VALUES ?code {{ {codes} }} ?item wdt:P442 ?code . }}")
    if geonames:
        ids = " ".join(f'"{g}"' for g in geonames)
        blocks.append(f"{{ VALUES ?gn {{ {ids} }} ?item wdt:P1566 ?gn . }}")
    items = "\n  UNION ".join(blocks)
    return f"""SELECT ?item ?itemGb ?itemGn ?statement ?partner ?start ?startPrecision ?end
  ?endPrecision ?zhcn ?zhhans ?zh ?en ?population ?coord ?instance ?parent ?country
  ?partnerGb ?partnerGn WHERE {{
  {items}
  ?item p:P190 ?statement .
  ?statement ps:P190 ?partner .
  OPTIONAL {{ ?item wdt:P442 ?itemGb . }}
  OPTIONAL {{ ?item wdt:P1566 ?itemGn . }}
  OPTIONAL {{ ?statement pqv:P580 ?s . ?s wikibase:timeValue ?start ;
             wikibase:timePrecision ?startPrecision . }}
  OPTIONAL {{ ?statement pqv:P582 ?e . ?e wikibase:timeValue ?end ;
             wikibase:timePrecision ?endPrecision . }}
  OPTIONAL {{ ?partner rdfs:label ?zhcn . FILTER(LANG(?zhcn) = "zh-cn") }}
  OPTIONAL {{ ?partner rdfs:label ?zhhans . FILTER(LANG(?zhhans) = "zh-hans") }}
  OPTIONAL {{ ?partner rdfs:label ?zh . FILTER(LANG(?zh) = "zh") }}
  OPTIONAL {{ ?partner rdfs:label ?en . FILTER(LANG(?en) = "en") }}
  OPTIONAL {{ ?partner wdt:P1082 ?population . }}
  OPTIONAL {{ ?partner wdt:P625 ?coord . }}
  OPTIONAL {{ ?partner wdt:P31 ?instance . }}
  OPTIONAL {{ ?partner wdt:P131 ?parent . }}
  OPTIONAL {{ ?partner wdt:P17/wdt:P297 ?country . }}
  OPTIONAL {{ ?partner wdt:P442 ?partnerGb . }}
  OPTIONAL {{ ?partner wdt:P1566 ?partnerGn . }}
}}"""


class Client:
    """Sends queries, one batch at a time, politely; keeps each answer in the cache."""

    def __init__(self, settings: ClientSettings | None = None, *, fresh: bool = False,
                 sleep: Callable[[float], None] = time.sleep):  # fmt: skip
        self.settings = settings or ClientSettings()
        self.fresh = fresh
        self.sleep = sleep

    def _cache_path(self, query: str) -> Path:
        key = hashlib.sha256(f"{self.settings.endpoint}\n{query}".encode()).hexdigest()
        return self.settings.cache_dir / f"{key[:32]}.json"

    def ask(self, query: str, *, batch: int) -> Answer:
        """The answer to a query: from the cache when fresh enough, else from the endpoint."""
        path = self._cache_path(query)
        if not self.fresh and path.exists():
            kept = json.loads(path.read_text("utf-8"))
            retrieved = datetime.fromisoformat(kept["retrieved_at"])
            age = (datetime.now(UTC) - retrieved).total_seconds() / 3600
            if age < self.settings.max_age_hours:
                return Answer(kept["bindings"], retrieved.replace(tzinfo=None), True,
                              kept["digest"])  # fmt: skip
        body = self._fetch(query)
        bindings = parse_results(body, batch=batch)
        retrieved = datetime.now(UTC).replace(microsecond=0)
        digest = hashlib.sha256(body).hexdigest()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps({"retrieved_at": retrieved.isoformat(), "digest": digest,
                                       "bindings": bindings}), "utf-8")  # fmt: skip
        partial.replace(path)  # whole or not at all: a killed run never leaves half a file
        return Answer(bindings, retrieved.replace(tzinfo=None), False, digest)

    def _fetch(self, query: str) -> bytes:
        s = self.settings
        headers = {"User-Agent": user_agent(s.contact),
                   "Accept": "application/sparql-results+json"}  # fmt: skip
        last_status = None
        for attempt in range(1, s.tries + 1):
            try:
                answer = httpx.post(s.endpoint, data={"query": query}, headers=headers,
                                    timeout=s.timeout)  # fmt: skip
            except httpx.TimeoutException:
                if attempt == s.tries:
                    raise SyncError(TIMEOUT, seconds=f"{s.timeout:g}", tries=s.tries) from None
                self.sleep(s.backoff * 2 ** (attempt - 1))
                continue
            except httpx.TransportError as error:
                reason = str(error) or type(error).__name__
                raise SyncError(OFFLINE, endpoint=s.endpoint, reason=reason) from None
            if answer.status_code == 429 or answer.status_code >= 500:
                last_status = answer.status_code
                if attempt < s.tries:
                    self.sleep(_wait(answer.headers.get("retry-after"), s.backoff, attempt))
                continue
            if answer.status_code != 200:
                raise SyncError(REFUSED, status=answer.status_code)
            return answer.content
        raise SyncError(BUSY, status=last_status, tries=s.tries)


def _wait(retry_after: str | None, backoff: float, attempt: int) -> float:
    """Seconds to wait: what Retry-After says (seconds or an HTTP date), else a growing backoff;
    never more than ten minutes, whatever a server says."""
    fallback = backoff * 2 ** (attempt - 1)
    if not retry_after:
        return min(fallback, 600)
    try:
        seconds = float(retry_after)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(retry_after) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = fallback
    return min(max(seconds, 0.0), 600)


def parse_results(body: bytes, *, batch: int) -> list[dict]:
    """The bindings of a SPARQL JSON results document as {var: value} dicts (plain strings)."""
    try:
        document = json.loads(body)
        bindings = document["results"]["bindings"]
        if not isinstance(bindings, list):
            raise TypeError("results.bindings is not a list")
        return [
            {name: term["value"] for name, term in row.items()}
            for row in bindings
        ]  # fmt: skip
    except json.JSONDecodeError as error:
        raise SyncError(MALFORMED, batch=batch, reason=f"not JSON ({error.msg})") from None
    except (KeyError, TypeError, AttributeError) as error:
        raise SyncError(MALFORMED, batch=batch, reason=f"missing or wrong part: {error}") from None


# ---- from bindings to statements ----------------------------------------------------------


@dataclass
class Partner:
    """What Wikidata says about a partner place."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)  # zh-cn, zh-hans, zh, en
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    instances: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)
    country: str | None = None
    gb_codes: set[str] = field(default_factory=set)  # GB/T 2260, 6 digits
    geonames: set[int] = field(default_factory=set)


@dataclass
class Twinning:
    """One P190 statement: item → partner, with its start and end as partial dates."""

    statement: str
    item: str
    partner: str
    start: str | None = None
    start_note: str | None = None  # why a start was not usable (too coarse, before year 1)
    end: str | None = None


def qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def statement_id(uri: str) -> str:
    """wds:Q956-1A2B… → Q956$1A2B… (the id Wikidata shows; the URI has '-' for '$')."""
    local = uri.removeprefix(STATEMENT)
    head, _, tail = local.partition("-")
    return f"{head}${tail}" if tail else local


def partial_date(value: str | None, precision: str | None) -> tuple[str | None, str | None]:
    """A Wikidata time as a partial date of its own precision ("1973", "1973-06", "1973-06-24"),
    never finer than it is known; (None, why) when it cannot be one."""
    if not value:
        return None, None
    try:
        level = int(precision) if precision is not None else DAY
    except ValueError:
        return None, f"precision {precision!r}"
    if level < YEAR:
        return None, f"precision {level}"
    text = value.lstrip("+")
    if text.startswith("-"):
        return None, "BCE"
    date_part = text.split("T", 1)[0]
    try:
        year, month, day = (int(p) for p in date_part.split("-"))
    except ValueError:
        return None, f"not a date: {value!r}"
    if not 1 <= year <= 9999:
        return None, f"year out of range: {year}"
    today = date.today()
    if (year, month if level >= MONTH else 0, day if level >= DAY else 0) > (
        today.year, today.month, today.day
    ):
        return None, "in the future"
    parts = [f"{year:04d}"]
    if level >= MONTH and 1 <= month <= 12:
        parts.append(f"{month:02d}")
        if level >= DAY and 1 <= day <= 31:
            parts.append(f"{day:02d}")
    return "-".join(parts), None


def _point(wkt: str) -> tuple[float, float] | None:
    """Point(lon lat) → (lat, lon); None for another globe's or an unreadable point."""
    text = wkt.strip()
    if text.startswith("<"):  # a globe other than Earth is written before the point
        return None
    try:
        lon, lat = (float(n) for n in text.removeprefix("Point(").rstrip(")").split())
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


def statements(rows: list[dict]) -> tuple[list[Twinning], dict[str, Partner]]:
    """Group the rows (one per combination of optional values) into statements and partners."""
    twinnings: dict[str, Twinning] = {}
    partners: dict[str, Partner] = {}
    for row in rows:
        if not {"item", "statement", "partner"} <= row.keys():
            continue
        sid = statement_id(row["statement"])
        partner_id = qid(row["partner"])
        if sid not in twinnings:
            start, note = partial_date(row.get("start"), row.get("startPrecision"))
            end, _ = partial_date(row.get("end"), row.get("endPrecision"))
            twinnings[sid] = Twinning(sid, qid(row["item"]), partner_id, start, note, end)
        item = partners.setdefault(qid(row["item"]), Partner(qid(row["item"])))
        _codes(item, row.get("itemGb"), row.get("itemGn"))
        p = partners.setdefault(partner_id, Partner(partner_id))
        _codes(p, row.get("partnerGb"), row.get("partnerGn"))
        for lang, var in (("zh-cn", "zhcn"), ("zh-hans", "zhhans"), ("zh", "zh"), ("en", "en")):
            if row.get(var):
                p.labels.setdefault(lang, row[var])
        if row.get("population"):
            # Several values (censuses): the largest, a deterministic choice.
            with contextlib.suppress(ValueError):
                p.population = max(p.population or 0, int(float(row["population"])))
        if row.get("coord") and p.lat is None and (point := _point(row["coord"])):
            p.lat, p.lon = point
        if row.get("instance"):
            p.instances.add(qid(row["instance"]))
        if row.get("parent"):
            p.parents.add(qid(row["parent"]))
        if row.get("country") and p.country is None:
            p.country = row["country"].upper()
    return list(twinnings.values()), partners


def _codes(place: Partner, gb: str | None, geonames: str | None) -> None:
    """A GB/T 2260 code in its 6-digit form (Wikidata also has 9- and 12-digit statistical
    codes: "320100000000" is 320100) and a GeoNames id, when they are well formed."""
    if gb and gb.isdigit() and len(gb) in (6, 9, 12) and set(gb[6:]) <= {"0"}:
        place.gb_codes.add(gb[:6])
    if geonames and geonames.isdigit():
        place.geonames.add(int(geonames))
