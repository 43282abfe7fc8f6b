"""Forms of the signal pages: the list's filters, the staff form, the bulk file, decisions about a verdict
and a signal's status, the suspects' filters, merges and splits; plus the Dutch labels the pages show."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, Field, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from wki.core.extensions import db
from wki.core.forms import INVALID_DATE, BaseForm, DayField, MultiCheckboxField, choices, plausible_date
from wki.signals.intake import FIELD_LABELS, INTAKE_COLUMNS, MAX_LENGTHS, clean_signal
from wki.signals.models import Channel, SignalImport, SignalStatus, Source, SuspectStatus, Verdict

# The verdict filter also offers the signals a person decided, whatever their verdict.
DECIDED = "handmatig"
VERDICT_FILTER_LABELS: dict[str, str] = {**Verdict.labels(), DECIDED: "Handmatig vastgesteld"}

SORT_LABELS = {
    "ontvangen_op": "Datum ontvangst",
    "peildatum": "Peildatum",
    "referentie": "Referentie",
    "naam": "Naam incassant",
    "score": "Overeenkomst met het register",
}
# Where a column header's first click sorts: dates and the match newest or highest first, text A to Z.
SORT_FIRST_DESCENDING = {"ontvangen_op": True, "peildatum": True, "score": True, "referentie": False, "naam": False}
SUSPECT_STATUS_ALL = "alle"

# The import columns' labels are the intake's (one table for the form, its messages and the service's).
COLUMN_LABELS = FIELD_LABELS

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]  # what a date picker sends, and what people type and paste


def _length(column: str) -> Length:
    limit = MAX_LENGTHS[column]
    return Length(max=limit, message=f"Gebruik hoogstens {limit} tekens.")


# ---------------------------------------------------------------- the list


class SignalSearchForm(BaseForm):
    """The list's search and filters, read from the query string (bookmarks keep them)."""

    class Meta:
        csrf = False  # a GET search form changes nothing

    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Naam, referentie, KvK-nummer, IBAN, website, e-mailadres of telefoonnummer.")
    oordeel = SelectField("Oordeel", validators=[Optional()],
                          choices=choices("Alle oordelen", list(VERDICT_FILTER_LABELS.items())),
                          invalid_choice_message="Kies een oordeel uit de lijst.")
    bron = SelectField("Bron", validators=[Optional()], choices=choices("Alle bronnen", list(Source.labels().items())),
                       invalid_choice_message="Kies een bron uit de lijst.")
    status = SelectField("Status", validators=[Optional()],
                         choices=choices("Alle statussen", list(SignalStatus.labels().items())),
                         invalid_choice_message="Kies een status uit de lijst.")
    kanaal = SelectField("Kanaal", validators=[Optional()],
                         choices=choices("Alle kanalen", list(Channel.labels().items())),
                         invalid_choice_message="Kies een kanaal uit de lijst.")
    klonen = BooleanField("Alleen mogelijke klonen")
    bik = BooleanField("Alleen incassokosten boven het BIK-maximum")
    # Open signals judged against an older state of the mirror (``page_queries.stale_clause``).
    herbeoordeling = BooleanField("Alleen open signalen die wachten op herbeoordeling")
    peildatum_van = DayField("Peildatum van", format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                             validators=[Optional(), plausible_date])
    peildatum_tot = DayField("Peildatum tot en met", format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                             validators=[Optional(), plausible_date])
    registratienummer = StringField("Registratienummer", validators=[
        Optional(), Length(max=40, message="Gebruik hoogstens 40 tekens.")],
        description="Het vastgestelde, anders het automatisch gevonden nummer.")
    # ``import`` is a Python keyword: the attribute has another name than the query string's.
    import_id = IntegerField("Ingelezen bestand (nummer)", name="import", validators=[
        Optional(), NumberRange(min=1, max=2**31 - 1, message="Vul het nummer van een ingelezen bestand in.")],
        render_kw={"inputmode": "numeric"})
    # The column headers sort the table; the form keeps their choice when it filters (hidden fields).
    sorteer = SelectField("Sorteren op", default="ontvangen_op",
                          choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()],
                          invalid_choice_message="Kies een sortering uit de lijst.")
    volgorde = SelectField("Volgorde", default="af",
                           choices=[SelectChoice("af", "Aflopend"), SelectChoice("op", "Oplopend")],
                           invalid_choice_message="Kies oplopend of aflopend.")

    def validate_peildatum_tot(self, field: Field) -> None:
        if field.data and self.peildatum_van.data and field.data < self.peildatum_van.data:
            raise ValidationError("De peildatum ‘tot en met’ ligt vóór de peildatum ‘van’. Kies een latere datum.")

    def validate_import_id(self, field: Field) -> None:
        # Not for a number already refused: one beyond the id column's range is an error in the query.
        if field.data and not field.errors and db.session.get(SignalImport, field.data) is None:
            raise ValidationError(f"Ingelezen bestand {field.data} bestaat niet.")

    def filters(self) -> dict[str, Any]:
        """The keyword arguments for ``page_queries.search_signals`` (after a successful ``validate``)."""
        return {
            "q": self.zoek.data or "",
            "verdict": self.oordeel.data or None,
            "source": self.bron.data or None,
            "status": self.status.data or None,
            "channel": self.kanaal.data or None,
            "clones": bool(self.klonen.data),
            "bik": bool(self.bik.data),
            "date_from": self.peildatum_van.data,
            "date_to": self.peildatum_tot.data,
            "registratienummer": self.registratienummer.data or None,
            "import_id": self.import_id.data,
            "stale": bool(self.herbeoordeling.data),
            "sort": self.sorteer.data or "ontvangen_op",
            "descending": self.volgorde.data != "op",
        }

    def active_filters(self) -> list[str]:
        """The labels of the filters in use (the search counts as one), for the collapsed form's summary."""
        return [field.label.text for field in self
                if field.name not in ("sorteer", "volgorde") and field.data not in (None, "", False)]


