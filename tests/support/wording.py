"""Every page and every form error of the app, rendered in-process, as the words a reader sees.

Shared by the two checks of the pages' language (tests/system/test_page_language.py): the routes
are read from the app itself (every GET route answering HTML, every form's POST route), their
path parameters filled from a small seeded world (tests/auth/world.py plus one record of each
kind), visited anonymously and by the roles that see the governance pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from sqlalchemy import String, select
from sqlalchemy.engine import Engine
from tests.auth.web import csrf
from tests.auth.world import PASSWORD, build_world

import amity
from amity.auth.models import User
from amity.auth.permissions import LOCAL_ADMIN, PUBLIC_ACTOR
from amity.cases.schemas import CaseCreate
from amity.cases.service import create_case
from amity.core import i18n, warm
from amity.core.db import Base, session_scope
from amity.events import awards
from amity.events.models import AwardType
from amity.events.schemas import EditionCreate, EventCreate, NominationCreate
from amity.events.service import create_event
from amity.exchanges.service import record_exchange
from amity.matching.board import post_note
from amity.matching.schemas import NoteWrite
from amity.participation import service as participation
from amity.partnerships.models import Partnership
from amity.places.models import Country, Place, PlaceName
from amity.places.names import name_key
from amity.proposals import service as proposals
from amity.proposals.schemas import ProposalDraft

SOURCE = Path(amity.__file__).resolve().parent
# Anonymous, the national administrator (sees every governance page), a provincial and a city
# officer (their own views of proposals, health, the board).
VISITORS = (None, "admin", "js", "nj")
# Free text the seed writes: what people typed is shown as they typed it (data, not wording).
TYPED = ("港口合作", "友城论坛", "友城奖", "更多互访", "再来一次", "港" * 5000,
         "互访")  # the last: the summary's most frequent term, cut from "更多互访"
# The English twins of those records and the sources typed with them: data too.
TYPED_EN = ("Ports", "Forum", "Prize", "test", "s", "nobody")


def seed(engine: Engine) -> dict[str, object]:
    """The world plus one record of each kind; values for the routes' path parameters."""
    world = build_world(engine)
    ids: dict[str, object] = dict(world["places"])
    with session_scope(engine) as session:
        # A place with no Chinese name: the pages show its stored name, marked, in Chinese words.
        session.add(Country(iso2="KR", iso3="KOR", name_en="South Korea", name_zh="韩国",
                            continent="Asia"))  # fmt: skip
        gyeonggi = Place(kind="province", name="Gyeonggi Province", country_code="KR",
                         source="test", lat=37.3, lon=127.2)  # fmt: skip
        gyeonggi.names = [PlaceName(name="Gyeonggi Province", key=name_key("Gyeonggi Province"),
                                    lang="en")]  # fmt: skip
        session.add(gyeonggi)
        session.flush()
        ids["gyeonggi"] = gyeonggi.id
        low, high = sorted((ids["jiangsu"], gyeonggi.id))
        pair = Partnership(place_a_id=low, place_b_id=high, kind="friendship_city",
                           level="province_state", status="active", established="2005",
                           established_year=2005, source="wikidata")  # fmt: skip
        session.add(pair)
        session.flush()
        ids["pair"] = world["pairs"][0]
        ids["exchange"] = record_exchange(
            session, partnership_id=ids["pair"], mode="forum", start="2019",
            fields=["culture"], direction="joint", source="test",
        )["id"]  # fmt: skip
        ids["case"] = create_case(
            session, CaseCreate(title_en=TYPED_EN[0], title_zh=TYPED[0], source="s",
                                place_ids=[ids["nanjing"], ids["gyeonggi"]])  # fmt: skip
        ).id
        ids["event"] = create_event(
            session, EventCreate(name_en=TYPED_EN[1], name_zh=TYPED[1], source="s",
                                 place_id=ids["nanjing"])  # fmt: skip
        ).id
        session.add(AwardType(code="prize", name_zh=TYPED[2], name_en=TYPED_EN[2], source="s"))
        session.flush()
        awards.create_edition(session, EditionCreate(year=2030, source="s"))
        awards.nominate(session, 2030, NominationCreate(award="prize", place_id=ids["nanjing"]))
        ids["note"] = post_note(session, NoteWrite(place_id=ids["nanjing"]))["id"]
        draft = ProposalDraft(place_id=ids["nanjing"], partner_id=ids["lyon"], rationale=TYPED[3])
        ids["proposal"] = proposals.create_proposal(session, draft, actor=LOCAL_ADMIN)["id"]
        # A draft for a pair already in the registry: its submission is stopped by a check.
        twice = ProposalDraft(place_id=ids["nanjing"], partner_id=ids["paris"], rationale=TYPED[4])
        ids["duplicate"] = proposals.create_proposal(session, twice, actor=LOCAL_ADMIN)["id"]
        other = ProposalDraft(place_id=ids["nanjing"], partner_id=ids["nairobi"],
                              rationale=TYPED[3])  # fmt: skip
        submitted = proposals.create_proposal(session, other, actor=LOCAL_ADMIN)
        proposals.submit_proposal(session, submitted["id"], version=1, actor=LOCAL_ADMIN)
        ids["submitted"] = submitted["id"]
        ids["submission"] = participation.submit(
            session, topic="partnership", topic_id=ids["pair"], kind="idea", body=TYPED[3],
            address="192.0.2.1", actor=PUBLIC_ACTOR,
        )["id"]  # fmt: skip
    warm.settle()
    return ids


