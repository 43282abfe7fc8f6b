"""People's decisions about signals and suspects: a verdict decided or withdrawn, a signal closed or
reopened, suspects merged or split. Each is checked against what the person's page showed (a signal
changed since is refused, ``StaleSignal``), needs a reason, has its audit event in the same transaction,
and regroups the suspects where it can change them. No function here commits.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.register.queries import registration_as_of, registration_known
from wki.signals import counts_cache
from wki.signals.models import (
    VERDICTS_WITH_REGISTRATION,
    LinkKind,
    Signal,
    SignalStatus,
    Suspect,
    SuspectLink,
    SuspectStatus,
    Verdict,
)
from wki.signals.regrouping import regroup_suspects

S = Signal


# What people did to a signal or a suspect, as the pages' history names it. The codes are stored in the
# audit trail and stay as they are (the suspects' ones date from before they were called "mogelijke
# overtreders"); only the labels are shown.
MERGED, SPLIT = "verdachte.samengevoegd", "verdachte.gesplitst"
AUDIT_LABELS = {
    "signaal.ontvangen": "Ontvangen",
    "signaal.oordeel_vastgesteld": "Oordeel vastgesteld",
    "signaal.oordeel_ingetrokken": "Handmatig oordeel ingetrokken",
    "signaal.status": "Status gewijzigd",
    MERGED: "Samengevoegd",
    SPLIT: "Gesplitst",
}


def get_signal(signal_id: int) -> Signal:
    signal = db.session.get(Signal, signal_id)
    if signal is None:
        raise NotFoundError("Dit signaal bestaat niet.")
    return signal


class StaleSignal(ServiceError):
    """The signal changed after the person opened its page (another inspector decided it, say): their
    form would overwrite what they never saw, so nothing is changed."""


def signal_version(signal: Signal) -> str:
    """What a person's form about a signal was based on: its status and the decision about it. The page
    sends it along (a hidden field); a decision or status change checks it before it writes."""
    decided_at = signal.decided_at.isoformat(timespec="microseconds") if signal.decided_at else ""
    seen = "|".join([signal.status or "", signal.decided_verdict or "", signal.decided_registratienummer or "",
                     decided_at])
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def check_version(signal: Signal, expected: str | None) -> None:
    """Refuse (``StaleSignal``, in Dutch, saying what the signal is now) when the page the person decided on
    showed another state; ``None``: no page to compare with (the CLI, a job, a test)."""
    if expected is None or expected == signal_version(signal):
        return
    if signal.decided:
        decided = signal.decided_verdict or ""
        now = (f"het oordeel is nu ‘{Verdict.labels().get(decided, decided).lower()}’, "
               f"vastgesteld door {signal.decided_by or 'onbekend'}")
    else:
        now = "er is nu geen handmatig oordeel"
    raise StaleSignal(f"Dit signaal is gewijzigd nadat u de pagina opende: {now}, en de status is "
                      f"‘{SignalStatus.labels().get(signal.status, signal.status).lower()}’. Uw keuze is niet "
                      "opgeslagen; bekijk de huidige stand en beslis opnieuw.")


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("Geef een reden (minstens enkele woorden).", field="reden")
    return reason


# A person's decision closes the signal: it is handled. ``onzeker`` decides nothing (a person who doubts
# too), so it leaves the status as it is.
CLOSING_VERDICTS = frozenset(Verdict.labels()) - {Verdict.UNCERTAIN}


@service
def decide_verdict(signal_id: int, *, verdict: str, registratienummer: str | None, reason: str,
                   actor: Actor, expected_version: str | None = None) -> Signal:
    """An inspector confirms or corrects the verdict. The decision wins over every later re-matching, and
    closes the signal (unless it is ``onzeker``), in the same audit event. ``expected_version``: the
    ``signal_version`` the person's page showed; a signal changed since is refused (``StaleSignal``)."""
    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if verdict not in Verdict.labels():
        raise ServiceError("Kies een oordeel.", field="oordeel")
    reason = _reason(reason)
    registratienummer = (registratienummer or "").strip() or None
    if verdict in VERDICTS_WITH_REGISTRATION:
        if not registratienummer:
            raise ServiceError("Geef het registratienummer bij dit oordeel.", field="registratienummer")
        if not registration_known(registratienummer):
            raise ServiceError(f"Registratienummer {registratienummer} komt niet voor in de spiegel.",
                               field="registratienummer")
        version = registration_as_of(registratienummer, signal.reference_date)
        valid = version is not None and version.is_valid_on(signal.reference_date)
        if verdict == Verdict.REGISTERED and not valid:
            raise ServiceError(f"Registratie {registratienummer} was op de peildatum niet geldig; kies "
                               "‘Registratie niet geldig’.", field="oordeel")
        if verdict == Verdict.NOT_VALID and valid:
            raise ServiceError(f"Registratie {registratienummer} was op de peildatum geldig; kies "
                               "‘Geregistreerd’.", field="oordeel")
    else:
        registratienummer = None
    before = {"oordeel": signal.verdict, "registratienummer": signal.registratienummer,
              "handmatig": signal.decided, "status": signal.status}
    signal.decided_verdict = Verdict.from_value(verdict)
    signal.decided_registratienummer = registratienummer
    signal.decision_reason = reason
    signal.decided_by = actor.label
    signal.decided_at = utcnow()
    if verdict in CLOSING_VERDICTS:
        signal.status = SignalStatus.CLOSED
    counts_cache.forget()
    audit.record("signaal.oordeel_vastgesteld", object_type="signal", object_id=signal.id, before=before,
                 after={"oordeel": verdict, "registratienummer": registratienummer, "reden": reason,
                        "automatisch": signal.auto_verdict, "status": signal.status}, actor=actor)
    db.session.flush()
    regroup_suspects()
    db.session.refresh(signal)
    return signal


