"""Two reviewers deciding at the same moment on PostgreSQL: exactly one decision wins."""

from __future__ import annotations

import threading

import pytest
from tests.auth.world import actor, build_world
from tests.conftest import create_postgres_database, drop_postgres_database

from amity.core.db import make_engine, session_scope
from amity.core.errors import Conflict
from amity.proposals import service
from amity.proposals.models import Proposal, ProposalStep
from amity.proposals.schemas import Decision, ProposalDraft

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_template):
    url = create_postgres_database(postgres_template)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_postgres_database(url)


def test_two_simultaneous_decisions_one_wins(pg):
    world = build_world(pg)
    places = world["places"]
    with session_scope(pg) as session:
        draft = service.create_proposal(
            session,
            ProposalDraft(place_id=places["nanjing"], partner_id=places["lyon"], rationale="r"),
            actor=actor(pg, "nj"),
        )
        service.submit_proposal(session, draft["id"], version=1, actor=actor(pg, "nj"))
    # The national administrator and the provincial officer decide on version 2 at once.
    reviewers = [(actor(pg, "admin"), "reject"), (actor(pg, "js"), "approve")]
    barrier = threading.Barrier(len(reviewers))
    outcomes: list[str] = []

    def decide(who, decision):
        try:
            with session_scope(pg) as session:
                session.get(Proposal, draft["id"])
                barrier.wait()
                service.decide(
                    session,
                    draft["id"],
                    Decision(decision=decision, reason="now", version=2),
                    actor=who,
                )
            outcomes.append(decision)  # fmt: skip
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=decide, args=r) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "approve" or sorted(outcomes)[1] == "reject"
    assert outcomes.count("conflict") == 1, outcomes
    with session_scope(pg) as session:
        proposal = session.get(Proposal, draft["id"])
        steps = session.query(ProposalStep).filter_by(proposal_id=draft["id"]).count()
        assert proposal.version == 3
        winner = next(o for o in outcomes if o != "conflict")
        assert proposal.status == {"approve": "national_review", "reject": "rejected"}[winner]
    assert steps == 3  # draft, submit, and the one decision that won
