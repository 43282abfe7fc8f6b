"""Reminders before a period ends: the officer gets one e-mail per period (through a real SMTP server on
localhost), with the last day and how it was computed; a period shifted to a new last day is reminded again;
without a mail server nothing is marked (the dashboard tile is the reminder then)."""

from __future__ import annotations

from datetime import date

from tests.core.test_mail import inbox  # noqa: F401  (the fixture)
from tests.enforcement.helpers import intention_sent, officers, on_day, registered_case
from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.enforcement import timelimits
from wki.enforcement.models import DeadlineKind


def test_one_reminder_per_period_with_the_explanation(factories, db_session, monkeypatch, inbox):  # noqa: F811
    team = officers(factories)
    on_day(monkeypatch, date(2026, 3, 10))
    case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))  # the view period ends 17 March
    assert timelimits.send_reminders(date(2026, 3, 13)) == {"termijnen": 0, "verstuurd": 0, "mislukt": 0}
    assert timelimits.send_reminders(date(2026, 3, 14)) == {"termijnen": 1, "verstuurd": 1, "mislukt": 0}
    (message,) = inbox.messages
    assert message["To"].endswith(f"<{team.officer.email}>") or message["To"] == team.officer.email
    assert case.nummer in message["Subject"] and "17 maart 2026" in message["Subject"]
    body = message.get_content()
    assert "over 3 dagen" in body and "Gebeurtenis: dinsdag 3 maart 2026." in body
    assert timelimits.send_reminders(date(2026, 3, 15))["termijnen"] == 0  # once
    assert len(inbox.messages) == 1
    events = db.session.query(AuditEvent).filter(AuditEvent.action == "zaak.herinnering").all()
    assert len(events) == 1 and events[0].after["termijn"] == "zienswijze"

    period = timelimits.running_of_kind(case, DeadlineKind.VIEW)
    timelimits.shift(period.id, kind="opschorting", days=14, reason="Gesprek gepland.", actor=team.me)
    assert timelimits.send_reminders(date(2026, 3, 28)) == {"termijnen": 1, "verstuurd": 1, "mislukt": 0}
    assert "31 maart 2026" in inbox.messages[-1]["Subject"]


def test_without_a_mail_server_nothing_is_marked(factories, db_session, monkeypatch, app):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    team = officers(factories)
    on_day(monkeypatch, date(2026, 3, 10))
    case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
    result = timelimits.send_reminders(date(2026, 3, 16))
    assert result["termijnen"] == 1 and result["verstuurd"] == 0 and "geen mailserver" in result["reden"]
    assert timelimits.running_of_kind(case, DeadlineKind.VIEW).reminded_at is None


def test_an_unreachable_server_leaves_the_period_to_remind_again(factories, db_session, monkeypatch, app):
    from tests.documents.test_delivery import free_port

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 2.0)
    team = officers(factories)
    on_day(monkeypatch, date(2026, 3, 10))
    case = intention_sent(registered_case(team), team, sent=date(2026, 3, 3))
    assert timelimits.send_reminders(date(2026, 3, 16)) == {"termijnen": 1, "verstuurd": 0, "mislukt": 1}
    assert timelimits.running_of_kind(case, DeadlineKind.VIEW).reminded_at is None
