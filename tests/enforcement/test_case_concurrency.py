"""Two officers at once, with real commits from two threads, on SQLite and PostgreSQL: opening a case about
the same party makes one case (the other is told which); two saves based on the same version keep the first."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories
from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from tests.supervision import helpers as sup
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.enforcement import cases
from wki.enforcement.models import Case, SubjectKind

pytestmark = pytest.mark.parametrize("kind", database_kinds())


def test_two_officers_opening_at_once_make_one_case(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            nummer = sup.registration(1)
            users = [factories.UserFactory(roles=[Role.HANDHAVER]).id for _ in range(2)]
            db.session.commit()

        def work(i: int) -> str:
            user = db.session.get(User, users[i])
            return cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=nummer,
                                   provisions=["wki_13"], officer_id=user.id, actor=Actor.of(user)).nummer

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "ServiceError" in errors[0] and ("al een zaak" in errors[0] or "loopt al zaak" in errors[0]), errors
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_two_saves_on_the_same_version_keep_the_first(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            user = factories.UserFactory(roles=[Role.HANDHAVER])
            case = cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=sup.registration(2),
                                   provisions=["wki_13"], officer_id=user.id, actor=Actor.of(user))
            case_id, version, user_id = case.id, case.version, user.id
            db.session.commit()

        def work(i: int) -> int:
            user = db.session.get(User, user_id)
            return cases.update_case(case_id, expected_version=version, feiten=f"Versie {i}.",
                                     actor=Actor.of(user)).version

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "intussen door iemand anders gewijzigd" in errors[0]
        with app.app_context():
            assert db.session.get(Case, case_id).feiten in ("Versie 0.", "Versie 1.")
