"""No English on the Chinese pages, and no page text that bypasses gettext.

Every page of the app (each GET route answering HTML, found from the app's routes) and every
form's answer to bad input is rendered in-process (tests/support/wording.py): anonymously and
signed in as the national administrator, a provincial and a city officer.

1. In Chinese (`?lang=zh`), the words a reader sees (text, placeholder, title, aria-label, alt,
   <option>s) hold no English word but names stored in the data (places, countries, accounts,
   the text people typed), codes and the few technical words of ALLOWED below.
2. With a pseudo-translation (every msgstr of the catalogues wrapped in ⟦…⟧, compiled into a
   temporary locale folder), every segment a reader sees is wrapped, is a stored name, or is a
   number, a date or a code: what is left came from the code or a template without gettext.

Both run on SQLite only: the wording does not depend on the engine.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from babel.messages.pofile import read_po, write_po
from tests.support import wording

from amity.core import i18n, schema
from amity.core.db import make_engine
from amity.http import render
from amity.http.app import create_app

# Words a Chinese reader meets as they are, each for a reason.
ALLOWED = {
    # The product's name.
    "Amity",
    # File formats and technical names the officer picks or reads as they are.
    "CSV", "Excel", "API", "JSON", "GeoJSON", "GraphML", "GEXF", "PNG", "JPEG", "WebP", "PDF",
    "XLSX", "UTF-8",
    "PageRank", "Gephi", "SPARQL",
    # The language switch names each language in its own language.
    "English",
    # Date formats an input expects (ISO 8601), as typed.
    "YYYY", "YYYY-MM", "YYYY-MM-DD",
    # Names of data sources, their licences and software (proper names, as the sources cite
    # them; CC BY-SA is in capitals, as codes are).
    "GeoNames", "OpenStreetMap", "Nominatim", "ODbL", "world-atlas", "npm",
    # Examples of what the search and place fields accept: a name in pinyin, an English term.
    "Xi'an", "university",
    # Units, and the endings of the files a link gives (.xlsx, .ics).
    "km", "MB", "µg/m³", "log", "xlsx", "ics",
}  # fmt: skip
# Phrases named as a whole: a source's title as it cites it, the names of ALLOWED in two words.
PHRASES = ("List of twin towns and sister cities in", "Natural Earth")
WORD = re.compile(r"[A-Za-zµ][\w'’./³+-]*[\w³]|[A-Za-z]")


def _code_like(word: str) -> bool:
    """Codes and identifiers: with a digit (Q16666, P190, GB18030, PM2.5), capitals only (ISO
    codes, acronyms: CN, USD, HHI, GB/T), a single letter (N, Z: symbols), a path or a file's
    ending (docs/sync.md, .xlsx, /proposals/new), an address."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    return (
        any(c.isdigit() for c in word)
        or (letters.isupper() and len(letters) <= 5)
        or len(letters) == 1
        or "/" in word
        or word.startswith(".")
        or re.fullmatch(r"[\w.-]+\.(md|xlsx|csv|ics|json)", word) is not None
    )


def name_pattern(names) -> re.Pattern:
    """Any of the names, as whole words (longest first: "Gyeonggi Province" before a shorter)."""
    ordered = sorted(names, key=len, reverse=True)
    edge = r"A-Za-z\u3400-\u9fff"  # a name is a whole word: not a part of a longer one
    alternatives = "|".join(map(re.escape, ordered))
    return re.compile(rf"(?<![{edge}])(?:{alternatives})(?![{edge}])")


def english_words(text: str, names: re.Pattern) -> list[str]:
    """The English words of a segment that are neither a stored name, a code nor ALLOWED."""
    text = re.sub(r"https?://\S+", " ", names.sub(" ", text))
    return [w for w in WORD.findall(text) if w not in ALLOWED and not _code_like(w)]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('words') / 'words.db'}")
    schema.upgrade(engine)
    ids = wording.seed(engine)
    names = name_pattern(wording.stored_names(engine) | set(PHRASES))
    data = {run for text in wording.stored_text(engine) for run in CJK.findall(text)}
    yield {"app": create_app(engine), "ids": ids, "names": names, "data": data}
    engine.dispose()


def _report(found: dict[str, set[str]]) -> str:
    return "\n".join(f"  {text!r} on {', '.join(sorted(where)[:3])}"
                     for text, where in sorted(found.items()))  # fmt: skip


