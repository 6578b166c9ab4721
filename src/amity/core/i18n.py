"""Languages of the pages: choosing one, loading its catalogue, formatting numbers and names."""

from __future__ import annotations

import io
import math
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from markupsafe import Markup
from starlette.requests import Request

from amity.core.conventions import home_regions

LOCALES = ("zh", "en")
# International partners read English; Chinese offices send Accept-Language: zh.
DEFAULT_LOCALE = "en"
COOKIE = "amity_lang"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> NullTranslations:
    """The catalogue for a locale, compiled in memory from its .po files (no build step).

    Each domain of the app may keep its own `<domain>.po` beside `messages.po`, so that work on
    one domain's pages never edits another's catalogue; they are merged here.
    """
    po_paths = sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))
    if not po_paths:
        return NullTranslations()
    merged = None
    for po_path in po_paths:
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=locale)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and message.string:
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Translations(buffer)


def _accept_language(header: str) -> str | None:
    """The best supported language of an Accept-Language header, honouring q-values."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LOCALES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose_locale(request: Request) -> str:
    """?lang= first, then the cookie a previous ?lang= left, then the browser, then English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LOCALES:
            return candidate
    return _accept_language(request.headers.get("accept-language", "")) or DEFAULT_LOCALE


def babel_locale(locale: str) -> Locale:
    return Locale.parse("zh_Hans_CN" if locale == "zh" else "en_GB")


def format_number(value: float | int | None, locale: str) -> str:
    # NaN or infinity come from stored data no formula expects (a latitude of 999): a dash.
    if value is None or not math.isfinite(value):
        return "—"
    return format_decimal(value, locale=babel_locale(locale))


def format_day(value: date | str | None, locale: str) -> str:
    """A full date in the locale's medium format; partial dates ("1985", "1985-06") as given."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, format="medium", locale=babel_locale(locale))


@lru_cache(maxsize=4096)  # a page sorts the same ~250 country names on every request
def sort_key(label: str, locale: str) -> tuple[str, str]:
    """How a list of names is ordered for its reader: by pinyin in Chinese (阿根廷, 巴西, 丹麦 …
    中国, the order a Chinese reader looks for them in, not the characters' code points), by
    letters without case in English."""
    if locale == "zh":
        # Imported here: pypinyin's phrase table costs about a second of CPU, which every
        # command and worker paid at import even when nothing is sorted in Chinese.
        from pypinyin import lazy_pinyin

        return ("".join(lazy_pinyin(label)).casefold(), label)
    return (label.casefold(), label)


def country_name(
    iso2: str | None,
    locale: str,
    *,
    name_en: str | None = None,
    name_zh: str | None = None,
    home: str | None = None,
) -> str:
    """A country's name in the locale, with HK/MO/TW shown as regions of China when home is CN
    (`home` by default: the configured home country, AMITY_HOME_COUNTRY)."""
    if not iso2:
        return "—"
    regions = home_regions(home)
    if iso2 in regions:
        english, chinese = regions[iso2]
        return chinese if locale == "zh" else english
    if locale == "zh" and name_zh:
        return name_zh
    if name_en:
        return name_en
    territories = babel_locale(locale).territories
    return territories.get(iso2, iso2)


def place_name(place, locale: str) -> str:
    """A place's name as plain text (titles, chart labels): its Chinese name on the zh pages.

    Where no Chinese name is known the zh pages show the local name, marked "（无中文名）": a
    reader sees that the name is missing, never a transliteration made up for the occasion.
    """
    name, marked = _place_name(place, locale)
    return f"{name}（{no_chinese_name(locale)}）" if marked else name


def place_html(place, locale: str) -> Markup:
    """The same name for the pages, the marker in a small muted span (class "no-zh")."""
    name, marked = _place_name(place, locale)
    if not marked:
        return Markup.escape(name)
    return Markup('{}<small class="no-zh">（{}）</small>').format(name, no_chinese_name(locale))


def error_text(error, locale: str) -> str:
    """A service's error (amity.core.errors.AmityError) in the locale: its message translated,
    then its values put in; a message the catalogues lack stays as the service wrote it."""
    if not error.template:  # gettext("") is the catalogue's header
        return error.message
    text = translations(locale).gettext(error.template)
    return text % error.params if error.params else text


def no_chinese_name(locale: str) -> str:
    """The marker's words in the locale ("无中文名")."""
    return translations(locale).gettext("no Chinese name")


def _place_name(place, locale: str) -> tuple[str, bool]:
    """(name, whether it needs the no-Chinese-name marker)."""
    name_zh = _field(place, "name_zh")
    name = _field(place, "name")
    if locale != "zh":
        return name or name_zh or "—", False
    if name_zh:
        return name_zh, False
    return (name, True) if name else ("—", False)


def _field(obj, name: str):
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)
