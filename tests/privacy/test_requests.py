"""Requests for access or erasure (art. 15/17 AVG) on Beheer → Persoonsgegevens: find a person by name, address or
e-mail address, export what was found, erase what no duty keeps; bad input changes nothing; the terms are not
stored; a second erasure finds nothing left to erase."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.privacy.helpers import LONG_AGO, closed_case, signal, trail_text
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.enforcement.models import CaseStatus, EvidenceLink
from wki.enforcement.procedure import case_store
from wki.privacy.models import PrivacyRequest, RequestKind
from wki.signals.attachments import attachment_store

URL = "/beheer/avg/verzoeken"
PERSON = "Truus Tuinman"
TEXT = f"Brief aan {PERSON}, Lindelaan 12, 8321 AB Urk, truus@example.net"


def _post(client, url, **data):
    token = csrf_token(client, URL)
    return client.post(url, data={"csrf_token": token, **data})


def _world(factories):
    """Every kind of record that can mention the person: closed and open signals, evidence of an open case,
    a closed case with an issued decision, and someone else's signal."""
    w = {}
    w["closed"] = signal(factories, closed_at=LONG_AGO, text=TEXT, with_file=True)
    w["open"] = signal(factories, closed_at=None, text=TEXT)
    w["evidence"] = signal(factories, closed_at=LONG_AGO, text=TEXT)
    open_case = factories.CaseFactory(status=CaseStatus.INVESTIGATION)
    factories.CaseEvidenceFactory(case_id=open_case.id, kind=EvidenceLink.SIGNAL, ref=str(w["evidence"].id))
    w["case"], w["case_sha"] = closed_case(factories, text=f"Klacht van {PERSON}")
    factories.CaseDocumentFactory(case_id=w["case"].id, status="uitgegeven", kenmerk="HZ-AVG-9",
                                  sections={"feiten": f"{PERSON} belde"})
    w["other"] = signal(factories, closed_at=LONG_AGO, text="Brief aan Kees Kok, Zwolle")
    w["user"] = factories.UserFactory(name="Truus Tuinman-de Boer")
    return w


def test_the_search_finds_every_record_and_says_where(admin_client, factories):
    w = _world(factories)
    page = _post(admin_client, URL, naam="tuinman", kenmerk="").get_data(as_text=True)
    for key in ("closed", "open", "evidence"):
        assert f'data-signaal="{w[key].id}"' in page
    assert f'data-signaal="{w["other"].id}"' not in page
    assert f'data-zaak="{w["case"].id}"' in page and "Tijdlijn" in page and "Document (tekst)" in page
    assert "Truus Tuinman-de Boer" in page
    assert "bewijs in een handhavingszaak die nog open is" in page and "nog open" in page
    # By e-mail address and by postcode as well; by an attachment's file name.
    assert f'data-signaal="{w["closed"].id}"' in _post(admin_client, URL, email="TRUUS@example.net").get_data(True)
    assert f'data-signaal="{w["closed"].id}"' in _post(admin_client, URL, adres="8321 ab").get_data(True)
    assert f'data-signaal="{w["closed"].id}"' in _post(admin_client, URL, naam="jansen-brief").get_data(True)
    # Searching records nothing: no request, no terms anywhere.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PrivacyRequest)) == 0


def test_bad_input_gets_a_dutch_message_and_changes_nothing(admin_client, factories):
    w = _world(factories)
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    page = _post(admin_client, URL).get_data(as_text=True)
    assert "Vul een naam, een adres of postcode, of een e-mailadres in." in page
    assert "te kort" in _post(admin_client, URL, naam="tu").get_data(as_text=True)
    # Erasing without a reference, a reason or the confirmation: refused, nothing erased.
    for data, message in (({"kenmerk": "", "reden": "Art. 17", "bevestiging": "y"}, "kenmerk van het verzoek"),
                          ({"kenmerk": "AVG-1", "reden": "", "bevestiging": "y"}, "reden van de wissing"),
                          ({"kenmerk": "AVG-1", "reden": "Art. 17"}, "Vink aan")):
        response = _post(admin_client, f"{URL}/wissen", naam=PERSON, **data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _post(admin_client, f"{URL}/export", naam=PERSON, kenmerk="").status_code == 200
    db.session.expire_all()
    assert PERSON in w["closed"].omschrijving and w["closed"].attachment_id is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PrivacyRequest)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_export_gives_everything_found_and_records_only_counts(admin_client, factories):
    w = _world(factories)
    response = _post(admin_client, f"{URL}/export", naam=PERSON, kenmerk="AVG-2026-0007")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("gegevens.json"))
    assert data["kenmerk"] == "AVG-2026-0007"
    assert {s["signaal"] for s in data["signalen"]} == {w["closed"].id, w["open"].id, w["evidence"].id}
    assert all(PERSON in s["omschrijving"] for s in data["signalen"])
    assert [c["zaak"] for c in data["handhavingszaken"]] == [w["case"].nummer]
    assert data["gebruikersaccounts"][0]["naam"] == "Truus Tuinman-de Boer"
    files = [n for n in archive.namelist() if n.startswith("bestanden/")]
    assert len(files) == 2  # the signal's letter and the case's file
    letter = next(n for n in files if n.startswith(f"bestanden/signaal-{w['closed'].id}-"))
    assert archive.read(letter) == attachment_store().get(w["closed"].attachment.sha256)

    record = db.session.scalars(sa.select(PrivacyRequest)).one()
    assert record.kind == RequestKind.ACCESS and record.counts["signalen"] == 3 and len(record.terms_hash) == 64
    trail = trail_text()
    assert "Truus" not in trail and "Tuinman" not in trail and "Lindelaan" not in trail
    assert "AVG-2026-0007" in trail  # the request's own reference is what it is found by