class RematchForm(BaseForm):
    """"Nu opnieuw beoordelen": a button, its CSRF token the only field."""


class MonthField(StringField):
    """A month as ``JJJJ-MM`` (what a month input sends) or ``MM-JJJJ``; ``data`` is its first day."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        parts = self.raw.split("-")
        try:
            if len(parts) == 2 and len(parts[0]) == 4:
                self.data = date(int(parts[0]), int(parts[1]), 1)
            elif len(parts) == 2 and len(parts[1]) == 4:
                self.data = date(int(parts[1]), int(parts[0]), 1)
        except ValueError:
            pass
        if self.data is None or not 2000 <= self.data.year <= 2999:
            self.data = None
            raise ValueError("Vul een maand in als jaar-maand, zoals 2026-03.")

    def _value(self) -> str:
        if self.data and not self.errors:
            return f"{self.data:%Y-%m}"
        return getattr(self, "raw", "") or ""


DEFAULT_FIGURE_MONTHS = 24
MAX_FIGURE_MONTHS = 120


def add_months(first_day: date, months: int) -> date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """The number of months from ``start``'s month to ``end``'s, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


class FiguresForm(BaseForm):
    """The period of the figures page, by month of the reference date (peildatum): the last 24 months
    unless chosen otherwise."""

    class Meta:
        csrf = False

    van = MonthField("Van (maand)", validators=[Optional()], description="Jaar en maand, zoals 2025-01.")
    tot = MonthField("Tot en met (maand)", validators=[Optional()], description="Jaar en maand, zoals 2026-12.")

    def period(self, today: date) -> tuple[date, date]:
        """(first day of the first month, first day of the last month), after ``validate``."""
        end = self.tot.data or date(today.year, today.month, 1)
        start = self.van.data or add_months(end, 1 - DEFAULT_FIGURE_MONTHS)
        return start, end

    def validate_period(self, today: date) -> bool:
        if not self.validate():
            return False
        start, end = self.period(today)
        if end < start:
            self.tot.errors = ["De maand ‘tot en met’ ligt vóór de maand ‘van’. Kies een latere maand."]
            return False
        if months_between(start, end) > MAX_FIGURE_MONTHS:
            self.tot.errors = [f"Kies een periode van hoogstens {MAX_FIGURE_MONTHS // 12} jaar "
                               f"({MAX_FIGURE_MONTHS} maanden)."]
            return False
        return True


# ---------------------------------------------------------------- one signal, by staff


