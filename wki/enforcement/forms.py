"""Forms of the case pages. They only take what was typed: the rules (which provision fits which party, which
instrument fits, which step may follow, dates, amounts, periods, file types) are the services'
(cases.py, procedure.py, timelimits.py), whose Dutch refusals the views put next to the field they name.

The fields carry the names the services give in ``ServiceError.field`` (``received_on``, ``summary``,
``provisions`` ...), so a refusal lands at its field; where a page's name differs, ``FIELD_ALIASES`` maps it.
Several forms share the case page, so each has a ``prefix``: no two inputs on a page share an id."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired as _DataRequired
from wtforms.validators import InputRequired as _InputRequired
from wtforms.validators import Length, Optional

from wki.core.errors import ServiceError
from wki.core.forms import INVALID_DATE, BaseForm, DayField, MultiCheckboxField, choices, plausible_date
from wki.enforcement.instruments import PROVISION_REASON, PROVISIONS
from wki.enforcement.models import CheckResult, PenaltyForm, Provision, SubjectKind
from wki.enforcement.procedure import VIEW_FORMS
from wki.enforcement.timelimits import SHIFT_KINDS


class DataRequired(_DataRequired):
    """Required, checked on the server with a Dutch message, without the HTML ``required`` attribute: with it
    the design system paints every empty required field as invalid before anything was sent."""

    field_flags: dict[str, bool] = {}


class InputRequired(_InputRequired):
    __doc__ = DataRequired.__doc__
    field_flags: dict[str, bool] = {}


TEXT_MAX = 20_000
SHORT_MAX = 2_000
DAY_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Gebruik hoogstens {limit} tekens.")


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


class CaseForm(BaseForm):
    """A form of the case pages: a service's field name that differs from the form's is mapped."""

    FIELD_ALIASES: dict[str, str] = {"bijlagen": "files"}

    def apply_service_error(self, exc: ServiceError) -> None:
        if exc.field in self.FIELD_ALIASES and hasattr(self, self.FIELD_ALIASES[exc.field]):
            exc = ServiceError(exc.message, field=self.FIELD_ALIASES[exc.field])
        super().apply_service_error(exc)


class VersionedForm(CaseForm):
    versie = HiddenField()

    def version(self) -> int | None:
        return _number(self.versie.data)


# --- opening and changing a case ------------------------------------------------------------------------

def _kinds_of(provision: Provision) -> str:
    return ", ".join(kind.label.lower() for kind, allowed in PROVISIONS.items() if provision in allowed)


PROVISION_CHOICES = [SelectChoice(p.value, f"{p.label} (bij een {_kinds_of(p)})") for p in Provision]
PROVISION_NOTES = [(kind, PROVISION_REASON[kind]) for kind in SubjectKind]
YES_NO = [SelectChoice("ja", "Ja, een rechtspersoon"), SelectChoice("nee", "Nee, een natuurlijk persoon")]


class OpenCaseForm(CaseForm):
    subject = RadioField("Over wie gaat de zaak?", choices=[SelectChoice(k.value, k.label) for k in SubjectKind],
                         default=SubjectKind.REGISTRATION.value, validators=[InputRequired("Kies over wie de zaak gaat.")])
    registratienummer = StringField("Registratienummer", validators=[Optional(), _too_long(40)],
                                    description="Bij een geregistreerde incassodienstverlener.")
    suspect_id = StringField("Nummer van de mogelijke overtreder", validators=[Optional(), _too_long(11)],
                             description="Bij een vermoedelijk niet-geregistreerde incassant: het nummer op zijn "
                                         "pagina bij Signalen.")
    exempt_party_key = SelectField("Vrijgestelde partij", choices=[], validate_choice=False,
                                   description="Bij een gerechtsdeurwaarder of advocaat: de lijst van vrijgestelden "
                                               "zoals die vandaag luidt.")
    provisions = MultiCheckboxField("Overtreden bepalingen", choices=PROVISION_CHOICES, validate_choice=False,
                                    description="Welke bepalingen passen, hangt af van de partij (zie de toelichting).")
    aanleiding = TextAreaField("Aanleiding", validators=[Optional(), _too_long(SHORT_MAX * 5)])
    feiten = TextAreaField("Feiten", validators=[Optional(), _too_long(TEXT_MAX)],
                           description="Wat is vastgesteld, in uw eigen woorden.")
    rechtspersoon = RadioField("Rechtspersoon?", choices=YES_NO, default="ja",
                               validators=[InputRequired("Kies of de partij een rechtspersoon is.")],
                               description="Bepaalt de boetecategorie.")
    officer = SelectField("Handhaver", choices=[], validate_choice=False)

    def set_choices(self, *, exempt: list[tuple[str, str]], officers: list[tuple[int, str]]) -> None:
        self.exempt_party_key.choices = choices("Kies een partij", exempt)
        self.officer.choices = [SelectChoice(str(i), label) for i, label in officers]

    def subject_kind(self) -> SubjectKind | None:
        try:
            return SubjectKind.from_value(self.subject.data or "")
        except ValueError:
            return None


class UpdateCaseForm(VersionedForm):
    provisions = MultiCheckboxField("Overtreden bepalingen", choices=[], validate_choice=False)
    aanleiding = TextAreaField("Aanleiding", validators=[Optional(), _too_long(SHORT_MAX * 5)])
    feiten = TextAreaField("Feiten", validators=[Optional(), _too_long(TEXT_MAX)])
    rechtspersoon = RadioField("Rechtspersoon?", choices=YES_NO,
                               validators=[InputRequired("Kies of de partij een rechtspersoon is.")])
    officer = SelectField("Handhaver", choices=[], validate_choice=False)


class InstrumentForm(VersionedForm):
    instrument = RadioField("Instrument", choices=[], validate_choice=False,
                            validators=[InputRequired("Kies een instrument.")])
    reason = TextAreaField("Motivering van de keuze", validators=[DataRequired("Motiveer de keuze van het instrument."),
                                                                  _too_long(SHORT_MAX * 5)])


# --- evidence and notes ---------------------------------------------------------------------------------

class SignalLinkForm(CaseForm):
    signal_id = StringField("Nummer van het signaal", validators=[DataRequired("Vul het nummer van het signaal in."),
                                                                  _too_long(11)])
    description = StringField("Omschrijving (niet verplicht)", validators=[Optional(), _too_long(SHORT_MAX)])


class RegisterLinkForm(CaseForm):
    registratienummer = StringField("Registratienummer", validators=[Optional(), _too_long(40)],
                                    description="Leeg: de registratie van deze zaak.")
    as_of = DayField("Peildatum", format=DAY_FORMATS, validators=[InputRequired(INVALID_DATE), plausible_date],
                     description="Het register zoals het op deze dag luidde.")
    description = StringField("Omschrijving (niet verplicht)", validators=[Optional(), _too_long(SHORT_MAX)])


class DocumentLinkForm(CaseForm):
    kenmerk = StringField("Kenmerk", validators=[DataRequired("Vul het kenmerk van het document in."), _too_long(40)])
    description = StringField("Omschrijving (niet verplicht)", validators=[Optional(), _too_long(SHORT_MAX)])


class NoteForm(CaseForm):
    text = TextAreaField("Notitie", validators=[DataRequired("Schrijf de notitie."), _too_long(TEXT_MAX)])
    day = DayField("Datum", format=DAY_FORMATS, validators=[Optional(), plausible_date],
                   description="Leeg: vandaag.")


# --- the procedure --------------------------------------------------------------------------------------

class CautionForm(CaseForm):
    day = DayField("Datum van de cautie", format=DAY_FORMATS, validators=[InputRequired(INVALID_DATE), plausible_date])
    person = StringField("Aan wie", validators=[DataRequired("Vul in aan wie de cautie is gegeven."), _too_long(300)])
    text = TextAreaField("Toelichting (niet verplicht)", validators=[Optional(), _too_long(SHORT_MAX)])


class ReportForm(CaseForm):
    day = DayField("Datum van het rapport", format=DAY_FORMATS,
                   validators=[InputRequired(INVALID_DATE), plausible_date],
                   description="Vanaf deze dag lopen de 13 weken voor het boetebesluit (artikel 5:51 Awb).")
    text = TextAreaField("Samenvatting van het rapport", validators=[DataRequired("Vat het rapport samen."),
                                                                      _too_long(TEXT_MAX)])


class PenaltyTermsForm(CaseForm):
    measures = TextAreaField("De last: wat moet er gebeuren?", validators=[DataRequired("Beschrijf de last."),
                                                                           _too_long(TEXT_MAX)])
    grace_period = StringField("Begunstigingstermijn", default="4w",
                               validators=[DataRequired("Vul de begunstigingstermijn in."), _too_long(10)],
                               description="Zoals 4w (weken), 30d (dagen) of 2m (maanden); loopt vanaf de dag na "
                                           "verzending van het besluit.")
    form = RadioField("Vorm van de dwangsom", choices=[SelectChoice(f.value, f.label) for f in PenaltyForm],
                      validators=[InputRequired("Kies de vorm van de dwangsom.")])
    amount = StringField("Bedrag van de dwangsom (euro)", validators=[DataRequired("Vul het bedrag in."), _too_long(20)])
    ceiling = StringField("Maximum (euro)", validators=[DataRequired("Vul het maximum in."), _too_long(20)],
                          description="Het bedrag waarboven geen dwangsom meer wordt verbeurd (artikel 5:32b Awb).")


class FineForm(CaseForm):
    """The inputs of the fine's calculation (fines.py): the breach it is for and the circumstances."""

    provision = SelectField("Overtreden bepaling", choices=[], validate_choice=False,
                            validators=[DataRequired("Kies de bepaling waarvoor de boete is.")])
    recidive = BooleanField("Recidive: eerder een boete of last voor dezelfde overtreding")
    reduced_blameworthiness = BooleanField("Verminderde verwijtbaarheid")
    duration_months = StringField("Duur van de overtreding (hele maanden)", default="0",
                                  validators=[Optional(), _too_long(3)])
    ability_to_pay = StringField("Draagkracht: het bedrag dat de overtreder kan dragen (euro, leeg als dat niet "
                                 "speelt)", validators=[Optional(), _too_long(20)])
    ability_to_pay_reason = TextAreaField("Toelichting op de draagkracht", validators=[Optional(), _too_long(2000)])
    higher_category = BooleanField("De naast hogere categorie toepassen (rechtspersoon; artikel 23 lid 7 Sr)")
    higher_category_reason = TextAreaField("Waarom de normale categorie geen passende boete toelaat",
                                           validators=[Optional(), _too_long(2000)])

    def months(self) -> int:
        try:
            return int((self.duration_months.data or "0").strip())
        except ValueError:
            raise ServiceError("Vul de duur in als een heel aantal maanden.", field="duration_months") from None


