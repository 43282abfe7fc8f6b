"""Demo inspections, so that every Toezicht page has something to show: one closed with its report, one in
review waiting for the reviewer, one in progress with proposals from the automatic checks, and one draft.
All made through the services, as an inspector and a colleague would."""

from __future__ import annotations

from datetime import timedelta

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.register import queries as register
from wki.supervision import inspections
from wki.supervision.models import Inspection, Judgement

SCOPE = ("REGISTRATIE_ACTUEEL", "WIJZIGINGEN_MELDEN", "VOG_MEDEWERKER", "INCASSOKOSTEN_CORRECT",
         "TIJDSTIP_BENADERING", "KLACHTENREGELING", "GESCHILLENINSTANTIE")
FINDING = {
    "KLACHTENREGELING": ("De klachtenregeling noemt geen termijn waarbinnen een klacht wordt afgehandeld.",
                         Judgement.PARTLY),
    "INCASSOKOSTEN_CORRECT": ("In twee dossiers waren de incassokosten hoger dan de BIK toestaat.", Judgement.FAILS),
}


def _fill(inspection_id: int, *, actor: Actor) -> None:
    inspection = inspections.get_inspection(inspection_id)
    today = today_local()
    for item in inspection.items:
        finding, judgement = FINDING.get(item.requirement.code, ("", Judgement.COMPLIES))
        inspections.judge_item(item.id, judgement=judgement, finding=finding or item.requirement.standard_finding(
            judgement.value), version=item.version, actor=actor)
        if judgement != Judgement.COMPLIES:
            inspections.add_register_evidence(item.id, as_of=today, actor=actor,
                                              description="Registergegevens op de dag van de inspectie")


def seed_supervision(*, inspector: Actor, reviewer: Actor) -> None:
    """Four inspections of the first valid registrations (skipped when the register is empty)."""
    if inspections.search(inspections.InspectionFilter(), per_page=1).total:
        return  # seeded before: a second run adds no inspections
    today = today_local()
    numbers = [v.registratienummer for v in register.registrations_as_of(today)[:4]]
    if len(numbers) < 4 or inspector.user_id is None or reviewer.user_id is None:
        return
    done, review, progress, draft = numbers

    def start(registratienummer: str, aanleiding: str) -> Inspection:
        assert inspector.user_id is not None
        return inspections.start_inspection(
            registratienummer=registratienummer, kind="regulier", inspectiedatum=today, inspector_id=inspector.user_id,
            reviewer_id=reviewer.user_id, codes=SCOPE, aanleiding=aanleiding, actor=inspector)

    closed = start(done, "Demo: afgeronde inspectie")
    inspections.issue_information_request(closed.id, deadline=today + timedelta(days=14), actor=inspector)
    _fill(closed.id, actor=inspector)
    inspections.submit_for_review(closed.id, version=closed.version, actor=inspector)
    inspections.return_inspection(closed.id, comment="Graag bij de klachtenregeling noemen welke termijn ontbreekt.",
                                  actor=reviewer)
    inspections.submit_for_review(closed.id, version=closed.version, actor=inspector)
    inspections.approve_inspection(closed.id, content_sha256=inspections.checklist_hash(closed), actor=reviewer, comment="Akkoord.")
    inspections.issue_report(closed.id, actor=inspector)

    waiting = start(review, "Demo: ter review")
    inspections.begin_inspection(waiting.id, actor=inspector)
    _fill(waiting.id, actor=inspector)
    inspections.submit_for_review(waiting.id, version=waiting.version, actor=inspector)

    running = start(progress, "Demo: in uitvoering")
    inspections.begin_inspection(running.id, actor=inspector)
    inspections.run_checks(running.id, actor=inspector)

    start(draft, "Demo: concept")
