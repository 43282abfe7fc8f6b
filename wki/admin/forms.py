from wtforms import DateField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from wki.core.auth import ROLE_LABELS, Role
from wki.core.forms import BaseForm

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserCreateForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    email = EmailField("E-mailadres", validators=[DataRequired("Vul het e-mailadres in."), Length(max=320)])
    roles = MultiCheckboxField("Rollen", choices=ROLE_CHOICES,
                               validators=[DataRequired("Kies minstens één rol.")])
    password = PasswordField(
        "Tijdelijk wachtwoord", no_strip=True, validators=[Optional()],
        description="Laat leeg om een wachtwoord te laten maken. De gebruiker kiest bij de eerste "
                    "keer inloggen een eigen wachtwoord.",
    )


class UserEditForm(BaseForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=200)])
    roles = MultiCheckboxField("Rollen", choices=ROLE_CHOICES,
                               validators=[DataRequired("Kies minstens één rol.")])


class AuditSearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    gebruiker = StringField("Gebruiker (e-mailadres)", validators=[Optional(), Length(max=320)])
    actie = SelectField("Actie", validators=[Optional()], choices=[("", "Alle acties")])
    objecttype = SelectField("Soort object", validators=[Optional()], choices=[("", "Alle soorten")])
    object_id = StringField("Objectnummer", validators=[Optional(), Length(max=80)])
    van = DateField("Van (datum)", validators=[Optional()],
                    render_kw={"placeholder": "jjjj-mm-dd"})
    tot = DateField("Tot en met (datum)", validators=[Optional()])

    def validate_tot(self, field):
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")


class JobRunFilterForm(BaseForm):
    class Meta:
        csrf = False

    taak = SelectField("Taak", validators=[Optional()], choices=[("", "Alle taken")])
    uitkomst = SelectField("Uitkomst", validators=[Optional()], choices=[
        ("", "Alle uitkomsten"), ("geslaagd", "Geslaagd"), ("mislukt", "Mislukt"),
        ("afgebroken", "Afgebroken"), ("bezig", "Bezig")])
