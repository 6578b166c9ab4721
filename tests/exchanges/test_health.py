"""Dormancy around the N-year boundary, score reasons, the health list and its actions."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from amity.core.db import session_scope
from amity.core.errors import Conflict
from amity.exchanges import health, health_office, service
from amity.exchanges.health import Activity, assess

TODAY = date(2024, 6, 15)


def activity(*starts: str, directions=("a_to_b",), fields=0, high_level_year=None) -> Activity:
    return Activity(
        count=len(starts),
        last=max(starts),
        per_year=Counter(int(s[:4]) for s in starts),
        directions=set(directions),
        fields=fields,
        high_level_year=high_level_year,
    )


def state(last: str | None, established: str | None = "1990", years: int = 3) -> dict:
    found = activity(last) if last else None
    return assess((1, "active", established), found, today=TODAY, years=years)


@pytest.mark.parametrize(
    ("last", "dormant"),
    [
        ("2021-06-15", False),  # exactly N years ago: not yet dormant
        ("2021-06-14", True),  # one day more
        ("2021-06", False),  # a partial date counts at its last day (30 June)
        ("2021-05", True),
        ("2021", False),  # 31 December 2021
        ("2020", True),
    ],
)
def test_dormancy_boundary(last, dormant):
    assert state(last)["dormant"] is dormant
    assert state(last)["state"] == ("dormant" if dormant else "active")


def test_dormancy_years_are_configurable(monkeypatch):
    assert state("2020-01-01", years=5)["dormant"] is False
    monkeypatch.setenv("AMITY_DORMANT_YEARS", "5")
    assert health.dormant_years() == 5
    monkeypatch.setenv("AMITY_DORMANT_YEARS", "0")
    with pytest.raises(ValueError, match="AMITY_DORMANT_YEARS"):
        health.dormant_years()
    monkeypatch.delenv("AMITY_DORMANT_YEARS")
    assert health.dormant_years() == 3


def test_without_exchanges():
    recent = state(None, established="2022")
    assert (recent["state"], recent["dormant"]) == ("recent", False)
    old = state(None, established="1990-05")
    assert (old["state"], old["dormant"]) == ("dormant", True)
    assert old["reasons"][0]["en"] == "No exchange recorded since signing (1990-05)."
    unknown = state(None, established=None)
    assert (unknown["state"], unknown["dormant"]) == ("no_activity", False)
    assert unknown["reasons"][0]["zh"] == "没有交流记录，也没有签约日期。"


def test_score_reasons_in_both_languages():
    lively = assess(
        (1, "active", "1985"),
        activity(
            "2024-03",
            "2023",
            "2022",
            directions=("a_to_b", "b_to_a"),
            fields=4,
            high_level_year=2023,
        ),  # fmt: skip
        today=TODAY,
        years=3,
    )
    codes = [r["code"] for r in lively["reasons"]]
    assert codes == [
        "exchange_last_year", "high_level_visit", "many_fields", "both_directions", "regular"
    ]  # fmt: skip
    assert lively["score"] == 100
    assert "双向互访。" in [r["zh"] for r in lively["reasons"]]
    quiet = assess((1, "suspended", "1985"), activity("2019"), today=TODAY, years=3)
    assert quiet["reasons"][0]["en"] == "No exchange for 5 years (last: 2019)."
    assert quiet["score"] == 50 - 30 - 20
    ended = assess((1, "terminated", "1985"), activity("2024"), today=TODAY, years=3)
    assert (ended["state"], ended["score"]) == ("ended", 0)


def test_declining_activity():
    found = activity("2024", "2019", "2019", "2020", "2018")
    result = assess((1, "active", "1985"), found, today=TODAY, years=3)
    assert result["state"] == "declining"
    assert result["reasons"][-1]["en"] == (
        "Fewer exchanges in the last 3 years (1) than in the 3 before (3)."
    )


def test_health_scope_actions_and_history(engine, small_registry):
    places, pairs = small_registry["places"], small_registry["pairs"]
    # Nanjing–Paris (1985) gets a recent exchange; Nanjing–Osaka (1990) and Jiangsu–Bavaria
    # (1987) have none: dormant. Chengdu is in Sichuan, outside Jiangsu's view.
    with session_scope(engine) as session:
        service.record_exchange(
            session, partnership_id=pairs[0], mode="forum", start=str(date.today().year)
        )
        jiangsu = health_office.unhealthy_list(session, places["jiangsu"])
        nanjing = health_office.unhealthy_list(session, places["nanjing"])
        chengdu = health_office.unhealthy_list(session, places["chengdu"])
    jiangsu_ids = {i["partnership_id"] for i in jiangsu["items"]}
    assert pairs[0] not in jiangsu_ids
    assert {pairs[1], pairs[5]} <= jiangsu_ids  # a city's pair and the province's own
    assert {i["partnership_id"] for i in nanjing["items"]} == {pairs[1]}
    assert {i["partnership_id"] for i in chengdu["items"]} == {pairs[3]}
    with session_scope(engine) as session:
        reviewed = health_office.mark_reviewed(
            session, pairs[1], note="Talked to Osaka; visit planned", actor="clerk", days=30
        )
        assert reviewed["reviewed_until"] is not None
        listed = health_office.unhealthy_list(session, places["nanjing"])["items"]
        assert pairs[1] not in {i["partnership_id"] for i in listed}
        proposed = health_office.propose_ending(session, pairs[5], note="No contact", actor="clerk")
        assert proposed["ending_proposed"] is True and proposed["status"] == "active"
        back = health_office.reactivate(session, pairs[2], note="New mayor keen", actor="clerk")
        assert back["status"] == "active"
        assert [h["action"] for h in back["history"]] == ["reactivated"]
        assert back["history"][0]["old_status"] == "dormant"
        with pytest.raises(Conflict):
            health_office.reactivate(session, pairs[8], note="too late", actor="clerk")
