"""Forms of the Documenten section: a letter text's new version, the preview's recipient, the list of issued
documents. The rules a text must keep (placeholders, brackets, lengths) are the service's (texts.save_text):
the form only takes what was typed, and keeps it when the service refuses."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from wki.core.forms import BaseForm, choices
from wki.documents.texts import NOTE_MAX, SUBJECT_MAX

SAVE, PREVIEW = "opslaan", "voorbeeld"


class TextForm(BaseForm):
    """A new version of a letter type's text. The two buttons are ``actie`` = ``opslaan`` / ``voorbeeld``."""

    subject = StringField("Onderwerp", validators=[Length(max=SUBJECT_MAX, message=f"Gebruik hoogstens {SUBJECT_MAX} "
                                                                                    "tekens.")],
                          description="Eén regel; mag velden bevatten, zoals ((registratienummer)).")
    body = TextAreaField("Tekst van de brief", description="Zonder briefhoofd, adres, kenmerk, datum en "
                         "ondertekening: die zet de toepassing er zelf omheen.")
    note = StringField("Wat is er veranderd?", validators=[Optional(), Length(max=NOTE_MAX, message=f"Gebruik "
                                                                                        f"hoogstens {NOTE_MAX} tekens.")],
                       description="Een korte toelichting voor wie de versie publiceert.")
    based_on = HiddenField()

    def based_on_id(self) -> int | None:
        value = (self.based_on.data or "").strip()
        return int(value) if value.isdigit() else None


class PreviewForm(BaseForm):
    """Which version, for which recipient (a GET form: the preview changes nothing)."""

    class Meta:
        csrf = False

    versie = SelectField("Versie", choices=[], validate_choice=False)
    ontvanger = StringField("Ontvanger", validators=[Optional(), Length(max=40, message="Gebruik hoogstens 40 "
                                                                                        "tekens.")])

    def set_versions(self, versions: list[tuple[int, str]]) -> None:
        self.versie.choices = [SelectChoice(str(number), label) for number, label in versions]


class DocumentSearchForm(BaseForm):
    class Meta:
        csrf = False

    zoek = StringField("Zoeken", validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens.")],
                       description="Een kenmerk of (een deel van) de naam van de ontvanger.")
    soort = SelectField("Briefsoort", choices=[], validate_choice=False)

    def set_types(self, types: list[tuple[str, str]]) -> None:
        self.soort.choices = choices("Alle briefsoorten", types)

    def filters(self) -> dict[str, Any]:
        return {"query": self.zoek.data or None, "letter_type_slug": self.soort.data or None}
