"""`amity sync wikidata` against a real local endpoint serving recorded responses, on both
engines: the dry run, the write and its provenance, idempotence, a person's edit, failures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.support.live import free_port

from amity.auth.models import AuditEntry
from amity.auth.permissions import LOCAL_ADMIN, Actor
from amity.core.db import session_scope
from amity.core.errors import Forbidden
from amity.partnerships.models import FieldProvenance, ImportBatch, Partnership, StewardRecord
from amity.partnerships.schemas import PartnershipUpdate
from amity.partnerships.service import update_partnership
from amity.places.models import Place
from amity.sync.service import Scope, apply_sync, plan_sync
from amity.sync.wikidata import Client, ClientSettings, SyncError

CN = Scope(country="CN")


def snapshot(engine) -> dict:
    """Everything a sync could change, to compare before and after."""
    with session_scope(engine) as s:
        return {
            "pairs": sorted(s.execute(select(
                Partnership.id, Partnership.place_a_id, Partnership.place_b_id,
                Partnership.established, Partnership.status)).all()),
            "places": sorted(s.execute(select(
                Place.id, Place.name, Place.name_zh, Place.population, Place.lat, Place.lon,
                Place.wikidata)).all()),
            "provenance": s.scalar(select(func.count()).select_from(FieldProvenance)),
            "stewards": s.scalar(select(func.count()).select_from(StewardRecord)),
            "audit": s.scalar(select(func.count()).select_from(AuditEntry)),
            "batches": s.scalar(select(func.count()).select_from(ImportBatch)),
        }  # fmt: skip


def sync(engine, settings, scope=CN, *, write=True, **kw):
    with session_scope(engine) as session:
        plan = plan_sync(session, scope, Client(settings, **kw))
        if write:
            apply_sync(session, plan, actor=LOCAL_ADMIN)
        return plan


def established(engine, ids, a, b) -> str | None:
    low, high = sorted((ids[a], ids[b]))
    with session_scope(engine) as s:
        return s.scalar(select(Partnership.established).where(
            Partnership.place_a_id == low, Partnership.place_b_id == high))  # fmt: skip


def test_dry_run_shows_the_diff_and_changes_nothing(engine, world, client_settings, endpoint):
    before = snapshot(engine)
    plan = sync(engine, client_settings, write=False)
    assert snapshot(engine) == before
    counts = plan.counts()
    assert counts["new_pairs"] == 3 and counts["new_places"] == 2
    assert {(c.label, c.new) for c in plan.dates} == {
        ("Nanjing – Paris", "1985-06"),  # month precision: no day invented
        ("Chengdu – Houston", "2000"),  # year precision: 2000-01-01 is not a day
    }
    assert {(n.label, n.established) for n in plan.new_pairs} == {
        ("Nanjing – Florence", "1980-02-22"), ("Chengdu – San Francisco", "1979"),
        ("Suzhou – Venice", "1980"),  # matched by GB/T code and GeoNames id: no new place
    }  # fmt: skip
    # The places matched by a code learn their Q-ids.
    assert {(c.label, c.field, c.new) for c in plan.others if c.field == "wikidata"} == {
        ("Suzhou", "wikidata", "Q42622"), ("Venice", "wikidata", "Q641")}
    # The Hong Kong rendering 三藩市 becomes the mainland name.
    assert {p.qid: p.name_zh for p in plan.new_places} == {"Q2044": "佛罗伦萨", "Q62": "旧金山"}
    conflicts = {(c.label, c.field): (c.stored, c.wikidata) for c in plan.conflicts}
    assert conflicts[("Nanjing – Osaka", "established")] == ("1990", "1991")
    assert {s.label: (s.reason, s.detail) for s in plan.skipped} == {
        "Nanjing – Vienna": ("ended", "2010"),
        "Chengdu – Mexico City": ("no start date", ""),
        "Chengdu – Saint Petersburg":
            ("no usable start date", "precision 8"),
        "Suzhou – Lyon": ("a place of that name is stored without this Q-id", f"#{world['lyon']}"),
    }  # fmt: skip
    # A polite client: it says who it is and what it wants.
    agent = endpoint.requests[0]["user_agent"]
    assert agent.startswith("Amity/") and "contact: fao@example.org" in agent
    assert endpoint.requests[0]["accept"] == "application/sparql-results+json"


def test_sync_writes_with_provenance_and_is_idempotent(engine, world, client_settings, endpoint):
    plan = sync(engine, client_settings)
    assert plan.written
    assert established(engine, world, "nanjing", "paris") == "1985-06"
    assert established(engine, world, "chengdu", "houston") == "2000"
    assert established(engine, world, "nanjing", "osaka") == "1990"  # the conflict is kept
    with session_scope(engine) as s:
        florence = s.scalar(select(Place).where(Place.wikidata == "Q2044"))
        assert (florence.name, florence.name_zh, florence.source) == ("Florence", "佛罗伦萨",
                                                                      "wikidata")  # fmt: skip
        assert florence.parent_id == world["tuscany"]
        pair = s.scalar(select(Partnership).where(Partnership.place_b_id == florence.id))
        assert (pair.established, pair.source, pair.source_ref) == (
            "1980-02-22", "wikidata", "Q16666$4A1B0C2D-0003")
        record = s.scalar(select(StewardRecord).where(StewardRecord.partnership_id == pair.id))
        assert record.steward == "local-admin" and record.signed_on == "1980-02-22"
        assert "Q16666$4A1B0C2D-0003" in record.document
        assert endpoint.url in record.evidence_source and "retrieved" in record.evidence_source
        prov = s.scalar(select(FieldProvenance).where(
            FieldProvenance.entity == "partnership", FieldProvenance.entity_id == pair.id))
        assert (prov.source, prov.statement, prov.value) == (
            "wikidata", "Q16666$4A1B0C2D-0003", "1980-02-22")
        assert prov.retrieved_at is not None and prov.batch_id == plan.batch_id
        houston = s.get(Place, world["houston"])
        assert (houston.name_zh, houston.population, houston.population_source) == (
            "休斯敦", 2304580, "wikidata")
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "steward_sync")).all()
        assert len(audit) == 1 and audit[0].after["counts"]["new_pairs"] == 3
        assert s.get(Place, world["suzhou"]).wikidata == "Q42622"
    after_first = snapshot(engine)
    again = sync(engine, client_settings)
    assert again.empty and not again.new_pairs and not again.changes
    # Nothing new: only the run's own batch and audit entry are added.
    second = snapshot(engine)
    assert {k: v for k, v in second.items() if k not in ("audit", "batches")} == {
        k: v for k, v in after_first.items() if k not in ("audit", "batches")}
    # Suzhou now has its Q-id, so the second run's query names it so: a new question.
    assert len(endpoint.requests) == 2 and "wd:Q42622" in endpoint.requests[1]["query"]
    # A third run uses the cached answer: kind to the endpoint.
    assert sync(engine, client_settings, write=False).empty and len(endpoint.requests) == 2


def test_a_persons_edit_survives_a_later_sync(engine, world, client_settings):
    sync(engine, client_settings)
    low, high = sorted((world["chengdu"], world["houston"]))
    with session_scope(engine) as s:
        pair_id = s.scalar(select(Partnership.id).where(
            Partnership.place_a_id == low, Partnership.place_b_id == high))  # fmt: skip
        officer = Actor(name="officer", role="national_admin")
        update_partnership(s, pair_id, PartnershipUpdate(established="2001-05"), actor=officer)
        # A person also cleared Houston's synced Chinese name.
        s.get(Place, world["houston"]).name_zh = None
    plan = sync(engine, client_settings, fresh=True)
    assert established(engine, world, "chengdu", "houston") == "2001-05"
    reasons = {(c.label, c.field): c.reason for c in plan.conflicts}
    # The edit marked the field as a person's (partnerships.service → sync.mark_person).
    assert reasons[("Chengdu – Houston", "established")] == "entered by a person"
    assert reasons[("Houston", "name_zh")] == "cleared by someone since the last sync"
    with session_scope(engine) as s:
        assert s.get(Place, world["houston"]).name_zh is None


def test_a_field_marked_as_a_persons_is_never_written(engine, world, client_settings):
    from datetime import datetime

    with session_scope(engine) as s:
        low, high = sorted((world["nanjing"], world["paris"]))
        pair_id = s.scalar(select(Partnership.id).where(
            Partnership.place_a_id == low, Partnership.place_b_id == high))  # fmt: skip
        s.add(FieldProvenance(entity="partnership", entity_id=pair_id, field="established",
                              value=None, source="person", recorded_at=datetime.now()))  # fmt: skip
    plan = sync(engine, client_settings)
    assert established(engine, world, "nanjing", "paris") is None
    assert ("Nanjing – Paris", "entered by a person") in {
        (c.label, c.reason) for c in plan.conflicts}


def test_only_a_registry_steward_may_write(engine, world, client_settings):
    before = snapshot(engine)
    officer = Actor(name="city", role="city_officer", place_id=world["nanjing"])
    with session_scope(engine) as session:
        plan = plan_sync(session, CN, Client(client_settings))
        with pytest.raises(Forbidden):
            apply_sync(session, plan, actor=officer)
    assert snapshot(engine) == before


def test_both_directions_of_a_twinning_are_one_pair(engine, world, client_settings):
    plan = sync(engine, client_settings, Scope(), write=False)
    paris = [c for c in plan.dates if c.label.endswith("Paris") or c.label.startswith("Paris")]
    assert [(c.new) for c in paris] == ["1985-06"]  # 1985 (Paris → Nanjing) agrees, less precise


def test_batches_resume_after_a_failure(engine, world, client_settings, endpoint):
    # Two batches of one place; the second is refused until the tries run out.
    endpoint.script = ["ok", "429", "429", "429"]
    before = snapshot(engine)
    with session_scope(engine) as session, pytest.raises(SyncError) as failed:
        plan_sync(session, CN, Client(client_settings), batch_size=1)
    assert "busy: HTTP 429 after 3 tries" in failed.value.message
    assert snapshot(engine) == before
    asked = len(endpoint.requests)
    with session_scope(engine) as session:
        plan = plan_sync(session, CN, Client(client_settings), batch_size=1)
    assert len(plan.new_pairs) == 3
    # Only the batches not answered yet were asked (the second, Suzhou; the third, Chengdu).
    assert len(endpoint.requests) == asked + 2
    assert '"320500" "320500000000"' in endpoint.requests[-2]["query"]
    assert "wd:Q30002" in endpoint.requests[-1]["query"]


def test_retry_after_429_and_5xx_then_success(engine, world, client_settings, endpoint):
    endpoint.script = ["429", "503"]
    plan = sync(engine, client_settings, write=False)
    assert len(endpoint.requests) == 3 and len(plan.new_pairs) == 3


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("offline", "Cannot reach the Wikidata endpoint"),
        ("429", "Wikidata is busy: HTTP 429 after 3 tries"),
        ("slow", "Wikidata did not answer within 0.5 seconds (3 tries)"),
        ("malformed", "Wikidata's answer is not SPARQL JSON results (batch 1): not JSON"),
        ("empty", "Wikidata has no twinning statements for the 3 places in scope"),
        ("refused", "Wikidata refused the query: HTTP 400"),
    ],
)
def test_each_failure_gives_a_clear_message_and_writes_nothing(
    engine, world, client_settings, endpoint, behaviour, message
):
    settings = client_settings
    if behaviour == "offline":
        settings = ClientSettings(endpoint=f"http://127.0.0.1:{free_port()}/sparql", tries=3,
                                  backoff=0.01, cache_dir=client_settings.cache_dir)  # fmt: skip
    else:
        endpoint.default = behaviour
        endpoint.slow_seconds = 1.0
    before = snapshot(engine)
    with pytest.raises(SyncError) as failed:
        sync(engine, settings)
    assert message in failed.value.message
    assert "Nothing was written" in failed.value.message or behaviour == "empty"
    assert snapshot(engine) == before
    # A failed batch is not cached: the next run asks again (an empty answer is an answer).
    assert behaviour == "empty" or not list(client_settings.cache_dir.glob("*.json"))


def test_a_scope_without_q_ids_says_so(engine, world, client_settings):
    with session_scope(engine) as session, pytest.raises(SyncError) as failed:
        plan_sync(session, Scope(country="MX"), Client(client_settings))
    assert "No place in scope has a Wikidata Q-id (country MX)" in failed.value.message


def test_a_place_scope_takes_ids_and_q_ids(engine, world, client_settings, endpoint):
    plan = sync(engine, client_settings, Scope(places=(str(world["chengdu"]),)), write=False)
    assert plan.places_in_scope == 1
    plan = sync(engine, client_settings, Scope(places=("q16666", "Q30002")), write=False)
    assert plan.places_in_scope == 2
    from amity.core.errors import InvalidInput

    with session_scope(engine) as session, pytest.raises(InvalidInput):
        plan_sync(session, Scope(places=("wd:Q1 } ?x ?y {",)), Client(client_settings))


def test_a_pair_recorded_meanwhile_stops_the_write(engine, world, client_settings):
    from amity.core.errors import Conflict

    before = None
    with pytest.raises(Conflict) as stopped, session_scope(engine) as session:
        plan = plan_sync(session, CN, Client(client_settings))
        with session_scope(engine) as other:  # someone records Suzhou – Venice meanwhile
            low, high = sorted((world["suzhou"], world["venice"]))
            other.add(Partnership(place_a_id=low, place_b_id=high, kind="sister_city",
                                  level="city_city", status="active", source="person"))
        before = snapshot(engine)
        apply_sync(session, plan, actor=LOCAL_ADMIN)
    assert "nothing was written" in stopped.value.message
    assert snapshot(engine) == before


def test_answers_carried_to_a_server_without_internet(engine, world, client_settings, endpoint):
    """An office fetches the answers where there is internet (with a copy of the database) and
    carries the cache directory to its offline server, which syncs from it."""
    first = sync(engine, client_settings, write=False)
    endpoint.shutdown()
    endpoint.server_close()  # the endpoint is gone: only the carried answers remain
    plan = sync(engine, client_settings)
    assert plan.written and plan.fingerprint() == first.fingerprint()
    assert established(engine, world, "nanjing", "paris") == "1985-06"


def test_a_date_a_person_cleared_is_not_filled_again(engine, world, client_settings):
    low, high = sorted((world["nanjing"], world["paris"]))
    with session_scope(engine) as s:
        pair_id = s.scalar(select(Partnership.id).where(
            Partnership.place_a_id == low, Partnership.place_b_id == high))  # fmt: skip
        officer = Actor(name="officer", role="national_admin")
        update_partnership(s, pair_id, PartnershipUpdate(established="1986"), actor=officer)
        update_partnership(s, pair_id, PartnershipUpdate(established=None), actor=officer)
    plan = sync(engine, client_settings)
    assert established(engine, world, "nanjing", "paris") is None
    assert ("Nanjing – Paris", "established", "entered by a person") in {
        (c.label, c.field, c.reason) for c in plan.conflicts}
