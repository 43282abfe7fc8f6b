"""The shared form base: whitespace stripped, WTForms' own messages in Dutch."""

from wtforms import IntegerField, PasswordField, StringField

from wki.core.forms import BaseForm


class _Form(BaseForm):
    name = StringField("Naam")
    number = IntegerField("Aantal")
    secret = PasswordField("Wachtwoord", no_strip=True)


def test_strips_whitespace_but_not_passwords(app):
    with app.test_request_context(method="POST", data={"name": "  Jan  ", "number": "3", "secret": " pw "}):
        form = _Form(meta={"csrf": False})
        assert form.validate()
        assert form.name.data == "Jan"
        assert form.secret.data == " pw "


def test_builtin_messages_are_dutch(app):
    with app.test_request_context(method="POST", data={"number": "abc"}):
        form = _Form(meta={"csrf": False})
        assert not form.validate()
        assert form.errors["number"] == ["Ongeldig getal."]
