"""The forms of the requests page: the person searched for, and an erasure's reason and confirmation."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from wki.core.forms import BaseForm


class PersonForm(BaseForm):
    naam = StringField("Naam", validators=[Optional(), Length(max=200)],
                       description="Zoals de persoon die opgeeft; ook een deel, zoals de achternaam.")
    adres = StringField("Adres of postcode", validators=[Optional(), Length(max=200)],
                        description="Straat en huisnummer, of de postcode (zoals 1234 AB).")
    email = StringField("E-mailadres", validators=[Optional(), Length(max=320)])
    kenmerk = StringField("Kenmerk van het verzoek", validators=[Optional(), Length(max=100)],
                          description="Het kenmerk van de brief of het e-mailbericht; nodig om te exporteren of te "
                                      "wissen.")


class EraseForm(PersonForm):
    reden = TextAreaField("Reden van de wissing", validators=[Optional(), Length(max=2000)],
                          description="Bijvoorbeeld: verzoek op grond van artikel 17 AVG, toegewezen. Noem hier geen "
                                      "persoonsgegevens.")
    bevestiging = BooleanField("Ik wil deze gegevens nu wissen; dat kan niet ongedaan worden gemaakt.")
    stap = HiddenField(default="wissen")
