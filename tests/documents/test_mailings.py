"""Mass mailings (wki/documents/mailings.py): recipients from the register, suspects and a CSV, the preview's
report, creation with frozen recipients, four-eyes approval, one start, and the run by the worker: one
document per reachable recipient, resumed after a killed worker without duplicates or gaps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.helpers import run_worker_once
from tests.register.helpers import load, register_row
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.features import recipient_sources
from wki.documents import mailing_run, mailings
from wki.documents.issuing import document_store
from wki.documents.mailings import Choice
from wki.documents.models import DeliveryStatus, Document, MailingRecipient, MailingStatus, RecipientSource
from wki.documents.texts import require_letter_type

AS_OF = date(2026, 6, 1)
SNAPSHOT = date(2026, 1, 5)
INFO = "informatiebrief-sector"


# ---------------------------------------------------------------- helpers (used by the other mailing tests)


def load_register(count: int = 6, **per_row: dict[int, dict[str, Any]]) -> None:
    """``count`` registrations, valid on AS_OF; ``per_row`` overrides cells of row n."""
    rows = []
    for n in range(1, count + 1):
        cells = {"postcode": f"{9000 + (count - n) * 10} AB", **per_row.get(f"r{n}", {})}
        rows.append(register_row(n, **cells))
    load(rows, SNAPSHOT)


def mailers(factories) -> tuple[Actor, Actor]:
    maker = factories.UserFactory(roles=[Role.VOORLICHTING])
    checker = factories.UserFactory(roles=[Role.VOORLICHTING])
    return Actor.of(maker), Actor.of(checker)


def make_mailing(actor: Actor, *, choice: Choice | None = None, send_email: bool = False, slug: str = INFO,
                 extra_values: dict[str, Any] | None = None):
    return mailings.create_mailing(letter_type=require_letter_type(slug), choice=choice or register_choice(),
                                   title="Test", actor=actor, send_email=send_email, extra_values=extra_values,
                                   document_date=date(2026, 6, 2))


def register_choice(**criteria: Any) -> Choice:
    return Choice(RecipientSource.REGISTER, {"as_of": AS_OF, **criteria})


def started(factories, **kwargs: Any):
    maker, checker = mailers(factories)
    mailing = make_mailing(maker, **kwargs)
    mailings.approve_mailing(mailing, actor=checker)
    mailings.start_mailing(mailing, actor=checker)
    return mailing


def recipients_of(mailing) -> list[MailingRecipient]:
    return list(db.session.scalars(sa.select(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
                                   .order_by(MailingRecipient.position)))


def documents_of(mailing) -> list[Document]:
    return list(db.session.scalars(sa.select(Document).where(Document.mailing_id == mailing.id)))


def assert_one_document_each(mailing) -> None:
    """Every reachable recipient exactly one document, kenmerken unique, PDFs in the store as recorded."""
    recipients = [r for r in recipients_of(mailing) if r.status != DeliveryStatus.NO_ADDRESS]
    documents = documents_of(mailing)
    assert len(documents) == len(recipients)
    assert len({d.mailing_recipient_id for d in documents}) == len(documents)
    assert len({d.kenmerk for d in documents}) == len(documents)
    by_id = {d.id: d for d in documents}
    store = document_store()
    for recipient in recipients:
        document = by_id[recipient.document_id]
        assert document.kenmerk == recipient.kenmerk
        assert document.mailing_recipient_id == recipient.id
        assert store.get(document.sha256)  # verified against its SHA-256 on read


# ---------------------------------------------------------------- recipients


def _register_keys(criteria: dict[str, Any]) -> list[str]:
    return [r["key"] for r in recipient_sources()["register"].fetch(criteria)]


def test_register_recipients_as_of_a_date_with_each_filter(db_session):
    load([
        register_row(1, plaats="Utrecht", datum_inschrijving="2024-01-10", geldig_tot="2026-09-01"),
        register_row(2, plaats="Groningen", datum_inschrijving="2025-03-01", geldig_tot="2027-03-01"),
        register_row(3, plaats="utrecht", datum_inschrijving="2026-05-01", geldig_tot="2028-05-01"),
        register_row(4, status="doorgehaald", datum_einde="2026-02-01"),
        register_row(5, datum_inschrijving="2026-07-01"),  # not yet registered on AS_OF
    ], SNAPSHOT)
    as_of = AS_OF.isoformat()
    assert _register_keys({"as_of": as_of}) == ["registratie:R2024-00001", "registratie:R2024-00002",
                                                "registratie:R2024-00003"]
    assert _register_keys({"as_of": as_of, "status": "doorgehaald"}) == ["registratie:R2024-00004"]
    assert _register_keys({"as_of": as_of, "plaats": "UTRECHT"}) == ["registratie:R2024-00001", "registratie:R2024-00003"]
    assert _register_keys({"as_of": as_of, "registered_since": "2025-01-01"}) == ["registratie:R2024-00002",
                                                                                  "registratie:R2024-00003"]
    assert _register_keys({"as_of": as_of, "valid_until_before": "2027-06-01"}) == ["registratie:R2024-00001",
                                                                                    "registratie:R2024-00002"]
    # On a later date registration 5 is in, and 1 has not lapsed by its dates (no datum_einde).
    assert "registratie:R2024-00005" in _register_keys({"as_of": "2026-08-01"})
    with pytest.raises(ServiceError, match="peildatum"):
        recipient_sources()["register"].fetch({})


def test_register_recipient_has_the_address_in_postnl_form_and_dutch_dates(db_session):
    load([register_row(1, straat="Stationsweg", huisnummer="12a", postcode="9711 AB", plaats="Groningen",
                       email="info@a.nl|post@a.nl", geldig_tot="2027-05-13"),
          register_row(2, straat="", huisnummer="")], SNAPSHOT)
    source = recipient_sources()["register"]
    first, second = source.fetch({"as_of": AS_OF})
    assert first["adresregels"] == ["Stationsweg 12a", "9711 AB  GRONINGEN"]
    assert first["email"] == "info@a.nl"
    assert first["velden"]["geldig_tot"] == "13 mei 2027"
    assert first["velden"]["status"] == "ingeschreven"
    assert second["adresregels"] == []  # reported by the mailing, never dropped
    assert source.find("R2024-00001", AS_OF)["key"] == "registratie:R2024-00001"
    assert source.find("R2099-00001", AS_OF) is None
    assert "Register op 1 juni 2026" in source.describe({"as_of": AS_OF, "plaats": "Groningen"})


def test_suspects_are_recipients_with_what_their_signals_give(factories):
    reachable = factories.SuspectFactory(display_name="Snelgeld Inning", signal_count=2,
                                         identifiers={"kvk": ["12345678"], "domein": ["snelgeld.nl"]})
    factories.SignalFactory(suspect_id=reachable.id, email_raw="Info@Snelgeld.nl", postcode="1234 AB", plaats="Zwolle")
    silent = factories.SuspectFactory(display_name="Stille Incasso", signal_count=1)
    factories.SignalFactory(suspect_id=silent.id)
    source = recipient_sources()["overtreders"]
    found = {r["key"]: r for r in source.fetch({})}
    assert set(found) == {f"overtreder:{reachable.id}", f"overtreder:{silent.id}"}
    assert found[f"overtreder:{reachable.id}"]["email"] == "info@snelgeld.nl"
    assert found[f"overtreder:{reachable.id}"]["velden"]["kvk_nummer"] == "12345678"
    assert found[f"overtreder:{silent.id}"]["email"] is None
    assert [r["key"] for r in source.fetch({"min_signals": 2})] == [f"overtreder:{reachable.id}"]
    assert source.find(str(reachable.id), None)["naam"] == "Snelgeld Inning"


def test_csv_recipients_merge_duplicates_and_read_dutch_excel():
    data = ("naam;straat;huisnummer;postcode;plaats;email\r\n"
            "Bureau Één;Laan;1;1234ab;Utrecht;een@example.nl\r\n"
            "bureau  één;Laan;1;1234 AB;Utrecht;\r\n"  # same name and postcode
            "Ander bureau;;;;;EEN@example.nl\r\n"  # same e-mail address
            "Derde;Weg;3;;;\r\n").encode("cp1252")
    parsed = mailings.parse_recipients_csv(data)
    assert [r["naam"] for r in parsed.recipients] == ["Bureau Één", "Derde"]
    assert parsed.merged == 2
    assert parsed.encoding == "Windows-1252"
    assert parsed.recipients[0]["adresregels"] == ["Laan 1", "1234 AB  UTRECHT"]
    assert parsed.recipients[1]["adresregels"] == []


@pytest.mark.parametrize(("data", "message"), [
    (b"", "leeg"),
    (b"straat,plaats\r\nLaan,Utrecht\r\n", "Verplichte kolom ontbreekt: naam"),
    (b"naam,email\r\nA,a@example.nl\r\n,b@example.nl\r\nC,geen-adres\r\n", "regel 3, kolom naam: de naam ontbreekt"),
    (b"naam,email\r\nA,a@example.nl\r\nC,geen-adres\r\n", "regel 3, kolom email: is geen e-mailadres"),
    (b"naam\r\n\"A\r\n", "aanhalingstekens"),
])
def test_a_bad_csv_is_refused_with_its_line(data, message):
    with pytest.raises(mailings.CsvRejected) as refused:
        mailings.parse_recipients_csv(data)
    assert message in refused.value.message


# ---------------------------------------------------------------- preview and creation


def test_preview_reports_unreachable_recipients_and_missing_values(db_session, factories):
    load_register(3, r2={"straat": ""}, r3={"plaats": "", "email": ""})
    preview = mailings.preview_recipients(require_letter_type(INFO), register_choice())
    assert preview.count == 3
    assert [(r["key"], why) for r, why in preview.unreachable] == [
        ("registratie:R2024-00002", "geen volledig postadres (wel een e-mailadres, maar deze mailing verstuurt geen "
                                    "e-mail)"),
        ("registratie:R2024-00003", "geen volledig postadres")]
    assert preview.missing == []
    # A CSV without registratienummer for a letter that uses it: every letter lacks it, with the text's line.
    csv_choice = Choice(RecipientSource.CSV, csv_data=b"naam,straat,huisnummer,postcode,plaats\r\nA,Laan,1,1234 AB,Ede\r\n")
    preview = mailings.preview_recipients(require_letter_type(INFO), csv_choice)
    assert len(preview.missing) == 1
    problem = preview.missing[0][1][0]
    assert "registratienummer" in problem.message and problem.line == 3


def test_email_makes_recipients_without_a_postal_address_reachable(db_session, app, monkeypatch):
    load_register(2, r2={"straat": ""})
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    preview = mailings.preview_recipients(require_letter_type(INFO), register_choice(), send_email=True)
    assert preview.unreachable == []
    assert (preview.by_post, preview.by_email) == (1, 2)


def test_email_is_refused_without_a_mail_server(db_session, app, monkeypatch):
    load_register(1)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    with pytest.raises(ServiceError, match="mailserver"):
        mailings.preview_recipients(require_letter_type(INFO), register_choice(), send_email=True)


def test_create_freezes_every_recipient_once(db_session, factories):
    load_register(4, r3={"postcode": ""})
    maker, _ = mailers(factories)
    mailing = make_mailing(maker)
    recipients = recipients_of(mailing)
    assert mailing.status == MailingStatus.DRAFT
    assert (mailing.recipient_count, mailing.unreachable_count) == (4, 1)
    assert [r.status for r in recipients].count(DeliveryStatus.NO_ADDRESS) == 1
    assert len({r.recipient_key for r in recipients}) == 4
    assert recipients[0].data["registratienummer"] == "R2024-00001"
    assert len(mailing.content_sha256) == 64
    assert mailing.criteria["omschrijving"].startswith("Register op 1 juni 2026")


def test_create_is_refused_without_recipients_or_with_missing_values(db_session, factories):
    maker, _ = mailers(factories)
    with pytest.raises(ServiceError, match="geen ontvangers"):
        make_mailing(maker)
    csv_choice = Choice(RecipientSource.CSV, csv_data=b"naam,postcode,straat,huisnummer,plaats\r\nA,1234 AB,L,1,E\r\n")
    with pytest.raises(ServiceError, match=r"mist waarden .*A: Regel 3: geen waarde voor \(\(registratienummer"):
        make_mailing(maker, choice=csv_choice)
    # Not mailable: a decision is issued one at a time.
    with pytest.raises(ServiceError, match="niet per mailing"):
        make_mailing(maker, slug="bestuurlijke-boete")


def test_extra_values_are_required_and_dates_written_in_dutch(app, db_session, factories, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    suspect = factories.SuspectFactory(display_name="Snelgeld", signal_count=1)
    factories.SignalFactory(suspect_id=suspect.id, email_raw="a@snelgeld.nl")
    maker, _ = mailers(factories)
    suspects = Choice(RecipientSource.SUSPECTS)
    with pytest.raises(ServiceError, match="mist waarden"):
        make_mailing(maker, slug="herinnering-registratie", choice=suspects, send_email=True)
    with pytest.raises(ServiceError, match="geen enkele ontvanger"):  # no postal address, and no e-mail asked
        make_mailing(maker, slug="herinnering-registratie", choice=suspects, extra_values={"reactie_voor": "2026-07-01"})
    mailing = make_mailing(maker, slug="herinnering-registratie", choice=suspects, send_email=True,
                           extra_values={"reactie_voor": "01-07-2026"})
    assert mailing.extra_values == {"reactie_voor": "1 juli 2026"}
    assert [(r.by_post, r.by_email) for r in recipients_of(mailing)] == [(False, True)]


# ---------------------------------------------------------------- four eyes, one start


def test_the_creator_cannot_approve(db_session, factories):
    load_register(2)
    maker, checker = mailers(factories)
    mailing = make_mailing(maker)
    with pytest.raises(ServiceError, match="vier ogen"):
        mailings.approve_mailing(mailing, actor=maker)
    with pytest.raises(ServiceError, match="vier ogen"):  # the same label without an account
        mailings.approve_mailing(mailing, actor=Actor(label=maker.label.upper()))
    with pytest.raises(ServiceError, match="goedgekeurde"):
        mailings.start_mailing(mailing, actor=checker)
    mailings.approve_mailing(mailing, actor=checker)
    assert (mailing.status, mailing.approved_by) == (MailingStatus.APPROVED, checker.label)
    with pytest.raises(ServiceError, match="wacht"):
        mailings.approve_mailing(mailing, actor=checker)


def test_a_mailing_starts_once(db_session, factories):
    load_register(2)
    mailing = started(factories)
    assert mailing.status == MailingStatus.RUNNING
    with pytest.raises(ServiceError, match="al gestart"):
        mailings.start_mailing(mailing, actor=Actor.process("test"))
    with pytest.raises(ServiceError, match="nog niet is gestart"):
        mailings.cancel_mailing(mailing, actor=Actor.process("test"))


def test_a_mailing_whose_recipients_changed_after_approval_does_not_start(db_session, factories):
    load_register(2)
    maker, checker = mailers(factories)
    mailing = make_mailing(maker)
    mailings.approve_mailing(mailing, actor=checker)
    db.session.execute(sa.update(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id,
                                                         MailingRecipient.position == 1).values(name="Iemand anders"))
    with pytest.raises(ServiceError, match="wijken af"):
        mailings.start_mailing(mailing, actor=checker)


def test_cancel_before_start(db_session, factories):
    load_register(1)
    maker, _ = mailers(factories)
    mailing = make_mailing(maker)
    mailings.cancel_mailing(mailing, actor=maker)
    assert mailing.status == MailingStatus.CANCELLED


# ---------------------------------------------------------------- the run


def test_the_worker_makes_one_document_per_reachable_recipient(app, db_session, factories):
    load_register(6, r4={"huisnummer": ""})
    mailing = started(factories)
    run_worker_once(app)
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DONE
    assert_one_document_each(mailing)
    statuses = [r.status for r in recipients_of(mailing)]
    assert statuses.count(DeliveryStatus.RENDERED) == 5 and statuses.count(DeliveryStatus.NO_ADDRESS) == 1
    progress = mailings.mailing_progress(mailing)
    assert (progress.total, progress.done, progress.failed, progress.open) == (5, 5, 0, 0)
    assert progress.rate_per_minute and progress.seconds_left == 0


def test_resume_after_a_killed_worker_neither_duplicates_nor_skips(app, db_session, factories):
    load_register(8)
    mailing = started(factories)
    # A worker claimed the first batch and died: its claims are old.
    claimed = mailing_run.claim_batch(mailing.id, "dode-host:1", size=3)
    assert len(claimed) == 3
    db.session.execute(sa.update(MailingRecipient).where(MailingRecipient.id.in_(claimed)).values(
        claimed_at=utcnow() - timedelta(hours=2)))
    kenmerken = {r.id: r.kenmerk for r in recipients_of(mailing) if r.id in claimed}
    # Another claimed one more and is still alive: it is left alone until it finishes or goes stale.
    alive = mailing_run.claim_batch(mailing.id, "levende-host:2", size=1)
    run_worker_once(app)
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.RUNNING  # the live worker's recipient is still open
    assert [r.status for r in recipients_of(mailing)].count(DeliveryStatus.PENDING) == 1
    # The live worker carries on and finishes the mailing.
    job = mailing_run._load_job(mailing.id)
    assert mailing_run.process_recipient(job, alive[0], "levende-host:2") == DeliveryStatus.RENDERED
    assert mailing_run.finish_if_done(mailing.id) == MailingStatus.DONE
    assert_one_document_each(mailing)
    # The kenmerken reserved by the dead worker were kept.
    assert {r.id: r.kenmerk for r in recipients_of(mailing) if r.id in claimed} == kenmerken


def test_a_recipient_left_mid_send_is_not_sent_again(app, db_session, factories):
    load_register(2)
    mailing = started(factories)
    first = recipients_of(mailing)[0]
    db.session.execute(sa.update(MailingRecipient).where(MailingRecipient.id == first.id).values(
        status=DeliveryStatus.SENDING, claimed_by="dode-host:1", claimed_at=utcnow() - timedelta(hours=1),
        kenmerk="WKI-2026-999999"))
    run_worker_once(app)
    db.session.refresh(first)
    db.session.refresh(mailing)
    assert first.status == DeliveryStatus.FAILED
    assert first.error.startswith("onbekend of de e-mail is aangekomen")
    assert mailing.status == MailingStatus.DONE_WITH_FAILURES


def test_a_letter_that_cannot_be_rendered_fails_alone_and_keeps_its_kenmerk(app, db_session, factories, monkeypatch):
    load_register(3)
    mailing = started(factories)
    from wki.documents import issuing

    real_render = issuing.render

    def flaky(letter, *, author):
        if letter["ontvanger"]["naam"] == "Incassobureau 2 B.V.":
            raise RuntimeError("lettertype ontbreekt")
        return real_render(letter, author=author)

    monkeypatch.setattr(issuing, "render", flaky)
    run_worker_once(app)
    failed = [r for r in recipients_of(mailing) if r.status == DeliveryStatus.FAILED]
    assert [r.name for r in failed] == ["Incassobureau 2 B.V."]
    assert "lettertype ontbreekt" in failed[0].error
    kenmerk = failed[0].kenmerk
    db.session.refresh(mailing)
    assert mailing.status == MailingStatus.DONE_WITH_FAILURES
    monkeypatch.setattr(issuing, "render", real_render)
    assert mailings.retry_failed(mailing, actor=Actor.process("test")) == 1
    with pytest.raises(ServiceError, match="geen mislukte"):
        mailings.retry_failed(mailing, actor=Actor.process("test"))
    run_worker_once(app)
    db.session.refresh(failed[0])
    db.session.refresh(mailing)
    assert (failed[0].status, failed[0].kenmerk) == (DeliveryStatus.RENDERED, kenmerk)
    assert mailing.status == MailingStatus.DONE
    assert_one_document_each(mailing)


def test_print_file_and_status_rows(app, db_session, factories):
    from io import BytesIO

    from pypdf import PdfReader

    load_register(4, r2={"straat": ""})
    mailing = started(factories)
    run_worker_once(app)
    pdf = mailings.print_file(mailing, actor=Actor.process("test"))
    reader = PdfReader(BytesIO(pdf))
    documents = {d.mailing_recipient_id: d for d in documents_of(mailing)}
    assert len(reader.pages) == sum(d.pages for d in documents.values())
    # Sorted by postcode: row n has postcode 9000 + (4 - n) * 10, so the last registration comes first.
    first_page = reader.pages[0].extract_text()
    assert "Incassobureau 4 B.V." in first_page and "9000 AB" in first_page
    rows = list(mailings.status_rows(mailing))
    assert mailings.STATUS_COLUMNS == ("registratienummer", "naam", "kenmerk", "status", "sha256")
    assert rows[0][:2] == ["R2024-00001", "Incassobureau 1 B.V."]
    assert rows[0][3] == "gemaakt" and len(rows[0][4]) == 64
    assert rows[1][2:] == ["", "geen_adres", ""]
