"""The taxonomy of exchanges: modes and fields, stored as data with Chinese and English labels."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.auth import audit as audit_log
from amity.auth.permissions import LOCAL_ADMIN, Actor, guard
from amity.core.errors import Conflict, InvalidInput
from amity.exchanges.models import TAXONOMIES, ExchangeField, ExchangeMode

TABLES = {"mode": ExchangeMode, "field": ExchangeField}
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def _table(kind: str) -> type[ExchangeMode] | type[ExchangeField]:
    if kind not in TABLES:
        raise InvalidInput(f"Unknown taxonomy {kind!r} (mode or field).", {"kind": kind})
    return TABLES[kind]


def list_terms(session: Session, kind: str, *, include_inactive: bool = False) -> list[dict]:
    """The modes or the fields, in code order."""
    table = _table(kind)
    statement = select(table).order_by(table.code)
    if not include_inactive:
        statement = statement.where(table.active.is_(True))
    return [
        {"code": t.code, "label_en": t.label_en, "label_zh": t.label_zh, "active": t.active}
        for t in session.scalars(statement)
    ]


def taxonomy(session: Session) -> dict[str, list[dict]]:
    """Both lists, every term (inactive ones stay readable for the exchanges that use them)."""
    return {f"{kind}s": list_terms(session, kind, include_inactive=True) for kind in TAXONOMIES}


def add_term(
    session: Session, kind: str, code: str, *, label_en: str, label_zh: str,
    actor: Actor | str = LOCAL_ADMIN,
) -> dict:  # fmt: skip
    """Add a mode or a field; codes are lower-case words joined by underscores."""
    who = guard(actor, "exchange.taxonomy")
    table = _table(kind)
    code = code.strip()
    if not _CODE.match(code):
        raise InvalidInput(
            f"Bad code {code!r}: lower-case letters, digits and _ (2 to 40).", {"code": code}
        )
    if not label_en.strip() or not label_zh.strip():
        raise InvalidInput("Both labels (English and Chinese) are needed.", {"label": code})
    if session.get(table, code) is not None:
        raise Conflict(f"The {kind} {code!r} already exists.", {"code": code})
    session.add(table(code=code, label_en=label_en.strip(), label_zh=label_zh.strip(), active=True))
    session.flush()
    term = {"code": code, "label_en": label_en.strip(), "label_zh": label_zh.strip(),
            "active": True}  # fmt: skip
    audit_log.record(session, actor=who, action="create", entity=f"exchange_{kind}",
                     entity_id=code, after=term)  # fmt: skip
    return term


def known_codes(session: Session, kind: str) -> set[str]:
    """The active codes of a taxonomy (what new exchanges may use)."""
    table = _table(kind)
    return set(session.scalars(select(table.code).where(table.active.is_(True))))


def labels(session: Session, kind: str) -> dict[str, tuple[str, str]]:
    """Every code of a taxonomy with its (English, Chinese) labels."""
    table = _table(kind)
    return {t.code: (t.label_en, t.label_zh) for t in session.scalars(select(table))}


def resolve_term(text: str, terms: dict[str, tuple[str, str]], kind: str) -> str:
    """A code from a code or either label as people write it in a spreadsheet."""
    wanted = text.strip().casefold()
    for code, (en, zh) in terms.items():
        if wanted in (code, en.casefold(), zh, code.replace("_", " ")):
            return code
    raise InvalidInput(f"Unknown {kind} {text.strip()!r}.", {kind: text.strip()})
