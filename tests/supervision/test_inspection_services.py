"""The inspection services against the issue's "Done when": every allowed step and every refused pair of
statuses (refused ones write nothing), completeness, the reviewer is never an author, an approval voided by
any edit, a stale content hash, concurrent edits, the PDFs' text, evidence checks, start refusals, and the
catalogue version in force."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.supervision import helpers as h
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.workflow import ConcurrentEditError
from wki.documents import issuing
from wki.supervision import catalogue, inspections
from wki.supervision.inspections import INSPECTION_FLOW
from wki.supervision.models import InspectionStatus, Judgement

ST = InspectionStatus


def _audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


@pytest.fixture
def team(factories):
    return h.team(factories)


@pytest.fixture
def nummer(db_session):
    return h.registration()


def _pdf_text(kenmerk: str) -> str:
    from pypdf import PdfReader

    doc = issuing.get_document(kenmerk)
    data = issuing.document_pdf(doc, actor=h.Actor.process("test"))
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _step(team, inspection, target):
    """Take the step to ``target`` with the service that does it (no service goes back to a draft: the one
    transition function itself is asked)."""
    if target == ST.DRAFT:
        return INSPECTION_FLOW.transition(inspection, target, actor=team.me)
    if target == ST.IN_PROGRESS and inspection.status == ST.DRAFT:
        return inspections.begin_inspection(inspection.id, actor=team.me)
    if target == ST.IN_PROGRESS:
        return inspections.return_inspection(inspection.id, comment="Aanvullen.", actor=team.colleague)
    if target == ST.WITHDRAWN:
        return inspections.withdraw_inspection(inspection.id, reason="Test.", actor=team.me)
    if target == ST.IN_REVIEW:
        if inspection.items[0].judgement == Judgement.NOT_JUDGED:
            h.fill(team, inspection)
        return inspections.submit_for_review(inspection.id, version=inspection.version, actor=team.me)
    if inspections.approval_of(inspection) is None:
        h.approved(team, inspection)
    return inspections.issue_report(inspection.id, actor=team.colleague)


ALLOWED = sorted(((s.source, s.target) for s in INSPECTION_FLOW.steps.values()), key=str)
REFUSED = [(a, b) for a in ST for b in ST if a != b and (a, b) not in INSPECTION_FLOW.steps]


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: s.value)
def test_every_allowed_step(team, nummer, source, target):
    inspection = h.in_status(team, nummer, source)
    _step(team, inspection, target)
    assert inspection.status == target


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=lambda s: s.value)
def test_every_refused_step_writes_nothing(team, nummer, source, target):
    inspection = h.in_status(team, nummer, source)
    before, version = _audit_count(), inspection.version
    with pytest.raises(ServiceError):
        _step(team, inspection, target)
    db.session.expire_all()
    assert inspection.status == source and inspection.version == version and _audit_count() == before


def test_completeness_names_each_problem(team, nummer):
    inspection = h.in_status(team, nummer, ST.IN_PROGRESS)
    vog, training, complaints = inspection.items
    assert len(inspections.completeness(inspection)) == 3
    inspections.judge_item(vog.id, judgement=Judgement.FAILS, finding=None, version=vog.version, actor=team.me)
    inspections.judge_item(training.id, judgement=Judgement.PARTLY, finding="Deels.", version=training.version,
                           actor=team.me)
    inspections.judge_item(complaints.id, judgement=Judgement.NOT_APPLICABLE, finding=None,
                           version=complaints.version, actor=team.me)
    problems = inspections.completeness(inspection)
    assert problems == [
        "VOG_MEDEWERKER (VOG van medewerkers): ‘Voldoet niet’ heeft een bevinding in woorden nodig.".replace(
            "VOG van medewerkers", vog.requirement.titel),
        f"VOG_MEDEWERKER ({vog.requirement.titel}): ‘Voldoet niet’ heeft ten minste één bewijsstuk nodig.",
        f"OPLEIDING_MEDEWERKER ({training.requirement.titel}): ‘Voldoet deels’ heeft ten minste één bewijsstuk nodig.",
    ]
    with pytest.raises(ServiceError, match="nog niet compleet"):
        inspections.submit_for_review(inspection.id, version=inspection.version, actor=team.me)


def test_no_author_reviews(team, nummer, factories):
    judge, adder, checker = h.inspector(factories), h.inspector(factories), h.inspector(factories)
    inspection = h.in_status(team, nummer, ST.IN_PROGRESS, reviewer=False)
    vog, training, complaints = inspection.items
    for item in inspection.items:
        inspections.judge_item(item.id, judgement=Judgement.COMPLIES, finding=None, version=item.version,
                               actor=team.me)
    inspections.judge_item(complaints.id, judgement=Judgement.FAILS, finding="Geen regeling.",
                           version=complaints.version, actor=h.Actor.of(judge))
    inspections.add_file_evidence(complaints.id, data=h.MINIMAL_PDF, file_name="a.pdf", actor=h.Actor.of(adder))
    inspections.check_staff(inspection.id, data=h.STAFF_CSV, file_name="p.csv", actor=h.Actor.of(checker))
    for author in (team.inspector, judge, adder, checker):
        with pytest.raises(ServiceError, match="vier ogen"):
            inspections.set_reviewer(inspection.id, reviewer_id=author.id, version=inspection.version, actor=team.me)
    inspections.set_reviewer(inspection.id, reviewer_id=team.reviewer.id, version=inspection.version, actor=team.me)
    inspections.submit_for_review(inspection.id, version=inspection.version, actor=team.me)
    for author in (team.inspector, judge, adder, checker):
        with pytest.raises(ServiceError, match="vier ogen"):
            inspections.approve_inspection(inspection.id, content_sha256=inspections.checklist_hash(inspection),
                                           actor=h.Actor.of(author))
    h.approved(team, inspection)
    assert inspections.approval_of(inspection) is not None


@pytest.mark.parametrize("edit", ["judge", "add", "remove", "staff"])
def test_any_edit_voids_the_approval(team, nummer, edit):
    inspection = h.in_status(team, nummer, ST.IN_REVIEW)
    item = inspection.items[0]
    if edit == "remove":
        evidence = inspections.add_file_evidence(item.id, data=h.MINIMAL_PDF, file_name="a.pdf", actor=team.me)
    h.approved(team, inspection)
    if edit == "judge":
        inspections.judge_item(item.id, judgement=Judgement.NOT_APPLICABLE, finding=None, version=item.version,
                               actor=team.me)
    elif edit == "add":
        inspections.add_file_evidence(item.id, data=h.png_bytes(), file_name="b.png", actor=team.me)
    elif edit == "remove":
        inspections.remove_evidence(evidence.id, actor=team.me)
    else:
        inspections.check_staff(inspection.id, data=h.STAFF_CSV, file_name="p.csv", actor=team.me)
    assert inspections.approval_of(inspection) is None
    with pytest.raises(ServiceError, match="goedkeuring"):
        inspections.issue_report(inspection.id, actor=team.colleague)
    assert inspection.status == ST.IN_REVIEW
    if edit != "staff":  # who checked a staff list is an author; the judged and added ones are the inspector's
        h.approved(team, inspection)
        inspections.issue_report(inspection.id, actor=team.colleague)
        assert inspection.status == ST.DONE


def test_stale_content_hash_refused(team, nummer):
    inspection = h.in_status(team, nummer, ST.IN_REVIEW)
    seen = inspections.checklist_hash(inspection)
    item = inspection.items[0]
    inspections.judge_item(item.id, judgement=Judgement.NOT_APPLICABLE, finding=None, version=item.version,
                           actor=team.me)
    with pytest.raises(ServiceError, match="gewijzigd terwijl u haar las"):
        inspections.approve_inspection(inspection.id, content_sha256=seen, actor=team.colleague)


def test_the_same_version_twice_is_refused(team, nummer):
    inspection = h.in_status(team, nummer, ST.IN_PROGRESS)
    item = inspection.items[0]
    seen = item.version
    inspections.judge_item(item.id, judgement=Judgement.COMPLIES, finding=None, version=seen, actor=team.me)
    before = _audit_count()
    with pytest.raises(ConcurrentEditError):
        inspections.judge_item(item.id, judgement=Judgement.FAILS, finding="x", version=seen, actor=team.colleague)
    assert item.judgement == Judgement.COMPLIES and _audit_count() == before


def test_report_and_request_pdfs_say_what_they_must(team, nummer):
    inspection = h.start(team, nummer)
    deadline = h.deadline()
    inspections.issue_information_request(inspection.id, deadline=deadline, actor=team.me)
    text = " ".join(_pdf_text(inspection.request_kenmerk).split())
    for row in inspections.requested_items(inspection)[:3]:
        assert " ".join(row["stuk"].split())[:30] in text
    assert f"{deadline.day}" in text and str(deadline.year) in text
    h.fill(team, inspection, Judgement.FAILS)
    inspections.submit_for_review(inspection.id, version=inspection.version, actor=team.me)
    h.approved(team, inspection)
    inspections.issue_report(inspection.id, actor=team.colleague)
    text = " ".join(_pdf_text(inspection.report_kenmerk).split())
    for item in inspection.items:
        assert " ".join(item.requirement.titel.split())[:25] in text
        assert f"Bevinding bij {item.requirement.code}." in text.replace("- ", "").replace(" _", "_")
    assert "Voldoet niet" in text


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "rapport.pdf", "wordt niet aangenomen"),
    (b"", "leeg.pdf", "leeg"),
])
def test_evidence_refused(team, nummer, data, name, message):
    inspection = h.in_status(team, nummer, ST.IN_PROGRESS)
    with pytest.raises(ServiceError, match=message):
        inspections.add_file_evidence(inspection.items[0].id, data=data, file_name=name, actor=team.me)


def test_evidence_too_large(team, nummer, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 100)
    inspection = h.in_status(team, nummer, ST.IN_PROGRESS)
    with pytest.raises(ServiceError, match="groter dan"):
        inspections.add_file_evidence(inspection.items[0].id, data=h.MINIMAL_PDF + b" " * 100, file_name="a.pdf",
                                      actor=team.me)


@pytest.mark.parametrize(("make", "name", "kind"), [
    (lambda: h.MINIMAL_PDF, "a.pdf", "application/pdf"), (h.png_bytes, "a.png", "image/png"),
    (lambda: b"a;b\n1;2\n", "a.csv", "text/csv"),
    (h.xlsx_bytes, "a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_evidence_accepted_stored_and_removal_keeps_the_file(team, nummer, make, name, kind):
    import hashlib

    inspection = h.in_status(team, nummer, ST.IN_PROGRESS)
    data = make()
    evidence = inspections.add_file_evidence(inspection.items[0].id, data=data, file_name=name, actor=team.me)
    assert evidence.content_type == kind and evidence.sha256 == hashlib.sha256(data).hexdigest()
    inspections.remove_evidence(evidence.id, actor=team.me)
    assert inspections.evidence_file(evidence.id, actor=team.me)[0] == data
    assert inspection.items[0].evidence == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"registratienummer": "R2024-99999"}, "niet in de spiegel"),
    ({"codes": []}, "ten minste één eis"),
    ({"codes": ["BESTAAT_NIET"]}, "BESTAAT_NIET"),
    ({"day": date(2024, 3, 31)}, "inwerkingtreding"),
])
def test_start_refusals(team, nummer, kwargs, message):
    registratienummer = kwargs.pop("registratienummer", nummer)
    with pytest.raises(ServiceError, match=message):
        h.start(team, registratienummer, **kwargs)


def test_start_refused_while_one_is_open(team, nummer):
    h.start(team, nummer)
    with pytest.raises(ServiceError, match="Er loopt al een inspectie"):
        h.start(team, nummer)


def test_a_later_catalogue_version_leaves_the_old_inspection_alone(team, nummer):
    old = h.start(team, nummer, codes=None)
    first = old.catalogue
    data = json.loads(Path("wki/supervision/kwaliteitseisen.json").read_text(encoding="utf-8"))
    data["versie"], data["geldig_vanaf"] = 2, "2025-09-01"
    data["eisen"][0]["titel"] = "Een nieuwe titel"
    catalogue.load_catalogue(json.dumps(data).encode(), actor=h.Actor.process("test"))
    assert catalogue.version_in_force(date(2025, 9, 1)).versie == 2
    assert catalogue.version_in_force(date(2025, 8, 31)).versie == first.versie
    assert old.catalogue.versie == first.versie and all(i.requirement.catalogue_version_id == first.id
                                                        for i in old.items)
    inspections.withdraw_inspection(old.id, reason="Test.", actor=team.me)
    new = h.start(team, nummer, codes=None, day=date(2025, 9, 1))
    assert new.catalogue.versie == 2 and new.items[0].requirement.titel == "Een nieuwe titel"
