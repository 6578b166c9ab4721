"""The permission table: each role over places inside and outside its scope."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests.auth.world import PLACES, USERS

from amity.auth.permissions import PUBLIC_ACTOR, TABLE, Actor, can, require
from amity.core.errors import Forbidden

# The world's places in memory, numbered in order (the table needs no database).
IDS = {key: n for n, key in enumerate(PLACES, start=1)}
PLACE = {
    key: SimpleNamespace(id=IDS[key], parent_id=IDS.get(parent), province_code=province,
                         gb_code=gb, kind=kind)
    for key, (kind, _, _, _, gb, province, parent) in PLACES.items()
}  # fmt: skip


def actor(username: str) -> Actor:
    role, place = USERS[username]
    here = PLACE[place] if place else None
    return Actor(name=username, role=role, place_id=here.id if here else None,
                 place_gb_code=here.gb_code if here else None,
                 place_province_code=here.province_code if here else None)  # fmt: skip


# (user, action, place, allowed)
CASES = [
    ("admin", "partnership.write", "chengdu", True),
    ("js", "partnership.write", "jiangsu", True),
    ("js", "partnership.write", "nanjing", True),  # a city of the province
    ("js", "partnership.write", "chengdu", False),
    ("js", "partnership.write", "paris", False),
    ("nj", "partnership.write", "nanjing", True),
    ("nj", "partnership.write", "suzhou", False),  # another city of the same province
    ("nj", "partnership.write", "jiangsu", False),  # its own province is above it
    ("res", "partnership.write", "nanjing", False),
    ("res", "data.export", None, True),
    ("nj", "proposal.draft", "nanjing", True),
    ("js", "proposal.draft", "nanjing", True),  # a province drafts for its cities too
    ("js", "proposal.draft", "jiangsu", True),
    ("js", "proposal.draft", "chengdu", False),
    ("nj", "proposal.draft", "jiangsu", False),
    ("js", "proposal.review.provincial", "nanjing", True),
    ("sc", "proposal.review.provincial", "nanjing", False),
    ("js", "proposal.review.national", "nanjing", False),
    ("admin", "proposal.review.national", "nanjing", True),
    ("nj", "participation.moderate", "nanjing", True),
    ("cd", "participation.moderate", "nanjing", False),
    ("admin", "user.manage", None, True),
    ("js", "user.manage", None, False),
    ("js", "audit.read", None, False),
    ("admin", "indices.import", None, True),
    # Only the registry steward records a partnership without a proposal.
    ("admin", "registry.steward", None, True),
    ("js", "registry.steward", None, False),
    ("nj", "registry.steward", None, False),
    ("res", "registry.steward", None, False),
    ("js", "indices.import", None, False),
]


@pytest.mark.parametrize(("user", "action", "place", "allowed"), CASES)
def test_each_role_inside_and_outside_its_scope(user, action, place, allowed):
    who = actor(user)
    places = [PLACE[place]] if place else []
    assert can(who, action, places=places) is allowed
    if not allowed:
        with pytest.raises(Forbidden):
            require(who, action, places)


def test_the_public_may_only_speak_and_vote():
    allowed = {action for action in TABLE if can(PUBLIC_ACTOR, action)}
    assert allowed == {"participation.submit", "participation.vote"}


def test_an_action_without_a_rule_is_an_error_not_a_yes():
    with pytest.raises(KeyError):
        can(PUBLIC_ACTOR, "partnership.delete")
