"""The audit trail: what record() writes, that it shares the caller's transaction, that nothing can
change or remove an event (neither the ORM nor raw SQL), and how the trail is searched."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import g
from flask_login import login_user

from wki.auth import services as accounts
from wki.auth.models import User
from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit import AuditEvent, AuditFilter
from wki.core.clock import utcnow
from wki.core.extensions import db


def _events(**where) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


class TestRecord:
    def test_records_who_when_what_and_the_values(self, app, db_session, factories):
        """In a request, the logged-in user, their address and the request id are recorded."""
        user = factories.UserFactory(email="schrijver@inspectie.example.nl")
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}):
            login_user(user)
            g.request_id = "req-123"
            before_call = utcnow()
            evt = audit.record(
                "dossier.gewijzigd", object_type="dossier", object_id=42,
                before={"status": "open", "termijn": date(2026, 3, 1)},
                after={"status": "gesloten", "labels": {"b", "a"}, "bedrag": 12.5},
            )
            after_call = utcnow()
        event_id = evt.id
        db_session.expire_all()

        stored = db_session.get(AuditEvent, event_id)
        assert stored.actor_id == user.id
        assert stored.actor_email == "schrijver@inspectie.example.nl"
        assert stored.action == "dossier.gewijzigd"
        assert stored.object_type == "dossier"
        assert stored.object_id == "42"  # always stored as text
        assert stored.before == {"status": "open", "termijn": "2026-03-01"}
        assert stored.after == {"status": "gesloten", "labels": ["a", "b"], "bedrag": 12.5}
        assert stored.ip_address == "192.0.2.7"
        assert stored.request_id == "req-123"
        assert stored.occurred_at.tzinfo is not None
        assert before_call - timedelta(seconds=1) <= stored.occurred_at <= after_call + timedelta(seconds=1)

    def test_outside_a_request_the_given_actor_name_is_recorded(self, db_session):
        evt = audit.record("taak.uitgevoerd", actor=Actor.process("job:housekeeping"))
        assert evt.actor_id is None
        assert evt.actor_email == "job:housekeeping"
        assert evt.ip_address is None
        assert evt.request_id is None
        assert evt.before is None and evt.after is None

    def test_an_explicit_actor_wins_over_the_logged_in_user(self, app, db_session, factories):
        logged_in = factories.UserFactory()
        other = factories.UserFactory()
        with app.test_request_context("/"):
            login_user(logged_in)
            evt = audit.record("test.actor", actor=Actor.of(other))
        assert (evt.actor_id, evt.actor_email) == (other.id, other.email)

    def test_is_written_in_the_callers_transaction_and_rolled_back_with_it(self, db_session):
        """A service's change and its audit event are committed or rolled back together."""
        user = accounts.create_user(email="tijdelijk@inspectie.example.nl", name="Tijdelijk", roles=["inspecteur"],
                                    password="een-lang-genoeg-wachtwoord", actor=Actor.process("cli"))
        user_id = user.id
        assert _events(action="gebruiker.aangemaakt", object_id=str(user_id))

        db_session.rollback()

        assert db_session.get(User, user_id) is None
        assert _events(action="gebruiker.aangemaakt", object_id=str(user_id)) == []

    def test_committed_with_the_change(self, db_session):
        user = accounts.create_user(email="blijvend@inspectie.example.nl", name="Blijvend", roles=["inspecteur"],
                                    password="een-lang-genoeg-wachtwoord", actor=Actor.process("cli"))
        db_session.commit()
        db_session.rollback()  # nothing left to undo: both were committed together
        [evt] = _events(action="gebruiker.aangemaakt", object_id=str(user.id))
        assert evt.after["email"] == "blijvend@inspectie.example.nl"
        assert evt.actor_email == "cli"


