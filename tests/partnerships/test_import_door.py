"""One door into the registry for imports: only a registry steward's import records partnerships;
anyone else's (and the command line's, unless --as-steward) drafts proposals for review."""

from __future__ import annotations

import os

from sqlalchemy import func, select
from typer.testing import CliRunner

from amity.auth.models import AuditEntry
from amity.auth.permissions import CITY, Actor
from amity.cli import app
from amity.core.db import session_scope
from amity.partnerships.importer import import_partnerships
from amity.partnerships.models import Partnership
from amity.places.models import Place
from amity.proposals.models import Proposal


def _count(engine, table) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


def _city_officer(engine, name: str) -> Actor:
    with session_scope(engine) as session:
        city = session.scalars(
            select(Place).where(Place.name == name, Place.country_code == "CN",
                                Place.gb_code.is_not(None))
        ).first()  # fmt: skip
        return Actor(name="hz-officer", role=CITY, place_id=city.id, place_gb_code=city.gb_code,
                     place_province_code=city.province_code)  # fmt: skip


def test_a_city_officers_import_drafts_proposals_for_its_city_only(gazetteer_any, data_dir):
    officer = _city_officer(gazetteer_any, "Hangzhou")
    pairs = _count(gazetteer_any, Partnership)
    with session_scope(gazetteer_any) as session:
        refused = import_partnerships(session, data_dir / "good.csv", actor=officer)
    # Four rows are other cities' pairs: the whole file is refused, nothing is drafted.
    assert (refused.written, refused.invalid, refused.mode) == (False, 4, "proposals")
    assert "outside your scope" in refused.problems[0].reason
    with session_scope(gazetteer_any) as session:
        report = import_partnerships(session, data_dir / "good.csv", actor=officer, partial=True)
    assert (report.proposals, report.imported, report.written) == (1, 0, True)
    assert _count(gazetteer_any, Partnership) == pairs  # nothing entered the registry
    with session_scope(gazetteer_any) as session:
        proposal = session.scalars(select(Proposal)).one()
        assert (proposal.status, proposal.created_by) == ("draft", "hz-officer")
        assert proposal.place.name == "Hangzhou" and proposal.partner.name == "Gifu"
        assert "line 2" in proposal.rationale and "1979-02-21" in proposal.rationale
        assert session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "import_batch")).all() == ["import_proposals"]  # fmt: skip
    # The same file again: the open proposal counts as a duplicate, nothing new is drafted.
    with session_scope(gazetteer_any) as session:
        again = import_partnerships(session, data_dir / "good.csv", actor=officer, partial=True)
    assert (again.proposals, again.duplicates) == (0, 1)


def test_the_command_line_drafts_proposals_unless_told_it_acts_as_the_steward(
    gazetteer_engine, data_dir
):
    env = {**os.environ,
           "AMITY_DATABASE_URL": gazetteer_engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    pairs = _count(gazetteer_engine, Partnership)
    drafted = runner.invoke(app, ["import", str(data_dir / "good.csv")], env=env)
    assert drafted.exit_code == 0, drafted.stdout
    assert "Drafted 5 proposals for review" in drafted.stdout
    assert (_count(gazetteer_engine, Partnership), _count(gazetteer_engine, Proposal)) == (pairs, 5)
    steward = runner.invoke(app, ["import", str(data_dir / "good.csv"), "--as-steward"], env=env)
    assert steward.exit_code == 0 and "as the registry steward" in steward.stdout
    assert _count(gazetteer_engine, Partnership) == pairs + 5
    with session_scope(gazetteer_engine) as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "import_batch").order_by(AuditEntry.id)).all()  # fmt: skip
    assert actions == ["import_proposals", "steward_import"]