@service
def withdraw_decision(signal_id: int, *, reason: str, actor: Actor,
                      expected_version: str | None = None) -> Signal:
    """Back to the automatic verdict; the signal is open again (nothing is decided about it any more)."""
    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if not signal.decided:
        raise ServiceError("Dit signaal heeft geen handmatig oordeel.")
    reason = _reason(reason)
    before = {"oordeel": signal.decided_verdict, "registratienummer": signal.decided_registratienummer,
              "reden": signal.decision_reason, "status": signal.status}
    signal.decided_verdict = signal.decided_registratienummer = signal.decision_reason = None
    signal.decided_by = None
    signal.decided_at = None
    signal.status = SignalStatus.OPEN
    counts_cache.forget()  # a withdrawal need not change the last decision's time
    audit.record("signaal.oordeel_ingetrokken", object_type="signal", object_id=signal.id, before=before,
                 after={"reden": reason, "oordeel": signal.auto_verdict, "status": signal.status},
                 actor=actor)
    db.session.flush()
    regroup_suspects()
    db.session.refresh(signal)
    return signal


# The status changes a person may make by hand: close a signal without a decision, or reopen one.
STATUS_TRANSITIONS = {(SignalStatus.OPEN, SignalStatus.CLOSED), (SignalStatus.CLOSED, SignalStatus.OPEN)}


@service
def set_status(signal_id: int, *, status: str, reason: str, actor: Actor,
               expected_version: str | None = None) -> Signal:
    """Close a signal without a decision, or reopen it: the one guarded transition, with a reason, audited."""
    from wki.core.errors import StateTransitionError

    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if status not in SignalStatus.labels():
        raise ServiceError("Kies of het signaal wordt afgesloten of heropend.", field="status")
    if (signal.status, status) not in STATUS_TRANSITIONS:
        raise StateTransitionError(
            f"Het signaal is al {SignalStatus.labels().get(signal.status, signal.status).lower()}.", field="status")
    reason = _reason(reason)
    audit.record("signaal.status", object_type="signal", object_id=signal.id, before={"status": signal.status},
                 after={"status": status, "reden": reason}, actor=actor)
    signal.status = SignalStatus.from_value(status)
    counts_cache.forget()  # the open signals' counts; the fingerprint does not see a status
    db.session.flush()
    return signal


