"""E-mail delivery of one letter: the PDF attached, over SMTP to ``MAIL_SERVER:MAIL_PORT`` (config.py, MAIL_*).

One message per recipient, one connection per message (a mailing's workers each send their own; a broken
connection then costs one recipient, who is marked failed with the reason and can be retried). The
Message-ID is derived from the kenmerk, so a letter offered again after a failure carries the same id and
a receiving system that saw the first can tell it is the same letter.

``send_letter`` returns nothing or raises ``DeliveryFailed`` with the reason in Dutch (shown per recipient
on the mailing's page and in the status file).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from flask import current_app


class DeliveryFailed(Exception):
    """The message was not accepted; ``reason`` says why, in Dutch."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mail_configured() -> bool:
    """Whether mailings may send e-mail (an SMTP server is configured)."""
    return bool((current_app.config.get("MAIL_SERVER") or "").strip())


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
    message = EmailMessage()
    message["From"] = str(config.get("MAIL_FROM") or "")
    message["To"] = formataddr((name, to)) if name else to
    message["Subject"] = f"{subject} (kenmerk {kenmerk})"
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id(kenmerk)
    message.set_content(BODY.format(onderwerp=subject, kenmerk=kenmerk, organisatie=organisation))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{kenmerk}.pdf")
    return message


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_letter(*, to: str, name: str, subject: str, kenmerk: str, pdf: bytes) -> None:
    """Send one letter; ``DeliveryFailed`` (Dutch reason) when the server is unreachable or refuses it."""
    config = current_app.config
    host = str(config.get("MAIL_SERVER") or "").strip()
    port = int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 30)
    if not host:
        raise DeliveryFailed("Er is geen mailserver ingesteld (WKI_MAIL_SERVER); de e-mail is niet verzonden.")
    message = build_message(to=to, name=name, subject=subject, kenmerk=kenmerk, pdf=pdf)
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
            smtp.send_message(message, to_addrs=[to])
    except smtplib.SMTPRecipientsRefused as exc:
        code, response = next(iter(exc.recipients.values()), (0, b""))
        raise DeliveryFailed(f"De mailserver weigerde het adres {to} ({code} {_text(response)}).") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryFailed(f"Aanmelden bij de mailserver {where} mislukte ({exc.smtp_code}); controleer "
                             "WKI_MAIL_USERNAME en WKI_MAIL_PASSWORD.") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(f"De mailserver weigerde het bericht ({exc.smtp_code} {_text(exc.smtp_error)}).") from None
    except TimeoutError:
        raise DeliveryFailed(f"De mailserver {where} gaf binnen {timeout:g} seconden geen antwoord.") from None
    except ssl.SSLError as exc:
        raise DeliveryFailed(f"De beveiligde verbinding (STARTTLS) met {where} mislukte ({exc.reason}).") from None
    except smtplib.SMTPException as exc:
        raise DeliveryFailed(f"De verbinding met de mailserver {where} mislukte ({exc}).") from None
    except OSError as exc:
        raise DeliveryFailed(f"De mailserver {where} is niet bereikbaar ({exc.strerror or exc}).") from None
