"""The signal pages: the list, the staff form with its attachment, a signal with the decisions about it,
bulk files with their reports, suspects with their merges and splits, and the export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import csrf_token
from tests.helpers import count_queries, make_iban
from tests.signals.helpers import signal_row, signals_csv
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.auth import Role
from wki.core.extensions import db
from wki.signals.attachments import store_attachment
from wki.signals.export import EXPORT_COLUMNS
from wki.signals.imports import import_signals
from wki.signals.judging import match_signals
from wki.signals.models import Channel, Signal, SignalAttachment, SignalImport, Suspect, SuspectStatus, Verdict
from wki.signals.recording import create_signal

_n = [0]


def make_signal(**values: Any) -> Signal:
    """A signal recorded through the service (judged at once), with a unique reference."""
    _n[0] += 1
    return create_signal(signal_row(1000 + _n[0], **values), channel=Channel.FORM, actor=Actor.process("inspecteur@test"))


def signals() -> list[Signal]:
    return list(db.session.scalars(sa.select(Signal).order_by(Signal.id)))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    """The page's text without tags and with whitespace collapsed, for phrases that span elements."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def form_values(**overrides: str) -> dict[str, str]:
    values = {"referentie": "", "ontvangen_op": "2026-03-10", "bron": "consument", "naam_incassant": "",
              "kvk_nummer": "", "iban": "", "website": "", "email": "", "telefoon": "", "postcode": "", "plaats": "",
              "datum_brief": "2026-03-02", "hoofdsom": "", "incassokosten": "", "omschrijving": ""}
    values.update(overrides)
    return values


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Aanmaning</h1><p>Betaal binnen 14 dagen.</p>").write_pdf()


@pytest.fixture
def inspector(login_as):
    return login_as(Role.INSPECTEUR)


def post_form(client, url: str, data: dict[str, Any], page: str | None = None, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data}, **kwargs)


# ---------------------------------------------------------------- access


def _pages(mirror) -> list[str]:
    attachment = store_attachment(png_bytes(), "brief.png", actor=Actor.process("test"))
    signal = create_signal(signal_row(1, naam_incassant="Snelgeld Inning"), channel=Channel.FORM,
                           actor=Actor.process("test"), attachment=attachment)
    record = import_signals(signals_csv([signal_row(2), signal_row(3, bron="onbekend")]), file_name="x.csv",
                            actor=Actor.process("test"), skip_invalid=True).record
    assert signal.suspect_id is not None
    return ["/signalen", "/signalen/", "/signalen/?oordeel=handmatig&zoek=snelgeld&klonen=y&bik=y&sorteer=score",
            "/signalen/export.csv", "/signalen/nieuw", f"/signalen/{signal.id}", f"/signalen/{signal.id}/bijlage",
            "/signalen/importeren", f"/signalen/importeren/{record.id}",
            f"/signalen/importeren/{record.id}/afgekeurd.csv", "/signalen/mogelijke-overtreders",
            "/signalen/mogelijke-overtreders?status=alle&min_signalen=1&zoek=snelgeld",
            f"/signalen/mogelijke-overtreders/{signal.suspect_id}"]


def test_every_page_renders_for_an_inspector_and_a_handhaver(mirror, login_as):
    pages = _pages(mirror)
    for role in (Role.INSPECTEUR, Role.HANDHAVER):
        client = login_as(role)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url, text_of(response)[:300])


def test_every_page_is_refused_for_voorlichting(mirror, login_as):
    pages = _pages(mirror)
    client = login_as(Role.VOORLICHTING)
    for url in pages:
        assert client.get(url).status_code == 403, url


def test_empty_pages_say_so(inspector, db_session):
    assert "Geen signalen gevonden." in text_of(inspector.get("/signalen/"))
    assert "Geen mogelijke overtreders gevonden." in text_of(inspector.get("/signalen/mogelijke-overtreders"))
    assert "Nog geen bestanden ingelezen." in text_of(inspector.get("/signalen/importeren"))
    assert inspector.get("/signalen/mogelijke-overtreders/999999").status_code == 404