class SignalForm(BaseForm):
    """Every import column of signalen.md, and the collector's letter as an attachment."""

    referentie = StringField(COLUMN_LABELS["referentie"], validators=[Optional(), _length("referentie")],
                             description="De referentie van de melder. Leeg: het systeem geeft een eigen "
                                         "referentie (IJV-jaar-volgnummer).")
    ontvangen_op = DayField(COLUMN_LABELS["ontvangen_op"], format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                            validators=[InputRequired("Vul de datum van ontvangst in."), plausible_date],
                            render_kw={"required": False})
    bron = SelectField(COLUMN_LABELS["bron"], choices=choices("Kies een bron", list(Source.labels().items())),
                       validators=[DataRequired("Kies de bron van het signaal.")],
                       invalid_choice_message="Kies een bron uit de lijst.", render_kw={"required": False})
    naam_incassant = StringField(COLUMN_LABELS["naam_incassant"], validators=[Optional(), _length("naam_incassant")],
                                 description="Zoals in de brief, e-mail of het gesprek. Verplicht als er geen "
                                             "KvK-nummer, IBAN, website, e-mailadres of telefoonnummer is.")
    kvk_nummer = StringField(COLUMN_LABELS["kvk_nummer"], validators=[Optional(), _length("kvk_nummer")],
                             description="Zoals geschreven, bijvoorbeeld KvK 1234.5678.")
    iban = StringField(COLUMN_LABELS["iban"], validators=[Optional(), _length("iban")],
                       description="Zoals geschreven. Een IBAN met een fout controlegetal wordt bewaard maar telt "
                                   "niet mee.")
    website = StringField(COLUMN_LABELS["website"], validators=[Optional(), _length("website")])
    email = StringField(COLUMN_LABELS["email"], validators=[Optional(), _length("email")])
    telefoon = StringField(COLUMN_LABELS["telefoon"], validators=[Optional(), _length("telefoon")])
    postcode = StringField(COLUMN_LABELS["postcode"], validators=[Optional(), _length("postcode")])
    plaats = StringField(COLUMN_LABELS["plaats"], validators=[Optional(), _length("plaats")])
    datum_brief = DayField(COLUMN_LABELS["datum_brief"], format=DATE_FORMATS, invalid_value_message=INVALID_DATE,
                           validators=[Optional(), plausible_date],
                           description="Datum van de brief of het contact. Het register wordt getoetst zoals het "
                                       "op deze datum luidde (leeg: de datum van ontvangst).")
    tijdstip_contact = StringField(COLUMN_LABELS["tijdstip_contact"], validators=[Optional(), Length(max=20)],
                                   description="Als bekend: het tijdstip van het telefoontje of de e-mail, bijvoorbeeld "
                                               "21:15. Contact tussen 20:00 en 07:00 is niet toegestaan (Bki art. 4.2).")
    hoofdsom = StringField(COLUMN_LABELS["hoofdsom"], validators=[Optional(), Length(max=30)],
                           description="In euro, bijvoorbeeld 1.250,00.")
    incassokosten = StringField(COLUMN_LABELS["incassokosten"], validators=[Optional(), Length(max=30)],
                                description="In euro, bijvoorbeeld 187,50.")
    omschrijving = TextAreaField(COLUMN_LABELS["omschrijving"], validators=[Optional(), _length("omschrijving")],
                                 render_kw={"rows": 4})
    bijlage = FileField("Bijlage (optioneel)",
                        description="De brief of e-mail van de incassant als PDF, PNG of JPEG.")

    def values(self) -> dict[str, str]:
        """The import columns as text, as ``recording.create_signal`` takes them (dates as ISO)."""
        values: dict[str, str] = {}
        for column in INTAKE_COLUMNS:
            data = self[column].data
            if data is None:
                values[column] = ""
            elif hasattr(data, "isoformat"):
                values[column] = data.isoformat()
            else:
                values[column] = str(data)
        return values

    def check_values(self, values: dict[str, str]) -> bool:
        """The intake's own rules (the same ``clean_signal`` the service applies), so that every wrong
        value shows at once, each at its field; a field that already has an error keeps only that."""
        _cleaned, errors = clean_signal(values)
        for error in errors:
            field = self._fields.get(error.column)
            if field is None:
                self.form_errors.append(f"{COLUMN_LABELS.get(error.column, error.column)} {error.reason}.")
            elif not field.errors:
                field.errors = [f"{COLUMN_LABELS[error.column]} {error.reason}."]
        return not errors


# ---------------------------------------------------------------- a bulk file


class ImportForm(BaseForm):
    bestand = FileField("CSV-bestand", validators=[FileRequired("Kies een CSV-bestand.")],
                        description="Kolommen volgens het formaat voor signalen; gescheiden door puntkomma's of "
                                    "komma's, UTF-8 (met of zonder BOM) of Windows-1252, zoals Excel het opslaat.")
    overslaan = BooleanField("Ongeldige regels overslaan",
                             description="Zonder dit vinkje wordt het hele bestand geweigerd als één regel fout is.")


# ---------------------------------------------------------------- a signal's verdict and status


