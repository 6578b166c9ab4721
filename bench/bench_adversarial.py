"""The adversarial pass: try to get round Amity's defences over HTTP; count attempts and successes.

Run: .venv/bin/python -m bench.bench_adversarial [--quick] [--skip-browser] [--database URL]
     (a fresh `amity init --demo` SQLite file when no --database is given; writes go to a copy)

Each category is tried against `amity serve`, and an attempt counts as a success when the
defence the project asks for did not hold (the goal is 0 in every row):
- credentials: a token and a session of a deleted user, and of a disabled user, on endpoints and
  pages that need them: anything but 401/403 (or a redirect to sign in) is a success;
- forwarded-signin: sign-ins with a new forged X-Forwarded-For each time, from one real address:
  a wrong password past the per-address limit that is still evaluated (not 429); the owner
  locked out of their account from their own address by a stranger's failures; a bystander
  locked out because a stranger forged the bystander's address;
- forwarded-submission: public submissions past the burst limit, each with a new forged header,
  accepted instead of 429;
- vote-stuffing: votes on one item from one address, each from a new browser (new cookies),
  accepted beyond the allowance per address (VOTES_PER_ADDRESS: a few a day, so that people
  behind one shared address — an office, a school — can each vote once);
- integers: every integer parameter of every GET operation (and the pages that take one) given a
  value past 64 bits: anything but 422 (the API) or 400/404/422 (the pages) is a success;
- chart-names: hostile place names imported, every chart tooltip shown in Chromium: each element
  injected (or script run) is a success.
Distinct client addresses come from binding the client to 127.0.0.2, 127.0.0.3, ... (loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from amity.participation.service import VOTES_PER_ADDRESS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import AMITY, serving  # noqa: E402

PASSWORD = "adversary-pass-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN_IN_LIMIT = 20  # wrong passwords per address in 15 minutes (amity.auth.service)
SUBMISSION_BURST = 5  # public submissions per address in 10 minutes (amity.participation)


def _client(base: str, address: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, transport=transport, timeout=120, follow_redirects=False)


def _csrf(client: httpx.Client, path: str = "/login") -> str:
    found = _CSRF.search(client.get(path).text)
    return found.group(1) if found else ""


def _sign_in(client: httpx.Client, username: str, password: str = PASSWORD,
             forwarded: str | None = None) -> int:  # fmt: skip
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = _csrf(client)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token}, headers=headers)  # fmt: skip
    return answer.status_code


def _amity(url: str, *args: str) -> str:
    env = {**os.environ, "AMITY_DATABASE_URL": url}
    return subprocess.run([AMITY, *args], check=True, capture_output=True, text=True,
                          env=env).stdout  # fmt: skip


def _prepare(url: str) -> dict:
    """Accounts, tokens and a published submission in the database, before the server starts."""
    from amity.auth import service as auth
    from amity.auth.permissions import LOCAL_ADMIN, PUBLIC_ACTOR
    from amity.core.db import make_engine, session_scope
    from amity.participation import service as participation
    from amity.partnerships.models import Partnership

    engine = make_engine(url)
    with session_scope(engine) as session:
        for name in ("orphan", "disabled", "owner", "bystander", "sprayed"):
            auth.create_user(session, username=name, password=PASSWORD, role="national_admin")
        tokens = {name: auth.create_token(session, f"adv-{name}", username=name)
                  for name in ("orphan", "disabled", "bystander")}  # fmt: skip
        pair = session.query(Partnership.id).order_by(Partnership.id).first()[0]
        item = participation.submit(session, topic="partnership", topic_id=pair, kind="idea",
                                    body="A shared festival", address="192.0.2.9",
                                    actor=PUBLIC_ACTOR)  # fmt: skip
        participation.moderate(session, item["id"], decision="publish", reason=None,
                               actor=LOCAL_ADMIN)  # fmt: skip
    engine.dispose()
    return {"tokens": tokens, "pair": pair, "submission": item["id"]}


def _remove_and_disable(path: Path) -> None:
    """The orphan's row goes (as a restore or a script might leave it); the other is disabled."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("DELETE FROM users WHERE username = 'orphan'")
    db.execute("UPDATE users SET disabled_at = CURRENT_TIMESTAMP WHERE username = 'disabled'")
    db.commit()
    db.close()