def test_the_main_menu_leads_to_the_signals(inspector):
    page = text_of(inspector.get("/"))
    assert 'href="/signalen/">Signalen</a>' in page


# ---------------------------------------------------------------- the list


def test_list_counts_verdicts_and_filters(mirror, inspector):
    registered = make_signal(naam_incassant="Noordkaap Incasso BV", hoofdsom="1250,00", incassokosten="450,00")
    clone = make_signal(naam_incassant="Noordkaap Incasso B.V.", kvk_nummer="99887766")
    unknown = make_signal(naam_incassant="Snelgeld Inning", kvk_nummer="KvK 1234.5678", bron="gemeente")
    assert registered.auto_verdict == Verdict.REGISTERED and registered.bik_exceeded
    assert clone.auto_verdict == Verdict.UNREGISTERED and clone.clone_of == "R2024-00001"
    assert unknown.auto_verdict == Verdict.UNREGISTERED

    page = plain(text_of(inspector.get("/signalen/")))
    assert "Oordelen (3 signalen)" in page
    assert "1 Geregistreerd" in page and "2 Niet geregistreerd" in page and "0 Handmatig vastgesteld" in page
    for link in ("Signaal registreren", "Bestand inlezen", "Mogelijke overtreders", "Deze 3 signalen downloaden (CSV)"):
        assert link in page

    def refs(query: str) -> list[str]:
        html = text_of(inspector.get("/signalen/?" + query))
        return re.findall(r'href="/signalen/\d+">([^<]+)</a>', html)

    assert refs("oordeel=niet_geregistreerd&sorteer=referentie&volgorde=op") == [clone.referentie, unknown.referentie]
    assert refs("klonen=y") == [clone.referentie]
    assert refs("bik=y") == [registered.referentie]
    assert refs("bron=gemeente") == [unknown.referentie]
    assert refs("zoek=12345678") == [unknown.referentie]  # the KvK number as normalised
    assert refs("zoek=noordkaap&sorteer=referentie&volgorde=op") == [registered.referentie, clone.referentie]
    assert refs(f"zoek={registered.referentie}") == [registered.referentie]
    assert refs("status=afgehandeld") == []
    assert refs("kanaal=formulier&sorteer=referentie&volgorde=op") == [registered.referentie, clone.referentie,
                                                                        unknown.referentie]
    assert "Kies een oordeel uit de lijst." in text_of(inspector.get("/signalen/?oordeel=fout"))


def test_list_and_suspects_cost_the_same_queries_for_more_rows(mirror, inspector):
    def measure(url: str) -> int:
        with count_queries() as statements:
            assert inspector.get(url).status_code == 200
        return len(statements)

    names = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo",
             "Lima", "Mike", "November"]
    for n in range(2):
        make_signal(naam_incassant=f"{names[n]} Vorderingen", iban=make_iban(700 + n))
    few = measure("/signalen/"), measure("/signalen/mogelijke-overtreders")
    for n in range(2, 14):
        make_signal(naam_incassant=f"{names[n]} Vorderingen", iban=make_iban(700 + n))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suspect)) == 14
    many = measure("/signalen/"), measure("/signalen/mogelijke-overtreders")
    assert few == many


# ---------------------------------------------------------------- the staff form


