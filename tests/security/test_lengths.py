"""Text lengths: the columns' declared lengths hold on both engines, from every door.

SQLite does not enforce VARCHAR(n). amity.core.lengths derives every limit from the model columns:
the request schemas use them (422 naming the field), the importers check their rows, and each
ORM flush checks every new or changed row, so a path that forgets still cannot store more.
"""

from __future__ import annotations

import re
import typing

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import String, func, select
from tests.auth.world import build_world

from amity.auth.service import create_token
from amity.core.db import Base, session_scope
from amity.core.errors import InvalidInput
from amity.core.lengths import limit
from amity.http.app import _routers, create_app
from amity.places.models import Place
from amity.places.service import create_place

# Request fields stored in a column of the same name, by schema: the schema's limit must be the
# column's. Fields left out are normalised before they are stored (dates such as "14 June 1985"
# become "1985-06-14") or are a closed choice (Literal).
NORMALISED = {"established", "start", "end", "starts", "ends", "planned_signing"}


def _limited_columns() -> list[tuple[type, str, int]]:
    found = []
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, String) and column.type.length and column.table is not None:
                found.append((mapper.class_, column.key, column.type.length))
    # Sorted: the registry's order varies between processes (pytest-xdist compares the lists).
    return sorted(found, key=lambda row: (row[0].__tablename__, row[1]))


@pytest.mark.parametrize(
    "model,key,length", _limited_columns(), ids=lambda v: getattr(v, "__name__", str(v))
)
def test_no_flush_stores_text_longer_than_its_column(sqlite_engine, model, key, length) -> None:
    with session_scope(sqlite_engine) as session:
        row = model()
        setattr(row, key, "x" * (length + 1))
        session.add(row)
        with pytest.raises(InvalidInput, match=f"{key} is longer than {length:,} characters"):
            session.flush()
        session.rollback()


def test_a_hundred_thousand_character_place_name_is_refused(engine) -> None:
    build_world(engine)
    with session_scope(engine) as session, pytest.raises(InvalidInput, match="longer than 200"):
        create_place(session, name="A" * 100_000, country_code="FR", lat=45.0, lon=4.0)
    with session_scope(engine) as session:
        assert session.scalar(select(func.max(func.length(Place.name)))) <= limit(Place.name)


def _body_models() -> set[type[BaseModel]]:
    def walk(router):
        for route in router.routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):
                yield from walk(route.original_router)

    models = set()
    for router in _routers():
        for route in walk(router):
            for field in route.dependant.body_params:
                annotation = field.field_info.annotation
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    models.add(annotation)
    return models


def _home_table(model: type[BaseModel]):
    """The table a write schema fills: the one holding most of its fields as columns."""
    fields = set(model.model_fields)
    best = max(Base.metadata.tables.values(), key=lambda t: len(fields & set(t.columns.keys())))
    return best if len(fields & set(best.columns.keys())) >= 2 else None


def _closed_choice(info) -> bool:
    """A Literal, or a pattern that bounds the length (no `*`, `+` or open `{n,}`)."""
    annotation = info.annotation
    options = (annotation,) if typing.get_origin(annotation) is typing.Literal else (
        typing.get_args(annotation) or (annotation,))  # fmt: skip
    if all(typing.get_origin(a) is typing.Literal or a is type(None) for a in options):
        return True
    patterns = [m.pattern for m in info.metadata if getattr(m, "pattern", None)]
    return bool(patterns) and not re.search(r"[*+]|,\}", patterns[0])


def test_every_request_field_has_its_columns_limit() -> None:
    checked, wrong = 0, []
    for model in _body_models():
        table = _home_table(model)
        if table is None:
            continue
        for name, info in model.model_fields.items():
            column = table.columns.get(name)
            if column is None or not isinstance(column.type, String) or not column.type.length:
                continue
            if name in NORMALISED or _closed_choice(info):
                continue
            given = [m.max_length for m in info.metadata if getattr(m, "max_length", None)]
            checked += 1
            if not given or given[0] > column.type.length:
                wrong.append((model.__name__, name, given, column.type.length))
    assert checked > 20
    assert wrong == [], wrong


def test_the_api_names_the_field_that_is_too_long(engine) -> None:
    world = build_world(engine)
    with session_scope(engine) as session:
        token = create_token(session, "lengths", username="admin")
    with TestClient(create_app(engine)) as client:
        answer = client.patch(
            f"/api/v1/partnerships/{world['pairs'][0]}",
            json={"signing_place": "x" * 100_000},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 422
        problems = answer.json()["error"]["details"]["problems"]
        assert problems[0]["field"] == "body.signing_place"
        assert "200 characters" in problems[0]["problem"]
        stored = client.get(f"/api/v1/partnerships/{world['pairs'][0]}").json()
        assert stored["signing_place"] is None
