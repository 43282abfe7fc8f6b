"""Forms of the inspection pages. They only take what was typed: the rules (steps, completeness, four eyes,
versions, file types) are the services' (wki/supervision/inspections.py), whose Dutch refusals the views put
next to the field they name.

Several forms share one page (the inspection, a checklist item), so each has a ``prefix``: no two inputs on a
page share an id."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from wki.core.forms import INVALID_DATE, BaseForm, DayField, MultiCheckboxField, choices, plausible_date
from wki.supervision.inspections import COMMENT_MAX, DESCRIPTION_MAX, FINDING_MAX
from wki.supervision.models import InspectionKind, InspectionStatus, Judgement, ObtainedHow


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Gebruik hoogstens {limit} tekens.")


def _version(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


class InspectionFilterForm(BaseForm):
    """The list's filters (a GET form: filtering changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=choices("Alle statussen", InspectionStatus.choices()),
                         validate_choice=False)
    mijn = SelectField("Welke inspecties", choices=[SelectChoice("", "Van iedereen"),
                                                    SelectChoice("ja", "Mijn inspecties (als inspecteur of reviewer)")],
                       validate_choice=False)

    def status_value(self) -> str | None:
        value = self.status.data or ""
        return value if value in {s.value for s in InspectionStatus} else None


class NewInspectionForm(BaseForm):
    registratienummer = StringField("Registratienummer", validators=[DataRequired("Vul het registratienummer in."),
                                                                     _too_long(40)])
    soort = RadioField("Soort inspectie", choices=[SelectChoice(k.value, k.label) for k in InspectionKind],
                       default=InspectionKind.REGULAR.value, validators=[InputRequired("Kies een soort inspectie.")])
    inspectiedatum = DayField("Inspectiedatum", format=["%Y-%m-%d", "%d-%m-%Y"],
                              validators=[InputRequired(INVALID_DATE), plausible_date],
                              description="De dag waarop de registratie wordt getoetst; bepaalt de catalogusversie "
                                          "en welke eisen gelden.")
    reviewer = SelectField("Reviewer", choices=[], validate_choice=False,
                           description="Een collega-inspecteur die niet aan de inspectie meewerkt (vier ogen). "
                                       "U kunt die ook later kiezen, vóór het aanbieden ter review.")
    aanleiding = TextAreaField("Aanleiding", validators=[Optional(), _too_long(COMMENT_MAX)],
                               description="Waarom deze registratie nu wordt geïnspecteerd.")
    eisen = MultiCheckboxField("Eisen in de inspectie", choices=[], validate_choice=False,
                               description="De kwaliteitseisen die op de inspectiedatum gelden. Vink uit wat deze "
                                           "inspectie niet toetst.")

    def set_reviewers(self, people: list[tuple[int, str]]) -> None:
        self.reviewer.choices = choices("Nog niet gekozen", [(str(i), label) for i, label in people])

    def reviewer_id(self) -> int | None:
        return _version(self.reviewer.data)


class RequestForm(BaseForm):
    """The information request: by when, and what is asked (one piece per line: "stuk — toelichting")."""

    uiterlijk = DayField("Uiterlijk aanleveren op", format=["%Y-%m-%d", "%d-%m-%Y"],
                         validators=[InputRequired(INVALID_DATE), plausible_date])
    stukken = TextAreaField("Gevraagde stukken", validators=[DataRequired("Geef aan welke stukken worden gevraagd."),
                                                            _too_long(60 * 1002)],
                            description="Eén stuk per regel. Een toelichting zet u erachter na een streepje: "
                                        "‘stuk — toelichting’.")

    def items(self) -> list[dict[str, str]]:
        rows = []
        for line in (self.stukken.data or "").splitlines():
            stuk, _, toelichting = line.partition(" — ")
            if stuk.strip():
                rows.append({"stuk": stuk.strip(), "toelichting": toelichting.strip()})
        return rows


def request_lines(items: list[dict[str, str]]) -> str:
    return "\n".join(f"{r['stuk']} — {r['toelichting']}" if r.get("toelichting") else r["stuk"] for r in items)


class SubmitForm(BaseForm):
    versie = HiddenField()

    def version(self) -> int | None:
        return _version(self.versie.data)


