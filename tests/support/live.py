"""A real Amity server and a real Chromium, for the tests that use the app as people do.

`serve` runs the app in a process of its own on a free port and yields its address once it
answers. The `browser` and `page` fixtures (tests/conftest.py) are built from `chromium` and
`watched_page`; a test module gives them the server by defining a `server` fixture.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

CHROMIUM = Path("/usr/bin/chromium")  # Debian's: no browser download for the tests
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SHOTS = Path(os.environ.get("AMITY_SCREENSHOTS", "/tmp/amity-screenshots"))
AMITY = Path(sys.executable).with_name("amity")


def free_port() -> int:
    """A port nothing listens on at the moment (for a server to take, or to find closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(database: str | Engine) -> str:
    if isinstance(database, Engine):
        return database.url.render_as_string(hide_password=False)  # PostgreSQL needs it
    return database


@contextmanager
def serve(
    database: str | Engine,
    *,
    ready: str = "/login",
    env: Mapping[str, str | None] | None = None,
    cli: bool = False,
    timeout: float = 120.0,
) -> Iterator[str]:
    """The app on `database` in its own process; yields its base URL once `ready` answers 200.

    `env` adds to the server's environment (None takes a variable out). `cli` runs `amity serve`
    as an operator does (indexes built at start, forwarded headers believed only from
    AMITY_TRUSTED_PROXIES) instead of uvicorn on the app factory.
    """
    port = free_port()
    environment = {**os.environ, "AMITY_DATABASE_URL": database_url(database)}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    if cli:
        command = [str(AMITY), "serve", "--host", "127.0.0.1", "--port", str(port)]
        output = subprocess.DEVNULL  # its access log
    else:
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "amity.http.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
        output = None
    process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base + ready, timeout)
        yield base
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a server: asked first, killed if it has not stopped within 30 s."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(
    process: subprocess.Popen, url: str, timeout: float, *, log: Path | None = None
) -> None:
    """Return once `url` answers 200; fail if the server stops first (citing its `log`, when it
    writes one) or does not answer within `timeout`."""
    # A busy machine may take a minute to import the app (and `amity serve` to warm up).
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = f":\n{log.read_text()}" if log else ""
            pytest.fail(f"the server stopped before it answered (exit code {process.returncode})"
                        + said)
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not answer {url} within {timeout:.0f} s")


@contextmanager
def chromium() -> Iterator:
    """Headless Chromium through Playwright; the test is skipped where there is none."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser, base: str, *, locale: str | None = None) -> Iterator:
    """A page in a fresh 1280×900 context. `page.errors` collects script errors, console errors
    and every request that leaves the server (the pages load nothing from elsewhere);
    `page.base` is the server's address."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: r.url.startswith(base) or page.errors.append(r.url))
    page.base = base
    try:
        yield page
    finally:
        context.close()


def sign_in_page(tab, base: str, username: str, *, lang: str = "zh") -> None:
    """Sign in through the login form, as a person does (the accounts of tests/auth/world.py
    share its PASSWORD); returns on /account."""
    from tests.auth.world import PASSWORD

    tab.goto(f"{base}/login?lang={lang}")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("form[action='/login'] button[type=submit]")
    tab.wait_for_url(f"{base}/account")


def choose_place(page, field: str, typed: str, shown: str) -> None:
    """Type a name into a form's place field (templates/place_input.html) as a person does, and
    choose the suggestion that shows `shown` (e.g. "台州市 浙江省")."""
    box = page.locator(f".place-search[data-field='{field}']")
    box.locator(".place-search-input").fill("")
    box.locator(".place-search-input").press_sequentially(typed, delay=30)
    box.locator(".place-suggestion", has_text=shown).first.click()
    page.wait_for_function(
        "f => document.querySelector(`.place-search[data-field='${f}'] .place-search-id`).value",
        arg=field,
    )