def _reason(message: str, rows: int = 3) -> TextAreaField:
    return TextAreaField("Reden", validators=[DataRequired(message),
                                              Length(max=2000, message="Gebruik hoogstens 2000 tekens.")],
                         render_kw={"rows": rows, "required": False})


class DecideForm(BaseForm):
    """An inspector confirms or corrects the verdict. ``versie``: the state of the signal the page showed
    (``decisions.signal_version``), so that a decision made meanwhile is not silently overwritten."""

    oordeel = SelectField("Oordeel", choices=choices("Kies een oordeel", list(Verdict.labels().items())),
                          validators=[DataRequired("Kies een oordeel.")],
                          invalid_choice_message="Kies een oordeel uit de lijst.", render_kw={"required": False})
    registratienummer = StringField("Registratienummer", validators=[Optional(), Length(max=40)],
                                    description="Alleen bij ‘Geregistreerd’ en ‘Registratie niet geldig’.")
    reden = TextAreaField("Reden", validators=[DataRequired("Geef een reden voor dit oordeel."),
                                               Length(max=2000, message="Gebruik hoogstens 2000 tekens.")],
                          description="Komt in de geschiedenis van het signaal.",
                          render_kw={"rows": 3, "required": False})
    versie = HiddenField()


class WithdrawForm(BaseForm):
    """Back to the automatic verdict; the signal opens again."""

    reden = _reason("Geef een reden om het oordeel in te trekken.", rows=2)
    versie = HiddenField()


class StatusForm(BaseForm):
    """Close a signal without a decision, or reopen it. The page offers the one change that is possible
    as a button named for it; nothing is chosen for the person, and a reason is required."""

    # The service refuses anything but the one possible change (``decisions.set_status``).
    status = HiddenField(validators=[DataRequired("Kies of het signaal wordt afgesloten of heropend.")])
    reden = _reason("Geef een reden om de status te wijzigen.", rows=2)
    versie = HiddenField()


# ---------------------------------------------------------------- suspects


class SuspectSearchForm(BaseForm):
    class Meta:
        csrf = False

    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Een naam, KvK-nummer, IBAN, website of telefoonnummer uit de signalen.")
    status = SelectField("Status", default=SuspectStatus.ACTIVE,
                         choices=[*(SelectChoice(k, v) for k, v in SuspectStatus.labels().items()),
                                  SelectChoice(SUSPECT_STATUS_ALL, "Alle statussen")],
                         invalid_choice_message="Kies een status uit de lijst.")
    min_signalen = IntegerField("Minimaal aantal signalen", validators=[
        Optional(), NumberRange(min=1, max=100000, message="Vul een aantal van 1 of meer in.")])
    klonen = BooleanField("Alleen mogelijke klonen")

    def filters(self) -> dict[str, Any]:
        status = self.status.data or SuspectStatus.ACTIVE
        return {
            "q": self.zoek.data or "",
            "status": None if status == SUSPECT_STATUS_ALL else status,
            "min_signals": self.min_signalen.data,
            "clones": bool(self.klonen.data),
        }


class MergeForm(BaseForm):
    """Merge another suspect into this one: by its number (the fallback), or one suggested as possibly the
    same (``andere`` hidden, the reason filled in from why it was suggested)."""

    andere = IntegerField("Nummer van de andere mogelijke overtreder",
                          validators=[DataRequired("Vul het nummer van de andere mogelijke overtreder in.")],
                          description="Het nummer staat bovenaan de pagina van die mogelijke overtreder.",
                          render_kw={"required": False, "inputmode": "numeric"})
    reden = _reason("Geef een reden om samen te voegen.", rows=2)


class MultiMergeForm(BaseForm):
    """Several suspects chosen in the list are one collector (checkboxes in the table's rows). How many
    and which may be merged is the service's rule (``decisions.merge_suspects``)."""

    overtreders = SelectMultipleField("Mogelijke overtreders", coerce=int, validate_choice=False)
    reden = _reason("Geef een reden om samen te voegen.", rows=2)


class SplitForm(BaseForm):
    signalen = MultiCheckboxField("Signalen die bij een andere incassant horen", coerce=int,
                                  validators=[DataRequired("Kies de signalen die u wilt afsplitsen.")],
                                  invalid_choice_message="Kies signalen van deze mogelijke overtreder.")
    reden = TextAreaField("Reden", validators=[DataRequired("Geef een reden om te splitsen."),
                                               Length(max=2000, message="Gebruik hoogstens 2000 tekens.")],
                          render_kw={"rows": 2, "required": False})
