"""E-mail delivery (wki/documents/delivery.py) through a real SMTP server on localhost (aiosmtpd): what
arrives is the letter with its PDF attached; a refused address and a server that is down fail the
recipient with the reason, and offering it again sends the same letter without a second document."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.documents.test_mailings import (
    assert_one_document_each,
    documents_of,
    load_register,
    recipients_of,
    started,
)
from tests.helpers import run_worker_once
from wki.core.actors import Actor
from wki.core.extensions import db
from wki.documents import mailings
from wki.documents.delivery import DeliveryFailed, send_letter
from wki.documents.issuing import document_store
from wki.documents.models import DeliveryStatus, MailingStatus

REFUSED = "info@incasso2.nl"


class Inbox:
    """An SMTP handler that keeps what arrives and refuses one address."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox(app, monkeypatch) -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 5.0)
    try:
        yield handler
    finally:
        controller.stop()


def _attachment(message: EmailMessage) -> tuple[str, bytes]:
    parts = [p for p in message.iter_attachments()]
    assert len(parts) == 1
    return parts[0].get_filename(), parts[0].get_content()


def test_send_letter_delivers_the_pdf(app, inbox):
    with app.app_context():
        send_letter(to="info@example.nl", name="Bureau X", subject="Onderwerp", kenmerk="WKI-2026-000001",
                    pdf=b"%PDF-1.7 test")
    (message,) = inbox.messages
    assert message["To"] == "Bureau X <info@example.nl>"
    assert message["Subject"] == "Onderwerp (kenmerk WKI-2026-000001)"
    assert message["Message-ID"] == "<wki-2026-000001@inspectie-jenv.nl>"
    assert "Ons kenmerk: WKI-2026-000001" in message.get_body(("plain",)).get_content()
    assert _attachment(message) == ("WKI-2026-000001.pdf", b"%PDF-1.7 test")


def test_a_refused_address_and_a_server_that_is_down_fail_in_dutch(app, inbox, monkeypatch):
    inbox.refuse.add("weg@example.nl")
    with app.app_context():
        with pytest.raises(DeliveryFailed, match="weigerde het adres weg@example.nl \\(550 5.1.1 Mailbox"):
            send_letter(to="weg@example.nl", name="", subject="S", kenmerk="WKI-2026-000002", pdf=b"x")
        monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
        with pytest.raises(DeliveryFailed, match="is niet bereikbaar"):
            send_letter(to="a@example.nl", name="", subject="S", kenmerk="WKI-2026-000003", pdf=b"x")


def test_a_mailing_sends_each_letter_and_records_who_failed(app, db_session, factories, inbox):
    load_register(3, r3={"straat": ""})  # 3 has no postal address: e-mail only
    inbox.refuse.add(REFUSED)
    mailing = started(factories, send_email=True)
    run_worker_once(app)
    db.session.refresh(mailing)
    assert_one_document_each(mailing)
    by_name = {r.name: r for r in recipients_of(mailing)}
    assert by_name["Incassobureau 1 B.V."].status == DeliveryStatus.SENT
    assert by_name["Incassobureau 1 B.V."].sent_at is not None
    failed = by_name["Incassobureau 2 B.V."]
    assert failed.status == DeliveryStatus.FAILED and "550" in failed.error and REFUSED in failed.error
    assert mailing.status == MailingStatus.DONE_WITH_FAILURES
    # What arrived is the stored PDF, byte for byte, named after its kenmerk.
    store = document_store()
    documents = {d.kenmerk: d for d in documents_of(mailing)}
    assert len(inbox.messages) == 2
    for message in inbox.messages:
        name, content = _attachment(message)
        kenmerk = name.removesuffix(".pdf")
        assert content == store.get(documents[kenmerk].sha256)
    # The refused one goes by post all the same: its letter is in the print file.
    assert mailings.print_file(mailing, actor=Actor.process("test"))
    # Offered again once the address is fixed: the same letter (no second document), by e-mail only.
    inbox.refuse.clear()
    assert mailings.retry_failed(mailing, actor=Actor.process("test")) == 1
    run_worker_once(app)
    db.session.refresh(failed)
    db.session.refresh(mailing)
    assert failed.status == DeliveryStatus.SENT
    assert mailing.status == MailingStatus.DONE
    assert len(documents_of(mailing)) == 3
    assert inbox.messages[-1]["Message-ID"] == f"<{failed.kenmerk.lower()}@inspectie-jenv.nl>"


def test_a_mailing_whose_server_is_down_fails_each_email(app, db_session, factories, inbox, monkeypatch):
    load_register(2)
    mailing = started(factories, send_email=True)
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    run_worker_once(app)
    recipients = recipients_of(mailing)
    assert {r.status for r in recipients} == {DeliveryStatus.FAILED}
    assert all("niet bereikbaar" in r.error for r in recipients)
    assert all(r.document_id is not None for r in recipients)  # the letters exist: only the e-mail failed
