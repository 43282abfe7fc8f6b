"""The workflow core: declared steps and the one audited transition, canonical content hashes, four-eyes
approvals that lapse when the content changes, and optimistic locking that refuses the second of two saves
(also when the two really race, on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.core.test_sequences import database_kinds, isolated_app, run_at_once
from tests.factories import InspectionFactory, UserFactory
from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError, StateTransitionError
from wki.core.extensions import db
from wki.core.status import LabelledEnum
from wki.core.workflow import (
    Approval,
    ConcurrentEditError,
    Step,
    Workflow,
    active_approval,
    approve,
    canonical_json,
    check_version,
    content_hash,
    flush_versioned,
    valid_approval,
    void_approvals,
)


class Light(LabelledEnum):
    RED = "rood", "Rood"
    GREEN = "groen", "Groen"
    AMBER = "oranje", "Oranje"
    OFF = "uit", "Uit"


class LightAction(LabelledEnum):
    CHANGED = "test.licht", "Licht gewijzigd"
    APPROVED = "test.goedgekeurd", "Goedgekeurd"
    VOIDED = "test.vervallen", "Goedkeuring vervallen"


audit.register_actions(LightAction)

FLOW = Workflow(what="het licht", object_type="licht", action=LightAction.CHANGED, steps=(
    Step(Light.RED, Light.GREEN, "Op groen"),
    Step(Light.GREEN, Light.AMBER, "Op oranje"),
    Step(Light.AMBER, Light.RED, "Op rood"),
    Step(Light.RED, Light.OFF, "Uitzetten"),
))
ALLOWED = {(Light.RED, Light.GREEN), (Light.GREEN, Light.AMBER), (Light.AMBER, Light.RED), (Light.RED, Light.OFF)}
PAIRS = list(itertools.product(Light, Light))
ACTOR = Actor("inspecteur@example.org", user_id=None)


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "licht"))


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_of_statuses_is_allowed_or_refused_as_declared(db_session, current, target):
    light = SimpleNamespace(id=7, status=current)
    before = _events()
    if (current, target) in ALLOWED:
        step = FLOW.transition(light, target, actor=ACTOR, reason="test")
        assert light.status == target and step.target == target
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "licht")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event is not None and _events() == before + 1
        assert (event.action, event.object_id, event.before, event.after) == (
            "test.licht", "7", {"status": current.value}, {"status": target.value, "reden": "test"})
    else:
        with pytest.raises(StateTransitionError) as refused:
            FLOW.transition(light, target, actor=ACTOR)
        assert light.status == current, "a refused step changes nothing"
        assert _events() == before, "a refused step writes nothing"
        message = refused.value.message
        assert f"‘{current.label}’" in message and f"‘{target.label}’" in message and "Er is niets gewijzigd." in message


def test_the_refusal_names_the_steps_that_are_possible():
    with pytest.raises(StateTransitionError, match="Mogelijk is nu: ‘Op groen’ \\(naar ‘Groen’\\), ‘Uitzetten’"):
        FLOW.step(Light.RED, Light.AMBER)
    with pytest.raises(StateTransitionError, match="geen stap meer mogelijk"):
        FLOW.step(Light.OFF, Light.RED)


def test_a_step_cannot_be_declared_twice_or_onto_itself():
    with pytest.raises(ValueError):
        Workflow(what="x", object_type="x", action=LightAction.CHANGED,
                 steps=(Step(Light.RED, Light.GREEN, "a"), Step(Light.RED, Light.GREEN, "b")))
    with pytest.raises(ValueError):
        Workflow(what="x", object_type="x", action=LightAction.CHANGED, steps=(Step(Light.RED, Light.RED, "a"),))


# ---------------------------------------------------------------- content hashes

def test_the_canonical_form_ignores_key_order_and_keeps_types_apart():
    a = {"b": [1, "2"], "a": {"y": date(2026, 1, 2), "x": Decimal("1.50")}}
    b = {"a": {"x": Decimal("1.5"), "y": date(2026, 1, 2)}, "b": [1, "2"]}
    assert canonical_json(a) == canonical_json(b) == '{"a":{"x":"1.5","y":"2026-01-02"},"b":[1,"2"]}'
    assert content_hash(a) == content_hash(b)
    assert content_hash({"b": [1, 2]}) != content_hash({"b": [1, "2"]})
    assert content_hash({"t": "é"}) != content_hash({"t": "e"})
    assert content_hash(b"%PDF-1.7") == hashlib.sha256(b"%PDF-1.7").hexdigest(), "a PDF is hashed as its bytes"
    assert content_hash(Decimal("2")) == content_hash(Decimal("2.00"))
    assert canonical_json(datetime(2026, 1, 2, 3, 4)) == '"2026-01-02T03:04:00"'
    with pytest.raises(TypeError):
        content_hash({"x": 1.5})  # a float has no single text form
    with pytest.raises(TypeError):
        content_hash({"x": object()})


# ---------------------------------------------------------------- four-eyes approvals

def _approve(actor: Actor, *, authors=(), content="abc", object_id=1) -> Approval:
    return approve(object_type="licht", object_id=object_id, content_sha256=content_hash(content), authors=authors,
                   actor=actor, action=LightAction.APPROVED, what="het licht")


def test_an_approval_names_the_approver_and_the_content(db_session):
    reviewer = UserFactory()
    approval = _approve(Actor.of(reviewer), authors=[UserFactory().id])
    assert (approval.approver_id, approval.approver_label) == (reviewer.id, reviewer.email)
    assert approval.content_sha256 == content_hash("abc")
    assert valid_approval("licht", 1, content_hash("abc")) is approval
    assert valid_approval("licht", 1, content_hash("abd")) is None, "other content is not approved"


def test_an_author_or_a_process_cannot_approve(db_session):
    author = UserFactory()
    with pytest.raises(ServiceError, match="niet zelf goedkeuren"):
        _approve(Actor.of(author), authors=[author.id, None])
    with pytest.raises(ServiceError, match="Alleen een persoon"):
        _approve(Actor.cli())
    assert active_approval("licht", 1) is None


def test_a_second_approval_is_refused_and_a_void_one_can_be_given_again(db_session):
    first, second = UserFactory(), UserFactory()
    _approve(Actor.of(first))
    with pytest.raises(ServiceError, match="al goedgekeurd"):
        _approve(Actor.of(second))
    assert void_approvals("licht", 1, reason="inhoud gewijzigd", actor=ACTOR, action=LightAction.VOIDED) == 1
    assert void_approvals("licht", 1, reason="nogmaals", actor=ACTOR) == 0
    assert valid_approval("licht", 1, content_hash("abc")) is None
    voided = db.session.scalars(sa.select(Approval)).one()
    assert voided.voided_at is not None and voided.void_reason == "inhoud gewijzigd"
    again = _approve(Actor.of(second), content="abd")
    assert valid_approval("licht", 1, content_hash("abd")) is again


@pytest.mark.parametrize("kind", database_kinds())
def test_two_reviewers_approving_at_once_give_one_approval(kind, tmp_path):
    """The partial unique index keeps one active approval, also between two transactions."""
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            ids = [UserFactory().id for _ in range(2)]
            db.session.commit()

        def work(i: int) -> int:
            return _approve(Actor(f"r{i}@example.org", user_id=ids[i])).id

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert "goedgekeurd" in errors[0]
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Approval)) == 1


# ---------------------------------------------------------------- optimistic locking

def test_a_save_based_on_an_older_version_is_refused(db_session):
    inspection = InspectionFactory()
    check_version(inspection, inspection.version, what="de inspectie")
    inspection.aanleiding = "eerste"
    db.session.flush()
    assert inspection.version == 2, "every update raises the version"
    with pytest.raises(ConcurrentEditError, match="De inspectie is intussen door iemand anders gewijzigd"):
        check_version(inspection, 1, what="de inspectie")
    with pytest.raises(ConcurrentEditError):
        check_version(inspection, None, what="de inspectie")


@pytest.mark.parametrize("kind", database_kinds())
def test_of_two_saves_that_race_the_second_is_refused_never_lost(kind, tmp_path):
    """Both forms showed version 1. On PostgreSQL both read version 1 and pass the check (a barrier holds
    them there); the UPDATE of the second finds version 2 and is refused. SQLite lets one writer in at a
    time, so the second reads version 2 and the check refuses it. Either way: refused, never lost."""
    import threading

    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            inspection_id = InspectionFactory().id
            db.session.commit()
        read = threading.Barrier(2)

        def work(i: int) -> str:
            from wki.supervision.models import Inspection

            row = db.session.get(Inspection, inspection_id)
            check_version(row, 1, what="de inspectie")
            if kind == "postgresql":
                read.wait(timeout=30)  # both have read version 1 and passed the check
            with flush_versioned("de inspectie"):
                row.aanleiding = f"schrijver {i}"
            return row.aanleiding

        results, errors = run_at_once(app, 2, work)
        assert len(results) == 1, (results, errors)
        assert len(errors) == 1 and "intussen door iemand anders gewijzigd" in errors[0], errors
        with app.app_context():
            from wki.supervision.models import Inspection

            row = db.session.get(Inspection, inspection_id)
            assert (row.aanleiding, row.version) == (results[0], 2)