def get_suspect(suspect_id: int) -> Suspect:
    suspect = db.session.get(Suspect, suspect_id)
    if suspect is None:
        raise NotFoundError(f"Mogelijke overtreder {suspect_id} bestaat niet.", field="overtreders")
    return suspect


def _member_ids(suspect_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(S.id).where(S.suspect_id == suspect_id).order_by(S.id)))


@service
def merge_suspects(*suspect_ids: int, reason: str, actor: Actor) -> Suspect:
    """These suspects are one collector: they become the one with the most signals (the lowest number when
    equal), and stay one in every regrouping (``samen`` links). One audit event, one transaction."""
    ids = list(dict.fromkeys(suspect_ids))
    if len(ids) < 2:
        raise ServiceError("Kies minstens twee verschillende mogelijke overtreders om samen te voegen.",
                           field="overtreders")
    suspects = [get_suspect(i) for i in ids]
    inactive = [s.id for s in suspects if s.status != SuspectStatus.ACTIVE]
    if inactive:
        numbers = ", ".join(str(i) for i in inactive)
        raise ServiceError(
            f"Mogelijke overtreder {numbers} {'is' if len(inactive) == 1 else 'zijn'} opgeheven (samengevoegd of "
            "zonder signalen) en kan niet meer worden samengevoegd; kies alleen actieve.", field="overtreders")
    reason = _reason(reason)
    members = {s.id: _member_ids(s.id) for s in suspects}
    if not all(members.values()):
        raise ServiceError("Een van de mogelijke overtreders heeft geen signalen meer.", field="overtreders")
    target = max(suspects, key=lambda s: (len(members[s.id]), -s.id))
    anchor = members[target.id][0]
    for suspect in suspects:
        if suspect is not target:
            db.session.add(SuspectLink(kind=LinkKind.TOGETHER, signal_a_id=anchor, signal_b_id=members[suspect.id][0],
                                       reason=reason, created_by=actor.label))
    audit.record(MERGED, object_type="suspect", object_id=target.id,
                 before={"mogelijke_overtreders": [s.id for s in suspects]},
                 after={"mogelijke_overtreder": target.id, "reden": reason}, actor=actor)
    db.session.flush()
    regroup_suspects()
    # The regrouping keeps the number most of the signals had, which is the target's; should it not,
    # the signals say where they went.
    return get_suspect(db.session.scalar(sa.select(S.suspect_id).where(S.id == anchor)))


@service
def split_suspect(suspect_id: int, signal_ids: list[int], *, reason: str, actor: Actor) -> Suspect:
    """The chosen signals are another collector than the rest: they leave as a suspect of their own, and
    stay apart from the rest in every regrouping (``samen`` links within each part, ``apart`` between)."""
    suspect = get_suspect(suspect_id)
    reason = _reason(reason)
    members = _member_ids(suspect.id)
    moving = sorted(set(signal_ids) & set(members))
    staying = [m for m in members if m not in moving]
    if not moving or not staying:
        raise ServiceError("Kies een deel van de signalen: minstens één, maar niet alle.", field="signalen")
    for part in (moving, staying):
        for x, y in zip(part, part[1:], strict=False):
            db.session.add(SuspectLink(kind=LinkKind.TOGETHER, signal_a_id=x, signal_b_id=y, reason=reason,
                                       created_by=actor.label))
    db.session.add(SuspectLink(kind=LinkKind.APART, signal_a_id=moving[0], signal_b_id=staying[0], reason=reason,
                               created_by=actor.label))
    audit.record(SPLIT, object_type="suspect", object_id=suspect.id,
                 after={"afgesplitst": moving, "reden": reason}, actor=actor)
    db.session.flush()
    regroup_suspects()
    new_id = db.session.scalar(sa.select(S.suspect_id).where(S.id == moving[0]))
    assert new_id is not None  # regrouping gives every signal a suspect
    return get_suspect(new_id)
