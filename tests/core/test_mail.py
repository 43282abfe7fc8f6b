"""Core e-mail (wki/core/mail.py) through a real SMTP server on localhost (aiosmtpd, as the documents'
delivery tests use): what arrives, with its attachments; every failure as ``MailFailed`` in Dutch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.documents.test_delivery import Inbox, free_port
from wki.core.mail import Attachment, MailFailed, send_mail


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


def test_send_mail_delivers_text_and_attachments(app, inbox):
    with app.app_context():
        send_mail(to="handhaver@inspectie.example.nl", name="A. Handhaver",
                  subject="Termijn loopt af: zaak HZ-2026-000001",
                  body="De termijn voor de beslissing eindigt op dinsdag 14 april 2026.\n",
                  attachments=(Attachment("termijnen.csv", b"datum,termijn\n", "text/csv"),
                               Attachment("besluit.pdf", b"%PDF-1.7 x", "application/pdf")))
    (message,) = inbox.messages
    assert message["To"] == '"A. Handhaver" <handhaver@inspectie.example.nl>'  # quoted: the name has a full stop
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Subject"] == "Termijn loopt af: zaak HZ-2026-000001"
    assert "dinsdag 14 april 2026" in message.get_body(("plain",)).get_content()
    parts = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in message.iter_attachments()]
    assert parts == [("termijnen.csv", "text/csv", "datum,termijn\n"),
                     ("besluit.pdf", "application/pdf", b"%PDF-1.7 x")]


def test_a_line_break_in_the_subject_cannot_add_a_header(app, inbox):
    with app.app_context():
        send_mail(to="a@example.nl", subject="Herinnering\r\nBcc: stiekem@example.nl", body="x")
    (message,) = inbox.messages
    assert message["Subject"] == "Herinnering Bcc: stiekem@example.nl"
    assert message["Bcc"] is None


def test_failures_are_refused_in_dutch(app, inbox, monkeypatch):
    inbox.refuse.add("weg@example.nl")
    with app.app_context():
        with pytest.raises(MailFailed, match="weigerde het adres weg@example.nl \\(550 5.1.1 Mailbox"):
            send_mail(to="weg@example.nl", subject="S", body="x")
        with pytest.raises(MailFailed, match="is geen e-mailadres"):
            send_mail(to="geen adres", subject="S", body="x")
        monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
        with pytest.raises(MailFailed, match="is niet bereikbaar"):
            send_mail(to="a@example.nl", subject="S", body="x")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "")
        with pytest.raises(MailFailed, match="geen mailserver ingesteld"):
            send_mail(to="a@example.nl", subject="S", body="x")
    assert inbox.messages == []
