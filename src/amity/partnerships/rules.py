"""Validation rules shared by imports and the partnership service."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from amity.core.errors import N_, InvalidInput
from amity.partnerships.models import KINDS, LEVELS, STATUSES

_ISO = re.compile(r"^(\d{3,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ZH = re.compile(r"^(\d{3,4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$")

# The earliest signing year accepted: some twinnings are centuries old (Paderborn and Le Mans
# date theirs to 836), so only a year no partnership can have is refused.
MIN_YEAR = 800

# Words people write in spreadsheets, mapped to the stored vocabulary.
KIND_ALIASES = {
    "sister city": "sister_city",
    "sister cities": "sister_city",
    "twin town": "sister_city",
    "twin city": "sister_city",
    "twinning": "sister_city",
    "姐妹城市": "sister_city",
    "friendship city": "friendship_city",
    "friendship": "friendship_city",
    "友好城市": "friendship_city",
    "友好省州": "friendship_city",
    "友城": "friendship_city",
    "friendly exchange": "friendly_exchange",
    "friendly exchange city": "friendly_exchange",
    "友好交流城市": "friendly_exchange",
    "友好交流": "friendly_exchange",
    "友好合作": "friendly_exchange",
    "cooperation": "cooperation",
    "partnership": "cooperation",
    "合作": "cooperation",
    "合作城市": "cooperation",
}
LEVEL_ALIASES = {
    "city-city": "city_city",
    "city": "city_city",
    "城市": "city_city",
    "市-市": "city_city",
    "province-state": "province_state",
    "province": "province_state",
    "state": "province_state",
    "省州": "province_state",
    "省-州": "province_state",
    "省级": "province_state",
    "province-city": "province_city",
    "省-市": "province_city",
}
STATUS_ALIASES = {
    "planned": "proposed",
    "拟建": "proposed",
    "proposed": "proposed",
    "current": "active",
    "valid": "active",
    "有效": "active",
    "正常": "active",
    "inactive": "dormant",
    "休眠": "dormant",
    "暂停": "suspended",
    "ended": "terminated",
    "终止": "terminated",
    "解除": "terminated",
}


def normalise_pair(a_id: int, b_id: int) -> tuple[int, int]:
    """Order a pair of place ids so the smaller comes first (as stored); reject self-pairs."""
    if a_id == b_id:
        raise InvalidInput(N_("A place cannot be partnered with itself."), {"place_id": a_id})
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def parse_partial_date(
    text: str | None, *, today: date | None = None
) -> tuple[str | None, int | None]:
    """Parse a signing date known to the year, month or day into ("YYYY[-MM[-DD]]", year).

    Accepts 1985, 1985-06, 1985-06-14, 1985/6/14, 1985.6.14, 14/06/1985, 1985年6月14日 and
    1985年6月 (full-width digits too); an empty value gives (None, None); anything else, an
    impossible or a future date, or a year before MIN_YEAR raises InvalidInput.
    """
    # NFKC: the full-width digits of Chinese tables (１９７３年) become ASCII ones.
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None, None
    if re.fullmatch(r"\d{4}\.0", text):  # a year read from a spreadsheet number cell
        text = text[:4]
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text):  # a datetime from a spreadsheet date cell
        text = text[:10]
    match = _ISO.match(text) or _ZH.match(text) or _YMD_SLASH.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
    elif dmy := _DMY.match(text):
        day, month, year = (int(g) for g in dmy.groups())
    else:
        raise InvalidInput(N_("Not a date: %(text)r."), {"date": text}, params={"text": text})
    today = today or date.today()
    try:
        known = date(year, month or 1, day or 1)
    except ValueError:
        raise InvalidInput(N_("Not a real date: %(text)r."), {"date": text},
                           params={"text": text}) from None  # fmt: skip
    if year < MIN_YEAR or known > today:
        raise InvalidInput(
            N_("Date out of range (%(first)s to today): %(text)r."), {"date": text},
            params={"first": MIN_YEAR, "text": text},
        )
    parts = [f"{year:04d}"] + [f"{n:02d}" for n in (month, day) if n is not None]
    return "-".join(parts), year


def infer_level(place_a: object, place_b: object) -> str:
    """The level of a partnership from its two places (or their kinds, "province" or "city")."""
    kinds = {p if isinstance(p, str) else getattr(p, "kind", "city") for p in (place_a, place_b)}
    if kinds == {"province"}:
        return "province_state"
    if kinds == {"city"}:
        return "city_city"
    return "province_city"


def _vocabulary(value: str | None, allowed: tuple[str, ...], aliases: dict[str, str], what: str):
    text = (value or "").strip()
    if not text:
        return None
    key = text.lower().replace("_", " ").strip()
    snake = key.replace(" ", "_").replace("-", "_")
    if snake in allowed:
        return snake
    if key in aliases:
        return aliases[key]
    raise InvalidInput(
        f"Unknown {what} {text!r} (expected one of {', '.join(allowed)}).", {what: text}
    )


def parse_kind(value: str | None) -> str | None:
    """A kind from the stored vocabulary or a common English/Chinese wording; None if empty."""
    return _vocabulary(value, KINDS, KIND_ALIASES, "kind")


def parse_level(value: str | None) -> str | None:
    """A level from the stored vocabulary or a common wording; None if empty."""
    return _vocabulary(value, LEVELS, LEVEL_ALIASES, "level")


def parse_status(value: str | None) -> str | None:
    """A status from the stored vocabulary or a common wording; None if empty."""
    return _vocabulary(value, STATUSES, STATUS_ALIASES, "status")