def _refused(answer: httpx.Response) -> bool:
    location = answer.headers.get("location", "")
    return answer.status_code in (401, 403) or (answer.is_redirect and "/login" in location)


def credentials(base: str, path: Path, ready: dict) -> dict:
    pair = ready["pair"]
    api = [("GET", "/api/v1/participation/queue", None),
           ("PATCH", f"/api/v1/partnerships/{pair}", {"note": "changed"}),
           ("POST", f"/api/v1/partnerships/{pair}/review", {}),
           ("POST", "/api/v1/partnerships", {"place_a_id": 1, "place_b_id": 2})]  # fmt: skip
    pages = ["/admin/users", "/admin/audit", "/voice/moderation", "/proposals/new"]
    sessions = {}
    for name in ("orphan", "disabled"):
        client = _client(base)
        _sign_in(client, name)
        sessions[name] = client
    control = sum(not _refused(sessions["orphan"].get(p)) for p in pages)
    _remove_and_disable(path)
    attempts = successes = 0
    examples = []
    for name in ("orphan", "disabled"):
        headers = {"Authorization": f"Bearer {ready['tokens'][name]}"}
        with _client(base) as client:
            for method, url, body in api:
                answer = client.request(method, url, json=body, headers=headers)
                attempts += 1
                if not _refused(answer):
                    successes += 1
                    examples.append(f"{name} token {method} {url}: {answer.status_code}")
        for url in pages:
            answer = sessions[name].get(url)
            attempts += 1
            if not _refused(answer):
                successes += 1
                examples.append(f"{name} session GET {url}: {answer.status_code}")
        sessions[name].close()
    return {"attempts": attempts, "successes": successes, "examples": examples[:4],
            "note": f"control: {control}/{len(pages)} pages open to the session before"}


def forwarded_signin(base: str, quick: bool) -> dict:
    attempts = successes = 0
    examples = []
    # 1. Password spraying from one address, a new forged header each time.
    with _client(base, "127.0.0.2") as attacker:
        extra = 3 if quick else 10
        for i in range(SIGN_IN_LIMIT + extra):
            status = _sign_in(attacker, f"sprayed-{i}" if i else "sprayed", "wrong-password",
                              forwarded=f"203.0.113.{i % 250}, 198.51.100.{i % 250}")
            if i >= SIGN_IN_LIMIT:
                attempts += 1
                if status != 429:
                    successes += 1
                    examples.append(f"spray attempt {i + 1} answered {status}")
        # 2. Lock the owner out: wrong passwords from the stranger, forged headers.
        for i in range(6):
            _sign_in(attacker, "owner", "wrong-password", forwarded=f"198.51.100.{i}")
    with _client(base, "127.0.0.3") as owner:
        attempts += 1
        status = _sign_in(owner, "owner")
        if status != 303:
            successes += 1
            examples.append(f"owner locked out from their own address: {status}")
    # 3. Move the throttle onto someone else: forge the bystander's address.
    with _client(base, "127.0.0.4") as attacker:
        for i in range(SIGN_IN_LIMIT + 1):
            _sign_in(attacker, f"nobody-{i}", "wrong-password", forwarded="127.0.0.5")
    with _client(base, "127.0.0.5") as bystander:
        attempts += 1
        status = _sign_in(bystander, "bystander")
        if status != 303:
            successes += 1
            examples.append(f"bystander at the forged address locked out: {status}")
    return {"attempts": attempts, "successes": successes, "examples": examples[:4]}


def forwarded_submission(base: str, ready: dict, quick: bool) -> dict:
    attempts = successes = 0
    examples = []
    url = f"/voice/partnership/{ready['pair']}"
    with _client(base, "127.0.0.6") as client:
        for i in range(SUBMISSION_BURST + (3 if quick else 10)):
            token = _csrf(client, url)
            answer = client.post(url, data={"kind": "idea", "body": f"Idea number {i} for us",
                                            "csrf_token": token},
                                 headers={"X-Forwarded-For": f"203.0.113.{i}"})  # fmt: skip
            if i >= SUBMISSION_BURST:
                attempts += 1
                if answer.status_code != 429:
                    successes += 1
                    examples.append(f"submission {i + 1} answered {answer.status_code}")
    return {"attempts": attempts, "successes": successes, "examples": examples[:4]}


