"""Forms of the mailing pages: the new mailing (its fields depend on the chosen letter type: one field per
extra value, one text area per block) and the buttons on a mailing's page."""

from __future__ import annotations

import uuid
from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from wki.core.forms import INVALID_DATE, BaseForm, DayField, plausible_date
from wki.documents.mailing_run import BLOCKS_KEY
from wki.documents.models import LetterType, RecipientSource

SOURCE_LABELS = {
    RecipientSource.REGISTER.value: "Register (geregistreerde incassodienstverleners op de peildatum)",
    RecipientSource.SUSPECTS.value: "Mogelijke overtreders (uit de signalen)",
    RecipientSource.CSV.value: "Adressenlijst (CSV-bestand)",
}
STATUS_CHOICES = [SelectChoice("ingeschreven", "Ingeschreven"), SelectChoice("doorgehaald", "Doorgehaald"),
                  SelectChoice("verlopen", "Verlopen")]


class ChooseTypeForm(BaseForm):
    """Step one: which letter (its extra fields decide the rest of the form)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    soort = SelectField("Briefsoort", validators=[DataRequired(message="Kies een briefsoort.")],
                        invalid_choice_message="Kies een briefsoort uit de lijst.")


class MailingForm(BaseForm):
    titel = StringField("Titel van de mailing", validators=[Optional(), Length(max=200)],
                        description="Bijvoorbeeld ‘Informatiebrief juni 2026’. Leeg: de briefsoort en de datum.")
    bron = SelectField("Ontvangers", choices=[SelectChoice(v, label) for v, label in SOURCE_LABELS.items()], default=RecipientSource.REGISTER.value,
                       invalid_choice_message="Kies waar de ontvangers vandaan komen.")
    as_of = DayField("Peildatum (register)", validators=[Optional(), plausible_date],
                      description="Het register zoals het op deze datum was.", format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE, render_kw={"type": "date"})
    status = SelectField("Status op de peildatum (register)", choices=STATUS_CHOICES, default="ingeschreven")
    plaats = StringField("Plaats (register)", validators=[Optional(), Length(max=100)],
                         description="Alleen registraties in deze plaats; leeg: alle plaatsen.")
    registered_since = DayField("Ingeschreven sinds (register)", validators=[Optional(), plausible_date],
                                 format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE, render_kw={"type": "date"})
    valid_until_before = DayField("Geldig tot vóór (register)", validators=[Optional(), plausible_date],
                                   format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE, render_kw={"type": "date"})
    min_signals = IntegerField("Ten minste zoveel signalen (mogelijke overtreders)",
                               validators=[Optional(), NumberRange(min=1, max=100000)])
    bestand = FileField("Adressenlijst (CSV)", description="Kolommen: naam (verplicht), straat, huisnummer, postcode, "
                        "plaats, email, registratienummer, kvk_nummer; gescheiden door ; of ,.")
    # The list uploaded for the preview, kept in the store between "Bekijken" and "Aanmaken".
    bestand_sha256 = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{64}$")])
    bestand_naam = HiddenField(validators=[Optional(), Length(max=300)])
    # One key per filled-in form: "Aanmaken" sent twice makes one mailing (mailings.create_mailing).
    aanvraag = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")], default=lambda: uuid.uuid4().hex)
    datum = DayField("Datum van de brieven", validators=[Optional(), plausible_date], format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE, render_kw={"type": "date"},
                      description="Leeg: vandaag.")
    email = BooleanField("Ook per e-mail versturen (aan wie een e-mailadres heeft)")

    def value_fields(self) -> list[Any]:
        return [f for f in self if f.name.startswith("waarde_")]

    def block_fields(self) -> list[Any]:
        return [f for f in self if f.name.startswith("blok_")]

    def extra_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {f.name.removeprefix("waarde_"): f.data or "" for f in self.value_fields()}
        blocks = {f.name.removeprefix("blok_"): (f.data or "").splitlines() for f in self.block_fields()}
        if blocks:
            values[BLOCKS_KEY] = blocks
        return values

    def criteria(self) -> dict[str, Any]:
        if self.bron.data == RecipientSource.SUSPECTS.value:
            return {"min_signals": self.min_signals.data}
        return {"as_of": self.as_of.data, "status": self.status.data, "plaats": self.plaats.data,
                "registered_since": self.registered_since.data, "valid_until_before": self.valid_until_before.data}


def mailing_form_for(letter_type: LetterType, *, mail_configured: bool, **kwargs: Any) -> MailingForm:
    """The form for one letter type: a field per extra value, a text area per block; no e-mail choice
    where no mail server is configured."""

    class TypeForm(MailingForm):
        pass

    for name, label in letter_type.extra_fields.items():
        setattr(TypeForm, f"waarde_{name}", StringField(str(label), validators=[Optional(), Length(max=1000)],
                                                        description="Een datum als JJJJ-MM-DD of DD-MM-JJJJ wordt "
                                                                    "in de brief voluit geschreven."))
    from wki.documents.issuing import block_title

    for name in letter_type.blocks:
        setattr(TypeForm, f"blok_{name}", TextAreaField(block_title(name), validators=[Optional(), Length(max=20000)],
                                                        description="Eén onderdeel per regel."))
    if not mail_configured:
        TypeForm.email = None  # WTForms: None removes an inherited field
    return TypeForm(**kwargs)


class ActionForm(BaseForm):
    """A button on a mailing's page (approve, start, retry, cancel): its CSRF token the only field."""