# Each path parameter of a page, by name: the seeded record it shows.
PARAMETERS = {
    "place_id": "nanjing",
    "partnership_id": "pair",
    "case_id": "case",
    "event_id": "event",
    "exchange_id": "exchange",
    "note_id": "note",
    "proposal_id": "submitted",
    "submission_id": "submission",
    "year": 2030,
    "topic": "partnership",
    "topic_id": "pair",
    "username": "nj",
}
# Pages whose parameter means something else than the record of that name.
PAGE_PARAMETERS = {
    "/cases/{owner_id:int}/attachments": {"owner_id": "case"},
    "/events/{owner_id:int}/attachments": {"owner_id": "event"},
    "/exchanges/{owner_id:int}/attachments": {"owner_id": "exchange"},
    "/reports/{place_id:int}/{year:int}": {"year": 2024},
    "/proposals/{proposal_id}/checks": {"proposal_id": "proposal"},
}
# Each form (POST route) with input it must refuse; the answer is the page with its errors.
FORMS = {
    "/login": {"username": TYPED_EN[5], "password": "wrong"},
    "/partnerships/new": {"place_a": "", "place_b": "无此地", "established": "85年"},
    "/partnerships/{partnership_id}": {"established": "去年", "note": ""},
    "/exchanges/new": {"partnership_id": "", "mode": "", "start": "明年"},
    "/health/{partnership_id}": {"action": ""},
    "/board": {"place_id": "", "offers": "", "seeks": ""},
    "/places/{place_id}/profile": {"industries": TYPED[5], "note": ""},
    "/proposals/new": {"place_id": "", "partner_id": "无此地", "planned_signing": "明年"},
    "/proposals/{proposal_id}/{step}": {"decision": "", "reason": ""},
    "/voice/{topic}/{topic_id}": {"kind": "", "body": ""},
    "/admin/users": {"username": "", "password": "short", "role": ""},
    "/admin/sync/preview": {"country": "ZZ", "places": "无效"},
    "/admin/sync/apply": {"country": "ZZ", "places": "无效"},
    # Sent without a file: the record's page says why, by the refusal's reason.
    "/cases/{owner_id:int}/attachments": {"note": ""},
    "/events/{owner_id:int}/attachments": {"note": ""},
    "/exchanges/{owner_id:int}/attachments": {"note": ""},
}
# Form routes that answer no page of their own (a redirect, or nothing to refuse).
NO_FORM_PAGE = {
    "/logout": "signs out and redirects",
    "/attention/{partnership_id}": "a 308 redirect to /health/{partnership_id}",
    "/voice/vote/{submission_id}": "a redirect back to the voice page with ?voted=",
    "/voice/moderation/{submission_id}": "a redirect back to the moderation queue",
    "/admin/users/{username}/disable": "a redirect back to the list of users",
    "/cases/{owner_id:int}/attachments/{attachment_id:int}/delete": "a redirect to the case",
    "/events/{owner_id:int}/attachments/{attachment_id:int}/delete": "a redirect to the event",
    "/exchanges/{owner_id:int}/attachments/{attachment_id:int}/delete": "a redirect to the "
    "exchange",
}
# More answers of a form: the submission of a proposal for a pair already recorded (a check
# stops it), and a new draft for that pair.
MORE_POSTS = [
    ("/proposals/{proposal_id}/{step}", {"proposal_id": "duplicate", "step": "submit"},
     {"version": "1"}),
    ("/proposals/new", {}, {"place_id": "nanjing", "partner_id": "paris", "rationale": TYPED[4]}),
]  # fmt: skip


def _routes(app) -> Iterator:
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "effective_candidates"):  # an included router
            pending.extend(route.effective_candidates())
        else:
            yield route


def html_pages(app) -> list[str]:
    """The path of every GET route answering HTML, in order."""
    return sorted(
        route.path for route in _routes(app)
        if "GET" in (getattr(route, "methods", None) or ())
        and getattr(route, "response_class", None) is HTMLResponse
    )  # fmt: skip


def form_routes(app) -> list[str]:
    return sorted(
        route.path for route in _routes(app)
        if "POST" in (getattr(route, "methods", None) or ()) and not route.path.startswith("/api/")
    )  # fmt: skip


def fill(path: str, ids: dict, **extra) -> str:
    """The path with each {parameter} replaced by its seeded value."""
    wanted = {**PARAMETERS, **PAGE_PARAMETERS.get(path, {}), **extra}

    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        if name not in wanted:
            raise KeyError(f"{path}: no seeded value for {{{name}}}: add it to PARAMETERS")
        chosen = wanted[name]
        return str(ids.get(chosen, chosen) if isinstance(chosen, str) else chosen)

    return re.sub(r"\{([^}]+)\}", value, path)


