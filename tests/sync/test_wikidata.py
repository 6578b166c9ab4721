"""The pieces of the Wikidata client: partial dates, statement ids, waits, the field rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from amity.partnerships.models import FieldProvenance
from amity.sync.plan import decide, more_precise
from amity.sync.wikidata import SyncError, _wait, parse_results, partial_date, statement_id


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("1973-06-24T00:00:00Z", "11", "1973-06-24"),
        ("1973-06-01T00:00:00Z", "10", "1973-06"),
        ("1973-01-01T00:00:00Z", "9", "1973"),
        ("+1485-01-01T00:00:00Z", "9", "1485"),  # centuries-old twinnings keep their year
        ("1970-01-01T00:00:00Z", "8", None),  # a decade says nothing about the year
        ("-0044-03-15T00:00:00Z", "11", None),
        ("2999-01-01T00:00:00Z", "9", None),  # a typo in the future is not a signing date
        (None, None, None),
    ],
)
def test_partial_date_never_invents_a_finer_date(value, precision, expected):
    assert partial_date(value, precision)[0] == expected


def test_statement_id_from_its_uri():
    uri = "http://www.wikidata.org/entity/statement/Q956-1a2b3c4d-5e6f-7a8b"
    assert statement_id(uri) == "Q956$1a2b3c4d-5e6f-7a8b"


def test_retry_after_in_seconds_or_as_a_date_and_capped():
    assert _wait("3", 2, 1) == 3
    assert _wait(None, 2, 3) == 8  # 2, 4, 8: a growing backoff
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= _wait(later, 2, 1) <= 30
    assert _wait("86400", 2, 1) == 600


def test_results_must_be_sparql_json():
    assert parse_results(b'{"head": {"vars": []}, "results": {"bindings": []}}', batch=1) == []
    for body in (b"<html>busy</html>", b'{"results": {}}', b'{"results": {"bindings": 3}}'):
        with pytest.raises(SyncError) as failed:
            parse_results(body, batch=4)
        assert "(batch 4)" in failed.value.message


def _prov(source, value):
    return FieldProvenance(source=source, value=value)


def test_the_field_rule():
    assert decide(None, "1985", None) == ("fill", "")
    assert decide("1985", "1985", None)[0] == "same"
    assert decide("1985", "1986", _prov("wikidata", "1985")) == ("refresh", "")
    assert decide("1990", "1986", _prov("wikidata", "1985"))[0] == "conflict"
    assert decide("1990", "1986", None)[0] == "conflict"
    assert decide(None, "1986", _prov("person", None)) == ("conflict", "entered by a person")
    assert decide(None, "1986", _prov("wikidata", "1985"))[0] == "conflict"


def test_directions_that_agree_give_the_finer_date():
    assert more_precise(["1985", "1985-06"]) == "1985-06"
    assert more_precise(["1985", "1986"]) is None