def vote_stuffing(base: str, ready: dict, quick: bool) -> dict:
    votes = 5 if quick else 20
    accepted = 0
    for i in range(votes):
        with _client(base, "127.0.0.7") as browser:  # a new browser: no cookies
            token = _csrf(browser, f"/voice/partnership/{ready['pair']}")
            answer = browser.post(f"/voice/vote/{ready['submission']}",
                                  data={"csrf_token": token},
                                  headers={"X-Forwarded-For": f"203.0.113.{i}"})  # fmt: skip
            accepted += "voted=1" in answer.headers.get("location", "")
    allowance = VOTES_PER_ADDRESS[1]
    return {"attempts": votes - allowance, "successes": max(0, accepted - allowance),
            "examples": [f"{accepted} of {votes} votes accepted from one address "
                         f"(allowance {allowance} a day)"]}


PAGE_INTEGERS = ["/partnerships?page={n}", "/exchanges?page={n}", "/cases?page={n}",
                 "/index?page={n}", "/partnerships/{n}", "/places/{n}", "/cases/{n}",
                 "/events/{n}", "/reports/{n}/2024", "/reports/1/{n}", "/index/places/{n}",
                 "/index/compare?a={n}&b=1", "/board/{n}", "/proposals/{n}",
                 "/voice/partnership/{n}", "/recommend?place={n}", "/attention?office={n}",
                 "/partnerships/{n}/activity", "/awards/{n}"]  # fmt: skip


def integers(base: str, ready: dict) -> dict:
    huge = 2**63
    attempts = successes = 0
    examples = []
    # A live administrator's token, so that routes that need one read their input too.
    with _client(base) as client:
        client.headers["Authorization"] = f"Bearer {ready['tokens']['bystander']}"
        spec = client.get("/openapi.json").json()
        for path, operations in spec["paths"].items():
            operation = operations.get("get")
            if operation is None:
                continue
            params = operation.get("parameters", [])
            for param in params:
                schema = param["schema"]
                kinds = [schema.get("type"), schema.get("items", {}).get("type"),
                         *(s.get("type") for s in schema.get("anyOf", []))]  # fmt: skip
                if "integer" not in kinds:
                    continue
                url = path
                query = {}
                for other in params:
                    value = huge if other is param else 1
                    if other["in"] == "path":
                        url = url.replace("{" + other["name"] + "}", str(value if other is param
                                          else _sample(other["schema"])))  # fmt: skip
                    elif other is param or other.get("required"):
                        query[other["name"]] = str(value)
                answer = client.get(url, params=query)
                attempts += 1
                if answer.status_code != 422:
                    successes += 1
                    examples.append(f"GET {url} {param['name']}: {answer.status_code}")
        del client.headers["Authorization"]
        for page in PAGE_INTEGERS:
            answer = client.get(page.format(n=huge))
            attempts += 1
            if answer.status_code not in (400, 404, 422):
                successes += 1
                examples.append(f"GET {page.format(n='2**63')}: {answer.status_code}")
    return {"attempts": attempts, "successes": successes, "examples": examples[:4]}


def _sample(schema: dict):
    if "enum" in schema:
        return schema["enum"][0]
    return 1 if schema.get("type") == "integer" else "partnership"


