"""The inspection pages against the real application and database: every page renders, each action's happy
path and a refused one (a Dutch message, nothing changed), a refresh after a POST, the item of another
inspection, a form without CSRF token."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, login
from tests.supervision import helpers as h
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.supervision import inspections
from wki.supervision.models import InspectionStatus, Judgement


def _client(app, user):
    c = app.test_client()
    login(c, user.email)
    return c


@pytest.fixture
def setup(app, factories):
    team = h.team(factories)
    nummer = h.registration()
    return team, nummer, _client(app, team.inspector), _client(app, team.reviewer)


def _audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def _page(inspection) -> str:
    return f"/toezicht/inspecties/{inspection.id}"


def test_list_new_and_pages_render(setup):
    team, nummer, me, _ = setup
    inspection = h.start(team, nummer)
    inspections.begin_inspection(inspection.id, actor=team.me)
    assert inspection.nummer in me.get("/toezicht/inspecties").get_data(as_text=True)
    assert inspection.nummer in me.get("/toezicht/inspecties?status=in_uitvoering&mijn=ja").get_data(as_text=True)
    assert inspection.nummer not in me.get("/toezicht/inspecties?status=afgerond").get_data(as_text=True)
    page = me.get(f"/toezicht/inspecties/nieuw?registratienummer={nummer}&aanleiding=Veel+signalen").get_data(as_text=True)
    assert "Er loopt al een inspectie" in page and "Veel signalen" in page and "VOG_MEDEWERKER" in page
    page = me.get(_page(inspection)).get_data(as_text=True)
    assert "Ter review aanbieden" in page and "VOG_MEDEWERKER" in page
    assert f"geen signalen over registratie {nummer}" in page, "the volume and recency of signals are shown"
    item = inspection.items[0]
    page = me.get(f"{_page(inspection)}/eisen/{item.id}?oordeel=voldoet_niet").get_data(as_text=True)
    assert item.requirement.standard_finding("voldoet_niet")[:30] in page
    assert me.get(f"{_page(inspection)}/informatieverzoek").status_code == 200


def test_start_an_inspection_and_the_open_one_refused(setup):
    team, nummer, me, _ = setup
    url = f"/toezicht/inspecties/nieuw?registratienummer={nummer}"
    data = {"csrf_token": csrf_token(me, url), "registratienummer": nummer, "soort": "regulier",
            "inspectiedatum": "2025-06-02", "reviewer": str(team.reviewer.id), "eisen": list(h.SMALL_SCOPE)}
    response = me.post("/toezicht/inspecties/nieuw", data=data)
    assert response.status_code == 302
    inspection = inspections.open_inspection_of(nummer)
    assert [i.requirement.code for i in inspection.items] == list(h.SMALL_SCOPE)
    before = _audit_count()
    page = me.post("/toezicht/inspecties/nieuw", data=data).get_data(as_text=True)
    assert "Er loopt al een inspectie van deze registratie" in page and f"/toezicht/inspecties/{inspection.id}" in page
    assert _audit_count() == before


def test_actions_through_to_the_report(setup):
    team, nummer, me, colleague = setup
    inspection = h.start(team, nummer)
    token = csrf_token(me, _page(inspection))
    assert me.post(f"{_page(inspection)}/beginnen", data={"csrf_token": token}).status_code == 302
    assert inspection.status == InspectionStatus.IN_PROGRESS
    # refused: submitting an incomplete checklist
    response = me.post(f"{_page(inspection)}/aanbieden", data={"csrf_token": token, "aanbieden-versie": inspection.version})
    assert "nog niet compleet" in response.get_data(as_text=True)
    assert inspection.status == InspectionStatus.IN_PROGRESS
    for item in inspection.items:
        url = f"{_page(inspection)}/eisen/{item.id}"
        data = {"csrf_token": token, "actie": "oordeel", "oordeel-oordeel": "voldoet", "oordeel-versie": item.version}
        assert me.post(url, data=data).status_code == 302
        # the same POST again (a refresh): it is so already, nothing is written
        before = _audit_count()
        assert me.post(url, data=data).status_code == 302 and _audit_count() == before
        # another judgement based on the version before: refused, nothing changed
        other = {**data, "oordeel-oordeel": "voldoet_niet"}
        page = me.post(url, data=other).get_data(as_text=True)
        assert "intussen door iemand anders gewijzigd" in page and _audit_count() == before
    staff = {"csrf_token": token, "personeel-personeelslijst": (__import__("io").BytesIO(h.STAFF_CSV), "p.csv")}
    assert me.post(f"{_page(inspection)}/personeelslijst", data=staff, content_type="multipart/form-data").status_code == 302
    assert "vog_ontbreekt" in me.get(_page(inspection)).get_data(as_text=True)
    # the VOG item now proposes 'voldoet niet'; the inspector follows it, with a finding (the staff list is evidence)
    vog = next(i for i in inspection.items if i.requirement.code == "VOG_MEDEWERKER")
    me.post(f"{_page(inspection)}/eisen/{vog.id}", data={"csrf_token": token, "actie": "oordeel",
            "oordeel-oordeel": "voldoet_niet", "oordeel-bevinding": "Geen VOG.", "oordeel-versie": vog.version})
    assert vog.judgement == Judgement.FAILS
    assert me.post(f"{_page(inspection)}/aanbieden", data={"csrf_token": token,
                                                          "aanbieden-versie": inspection.version}).status_code == 302
    assert inspection.status == InspectionStatus.IN_REVIEW
    # the author cannot approve
    page = me.post(f"{_page(inspection)}/goedkeuren", data={"csrf_token": token}).get_data(as_text=True)
    assert "vier ogen" in page
    ctoken = csrf_token(colleague, _page(inspection))
    assert colleague.post(f"{_page(inspection)}/terugsturen", data={"csrf_token": ctoken,
                          "terugsturen-opmerking": "Bevinding aanvullen."}).status_code == 302
    assert inspection.status == InspectionStatus.IN_PROGRESS
    me.post(f"{_page(inspection)}/aanbieden", data={"csrf_token": token, "aanbieden-versie": inspection.version})
    page = colleague.get(_page(inspection)).get_data(as_text=True)
    assert "Bevinding aanvullen." in page
    sha = inspections.checklist_hash(inspection)
    assert colleague.post(f"{_page(inspection)}/goedkeuren", data={"csrf_token": ctoken,
                          "goedkeuren-content_sha256": sha}).status_code == 302
    assert "Goedgekeurd door" in colleague.get(_page(inspection)).get_data(as_text=True)
    assert colleague.post(f"{_page(inspection)}/rapport", data={"csrf_token": ctoken}).status_code == 302
    assert inspection.status == InspectionStatus.DONE and inspection.report_kenmerk
    assert inspection.report_kenmerk in me.get(_page(inspection)).get_data(as_text=True)


def test_information_request_and_withdraw(setup):
    team, nummer, me, _ = setup
    inspection = h.start(team, nummer)
    url = f"{_page(inspection)}/informatieverzoek"
    token = csrf_token(me, url)
    page = me.post(url, data={"csrf_token": token, "uiterlijk": "2020-01-01", "stukken": "x"}).get_data(as_text=True)
    assert "na vandaag" in page and inspection.request_kenmerk is None
    response = me.post(url, data={"csrf_token": token, "uiterlijk": h.deadline().isoformat(),
                                  "stukken": "Klachtenregeling — KLACHTENREGELING\nVOG's"})
    assert response.status_code == 302 and inspection.request_kenmerk
    assert inspection.status == InspectionStatus.IN_PROGRESS
    page = me.post(f"{_page(inspection)}/intrekken", data={"csrf_token": token}).get_data(as_text=True)
    assert "Geef de reden op" in page and inspection.status == InspectionStatus.IN_PROGRESS
    me.post(f"{_page(inspection)}/intrekken", data={"csrf_token": token, "intrekken-reden": "Dubbel."})
    assert inspection.status == InspectionStatus.WITHDRAWN


def test_evidence_upload_download_and_removal(setup):
    import io

    team, nummer, me, _ = setup
    inspection = h.start(team, nummer)
    inspections.begin_inspection(inspection.id, actor=team.me)
    item = inspection.items[0]
    url = f"{_page(inspection)}/eisen/{item.id}"
    token = csrf_token(me, url)
    bad = {"csrf_token": token, "actie": "bestand", "bestand-bestand": (io.BytesIO(b"MZ\x90\x00\x03"), "x.pdf"),
           "bestand-wijze": "informatieverzoek", "bestand-verkregen_op": "2025-06-02"}
    page = me.post(url, data=bad, content_type="multipart/form-data").get_data(as_text=True)
    assert "wordt niet aangenomen" in page and item.evidence == []
    good = dict(bad, **{"bestand-bestand": (io.BytesIO(h.MINIMAL_PDF), 'rapport "x".pdf')})
    assert me.post(url, data=good, content_type="multipart/form-data").status_code == 302
    (evidence,) = item.evidence
    response = me.get(f"/toezicht/bewijs/{evidence.id}")
    assert response.data == h.MINIMAL_PDF and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment") and '"x"' not in response.headers["Content-Disposition"]
    assert me.post(f"/toezicht/bewijs/{evidence.id}/verwijderen", data={"csrf_token": token}).status_code == 302
    assert item.evidence == []
    assert me.get(f"/toezicht/bewijs/{evidence.id}").status_code == 200  # the file stays


def test_register_evidence(setup):
    team, nummer, me, _ = setup
    inspection = h.start(team, nummer)
    inspections.begin_inspection(inspection.id, actor=team.me)
    item = inspection.items[0]
    url = f"{_page(inspection)}/eisen/{item.id}"
    token = csrf_token(me, url)
    page = me.post(url, data={"csrf_token": token, "actie": "register", "register-peildatum": "2999-01-01"})
    assert "De peildatum ligt in de toekomst." in page.get_data(as_text=True) and item.evidence == []
    assert me.post(url, data={"csrf_token": token, "actie": "register",
                              "register-peildatum": "2025-06-01"}).status_code == 302
    assert item.evidence[0].register_as_of.isoformat() == "2025-06-01"


def test_item_of_another_inspection_is_404_and_readers_cannot_post(setup, app, login_as, factories):
    team, nummer, me, _ = setup
    first = h.start(team, nummer)
    inspections.withdraw_inspection(first.id, reason="Opnieuw.", actor=team.me)
    other = h.start(team, nummer)
    assert me.get(f"{_page(first)}/eisen/{other.items[0].id}").status_code == 404
    reader = login_as(Role.HANDHAVER)
    assert reader.get(f"{_page(first)}/eisen/{first.items[0].id}").status_code == 200
    token = csrf_token(reader, f"{_page(first)}/eisen/{first.items[0].id}")
    assert reader.post(f"{_page(first)}/eisen/{first.items[0].id}", data={"csrf_token": token}).status_code == 403


def test_missing_csrf_is_400(setup):
    team, nummer, me, _ = setup
    inspection = h.start(team, nummer)
    assert me.post(f"{_page(inspection)}/beginnen", data={}).status_code == 400
    assert inspection.status == InspectionStatus.DRAFT


def test_the_reviewer_can_be_chosen_later_and_changed(app, factories):
    team = h.team(factories)
    inspection = h.start(team, h.registration(), reviewer=False)
    inspections.begin_inspection(inspection.id, actor=team.me)
    h.fill(team, inspection)
    me = _client(app, team.inspector)
    page = _page(inspection)
    token = csrf_token(me, page)
    refused = me.post(f"{page}/aanbieden", data={"csrf_token": token, "aanbieden-versie": inspection.version})
    assert "Kies eerst een reviewer" in refused.get_data(as_text=True)
    # the inspector cannot review their own inspection: not offered, and refused when forged
    forged = me.post(f"{page}/reviewer", data={"csrf_token": token, "reviewer-reviewer": team.inspector.id,
                                                "reviewer-versie": inspection.version})
    assert "vier ogen" in forged.get_data(as_text=True) and inspection.reviewer_id is None
    # based on an old version: refused
    stale = me.post(f"{page}/reviewer", data={"csrf_token": token, "reviewer-reviewer": team.reviewer.id,
                                               "reviewer-versie": inspection.version - 1})
    assert "intussen door iemand anders gewijzigd" in stale.get_data(as_text=True) and inspection.reviewer_id is None
    chosen = me.post(f"{page}/reviewer", data={"csrf_token": token, "reviewer-reviewer": team.reviewer.id,
                                                "reviewer-versie": inspection.version})
    assert chosen.status_code == 302 and inspection.reviewer_id == team.reviewer.id
    assert me.post(f"{page}/aanbieden", data={"csrf_token": token, "aanbieden-versie": inspection.version}).status_code == 302
    assert inspection.status == InspectionStatus.IN_REVIEW
