"""The statutory periods running in cases: started when something happens (an intention sent, a report
drawn up, a decision dispatched), computed by core's deadline engine (days, weeks, months from the day after
the event; a last day on a weekend or a general holiday moves to the next working day; the administrator's
equated days count), shifted by a suspension or an extension with a recorded reason, ended when what they
wait for happens, and reminded to the officer before they end (a scheduled job: e-mail once, and the
dashboard tile).

A running period's explanation is rebuilt from its row (event, period, shifts) whenever it is shown, so it
always says how its date follows from the law.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wki.core import audit
from wki.core import deadlines as engine
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.equated_days import equated_days
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.formatting import fmt_date
from wki.core.service import service
from wki.core.text import clean_text
from wki.enforcement.audit_actions import EnforcementAction
from wki.enforcement.models import Case, CaseDeadline, CaseDocument, CaseStep, DeadlineKind, DeadlineStatus, StepKind

OBJECT_TYPE = "enforcement_case"
SHIFT_KINDS = {"opschorting": "Opschorting", "verlenging": "Verlenging"}
# Days before the last day that the officer is reminded, per kind (config ENFORCEMENT_REMINDER_DAYS overrides).
REMINDER_DAYS = {DeadlineKind.VIEW.value: 3, DeadlineKind.FINE_DECISION.value: 21, DeadlineKind.GRACE.value: 5,
                 DeadlineKind.OBJECTION.value: 3}


def _shifts(row: CaseDeadline) -> list[engine.Shift]:
    result = []
    for shift in row.shifts or []:
        if shift.get("soort") == "opschorting":
            result.append(engine.Shift(kind="opschorting", amount=int(shift["dagen"]), reason=str(shift["reden"])))
        else:
            result.append(engine.Shift(kind="verlenging", amount=engine.Period.parse(str(shift["termijn"])),
                                       reason=str(shift["reden"])))
    return result


def compute(event_date: date, period: str, shifts: list[engine.Shift] | None = None, *,
            extra_days: Mapping[date, str] | None = None) -> engine.Deadline:
    """The last day of ``period`` after ``event_date`` with the equated days an administrator added (read
    here unless the caller, explaining many rows, passes what ``equated_days()`` returned once)."""
    return engine.compute(event_date, engine.Period.parse(period),
                          extra_days=equated_days() if extra_days is None else extra_days, shifts=shifts or ())


def explain(row: CaseDeadline, *, extra_days: Mapping[date, str] | None = None) -> list[str]:
    """The row's last day, step by step in Dutch (rebuilt from the event, the period and the shifts)."""
    return list(compute(row.event_date, row.period, _shifts(row), extra_days=extra_days).steps)


def running(case: Case) -> list[CaseDeadline]:
    return list(db.session.scalars(sa.select(CaseDeadline).where(
        CaseDeadline.case_id == case.id, CaseDeadline.status == DeadlineStatus.RUNNING).order_by(CaseDeadline.end_date)))


def of_case(case: Case) -> list[CaseDeadline]:
    return list(db.session.scalars(sa.select(CaseDeadline).where(CaseDeadline.case_id == case.id)
                                   .order_by(CaseDeadline.created_at, CaseDeadline.id)))


def running_of_kind(case: Case, kind: DeadlineKind) -> CaseDeadline | None:
    return db.session.scalar(sa.select(CaseDeadline).where(
        CaseDeadline.case_id == case.id, CaseDeadline.kind == kind, CaseDeadline.status == DeadlineStatus.RUNNING))


def last_of_kind(case: Case, kind: DeadlineKind, *, document: CaseDocument | None = None) -> CaseDeadline | None:
    stmt = sa.select(CaseDeadline).where(CaseDeadline.case_id == case.id, CaseDeadline.kind == kind)
    if document is not None:
        stmt = stmt.where(CaseDeadline.document_id == document.id)
    return db.session.scalar(stmt.order_by(CaseDeadline.id.desc()).limit(1))


def _step(case: Case, text: str, data: dict[str, Any], actor: Actor) -> None:
    case.steps.append(CaseStep(case_id=case.id, kind=StepKind.DEADLINE, day=today_local(), text=text, data=data,
                               created_by=actor.label, created_by_id=actor.user_id))


def start(case: Case, kind: DeadlineKind, *, event_date: date, period: str, actor: Actor,
          document: CaseDocument | None = None) -> CaseDeadline:
    """Start a period (a running one of the same kind lapses: it is replaced, with a note)."""
    result = compute(event_date, period)
    previous = running_of_kind(case, kind)
    if previous is not None:
        previous.status, previous.closed_at = DeadlineStatus.LAPSED, utcnow()
        db.session.flush()
    row = CaseDeadline(case_id=case.id, kind=kind, event_date=event_date, period=str(engine.Period.parse(period)),
                       end_date=result.end, shifts=[], document_id=document.id if document else None)
    db.session.add(row)
    db.session.flush()
    _step(case, f"{kind.label}: loopt tot en met {fmt_date(result.end)}.",
          {"termijn": kind.value, "einddatum": result.end.isoformat(), "periode": row.period}, actor)
    audit.record(EnforcementAction.DEADLINE_SET, object_type=OBJECT_TYPE, object_id=case.id,
                 after={"termijn": kind.value, "gebeurtenis": event_date, "periode": row.period,
                        "einddatum": result.end, "vervangt": previous.id if previous else None}, actor=actor)
    return row


def end(row: CaseDeadline, *, status: DeadlineStatus, actor: Actor, reason: str) -> None:
    if row.status is not DeadlineStatus.RUNNING:
        return
    row.status, row.closed_at = status, utcnow()
    audit.record(EnforcementAction.DEADLINE_ENDED, object_type=OBJECT_TYPE, object_id=row.case_id,
                 after={"termijn": row.kind.value, "status": status.value, "reden": reason}, actor=actor)