def chart_names(url: str, quick: bool) -> dict:
    """Hostile names through the importer, then every chart tooltip in Chromium."""
    from playwright.sync_api import sync_playwright
    from tests.security.test_browser_chart_names import CHARTS_SETTLED, HOSTILE, IMPORTED, SHOW_TIPS

    from amity.core.db import make_engine, session_scope
    from amity.partnerships.importer import import_partnerships

    engine = make_engine(url)
    rows = "".join(f'"{n.replace(chr(34), chr(34) * 2)}",France,45.{i},4.{i},南京,China,199{i}\n'
                   for i, n in enumerate(IMPORTED))  # fmt: skip
    with session_scope(engine) as session:
        import_partnerships(session, ("city1,country1,lat1,lon1,city2,country2,date\n" + rows)
                            .encode(), filename="hostile.csv")  # fmt: skip
        nanjing = session.execute(_sql("SELECT id FROM places WHERE name_zh = '南京市'")).scalar()
        hostile = session.execute(_sql("SELECT id FROM places WHERE name = :n"),
                                  {"n": IMPORTED[0]}).scalar()  # fmt: skip
    engine.dispose()
    pages = ["/", f"/places/{nanjing}", f"/places/{hostile}", "/dashboard", "/network",
             f"/reports/{nanjing}/1991", "/index", f"/index/places/{nanjing}"]  # fmt: skip
    langs = ["en"] if quick else ["en", "zh"]
    attempts = successes = 0
    examples = []
    with serving(url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])  # fmt: skip
        tab = browser.new_page()
        refused = []
        tab.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
        for lang in langs:
            for page in pages:
                tab.goto(f"{base}{page}?lang={lang}")
                deadline = time.monotonic() + 90
                while not tab.evaluate(CHARTS_SETTLED) and time.monotonic() < deadline:
                    tab.wait_for_timeout(200)
                tab.wait_for_timeout(500)
                report = tab.evaluate(SHOW_TIPS, HOSTILE)
                attempts += report["tips"]
                bad = report["injected"] + (report["pwned"] is not None)
                successes += bad
                if bad:
                    examples.append(f"{page} ({lang}): {report['injected']} elements injected")
        browser.close()
    if refused:
        examples.append(f"{len(refused)} CSP refusals in the console")
    return {"attempts": attempts, "successes": successes, "examples": examples[:4]}


def _sql(statement: str):
    from sqlalchemy import text

    return text(statement)


def run(database: str | None = None, *, quick: bool = False, browser: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "adversarial.db"
        if database:
            shutil.copyfile(database.removeprefix("sqlite:///"), path)
        else:
            _amity(f"sqlite:///{path}", "init", "--demo")
        url = f"sqlite:///{path}"
        ready = _prepare(url)
        results: dict[str, dict] = {}
        with serving(url) as base:
            results["credentials"] = credentials(base, path, ready)
            results["forwarded-signin"] = forwarded_signin(base, quick)
            results["forwarded-submission"] = forwarded_submission(base, ready, quick)
            results["vote-stuffing"] = vote_stuffing(base, ready, quick)
            results["integers"] = integers(base, ready)
        if browser:
            # A fresh copy of the names: the server above wrote sessions and votes, not places.
            results["chart-names"] = chart_names(url, quick)
    return results


def _categories() -> list[str]:
    """The module docstring's list of categories (one source for the code and the report)."""
    text = __doc__.split("(the goal is 0 in every row):\n", 1)[1].split("\nDistinct", 1)[0]
    return [line if line.startswith("- ") else "  " + line.strip() for line in text.splitlines()]


def section(results: dict) -> list[str]:
    rows = [f"| {name} | {r['attempts']} | {r['successes']} | {'; '.join(r['examples']) or '—'} |"
            for name, r in results.items()]  # fmt: skip
    return [
        "## Adversarial pass",
        "",
        "Command: `.venv/bin/python -m bench.bench_adversarial` (`--quick` for small counts). "
        "A success is an attempt the defence let through; the goal is 0 in every row. "
        "It starts `amity serve` and tries, per category:",
        "",
        *_categories(),
        "",
        "| category | attempts | successes | examples |",
        "| --- | ---: | ---: | --- |",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="A SQLite URL to copy (default: a new demo database).")
    parser.add_argument("--quick", action="store_true", help="Small counts, English pages only.")
    parser.add_argument("--skip-browser", action="store_true", help="No Chromium (chart names).")
    parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = parser.parse_args()
    started = time.perf_counter()
    results = run(args.database, quick=args.quick, browser=not args.skip_browser)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print("\n".join(section(results)))
    total = sum(r["successes"] for r in results.values())
    print(f"\n{total} successes in {sum(r['attempts'] for r in results.values())} attempts "
          f"({time.perf_counter() - started:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
