"""Text longer than its column is a row error in an import, on both engines (SQLite stored a
100,000-character place name in a 200-character column); the import stays all-or-nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from amity.core.db import session_scope
from amity.core.lengths import limit
from amity.partnerships.importer import import_partnerships
from amity.partnerships.models import Partnership
from amity.places.models import Place

HEADER = "city1,country1,lat1,lon1,city2,country2,date,source_ref\n"


def _counts(engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Partnership)),
            session.scalar(select(func.count()).select_from(Place)),
            session.scalar(select(func.max(func.length(Place.name)))) or 0,
        )


def _import(engine, text: str, **options):
    with session_scope(engine) as session:
        return import_partnerships(session, text.encode(), filename="long.csv", **options)


def test_a_place_name_longer_than_its_column_is_a_row_error(gazetteer_any) -> None:
    before = _counts(gazetteer_any)
    huge = "A" * 100_000
    report = _import(gazetteer_any, HEADER + f"Beijing,China,,,Tokyo,Japan,1979,\n"
                     f"{huge},France,45.0,4.0,Tokyo,Japan,1990,\n")  # fmt: skip
    assert not report.written
    assert [(p.line, p.status) for p in report.problems] == [(3, "invalid")]
    assert f"name is longer than {limit(Place.name)} characters" in report.problems[0].reason
    assert _counts(gazetteer_any) == before  # all or nothing: Beijing–Tokyo waits too


def test_a_chinese_name_is_held_to_the_chinese_name_column(gazetteer_any) -> None:
    name = "长" * (limit(Place.name_zh) + 1)  # fits `name` (200) but not `name_zh` (100)
    report = _import(gazetteer_any, HEADER + f"{name},China,30.0,110.0,Tokyo,Japan,1990,\n")
    assert [p.status for p in report.problems] == ["invalid"]
    assert "name_zh is longer than" in report.problems[0].reason


def test_other_columns_too_and_partial_keeps_the_good_rows(gazetteer_any) -> None:
    ref = "r" * (limit(Partnership.source_ref) + 1)
    report = _import(gazetteer_any, HEADER + "Beijing,China,,,Tokyo,Japan,1979,\n"
                     f"Shanghai,China,,,Yokohama,Japan,1973,{ref}\n", partial=True)  # fmt: skip
    assert report.imported == 1
    assert "source_ref is longer than" in report.problems[0].reason
    with session_scope(gazetteer_any) as session:
        longest = session.scalar(select(func.max(func.length(Partnership.source_ref))))
    assert longest is None
