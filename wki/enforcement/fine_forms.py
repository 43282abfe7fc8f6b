"""Forms of the fine pages: a category amount, a policy value, rejecting an unconfirmed one, and the try-out
calculation. Field names are the services' (``ServiceError.field``), so a refusal shows at its field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from wki.core.forms import INVALID_DATE, BaseForm, DayField, choices, plausible_date
from wki.enforcement.fines import ORDINALS, PROVISIONS, RULES, SOURCE_LENGTH


def _decimal(form: BaseForm, field: StringField) -> None:
    if field.data:
        try:
            Decimal(field.data.replace(".", "").replace(",", ".") if "," in field.data else field.data)
        except InvalidOperation:
            raise ValidationError("Vul een bedrag in, zoals 1234,50.") from None


def decimal_of(text: str | None) -> Decimal | None:
    """A Dutch or plain number as typed ("1.234,50", "1234.50", "-25") as a Decimal; None when empty."""
    if not text:
        return None
    return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)


class CategoryForm(BaseForm):
    category = SelectField("Boetecategorie", coerce=int,
                           choices=[SelectChoice(n, f"{word.capitalize()} categorie") for n, word in ORDINALS.items()])
    amount = StringField("Bedrag in euro", validators=[InputRequired("Vul het bedrag in."), _decimal],
                         description="Het maximum van de categorie, zoals het Staatsblad het noemt, bijvoorbeeld 10300.")
    valid_from = DayField("Geldt vanaf", format=["%Y-%m-%d", "%d-%m-%Y"], validators=[InputRequired(INVALID_DATE), plausible_date])
    source = StringField("Bron", validators=[InputRequired("Geef de bron."), Length(max=SOURCE_LENGTH)],
                         description="Bijvoorbeeld: Stb. 2023, 412, artikel I.")


class RuleForm(BaseForm):
    code = SelectField("Regel van het boetebeleid",
                       choices=choices("Kies een regel", [(r.code, r.label) for r in RULES.values()]),
                       validators=[InputRequired("Kies de regel van het boetebeleid.")])
    value = StringField("Waarde", validators=[InputRequired("Vul de waarde in."), _decimal],
                        description="Een basisbedrag in euro; een aanpassing in procenten (een verlaging negatief, "
                                    "zoals -25).")
    valid_from = DayField("Geldt vanaf", format=["%Y-%m-%d", "%d-%m-%Y"], validators=[InputRequired(INVALID_DATE), plausible_date])
    source = StringField("Bron", validators=[InputRequired("Geef de bron."), Length(max=SOURCE_LENGTH)],
                         description="De vindplaats van het boetebeleid (Staatscourant, datum).")


class RejectForm(BaseForm):
    reason = TextAreaField("Waarom is het bedrag onjuist?",
                           validators=[InputRequired("Geef aan waarom het bedrag onjuist is.")])


class CalculationForm(BaseForm):
    """The try-out (a GET form: calculating changes nothing)."""

    class Meta:
        csrf = False

    on = DayField("Datum van het besluit", format=["%Y-%m-%d", "%d-%m-%Y"],
                  validators=[InputRequired(INVALID_DATE), plausible_date])
    provision = SelectField("Overtreden bepaling",
                            choices=choices("Kies de bepaling", [(p.code, p.label) for p in PROVISIONS.values()]),
                            validators=[InputRequired("Kies de overtreden bepaling.")])
    legal_person = BooleanField("De overtreder is een rechtspersoon (of vennootschap, maatschap, rederij of "
                                "doelvermogen)")
    higher_category = BooleanField("De naast hogere categorie toepassen (alleen rechtspersonen)")
    higher_category_reason = StringField("Waarom laat de categorie geen passende boete toe?",
                                         validators=[Optional(), Length(max=500)])
    recidive = BooleanField("Recidive")
    reduced_blameworthiness = BooleanField("Verminderde verwijtbaarheid")
    duration_months = IntegerField("Duur van de overtreding in maanden", default=0,
                                   validators=[Optional(), NumberRange(min=0, max=1200,
                                                                       message="Vul 0 tot 1200 maanden in.")])
    ability_to_pay = StringField("Bedrag dat de overtreder kan dragen (leeg: geen beroep op draagkracht)",
                                 validators=[Optional(), _decimal])
    ability_to_pay_reason = StringField("Waarop is dat bedrag gebaseerd?", validators=[Optional(), Length(max=500)])
    allow_unconfirmed = BooleanField("Ook met nog niet bevestigde bedragen rekenen (alleen om te proberen; een "
                                     "besluit gebruikt ze nooit)")