def test_every_form_is_tried(world):
    forms = set(wording.form_routes(world["app"]))
    untried = sorted(forms - set(wording.FORMS) - set(wording.NO_FORM_PAGE))
    assert untried == [], f"forms without bad input in tests/support/wording.py: {untried}"
    assert set(wording.FORMS) | set(wording.NO_FORM_PAGE) <= forms  # no stale entries


def test_no_english_on_the_chinese_pages(world):
    rendered = wording.render_everything(world["app"], world["ids"], "zh")
    assert len({r.what for r in rendered if r.what.startswith("GET")}) > 40  # the walk found them
    assert [r.what for r in rendered if r.status >= 500 and "/admin/sync" not in r.what] == []
    found: dict[str, set[str]] = defaultdict(set)
    for page in rendered:
        for segment in page.segments:
            unfilled = "%(" in segment.text  # a message whose values were never put in
            if unfilled or (not segment.code and english_words(segment.text, world["names"])):
                found[segment.text].add(f"{page.what} ({page.visitor})")
    assert not found, f"English on the Chinese pages:\n{_report(found)}"


def test_the_check_sees_english(world):
    """The check fails on what it is for: a raw key, a sentence, an English attribute."""
    html = ('<p>选择 <select><option>economy_trade</option></select></p>'
            '<input placeholder="Search"><p title="A check stops this">检查</p>'
            '<code>amity import x.xlsx</code><script>var a = "hidden";</script>')  # fmt: skip
    words = [w for s in wording.visible_text(html) if not s.code
             for w in english_words(s.text, world["names"])]  # fmt: skip
    assert words == ["economy_trade", "Search", "check", "stops", "this"]
    shown = "Gyeonggi Province（无中文名）· CSV · GB/T 2260 · Q30002"
    assert english_words(shown, world["names"]) == []


# --- the pseudo-locale -------------------------------------------------------------------------

WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")
# What may stand outside the wrapping: numbers and dates as the locale writes them, punctuation,
# and what _code_like accepts (ALLOWED words too: a format's name inside a translated sentence).
LOCALE_FORMS = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{4}年|\d+月\d+日")


def _pseudo_catalogue(target) -> None:
    """Every string of the template and of the Chinese catalogues (some are asked for by value,
    `_(region)`, and never extracted), its msgstr the msgid wrapped (placeholders kept)."""
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as handle:
        catalogue = read_po(handle, locale="zh")
    for path in sorted((i18n.LOCALE_DIR / "zh" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="zh"):
                if message.id and message.id not in catalogue:
                    catalogue[message.id] = message
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(f"⟦{part}⟧" for part in (message.id[0], message.id[1]))
        else:
            message.string = f"⟦{message.id}⟧"
    folder = target / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "pseudo.po").open("wb") as handle:
        write_po(handle, catalogue)


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    """The zh pages served from the pseudo catalogue (caches emptied before and after)."""
    _pseudo_catalogue(tmp_path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    render.environment.cache_clear()
    yield
    i18n.translations.cache_clear()
    render.environment.cache_clear()


CJK = re.compile(r"[\u3400-\u9fff]+")


def bypassing(text: str, names: re.Pattern, data: set[str]) -> bool:
    """Whether a segment holds words that came through no catalogue: English words (neither
    names, codes nor ALLOWED), or Chinese that is not stored data (a run of characters that is
    no run of the data's Chinese)."""
    text = names.sub(" ", WRAPPED.sub(" ", text))
    text = LOCALE_FORMS.sub(" ", re.sub(r"https?://\S+", " ", text))
    english = [w for w in WORD.findall(text) if w not in ALLOWED and not _code_like(w)]
    return bool(english) or any(run not in data for run in CJK.findall(text))


def test_every_page_text_goes_through_gettext(world, pseudo_locale):
    rendered = wording.render_everything(world["app"], world["ids"], "zh")
    found: dict[str, set[str]] = defaultdict(set)
    for page in rendered:
        for segment in page.segments:
            if not segment.code and bypassing(segment.text, world["names"], world["data"]):
                found[segment.text].add(f"{page.what} ({page.visitor})")
    assert not found, f"text that bypasses gettext:\n{_report(found)}"