class TestAppendOnly:
    def test_orm_refuses_update(self, db_session):
        evt = audit.record("test.onveranderlijk", after={"x": 1})
        evt.action = "test.vervalst"
        with pytest.raises(PermissionError, match="append-only"):
            db_session.flush()
        db_session.rollback()

    def test_orm_refuses_delete(self, db_session):
        evt = audit.record("test.onverwijderbaar")
        db_session.delete(evt)
        with pytest.raises(PermissionError, match="append-only"):
            db_session.flush()
        db_session.rollback()

    def test_orm_allows_adding_further_events(self, db_session):
        first = audit.record("test.een")
        second = audit.record("test.twee")
        assert second.id > first.id

    @pytest.mark.parametrize("statement", [
        "UPDATE audit_event SET action = 'test.vervalst' WHERE id = :id",
        "UPDATE audit_event SET after = NULL",
        "DELETE FROM audit_event WHERE id = :id",
        "DELETE FROM audit_event",
    ])
    def test_database_refuses_raw_update_and_delete(self, db_session, statement):
        """Triggers from migration 0001 refuse changes that bypass the ORM, on SQLite and PostgreSQL."""
        evt = audit.record("test.onaantastbaar", after={"x": 1})
        event_id = evt.id
        # A savepoint keeps the failed statement from poisoning the test's transaction (PostgreSQL).
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db_session.begin_nested():
            db_session.execute(sa.text(statement), {"id": event_id})

        row = db_session.execute(sa.text("SELECT action FROM audit_event WHERE id = :id"), {"id": event_id}).one()
        assert row.action == "test.onaantastbaar"

    def test_database_refuses_bulk_orm_statements(self, db_session):
        """``session.execute(update(...))`` skips the flush hook; the database still refuses it."""
        evt = audit.record("test.bulk")
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db_session.begin_nested():
            db_session.execute(sa.update(AuditEvent).where(AuditEvent.id == evt.id).values(action="x"))
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db_session.begin_nested():
            db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == evt.id))

    def test_database_refuses_truncate(self, db_session):
        """PostgreSQL: TRUNCATE is refused too. SQLite has no TRUNCATE; its unqualified DELETE is refused
        (see above), which is what SQLite's truncate optimisation would otherwise do."""
        audit.record("test.truncate")
        dialect = db_session.get_bind().dialect.name
        statement = "TRUNCATE audit_event" if dialect == "postgresql" else "DELETE FROM audit_event"
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db_session.begin_nested():
            db_session.execute(sa.text(statement))
        assert _events(action="test.truncate")


