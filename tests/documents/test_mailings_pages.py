"""The mailing pages: a new mailing from preview (count, unreachable recipients by name, three sample
letters) to creation, four-eyes approval on the page, start, progress, the print file and the status file;
an uploaded address list kept between "Bekijken" and "Aanmaken"."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from tests.conftest import csrf_token
from tests.documents.test_mailings import load_register
from tests.helpers import redirected_id, run_worker_once
from wki.core.auth import Role
from wki.core.extensions import db
from wki.documents.models import Mailing, MailingStatus

NEW = "/documenten/mailings/nieuw"


def _form(client, **fields):
    token = csrf_token(client, f"{NEW}?soort=informatiebrief-sector")
    return {"csrf_token": token, "soort": "informatiebrief-sector", "bron": "register", "as_of": "2026-06-01",
            "status": "ingeschreven", "datum": "2026-06-02", "titel": "Juni", **fields}


def test_from_preview_to_a_finished_mailing_with_four_eyes(app, db_session, login_as):
    load_register(5, r5={"straat": ""})
    maker = login_as(Role.VOORLICHTING)
    checker = login_as(Role.VOORLICHTING)

    assert "Briefsoort" in maker.get(NEW).get_data(as_text=True)
    preview = maker.post(NEW, data=_form(maker, actie="bekijken"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:2000]
    assert "<strong>5</strong> ontvangers" in page
    assert "Incassobureau 5 B.V. (R2024-00005)" in page and "geen volledig postadres" in page
    assert page.count("data:image/png;base64,") == 3 and page.count("data:application/pdf;base64,") == 3
    assert 'value="aanmaken"' in page

    created = maker.post(NEW, data=_form(maker, actie="aanmaken"))
    mailing_id = redirected_id(created, "/documenten/mailings")
    detail = f"/documenten/mailings/{mailing_id}"
    page = maker.get(detail).get_data(as_text=True)
    assert "U heeft deze mailing zelf aangemaakt" in page and "Goedkeuren" not in page
    # The maker's own approval is refused by the page's action too (a hand-made POST).
    maker.post(f"{detail}/goedkeuren", data={"csrf_token": csrf_token(maker, detail)})
    mailing = db.session.get(Mailing, mailing_id)
    assert mailing.status == MailingStatus.DRAFT

    waiting = checker.get(detail).get_data(as_text=True)
    assert "Goedkeuren" in waiting
    # The approver sees what they approve: three letters made from the frozen recipients and text.
    assert waiting.count("data:image/png;base64,") == 3 and "Voorbeeldbrief aan Incassobureau 1 B.V." in waiting
    assert checker.post(f"{detail}/goedkeuren", data={"csrf_token": csrf_token(checker, detail)}).status_code == 302
    assert checker.post(f"{detail}/starten", data={"csrf_token": csrf_token(checker, detail)}).status_code == 302
    running = checker.get(detail)
    assert running.headers["Refresh"] == "5"
    # A resubmitted start changes nothing: it says the mailing already runs.
    again = checker.post(f"{detail}/starten", data={"csrf_token": csrf_token(checker, detail)}, follow_redirects=True)
    assert "al gestart" in again.get_data(as_text=True)

    run_worker_once(app)
    done = checker.get(detail)
    assert "Refresh" not in done.headers
    assert "4 van 4 ontvangers klaar (100%)" in done.get_data(as_text=True)

    printed = checker.get(f"{detail}/drukbestand.pdf")
    assert printed.status_code == 200 and printed.data.startswith(b"%PDF")
    status = checker.get(f"{detail}/status.csv")
    rows = list(csv.reader(io.StringIO(status.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["registratienummer", "naam", "kenmerk", "status", "sha256"]
    assert [r[3] for r in rows[1:]] == ["gemaakt"] * 4 + ["geen_adres"]
    assert "Juni" in checker.get("/documenten/mailings").get_data(as_text=True)


def test_an_uploaded_list_is_kept_between_preview_and_creation(app, db_session, login_as):
    maker = login_as(Role.VOORLICHTING)
    data = b"naam;straat;huisnummer;postcode;plaats;registratienummer\nBureau A;Laan;1;1234 AB;Ede;R1\n"
    preview = maker.post(NEW, data=_form(maker, bron="csv", actie="bekijken",
                                         bestand=(io.BytesIO(data), "adressen.csv")),
                         content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert "<strong>1</strong> ontvanger" in page
    sha256 = re.search(r'name="bestand_sha256"[^>]*value="([0-9a-f]{64})"', page).group(1)
    created = maker.post(NEW, data=_form(maker, bron="csv", actie="aanmaken", bestand_sha256=sha256,
                                         bestand_naam="adressen.csv"))
    mailing = db.session.get(Mailing, redirected_id(created, "/documenten/mailings"))
    assert mailing.criteria["bestand"] == "adressen.csv" and mailing.recipient_count == 1
    # Someone else cannot use that upload by its hash.
    other = login_as(Role.VOORLICHTING)
    refused = other.post(NEW, data=_form(other, bron="csv", actie="aanmaken", bestand_sha256=sha256))
    assert refused.status_code == 200 and "Kies een adressenlijst" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mailing)) == 1


def test_a_bad_list_is_refused_with_its_lines(app, db_session, login_as):
    maker = login_as(Role.VOORLICHTING)
    data = b"naam,email\nA,a@example.nl\n,b@example.nl\n"
    page = maker.post(NEW, data=_form(maker, bron="csv", actie="bekijken", bestand=(io.BytesIO(data), "x.csv")),
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "regel 3, kolom naam: de naam ontbreekt" in page


def test_aanmaken_sent_twice_makes_one_mailing(app, db_session, login_as):
    """A double click or a refresh after the POST sends the same form (the same one-time key) again: the
    second finds the first mailing; a newly opened form makes a new one."""
    load_register(3)
    maker = login_as(Role.VOORLICHTING)
    page = maker.get(f"{NEW}?soort=informatiebrief-sector").get_data(as_text=True)
    key = re.search(r'name="aanvraag"[^>]*value="([0-9a-f]{32})"', page).group(1)
    first = redirected_id(maker.post(NEW, data=_form(maker, actie="aanmaken", aanvraag=key)), "/documenten/mailings")
    second = redirected_id(maker.post(NEW, data=_form(maker, actie="aanmaken", aanvraag=key)), "/documenten/mailings")
    assert first == second
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mailing)) == 1
    other_key = re.search(r'name="aanvraag"[^>]*value="([0-9a-f]{32})"',
                          maker.get(f"{NEW}?soort=informatiebrief-sector").get_data(as_text=True)).group(1)
    assert other_key != key
    third = redirected_id(maker.post(NEW, data=_form(maker, actie="aanmaken", aanvraag=other_key)),
                          "/documenten/mailings")
    assert third != first