def sign_in(client: TestClient, username: str) -> None:
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]


@dataclass(frozen=True)
class Segment:
    """A text node or a visible attribute; `code` when inside <code>, <pre>, <kbd>, <samp> (a
    command, a path, a record's stored value shown verbatim) or <cite> (the title of a work)."""

    text: str
    code: bool = False


@dataclass
class Rendered:
    """One page as rendered: who asked, what, and the words shown."""

    visitor: str
    what: str
    status: int
    segments: list[Segment]


def render_everything(app, ids: dict, lang: str = "zh") -> list[Rendered]:
    """Every page for every visitor, and every form's answer to bad input, in one language."""
    pages, forms = html_pages(app), form_routes(app)
    out = []
    for visitor in VISITORS:
        with TestClient(app) as client:
            if visitor:
                sign_in(client, visitor)
            who = visitor or "anonymous"
            for path in pages:
                url = fill(path, ids)
                answer = client.get(url, params={"lang": lang})
                out.append(Rendered(who, f"GET {url}", answer.status_code,
                                    visible_text(answer.text)))  # fmt: skip
            if visitor != "admin" and visitor is not None:
                continue  # the forms' errors: once anonymously (login, voice), once as admin
            token = csrf(client, "/login")
            posts = [(path, {"step": "decide"}, FORMS[path])
                     for path in forms if path not in NO_FORM_PAGE] + MORE_POSTS  # fmt: skip
            for path, extra, data in posts:
                url = fill(path, ids, **extra)
                sent = {k: ids.get(v, v) for k, v in data.items()}  # seeded names → ids
                answer = client.post(url, params={"lang": lang},
                                     data={**sent, "csrf_token": token})  # fmt: skip
                out.append(Rendered(who, f"POST {url} {sorted(data)}", answer.status_code,
                                    visible_text(answer.text)))  # fmt: skip
    return out


# Attributes a reader sees (or hears, from a screen reader) without opening the source.
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED = {"script", "style", "template", "noscript"}
VERBATIM = {"code", "pre", "kbd", "samp", "cite"}
SHOWN_INPUTS = {"submit", "button", "reset", "text", "search"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Text(HTMLParser):
    """The text nodes (whitespace collapsed) and visible attributes of a page, in order;
    <script>, <style> and <template> skipped, <title> kept (the tab's label)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self.skipping = 0
        self.verbatim = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED and tag not in VOID:
            self.skipping += 1
        if tag in VERBATIM:
            self.verbatim += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            self._add(attributes.get(name))
        # A button's words, and what a text field shows filled in (a default such as a source).
        if tag == "input" and attributes.get("type", "text") in SHOWN_INPUTS:
            self._add(attributes.get("value"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        if tag in VERBATIM and self.verbatim:
            self.verbatim -= 1

    def handle_data(self, data):
        if not self.skipping:
            self._add(data)

    def _add(self, text):
        text = " ".join((text or "").split())
        if text:
            self.segments.append(Segment(text, bool(self.verbatim)))


def visible_text(html: str) -> list[Segment]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.segments


# Files the app reads its bilingual data from (provinces, prefectures, the index frameworks),
# and the two modules that declare their words in both languages side by side, for the API to
# give both (the index's built-in indicators, the health reasons): left out of gettext by design.
DATA_FILES = (*(SOURCE / "data" / "facts").glob("*.csv"),
              *(SOURCE / "indices" / "frameworks").glob("*.yaml"),
              SOURCE / "indices" / "indicators.py", SOURCE / "exchanges" / "health.py")  # fmt: skip


def stored_text(engine: Engine) -> list[str]:
    """Every text value of the database and of the data files the app reads, and the names of
    languages and countries from the locale data (CLDR): shown as stored, not translated."""
    found: list[str] = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            if columns:
                for row in conn.execute(select(*columns)):
                    found.extend(v for v in row if isinstance(v, str))
    for path in DATA_FILES:
        found.append(path.read_text(encoding="utf-8"))
    chinese = i18n.babel_locale("zh")
    return found + list(chinese.languages.values()) + list(chinese.territories.values())


def stored_names(engine: Engine) -> set[str]:
    """Names stored in the data, shown as stored: places' and countries' names in any language,
    accounts' user names, and the free text the seed typed."""
    with session_scope(engine) as session:
        names = {
            *session.scalars(select(Place.name)), *session.scalars(select(Place.name_zh)),
            *session.scalars(select(PlaceName.name)), *session.scalars(select(Country.name_en)),
            *session.scalars(select(Country.name_zh)), *session.scalars(select(User.username)),
        }  # fmt: skip
    typed = {v for form in (*FORMS.values(), *(data for _, _, data in MORE_POSTS))
             for v in form.values()}  # what the forms were sent comes back in their fields
    return ({n for n in names if n} | {LOCAL_ADMIN.name, PUBLIC_ACTOR.name} | set(TYPED + TYPED_EN)
            | {v for v in typed if len(v) > 1})  # fmt: skip
