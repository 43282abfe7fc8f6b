from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from wki.core.auth import ROLE_LABELS, Role
from wki.core.forms import INVALID_DATE, BaseForm, DayField, MultiCheckboxField, choices, plausible_date
from wki.core.jobs import JobOutcome

# SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples (removed in 3.4), and the
# test suite turns that DeprecationWarning into an error, i.e. a 500 on every page with these forms.
ROLE_CHOICES = [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role]
class UserCreateForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    email = EmailField("E-mailadres", validators=[DataRequired("Vul het e-mailadres in."), Length(max=320)])
    roles = MultiCheckboxField("Rollen", choices=ROLE_CHOICES, invalid_choice_message="Onbekende rol: %(value)s.",
                               validators=[DataRequired("Kies minstens één rol.")])
    password = PasswordField(
        "Tijdelijk wachtwoord", no_strip=True, validators=[Optional()],
        description="Laat leeg om een wachtwoord te laten maken. De gebruiker kiest bij de eerste "
                    "keer inloggen een eigen wachtwoord.",
    )


class UserEditForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    roles = MultiCheckboxField("Rollen", choices=ROLE_CHOICES, invalid_choice_message="Onbekende rol: %(value)s.",
                               validators=[DataRequired("Kies minstens één rol.")])


class AuditSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    gebruiker = StringField("Gebruiker (e-mailadres)", validators=[Optional(), Length(max=320)])
    actie = SelectField("Actie", validators=[Optional()], choices=choices("Alle acties", []),
                        invalid_choice_message="Kies een actie uit de lijst.")
    objecttype = SelectField("Soort object", validators=[Optional()], choices=choices("Alle soorten", []),
                             invalid_choice_message="Kies een soort object uit de lijst.")
    object_id = StringField("Objectnummer", validators=[Optional(), Length(max=80)])
    van = DateField("Van (datum)", validators=[Optional(), plausible_date], invalid_value_message=INVALID_DATE,
                    render_kw={"placeholder": "jjjj-mm-dd"})
    tot = DateField("Tot en met (datum)", validators=[Optional(), plausible_date], invalid_value_message=INVALID_DATE)

    def validate_tot(self, field: Field) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class JobRunFilterForm(BaseForm):
    class Meta:
        csrf = False

    taak = SelectField("Taak", validators=[Optional()], choices=choices("Alle taken", []),
                       invalid_choice_message="Kies een taak uit de lijst.")
    uitkomst = SelectField("Uitkomst", validators=[Optional()], choices=choices("Alle uitkomsten", JobOutcome.choices()),
        invalid_choice_message="Kies een uitkomst uit de lijst.")


class RunJobForm(BaseForm):
    """"Nu uitvoeren": a POST; for a job that changes data (``Job.confirmation``) the box must be ticked."""

    bevestiging = BooleanField("Ik wil deze taak nu uitvoeren.")


class EquatedDayForm(BaseForm):
    """A day equated with a general holiday by decree (Atw art. 3 lid 3)."""

    day = DayField("Datum", format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE,
                   validators=[InputRequired("Vul de datum in."), plausible_date])
    name = StringField("Naam", validators=[DataRequired("Vul de naam van de dag in."), Length(max=200)],
                       description="Zoals het besluit de dag noemt, bijvoorbeeld ‘Vrijdag na Hemelvaartsdag’.")
    source = StringField("Bron (het besluit)", validators=[DataRequired("Vul de bron in: het besluit, met vindplaats."),
                                                           Length(max=300)],
                         description="Bijvoorbeeld ‘Besluit van 12 maart 2025, Stb. 2025, 123’.")


class DeadlineForm(BaseForm):
    """The calculator on Feestdagen en termijnen, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    datum = DayField("Datum van de gebeurtenis", format=["%Y-%m-%d", "%d-%m-%Y"], invalid_value_message=INVALID_DATE,
                     validators=[InputRequired("Vul de datum van de gebeurtenis in."), plausible_date],
                     description="Bijvoorbeeld de dag waarop het besluit is verzonden.")
    termijn = StringField("Termijn", validators=[DataRequired("Vul de termijn in, bijvoorbeeld 6w."), Length(max=40)],
                          description="Dagen, weken of maanden: 10d, 2w, 6w, 13w, 3m.")
