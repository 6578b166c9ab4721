"""Templates per language, and the response every page returns."""

from __future__ import annotations

import json
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from amity.core import i18n
from amity.core.domains import DOMAINS
from amity.core.settings import get_settings
from amity.http.static import static_url

PACKAGE = Path(__file__).resolve().parent.parent
# The shared templates (base, macros), then each domain's own: `<domain>/templates/<domain>/x.html`
# is found as "<domain>/x.html".
TEMPLATES = [PACKAGE / "web" / "templates"] + [
    PACKAGE / domain / "templates"
    for domain in DOMAINS
    if (PACKAGE / domain / "templates").is_dir()
]
# Functions a domain offers every template (auth's `csrf_field`), added with @template_global.
GLOBALS: dict = {}
ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=4 * len(i18n.LOCALES))
def environment(locale: str, home: str) -> Environment:
    """One Jinja2 environment per language, so requests never share installed translations, and
    per home country (AMITY_HOME_COUNTRY, which names HK/MO/TW), asked once per page rather than
    at each of the hundreds of country names a page may show."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)
    env.globals.update(
        locale=locale,
        locales=i18n.LOCALES,
        country_name=partial(i18n.country_name, locale=locale, home=home),
        # A place's name: Chinese on the zh pages, else the local name marked (no-Chinese-name);
        # place_text is the same as plain text, for titles, attributes and <option>s.
        place_name=partial(i18n.place_html, locale=locale),
        place_text=partial(i18n.place_name, locale=locale),
        no_chinese_name=i18n.no_chinese_name(locale),
        address_fields=address_fields,
        page_window=page_window,
        static=static_url,  # fingerprinted /static URLs (amity.http.static)
        **GLOBALS,
    )
    env.filters["number"] = partial(_number, locale=locale)
    env.filters["day"] = partial(_day, locale=locale)
    # A language's code (a place's other names: "en", "ja") as its name in the page's language.
    env.filters["language"] = partial(_language, locale=locale)
    env.filters["tojson_attr"] = _json_attr
    return env


def template_global(function):
    """Offer a function to every template under its own name. auth registers `csrf_field`
    (every form includes {{ csrf_field(request) }}; its POST route depends on require_csrf);
    this layer cannot import a domain, so the domain hands it over."""
    GLOBALS[function.__name__] = function
    environment.cache_clear()
    return function


def address_fields(url: str, leave_out: tuple[str, ...] = ("page",)) -> tuple[str, list]:
    """A list's address as a GET form needs it: the path, and its parameters (but `leave_out`)
    as (name, value) pairs for hidden fields (pagination.html's "go to page")."""
    path, _, query = url.partition("?")
    return path, [(k, v) for k, v in parse_qsl(query) if k not in leave_out]


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination bar shows: the first, the last and `around` either side of
    the current one; None where pages are skipped (shown as an ellipsis)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:  # type: ignore[operator]
            # One skipped page is shown itself: "1 … 3" would hide a single number.
            window.append(n - 1 if n - window[-1] == 2 else None)  # type: ignore[operator]
        window.append(n)
    return window


def _number(value, locale: str) -> str:
    return i18n.format_number(value, locale)


def _day(value, locale: str) -> str:
    return i18n.format_day(value, locale)


def _language(code, locale: str) -> str:
    return i18n.babel_locale(locale).languages.get(code or "", code or "—")


def _json_attr(value) -> str:
    """JSON for a data-* attribute (autoescaping makes it safe inside the quotes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def language_links(request: Request) -> dict[str, str]:
    """The current page's address in each language (the switch in the header)."""
    links = {}
    for locale in i18n.LOCALES:
        url = request.url.include_query_params(lang=locale)
        links[locale] = f"{url.path}?{url.query}"
    return links


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """Render a page in the request's language; remember an explicit ?lang= in a cookie."""
    locale = i18n.choose_locale(request)
    html = (
        environment(locale, get_settings().home_country)
        .get_template(template)
        .render(request=request, language_links=language_links(request), **context)
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in i18n.LOCALES:
        response.set_cookie(i18n.COOKIE, locale, max_age=ONE_YEAR, samesite="lax")
    response.headers["Content-Language"] = locale
    return response


def not_found_page(request: Request, message: str | None = None) -> HTMLResponse:
    """The HTML 404 in the visitor's language (the API keeps its JSON errors).

    Starlette's own "Not Found" is English and says nothing, so the page's text replaces it.
    """
    specific = message if message and message != "Not Found" else None
    return render(request, "not_found.html", status_code=404, message=specific)


def invalid_input_page(request: Request, fields: list[str]) -> HTMLResponse:
    """The HTML 422 for an address a page cannot use (a number out of range, a bad value)."""
    return render(request, "invalid_input.html", status_code=422, fields=fields)