def test_erase_removes_what_no_duty_keeps_and_lists_the_rest(admin_client, factories):
    w = _world(factories)
    sha = w["closed"].attachment.sha256
    response = _post(admin_client, f"{URL}/wissen", naam=PERSON, kenmerk="AVG-2026-0008",
                     reden="Verzoek op grond van art. 17 AVG toegewezen", bevestiging="y")
    assert response.status_code == 302
    record = db.session.scalars(sa.select(PrivacyRequest)).one()
    assert response.headers["Location"].endswith(f"{URL}/{record.id}")
    db.session.expire_all()

    assert w["closed"].omschrijving.startswith("[verwijderd op ") and "verzoek tot wissing" in w["closed"].omschrijving
    assert w["closed"].attachment_id is None and not attachment_store().exists(sha)
    assert w["case"].aanleiding.startswith("[verwijderd") and not case_store().exists(w["case_sha"])
    for kept in ("open", "evidence"):
        assert PERSON in w[kept].omschrijving
    assert w["other"].pseudonymised_at is None
    assert record.kind == RequestKind.ERASURE and record.counts["signalen"] == 1 and record.counts["zaken"] == 1
    assert record.kept == {"signalen_open": [w["open"].id], "signalen_bewijs_open_zaak": [w["evidence"].id],
                           "uitgegeven_documenten": ["HZ-AVG-9"], "accounts": [w["user"].id]}
    page = admin_client.get(f"{URL}/{record.id}").get_data(as_text=True)
    assert "Signalen die bewijs zijn in een open handhavingszaak" in page and "HZ-AVG-9" in page
    trail = trail_text()
    assert "Truus" not in trail and "Lindelaan" not in trail

    # Sent again (a double click, a refresh of the POST): nothing left to erase, nothing erased twice.
    marked = w["closed"].omschrijving
    again = _post(admin_client, f"{URL}/wissen", naam=PERSON, kenmerk="AVG-2026-0008",
                  reden="Verzoek op grond van art. 17 AVG toegewezen", bevestiging="y")
    assert again.status_code == 302
    second = db.session.scalars(sa.select(PrivacyRequest).order_by(PrivacyRequest.id.desc())).first()
    assert second.counts["signalen"] == 0 and second.counts["zaken"] == 0
    assert second.terms_hash == record.terms_hash
    db.session.expire_all()
    assert w["closed"].omschrijving == marked


def test_the_overview_shows_periods_bases_and_what_is_due(admin_client, factories):
    signal(factories, closed_at=LONG_AGO)
    signal(factories, closed_at=LONG_AGO)
    page = admin_client.get("/beheer/avg").get_data(as_text=True)
    assert "24 maanden" in page and "Archiefwet 1995" in page and "te verifiëren" in page
    assert 'data-te-verwijderen="2"' in page
    assert "/beheer/taken/privacy-retention/uitvoeren" in page
    assert "De bewaartermijnen zijn nog niet toegepast." in page
    from wki.privacy import retention

    retention.run_retention()
    page = admin_client.get("/beheer/avg").get_data(as_text=True)
    assert "signalen: 2" in page and 'data-te-verwijderen="0"' in page
    # Beheer links to it.
    assert "Persoonsgegevens (AVG)" in admin_client.get("/beheer/").get_data(as_text=True)


def test_run_now_asks_for_confirmation_and_the_worker_applies_the_periods(app, admin_client, factories):
    from tests.helpers import redirected_id, run_worker_once
    from wki.core.jobs import JobRun

    due = signal(factories, closed_at=LONG_AGO)
    url = "/beheer/taken/privacy-retention/uitvoeren"
    page = admin_client.get(url).get_data(as_text=True)
    assert "Dat kan niet ongedaan worden gemaakt." in page
    token = csrf_token(admin_client, url)
    refused = admin_client.post(url, data={"csrf_token": token})
    assert refused.status_code == 200 and "Vink aan" in refused.get_data(as_text=True)
    first = redirected_id(admin_client.post(url, data={"csrf_token": token, "bevestiging": "y"}), "/beheer/werk")
    second = redirected_id(admin_client.post(url, data={"csrf_token": token, "bevestiging": "y"}), "/beheer/werk")
    assert first == second  # a double click queues it once
    assert "Jan Jansen" in due.omschrijving and due.pseudonymised_at is None  # nothing ran within the request

    assert "1 taak verwerkt." in run_worker_once(app)
    assert due.pseudonymised_at is not None
    run = db.session.scalars(sa.select(JobRun).where(JobRun.job_name == "privacy-retention")).one()
    assert run.outcome == "geslaagd" and run.counts["signalen"] == 1


def test_the_signal_page_says_its_personal_data_was_removed(login_as, factories):
    from wki.privacy import retention

    due = signal(factories, closed_at=LONG_AGO)
    inspector = login_as(Role.INSPECTEUR)
    assert "Persoonsgegevens verwijderd" not in inspector.get(f"/signalen/{due.id}").get_data(as_text=True)
    retention.run_retention()
    page = inspector.get(f"/signalen/{due.id}").get_data(as_text=True)
    assert "Persoonsgegevens verwijderd" in page and "Jan Jansen" not in page
