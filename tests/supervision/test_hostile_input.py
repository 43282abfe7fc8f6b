"""The Toezicht pages misused: forged and stale values, other people's objects, markup and absurd lengths,
files that lie about what they are, a damaged archive. Each gets a Dutch answer and changes nothing."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa

from tests.conftest import csrf_token, login
from tests.register.helpers import load, register_row
from tests.supervision import helpers as h
from wki.core.audit import AuditEvent
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.supervision import inspections
from wki.supervision.models import Evidence, Inspection, InspectionStatus, Judgement


def _client(app, user):
    c = app.test_client()
    login(c, user.email)
    return c


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_a_forged_approval_hash_is_refused(app, factories):
    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_REVIEW)
    reviewer = _client(app, team.reviewer)
    page = f"/toezicht/inspecties/{inspection.id}"
    before = _events()
    response = reviewer.post(f"{page}/goedkeuren", data={"csrf_token": csrf_token(reviewer, page),
                                                          "goedkeuren-content_sha256": "0" * 64})
    assert "gewijzigd terwijl u haar las" in response.get_data(as_text=True)
    assert inspections.approval_of(inspection) is None and _events() == before


def test_the_inspector_cannot_approve_through_the_page(app, factories):
    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_REVIEW)
    me = _client(app, team.inspector)
    page = f"/toezicht/inspecties/{inspection.id}"
    response = me.post(f"{page}/goedkeuren", data={"csrf_token": csrf_token(me, page),
                                                    "goedkeuren-content_sha256": inspections.checklist_hash(inspection)})
    assert "vier ogen" in response.get_data(as_text=True)
    assert inspections.approval_of(inspection) is None


def test_unknown_and_mismatched_objects_are_404(app, factories):
    team = h.team(factories)
    rows = [register_row(1), register_row(2)]
    load(rows, date(2025, 1, 5))  # one snapshot: a second one without the first agency would end it
    first = h.in_status(team, rows[0]["registratienummer"], InspectionStatus.IN_PROGRESS)
    second = h.in_status(team, rows[1]["registratienummer"], InspectionStatus.IN_PROGRESS)
    me = _client(app, team.inspector)
    assert me.get("/toezicht/inspecties/999999").status_code == 404
    assert me.get(f"/toezicht/inspecties/{first.id}/eisen/{second.items[0].id}").status_code == 404
    assert me.get("/toezicht/bewijs/999999").status_code == 404
    assert me.get("/toezicht/catalogus/niet_een_code").status_code == 404


def test_markup_and_absurd_lengths_in_the_start_form(app, factories):
    team = h.team(factories)
    number = h.registration()
    me = _client(app, team.inspector)
    hostile = "<script>alert(1)</script>"
    page = me.get(f"/toezicht/inspecties/nieuw?registratienummer={number}&aanleiding={hostile}")
    assert page.status_code == 200 and hostile not in page.get_data(as_text=True)
    assert "&lt;script&gt;" in page.get_data(as_text=True)
    token = csrf_token(me, "/toezicht/inspecties/nieuw")
    for data in ({"registratienummer": hostile}, {"registratienummer": number, "aanleiding": "x" * 100_000},
                 {"registratienummer": number, "inspectiedatum": "31-02-2026"},
                 {"registratienummer": number, "eisen": ["BESTAAT_NIET"]},
                 {"registratienummer": number, "reviewer": str(team.inspector.id)}):
        before = _events()
        response = me.post("/toezicht/inspecties/nieuw", data={"csrf_token": token, "soort": "regulier",
                                                               "inspectiedatum": "2025-06-02", **data})
        assert response.status_code in (200, 400), data
        assert hostile not in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0, data
        assert _events() == before, data


def test_a_file_that_lies_about_its_type_is_refused(app, factories):
    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_PROGRESS)
    item = inspection.items[0]
    me = _client(app, team.inspector)
    url = f"/toezicht/inspecties/{inspection.id}/eisen/{item.id}"
    token = csrf_token(me, url)
    for name, data in (("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),
                       ("leeg.pdf", b""), ("half.pdf", b"%PDF-1.4 zonder einde"),
                       ("archief.zip", b"PK\x03\x04" + b"\x00" * 40)):
        response = me.post(url, data={"csrf_token": token, "actie": "bestand", "bestand-wijze": "informatieverzoek",
                                      "bestand-bestand": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
        assert response.status_code in (200, 400), name
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0, name


def test_a_damaged_archive_answers_in_dutch(app, factories):
    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_PROGRESS)
    own = h.MINIMAL_PDF.replace(b"%%EOF", b"% alleen van deze test\n%%EOF")  # the store is shared: damage no other test's file
    evidence = inspections.add_file_evidence(inspection.items[0].id, data=own, file_name="stuk.pdf", actor=team.me)
    store = inspections.evidence_store()
    store.path_of(evidence.sha256).write_bytes(b"%PDF-1.4 ander")  # type: ignore[attr-defined]
    response = _client(app, team.inspector).get(f"/toezicht/bewijs/{evidence.id}")
    assert response.status_code == 503
    assert "beschadigd" in response.get_data(as_text=True) or "niet te lezen" in response.get_data(as_text=True)


def test_a_reader_cannot_change_the_checklist(app, factories):
    from wki.core.auth import Role

    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_PROGRESS)
    item = inspection.items[0]
    officer = factories.UserFactory(roles=[Role.HANDHAVER])
    client = _client(app, officer)
    url = f"/toezicht/inspecties/{inspection.id}/eisen/{item.id}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "actie": "oordeel",
                                      "oordeel-oordeel": "voldoet", "oordeel-versie": item.version})
    assert response.status_code == 403
    assert item.judgement == Judgement.NOT_JUDGED


def test_control_characters_and_broken_unicode_in_a_finding(factories):
    team = h.team(factories)
    inspection = h.in_status(team, h.registration(), InspectionStatus.IN_PROGRESS)
    item = inspection.items[0]
    inspections.judge_item(item.id, judgement="deels", finding="Regel een\x00\x01\x0b\r\nregel\ttwee\x7f ",
                           version=item.version, actor=team.me)
    assert item.finding == "Regel een\r\nregel\ttwee", "control characters gone, line breaks and tabs kept"
    before = (item.finding, item.version, _events())
    try:
        inspections.judge_item(item.id, judgement="deels", finding="kapot \ud800 teken", version=item.version,
                               actor=team.me)
    except ServiceError as exc:
        assert "ongeldig teken" in exc.message
    else:
        raise AssertionError("a lone surrogate must be refused")
    assert (item.finding, item.version, _events()) == before
