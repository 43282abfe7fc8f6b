"""Building enforcement cases for tests through the services: officers, the parties (a registration in the
register mirror, a suspect with signals, an exempt bailiff), and a case brought to a status along the
allowed steps. ``on_day`` fixes "today" for the enforcement modules (statutory periods are about dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.register.helpers import load, register_row
from tests.supervision.helpers import registration
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.enforcement import cases, timelimits
from wki.enforcement.models import Case, CaseStatus, DeadlineKind, SubjectKind

ENFORCEMENT_MODULES = ("wki.enforcement.cases", "wki.enforcement.procedure", "wki.enforcement.timelimits")


def on_day(monkeypatch: Any, day: date) -> None:
    """Make ``today_local`` return ``day`` in the enforcement modules."""
    for module in ENFORCEMENT_MODULES:
        monkeypatch.setattr(f"{module}.today_local", lambda: day)


@dataclass
class Officers:
    officer: User
    colleague: User

    @property
    def me(self) -> Actor:
        return Actor.of(self.officer)

    @property
    def other(self) -> Actor:
        return Actor.of(self.colleague)


def officers(factories: Any) -> Officers:
    return Officers(factories.UserFactory(roles=[Role.HANDHAVER]), factories.UserFactory(roles=[Role.HANDHAVER]))


def suspect_with_signals(factories: Any, count: int = 3, *, name: str = "Snelgeld Inning") -> Any:
    suspect = factories.SuspectFactory(display_name=name, signal_count=count, identifiers={"kvk": ["55554444"]},
                                       first_seen=date(2026, 1, 5), last_seen=date(2026, 3, 2))
    for n in range(count):
        factories.SignalFactory(suspect_id=suspect.id, naam_incassant=name, ontvangen_op=date(2026, 1, 5 + n))
    return suspect


def registrations(*numbers: int) -> list[str]:
    """Several registrations in one snapshot (each load is a full snapshot of the register)."""
    rows = [register_row(n) for n in numbers]
    load(rows, date(2025, 1, 5))
    return [row["registratienummer"] for row in rows]


def registered_case(team: Officers, *, provisions: tuple[str, ...] = ("wki_13",), n: int = 1,
                    nummer: str | None = None, **kwargs: Any) -> Case:
    nummer = nummer or registration(n)
    return cases.open_case(subject=SubjectKind.REGISTRATION, registratienummer=nummer, provisions=list(provisions),
                           officer_id=team.officer.id, actor=team.me, feiten="Geen klachtenregeling.", **kwargs)


def at_status(case: Case, status: CaseStatus, team: Officers) -> Case:
    """Walk the case along declared steps (the documents' effects are tested with the documents)."""
    path = {
        CaseStatus.INVESTIGATION: [],
        CaseStatus.INTENTION: [CaseStatus.INTENTION],
        CaseStatus.DECIDING: [CaseStatus.DECIDING],
        CaseStatus.DECIDED: [CaseStatus.DECIDING, CaseStatus.DECIDED],
        CaseStatus.OBJECTION: [CaseStatus.DECIDING, CaseStatus.DECIDED, CaseStatus.OBJECTION],
        CaseStatus.CLOSED: [CaseStatus.DECIDING, CaseStatus.DECIDED, CaseStatus.CLOSED],
        CaseStatus.DROPPED: [CaseStatus.DROPPED],
    }[status]
    for target in path:
        cases.move(case, target, actor=team.me)
    return case


def intention_sent(case: Case, team: Officers, *, sent: date, period: str = "2w") -> Case:
    cases.move(case, CaseStatus.INTENTION, actor=team.me)
    timelimits.start(case, DeadlineKind.VIEW, event_date=sent, period=period, actor=team.me)
    return case
