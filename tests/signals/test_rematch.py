"""Re-matching after a register change, and people's decisions surviving it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import make_iban
from tests.signals.conftest import DOUBTFUL, base_register
from tests.signals.helpers import load, register_row, signal_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.jobs import get_job
from wki.signals.decisions import decide_verdict, set_status, withdraw_decision
from wki.signals.judging import match_signals
from wki.signals.models import Channel, Signal, SignalStatus, Verdict
from wki.signals.recording import create_signal
from wki.signals.rematch import rematch_stale, stale_count

D_NEXT = date(2026, 3, 1)


def record(n: int, **values: str) -> Signal:
    return create_signal(signal_row(n, **values), channel=Channel.FORM, actor=Actor.process("test"))


def newcomer(**overrides: str) -> dict[str, str]:
    return register_row(9, naam="Snelgeld Inning B.V.", handelsnamen="", website="snelgeld.nl", email="",
                        telefoon="", iban=make_iban(900), datum_inschrijving="2026-02-20", **overrides)


def test_collector_that_registers_later_shows_up_after_the_register_changes(mirror):
    early = record(1, naam_incassant="Snelgeld Inning", datum_brief="2026-02-10", ontvangen_op="2026-02-12")
    late = record(2, naam_incassant="Snelgeld Inning", iban=make_iban(900), datum_brief="2026-02-25",
                  ontvangen_op="2026-02-26")
    assert early.auto_verdict == late.auto_verdict == Verdict.UNREGISTERED
    assert early.suspect_id == late.suspect_id is not None

    load([*base_register(), newcomer()], D_NEXT)
    assert stale_count() == 2
    counts = rematch_stale(actor=Actor.process("job:test"))
    assert counts["beoordeeld"] == 2
    db.session.expire_all()
    # Before its registration it acted unregistered; from then on it is registered.
    assert early.auto_verdict == Verdict.NOT_VALID and early.auto_registratienummer == "R2024-00009"
    assert "ingeschreven per 20-02-2026" in early.explanation
    assert late.auto_verdict == Verdict.REGISTERED and late.auto_registratienummer == "R2024-00009"
    assert early.suspect_id is None and late.suspect_id is None
    assert stale_count() == 0
    assert rematch_stale() == {"beoordeeld": 0}


def test_registration_struck_off_later_changes_the_verdict_of_open_signals_only(mirror):
    open_signal = record(1, naam_incassant="Noordkaap Incasso", datum_brief="2026-03-05", ontvangen_op="2026-03-06")
    closed = record(2, naam_incassant="Noordkaap Incasso", datum_brief="2026-03-05", ontvangen_op="2026-03-06")
    set_status(closed.id, status=SignalStatus.CLOSED, reason="Dubbel gemeld", actor=Actor.process("test"))
    rows = base_register()
    rows[0].update(status="doorgehaald", datum_einde="2026-03-01")
    load(rows, D_NEXT)
    match_signals()
    db.session.expire_all()
    assert open_signal.auto_verdict == Verdict.NOT_VALID
    assert closed.auto_verdict == Verdict.REGISTERED  # closed signals keep the verdict they were closed with


def test_a_persons_decision_survives_rematching(mirror):
    signal = record(1, naam_incassant=DOUBTFUL)
    assert signal.auto_verdict == Verdict.UNCERTAIN
    decide_verdict(signal.id, verdict=Verdict.REGISTERED, registratienummer="R2024-00001",
                   reason="Vestiging Zwolle van Noordkaap, gebeld met het bureau", actor=Actor.process("inspecteur@test"))
    load([*base_register(), newcomer()], D_NEXT)
    match_signals()
    db.session.expire_all()
    assert signal.verdict == Verdict.REGISTERED and signal.registratienummer == "R2024-00001"
    assert signal.decided_by == "inspecteur@test"
    assert signal.auto_verdict == Verdict.UNCERTAIN  # the automatic verdict is still shown beside it
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "signaal.oordeel_vastgesteld")).one()
    assert event.before["oordeel"] == Verdict.UNCERTAIN and event.after["reden"].startswith("Vestiging Zwolle")


def test_a_correction_to_niet_geregistreerd_puts_the_signal_in_a_suspect(mirror):
    signal = record(1, naam_incassant=DOUBTFUL)
    assert signal.suspect_id is None
    decide_verdict(signal.id, verdict=Verdict.UNREGISTERED, registratienummer=None,
                   reason="Geen vestiging van Noordkaap: andere partij", actor=Actor.process("inspecteur@test"))
    assert signal.suspect_id is not None
    withdraw_decision(signal.id, reason="Toch niet zeker, opnieuw bekijken", actor=Actor.process("inspecteur@test"))
    db.session.expire_all()
    assert signal.verdict == Verdict.UNCERTAIN and signal.suspect_id is None


@pytest.mark.parametrize(("verdict", "nummer", "reason", "message"), [
    ("onzin", None, "een reden hier", "Kies een oordeel"),
    (Verdict.REGISTERED, None, "een reden hier", "registratienummer"),
    (Verdict.REGISTERED, "R9999-99999", "een reden hier", "komt niet voor"),
    (Verdict.REGISTERED, "R2024-00002", "een reden hier", "niet geldig"),
    (Verdict.UNREGISTERED, None, "kort", "reden"),
])
def test_bad_decisions_are_refused_and_change_nothing(mirror, verdict, nummer, reason, message):
    signal = record(1, naam_incassant="De Vries Invorderingen", datum_brief="2026-03-01")
    with pytest.raises(ServiceError, match=message):
        decide_verdict(signal.id, verdict=verdict, registratienummer=nummer, reason=reason, actor=Actor.process("x"))
    db.session.expire_all()
    assert signal.decided_verdict is None


def test_rematch_job_is_scheduled(app):
    job = get_job("signals-rematch", app)
    assert job.trigger == "interval" and job.schedule({"SIGNAL_REMATCH_MINUTES": 5}) == {"minutes": 5}


def test_registration_that_left_the_register_is_judged_by_the_register_of_each_date(app, mirror, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_MAX_REMOVAL_SHARE", 1.0)  # one of three: no quarantine here
    rows = [r for r in base_register() if r["registratienummer"] != "R2024-00001"]
    assert load(rows, D_NEXT).outcome == "toegepast"  # Noordkaap left the register on 1 March, no end recorded
    before = record(1, naam_incassant="Noordkaap Incasso", datum_brief="2026-02-20")
    after = record(2, naam_incassant="Noordkaap Incasso", datum_brief="2026-03-05", ontvangen_op="2026-03-09")
    assert before.auto_verdict == Verdict.REGISTERED
    assert after.auto_verdict == Verdict.NOT_VALID and after.auto_registratienummer == "R2024-00001"
    assert "stond op 05-03-2026 niet meer in het register" in after.explanation


def test_the_matcher_follows_the_mirror_not_just_its_files(db_session):
    """The same file applied as of another date is another mirror: the cached matcher must not be reused."""
    from wki.signals.mirror import build_matcher

    nested = db_session.begin_nested()
    load(base_register(), date(2026, 1, 1))
    first, state = build_matcher()
    nested.rollback()
    load(base_register(), date(2026, 2, 1))  # on SQLite the snapshot may even get the same id
    second, other = build_matcher()
    assert other != state and second is not first
    assert second.mirror_start == date(2026, 2, 1)
