"""Events: validation of the model, filters on both engines, the calendar by year and month."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from amity.core.db import session_scope
from amity.core.errors import InvalidInput
from amity.events.models import KINDS
from amity.events.schemas import EventCreate, EventKind, EventQuery, EventUpdate
from amity.events.service import calendar as by_month
from amity.events.service import list_events, update_event


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"kind": "forum", "source": "s"}, "needs a name"),
        ({"name_en": "x", "kind": "forum"}, "needs its source"),
        ({"name_en": "x", "kind": "party", "source": "s"}, "Input should be"),
        ({"name_en": "x", "source": "s", "starts": "2012-13"}, "not a real date"),
        ({"name_en": "x", "source": "s", "starts": "18/05/2012"}, "not a date like"),
        ({"name_en": "x", "source": "s", "starts": "2012-05-18", "ends": "2012-05-17"},
         "ends before it starts"),
        ({"name_en": "x", "source": "s", "ends": "2012-05-17"}, "needs a start date"),
        ({"name_en": "x", "source": "s", "attendance": -1}, "greater than or equal"),
        ({"name_en": "x", "source": "s", "sessions": [{"starts_at": "2012-05-18"}]},
         "session needs a title"),
        ({"name_en": "x", "source": "s", "sessions": [{"title_en": "a", "starts_at": "9am"}]},
         "local time"),
    ],
)  # fmt: skip
def test_event_validation(fields, problem):
    with pytest.raises(ValidationError, match=problem):
        EventCreate(**fields)


def test_kinds_are_one_list():
    assert set(EventKind.__args__) == set(KINDS)


def test_partial_dates_are_kept_and_give_the_year(calendar):
    with session_scope(calendar["engine"]) as session:
        events = {e.id: e for e in list_events(session, EventQuery())}
    cifcc = events[calendar["ids"]["cifcc2012"]]
    assert (cifcc.starts, cifcc.start_year) == ("2012", 2012)
    assert events[calendar["ids"]["undated"]].start_year is None


def names(engine, **filters) -> list[str]:
    with session_scope(engine) as session:
        return [e.name_en or e.name_zh for e in list_events(session, EventQuery(**filters))]


def test_filters(calendar):
    engine = calendar["engine"]
    assert names(engine, year=(2012,)) == [
        "2012中国国际友好城市大会",  # "2012" sorts before "2012-05-18"
        "1st International Forum on Public Diplomacy",
        "2nd International Forum on Public Diplomacy",
    ]
    assert names(engine, kind=("conference",)) == ["2012中国国际友好城市大会"]
    assert names(engine, country=("NL",)) == ["2nd International Forum on Public Diplomacy"]
    assert names(engine, place=(calendar["ids"]["chengdu"],)) == ["2012中国国际友好城市大会"]
    assert names(engine, series=("ifpd",), year=(2013,)) == []
    assert names(engine)[-1] == "China-Japan Governors Forum"  # undated last


def test_calendar_groups_by_year_then_month(calendar):
    with session_scope(calendar["engine"]) as session:
        years = by_month(list_events(session, EventQuery()))
    assert [y["year"] for y in years] == [2013, 2012, None]
    months_2012 = [(m["month"], len(m["events"])) for m in years[1]["months"]]
    assert months_2012 == [(5, 1), (9, 1), (None, 1)]


def test_update_changes_sent_fields_and_keeps_rules(calendar):
    event_id = calendar["ids"]["ifpd1"]
    with session_scope(calendar["engine"]) as session:
        event = update_event(session, event_id, EventUpdate(starts="2012-05", attendance=160))
        assert (event.starts, event.start_year, event.attendance) == ("2012-05", 2012, 160)
        assert event.name_en == "1st International Forum on Public Diplomacy"
    with session_scope(calendar["engine"]) as session, pytest.raises(InvalidInput):
        update_event(session, event_id, EventUpdate(name_en=None, name_zh=None))