class TestSearch:
    """audit.search with an AuditFilter (the admin page's query), dates as Dutch calendar days."""

    def _ids(self, flt: AuditFilter, *, page: int = 1, per_page: int = 50) -> list[int]:
        return [e.id for e in audit.search(flt, page=page, per_page=per_page).items]

    def test_filters_by_user_substring_case_insensitively(self, db_session, audit_event_at):
        now = utcnow()
        a = audit_event_at(now, action="zoek.gebruiker", actor_email="anouk.devries@inspectie.example.nl")
        audit_event_at(now, action="zoek.gebruiker", actor_email="bram@inspectie.example.nl")
        assert self._ids(AuditFilter(actor="  DEVRIES ", action="zoek.gebruiker")) == [a.id]

    def test_user_filter_treats_like_wildcards_literally(self, db_session, audit_event_at):
        now = utcnow()
        literal = audit_event_at(now, action="zoek.wildcard", actor_email="a_b@inspectie.example.nl")
        audit_event_at(now, action="zoek.wildcard", actor_email="axb@inspectie.example.nl")
        assert self._ids(AuditFilter(actor="a_b", action="zoek.wildcard")) == [literal.id]
        assert self._ids(AuditFilter(actor="%", action="zoek.wildcard")) == []

    def test_filters_by_exact_action(self, db_session, audit_event_at):
        now = utcnow()
        exact = audit_event_at(now, action="zoekactie.besluit")
        audit_event_at(now, action="zoekactie.besluit_ingetrokken")
        audit_event_at(now, action="zoekactie.anders")
        assert self._ids(AuditFilter(action="zoekactie.besluit")) == [exact.id]

    def test_filters_by_object_type_and_id(self, db_session, audit_event_at):
        now = utcnow()
        hit = audit_event_at(now, action="zoek.object", object_type="dossier", object_id="17")
        audit_event_at(now, action="zoek.object", object_type="dossier", object_id="170")
        audit_event_at(now, action="zoek.object", object_type="gebruiker", object_id="17")
        assert self._ids(AuditFilter(action="zoek.object", object_type="dossier", object_id="17")) == [hit.id]
        assert len(self._ids(AuditFilter(action="zoek.object", object_type="dossier"))) == 2
        assert len(self._ids(AuditFilter(action="zoek.object", object_id="17"))) == 2

    def test_day_boundary_is_the_amsterdam_calendar_day(self, db_session, audit_event_at):
        """23:30 UTC on 28 March 2026 is 00:30 on 29 March in Amsterdam (CET, UTC+1)."""
        late = audit_event_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), action="zoek.grens")
        before_midnight = audit_event_at(datetime(2026, 3, 28, 22, 59, tzinfo=UTC), action="zoek.grens")
        day = lambda d: AuditFilter(action="zoek.grens", date_from=d, date_to=d)  # noqa: E731

        assert self._ids(day(date(2026, 3, 29))) == [late.id]
        assert self._ids(day(date(2026, 3, 28))) == [before_midnight.id]

    def test_day_end_follows_summer_time(self, db_session, audit_event_at):
        """29 March 2026 ends at 22:00 UTC: summer time (UTC+2) began that night."""
        last = audit_event_at(datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC), action="zoek.zomertijd")
        next_day = audit_event_at(datetime(2026, 3, 29, 22, 0, tzinfo=UTC), action="zoek.zomertijd")
        flt = AuditFilter(action="zoek.zomertijd", date_from=date(2026, 3, 29), date_to=date(2026, 3, 29))
        assert self._ids(flt) == [last.id]
        flt = AuditFilter(action="zoek.zomertijd", date_from=date(2026, 3, 30))
        assert self._ids(flt) == [next_day.id]

    def test_period_includes_both_end_days(self, db_session, audit_event_at):
        ids = [audit_event_at(datetime(2026, 5, d, 10, tzinfo=UTC), action="zoek.periode").id for d in (1, 2, 3, 4)]
        flt = AuditFilter(action="zoek.periode", date_from=date(2026, 5, 2), date_to=date(2026, 5, 3))
        assert self._ids(flt) == [ids[2], ids[1]]
        assert self._ids(AuditFilter(action="zoek.periode", date_to=date(2026, 5, 1))) == [ids[0]]

    def test_newest_first_and_paginated(self, db_session, audit_event_at):
        start = datetime(2026, 6, 1, 8, tzinfo=UTC)
        ids = [audit_event_at(start + timedelta(minutes=i), action="zoek.pagina").id for i in range(55)]
        flt = AuditFilter(action="zoek.pagina")

        page1 = audit.search(flt, page=1, per_page=50)
        assert page1.total == 55
        assert [e.id for e in page1.items] == ids[::-1][:50]
        assert page1.has_next
        page2 = audit.search(flt, page=2, per_page=50)
        assert [e.id for e in page2.items] == ids[::-1][50:]
        assert not page2.has_next
        assert audit.search(flt, page=3, per_page=50).items == []

    def test_events_for_an_object(self, db_session, audit_event_at):
        old = audit_event_at(datetime(2026, 1, 1, tzinfo=UTC), object_type="dossier", object_id="5")
        new = audit_event_at(datetime(2026, 2, 1, tzinfo=UTC), object_type="dossier", object_id="5")
        audit_event_at(datetime(2026, 2, 1, tzinfo=UTC), object_type="dossier", object_id="6")
        assert [e.id for e in audit.events_for("dossier", 5)] == [new.id, old.id]

    def test_lists_actions_and_object_types_for_the_filter(self, db_session, audit_event_at):
        audit_event_at(utcnow(), action="lijst.b", object_type="soort_b")
        audit_event_at(utcnow(), action="lijst.a", object_type="soort_a")
        actions = audit.list_actions()
        assert actions.index("lijst.a") < actions.index("lijst.b")
        assert {"soort_a", "soort_b"} <= set(audit.list_object_types())
        assert None not in audit.list_object_types()