class ReviewerForm(BaseForm):
    """Choose or change the reviewer of an open inspection (someone on leave, or none chosen at the start)."""

    reviewer = SelectField("Reviewer", choices=[], validate_choice=False,
                           description="Een collega-inspecteur die niet aan de inspectie meewerkte (vier ogen).")
    versie = HiddenField()

    def set_reviewers(self, people: list[tuple[int, str]]) -> None:
        self.reviewer.choices = choices("Nog niet gekozen", [(str(i), label) for i, label in people])

    def reviewer_id(self) -> int | None:
        return _version(self.reviewer.data)

    def version(self) -> int | None:
        return _version(self.versie.data)


class WithdrawForm(BaseForm):
    reden = TextAreaField("Reden van intrekken", validators=[DataRequired("Geef de reden op waarom de inspectie wordt "
                                                                          "ingetrokken."), _too_long(COMMENT_MAX)])


class ReturnForm(BaseForm):
    opmerking = TextAreaField("Wat moet er veranderen?", validators=[DataRequired("Schrijf op wat er moet veranderen."),
                                                                     _too_long(COMMENT_MAX)])


class ApproveForm(BaseForm):
    content_sha256 = HiddenField()
    opmerking = TextAreaField("Opmerking bij de goedkeuring (niet verplicht)",
                              validators=[Optional(), _too_long(COMMENT_MAX)])


class StaffListForm(BaseForm):
    personeelslijst = FileField("Personeelslijst (CSV)", validators=[FileRequired("Kies een personeelslijst.")],
                                description="Volgens het formaat voor personeelslijsten: naam, functie, datum in "
                                            "dienst, datum uit dienst, datum VOG, opleidingsniveau, bijscholingen.")


class JudgeForm(BaseForm):
    oordeel = RadioField("Oordeel", choices=[SelectChoice(j.value, j.label) for j in Judgement],
                         validators=[InputRequired("Kies een oordeel.")])
    bevinding = TextAreaField("Bevinding", validators=[Optional(), _too_long(FINDING_MAX)],
                              description="In woorden: wat u zag. Nodig bij ‘Voldoet niet’ en ‘Voldoet deels’.")
    versie = HiddenField()

    def version(self) -> int | None:
        return _version(self.versie.data)


_HOW = [SelectChoice(h.value, h.label) for h in ObtainedHow if h not in (ObtainedHow.SIGNAL, ObtainedHow.REGISTER)]


class FileEvidenceForm(BaseForm):
    bestand = FileField("Bestand", validators=[FileRequired("Kies een bestand.")],
                        description="PDF, afbeelding (PNG of JPEG), Word, Excel, CSV of tekst.")
    omschrijving = StringField("Omschrijving", validators=[Optional(), _too_long(DESCRIPTION_MAX)])
    wijze = SelectField("Hoe verkregen", choices=_HOW, default=ObtainedHow.REQUEST.value)
    verkregen_op = DayField("Verkregen op", format=["%Y-%m-%d", "%d-%m-%Y"],
                            validators=[InputRequired(INVALID_DATE), plausible_date])


class SignalEvidenceForm(BaseForm):
    """A signal by its number (when the signals about the registration cannot be listed)."""

    signaal = StringField("Nummer van het signaal", validators=[DataRequired("Vul het nummer van het signaal in."),
                                                                _too_long(12)])
    omschrijving = StringField("Omschrijving (niet verplicht)", validators=[Optional(), _too_long(DESCRIPTION_MAX)])

    def signal_id(self) -> int | None:
        return _version(self.signaal.data)


class SignalChoiceForm(SignalEvidenceForm):
    """A signal chosen from those about the registration."""

    signaal = SelectField("Signaal", choices=[], validate_choice=False, validators=[DataRequired("Kies een signaal.")])

    def set_signals(self, signals: list[tuple[int, str]]) -> None:
        self.signaal.choices = choices("Kies een signaal", [(str(i), label) for i, label in signals])


class RegisterEvidenceForm(BaseForm):
    peildatum = DayField("Peildatum", format=["%Y-%m-%d", "%d-%m-%Y"],
                         validators=[InputRequired(INVALID_DATE), plausible_date],
                         description="De inschrijving zoals het register haar op deze dag kende.")
    omschrijving = StringField("Omschrijving (niet verplicht)", validators=[Optional(), _too_long(DESCRIPTION_MAX)])


def default_day(field: DayField, day: date) -> None:
    if field.data is None and not field.raw_data:
        field.data = day
