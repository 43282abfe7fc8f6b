"""What the audit trail records about letters, documents and mailings."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class DocumentAction(LabelledEnum):
    TEXT_SAVED = "tekst.opgeslagen", "Brieftekst opgeslagen (nieuwe versie)"
    TEXT_PUBLISHED = "tekst.gepubliceerd", "Brieftekst gepubliceerd"
    ISSUED = "document.uitgegeven", "Document uitgegeven"
    SUPERSEDED = "document.vervangen", "Document vervangen door een correctie"
    DOWNLOADED = "document.gedownload", "Document gedownload"
    EXPORTED = "document.geexporteerd", "Document weggeschreven (opdrachtregel)"
    VERIFIED = "document.gecontroleerd", "Document gecontroleerd (controlewaarde)"
    PREVIEWED = "document.voorbeeld", "Voorbeeld van een brief bekeken"
    MAILING_CREATED = "mailing.aangemaakt", "Mailing aangemaakt"
    MAILING_APPROVED = "mailing.goedgekeurd", "Mailing goedgekeurd"
    MAILING_STARTED = "mailing.gestart", "Mailing gestart"
    MAILING_FINISHED = "mailing.klaar", "Mailing klaar"
    MAILING_CANCELLED = "mailing.geannuleerd", "Mailing geannuleerd"
    MAILING_RETRIED = "mailing.opnieuw", "Mislukte ontvangers opnieuw aangeboden"
    MAILING_STATUS_EXPORTED = "mailing.status_geexporteerd", "Verzendstatus van een mailing weggeschreven"
    MAILING_STATUS_VIEWED = "mailing.status_opgevraagd", "Verzendstatus van een mailing opgevraagd (opdrachtregel)"
    TYPES_LISTED = "briefsoorten.opgevraagd", "Briefsoorten opgevraagd (opdrachtregel)"
    PRINT_FILE = "mailing.drukbestand", "Drukbestand van een mailing gemaakt"


OBJECT_TYPES = {
    "letter_text": "Brieftekst",
    "document": "Document",
    "mailing": "Mailing",
}