def test_form_creates_a_signal_and_shows_its_verdict(mirror, inspector):
    response = post_form(inspector, "/signalen/nieuw", form_values(
        referentie="BRF-1", naam_incassant="Noordkaap Incaso", kvk_nummer="KvK 1000.0001", hoofdsom="1.250,00",
        incassokosten="450,00", datum_brief="02-03-2026"), follow_redirects=True)
    assert response.status_code == 200
    (signal,) = signals()
    assert response.request.path == f"/signalen/{signal.id}"
    assert signal.referentie == "BRF-1" and signal.channel == Channel.FORM
    assert signal.datum_brief == date(2026, 3, 2)
    assert signal.auto_verdict == Verdict.REGISTERED
    page = plain(text_of(response))
    assert "Signaal BRF-1 is vastgelegd en beoordeeld, oordeel: geregistreerd." in page
    assert "KvK-nummer 10000001 is dat van Noordkaap Incasso B.V. (R2024-00001)" in page
    assert 'href="/register/R2024-00001"' in text_of(response)
    assert "Incassokosten boven het BIK-maximum" in page
    assert "Plafond inclusief 21% btw € 226,88" in page
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(signal.id))).all()
    assert "signaal.ontvangen" in events


def test_form_without_a_reference_gets_one_of_its_own(mirror, inspector):
    response = post_form(inspector, "/signalen/nieuw", form_values(naam_incassant="Snelgeld Inning"))
    assert response.status_code == 302
    (signal,) = signals()
    assert re.fullmatch(r"IJV-\d{4}-000001", signal.referentie)


def test_bad_values_show_dutch_messages_at_their_fields_and_store_nothing(mirror, inspector):
    response = post_form(inspector, "/signalen/nieuw", form_values(
        naam_incassant="Snelgeld Inning", hoofdsom="veel", kvk_nummer="123", datum_brief="2026-03-20",
        ontvangen_op="2026-03-10"))
    assert response.status_code == 200
    page = text_of(response)
    assert 'id="hoofdsom-fout">Hoofdsom is geen bedrag.' in page
    assert 'id="kvk_nummer-fout">KvK-nummer is geen KvK-nummer (verwacht 8 cijfers) of vestigingsnummer (12 cijfers).' in page
    assert 'id="datum_brief-fout">Datum brief ligt na de datum van ontvangst.' in page
    assert 'href="#hoofdsom"' in page  # the error summary leads to the field
    assert signals() == []

    response = post_form(inspector, "/signalen/nieuw", form_values(ontvangen_op="31-02-2026"))
    page = text_of(response)
    assert "Vul een geldige datum in, zoals 2026-03-29." in page
    assert "Naam incassant is verplicht als geen KvK-nummer" in page
    assert signals() == []


def test_duplicate_reference_is_refused_and_changes_nothing(mirror, inspector):
    first = make_signal(naam_incassant="Snelgeld Inning")
    response = post_form(inspector, "/signalen/nieuw", form_values(referentie=first.referentie,
                                                                    naam_incassant="Heel Andere Naam"))
    assert response.status_code == 200
    assert re.search(r'id="referentie-fout">Referentie \S+ van bron consument is al bekend', text_of(response))
    assert [(s.id, s.naam_incassant) for s in signals()] == [(first.id, "Snelgeld Inning")]


# ---------------------------------------------------------------- attachments


