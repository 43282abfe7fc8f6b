"""The "Signalen" panel on a registration's page (slot ``REGISTRATION_PAGE``), for the signals roles.

It shows the signals judged to be about this registration (a person's decision first, else the automatic
verdict): how many per verdict, how many with collection costs above the BIK ceiling, the latest ten; and
the suspects flagged as possible clones of it (an unregistered collector using a name close to this
agency's with other identifiers). Three queries, however many signals there are.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wki.core.auth import user_has_any_role
from wki.core.extensions import db
from wki.core.features import Panel
from wki.register.queries import RegistrationVersion
from wki.signals.models import Signal, Source, Suspect, SuspectStatus, Verdict
from wki.signals.queries import about_registration
from wki.signals.verdicts import effective_verdict

S = Signal
LATEST = 10
CLONES = 50


def registration_signals(registratienummer: str) -> dict[str, Any]:
    """Plain data for the panel's template."""
    about = about_registration(registratienummer)
    verdict = effective_verdict()
    exceeded = sa.func.coalesce(sa.func.sum(sa.case((S.bik_excess > 0, 1), else_=0)), 0)
    by_verdict: dict[str, int] = {}
    bik_exceeded = 0
    for value, count, n_exceeded in db.session.execute(
            sa.select(verdict, sa.func.count(), exceeded).where(about).group_by(verdict)):
        by_verdict[value] = count
        bik_exceeded += int(n_exceeded)
    latest = [
        {"id": row.id, "referentie": row.referentie, "naam": row.naam_incassant, "peildatum": row.reference_date,
         "bron": Source.labels().get(row.bron, row.bron), "verdict": row.verdict,
         "decided": row.decided_verdict is not None, "clone_of": row.clone_of,
         "bik_exceeded": row.bik_excess is not None and row.bik_excess > 0, "bik_excess": row.bik_excess}
        for row in db.session.execute(
            sa.select(S.id, S.referentie, S.naam_incassant, S.reference_date, S.bron, S.decided_verdict,
                      S.clone_of, S.bik_excess, verdict.label("verdict"))
            .where(about).order_by(S.reference_date.desc(), S.id.desc()).limit(LATEST))
    ]
    clones = [
        {"id": suspect.id, "naam": suspect.display_name, "signalen": suspect.signal_count,
         "laatst_gezien": suspect.last_seen, "prioriteit": suspect.priority}
        for suspect in db.session.execute(
            sa.select(Suspect.id, Suspect.display_name, Suspect.signal_count, Suspect.last_seen, Suspect.priority)
            .where(Suspect.clone_of == registratienummer, Suspect.status == SuspectStatus.ACTIVE)
            .order_by(Suspect.priority.desc(), Suspect.id).limit(CLONES + 1))
    ]
    return {
        "totaal": sum(by_verdict.values()),
        "per_oordeel": [(Verdict.labels()[v], by_verdict[v]) for v in Verdict.labels() if by_verdict.get(v)],
        "bik_overschrijdingen": bik_exceeded,
        "laatste": latest,
        "klonen": clones[:CLONES],
        "meer_klonen": len(clones) > CLONES,
        "labels": {"verdict": Verdict.labels()},
    }


def signals_panel(registratienummer: str, version: RegistrationVersion, user: Any) -> Panel | None:
    from wki.signals import READERS

    if not user_has_any_role(user, READERS):
        return None
    return Panel("Signalen", "signals/_registration_panel.html", registration_signals(registratienummer), order=10)