def end_running(case: Case, *, actor: Actor, reason: str) -> None:
    for row in running(case):
        end(row, status=DeadlineStatus.LAPSED, actor=actor, reason=reason)


@service
def shift(deadline_id: int, *, kind: str, actor: Actor, reason: str, days: int | None = None,
          period: str | None = None) -> CaseDeadline:
    """Suspend (``days``) or extend (``period``) a running period, with the reason; the new last day is
    computed again from the event, so the explanation shows every shift."""
    row = db.session.get(CaseDeadline, deadline_id)
    if row is None:
        raise NotFoundError("Deze termijn bestaat niet.")
    if row.status is not DeadlineStatus.RUNNING:
        raise ServiceError("Deze termijn loopt niet meer: er valt niets te verschuiven. Er is niets gewijzigd.")
    why = clean_text(reason, limit=2000, what="De reden", field="reason")
    if not why:
        raise ServiceError("Geef de reden van de opschorting of verlenging op.", field="reason")
    entry: dict[str, Any] = {"soort": kind, "reden": why, "door": actor.label, "op": today_local().isoformat()}
    if kind == "opschorting":
        if days is None or not 1 <= days <= 365:
            raise ServiceError("Geef het aantal dagen van de opschorting op (1 tot en met 365).", field="days")
        entry["dagen"] = days
    elif kind == "verlenging":
        entry["termijn"] = str(engine.Period.parse(period or ""))
    else:
        raise ServiceError("Kies opschorting of verlenging.", field="kind")
    shifted = [*row.shifts, entry]
    before = row.end_date
    probe = CaseDeadline(event_date=row.event_date, period=row.period, shifts=shifted)
    result = compute(row.event_date, row.period, _shifts(probe))
    row.shifts = shifted
    row.end_date = result.end
    row.reminded_at = None  # a new last day earns a new reminder
    case = db.session.get(Case, row.case_id)
    assert case is not None
    _step(case, f"{row.kind.label}: {SHIFT_KINDS[kind].lower()} ({why}); loopt nu tot en met "
                f"{fmt_date(result.end)}.", {"termijn": row.kind.value, "verschuiving": entry}, actor)
    audit.record(EnforcementAction.DEADLINE_SHIFTED, object_type=OBJECT_TYPE, object_id=row.case_id,
                 before={"einddatum": before}, after={"einddatum": result.end, **entry}, actor=actor)
    return row


# --- reminders ------------------------------------------------------------------------------------------

def reminder_days() -> dict[str, int]:
    return {**REMINDER_DAYS, **(current_app.config.get("ENFORCEMENT_REMINDER_DAYS") or {})}


def due_for_reminder(today: date | None = None) -> list[CaseDeadline]:
    """Running periods whose last day is within their kind's reminder window and that were not reminded."""
    today = today or today_local()
    days = reminder_days()
    horizon = today + timedelta(days=max(days.values()))
    rows = db.session.scalars(sa.select(CaseDeadline).where(
        CaseDeadline.status == DeadlineStatus.RUNNING, CaseDeadline.reminded_at.is_(None),
        CaseDeadline.end_date <= horizon).order_by(CaseDeadline.end_date, CaseDeadline.id))
    return [r for r in rows if r.end_date - today <= timedelta(days=days.get(r.kind.value, 3))]


def _reminder_text(case: Case, row: CaseDeadline, today: date) -> tuple[str, str]:
    left = (row.end_date - today).days
    when = ("vandaag" if left == 0 else f"over {left} dag{'en' if left != 1 else ''}" if left > 0
            else f"{-left} dag{'en' if left != -1 else ''} geleden")
    subject = f"Termijn in zaak {case.nummer}: {row.kind.label.lower()} eindigt {fmt_date(row.end_date)}"
    body = "\n".join([
        "Beste collega,", "",
        f"In handhavingszaak {case.nummer} ({case.naam}) eindigt een termijn {when}:", "",
        f"  {row.kind.label}", f"  Laatste dag: {fmt_date(row.end_date)}", "",
        "Zo is de laatste dag berekend:", *(f"  {line}" for line in explain(row)), "",
        "Dit bericht is automatisch verstuurd door de Wki-toezichtapplicatie.",
    ])
    return subject, body


def send_reminders(today: date | None = None) -> dict[str, Any]:
    """The scheduled job: e-mail the officer once per period (``reminded_at``); without a mail server the
    dashboard tile is the reminder and nothing is marked."""
    from wki.auth import services as accounts
    from wki.core.mail import MailFailed, mail_configured, send_mail

    today = today or today_local()
    due = due_for_reminder(today)
    sent = failed = 0
    if not mail_configured():
        return {"termijnen": len(due), "verstuurd": 0, "mislukt": 0, "reden": "geen mailserver ingesteld"}
    actor = Actor.process("termijnherinneringen")
    for row in due:
        case = db.session.get(Case, row.case_id)
        assert case is not None
        officer = accounts.get_user(case.officer_id)
        subject, body = _reminder_text(case, row, today)
        try:
            send_mail(to=officer.email, subject=subject, body=body)
        except MailFailed as exc:
            failed += 1
            current_app.logger.warning("herinnering niet verstuurd (zaak %s): %s", case.nummer, exc.reason)
            continue
        row.reminded_at = utcnow()
        sent += 1
        audit.record(EnforcementAction.REMINDER_SENT, object_type=OBJECT_TYPE, object_id=case.id,
                     after={"termijn": row.kind.value, "einddatum": row.end_date, "aan": officer.email}, actor=actor)
    return {"termijnen": len(due), "verstuurd": sent, "mislukt": failed}
