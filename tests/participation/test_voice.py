"""The public's voice: moderation by scope, one vote each, throttling, the honeypot, the summary."""

from __future__ import annotations

import pytest
from tests.auth.world import actor

from amity.auth.permissions import PUBLIC_ACTOR
from amity.core.db import session_scope
from amity.core.errors import Conflict, Forbidden, NotFound, TooManyRequests
from amity.participation import service


def _send(world, body="多开展青年交流和教育合作", address="198.51.100.7", **extra) -> dict:
    with session_scope(world["engine"]) as session:
        return service.submit(
            session, topic=extra.pop("topic", "partnership"),
            topic_id=extra.pop("topic_id", world["pairs"][0]), kind=extra.pop("kind", "idea"),
            body=body, address=address, actor=PUBLIC_ACTOR, **extra,
        )  # fmt: skip


ADDR = "198.51.100.7"


def _moderate(world, submission_id, user, decision="publish"):
    with session_scope(world["engine"]) as session:
        return service.moderate(session, submission_id, decision=decision, reason=None,
                                actor=actor(world["engine"], user))  # fmt: skip


def test_submissions_wait_for_the_officer_of_their_places(world):
    sent = _send(world)
    with session_scope(world["engine"]) as session:
        assert service.published(session, "partnership", world["pairs"][0]) == []
        assert [r["id"] for r in service.queue(session, actor=actor(world["engine"], "nj"))] == [
            sent["id"]
        ]
        assert service.queue(session, actor=actor(world["engine"], "cd")) == []
    with pytest.raises(Forbidden):
        _moderate(world, sent["id"], "cd")  # Chengdu's officer, Nanjing's partnership
    assert _moderate(world, sent["id"], "js")["status"] == "published"  # Jiangsu's officer
    with pytest.raises(Conflict):
        _moderate(world, sent["id"], "nj", "reject")
    with session_scope(world["engine"]) as session:
        shown = service.published(session, "partnership", world["pairs"][0])
    assert [r["body"] for r in shown] == ["多开展青年交流和教育合作"]


def test_one_vote_per_account_or_browser(world):
    sent = _send(world)
    with session_scope(world["engine"]) as session, pytest.raises(NotFound):
        service.vote(session, sent["id"], voter_key="browser:a", address=ADDR, actor=PUBLIC_ACTOR)
    _moderate(world, sent["id"], "admin")
    for key in ("browser:a", "browser:b", "user:3"):
        with session_scope(world["engine"]) as session:
            service.vote(session, sent["id"], voter_key=key, address=ADDR, actor=PUBLIC_ACTOR)
    with session_scope(world["engine"]) as session, pytest.raises(Conflict):
        service.vote(session, sent["id"], voter_key="browser:a", address="192.0.2.1",
                     actor=PUBLIC_ACTOR)  # fmt: skip
    with session_scope(world["engine"]) as session:
        assert service.published(session, "partnership", world["pairs"][0])[0]["votes"] == 3


def test_submissions_are_throttled_per_address(world):
    limit = service.BURST[1]
    for n in range(limit):
        _send(world, body=f"idea {n}")
    with pytest.raises(TooManyRequests) as caught:
        _send(world, body="one more")
    assert caught.value.status == 429 and caught.value.details["limit"] == limit
    assert _send(world, body="from elsewhere", address="203.0.113.9")["id"]


def test_the_honeypot_drops_silently_and_counts(world):
    answer = _send(world, body="buy now", honeypot="http://spam.example")
    assert answer == {"received": True, "id": None}
    with session_scope(world["engine"]) as session:
        assert service.dropped_count(session) == 1
        assert service.queue(session, actor=actor(world["engine"], "admin")) == []


@pytest.mark.parametrize(
    ("topic", "topic_id"), [("partnership", 999_999), ("event", 999_999), ("weather", 1)]
)
def test_unknown_topics_are_refused(world, topic, topic_id):
    with pytest.raises((NotFound, Exception)) as caught:
        _send(world, topic=topic, topic_id=topic_id)
    assert caught.value.status in (404, 422)


def test_the_summary_counts_by_topic_and_field_and_finds_the_terms(world):
    _send(world, body="希望多开展青年交流", field="youth")
    _send(world, body="加强青年交流和旅游合作", field="youth", kind="feedback")
    _send(world, body="More student exchanges, please", field="education", address="192.0.2.1")
    rejected = _send(world, body="青年青年青年", address="192.0.2.2")
    _moderate(world, rejected["id"], "admin", "reject")
    with session_scope(world["engine"]) as session:
        summary = service.aggregate(session)
    assert summary["submissions"] == 3
    assert {r["key"]: r["submissions"] for r in summary["by"]["field"]} == {
        "youth": 2, "education": 1}  # fmt: skip
    terms = {t["term"]: t["count"] for t in summary["terms"]}
    assert terms["青年"] == 2 and terms["交流"] == 2 and terms["student"] == 1
    assert "希望" not in terms and "please" not in terms  # stop words


def test_a_new_cookie_per_vote_does_not_make_more_votes(world):
    """Anonymous votes on one item from one address: VOTES_PER_ADDRESS a day, then 429."""
    sent = _send(world)
    _moderate(world, sent["id"], "admin")
    limit = service.VOTES_PER_ADDRESS[1]
    refused = 0
    for n in range(10):
        with session_scope(world["engine"]) as session:
            try:
                service.vote(session, sent["id"], voter_key=f"browser:{n}", address=ADDR,
                             actor=PUBLIC_ACTOR)  # fmt: skip
            except TooManyRequests:
                refused += 1
    assert refused == 10 - limit
    # Another address, and a signed-in account behind the same one, still count.
    with session_scope(world["engine"]) as session:
        service.vote(session, sent["id"], voter_key="browser:x", address="192.0.2.50",
                     actor=PUBLIC_ACTOR)  # fmt: skip
        nj = actor(world["engine"], "nj")
        service.vote(session, sent["id"], voter_key=f"user:{nj.user_id}", address=ADDR, actor=nj)
    with session_scope(world["engine"]) as session:
        assert service.published(session, "partnership", world["pairs"][0])[0]["votes"] == limit + 2


def test_vote_stuffing_through_the_page(world):
    """Ten visits, each with a fresh browser cookie, from one address: only a few votes count."""
    from fastapi.testclient import TestClient
    from tests.auth.web import csrf

    from amity.http.app import create_app

    sent = _send(world)
    _moderate(world, sent["id"], "admin")
    app = create_app(world["engine"])
    url = f"/voice/partnership/{world['pairs'][0]}"
    flags = []
    for _ in range(10):
        visitor = TestClient(app, client=("198.51.100.20", 40000))  # a new browser each time
        answer = visitor.post(f"/voice/vote/{sent['id']}", data={"csrf_token": csrf(visitor, url)},
                              follow_redirects=False)  # fmt: skip
        flags.append(answer.headers["location"].rsplit("=", 1)[1])
    limit = service.VOTES_PER_ADDRESS[1]
    assert flags == ["1"] * limit + ["limit"] * (10 - limit)
    with session_scope(world["engine"]) as session:
        assert service.published(session, "partnership", world["pairs"][0])[0]["votes"] == limit
    page = TestClient(app, client=("198.51.100.20", 40000)).get(url + "?voted=limit").text
    assert "from your network today" in page
    zh = TestClient(app, headers={"Accept-Language": "zh"}).get(url + "?voted=limit").text
    assert "您所在网络" in zh