@pytest.mark.parametrize(("make", "name", "content_type"), [
    (pdf_bytes, "aanmaning.pdf", "application/pdf"),
    (png_bytes, "foto van de brief.PNG", "image/png"),
])
def test_attachment_is_stored_and_downloads_as_it_came(mirror, inspector, make, name, content_type):
    data = make()
    response = post_form(inspector, "/signalen/nieuw", {**form_values(naam_incassant="Snelgeld Inning"),
                                                         "bijlage": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")
    assert response.status_code == 302, text_of(response)[-2000:]
    (signal,) = signals()
    assert signal.attachment.content_type == content_type and signal.attachment.size == len(data)
    detail = text_of(inspector.get(f"/signalen/{signal.id}"))
    assert f'href="/signalen/{signal.id}/bijlage"' in detail

    download = inspector.get(f"/signalen/{signal.id}/bijlage")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_text_file_renamed_to_pdf_is_refused(mirror, inspector):
    response = post_form(inspector, "/signalen/nieuw", {
        **form_values(naam_incassant="Snelgeld Inning"),
        "bijlage": (io.BytesIO(b"Dit is gewoon tekst.\n"), "brief.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert 'id="bijlage-fout">De bijlage moet een PDF, PNG of JPEG zijn.' in text_of(response)
    assert signals() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalAttachment)) == 0


def test_too_large_attachment_is_refused(mirror, inspector, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNAL_ATTACHMENT_MAX_BYTES", 1024 * 1024)
    big = pdf_bytes() + b"\n" + b"0" * (1024 * 1024)
    # Encoded here: the test client would spool a body this large to a temporary file it never closes.
    boundary, body = encode_multipart({
        "csrf_token": csrf_token(inspector, "/signalen/nieuw"), **form_values(naam_incassant="Snelgeld Inning"),
        "bijlage": FileStorage(io.BytesIO(big), filename="groot.pdf", content_type="application/pdf")})
    response = inspector.post("/signalen/nieuw", data=body,
                              content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200
    assert 'id="bijlage-fout">De bijlage is groter dan 1 MB.' in text_of(response)
    assert signals() == []


def test_attachment_with_a_refused_signal_is_not_kept(mirror, inspector):
    first = make_signal(naam_incassant="Snelgeld Inning")
    response = post_form(inspector, "/signalen/nieuw", {
        **form_values(referentie=first.referentie, naam_incassant="Snelgeld Inning"),
        "bijlage": (io.BytesIO(png_bytes()), "brief.png")}, content_type="multipart/form-data")
    assert "is al bekend" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalAttachment)) == 0


# ---------------------------------------------------------------- a signal


def test_signal_page_shows_reported_beside_normalised(mirror, inspector):
    signal = make_signal(naam_incassant="Noordkaap Incasso", iban="NL00 ABNA 0000 0005 55",
                         website="https://www.noordkaap-betalen.com/pay?x=1", telefoon="+31 20 123 4567",
                         email="info@gmail.com", bron="schuldhulpverlener", hoofdsom="180,00", incassokosten="40,00")
    page = text_of(inspector.get(f"/signalen/{signal.id}"))
    text = plain(page)
    assert "NL00 ABNA 0000 0005 55" in text and "ongeldig" in text
    assert "noordkaap-betalen.com" in text and "0201234567" in text
    assert "gratis provider of ongeldig adres: telt niet mee" in text
    assert "Kwetsbaar de melder is schuldhulpverlener" in text
    assert "BIK-maximum (zonder btw) € 40,00" in text and "Plafond inclusief 21% btw € 48,40" in text
    assert "Incassokosten boven het BIK-maximum" not in text
    assert "Peildatum 2 maart 2026 (datum van de brief)" in text
    assert signal.auto_verdict == Verdict.UNREGISTERED and signal.clone_of == "R2024-00001"
    assert "Mogelijke kloon van Noordkaap Incasso B.V. (R2024-00001)" in text
    assert 'href="/register/R2024-00001">Noordkaap Incasso B.V. (R2024-00001)</a>' in page
    assert f'href="/signalen/mogelijke-overtreders/{signal.suspect_id}"' in page
    assert "<li class=\"utrecht-unordered-list__item\">" in page  # the explanation as a list


def test_unknown_signal_is_404(inspector, db_session):
    assert inspector.get("/signalen/999999").status_code == 404
    assert inspector.get("/signalen/999999/bijlage").status_code == 404


def test_signal_without_attachment_has_no_download(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    assert inspector.get(f"/signalen/{signal.id}/bijlage").status_code == 404


def test_decision_overrides_the_verdict_is_audited_and_survives_rematching(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    assert signal.auto_verdict == Verdict.UNREGISTERED
    url = f"/signalen/{signal.id}"
    response = post_form(inspector, f"{url}/oordeel", {
        "oordeel-oordeel": "geregistreerd", "oordeel-registratienummer": "R2024-00001",
        "oordeel-reden": "Handelsnaam van Noordkaap volgens de KvK."}, page=url, follow_redirects=True)
    assert response.status_code == 200
    page = plain(text_of(response))
    assert "Het oordeel is vastgesteld: geregistreerd." in page
    assert "handmatig vastgesteld" in page and "Handelsnaam van Noordkaap volgens de KvK." in page
    assert "Automatisch oordeel Niet geregistreerd" in page
    db.session.refresh(signal)
    assert signal.verdict == Verdict.REGISTERED and signal.decided_by == inspector.user.email
    assert signal.suspect_id is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "signaal.oordeel_vastgesteld"))
    assert event.object_id == str(signal.id) and event.actor_email == inspector.user.email
    assert event.before["oordeel"] == Verdict.UNREGISTERED and event.after["oordeel"] == Verdict.REGISTERED
    assert "Oordeel vastgesteld" in page  # in the signal's history

    match_signals(only_open=False)
    db.session.refresh(signal)
    assert signal.verdict == Verdict.REGISTERED

    # The list's filter for decided signals finds it.
    assert signal.referentie in text_of(inspector.get("/signalen/?oordeel=handmatig"))


def test_decision_that_the_service_refuses_shows_why_and_changes_nothing(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    url = f"/signalen/{signal.id}"
    response = post_form(inspector, f"{url}/oordeel", {"oordeel-oordeel": "geregistreerd",
                                                       "oordeel-reden": "Zie de KvK."}, page=url)
    assert response.status_code == 200
    assert 'id="oordeel-registratienummer-fout">Geef het registratienummer bij dit oordeel.' in text_of(response)
    response = post_form(inspector, f"{url}/oordeel", {"oordeel-oordeel": "onzeker", "oordeel-reden": ""}, page=url)
    assert 'id="oordeel-reden-fout">Geef een reden voor dit oordeel.' in text_of(response)
    db.session.refresh(signal)
    assert not signal.decided
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "signaal.oordeel_vastgesteld")) == 0


def test_withdrawing_a_decision_restores_the_automatic_verdict(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    url = f"/signalen/{signal.id}"
    post_form(inspector, f"{url}/oordeel", {"oordeel-oordeel": "onzeker", "oordeel-reden": "Twijfel aan de naam."},
              page=url)
    db.session.refresh(signal)
    assert signal.verdict == Verdict.UNCERTAIN
    response = post_form(inspector, f"{url}/oordeel/intrekken", {"intrekken-reden": "Toch niet nodig."}, page=url,
                         follow_redirects=True)
    assert "Het handmatige oordeel is ingetrokken" in text_of(response)
    db.session.refresh(signal)
    assert not signal.decided and signal.verdict == Verdict.UNREGISTERED and signal.suspect_id is not None
    assert db.session.scalar(sa.select(AuditEvent.object_id).where(
        AuditEvent.action == "signaal.oordeel_ingetrokken")) == str(signal.id)


def test_status_is_changed_and_audited(mirror, inspector):
    signal = make_signal(naam_incassant="Snelgeld Inning")
    url = f"/signalen/{signal.id}"
    response = post_form(inspector, f"{url}/status", {"status-status": "afgehandeld",
                                                      "status-reden": "Dubbel gemeld."}, page=url)
    assert response.status_code == 302
    db.session.refresh(signal)
    assert signal.status == "afgehandeld"
    assert "signaal.status" in db.session.scalars(sa.select(AuditEvent.action)).all()


# ---------------------------------------------------------------- bulk files


def _upload(client, data: bytes, name: str = "meldingen.csv", skip: bool = False, **kwargs):
    form = {"bestand": (io.BytesIO(data), name)}
    if skip:
        form["overslaan"] = "y"
    return post_form(client, "/signalen/importeren", form, content_type="multipart/form-data", **kwargs)


def test_excel_file_with_semicolons_and_bom_imports(mirror, inspector):
    data = signals_csv([signal_row(1, naam_incassant="Noordkaap Incasso", hoofdsom="1.250,00"),
                        signal_row(2, naam_incassant="Snelgeld Inning")], columns=[*signal_row(), "extra"])
    assert data.startswith(b"\xef\xbb\xbf")
    response = _upload(inspector, data, follow_redirects=True)
    page = plain(text_of(response))
    assert re.fullmatch(r"/signalen/importeren/\d+", response.request.path)
    assert "meldingen.csv is ingelezen: 2 nieuw, 0 dubbel, 0 overgeslagen." in page
    assert "Codering UTF-8 (met BOM)" in page and "Onbekende kolommen (genegeerd) extra" in page
    assert [s.naam_incassant for s in signals()] == ["Noordkaap Incasso", "Snelgeld Inning"]
    assert "meldingen.csv" in text_of(inspector.get("/signalen/importeren"))  # among the recent files

    again = _upload(inspector, data, follow_redirects=True)
    assert "0 nieuw, 2 dubbel" in plain(text_of(again)) and "Dubbele signalen" in text_of(again)


def test_windows_1252_file_imports(mirror, inspector):
    data = signals_csv([signal_row(1, naam_incassant="Incassobureau Zeeëngel Café")], encoding="cp1252")
    response = _upload(inspector, data, follow_redirects=True)
    assert "Codering Windows-1252" in plain(text_of(response))
    assert signals()[0].naam_incassant == "Incassobureau Zeeëngel Café"


def test_file_with_bad_rows_is_rejected_with_its_report_and_changes_nothing(mirror, inspector):
    data = signals_csv([signal_row(1), signal_row(2, bron="buurman"), signal_row(3, ontvangen_op="2026-13-01")])
    response = _upload(inspector, data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Het bestand is niet ingelezen: 2 regels met fouten. Er is niets gewijzigd." in page
    rows = [plain(r) for r in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)]
    assert any(r.startswith("3 Bron buurman is geen bekende bron") for r in rows), rows
    assert any(r.startswith("4 Ontvangen op 2026-13-01 bestaat niet als datum") for r in rows), rows
    assert signals() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport)) == 0


def test_skipping_bad_rows_stores_the_good_ones_and_offers_the_rejects(mirror, inspector):
    data = signals_csv([signal_row(1), signal_row(2, bron="buurman"), signal_row(3)])
    response = _upload(inspector, data, skip=True, follow_redirects=True)
    page = plain(text_of(response))
    assert "2 nieuw, 0 dubbel, 1 overgeslagen" in page
    assert "Overgeslagen regels (ongeldig) 1" in page and "3 Bron buurman is geen bekende bron" in page
    assert len(signals()) == 2
    record = db.session.scalar(sa.select(SignalImport))
    link = f"/signalen/importeren/{record.id}/afgekeurd.csv"
    assert link in text_of(response)
    download = inspector.get(link)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    rejected = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig")), delimiter=";"))
    assert rejected[0][0] == "regel" and rejected[1][0] == "3" and "buurman" in rejected[1]


def test_rejects_download_of_a_clean_file_is_404(mirror, inspector):
    record = import_signals(signals_csv([signal_row(1)]), file_name="a.csv", actor=Actor.process("test")).record
    assert inspector.get(f"/signalen/importeren/{record.id}/afgekeurd.csv").status_code == 404
    assert inspector.get("/signalen/importeren/999999").status_code == 404


def test_import_without_a_file_asks_for_one(inspector, db_session):
    response = post_form(inspector, "/signalen/importeren", {}, content_type="multipart/form-data")
    assert 'id="bestand-fout">Kies een CSV-bestand.' in text_of(response)


# ---------------------------------------------------------------- suspects


def _suspect_of(signal: Signal) -> Suspect:
    db.session.refresh(signal)
    return db.session.get(Suspect, signal.suspect_id)


def test_suspect_page_shows_what_the_signals_say(mirror, inspector):
    a = make_signal(naam_incassant="Snelgeld Inning", iban=make_iban(900), hoofdsom="1250,00", incassokosten="450,00")
    b = make_signal(naam_incassant="Snelgeld Incasso Nederland", iban=make_iban(900), bron="schuldhulpverlener",
                    telefoon="06-12345678")
    suspect = _suspect_of(a)
    assert b.suspect_id == suspect.id
    page = text_of(inspector.get(f"/signalen/mogelijke-overtreders/{suspect.id}"))
    text = plain(page)
    assert "Snelgeld Inning" in text and "Snelgeld Incasso Nederland" in text
    assert "0612345678" in text and make_iban(900)[:4] in text
    assert "Hoofdsommen samen € 1.250,00" in text
    assert "Boven BIK in 1 signaal" in text and "Kwetsbaar genoemd in 1 signaal" in text
    assert f"Prioriteit: {suspect.priority} van 100" in text and "2 signalen" in text
    assert f'href="/signalen/{a.id}"' in page and f'href="/signalen/{b.id}"' in page
    assert "Er zijn nog geen zaken geopend over deze mogelijke overtreder." in text

    listing = text_of(inspector.get("/signalen/mogelijke-overtreders?zoek=" + make_iban(900)))
    assert f'href="/signalen/mogelijke-overtreders/{suspect.id}"' in listing
    assert f'href="/signalen/mogelijke-overtreders/{suspect.id}"' not in text_of(inspector.get(
        "/signalen/mogelijke-overtreders?min_signalen=3"))


def test_suspect_panels_are_sections_and_a_zaken_panel_fills_the_cases_section(app, mirror, inspector, monkeypatch):
    """Each feature's panel is a section of its own (documents sent); the enforcement feature's "Zaken"
    panel takes the place of the note that no case was opened yet."""
    from wki.core.features import SUSPECT_PAGE, Panel, registry

    signal = make_signal(naam_incassant="Snelgeld Inning")
    seen: list[int] = []

    def documents(suspect, user) -> Panel | None:
        seen.append(suspect.id)
        return Panel("Verstuurde brieven", "components/alert.html", {})

    def cases(suspect, user) -> Panel | None:
        return Panel("Zaken", "components/alert.html", {})

    monkeypatch.setitem(registry(app).providers, SUSPECT_PAGE, [documents])
    page = text_of(inspector.get(f"/signalen/mogelijke-overtreders/{signal.suspect_id}"))
    assert seen == [signal.suspect_id]
    assert ">Verstuurde brieven</h2>" in page and "Er zijn nog geen zaken geopend" in page
    monkeypatch.setitem(registry(app).providers, SUSPECT_PAGE, [documents, cases])
    page = text_of(inspector.get(f"/signalen/mogelijke-overtreders/{signal.suspect_id}"))
    assert page.count(">Zaken</h2>") == 1 and "Er zijn nog geen zaken geopend" not in page


def _two_suspects() -> tuple[Signal, Signal]:
    a = make_signal(naam_incassant="Snelgeld Inning", iban=make_iban(901))
    b = make_signal(naam_incassant="Rapido Vorderingen", iban=make_iban(902))
    db.session.refresh(a)
    db.session.refresh(b)
    assert a.suspect_id != b.suspect_id
    return a, b


def test_merge_joins_two_suspects_and_survives_rematching(mirror, inspector):
    a, b = _two_suspects()
    url = f"/signalen/mogelijke-overtreders/{a.suspect_id}"
    response = post_form(inspector, f"{url}/samenvoegen", {"samenvoegen-andere": str(b.suspect_id),
                                                           "samenvoegen-reden": "Zelfde brief, ander logo."},
                         page=url, follow_redirects=True)
    assert response.status_code == 200
    assert "is samengevoegd met mogelijke overtreder" in text_of(response)
    kept = _suspect_of(a)
    assert _suspect_of(b).id == kept.id and kept.signal_count == 2

    match_signals(only_open=False)
    assert _suspect_of(a).id == _suspect_of(b).id

    # The suspect that was merged away says so and leads to the one that kept the signals.
    gone = db.session.scalar(sa.select(Suspect).where(Suspect.status == SuspectStatus.EMPTY))
    page = plain(text_of(inspector.get(f"/signalen/mogelijke-overtreders/{gone.id}")))
    assert "Deze mogelijke overtreder is opgeheven" in page and f"mogelijke overtreder {kept.id}" in page


def test_merge_errors_show_at_their_fields(mirror, inspector):
    a, _b = _two_suspects()
    url = f"/signalen/mogelijke-overtreders/{a.suspect_id}"
    response = post_form(inspector, f"{url}/samenvoegen", {"samenvoegen-andere": "999999",
                                                           "samenvoegen-reden": "Zelfde brief."}, page=url)
    assert 'id="samenvoegen-andere-fout">Mogelijke overtreder 999999 bestaat niet.' in text_of(response)
    response = post_form(inspector, f"{url}/samenvoegen", {"samenvoegen-andere": str(a.suspect_id),
                                                           "samenvoegen-reden": "Zelfde brief."}, page=url)
    assert "Kies minstens twee verschillende mogelijke overtreders om samen te voegen." in text_of(response)


def test_split_separates_signals_and_survives_rematching(mirror, inspector):
    a = make_signal(naam_incassant="Snelgeld Inning", iban=make_iban(903))
    b = make_signal(naam_incassant="Rapido Vorderingen", iban=make_iban(903))
    c = make_signal(naam_incassant="Snelgeld Inning", iban=make_iban(903))
    suspect = _suspect_of(a)
    assert _suspect_of(b).id == _suspect_of(c).id == suspect.id
    url = f"/signalen/mogelijke-overtreders/{suspect.id}"
    page = text_of(inspector.get(url))
    assert f'value="{b.id}"' in page  # a checkbox per signal
    response = post_form(inspector, f"{url}/splitsen", {"splitsen-signalen": [str(b.id)],
                                                        "splitsen-reden": "Andere incassant, zelfde bank."},
                         page=url, follow_redirects=True)
    assert "1 signaal is afgesplitst" in text_of(response)
    assert _suspect_of(b).id != _suspect_of(a).id == _suspect_of(c).id

    match_signals(only_open=False)
    assert _suspect_of(b).id != _suspect_of(a).id == _suspect_of(c).id

    response = post_form(inspector, f"{url}/splitsen", {"splitsen-reden": "Niets gekozen."}, page=url)
    assert "Kies de signalen die u wilt afsplitsen." in text_of(response)


# ---------------------------------------------------------------- export


def test_export_is_the_verdict_file(mirror, inspector):
    registered = make_signal(naam_incassant="Noordkaap Incasso BV", hoofdsom="1250,00", incassokosten="450,00")
    unregistered = make_signal(naam_incassant="Snelgeld Inning", referentie="=HYPERLINK(1)")
    response = inspector.get("/signalen/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="signalen-oordelen-')
    # A download for people (tests/signals/test_downloads.py): BOM, ";", amounts with a decimal comma.
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0])[:len(EXPORT_COLUMNS)] == EXPORT_COLUMNS
    by_ref = {row["referentie"]: row for row in rows}
    first = by_ref[registered.referentie]
    assert first["oordeel"] == "geregistreerd" and first["registratienummer"] == "R2024-00001"
    assert first["bik_maximum"] == "187,50" and first["bik_overschrijding"] == "223,12"
    second = by_ref["'=HYPERLINK(1)"]  # a cell a spreadsheet would run is written as text
    assert second["oordeel"] == "niet_geregistreerd" and second["verdachte_id"] == str(unregistered.suspect_id)
    assert "signalen.geexporteerd" in db.session.scalars(sa.select(AuditEvent.action)).all()

