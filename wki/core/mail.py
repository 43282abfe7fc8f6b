"""Outgoing e-mail for the whole application over SMTP, configured by ``MAIL_*`` (config.py): ``MAIL_SERVER``,
``MAIL_PORT``, ``MAIL_USE_TLS`` (STARTTLS), ``MAIL_USERNAME``/``MAIL_PASSWORD``, ``MAIL_FROM`` and
``MAIL_TIMEOUT_SECONDS``.

One connection per message: a broken connection costs one message, whose caller is told why. ``send_mail``
returns nothing or raises ``MailFailed`` with the reason in Dutch (a mailing shows it per recipient; a
reminder job records it). The documents' letters (wki/documents/delivery.py) and enforcement's reminders go
through here.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from flask import current_app

from wki.core.text import strip_controls

__all__ = ["Attachment", "MailFailed", "build_message", "mail_configured", "send_mail", "send_message"]


class MailFailed(Exception):
    """The message was not sent; ``reason`` says why, in Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"  # "application/pdf", "text/csv", …


def mail_configured() -> bool:
    """Whether the application may send e-mail (an SMTP server is configured)."""
    return bool((current_app.config.get("MAIL_SERVER") or "").strip())


def sender() -> str:
    return str(current_app.config.get("MAIL_FROM") or "")


def _address(to: str) -> str:
    address = parseaddr(strip_controls(str(to or "")).strip())[1]
    if "@" not in address or any(c.isspace() for c in address):
        raise MailFailed(f"‘{str(to)[:80]}’ is geen e-mailadres; de e-mail is niet verzonden.")
    return address


def build_message(*, to: str, subject: str, body: str, attachments: Sequence[Attachment] = (), name: str = "",
                  message_id: str | None = None) -> EmailMessage:
    """A plain-text message from ``MAIL_FROM`` to ``to`` (shown as ``name <to>`` when a name is given)."""
    address = _address(to)
    message = EmailMessage()
    message["From"] = sender()
    clean_name = " ".join(strip_controls(name or "").split())
    message["To"] = formataddr((clean_name, address)) if clean_name else address
    message["Subject"] = " ".join(strip_controls(subject or "").split())
    message["Date"] = formatdate(localtime=True)
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=attachment.filename)
    return message


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_message(message: EmailMessage, *, to: Sequence[str]) -> None:
    """Hand ``message`` to the configured SMTP server for the addresses ``to``; ``MailFailed`` (Dutch) when
    no server is configured, it is unreachable or slow, or it refuses the login, an address or the message."""
    config = current_app.config
    host = str(config.get("MAIL_SERVER") or "").strip()
    port = int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 30)
    if not host:
        raise MailFailed("Er is geen mailserver ingesteld (WKI_MAIL_SERVER); de e-mail is niet verzonden.")
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
            smtp.send_message(message, to_addrs=list(to))
    except smtplib.SMTPRecipientsRefused as exc:
        address, (code, response) = next(iter(exc.recipients.items()), (", ".join(to), (0, b"")))
        raise MailFailed(f"De mailserver weigerde het adres {address} ({code} {_text(response)}).") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailFailed(f"Aanmelden bij de mailserver {where} mislukte ({exc.smtp_code}); controleer "
                         "WKI_MAIL_USERNAME en WKI_MAIL_PASSWORD.") from None
    except smtplib.SMTPResponseException as exc:
        raise MailFailed(f"De mailserver weigerde het bericht ({exc.smtp_code} {_text(exc.smtp_error)}).") from None
    except TimeoutError:
        raise MailFailed(f"De mailserver {where} gaf binnen {timeout:g} seconden geen antwoord.") from None
    except ssl.SSLError as exc:
        raise MailFailed(f"De beveiligde verbinding (STARTTLS) met {where} mislukte ({exc.reason}).") from None
    except smtplib.SMTPException as exc:
        raise MailFailed(f"De verbinding met de mailserver {where} mislukte ({exc}).") from None
    except OSError as exc:
        raise MailFailed(f"De mailserver {where} is niet bereikbaar ({exc.strerror or exc}).") from None


def send_mail(*, to: str, subject: str, body: str, attachments: Sequence[Attachment] = (), name: str = "",
              message_id: str | None = None) -> None:
    """Send one plain-text message with ``attachments`` to one address; ``MailFailed`` (Dutch reason) when it
    is not sent."""
    if not mail_configured():
        raise MailFailed("Er is geen mailserver ingesteld (WKI_MAIL_SERVER); de e-mail is niet verzonden.")
    message = build_message(to=to, subject=subject, body=body, attachments=attachments, name=name,
                            message_id=message_id)
    send_message(message, to=[_address(to)])
