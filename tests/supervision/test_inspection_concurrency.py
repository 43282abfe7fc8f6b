"""Two people at once, with real commits from two threads, on SQLite and PostgreSQL: two inspectors starting an
inspection of the same agency get one inspection; two clicks on "Rapport uitgeven" issue one report; a judgement
saved by two people based on the same version keeps the first and refuses the second. Each refusal is a Dutch
message, never a lost write or a server error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from tests.supervision import helpers as h
from wki.auth.models import User
from wki.core.extensions import db
from wki.documents.models import Document
from wki.supervision import inspections
from wki.supervision.models import Inspection, InspectionItem, InspectionStatus, Judgement

pytestmark = pytest.mark.parametrize("kind", database_kinds())


def _team(ids: tuple[int, int]) -> h.Team:
    """A team read in this thread's own session (rows from another session are detached here)."""
    return h.Team(db.session.get(User, ids[0]), db.session.get(User, ids[1]))


def _ids(team: h.Team) -> tuple[int, int]:
    return team.inspector.id, team.reviewer.id


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_two_inspectors_starting_at_once_make_one_inspection(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            number = h.registration(1)
            teams = [_ids(h.team(factories)), _ids(h.team(factories))]
            db.session.commit()

        def work(i: int) -> str:
            return h.start(_team(teams[i]), number).nummer

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "ServiceError" in errors[0] and ("al een inspectie" in errors[0]), errors
        with app.app_context():
            assert _count(Inspection) == 1


def test_two_clicks_on_issue_report_issue_one_report(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            team = h.team(factories)
            inspection = h.in_status(team, h.registration(2), InspectionStatus.IN_REVIEW)
            h.approved(team, inspection)
            inspection_id, ids = inspection.id, _ids(team)
            documents_before = _count(Document)
            db.session.commit()

        def work(_i: int) -> str | None:
            return inspections.issue_report(inspection_id, actor=_team(ids).me).report_kenmerk

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "Error" in errors[0] and ("afgerond" in errors[0].lower() or "intussen" in errors[0]), errors
        with app.app_context():
            assert _count(Document) == documents_before + 1
            closed = db.session.get(Inspection, inspection_id)
            assert closed.status == InspectionStatus.DONE and closed.report_kenmerk == results[0]


def test_two_judgements_on_the_same_version_keep_the_first(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            team = h.team(factories)
            inspection = h.in_status(team, h.registration(3), InspectionStatus.IN_PROGRESS)
            item = inspection.items[0]
            item_id, version, ids = item.id, item.version, _ids(team)
            db.session.commit()
        judgements = [Judgement.COMPLIES, Judgement.NOT_APPLICABLE]

        def work(i: int) -> str:
            return inspections.judge_item(item_id, judgement=judgements[i], finding=None, version=version,
                                          actor=_team(ids).me).judgement.value

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "intussen door iemand anders gewijzigd" in errors[0], errors
        with app.app_context():
            kept = db.session.get(InspectionItem, item_id)
            assert (kept.judgement.value, kept.version) == (results[0], version + 1)
