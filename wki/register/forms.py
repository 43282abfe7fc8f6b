"""Forms of the register pages: the search and filter form of the list, the quarantine decisions,
and the filters of the administrator's lists; plus the Dutch labels the pages show for stored values."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from wki.core.forms import INVALID_DATE, BaseForm, DayField, choices, plausible_date
from wki.register.models import RegistrationStatus, SnapshotKind, SnapshotStatus, SyncOutcome
from wki.register.queries import EXPIRY_FILTERS

STATUS_LABELS = RegistrationStatus.labels()
KIND_LABELS = SnapshotKind.labels()
SNAPSHOT_STATUS_LABELS = SnapshotStatus.labels()
SYNC_OUTCOME_LABELS = SyncOutcome.labels()
SORT_LABELS = {
    "naam": "Naam",
    "registratienummer": "Registratienummer",
    "plaats": "Plaats",
    "geldig_tot": "Geldig tot",
    "datum_inschrijving": "Datum inschrijving",
}


class RegisterSearchForm(BaseForm):
    """The list's search and filters; read from the query string, so bookmarks and exports share it."""

    class Meta:
        csrf = False  # a GET search form changes nothing

    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Naam, handelsnaam, KvK-nummer, registratienummer of plaats.")
    status = SelectField("Status", validators=[Optional()],
                         choices=choices("Alle statussen", list(STATUS_LABELS.items())),
                         invalid_choice_message="Kies een status uit de lijst.")
    verloop = SelectField("Geldigheid", validators=[Optional()],
                          choices=choices("Alle registraties", list(EXPIRY_FILTERS.items())),
                          invalid_choice_message="Kies een keuze voor de geldigheid uit de lijst.")
    # ISO (what a date picker sends) or the Dutch day-month-year that people type and paste.
    peildatum = DayField("Peildatum", validators=[Optional(), plausible_date], format=["%Y-%m-%d", "%d-%m-%Y"],
                          invalid_value_message=INVALID_DATE,
                          description="Het register zoals het toen luidde; leeg is nu.")
    sorteer = SelectField("Sorteren op", default="naam", choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()],
                          invalid_choice_message="Kies een sortering uit de lijst.")
    volgorde = SelectField("Volgorde", default="op",
                           choices=[SelectChoice("op", "Oplopend"), SelectChoice("af", "Aflopend")],
                           invalid_choice_message="Kies oplopend of aflopend.")

    def filters(self) -> dict:
        """The keyword arguments for ``queries.search_stmt`` (call after a successful ``validate``)."""
        return {
            "q": self.zoek.data or "",
            "status": self.status.data or None,
            "expiry": self.verloop.data or None,
            "as_of": self.peildatum.data,
            "sort": self.sorteer.data or "naam",
            "descending": self.volgorde.data == "af",
        }


class SyncRunFilterForm(BaseForm):
    class Meta:
        csrf = False

    soort = SelectField("Soort", validators=[Optional()], choices=choices("Alle soorten", list(KIND_LABELS.items())),
                        invalid_choice_message="Kies een soort uit de lijst.")
    uitkomst = SelectField("Uitkomst", validators=[Optional()],
                           choices=choices("Alle uitkomsten", list(SYNC_OUTCOME_LABELS.items())),
                           invalid_choice_message="Kies een uitkomst uit de lijst.")


class SnapshotFilterForm(BaseForm):
    class Meta:
        csrf = False

    soort = SelectField("Soort", validators=[Optional()], choices=choices("Alle soorten", list(KIND_LABELS.items())),
                        invalid_choice_message="Kies een soort uit de lijst.")
    status = SelectField("Status", validators=[Optional()],
                         choices=choices("Alle statussen", list(SNAPSHOT_STATUS_LABELS.items())),
                         invalid_choice_message="Kies een status uit de lijst.")


class ApproveSnapshotForm(BaseForm):
    """Approving a quarantined snapshot: a confirmation, a reason for the audit trail, and the mirror the
    administrator saw the diff against (so that a diff nobody has seen is never applied)."""

    bevestiging = BooleanField(
        "Ik heb de verschillen hieronder bekeken en wil dit bestand toepassen op het register.",
        validators=[DataRequired("Bevestig dat u de verschillen hebt bekeken en het bestand wilt toepassen.")],
        render_kw={"required": False},  # as for the reason below: the server's check and message count
    )
    toelichting = TextAreaField(
        "Reden van goedkeuren", validators=[DataRequired("Geef een reden op waarom u deze snapshot goedkeurt."),
                             Length(max=2000, message="Gebruik hoogstens 2000 tekens.")],
        description="Bijvoorbeeld: de registraties zijn echt doorgehaald, nagegaan bij Justis. De reden komt in "
                    "de audittrail.",
        render_kw={"rows": 3, "required": False},
    )
    basis = HiddenField(validators=[InputRequired()])

    def basis_id(self) -> int:
        """The snapshot id the page was shown against (0: an empty mirror; -1, matching none: unreadable)."""
        try:
            return int(self.basis.data)
        except (TypeError, ValueError):
            return -1


class DiscardSnapshotForm(BaseForm):
    reden = TextAreaField(
        "Reden van verwerpen", validators=[DataRequired("Geef een reden op waarom u deze snapshot verwerpt."),
                             Length(max=2000, message="Gebruik hoogstens 2000 tekens.")],
        description="Bijvoorbeeld: het bestand is onvolledig aangeleverd. De reden komt in de audittrail.",
        # No HTML "required": the component styles an empty required textarea as invalid (:invalid)
        # before anything was submitted; the server's check and message are the ones that count.
        render_kw={"rows": 3, "required": False},
    )


class UploadForm(BaseForm):
    """A register or exempt-list file, read in as ``flask register import`` / ``exempt-import`` reads it."""

    soort = SelectField("Soort bestand", validators=[DataRequired("Kies het register of de lijst van vrijgestelden.")],
                        choices=[SelectChoice(SnapshotKind.REGISTER, "Register (Justis)"),
                                 SelectChoice(SnapshotKind.EXEMPT, "Lijst van vrijgestelden (deurwaarders, advocaten)")],
                        invalid_choice_message="Kies het register of de lijst van vrijgestelden.")
    snapshotdatum = DayField("Snapshotdatum", validators=[InputRequired("Vul de datum in waarop het bestand zo luidde."),
                                                          plausible_date],
                             format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE,
                             description="De datum waarop het register (of de lijst) zo luidde; meestal vandaag.")
    bestand = FileField("Bestand", validators=[FileRequired("Kies een bestand.")],
                        description="Het volledige bestand: CSV (komma's of puntkomma's, UTF-8 of Windows-1252) of, "
                                    "voor het register, JSON. Wie niet in het bestand staat, is uit het register "
                                    "verdwenen.")
