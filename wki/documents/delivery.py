"""E-mail delivery of one letter: the PDF attached, over SMTP through core's mail (wki/core/mail.py, config MAIL_*).

One message per recipient, one connection per message (a mailing's workers each send their own; a broken
connection then costs one recipient, who is marked failed with the reason and can be retried). The
Message-ID is derived from the kenmerk, so a letter offered again after a failure carries the same id and
a receiving system that saw the first can tell it is the same letter.

``send_letter`` returns nothing or raises ``DeliveryFailed`` with the reason in Dutch (shown per recipient
on the mailing's page and in the status file).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

from wki.core import mail
from wki.core.mail import mail_configured

__all__ = ["BODY", "DeliveryFailed", "build_message", "mail_configured", "message_id", "send_letter"]


class DeliveryFailed(mail.MailFailed):
    """The message was not accepted; ``reason`` says why, in Dutch."""


def message_id(kenmerk: str) -> str:
    sender = parseaddr(str(current_app.config.get("MAIL_FROM") or ""))[1]
    domain = sender.rpartition("@")[2] or "wki.invalid"
    return f"<{kenmerk.lower()}@{domain}>"


BODY = """Geachte heer, mevrouw,

In de bijlage vindt u een brief van de Inspectie Justitie en Veiligheid over het toezicht op de Wet
kwaliteit incassodienstverlening ({onderwerp}).

Ons kenmerk: {kenmerk}
Vermeld dit kenmerk als u reageert.

Dit bericht is automatisch verzonden. De brief in de bijlage is het officiële document.

Met vriendelijke groet,

{organisatie}
"""


def build_message(*, to: str, name: str, subject: str, kenmerk: str, pdf: bytes) -> EmailMessage:
    config = current_app.config
    organisation = str((config.get("DOCUMENT_SENDER") or {}).get("organisatie")
                       or "Inspectie Justitie en Veiligheid")
    try:
        return mail.build_message(
            to=to, name=name, subject=f"{subject} (kenmerk {kenmerk})", message_id=message_id(kenmerk),
            body=BODY.format(onderwerp=subject, kenmerk=kenmerk, organisatie=organisation),
            attachments=(mail.Attachment(f"{kenmerk}.pdf", pdf, "application/pdf"),))
    except mail.MailFailed as exc:
        raise DeliveryFailed(exc.reason) from None


def send_letter(*, to: str, name: str, subject: str, kenmerk: str, pdf: bytes) -> None:
    """Send one letter; ``DeliveryFailed`` (Dutch reason) when the server is unreachable or refuses it."""
    if not mail_configured():
        raise DeliveryFailed("Er is geen mailserver ingesteld (WKI_MAIL_SERVER); de e-mail is niet verzonden.")
    message = build_message(to=to, name=name, subject=subject, kenmerk=kenmerk, pdf=pdf)
    try:
        mail.send_message(message, to=[to])
    except mail.MailFailed as exc:
        raise DeliveryFailed(exc.reason) from None
