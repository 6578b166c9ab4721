"""A place asked for in a form: people type a name, never an id.

The form has two fields per place: the visible name (`place_a_name`) and the hidden id a chosen
suggestion fills in (`place_a_id`). `read_place_fields` turns them into one place or a clear
refusal: an id stands when the typed name is one of that place's names; otherwise the name is
resolved, and only a name that stands for exactly one place is taken (a form that writes records
never guesses between Taizhou 台州 and Taizhou 泰州: it lists them). Without JavaScript the same
rule applies, so the forms work by name alone.

Each place is shown with its first-level division and country ("台州市 · 浙江省 · 中国"), so that
homophones are told apart in the suggestions and in the list of candidates.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from amity.core import i18n
from amity.core.bounds import parse_id
from amity.core.settings import get_settings
from amity.places.models import Place
from amity.places.resolve import resolve

CANDIDATES = 10
# How far up the parent chain a region is looked for (district → city → province).
MAX_DEPTH = 3


def name_field(field: str) -> str:
    """The visible name field beside a hidden id field: place_a_id → place_a_name."""
    return (field[:-3] if field.endswith("_id") else field) + "_name"


def plain_name(place: Place, locale: str) -> str:
    """What the name field shows: the Chinese name on zh pages when there is one, else the
    place's own name (never the no-Chinese-name mark, which is not part of any name)."""
    if locale == "zh" and place.name_zh:
        return place.name_zh
    return place.name


def regions(session: Session, places: list[Place]) -> dict[int, Place]:
    """The first-level division each place lies in (absent for a division itself or unknown):
    a Chinese place by its GB/T 2260 province code, others by their parents, else by their
    GeoNames admin1 code among the country's first-level divisions."""
    found: dict[int, Place] = {}
    codes = {p.province_code for p in places if p.province_code and p.kind != "province"}
    by_code = {
        p.gb_code: p for p in session.scalars(select(Place).where(Place.gb_code.in_(codes)))
    } if codes else {}  # fmt: skip
    admin1: list[Place] = []
    for place in places:
        if place.kind == "province" and not place.parent_id:
            continue
        if place.province_code in by_code and by_code[place.province_code].id != place.id:
            found[place.id] = by_code[place.province_code]
            continue
        parent, depth = place, 0
        while parent.parent_id and depth < MAX_DEPTH:
            parent, depth = session.get(Place, parent.parent_id), depth + 1
            if parent is None:
                break
            if parent.kind == "province":
                found[place.id] = parent
                break
        else:
            if place.admin1 and place.kind != "province":
                admin1.append(place)
    if admin1:
        keys = {(p.country_code, p.admin1) for p in admin1}
        rows = session.scalars(
            select(Place).where(
                Place.kind == "province",
                Place.admin_level.in_(("subdivision1", "province")),
                or_(*(and_(Place.country_code == c, Place.admin1 == a) for c, a in keys)),
            )
        ).all()
        divisions = {(p.country_code, p.admin1): p for p in rows}
        for place in admin1:
            if (place.country_code, place.admin1) in divisions:
                found[place.id] = divisions[place.country_code, place.admin1]
    return found


def describe(session: Session, places: list[Place], locale: str) -> list[dict[str, Any]]:
    """Each place as a suggestion or candidate shows it: id, name, and "division · country"."""
    around = regions(session, places)
    home = get_settings().home_country
    described = []
    for place in places:
        country = place.country
        parts = []
        if locale != "zh" and place.name_zh:
            parts.append(place.name_zh)  # homophones (Taizhou) differ by their Chinese names
        if place.id in around:
            parts.append(plain_name(around[place.id], locale))
        elif place.admin1 and place.admin1.isalpha() and place.kind != "province":
            parts.append(place.admin1)  # a state's code (IL, MO) where no division is recorded
        parts.append(i18n.country_name(
            place.country_code, locale, home=home,
            name_en=country.name_en if country else None,
            name_zh=country.name_zh if country else None,
        ))  # fmt: skip
        described.append({
            "id": place.id, "name": plain_name(place, locale), "context": " · ".join(parts),
            "kind": place.kind,
        })  # fmt: skip
    return described


def _places(session: Session, ids: list[int]) -> list[Place]:
    rows = {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def suggest(session: Session, query: str, locale: str, limit: int = 8) -> dict[str, Any]:
    """The places a name being typed may stand for, best first, as the autocomplete lists them."""
    result = resolve(session, query, limit=limit)
    places = _places(session, [m.id for m in result.matches])
    return {"query": query, "status": result.status,
            "suggestions": describe(session, places, locale)}  # fmt: skip


def fill_place_names(
    session: Session, form: dict[str, Any], fields: tuple[str, ...], locale: str
) -> None:
    """Show the places a form already names by id (the officer's own place, a link's ?partner=)
    by name: sets each `<x>_name` and its `<x>_name_context`."""
    for field in fields:
        place_id = parse_id(str(form.get(field) or ""))
        place = session.get(Place, place_id) if place_id else None
        if place is None:
            continue
        shown = describe(session, [place], locale)[0]
        form[name_field(field)] = shown["name"]
        form[name_field(field) + "_context"] = shown["context"]


def _names_place(session: Session, place: Place, text: str) -> bool:
    """Whether the typed text is one of the place's names (so its chosen id stands)."""
    if text in (place.name, place.name_zh):
        return True
    return any(m.id == place.id for m in resolve(session, text, limit=50).matches)


def read_place_fields(
    session: Session,
    form: dict[str, Any],
    fields: tuple[str, ...],
    locale: str,
    required: tuple[str, ...] = (),
) -> dict[str, str]:
    """Turn each place field's name (and chosen id) into the id the service takes, in `form`.

    Returns the errors per id field (translated); a field with several candidates gets them in
    `form["<x>_name_choices"]` for the page to offer. A field left empty is absent from `form`.
    """
    _ = i18n.translations(locale).gettext
    errors: dict[str, str] = {}
    for field in fields:
        shown = name_field(field)
        text = str(form.get(shown) or "").strip()
        raw_id = str(form.pop(field, "") or "").strip()
        place_id = parse_id(raw_id)
        place = session.get(Place, place_id) if place_id else None
        if place is not None and (not text or _names_place(session, place, text)):
            form[field] = str(place.id)
            fill_place_names(session, form, (field,), locale)
            continue
        if not text:
            if raw_id:
                errors[field] = _("Choose a place from the list.")
            elif field in required:
                errors[field] = _("This is required.")
            continue
        result = resolve(session, text, limit=CANDIDATES)
        if result.status == "resolved" and len(result.matches) == 1:
            form[field] = str(result.matches[0].id)
            fill_place_names(session, form, (field,), locale)
        elif result.matches:
            places = _places(session, [m.id for m in result.matches])
            form[shown + "_choices"] = describe(session, places, locale)
            errors[field] = _(
                "Several places are called “%(name)s”: choose one of them below."
            ) % {"name": text}
        else:
            errors[field] = _(
                "No place is called “%(name)s”. Try another spelling (Chinese, pinyin or "
                "English) and pick a place from the suggestions."
            ) % {"name": text}
    return errors