_VIEW_FORMS = [SelectChoice(k, v) for k, v in VIEW_FORMS.items()]
_FILES_HELP = "Niet verplicht; u kunt meer bestanden tegelijk kiezen (PDF, afbeelding, Word, Excel, CSV of tekst)."


class ViewForm(CaseForm):
    received_on = DayField("Ontvangen op", format=DAY_FORMATS, validators=[InputRequired(INVALID_DATE), plausible_date])
    form = RadioField("Vorm", choices=_VIEW_FORMS, validators=[InputRequired("Kies schriftelijk of mondeling.")])
    summary = TextAreaField("Samenvatting van de zienswijze", validators=[DataRequired("Vat de zienswijze samen."),
                                                                          _too_long(TEXT_MAX)])
    files = MultipleFileField("Bijlagen", description=_FILES_HELP)


class ConversationForm(CaseForm):
    day = DayField("Datum van het gesprek", format=DAY_FORMATS, validators=[InputRequired(INVALID_DATE), plausible_date])
    summary = TextAreaField("Verslag", validators=[DataRequired("Schrijf het verslag van het gesprek."),
                                                   _too_long(TEXT_MAX)])
    files = MultipleFileField("Bijlagen", description=_FILES_HELP)


class CheckForm(CaseForm):
    checked_on = DayField("Datum van de controle", format=DAY_FORMATS,
                          validators=[InputRequired(INVALID_DATE), plausible_date])
    result = RadioField("Uitkomst", choices=[SelectChoice(r.value, r.label) for r in CheckResult],
                        validators=[InputRequired("Kies de uitkomst van de controle.")])
    complied_on = DayField("Voldaan op (niet verplicht)", format=DAY_FORMATS, validators=[Optional(), plausible_date],
                           description="Bij ‘aan de last voldaan’: de dag waarop dat gebeurde.")
    breaches = StringField("Aantal vastgestelde overtredingen", validators=[Optional(), _too_long(6)],
                           description="Alleen bij een dwangsom per overtreding.")
    note = TextAreaField("Bevinding van de controle", validators=[DataRequired("Beschrijf wat de controle vond."),
                                                                 _too_long(TEXT_MAX)])

    def breach_count(self) -> int | None:
        text = (self.breaches.data or "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ServiceError("Vul het aantal overtredingen in als een heel getal.", field="breaches")
        return int(text)


class ObjectionForm(CaseForm):
    document = SelectField("Besluit", choices=[], validate_choice=False, validators=[DataRequired("Kies het besluit.")])
    received_on = DayField("Ontvangen op", format=DAY_FORMATS, validators=[InputRequired(INVALID_DATE), plausible_date])
    posted_on = DayField("Per post verzonden op (niet verplicht)", format=DAY_FORMATS,
                         validators=[Optional(), plausible_date],
                         description="Een bezwaar dat voor het einde van de termijn is gepost en binnen een week "
                                     "daarna binnenkomt, is tijdig (artikel 6:9 lid 2 Awb).")
    note = TextAreaField("Toelichting (niet verplicht)", validators=[Optional(), _too_long(SHORT_MAX)])

    def document_id(self) -> int | None:
        return _number(self.document.data)


class ShiftForm(CaseForm):
    kind = RadioField("Soort", choices=[SelectChoice(k, v) for k, v in SHIFT_KINDS.items()],
                      validators=[InputRequired("Kies opschorting of verlenging.")])
    days = StringField("Dagen opschorting", validators=[Optional(), _too_long(3)],
                       description="Bij een opschorting: het aantal dagen.")
    period = StringField("Verlenging", validators=[Optional(), _too_long(10)],
                         description="Bij een verlenging: zoals 2w (weken), 10d (dagen) of 1m (maanden).")
    reason = TextAreaField("Reden", validators=[DataRequired("Geef de reden op."), _too_long(SHORT_MAX)])

    def day_count(self) -> int | None:
        text = (self.days.data or "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise ServiceError("Vul het aantal dagen in als een heel getal.", field="days")
        return int(text)


class CloseForm(VersionedForm):
    reason = TextAreaField("Reden", validators=[DataRequired("Geef de reden op."), _too_long(SHORT_MAX * 5)])


# --- documents ------------------------------------------------------------------------------------------

class LetterDataForm(VersionedForm):
    """The document's own values: the view's last day and period (an intention), the address lines."""

    zienswijze_voor = DayField("Zienswijze uiterlijk op", format=DAY_FORMATS, validators=[Optional(), plausible_date],
                               description="De laatste dag waarop de zienswijze binnen moet zijn; staat in de brief.")
    zienswijze_termijn = StringField("Termijn voor de zienswijze", validators=[Optional(), _too_long(10)],
                                     description="Zoals 2w (weken), 10d (dagen) of 1m (maanden); loopt vanaf de dag na "
                                                 "verzending.")
    adresregels = TextAreaField("Adres", validators=[Optional(), _too_long(1000)],
                                description="Eén regel per regel van het adres; leeg: het adres dat de applicatie kent.")

    def address_lines(self) -> list[str]:
        return [line.strip() for line in (self.adresregels.data or "").splitlines() if line.strip()]


class StartDocumentForm(CaseForm):
    FIELD_ALIASES = {"soort": "kind"}

    kind = SelectField("Soort document", choices=[], validate_choice=False,
                       validators=[DataRequired("Kies de soort document.")])


class SectionForm(VersionedForm):
    """One section of a document's text (its label: the section's title)."""

    text = TextAreaField("Tekst", validators=[Optional(), _too_long(TEXT_MAX)])

    def apply_service_error(self, exc: ServiceError) -> None:
        """A refusal about the section (whatever field the service names) shows at its text."""
        super().apply_service_error(ServiceError(exc.message, field="text" if exc.field else None))


class ReturnDocumentForm(CaseForm):
    FIELD_ALIASES = {"reden": "reason"}

    reason = TextAreaField("Wat moet er veranderen?", validators=[DataRequired("Schrijf op wat er moet veranderen."),
                                                                 _too_long(SHORT_MAX)])


class LapseDocumentForm(CaseForm):
    FIELD_ALIASES = {"reden": "reason"}

    reason = TextAreaField("Reden", validators=[DataRequired("Geef de reden op."), _too_long(SHORT_MAX)])


def number_of(value: Any) -> int | None:
    return _number(value)
